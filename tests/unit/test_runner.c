/* Tests of process isolation (runner.c) and the pipe framing (wire.c): crashes, abort,
 * exit() and timeouts become per-benchmark failures while the other benchmarks' results
 * stay intact; --processes/--no-fork; frames are validated before they are trusted. */
#include "check.h"
#include "runner.h"
#include "timer.h"
#include "wire.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>

/* Run a fixture with args, JSON to a temp file; returns the parsed document and sets *rc. */
static json_t *run_fixture(const char *exe, const char *const *args, int *rc, char **log)
{
    char *dir = test_tmpdir("runner"), out[512];
    char *argv[32];
    size_t n = 0;
    json_error_t err;
    json_t *doc;

    snprintf(out, sizeof(out), "%s/out.json", dir);
    argv[n++] = (char *)exe;
    while (*args)
        argv[n++] = (char *)*args++;
    argv[n++] = "--out";
    argv[n++] = out;
    argv[n] = NULL;
    *rc = test_run(argv, log);
    doc = json_load_file(out, 0, &err);
    if (doc == NULL)
        print_error("no JSON (%s); output:\n%s\n", err.text, *log);
    test_rmtree(dir);
    return doc;
}

static json_t *bench(json_t *doc, const char *name)
{
    json_t *b;
    size_t i;

    json_array_foreach(json_object_get(doc, "benchmarks"), i, b)
        if (strcmp(json_string_value(json_object_get(b, "name")), name) == 0)
            return b;
    fail_msg("benchmark %s missing from the JSON", name);
    return NULL;
}

static void check_failed(json_t *doc, const char *name, const char *kind, const char *msg)
{
    json_t *b = bench(doc, name), *e = json_object_get(b, "error");

    assert_string_equal(json_string_value(json_object_get(b, "status")), "failed");
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(e, "kind")), kind);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), msg));
    assert_null(json_object_get(b, "stats"));
}

/* A healthy benchmark: ok, K processes, samples agree with stats, positive median. The
 * stats leave out the processes set aside on a shared core (processes_set_aside, when
 * another process kept the core's sibling busy): their samples then add up with those
 * of exactly K - aside of the processes. */
static void check_healthy(json_t *doc, const char *name, size_t procs)
{
    json_t *b = bench(doc, name), *p, *stats = json_object_get(b, "stats");
    size_t i, count[16], aside = (size_t)json_integer_value(
                                  json_object_get(b, "processes_set_aside"));
    json_int_t samples = json_integer_value(json_object_get(stats, "samples"));
    bool found = false;

    assert_string_equal(json_string_value(json_object_get(b, "status")), "ok");
    assert_int_equal(json_array_size(json_object_get(b, "processes")), procs);
    assert_true(procs <= 16 && aside < procs);
    json_array_foreach(json_object_get(b, "processes"), i, p) {
        assert_int_equal(json_integer_value(json_object_get(p, "index")), i);
        assert_true(json_array_size(json_object_get(p, "samples")) > 0);
        count[i] = json_array_size(json_object_get(p, "samples"));
    }
    for (unsigned kept = 0; kept < (1u << procs) && !found; kept++) {
        json_int_t sum = 0;

        if ((size_t)__builtin_popcount(kept) != procs - aside)
            continue;
        for (i = 0; i < procs; i++)
            sum += kept >> i & 1u ? (json_int_t)count[i] : 0;
        found = sum == samples;
    }
    assert_true(found);
    assert_true(json_real_value(json_object_get(stats, "median")) > 0);
}

