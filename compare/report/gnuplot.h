/*
 * A gnuplot session: one gnuplot process, started with an argv by posix_spawn, that reads
 * a script through one pipe; or, for --script and tests, a session that only appends the
 * script to a file. The script is sent one piece at a time (a chart), built in the
 * session's buffer with the functions below, which are the only way text reaches gnuplot:
 * untrusted text only as single-quoted literals (btk_escape_gnuplot), data as numbers.
 * gnuplot is spawned nowhere else.
 */
#ifndef BTK_GNUPLOT_H
#define BTK_GNUPLOT_H

#include "internal.h"

typedef struct btk_gnuplot btk_gnuplot;

/* Find an executable "gnuplot" in $PATH and append its path to path_out. Not found:
 * BTK_EUNSUPPORTED with a message naming the Debian package gnuplot-nox. */
int btk_gnuplot_find(btk_buf *path_out);

/* Start gnuplot (searched in $PATH, run as `gnuplot --default-settings`, stdout to
 * /dev/null); its stderr is kept in a temporary file for error messages. SIGPIPE is
 * ignored until btk_gnuplot_close, so a dead gnuplot shows as a write error. Errors:
 * BTK_EUNSUPPORTED (no gnuplot), BTK_EIO (cannot spawn), BTK_ENOMEM; *out is NULL then.
 */
int btk_gnuplot_open(btk_gnuplot **out);
/* A session that only appends its script to f (not owned, must outlive the session). */
int btk_gnuplot_open_script(btk_gnuplot **out, FILE *f);
/* Close the pipe, wait for gnuplot, copy its images where btk_gnuplot_path asked (not
 * when gnuplot failed), free everything (NULL: nothing, 0). BTK_EIO when a write failed or
 * gnuplot failed (its first error line is in the message); a copy's error
 * (btk_outfile_copy). */
int btk_gnuplot_close(btk_gnuplot *gp);

/* Start a piece of script: the first write error of the session if there was one (every
 * later piece is refused with it), else 0 with an empty buffer. */
int btk_gnuplot_begin(btk_gnuplot *gp);
/* Finish the piece: with error < 0 drop it and return error; else send it (to gnuplot or
 * the script file) and return 0 or BTK_EIO (recorded for btk_gnuplot_begin/close). */
int btk_gnuplot_send(btk_gnuplot *gp, int error);

/* Append script text we wrote ourselves (never untrusted text). BTK_ENOMEM. */
int btk_gnuplot_puts(btk_gnuplot *gp, const char *s);
int btk_gnuplot_printf(btk_gnuplot *gp, const char *fmt, ...) BTK_PRINTF(2, 3);
/* Append untrusted text as one single-quoted literal, cut to max_chars characters (0: no
 * limit); see btk_escape_gnuplot. BTK_ENOMEM. */
int btk_gnuplot_text(btk_gnuplot *gp, const char *s, size_t max_chars);
/* Append the literal for `set output` of an image that goes to path. In a gnuplot
 * session that is a name of ours in a private staging folder ($TMPDIR, else /tmp, as
 * benchtrack-charts-XXXXXX); btk_gnuplot_close copies each image to its path (any bytes)
 * with btk_outfile_copy once gnuplot has finished, and removes the folder. In a script
 * session the path itself is written, and must survive escaping: BTK_EINVAL naming it when
 * it holds "'", a control character, invalid UTF-8 or a leading '~'. "" is BTK_EINVAL,
 * BTK_EIO when the staging folder cannot be made, BTK_ENOMEM. */
int btk_gnuplot_path(btk_gnuplot *gp, const char *path);
/* The BTK_OUTFILE_* flags of the copies (default 0: the path is opened as named). */
void btk_gnuplot_set_output_flags(btk_gnuplot *gp, unsigned flags);
/* Inline data: "$name << EOD" (name is ours: letters only), numbers, "EOD". A number is
 * " %.9g", or " NaN" for anything not finite. BTK_ENOMEM. */
int btk_gnuplot_block_begin(btk_gnuplot *gp, const char *name);
int btk_gnuplot_num(btk_gnuplot *gp, double v);
int btk_gnuplot_block_end(btk_gnuplot *gp);

#endif
