/*
 * Descriptive statistics for timing samples: order statistics and robust spreads (timing
 * noise is one-sided and skewed, so medians and the median's distribution-free CI are the
 * headline figures). Definitions and sources: docs/timer.md#statistics. Also the table of
 * btk_stats's fields, the one place their public names are spelled.
 */
#include "stats.h"

#include <math.h>
#include <string.h>

#define FIELD(f) offsetof(btk_stats, f)

/* JSON key, results column (docs/json-format.md, docs/database.md: both public, never
 * renamed), unit, field. */
static const btk_stats_metric metrics[] = {
    {"min", "min", BTK_STATS_NS, FIELD(min)},
    {"max", "max", BTK_STATS_NS, FIELD(max)},
    {"mean", "mean", BTK_STATS_NS, FIELD(mean)},
    {"median", "median", BTK_STATS_NS, FIELD(median)},
    {"stddev", "stddev", BTK_STATS_NS, FIELD(stddev)},
    {"mad", "mad", BTK_STATS_NS, FIELD(mad)},
    {"p50", "p50", BTK_STATS_NS, FIELD(p50)},
    {"p90", "p90", BTK_STATS_NS, FIELD(p90)},
    {"p95", "p95", BTK_STATS_NS, FIELD(p95)},
    {"p99", "p99", BTK_STATS_NS, FIELD(p99)},
    {"p999", "p999", BTK_STATS_NS, FIELD(p999)},
    {"median_ci_low", "ci_low", BTK_STATS_NS, FIELD(ci_low)},
    {"median_ci_high", "ci_high", BTK_STATS_NS, FIELD(ci_high)},
    {"ci_level", NULL, BTK_STATS_RATIO, FIELD(ci_level)},
    {"rel_ci", NULL, BTK_STATS_RATIO, FIELD(rel_ci)},
    {"outliers_low", "outliers_low", BTK_STATS_COUNT, FIELD(outliers_low)},
    {"outliers_high", "outliers_high", BTK_STATS_COUNT, FIELD(outliers_high)},
    {"samples", "samples", BTK_STATS_COUNT, FIELD(samples)},
    {"iterations", "iterations", BTK_STATS_COUNT, FIELD(iterations)},
};
_Static_assert(BTK_ARRAY_SIZE(metrics) == BTK_STATS_METRIC_COUNT,
               "one row per field of btk_stats");

const btk_stats_metric *btk_stats_metric_at(size_t i)
{
    BTK_ASSERT(i < BTK_STATS_METRIC_COUNT);
    return &metrics[i];
}

double *btk_stats_real_field(btk_stats *s, const btk_stats_metric *m)
{
    BTK_ASSERT(m->unit != BTK_STATS_COUNT);
    return (double *)(void *)((char *)s + m->offset);
}

int64_t *btk_stats_count_field(btk_stats *s, const btk_stats_metric *m)
{
    BTK_ASSERT(m->unit == BTK_STATS_COUNT);
    return (int64_t *)(void *)((char *)s + m->offset);
}

int64_t btk_stats_get_count(const btk_stats *s, const btk_stats_metric *m)
{
    BTK_ASSERT(m->unit == BTK_STATS_COUNT);
    return *(const int64_t *)(const void *)((const char *)s + m->offset);
}

double btk_stats_get(const btk_stats *s, const btk_stats_metric *m)
{
    if (m->unit == BTK_STATS_COUNT)
        return (double)btk_stats_get_count(s, m);
    return *(const double *)(const void *)((const char *)s + m->offset);
}

void btk_stats_init(btk_stats *s)
{
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->unit == BTK_STATS_COUNT)
            *btk_stats_count_field(s, m) = 0;
        else
            *btk_stats_real_field(s, m) = NAN;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

void btk_stats_sort(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
}