static void runner__crash_abort_exit_timeout_are_isolated(void **state)
{
    const char *args[] = {"--time-budget", "20", "--format", "json", NULL};
    char *log = NULL;
    json_t *doc, *e;
    int rc;

    (void)state;
    doc = run_fixture(BTK_FIXTURE_CRASHY, args, &rc, &log);
    assert_non_null(doc);
    assert_int_equal(rc, 3);
    assert_int_equal(json_array_size(json_object_get(doc, "benchmarks")), 8);
    check_failed(doc, "crash_segv", "signal", "killed by signal SIGSEGV");
    e = json_object_get(bench(doc, "crash_segv"), "error");
    assert_int_equal(json_integer_value(json_object_get(e, "signal")), SIGSEGV);
    check_failed(doc, "crash_abort", "signal", "SIGABRT");
    e = json_object_get(bench(doc, "crash_abort"), "error");
    assert_int_equal(json_integer_value(json_object_get(e, "signal")), SIGABRT);
    check_failed(doc, "crash_exit", "exit", "exited with status 0 before reporting");
    e = json_object_get(bench(doc, "crash_exit"), "error");
    assert_int_equal(json_integer_value(json_object_get(e, "exit_code")), 0);
    check_failed(doc, "hang_timeout", "timeout", "timed out after 300 ms");
    check_failed(doc, "hang_with_helper", "timeout", "timed out after 300 ms");
    check_healthy(doc, "healthy_sum", 1);
    check_healthy(doc, "healthy_items", 1);
    check_healthy(doc, "spawns_sleeper", 1);
    json_decref(doc);
    free(log);
}

/* True once process pid has ended: gone, or a zombie waiting for init to reap it. */
static bool process_ended(long pid)
{
    char path[64], buf[256], *state;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if ((f = fopen(path, "r")) == NULL)
        return true;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    state = strrchr(buf, ')'); /* "pid (comm) S ..." */
    return state == NULL || state[1] == '\0' || state[2] == 'Z' || state[2] == 'X';
}

/* A benchmark that hangs past its timeout after starting a helper process: the timeout
 * kills the helper too (the benchmark's process group). Without that, the helper would
 * sleep on for 30 s. */
static void runner__timeout_kills_what_the_benchmark_started(void **state)
{
    const char *args[] = {"--filter", "hang_with_helper", NULL};
    char *dir = test_tmpdir("helper"), pidfile[512], *text, *log = NULL;
    json_t *doc;
    long pid;
    int rc, waited;

    (void)state;
    snprintf(pidfile, sizeof(pidfile), "%s/helper.pid", dir);
    setenv("BTK_TEST_HELPER_PIDFILE", pidfile, 1);
    doc = run_fixture(BTK_FIXTURE_CRASHY, args, &rc, &log);
    unsetenv("BTK_TEST_HELPER_PIDFILE");
    assert_non_null(doc);
    assert_int_equal(rc, 3);
    check_failed(doc, "hang_with_helper", "timeout", "timed out after 300 ms");
    text = test_read_file(pidfile, NULL);
    assert_non_null(text);
    pid = strtol(text, NULL, 10);
    assert_true(pid > 1);
    for (waited = 0; waited < 200 && !process_ended(pid); waited++)
        usleep(10000);
    assert_true(process_ended(pid));
    free(text);
    json_decref(doc);
    free(log);
    test_rmtree(dir);
}

static int64_t pid_of(json_t *doc, const char *name, size_t proc)
{
    json_t *p = json_array_get(json_object_get(bench(doc, name), "processes"), proc);
    return json_integer_value(json_object_get(p, "pid"));
}

/* K processes each, fresh pids, in the documented interleaved order A0 B0 A1 B1 A2 B2. */
static void runner__processes_interleave_fresh_children(void **state)
{
    const char *args[] = {"--time-budget", "10", "--processes", "3", "--filter", "healthy*",
                          NULL};
    char *log = NULL;
    json_t *doc;
    size_t p;
    int rc;

    (void)state;
    doc = run_fixture(BTK_FIXTURE_CRASHY, args, &rc, &log);
    assert_non_null(doc);
    assert_int_equal(rc, 0);
    check_healthy(doc, "healthy_sum", 3);
    check_healthy(doc, "healthy_items", 3);
    for (p = 0; p < 3; p++) {
        assert_true(pid_of(doc, "healthy_sum", p) < pid_of(doc, "healthy_items", p));
        if (p > 0)
            assert_true(pid_of(doc, "healthy_items", p - 1) < pid_of(doc, "healthy_sum", p));
    }
    json_decref(doc);
    free(log);
}

