/*
 * The scripts of our charts: trend, sparkline, comparison, distribution and time against
 * size, each one
 * piece of a gnuplot session (gnuplot.c: the process, the pipe, escaping and data blocks)
 * with its own `set output`. Untrusted text enters scripts only through btk_gnuplot_text,
 * and data blocks hold numbers only.
 */
#include "chart.h"

#include <ctype.h>
#include <math.h>

/* ---- sessions: gnuplot's (gnuplot.h), under the names chart users know ---- */

int btk_chart_find_gnuplot(btk_buf *path_out)
{
    return btk_gnuplot_find(path_out);
}

int btk_chart_open(btk_chart **out)
{
    return btk_gnuplot_open(out);
}

int btk_chart_open_script(btk_chart **out, FILE *f)
{
    return btk_gnuplot_open_script(out, f);
}

int btk_chart_close(btk_chart *c)
{
    return btk_gnuplot_close(c);
}

const char *btk_chart_unit(double max_ns, double *scale)
{
    if (!(max_ns >= 1e3)) /* also NAN */
        return *scale = 1, "ns";
    if (max_ns < 1e6)
        return *scale = 1e3, "µs";
    if (max_ns < 1e9)
        return *scale = 1e6, "ms";
    return *scale = 1e9, "s";
}

/* ---- script pieces ---- */

static int put(btk_chart *c, const char *s)
{
    return btk_gnuplot_puts(c, s);
}

/* reset, terminal, output: the start of every chart. */
static int chart_begin(btk_chart *c, const btk_chart_out *out)
{
    int error;

    if ((error = btk_gnuplot_begin(c)) < 0 ||
        (error = btk_gnuplot_printf(c,
                                    "reset\nset terminal %s size %d,%d noenhanced font "
                                    "'Sans,%d' background rgb 'white'\nset output ",
                                    out->format == BTK_CHART_PNG ? "pngcairo" : "svg",
                                    out->width, out->height,
                                    out->format == BTK_CHART_PNG ? 9 : 11)) < 0 ||
        (error = btk_gnuplot_path(c, out->path)) < 0)
        return error;
    return put(c, "\n");
}

/* unset output (which closes the file) and send the chart. */
static int chart_end(btk_chart *c, int error)
{
    if (error == 0)
        error = put(c, "unset output\n");
    return btk_gnuplot_send(c, error);
}

/* A `set KEY '<escaped>'` line. */
static int put_set_text(btk_chart *c, const char *key, const char *text, size_t max)
{
    int error;

    if ((error = btk_gnuplot_printf(c, "set %s ", key)) < 0 ||
        (error = btk_gnuplot_text(c, text ? text : "", max)) < 0)
        return error;
    return put(c, "\n");
}

/* A chart without data: a centred note, so gnuplot has something valid to draw. */
static int put_empty_plot(btk_chart *c, const char *note)
{
    int error;

    if ((error = put(c, "unset key\nset xrange [0:1]\nset yrange [0:1]\nunset tics\n"
                        "set label 1 ")) < 0 ||
        (error = btk_gnuplot_text(c, note, 0)) < 0)
        return error;
    return put(c, " at graph 0.5, graph 0.5 center\nplot -1 notitle\n");
}

/* The leading hex digits of a sha, at most 7, or "?" */
static void short_sha(char out[8], const char *sha)
{
    size_t i;

    for (i = 0; sha && i < 7 && isxdigit((unsigned char)sha[i]); i++)
        out[i] = sha[i];
    if (i == 0)
        out[i++] = '?';
    out[i] = '\0';
}

/* The largest magnitude a chart draws (ns per iteration, or % for a comparison): v, or
 * NAN (gnuplot's missing value) when v is not finite or larger. A database may hold such
 * values from before import checked them (1e308 ns, whose sum or scale overflows to inf
 * and stops gnuplot with "undefined variable: inf"); no inf or nan reaches a script. */
