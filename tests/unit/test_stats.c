/* Tests of the descriptive statistics against values computed by hand (each expected value's
 * arithmetic is in the comment next to it). Quantiles are Hyndman-Fan type 7:
 * h = (n - 1) q (0-based), x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). */
#include "check.h"
#include "stats.h"

#include <math.h>

/* The set used below, sorted: 1 2 3 4 5 6 7 8 9 100 (n = 10), given unsorted. */
static const double ten[] = {7, 3, 100, 1, 9, 5, 2, 8, 4, 6};

static void stats__summary_of_a_known_set(void **state)
{
    btk_stats s;

    (void)state;
    assert_int_equal(btk_stats_summarize(&s, ten, 10), 0);
    assert_int_equal(s.samples, 10);
    check_near(s.min, 1, 1e-12);
    check_near(s.max, 100, 1e-12);
    check_near(s.mean, 14.5, 1e-12);      /* (45 + 100) / 10 */
    check_near(s.median, 5.5, 1e-12);     /* (5 + 6) / 2 */
    check_near(s.p50, 5.5, 1e-12);
    /* stddev: deviations from 14.5: -13.5 .. -5.5 (9 values) and 85.5.
     * sum of squares = (13.5^2 + 12.5^2 + ... + 5.5^2) + 85.5^2
     *                = 872.25 + 7310.25 = 8182.5; / 9 = 909.1667; sqrt = 30.15239 */
    check_near(s.stddev, 30.15239, 1e-6);
    /* |x - 5.5| = 4.5 3.5 2.5 1.5 .5 .5 1.5 2.5 3.5 94.5 -> sorted median (2.5+2.5)/2 = 2.5 */
    check_near(s.mad, 2.5, 1e-12);
    /* p90: h = 9 * 0.9 = 8.1 -> x[8] + 0.1 (x[9] - x[8]) = 9 + 0.1 * 91 = 18.1 */
    check_near(s.p90, 18.1, 1e-12);
    /* p95: h = 8.55 -> 9 + 0.55 * 91 = 59.05 */
    check_near(s.p95, 59.05, 1e-12);
    /* p99: h = 8.91 -> 9 + 0.91 * 91 = 91.81 */
    check_near(s.p99, 91.81, 1e-12);
    /* p99.9: h = 8.991 -> 9 + 0.991 * 91 = 99.181 */
    check_near(s.p999, 99.181, 1e-12);
    check_near(s.ci_level, 0.95, 1e-12);
}

static void stats__median_ci_from_order_statistics(void **state)
{
    btk_stats s;
    size_t lo, hi;

    (void)state;
    /* n = 10, X ~ Bin(10, 1/2): P(X <= 0) = 1/1024, P(X <= 1) = 11/1024 = 0.0107 <= 0.025,
     * P(X <= 2) = 56/1024 = 0.0547 > 0.025 -> lower rank 2, upper 10 + 1 - 2 = 9
     * (coverage 1 - 2 * 11/1024 = 97.9%). */
    btk_stats_median_ci_ranks(10, &lo, &hi);
    assert_int_equal(lo, 2);
    assert_int_equal(hi, 9);
    assert_int_equal(btk_stats_summarize(&s, ten, 10), 0);
    check_near(s.ci_low, 2, 1e-12);  /* x(2) */
    check_near(s.ci_high, 9, 1e-12); /* x(9) */
    check_near(s.rel_ci, (9.0 - 2.0) / 2 / 5.5, 1e-12);
    /* n = 6: P(X <= 0) = 1/64 = 0.0156 <= 0.025, P(X <= 1) = 7/64 > 0.025 -> [1, 6] */
    btk_stats_median_ci_ranks(6, &lo, &hi);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 6);
    /* n = 100: the classic table value is ranks 40 and 61 */
    btk_stats_median_ci_ranks(100, &lo, &hi);
    assert_int_equal(lo, 40);
    assert_int_equal(hi, 61);
    /* n = 5: no pair reaches 95%; the full range */
    btk_stats_median_ci_ranks(5, &lo, &hi);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 5);
    /* large n: normal approximation, symmetric and around n/2 */
    btk_stats_median_ci_ranks(10000, &lo, &hi);
    assert_int_equal(lo, 4902); /* floor(5000 - 1.959964 * 100 / 2) = floor(4902.002) */
    assert_int_equal(hi, 10001 - 4902);
}

static void stats__tukey_outliers_counted_not_removed(void **state)
{
    btk_stats s;
    /* sorted: -50 1 2 3 4 5 6 7 8 100 -> Q1: h = 2.25 -> 2 + .25 = 2.25;
     * Q3: h = 6.75 -> 6 + .75 = 6.75; IQR 4.5; fences 2.25 - 6.75 = -4.5 and
     * 6.75 + 6.75 = 13.5 -> one low (-50), one high (100) */
    static const double v[] = {100, 1, 2, 3, -50, 4, 5, 6, 7, 8};

    (void)state;
    assert_int_equal(btk_stats_summarize(&s, v, 10), 0);
    assert_int_equal(s.outliers_low, 1);
    assert_int_equal(s.outliers_high, 1);
    assert_int_equal(s.samples, 10);
    check_near(s.min, -50, 1e-12);  /* kept, not removed */
    check_near(s.max, 100, 1e-12);
    /* ten[]: Q1 = 3.25, Q3 = 7.75, IQR 4.5, upper fence 14.5: only 100 is out */
    assert_int_equal(btk_stats_summarize(&s, ten, 10), 0);
    assert_int_equal(s.outliers_low, 0);
    assert_int_equal(s.outliers_high, 1);
}