/* --no-fork: both benchmarks measured by the binary's own process (one pid for all). */
static void runner__no_fork_measures_in_process(void **state)
{
    const char *args[] = {"--time-budget", "10", "--no-fork", "--filter", "healthy*", NULL};
    char *log = NULL;
    json_t *doc;
    int rc;

    (void)state;
    doc = run_fixture(BTK_FIXTURE_CRASHY, args, &rc, &log);
    assert_non_null(doc);
    assert_int_equal(rc, 0);
    check_healthy(doc, "healthy_sum", 1);
    check_healthy(doc, "healthy_items", 1);
    assert_int_equal(pid_of(doc, "healthy_sum", 0), pid_of(doc, "healthy_items", 0));
    json_decref(doc);
    free(log);
}

/* ---- the runner called directly, with instances built here ---- */

static void body_ok(btk_state *s)
{
    BTK_LOOP(s) { btk_do_not_optimize(s->iterations); }
}

static void body_exit5(btk_state *s)
{
    (void)s;
    _exit(5);
}

typedef struct trace {
    char events[64][16];
    size_t count;
} trace;

static void on_start(const btk_instance *inst, size_t bench, unsigned proc, void *payload)
{
    trace *t = payload;
    (void)inst;
    snprintf(t->events[t->count++], 16, "start %zu.%u", bench, proc);
}

static void on_done(const btk_bench_result *r, size_t bench, void *payload)
{
    trace *t = payload;
    (void)r;
    snprintf(t->events[t->count++], 16, "done %zu", bench);
}

static void make_instance(btk_instance *inst, const char *name, btk_bench_fn fn)
{
    static const btk_bench_options none = {0};

    memset(inst, 0, sizeof(*inst));
    inst->family = name;
    inst->fn = fn;
    inst->opts = &none;
    snprintf(inst->name, sizeof(inst->name), "%s", name);
}

/* Events come in interleaved order; a benchmark that failed is reported done at once and
 * never run again; its exit code is kept. */
static void runner__events_follow_interleaved_order(void **state)
{
    static const char *expected[] = {"start 0.0", "start 1.0", "done 1", "start 0.1",
                                     "done 0"};
    btk_runner_events ev = {on_start, on_done};
    btk_runner_options opts;
    btk_instance insts[2];
    btk_bench_result *res = NULL;
    trace t = {{{0}}, 0};
    size_t i;

    (void)state;
    assert_int_equal(btk_timer_init(), 0);
    memset(&opts, 0, sizeof(opts));
    btk_run_options_default(&opts.run);
    opts.run.time_budget_ms = 5;
    opts.run.warmup_ms = 1;
    opts.processes = 2;
    opts.cpu = -1;
    make_instance(&insts[0], "ok", body_ok);
    make_instance(&insts[1], "exits", body_exit5);
    assert_int_equal(btk_runner_run(&res, insts, 2, &opts, &ev, &t), 0);
    assert_int_equal(t.count, BTK_ARRAY_SIZE(expected));
    for (i = 0; i < t.count; i++)
        assert_string_equal(t.events[i], expected[i]);
    assert_int_equal(res[0].fail, BTK_FAIL_NONE);
    assert_int_equal(res[0].proc_count, 2);
    assert_int_equal(res[1].fail, BTK_FAIL_EXIT);
    assert_int_equal(res[1].fail_exit_code, 5);
    assert_int_equal(res[1].proc_count, 0);
    assert_true(btk_runner_any_failed(res, 2));
    assert_false(btk_runner_any_failed(res, 1));
    for (i = 0; i < 2; i++)
        btk_bench_result_clear(&res[i]);
    btk__free(res);
}

static void runner__timeout_prefers_the_benchmarks_own(void **state)
{
    btk_bench_options own = {.timeout_ms = 250};
    btk_runner_options opts;
    btk_instance inst;

    (void)state;
    memset(&opts, 0, sizeof(opts));
    make_instance(&inst, "x", body_ok);
    assert_true(btk_runner_timeout_ms(&inst, &opts) == BTK_RUNNER_DEFAULT_TIMEOUT_MS);
    opts.run.timeout_ms = 1000;
    assert_true(btk_runner_timeout_ms(&inst, &opts) == 1000);
    inst.opts = &own;
    assert_true(btk_runner_timeout_ms(&inst, &opts) == 250);
}

