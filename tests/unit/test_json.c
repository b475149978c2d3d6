/* Tests of the results JSON (json.c, summary.c): a real run of the healthy fixture parsed
 * back and checked field by field against docs/json-format.md, and the writer fed
 * hand-made results for failures, non-finite numbers, bad UTF-8 and unwritable paths. */
#include "check.h"
#include "json.h"
#include "summary.h"

#include <jansson.h>
#include <math.h>

typedef enum { T_STR, T_INT, T_NUM, T_BOOL, T_OBJ, T_ARR, T_INT_OR_NULL } jtype;

typedef struct field {
    const char *path; /* dot-separated */
    jtype type;
} field;

static json_t *at(json_t *o, const char *path)
{
    char key[64];
    const char *dot;

    while (o != NULL && (dot = strchr(path, '.')) != NULL) {
        snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
        o = json_object_get(o, key);
        path = dot + 1;
    }
    return o ? json_object_get(o, path) : NULL;
}

static bool has_type(json_t *v, jtype t)
{
    switch (t) {
    case T_STR: return json_is_string(v);
    case T_INT: return json_is_integer(v);
    case T_NUM: return json_is_number(v);
    case T_BOOL: return json_is_boolean(v);
    case T_OBJ: return json_is_object(v);
    case T_ARR: return json_is_array(v);
    case T_INT_OR_NULL: return json_is_integer(v) || json_is_null(v);
    }
    return false;
}

static void check_fields(json_t *o, const field *f, size_t n, const char *where)
{
    size_t i;

    for (i = 0; i < n; i++) {
        json_t *v = at(o, f[i].path);
        if (v == NULL || !has_type(v, f[i].type))
            fail_msg("%s: field %s missing or of the wrong type", where, f[i].path);
    }
}

static const field context_fields[] = {
    {"benchtrack_version", T_STR}, {"date", T_STR}, {"executable", T_STR},
    {"host.hostname", T_STR}, {"host.os", T_STR}, {"host.kernel", T_STR},
    {"host.arch", T_STR}, {"host.cpu_model", T_STR}, {"host.cpus", T_INT},
    {"host.hypervisor", T_BOOL}, {"timer.source", T_STR}, {"timer.hz", T_NUM},
    {"timer.hz_source", T_STR}, {"timer.invariant", T_BOOL}, {"timer.read_ns", T_NUM},
    {"timer.resolution_ns", T_NUM}, {"timer.overhead_ns", T_NUM}, {"timer.pause_ns", T_NUM},
    {"perf.available", T_BOOL}, {"memtrack.available", T_BOOL}, {"build.compiler", T_STR},
    {"build.flags", T_STR}, {"build.optimized", T_BOOL}, {"build.assertions", T_BOOL},
    {"options.time_budget_ms", T_NUM}, {"options.min_samples", T_INT},
    {"options.max_samples", T_INT}, {"options.precision", T_NUM},
    {"options.processes", T_INT}, {"options.cpu", T_INT}, {"options.filter", T_STR},
    {"options.warmup_ms", T_NUM}, {"options.sample_time_us", T_NUM},
    {"options.timeout_ms", T_NUM}, {"warnings", T_ARR},
};