static void stats__single_value_and_quantile_edges(void **state)
{
    btk_stats s;
    const double one = 3.5, sorted[] = {1, 2, 3, 4};

    (void)state;
    assert_int_equal(btk_stats_summarize(&s, &one, 1), 0);
    check_near(s.median, 3.5, 1e-12);
    check_near(s.stddev, 0, 1e-12);
    check_near(s.mad, 0, 1e-12);
    check_near(s.ci_low, 3.5, 1e-12);
    check_near(btk_stats_quantile_sorted(sorted, 4, 0), 1, 1e-12);
    check_near(btk_stats_quantile_sorted(sorted, 4, 1), 4, 1e-12);
    check_near(btk_stats_quantile_sorted(sorted, 4, 0.5), 2.5, 1e-12); /* h = 1.5 */
    check_near(btk_stats_quantile_sorted(sorted, 4, 0.25), 1.75, 1e-12); /* h = .75 */
}

static void stats__empty_input_is_einval(void **state)
{
    btk_stats s;

    (void)state;
    assert_int_equal(btk_stats_summarize(&s, ten, 0), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message, "cannot summarize an empty sample set");
    assert_int_equal(btk_stats_summarize(NULL, ten, 3), BTK_EINVAL);
}

static void stats__allocation_failure_is_clean(void **state)
{
    btk_stats s;

    (void)state;
    btk__alloc_fail_after(0);
    assert_int_equal(btk_stats_summarize(&s, ten, 10), BTK_ENOMEM);
    btk__alloc_fail_after(-1);
    assert_int_equal(btk_stats_summarize(&s, ten, 10), 0);
}

static void stats__rel_ci_shrinks_with_more_samples(void **state)
{
    double v[200];
    size_t i;
    double small, large;

    (void)state;
    /* deterministic spread: 100 + (i * 37 mod 21) - 10, a fixed uniform-ish pattern */
    for (i = 0; i < 200; i++)
        v[i] = 100 + (double)((i * 37) % 21) - 10;
    small = btk_stats_rel_ci_inplace(v, 20);
    large = btk_stats_rel_ci_inplace(v, 200);
    assert_true(large < small);
    assert_true(btk_stats_rel_ci_inplace(v, 5) > 1e300); /* too few to tell */
}

/* Samples read from a coarse clock tie: when the middle ~4 % of them are one value, the
 * order statistics that bound the median's CI are equal and the CI has width 0. The
 * sampler therefore floors the half-width at half the timer's resolution (sampler.c,
 * precise_enough); this pins down the case that floor exists for. */
static void stats__tied_middle_gives_a_zero_width_ci(void **state)
{
    enum { N = 2096 };
    double *v = test_malloc(N * sizeof(double));
    size_t i, lo, hi;

    (void)state;
    btk_stats_median_ci_ranks(N, &lo, &hi);
    for (i = 0; i < N; i++) /* ranks lo..hi (1-based) hold 750 exactly, the rest spread */
        v[(i * 7) % N] = i + 1 < lo   ? 700 + (double)i * 0.01
                         : i + 1 > hi ? 800 + (double)i * 0.01
                                      : 750;
    assert_true(btk_stats_rel_ci_inplace(v, N) == 0);
    test_free(v);
}

static void sort__ascending_with_duplicates_and_negatives(void **state)
{
    double v[] = {3, -1, 100, 3, 0.5, -7, 2};
    const double want[] = {-7, -1, 0.5, 2, 3, 3, 100};

    (void)state;
    btk_stats_sort(v, BTK_ARRAY_SIZE(v));
    assert_memory_equal(v, want, sizeof(want));
    btk_stats_sort(v, 0); /* nothing to do, no access */
}

/* ---- property tests: every order statistic against a plain sort ----
 * Reference: the test's own copy of the values sorted with libc qsort and a test-local
 * comparator; order statistics read by index from it. Inputs: many sizes (1 .. 300, then
 * some up to 3001), odd and even, drawn from continuous skewed values, from a few distinct
 * values (many ties), constant, and with zeros. */

static uint64_t prop_rng = 0x9e3779b97f4a7c15u;

static double prop_uniform(void)
{
    prop_rng ^= prop_rng << 13;
    prop_rng ^= prop_rng >> 7;
    prop_rng ^= prop_rng << 17;
    return (double)(prop_rng >> 11) / 9007199254740992.0;
}

/* Values of one of four shapes, all positive except shape 3 (which holds zeros). */
static void prop_fill(double *v, size_t n, int shape)
{
    for (size_t i = 0; i < n; i++) {
        double u = prop_uniform();

        if (shape == 0)
            v[i] = 100 * exp(3 * u * u); /* skewed, one-sided tail */
        else if (shape == 1)
            v[i] = 10 + floor(u * 4); /* 4 distinct values: heavy ties */
        else if (shape == 2)
            v[i] = 42; /* all equal */
        else
            v[i] = floor(u * 3) * 5; /* 0, 5, 10 */
    }
}

