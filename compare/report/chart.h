/*
 * Charts drawn by gnuplot: trend over commits, comparison of two sides, distribution of
 * samples, and sparklines. One gnuplot process per session, fed through one pipe with
 * inline data blocks; every untrusted string reaches the script only through
 * btk_escape_gnuplot. gnuplot is spawned only here, with posix_spawn and an argv.
 */
#ifndef BTK_CHART_H
#define BTK_CHART_H

#include "compare.h"

typedef enum btk_chart_format { BTK_CHART_SVG = 0, BTK_CHART_PNG } btk_chart_format;

/* Where one chart goes: a file path (trusted: the caller built it) and its size in px. */
typedef struct btk_chart_out {
    const char *path;
    btk_chart_format format;
    int width, height;
} btk_chart_out;

/* One commit of a trend: times in ns per iteration (NAN when the benchmark failed). */
typedef struct btk_trend_point {
    const char *sha; /* only its leading hex digits are used (7 at most) */
    double median, ci_low, ci_high;
    int step; /* +1 a regression starts here, -1 an improvement, 0 none */
} btk_trend_point;

/* One side of a distribution chart: its label and its samples (ns per iteration). */
typedef struct btk_dist_side {
    const char *label;
    const double *ns;
    size_t count;
} btk_dist_side;

typedef struct btk_chart btk_chart;

/* Find an executable "gnuplot" in $PATH and append its path to path_out. Not found:
 * BTK_EUNSUPPORTED with a message naming the Debian package gnuplot-nox. */
int btk_chart_find_gnuplot(btk_buf *path_out);

/* Start a gnuplot session: gnuplot (searched in $PATH) reads its script from a pipe; its
 * stderr is kept in a temporary file for error messages. Errors: BTK_EUNSUPPORTED (no
 * gnuplot), BTK_EIO (cannot spawn). Finish with btk_chart_close. */
int btk_chart_open(btk_chart **out);
/* A session that only appends its script to f (not owned): for --script and tests. */
int btk_chart_open_script(btk_chart **out, FILE *f);
/* Finish the session: close the pipe, wait for gnuplot, free everything. BTK_EIO when a
 * write failed or gnuplot reported an error (its first error line is in the message). */
int btk_chart_close(btk_chart *chart);

/* Trend of one benchmark: points oldest first; CI band, median line, step markers, short
 * shas on the x axis (thinned and rotated), time unit scaled to the data. */
int btk_chart_trend(btk_chart *chart, const btk_chart_out *out, const char *title,
                    const btk_trend_point *points, size_t count);
/* A tiny line of the medians (oldest first; NAN skipped), no axes, the last point marked.
 */
int btk_chart_sparkline(btk_chart *chart, const btk_chart_out *out, const double *values,
                        size_t count);
/* Change in % per benchmark with CI whiskers, coloured by verdict, the noise band shaded.
 * Items without a ratio (missing, new, failed) are left out. */
int btk_chart_compare(btk_chart *chart, const btk_chart_out *out, const char *title,
                      const btk_verdict *items, size_t count);
/* Samples of one benchmark on each side: box plot over jittered points. */
int btk_chart_dist(btk_chart *chart, const btk_chart_out *out, const char *title,
                   const btk_dist_side *sides, size_t side_count);

/* Steps in a series (oldest first, NAN = no value): marks[i] = +1 where the level rises
 * by more than threshold (relative), -1 where it falls, else 0. The level before and
 * after i is the median of up to `window` valid values on each side (robust to single
 * outliers); at least 3 values after i are needed (a median of 2 is their mean). Of
 * adjacent candidates the one where the window means differ most is kept. See
 * docs/report.md. */
void btk_chart_steps(int *marks, const double *values, size_t count, double threshold,
                     size_t window);

/* The unit for times up to max_ns: sets *scale (divide ns by it) and returns "ns", "µs",
 * "ms" or "s". */
const char *btk_chart_unit(double max_ns, double *scale);

#endif
