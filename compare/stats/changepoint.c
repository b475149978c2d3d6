/*
 * Change-point detection over one benchmark's per-commit series (first-parent order), in
 * the manner of E-divisive with Student's t significance and a split/merge pass (Hunter:
 * Fleming et al., ICPE 2023; E-divisive in CI: Daly et al., ICPE 2020). Deterministic, no
 * permutations. The method, the defaults and the reasons are in docs/statistics.md,
 * "Change points".
 */
#include "changepoint.h"

#include <math.h>

/* ---- Student's t distribution, from the formulas ---- */

/* Stirling's series for ln Gamma(x) - ((x - 1/2) ln x - x + ln sqrt(2 pi)), x >= 10
 * (Abramowitz & Stegun 6.1.40, seven terms; the next is below 1e-17 there). */
static double stirling_tail(double x)
{
    double r = 1.0 / x, r2 = r * r;

    return r * (1.0 / 12 -
                r2 * (1.0 / 360 -
                      r2 * (1.0 / 1260 -
                            r2 * (1.0 / 1680 - r2 * (1.0 / 1188 - r2 * (691.0 / 360360 -
                                                                        r2 / 156))))));
}

/* ln Gamma(x) for x > 0: Stirling's series at x + k >= 10, brought back by
 * Gamma(x + 1) = x Gamma(x). Absolute error about 1e-15 at moderate x; no global state
 * (unlike lgamma's signgam), so safe in threads. */
static double log_gamma(double x)
{
    double prod = 1.0;

    while (x < 10.0) {
        prod *= x;
        x += 1.0;
    }
    return (x - 0.5) * log(x) - x + 0.91893853320467274178 /* ln sqrt(2 pi) */ +
           stirling_tail(x) - log(prod);
}

/* ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b). With x = max(a, b) >= 10 the
 * difference ln Gamma(x) - ln Gamma(x + y) is taken inside Stirling's formula, as
 * -y ln x - (x + y - 1/2) log1p(y / x) + y + tails, so that large degrees of freedom do
 * not cancel two huge logarithms. */
static double log_beta(double a, double b)
{
    double x = a > b ? a : b, y = a > b ? b : a;

    if (x < 10.0)
        return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
    return log_gamma(y) - y * log(x) - (x + y - 0.5) * log1p(y / x) + y +
           stirling_tail(x) - stirling_tail(x + y);
}

#define CF_EPS 1e-16
#define CF_TINY 1e-300
#define CF_MAX_ITER 20000

static double lentz_guard(double v)
{
    return fabs(v) < CF_TINY ? CF_TINY : v;
}

/* The continued fraction of I_x(a, b) (its even and odd coefficients
 * d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m)) and
 * d_2m+1 = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))), by the modified Lentz method.
 */
static double betainc_cf(double a, double b, double x)
{
    double c = 1.0, d = 1.0 / lentz_guard(1.0 - (a + b) * x / (a + 1.0));
    double h = d;

    for (int m = 1; m <= CF_MAX_ITER; m++) {
        double m2 = 2.0 * m;
        double even = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));

        d = 1.0 / lentz_guard(1.0 + even * d);
        c = lentz_guard(1.0 + even / c);
        h *= d * c;
        d = 1.0 / lentz_guard(1.0 + odd * d);
        c = lentz_guard(1.0 + odd / c);
        h *= d * c;
        if (fabs(d * c - 1.0) < CF_EPS)
            break;
    }
    return h;
}

/* I_x(a, b) given both x and y = 1 - x, so callers that know y more precisely than 1 - x
 * (the t distribution near t = 0) lose nothing. */
static double betainc_xy(double a, double b, double x, double y)
{
    if (x <= 0.0)
        return 0.0;
    if (y <= 0.0)
        return 1.0;
    /* near 1 the logarithm comes from the other, small, value: log x = log1p(-y) */
    double log_x = x > 0.5 ? log1p(-y) : log(x), log_y = y > 0.5 ? log1p(-x) : log(y);
    double log_front = a * log_x + b * log_y - log_beta(a, b);
    if (x < (a + 1.0) / (a + b + 2.0))
        return exp(log_front) * betainc_cf(a, b, x) / a;
    return 1.0 - exp(log_front) * betainc_cf(b, a, y) / b;
}

double btk_changepoint_betainc(double a, double b, double x)
{
    if (!(a > 0.0) || !(b > 0.0) || !(x >= 0.0 && x <= 1.0))
        return NAN;
    return betainc_xy(a, b, x, 1.0 - x);
}