static void runner__signal_names(void **state)
{
    char buf[32];

    (void)state;
    assert_string_equal(btk_runner_signal_name(SIGSEGV, buf, sizeof(buf)), "SIGSEGV");
    assert_string_equal(btk_runner_signal_name(SIGABRT, buf, sizeof(buf)), "SIGABRT");
    assert_string_equal(btk_runner_signal_name(SIGRTMIN + 3, buf, sizeof(buf)), buf);
    assert_non_null(strstr(buf, "signal "));
}

/* ---- wire ---- */

static void fill_result(btk_proc_result *r, size_t n)
{
    size_t i;

    memset(r, 0, sizeof(*r));
    r->index = 2;
    r->pid = 4242;
    r->cpu = 1;
    r->count = n;
    r->samples = btk__malloc(n * sizeof(double));
    r->batch = btk__malloc(n * sizeof(uint64_t));
    r->cycles = btk__malloc(n * sizeof(double));
    r->cpu_samples = btk__malloc(n * sizeof(double));
    r->clock_ghz = btk__malloc(n * sizeof(double));
    for (i = 0; i < n; i++) {
        r->clock_ghz[i] = i % 7 == 3 ? NAN : 3.0 + (double)i / 100; /* NAN: unknown */
        r->samples[i] = 10.0 + (double)i;
        r->batch[i] = 100 + i;
        r->cycles[i] = 23.0 + (double)i;
        r->cpu_samples[i] = 19.0 + (double)i;
    }
    r->threads = 2;
    r->disturbed = 3;
    r->switches = 5;
    r->migrations = 1;
    r->stop = BTK_STOP_MAX_SAMPLES;
    r->mem_tracked = true;
    r->allocs = 7;
    r->alloc_bytes = 700;
    r->peak_rss_bytes = 1 << 20;
    r->bytes_per_iter = 64;
    r->counter_count = 2;
    snprintf(r->counters[0].name, BTK_COUNTER_NAME_MAX, "hits");
    r->counters[0].value = 0.5;
    snprintf(r->counters[1].name, BTK_COUNTER_NAME_MAX, "misses");
    r->counters[1].value = 3;
}

static void wire__roundtrip_keeps_every_field(void **state)
{
    btk_proc_result in, out;
    btk_buf frame = BTK_BUF_INIT;
    btk_wire_kind kind;
    char msg[64];

    (void)state;
    fill_result(&in, 50);
    assert_int_equal(btk_wire_encode_result(&frame, &in), 0);
    assert_true(btk_wire_frame_complete(frame.ptr, frame.len));
    assert_false(btk_wire_frame_complete(frame.ptr, frame.len - 1));
    assert_false(btk_wire_frame_complete(frame.ptr, 10));
    assert_int_equal(btk_wire_decode(&kind, &out, msg, sizeof(msg), frame.ptr, frame.len), 0);
    assert_int_equal(kind, BTK_WIRE_RESULT);
    assert_int_equal(out.count, 50);
    assert_int_equal(out.index, 2);
    assert_int_equal(out.pid, 4242);
    assert_int_equal(out.stop, BTK_STOP_MAX_SAMPLES);
    assert_true(out.mem_tracked);
    assert_int_equal(out.allocs, 7);
    assert_int_equal(out.peak_rss_bytes, 1 << 20);
    assert_memory_equal(out.samples, in.samples, 50 * sizeof(double));
    assert_memory_equal(out.batch, in.batch, 50 * sizeof(uint64_t));
    assert_memory_equal(out.cycles, in.cycles, 50 * sizeof(double));
    assert_memory_equal(out.cpu_samples, in.cpu_samples, 50 * sizeof(double));
    for (size_t i = 0; i < 50; i++)
        assert_true(isnan(in.clock_ghz[i]) ? isnan(out.clock_ghz[i])
                                           : out.clock_ghz[i] == in.clock_ghz[i]);
    assert_int_equal(out.threads, 2);
    assert_int_equal(out.disturbed, 3);
    assert_int_equal(out.switches, 5);
    assert_int_equal(out.migrations, 1);
    assert_false(out.per_call);
    assert_int_equal(out.call_count, 0);
    assert_int_equal(out.counter_count, 2);
    assert_string_equal(out.counters[1].name, "misses");
    check_near(out.counters[0].value, 0.5, 1e-12);
    btk_proc_result_clear(&in);
    btk_proc_result_clear(&out);
    btk_buf_free(&frame);
}

