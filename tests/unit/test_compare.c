/* Tests of btk_compare_runs on runs constructed in memory: the unit rule (processes or
 * samples), pooling several runs by process, false discovery control across a suite,
 * determinism, new/missing/failed benchmarks, budgets from the config, and allocation
 * failures. Samples come from a seeded generator: per-process offset +-1% and per-sample
 * noise +-0.5% around a chosen centre, so the expected verdicts follow from the construction. */
#include "check.h"
#include "compare.h"
#include "config.h"
#include "significance.h"
#include "verdict.h"

#include <math.h>

static double uniform(btk_rng *r)
{
    return (double)(btk_rng_next(r) >> 11) / 9007199254740992.0 - 0.5;
}

/* Fill result res with procs processes of samples samples around centre. */
static void make_result(btk_result *res, const char *name, double centre, size_t procs,
                        size_t samples, btk_rng *r)
{
    memset(res, 0, sizeof(*res));
    res->name = strdup(name);
    res->status = BTK_RESULT_OK;
    res->memory.tracked = false;
    res->memory.allocs_per_iter = res->memory.bytes_per_iter = NAN;
    res->memory.peak_rss_bytes = -1;
    res->proc_count = procs;
    res->procs = calloc(procs, sizeof(btk_proc));
    for (size_t p = 0; p < procs; p++) {
        double proc_centre = centre * (1 + 0.02 * uniform(r));

        res->procs[p].index = (int)p;
        res->procs[p].count = samples;
        res->procs[p].ns = malloc(samples * sizeof(double));
        res->procs[p].peak_rss_bytes = -1;
        for (size_t i = 0; i < samples; i++)
            res->procs[p].ns[i] = proc_centre * (1 + 0.01 * uniform(r));
    }
}

static btk_run *make_run(size_t count)
{
    btk_run *run = calloc(1, sizeof(*run));

    run->result_count = count;
    run->results = calloc(count ? count : 1, sizeof(btk_result));
    return run;
}

/* btk_run_free releases what btk_run_find's index added to the run, too (btk__free is
 * free, so the libc allocations above are released alike). */
static void free_run(btk_run *run)
{
    btk_run_free(run);
}

/* A suite of n benchmarks "b00".."bNN" at 1000 ns; bench slow (or none: -1) scaled. */
static btk_run *make_suite(size_t n, long slow, double factor, size_t procs, size_t samples,
                           uint64_t seed)
{
    btk_run *run = make_run(n);
    btk_rng r;
    char name[16];

    btk_rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "b%02zu", i);
        make_result(&run->results[i], name, (long)i == slow ? 1000 * factor : 1000, procs,
                    samples, &r);
    }
    return run;
}

static const btk_verdict *find(const btk_comparison *c, const char *name)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->items[i].name, name))
            return &c->items[i];
    fail_msg("no verdict for %s", name);
    return NULL;
}

static btk_comparison *run_compare(btk_run *base, btk_run *now,
                                   const btk_compare_options *opts)
{
    const btk_run *b[] = {base}, *n[] = {now};
    btk_comparison *cmp = NULL;

    assert_int_equal(btk_compare_runs(&cmp, b, 1, n, 1, opts), 0);
    assert_non_null(cmp);
    return cmp;
}

static void compare__slowdown_flagged_by_process_and_sorted_first(void **state)
{
    btk_run *base = make_suite(10, -1, 1, 10, 20, 1);
    btk_run *now = make_suite(10, 7, 1.20, 10, 20, 2);
    btk_comparison *cmp = run_compare(base, now, NULL);
    const btk_verdict *v = &cmp->items[0];

    (void)state;
    assert_int_equal(cmp->count, 10);
    assert_string_equal(v->name, "b07");
    assert_int_equal(v->kind, BTK_VERDICT_REGRESSED);
    assert_string_equal(v->unit, "processes");
    assert_int_equal(v->units_base, 10);
    assert_int_equal(v->units_new, 10);
    check_near(v->ratio, 1.20, 0.02);
    check_near(v->shift, 1.20, 0.02); /* the Hodges-Lehmann shift over the processes */
    assert_true(v->ci_low > 1.1 && v->ci_high < 1.3);
    /* fully separated 10 vs 10 processes: exact p = 2 / C(20,10) */
    check_near(v->p_value, 2.0 / 184756.0, 1e-9);
    check_near(v->base_median, 1000, 0.02);
    assert_int_equal(cmp->regressions, 1);
    assert_int_equal(btk_comparison_exit_code(cmp), 1);
    for (size_t i = 1; i < cmp->count; i++)
        assert_int_equal(cmp->items[i].kind, BTK_VERDICT_UNCHANGED);
    btk_comparison_free(cmp);
    free_run(base);
    free_run(now);
}

static void compare__identical_code_flags_nothing(void **state)
{
    (void)state;
    /* 20 seeds of A/A on a 30-benchmark suite: independent noise on each side */
    for (uint64_t seed = 0; seed < 20; seed++) {
        btk_run *base = make_suite(30, -1, 1, 10, 20, 100 + 2 * seed);
        btk_run *now = make_suite(30, -1, 1, 10, 20, 101 + 2 * seed);
        btk_comparison *cmp = run_compare(base, now, NULL);

        assert_int_equal(cmp->regressions, 0);
        assert_int_equal(cmp->improvements, 0);
        assert_int_equal(btk_comparison_exit_code(cmp), 0);
        btk_comparison_free(cmp);
        free_run(base);
        free_run(now);
    }
}