/* Two-sided P(|T| >= |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2). */
static double t_two_sided(double t, double df)
{
    double t2 = t * t;

    if (isinf(t2))
        return 0.0;
    return betainc_xy(0.5 * df, 0.5, df / (df + t2), t2 / (df + t2));
}

double btk_changepoint_t_sf(double t, double df)
{
    if (isnan(t) || !(df > 0.0))
        return NAN;
    double tail = 0.5 * t_two_sided(t, df);
    return t >= 0.0 ? tail : 1.0 - tail;
}

double btk_changepoint_t_isf(double q, double df)
{
    if (!(q > 0.0 && q < 1.0) || !(df > 0.0))
        return NAN;
    if (q > 0.5)
        return -btk_changepoint_t_isf(1.0 - q, df);
    double lo = 0.0, hi = 1.0;

    while (btk_changepoint_t_sf(hi, df) > q && hi < 1e300)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
        double mid = 0.5 * (lo + hi);

        if (btk_changepoint_t_sf(mid, df) > q)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* ---- the detector ---- */

typedef struct window_rec {
    size_t start, end; /* commits [start, end) */
    size_t next;       /* where the following window starts */
    size_t weak_end;   /* weak points found up to and including this window */
} window_rec;

/* A window's interval [a, b) and its best E-divisive candidate. */
typedef struct interval {
    size_t a, b;
    size_t tau; /* 0 when the interval cannot be split */
    double q;
} interval;

struct btk_changepoint_detector {
    btk_changepoint_options opts;
    size_t n, commit_cap;
    double *mean;  /* per commit: mean of its values */
    double *ss;    /* per commit: sum of squared deviations from that mean */
    size_t *count; /* per commit: number of values */
    window_rec *windows;
    size_t window_count, window_cap;
    size_t *weak; /* split-pass points, increasing, each >= min_segment from the next */
    size_t weak_count, weak_cap;
    btk_changepoint *points; /* the merge pass's result */
    size_t point_count, point_cap;
    double *table;       /* (window + 1)^2 pair-distance sums of one window */
    interval *intervals; /* window / min_segment + 1 intervals of one window */
    size_t *found;       /* points found in one window */
    double *scratch;     /* one commit's values, for its median and MAD */
    size_t scratch_cap;
};

/* A segment's level and the estimated variance of that level (docs/statistics.md). */
typedef struct segment {
    size_t m;    /* commits */
    double mean; /* mean of commit means */
    double ssb;  /* sum of squared deviations of the commit means from mean */
    double var;  /* variance of mean; NAN when it cannot be estimated */
    double df;
} segment;

/* Level of commits [a, b), b > a, and the variance of that level under the one-way
 * random-effects model: the between-commit estimate s^2 / m, but never below what the
 * commits' own within-commit noise implies, sigma_w^2 * sum(1 / k_i) / m^2. */
static segment segment_stats(const btk_changepoint_detector *det, size_t a, size_t b)
{
    segment s = {b - a, 0.0, 0.0, NAN, 0.0};
    double sum = 0.0, ssw = 0.0, inv_k = 0.0, dfw = 0.0;

    for (size_t i = a; i < b; i++)
        sum += det->mean[i];
    s.mean = sum / (double)s.m;
    for (size_t i = a; i < b; i++) {
        double dev = det->mean[i] - s.mean;

        s.ssb += dev * dev;
        ssw += det->ss[i];
        dfw += (double)(det->count[i] - 1);
        inv_k += 1.0 / (double)det->count[i];
    }
    double m = (double)s.m;
    double own = dfw > 0.0 ? ssw / dfw * inv_k / (m * m) : 0.0;
    double between = s.m > 1 ? s.ssb / (m - 1.0) / m : NAN;

    if (s.m > 1 && between >= own) {
        s.var = between;
        s.df = m - 1.0;
    } else if (dfw > 0.0) {
        s.var = own;
        s.df = dfw;
    }
    return s;
}

typedef struct ttest {
    double t, df, p;
} ttest;

/* Welch's form of Student's t test of the difference r.mean - l.mean, each side's
 * variance at least the run-to-run variance pooled over both sides (Student's pooled
 * estimate, sum of both ssb over m_l + m_r - 2) over its own m: a segment whose few
 * commits happen to agree is not taken as surer than the run noise next to it shows
 * (docs/statistics.md, "The unit and the statistic"). */
static ttest welch(segment l, segment r)
{
    ttest out = {0.0, 0.0, 1.0};
    double diff = r.mean - l.mean, v;
    size_t pooled_df = l.m + r.m > 2 ? l.m + r.m - 2 : 0;
    int pooled_sides = 0;

    if (pooled_df > 0) {
        double pooled = (l.ssb + r.ssb) / (double)pooled_df;
        segment *side[2] = {&l, &r};

        for (int i = 0; i < 2; i++)
            if (isnan(side[i]->var) ? pooled > 0.0
                                    : pooled / (double)side[i]->m > side[i]->var) {
                side[i]->var = pooled / (double)side[i]->m;
                side[i]->df = (double)pooled_df;
                pooled_sides++;
            }
    }
    v = l.var + r.var;
    if (isnan(v))
        return out;
    if (v == 0.0) {
        out.df = l.df + r.df;
        if (diff != 0.0) {
            out.t = copysign(INFINITY, diff);
            out.p = 0.0;
        }
        return out;
    }
    out.t = diff / sqrt(v);
    /* Both from the one pooled estimate: Student's df, not the Satterthwaite sum of two. */
    out.df = pooled_sides == 2 ? (double)pooled_df
                               : v * v / (l.var * l.var / l.df + r.var * r.var / r.df);
    out.p = t_two_sided(out.t, out.df);
    return out;
}

static ttest split_test(const btk_changepoint_detector *det, size_t a, size_t tau,
                        size_t b)
{
    return welch(segment_stats(det, a, tau), segment_stats(det, tau, b));
}

/* The first pass tests at a relaxed level, as Otava does: ten times max_p below 0.05. */
static double first_pass_p(double max_p)
{
    return max_p < 0.05 ? max_p * 10.0 : max_p < 0.5 ? max_p * 2.0 : max_p;
}

/* ---- split pass: E-divisive in one window ---- */

/* table[a * stride + b] = sum over a <= i < j < b of |z_i - z_j|, for 0 <= a <= b <= len,
 * built column by column: W(a, j + 1) = W(a, j) + sum over a <= i < j of |z_i - z_j|. */
static void fill_pair_sums(double *table, const double *z, size_t len)
{
    size_t stride = len + 1;

    for (size_t j = 0; j < len; j++) {
        double r = 0.0;

        table[j * stride + j] = 0.0;
        table[j * stride + j + 1] = 0.0;
        for (size_t a = j; a-- > 0;) {
            r += fabs(z[a] - z[j]);
            table[a * stride + j + 1] = table[a * stride + j] + r;
        }
    }
    table[len * stride + len] = 0.0;
}

/* Best split tau of [iv->a, iv->b) (window-local): the tau maximizing, over tau and
 * kappa, the energy statistic Q(X, Y) of X = z[a, tau) and Y = z[tau, kappa) (Matteson &
 * James 2014, alpha = 1), with both parts at least min_seg long. tau 0: no split fits. */
static void best_candidate(interval *iv, const double *table, size_t stride,
                           size_t min_seg)
{
    size_t a = iv->a, b = iv->b;

    iv->tau = 0;
    iv->q = -INFINITY;
    if (b - a < 2 * min_seg)
        return;
    for (size_t tau = a + min_seg; tau + min_seg <= b; tau++) {
        double w_x = table[a * stride + tau], n = (double)(tau - a);
        double cx = n > 1.0 ? w_x / (n - 1.0) : 0.0;

        for (size_t kappa = tau + min_seg; kappa <= b; kappa++) {
            double m = (double)(kappa - tau), w_y = table[tau * stride + kappa];
            double cross = table[a * stride + kappa] - w_x - w_y;
            double cy = m > 1.0 ? w_y / (m - 1.0) : 0.0;
            double q = 2.0 * (cross - m * cx - n * cy) / (n + m);

            if (q > iv->q) {
                iv->q = q;
                iv->tau = tau;
            }
        }
    }
}

static int cmp_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;

    return (a > b) - (a < b);
}