#define CHART_MAX 1e18

static double plottable(double v)
{
    return isfinite(v) && fabs(v) <= CHART_MAX ? v : NAN;
}

/* The largest plottable value of v, NAN when none; m is the running maximum. */
static double max_finite(double m, const double *v, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (!isnan(plottable(v[i])) && !(v[i] <= m))
            m = v[i];
    return m;
}

/* ---- trend ---- */

/* x tics: every commit gets a minor tic, every stride-th (counted back from the newest,
 * which is always labelled) a rotated short sha. */
static int put_trend_xtics(btk_chart *c, const btk_trend_point *points, size_t count,
                           int width)
{
    size_t max_labels = width > 200 ? (size_t)(width - 120) / 14 : 4, stride, i;
    char sha[8];
    int error;

    stride = (count + max_labels - 1) / max_labels;
    if (stride == 0)
        stride = 1;
    error = put(c, "set xtics rotate by 90 right font ',8' (");
    for (i = 0; error == 0 && i < count; i++) {
        bool major = (count - 1 - i) % stride == 0;

        short_sha(sha, points[i].sha);
        if ((error = put(c, i ? ", " : "")) < 0 ||
            (error = btk_gnuplot_text(c, major ? sha : "", 0)) < 0)
            break;
        error = btk_gnuplot_printf(c, " %zu %d", i, major ? 0 : 1);
    }
    if (error == 0)
        error =
            btk_gnuplot_printf(c, ")\nset xrange [-0.5:%zu.5]\n", count ? count - 1 : 0);
    return error;
}

/* $trend: index, median, ci low, ci high, step, level (all times scaled). */
static int put_trend_data(btk_chart *c, const btk_trend_point *points, size_t count,
                          double scale)
{
    int error = btk_gnuplot_block_begin(c, "trend");
    size_t i;

    for (i = 0; error == 0 && i < count; i++) {
        const btk_trend_point *p = &points[i];

        if ((error = btk_gnuplot_printf(c, "%zu", i)) < 0 ||
            (error = btk_gnuplot_num(c, plottable(p->median) / scale)) < 0 ||
            (error = btk_gnuplot_num(c, plottable(p->ci_low) / scale)) < 0 ||
            (error = btk_gnuplot_num(c, plottable(p->ci_high) / scale)) < 0)
            break;
        if ((error = btk_gnuplot_printf(c, " %d", p->step)) < 0 ||
            (error = btk_gnuplot_num(c, p->level > 0 ? plottable(p->level) / scale : NAN)) < 0)
            break;
        error = put(c, "\n");
    }
    return error ? error : btk_gnuplot_block_end(c);
}

static const char trend_plot[] =
    "set key outside top center horizontal\n"
    "set grid ytics lc rgb '#dddddd'\n"
    "set xlabel 'commit (first-parent order, oldest left)' offset 0,-0.5\n"
    "set offsets 0, 0, graph 0.05, graph 0.05\n"
    "plot $trend using 1:3:4 with filledcurves fc rgb '#9ecae1' fs transparent solid 0.5 "
    "noborder title '95% CI of the median', \\\n"
    "  $trend using 1:2 with linespoints lc rgb '#08519c' pt 7 ps 0.4 lw 1.5 "
    "title 'median', \\\n"
    "  $trend using 1:6 with steps lc rgb '#ff7f0e' lw 2 dt 2 "
    "title 'level (segments between change points)', \\\n"
    "  $trend using 1:($5 > 0 ? $2 : NaN) with points pt 9 ps 1.8 lc rgb '#d62728' "
    "title 'change point (slower)', \\\n"
    "  $trend using 1:($5 < 0 ? $2 : NaN) with points pt 11 ps 1.8 lc rgb '#2ca02c' "
    "title 'change point (faster)'\n";

