/* Tests of the results database: round trips of imported and synthetic runs, hostile
 * names, schema version handling, bad files, locking, and history/log queries. */
#include "check.h"
#include "import.h"
#include "machine.h"
#include "metric.h"
#include "store.h"
#include "store_sqlite.h"

#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *data_path(const char *rel)
{
    const char *src = getenv("BTK_SOURCE_DIR");
    static char buf[4096];

    snprintf(buf, sizeof(buf), "%s/tests/data/%s", src ? src : "..", rel);
    return buf;
}

static char *db_in(const char *dir, const char *name)
{
    static char buf[4096];

    snprintf(buf, sizeof(buf), "%s/%s", dir, name);
    return buf;
}

static void store__roundtrip_keeps_every_field(void **state)
{
    char *dir = test_tmpdir("store");
    btk_store *db = NULL;
    btk_run *in = NULL, *out = NULL;
    const btk_result *r;
    int64_t id = 0;

    (void)state;
    assert_int_equal(btk_import_file(&in, data_path("json/valid/full.json")), 0);
    snprintf(in->commit.sha, sizeof(in->commit.sha), "%s",
             "0123456789abcdef0123456789abcdef01234567");
    in->commit.branch = strdup("main");
    in->commit.time = 1700000000;
    in->commit.subject = strdup("subject");
    assert_int_equal(btk_store_open(&db, db_in(dir, "r.db"), 0), 0);
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_true(id > 0);
    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    assert_string_equal(out->commit.sha, in->commit.sha);
    assert_string_equal(out->commit.branch, "main");
    assert_string_equal(out->machine.fingerprint, in->machine.fingerprint);
    assert_string_equal(out->machine.cpu_model, "Intel(R) Xeon(R) CPU @ 2.30GHz");
    assert_string_equal(out->compiler, "GCC 12.2.0");
    assert_int_equal(out->warning_count, 2);
    assert_string_equal(out->warnings[0], "vm: running in a virtual machine");
    assert_int_equal(out->result_count, 2);
    r = btk_run_find(out, "sort/1024");
    assert_non_null(r);
    assert_true(r->has_param && r->param == 1024);
    check_near(r->stats.median, 11.0, 1e-12);
    check_near(r->stats.ci_high, 12.0, 1e-12);
    check_near(r->cycles_median, 25.3, 1e-12);
    assert_int_equal(r->stats.outliers_high, 1);
    assert_int_equal(r->proc_count, 2);
    assert_int_equal(r->procs[1].count, 3);
    check_near(r->procs[1].ns[2], 14.0, 0);
    assert_int_equal(r->procs[1].batch[2], 1000);
    assert_int_equal(r->procs[1].peak_rss_bytes, 2101248);
    assert_int_equal(r->counter_count, 2);
    assert_string_equal(r->counters[0].name, "comparisons");
    check_near(r->counters[0].value, 10240.5, 0);
    assert_true(r->memory.tracked);
    check_near(r->memory.bytes_per_iter, 8192.0, 0);
    check_near(r->bytes_per_iter, 4096, 0);
    r = btk_run_find(out, "crashy");
    assert_non_null(r);
    assert_int_equal(r->status, BTK_RESULT_FAILED);
    assert_string_equal(r->error_kind, "signal");
    assert_true(isnan(r->stats.median));
    btk_run_free(out);
    btk_run_free(in);
    btk_store_close(db);
    test_rmtree(dir);
}

/* A synthetic run: bench_count benchmarks (named by names[] when given) of samples each. */
static btk_run *make_run(size_t bench_count, size_t samples, const char *const *names,
                         const char *sha, const char *host)
{
    btk_run *run = NULL;
    size_t i, j;
    char name[64];

    assert_int_equal(btk_run_new(&run), 0);
    run->format = strdup("benchtrack");
    run->machine.hostname = strdup(host);
    run->machine.cpu_model = strdup("cpu");
    run->machine.arch = strdup("x86_64");
    run->machine.cpus = 2;
    assert_int_equal(btk_machine_fingerprint(&run->machine), 0);
    snprintf(run->commit.sha, sizeof(run->commit.sha), "%s", sha ? sha : "");
    run->results = calloc(bench_count, sizeof(btk_result));
    run->result_count = bench_count;
    for (i = 0; i < bench_count; i++) {
        btk_result *r = &run->results[i];
        snprintf(name, sizeof(name), "bench_%zu", i);
        r->name = strdup(names ? names[i] : name);
        r->family = strdup(r->name);
        btk_stats_init(&r->stats);
        r->cycles_median = NAN;
        btk_memory_init(&r->memory);
        r->stats.median = 100.0 + (double)i;
        r->stats.samples = (int64_t)samples;
        r->proc_count = 1;
        r->procs = calloc(1, sizeof(btk_proc));
        r->procs[0].count = samples;
        r->procs[0].ns = calloc(samples + 1, sizeof(double));
        r->procs[0].peak_rss_bytes = -1;
        r->procs[0].minor_faults = r->procs[0].major_faults = -1;
        for (j = 0; j < samples; j++)
            r->procs[0].ns[j] = 100.0 + (double)i + (double)j / 7.0;
    }
    return run;
}

static const char *const hostile[] = {
    "it's \"quoted\"", "new\nline\ttab", "100% %s %n", "unicode \xc3\xa9\xe2\x82\xac \xf0\x9f\x9a\x80",
    "'); DROP TABLE runs; --", "\x1b[31mred\x1b[0m", "x' OR '1'='1",
};

/* Import, store and load back a counting run (tests/data/json/valid/counting.json) and a
 * time run with CPU samples (cpu.json): measure, count identity, repeatability, spread,
 * CPU samples and CPU statistics come back as imported; a time history leaves the
 * counting run out. */
