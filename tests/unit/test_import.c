/* Tests of JSON import: our format, a real Google Benchmark file, and every malformed case
 * in tests/data/json/invalid (each with the message fragment it must produce). */
#include "check.h"
#include "import.h"
#include "import_int.h"
#include "json.h"
#include "metric.h"
#include "summary.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>

static const char *data_path(const char *rel)
{
    const char *src = getenv("BTK_SOURCE_DIR");
    static char buf[4096];

    snprintf(buf, sizeof(buf), "%s/tests/data/%s", src ? src : "..", rel);
    return buf;
}

static void import__ours_reads_context_and_benchmarks(void **state)
{
    btk_run *run = NULL;

    (void)state;
    assert_int_equal(btk_import_file(&run, data_path("json/valid/full.json")), 0);
    assert_string_equal(run->format, "benchtrack");
    assert_string_equal(run->machine.hostname, "bench-host");
    assert_int_equal(run->machine.cpus, 2);
    assert_true(run->machine.hypervisor);
    assert_non_null(run->machine.fingerprint);
    assert_int_equal(strlen(run->machine.fingerprint), 32);
    assert_string_equal(run->commit.sha, "");
    assert_non_null(strstr(run->options_json, "\"time_budget_ms\":1000"));
    assert_int_equal(run->result_count, 2);
    assert_string_equal(run->results[0].family, "sort");
    assert_int_equal(run->results[1].status, BTK_RESULT_FAILED);
    assert_string_equal(run->results[1].error_message, "killed by signal 11 (SIGSEGV)");
    btk_run_free(run);
}

static void import__gbench_repetitions_become_processes(void **state)
{
    btk_run *run = NULL;
    const btk_result *r;

    (void)state;
    assert_int_equal(btk_import_file(&run, data_path("gbench/tiny.json")), 0);
    assert_string_equal(run->format, "gbench");
    /* BM_sort/64, BM_sort/1024, BM_fails: aggregates (mean/median/stddev/cv) skipped */
    assert_int_equal(run->result_count, 3);
    r = btk_run_find(run, "BM_sort/1024");
    assert_non_null(r);
    assert_string_equal(r->family, "BM_sort");
    assert_true(r->has_param && r->param == 1024);
    assert_int_equal(r->proc_count, 3);
    assert_int_equal(r->stats.samples, 3);
    /* time_unit "us" converted to ns: sorting 1024 ints takes well over 1000 ns */
    assert_true(r->procs[0].ns[0] > 1000.0);
    assert_true(r->stats.median >= r->stats.min && r->stats.median <= r->stats.max);
    assert_true(r->procs[0].batch[0] > 0);
    assert_true(r->counter_count >= 1);
    assert_string_equal(r->counters[0].name, "items_per_second");
    assert_null(btk_run_find(run, "BM_sort/1024_mean"));
    /* cpu_time kept next to real_time: the file's first BM_sort/64 repetition has
     * real_time 0.22745177927385726 us and cpu_time 0.19763079540042186 us */
    r = btk_run_find(run, "BM_sort/64");
    check_near(r->procs[0].ns[0], 227.45177927385726, 1e-12);
    assert_non_null(r->procs[0].cpu_ns);
    check_near(r->procs[0].cpu_ns[0], 197.63079540042186, 1e-12);
    assert_true(r->has_cpu_stats);
    /* the median of the three repetitions' cpu_time (0.1976, 0.1943, 0.2051 us) */
    check_near(r->cpu_stats.median, 197.63079540042186, 1e-12);
    r = btk_run_find(run, "BM_fails");
    assert_non_null(r);
    assert_int_equal(r->status, BTK_RESULT_FAILED);
    assert_string_equal(r->error_message, "deliberate failure");
    btk_run_free(run);
}

/* A counting run (tests/data/json/valid/counting.json: written by the examples binary with
 * --measure instructions) is read as counts: measure, identity, and each benchmark's
 * repeatability and spread. */
static void import__counting_run_keeps_measure_and_identity(void **state)
{
    btk_run *run = NULL;
    const btk_result *r;

    (void)state;
    assert_int_equal(btk_import_file(&run, data_path("json/valid/counting.json")), 0);
    assert_int_equal(run->measure, BTK_MEASURE_KIND_INSTRUCTIONS);
    assert_string_equal(run->count_identity,
                        "tool=callgrind; tool_version=valgrind.h 3.19; libc=glibc 2.36; "
                        "arch=x86_64; cpu=Intel(R) Xeon(R) Processor");
    r = btk_run_find(run, "cpu");
    assert_non_null(r);
    assert_int_equal(r->count_repeat, BTK_COUNT_DETERMINISTIC);
    /* (1976036 - 1047) / 329, the file's own totals */
    check_near(r->stats.median, (1976036.0 - 1047.0) / 329.0, 1e-12);
    check_near(r->count_spread_min, r->count_spread_max, 0);
    assert_false(r->has_cpu_stats);
    btk_run_free(run);
    /* a time run says nothing of counts */
    assert_int_equal(btk_import_file(&run, data_path("json/valid/full.json")), 0);
    assert_int_equal(run->measure, BTK_MEASURE_KIND_TIME);
    assert_null(run->count_identity);
    assert_int_equal(run->results[0].count_repeat, BTK_COUNT_UNKNOWN);
    assert_false(run->results[0].has_cpu_stats);
    assert_null(run->results[0].procs[0].cpu_ns);
    btk_run_free(run);
}