int btk_chart_trend(btk_chart *c, const btk_chart_out *out, const char *title,
                    const btk_trend_point *points, size_t count)
{
    double top = NAN, scale;
    const char *unit;
    size_t i, valid = 0;
    int error;

    for (i = 0; i < count; i++) {
        double v[2] = {points[i].median, points[i].ci_high};
        top = max_finite(top, v, 2);
        valid += !isnan(plottable(points[i].median));
    }
    unit = btk_chart_unit(top, &scale);
    if ((error = chart_begin(c, out)) < 0)
        return error;
    error = put_set_text(c, "title", title, 120);
    if (error == 0 && valid == 0)
        return chart_end(c, put_empty_plot(c, "no results on these commits"));
    if (error == 0)
        error =
            btk_gnuplot_printf(c, "set ylabel 'median time per iteration (%s)'\n", unit);
    if (error == 0)
        error = put_trend_xtics(c, points, count, out->width);
    if (error == 0)
        error = put_trend_data(c, points, count, scale);
    if (error == 0)
        error = put(c, trend_plot);
    return chart_end(c, error);
}

static const char count_trend_plot[] =
    "set key outside top center horizontal\n"
    "set grid ytics lc rgb '#dddddd'\n"
    "set xlabel 'commit (first-parent order, oldest left)' offset 0,-0.5\n"
    "set offsets 0, 0, graph 0.05, graph 0.05\n"
    "plot $trend using 1:2 with linespoints lc rgb '#6a51a3' pt 7 ps 0.5 lw 1.5 "
    "title 'instructions per iteration', \\\n"
    "  $trend using 1:($3 == $3 ? $2 : NaN):3:4 with yerrorbars lc rgb '#7f7f7f' pt 6 "
    "ps 1.2 "
    "title 'nondeterministic (range across processes)', \\\n"
    "  $trend using 1:($5 > 0 ? $2 : NaN) with points pt 9 ps 1.8 lc rgb '#d62728' "
    "title 'count regression', \\\n"
    "  $trend using 1:($5 < 0 ? $2 : NaN) with points pt 11 ps 1.8 lc rgb '#2ca02c' "
    "title 'fewer instructions'\n";

int btk_chart_count_trend(btk_chart *c, const btk_chart_out *out, const char *title,
                          const btk_trend_point *points, size_t count)
{
    int error;

    if ((error = chart_begin(c, out)) < 0)
        return error;
    error = put_set_text(c, "title", title, 120);
    if (error == 0)
        error = put(c, "set ylabel 'instructions per iteration'\n");
    if (error == 0)
        error = put_trend_xtics(c, points, count, out->width);
    if (error == 0)
        error = put_trend_data(c, points, count, 1);
    if (error == 0)
        error = put(c, count_trend_plot);
    return chart_end(c, error);
}

/* ---- sparkline ---- */

/* The y range of a sparkline: the data, but never narrower than +-SPARK_MIN_SPAN of its
 * middle, so that a 0.1% wobble does not fill the picture like a 2x step would. */
#define SPARK_MIN_SPAN 0.05

static int put_spark_yrange(btk_chart *c, const double *values, size_t count)
{
    double lo = INFINITY, hi = -INFINITY, mid;
    size_t i;

    for (i = 0; i < count; i++)
        if (!isnan(plottable(values[i]))) {
            lo = fmin(lo, values[i]);
            hi = fmax(hi, values[i]);
        }
    mid = (lo + hi) / 2;
    lo = fmin(lo, mid * (1 - SPARK_MIN_SPAN));
    hi = fmax(hi, mid * (1 + SPARK_MIN_SPAN));
    if (!(hi > lo) || !isfinite(lo) || !isfinite(hi))
        return 0; /* all zero (or nothing plottable): leave it to gnuplot */
    return btk_gnuplot_printf(c, "set yrange [%.9g:%.9g]\n", lo, hi);
}