static const field bench_fields[] = {
    {"name", T_STR}, {"family", T_STR}, {"param", T_INT_OR_NULL}, {"status", T_STR},
    {"stop_reason", T_STR}, {"iterations", T_INT}, {"stats", T_OBJ},
    {"stats.min", T_NUM}, {"stats.max", T_NUM}, {"stats.mean", T_NUM},
    {"stats.median", T_NUM}, {"stats.stddev", T_NUM}, {"stats.mad", T_NUM},
    {"stats.p50", T_NUM}, {"stats.p90", T_NUM}, {"stats.p95", T_NUM}, {"stats.p99", T_NUM},
    {"stats.p999", T_NUM}, {"stats.median_ci_low", T_NUM}, {"stats.median_ci_high", T_NUM},
    {"stats.ci_level", T_NUM}, {"stats.rel_ci", T_NUM}, {"stats.outliers_low", T_INT},
    {"stats.outliers_high", T_INT}, {"stats.samples", T_INT}, {"stats.iterations", T_INT},
    {"cycles.median", T_NUM}, {"cycles.min", T_NUM}, {"cycles.mean", T_NUM},
    {"processes", T_ARR}, {"memory.tracked", T_BOOL}, {"memory.allocs_per_iter", T_NUM},
    {"memory.frees_per_iter", T_NUM}, {"memory.bytes_per_iter", T_NUM},
    {"memory.peak_rss_bytes", T_INT}, {"memory.minor_faults", T_INT},
    {"memory.major_faults", T_INT}, {"counters", T_OBJ},
};

static const field proc_fields[] = {
    {"index", T_INT}, {"pid", T_INT}, {"cpu", T_INT}, {"samples", T_ARR}, {"batch", T_ARR},
    {"peak_rss_bytes", T_INT}, {"minor_faults", T_INT}, {"major_faults", T_INT},
};

static double num(json_t *o, const char *path)
{
    json_t *v = at(o, path);

    if (!json_is_number(v))
        fail_msg("%s is not a number", path);
    return json_number_value(v);
}

/* The median over the entry's processes of each process's median of its samples. */
static double median_of_process_medians(json_t *b)
{
    json_t *procs = at(b, "processes"), *p, *x;
    double med[64], v[4096];
    size_t i, k, n = 0;

    json_array_foreach(procs, i, p) {
        size_t m = 0;

        json_array_foreach(json_object_get(p, "samples"), k, x) {
            assert_true(m < BTK_ARRAY_SIZE(v));
            v[m++] = json_number_value(x);
        }
        assert_true(m > 0 && n < BTK_ARRAY_SIZE(med));
        med[n++] = test_sorted_median(v, m);
    }
    return test_sorted_median(med, n);
}

/* min <= p50 <= p90 <= ... <= max, the median is the pooled samples' (one process) or the
 * processes' median (2 or more), the CI brackets it, the mean is in range. */
static void check_stats_order(json_t *b)
{
    static const char *order[] = {"stats.min", "stats.p50", "stats.p90", "stats.p95",
                                  "stats.p99", "stats.p999", "stats.max"};
    size_t i;

    for (i = 1; i < BTK_ARRAY_SIZE(order); i++)
        assert_true(num(b, order[i - 1]) <= num(b, order[i]));
    if (json_array_size(at(b, "processes")) < 2)
        check_near(num(b, "stats.median"), num(b, "stats.p50"), 1e-12);
    else
        check_near(num(b, "stats.median"), median_of_process_medians(b), 1e-12);
    assert_true(num(b, "stats.median_ci_low") <= num(b, "stats.median"));
    assert_true(num(b, "stats.median") <= num(b, "stats.median_ci_high"));
    assert_true(num(b, "stats.min") <= num(b, "stats.mean"));
    assert_true(num(b, "stats.mean") <= num(b, "stats.max"));
    check_near(num(b, "stats.ci_level"), 0.95, 1e-12);
}

/* Sample counts and iteration sums agree between processes, stats and the entry. */
static void check_counts(json_t *b)
{
    json_t *p, *x;
    size_t i, k, samples = 0;
    json_int_t iterations = 0;

    json_array_foreach(json_object_get(b, "processes"), i, p) {
        check_fields(p, proc_fields, BTK_ARRAY_SIZE(proc_fields), "process");
        assert_int_equal(json_array_size(json_object_get(p, "samples")),
                         json_array_size(json_object_get(p, "batch")));
        /* a timed process carries the core clock of every sample (timer.md "Core clock") */
        assert_int_equal(json_array_size(json_object_get(p, "samples")),
                         json_array_size(json_object_get(p, "clock_ghz")));
        json_array_foreach(json_object_get(p, "clock_ghz"), k, x)
            assert_true(json_is_real(x) && json_real_value(x) > 0.1 &&
                        json_real_value(x) < 20);
        samples += json_array_size(json_object_get(p, "samples"));
        json_array_foreach(json_object_get(p, "batch"), k, x) {
            assert_true(json_integer_value(x) > 0);
            iterations += json_integer_value(x);
        }
    }
    assert_int_equal(json_integer_value(at(b, "stats.samples")), samples);
    assert_int_equal(json_integer_value(at(b, "stats.iterations")), iterations);
    assert_int_equal(json_integer_value(at(b, "iterations")), iterations);
}