static void store__counts_and_cpu_round_trip(void **state)
{
    static const char sha[2][41] = {"0123456789abcdef0123456789abcdef01234567",
                                    "1123456789abcdef0123456789abcdef01234567"};
    char *dir = test_tmpdir("metrics");
    btk_store *db = NULL;
    btk_run *count = NULL, *cpu = NULL, *out = NULL;
    btk_history_point *pts = NULL;
    const btk_result *r, *w;
    size_t n = 0;
    int64_t id = 0;

    (void)state;
    assert_int_equal(btk_import_file(&count, data_path("json/valid/counting.json")), 0);
    assert_int_equal(btk_import_file(&cpu, data_path("json/valid/cpu.json")), 0);
    snprintf(count->commit.sha, sizeof(count->commit.sha), "%s", sha[0]);
    snprintf(cpu->commit.sha, sizeof(cpu->commit.sha), "%s", sha[1]);
    assert_int_equal(btk_store_open(&db, db_in(dir, "m.db"), 0), 0);
    assert_int_equal(btk_store_add_run(db, count, &id), 0);
    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    assert_int_equal(out->measure, BTK_MEASURE_KIND_INSTRUCTIONS);
    assert_string_equal(out->count_identity, count->count_identity);
    r = btk_run_find(out, "cpu");
    w = btk_run_find(count, "cpu");
    assert_int_equal(r->count_repeat, BTK_COUNT_DETERMINISTIC);
    check_near(r->stats.median, w->stats.median, 0);
    check_near(r->count_spread_min, w->count_spread_min, 0);
    assert_false(r->has_cpu_stats);
    assert_null(r->procs[0].cpu_ns);
    btk_run_free(out);
    /* the counting run is not a point of a time history */
    assert_int_equal(btk_store_history(&pts, &n, db, "cpu", NULL, sha, 2), 0);
    assert_int_equal(n, 0);
    btk_history_free(pts, n);
    assert_int_equal(btk_store_add_run(db, cpu, &id), 0);
    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    assert_int_equal(out->measure, BTK_MEASURE_KIND_TIME);
    assert_null(out->count_identity);
    r = btk_run_find(out, "sort/1024");
    w = btk_run_find(cpu, "sort/1024");
    assert_int_equal(r->count_repeat, BTK_COUNT_UNKNOWN);
    assert_true(r->has_cpu_stats);
    check_near(r->cpu_stats.median, 9.9, 1e-12);
    check_near(r->cpu_stats.ci_low, w->cpu_stats.ci_low, 0);
    check_near(r->cpu_stats.max, w->cpu_stats.max, 0);
    for (size_t p = 0; p < r->proc_count; p++)
        for (size_t i = 0; i < r->procs[p].count; i++)
            check_near(r->procs[p].cpu_ns[i], w->procs[p].cpu_ns[i], 0);
    btk_run_free(out);
    /* loaded without samples: the CPU statistics still, no CPU samples */
    assert_int_equal(btk_store_load_run(&out, db, id, false), 0);
    assert_true(btk_run_find(out, "sort/1024")->has_cpu_stats);
    btk_run_free(out);
    btk_store_close(db);
    btk_run_free(count);
    btk_run_free(cpu);
    test_rmtree(dir);
}

/* How many processes of run are set aside (btk_run_mark_aside). */
static size_t aside_count(const btk_run *run)
{
    size_t n = 0;

    for (size_t i = 0; i < run->result_count; i++)
        for (size_t p = 0; p < run->results[i].proc_count; p++)
            n += run->results[i].procs[p].aside;
    return n;
}

/* Allocation failures while adding and loading a counting run, a run with CPU time (the
 * v5 tables), a run with a core clock (v8) and one with shared-core processes set aside
 * (v9: the load's btk_run_mark_aside allocates too): a clean BTK_ENOMEM each time, then
 * the run as imported. */
static void store__allocation_failures_with_counts_and_cpu(void **state)
{
    static const char *const files[] = {"json/valid/counting.json", "json/valid/cpu.json",
                                        "json/valid/clock.json",
                                        "json/valid/shared.json"};
    char *dir = test_tmpdir("fault3");
    btk_store *db = NULL;

    (void)state;
    assert_int_equal(btk_store_open(&db, db_in(dir, "f.db"), 0), 0);
    for (size_t f = 0; f < BTK_ARRAY_SIZE(files); f++) {
        btk_run *in = NULL, *out = NULL;
        int64_t id = 0;
        int error;
        long n;

        assert_int_equal(btk_import_file(&in, data_path(files[f])), 0);
        for (n = 0;; n++) {
            btk__alloc_fail_after(n);
            error = btk_store_add_run(db, in, &id);
            btk__alloc_fail_after(-1);
            if (error == 0)
                break;
            assert_int_equal(error, BTK_ENOMEM);
        }
        for (n = 0;; n++) {
            btk__alloc_fail_after(n);
            error = btk_store_load_run(&out, db, id, true);
            btk__alloc_fail_after(-1);
            if (error == 0)
                break;
            assert_int_equal(error, BTK_ENOMEM);
            assert_null(out);
        }
        assert_int_equal(out->measure, in->measure);
        assert_int_equal(btk_run_has_cpu(out), btk_run_has_cpu(in));
        assert_int_equal(btk_run_has_clock(out), btk_run_has_clock(in));
        assert_int_equal(aside_count(out), aside_count(in));
        btk_run_free(out);
        btk_run_free(in);
    }
    btk_store_close(db);
    test_rmtree(dir);
}