int btk_chart_sparkline(btk_chart *c, const btk_chart_out *out, const double *values,
                        size_t count)
{
    size_t i, last = 0, valid = 0;
    int error;

    for (i = 0; i < count; i++)
        if (!isnan(plottable(values[i])))
            last = i, valid++;
    if ((error = chart_begin(c, out)) < 0)
        return error;
    error = put(
        c, "unset border\nunset tics\nunset key\nset lmargin at screen 0.02\nset rmargin "
           "at screen 0.98\nset tmargin at screen 0.94\nset bmargin at screen 0.06\n");
    if (error == 0 && valid == 0)
        return chart_end(c, put_empty_plot(c, ""));
    error = error ? error : btk_gnuplot_block_begin(c, "spark");
    for (i = 0; error == 0 && i < count; i++)
        if ((error = btk_gnuplot_printf(c, "%zu", i)) == 0 &&
            (error = btk_gnuplot_num(c, plottable(values[i]))) == 0)
            error = put(c, "\n");
    if (error == 0 && (error = btk_gnuplot_block_end(c)) == 0)
        error = put_spark_yrange(c, values, count);
    if (error == 0)
        error = btk_gnuplot_printf(
            c,
            "set offsets 0.5, 0.5, 0, 0\n"
            "plot $spark using 1:2 with lines lc rgb '#08519c' lw 1.2, "
            "$spark using ($1 == %zu ? $1 : NaN):2 with points pt 7 "
            "ps 0.5 lc rgb '#d62728'\n",
            last);
    return chart_end(c, error);
}

/* ---- comparison ---- */

typedef struct verdict_style {
    btk_verdict_kind kind;
    const char *label, *color;
} verdict_style;

static const verdict_style verdict_styles[] = {
    {BTK_VERDICT_REGRESSED, "regressed", "#d62728"},
    {BTK_VERDICT_BUDGET, "over budget", "#ff7f0e"},
    {BTK_VERDICT_INCONCLUSIVE, "inconclusive", "#8c8c8c"},
    {BTK_VERDICT_IMPROVED, "improved", "#2ca02c"},
    {BTK_VERDICT_UNCHANGED, "unchanged", "#1f77b4"},
};

static const verdict_style *style_of(btk_verdict_kind kind)
{
    size_t i;

    for (i = 0; i < BTK_ARRAY_SIZE(verdict_styles); i++)
        if (verdict_styles[i].kind == kind)
            return &verdict_styles[i];
    return NULL;
}

static bool charted(const btk_verdict *v)
{
    return style_of(v->kind) && v->ratio > 0 && !isnan(plottable((v->ratio - 1) * 100));
}

/* y tics: the names, the most severe (first) at the top. */
static int put_compare_ytics(btk_chart *c, const btk_verdict *items, size_t count,
                             size_t shown)
{
    size_t i, y = shown;
    int error = put(c, "set ytics font ',9' (");

    for (i = 0; error == 0 && i < count; i++) {
        if (!charted(&items[i]))
            continue;
        if ((error = put(c, y != shown ? ", " : "")) < 0 ||
            (error = btk_gnuplot_text(c, items[i].name, 48)) < 0)
            break;
        error = btk_gnuplot_printf(c, " %zu", --y);
    }
    if (error == 0)
        error = btk_gnuplot_printf(c, ")\nset yrange [-0.7:%zu.7]\n", shown - 1);
    return error;
}

/* $cmp: change %, y, CI low %, CI high %, colour as 0xRRGGBB. */
static int put_compare_data(btk_chart *c, const btk_verdict *items, size_t count,
                            size_t shown)
{
    size_t i, y = shown;
    int error = btk_gnuplot_block_begin(c, "cmp");

    for (i = 0; error == 0 && i < count; i++) {
        const btk_verdict *v = &items[i];
        double lo = !isnan(plottable((v->ci_low - 1) * 100)) ? v->ci_low : v->ratio;
        double hi = !isnan(plottable((v->ci_high - 1) * 100)) ? v->ci_high : v->ratio;

        if (!charted(v))
            continue;
        if ((error = btk_gnuplot_num(c, (v->ratio - 1) * 100)) < 0 ||
            (error = btk_gnuplot_printf(c, " %zu", --y)) < 0 ||
            (error = btk_gnuplot_num(c, (lo - 1) * 100)) < 0 ||
            (error = btk_gnuplot_num(c, (hi - 1) * 100)))
            break;
        error = btk_gnuplot_printf(c, " 0x%s\n", style_of(v->kind)->color + 1);
    }
    return error ? error : btk_gnuplot_block_end(c);
}