/* Hierarchical E-divisive on commits [start, end): split the interval with the largest
 * candidate statistic while its t test passes the first-pass level. Writes the points
 * (sorted, global indices) to det->found and returns their number. */
static size_t split_window(btk_changepoint_detector *det, size_t start, size_t end)
{
    size_t len = end - start, stride = len + 1, min_seg = det->opts.min_segment;
    size_t count = 0, nint = 1;
    double level = first_pass_p(det->opts.max_p);
    interval *iv = det->intervals;

    fill_pair_sums(det->table, det->mean + start, len);
    iv[0] = (interval){0, len, 0, 0.0};
    best_candidate(&iv[0], det->table, stride, min_seg);
    for (;;) {
        size_t best = nint;

        for (size_t i = 0; i < nint; i++)
            if (iv[i].tau && (best == nint || iv[i].q > iv[best].q))
                best = i;
        if (best == nint)
            break;
        size_t a = iv[best].a, tau = iv[best].tau, b = iv[best].b;

        if (!(split_test(det, start + a, start + tau, start + b).p <= level))
            break;
        det->found[count++] = start + tau;
        iv[best].b = tau;
        iv[nint] = (interval){tau, b, 0, 0.0};
        best_candidate(&iv[best], det->table, stride, min_seg);
        best_candidate(&iv[nint], det->table, stride, min_seg);
        nint++;
    }
    qsort(det->found, count, sizeof(*det->found), cmp_size);
    return count;
}