/* cpu_samples (parallel to samples) and cpu_stats: tests/data/json/valid/cpu.json is
 * full.json with every figure times 0.9 as CPU time. */
static void import__cpu_samples_and_stats_are_kept(void **state)
{
    btk_run *run = NULL;
    const btk_result *r;

    (void)state;
    assert_int_equal(btk_import_file(&run, data_path("json/valid/cpu.json")), 0);
    r = btk_run_find(run, "sort/1024");
    assert_non_null(r->procs[0].cpu_ns);
    check_near(r->procs[0].cpu_ns[0], 9.0, 1e-12);
    check_near(r->procs[1].cpu_ns[2], 12.6, 1e-12);
    assert_true(r->has_cpu_stats);
    check_near(r->cpu_stats.median, 9.9, 1e-12);
    check_near(r->stats.median, 11.0, 1e-12); /* wall untouched */
    assert_true(btk_run_has_cpu(run));
    btk_run_free(run);
}

/* Malformed CPU or count fields: a length mismatch is a format error; a negative CPU
 * sample makes that process's CPU time unknown, not the benchmark failed. */
static void import__bad_cpu_and_count_fields(void **state)
{
    static const char head[] =
        "{\"format\":\"benchtrack\",\"schema_version\":1,\"context\":{%s},"
        "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"stats\":{\"median\":1},"
        "%s\"processes\":[{\"samples\":[1,2],%s}]}]}";
    char text[1024];
    btk_run *run = NULL;

    (void)state;
    snprintf(text, sizeof(text), head, "", "", "\"cpu_samples\":[1]");
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), BTK_EFORMAT);
    assert_non_null(strstr(btk_error_last()->message, "cpu_samples: length differs"));
    snprintf(text, sizeof(text), head, "", "", "\"cpu_samples\":[1,-2]");
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), 0);
    assert_int_equal(run->results[0].status, BTK_RESULT_OK);
    assert_null(run->results[0].procs[0].cpu_ns);
    btk_run_free(run);
    snprintf(text, sizeof(text), head, "\"options\":{\"measure\":\"instructions\"}",
             "\"count\":{\"deterministic\":\"yes\"},", "\"batch\":[1,1]");
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), BTK_EFORMAT);
    assert_non_null(strstr(btk_error_last()->message, "count.deterministic: expected true"));
    snprintf(text, sizeof(text), head, "\"options\":{\"measure\":\"instructions\"}",
             "\"count\":{\"deterministic\":false,\"spread\":{\"min\":1,\"max\":2}},",
             "\"batch\":[1,1]");
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), 0);
    assert_int_equal(run->results[0].count_repeat, BTK_COUNT_NONDETERMINISTIC);
    check_near(run->results[0].count_spread_max, 2, 0);
    /* no count object in the context: every identity field unknown, said so */
    assert_string_equal(run->count_identity,
                        "tool=?; tool_version=?; libc=?; arch=?; cpu=?");
    btk_run_free(run);
}

/* clock_ghz (parallel to samples) gives each result's core cycles per iteration:
 * tests/data/json/valid/clock.json is cpu.json with clocks 3.0, 3.1, 3.2 GHz (process 0,
 * samples 10, 11, 12 ns) and 2.5, 2.0, 3.0 GHz (process 1, samples 11, 10.5, 14 ns). By
 * hand: cycles 30, 34.1, 38.4, 27.5, 21, 42; pooled median (30 + 34.1) / 2 = 32.05, min 21,
 * max 42, mean 193 / 6. */
static void import__clock_ghz_gives_core_cycles(void **state)
{
    btk_run *run = NULL;
    const btk_result *r;

    (void)state;
    assert_int_equal(btk_import_file(&run, data_path("json/valid/clock.json")), 0);
    r = btk_run_find(run, "sort/1024");
    assert_non_null(r->procs[0].clock_ghz);
    check_near(r->procs[0].clock_ghz[1], 3.1, 1e-12);
    check_near(r->procs[1].clock_ghz[2], 3.0, 1e-12);
    assert_true(r->has_core_stats);
    check_near(r->core_stats.median, 32.05, 1e-12);
    check_near(r->core_stats.min, 21, 1e-12);
    check_near(r->core_stats.max, 42, 1e-12);
    check_near(r->core_stats.mean, 193.0 / 6, 1e-12);
    check_near(r->stats.median, 11.0, 1e-12); /* wall untouched */
    assert_true(btk_run_has_clock(run));
    assert_false(btk_run_find(run, "crashy")->has_core_stats);
    btk_run_free(run);
    assert_int_equal(btk_import_file(&run, data_path("json/valid/cpu.json")), 0);
    assert_false(btk_run_has_clock(run)); /* no clock_ghz: unknown, not zero */
    assert_false(btk_run_find(run, "sort/1024")->has_core_stats);
    assert_null(btk_run_find(run, "sort/1024")->procs[0].clock_ghz);
    btk_run_free(run);
}

/* branch_ratio: each process's is read (absent: 0, unknown), and the shared-core rule sets
 * aside the shared processes whose state moved the benchmark (docs/timer.md#shared-core):
 * two alone at 10 and 11 ns, three shared at 18-20 ns. They then hold no figure: the core
 * cycles (all at 2 GHz) pool the two alone, 20 and 22 cycles, median 21. A ratio that is
 * not a number from 0 to 1e6 is malformed. */
