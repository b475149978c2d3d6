/*
 * Descriptive statistics of one set of samples (ns per iteration): the one struct of a
 * result's statistics, embedded in the harness's btk_summary and the tool's btk_result, and
 * the table of its fields that every reader and writer of them iterates (JSON "stats"
 * object, results table columns, budget names). Definitions (quantiles, MAD, median CI,
 * Tukey fences) are in docs/timer.md#statistics.
 */
#ifndef BTK_STATS_H
#define BTK_STATS_H

#include "internal.h"

#define BTK_STATS_CI_LEVEL 0.95

typedef struct btk_stats {
    double min, max, mean, median, stddev;
    double mad;              /* median absolute deviation from the median, unscaled */
    double p50, p90, p95, p99, p999;
    double ci_low, ci_high;  /* 95% distribution-free CI of the median */
    double ci_level;         /* BTK_STATS_CI_LEVEL */
    double rel_ci;           /* (ci_high - ci_low) / 2 / median; 0 when median is 0 */
    int64_t outliers_low, outliers_high; /* beyond Q1 - 1.5 IQR / Q3 + 1.5 IQR */
    int64_t samples;         /* n */
    int64_t iterations;      /* total; btk_stats_summarize sets 0, the caller fills it */
} btk_stats;

/* What a statistic measures, which decides its C type: double for ns and ratios, int64_t
 * for counts. */
typedef enum btk_stats_unit {
    BTK_STATS_NS = 0, /* ns per iteration */
    BTK_STATS_RATIO,  /* a dimensionless proportion */
    BTK_STATS_COUNT   /* a count */
} btk_stats_unit;

/* One field of btk_stats with its public names. */
typedef struct btk_stats_metric {
    const char *name;   /* key in a result's "stats" object (docs/json-format.md) */
    const char *column; /* column of the results table (docs/database.md); NULL: not stored */
    btk_stats_unit unit;
    size_t offset;      /* of the field in btk_stats */
} btk_stats_metric;

/* The table of btk_stats's fields: the i-th (i < BTK_STATS_METRIC_COUNT, asserted) in the
 * order of the JSON "stats" object; borrowed, static. The first BTK_STATS_FIGURES
 * (min .. p999) are the figures a budget can name. (A function, not an exported array:
 * sanitizer builds would add an unprefixed symbol for a global variable.) */
#define BTK_STATS_METRIC_COUNT 19
#define BTK_STATS_FIGURES 11
const btk_stats_metric *btk_stats_metric_at(size_t i);

/* The value of m in s as a double, whatever its unit (counts converted). */
double btk_stats_get(const btk_stats *s, const btk_stats_metric *m);
/* The value of a BTK_STATS_COUNT metric, exact. */
int64_t btk_stats_get_count(const btk_stats *s, const btk_stats_metric *m);
/* The field of m in s, to fill: a double for BTK_STATS_NS and BTK_STATS_RATIO, an int64_t
 * for BTK_STATS_COUNT (the unit is asserted). */
double *btk_stats_real_field(btk_stats *s, const btk_stats_metric *m);
int64_t *btk_stats_count_field(btk_stats *s, const btk_stats_metric *m);
/* Every statistic unknown: NAN for doubles, 0 for counts. */
void btk_stats_init(btk_stats *s);

/* Summarize v[0..n-1] (not modified) into *out. n == 0 or NULL v/out is BTK_EINVAL;
 * BTK_ENOMEM when the sorted copy cannot be allocated. stddev is the sample standard
 * deviation (n - 1), 0 for n == 1. */
int btk_stats_summarize(btk_stats *out, const double *v, size_t n);

/* Sort v[0..n) ascending (the one comparator of doubles; NaNs are not expected). */
void btk_stats_sort(double *v, size_t n);

/* Quantile q in [0, 1] of sorted[0..n-1] (n >= 1), Hyndman-Fan type 7 (linear
 * interpolation between order statistics, R's default). */
double btk_stats_quantile_sorted(const double *sorted, size_t n, double q);

/* Place the k-th smallest (0-based, k < n) of v[0..n) at v[k], values <= it before and
 * values >= it after (Wirth's selection, O(n) on average); returns it. */
double btk_stats_select_kth(double *v, size_t n, size_t k);

/* Quantile q in [0, 1] of v[0..n) (n >= 1), Hyndman-Fan type 7 as
 * btk_stats_quantile_sorted gives it for the sorted values, by selection (O(n) on average):
 * v is reordered, the multiset kept. btk_stats_quantile_pair gives its parts instead: the
 * two neighbouring order statistics *lo <= *hi and the weight *w in [0, 1) of *hi, the
 * quantile being *lo + *w (*hi - *lo) (so a monotone transform of the values, a logarithm,
 * can be interpolated without transforming every value). */
double btk_stats_quantile_inplace(double *v, size_t n, double q);
void btk_stats_quantile_pair(double *v, size_t n, double q, double *lo, double *hi, double *w);

/* Two speeds among a benchmark's processes (the `levels` warning,
 * docs/benchmark-binary.md#environment-checks): v[0..n) are the processes' medians (> 0),
 * sorted here. They split where the ratio between neighbours is largest, among the splits
 * that leave 2 or more processes on each side; two levels when that ratio is at least
 * 1 + BTK_LEVELS_GAP and larger than each level's own max / min. Then true, with *low_n
 * the processes of the lower level and *low, *high each level's median (type 7). */
