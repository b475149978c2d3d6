/* Tests of the run-to-run noise: learning it from stored runs (consecutive differences)
 * and from the sides' runs, and folding it into a CI and p value. Expected values were
 * computed with SciPy 1.10.1 from the formulas of docs/statistics.md §8:
 * levels 100, 101, 99, 100, 102, 100: |log differences| 0.00995, 0.01005, 0.01980, 0.01980,
 * 0.02000, median 0.0198026, sd = 1.4826 * 0.0198026 / sqrt 2 = 0.020760213316049738;
 * one run a side: se = sd sqrt 2 = 0.0293594, t.isf(0.025, 5) = 2.5705818;
 * ratio 1.05: CI exp(ln 1.05 -+ 2.5706 se) = [0.9736722679, 1.1323111855],
 * p = 2 t.sf(ln 1.05 / se, 5) = 0.1574373164. */
#include "check.h"
#include "runnoise.h"

#include <math.h>

static btk_run *level_run(double median)
{
    btk_run *run = NULL;

    assert_int_equal(btk_run_new(&run), 0);
    run->result_count = 1;
    run->results = btk__calloc(1, sizeof(btk_result));
    assert_non_null(run->results);
    run->results[0].name = btk__strdup("b");
    run->results[0].status = BTK_RESULT_OK;
    run->results[0].stats.median = median;
    return run;
}

/* btk_run_free also releases what btk_run_find built (its name index). */
static void free_runs(btk_run **runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        btk_run_free(runs[i]);
}

static void runnoise__learned_from_history_and_applied(void **state)
{
    const double levels[] = {100, 101, 99, 100, 102, 100};
    btk_run *runs[6];
    const btk_run *h[6];
    btk_runnoise n;
    btk_verdict v;

    (void)state;
    for (int i = 0; i < 6; i++)
        h[i] = runs[i] = level_run(levels[i]);
    assert_int_equal(btk_runnoise_learn(&n, h, 6, NULL, 0, NULL, 0, "b", BTK_COMPARE_WALL), 0);
    check_near(n.sd, 0.020760213316049738, 1e-12);
    check_near(n.df, 5, 0);
    assert_int_equal(n.runs, 6);
    assert_string_equal(n.source, "stored runs");
    memset(&v, 0, sizeof(v));
    v.ratio = 1.05;
    v.ci_low = 1.04; /* a narrow bootstrap CI */
    v.ci_high = 1.06;
    v.p_value = 0.0001;
    btk_runnoise_apply(&v, &n, 1, 1, 0.95);
    check_near(v.ci_low, 0.9736722679272408, 1e-9);
    check_near(v.ci_high, 1.1323111855152335, 1e-9);
    check_near(v.p_value, 0.1574373164121623, 1e-9);
    check_near(v.run_noise, n.sd, 0);
    /* too few stored runs (4): nothing learned */
    assert_int_equal(btk_runnoise_learn(&n, h, 4, NULL, 0, NULL, 0, "b", BTK_COMPARE_WALL), 0);
    assert_true(isnan(n.sd));
    assert_null(n.source);
    free_runs(runs, 6);
}

/* Levels that toggle: 100 six times, one 130, then 100 three times. Consecutive log
 * differences 0 x5, ln 1.3, ln 1.3, 0, 0: their median is 0 (the robust part says no
 * noise); the RMS without the largest is sqrt(ln(1.3)^2 / 8 / 2) = 0.06559106611687275
 * (python3), and the larger of the two is taken. */
static void runnoise__toggling_levels_counted(void **state)
{
    const double levels[] = {100, 100, 100, 100, 100, 100, 130, 100, 100, 100};
    btk_run *runs[10];
    const btk_run *h[10];
    btk_runnoise n;

    (void)state;
    for (int i = 0; i < 10; i++)
        h[i] = runs[i] = level_run(levels[i]);
    assert_int_equal(btk_runnoise_learn(&n, h, 10, NULL, 0, NULL, 0, "b", BTK_COMPARE_WALL), 0);
    check_near(n.sd, 0.06559106611687275, 1e-12);
    check_near(n.df, 9, 0);
    free_runs(runs, 10);
}

