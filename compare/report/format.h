/*
 * Output of a comparison: terminal table, markdown (PR comment), JSON, JUnit XML and CSV.
 * Every name and reason is untrusted text and is escaped for the target format. Formats
 * are documented in docs/cli/compare.md.
 */
#ifndef BTK_FORMAT_H
#define BTK_FORMAT_H

#include "compare.h"

typedef enum btk_format_kind {
    BTK_FORMAT_TABLE = 0,
    BTK_FORMAT_MARKDOWN,
    BTK_FORMAT_JSON,
    BTK_FORMAT_JUNIT,
    BTK_FORMAT_CSV
} btk_format_kind;

/* What was compared, for the header. Strings may be NULL; all are untrusted. */
typedef struct btk_format_header {
    const char *title;      /* "benchtrack compare" or "benchtrack ab" */
    const char *base;       /* e.g. "a1b2c3d (merge-base of HEAD and main): runs 3, 4" */
    const char *contender;  /* e.g. "e4f5a6b (HEAD): run 7" */
    const char *machine;    /* hostname and fingerprint */
    const char *warning;    /* a loud warning to repeat in the output, or NULL */
    double alpha;
} btk_format_header;

/* "table", "markdown" (or "md"), "json", "junit", "csv"; BTK_EINVAL naming the value. */
int btk_format_parse(btk_format_kind *out, const char *name);

/* Append the comparison in the given format to out. color adds ANSI colours to the table
 * only. BTK_ENOMEM. */
int btk_format_comparison(btk_buf *out, const btk_comparison *cmp,
                          const btk_format_header *hdr, btk_format_kind kind, bool color);

/* Per-format writers (format_text.c, format_json.c, format_junit.c), called only by
 * btk_format_comparison (format.c). */
int btk_format__table(btk_buf *out, const btk_comparison *cmp, const btk_format_header *hdr,
                      bool color);
int btk_format__markdown(btk_buf *out, const btk_comparison *cmp,
                         const btk_format_header *hdr);
int btk_format__csv(btk_buf *out, const btk_comparison *cmp, const btk_format_header *hdr);
int btk_format__json(btk_buf *out, const btk_comparison *cmp, const btk_format_header *hdr);
int btk_format__junit(btk_buf *out, const btk_comparison *cmp, const btk_format_header *hdr);

/* Shared helpers (format_text.c): a time in ns as "1.23 us" (3 significant digits; "-"
 * for NAN); the change as "+12.3%"; a summary line "1 regressed, 2 unchanged (of 3)". */
void btk_format__time(char *out, size_t len, double ns);
/* Core cycles as "1.23 kcyc" (3 significant digits, SI prefixes; "-" for NAN). */
void btk_format__cycles(char *out, size_t len, double cycles);
/* The note of a comparison by wall time whose sides' core clocks differ
 * (cmp->clock_differs), one line without a trailing newline: "the core clock differed
 * between the sides: base 3.04 GHz, new 3.12 GHz (+2.6 %); ..."; nothing otherwise.
 * BTK_ENOMEM. */
int btk_format__clock_note(btk_buf *out, const btk_comparison *cmp);
/* What the values of a comparison by --metric cycles are, one line without a trailing
 * newline; nothing for the other metrics. BTK_ENOMEM. */
int btk_format__metric_line(btk_buf *out, const btk_comparison *cmp);
void btk_format__change(char *out, size_t len, double ratio);
/* The memory verdict as "regressed (RSS +12.0%)", "unchanged", or "-" when no memory
 * figure was compared. */
void btk_format__memory(char *out, size_t len, const btk_verdict *v);
int btk_format__summary(btk_buf *out, const btk_comparison *cmp);

#endif
