/* Tests of the verdict rules: every verdict is reachable, each from the figures that
 * should produce it, and near misses of each rule give the weaker verdict. The figures are
 * constructed by hand; the expected kinds follow from the rules in docs/statistics.md.
 * Expected "units needed" were computed with SciPy 1.10.1 (norm.ppf) from the formula of
 * §4: n = ceil(2 (z c s / gap)^2). */
#include "check.h"
#include "verdict.h"

#include <math.h>

static const btk_verdict_rules rules = {0.05, 0, 0.10, 0.001, 0.95};
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
    v.rss_ratio = v.rss_ci_low = v.rss_ci_high = v.rss_p = NAN;
    v.rss_floor = 64 * 4096;
    v.unit_spread = 0.01;
    v.run_noise = NAN;
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
    /* same effect, q just above alpha: not a regression, and not unchanged either */
    v = timed(1.20, 1.15, 1.25, 0.051);
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
    drop(&v);
    /* significant but the CI reaches into the 2% band: neither beyond nor inside it */
    v = timed(1.03, 1.019, 1.04, 0.001);
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
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
    v = timed(0.985, 0.981, 0.99, 0.001); /* CI inside the band */
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_UNCHANGED);
    assert_string_equal(v.reason, "CI [0.981, 0.990] inside the band [0.980, 1.020] "
                                  "(q=0.001)");
    drop(&v);
    v = timed(0.985, 0.97, 0.99, 0.001); /* CI reaches out of the band below */
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
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
    assert_string_equal(v.reason, "CI [0.990, 1.010] inside the band [0.980, 1.020] "
                                  "(q=0.9); budget broken: p95 < 500ns (is 612ns)");
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
    assert_string_equal(v.reason, "CI [0.990, 1.010] inside the band [0.980, 1.020] "
                                  "(q=0.9); allocs/iter 0 -> 1");
    assert_int_equal(v.time_kind, BTK_VERDICT_UNCHANGED);
    assert_true(v.has_memory);
    assert_int_equal(v.memory_kind, BTK_VERDICT_REGRESSED);
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
    assert_string_equal(v.reason, "CI [0.990, 1.010] inside the band [0.980, 1.020] "
                                  "(q=0.9); bytes/iter 64 -> 65");
    drop(&v);
}

/* Peak RSS is decided from the per-process test: significant AND the CI of the ratio of
 * medians beyond a band of max(rss_tolerance, floor / base median); unchanged only with
 * the CI inside that band. */
static void verdict__peak_rss_needs_significance_and_a_band_with_a_floor(void **state)
{
    btk_verdict v = timed(1.0, 0.99, 1.01, 0.9);

    (void)state;
    /* the old fixed rule's false alarm: max 1.82 -> 2.11 MB (+16%), not significant */
    v.base_peak_rss = 1820 << 10;
    v.new_peak_rss = 1880 << 10;
    v.rss_ratio = 1.033;
    v.rss_ci_low = 0.96;
    v.rss_ci_high = 1.09;
    v.rss_p = 0.40;
    v.rss_units_base = v.rss_units_new = 10;
    /* band = max(10%, 262144 / 1863680 = 14.1%): the CI is inside */
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_UNCHANGED);
    assert_int_equal(v.memory_kind, BTK_VERDICT_UNCHANGED);
    drop(&v);
    /* +12% with p = 0.001: beyond 10% but within the 64-page floor of a 1.8 MB process */
    v.rss_ratio = 1.15;
    v.rss_ci_low = 1.12;
    v.rss_ci_high = 1.18;
    v.rss_p = 0.001;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
    assert_int_equal(v.memory_kind, BTK_VERDICT_INCONCLUSIVE);
    assert_int_equal(v.time_kind, BTK_VERDICT_UNCHANGED);
    drop(&v);
    /* the same effect on a 100 MiB process: the 10% band decides; a regression */
    v.base_peak_rss = 100 << 20;
    v.new_peak_rss = 115 << 20;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_REGRESSED);
    assert_non_null(strstr(v.reason, "peak RSS +15.0% (104857600 -> 120586240 bytes"));
    drop(&v);
    /* not significant: never a regression, however large */
    v.rss_p = 0.2;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
    drop(&v);
    /* too few processes with a peak RSS: not tested, said, and no verdict from it */
    v.rss_ratio = v.rss_ci_low = v.rss_ci_high = v.rss_p = NAN;
    v.rss_units_base = 1;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_UNCHANGED);
    assert_false(v.has_memory);
    assert_non_null(strstr(v.reason, "peak RSS not tested (1 vs 10 processes"));
    drop(&v);
}