static void store__hostile_names_round_trip_verbatim(void **state)
{
    char *dir = test_tmpdir("hostile");
    size_t n = BTK_ARRAY_SIZE(hostile), i, count = 0;
    btk_run *in = make_run(n, 3, hostile, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                           "host'; --"),
            *out = NULL;
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    char **names = NULL;
    int64_t id;

    (void)state;
    in->commit.branch = strdup("feature/'%s\n");
    in->commit.subject = strdup("subject \"with\" 'quotes' %d");
    in->commit.time = 1;
    assert_int_equal(btk_store_open(&db, db_in(dir, "h.db"), 0), 0);
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    assert_int_equal(out->result_count, n);
    for (i = 0; i < n; i++) {
        assert_string_equal(out->results[i].name, hostile[i]);
        check_near(out->results[i].procs[0].ns[2], in->results[i].procs[0].ns[2], 0);
    }
    assert_string_equal(out->commit.branch, "feature/'%s\n");
    assert_string_equal(out->machine.hostname, "host'; --");
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
    assert_int_equal(count, 1);
    assert_string_equal(rows[0].subject, "subject \"with\" 'quotes' %d");
    btk_run_rows_free(rows, count);
    assert_int_equal(btk_store_benchmark_names(&names, &count, db, NULL), 0);
    assert_int_equal(count, n);
    btk_strings_free(names, count);
    btk_run_free(out);
    btk_run_free(in);
    btk_store_close(db);
    test_rmtree(dir);
}

/* Make a database at path with the given user_version through SQLite directly. */
static void make_raw_db(const char *path, int version)
{
    sqlite3 *c = NULL;
    char sql[64];

    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    snprintf(sql, sizeof(sql), "CREATE TABLE future(x); PRAGMA user_version=%d;", version);
    assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
}

static void store__newer_schema_is_refused_untouched(void **state)
{
    char *dir = test_tmpdir("newer"), path[4096], wal[4200];
    char *before, *after;
    size_t len_before, len_after;
    btk_store *db = (btk_store *)1;
    unsigned flags[] = {0, BTK_STORE_READONLY};
    size_t i;

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "n.db"));
    make_raw_db(path, 99);
    before = test_read_file(path, &len_before);
    for (i = 0; i < 2; i++) {
        assert_int_equal(btk_store_open(&db, path, flags[i]), BTK_ESCHEMA);
        assert_null(db);
        assert_non_null(strstr(btk_error_last()->message, "schema version 99, newer"));
    }
    after = test_read_file(path, &len_after);
    assert_int_equal(len_before, len_after);
    assert_memory_equal(before, after, len_before);
    snprintf(wal, sizeof(wal), "%s-wal", path);
    assert_int_not_equal(access(wal, F_OK), 0);
    free(before);
    free(after);
    test_rmtree(dir);
}

static void write_file(const char *path, const void *data, size_t len, long offset)
{
    FILE *f = fopen(path, offset ? "r+b" : "wb");

    assert_non_null(f);
    fseek(f, offset, SEEK_SET);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void store__non_database_and_corrupt_files_are_format_errors(void **state)
{
    char *dir = test_tmpdir("corrupt"), path[4096], garbage[3000];
    btk_store *db = NULL;
    btk_run *run = make_run(5, 10, NULL, NULL, "h");
    btk_run_row *rows = NULL;
    size_t count = 0;
    int error;

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "text.db"));
    {
        static const char text[] = "this is a text file, not a database at all\n"
                                   "0123456789abcdef0123456789abcdef0123456789abcdef"
                                   "0123456789abcdef0123456789abcdef0123456789abcdef";
        write_file(path, text, strlen(text), 0);
    }
    assert_int_equal(btk_store_open(&db, path, 0), BTK_EFORMAT);
    assert_non_null(strstr(btk_error_last()->message, "is not a valid benchtrack database"));
    assert_non_null(strstr(btk_error_last()->message, "text.db"));
    /* a real database whose schema page is overwritten after the 100-byte header */
    snprintf(path, sizeof(path), "%s", db_in(dir, "c.db"));
    assert_int_equal(btk_store_open(&db, path, 0), 0);
    assert_int_equal(btk_store_add_run(db, run, NULL), 0);
    btk_store_close(db);
    memset(garbage, 0xA5, sizeof(garbage));
    write_file(path, garbage, sizeof(garbage), 100);
    error = btk_store_open(&db, path, 0);
    if (error == 0)
        error = btk_store_list_runs(&rows, &count, db, 0);
    assert_int_equal(error, BTK_EFORMAT);
    assert_non_null(strstr(btk_error_last()->message, "c.db"));
    btk_store_close(db);
    btk_run_free(run);
    test_rmtree(dir);
}

static void store__read_only_file_is_a_clear_error(void **state)
{
    char *dir = test_tmpdir("ro"), path[4096];
    btk_store *db = NULL;
    btk_run *run = make_run(1, 1, NULL, NULL, "h");

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "ro.db"));
    assert_int_equal(btk_store_open(&db, path, 0), 0);
    btk_store_close(db);
    /* a database opened for reading refuses writes with a message, whoever we are */
    assert_int_equal(btk_store_open(&db, path, BTK_STORE_READONLY), 0);
    assert_int_equal(btk_store_add_run(db, run, NULL), BTK_EINVAL);
    btk_store_close(db);
    if (geteuid() != 0) { /* root ignores file modes: the chmod case needs a normal user */
        chmod(path, 0444);
        assert_int_equal(btk_store_open(&db, path, 0), BTK_EIO);
        assert_non_null(strstr(btk_error_last()->message, "is read-only"));
    }
    btk_run_free(run);
    test_rmtree(dir);
}