static void expect_malformed(const char *data, size_t len, const char *what)
{
    btk_proc_result out;
    btk_wire_kind kind;
    char msg[64];

    assert_int_equal(btk_wire_decode(&kind, &out, msg, sizeof(msg), data, len), BTK_EFORMAT);
    assert_non_null(strstr(btk_error_last()->message, what));
    assert_null(out.samples);
}

/* Every truncation, a wrong length prefix, a count that does not match the payload, too
 * many counters, an unterminated name and a non-finite sample are all rejected. */
static void wire__rejects_truncated_and_inconsistent_frames(void **state)
{
    btk_proc_result in;
    btk_buf frame = BTK_BUF_INIT;
    size_t len, head = 24, count_at = head + 16, counters_at;
    char *copy;

    (void)state;
    fill_result(&in, 4);
    assert_int_equal(btk_wire_encode_result(&frame, &in), 0);
    for (len = 0; len < frame.len; len++)
        expect_malformed(frame.ptr, len, len < head ? "header" : "length prefix");
    copy = btk__malloc(frame.len);
    memcpy(copy, frame.ptr, frame.len);
    copy[0] ^= 1;
    expect_malformed(copy, frame.len, "bad magic");
    memcpy(copy, frame.ptr, frame.len);
    copy[count_at] = 5; /* count 5 with room for 4 */
    expect_malformed(copy, frame.len, "does not match the sample count");
    memcpy(copy, frame.ptr, frame.len);
    counters_at = head + 4 * 4 + 8 + 8 + 7 * 8 + 2 * 8;
    copy[counters_at] = 33;
    expect_malformed(copy, frame.len, "counter count");
    memcpy(copy, frame.ptr, frame.len);
    memset(copy + counters_at + 16, 'x', BTK_COUNTER_NAME_MAX);
    expect_malformed(copy, frame.len, "not terminated");
    in.samples[3] = 1.0 / 0.0;
    btk_buf_clear(&frame);
    assert_int_equal(btk_wire_encode_result(&frame, &in), 0);
    expect_malformed(frame.ptr, frame.len, "not finite");
    btk__free(copy);
    btk_proc_result_clear(&in);
    btk_buf_free(&frame);
}

/* Per-call times travel after the sample arrays; a call count without per-call mode, or
 * one the payload does not hold, is refused. */
static void wire__carries_per_call_times(void **state)
{
    btk_proc_result in, out;
    btk_buf frame = BTK_BUF_INIT;
    btk_wire_kind kind;
    char msg[64];
    size_t i;

    (void)state;
    fill_result(&in, 5);
    in.per_call = true;
    in.call_count = 7;
    in.calls = btk__malloc(7 * sizeof(double));
    for (i = 0; i < 7; i++)
        in.calls[i] = 1000.0 + (double)i;
    assert_int_equal(btk_wire_encode_result(&frame, &in), 0);
    assert_int_equal(btk_wire_decode(&kind, &out, msg, sizeof(msg), frame.ptr, frame.len), 0);
    assert_true(out.per_call);
    assert_int_equal(out.call_count, 7);
    assert_memory_equal(out.calls, in.calls, 7 * sizeof(double));
    assert_memory_equal(out.samples, in.samples, 5 * sizeof(double));
    btk_proc_result_clear(&out);
    expect_malformed(frame.ptr, frame.len - 8, "length prefix");
    in.per_call = false; /* calls without the mode */
    btk_buf_clear(&frame);
    assert_int_equal(btk_wire_encode_result(&frame, &in), 0);
    expect_malformed(frame.ptr, frame.len, "out of range");
    btk_proc_result_clear(&in);
    btk_buf_free(&frame);
}

static void wire__error_frame_carries_message(void **state)
{
    btk_proc_result out;
    btk_buf frame = BTK_BUF_INIT;
    btk_wire_kind kind = BTK_WIRE_RESULT;
    char msg[300];

    (void)state;
    assert_int_equal(btk_wire_encode_error(&frame, "cannot calibrate 'x'"), 0);
    assert_int_equal(btk_wire_decode(&kind, &out, msg, sizeof(msg), frame.ptr, frame.len), 0);
    assert_int_equal(kind, BTK_WIRE_ERROR);
    assert_string_equal(msg, "cannot calibrate 'x'");
    btk_buf_free(&frame);
}