/* A time verdict and a memory verdict, kept apart: faster but allocating more reads as
 * exactly that, and the combined verdict fails the gate. */
static void verdict__time_and_memory_verdicts_are_kept_apart(void **state)
{
    btk_verdict v = timed(0.80, 0.78, 0.83, 0.001);

    (void)state;
    v.base_allocs = 1;
    v.new_allocs = 2;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_REGRESSED);
    assert_int_equal(v.time_kind, BTK_VERDICT_IMPROVED);
    assert_int_equal(v.memory_kind, BTK_VERDICT_REGRESSED);
    assert_string_equal(v.reason, "faster by 20.0% (q=0.001); allocs/iter 1 -> 2");
    drop(&v);
    v = timed(1.20, 1.15, 1.25, 0.001); /* slower, fewer allocations */
    v.base_allocs = 2;
    v.new_allocs = 1;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_REGRESSED);
    assert_int_equal(v.time_kind, BTK_VERDICT_REGRESSED);
    assert_int_equal(v.memory_kind, BTK_VERDICT_IMPROVED);
    drop(&v);
    /* time undecided (a 5 % slowdown whose CI crosses the band), fewer allocations: the
     * combined verdict is inconclusive, never "improved" (seen on stored runs recorded
     * apart, where a cpu benchmark 4.6 % slower read "improved" because its RSS shrank) */
    v = timed(1.046, 1.0025, 1.106, 0.02);
    v.base_allocs = 2;
    v.new_allocs = 1;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
    assert_int_equal(v.time_kind, BTK_VERDICT_INCONCLUSIVE);
    assert_int_equal(v.memory_kind, BTK_VERDICT_IMPROVED);
    drop(&v);
}

/* "unchanged" needs the CI inside the band (equivalence, Schuirmann 1987); a CI that is
 * neither inside nor beyond it is inconclusive, with the units needed per side. */
static void verdict__unchanged_needs_the_ci_inside_the_band(void **state)
{
    btk_verdict v = timed(1.0, 0.95, 1.05, 0.8);

    (void)state;
    /* the silent miss: not significant with a wide CI */
    v.unit_spread = 0.05;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
    /* ratio 1: gap = ln 1.02 = 0.0198026; s = 1.2533 * 0.05; z = 1.959964:
     * 2 (z s / gap)^2 = 76.94 -> 77 processes */
    assert_int_equal(v.units_needed, 77);
    assert_string_equal(v.reason, "CI [0.950, 1.050] not inside the band [0.980, 1.020] "
                                  "(q=0.8): about 77 processes per side needed");
    drop(&v);
    /* the run-to-run noise dominates the CI (z * 0.02 * sqrt 2 = 0.0554 > the bootstrap's
     * half width 0.0488): runs are needed, 2 (z 0.02 / gap)^2 = 7.84 -> 8 */
    v.run_noise = 0.02;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
    assert_int_equal(v.units_needed, 8);
    assert_string_equal(v.reason, "CI [0.950, 1.050] not inside the band [0.980, 1.020] "
                                  "(q=0.8): about 8 runs per side needed");
    drop(&v);
    /* processes: more than now, however small the formula's n (0.5 % spread: n = 1) */
    v = timed(1.0, 0.95, 1.05, 0.8);
    v.unit_spread = 0.005;
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
    assert_int_equal(v.units_needed, 11);
    drop(&v);
    /* the CI exactly on the band's edges counts as inside */
    v = timed(1.0, 0.98, 1.02, 0.8);
    assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_UNCHANGED);
    drop(&v);
}