/* Resume the split pass: drop the last window when the old end clipped it, then run
 * windows of opts.window commits, each starting at the later of (previous start + half a
 * window) and the previous window's last point, until one reaches the end. Windows that
 * ended before the old end saw the same data as a full run would, so their points stand.
 * Capacity was reserved by the caller: nothing here can fail. */
static void split_pass(btk_changepoint_detector *det)
{
    size_t w = det->opts.window, step = w / 2, min_seg = det->opts.min_segment;

    if (det->window_count > 0) {
        window_rec *last = &det->windows[det->window_count - 1];

        if (last->end - last->start < w) {
            det->window_count--;
            det->weak_count =
                det->window_count ? det->windows[det->window_count - 1].weak_end : 0;
        }
    }
    size_t start = det->window_count ? det->windows[det->window_count - 1].next : 0;

    while (start < det->n && det->n - start >= 2 * min_seg) {
        size_t end = start + w < det->n ? start + w : det->n;
        size_t count = split_window(det, start, end);
        size_t next = start + step;

        if (count > 0 && det->found[count - 1] > next)
            next = det->found[count - 1];
        memcpy(det->weak + det->weak_count, det->found, count * sizeof(*det->found));
        det->weak_count += count;
        det->windows[det->window_count++] =
            (window_rec){start, end, next, det->weak_count};
        if (end == det->n)
            break;
        start = next;
    }
}

/* ---- merge pass ---- */

/* Fill points[i]'s statistics from its neighbours (or the series' ends). */
static void point_stats(btk_changepoint_detector *det, size_t i)
{
    btk_changepoint *pt = &det->points[i];
    size_t prev = i > 0 ? det->points[i - 1].index : 0;
    size_t next = i + 1 < det->point_count ? det->points[i + 1].index : det->n;
    segment l = segment_stats(det, prev, pt->index),
            r = segment_stats(det, pt->index, next);
    ttest tt = welch(l, r);

    pt->before = l.mean;
    pt->after = r.mean;
    if (l.mean != 0.0)
        pt->magnitude = r.mean / l.mean - 1.0;
    else
        pt->magnitude = r.mean == 0.0 ? 0.0 : copysign(INFINITY, r.mean);
    pt->p = tt.p;
    pt->t = tt.t;
    pt->df = tt.df;
    pt->count_before = l.m;
    pt->count_after = r.m;
}

/* The likelihood set of a point's position (docs/statistics.md, "Where a point lies"):
 * between its neighbouring points (or the series' ends) [a, b), every split tau whose
 * residual sum of squares of the commit means about the two sides' means exceeds the
 * smallest by at most LOCATE_LR times the residual variance at that smallest; first and
 * last are the hull of that set and of the point's index. */
#define LOCATE_LR 7.35 /* 2 x 3.68: P(max of two-sided drifted Brownian motion > 3.68) = 5 % */

/* SSE of a split of centred values whose total sum of squares is total, nl on the left
 * summing to left (so the right's nr sum to -left). */
static double split_sse(double total, double left, size_t nl, size_t nr)
{
    return total - left * left / (double)nl - left * left / (double)nr;
}