static void store__locked_database_fails_after_bounded_wait(void **state)
{
    char *dir = test_tmpdir("lock"), path[4096], c;
    int fds[2];
    pid_t pid;
    btk_store *db = NULL;
    btk_run *run = make_run(1, 1, NULL, NULL, "h");

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "l.db"));
    assert_int_equal(btk_store_open(&db, path, 0), 0);
    btk_store_close(db);
    assert_int_equal(pipe(fds), 0);
    if ((pid = fork()) == 0) { /* holds the write lock "forever" */
        btk_store *held = NULL;
        if (btk_store_open(&held, path, 0) < 0 || btk_sqlite__begin(btk_sqlite__of(held)) < 0)
            _exit(1);
        assert_int_equal(write(fds[1], "x", 1), 1);
        sleep(60);
        _exit(0);
    }
    assert_int_equal(read(fds[0], &c, 1), 1);
    setenv("BENCHTRACK_BUSY_TIMEOUT_MS", "200", 1);
    assert_int_equal(btk_store_open(&db, path, 0), 0); /* readers are not blocked */
    assert_int_equal(btk_store_add_run(db, run, NULL), BTK_EIO);
    assert_non_null(strstr(btk_error_last()->message, "is locked by another process"));
    unsetenv("BENCHTRACK_BUSY_TIMEOUT_MS");
    btk_store_close(db);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
    btk_run_free(run);
    test_rmtree(dir);
}

/* The first column of the first row of sql, as an integer. */
static int count_rows(sqlite3 *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int n = -1;

    assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The machine of tests/data/db/v1.sql's first run: its v1/v2 fingerprint (host
 * bench-host) and the hardware fingerprint migration v3 gives it (x86_64, "Intel(R)
 * Xeon(R) CPU @ 2.30GHz", 2 cpus, hypervisor; computed by the independent Python
 * implementation that test_machine.c cites). */
#define V1_FP_OLD "269fd0f17c08e6f99c0538f5099f786e"
#define V1_FP_NEW "bc8f7999adfbb5aab0339bd9874c2fbe"

/* Points in the history of name over the two commits of tests/data/db/v1.sql, on machine
 * fp. */
static size_t history_count(btk_store *db, const char *name, const char *fp)
{
    static const char shas[2][41] = {"0123456789abcdef0123456789abcdef01234567",
                                     "e5ab34268cc252398dcd82b900dc169a8520c7de"};
    btk_history_point *pts = NULL;
    size_t count = 0;

    int rc = btk_store_history(&pts, &count, db, name, fp, shas, 2);

    if (rc != 0)
        print_error("history: %s\n", btk_error_last()->message);
    assert_int_equal(rc, 0);
    if (count)
        check_near(pts[0].stats.median, 11.0, 1e-12);
    btk_history_free(pts, count);
    return count;
}

static void store__v1_dump_opens_and_reads(void **state)
{
    char *dir = test_tmpdir("v1"), path[4096], *sql;
    sqlite3 *c = NULL;
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    btk_run *run = NULL;
    size_t count = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "v1.db"));
    assert_non_null(sql = test_read_file(data_path("db/v1.sql"), NULL));
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
    free(sql);
    assert_int_equal(btk_store_open(&db, path, BTK_STORE_READONLY), 0);
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
    assert_int_equal(count, 2);
    assert_int_equal(rows[1].benchmarks, 2);
    assert_int_equal(rows[1].failures, 1);
    assert_int_equal(btk_store_load_run(&run, db, rows[0].id, true), 0);
    assert_string_equal(run->format, "gbench");
    assert_non_null(btk_run_find(run, "BM_sort/64"));
    assert_int_equal(btk_run_find(run, "BM_sort/64")->proc_count, 3);
    assert_false(btk_run_find(run, "BM_sort/64")->call_percentiles); /* before v7: batch */
    btk_run_free(run);
    assert_int_equal(btk_sqlite__of(db)->version, 1);
    assert_int_equal(history_count(db, "sort/1024", V1_FP_OLD), 1); /* v1 read as it is */
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, path, 0), 0); /* and accepts writes: migrates */
    assert_int_equal(btk_sqlite__of(db)->version, BTK_STORE_SCHEMA_VERSION);
    assert_int_equal(history_count(db, "sort/1024", V1_FP_OLD), 0); /* re-keyed (v3) */
    assert_int_equal(history_count(db, "sort/1024", V1_FP_NEW), 1);
    assert_int_equal(btk_store_load_run(&run, db, rows[0].id, false), 0); /* v7's column */
    assert_false(btk_run_find(run, "BM_sort/64")->call_percentiles);
    btk_run_free(run);
    btk_run_rows_free(rows, count);
    btk_store_close(db);
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(count_rows(c, "SELECT count(*) FROM results WHERE call_percentiles != 0"),
                     0);
    assert_int_equal(count_rows(c, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                   "('results_history', 'runs_lookup')"), 2);
    assert_int_equal(count_rows(c, "PRAGMA user_version"), BTK_STORE_SCHEMA_VERSION);
    sqlite3_close(c);
    test_rmtree(dir);
}

/* tests/data/db/v2.sql, made by benchtrack before v3: hosts ci-runner-17 and ci-runner-42
 * share their hardware, laptop has another CPU. Read-only it reads as v2 (machines are
 * hosts); a writing open migrates it to v3: the two runners' rows merge into one hardware
 * machine, every run keeps its host name, and a new run on that hardware from a third host
 * joins them. Fingerprints from the independent Python implementation (test_machine.c). */
#define V2_FP_FIXTURE "4fcd34197abdf0556171534f00169b23" /* x86_64, Fixture CPU, 2, metal */
#define V2_FP_OTHER "985daefefbf81f9abc8e42e8630d08b4"   /* x86_64, Other CPU, 2, metal */
#define V2_SHA1 "1111111111111111111111111111111111111111"
#define V2_SHA2 "2222222222222222222222222222222222222222"

static void load_dump(const char *path, const char *rel)
{
    sqlite3 *c = NULL;
    char *sql = test_read_file(data_path(rel), NULL);

    assert_non_null(sql);
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
    free(sql);
}

static size_t runs_on(btk_store *db, const char *sha, const char *fp)
{
    int64_t *ids = NULL;
    size_t count = 0;

    assert_int_equal(btk_store_runs_for_commit(&ids, &count, db, sha, fp), 0);
    free(ids);
    return count;
}