static void import__branch_ratio_sets_shared_processes_aside(void **state)
{
    static const char head[] =
        "{\"format\":\"benchtrack\",\"schema_version\":1,\"context\":{},"
        "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"stats\":{\"median\":1},"
        "\"processes\":[{\"samples\":[10],\"clock_ghz\":[2],\"branch_ratio\":1},"
        "{\"samples\":[11],\"clock_ghz\":[2]},"
        "{\"samples\":[18],\"clock_ghz\":[2],\"branch_ratio\":2},"
        "{\"samples\":[19],\"clock_ghz\":[2],\"branch_ratio\":%s},"
        "{\"samples\":[20],\"clock_ghz\":[2],\"branch_ratio\":2}]}]}";
    static const char *const bad[] = {"-1", "1e6", "1e300", "\"2\"", "true"};
    char text[1024];
    btk_run *run = NULL;
    const btk_result *r;

    (void)state;
    snprintf(text, sizeof(text), head, "1.9");
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), 0);
    r = &run->results[0];
    check_near(r->procs[0].branch_ratio, 1, 0);
    check_near(r->procs[1].branch_ratio, 0, 0);
    check_near(r->procs[3].branch_ratio, 1.9, 0);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(r->procs[i].aside, i >= 2);
    assert_false(btk_proc_has_metric(&r->procs[2], BTK_COMPARE_WALL));
    assert_true(btk_proc_has_metric(&r->procs[1], BTK_COMPARE_CYCLES));
    check_near(r->core_stats.median, 21, 1e-12);
    btk_run_free(run);
    snprintf(text, sizeof(text), head, "1.1"); /* the 19 ns process alone: not separated */
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), 0);
    for (size_t i = 0; i < 5; i++)
        assert_false(run->results[0].procs[i].aside);
    btk_run_free(run);
    /* at 1.4, between alone and shared: out of the test, and set aside with the shared
     * ones, being beyond the alone ones (19 > 11) */
    snprintf(text, sizeof(text), head, "1.4");
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), 0);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(run->results[0].procs[i].aside, i >= 2);
    btk_run_free(run);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), head, bad[i]);
        assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), BTK_EFORMAT);
        assert_non_null(strstr(btk_error_last()->message, "processes[3].branch_ratio"));
    }
}

/* A clock import does not accept (null, 0, negative, 100 GHz or more) makes that process's
 * clock unknown, as does an array of another length than samples; its wall samples stay
 * and the result stays ok. A non-number is malformed input. A counting run's clock is
 * dropped (its figures are not times). */
static void import__bad_clock_values_make_the_clock_unknown(void **state)
{
    static const char head[] =
        "{\"format\":\"benchtrack\",\"schema_version\":1,\"context\":{%s},"
        "\"benchmarks\":[{\"name\":\"a\",\"status\":\"ok\",\"stats\":{\"median\":1},"
        "\"processes\":[{\"samples\":[1,2],\"batch\":[1,1],\"clock_ghz\":%s},"
        "{\"samples\":[4,6],\"clock_ghz\":[2,2]}]}]}";
    static const char *const unknown[] = {"[3,null]", "[3,0]", "[3,-1]", "[3,100]",
                                          "[3,1e300]", "[3]", "[3,3,3]", "[]"};
    char text[1024];
    btk_run *run = NULL;

    (void)state;
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        snprintf(text, sizeof(text), head, "", unknown[i]);
        assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), 0);
        assert_int_equal(run->results[0].status, BTK_RESULT_OK);
        assert_null(run->results[0].procs[0].clock_ghz);
        check_near(run->results[0].procs[0].ns[1], 2, 0);
        /* the other process's clock stays: cycles 8 and 12, median 10 */
        assert_non_null(run->results[0].procs[1].clock_ghz);
        assert_true(run->results[0].has_core_stats);
        check_near(run->results[0].core_stats.median, 10, 1e-12);
        btk_run_free(run);
    }
    snprintf(text, sizeof(text), head, "", "[3,99.5]"); /* cycles 3, 199, 8, 12 */
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), 0);
    check_near(run->results[0].procs[0].clock_ghz[1], 99.5, 0);
    check_near(run->results[0].core_stats.median, 10, 1e-12);
    check_near(run->results[0].core_stats.max, 199, 1e-12);
    btk_run_free(run);
    snprintf(text, sizeof(text), head, "", "[3,\"x\"]");
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), BTK_EFORMAT);
    assert_non_null(strstr(btk_error_last()->message,
                           "processes[0].clock_ghz: expected an array of numbers"));
    snprintf(text, sizeof(text), head, "", "{}");
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), BTK_EFORMAT);
    snprintf(text, sizeof(text), head, "\"options\":{\"measure\":\"instructions\"}",
             "[3,3]");
    assert_int_equal(btk_import_buffer(&run, text, strlen(text), "t"), 0);
    assert_null(run->results[0].procs[0].clock_ghz);
    assert_false(run->results[0].has_core_stats);
    assert_false(btk_run_has_clock(run));
    btk_run_free(run);
}