static int ref_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y ? 1 : 0;
}

static void ref_sorted(double *out, const double *v, size_t n)
{
    memcpy(out, v, n * sizeof(*v));
    qsort(out, n, sizeof(*out), ref_cmp);
}

static double ref_median(const double *sorted, size_t n)
{
    return (sorted[(n - 1) / 2] + sorted[n / 2]) / 2;
}

/* Type 7 in Hyndman & Fan's own (1-based) form: m = 1 - p, j = floor(np + m),
 * g = np + m - j, Q = (1 - g) x_j + g x_{j+1} (a different formula from the library's
 * h = (n - 1) p; the two agree by algebra, not by sharing code). */
static double ref_quantile(const double *sorted, size_t n, double p)
{
    double npm = (double)n * p + (1 - p), j = floor(npm), g = npm - j;
    size_t ji = (size_t)j; /* 1-based */

    if (ji >= n)
        return sorted[n - 1];
    if (ji < 1)
        return sorted[0];
    return (1 - g) * sorted[ji - 1] + g * sorted[ji];
}

/* The lower rank by the binomial tail computed in log space (lgamma): the largest k with
 * P(X <= k - 1) <= 0.025, X ~ Bin(n, 1/2), at least 1. */
static size_t ref_ci_lo(size_t n)
{
    double cdf = 0;
    size_t k;

    for (k = 0; k < n; k++) {
        cdf += exp(lgamma((double)n + 1) - lgamma((double)k + 1) -
                   lgamma((double)(n - k) + 1) - (double)n * log(2.0));
        if (cdf > 0.025)
            break;
    }
    return k < 1 ? 1 : k;
}

/* Sizes: every n up to 300, then a sparse set up to 3001 (odd and even). */
static size_t prop_size(size_t i)
{
    static const size_t big[] = {399, 400, 511, 512, 999, 1000, 1001, 1002, 2047, 3001};

    return i < 300 ? i + 1 : big[(i - 300) % BTK_ARRAY_SIZE(big)];
}
#define PROP_SIZES 310

static void order__select_kth_places_the_sorted_value_and_partitions(void **state)
{
    double *v = test_malloc(3001 * sizeof(double)), *s = test_malloc(3001 * sizeof(double));

    (void)state;
    for (size_t i = 0; i < PROP_SIZES; i++)
        for (int shape = 0; shape < 4; shape++) {
            size_t n = prop_size(i), k = (size_t)(prop_uniform() * (double)n);

            prop_fill(v, n, shape);
            ref_sorted(s, v, n);
            check_near(btk_stats_select_kth(v, n, k), s[k], 0);
            check_near(v[k], s[k], 0);
            for (size_t j = 0; j < n; j++)
                assert_true(j < k ? v[j] <= v[k] : v[j] >= v[k]);
            qsort(v, n, sizeof(*v), ref_cmp); /* the same multiset, only reordered */
            assert_memory_equal(v, s, n * sizeof(*v));
        }
    test_free(v);
    test_free(s);
}

/* The median and the type-7 quantiles by selection equal those of the sorted values (a
 * plain qsort here), bit for bit, at quantiles that fall on order statistics and between
 * them, and leave the multiset as it was. */
static void order__median_and_quantiles_inplace_match_the_sort(void **state)
{
    double *v = test_malloc(3001 * sizeof(double)), *s = test_malloc(3001 * sizeof(double));
    const double qs[] = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1};

    (void)state;
    for (size_t i = 0; i < PROP_SIZES; i++)
        for (int shape = 0; shape < 4; shape++) {
            size_t n = prop_size(i);

            prop_fill(v, n, shape);
            ref_sorted(s, v, n);
            check_near(btk_stats_median_inplace(v, n), ref_median(s, n), 0);
            for (size_t k = 0; k <= BTK_ARRAY_SIZE(qs); k++) {
                double q = k < BTK_ARRAY_SIZE(qs) ? qs[k] : prop_uniform();

                check_near(btk_stats_quantile_inplace(v, n, q),
                           btk_stats_quantile_sorted(s, n, q), 0);
            }
            qsort(v, n, sizeof(*v), ref_cmp);
            assert_memory_equal(v, s, n * sizeof(*v));
        }
    assert_true(isnan(btk_stats_median_inplace(v, 0)));
    test_free(v);
    test_free(s);
}

static void order__median_ci_ranks_match_the_binomial_tail(void **state)
{
    size_t lo, hi;

    (void)state;
    for (size_t n = 1; n <= 1000; n++) {
        btk_stats_median_ci_ranks(n, &lo, &hi);
        assert_int_equal(hi, n + 1 - lo);
        assert_int_equal(lo, n < 6 ? 1 : ref_ci_lo(n));
    }
    /* above 1000 the normal approximation: within one rank of the exact tail */
    for (size_t n = 1001; n <= 5001; n += 250) {
        size_t want = ref_ci_lo(n);

        btk_stats_median_ci_ranks(n, &lo, &hi);
        assert_int_equal(hi, n + 1 - lo);
        assert_in_range(lo, want - 1, want + 1);
    }
}

