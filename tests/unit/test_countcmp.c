/* Tests of counts and CPU time as metrics of their own in btk_compare_runs (countcmp.c,
 * compare.c): counting runs decided by the 0.1 % threshold (identical, +0.05 %, +1 %, -1
 * %), a per-benchmark threshold from the config, different count identities and measures
 * refused, nondeterministic counts inconclusive, time and counts of one benchmark merged
 * with a disagreement note, time never pooled with counts, and --metric cpu deciding on
 * the CPU samples where wall and CPU time disagree. Every expected value follows from the
 * construction: the figures are written out below, and the ratios are computed by hand.
 */
#include "check.h"
#include "compare.h"
#include "config.h"

#include <math.h>

#define IDENTITY                                                                         \
    "tool=callgrind; tool_version=3.19.0; libc=glibc 2.36; arch=x86_64; cpu=X"

static btk_run *new_run(size_t count, btk_measure_kind measure, const char *identity)
{
    btk_run *run = NULL;

    assert_int_equal(btk_run_new(&run), 0);
    run->measure = measure;
    run->count_identity = identity ? strdup(identity) : NULL;
    run->results = calloc(count ? count : 1, sizeof(btk_result));
    return run;
}

static btk_result *add(btk_run *run, const char *name)
{
    btk_result *r = &run->results[run->result_count++];

    memset(r, 0, sizeof(*r));
    r->name = strdup(name);
    r->status = BTK_RESULT_OK;
    btk_stats_init(&r->stats);
    btk_stats_init(&r->cpu_stats);
    btk_memory_init(&r->memory);
    r->count_spread_min = r->count_spread_max = NAN;
    return r;
}

/* A counting result as the binary writes it: two processes of one sample each. */
static void add_count(btk_run *run, const char *name, double a, double b)
{
    btk_result *r = add(run, name);

    r->stats.median = a;
    r->count_repeat = a == b ? BTK_COUNT_DETERMINISTIC : BTK_COUNT_NONDETERMINISTIC;
    r->count_spread_min = fmin(a, b);
    r->count_spread_max = fmax(a, b);
    r->proc_count = 2;
    r->procs = calloc(2, sizeof(btk_proc));
    for (int p = 0; p < 2; p++) {
        r->procs[p].count = 1;
        r->procs[p].ns = malloc(sizeof(double));
        r->procs[p].ns[0] = p ? b : a;
        r->procs[p].peak_rss_bytes = -1;
    }
}

/* A time result: procs processes of n samples, wall[p] + 0.1 % steps and cpu[p] likewise
 * (cpu NULL: no CPU samples). */
static void add_time(btk_run *run, const char *name, size_t procs, size_t n,
                     const double *wall, const double *cpu)
{
    btk_result *r = add(run, name);

    r->proc_count = procs;
    r->procs = calloc(procs, sizeof(btk_proc));
    for (size_t p = 0; p < procs; p++) {
        r->procs[p].count = n;
        r->procs[p].peak_rss_bytes = -1;
        r->procs[p].ns = malloc(n * sizeof(double));
        r->procs[p].cpu_ns = cpu ? malloc(n * sizeof(double)) : NULL;
        for (size_t i = 0; i < n; i++) {
            r->procs[p].ns[i] = wall[p] * (1 + 0.001 * (double)i);
            if (cpu)
                r->procs[p].cpu_ns[i] = cpu[p] * (1 + 0.001 * (double)i);
        }
    }
}

static btk_comparison *compare(btk_run *base, btk_run *now, const btk_compare_options *o)
{
    const btk_run *b[] = {base}, *n[] = {now};
    btk_comparison *cmp = NULL;

    assert_int_equal(btk_compare_runs(&cmp, b, 1, n, 1, o), 0);
    return cmp;
}

static const btk_verdict *find(const btk_comparison *c, const char *name)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->items[i].name, name))
            return &c->items[i];
    fail_msg("no verdict for %s", name);
    return NULL;
}

/* 6000 instructions per iteration on the base; the contender: same, +0.05 % (6003), +1 %
 * (6060), -1 % (5940). The threshold is 0.1 % = 6 instructions. */