double btk_stats_quantile_sorted(const double *sorted, size_t n, double q)
{
    double h, lo;
    size_t i;

    BTK_ASSERT(n >= 1);
    if (q <= 0)
        return sorted[0];
    if (q >= 1)
        return sorted[n - 1];
    h = (double)(n - 1) * q; /* type 7: h = (n-1)q, 0-based */
    lo = floor(h);
    i = (size_t)lo;
    if (i + 1 >= n)
        return sorted[n - 1];
    return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

static void swap_d(double *a, double *b)
{
    double t = *a;

    *a = *b;
    *b = t;
}

/* Place the k-th smallest of v[0..n) at v[k], smaller-or-equal values before it and
 * greater-or-equal after it (Wirth's selection, "Algorithms + Data Structures" 1976). */
double btk_stats_select_kth(double *v, size_t n, size_t k)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

    while (lo < hi) {
        double x = v[kk];
        ptrdiff_t i = lo, j = hi;

        do {
            while (v[i] < x)
                i++;
            while (x < v[j])
                j--;
            if (i <= j) {
                swap_d(&v[i], &v[j]);
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk)
            lo = i;
        if (kk < i)
            hi = j;
    }
    return v[kk];
}

void btk_stats_quantile_pair(double *v, size_t n, double q, double *lo, double *hi, double *w)
{
    double h, fl;
    size_t i;

    BTK_ASSERT(n >= 1);
    *w = 0;
    if (q >= 1) {
        *lo = *hi = btk_stats_select_kth(v, n, n - 1);
        return;
    }
    h = (double)(n - 1) * (q > 0 ? q : 0); /* as btk_stats_quantile_sorted */
    fl = floor(h);
    i = (size_t)fl;
    if (i + 1 >= n) {
        *lo = *hi = btk_stats_select_kth(v, n, n - 1);
        return;
    }
    *lo = btk_stats_select_kth(v, n, i);
    /* after selection everything in v(i..n) is >= v[i]: the next order statistic is its min */
    *hi = v[i + 1];
    for (size_t j = i + 2; j < n; j++)
        *hi = v[j] < *hi ? v[j] : *hi;
    *w = h - fl;
}

double btk_stats_quantile_inplace(double *v, size_t n, double q)
{
    double lo, hi, w;

    btk_stats_quantile_pair(v, n, q, &lo, &hi, &w);
    return lo + w * (hi - lo);
}

double btk_stats_median_inplace(double *v, size_t n)
{
    double upper, lower = -INFINITY;

    if (n == 0)
        return NAN;
    upper = btk_stats_select_kth(v, n, n / 2);
    if (n % 2)
        return upper;
    /* after selection everything in v[0..n/2) is <= v[n/2]: the lower middle is its max */
    for (size_t i = 0; i < n / 2; i++)
        lower = v[i] > lower ? v[i] : lower;
    return (lower + upper) / 2;
}


/* Largest k (1-based rank) with P(X <= k - 1) <= alpha/2 for X ~ Binomial(n, 1/2), exact. */
static size_t ci_rank_exact(size_t n, double half_alpha)
{
    double pmf = pow(0.5, (double)n), cdf = 0;
    size_t k;

    for (k = 0; k < n; k++) {
        cdf += pmf; /* cdf = P(X <= k) */
        if (cdf > half_alpha)
            return k; /* P(X <= k-1) <= half_alpha: rank k is the lower bound (1-based) */
        pmf = pmf * (double)(n - k) / (double)(k + 1);
    }
    return 0;
}

void btk_stats_median_ci_ranks(size_t n, size_t *lo_out, size_t *hi_out)
{
    const double z = 1.959963984540054; /* two-sided 95% normal quantile */
    size_t lo;

    if (n <= 1000) {
        lo = ci_rank_exact(n, (1 - BTK_STATS_CI_LEVEL) / 2);
    } else {
        double l = floor((double)n / 2 - z * sqrt((double)n) / 2);

        lo = l < 1 ? 1 : (size_t)l;
    }
    if (lo < 1)
        lo = 1;
    *lo_out = lo;
    *hi_out = n + 1 - lo;
}

double btk_stats_rank_coverage(size_t n, size_t lo)
{
    double pmf = pow(0.5, (double)n), tail = 0;
    size_t k;

    for (k = 0; k < lo; k++) {
        tail += pmf;
        pmf = pmf * (double)(n - k) / (double)(k + 1);
    }
    return 1 - 2 * tail;
}

void btk_stats_units_interval(double *v, size_t n, double *low, double *high, double *coverage)
{
    size_t lo, hi;

    BTK_ASSERT(n >= 2);
    btk_stats_sort(v, n);
    btk_stats_median_ci_ranks(n, &lo, &hi);
    *low = v[lo - 1];
    *high = v[hi - 1];
    *coverage = btk_stats_rank_coverage(n, lo);
}

double btk_stats_rel_ci_inplace(double *v, size_t n)
{
    size_t lo, hi;
    double med, low, high;

    if (n < 6)
        return HUGE_VAL;
    med = btk_stats_median_inplace(v, n);
    if (med <= 0)
        return HUGE_VAL;
    btk_stats_median_ci_ranks(n, &lo, &hi);
    /* The median's selection left the n/2 smallest values in v[0..n/2) and the rest in
     * v[n/2..n), in no particular order: each bound is selected inside its half (lo - 1 <
     * n/2 <= hi - 1 for every n >= 6). Reading v[lo - 1] without selecting gives an
     * arbitrary value. */
    BTK_ASSERT(lo - 1 < n / 2 && hi - 1 >= n / 2);
    low = btk_stats_select_kth(v, n / 2, lo - 1);
    high = btk_stats_select_kth(v + n / 2, n - n / 2, hi - 1 - n / 2);
    /* a NaN among v leaves the selections unordered: never "precise" on such values */
    if (!(high >= low) || !isfinite(high - low))
        return HUGE_VAL;
    return (high - low) / 2 / med;
}

size_t btk_stats_mser_drop(const double *x, size_t n, size_t m)
{
    size_t k = m ? n / m : 0, lead = n - k * m, d, best = 0;
    double mean = 0, sse = 0, best_z = HUGE_VAL;

    if (k < 2)
        return lead;
    /* The kept batches' mean and sum of squared deviations, updated as batch d joins them
     * (d going down from k - 1; Welford's update: a constant tail sums to exactly 0, so
     * rounding cannot make a longer cut look better); Z is evaluated for d <= k / 2. */
    for (d = k; d-- > 0;) {
        double b = 0, delta, z;
        size_t kept = k - d;

        for (size_t i = 0; i < m; i++)
            b += x[lead + d * m + i];
        b /= (double)m;
        delta = b - mean;
        mean += delta / (double)kept;
        sse += delta * (b - mean);
        if (d > k / 2)
            continue;
        z = sse / ((double)kept * (double)kept);
        if (z <= best_z) { /* d goes down: <= keeps the smallest d among ties */
            best_z = z;
            best = d;
        }
    }
    return lead + best * m;
}

static void moments(btk_stats *out, const double *v, size_t n)
{
    double sum = 0, ss = 0;
    size_t i;

    for (i = 0; i < n; i++)
        sum += v[i];
    out->mean = sum / (double)n;
    for (i = 0; i < n; i++)
        ss += (v[i] - out->mean) * (v[i] - out->mean);
    out->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
}

static void tukey(btk_stats *out, const double *sorted, size_t n)
{
    double q1 = btk_stats_quantile_sorted(sorted, n, 0.25);
    double q3 = btk_stats_quantile_sorted(sorted, n, 0.75);
    double lo = q1 - 1.5 * (q3 - q1), hi = q3 + 1.5 * (q3 - q1);
    size_t i;

    out->outliers_low = out->outliers_high = 0;
    for (i = 0; i < n; i++) {
        out->outliers_low += sorted[i] < lo;
        out->outliers_high += sorted[i] > hi;
    }
}

/* Quantiles, MAD and the median CI from the sorted copy s (s is reused as scratch for the
 * absolute deviations at the end). */
static void order_stats(btk_stats *out, double *s, size_t n)
{
    size_t lo, hi, i;

    out->min = s[0];
    out->max = s[n - 1];
    out->median = out->p50 = btk_stats_quantile_sorted(s, n, 0.5);
    out->p90 = btk_stats_quantile_sorted(s, n, 0.90);
    out->p95 = btk_stats_quantile_sorted(s, n, 0.95);
    out->p99 = btk_stats_quantile_sorted(s, n, 0.99);
    out->p999 = btk_stats_quantile_sorted(s, n, 0.999);
    btk_stats_median_ci_ranks(n, &lo, &hi);
    out->ci_low = s[lo - 1];
    out->ci_high = s[hi - 1];
    out->rel_ci = out->median != 0 ? (out->ci_high - out->ci_low) / 2 / fabs(out->median) : 0;
    tukey(out, s, n);
    for (i = 0; i < n; i++)
        s[i] = fabs(s[i] - out->median);
    out->mad = btk_stats_median_inplace(s, n);
}

int btk_stats_summarize(btk_stats *out, const double *v, size_t n)
{
    double *s;

    if (out == NULL || v == NULL || n == 0)
        return btk_error_set(BTK_EINVAL, "cannot summarize an empty sample set");
    if ((s = btk__malloc(n * sizeof(*s))) == NULL)
        return BTK_ENOMEM;
    memset(out, 0, sizeof(*out));
    out->samples = (int64_t)n;
    out->ci_level = BTK_STATS_CI_LEVEL;
    memcpy(s, v, n * sizeof(*s));
    btk_stats_sort(s, n);
    moments(out, s, n);
    order_stats(out, s, n);
    btk__free(s);
    return 0;
}

bool btk_stats_two_levels(double *v, size_t n, size_t *low_n, double *low, double *high)
{
    double gap = 0;
    size_t k, at = 0;

    if (n < 4)
        return false;
    btk_stats_sort(v, n);
    if (!(v[0] > 0))
        return false;
    for (k = 2; k + 2 <= n; k++) /* 2 or more on each side */
        if (v[k] / v[k - 1] > gap) {
            gap = v[k] / v[k - 1];
            at = k;
        }
    if (gap < 1 + BTK_LEVELS_GAP || gap <= v[at - 1] / v[0] || gap <= v[n - 1] / v[at])
        return false;
    *low_n = at;
    *low = btk_stats_quantile_sorted(v, at, 0.5);
    *high = btk_stats_quantile_sorted(v + at, n - at, 0.5);
    return true;
}

static bool is_shared(double ratio)
{
    return ratio >= BTK_STATS_SHARED_RATIO; /* false for NAN and unknown (<= 0) */
}

static bool is_alone(double ratio)
{
    return !(ratio >= BTK_STATS_ALONE_RATIO); /* true for NAN and unknown (<= 0) */
}

size_t btk_stats_shared_aside(const double *med, const double *ratio, size_t n, bool *aside,
                              double *scratch)
{
    size_t alone = 0, shared = 0, moved = 0, k = 0, i;
    double alone_lo = HUGE_VAL, alone_hi = -HUGE_VAL, moved_lo = HUGE_VAL;
    double moved_hi = -HUGE_VAL, m_alone, m_shared;
    bool above;

    for (i = 0; i < n; i++)
        aside[i] = false;
    for (i = 0; i < n; i++) {
        if (!(med[i] > 0) || !isfinite(med[i]))
            return 0; /* a process without a usable median: decide nothing */
        if (is_shared(ratio[i])) {
            scratch[n - 1 - shared++] = med[i]; /* shared from the end, alone from the start */
        } else if (is_alone(ratio[i])) {
            alone_lo = fmin(alone_lo, med[i]);
            alone_hi = fmax(alone_hi, med[i]);
            scratch[alone++] = med[i];
        } /* between the two: takes no part in the test */
    }
    if (shared == 0 || alone == 0)
        return 0;
    m_alone = btk_stats_median_inplace(scratch, alone);
    m_shared = btk_stats_median_inplace(scratch + n - shared, shared);
    if (!(fabs(m_shared / m_alone - 1) > BTK_STATS_SHARED_EFFECT))
        return 0;
    above = m_shared > m_alone;
    /* the shared ones beyond every alone one, on the side of the shared ones' median */
    for (i = 0; i < n; i++)
        if (is_shared(ratio[i]) && (above ? med[i] > alone_hi : med[i] < alone_lo)) {
            moved_lo = fmin(moved_lo, med[i]);
            moved_hi = fmax(moved_hi, med[i]);
            moved++;
        }
    /* all of them (complete separation), or all but one when at least BTK_STATS_SHARED_MIN
     * did: a shared reading among the alone ones is the sibling busy at the reading, not
     * while the process sampled */
    if (moved < shared && (moved + 1 < shared || moved < BTK_STATS_SHARED_MIN))
        return 0;
    /* one process alone: only when the moved ones lie farther from it than they spread
     * among themselves, and they are enough to tell a spread (a chance split of one
     * process off a kernel that varies between processes is no state) */
    if (alone < BTK_STATS_ALONE_MIN &&
        (moved < BTK_STATS_SHARED_MIN ||
         !(fmax(moved_lo - alone_hi, alone_lo - moved_hi) >= moved_hi - moved_lo)))
        return 0;
    /* the moved ones go, and those in between that lie beyond every alone one too */
    for (i = 0; i < n; i++) {
        aside[i] = !is_alone(ratio[i]) && (above ? med[i] > alone_hi : med[i] < alone_lo);
        k += aside[i];
    }
    return k;
}

int btk_stats_shared_aside_samples(const double *const *samples, const size_t *counts,
                                   const double *ratio, size_t n, bool *aside)
{
    size_t i, m = 0, most = 0, k;
    double *med, *rat, *scratch;
    size_t *idx;
    bool *flag;

    for (i = 0; i < n; i++) {
        aside[i] = false;
        most = samples[i] != NULL && counts[i] > most ? counts[i] : most;
    }
    if (n < 2 || most == 0)
        return 0;
    med = btk__malloc((2 * n + (most > n ? most : n)) * sizeof(double));
    idx = btk__malloc(n * sizeof(size_t));
    flag = btk__malloc(n * sizeof(bool));
    if (med == NULL || idx == NULL || flag == NULL) {
        btk__free(med);
        btk__free(idx);
        btk__free(flag);
        return BTK_ENOMEM;
    }
    rat = med + n;
    scratch = rat + n; /* one process's samples, then n medians */
    for (i = 0; i < n; i++) {
        if (counts[i] == 0 || samples[i] == NULL)
            continue;
        memcpy(scratch, samples[i], counts[i] * sizeof(double));
        med[m] = btk_stats_median_inplace(scratch, counts[i]);
        rat[m] = ratio[i];
        idx[m++] = i;
    }
    k = btk_stats_shared_aside(med, rat, m, flag, scratch);
    for (i = 0; i < m; i++)
        aside[idx[i]] = flag[i];
    btk__free(med);
    btk__free(idx);
    btk__free(flag);
    return (int)k;
}