static void import__gbench_units_scale_to_ns(void **state)
{
    static const char *const units[] = {"ns", "us", "ms", "s"};
    static const double scale[] = {1, 1e3, 1e6, 1e9};
    char doc[512];
    btk_run *run = NULL;
    size_t i;

    (void)state;
    for (i = 0; i < 4; i++) {
        snprintf(doc, sizeof(doc), "{\"context\":{},\"benchmarks\":[{\"name\":\"x\","
                 "\"run_type\":\"iteration\",\"iterations\":10,\"real_time\":2.5,"
                 "\"cpu_time\":1,\"time_unit\":\"%s\"}]}", units[i]);
        assert_int_equal(btk_import_buffer(&run, doc, strlen(doc), "t.json"), 0);
        check_near(run->results[0].stats.median, 2.5 * scale[i], 1e-12);
        btk_run_free(run);
    }
}

static int check_invalid(const char *dir, const char *name)
{
    char path[4096], expect_path[8192], *expect;
    btk_run *run = (btk_run *)1;
    int error;

    snprintf(path, sizeof(path), "%.2000s/%.1000s", dir, name);
    snprintf(expect_path, sizeof(expect_path), "%.*s.expect", (int)(strlen(path) - 5), path);
    expect = test_read_file(expect_path, NULL);
    assert_non_null(expect);
    expect[strcspn(expect, "\n")] = '\0';
    error = btk_import_file(&run, path);
    if (error != BTK_EFORMAT || run != NULL ||
        strstr(btk_error_last()->message, expect) == NULL) {
        print_error("%s: got %d '%s', want '%s'\n", name, error, btk_error_last()->message,
                    expect);
        free(expect);
        return 1;
    }
    assert_null(strchr(btk_error_last()->message, '\n'));
    free(expect);
    return 0;
}

static void import__invalid_cases_name_what_and_where(void **state)
{
    char dir[4096];
    DIR *d;
    struct dirent *e;
    int cases = 0, failures = 0;

    (void)state;
    snprintf(dir, sizeof(dir), "%s", data_path("json/invalid"));
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 5 && !strcmp(e->d_name + n - 5, ".json")) {
            cases++;
            failures += check_invalid(dir, e->d_name);
        }
    }
    closedir(d);
    assert_true(cases >= 15);
    assert_int_equal(failures, 0);
}

static void import__allocation_failures_are_clean(void **state)
{
    btk_run *run = NULL;
    long n;
    int error;

    static const char *const files[] = {"json/valid/full.json", "json/valid/counting.json",
                                        "json/valid/cpu.json", "json/valid/clock.json",
                                        "gbench/tiny.json"};

    (void)state;
    for (size_t f = 0; f < BTK_ARRAY_SIZE(files); f++) {
        for (n = 0;; n++) {
            btk__alloc_fail_after(n);
            error = btk_import_file(&run, data_path(files[f]));
            btk__alloc_fail_after(-1);
            if (error == 0)
                break;
            assert_int_equal(error, BTK_ENOMEM);
            assert_null(run);
        }
        assert_true(n > 10);
        btk_run_free(run);
        run = NULL;
    }
}


/* ---- values out of range fail their benchmark, not the run (docs/json-format.md) ---- */

/* Our format with one ok benchmark "a" (samples as given, median as given) and one plain
 * ok benchmark "b"; imported, the run must be kept with "b" ok. */
static btk_run *import_two(const char *samples, const char *median, const char *counters)
{
    char doc[2048];
    btk_run *run = NULL;
    int n;

    n = snprintf(doc, sizeof(doc),
                 "{\"format\":\"benchtrack\",\"schema_version\":1,\"context\":{},"
                 "\"benchmarks\":["
                 "{\"name\":\"a\",\"status\":\"ok\",\"stats\":{\"median\":%s},"
                 "\"counters\":%s,\"processes\":[{\"samples\":[%s]}]},"
                 "{\"name\":\"b\",\"status\":\"ok\",\"stats\":{\"median\":2},"
                 "\"processes\":[{\"samples\":[1,2,3]}]}]}",
                 median, counters, samples);
    assert_true(n > 0 && (size_t)n < sizeof(doc));
    if (btk_import_buffer(&run, doc, (size_t)n, "v.json") < 0)
        fail_msg("import rejected the run: %s", btk_error_last()->message);
    assert_int_equal(run->result_count, 2);
    assert_int_equal(run->results[1].status, BTK_RESULT_OK);
    return run;
}

static void expect_invalid(const char *samples, const char *median, const char *why)
{
    btk_run *run = import_two(samples, median, "{}");
    const btk_result *a = &run->results[0];

    assert_int_equal(a->status, BTK_RESULT_FAILED);
    assert_string_equal(a->error_kind, "invalid");
    if (strstr(a->error_message, why) == NULL ||
        strncmp(a->error_message, "rejected at import: benchmarks[0].", 34) != 0)
        fail_msg("message '%s' lacks '%s'", a->error_message, why);
    assert_int_equal(a->proc_count, 0); /* the bad samples are not kept */
    assert_true(isnan(a->stats.median));
    btk_run_free(run);
}

static void import__out_of_range_values_fail_the_benchmark_not_the_run(void **state)
{
    (void)state;
    expect_invalid("1,null,3", "2", "processes[0].samples[1] is null (not a finite number)");
    expect_invalid("1,-5,3", "2", "processes[0].samples[1] is negative (-5)");
    expect_invalid("1e308,1e308,1e308", "1e308",
                   "processes[0].samples[0] is 1e+308, above the limit of 1e+15 ns");
    expect_invalid("1,2,3", "null", "stats.median is null");
    expect_invalid("1,2,3", "-201", "stats.median is negative (-201)");
    expect_invalid("1,2,3", "1e300", "stats.median is 1e+300, above the limit");
}