static void locate_point(btk_changepoint_detector *det, size_t i)
{
    btk_changepoint *pt = &det->points[i];
    size_t a = i > 0 ? det->points[i - 1].index : 0;
    size_t b = i + 1 < det->point_count ? det->points[i + 1].index : det->n;
    double sum = 0.0, total = 0.0, best = INFINITY, left;

    pt->first = pt->last = pt->index;
    if (b - a < 3)
        return;
    for (size_t c = a; c < b; c++)
        sum += det->mean[c];
    double mean = sum / (double)(b - a);
    for (size_t c = a; c < b; c++)
        total += (det->mean[c] - mean) * (det->mean[c] - mean);
    left = 0.0;
    for (size_t t = a + 1; t < b; t++) {
        left += det->mean[t - 1] - mean;
        best = fmin(best, split_sse(total, left, t - a, b - t));
    }
    double bound = best + LOCATE_LR * fmax(best, 0.0) / (double)(b - a - 2);
    left = 0.0;
    for (size_t t = a + 1; t < b; t++) {
        left += det->mean[t - 1] - mean;
        if (split_sse(total, left, t - a, b - t) <= bound) {
            pt->first = t < pt->first ? t : pt->first;
            pt->last = t > pt->last ? t : pt->last;
        }
    }
}

/* The point to drop next, or point_count when all pass: the largest p when it is not
 * below max_p, else the smallest |magnitude| when it is below min_magnitude (first on
 * ties). */
static size_t weakest(const btk_changepoint_detector *det)
{
    size_t cnt = det->point_count, w = 0;

    for (size_t i = 1; i < cnt; i++)
        if (det->points[i].p > det->points[w].p)
            w = i;
    if (det->points[w].p >= det->opts.max_p)
        return w;
    w = 0;
    for (size_t i = 1; i < cnt; i++)
        if (fabs(det->points[i].magnitude) < fabs(det->points[w].magnitude))
            w = i;
    return fabs(det->points[w].magnitude) < det->opts.min_magnitude ? w : cnt;
}

/* Drop the weakest point at a time, re-testing its two neighbours, until every point
 * passes (Fleming et al. 2023, "merge"). */
static void drop_weak_points(btk_changepoint_detector *det)
{
    while (det->point_count > 0) {
        size_t w = weakest(det);

        if (w == det->point_count)
            break;
        memmove(det->points + w, det->points + w + 1,
                (det->point_count - w - 1) * sizeof(*det->points));
        det->point_count--;
        if (w > 0)
            point_stats(det, w - 1);
        if (w < det->point_count)
            point_stats(det, w);
    }
}

/* Move each point, left to right, to the split of the commits between its neighbours
 * that explains most of their variance (least squares: the largest
 * n1 n2 / (n1 + n2) (mean1 - mean2)^2), within `reach` commits of where it was and
 * min_segment from its neighbours. Returns whether any point moved. */
static bool refine_points(btk_changepoint_detector *det, size_t reach)
{
    size_t min_seg = det->opts.min_segment;
    bool moved = false;

    for (size_t i = 0; i < det->point_count; i++) {
        size_t idx = det->points[i].index;
        size_t prev = i > 0 ? det->points[i - 1].index : 0;
        size_t next = i + 1 < det->point_count ? det->points[i + 1].index : det->n;
        size_t lo = idx > prev + min_seg + reach ? idx - reach : prev + min_seg;
        size_t hi = idx + reach + min_seg < next ? idx + reach : next - min_seg;
        double total = 0.0, left = 0.0, best_gain = -1.0;
        size_t best = idx;

        for (size_t c = prev; c < next; c++)
            total += det->mean[c];
        for (size_t c = prev; c < lo; c++)
            left += det->mean[c];
        for (size_t tau = lo; tau <= hi; tau++) {
            double n1 = (double)(tau - prev), n2 = (double)(next - tau);
            double d = left / n1 - (total - left) / n2;
            double gain = n1 * n2 / (n1 + n2) * d * d;

            if (gain > best_gain || (gain == best_gain && tau == idx)) {
                best_gain = gain;
                best = tau;
            }
            left += det->mean[tau];
        }
        if (best != idx) {
            det->points[i].index = best;
            moved = true;
        }
    }
    return moved;
}

#define REFINE_ROUNDS 4

/* The merge pass: start from every weak point, drop the weak ones, then refine the
 * survivors' positions, re-test them all and drop again what no longer passes, for at
 * most REFINE_ROUNDS rounds (one or two suffice in practice). */