static void store__v2_dump_migrates_machines_to_hardware(void **state)
{
    static const char *const hosts[3] = {"laptop", "ci-runner-42", "ci-runner-17"};
    char *dir = test_tmpdir("v2"), path[4096];
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    btk_run *run = NULL;
    char **fps = NULL;
    size_t count = 0, i;
    int64_t id;
    sqlite3 *c = NULL;

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "v2.db"));
    load_dump(path, "db/v2.sql");
    assert_int_equal(btk_store_open(&db, path, BTK_STORE_READONLY), 0);
    assert_int_equal(btk_sqlite__of(db)->version, 2);
    assert_int_equal(btk_store_machines(&fps, &count, db), 0);
    assert_int_equal(count, 3); /* v2: one machine per host */
    btk_strings_free(fps, count);
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
    assert_int_equal(count, 3);
    for (i = 0; i < 3; i++) {
        assert_string_equal(rows[i].hostname, hosts[i]);
        assert_null(rows[i].machine_name);
    }
    btk_run_rows_free(rows, count);
    btk_store_close(db);

    assert_int_equal(btk_store_open(&db, path, 0), 0); /* a writing open migrates */
    assert_int_equal(btk_sqlite__of(db)->version, BTK_STORE_SCHEMA_VERSION);
    assert_int_equal(btk_store_machines(&fps, &count, db), 0);
    assert_int_equal(count, 2);
    assert_string_equal(fps[0], V2_FP_FIXTURE);
    assert_string_equal(fps[1], V2_FP_OTHER);
    btk_strings_free(fps, count);
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
    assert_int_equal(count, 3);
    for (i = 0; i < 3; i++) /* every run keeps its host name */
        assert_string_equal(rows[i].hostname, hosts[i]);
    assert_string_equal(rows[0].machine_fp, V2_FP_OTHER);
    assert_string_equal(rows[1].machine_fp, V2_FP_FIXTURE);
    assert_string_equal(rows[2].machine_fp, V2_FP_FIXTURE);
    btk_run_rows_free(rows, count);
    /* both runners' runs are now found on one machine; the laptop's apart */
    assert_int_equal(runs_on(db, V2_SHA1, V2_FP_FIXTURE), 1);
    assert_int_equal(runs_on(db, V2_SHA2, V2_FP_FIXTURE), 1);
    assert_int_equal(runs_on(db, V2_SHA2, V2_FP_OTHER), 1);
    assert_int_equal(btk_store_load_run(&run, db, 1, false), 0);
    assert_string_equal(run->machine.hostname, "ci-runner-17");
    assert_string_equal(run->machine.fingerprint, V2_FP_FIXTURE);
    assert_null(run->machine.name);
    btk_run_free(run);
    /* a new run on the same hardware from a fresh host joins that machine */
    run = make_run(1, 2, NULL, V2_SHA2, "ci-runner-99");
    free(run->machine.cpu_model);
    run->machine.cpu_model = strdup("Fixture CPU");
    assert_int_equal(btk_machine_fingerprint(&run->machine), 0);
    assert_string_equal(run->machine.fingerprint, V2_FP_FIXTURE);
    assert_int_equal(btk_store_add_run(db, run, &id), 0);
    btk_run_free(run);
    assert_int_equal(runs_on(db, V2_SHA2, V2_FP_FIXTURE), 2);
    assert_int_equal(btk_store_machines(&fps, &count, db), 0);
    assert_int_equal(count, 2);
    btk_strings_free(fps, count);
    btk_store_close(db);
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(count_rows(c, "SELECT count(*) FROM machines"), 2); /* merged, not orphaned */
    assert_int_equal(count_rows(c, "SELECT count(*) FROM runs WHERE machine_id NOT IN"
                                   " (SELECT id FROM machines)"), 0);
    assert_int_equal(count_rows(c, "PRAGMA user_version"), BTK_STORE_SCHEMA_VERSION);
    sqlite3_close(c);
    assert_int_equal(btk_store_open(&db, path, BTK_STORE_READONLY), 0); /* checks pass */
    btk_store_close(db);
    test_rmtree(dir);
}

/* Migrating v2 with every allocation failing in turn: BTK_ENOMEM, and the file is left a
 * whole v2 database (the migration is one transaction), until the migration succeeds. */
static void store__v2_migration_fails_cleanly_without_memory(void **state)
{
    char *dir = test_tmpdir("v2fault"), path[4096];
    btk_store *db = NULL;
    sqlite3 *c = NULL;
    long n;
    int error;

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "v2.db"));
    load_dump(path, "db/v2.sql");
    for (n = 0;; n++) {
        btk__alloc_fail_after(n);
        error = btk_store_open(&db, path, 0);
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_null(db);
        assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
        assert_int_equal(count_rows(c, "PRAGMA user_version"), 2);
        assert_int_equal(count_rows(c, "SELECT count(*) FROM machines WHERE fingerprint"
                                       " LIKE 'v2:%'"), 0);
        assert_int_equal(count_rows(c, "SELECT count(*) FROM machines"), 3);
        sqlite3_close(c);
    }
    assert_true(n > 3); /* the re-keying's allocations were among those failed */
    assert_int_equal(btk_sqlite__of(db)->version, BTK_STORE_SCHEMA_VERSION);
    btk_store_close(db);
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(count_rows(c, "SELECT count(*) FROM machines"), 2);
    sqlite3_close(c);
    test_rmtree(dir);
}

/* A named machine class: runs from two hosts and two kinds of hardware under one name are
 * one machine, found by its name's fingerprint; each run keeps its host name. */
