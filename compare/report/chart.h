/*
 * Charts drawn by gnuplot: trend over commits, comparison of two sides, distribution of
 * samples, sparklines, and time against size on log-log axes. A chart session is a gnuplot session (gnuplot.h: one process,
 * one pipe, inline data blocks, every untrusted string escaped); the btk_chart_ session
 * functions below are its names for chart users.
 */
#ifndef BTK_CHART_H
#define BTK_CHART_H

#include "changepoint.h"
#include "compare.h"
#include "complexity.h"
#include "gnuplot.h"

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
    int step;     /* +1 a change point to a slower level, -1 to a faster one, 0 none */
    double level; /* the level of the point's segment (btk_chart_changes); <= 0 or NAN:
                   * none drawn */
} btk_trend_point;

/* One side of a distribution chart: its label and its samples (ns per iteration). */
typedef struct btk_dist_side {
    const char *label;
    const double *ns;
    size_t count;
} btk_dist_side;

typedef btk_gnuplot btk_chart;

/* btk_gnuplot_find, btk_gnuplot_open, btk_gnuplot_open_script and btk_gnuplot_close:
 * find gnuplot, start a session (BTK_EUNSUPPORTED without gnuplot, BTK_EIO), a
 * script-only session for --script and tests, and finish one (BTK_EIO when gnuplot
 * failed). */
int btk_chart_find_gnuplot(btk_buf *path_out);
int btk_chart_open(btk_chart **out);
int btk_chart_open_script(btk_chart **out, FILE *f);
int btk_chart_close(btk_chart *chart);

/* Trend of one benchmark: points oldest first; CI band, median line, the segment levels
 * as steps, change-point markers, short shas on the x axis (thinned and rotated), time
 * unit scaled to the data. */
int btk_chart_trend(btk_chart *chart, const btk_chart_out *out, const char *title,
                    const btk_trend_point *points, size_t count);
/* Count trend of one benchmark (its counting runs): points oldest first, median the
 * instructions per iteration, ci_low..ci_high the range across processes of a
 * nondeterministic count (NAN otherwise: drawn as an error bar), step +1/-1 the count
 * change points (docs/report.md); level unused. */
int btk_chart_count_trend(btk_chart *chart, const btk_chart_out *out, const char *title,
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
/* A size series: median ns per iteration against the size, and its complexity fit. */
typedef struct btk_size_chart {
    const char *title;     /* untrusted: escaped */
    const char *axis;      /* the size parameter's name (untrusted), "" or NULL: none */
    const double *n, *ns;  /* count sizes and their medians; points <= 0 are not drawn */
    size_t count;
    const btk_cx_fit *fit; /* NULL, or its power law is drawn over n_min..n_max */
} btk_size_chart;

/* Time against size on logarithmic axes: the medians as points joined by a line, and
 * the fitted power law a * n^k dashed with k and its interval in the key. BTK_ENOMEM,
 * BTK_EIO. */
int btk_chart_size(btk_chart *chart, const btk_chart_out *out, const btk_size_chart *in);

int btk_chart_dist(btk_chart *chart, const btk_chart_out *out, const char *title,
                   const btk_dist_side *sides, size_t side_count);

/* The change points of a trend (changepoint.h, default options): detect over the points
 * that have values and set each point's step (+1 at the first commit of a slower level, -1
 * of a faster one) and level (its segment's level; NAN for points without values). Point
 * i brings counts[i] per-process values, one point after the other in values (0: none,
 * e.g. it failed); values NULL: each point's finite median is its one value. When
 * changes_out is not NULL it gets the change points (free with btk__free; NULL when none)
 * with index, first and last rewritten to positions in points, and *change_count their
 * number.
 * BTK_ENOMEM; BTK_EINVAL for a NaN or infinite value. */
int btk_chart_changes(btk_changepoint **changes_out, size_t *change_count,
                      btk_trend_point *points, size_t count, const double *values,
                      const size_t *counts);

/* The unit for times up to max_ns: sets *scale (divide ns by it) and returns "ns", "µs",
 * "ms" or "s". */
const char *btk_chart_unit(double max_ns, double *scale);

#endif