/* Run the healthy fixture with PROCS processes of BUDGET ms and one extra argument (or
 * none); its JSON document. */
static json_t *run_fixture(const char *procs, const char *budget, const char *extra)
{
    char *dir = test_tmpdir("json"), out[512], *log = NULL;
    char *argv[] = {BTK_FIXTURE_HEALTHY, "--time-budget", (char *)budget, "--out", out,
                    "--processes", (char *)procs, (char *)extra, NULL};
    json_error_t err;
    json_t *doc;

    snprintf(out, sizeof(out), "%s/r.json", dir);
    assert_int_equal(test_run(argv, &log), 0);
    doc = json_load_file(out, 0, &err);
    if (doc == NULL)
        fail_msg("unparsable JSON: %s; output:\n%s", err.text, log);
    free(log);
    test_rmtree(dir);
    return doc;
}

static json_t *run_healthy(const char *extra)
{
    return run_fixture("2", "20", extra);
}

static json_t *find(json_t *doc, const char *name)
{
    json_t *b;
    size_t i;

    json_array_foreach(json_object_get(doc, "benchmarks"), i, b)
        if (strcmp(json_string_value(json_object_get(b, "name")), name) == 0)
            return b;
    fail_msg("no benchmark %s", name);
    return NULL;
}

static void json__every_documented_field_has_its_type(void **state)
{
    json_t *doc = run_healthy(NULL), *b;
    size_t i;

    (void)state;
    assert_string_equal(json_string_value(json_object_get(doc, "format")), "benchtrack");
    assert_int_equal(json_integer_value(json_object_get(doc, "schema_version")), 1);
    check_fields(json_object_get(doc, "context"), context_fields,
                 BTK_ARRAY_SIZE(context_fields), "context");
    assert_int_equal(json_integer_value(at(doc, "context.options.processes")), 2);
    assert_int_equal(json_array_size(json_object_get(doc, "benchmarks")), 4);
    json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
        check_fields(b, bench_fields, BTK_ARRAY_SIZE(bench_fields), "benchmark");
        assert_string_equal(json_string_value(json_object_get(b, "status")), "ok");
        assert_int_equal(json_array_size(json_object_get(b, "processes")), 2);
        check_stats_order(b);
        check_counts(b);
    }
    json_decref(doc);
}

/* Parameters, throughput consistent with the median, counters, allocations. */
static void json__figures_are_consistent(void **state)
{
    json_t *doc = run_healthy(NULL), *b;
    double median;

    (void)state;
    b = find(doc, "copy_bytes/1024");
    assert_string_equal(json_string_value(json_object_get(b, "family")), "copy_bytes");
    assert_int_equal(json_integer_value(json_object_get(b, "param")), 1024);
    median = num(b, "stats.median");
    check_near(num(b, "throughput.bytes_per_iter"), 1024, 1e-12);
    check_near(num(b, "throughput.bytes_per_second"), 1024 * 1e9 / median, 1e-9);
    assert_int_equal(json_integer_value(json_object_get(find(doc, "copy_bytes/64"), "param")),
                     64);
    b = find(doc, "mix_items");
    assert_true(json_is_null(json_object_get(b, "param")));
    check_near(num(b, "throughput.items_per_iter"), 4, 1e-12);
    check_near(num(b, "throughput.items_per_second"), 4 * 1e9 / num(b, "stats.median"), 1e-9);
    check_near(num(b, "counters.rounds"), 4, 1e-12);
    b = find(doc, "alloc_one");
    assert_null(json_object_get(b, "throughput"));
    if (json_is_true(at(doc, "context.memtrack.available"))) {
        assert_true(json_is_true(at(b, "memory.tracked")));
        assert_in_range((long)(num(b, "memory.allocs_per_iter") * 100), 99, 101);
        assert_in_range((long)(num(b, "memory.frees_per_iter") * 100), 99, 101);
    }
    json_decref(doc);
}