/* Whatever is not finite gives "inconclusive", never "unchanged" (nor a regression). */
static void verdict__figures_that_are_not_finite_are_inconclusive(void **state)
{
    const double bad[][4] = {
        {INFINITY, NAN, NAN, 0.5},   /* a base of 0 ns: +inf % with CI [nan, nan] */
        {1.0, NAN, NAN, 0.5},        /* no CI */
        {1.0, 0.99, INFINITY, 0.5},  /* unbounded CI */
        {1.0, 0.99, 1.01, NAN},      /* no q although the units could reach alpha */
        {-2.01, -2.1, -1.9, 0.001},  /* negative medians: "faster by 301 %" */
        {0.0, 0.0, 0.0, 0.001},      /* a contender of 0 ns */
    };

    (void)state;
    for (size_t i = 0; i < BTK_ARRAY_SIZE(bad); i++) {
        btk_verdict v = timed(bad[i][0], bad[i][1], bad[i][2], bad[i][3]);

        assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
        assert_int_equal(v.time_kind, BTK_VERDICT_INCONCLUSIVE);
        assert_non_null(strstr(v.reason, "no finite effect"));
        drop(&v);
    }
    {
        btk_verdict v = timed(1.0, 0.99, 1.01, 0.5);

        v.invalid = "samples that are negative or not finite: no effect can be computed";
        assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
        assert_string_equal(v.reason, v.invalid);
        drop(&v);
        v = timed(1.0, 0.99, 1.01, 0.5); /* memory CI not finite: memory inconclusive */
        v.rss_ratio = 1.0;
        v.rss_ci_low = NAN;
        v.rss_ci_high = NAN;
        v.rss_p = 0.5;
        v.base_peak_rss = v.new_peak_rss = 1 << 20;
        assert_int_equal(decide(&v, &present, &rules), BTK_VERDICT_INCONCLUSIVE);
        assert_int_equal(v.memory_kind, BTK_VERDICT_INCONCLUSIVE);
        drop(&v);
    }
}

static void verdict__names_and_exit_code(void **state)
{
    btk_comparison cmp = {0, NULL, 0, 0, BTK_COMPARE_WALL, NAN, NAN, false, false};

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

/* Bisect's nearer-level rule. The geometric middle of GOOD (1) and BAD (1.21) is 1.1
 * (sqrt(1.21) = 1.1 exactly), so 1.1 itself is not nearer BAD and anything above is; the
 * failing proof run's step, +10.1 % against a BAD of +13.2 %, is nearer BAD (the middle is
 * sqrt(1.132) = 1.0640). Not finite, not positive, or a BAD that is not slower: false. */
static void verdict__bisect_takes_the_nearer_level(void **state)
{
    (void)state;
    assert_false(btk_verdict_nearer_bad(1.0999, 1.21));
    assert_true(btk_verdict_nearer_bad(1.1001, 1.21));
    assert_true(btk_verdict_nearer_bad(1.101, 1.132));
    assert_false(btk_verdict_nearer_bad(1.063, 1.132));
    assert_true(btk_verdict_nearer_bad(1.065, 1.132));
    assert_false(btk_verdict_nearer_bad(0.97, 1.132));
    assert_true(btk_verdict_nearer_bad(1.5, 1.132)); /* beyond BAD: slower still */
    assert_false(btk_verdict_nearer_bad(NAN, 1.132));
    assert_false(btk_verdict_nearer_bad(1.2, NAN));
    assert_false(btk_verdict_nearer_bad(-1.0, 1.132));
    assert_false(btk_verdict_nearer_bad(1.2, 1.0));
    assert_false(btk_verdict_nearer_bad(1.2, INFINITY));
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
        cmocka_unit_test(verdict__peak_rss_needs_significance_and_a_band_with_a_floor),
        cmocka_unit_test(verdict__time_and_memory_verdicts_are_kept_apart),
        cmocka_unit_test(verdict__unchanged_needs_the_ci_inside_the_band),
        cmocka_unit_test(verdict__figures_that_are_not_finite_are_inconclusive),
        cmocka_unit_test(verdict__names_and_exit_code),
        cmocka_unit_test(verdict__bisect_takes_the_nearer_level),
        cmocka_unit_test(verdict__allocation_failure_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