static void compare__few_processes_fall_back_to_samples(void **state)
{
    btk_run *base = make_suite(1, -1, 1, 3, 30, 3);
    btk_run *now = make_suite(1, 0, 1.2, 3, 30, 4);
    btk_comparison *cmp = run_compare(base, now, NULL);

    (void)state;
    assert_string_equal(cmp->items[0].unit, "samples");
    assert_int_equal(cmp->items[0].units_base, 90);
    assert_int_equal(cmp->items[0].kind, BTK_VERDICT_REGRESSED);
    btk_comparison_free(cmp);
    free_run(base);
    free_run(now);
}

/* Scale each process of every benchmark of run by its own factor 1 + spread * U(-0.5, 0.5). */
static void spread_processes(btk_run *run, double spread, uint64_t seed)
{
    btk_rng r;

    btk_rng_seed(&r, seed);
    for (size_t i = 0; i < run->result_count; i++)
        for (size_t p = 0; p < run->results[i].proc_count; p++) {
            double f = 1 + spread * uniform(&r);

            for (size_t k = 0; k < run->results[i].procs[p].count; k++)
                run->results[i].procs[p].ns[k] *= f;
        }
}

/* ab's rule (process_units): the 20 % slowdown that 3 processes' pooled samples call
 * "regressed" above is inconclusive when the process is the unit, since 3 vs 3 cannot reach
 * p <= 0.05 (exact Mann-Whitney: 2/C(6,3) = 0.1); the reason says how many are needed.
 * Identical sides of 2 processes whose levels differ by up to 10 %: never a verdict. */
static void compare__process_units_never_test_correlated_samples(void **state)
{
    btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    btk_run *base = make_suite(1, -1, 1, 3, 30, 3);
    btk_run *now = make_suite(1, 0, 1.2, 3, 30, 4);
    btk_comparison *cmp;
    size_t false_by_samples = 0;

    (void)state;
    opts.process_units = true;
    cmp = run_compare(base, now, &opts);
    assert_string_equal(cmp->items[0].unit, "processes");
    assert_int_equal(cmp->items[0].units_base, 3);
    assert_int_equal(cmp->items[0].units_new, 3);
    assert_int_equal(cmp->items[0].kind, BTK_VERDICT_INCONCLUSIVE);
    assert_int_equal(cmp->items[0].units_needed, 4); /* 4 vs 4: 2/C(8,4) = 0.029 */
    assert_non_null(strstr(cmp->items[0].reason, "3 vs 3 processes cannot reach"));
    btk_comparison_free(cmp);
    free_run(base);
    free_run(now);
    for (uint64_t seed = 0; seed < 20; seed++) {
        base = make_suite(10, -1, 1, 2, 40, 300 + 2 * seed);
        now = make_suite(10, -1, 1, 2, 40, 301 + 2 * seed);
        spread_processes(base, 0.10, 700 + seed); /* process levels +-5 % */
        spread_processes(now, 0.10, 800 + seed);
        cmp = run_compare(base, now, &opts);
        assert_int_equal(cmp->regressions, 0);
        assert_int_equal(cmp->improvements, 0);
        for (size_t i = 0; i < cmp->count; i++)
            assert_string_equal(cmp->items[i].unit, "processes");
        btk_comparison_free(cmp);
        /* the same A/A suites tested on pooled samples: the processes' own levels read as
         * effects, which is what the rule prevents */
        cmp = run_compare(base, now, NULL);
        false_by_samples += cmp->regressions + cmp->improvements;
        btk_comparison_free(cmp);
        free_run(base);
        free_run(now);
    }
    assert_true(false_by_samples > 0);
}

static void compare__too_few_units_is_inconclusive_not_unchanged(void **state)
{
    btk_run *base = make_suite(1, -1, 1, 1, 3, 5); /* one process of 3 samples each */
    btk_run *now = make_suite(1, 0, 1.5, 1, 3, 6);
    btk_comparison *cmp = run_compare(base, now, NULL);

    (void)state;
    assert_int_equal(cmp->items[0].kind, BTK_VERDICT_INCONCLUSIVE);
    assert_int_equal(cmp->items[0].units_needed, 4);
    assert_true(isnan(cmp->items[0].q_value)); /* left out of the BH family */
    assert_int_equal(btk_comparison_exit_code(cmp), 0);
    btk_comparison_free(cmp);
    free_run(base);
    free_run(now);
}