/* Sides with several runs: the pooled within-side SD of their log levels. Base levels
 * 100, 104; contender 110, 110: SS = 2 (ln 1.04 / 2)^2, df = 4 - 2 = 2,
 * sd = sqrt(SS / 2) = ln 1.04 / 2. */
static void runnoise__learned_from_the_sides(void **state)
{
    btk_run *b[2] = {level_run(100), level_run(104)}, *c[2] = {level_run(110), level_run(110)};
    const btk_run *bb[2] = {b[0], b[1]}, *cc[2] = {c[0], c[1]};
    btk_runnoise n;

    (void)state;
    assert_int_equal(btk_runnoise_learn(&n, NULL, 0, bb, 2, cc, 2, "b", BTK_COMPARE_WALL), 0);
    check_near(n.sd, log(1.04) / 2, 1e-12);
    check_near(n.df, 2, 0);
    assert_string_equal(n.source, "runs of the sides");
    assert_int_equal(btk_runnoise_learn(&n, NULL, 0, bb, 1, cc, 1, "b", BTK_COMPARE_WALL), 0);
    assert_true(isnan(n.sd)); /* one run a side: nothing to learn */
    free_runs(b, 2);
    free_runs(c, 2);
}

/* Stored runs and sides with several runs: two estimates of one variance, pooled by their
 * degrees of freedom, not the larger of the two (the maximum of two unbiased estimates is
 * biased upward). History of the first test (sd 0.020760213316049738, 5 df) and the sides
 * of the second (ln 1.04 / 2, 2 df): sqrt((5 * 0.0207602^2 + 2 * 0.0196104^2) / 7) =
 * 0.02043828499502634 (python3), with 7 df. */
static void runnoise__history_and_sides_pooled(void **state)
{
    const double levels[] = {100, 101, 99, 100, 102, 100};
    btk_run *runs[6], *b[2] = {level_run(100), level_run(104)},
                      *c[2] = {level_run(110), level_run(110)};
    const btk_run *h[6], *bb[2] = {b[0], b[1]}, *cc[2] = {c[0], c[1]};
    btk_runnoise n;

    (void)state;
    for (int i = 0; i < 6; i++)
        h[i] = runs[i] = level_run(levels[i]);
    assert_int_equal(btk_runnoise_learn(&n, h, 6, bb, 2, cc, 2, "b", BTK_COMPARE_WALL), 0);
    check_near(n.sd, 0.02043828499502634, 1e-12);
    check_near(n.df, 7, 0);
    assert_int_equal(n.runs, 6);
    assert_string_equal(n.source, "stored runs and runs of the sides");
    free_runs(runs, 6);
    free_runs(b, 2);
    free_runs(c, 2);
}

/* A verdict without a finite effect is left alone (still inconclusive downstream). */
static void runnoise__not_applied_without_a_finite_effect(void **state)
{
    btk_runnoise n = {0.02, 5, 6, "stored runs"};
    btk_verdict v;

    (void)state;
    memset(&v, 0, sizeof(v));
    v.ratio = INFINITY;
    v.ci_low = v.ci_high = NAN;
    v.p_value = 0.5;
    v.run_noise = NAN;
    btk_runnoise_apply(&v, &n, 1, 1, 0.95);
    assert_true(isnan(v.ci_low) && isnan(v.run_noise));
}

static void runnoise__allocation_failure_is_enomem(void **state)
{
    btk_run *r = level_run(100);
    const btk_run *h[1] = {r};
    btk_runnoise n;

    (void)state;
    btk__alloc_fail_after(0);
    assert_int_equal(btk_runnoise_learn(&n, h, 1, NULL, 0, NULL, 0, "b", BTK_COMPARE_WALL), BTK_ENOMEM);
    btk__alloc_fail_after(-1);
    free_runs(&r, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(runnoise__learned_from_history_and_applied),
        cmocka_unit_test(runnoise__toggling_levels_counted),
        cmocka_unit_test(runnoise__learned_from_the_sides),
        cmocka_unit_test(runnoise__history_and_sides_pooled),
        cmocka_unit_test(runnoise__not_applied_without_a_finite_effect),
        cmocka_unit_test(runnoise__allocation_failure_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