/* ---- the writer fed hand-made results ---- */

typedef struct fake_run {
    btk_env_input in;
    btk_env_report env;
    btk_runner_options opts;
    btk_bench_result res[2];
    btk_report rep;
} fake_run;

static void fake_setup(fake_run *f, const char *ok_name)
{
    static double samples[] = {3.0, 1.0, 2.0, 5.0, 4.0};
    static uint64_t batch[] = {10, 10, 20, 20, 40};
    static double cycles[] = {6.0, 2.0, 4.0, 10.0, 8.0};
    btk_proc_result *p;

    memset(f, 0, sizeof(*f));
    f->in.optimized = true;
    f->in.perf_reason = "cycles: No such file or directory";
    btk_envcheck_add(&f->env, "vm", "running in a virtual machine");
    f->opts.processes = 1;
    f->opts.cpu = -1;
    f->res[0].name = (char *)"boom";
    f->res[0].family = (char *)"boom";
    f->res[0].fail = BTK_FAIL_SIGNAL;
    f->res[0].fail_signal = 11;
    snprintf(f->res[0].fail_message, 256, "killed by signal SIGSEGV");
    f->res[1].name = (char *)ok_name;
    f->res[1].family = (char *)ok_name;
    f->res[1].proc_count = 1;
    f->res[1].procs = p = calloc(1, sizeof(*p));
    p->count = 5;
    p->samples = samples;
    p->batch = batch;
    p->cycles = cycles;
    p->counter_count = 1;
    snprintf(p->counters[0].name, BTK_COUNTER_NAME_MAX, "ratio");
    p->counters[0].value = NAN;
    f->rep = (btk_report){"./x", 0, &f->in, &f->env, NULL, &f->opts, NULL, f->res, 2, NULL, NULL, 0, NULL};
}

static json_t *fake_dump(fake_run *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    json_error_t err;
    json_t *doc;

    assert_int_equal(btk_json_write_stream(&f->rep, m), 0);
    fclose(m);
    doc = json_loads(text, 0, &err);
    if (doc == NULL)
        fail_msg("unparsable: %s", err.text);
    free(text);
    free(f->res[1].procs);
    return doc;
}


/* The median of v[0..8) (sorts it). */
static json_int_t median8(json_int_t *v)
{
    size_t i, k;

    for (i = 1; i < 8; i++)
        for (k = i; k > 0 && v[k - 1] > v[k]; k--) {
            json_int_t t = v[k];

            v[k] = v[k - 1];
            v[k - 1] = t;
        }
    return (v[3] + v[4]) / 2;
}

/* A benchmark process's peak RSS is its own, not the runner's history: the runner holds the
 * results of every earlier process, and a child that kept them (and the freed heap around
 * them) had a peak RSS growing with the processes before it: +88 KiB from the 1st to the
 * 24th process of this 4-benchmark fixture before the fix, +24-28 KiB after (measured on
 * the reference VM). The growth is read as the median of the last 8 processes' peak RSS
 * minus that of the first 8 (before the fix about 16/23 x 88 = 61 KiB; bound 12 pages).
 * --min-samples=3 makes every process run the precision check: with the default 11, a
 * process whose 5 ms budget held an 11th sample mapped in that code and the others did not
 * (6 more minor faults, 256-350 KiB more peak RSS, in about half the processes, in any
 * order: 2026-12-02), so the medians flipped between the two at random. Not under ASan,
 * whose allocator keeps its own heap (malloc_trim does not reach it). */