static void compare__runs_pool_by_process(void **state)
{
    btk_run *whole = make_suite(2, -1, 1, 10, 5, 7);
    btk_run *half1 = make_suite(2, -1, 1, 5, 5, 8), *half2 = make_suite(2, -1, 1, 5, 5, 9);
    btk_run *now = make_suite(2, 1, 1.1, 10, 5, 10);
    const btk_run *split[] = {half1, half2}, *one[] = {whole}, *n[] = {now};
    btk_comparison *a, *b;

    (void)state;
    assert_int_equal(btk_compare_runs(&a, one, 1, n, 1, NULL), 0);
    assert_int_equal(btk_compare_runs(&b, split, 2, n, 1, NULL), 0);
    /* two runs of 5 processes are 10 units, like one run of 10: not 50 samples, not 5 */
    assert_int_equal(b->items[0].units_base, 10);
    assert_string_equal(b->items[0].unit, "processes");
    assert_int_equal(a->items[0].kind, b->items[0].kind);
    assert_int_equal(b->items[0].kind, BTK_VERDICT_REGRESSED);
    btk_comparison_free(a);
    btk_comparison_free(b);
    free_run(whole);
    free_run(half1);
    free_run(half2);
    free_run(now);
}

static void compare__false_discovery_rate_across_the_suite(void **state)
{
    /* 5 vs 5 processes, fully separated by 10%: p = 2/252 = 0.0079. Alone it is a
     * regression; among 19 identical benchmarks BH raises its q to >= 20 * 0.0079 > 0.05. */
    btk_run *base1 = make_suite(1, -1, 1, 5, 10, 11), *now1 = make_suite(1, 0, 1.1, 5, 10, 12);
    btk_run *base20 = make_suite(20, -1, 1, 5, 10, 11);
    btk_run *now20 = make_suite(20, 0, 1.1, 5, 10, 12);
    btk_comparison *one = run_compare(base1, now1, NULL);
    btk_comparison *suite = run_compare(base20, now20, NULL);
    const btk_verdict *v = find(suite, "b00");

    (void)state;
    check_near(one->items[0].p_value, 2.0 / 252.0, 1e-9);
    assert_int_equal(one->items[0].kind, BTK_VERDICT_REGRESSED);
    check_near(v->p_value, 2.0 / 252.0, 1e-9);
    assert_true(v->q_value > 0.05);
    /* not significant, but its CI lies beyond the band: not shown unchanged */
    assert_int_equal(v->kind, BTK_VERDICT_INCONCLUSIVE);
    btk_comparison_free(one);
    btk_comparison_free(suite);
    free_run(base1);
    free_run(now1);
    free_run(base20);
    free_run(now20);
}

/* Crafted runs (issue: a gate that fails open): a base of 0 ns samples against 6.8 ns, and
 * negative samples, give "inconclusive" with the reason, never "unchanged" or a huge
 * "faster"; they are left out of the FDR family (q NAN). */
static void compare__zero_and_negative_samples_are_inconclusive(void **state)
{
    btk_run *base = make_suite(2, -1, 1, 10, 10, 31), *now = make_suite(2, -1, 1, 10, 10, 32);
    btk_comparison *cmp;
    const btk_verdict *v;

    (void)state;
    for (size_t p = 0; p < 10; p++)
        for (size_t i = 0; i < 10; i++) {
            base->results[0].procs[p].ns[i] = 0;
            now->results[0].procs[p].ns[i] = 6.8;
            base->results[1].procs[p].ns[i] = -1000;
        }
    cmp = run_compare(base, now, NULL);
    v = find(cmp, "b00");
    assert_int_equal(v->kind, BTK_VERDICT_INCONCLUSIVE);
    assert_string_equal(v->reason, "a median of 0 ns: the ratio is not defined");
    assert_true(isnan(v->q_value));
    v = find(cmp, "b01");
    assert_int_equal(v->kind, BTK_VERDICT_INCONCLUSIVE);
    assert_string_equal(v->reason, "samples that are negative or not finite: no effect can "
                                   "be computed");
    assert_int_equal(btk_comparison_exit_code(cmp), 0);
    btk_comparison_free(cmp);
    now->results[1].procs[3].ns[0] = NAN; /* a NAN sample on the contender side too */
    cmp = run_compare(base, now, NULL);
    assert_int_equal(find(cmp, "b01")->kind, BTK_VERDICT_INCONCLUSIVE);
    btk_comparison_free(cmp);
    free_run(base);
    free_run(now);
}

/* Peak RSS from per-process values: identical runs whose processes scatter between 1.82
 * and 2.11 MB never flag memory; 10 processes growing by 1 MiB on 2 MB do. */
static void compare__peak_rss_per_process(void **state)
{
    btk_run *base = make_suite(1, -1, 1, 10, 10, 41), *now = make_suite(1, -1, 1, 10, 10, 42);
    btk_comparison *cmp;
    btk_rng r;

    (void)state;
    btk_rng_seed(&r, 7);
    for (int trial = 0; trial < 50; trial++) {
        for (size_t p = 0; p < 10; p++) {
            base->results[0].procs[p].peak_rss_bytes =
                (int64_t)(1820000 + (uniform(&r) + 0.5) * 290000);
            now->results[0].procs[p].peak_rss_bytes =
                (int64_t)(1820000 + (uniform(&r) + 0.5) * 290000);
        }
        cmp = run_compare(base, now, NULL);
        assert_true(cmp->items[0].has_memory);
        assert_int_not_equal(cmp->items[0].memory_kind, BTK_VERDICT_REGRESSED);
        assert_int_not_equal(cmp->items[0].kind, BTK_VERDICT_REGRESSED);
        btk_comparison_free(cmp);
    }
    for (size_t p = 0; p < 10; p++)
        now->results[0].procs[p].peak_rss_bytes = base->results[0].procs[p].peak_rss_bytes +
                                                   (1 << 20);
    cmp = run_compare(base, now, NULL);
    assert_int_equal(cmp->items[0].kind, BTK_VERDICT_REGRESSED);
    assert_int_equal(cmp->items[0].memory_kind, BTK_VERDICT_REGRESSED);
    assert_int_equal(cmp->items[0].time_kind, BTK_VERDICT_UNCHANGED);
    assert_int_equal(cmp->items[0].rss_units_base, 10);
    btk_comparison_free(cmp);
    free_run(base);
    free_run(now);
}