static void store__named_machine_holds_runs_of_any_host(void **state)
{
    char *dir = test_tmpdir("named");
    btk_store *db = NULL;
    btk_run *run;
    btk_machine info;
    char fp[33];
    int64_t id[2];
    size_t i;

    (void)state;
    assert_int_equal(btk_store_open(&db, db_in(dir, "n.db"), 0), 0);
    for (i = 0; i < 2; i++) {
        run = make_run(1, 2, NULL, V2_SHA1, i ? "runner-b" : "runner-a");
        if (i) {
            free(run->machine.cpu_model);
            run->machine.cpu_model = strdup("another cpu");
        }
        assert_int_equal(btk_machine_set_name(&run->machine, "ci-large"), 0);
        snprintf(fp, sizeof(fp), "%s", run->machine.fingerprint);
        assert_int_equal(btk_store_add_run(db, run, &id[i]), 0);
        btk_run_free(run);
    }
    assert_int_equal(runs_on(db, V2_SHA1, fp), 2);
    assert_int_equal(btk_store_machine_info(&info, db, fp), 0);
    assert_string_equal(info.name, "ci-large");
    btk_machine_clear(&info);
    assert_int_equal(btk_store_load_run(&run, db, id[1], false), 0);
    assert_string_equal(run->machine.name, "ci-large");
    assert_string_equal(run->machine.hostname, "runner-b");
    assert_string_equal(run->machine.fingerprint, fp);
    btk_run_free(run);
    btk_store_close(db);
    test_rmtree(dir);
}

/* A schema v2 database written by the main branch before counts and CPU time were stored
 * (tests/data/db/v2-times.sql) reads as it is: its runs are time runs without CPU time; opened
 * for writing it migrates to this version and reads the same. */
static void store__v2_database_reads_as_time_runs(void **state)
{
    char *dir = test_tmpdir("v2"), path[4096], *sql;
    sqlite3 *c = NULL;
    btk_store *db = NULL;
    btk_run *run = NULL;

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "v2.db"));
    assert_non_null(sql = test_read_file(data_path("db/v2-times.sql"), NULL));
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
    free(sql);
    for (int mode = 0; mode < 2; mode++) {
        assert_int_equal(btk_store_open(&db, path, mode ? 0 : BTK_STORE_READONLY), 0);
        assert_int_equal(btk_sqlite__of(db)->version, mode ? BTK_STORE_SCHEMA_VERSION : 2);
        assert_int_equal(btk_store_load_run(&run, db, 1, true), 0);
        assert_int_equal(run->measure, BTK_MEASURE_KIND_TIME);
        assert_null(run->count_identity);
        assert_false(btk_run_has_cpu(run));
        assert_int_equal(btk_run_find(run, "sort/1024")->count_repeat, BTK_COUNT_UNKNOWN);
        assert_int_equal(btk_run_find(run, "sort/1024")->proc_count, 2);
        check_near(btk_run_find(run, "sort/1024")->stats.median, 11.0, 1e-12);
        btk_run_free(run);
        btk_store_close(db);
    }
    test_rmtree(dir);
}

/* A schema v7 database written by the main branch before the core clock was stored
 * (tests/data/db/v7.sql: clock.json, whose clock_ghz v7 did not read, and full.json) reads
 * as it is: CPU samples and statistics as stored, no clock and no core cycles, no point in
 * a cycles history. A writing open migrates it to v8 (clock_samples, result_metrics.core_*)
 * and reads the same; a run with a clock stored then comes back with it. */
static void store__v7_database_reads_without_clock_and_migrates(void **state)
{
    static const char sha[2][41] = {"7777777777777777777777777777777777777777",
                                    "9999999999999999999999999999999999999999"};
    char *dir = test_tmpdir("v7"), path[4096];
    btk_store *db = NULL;
    btk_run *run = NULL, *in = NULL;
    btk_history_point *pts = NULL;
    const btk_result *r;
    size_t n = 0;
    int64_t id = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "v7.db"));
    load_dump(path, "db/v7.sql");
    for (int mode = 0; mode < 2; mode++) {
        assert_int_equal(btk_store_open(&db, path, mode ? 0 : BTK_STORE_READONLY), 0);
        assert_int_equal(btk_sqlite__of(db)->version, mode ? BTK_STORE_SCHEMA_VERSION : 7);
        assert_int_equal(btk_store_load_run(&run, db, 1, true), 0);
        r = btk_run_find(run, "sort/1024");
        assert_true(btk_run_has_cpu(run));
        check_near(r->cpu_stats.median, 9.9, 1e-12); /* clock.json's (cpu.json's) value */
        check_near(r->procs[1].cpu_ns[2], 12.6, 1e-12);
        assert_false(btk_run_has_clock(run));
        assert_false(r->has_core_stats);
        assert_null(r->procs[0].clock_ghz);
        check_near(r->stats.median, 11.0, 1e-12);
        btk_run_free(run);
        assert_int_equal(btk_store_history_metric(&pts, &n, db, "sort/1024", NULL, sha, 1,
                                                  BTK_HISTORY_CYCLES), 0);
        assert_int_equal(n, 0);
        btk_history_free(pts, n);
        btk_store_close(db);
    }
    assert_int_equal(btk_store_open(&db, path, 0), 0);
    assert_int_equal(btk_import_file(&in, data_path("json/valid/clock.json")), 0);
    snprintf(in->commit.sha, sizeof(in->commit.sha), "%s", sha[1]);
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_int_equal(btk_store_load_run(&run, db, id, true), 0);
    r = btk_run_find(run, "sort/1024");
    check_near(r->procs[1].clock_ghz[1], 2.0, 0); /* clock.json's */
    check_near(r->core_stats.median, 32.05, 1e-12); /* by hand: test_import.c */
    btk_run_free(run);
    assert_int_equal(btk_store_history_metric(&pts, &n, db, "sort/1024", NULL, sha, 2,
                                              BTK_HISTORY_CYCLES), 0);
    assert_int_equal(n, 1);
    assert_string_equal(pts[0].sha, sha[1]);
    btk_history_free(pts, n);
    btk_run_free(in);
    btk_store_close(db);
    test_rmtree(dir);
}