static void json__peak_rss_does_not_grow_with_earlier_processes(void **state)
{
    json_t *doc, *b, *p;
    size_t i, k;
    bool held = false;

    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip();
#endif
    /* Under load the processes' peak RSS also falls into two modes 150-330 KiB apart, in
     * runs of processes, in this build and in the one before the warm-up was kept alike
     * (3 of 8 fixture runs beside a `yes` broke the bound in each, 2026-12-03): up to 3
     * attempts, and the bound must hold for every benchmark in one of them. A child that
     * kept the runner's history grows in every attempt. */
    for (int attempt = 0; attempt < 3 && !held; attempt++) {
        held = true;
        doc = run_fixture("24", "5", "--min-samples=3");
        json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
            json_int_t rss[24], first, last;

            assert_int_equal(json_array_size(json_object_get(b, "processes")), 24);
            json_array_foreach(json_object_get(b, "processes"), k, p) {
                rss[k] = json_integer_value(json_object_get(p, "peak_rss_bytes"));
                assert_true(rss[k] > 0);
            }
            first = median8(rss);
            last = median8(rss + 16);
            print_message("%s: peak RSS, median of the first 8 processes %lld KiB, of the "
                          "last 8 %lld KiB\n", json_string_value(json_object_get(b, "name")),
                          (long long)first / 1024, (long long)last / 1024);
            held = held && last - first <= 12 * 4096;
        }
        json_decref(doc);
    }
    assert_true(held);
}

static void json__failed_entry_has_error_and_no_figures(void **state)
{
    fake_run f;
    json_t *doc, *b;

    (void)state;
    fake_setup(&f, "fine");
    doc = fake_dump(&f);
    b = json_array_get(json_object_get(doc, "benchmarks"), 0);
    assert_string_equal(json_string_value(json_object_get(b, "status")), "failed");
    assert_string_equal(json_string_value(at(b, "error.kind")), "signal");
    assert_int_equal(json_integer_value(at(b, "error.signal")), 11);
    assert_null(at(b, "error.exit_code"));
    assert_string_equal(json_string_value(at(b, "error.message")), "killed by signal SIGSEGV");
    assert_null(json_object_get(b, "stats"));
    assert_null(json_object_get(b, "processes"));
    b = json_array_get(json_object_get(doc, "benchmarks"), 1);
    assert_string_equal(json_string_value(json_object_get(b, "status")), "ok");
    check_near(num(b, "stats.median"), 3.0, 1e-12);
    check_near(num(b, "cycles.median"), 6.0, 1e-12);
    assert_int_equal(json_integer_value(json_object_get(b, "iterations")), 100);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(at(doc, "context.warnings"), 0),
                                          "code")),
        "vm");
    assert_false(json_is_true(at(doc, "context.perf.available")));
    assert_string_equal(json_string_value(at(doc, "context.perf.reason")),
                        "cycles: No such file or directory");
    json_decref(doc);
}

/* JSON cannot hold NaN: it becomes null. Names that are not UTF-8 are made ASCII. */
/* The "stats" object is the table of btk_stats's fields: every key, in order, is the next
 * metric of btk_stats_metric_at, none is missing, and each holds the summary's value. */