static void order__rel_ci_inplace_matches_sorted_order_statistics(void **state)
{
    double *v = test_malloc(3001 * sizeof(double)), *s = test_malloc(3001 * sizeof(double));
    size_t lo, hi, checked = 0;

    (void)state;
    for (size_t i = 0; i < PROP_SIZES; i++)
        for (int shape = 0; shape < 4; shape++) {
            size_t n = prop_size(i);
            double got, med;

            prop_fill(v, n, shape);
            ref_sorted(s, v, n);
            got = btk_stats_rel_ci_inplace(v, n);
            med = ref_median(s, n);
            if (n < 6 || med <= 0) {
                assert_true(got > 1e300); /* too few, or no positive median: "unknown" */
                continue;
            }
            btk_stats_median_ci_ranks(n, &lo, &hi); /* checked against the binomial above */
            check_near(got, (s[hi - 1] - s[lo - 1]) / 2 / med, 1e-12);
            checked++;
        }
    assert_true(checked > 900); /* the comparison really ran for most inputs */
    test_free(v);
    test_free(s);
}

static void order__summary_matches_sort_based_references(void **state)
{
    double *v = test_malloc(3001 * sizeof(double)), *s = test_malloc(3001 * sizeof(double));
    double *dev = test_malloc(3001 * sizeof(double));
    static const double ps[] = {0.5, 0.9, 0.95, 0.99, 0.999};
    btk_stats st;

    (void)state;
    for (size_t i = 0; i < PROP_SIZES; i++)
        for (int shape = 0; shape < 4; shape++) {
            size_t n = prop_size(i), lo = n < 6 ? 1 : ref_ci_lo(n), outl = 0, outh = 0;
            double med, q1, q3, got[5];

            prop_fill(v, n, shape);
            ref_sorted(s, v, n);
            assert_int_equal(btk_stats_summarize(&st, v, n), 0);
            med = ref_median(s, n);
            check_near(st.min, s[0], 0);
            check_near(st.max, s[n - 1], 0);
            check_near(st.median, med, 1e-12);
            got[0] = st.p50, got[1] = st.p90, got[2] = st.p95, got[3] = st.p99;
            got[4] = st.p999;
            for (size_t q = 0; q < 5; q++)
                check_near(got[q], ref_quantile(s, n, ps[q]), 1e-9);
            if (n <= 1000) { /* exact binomial ranks (above: see the ranks test) */
                check_near(st.ci_low, s[lo - 1], 0);
                check_near(st.ci_high, s[n - lo], 0);
            }
            for (size_t j = 0; j < n; j++)
                dev[j] = fabs(v[j] - med);
            qsort(dev, n, sizeof(*dev), ref_cmp);
            check_near(st.mad, ref_median(dev, n), 1e-12);
            q1 = ref_quantile(s, n, 0.25);
            q3 = ref_quantile(s, n, 0.75);
            for (size_t j = 0; j < n; j++) {
                outl += s[j] < q1 - 1.5 * (q3 - q1);
                outh += s[j] > q3 + 1.5 * (q3 - q1);
            }
            assert_int_equal(st.outliers_low, outl);
            assert_int_equal(st.outliers_high, outh);
        }
    test_free(v);
    test_free(s);
    test_free(dev);
}

/* ---- the table of btk_stats's fields ---- */

/* The public names: docs/json-format.md ("stats") and docs/database.md (results columns). */
static const struct {
    const char *name, *column;
    btk_stats_unit unit;
} spec[] = {
    {"min", "min", BTK_STATS_NS},
    {"max", "max", BTK_STATS_NS},
    {"mean", "mean", BTK_STATS_NS},
    {"median", "median", BTK_STATS_NS},
    {"stddev", "stddev", BTK_STATS_NS},
    {"mad", "mad", BTK_STATS_NS},
    {"p50", "p50", BTK_STATS_NS},
    {"p90", "p90", BTK_STATS_NS},
    {"p95", "p95", BTK_STATS_NS},
    {"p99", "p99", BTK_STATS_NS},
    {"p999", "p999", BTK_STATS_NS},
    {"median_ci_low", "ci_low", BTK_STATS_NS},
    {"median_ci_high", "ci_high", BTK_STATS_NS},
    {"ci_level", NULL, BTK_STATS_RATIO},
    {"rel_ci", NULL, BTK_STATS_RATIO},
    {"outliers_low", "outliers_low", BTK_STATS_COUNT},
    {"outliers_high", "outliers_high", BTK_STATS_COUNT},
    {"samples", "samples", BTK_STATS_COUNT},
    {"iterations", "iterations", BTK_STATS_COUNT},
};

/* Fields set by name to 1, 2, 3 ... in spec order. */
static void numbered(btk_stats *s)
{
    s->min = 1, s->max = 2, s->mean = 3, s->median = 4, s->stddev = 5, s->mad = 6;
    s->p50 = 7, s->p90 = 8, s->p95 = 9, s->p99 = 10, s->p999 = 11;
    s->ci_low = 12, s->ci_high = 13, s->ci_level = 14, s->rel_ci = 15;
    s->outliers_low = 16, s->outliers_high = 17, s->samples = 18, s->iterations = 19;
}