static void import__null_counter_is_left_out(void **state)
{
    btk_run *run;

    (void)state;
    run = import_two("1,2,3", "2", "{\"nan\":null,\"x\":2.5}");
    assert_int_equal(run->results[0].status, BTK_RESULT_OK);
    assert_int_equal(run->results[0].counter_count, 1);
    assert_string_equal(run->results[0].counters[0].name, "x");
    check_near(run->results[0].counters[0].value, 2.5, 0);
    btk_run_free(run);
}

/* "percentiles": "calls" marks a per-call result; absent or "samples" does not. */
static void import__per_call_percentiles_are_marked(void **state)
{
    static const char doc[] =
        "{\"format\":\"benchtrack\",\"schema_version\":1,\"context\":{},\"benchmarks\":["
        "{\"name\":\"a\",\"status\":\"ok\",\"percentiles\":\"calls\",\"stats\":{\"median\":2,"
        "\"p99\":40},\"processes\":[{\"samples\":[1,2,3],\"cpu_samples\":[1,2,3]}]},"
        "{\"name\":\"b\",\"status\":\"ok\",\"percentiles\":\"samples\",\"stats\":{\"median\":2},"
        "\"processes\":[{\"samples\":[1,2,3]}]},"
        "{\"name\":\"c\",\"status\":\"ok\",\"stats\":{\"median\":2},"
        "\"processes\":[{\"samples\":[1,2,3]}]}]}";
    btk_run *run = NULL;

    (void)state;
    assert_int_equal(btk_import_buffer(&run, doc, sizeof(doc) - 1, "p.json"), 0);
    assert_int_equal(run->result_count, 3);
    assert_true(run->results[0].call_percentiles);
    check_near(run->results[0].stats.p99, 40, 0);
    assert_false(run->results[1].call_percentiles);
    assert_false(run->results[2].call_percentiles);
    btk_run_free(run);
}

/* Google Benchmark: a real_time of 1e308 s (inf ns once scaled) or below zero. */
static void import__gbench_absurd_real_time_is_an_invalid_result(void **state)
{
    static const char *const bad[] = {"1e308", "-3"};
    char doc[600];
    btk_run *run = NULL;

    (void)state;
    for (size_t i = 0; i < BTK_ARRAY_SIZE(bad); i++) {
        int n = snprintf(doc, sizeof(doc),
                         "{\"context\":{},\"benchmarks\":["
                         "{\"name\":\"BM_a\",\"run_type\":\"iteration\",\"iterations\":10,"
                         "\"real_time\":%s,\"time_unit\":\"s\"},"
                         "{\"name\":\"BM_b\",\"run_type\":\"iteration\",\"iterations\":10,"
                         "\"real_time\":5,\"time_unit\":\"ns\"}]}",
                         bad[i]);
        assert_int_equal(btk_import_buffer(&run, doc, (size_t)n, "gb.json"), 0);
        assert_int_equal(run->results[0].status, BTK_RESULT_FAILED);
        assert_string_equal(run->results[0].error_kind, "invalid");
        assert_non_null(strstr(run->results[0].error_message, "real_time is"));
        assert_int_equal(run->results[0].proc_count, 0);
        assert_int_equal(run->results[1].status, BTK_RESULT_OK);
        check_near(run->results[1].stats.median, 5, 0);
        btk_run_free(run);
    }
}

/* ---- limits (docs/json-format.md, "Limits") ---- */

static void expect_limit(const char *text, size_t len, const char *message)
{
    btk_run *run = NULL;

    assert_int_equal(btk_import_buffer(&run, text, len, "big.json"), BTK_EFORMAT);
    assert_null(run);
    assert_string_equal(btk_error_last()->message, message);
}

static int doc_head(char *doc)
{
    static const char head[] = "{\"format\":\"benchtrack\",\"schema_version\":1,"
                               "\"context\":{},\"benchmarks\":[{\"name\":\"";

    memcpy(doc, head, sizeof(head));
    return (int)sizeof(head) - 1;
}

/* Our format with one failed benchmark whose name is name_len bytes of 'n'. */
static size_t long_name_doc(char *doc, size_t name_len)
{
    size_t at = (size_t)doc_head(doc);

    memset(doc + at, 'n', name_len);
    at += name_len;
    memcpy(doc + at, "\",\"status\":\"failed\"}]}", 23);
    return at + 22;
}

static void import__limits_give_one_line_naming_them(void **state)
{
    char *doc = test_malloc(BTK_IMPORT_MAX_NAME + 4096);
    btk_run *run = NULL;

    (void)state;
    /* the length alone is checked first: the bytes past "{" are never read */
    expect_limit("{", BTK_IMPORT_MAX_BYTES + 1,
                 "big.json: larger than 268435456 bytes (the import limit)");
    expect_limit(doc, long_name_doc(doc, BTK_IMPORT_MAX_NAME + 1),
                 "big.json: benchmarks[0].name: longer than 1024 bytes (the import limit)");
    /* exactly at the limit is accepted */
    assert_int_equal(btk_import_buffer(&run, doc, long_name_doc(doc, BTK_IMPORT_MAX_NAME),
                                       "ok.json"), 0);
    assert_int_equal(strlen(run->results[0].name), BTK_IMPORT_MAX_NAME);
    btk_run_free(run);
    test_free(doc);
}