/* The plot command: the points, and one legend entry per verdict present. */
static int put_compare_plot(btk_chart *c, const btk_verdict *items, size_t count)
{
    size_t i, k;
    int error = put(c, "plot $cmp using 1:2:3:4:5 with xerrorbars pt 7 ps 1.1 lw 1.5 "
                       "lc rgb variable notitle");

    for (k = 0; error == 0 && k < BTK_ARRAY_SIZE(verdict_styles); k++) {
        for (i = 0; i < count; i++)
            if (charted(&items[i]) && items[i].kind == verdict_styles[k].kind)
                break;
        if (i < count)
            error = btk_gnuplot_printf(c, ", NaN with points pt 7 lc rgb '%s' title '%s'",
                                       verdict_styles[k].color, verdict_styles[k].label);
    }
    return error ? error : put(c, "\n");
}

/* x range in %: all whiskers and 1.5 noise bands, padded by 8%. */
static void compare_xrange(double *lo, double *hi, const btk_verdict *items, size_t count,
                           double band)
{
    size_t i;

    *lo = -150 * band, *hi = 150 * band;
    for (i = 0; i < count; i++) {
        double v[3] = {items[i].ratio, items[i].ci_low, items[i].ci_high};
        size_t k;

        for (k = 0; k < 3 && charted(&items[i]); k++)
            if (!isnan(plottable((v[k] - 1) * 100))) {
                *lo = fmin(*lo, (v[k] - 1) * 100);
                *hi = fmax(*hi, (v[k] - 1) * 100);
            }
    }
    *lo -= (*hi - *lo) * 0.08;
    *hi += (*hi - *lo) * 0.08;
}

int btk_chart_compare(btk_chart *c, const btk_chart_out *out, const char *title,
                      const btk_verdict *items, size_t count)
{
    double band = 0.02, xlo, xhi;
    size_t i, shown = 0;
    int error;

    for (i = 0; i < count; i++)
        shown += charted(&items[i]);
    for (i = 0; i < count; i++)
        if (!isnan(plottable(items[i].noise_band * 150)) && items[i].noise_band > 0) {
            band = items[i].noise_band;
            break;
        }
    compare_xrange(&xlo, &xhi, items, count, band);
    if ((error = chart_begin(c, out)) < 0)
        return error;
    error = put_set_text(c, "title", title, 120);
    if (error == 0 && shown == 0)
        return chart_end(c, put_empty_plot(c, "no benchmark present on both sides"));
    if (error == 0)
        error = btk_gnuplot_printf(
            c,
            "set xlabel 'change of the median (%%), whiskers: 95%% CI; shaded: noise "
            "band "
            "±%.3g%%'\nset grid xtics lc rgb '#dddddd'\nset key outside top center "
            "horizontal\nset xrange [%.9g:%.9g]\n"
            "set object 1 rect from first %.9g, graph 0 to first %.9g, graph 1 behind "
            "fc rgb '#e6e6e6' fs solid 1.0 noborder\n"
            "set arrow 1 from first 0, graph 0 to first 0, graph 1 nohead "
            "lc rgb '#555555'\n",
            band * 100, xlo, xhi, -band * 100, band * 100);
    if (error == 0)
        error = put_compare_ytics(c, items, count, shown);
    if (error == 0)
        error = put_compare_data(c, items, count, shown);
    if (error == 0)
        error = put_compare_plot(c, items, count);
    return chart_end(c, error);
}

