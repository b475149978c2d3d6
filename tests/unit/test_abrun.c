/* Tests of ab's merging of per-invocation runs (compare/ingest/abrun.c): processes move and are
 * renumbered, the summary is recomputed over all of them, failures and new benchmarks carry
 * over, and a side is tagged for storage. The runs are built by hand with known samples. */
#include "check.h"
#include "abrun.h"

#include <jansson.h>
#include <math.h>

/* A run with one benchmark `name` of one process whose samples are base, base+1, ...
 * (n of them), summarized as that process alone, with `iterations` iterations. */
static btk_run *one_process_run(const char *name, double base, size_t n, int64_t iterations)
{
    btk_run *run = NULL;
    btk_result *r;

    assert_int_equal(btk_run_new(&run), 0);
    run->results = btk__calloc(1, sizeof(*run->results));
    assert_non_null(run->results);
    run->result_count = 1;
    r = &run->results[0];
    r->name = btk__strdup(name);
    btk_stats_init(&r->stats);
    r->cycles_median = NAN;
    btk_memory_init(&r->memory);
    r->procs = btk__calloc(1, sizeof(*r->procs));
    r->proc_count = 1;
    r->procs[0].count = n;
    r->procs[0].ns = btk__calloc(n, sizeof(double));
    for (size_t i = 0; i < n; i++)
        r->procs[0].ns[i] = base + (double)i;
    r->stats.median = base + (double)(n - 1) / 2;
    r->cycles_median = 2 * r->stats.median; /* 2 ticks per ns */
    r->stats.samples = (int64_t)n;
    r->stats.iterations = iterations;
    return run;
}

static void ab__merge_pools_processes_and_resummarizes(void **state)
{
    btk_run *dst = one_process_run("b", 100, 5, 1000); /* 100..104 */
    btk_run *src = one_process_run("b", 200, 5, 3000); /* 200..204 */
    const btk_result *r;

    (void)state;
    assert_int_equal(btk_ab_merge(dst, src), 0);
    r = btk_run_find(dst, "b");
    assert_non_null(r);
    assert_int_equal(r->proc_count, 2);
    assert_int_equal(r->procs[0].index, 0);
    assert_int_equal(r->procs[1].index, 1);
    check_near(r->procs[1].ns[0], 200, 1e-12);
    assert_int_equal(src->results[0].proc_count, 0); /* moved, not copied */
    /* Pooled 100..104 and 200..204: the median lies between the two groups, not at the
     * first process's 102. */
    assert_true(r->stats.median > 104 && r->stats.median < 200);
    assert_int_equal(r->stats.samples, 10);
    check_near(r->stats.min, 100, 1e-12);
    check_near(r->stats.max, 204, 1e-12);
    assert_int_equal(r->stats.iterations, 4000);
    check_near(r->cycles_median, 2 * r->stats.median, 1e-9);
    btk_run_free(src);
    btk_run_free(dst);
}

/* The core clock moves with its process, and the merged result's core cycles are
 * summarized again over every process with a clock: dst 100..104 ns at 2 GHz (200..208
 * cycles), src 200..204 ns at 3 GHz (600..612), a third process without a clock left out.
 * By hand: the pooled median of the ten is (208 + 600) / 2 = 404, min 200, max 612. */
static void ab__merge_carries_clocks_and_resummarizes_cycles(void **state)
{
    btk_run *dst = one_process_run("b", 100, 5, 1000);
    btk_run *src = one_process_run("b", 200, 5, 3000);
    btk_run *other = one_process_run("b", 900, 5, 1000);
    const btk_result *r;

    (void)state;
    dst->results[0].procs[0].clock_ghz = btk__calloc(5, sizeof(double));
    src->results[0].procs[0].clock_ghz = btk__calloc(5, sizeof(double));
    for (size_t i = 0; i < 5; i++) {
        dst->results[0].procs[0].clock_ghz[i] = 2;
        src->results[0].procs[0].clock_ghz[i] = 3;
    }
    assert_int_equal(btk_ab_merge(dst, src), 0);
    assert_int_equal(btk_ab_merge(dst, other), 0);
    r = btk_run_find(dst, "b");
    assert_int_equal(r->proc_count, 3);
    check_near(r->procs[1].clock_ghz[4], 3, 0);
    assert_null(r->procs[2].clock_ghz);
    assert_true(r->has_core_stats);
    check_near(r->core_stats.median, 404, 1e-12);
    check_near(r->core_stats.min, 200, 1e-12);
    check_near(r->core_stats.max, 612, 1e-12);
    assert_true(btk_run_has_clock(dst));
    btk_run_free(other);
    btk_run_free(src);
    btk_run_free(dst);
}