static void metrics__each_public_name_reads_its_own_field(void **state)
{
    btk_stats s;

    (void)state;
    assert_int_equal(BTK_ARRAY_SIZE(spec), BTK_STATS_METRIC_COUNT);
    numbered(&s);
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        assert_string_equal(m->name, spec[i].name);
        if (spec[i].column)
            assert_string_equal(m->column, spec[i].column);
        else
            assert_null(m->column);
        assert_int_equal(m->unit, spec[i].unit);
        check_near(btk_stats_get(&s, m), (double)(i + 1), 0);
        if (m->unit == BTK_STATS_COUNT)
            assert_int_equal(btk_stats_get_count(&s, m), (int64_t)(i + 1));
    }
}

static void metrics__fields_written_through_the_table_read_back_by_name(void **state)
{
    btk_stats s, want;

    (void)state;
    memset(&s, 0, sizeof(s));
    memset(&want, 0, sizeof(want));
    numbered(&want);
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->unit == BTK_STATS_COUNT)
            *btk_stats_count_field(&s, m) = (int64_t)(i + 1);
        else
            *btk_stats_real_field(&s, m) = (double)(i + 1);
    }
    assert_memory_equal(&s, &want, sizeof(s));
}

static void metrics__init_makes_every_figure_unknown(void **state)
{
    btk_stats s;

    (void)state;
    numbered(&s);
    btk_stats_init(&s);
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->unit == BTK_STATS_COUNT)
            assert_int_equal(btk_stats_get_count(&s, m), 0);
        else
            assert_true(isnan(btk_stats_get(&s, m)));
    }
}

/* btk_stats_two_levels on hand-made process medians; each case's arithmetic beside it. */
static void stats__two_levels(void **state)
{
    /* the `alloc/1` processes of a run on a host with a slow state (docs/figures/harness.md) */
    double a[] = {6.4, 6.7, 6.4, 12.6, 12.6, 12.5, 12.4, 13.4, 12.9, 12.8};
    double spread[] = {1.40, 1.00, 1.35, 1.05, 1.30, 1.10, 1.25, 1.15, 1.20};
    double one_out[] = {6.4, 6.4, 6.5, 6.4, 6.3, 12.9, 6.4, 6.5, 6.4, 6.4};
    double near[] = {1, 1, 1, 1.15, 1.15, 1.15};
    double tight[] = {1.26, 1, 1.25, 1.01};
    double wide[] = {1.0, 1.5, 1.9, 2.4};
    double three[] = {1, 2, 3};
    double low, high;
    size_t low_n;

    (void)state;
    /* sorted 6.4 6.4 6.7 | 12.4 ...: 12.4 / 6.7 = 1.85 >= 1.2, above 6.7 / 6.4 = 1.05 and
     * 13.4 / 12.4 = 1.08; low median 6.4, high: 12.4 12.5 12.6 12.6 12.8 12.9 13.4 -> 12.6 */
    assert_true(btk_stats_two_levels(a, 10, &low_n, &low, &high));
    assert_int_equal(low_n, 3);
    check_near(low, 6.4, 1e-12);
    check_near(high, 12.6, 1e-12);
    /* a continuous spread, 1.00 .. 1.40 by 0.05: no neighbour ratio above 1.05 */
    assert_false(btk_stats_two_levels(spread, 9, &low_n, &low, &high));
    /* one slow process: a level needs 2; the best split with 2 on each side is 6.5 / 6.4 */
    assert_false(btk_stats_two_levels(one_out, 10, &low_n, &low, &high));
    /* 15 % apart: below BTK_LEVELS_GAP */
    assert_false(btk_stats_two_levels(near, 6, &low_n, &low, &high));
    /* 1 1.01 | 1.25 1.26: 1.25 / 1.01 = 1.238, levels 1.01 and 1.008 wide: (1 + 1.01) / 2
     * = 1.005 and (1.25 + 1.26) / 2 = 1.255 */
    assert_true(btk_stats_two_levels(tight, 4, &low_n, &low, &high));
    assert_int_equal(low_n, 2);
    check_near(low, 1.005, 1e-12);
    check_near(high, 1.255, 1e-12);
    /* the one split, 1.9 / 1.5 = 1.27, is narrower than the low level (1.5 / 1.0) */
    assert_false(btk_stats_two_levels(wide, 4, &low_n, &low, &high));
    /* fewer than 4 processes cannot make two levels of 2 */
    assert_false(btk_stats_two_levels(three, 3, &low_n, &low, &high));
}

/* MSER-m by its definition, another way: for each d, the batch means of the kept batches
 * (cut from the end), their plain two-pass mean and sum of squares, Z(d) = SSE / (k-d)^2;
 * the smallest d of the smallest Z. */
/* The shared-core rule written out another way: each group's median from a sorted copy,
 * which shared ones lie beyond every alone one checked pair by pair. */
