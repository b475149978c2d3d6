/* Tests of the complexity fit (harness/complexity.c): the class coefficients, residuals,
 * power law, its interval and the verdict against reference values computed independently
 * by tests/data/complexity/make_reference.py (closed-form least squares, Python's
 * statistics.linear_regression, and Student's t by numeric integration; the file says
 * how); the verdicts on series of known class; a noisy O(1) never called O(log n); and
 * the grouping of a run's instances into series. */
#include "check.h"
#include "complexity.h"
#include "../data/complexity/reference.h"

#include <math.h>

static const struct cx_ref *ref_named(const char *name)
{
    size_t i;

    for (i = 0; i < BTK_ARRAY_SIZE(cx_refs); i++)
        if (strcmp(cx_refs[i].name, name) == 0)
            return &cx_refs[i];
    fail_msg("no reference series '%s'", name);
    return NULL;
}

static void fit_ref(btk_cx_fit *f, const struct cx_ref *r)
{
    assert_int_equal(btk_complexity_fit(f, r->n, r->t, r->points), 0);
}

static void complexity__t_quantiles_match_numeric_inversion(void **state)
{
    size_t df;

    (void)state;
    /* table for df <= 30, the Cornish-Fisher expansion above: both within 1e-6 */
    for (df = 1; df <= 40; df++)
        check_near(btk_complexity__t975(df), t975_ref[df - 1], 1e-6);
    check_near(btk_complexity__t975(100000), 1.959963984540054, 1e-4);
}

static void complexity__fit_matches_reference(void **state)
{
    size_t i;
    int c;

    (void)state;
    for (i = 0; i < BTK_ARRAY_SIZE(cx_refs); i++) {
        const struct cx_ref *r = &cx_refs[i];
        btk_cx_fit f;

        print_message("series %s\n", r->name);
        fit_ref(&f, r);
        assert_int_equal(f.points, r->points);
        for (c = 0; c < BTK_CX_CLASSES; c++) {
            check_near(f.cls[c].coef, r->cls[c][0], 1e-9);
            check_near(f.cls[c].rms, r->cls[c][1], 1e-9);
            check_near(f.cls[c].nrms, r->cls[c][2], 1e-9);
            if (c > 0)
                check_near(f.cls[c].exponent, r->cls[c][3], 1e-9);
            else
                assert_true(fabs(f.cls[c].exponent) < 1e-12);
        }
        assert_true(f.has_power);
        check_near(f.power_k, r->k, 1e-9);
        check_near(f.power_a, r->a, 1e-9);
        check_near(f.power_lo, r->lo, 1e-6);
        check_near(f.power_hi, r->hi, 1e-6);
        assert_int_equal(f.consistent, r->consistent);
        assert_int_equal(f.best_rms, r->best);
        assert_int_equal(f.candidates, r->candidates);
        assert_int_equal(f.verdict, r->verdict);
    }
}

static void complexity__known_classes_are_found_exactly(void **state)
{
    btk_cx_fit f;

    (void)state;
    fit_ref(&f, ref_named("linear"));
    assert_int_equal(f.verdict, BTK_CX_N);
    assert_true(f.power_lo <= 1.0 && 1.0 <= f.power_hi);
    fit_ref(&f, ref_named("n_log_n"));
    assert_int_equal(f.verdict, BTK_CX_NLOGN);
    /* n log n looks like n^1.21 over 8..4096: the interval holds that, not 1 */
    assert_true(f.power_lo <= f.cls[BTK_CX_NLOGN].exponent &&
                f.cls[BTK_CX_NLOGN].exponent <= f.power_hi);
    assert_true(f.power_lo > 1.1 && f.power_hi < 1.3);
    fit_ref(&f, ref_named("quadratic"));
    assert_int_equal(f.verdict, BTK_CX_N2);
    assert_true(f.power_lo <= 2.0 && 2.0 <= f.power_hi);
    fit_ref(&f, ref_named("cubic"));
    assert_int_equal(f.verdict, BTK_CX_N3);
    fit_ref(&f, ref_named("logarithmic"));
    assert_int_equal(f.verdict, BTK_CX_LOGN);
}