/* ---- round trip: whatever the harness's writer emits, import accepts ----
 * Random documents of hostile outcomes go through btk_json_write_stream and back through
 * btk_import_buffer. Import must keep every run; each benchmark comes back with its name
 * (bytes >= 0x80 of a name that is not valid UTF-8 as '?', as the writer documents), ok
 * with its samples bit for bit when they are all times import accepts, "invalid" when one
 * is not (NaN, +-inf, negative, 1e308), failed with the harness's kind when it failed, and
 * kind "none" when it has no sample. An ok result never carries a value out of range. */

static uint64_t rt_x = 0x853c49e6748fea9bu;

static uint64_t rt_next(void)
{
    rt_x ^= rt_x << 13, rt_x ^= rt_x >> 7, rt_x ^= rt_x << 17;
    return rt_x;
}

static double rt_value(bool hostile)
{
    static const double bad[] = {NAN, INFINITY, -INFINITY, -5, -0.5, 1e308, 2e15, 1e300};
    static const double edge[] = {0, 5e-324, 1e-300, 1e15, 1, 3.25};

    if (hostile)
        return bad[rt_next() % BTK_ARRAY_SIZE(bad)];
    if (rt_next() % 4 == 0)
        return edge[rt_next() % BTK_ARRAY_SIZE(edge)];
    return (double)(rt_next() % 1000000) / 7.0;
}

/* A name: a unique prefix, then up to ~240 bytes of control characters, quotes,
 * backslashes, slashes, valid multi-byte UTF-8 and (sometimes) the invalid byte 0xff. */