static size_t ref_shared_aside(const double *med, const double *ratio, size_t n, bool *aside)
{
    double a[64], s[64], m[64], ma, ms;
    size_t na = 0, ns = 0, nm = 0, i, j, k = 0;
    bool above;

    for (i = 0; i < n; i++)
        aside[i] = false;
    for (i = 0; i < n; i++) {
        if (!(med[i] > 0) || !isfinite(med[i]))
            return 0;
        if (ratio[i] >= 1.5)
            s[ns++] = med[i];
        else if (!(ratio[i] >= 1.2))
            a[na++] = med[i];
    }
    if (na < 1 || ns < 1)
        return 0;
    qsort(a, na, sizeof(double), ref_cmp);
    qsort(s, ns, sizeof(double), ref_cmp);
    ma = ref_median(a, na);
    ms = ref_median(s, ns);
    if (!(fabs(ms / ma - 1) > 0.02))
        return 0;
    above = ms > ma;
    for (i = 0; i < ns; i++) { /* beyond every alone one, on the shared side */
        bool beyond = true;

        for (j = 0; j < na; j++)
            beyond = beyond && (above ? s[i] > a[j] : s[i] < a[j]);
        if (beyond)
            m[nm++] = s[i]; /* sorted, as s is */
    }
    /* all, or all but one of 4 or more */
    if (!(nm == ns || (nm + 1 == ns && nm >= 3)))
        return 0;
    /* one alone: 3 or more beyond it, each farther from it than their range */
    if (na == 1 && nm < 3)
        return 0;
    for (i = 0; na == 1 && i < nm; i++)
        if (!(fabs(m[i] - a[0]) >= m[nm - 1] - m[0]))
            return 0;
    for (i = 0; i < n; i++) { /* shared or between 1.2 and 1.5, beyond every alone one */
        bool beyond = true;

        for (j = 0; j < na; j++)
            beyond = beyond && (above ? med[i] > a[j] : med[i] < a[j]);
        aside[i] = ratio[i] >= 1.2 && beyond;
        k += aside[i];
    }
    return k;
}

/* Hand cases first (the values of a real run: docs/figures/harness.md, memcpy/64 with 8 of
 * 10 processes on a shared core), then random runs against the reference above. */