/* ---- distribution ---- */

#define DIST_MAX_POINTS 4000 /* jittered points drawn per side; the box uses all */

/* $dist: one block per side (two blank lines between): jittered x, value. */
static int put_dist_data(btk_chart *c, const btk_dist_side *sides, size_t side_count,
                         double scale)
{
    uint64_t rng =
        0x2545f4914f6cdd1du; /* fixed seed: the same data draws the same chart */
    size_t s, i, stride;
    int error = btk_gnuplot_block_begin(c, "dist");

    for (s = 0; error == 0 && s < side_count; s++) {
        stride = sides[s].count / DIST_MAX_POINTS + 1;
        for (i = 0; error == 0 && i < sides[s].count; i += stride) {
            double u;

            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            u = (double)(rng >> 11) / 9007199254740992.0;
            if ((error =
                     btk_gnuplot_printf(c, "%.4f", (double)s + 1 + (u - 0.5) * 0.5)) ||
                (error = btk_gnuplot_num(c, plottable(sides[s].ns[i]) / scale)) < 0)
                break;
            error = put(c, "\n");
        }
        if (error == 0 && sides[s].count == 0)
            error = btk_gnuplot_printf(c, "%zu NaN\n", s + 1);
        if (error == 0)
            error = put(c, "\n\n");
    }
    return error ? error : btk_gnuplot_block_end(c);
}

static int put_dist_xtics(btk_chart *c, const btk_dist_side *sides, size_t side_count)
{
    size_t s;
    int error = put(c, "set xtics (");

    for (s = 0; error == 0 && s < side_count; s++) {
        if ((error = put(c, s ? ", " : "")) < 0 ||
            (error = btk_gnuplot_text(c, sides[s].label, 40)) < 0)
            break;
        error = btk_gnuplot_printf(c, " %zu", s + 1);
    }
    if (error == 0)
        error = btk_gnuplot_printf(c, ")\nset xrange [0.4:%zu.6]\n", side_count);
    return error;
}

static int put_dist_plot(btk_chart *c, const btk_dist_side *sides, size_t side_count)
{
    static const char *colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"};
    size_t s, plotted = 0;
    int error = put(c, "set style boxplot nooutliers\nset style data boxplot\n"
                       "set grid ytics lc rgb '#dddddd'\nunset key\nplot ");

    for (s = 0; error == 0 && s < side_count; s++) {
        const char *col = colors[s % BTK_ARRAY_SIZE(colors)];

        if (sides[s].count == 0)
            continue;
        error = btk_gnuplot_printf(
            c,
            "%s$dist index %zu using 1:2 with points pt 7 ps 0.3 lc rgb '%s', "
            "$dist index %zu using (%zu):2:(0.6) with boxplot fs transparent solid 0.15 "
            "lc rgb '#333333' lw 1.5",
            plotted++ ? ", " : "", s, col, s, s + 1);
    }
    return error ? error : put(c, "\n");
}

int btk_chart_dist(btk_chart *c, const btk_chart_out *out, const char *title,
                   const btk_dist_side *sides, size_t side_count)
{
    double top = NAN, scale;
    const char *unit;
    size_t s, total = 0;
    int error;

    for (s = 0; s < side_count; s++) {
        top = max_finite(top, sides[s].ns, sides[s].count);
        total += sides[s].count;
    }
    unit = btk_chart_unit(top, &scale);
    if ((error = chart_begin(c, out)) < 0)
        return error;
    error = put_set_text(c, "title", title, 120);
    if (error == 0 && (total == 0 || !isfinite(top)))
        return chart_end(c, put_empty_plot(c, "no samples stored"));
    if (error == 0)
        error = btk_gnuplot_printf(c,
                                   "set ylabel 'time per iteration (%s), one point "
                                   "per sample'\n",
                                   unit);
    if (error == 0)
        error = put_dist_xtics(c, sides, side_count);
    if (error == 0)
        error = put_dist_data(c, sides, side_count, scale);
    if (error == 0)
        error = put_dist_plot(c, sides, side_count);
    return chart_end(c, error);
}