static void rt_name(char *out, size_t size, size_t i)
{
    static const char *const parts[] = {"\x01", "\x1f", "\t", "\n", "\"", "\\", "/",
                                        "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                        "x", "\x7f", " ", "\xff"};
    size_t at = (size_t)snprintf(out, size, "b%zu", i), n = rt_next() % 80;

    for (size_t k = 0; k < n; k++) {
        const char *p = parts[rt_next() % (BTK_ARRAY_SIZE(parts) - (rt_next() % 3 != 0))];

        if (at + strlen(p) + 1 >= size)
            break;
        memcpy(out + at, p, strlen(p) + 1);
        at += strlen(p);
    }
}

/* What the writer makes of a string: unchanged when it is valid UTF-8 (here: unless it
 * holds 0xff), else every byte >= 0x80 as '?'. */
static void rt_expect(char *out, const char *in)
{
    bool bad = strchr(in, '\xff') != NULL;
    size_t i;

    for (i = 0; in[i]; i++)
        out[i] = bad && (unsigned char)in[i] >= 0x80 ? '?' : in[i];
    out[i] = '\0';
}

typedef struct rt_bench {
    btk_bench_result res;
    char name[256];
    bool want_ok, want_invalid, want_none;
} rt_bench;

static void rt_make(rt_bench *b, size_t i)
{
    static const btk_fail_kind fails[] = {BTK_FAIL_SIGNAL, BTK_FAIL_EXIT, BTK_FAIL_TIMEOUT,
                                          BTK_FAIL_ERROR};
    size_t total = 0, bad = 0, counters = rt_next() % 4;

    memset(b, 0, sizeof(*b));
    rt_name(b->name, sizeof(b->name), i);
    b->res.name = b->res.family = b->name;
    b->res.has_param = rt_next() % 2;
    b->res.param = rt_next() % 2 ? INT64_MAX : INT64_MIN;
    if (rt_next() % 5 == 0) {
        b->res.fail = fails[rt_next() % 4];
        b->res.fail_signal = 11;
        rt_name(b->res.fail_message, sizeof(b->res.fail_message), i);
        return;
    }
    b->res.proc_count = rt_next() % 4;
    b->res.procs = test_calloc(b->res.proc_count + 1, sizeof(btk_proc_result));
    for (size_t p = 0; p < b->res.proc_count; p++) {
        btk_proc_result *pr = &b->res.procs[p];
        size_t n = rt_next() % 3 == 0 ? rt_next() % 2 : rt_next() % 40;
        bool hostile = rt_next() % 4 == 0;

        pr->index = (int)p;
        pr->count = n;
        pr->samples = test_calloc(n + 1, sizeof(double));
        pr->cycles = test_calloc(n + 1, sizeof(double));
        pr->batch = test_calloc(n + 1, sizeof(uint64_t));
        for (size_t k = 0; k < n; k++) {
            pr->samples[k] = rt_value(hostile && rt_next() % 3 == 0);
            pr->cycles[k] = rt_value(rt_next() % 8 == 0);
            pr->batch[k] = rt_next() % 2 ? ((uint64_t)1 << 40) : 1 + rt_next() % 1000;
            bad += !(isfinite(pr->samples[k]) && pr->samples[k] >= 0 &&
                     pr->samples[k] <= 1e15);
        }
        total += n;
        pr->peak_rss_bytes = rt_next() % 2 ? INT64_MAX : -1;
        pr->minor_faults = pr->major_faults = INT64_MAX;
        pr->counter_count = counters; /* the same names in every process */
        for (size_t c = 0; c < counters; c++) {
            snprintf(pr->counters[c].name, BTK_COUNTER_NAME_MAX, "c%zu\x01\xc3\xa9", c);
            pr->counters[c].value = rt_value(rt_next() % 3 == 0);
        }
    }
    b->want_none = total == 0;
    b->want_invalid = total > 0 && bad > 0;
    b->want_ok = total > 0 && bad == 0;
}

static void rt_free(rt_bench *b)
{
    for (size_t p = 0; p < b->res.proc_count; p++) {
        test_free(b->res.procs[p].samples);
        test_free(b->res.procs[p].cycles);
        test_free(b->res.procs[p].batch);
    }
    if (b->res.procs)
        test_free(b->res.procs);
}

/* The counters of an ok result: the mean over processes (as the writer folds them) when
 * finite, else absent. */
static void rt_check_counters(const rt_bench *b, const btk_result *r)
{
    size_t want = 0;

    for (size_t c = 0; c < b->res.procs[0].counter_count; c++) {
        double sum = 0;

        for (size_t p = 0; p < b->res.proc_count; p++)
            sum += b->res.procs[p].counters[c].value;
        sum /= (double)b->res.proc_count;
        if (!isfinite(sum))
            continue;
        assert_true(want < r->counter_count);
        check_near(r->counters[want].value, sum, 1e-15);
        want++;
    }
    assert_int_equal(r->counter_count, want);
}

static void rt_check(const rt_bench *b, const btk_result *r)
{
    static const char *const kinds[] = {"none", "signal", "exit", "timeout", "error"};
    char name[256];

    rt_expect(name, b->name);
    assert_string_equal(r->name, name);
    if (r->status == BTK_RESULT_OK) { /* the invariant: nothing out of range is ok */
        assert_true(btk_import__time_ok(r->stats.median));
        for (size_t p = 0; p < r->proc_count; p++)
            for (size_t k = 0; k < r->procs[p].count; k++)
                assert_true(btk_import__time_ok(r->procs[p].ns[k]));
    }
    if (b->res.fail != BTK_FAIL_NONE) {
        assert_int_equal(r->status, BTK_RESULT_FAILED);
        assert_string_equal(r->error_kind, kinds[b->res.fail]);
        rt_expect(name, b->res.fail_message);
        assert_string_equal(r->error_message, name);
    } else if (b->want_none) {
        assert_int_equal(r->status, BTK_RESULT_FAILED);
        assert_string_equal(r->error_kind, "none");
    } else if (b->want_invalid) {
        assert_int_equal(r->status, BTK_RESULT_FAILED);
        assert_string_equal(r->error_kind, "invalid");
        assert_int_equal(r->proc_count, 0);
    } else {
        assert_int_equal(r->status, BTK_RESULT_OK);
        assert_int_equal(r->proc_count, b->res.proc_count);
        for (size_t p = 0; p < r->proc_count; p++) {
            assert_int_equal(r->procs[p].count, b->res.procs[p].count);
            assert_memory_equal(r->procs[p].ns, b->res.procs[p].samples,
                                r->procs[p].count * sizeof(double));
            assert_memory_equal(r->procs[p].batch, b->res.procs[p].batch,
                                r->procs[p].count * sizeof(uint64_t));
        }
        rt_check_counters(b, r);
    }
}

static void import__accepts_whatever_the_writer_writes(void **state)
{
    enum { DOCS = 40, BENCHES = 24 };
    size_t seen[3] = {0, 0, 0}; /* ok, invalid, failed or none */

    (void)state;
    for (size_t d = 0; d < DOCS; d++) {
        rt_bench *b = test_calloc(BENCHES, sizeof(*b));
        btk_bench_result res[BENCHES];
        btk_env_input in;
        btk_env_report env;
        btk_runner_options opts = {.processes = 3, .cpu = -1};
        btk_report rep;
        btk_run *run = NULL;
        char *text = NULL;
        size_t len = 0;
        FILE *f;

        memset(&in, 0, sizeof(in));
        memset(&env, 0, sizeof(env));
        for (size_t i = 0; i < BENCHES; i++) {
            rt_make(&b[i], d * BENCHES + i);
            res[i] = b[i].res;
        }
        rep = (btk_report){"./hostile\x01", 0, &in, &env, NULL, &opts, NULL, res, BENCHES, NULL,
                           NULL, 0, NULL};
        assert_non_null(f = open_memstream(&text, &len));
        assert_int_equal(btk_json_write_stream(&rep, f), 0);
        fclose(f);
        if (btk_import_buffer(&run, text, len, "rt.json") < 0)
            fail_msg("document %zu: import rejected what the writer wrote: %s", d,
                     btk_error_last()->message);
        assert_int_equal(run->result_count, BENCHES);
        for (size_t i = 0; i < BENCHES; i++) {
            rt_check(&b[i], &run->results[i]);
            seen[b[i].want_ok ? 0 : b[i].want_invalid ? 1 : 2]++;
            rt_free(&b[i]);
        }
        btk_run_free(run);
        free(text);
        test_free(b);
    }
    /* every kind of outcome was exercised many times */
    assert_true(seen[0] > 100 && seen[1] > 50 && seen[2] > 100);
}

/* ---- statistics: the reader against the table and against the harness's writer ---- */

/* Import text and check that every statistic the tool keeps (the stats table's rows with a
 * column) equals want's, bit for bit, and the others are unknown. */
static void check_read_stats(const char *text, size_t len, const btk_stats *want)
{
    btk_run *run = NULL;
    const btk_stats *got;

    assert_int_equal(btk_import_buffer(&run, text, len, "stats.json"), 0);
    assert_int_equal(run->result_count, 1);
    got = &run->results[0].stats;
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->column == NULL)
            assert_true(isnan(btk_stats_get(got, m)));
        else if (m->unit == BTK_STATS_COUNT)
            assert_int_equal(btk_stats_get_count(got, m), btk_stats_get_count(want, m));
        else
            check_near(btk_stats_get(got, m), btk_stats_get(want, m), 0);
    }
    btk_run_free(run);
}