/* ab sets no process aside (docs/timer.md#shared-core): its interleaved sides see the
 * core's states alike, and the units it would cost lose real slowdowns. Processes at
 * 100..104 ns alone (branch ratio 1) and at 180..184 ns shared (ratio 2), merged alone,
 * alone, shared, shared, shared: all five stay, and the summary pools them (median of the
 * 25 samples, by hand: the 13th smallest, 180). */
static void ab__merge_keeps_shared_processes(void **state)
{
    btk_run *dst = one_process_run("b", 100, 5, 1000), *src;
    const btk_result *r;

    (void)state;
    dst->results[0].procs[0].branch_ratio = 1;
    for (int k = 0; k < 4; k++) {
        src = one_process_run("b", k == 0 ? 100 : 180, 5, 1000);
        src->results[0].procs[0].branch_ratio = k == 0 ? 1 : 2;
        assert_int_equal(btk_ab_merge(dst, src), 0);
        btk_run_free(src);
    }
    r = btk_run_find(dst, "b");
    assert_int_equal(r->proc_count, 5);
    for (size_t i = 0; i < 5; i++)
        assert_false(r->procs[i].aside);
    check_near(r->stats.median, 180, 1e-12);
    assert_int_equal(r->stats.samples, 25);
    btk_run_free(dst);
}

static void ab__merge_carries_failures_and_new_benchmarks(void **state)
{
    btk_run *dst = one_process_run("a", 10, 3, 30);
    btk_run *src = one_process_run("a", 10, 3, 30);
    btk_run *other = one_process_run("c", 50, 3, 30);

    (void)state;
    src->results[0].status = BTK_RESULT_FAILED;
    src->results[0].error_kind = btk__strdup("signal");
    src->results[0].error_message = btk__strdup("killed by signal 11");
    assert_int_equal(btk_ab_merge(dst, src), 0);
    assert_int_equal(btk_ab_merge(dst, other), 0);
    assert_int_equal(dst->result_count, 2);
    assert_int_equal(btk_run_find(dst, "a")->status, BTK_RESULT_FAILED);
    assert_string_equal(btk_run_find(dst, "a")->error_kind, "signal");
    assert_non_null(btk_run_find(dst, "c"));
    assert_int_equal(btk_run_find(dst, "c")->proc_count, 1);
    btk_run_free(src);
    btk_run_free(other);
    btk_run_free(dst);
}

static void ab__tag_marks_the_side_and_keeps_options(void **state)
{
    btk_run *run = one_process_run("a", 1, 3, 3);
    json_t *o;

    (void)state;
    run->options_json = btk__strdup("{\"processes\":1,\"filter\":\"x\\\"y\"}");
    assert_int_equal(btk_ab_tag(run, "contender", 7), 0);
    o = json_loads(run->options_json, 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "source")), "ab");
    assert_string_equal(json_string_value(json_object_get(o, "ab_side")), "contender");
    assert_int_equal(json_integer_value(json_object_get(o, "processes")), 7);
    assert_string_equal(json_string_value(json_object_get(o, "filter")), "x\"y");
    json_decref(o);
    /* No options, or options that are not an object: a fresh object. */
    btk__free(run->options_json);
    run->options_json = btk__strdup("[1,2]");
    assert_int_equal(btk_ab_tag(run, "base", 2), 0);
    o = json_loads(run->options_json, 0, NULL);
    assert_true(json_is_object(o));
    assert_int_equal(json_object_size(o), 3);
    json_decref(o);
    btk_run_free(run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ab__merge_pools_processes_and_resummarizes),
        cmocka_unit_test(ab__merge_carries_clocks_and_resummarizes_cycles),
        cmocka_unit_test(ab__merge_keeps_shared_processes),
        cmocka_unit_test(ab__merge_carries_failures_and_new_benchmarks),
        cmocka_unit_test(ab__tag_marks_the_side_and_keeps_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