static void countcmp__threshold_decides_without_statistics(void **state)
{
    btk_run *base = new_run(4, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    btk_run *now = new_run(4, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    btk_comparison *cmp;
    const btk_verdict *v;

    (void)state;
    add_count(base, "same", 6000, 6000);
    add_count(base, "tiny", 6000, 6000);
    add_count(base, "more", 6000, 6000);
    add_count(base, "less", 6000, 6000);
    add_count(now, "same", 6000, 6000);
    add_count(now, "tiny", 6003, 6003);
    add_count(now, "more", 6060, 6060);
    add_count(now, "less", 5940, 5940);
    cmp = compare(base, now, NULL);
    assert_int_equal(cmp->count, 4);
    v = find(cmp, "same");
    assert_int_equal(v->kind, BTK_VERDICT_UNCHANGED);
    assert_string_equal(v->metric, "instructions");
    check_near(v->count_ratio, 1.0, 1e-12);
    assert_true(isnan(v->p_value)); /* no test was needed */
    v = find(cmp, "tiny");
    assert_int_equal(v->kind, BTK_VERDICT_UNCHANGED);
    check_near(v->count_ratio, 6003.0 / 6000.0, 1e-12);
    v = find(cmp, "more");
    assert_int_equal(v->kind, BTK_VERDICT_REGRESSED);
    check_near(v->count_ratio, 1.01, 1e-12);
    check_near(v->base_count, 6000, 1e-12);
    check_near(v->new_count, 6060, 1e-12);
    assert_non_null(strstr(v->reason, "instructions +1.000%"));
    assert_int_equal(find(cmp, "less")->kind, BTK_VERDICT_IMPROVED);
    assert_int_equal(cmp->regressions, 1);
    assert_int_equal(cmp->improvements, 1);
    assert_string_equal(cmp->items[0].name, "more"); /* most severe first */
    btk_comparison_free(cmp);
    btk_run_free(base);
    btk_run_free(now);
}

/* count_threshold 0.02 for "more": +1 % is then unchanged; the others keep 0.1 %. */
static void countcmp__threshold_from_config(void **state)
{
    const char *text = "{\"benchmarks\": {\"more\": {\"count_threshold\": 0.02}}}";
    btk_compare_options o = BTK_COMPARE_OPTIONS_INIT;
    btk_run *base = new_run(2, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    btk_run *now = new_run(2, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    btk_config *config = NULL;
    btk_comparison *cmp;

    (void)state;
    assert_int_equal(btk_config_parse(&config, text, strlen(text), "t.json"), 0);
    check_near(btk_config_count_threshold(config, "other"), 0.001, 1e-12);
    o.config = config;
    add_count(base, "more", 6000, 6000);
    add_count(base, "other", 6000, 6000);
    add_count(now, "more", 6060, 6060);
    add_count(now, "other", 6060, 6060);
    cmp = compare(base, now, &o);
    assert_int_equal(find(cmp, "more")->kind, BTK_VERDICT_UNCHANGED);
    check_near(find(cmp, "more")->count_threshold, 0.02, 1e-12);
    assert_int_equal(find(cmp, "other")->kind, BTK_VERDICT_REGRESSED);
    btk_comparison_free(cmp);
    btk_config_free(config);
    btk_run_free(base);
    btk_run_free(now);
}

/* Another CPU (identity) or another measure: refused with a message naming both. */
static void countcmp__different_identity_or_measure_refused(void **state)
{
    btk_run *base = new_run(1, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    btk_run *amd = new_run(1, BTK_MEASURE_KIND_INSTRUCTIONS,
                           "tool=callgrind; tool_version=3.19.0; libc=glibc 2.36; "
                           "arch=x86_64; cpu=AMD EPYC");
    btk_run *perf = new_run(1, BTK_MEASURE_KIND_PERF_INSTRUCTIONS, IDENTITY);
    const btk_run *b[] = {base}, *n1[] = {amd}, *n2[] = {perf};
    btk_comparison *cmp = (btk_comparison *)1;

    (void)state;
    add_count(base, "x", 6000, 6000);
    add_count(amd, "x", 6000, 6000);
    add_count(perf, "x", 6000, 6000);
    assert_int_equal(btk_compare_runs(&cmp, b, 1, n1, 1, NULL), BTK_EINVAL);
    assert_null(cmp);
    assert_non_null(strstr(btk_error_last()->message, "different count identities"));
    assert_non_null(strstr(btk_error_last()->message, "cpu=AMD EPYC"));
    assert_int_equal(btk_compare_runs(&cmp, b, 1, n2, 1, NULL), BTK_EINVAL);
    assert_non_null(strstr(btk_error_last()->message, "different measures"));
    btk_run_free(base);
    btk_run_free(amd);
    btk_run_free(perf);
}

/* Processes that counted differently (either side), or runs of one side that differ:
 * inconclusive with the reason, even when the change is far beyond the threshold. */
static void countcmp__nondeterministic_is_inconclusive(void **state)
{
    btk_run *base = new_run(2, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    btk_run *base2 = new_run(2, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    btk_run *now = new_run(2, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    const btk_run *b[] = {base, base2}, *n[] = {now};
    btk_comparison *cmp = NULL;
    const btk_verdict *v;

    (void)state;
    add_count(base, "clock", 6000, 6000);
    add_count(now, "clock", 9000, 9100); /* the contender's processes disagree */
    add_count(base, "drift", 6000, 6000);
    add_count(base2, "drift", 6001, 6001); /* deterministic, but the runs differ */
    add_count(now, "drift", 6000, 6000);
    assert_int_equal(btk_compare_runs(&cmp, b, 2, n, 1, NULL), 0);
    v = find(cmp, "clock");
    assert_int_equal(v->kind, BTK_VERDICT_INCONCLUSIVE);
    assert_non_null(strstr(v->reason, "nondeterministic counts on the contender side"));
    assert_non_null(strstr(v->reason, "9000 to 9100"));
    v = find(cmp, "drift");
    assert_int_equal(v->kind, BTK_VERDICT_INCONCLUSIVE);
    assert_non_null(strstr(v->reason, "counts differ between the base side's runs"));
    assert_int_equal(cmp->regressions, 0);
    btk_comparison_free(cmp);
    btk_run_free(base);
    btk_run_free(base2);
    btk_run_free(now);
}

/* Each side: a time run (10 processes) and a counting run. "cache": time 20 % slower,
 * count unchanged; "work": count +1 %, time the same. Both regressed (either figure
 * regressing is a regression), each saying that time and counts disagree; "calm" agrees.
 */
static void countcmp__time_and_count_disagreement_said(void **state)
{
    double w1000[10], w1200[10];
    btk_run *bt = new_run(3, BTK_MEASURE_KIND_TIME, NULL);
    btk_run *bc = new_run(3, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    btk_run *nt = new_run(3, BTK_MEASURE_KIND_TIME, NULL);
    btk_run *nc = new_run(3, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    const btk_run *b[] = {bt, bc}, *n[] = {nt, nc};
    btk_comparison *cmp = NULL;
    const btk_verdict *v;

    (void)state;
    for (int p = 0; p < 10; p++) {
        w1000[p] = 1000 * (1 + 0.002 * p);
        w1200[p] = 1200 * (1 + 0.002 * p);
    }
    add_time(bt, "cache", 10, 20, w1000, NULL);
    add_time(nt, "cache", 10, 20, w1200, NULL);
    add_time(bt, "work", 10, 20, w1000, NULL);
    add_time(nt, "work", 10, 20, w1000, NULL);
    add_time(bt, "calm", 10, 20, w1000, NULL);
    add_time(nt, "calm", 10, 20, w1000, NULL);
    add_count(bc, "cache", 6000, 6000);
    add_count(nc, "cache", 6000, 6000);
    add_count(bc, "work", 6000, 6000);
    add_count(nc, "work", 6060, 6060);
    add_count(bc, "calm", 6000, 6000);
    add_count(nc, "calm", 6000, 6000);
    assert_int_equal(btk_compare_runs(&cmp, b, 2, n, 2, NULL), 0);
    assert_int_equal(cmp->count, 3); /* one verdict per benchmark, not per kind */
    v = find(cmp, "cache");
    assert_int_equal(v->time_kind, BTK_VERDICT_REGRESSED);
    assert_int_equal(v->count_kind, BTK_VERDICT_UNCHANGED);
    assert_int_equal(v->kind, BTK_VERDICT_REGRESSED);
    assert_true(v->disagree);
    assert_non_null(strstr(v->reason, "time and counts disagree: time regressed, "
                                      "instructions unchanged"));
    /* the time figures are of the time runs only: 1200/1000, never a count */
    check_near(v->ratio, 1.2, 0.01);
    check_near(v->base_median, 1000 * 1.009, 0.01);
    v = find(cmp, "work");
    assert_int_equal(v->count_kind, BTK_VERDICT_REGRESSED);
    assert_int_equal(v->kind, BTK_VERDICT_REGRESSED);
    assert_true(v->disagree);
    assert_non_null(strstr(v->reason, "instructions regressed"));
    v = find(cmp, "calm");
    assert_false(v->disagree);
    assert_int_equal(v->count_kind, BTK_VERDICT_UNCHANGED);
    assert_null(strstr(v->reason, "disagree"));
    btk_comparison_free(cmp);
    btk_run_free(bt);
    btk_run_free(bc);
    btk_run_free(nt);
    btk_run_free(nc);
}

/* The base has only time runs, the contender only counting runs: refused, never compared
 * with each other. */
static void countcmp__time_never_compared_with_counts(void **state)
{
    double w[10];
    btk_run *bt = new_run(1, BTK_MEASURE_KIND_TIME, NULL);
    btk_run *nc = new_run(1, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    const btk_run *b[] = {bt}, *n[] = {nc};
    btk_comparison *cmp = NULL;

    (void)state;
    for (int p = 0; p < 10; p++)
        w[p] = 6000;
    add_time(bt, "x", 10, 5, w, NULL);
    add_count(nc, "x", 6000, 6000);
    assert_int_equal(btk_compare_runs(&cmp, b, 1, n, 1, NULL), BTK_EINVAL);
    assert_non_null(strstr(btk_error_last()->message,
                           "nothing to compare: the base side has "
                           "only time runs"));
    btk_run_free(bt);
    btk_run_free(nc);
}

/* Wall time the same on both sides (1000 ns a process) but CPU time 10 % higher (800 ->
 * 880 ns a process, as when the contender spins where the base waited): --metric wall
 * says unchanged, --metric cpu regressed with the ratio 880/800 = 1.10. */
static void countcmp__cpu_metric_decides_on_cpu_samples(void **state)
{
    double wall[10], cpu_b[10], cpu_n[10];
    btk_run *base = new_run(1, BTK_MEASURE_KIND_TIME, NULL);
    btk_run *now = new_run(1, BTK_MEASURE_KIND_TIME, NULL);
    btk_compare_options o = BTK_COMPARE_OPTIONS_INIT;
    btk_comparison *cmp;
    const btk_verdict *v;

    (void)state;
    for (int p = 0; p < 10; p++) {
        wall[p] = 1000 * (1 + 0.001 * p);
        cpu_b[p] = 800 * (1 + 0.001 * p);
        cpu_n[p] = 880 * (1 + 0.001 * p);
    }
    add_time(base, "k", 10, 20, wall, cpu_b);
    add_time(now, "k", 10, 20, wall, cpu_n);
    cmp = compare(base, now, &o);
    v = find(cmp, "k");
    assert_int_equal(v->kind, BTK_VERDICT_UNCHANGED);
    assert_string_equal(v->metric, "wall");
    check_near(v->ratio, 1.0, 1e-9);
    btk_comparison_free(cmp);
    o.metric = BTK_COMPARE_CPU;
    cmp = compare(base, now, &o);
    v = find(cmp, "k");
    assert_int_equal(v->kind, BTK_VERDICT_REGRESSED);
    assert_string_equal(v->metric, "cpu");
    check_near(v->ratio, 1.10, 1e-9);
    /* medians of the process medians: the 5th/6th process's median sample (i = 9.5) */
    check_near(v->base_median, 800 * (1 + 0.001 * 4.5) * (1 + 0.001 * 9.5), 1e-3);
    btk_comparison_free(cmp);
    btk_run_free(base);
    btk_run_free(now);
}

/* --metric cpu on runs without CPU time: refused, naming the side. */
static void countcmp__cpu_metric_without_cpu_refused(void **state)
{
    double wall[10], cpu[10];
    btk_run *base = new_run(1, BTK_MEASURE_KIND_TIME, NULL);
    btk_run *now = new_run(1, BTK_MEASURE_KIND_TIME, NULL);
    btk_compare_options o = BTK_COMPARE_OPTIONS_INIT;
    const btk_run *b[] = {base}, *n[] = {now};
    btk_comparison *cmp = NULL;

    (void)state;
    for (int p = 0; p < 10; p++)
        wall[p] = cpu[p] = 1000;
    add_time(base, "k", 10, 5, wall, NULL);
    add_time(now, "k", 10, 5, wall, cpu);
    o.metric = BTK_COMPARE_CPU;
    assert_int_equal(btk_compare_runs(&cmp, b, 1, n, 1, &o), BTK_EINVAL);
    assert_non_null(
        strstr(btk_error_last()->message, "no CPU time in the base side's runs"));
    btk_run_free(base);
    btk_run_free(now);
}

/* Allocation failures anywhere in a mixed comparison: a clean BTK_ENOMEM, no leak. */
static void countcmp__allocation_failures_are_clean(void **state)
{
    double w[10];
    btk_run *bt = new_run(1, BTK_MEASURE_KIND_TIME, NULL);
    btk_run *bc = new_run(2, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    btk_run *nt = new_run(1, BTK_MEASURE_KIND_TIME, NULL);
    btk_run *nc = new_run(2, BTK_MEASURE_KIND_INSTRUCTIONS, IDENTITY);
    const btk_run *b[] = {bt, bc}, *n[] = {nt, nc};
    int error = BTK_ENOMEM;

    (void)state;
    for (int p = 0; p < 10; p++)
        w[p] = 1000 + p;
    add_time(bt, "a", 10, 5, w, NULL);
    add_time(nt, "a", 10, 5, w, NULL);
    add_count(bc, "a", 10, 10);
    add_count(nc, "a", 11, 11);
    add_count(bc, "only_counted", 10, 10);
    add_count(nc, "only_counted", 10, 10);
    for (int k = 0; error == BTK_ENOMEM && k < 10000; k++) {
        btk_comparison *cmp = NULL;

        btk__alloc_fail_after(k);
        error = btk_compare_runs(&cmp, b, 2, n, 2, NULL);
        btk__alloc_fail_after(-1);
        if (error == 0) {
            assert_int_equal(cmp->count, 2);
            assert_int_equal(find(cmp, "a")->count_kind, BTK_VERDICT_REGRESSED);
            assert_int_equal(find(cmp, "only_counted")->kind, BTK_VERDICT_UNCHANGED);
        } else
            assert_null(cmp);
        btk_comparison_free(cmp);
    }
    assert_int_equal(error, 0);
    btk_run_free(bt);
    btk_run_free(bc);
    btk_run_free(nt);
    btk_run_free(nc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(countcmp__threshold_decides_without_statistics),
        cmocka_unit_test(countcmp__threshold_from_config),
        cmocka_unit_test(countcmp__different_identity_or_measure_refused),
        cmocka_unit_test(countcmp__nondeterministic_is_inconclusive),
        cmocka_unit_test(countcmp__time_and_count_disagreement_said),
        cmocka_unit_test(countcmp__time_never_compared_with_counts),
        cmocka_unit_test(countcmp__cpu_metric_decides_on_cpu_samples),
        cmocka_unit_test(countcmp__cpu_metric_without_cpu_refused),
        cmocka_unit_test(countcmp__allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