/* A "stats" object with a different value under every name lands each in its own field. */
static void import__reads_each_metric_into_its_own_field(void **state)
{
    json_t *stats = json_object(), *doc;
    btk_stats want;
    char *text;

    (void)state;
    btk_stats_init(&want);
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->unit == BTK_STATS_COUNT) {
            *btk_stats_count_field(&want, m) = 1000 + (int64_t)i;
            json_object_set_new(stats, m->name, json_integer(1000 + (json_int_t)i));
        } else {
            *btk_stats_real_field(&want, m) = 1.5 * (double)(i + 1);
            json_object_set_new(stats, m->name, json_real(1.5 * (double)(i + 1)));
        }
    }
    doc = json_pack("{s:s, s:i, s:{}, s:[{s:s, s:s, s:o}]}", "format", "benchtrack",
                    "schema_version", 1, "context", "benchmarks", "name", "x", "status", "ok",
                    "stats", stats);
    assert_non_null(doc);
    text = json_dumps(doc, 0);
    check_read_stats(text, strlen(text), &want);
    free(text);
    json_decref(doc);
}

#define RT_N 1005

/* What the harness writes for one result whose statistics all differ (but median and p50,
 * equal by definition): 1000 spread samples, two low and three high outliers. */
static void import__round_trips_every_metric_the_writer_writes(void **state)
{
    static double ns[RT_N], cycles[RT_N];
    static uint64_t batch[RT_N];
    btk_proc_result proc;
    btk_bench_result res;
    btk_env_input in;
    btk_env_report env;
    btk_runner_options opts;
    btk_report rep;
    btk_summary want;
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    for (size_t i = 0; i < RT_N; i++) {
        ns[i] = 100 + 0.01 * (double)i + 0.5 * (double)(i % 7);
        batch[i] = 3;
    }
    ns[1000] = 1, ns[1001] = 2, ns[1002] = 1000, ns[1003] = 2000, ns[1004] = 3000;
    for (size_t i = 0; i < RT_N; i++)
        cycles[i] = 2.5 * ns[i];
    memset(&proc, 0, sizeof(proc));
    proc = (btk_proc_result){.count = RT_N, .samples = ns, .batch = batch, .cycles = cycles};
    res = (btk_bench_result){.name = (char *)"rt", .family = (char *)"rt", .proc_count = 1,
                             .procs = &proc};
    memset(&in, 0, sizeof(in));
    memset(&env, 0, sizeof(env));
    opts = (btk_runner_options){.processes = 1, .cpu = -1};
    rep = (btk_report){"./rt", 0, &in, &env, NULL, &opts, NULL, &res, 1, NULL, NULL, 0, NULL};
    assert_int_equal(btk_summary_compute(&want, &res), 0);
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++)
        for (size_t j = i + 1; j < BTK_STATS_METRIC_COUNT; j++)
            if (btk_stats_metric_at(i)->offset != offsetof(btk_stats, median) ||
                btk_stats_metric_at(j)->offset != offsetof(btk_stats, p50))
                assert_true(btk_stats_get(&want.stats, btk_stats_metric_at(i)) !=
                            btk_stats_get(&want.stats, btk_stats_metric_at(j)));
    assert_int_equal(want.stats.outliers_low, 2);
    assert_int_equal(want.stats.outliers_high, 3);
    assert_int_equal(want.stats.iterations, 3 * RT_N);
    assert_non_null(f = open_memstream(&text, &len));
    assert_int_equal(btk_json_write_stream(&rep, f), 0);
    fclose(f);
    check_read_stats(text, len, &want.stats);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import__ours_reads_context_and_benchmarks),
        cmocka_unit_test(import__gbench_repetitions_become_processes),
        cmocka_unit_test(import__counting_run_keeps_measure_and_identity),
        cmocka_unit_test(import__cpu_samples_and_stats_are_kept),
        cmocka_unit_test(import__clock_ghz_gives_core_cycles),
        cmocka_unit_test(import__branch_ratio_sets_shared_processes_aside),
        cmocka_unit_test(import__bad_clock_values_make_the_clock_unknown),
        cmocka_unit_test(import__bad_cpu_and_count_fields),
        cmocka_unit_test(import__gbench_units_scale_to_ns),
        cmocka_unit_test(import__invalid_cases_name_what_and_where),
        cmocka_unit_test(import__allocation_failures_are_clean),
        cmocka_unit_test(import__reads_each_metric_into_its_own_field),
        cmocka_unit_test(import__round_trips_every_metric_the_writer_writes),
        cmocka_unit_test(import__out_of_range_values_fail_the_benchmark_not_the_run),
        cmocka_unit_test(import__null_counter_is_left_out),
        cmocka_unit_test(import__per_call_percentiles_are_marked),
        cmocka_unit_test(import__gbench_absurd_real_time_is_an_invalid_result),
        cmocka_unit_test(import__limits_give_one_line_naming_them),
        cmocka_unit_test(import__accepts_whatever_the_writer_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