/* Sides recorded apart: a 5 % shift is a regression when the stored history is steady,
 * and not when the history shows the benchmark moving by about 5 % from run to run. */
static void compare__separate_recordings_fold_in_run_noise(void **state)
{
    btk_run *base = make_suite(1, -1, 1, 10, 20, 51), *now = make_suite(1, 0, 1.05, 10, 20, 52);
    btk_run *hist[8];
    const btk_run *h[8];
    btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    const double steady[8] = {1000, 1001, 999, 1000, 1002, 1000, 999, 1001};
    const double moving[8] = {1000, 1060, 980, 1040, 950, 1030, 990, 1050};
    btk_comparison *cmp;

    (void)state;
    for (int i = 0; i < 8; i++) {
        hist[i] = make_suite(1, -1, 1, 1, 1, 60 + (uint64_t)i);
        h[i] = hist[i];
    }
    opts.separate = true;
    opts.history = h;
    opts.history_count = 8;
    for (int i = 0; i < 8; i++)
        hist[i]->results[0].stats.median = steady[i];
    cmp = run_compare(base, now, &opts);
    assert_int_equal(cmp->items[0].kind, BTK_VERDICT_REGRESSED);
    assert_string_equal(cmp->items[0].noise_source, "stored runs");
    assert_int_equal(cmp->items[0].noise_runs, 8);
    btk_comparison_free(cmp);
    for (int i = 0; i < 8; i++)
        hist[i]->results[0].stats.median = moving[i];
    cmp = run_compare(base, now, &opts);
    assert_int_not_equal(cmp->items[0].kind, BTK_VERDICT_REGRESSED);
    assert_true(cmp->items[0].run_noise > 0.03);
    btk_comparison_free(cmp);
    /* nothing stored before (fewer than 5 runs) and one run a side: the stand-in,
     * max(2 x process spread, 5 %), hides a 5 % shift but not a 20 % one */
    opts.history_count = 4;
    cmp = run_compare(base, now, &opts);
    assert_string_equal(cmp->items[0].noise_source, "stand-in");
    check_near(cmp->items[0].run_noise, 0.05, 1e-12); /* spread ~0.6 % here */
    assert_int_equal(cmp->items[0].kind, BTK_VERDICT_INCONCLUSIVE);
    btk_comparison_free(cmp);
    {
        btk_run *slow = make_suite(1, 0, 1.20, 10, 20, 53);

        cmp = run_compare(base, slow, &opts);
        assert_int_equal(cmp->items[0].kind, BTK_VERDICT_REGRESSED);
        btk_comparison_free(cmp);
        free_run(slow);
    }
    /* the same runs interleaved (ab): no run noise, a regression */
    opts.separate = false;
    cmp = run_compare(base, now, &opts);
    assert_int_equal(cmp->items[0].kind, BTK_VERDICT_REGRESSED);
    assert_true(isnan(cmp->items[0].run_noise));
    btk_comparison_free(cmp);
    for (int i = 0; i < 8; i++)
        free_run(hist[i]);
    free_run(base);
    free_run(now);
}

static void compare__deterministic_with_fixed_seed(void **state)
{
    btk_run *base = make_suite(3, -1, 1, 8, 10, 13), *now = make_suite(3, 2, 1.05, 8, 10, 14);
    btk_comparison *a = run_compare(base, now, NULL), *b = run_compare(base, now, NULL);
    btk_compare_options other = BTK_COMPARE_OPTIONS_INIT;
    btk_comparison *c;

    (void)state;
    other.seed = 12345;
    c = run_compare(base, now, &other);
    for (size_t i = 0; i < 3; i++) {
        assert_true(a->items[i].ci_low == b->items[i].ci_low);
        assert_true(a->items[i].ci_high == b->items[i].ci_high);
        assert_string_equal(a->items[i].reason, b->items[i].reason);
        check_near(a->items[i].ci_low, c->items[i].ci_low, 0.01);
    }
    btk_comparison_free(a);
    btk_comparison_free(b);
    btk_comparison_free(c);
    free_run(base);
    free_run(now);
}