static void json__stats_object_is_the_metric_table(void **state)
{
    fake_run f;
    btk_summary s;
    json_t *doc, *st, *v;
    const char *key;
    size_t i = 0;

    (void)state;
    fake_setup(&f, "fine");
    assert_int_equal(btk_summary_compute(&s, &f.res[1]), 0);
    doc = fake_dump(&f);
    st = at(json_array_get(json_object_get(doc, "benchmarks"), 1), "stats");
    assert_non_null(st);
    assert_int_equal(json_object_size(st), BTK_STATS_METRIC_COUNT);
    json_object_foreach(st, key, v) {
        const btk_stats_metric *m = btk_stats_metric_at(i++);

        assert_string_equal(key, m->name);
        if (m->unit == BTK_STATS_COUNT) {
            assert_true(json_is_integer(v));
            assert_int_equal(json_integer_value(v), btk_stats_get_count(&s.stats, m));
        } else {
            assert_true(json_is_real(v));
            check_near(json_real_value(v), btk_stats_get(&s.stats, m), 0);
        }
    }
    assert_int_equal(i, BTK_STATS_METRIC_COUNT);
    json_decref(doc);
}

static void json__non_finite_is_null_and_bad_utf8_replaced(void **state)
{
    fake_run f;
    json_t *doc, *b;

    (void)state;
    fake_setup(&f, "caf\xe9");
    f.res[1].procs[0].counter_count = 2;
    snprintf(f.res[1].procs[0].counters[1].name, BTK_COUNTER_NAME_MAX, "n\xe9");
    f.res[1].procs[0].counters[1].value = 2;
    doc = fake_dump(&f);
    b = json_array_get(json_object_get(doc, "benchmarks"), 1);
    assert_string_equal(json_string_value(json_object_get(b, "name")), "caf?");
    assert_true(json_is_null(at(b, "counters.ratio")));
    check_near(num(b, "counters.n?"), 2, 1e-12);
    json_decref(doc);
}

static void json__unwritable_path_names_it(void **state)
{
    fake_run f;

    (void)state;
    fake_setup(&f, "fine");
    assert_int_equal(btk_json_write_file(&f.rep, "/nonexistent-dir/r.json"), BTK_EIO);
    assert_string_equal(btk_error_last()->message,
                        "cannot write results to '/nonexistent-dir/r.json': No such file or "
                        "directory");
    free(f.res[1].procs);
}

/* The shared-core test (docs/timer.md "Shared core"): at least half of the processes with a
 * branch ratio at 1.5 or more; processes without one (0) do not count either way. And the
 * ratio is in the JSON only when known. Cases by hand: {1, 1, 2, 2} yes (2 of 4), {1, 1, 1,
 * 2} no, {1.49, 1.5} yes (the bound is inclusive), {0, 0, 0, 2} yes (1 of 1 known), all 0
 * no. */
static void summary__shared_core_needs_half_the_processes(void **state)
{
    static const double cases[][4] = {
        {1, 1, 2, 2}, {1, 1, 1, 2}, {1.49, 1.5, 0, 0}, {0, 0, 0, 2}, {0, 0, 0, 0}};
    static const bool expect[] = {true, false, true, true, false};
    static const size_t known[] = {4, 4, 2, 1, 0};
    fake_run f;
    btk_summary s;
    json_t *doc, *procs;

    (void)state;
    for (size_t c = 0; c < sizeof(expect) / sizeof(expect[0]); c++) {
        btk_proc_result *p;

        fake_setup(&f, "fine");
        p = realloc(f.res[1].procs, 4 * sizeof(*p));
        assert_non_null(p);
        for (size_t i = 0; i < 4; i++) {
            p[i] = p[0];
            p[i].index = (int)i;
            p[i].branch_ratio = cases[c][i];
        }
        f.res[1].procs = p;
        f.res[1].proc_count = 4;
        f.opts.processes = 4;
        assert_int_equal(btk_summary_compute(&s, &f.res[1]), 0);
        assert_int_equal(s.ratio_procs, known[c]);
        assert_int_equal(btk_summary_shared_core(&s), expect[c]);
        doc = fake_dump(&f);
        procs = at(json_array_get(json_object_get(doc, "benchmarks"), 1), "processes");
        assert_int_equal(json_array_size(procs), 4);
        for (size_t i = 0; i < 4; i++) {
            json_t *r = json_object_get(json_array_get(procs, i), "branch_ratio");

            if (cases[c][i] > 0)
                check_near(json_real_value(r), cases[c][i], 1e-12);
            else
                assert_null(r);
        }
        json_decref(doc);
    }
}