static void stats__shared_aside_sets_aside_a_state_that_moved_the_benchmark(void **state)
{
    /* 8 shared at ~4.4 ns (ratio ~2), 2 alone at 2.5-2.6 ns: the 8 go */
    const double med1[] = {4.4, 4.4, 4.4, 4.4, 4.4, 4.4, 4.1, 4.5, 2.5, 2.6};
    const double rat1[] = {2.09, 1.99, 2.11, 2.12, 1.92, 2.18, 2.02, 2.01, 1.00, 1.00};
    /* cpu-bound: shared 1 % slower, separated, under the 2 % effect: none goes */
    const double med2[] = {1010, 1011, 1012, 1000, 1001, 999};
    const double rat2[] = {2.0, 2.0, 2.0, 1.0, 1.0, 1.0};
    /* the 5th (shared) lies inside the alone range: not separated, and 2 beyond are too few
     * to leave one out: none goes */
    const double med3[] = {100, 101, 102, 150, 101.5, 160};
    const double rat3[] = {1.0, 1.0, 1.0, 2.0, 2.0, 2.0};
    /* lookup/100000 in a drift run (docs/figures/compare.md, 2026-12-03): 6 alone at
     * 122.8-126.0 ns, 4 read shared, 3 of them at 144-153 ns and one at 120.8 ns (the
     * sibling busy at its reading, not while it sampled): the 3 go, the 4th stays; with two
     * of the shared ones inside the alone range, none goes */
    const double med9[] = {144.0, 153.3, 120.8, 122.8, 123.5, 147.5, 125.8, 126.0, 124.6, 125.8};
    const double rat9[] = {1.64, 2.3, 1.97, 1.0, 1.0, 2.58, 1.0, 1.0, 1.03, 1.0};
    const double med10[] = {144.0, 124.0, 120.8, 122.8, 123.5, 147.5, 125.8, 126.0, 124.6, 125.8};
    /* none alone: the run's figure stays of the shared state */
    const double rat4[] = {2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0};
    /* one alone (alloc/16 of the same run as med1): 9 shared at 331-351 ns, 118 ns from
     * it, farther than their 20 ns range: they go; the same alone process 10 ns below a
     * chase-like spread of 60 ns: none goes */
    const double med6[] = {331.3, 346.9, 345.2, 349.4, 351.3, 340.8, 342.2, 338.9, 347.3, 213.3};
    const double med7[] = {231.3, 246.9, 245.2, 249.4, 291.3, 240.8, 242.2, 238.9, 247.3, 213.3};
    /* a reading between 1.2 and 1.5 takes no part in the test (a drift run's
     * complexity_sum/4096: 3 alone at ~1920, 6 shared at 2289-2723, one at 1.48 and 2492
     * would otherwise break the separation) and goes with the shared ones when it lies
     * beyond the alone ones; one at 1.3 inside their range stays */
    const double med8[] = {1908, 1917, 1937, 2723, 2455, 2383, 2492, 2289, 2682, 2700, 1915};
    const double rat8[] = {1.00, 1.00, 1.00, 1.97, 1.72, 2.04, 1.48, 1.86, 2.06, 2.24, 1.30};
    /* unknown ratios (0, NAN) count as alone; a faster shared state goes too */
    const double med5[] = {10, 10.1, 10.2, 8, 8.1};
    const double rat5[] = {0, NAN, 1.2, 1.6, 1.9};
    bool aside[64], want[64];
    double med[64], rat[64], scratch[64];
    size_t i, n, got, checked = 0, one_alone = 0, alone, one_left = 0;

    (void)state;
    assert_int_equal(btk_stats_shared_aside(med1, rat1, 10, aside, scratch), 8);
    for (i = 0; i < 10; i++)
        assert_int_equal(aside[i], i < 8);
    assert_int_equal(btk_stats_shared_aside(med2, rat2, 6, aside, scratch), 0);
    assert_int_equal(btk_stats_shared_aside(med3, rat3, 6, aside, scratch), 0);
    assert_int_equal(btk_stats_shared_aside(med9, rat9, 10, aside, scratch), 3);
    for (i = 0; i < 10; i++)
        assert_int_equal(aside[i], i == 0 || i == 1 || i == 5);
    assert_int_equal(btk_stats_shared_aside(med10, rat9, 10, aside, scratch), 0);
    assert_int_equal(btk_stats_shared_aside(med1, rat4, 10, aside, scratch), 0);
    {
        const double rat6[] = {1.89, 1.92, 2.27, 1.92, 2.03, 2.03, 2.04, 2.23, 2.19, 1.00};

        assert_int_equal(btk_stats_shared_aside(med6, rat6, 10, aside, scratch), 9);
        assert_false(aside[9]);
        assert_int_equal(btk_stats_shared_aside(med7, rat6, 10, aside, scratch), 0);
    }
    assert_int_equal(btk_stats_shared_aside(med8, rat8, 11, aside, scratch), 7);
    for (i = 0; i < 11; i++)
        assert_int_equal(aside[i], i >= 3 && i < 10);
    assert_int_equal(btk_stats_shared_aside(med5, rat5, 5, aside, scratch), 2);
    assert_true(!aside[0] && !aside[1] && !aside[2] && aside[3] && aside[4]);
    for (size_t t = 0; t < 20000; t++) {
        n = 1 + (size_t)(prop_uniform() * 20);
        for (i = 0; i < n; i++) {
            double u = prop_uniform();

            rat[i] = u < 0.5 ? 1 + prop_uniform() * 0.4 : u < 0.95 ? 1.6 + prop_uniform() : 0;
            /* between 1.2 and 1.4 (a third of the first half) takes no part in the test */
            /* shared processes slower by 0-6 % in half the runs, their spread 0-3 % */
            med[i] = 100 * (1 + prop_uniform() * 0.03) *
                     (rat[i] >= 1.5 && t % 2 ? 1 + (double)(t % 7) * 0.01 : 1);
        }
        if (t % 97 == 0)
            med[n / 2] = t % 2 ? 0 : NAN;
        got = btk_stats_shared_aside(med, rat, n, aside, scratch);
        assert_int_equal(got, ref_shared_aside(med, rat, n, want));
        for (i = 0; i < n; i++)
            assert_int_equal(aside[i], want[i]);
        checked += got > 0;
        for (i = 0, alone = 0; i < n; i++)
            alone += !want[i];
        one_alone += got > 0 && alone == 1;
        for (i = 0, alone = 0; got > 0 && i < n; i++)
            alone += rat[i] >= 1.5 && !want[i]; /* a shared one kept */
        one_left += alone > 0;
    }
    assert_true(checked > 1000); /* the rule set processes aside in many of the runs */
    assert_true(one_alone > 10); /* ... some of them with one process alone */
    assert_true(one_left > 10);  /* ... some with a shared one left among the alone ones */
}

static size_t ref_mser(const double *x, size_t n, size_t m)
{
    size_t k = n / m, lead = n - k * m, best = 0;
    double best_z = -1;

    if (k < 2)
        return lead;
    for (size_t d = 0; d <= k / 2; d++) {
        double mean = 0, sse = 0, z;

        for (size_t j = d; j < k; j++) {
            double b = 0;

            for (size_t i = 0; i < m; i++)
                b += x[lead + j * m + i];
            mean += b / (double)m;
        }
        mean /= (double)(k - d);
        for (size_t j = d; j < k; j++) {
            double b = 0;

            for (size_t i = 0; i < m; i++)
                b += x[lead + j * m + i];
            sse += (b / (double)m - mean) * (b / (double)m - mean);
        }
        z = sse / ((double)(k - d) * (double)(k - d));
        /* a relative tolerance: the two computations round differently */
        if (best_z < 0 || z < best_z * (1 - 1e-9)) {
            best_z = z;
            best = d;
        }
    }
    return lead + best * m;
}

/* btk_stats_mser_drop against ref_mser on random series of many sizes (a step transient of
 * random height and length, then one of the four shapes, with random outliers), and on
 * hand cases. A tie within rounding may be resolved either way: then both choices' Z agree. */