/* ---- time against size ---- */

#define SIZE_FIT_POINTS 48 /* samples of the fitted power law, evenly spaced in log n */

/* $size: size, median; $fit: the power law a * n^k over the sizes (when fitted). */
static int put_size_data(btk_chart *c, const double *n, const double *ns, size_t count,
                         const btk_cx_fit *fit, double scale)
{
    size_t i;
    int error = btk_gnuplot_block_begin(c, "size");

    for (i = 0; error == 0 && i < count; i++) {
        if (!(plottable(n[i]) > 0) || !(plottable(ns[i]) > 0))
            continue; /* a logarithmic axis has no place for it */
        if ((error = btk_gnuplot_num(c, n[i])) < 0 || (error = put(c, " ")) < 0 ||
            (error = btk_gnuplot_num(c, ns[i] / scale)) < 0)
            break;
        error = put(c, "\n");
    }
    if (error == 0)
        error = btk_gnuplot_block_end(c);
    if (error < 0 || fit == NULL || !fit->has_power)
        return error;
    error = btk_gnuplot_block_begin(c, "fit");
    for (i = 0; error == 0 && i < SIZE_FIT_POINTS; i++) {
        double x =
            fit->n_min * pow(fit->n_max / fit->n_min, (double)i / (SIZE_FIT_POINTS - 1));

        if ((error = btk_gnuplot_num(c, plottable(x))) < 0 || (error = put(c, " ")) < 0 ||
            (error = btk_gnuplot_num(
                 c, plottable(fit->power_a * pow(x, fit->power_k) / scale))) < 0)
            break;
        error = put(c, "\n");
    }
    return error ? error : btk_gnuplot_block_end(c);
}

int btk_chart_size(btk_chart *c, const btk_chart_out *out, const btk_size_chart *in)
{
    double top = max_finite(NAN, in->ns, in->count), scale;
    const char *unit = btk_chart_unit(top, &scale);
    bool fitted =
        in->fit != NULL && in->fit->has_power && in->fit->n_max > in->fit->n_min;
    char label[160];
    size_t i, usable = 0;
    int error;

    for (i = 0; i < in->count; i++)
        usable += plottable(in->n[i]) > 0 && plottable(in->ns[i]) > 0;
    if ((error = chart_begin(c, out)) < 0)
        return error;
    error = put_set_text(c, "title", in->title, 120);
    if (error == 0 && usable == 0)
        return chart_end(c, put_empty_plot(c, "no positive times to draw"));
    snprintf(label, sizeof(label), "size%s%s (log scale)", in->axis && in->axis[0] ? " " : "",
             in->axis ? in->axis : "");
    if (error == 0)
        error = put_set_text(c, "xlabel", label, 80);
    if (error == 0)
        error =
            btk_gnuplot_printf(c,
                               "set ylabel 'median time per iteration (%s, log scale)'\n"
                               "set logscale xy\nset grid xtics ytics lc rgb '#dddddd'\n"
                               "set key top left\n",
                               unit);
    if (error == 0)
        error =
            put_size_data(c, in->n, in->ns, in->count, fitted ? in->fit : NULL, scale);
    if (error == 0)
        error =
            put(c, "plot $size using 1:2 with linespoints pt 7 ps 0.8 lc rgb '#1f77b4' "
                   "title 'median'");
    if (error == 0 && fitted) {
        snprintf(label, sizeof(label), "n^k, k = %.3f [%.3f, %.3f]", in->fit->power_k,
                 in->fit->power_lo, in->fit->power_hi);
        if ((error =
                 put(c, ", $fit using 1:2 with lines dt 2 lc rgb '#d62728' title ")) == 0)
            error = btk_gnuplot_text(c, label, 80);
    }
    if (error == 0)
        error = put(c, "\n");
    return chart_end(c, error);
}