static void compare__new_missing_and_failed(void **state)
{
    btk_run *base = make_suite(3, -1, 1, 5, 5, 15), *now = make_suite(3, -1, 1, 5, 5, 16);
    btk_comparison *cmp;

    (void)state;
    free(now->results[0].name);
    now->results[0].name = strdup("zz_new"); /* b00 missing, zz_new new */
    now->results[1].status = BTK_RESULT_FAILED;
    now->results[1].error_message = strdup("killed by signal 11");
    cmp = run_compare(base, now, NULL);
    assert_int_equal(cmp->count, 4);
    assert_int_equal(find(cmp, "b00")->kind, BTK_VERDICT_MISSING);
    assert_int_equal(find(cmp, "zz_new")->kind, BTK_VERDICT_NEW);
    assert_int_equal(find(cmp, "b01")->kind, BTK_VERDICT_FAILED);
    assert_string_equal(find(cmp, "b01")->reason, "failed: killed by signal 11");
    assert_int_equal(find(cmp, "b02")->kind, BTK_VERDICT_UNCHANGED);
    assert_string_equal(cmp->items[0].name, "b01"); /* failed sorts first */
    assert_int_equal(cmp->regressions, 1);
    btk_comparison_free(cmp);
    free_run(base);
    free_run(now);
}

/* A suite large enough for several threads gives exactly the verdicts of one thread,
 * whatever the thread count (each benchmark's bootstrap is seeded by its name). */
static void compare__threads_do_not_change_the_result(void **state)
{
    btk_run *base = make_suite(150, -1, 1, 10, 8, 31);
    btk_run *now = make_suite(150, 7, 1.1, 10, 8, 32);
    btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    btk_comparison *one, *many;
    unsigned counts[] = {0, 2, 3, 7};

    (void)state;
    opts.threads = 1;
    one = run_compare(base, now, &opts);
    assert_int_equal(one->count, 150);
    assert_int_equal(find(one, "b07")->kind, BTK_VERDICT_REGRESSED);
    for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
        opts.threads = counts[c];
        many = run_compare(base, now, &opts);
        assert_int_equal(many->count, one->count);
        assert_int_equal(many->regressions, one->regressions);
        for (size_t i = 0; i < one->count; i++) {
            const btk_verdict *x = &one->items[i], *y = &many->items[i];

            assert_string_equal(x->name, y->name);
            assert_int_equal(x->kind, y->kind);
            assert_memory_equal(&x->ratio, &y->ratio, sizeof(double));
            assert_memory_equal(&x->ci_low, &y->ci_low, sizeof(double));
            assert_memory_equal(&x->ci_high, &y->ci_high, sizeof(double));
            assert_memory_equal(&x->p_value, &y->p_value, sizeof(double));
            assert_memory_equal(&x->q_value, &y->q_value, sizeof(double));
            assert_memory_equal(&x->base_median, &y->base_median, sizeof(double));
        }
        btk_comparison_free(many);
    }
    btk_comparison_free(one);
    free_run(base);
    free_run(now);
}

static void compare__budgets_and_memory_from_config(void **state)
{
    static const char text[] = "{\"benchmarks\": {\"b0*\": {\"budgets\": [\"p95 < 900ns\"]},"
                               "\"b01\": {\"budgets\": [\"allocs_per_iter == 0\"]}}}";
    btk_run *base = make_suite(3, -1, 1, 5, 5, 17), *now = make_suite(3, -1, 1, 5, 5, 18);
    btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    btk_config *config;
    btk_comparison *cmp;
    const btk_verdict *v;

    (void)state;
    assert_int_equal(btk_config_parse(&config, text, sizeof(text) - 1, "t"), 0);
    opts.config = config;
    now->results[1].memory.tracked = true;
    now->results[1].memory.allocs_per_iter = 2;
    now->results[1].memory.bytes_per_iter = 64;
    cmp = run_compare(base, now, &opts);
    v = find(cmp, "b00");
    assert_int_equal(v->kind, BTK_VERDICT_BUDGET);
    assert_non_null(strstr(v->reason, "budget broken: p95 < 900ns (is 10"));
    v = find(cmp, "b01");
    assert_int_equal(v->kind, BTK_VERDICT_BUDGET);
    assert_non_null(strstr(v->reason, "allocs_per_iter == 0 (is 2)"));
    assert_int_equal(cmp->regressions, 3);
    btk_comparison_free(cmp);
    btk_config_free(config);
    free_run(base);
    free_run(now);
}

/* A result made in per-call mode ("percentiles": "calls") has percentiles of single calls
 * that its samples (means of calls) cannot give: a budget on p99 reads its own p99. The
 * same stored p99 without the mark is ignored for the samples' (about 1000 ns here). */
static void compare__budget_reads_per_call_percentiles(void **state)
{
    static const char text[] = "{\"benchmarks\": {\"b0*\": {\"budgets\": [\"p99 < 2us\"]}}}";
    btk_run *base = make_suite(2, -1, 1, 5, 5, 27), *now = make_suite(2, -1, 1, 5, 5, 28);
    btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    btk_config *config;
    btk_comparison *cmp;
    const btk_verdict *v;

    (void)state;
    assert_int_equal(btk_config_parse(&config, text, sizeof(text) - 1, "t"), 0);
    opts.config = config;
    now->results[0].stats.p99 = 5000; /* the 99th percentile of calls */
    now->results[0].call_percentiles = true;
    now->results[1].stats.p99 = 5000; /* not marked: the samples decide */
    cmp = run_compare(base, now, &opts);
    v = find(cmp, "b00");
    assert_int_equal(v->kind, BTK_VERDICT_BUDGET);
    assert_non_null(strstr(v->reason, "p99 < 2us (is 5000ns)"));
    v = find(cmp, "b01");
    assert_true(v->kind != BTK_VERDICT_BUDGET);
    btk_comparison_free(cmp);
    btk_config_free(config);
    free_run(base);
    free_run(now);
}