/* A 64-bit LCG: deterministic noise in [-1, 1). */
static double lcg_uniform(uint64_t *x)
{
    *x = *x * 6364136223846793005u + 1442695040888963407u;
    return (double)(*x >> 11) / 4503599627370496.0 - 1.0;
}

static void complexity__noisy_constant_is_never_log_n(void **state)
{
    static const double ranges[][2] = {{8, 4096}, {2, 16}, {64, 128}, {1000, 100000}};
    size_t r, seed, i, as_o1 = 0, cannot_tell = 0, total = 0;
    double n[12], t[12];

    (void)state;
    for (r = 0; r < BTK_ARRAY_SIZE(ranges); r++) {
        for (seed = 1; seed <= 250; seed++) {
            uint64_t x = seed * 7919u + r;
            btk_cx_fit f;

            for (i = 0; i < 12; i++) {
                n[i] = ranges[r][0] * pow(ranges[r][1] / ranges[r][0], (double)i / 11.0);
                t[i] = 50.0 * (1.0 + 0.15 * lcg_uniform(&x));
            }
            assert_int_equal(btk_complexity_fit(&f, n, t, 12), 0);
            assert_true(f.verdict != BTK_CX_LOGN);
            assert_true(f.verdict == BTK_CX_1 || f.verdict == BTK_CX_NONE);
            as_o1 += f.verdict == BTK_CX_1;
            cannot_tell += f.verdict == BTK_CX_NONE && (f.candidates & 1u);
            total++;
        }
    }
    print_message("noisy O(1): %zu of %zu called O(1), %zu 'cannot tell' with O(1) among "
                  "the candidates\n",
                  as_o1, total, cannot_tell);
    /* the interval of k misses 0 about 5% of the time by construction; allow twice that
     */
    assert_true(as_o1 + cannot_tell >= total * 9 / 10);
}

static void complexity__too_few_sizes_and_bad_times(void **state)
{
    static const double n2[] = {8, 16}, t2[] = {1, 2};
    static const double n3[] = {1, 1, 8, 16}, t3[] = {5, 5, 1, 2};
    static const double nz[] = {8, 16, 32}, tz[] = {1, 0, 4};
    btk_cx_fit f;

    (void)state;
    /* two sizes: the classes are fitted, but no interval, so no verdict */
    assert_int_equal(btk_complexity_fit(&f, n2, t2, 2), 0);
    assert_false(f.has_power);
    assert_int_equal(f.verdict, BTK_CX_NONE);
    check_near(f.cls[BTK_CX_N].coef, 0.125, 1e-12); /* (8/1 + 16/2) / (8^2 + 8^2) */
    /* sizes below 2 are skipped: the same two points remain */
    assert_int_equal(btk_complexity_fit(&f, n3, t3, 4), 0);
    assert_int_equal(f.points, 2);
    /* a time of zero is skipped too (no logarithm, no relative residual): two remain */
    assert_int_equal(btk_complexity_fit(&f, nz, tz, 3), 0);
    assert_int_equal(f.points, 2);
    assert_false(f.has_power);
    assert_int_equal(f.verdict, BTK_CX_NONE);
    assert_int_equal(btk_complexity_fit(&f, n2, t2, 1), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message,
                        "a complexity fit needs at least 2 sizes");
    btk_error_clear();
}

static void complexity__names_and_options(void **state)
{
    (void)state;
    assert_string_equal(btk_complexity_class_name(BTK_CX_NLOGN), "O(n log n)");
    assert_string_equal(btk_complexity_class_key(BTK_CX_N2), "n^2");
    assert_null(btk_complexity_class_name(BTK_CX_CLASSES));
    assert_null(btk_complexity_class_key(-1));
    assert_int_equal(btk_complexity_class_of_option(BTK_COMPLEXITY_O1), BTK_CX_1);
    assert_int_equal(btk_complexity_class_of_option(BTK_COMPLEXITY_ON3), BTK_CX_N3);
    assert_int_equal(btk_complexity_class_of_option(BTK_COMPLEXITY_AUTO), BTK_CX_NONE);
}