/* ---- change points ---- */

/* Gather the points with values into a series for the detector: *vals_out, *cnt_out and
 * *pos_out (series position -> point index); *n_out commits. */
static int gather_series(double **vals_out, size_t **cnt_out, size_t **pos_out,
                         size_t *n_out, const btk_trend_point *points, size_t count,
                         const double *values, const size_t *counts)
{
    size_t i, j, total = 0, off = 0, n = 0, v = 0;

    for (i = 0; i < count; i++)
        total += values ? counts[i] : isfinite(points[i].median);
    *vals_out = btk__malloc((total + 1) * sizeof(**vals_out));
    *cnt_out = btk__malloc((count + 1) * sizeof(**cnt_out));
    *pos_out = btk__malloc((count + 1) * sizeof(**pos_out));
    if (*vals_out == NULL || *cnt_out == NULL || *pos_out == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < count; i++) {
        size_t k = values ? counts[i] : isfinite(points[i].median);

        for (j = 0; j < k; j++)
            (*vals_out)[v++] = values ? values[off + j] : points[i].median;
        off += values ? counts[i] : 0;
        if (k == 0)
            continue;
        (*cnt_out)[n] = k;
        (*pos_out)[n++] = i;
    }
    *n_out = n;
    return 0;
}

/* Set step and level of the points from the detected change points (series positions
 * pos), and rewrite each point's index to its position in points. */
static void apply_changes(btk_trend_point *points, size_t count, btk_changepoint *cp,
                          size_t cp_count, const size_t *pos, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < count; i++)
        points[i].step = 0, points[i].level = NAN;
    for (i = 0; i < n; i++) {
        while (k < cp_count && cp[k].index <= i)
            k++;
        /* segment k: before cp[k] (or after the last one) */
        points[pos[i]].level = k < cp_count ? cp[k].before
                               : cp_count  ? cp[cp_count - 1].after
                                           : NAN;
    }
    for (k = 0; k < cp_count; k++) {
        points[pos[cp[k].index]].step = cp[k].magnitude > 0 ? 1 : -1;
        cp[k].index = pos[cp[k].index];
        cp[k].first = pos[cp[k].first];
        cp[k].last = pos[cp[k].last];
    }
}

/* The level of a series without change points: the mean of its commit means. */
static void flat_level(btk_trend_point *points, const size_t *pos, size_t n,
                       const double *vals, const size_t *cnt)
{
    double sum = 0;
    size_t i, j, v = 0;

    for (i = 0; i < n; i++) {
        double m = 0;

        for (j = 0; j < cnt[i]; j++)
            m += vals[v++];
        sum += m / (double)cnt[i];
    }
    for (i = 0; i < n; i++)
        points[pos[i]].level = sum / (double)n;
}

int btk_chart_changes(btk_changepoint **changes_out, size_t *change_count,
                      btk_trend_point *points, size_t count, const double *values,
                      const size_t *counts)
{
    double *vals = NULL;
    size_t *cnt = NULL, *pos = NULL, n = 0, cp_count = 0;
    btk_changepoint *cp = NULL;
    int error;

    if (changes_out)
        *changes_out = NULL, *change_count = 0;
    error = gather_series(&vals, &cnt, &pos, &n, points, count, values, counts);
    if (error == 0 && n > 0)
        error = btk_changepoint_detect(&cp, &cp_count, vals, cnt, n, NULL);
    if (error == 0) {
        apply_changes(points, count, cp, cp_count, pos, n);
        if (cp_count == 0)
            flat_level(points, pos, n, vals, cnt);
    }
    if (error == 0 && changes_out) {
        *changes_out = cp, *change_count = cp_count;
        cp = NULL;
    }
    btk__free(cp);
    btk__free(vals);
    btk__free(cnt);
    btk__free(pos);
    return error;
}
