/* Tests of the verdict rules: every verdict is reachable, each from the figures that
 * should produce it, and near misses of each rule give the weaker verdict. The figures are
 * constructed by hand; the expected kinds follow from the rules in docs/statistics.md. */
#include "check.h"
#include "verdict.h"

#include <math.h>

static const btk_verdict_rules rules = {0.05, 0, 0.10, 0.001};
static const btk_verdict_facts present = {true, true, false, false, NULL, NULL};

/* 10 processes a side, ratio r with CI [lo, hi], BH q; memory unknown. */
static btk_verdict timed(double r, double lo, double hi, double q)
{
    btk_verdict v;

    memset(&v, 0, sizeof(v));
    v.name = "bench";
    v.ratio = r;
    v.ci_low = lo;
    v.ci_high = hi;
    v.p_value = q / 2;
    v.q_value = q;
    v.noise_band = 0.02;
    v.units_base = v.units_new = 10;
    v.unit = "processes";
    v.base_allocs = v.new_allocs = v.base_bytes = v.new_bytes = NAN;
    v.base_peak_rss = v.new_peak_rss = -1;
    return v;
}

/* Release the reason so the verdict can be decided again. */
static void drop(btk_verdict *v)
{
    btk__free(v->reason);
    v->reason = NULL;
}

static btk_verdict_kind decide(btk_verdict *v, const btk_verdict_facts *f,
                               const btk_verdict_rules *r)
{
    assert_int_equal(btk_verdict_decide(v, f, r), 0);
    assert_non_null(v->reason);
    return v->kind;
}

static void verdict__regressed_needs_significance_and_ci_beyond_band(void **state)
{
    btk_verdict v = timed(1.20, 1.15, 1.25, 0.002);

    (void)state;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_REGRESSED);
    assert_string_equal(v.reason, "slower by 20.0% (CI above +2.0%, q=0.002)");
    drop(&v);
    /* same effect, q just above alpha: unchanged */
    v = timed(1.20, 1.15, 1.25, 0.051);
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_UNCHANGED);
    assert_string_equal(v.reason, "not significant (q=0.051)");
    drop(&v);
    /* significant but the CI reaches into the 2% band: unchanged */
    v = timed(1.03, 1.019, 1.04, 0.001);
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_UNCHANGED);
    assert_string_equal(v.reason, "CI [1.019, 1.040] not beyond the 2.0% noise band");
    drop(&v);
}

static void verdict__max_regression_tolerates_small_slowdowns(void **state)
{
    btk_verdict_rules tolerant = rules;
    btk_verdict v = timed(1.06, 1.05, 1.07, 0.001);

    (void)state;
    tolerant.max_regression = 0.10;
    assert_int_equal(decide(&v, &present, &tolerant), BTK_VERDICT_UNCHANGED);
    assert_string_equal(v.reason, "slower by 6.0%, tolerated (max_regression 10.0%)");
    drop(&v);
    v = timed(1.15, 1.11, 1.19, 0.001);
    assert_int_equal(decide(&v, &present, &tolerant), BTK_VERDICT_REGRESSED);
    drop(&v);
}

static void verdict__improved_is_the_mirror_image(void **state)
{
    btk_verdict v = timed(0.80, 0.78, 0.83, 0.001);

    (void)state;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_IMPROVED);
    assert_string_equal(v.reason, "faster by 20.0% (q=0.001)");
    drop(&v);
    v = timed(0.985, 0.97, 0.99, 0.001); /* CI inside the band on the upper end */
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_UNCHANGED);
    drop(&v);
}

static void verdict__inconclusive_when_units_cannot_reach_alpha(void **state)
{
    btk_verdict v = timed(1.5, 1.4, 1.6, NAN);

    (void)state;
    v.units_base = v.units_new = 3; /* min p = 2/C(6,3) = 0.1 > 0.05 */
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
    assert_int_equal(v.units_needed, 4);
    assert_string_equal(v.reason, "3 vs 3 processes cannot reach p <= 0.05 (need >= 4 per "
                                  "side)");
    drop(&v);
    v = timed(1.5, 1.4, 1.6, 0.02); /* 4 vs 4 can: decided normally */
    v.units_base = v.units_new = 4;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_REGRESSED);
    assert_int_equal(v.units_needed, 0);
    drop(&v);
    v = timed(NAN, NAN, NAN, NAN); /* no samples at all */
    v.units_base = v.units_new = 0;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
    drop(&v);
}

static void verdict__new_missing_failed(void **state)
{
    btk_verdict_facts f = present;
    btk_verdict v = timed(NAN, NAN, NAN, NAN);

    (void)state;
    f.in_base = false;
    assert_int_equal(decide(&v, &f, &rules), BTK_VERDICT_NEW);
    assert_string_equal(v.reason, "not on the base side");
    drop(&v);
    f = present;
    f.base_failed = true;
    assert_int_equal(decide(&v, &f, &rules), BTK_VERDICT_NEW);
    assert_string_equal(v.reason, "failed on the base side");
    drop(&v);
    f = present;
    f.in_new = false;
    assert_int_equal(decide(&v, &f, &rules), BTK_VERDICT_MISSING);
    drop(&v);
    f = present;
    f.new_failed = true;
    f.new_error = "killed by signal 11";
    assert_int_equal(decide(&v, &f, &rules), BTK_VERDICT_FAILED);
    assert_string_equal(v.reason, "failed: killed by signal 11");
    drop(&v);
}