/* Every allocation in decoding fails in turn: a clean BTK_ENOMEM, nothing left allocated. */
static void wire__decode_survives_every_allocation_failure(void **state)
{
    btk_proc_result in, out;
    btk_buf frame = BTK_BUF_INIT;
    btk_wire_kind kind;
    char msg[64];
    long n;
    int rc;

    (void)state;
    fill_result(&in, 8);
    assert_int_equal(btk_wire_encode_result(&frame, &in), 0);
    for (n = 0;; n++) {
        btk__alloc_fail_after(n);
        rc = btk_wire_decode(&kind, &out, msg, sizeof(msg), frame.ptr, frame.len);
        btk__alloc_fail_after(-1);
        if (rc == 0)
            break;
        assert_int_equal(rc, BTK_ENOMEM);
        assert_null(out.samples);
        assert_null(out.batch);
        assert_null(out.cycles);
        assert_null(out.clock_ghz);
    }
    assert_int_equal(n, 5); /* samples, batch, ticks, CPU times, core clocks */
    assert_int_equal(out.count, 8);
    btk_proc_result_clear(&out);
    btk_proc_result_clear(&in);
    btk_buf_free(&frame);
}

/* Every allocation of a whole in-process run fails in turn: the runner returns BTK_ENOMEM
 * or records the benchmark's failure, never crashes or leaks, and finally succeeds. */
static void runner__survives_every_allocation_failure(void **state)
{
    btk_runner_options opts;
    btk_instance inst;
    btk_bench_result *res;
    long n;
    int rc;

    (void)state;
    assert_int_equal(btk_timer_init(), 0);
    memset(&opts, 0, sizeof(opts));
    btk_run_options_default(&opts.run);
    opts.run.time_budget_ms = 1;
    opts.run.warmup_ms = 0;
    opts.run.min_samples = 3;
    opts.processes = 1;
    opts.cpu = -1;
    opts.no_fork = true;
    make_instance(&inst, "ok", body_ok);
    for (n = 0; n < 10000; n++) {
        btk_fail_kind fail;
        btk__alloc_fail_after(n);
        rc = btk_runner_run(&res, &inst, 1, &opts, NULL, NULL);
        btk__alloc_fail_after(-1);
        if (rc < 0) {
            assert_int_equal(rc, BTK_ENOMEM);
            assert_null(res);
            continue;
        }
        fail = res[0].fail;
        btk_bench_result_clear(&res[0]);
        btk__free(res);
        if (fail == BTK_FAIL_NONE)
            break;
        assert_int_equal(fail, BTK_FAIL_ERROR);
    }
    assert_true(n > 3 && n < 10000);
}

/* Append options to the sanitizer variable name, keeping what the caller set. */
static void let_signals_through(const char *name)
{
    const char *old = getenv(name);
    char value[1024];

    snprintf(value, sizeof(value), "%s%shandle_segv=0:handle_sigbus=0:handle_abort=0",
             old ? old : "", old && *old ? ":" : "");
    setenv(name, value, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(runner__crash_abort_exit_timeout_are_isolated),
        cmocka_unit_test(runner__timeout_kills_what_the_benchmark_started),
        cmocka_unit_test(runner__processes_interleave_fresh_children),
        cmocka_unit_test(runner__no_fork_measures_in_process),
        cmocka_unit_test(runner__events_follow_interleaved_order),
        cmocka_unit_test(runner__timeout_prefers_the_benchmarks_own),
        cmocka_unit_test(runner__signal_names),
        cmocka_unit_test(wire__roundtrip_keeps_every_field),
        cmocka_unit_test(wire__rejects_truncated_and_inconsistent_frames),
        cmocka_unit_test(wire__error_frame_carries_message),
        cmocka_unit_test(wire__carries_per_call_times),
        cmocka_unit_test(wire__decode_survives_every_allocation_failure),
        cmocka_unit_test(runner__survives_every_allocation_failure),
    };

    /* Sanitizers would turn the fixture's segfault/abort into their own exit status:
     * let the signals through so the runner sees what a normal build sees. */
    let_signals_through("ASAN_OPTIONS");
    let_signals_through("UBSAN_OPTIONS");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