/* Check that run (tests/data/db/v8.sql's, or shared.json loaded) has shared.json's five
 * processes of memcpy/64 and cpu, every one with an unknown branch ratio and none set
 * aside: every process holds the wall figure. */
static void check_no_ratios(const btk_run *run)
{
    static const char *const names[] = {"memcpy/64", "cpu"};

    assert_int_equal(run->result_count, 2);
    for (size_t i = 0; i < BTK_ARRAY_SIZE(names); i++) {
        const btk_result *r = btk_run_find(run, names[i]);

        assert_non_null(r);
        assert_int_equal(r->proc_count, 5);
        for (size_t p = 0; p < r->proc_count; p++) {
            check_near(r->procs[p].branch_ratio, 0, 0);
            assert_false(r->procs[p].aside);
            assert_true(btk_proc_has_metric(&r->procs[p], BTK_COMPARE_WALL));
        }
    }
}

/* A schema v8 database written by the main branch before branch ratios were stored
 * (tests/data/db/v8.sql: shared.json, whose memcpy/64 import sets three processes aside)
 * reads as it is: every process's ratio unknown, none set aside, its samples and
 * statistics as stored. A writing open migrates it to v9 (samples.branch_ratio, NULL for
 * the rows there) and reads the same; shared.json stored then comes back with its ratios
 * and the three processes set aside. */
static void store__v8_database_reads_without_ratios_and_migrates(void **state)
{
    char *dir = test_tmpdir("v8"), path[4096];
    btk_store *db = NULL;
    btk_run *run = NULL, *in = NULL;
    const btk_result *r;
    sqlite3 *c = NULL;
    int64_t id = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s", db_in(dir, "v8.db"));
    load_dump(path, "db/v8.sql");
    for (int mode = 0; mode < 2; mode++) {
        assert_int_equal(btk_store_open(&db, path, mode ? 0 : BTK_STORE_READONLY), 0);
        assert_int_equal(btk_sqlite__of(db)->version,
                         mode ? BTK_STORE_SCHEMA_VERSION : 8);
        assert_int_equal(btk_store_load_run(&run, db, 1, true), 0);
        check_no_ratios(run);
        r = btk_run_find(run, "memcpy/64");
        check_near(r->stats.median, 2.55, 1e-12); /* shared.json's */
        check_near(r->procs[4].ns[2], 4.7, 1e-12);
        btk_run_free(run);
        btk_store_close(db);
    }
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(
        count_rows(c, "SELECT count(*) FROM samples WHERE branch_ratio IS NULL"), 10);
    sqlite3_close(c);
    assert_int_equal(btk_store_open(&db, path, 0), 0);
    assert_int_equal(btk_import_file(&in, data_path("json/valid/shared.json")), 0);
    snprintf(in->commit.sha, sizeof(in->commit.sha), "%s",
             "9999999999999999999999999999999999999999");
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_int_equal(btk_store_load_run(&run, db, id, true), 0);
    r = btk_run_find(run, "memcpy/64");
    check_near(r->procs[3].branch_ratio, 1.98, 0);
    for (size_t p = 0; p < r->proc_count; p++)
        assert_int_equal(r->procs[p].aside, p >= 2);
    assert_int_equal(aside_count(run), 3);
    btk_run_free(run);
    btk_run_free(in);
    btk_store_close(db);
    test_rmtree(dir);
}

/* The history query reads results and runs through covering indexes only (schema v2): the
 * property that keeps it fast when a run holds many benchmarks and large context JSON
 * (docs/figures/store.md). Checked on SQLite's query plan, not on a timing. */
static void store__history_reads_only_covering_indexes(void **state)
{
    char *dir = test_tmpdir("plan"), sql[4096], query[2048];
    btk_store *db = NULL;
    sqlite3_stmt *st = NULL;
    btk_buf plan = BTK_BUF_INIT;

    (void)state;
    assert_int_equal(btk_store_open(&db, db_in(dir, "p.db"), 0), 0);
    btk_sqlite__history_sql(query, sizeof(query), btk_sqlite__of(db));
    snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", query);
    assert_int_equal(sqlite3_prepare_v2(btk_sqlite__of(db)->conn, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        btk_buf_puts(&plan, (const char *)sqlite3_column_text(st, 3));
        btk_buf_puts(&plan, "\n");
    }
    sqlite3_finalize(st);
    assert_non_null(strstr(btk_buf_cstr(&plan), "SEARCH x USING COVERING INDEX results_history"));
    assert_non_null(strstr(btk_buf_cstr(&plan), "SEARCH r USING COVERING INDEX runs_lookup"));
    btk_buf_free(&plan);
    btk_store_close(db);
    test_rmtree(dir);
}

static void store__history_follows_given_order_newest_run_per_commit(void **state)
{
    char *dir = test_tmpdir("hist");
    char shas[4][41];
    btk_store *db = NULL;
    btk_history_point *pts = NULL;
    size_t count = 0, i;
    btk_run *run;
    int64_t ids[5];
    const char *fp;

    (void)state;
    for (i = 0; i < 4; i++)
        snprintf(shas[i], 41, "%040zu", i + 1);
    assert_int_equal(btk_store_open(&db, db_in(dir, "h.db"), 0), 0);
    for (i = 0; i < 5; i++) { /* commits 0,1,2 once each; commit 1 again; other machine */
        run = make_run(2, 4, NULL, shas[i < 3 ? i : 1], i == 4 ? "other" : "h");
        if (i == 4) { /* other hardware: another machine */
            free(run->machine.cpu_model);
            run->machine.cpu_model = strdup("other cpu");
            assert_int_equal(btk_machine_fingerprint(&run->machine), 0);
        }
        run->results[0].stats.median = 10.0 * (double)(i + 1);
        assert_int_equal(btk_store_add_run(db, run, &ids[i]), 0);
        btk_run_free(run);
    }
    run = make_run(1, 1, NULL, NULL, "h");
    fp = run->machine.fingerprint;
    {
        char(*given)[41] = calloc(4, 41);
        memcpy(given[0], shas[2], 41);
        memcpy(given[1], shas[3], 41); /* no result: skipped */
        memcpy(given[2], shas[0], 41);
        memcpy(given[3], shas[1], 41);
        assert_int_equal(btk_store_history(&pts, &count, db, "bench_0", fp,
                                           (const char(*)[41])given, 4), 0);
        free(given);
    }
    assert_int_equal(count, 3);
    assert_string_equal(pts[0].sha, shas[2]);
    assert_string_equal(pts[1].sha, shas[0]);
    assert_string_equal(pts[2].sha, shas[1]);
    assert_int_equal(pts[2].run_id, ids[3]); /* the newer run of commit 1 on machine h */
    check_near(pts[2].stats.median, 40.0, 0);
    btk_history_free(pts, count);
    btk_run_free(run);
    btk_store_close(db);
    test_rmtree(dir);
}

/* Every statistic the results table stores (the stats table's rows with a column) comes back,
 * each with its own value, from btk_store_load_run and btk_store_history; the others are
 * unknown. */
static void check_stored_stats(const btk_stats *got, const btk_stats *want)
{
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->column == NULL)
            assert_true(isnan(btk_stats_get(got, m)));
        else if (m->unit == BTK_STATS_COUNT)
            assert_int_equal(btk_stats_get_count(got, m), btk_stats_get_count(want, m));
        else
            check_near(btk_stats_get(got, m), btk_stats_get(want, m), 0);
    }
}