static void compare__allocation_failures_are_clean(void **state)
{
    btk_run *base = make_suite(3, -1, 1, 5, 5, 19), *now = make_suite(3, 1, 1.3, 5, 5, 20);
    const btk_run *b[] = {base}, *n[] = {now};
    btk_comparison *cmp;
    int error;

    (void)state;
    for (long k = 0;; k++) {
        btk__alloc_fail_after(k);
        error = btk_compare_runs(&cmp, b, 1, n, 1, NULL);
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_null(cmp);
    }
    btk_comparison_free(cmp);
    free_run(base);
    free_run(now);
}

/* btk_comparison_adopt (compare --confirm-*): a re-measured verdict replaces the stored one
 * by name, says so in its reason and noise_source, keeps what the stored runs read, and the
 * counts and the order follow; a verdict of the other comparison with no match stays in it;
 * running out of memory leaves both as they were. */
static void compare__adopt_replaces_by_name(void **state)
{
    btk_run *base = make_suite(4, -1, 1, 10, 20, 31), *now = make_suite(4, 2, 1.30, 10, 20, 32);
    btk_run *rb = make_suite(5, -1, 1, 10, 20, 33), *rn = make_suite(5, -1, 1, 10, 20, 34);
    btk_comparison *cmp, *again;
    const btk_verdict *v;
    int error;

    (void)state;
    for (long k = 0;; k++) {
        cmp = run_compare(base, now, NULL);
        again = run_compare(rb, rn, NULL); /* b00..b04, all unchanged */
        assert_int_equal(cmp->regressions, 1);
        assert_string_equal(cmp->items[0].name, "b02");
        btk__alloc_fail_after(k);
        error = btk_comparison_adopt(cmp, again, "10 interleaved processes a side");
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_int_equal(cmp->regressions, 1); /* as it was */
        assert_int_equal(again->count, 5);
        assert_null(strstr(cmp->items[0].reason, "re-measured"));
        btk_comparison_free(cmp);
        btk_comparison_free(again);
    }
    assert_int_equal(cmp->count, 4);
    assert_int_equal(cmp->regressions, 0);
    assert_int_equal(btk_comparison_exit_code(cmp), 0);
    v = find(cmp, "b02");
    assert_int_equal(v->kind, BTK_VERDICT_UNCHANGED);
    assert_string_equal(v->noise_source, "re-measured");
    assert_true(strncmp(v->reason, "re-measured (10 interleaved processes a side): ", 47) == 0);
    assert_non_null(strstr(v->reason, "; the stored runs read regressed +"));
    for (size_t i = 0; i < cmp->count; i++) /* every one matched, so every one replaced */
        assert_string_equal(cmp->items[i].noise_source, "re-measured");
    assert_int_equal(again->count, 1); /* b04: no match in cmp, stays */
    assert_string_equal(again->items[0].name, "b04");
    for (size_t i = 1; i < cmp->count; i++) /* sorted by severity, then name */
        assert_true(cmp->items[i - 1].kind < cmp->items[i].kind ||
                    (cmp->items[i - 1].kind == cmp->items[i].kind &&
                     strcmp(cmp->items[i - 1].name, cmp->items[i].name) < 0));
    btk_comparison_free(cmp);
    btk_comparison_free(again);
    free_run(base);
    free_run(now);
    free_run(rb);
    free_run(rn);
}

static void compare__empty_sides_and_bad_options(void **state)
{
    btk_run *empty = make_run(0);
    const btk_run *e[] = {empty};
    btk_compare_options bad = BTK_COMPARE_OPTIONS_INIT;
    btk_comparison *cmp;

    (void)state;
    assert_int_equal(btk_compare_runs(&cmp, e, 1, e, 1, NULL), 0);
    assert_int_equal(cmp->count, 0);
    btk_comparison_free(cmp);
    bad.alpha = 0;
    assert_int_equal(btk_compare_runs(&cmp, e, 1, e, 1, &bad), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message, "invalid comparison options");
    free_run(empty);
}

/* Sides recorded apart with three runs each and nothing stored before: the sides' own runs
 * (all at one level within a side) give a tiny run-to-run noise, but that cannot see what
 * moved between the two recordings, so the stand-in (5 % here) is its floor: an 8 % shift
 * of the whole contender side is not a regression, a 25 % one is. Without the floor the
 * 8 % shift read regressed (the e2e.compare.real-same failure). */
