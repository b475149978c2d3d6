/*
 * Escaping untrusted text (benchmark names, branches, commit subjects, machine names) for
 * the places it goes: gnuplot scripts, HTML text and attributes, URLs, and file names.
 * Every function appends to a btk_buf and fails only with BTK_ENOMEM (or the buffer's
 * cap). The rules and their reasons are in docs/report.md.
 */
#ifndef BTK_ESCAPE_H
#define BTK_ESCAPE_H

#include "internal.h"

/* Longest stem btk_escape_filename keeps before its hash suffix. */
#define BTK_ESCAPE_FILENAME_STEM 48

/* Append s as a gnuplot single-quoted string literal, quotes included: ' becomes the
 * typographic apostrophe U+2019, and control characters and invalid UTF-8 become '?'. So
 * the literal holds no quote and no line break and ends exactly where we end it; gnuplot
 * never substitutes backquotes or @macros inside single quotes, so the text cannot run
 * anything. (The documented '' doubling is not used: gnuplot 5.4 mis-scans runs of it,
 * 'x''''y' is an error, see docs/report.md.) At most max_chars characters (code points)
 * are kept, the rest replaced by "..."; max_chars 0 means no limit. Use with a
 * `noenhanced` terminal so the text is drawn literally. */
int btk_escape_gnuplot(btk_buf *buf, const char *s, size_t max_chars);

/* Append s for HTML text or a quoted attribute value: & < > " ' become entities, control
 * characters other than tab and newline and invalid UTF-8 become U+FFFD. */
int btk_escape_html(btk_buf *buf, const char *s);

/* Append s percent-encoded (RFC 3986): only A-Z a-z 0-9 - . _ ~ pass unchanged, so the
 * result is one path segment or query value with no scheme, slash or quote in it. */
int btk_escape_url(btk_buf *buf, const char *s);

/* Append a file name stem for s: characters outside [A-Za-z0-9._-] become '_', a leading
 * '.' becomes '_', the stem is cut to BTK_ESCAPE_FILENAME_STEM bytes, and '-' plus 16 hex
 * digits of a 64-bit FNV-1a hash of the whole of s follow, so distinct names that
 * sanitize alike still get distinct names. Never empty, never "." or "..", never contains
 * '/'. */
int btk_escape_filename(btk_buf *buf, const char *s);

/* Make stems[0..n) pairwise distinct, for names whose btk_escape_filename stems collide
 * (a 64-bit hash can, for crafted names): the second and later of equal stems, in index
 * order, get "-2", "-3", ... appended (the string is replaced). A stem from
 * btk_escape_filename ends in a hex digit, so a suffixed stem never equals another stem.
 * BTK_ENOMEM, with every stem still valid. */
int btk_escape_unique_stems(char **stems, size_t n);

/* The 64-bit FNV-1a hash of s (used by btk_escape_filename). */
uint64_t btk_escape_hash(const char *s);

/* Append s as one CSV cell (RFC 4180): quoted, with '"' doubled, when it holds a comma, a
 * quote, CR or LF or starts or ends with a space; a cell starting with '=', '+', '-', '@',
 * TAB or CR gets a leading "'" first, so a spreadsheet does not run it as a formula
 * (OWASP's "CSV injection" rule). BTK_ENOMEM. */
int btk_escape_csv(btk_buf *buf, const char *s);

/* Append s as an OpenMetrics label value, without the quotes: backslash, '"' and LF
 * escaped as the format requires (other characters are allowed as they are); a byte that
 * is not valid UTF-8 (only a crafted database can hold one: imported names are JSON text)
 * becomes U+FFFD followed by its two hex digits, so the text stays UTF-8 and names that
 * differ in such bytes stay apart. BTK_ENOMEM. */
int btk_escape_openmetrics(btk_buf *buf, const char *s);

/* Length in bytes of the valid UTF-8 sequence at s (1-4), or 0 when s does not start one
 * (including the NUL terminator). */
size_t btk_escape_utf8_len(const unsigned char *s);

#endif