static void store__round_trips_each_metric_in_its_own_column(void **state)
{
    char *dir = test_tmpdir("metrics"), sha[41];
    btk_store *db = NULL;
    btk_run *in, *out = NULL;
    btk_history_point *pts = NULL;
    size_t count = 0;
    int64_t id = 0;

    (void)state;
    memset(sha, 'c', 40);
    sha[40] = '\0';
    in = make_run(1, 3, NULL, sha, "h");
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->unit == BTK_STATS_COUNT)
            *btk_stats_count_field(&in->results[0].stats, m) = 1000 + (int64_t)i;
        else
            *btk_stats_real_field(&in->results[0].stats, m) = 1.5 * (double)(i + 1);
    }
    in->results[0].cycles_median = 77.25;
    assert_int_equal(btk_store_open(&db, db_in(dir, "m.db"), 0), 0);
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_int_equal(btk_store_load_run(&out, db, id, false), 0);
    check_stored_stats(&out->results[0].stats, &in->results[0].stats);
    check_near(out->results[0].cycles_median, 77.25, 0);
    assert_int_equal(btk_store_history(&pts, &count, db, "bench_0", in->machine.fingerprint,
                                       (const char(*)[41])sha, 1), 0);
    assert_int_equal(count, 1);
    check_stored_stats(&pts[0].stats, &in->results[0].stats);
    check_near(pts[0].cycles_median, 77.25, 0);
    btk_history_free(pts, count);
    btk_run_free(out);
    btk_run_free(in);
    btk_store_close(db);
    test_rmtree(dir);
}

static void store__allocation_failures_are_clean(void **state)
{
    char *dir = test_tmpdir("fault");
    btk_store *db = NULL;
    btk_run *in = make_run(3, 5, NULL, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "h"), *out = NULL;
    int64_t id = 0;
    long n;
    int error;

    (void)state;
    assert_int_equal(btk_store_open(&db, db_in(dir, "f.db"), 0), 0);
    for (n = 0;; n++) { /* adding: fail each allocation in turn; nothing half-written */
        btk__alloc_fail_after(n);
        error = btk_store_add_run(db, in, &id);
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
    }
    {
        btk_run_row *rows = NULL;
        size_t count = 0;
        assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
        assert_int_equal(count, 1);
        btk_run_rows_free(rows, count);
    }
    for (n = 0;; n++) { /* loading */
        btk__alloc_fail_after(n);
        error = btk_store_load_run(&out, db, id, true);
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_null(out);
    }
    assert_true(n > 20);
    assert_int_equal(out->result_count, 3);
    btk_run_free(out);
    btk_run_free(in);
    btk_store_close(db);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store__roundtrip_keeps_every_field),
        cmocka_unit_test(store__counts_and_cpu_round_trip),
        cmocka_unit_test(store__v2_database_reads_as_time_runs),
        cmocka_unit_test(store__v7_database_reads_without_clock_and_migrates),
        cmocka_unit_test(store__v8_database_reads_without_ratios_and_migrates),
        cmocka_unit_test(store__allocation_failures_with_counts_and_cpu),
        cmocka_unit_test(store__hostile_names_round_trip_verbatim),
        cmocka_unit_test(store__newer_schema_is_refused_untouched),
        cmocka_unit_test(store__non_database_and_corrupt_files_are_format_errors),
        cmocka_unit_test(store__read_only_file_is_a_clear_error),
        cmocka_unit_test(store__locked_database_fails_after_bounded_wait),
        cmocka_unit_test(store__v1_dump_opens_and_reads),
        cmocka_unit_test(store__v2_dump_migrates_machines_to_hardware),
        cmocka_unit_test(store__v2_migration_fails_cleanly_without_memory),
        cmocka_unit_test(store__named_machine_holds_runs_of_any_host),
        cmocka_unit_test(store__history_reads_only_covering_indexes),
        cmocka_unit_test(store__history_follows_given_order_newest_run_per_commit),
        cmocka_unit_test(store__round_trips_each_metric_in_its_own_column),
        cmocka_unit_test(store__allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