static void merge_pass(btk_changepoint_detector *det)
{
    det->point_count = det->weak_count;
    for (size_t i = 0; i < det->weak_count; i++)
        det->points[i].index = det->weak[i];
    for (size_t i = 0; i < det->point_count; i++)
        point_stats(det, i);
    drop_weak_points(det);
    for (int round = 0; round < REFINE_ROUNDS && refine_points(det, det->opts.window / 2);
         round++) {
        for (size_t i = 0; i < det->point_count; i++)
            point_stats(det, i);
        drop_weak_points(det);
    }
    for (size_t i = 0; i < det->point_count; i++)
        locate_point(det, i);
}

/* ---- lifetime and appending ---- */

static int check_options(const btk_changepoint_options *o)
{
    if (o->version != BTK_CHANGEPOINT_OPTIONS_VERSION)
        return btk_error_set(BTK_EINVAL, "change point options: unknown version %u",
                             o->version);
    if (o->min_segment < 1 || o->window < 2 * o->min_segment || o->window > 1000)
        return btk_error_set(
            BTK_EINVAL,
            "change point options: window %zu must be at least twice the "
            "minimum segment %zu (>= 1) and at most 1000",
            o->window, o->min_segment);
    if (!(o->max_p > 0.0 && o->max_p < 1.0) || !(o->min_magnitude >= 0.0))
        return btk_error_set(BTK_EINVAL,
                             "change point options: p threshold %g must be in (0, 1) and "
                             "minimum magnitude %g at least 0",
                             o->max_p, o->min_magnitude);
    return 0;
}

int btk_changepoint_new(btk_changepoint_detector **out,
                        const btk_changepoint_options *opts)
{
    btk_changepoint_options defaults = BTK_CHANGEPOINT_OPTIONS_INIT;
    btk_changepoint_detector *det;
    int error;

    if (!out)
        return btk_error_set(BTK_EINVAL, "change point detector: no output pointer");
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if ((error = check_options(opts)) < 0)
        return error;
    if (!(det = btk__calloc(1, sizeof(*det))))
        return BTK_ENOMEM;
    det->opts = *opts;
    size_t w = opts->window;
    det->table = btk__malloc((w + 1) * (w + 1) * sizeof(*det->table));
    det->intervals = btk__malloc((w / opts->min_segment + 1) * sizeof(*det->intervals));
    det->found = btk__malloc((w / opts->min_segment + 1) * sizeof(*det->found));
    if (!det->table || !det->intervals || !det->found) {
        btk_changepoint_free(det);
        return BTK_ENOMEM;
    }
    *out = det;
    return 0;
}

void btk_changepoint_free(btk_changepoint_detector *det)
{
    if (!det)
        return;
    btk__free(det->mean);
    btk__free(det->ss);
    btk__free(det->count);
    btk__free(det->windows);
    btk__free(det->weak);
    btk__free(det->points);
    btk__free(det->table);
    btk__free(det->intervals);
    btk__free(det->found);
    btk__free(det->scratch);
    btk__free(det);
}

/* Grow *p (of elem-sized items, capacity *cap) to hold need items; the old block stays
 * valid on failure (BTK_ENOMEM). */
static int reserve(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;

    while (n < need)
        n *= 2;
    void *q = btk__realloc(*p, n * elem);
    if (!q)
        return BTK_ENOMEM;
    *p = q;
    *cap = n;
    return 0;
}

/* Reserve everything an append of the series to length n can use, so that the passes
 * cannot fail half-way: windows are at least half a window apart and weak points at
 * least min_segment apart. */
static int reserve_for(btk_changepoint_detector *det, size_t n)
{
    size_t cap = det->commit_cap, c2 = det->commit_cap, c3 = det->commit_cap;
    size_t max_points = n / det->opts.min_segment + 1;
    size_t max_windows = n / (det->opts.window / 2) + 2;

    if (reserve((void **)&det->mean, &cap, n, sizeof(double)) < 0 ||
        reserve((void **)&det->ss, &c2, n, sizeof(double)) < 0 ||
        reserve((void **)&det->count, &c3, n, sizeof(size_t)) < 0)
        return BTK_ENOMEM;
    det->commit_cap = cap;
    if (reserve((void **)&det->windows, &det->window_cap, max_windows,
                sizeof(window_rec)) < 0 ||
        reserve((void **)&det->weak, &det->weak_cap, max_points, sizeof(size_t)) < 0 ||
        reserve((void **)&det->points, &det->point_cap, max_points,
                sizeof(btk_changepoint)) < 0)
        return BTK_ENOMEM;
    return 0;
}

