/*
 * Small helpers for writing HTML pages into a btk_buf: page frame with inline CSS (no
 * external files, fonts or scripts), escaped text, and formatted figures.
 */
#ifndef BTK_HTML_H
#define BTK_HTML_H

#include "internal.h"

/* <!DOCTYPE html>, head with the escaped title, inline style and script, <body>. */
int btk_html_begin(btk_buf *b, const char *title);
/* </body></html> */
int btk_html_end(btk_buf *b);
/* Text escaped for HTML (btk_escape_html); NULL writes nothing. */
int btk_html_text(btk_buf *b, const char *s);
/* printf for markup we build ourselves; never pass untrusted text through fmt args. */
int btk_html_raw(btk_buf *b, const char *fmt, ...) BTK_PRINTF(2, 3);
/* A time in ns as "1.23 ms" (3 significant digits), "–" when not finite. */
int btk_html_time(btk_buf *b, double ns);
/* A ratio as a signed change "+3.1 %", "–" when not finite. */
int btk_html_change(btk_buf *b, double ratio);
/* A byte count as "12.3 MiB", "–" when negative. */
int btk_html_bytes(btk_buf *b, int64_t bytes);
/* Write b to path, a name inside the report folder: replaced through a temporary file
 * beside it, never written through a link, never the database (btk_outfile_write,
 * BTK_OUTFILE_REPLACE). BTK_EIO or BTK_EINVAL with the path in the message. */
int btk_html_save(const btk_buf *b, const char *path);

#endif