static void body(btk_state *state)
{
    BTK_LOOP(state)
    {
    }
}

static const btk_bench_options grid = {
    BTK_GRID(BTK_ARG(k, BTK_PARAMS(1, 2)), BTK_ARG(n, BTK_RANGE(8, 64, 2))),
    .complexity = BTK_COMPLEXITY_AUTO, .complexity_param = "n",
    .version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options plain = {BTK_PARAMS(8, 16, 32),
                                        .version = BTK_BENCH_OPTIONS_VERSION};

/* A result of one process with 3 samples all equal to ns (free with free_result). */
static void fake_result(btk_bench_result *r, double ns)
{
    btk_proc_result *p;

    memset(r, 0, sizeof(*r));
    r->proc_count = 1;
    r->procs = p = btk__calloc(1, sizeof(*r->procs));
    assert_non_null(p);
    p->count = 3;
    p->samples = btk__calloc(3, sizeof(double));
    p->cycles = btk__calloc(3, sizeof(double));
    p->batch = btk__calloc(3, sizeof(uint64_t));
    assert_true(p->samples != NULL && p->cycles != NULL && p->batch != NULL);
    p->samples[0] = p->samples[1] = p->samples[2] = ns;
    p->batch[0] = p->batch[1] = p->batch[2] = 1;
}

static void complexity__groups_split_by_the_other_parameters(void **state)
{
    btk_instance *insts;
    btk_bench_result *res;
    btk_cx_group *g;
    size_t n, gn, i;

    (void)state;
    btk_registry__reset();
    btk_register("g", body, &grid);
    btk_register("p", body, &plain);
    assert_int_equal(btk_registry_instances(&insts, &n, NULL), 0);
    assert_int_equal(n, 2 * 4 + 3); /* n: 8 16 32 64 */
    res = btk__calloc(n, sizeof(*res));
    assert_non_null(res);
    /* k:1 grows as 2n, k:2 as n^2 / 4 */
    for (i = 0; i < 8; i++) {
        double size = (double)insts[i].axis_values[1];

        fake_result(&res[i], insts[i].axis_values[0] == 1 ? 2 * size : size * size / 4);
    }
    for (; i < n; i++)
        fake_result(&res[i], 1.0);
    res[3].fail = BTK_FAIL_SIGNAL; /* g/k:1/n:64 crashed: three sizes remain */
    assert_int_equal(btk_complexity_groups(&g, &gn, insts, res, n), 0);
    assert_int_equal(gn, 2); /* p asked for no fit */
    assert_string_equal(g[0].name, "g/k:1/n:*");
    assert_string_equal(g[1].name, "g/k:2/n:*");
    assert_string_equal(g[0].axis, "n");
    assert_int_equal(g[0].requested, BTK_COMPLEXITY_AUTO);
    assert_int_equal(g[0].instances, 4);
    assert_int_equal(g[0].fit.points, 3);
    check_near(g[0].fit.cls[BTK_CX_N].coef, 2.0, 1e-12);
    check_near(g[1].fit.cls[BTK_CX_N2].coef, 0.25, 1e-12);
    assert_int_equal(g[0].fit.verdict, BTK_CX_N);
    assert_int_equal(g[1].fit.verdict, BTK_CX_N2);
    btk__free(g);
    for (i = 0; i < n; i++)
        btk_bench_result_clear(&res[i]);
    btk__free(res);
    btk__free(insts);
    btk_registry__reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(complexity__t_quantiles_match_numeric_inversion),
        cmocka_unit_test(complexity__fit_matches_reference),
        cmocka_unit_test(complexity__known_classes_are_found_exactly),
        cmocka_unit_test(complexity__noisy_constant_is_never_log_n),
        cmocka_unit_test(complexity__too_few_sizes_and_bad_times),
        cmocka_unit_test(complexity__names_and_options),
        cmocka_unit_test(complexity__groups_split_by_the_other_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
