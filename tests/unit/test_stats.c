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

static void sort__ascending_with_duplicates_and_negatives(void **state)
{
    double v[] = {3, -1, 100, 3, 0.5, -7, 2};
    const double want[] = {-7, -1, 0.5, 2, 3, 3, 100};

    (void)state;
    btk_stats_sort(v, BTK_ARRAY_SIZE(v));
    assert_memory_equal(v, want, sizeof(want));
    btk_stats_sort(v, 0); /* nothing to do, no access */
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
        cmocka_unit_test(metrics__each_public_name_reads_its_own_field),
        cmocka_unit_test(metrics__fields_written_through_the_table_read_back_by_name),
        cmocka_unit_test(metrics__init_makes_every_figure_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