#define BTK_LEVELS_GAP 0.20
bool btk_stats_two_levels(double *v, size_t n, size_t *low_n, double *low, double *high);

/* Shared core (docs/timer.md#shared-core). A process whose branch ratio
 * (btk_timer_branch_ratio) reached BTK_STATS_SHARED_RATIO ran on a core shared with a busy
 * SMT sibling (about 1 alone, about 2 shared). btk_stats_shared_aside decides which of a
 * benchmark's n processes of one run are set aside from its figures: med[i] is process i's
 * median (> 0), ratio[i] its branch ratio: below BTK_STATS_ALONE_RATIO (or <= 0 or NAN:
 * unknown) alone, BTK_STATS_SHARED_RATIO or more shared, in between neither (the sibling
 * busy for part of the process, or a stray reading). The shared ones are set aside
 * (aside[i] true) when that state moved this benchmark, with those in between whose median
 * lies beyond every alone one's on the shared side: the two groups' medians differ by more
 * than BTK_STATS_SHARED_EFFECT; every shared process's median lies beyond every alone
 * one's on the side of the shared ones' median (complete separation: by chance with
 * probability 2 / C(n, alone) at most, 4.4 % for 2 of 10), or all but one do and at least
 * BTK_STATS_SHARED_MIN of them (the one left, a reading taken while the sibling was busy
 * for a moment, stays); and either at least BTK_STATS_ALONE_MIN processes ran alone or,
 * with one alone, at least BTK_STATS_SHARED_MIN of those beyond it lie farther from it
 * than their own range. Otherwise none is (a state that did not move the benchmark costs
 * no processes; with none alone the run's figure is of the shared state, and the
 * shared-core warning says so). scratch holds n doubles. Returns how many were set aside.
 */
#define BTK_STATS_SHARED_RATIO 1.5
#define BTK_STATS_ALONE_RATIO 1.2
#define BTK_STATS_ALONE_MIN 2
#define BTK_STATS_SHARED_MIN 3
#define BTK_STATS_SHARED_EFFECT 0.02
size_t btk_stats_shared_aside(const double *med, const double *ratio, size_t n, bool *aside,
                              double *scratch);
/* btk_stats_shared_aside over n processes given by their samples: process i has counts[i]
 * values at samples[i] (0 or NULL: no samples; it takes no part and is never set aside)
 * and branch ratio ratio[i]; each median is taken here. Fills aside[0..n) and returns how
 * many were set aside, or BTK_ENOMEM (aside all false). */
int btk_stats_shared_aside_samples(const double *const *samples, const size_t *counts,
                                   const double *ratio, size_t n, bool *aside);

/* Median of v (n >= 1; NAN for n == 0): mean of the two middle values for even n. v is
 * reordered (selection in O(n), not a sort). */
double btk_stats_median_inplace(double *v, size_t n);

/* 1-based ranks [lo, hi] of the order statistics bounding a distribution-free CI of the
 * median at level BTK_STATS_CI_LEVEL for n samples (exact binomial for n <= 1000, normal
 * approximation above). For n < 6 no pair reaches 95% and the ranks are [1, n]. */
void btk_stats_median_ci_ranks(size_t n, size_t *lo_out, size_t *hi_out);

/* Probability that the interval of order statistics [lo, n + 1 - lo] (1-based) of n
 * independent values holds their distribution's median: 1 - 2 P(X < lo) for
 * X ~ Binomial(n, 1/2), exact (n <= 1074). With the ranks above: >= 0.95 for n >= 6;
 * 1 - 2^(1-n) for n < 6 (the range). */
double btk_stats_rank_coverage(size_t n, size_t lo);

/* The interval of the median of independent units (a benchmark's processes, each
 * summarised by its median) from their values v[0..n) (n >= 2; v is sorted in place): the
 * order statistics at btk_stats_median_ci_ranks (>= 95 % from 6 units, their range below)
 * into *low and *high, and its coverage (btk_stats_rank_coverage) into *coverage. */
void btk_stats_units_interval(double *v, size_t n, double *low, double *high, double *coverage);

/* Relative half-width of the median's CI of v[0..n-1] (v is reordered); a large value when
 * n is too small to tell. Used by the sampler's stopping rule. */
double btk_stats_rel_ci_inplace(double *v, size_t n);

/* MSER-m truncation of an initial transient (White 1997; MSER-5 as in Hoad, Robinson &
 * Davies 2010): how many leading values of x[0..n) to drop. The values are cut from the end
 * into k = n / m batches of m (the n mod m oldest values are always dropped); for d = 0 ..
 * k/2 leading batches dropped, Z(d) = sum over the kept batches of (batch mean - their
 * mean)^2 / (k - d)^2; the result is n mod m + m * d for the d with the smallest Z (the
 * smallest such d on ties). k < 2: n mod m. m >= 1. docs/timer.md#sampling. */
size_t btk_stats_mser_drop(const double *x, size_t n, size_t m);

#endif