static void compare__sides_alone_are_floored_by_the_stand_in(void **state)
{
    btk_run *base[3], *now[3], *slow[3];
    const btk_run *b[3], *n[3], *s[3];
    btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    btk_comparison *cmp = NULL;

    (void)state;
    for (int i = 0; i < 3; i++) {
        b[i] = base[i] = make_suite(1, -1, 1, 6, 20, 70 + (uint64_t)i);
        n[i] = now[i] = make_suite(1, 0, 1.08, 6, 20, 80 + (uint64_t)i);
        s[i] = slow[i] = make_suite(1, 0, 1.25, 6, 20, 90 + (uint64_t)i);
        /* a run's level is its result's median: 1000, 1001, 999 (x 1.08, x 1.25) */
        base[i]->results[0].stats.median = 1000.0 + (i == 1) - (i == 2);
        now[i]->results[0].stats.median = 1.08 * base[i]->results[0].stats.median;
        slow[i]->results[0].stats.median = 1.25 * base[i]->results[0].stats.median;
    }
    opts.separate = true;
    assert_int_equal(btk_compare_runs(&cmp, b, 3, n, 3, &opts), 0);
    assert_string_equal(cmp->items[0].noise_source, "runs of the sides");
    assert_true(cmp->items[0].run_noise >= 0.05 - 1e-12);
    assert_int_not_equal(cmp->items[0].kind, BTK_VERDICT_REGRESSED);
    btk_comparison_free(cmp);
    assert_int_equal(btk_compare_runs(&cmp, b, 3, s, 3, &opts), 0);
    assert_int_equal(cmp->items[0].kind, BTK_VERDICT_REGRESSED);
    btk_comparison_free(cmp);
    for (int i = 0; i < 3; i++) {
        free_run(base[i]);
        free_run(now[i]);
        free_run(slow[i]);
    }
}

/* One benchmark "s" of 10 processes, 41 samples each, whose process centres lie within
 * +-1 % of centre and whose samples are centre x exp(d x u), u evenly spaced over [-1, 1]:
 * the logs' quartiles are then exactly -d/2 and +d/2 (type 7 at positions 10 and 30), so
 * the spread within a process the guard reads is d / 1.349, and each process's median is
 * its centre. */
static btk_run *spread_run(double centre, double d, uint64_t seed)
{
    btk_run *run = make_suite(1, -1, 1, 10, 41, seed);
    btk_result *res = &run->results[0];

    free(res->name);
    res->name = strdup("s");
    for (size_t p = 0; p < res->proc_count; p++) {
        double c = centre * (1 + 0.01 * ((double)p - 4.5) / 4.5);

        for (size_t i = 0; i < 41; i++)
            res->procs[p].ns[i] = c * exp(d * (-1 + 2 * (double)i / 40));
    }
    return run;
}

/* Recordings made at different times whose samples spread differently within a process
 * (the example threads_private/threads:1 at 1.8-5.9 % in 42 of 45 runs and 11-13 % in the 3
 * that sat 10-24 % lower) are not decided: a 25 % difference with the spreads 2.1x apart is
 * inconclusive with the guard's reason (and guarded, so --confirm-* re-measures it); 1.9x
 * apart, or both spreads under the 2 % floor, or the same sides interleaved (ab), it is
 * decided. */
static void compare__separate_recordings_guard_a_changed_spread(void **state)
{
    btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    const double d = 0.05 * 1.349; /* a spread of 5 % within a process */
    btk_run *base = spread_run(1000, d, 101);
    struct {
        double factor, centre;   /* the contender's spread / the base's; its centre */
        bool separate, guarded;
    } cases[] = {
        {2.1, 750, true, true},    {1 / 2.1, 750, true, true}, {1.9, 750, true, false},
        {1 / 1.9, 750, true, false}, {2.1, 1250, true, true},  {2.1, 750, false, false},
        {2.1, 1000, true, true},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        btk_run *now = spread_run(cases[k].centre, d * cases[k].factor, 200 + k);
        btk_comparison *cmp;
        const btk_verdict *v;

        opts.separate = cases[k].separate;
        cmp = run_compare(base, now, &opts);
        v = find(cmp, "s");
        if (cases[k].guarded) {
            assert_int_equal(v->kind, BTK_VERDICT_INCONCLUSIVE);
            assert_string_equal(v->invalid, BTK_COMPARE_SPREAD_DIFFERS);
            assert_true(v->guarded);
        } else {
            assert_null(v->invalid);
            assert_int_equal(v->kind, cases[k].centre < 1000 ? BTK_VERDICT_IMPROVED
                                                             : BTK_VERDICT_REGRESSED);
        }
        btk_comparison_free(cmp);
        free_run(now);
    }
    /* both under the floor: 0.5 % against 1.8 %, 3.6x apart, decided */
    {
        btk_run *quiet = spread_run(1000, 0.005 * 1.349, 301);
        btk_run *now = spread_run(750, 0.018 * 1.349, 302);
        btk_comparison *cmp;

        opts.separate = true;
        cmp = run_compare(quiet, now, &opts);
        assert_null(find(cmp, "s")->invalid);
        assert_int_equal(find(cmp, "s")->kind, BTK_VERDICT_IMPROVED);
        btk_comparison_free(cmp);
        free_run(quiet);
        free_run(now);
    }
    free_run(base);
}

/* A base run off the level its stored history holds, against a contender on it, is not
 * decided (the example alloc/1 sat at 10.35-10.43 ns in 42 of 45 runs and at 10.92 in a
 * base, and a 5 % "improvement" of a contender back at 10.38 was read); a contender off
 * the history against a base on it is a change, decided as usual; a base and contender
 * both off it (a step at the base) agree. The base's own stored runs (matched by id) are
 * not part of the level it is read against. */