static void stats__mser_drop_matches_its_definition(void **state)
{
    double v[700];
    size_t ms[] = {1, 2, 5, 7};

    (void)state;
    for (int round = 0; round < 400; round++) {
        size_t n = 1 + (size_t)(prop_uniform() * 699), m = ms[round % 4];
        size_t step = (size_t)(prop_uniform() * (double)n / 2);
        double height = 1 + 3 * prop_uniform();
        size_t got, want;

        prop_fill(v, n, round % 4);
        for (size_t i = 0; i < step; i++)
            v[i] = v[i] * height + 1;
        for (size_t i = 0; i < n; i++)
            if (prop_uniform() < 0.02)
                v[i] *= 5; /* a disturbed sample */
        got = btk_stats_mser_drop(v, n, m);
        want = ref_mser(v, n, m);
        assert_true(got <= n / 2 + m); /* at most half the batches and the leftover */
        assert_int_equal((got - n % m) % m, 0);
        if (got != want) { /* only a tie within rounding: compare the two choices' Z */
            double zg = 0, zw = 0;
            size_t k = n / m;

            for (int which = 0; which < 2; which++) {
                size_t d = ((which ? want : got) - n % m) / m;
                double mean = 0, sse = 0;

                for (size_t j = d; j < k; j++) {
                    double b = 0;
                    for (size_t i = 0; i < m; i++)
                        b += v[n % m + j * m + i];
                    mean += b / (double)m;
                }
                mean /= (double)(k - d);
                for (size_t j = d; j < k; j++) {
                    double b = 0;
                    for (size_t i = 0; i < m; i++)
                        b += v[n % m + j * m + i];
                    sse += (b / (double)m - mean) * (b / (double)m - mean);
                }
                *(which ? &zw : &zg) = sse / ((double)(k - d) * (double)(k - d));
            }
            print_message("n %zu m %zu: drop %zu vs %zu, Z %.17g vs %.17g\n", n, m, got,
                          want, zg, zw);
            check_near(zg, zw, 1e-9 * (zw > 0 ? zw : 1));
        }
    }
    {
        /* hand cases: 10 slow then 30 steady values (m 5): the two slow batches go */
        double step[40];
        for (size_t i = 0; i < 40; i++)
            step[i] = i < 10 ? 3.0 : 1.0 + 0.001 * (double)(i % 3);
        assert_int_equal(btk_stats_mser_drop(step, 40, 5), 10);
        /* 20 values at 5, then 100 at exactly 42: every cut from 20 on leaves Z = 0, and
         * the shortest of them is taken (rounding must not pick a longer one) */
        double flat[120];
        for (size_t i = 0; i < 120; i++)
            flat[i] = i < 20 ? 5.0 : 42.0;
        assert_int_equal(btk_stats_mser_drop(flat, 120, 5), 20);
        assert_int_equal(btk_stats_mser_drop(flat, 120, 1), 20);
        /* constant: nothing to drop; 7 values in batches of 5: k = 1, the 2 oldest go */
        for (size_t i = 0; i < 40; i++)
            step[i] = 2.0;
        assert_int_equal(btk_stats_mser_drop(step, 40, 5), 0);
        assert_int_equal(btk_stats_mser_drop(step, 7, 5), 2);
        assert_int_equal(btk_stats_mser_drop(step, 0, 5), 0);
        /* 13 values, m 5: the 3 oldest always go, then 2 batches from the end (3..7 at 9,
         * 8..12 at 1); d <= 1: dropping the first leaves one batch, Z = 0 */
        for (size_t i = 0; i < 13; i++)
            step[i] = i < 8 ? 9.0 : 1.0;
        assert_int_equal(btk_stats_mser_drop(step, 13, 5), 3 + 5);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stats__summary_of_a_known_set),
        cmocka_unit_test(stats__median_ci_from_order_statistics),
        cmocka_unit_test(stats__tukey_outliers_counted_not_removed),
        cmocka_unit_test(stats__single_value_and_quantile_edges),
        cmocka_unit_test(stats__empty_input_is_einval),
        cmocka_unit_test(stats__allocation_failure_is_clean),
        cmocka_unit_test(stats__rel_ci_shrinks_with_more_samples),
        cmocka_unit_test(sort__ascending_with_duplicates_and_negatives),
        cmocka_unit_test(order__select_kth_places_the_sorted_value_and_partitions),
        cmocka_unit_test(order__median_and_quantiles_inplace_match_the_sort),
        cmocka_unit_test(order__median_ci_ranks_match_the_binomial_tail),
        cmocka_unit_test(order__rel_ci_inplace_matches_sorted_order_statistics),
        cmocka_unit_test(stats__tied_middle_gives_a_zero_width_ci),
        cmocka_unit_test(stats__shared_aside_sets_aside_a_state_that_moved_the_benchmark),
        cmocka_unit_test(order__summary_matches_sort_based_references),
        cmocka_unit_test(metrics__each_public_name_reads_its_own_field),
        cmocka_unit_test(metrics__fields_written_through_the_table_read_back_by_name),
        cmocka_unit_test(metrics__init_makes_every_figure_unknown),
        cmocka_unit_test(stats__two_levels),
        cmocka_unit_test(stats__mser_drop_matches_its_definition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