static int check_input(const double *values, const size_t *counts, size_t commits,
                       size_t *max_count_out)
{
    size_t total = 0, max_count = 0;

    for (size_t c = 0; c < commits; c++) {
        if (counts[c] == 0)
            return btk_error_set(BTK_EINVAL,
                                 "change point series: commit %zu has no values", c);
        for (size_t j = 0; j < counts[c]; j++)
            if (!isfinite(values[total + j]))
                return btk_error_set(
                    BTK_EINVAL,
                    "change point series: value %zu of commit %zu is not "
                    "finite",
                    j, c);
        total += counts[c];
        if (counts[c] > max_count)
            max_count = counts[c];
    }
    *max_count_out = max_count;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Median of v[0..k), k >= 1; sorts v (by insertion when short: a commit has a few values,
 * and qsort's calls through a pointer would cost more than the sorting). */
static double median_of(double *v, size_t k)
{
    if (k <= 32) {
        for (size_t i = 1; i < k; i++) {
            double x = v[i];
            size_t j = i;

            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
    } else {
        qsort(v, k, sizeof(*v), cmp_double);
    }
    return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

/* Bounds [*lo, *hi] of the values kept of one commit's k values (docs/statistics.md,
 * "Change points", "A disturbed process"). When every value is positive (times, cycles,
 * counts) the rule works on their logarithms: median -+ ASIDE_WIDTH robust scales, the
 * scale being the MAD of the logarithms (times 1.4826, the normal-consistent factor) but
 * at least ASIDE_FLOOR_LOG, so that no value within a factor ASIDE_FACTOR of the median
 * is ever set aside (a core shared with a busy SMT sibling, up to 2x, is noise the
 * detector must see, not a disturbance). Otherwise (a zero or negative value) the same on
 * the values themselves, the scale at least ASIDE_FLOOR_LINEAR of |median|. Fewer than
 * three values cannot say which one is disturbed: no bounds. scratch holds at least k
 * doubles. */
#define ASIDE_MIN_COUNT 3
#define ASIDE_WIDTH 4.0
#define ASIDE_FACTOR 2.0
#define ASIDE_FLOOR_LOG (0.69314718055994530942 / ASIDE_WIDTH) /* ln ASIDE_FACTOR / 4 */
#define ASIDE_FLOOR_LINEAR ((ASIDE_FACTOR - 1.0) / ASIDE_WIDTH) /* 2x above the median */

static void commit_bounds(const double *v, size_t k, double *scratch, double *lo,
                          double *hi)
{
    bool positive = true;

    if (k < ASIDE_MIN_COUNT) {
        *lo = -INFINITY;
        *hi = INFINITY;
        return;
    }
    for (size_t j = 0; j < k; j++) {
        positive = positive && v[j] > 0.0;
        scratch[j] = v[j];
    }
    if (positive)
        for (size_t j = 0; j < k; j++)
            scratch[j] = log(scratch[j]);
    double med = median_of(scratch, k); /* scratch is sorted now */
    for (size_t j = 0; j < k; j++)
        scratch[j] = fabs(scratch[j] - med);
    double scale = fmax(1.4826 * median_of(scratch, k),
                        positive ? ASIDE_FLOOR_LOG : ASIDE_FLOOR_LINEAR * fabs(med));

    *lo = med - ASIDE_WIDTH * scale;
    *hi = med + ASIDE_WIDTH * scale;
    if (positive)
        *lo = exp(*lo), *hi = exp(*hi);
}

int btk_changepoint_append(btk_changepoint_detector *det, const double *values,
                           const size_t *counts, size_t commits)
{
    size_t max_count = 0;
    int error;

    if (!det || (commits > 0 && (!values || !counts)))
        return btk_error_set(BTK_EINVAL, "change point append: NULL argument");
    if (commits == 0)
        return 0;
    if ((error = check_input(values, counts, commits, &max_count)) < 0 ||
        (error = reserve_for(det, det->n + commits)) < 0 ||
        (error = reserve((void **)&det->scratch, &det->scratch_cap, max_count,
                         sizeof(double))) < 0)
        return error;
    for (size_t c = 0; c < commits; c++) {
        size_t k = counts[c], i = det->n + c;
        double sum = 0.0, ss = 0.0, lo, hi;

        /* values outside their commit's robust bounds are set aside (the median never
         * is): one disturbed process moves neither the commit's mean nor its noise */
        size_t kept = 0;

        commit_bounds(values, k, det->scratch, &lo, &hi);
        for (size_t j = 0; j < k; j++)
            if (values[j] >= lo && values[j] <= hi) {
                sum += values[j];
                kept++;
            }
        double mean = sum / (double)kept;
        for (size_t j = 0; j < k; j++)
            if (values[j] >= lo && values[j] <= hi)
                ss += (values[j] - mean) * (values[j] - mean);
        det->mean[i] = mean;
        det->ss[i] = ss;
        det->count[i] = kept;
        values += k;
    }
    det->n += commits;
    split_pass(det);
    merge_pass(det);
    return 0;
}

size_t btk_changepoint_length(const btk_changepoint_detector *det)
{
    return det ? det->n : 0;
}

const btk_changepoint *btk_changepoint_points(const btk_changepoint_detector *det,
                                              size_t *count_out)
{
    *count_out = det ? det->point_count : 0;
    return det ? det->points : NULL;
}

double btk_changepoint_commit_mean(const btk_changepoint_detector *det, size_t i)
{
    return det && i < det->n ? det->mean[i] : NAN;
}

int btk_changepoint_detect(btk_changepoint **points_out, size_t *count_out,
                           const double *values, const size_t *counts, size_t commits,
                           const btk_changepoint_options *opts)
{
    btk_changepoint_detector *det = NULL;
    int error;

    if (!points_out || !count_out)
        return btk_error_set(BTK_EINVAL, "change point detect: NULL argument");
    *points_out = NULL;
    *count_out = 0;
    if ((error = btk_changepoint_new(&det, opts)) < 0 ||
        (error = btk_changepoint_append(det, values, counts, commits)) < 0)
        goto done;
    if (det->point_count > 0) {
        size_t bytes = det->point_count * sizeof(*det->points);

        if (!(*points_out = btk__malloc(bytes))) {
            error = BTK_ENOMEM;
            goto done;
        }
        memcpy(*points_out, det->points, bytes);
        *count_out = det->point_count;
    }
done:
    btk_changepoint_free(det);
    return error;
}

/* ---- drift ---- */

/* The ranges compared by btk_changepoint_drift (documented there). */
static void drift_ranges(btk_changepoint_cumulative *d,
                         const btk_changepoint_detector *det, size_t anchor, size_t span)
{
    size_t n = det->n, anchor_end = anchor + span < n ? anchor + span : n;
    size_t latest = n > span ? n - span : 0;

    for (size_t i = 0; i < det->point_count; i++) {
        size_t idx = det->points[i].index;

        if (idx > anchor && idx < anchor_end)
            anchor_end = idx;
        if (idx > latest)
            latest = idx;
        if (idx > anchor)
            d->change_points++;
    }
    d->anchor_begin = anchor;
    d->anchor_end = anchor_end;
    d->latest_begin = latest > anchor_end ? latest : anchor_end;
    d->latest_end = n;
}

int btk_changepoint_drift(btk_changepoint_cumulative *out,
                          const btk_changepoint_detector *det, size_t anchor, size_t span)
{
    if (!out || !det || anchor >= det->n)
        return btk_error_set(BTK_EINVAL,
                             "change point drift: anchor %zu is not in a series "
                             "of %zu commits",
                             anchor, det ? det->n : 0);
    memset(out, 0, sizeof(*out));
    drift_ranges(out, det, anchor, span ? span : BTK_CHANGEPOINT_DRIFT_SPAN);
    segment a = segment_stats(det, out->anchor_begin, out->anchor_end);
    out->anchor_level = a.mean;
    out->ci_low = out->ci_high = NAN;
    if (out->latest_begin >= out->latest_end) {
        out->latest_level = a.mean;
        out->ratio = 1.0;
        out->p = 1.0;
        return 0;
    }
    segment l = segment_stats(det, out->latest_begin, out->latest_end);
    ttest tt = welch(a, l);

    out->latest_level = l.mean;
    out->ratio = l.mean / a.mean;
    out->p = tt.p;
    out->t = tt.t;
    out->df = tt.df;
    /* CI of the ratio on the log scale (delta method): var(log r) = var_l / l^2 + var_a /
     * a^2 */
    if (a.mean > 0.0 && l.mean > 0.0 && !isnan(a.var + l.var)) {
        double se = sqrt(a.var / (a.mean * a.mean) + l.var / (l.mean * l.mean));
        double q = se > 0.0 ? btk_changepoint_t_isf(0.025, tt.df) : 0.0;

        out->ci_low = out->ratio * exp(-q * se);
        out->ci_high = out->ratio * exp(q * se);
    }
    return 0;
}