/* Two processes alone and three on a shared core 80 % slower (btk_stats_shared_aside sets
 * the three aside): the figures are the two alone processes' (median 3, from the sorted
 * union of their samples {1..5} twice; samples 10), the JSON says 3 were set aside, and
 * the shared-core warning does not fire, its state being out of the figures. The same
 * processes with the shared ones only 1 % slower: nothing set aside, all 25 samples. */
static void summary__shared_processes_that_moved_the_benchmark_are_set_aside(void **state)
{
    static double slow[] = {5.4, 1.8, 3.6, 9.0, 7.2}, near[] = {3.03, 1.01, 2.02, 5.05, 4.04};
    fake_run f;
    btk_summary s;
    json_t *doc, *b;

    (void)state;
    for (int c = 0; c < 2; c++) {
        btk_proc_result *p;

        fake_setup(&f, "fine");
        p = realloc(f.res[1].procs, 5 * sizeof(*p));
        assert_non_null(p);
        for (size_t i = 0; i < 5; i++) {
            p[i] = p[0];
            p[i].index = (int)i;
            p[i].branch_ratio = i < 2 ? 1.0 : 2.0;
            if (i >= 2)
                p[i].samples = c == 0 ? slow : near;
        }
        f.res[1].procs = p;
        f.res[1].proc_count = 5;
        f.opts.processes = 5;
        assert_int_equal(btk_summary_compute(&s, &f.res[1]), 0);
        assert_int_equal(s.shared_procs, 3);
        assert_int_equal(s.aside_procs, c == 0 ? 3 : 0);
        assert_int_equal(s.stats.samples, c == 0 ? 10 : 25);
        assert_int_equal(s.proc_medians, c == 0 ? 2 : 5);
        check_near(s.stats.median, c == 0 ? 3.0 : 3.03, 1e-12);
        assert_int_equal(btk_summary_shared_core(&s), c == 1);
        doc = fake_dump(&f);
        b = json_array_get(json_object_get(doc, "benchmarks"), 1);
        if (c == 0)
            assert_int_equal(json_integer_value(at(b, "processes_set_aside")), 3);
        else
            assert_null(json_object_get(b, "processes_set_aside"));
        json_decref(doc);
    }
}

/* Every allocation of the summary fails in turn: a clean BTK_ENOMEM until it succeeds. */
static void summary__survives_every_allocation_failure(void **state)
{
    fake_run f;
    btk_summary s;
    long n;
    int rc;

    (void)state;
    fake_setup(&f, "fine");
    for (n = 0;; n++) {
        btk__alloc_fail_after(n);
        rc = btk_summary_compute(&s, &f.res[1]);
        btk__alloc_fail_after(-1);
        if (rc == 0)
            break;
        assert_int_equal(rc, BTK_ENOMEM);
    }
    assert_true(n >= 2);
    check_near(s.stats.median, 3.0, 1e-12);
    assert_int_equal(s.stats.iterations, 100);
    assert_int_equal(btk_summary_compute(&s, &f.res[0]), BTK_EINVAL);
    free(f.res[1].procs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json__every_documented_field_has_its_type),
        cmocka_unit_test(json__figures_are_consistent),
        cmocka_unit_test(summary__shared_core_needs_half_the_processes),
        cmocka_unit_test(summary__shared_processes_that_moved_the_benchmark_are_set_aside),
        cmocka_unit_test(json__peak_rss_does_not_grow_with_earlier_processes),
        cmocka_unit_test(json__failed_entry_has_error_and_no_figures),
        cmocka_unit_test(json__stats_object_is_the_metric_table),
        cmocka_unit_test(json__non_finite_is_null_and_bad_utf8_replaced),
        cmocka_unit_test(json__unwritable_path_names_it),
        cmocka_unit_test(summary__survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