static void verdict__budgets_fail_like_regressions(void **state)
{
    btk_verdict_facts f = present;
    btk_verdict v = timed(1.0, 0.99, 1.01, 0.9);

    (void)state;
    f.budget_broken = "p95 < 500ns (is 612ns)";
    assert_int_equal(decide(&v, &f, &rules), BTK_VERDICT_BUDGET);
    assert_string_equal(v.reason, "not significant (q=0.9); budget broken: p95 < 500ns "
                                  "(is 612ns)");
    drop(&v);
    v = timed(1.2, 1.15, 1.25, 0.001); /* a regression outranks the budget, both said */
    assert_int_equal(decide(&v, &f, &rules), BTK_VERDICT_REGRESSED);
    assert_non_null(strstr(v.reason, "budget broken"));
    drop(&v);
    f.in_base = false; /* a new benchmark is held to its budgets too */
    assert_int_equal(decide(&v, &f, &rules), BTK_VERDICT_BUDGET);
    drop(&v);
    v = timed(1.5, 1.4, 1.6, NAN); /* inconclusive timing, broken budget */
    v.units_base = 2;
    f.in_base = true;
    assert_int_equal(decide(&v, &f, &rules), BTK_VERDICT_BUDGET);
    drop(&v);
}

static void verdict__allocation_counts_compare_exactly(void **state)
{
    btk_verdict v = timed(1.0, 0.99, 1.01, 0.9);

    (void)state;
    v.base_allocs = 0;
    v.new_allocs = 1;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_REGRESSED);
    assert_string_equal(v.reason, "not significant (q=0.9); allocs/iter 0 -> 1");
    drop(&v);
    v.new_allocs = 0.0004; /* within the tolerance */
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_UNCHANGED);
    drop(&v);
    v.base_allocs = 2;
    v.new_allocs = 1;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_IMPROVED);
    drop(&v);
    v.base_allocs = v.new_allocs = 1;
    v.base_bytes = 64;
    v.new_bytes = 65;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_REGRESSED);
    assert_string_equal(v.reason, "not significant (q=0.9); bytes/iter 64 -> 65");
    drop(&v);
}

static void verdict__peak_rss_has_a_tolerance(void **state)
{
    btk_verdict v = timed(1.0, 0.99, 1.01, 0.9);

    (void)state;
    v.base_peak_rss = 100 << 20;
    v.new_peak_rss = 105 << 20; /* +5% < 10% */
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_UNCHANGED);
    drop(&v);
    v.new_peak_rss = 120 << 20;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_REGRESSED);
    assert_non_null(strstr(v.reason, "peak RSS 104857600 -> 125829120 bytes (> 10%)"));
    drop(&v);
}

static void verdict__names_and_exit_code(void **state)
{
    btk_comparison cmp = {0, NULL, 0, 0};

    (void)state;
    assert_string_equal(btk_verdict_name(BTK_VERDICT_REGRESSED), "regressed");
    assert_string_equal(btk_verdict_name(BTK_VERDICT_INCONCLUSIVE), "inconclusive");
    assert_string_equal(btk_verdict_name(BTK_VERDICT_UNCHANGED), "unchanged");
    assert_string_equal(btk_verdict_name((btk_verdict_kind)99), "unknown");
    assert_int_equal(btk_comparison_exit_code(&cmp), 0);
    cmp.regressions = 1;
    assert_int_equal(btk_comparison_exit_code(&cmp), 1);
}

static void verdict__allocation_failure_is_enomem(void **state)
{
    btk_verdict v = timed(1.20, 1.15, 1.25, 0.002);
    int error;

    (void)state;
    for (long n = 0;; n++) {
        btk__alloc_fail_after(n);
        error = btk_verdict_decide(&v, &present, &rules);
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_null(v.reason);
    }
    drop(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verdict__regressed_needs_significance_and_ci_beyond_band),
        cmocka_unit_test(verdict__max_regression_tolerates_small_slowdowns),
        cmocka_unit_test(verdict__improved_is_the_mirror_image),
        cmocka_unit_test(verdict__inconclusive_when_units_cannot_reach_alpha),
        cmocka_unit_test(verdict__new_missing_failed),
        cmocka_unit_test(verdict__budgets_fail_like_regressions),
        cmocka_unit_test(verdict__allocation_counts_compare_exactly),
        cmocka_unit_test(verdict__peak_rss_has_a_tolerance),
        cmocka_unit_test(verdict__names_and_exit_code),
        cmocka_unit_test(verdict__allocation_failure_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