static void compare__separate_recordings_guard_a_base_off_its_history(void **state)
{
    btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    const double steady[8] = {1000, 1001, 999, 1000, 1002, 1000, 999, 1001};
    btk_run *hist[8];
    const btk_run *h[8];
    struct {
        double base, now;
        int kind;          /* the verdict expected */
        bool guarded;
    } cases[] = {
        {1100, 1000, BTK_VERDICT_INCONCLUSIVE, true},
        {900, 1000, BTK_VERDICT_INCONCLUSIVE, true},
        {1000, 1100, BTK_VERDICT_REGRESSED, false},
        {1000, 900, BTK_VERDICT_IMPROVED, false},
        {1100, 1100, BTK_VERDICT_UNCHANGED, false},
        {1100, 1210, BTK_VERDICT_REGRESSED, false},
    };

    (void)state;
    for (int i = 0; i < 8; i++) {
        hist[i] = make_suite(1, -1, 1, 1, 1, 400 + (uint64_t)i);
        hist[i]->results[0].stats.median = steady[i];
        h[i] = hist[i];
    }
    opts.separate = true;
    opts.history = h;
    opts.history_count = 8;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        btk_run *base = make_suite(1, -1, cases[k].base / 1000, 10, 20, 500 + k);
        btk_run *now = make_suite(1, -1, cases[k].now / 1000, 10, 20, 600 + k);
        btk_comparison *cmp;

        base->results[0].stats.median = cases[k].base;
        now->results[0].stats.median = cases[k].now;
        /* make_suite scales only the "slow" benchmark: scale the samples here */
        for (size_t p = 0; p < 10; p++)
            for (size_t i = 0; i < 20; i++) {
                base->results[0].procs[p].ns[i] *= cases[k].base / 1000;
                now->results[0].procs[p].ns[i] *= cases[k].now / 1000;
            }
        cmp = run_compare(base, now, &opts);
        assert_int_equal(cmp->items[0].kind, cases[k].kind);
        assert_int_equal(cmp->items[0].guarded, cases[k].guarded);
        if (cases[k].guarded)
            assert_string_equal(cmp->items[0].invalid, BTK_COMPARE_BASE_ASTRAY);
        btk_comparison_free(cmp);
        /* interleaved (ab): no history, no guard */
        opts.separate = false;
        cmp = run_compare(base, now, &opts);
        assert_false(cmp->items[0].guarded);
        btk_comparison_free(cmp);
        opts.separate = true;
        free_run(base);
        free_run(now);
    }
    /* The base stored among 4 steady runs: left out, 4 runs are too few for a level, and
     * the 10 % difference is decided (it would not be if the base counted as history). */
    {
        btk_run *base = make_suite(1, -1, 1, 10, 20, 700), *now = make_suite(1, -1, 1, 10, 20, 701);
        const btk_run *h5[5] = {hist[0], hist[1], hist[2], hist[3], base};
        btk_comparison *cmp;

        base->id = 7;
        base->results[0].stats.median = 1100;
        now->results[0].stats.median = 1000;
        for (size_t p = 0; p < 10; p++)
            for (size_t i = 0; i < 20; i++)
                base->results[0].procs[p].ns[i] *= 1.1;
        opts.history = h5;
        opts.history_count = 5;
        cmp = run_compare(base, now, &opts);
        assert_false(cmp->items[0].guarded);
        assert_int_equal(cmp->items[0].kind, BTK_VERDICT_IMPROVED);
        btk_comparison_free(cmp);
        base->id = 0; /* not stored: counted as history, 5 runs, and the guard reads it */
        cmp = run_compare(base, now, &opts);
        assert_true(cmp->items[0].guarded);
        btk_comparison_free(cmp);
        free_run(base);
        free_run(now);
    }
    for (int i = 0; i < 8; i++)
        free_run(hist[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compare__slowdown_flagged_by_process_and_sorted_first),
        cmocka_unit_test(compare__identical_code_flags_nothing),
        cmocka_unit_test(compare__few_processes_fall_back_to_samples),
        cmocka_unit_test(compare__process_units_never_test_correlated_samples),
        cmocka_unit_test(compare__too_few_units_is_inconclusive_not_unchanged),
        cmocka_unit_test(compare__runs_pool_by_process),
        cmocka_unit_test(compare__false_discovery_rate_across_the_suite),
        cmocka_unit_test(compare__zero_and_negative_samples_are_inconclusive),
        cmocka_unit_test(compare__peak_rss_per_process),
        cmocka_unit_test(compare__separate_recordings_fold_in_run_noise),
        cmocka_unit_test(compare__sides_alone_are_floored_by_the_stand_in),
        cmocka_unit_test(compare__separate_recordings_guard_a_changed_spread),
        cmocka_unit_test(compare__separate_recordings_guard_a_base_off_its_history),
        cmocka_unit_test(compare__deterministic_with_fixed_seed),
        cmocka_unit_test(compare__new_missing_and_failed),
        cmocka_unit_test(compare__budgets_and_memory_from_config),
        cmocka_unit_test(compare__budget_reads_per_call_percentiles),
        cmocka_unit_test(compare__threads_do_not_change_the_result),
        cmocka_unit_test(compare__allocation_failures_are_clean),
        cmocka_unit_test(compare__adopt_replaces_by_name),
        cmocka_unit_test(compare__empty_sides_and_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
