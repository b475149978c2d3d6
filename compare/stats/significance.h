/*
 * The statistics behind a verdict, on plain arrays: a small deterministic PRNG, medians,
 * the Mann-Whitney U rank test (exact or normal approximation), the smallest p a test of
 * n and m units can reach, Benjamini-Hochberg adjustment and a percentile bootstrap CI of
 * a ratio of medians. Method and citations: docs/statistics.md.
 */
#ifndef BTK_SIGNIFICANCE_H
#define BTK_SIGNIFICANCE_H

#include "internal.h"

/* xoshiro256** seeded through splitmix64 (Blackman & Vigna): same seed, same stream. */
typedef struct btk_rng {
    uint64_t s[4];
} btk_rng;

void btk_rng_seed(btk_rng *rng, uint64_t seed);
uint64_t btk_rng_next(btk_rng *rng);
/* Uniform integer in [0, n), n > 0, without modulo bias (Lemire's rejection). */
size_t btk_rng_below(btk_rng *rng, size_t n);

/* Median of v[0..n) (not modified; NAN for n == 0), using scratch (n doubles) as work
 * space: btk_stats_median_inplace on a copy. */
double btk_sig_median(const double *v, size_t n, double *scratch);

/* Largest sample sizes (each side) for which the exact null distribution is used. */
#define BTK_MWU_EXACT_MAX 50

typedef struct btk_mwu {
    double u;         /* U of the first sample: pairs (a_i > b_j) + 0.5 * ties */
    double p;         /* two-sided p value */
    double z;         /* normal score (NAN for the exact method) */
    bool exact;       /* exact distribution (no ties, n and m <= BTK_MWU_EXACT_MAX) */
    bool has_ties;
} btk_mwu;

/* Two-sided Mann-Whitney U test of a[0..n) against b[0..m). Exact permutation distribution
 * when there are no ties and both sizes are at most BTK_MWU_EXACT_MAX; otherwise the normal
 * approximation with tie-corrected variance and a continuity correction of 0.5. Needs n, m
 * >= 1; BTK_EINVAL otherwise, BTK_ENOMEM when scratch space cannot be allocated. */
int btk_sig_mann_whitney(btk_mwu *out, const double *a, size_t n, const double *b, size_t m);

/* The smallest two-sided p the test above can give with n and m untied units (complete
 * separation): 2 / C(n+m, n) for the exact method, else the approximation's value. */
double btk_sig_min_p(size_t n, size_t m);

/* The standard normal quantile: x with P(Z <= x) = p, by bisection on erfc (to about
 * 1e-15); NAN unless 0 < p < 1. */
double btk_sig_normal_quantile(double p);

/* Robust spread of the logarithms of v[0..n): 1.4826 * the median absolute deviation from
 * their median (a standard deviation for normal data). NAN when n < 2 or a value is not
 * finite and positive. scratch: n doubles. */
double btk_sig_log_spread(const double *v, size_t n, double *scratch);

/* Hodges-Lehmann estimate of the ratio b / a (Hodges & Lehmann 1963) into *out: exp of the
 * median of the n * m differences ln b_j - ln a_i, the shift estimate that goes with the
 * Mann-Whitney test. Unlike the ratio of the medians, it does not jump when a side's
 * units sit at two levels and its median moves with the level most of them took
 * (docs/cli/bisect.md). *out is NAN when n or m is 0, n * m exceeds BTK_HL_MAX_PAIRS, or a
 * value is not finite and positive. 0, or BTK_ENOMEM (*out NAN). */
#define BTK_HL_MAX_PAIRS 1000000
int btk_sig_hl_ratio(double *out, const double *a, size_t n, const double *b, size_t m);

/* The smallest k such that k units on each side can reach p <= alpha. */
size_t btk_sig_units_needed(double alpha);

/* Benjamini-Hochberg (1995) adjusted p values ("q values") of p[0..n): q_(i) = min over
 * j >= i of n_tested * p_(j) / j, capped at 1. NAN entries are not tested: they do not count
 * in n_tested and give NAN. BTK_ENOMEM on allocation failure. */
int btk_sig_bh_adjust(double *q_out, const double *p, size_t n);

typedef struct btk_ratio_ci {
    double ratio;     /* median(b) / median(a) */
    double low, high; /* percentile bootstrap CI at the given level */
} btk_ratio_ci;

/* Ratio of medians of b over a with a percentile bootstrap CI: each resample draws n
 * values from a and m from b with replacement (independently), resamples times, from a PRNG
 * seeded with seed, so the result is a deterministic function of the inputs. When any
 * resample's ratio is not finite (a median of 0 in a), low and high are NAN: the CI is
 * unbounded, never narrowed by leaving such resamples out. Needs n, m >= 1,
 * resamples >= 10 and 0 < level < 1 (BTK_EINVAL), BTK_ENOMEM on allocation failure. */
int btk_sig_ratio_ci(btk_ratio_ci *out, const double *a, size_t n, const double *b, size_t m,
                     unsigned resamples, double level, uint64_t seed);

#endif
