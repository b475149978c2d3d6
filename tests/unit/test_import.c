/* Tests of JSON import: our format, a real Google Benchmark file, and every malformed case
 * in tests/data/json/invalid (each with the message fragment it must produce). */
#include "check.h"
#include "import.h"
#include "json.h"
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
    r = btk_run_find(run, "BM_fails");
    assert_non_null(r);
    assert_int_equal(r->status, BTK_RESULT_FAILED);
    assert_string_equal(r->error_message, "deliberate failure");
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

    (void)state;
    for (n = 0;; n++) {
        btk__alloc_fail_after(n);
        error = btk_import_file(&run, data_path("json/valid/full.json"));
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_null(run);
    }
    assert_true(n > 10);
    btk_run_free(run);
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
    rep = (btk_report){"./rt", 0, &in, &env, NULL, &opts, NULL, &res, 1};
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
        cmocka_unit_test(import__gbench_units_scale_to_ns),
        cmocka_unit_test(import__invalid_cases_name_what_and_where),
        cmocka_unit_test(import__allocation_failures_are_clean),
        cmocka_unit_test(import__reads_each_metric_into_its_own_field),
        cmocka_unit_test(import__round_trips_every_metric_the_writer_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
