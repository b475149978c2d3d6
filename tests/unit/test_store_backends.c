/* The store's contract on both backends: every test runs once on a new SQLite file and once
 * on a new PostgreSQL database of the cluster at $BTK_TEST_PG (ci/pg-cluster.sh; without it
 * the PostgreSQL half is skipped, visibly). Expected values come from the runs the tests
 * build, never from the store itself; the password tests need no server. */
#include "check.h"
#include "import.h"
#include "metric.h"
#include "store.h"

#include <math.h>
#include <unistd.h>

typedef struct backend {
    const char *name;
    char *dir;      /* SQLite: the temporary folder */
    char *location; /* NULL: backend not available here (skip) */
} backend;

static char *data_path(const char *rel)
{
    const char *src = getenv("BTK_SOURCE_DIR");
    static char buf[4096];

    snprintf(buf, sizeof(buf), "%s/tests/data/%s", src ? src : "..", rel);
    return buf;
}

/* Run a helper script of tests/support with bash; its first output line into *line. */
static int support_script(char **line, const char *script, const char *a1, const char *a2)
{
    char path[4096], *out = NULL;
    char *argv[] = {"bash", path, (char *)a1, (char *)a2, NULL};
    int status;

    snprintf(path, sizeof(path), "%s/tests/support/%s",
             getenv("BTK_SOURCE_DIR") ? getenv("BTK_SOURCE_DIR") : "..", script);
    status = test_run(argv, &out);
    if (line && out) {
        out[strcspn(out, "\n")] = '\0';
        *line = out;
    } else
        free(out);
    return status;
}

/* psql -c sql on location (through tests/support/pg-sql.sh). */
static void pg_sql(const char *location, const char *sql)
{
    assert_int_equal(support_script(NULL, "pg-sql.sh", location, sql), 0);
}

static int sqlite_setup(void **state)
{
    backend *b = calloc(1, sizeof(*b));
    char buf[4200];

    b->name = "sqlite";
    b->dir = test_tmpdir("backends");
    snprintf(buf, sizeof(buf), "%s/b.db", b->dir);
    b->location = strdup(buf);
    *state = b;
    return 0;
}

static int pg_setup(void **state)
{
    backend *b = calloc(1, sizeof(*b));
    const char *url = getenv("BTK_TEST_PG");

    b->name = "postgresql";
    if (url && *url && support_script(&b->location, "pg-newdb.sh", url, "unit_backends") != 0) {
        free(b->location);
        b->location = NULL;
        return -1;
    }
    if (b->location && !btk_store_supports_server()) { /* -DBTK_POSTGRESQL=OFF */
        free(b->location);
        b->location = NULL;
    }
    *state = b;
    return 0;
}

static int teardown(void **state)
{
    backend *b = *state;

    if (b->dir)
        test_rmtree(b->dir);
    free(b->location);
    free(b);
    return 0;
}

/* The backend's location, or skip the test (PostgreSQL without $BTK_TEST_PG). */
static const char *location_or_skip(void **state)
{
    backend *b = *state;

    if (b->location == NULL) {
        print_message("skipped on %s: BTK_TEST_PG is not set, or this build has no "
                      "PostgreSQL backend\n", b->name);
        skip();
    }
    return b->location;
}

static bool is_pg(void **state)
{
    return !strcmp(((backend *)*state)->name, "postgresql");
}

/* A synthetic run: bench_count benchmarks named bench_<i> (or names[i]) with samples each. */
static btk_run *make_run(size_t bench_count, size_t samples, const char *const *names,
                         const char *sha, const char *host)
{
    btk_run *run = NULL;
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
    for (size_t i = 0; i < bench_count; i++) {
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
        for (size_t j = 0; j < samples; j++)
            r->procs[0].ns[j] = 100.0 + (double)i + (double)j / 7.0;
    }
    return run;
}

static void backends__roundtrip_keeps_every_field(void **state)
{
    const char *loc = location_or_skip(state);
    btk_store *db = NULL;
    btk_run *in = NULL, *out = NULL;
    const btk_result *r;
    int64_t id = 0;

    assert_int_equal(btk_import_file(&in, data_path("json/valid/full.json")), 0);
    snprintf(in->commit.sha, sizeof(in->commit.sha), "%s",
             "0123456789abcdef0123456789abcdef01234567");
    in->commit.branch = strdup("main");
    in->commit.time = 1700000000;
    in->commit.subject = strdup("subject");
    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_true(id > 0);
    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    assert_string_equal(out->commit.sha, in->commit.sha);
    assert_string_equal(out->commit.branch, "main");
    assert_int_equal(out->commit.time, 1700000000);
    assert_string_equal(out->machine.fingerprint, in->machine.fingerprint);
    assert_string_equal(out->machine.cpu_model, "Intel(R) Xeon(R) CPU @ 2.30GHz");
    assert_string_equal(out->compiler, "GCC 12.2.0");
    assert_int_equal(out->warning_count, 2);
    assert_string_equal(out->warnings[0], "vm: running in a virtual machine");
    assert_int_equal(out->result_count, 2);
    /* the values of tests/data/json/valid/full.json */
    r = btk_run_find(out, "sort/1024");
    assert_non_null(r);
    assert_true(r->has_param && r->param == 1024);
    check_near(r->stats.median, 11.0, 0);
    check_near(r->stats.ci_high, 12.0, 0);
    check_near(r->cycles_median, 25.3, 0);
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
}

/* Doubles come back bit for bit (the reference is the bits put in). */
static void backends__doubles_round_trip_exactly(void **state)
{
    static const double values[] = {0.1, 1.0 / 3.0, 1e-300, 123456789.123456789,
                                    4.9406564584124654e-324, 1.7976931348623157e308};
    const char *loc = location_or_skip(state);
    size_t n = BTK_ARRAY_SIZE(values);
    btk_run *in = make_run(1, n, NULL, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "h"), *out;
    btk_store *db = NULL;
    int64_t id;

    for (size_t i = 0; i < n; i++)
        in->results[0].procs[0].ns[i] = values[i];
    in->results[0].stats.mean = values[1];
    in->results[0].stats.min = values[2];
    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    for (size_t i = 0; i < n; i++)
        assert_memory_equal(&out->results[0].procs[0].ns[i], &values[i], sizeof(double));
    assert_memory_equal(&out->results[0].stats.mean, &values[1], sizeof(double));
    assert_memory_equal(&out->results[0].stats.min, &values[2], sizeof(double));
    btk_run_free(out);
    btk_run_free(in);
    btk_store_close(db);
}

static const char *const hostile[] = {
    "it's \"quoted\"", "new\nline\ttab", "100% %s %n", "unicode \xc3\xa9\xe2\x82\xac",
    "'); DROP TABLE runs; --", "$1 $2 ::text", "x' OR '1'='1", "Zed", "apple",
};

/* Names in the order strcmp gives (SQLite's BINARY), whatever the server's collation. */
static void backends__hostile_names_verbatim_and_byte_ordered(void **state)
{
    const char *loc = location_or_skip(state);
    size_t n = BTK_ARRAY_SIZE(hostile), count = 0;
    btk_run *in = make_run(n, 3, hostile, "cccccccccccccccccccccccccccccccccccccccc",
                           "host'; --"),
            *out = NULL;
    btk_store *db = NULL;
    char **names = NULL;
    int64_t id;

    in->commit.branch = strdup("feature/'%s\n");
    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_int_equal(btk_store_load_run(&out, db, id, false), 0);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(out->results[i].name, hostile[i]);
    assert_string_equal(out->commit.branch, "feature/'%s\n");
    assert_string_equal(out->machine.hostname, "host'; --");
    assert_int_equal(btk_store_benchmark_names(&names, &count, db, NULL), 0);
    assert_int_equal(count, n);
    for (size_t i = 1; i < count; i++)
        assert_true(strcmp(names[i - 1], names[i]) < 0);
    btk_strings_free(names, count);
    btk_run_free(out);
    btk_run_free(in);
    btk_store_close(db);
}

/* log, runs of a commit, history (newest run per commit, in the given order), machines. */
static void backends__queries_answer_alike(void **state)
{
    const char *loc = location_or_skip(state);
    const char shas[3][41] = {"1111111111111111111111111111111111111111",
                              "2222222222222222222222222222222222222222",
                              "3333333333333333333333333333333333333333"};
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    btk_history_point *pts = NULL;
    int64_t ids[4], *found = NULL;
    size_t count = 0;
    char **fps = NULL;
    btk_machine m;
    btk_run *runs[4];

    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    runs[0] = make_run(2, 3, NULL, shas[0], "a");
    runs[1] = make_run(2, 3, NULL, shas[1], "a");
    runs[2] = make_run(2, 3, NULL, shas[1], "a"); /* newer run of commit 2 */
    runs[3] = make_run(2, 3, NULL, shas[2], "b"); /* another machine: other hardware */
    free(runs[3]->machine.cpu_model);
    free(runs[3]->machine.fingerprint);
    runs[3]->machine.cpu_model = strdup("another cpu");
    runs[3]->machine.fingerprint = NULL;
    assert_int_equal(btk_machine_fingerprint(&runs[3]->machine), 0);
    runs[2]->results[1].stats.median = 555.0;
    runs[2]->compiler = strdup("cc 1.0");
    runs[1]->results[1].status = BTK_RESULT_FAILED;
    for (int i = 0; i < 4; i++) {
        runs[i]->commit.time = 1000 + i;
        runs[i]->commit.subject = strdup("s");
        assert_int_equal(btk_store_add_run(db, runs[i], &ids[i]), 0);
    }
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
    assert_int_equal(count, 4);
    assert_true(rows[0].id == ids[3] && rows[3].id == ids[0]);
    assert_string_equal(rows[1].compiler, "cc 1.0"); /* runs[2]'s build, set below */
    assert_null(rows[0].compiler);
    assert_int_equal(rows[2].failures, 1);
    assert_int_equal(rows[2].benchmarks, 2);
    btk_run_rows_free(rows, count);
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 2), 0);
    assert_int_equal(count, 2);
    btk_run_rows_free(rows, count);
    assert_int_equal(btk_store_runs_for_commit(&found, &count, db, shas[1],
                                               runs[1]->machine.fingerprint), 0);
    assert_int_equal(count, 2);
    assert_true(found[0] == ids[2] && found[1] == ids[1]);
    free(found);
    assert_int_equal(btk_store_runs_for_commit(&found, &count, db, shas[2],
                                               runs[1]->machine.fingerprint), 0);
    assert_int_equal(count, 0);
    free(found);
    assert_int_equal(btk_store_history(&pts, &count, db, "bench_1", runs[0]->machine.fingerprint,
                                       shas, 3), 0);
    assert_int_equal(count, 2); /* commit 3 ran on the other machine */
    assert_string_equal(pts[0].sha, shas[0]);
    assert_true(pts[1].run_id == ids[2]);
    check_near(pts[1].stats.median, 555.0, 0);
    assert_int_equal(pts[1].commit_time, 1002);
    btk_history_free(pts, count);
    assert_int_equal(btk_store_machines(&fps, &count, db), 0);
    assert_int_equal(count, 2);
    assert_true(strcmp(fps[0], fps[1]) < 0);
    btk_strings_free(fps, count);
    assert_int_equal(btk_store_machine_info(&m, db, runs[3]->machine.fingerprint), 0);
    assert_string_equal(m.hostname, "b");
    assert_int_equal(m.cpus, 2);
    btk_machine_clear(&m);
    assert_int_equal(btk_store_machine_info(&m, db, "nosuch"), BTK_ENOTFOUND);
    for (int i = 0; i < 4; i++)
        btk_run_free(runs[i]);
    btk_store_close(db);
}

/* Read-only: an empty database is not found, a write is refused; a newer schema is refused
 * for reading and writing alike. */
static void backends__versions_and_read_only(void **state)
{
    const char *loc = location_or_skip(state);
    btk_run *run = make_run(1, 2, NULL, "dddddddddddddddddddddddddddddddddddddddd", "h");
    btk_store *db = NULL;
    int64_t id;

    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), BTK_ENOTFOUND);
    assert_null(db);
    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    assert_int_equal(btk_store_add_run(db, run, &id), 0);
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), 0);
    assert_int_equal(btk_store_add_run(db, run, &id), BTK_EINVAL);
    btk_store_close(db);
    if (is_pg(state))
        pg_sql(loc, "UPDATE benchtrack_schema SET version = 99");
    else {
        char sql[64];
        snprintf(sql, sizeof(sql), "PRAGMA user_version=99");
        char *argv[] = {"sqlite3", (char *)loc, sql, NULL};
        char *out = NULL;
        assert_int_equal(test_run(argv, &out), 0);
        free(out);
    }
    assert_int_equal(btk_store_open(&db, loc, 0), BTK_ESCHEMA);
    assert_non_null(strstr(btk_error_last()->message, "schema version 99"));
    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), BTK_ESCHEMA);
    btk_run_free(run);
}

/* Run sql on the backend's database directly (psql or the sqlite3 shell). */
static void backend_sql(void **state, const char *loc, const char *sql)
{
    if (is_pg(state))
        pg_sql(loc, sql);
    else {
        char *argv[] = {"sqlite3", (char *)loc, (char *)sql, NULL};
        char *out = NULL;

        assert_int_equal(test_run(argv, &out), 0);
        free(out);
    }
}

/* The SQL that puts a v9 database back to v8 (schema v9 added samples.branch_ratio), the
 * same on both backends. */
#define UNDO_V9 "ALTER TABLE samples DROP COLUMN branch_ratio; "
/* The SQL that puts a v8 database back to v7 (schema v8 added clock_samples and
 * result_metrics.core_*), per backend. */
#define UNDO_V8_SQLITE                                                                       \
    "DROP TABLE clock_samples; ALTER TABLE result_metrics DROP COLUMN core_min;"           \
    " ALTER TABLE result_metrics DROP COLUMN core_max;"                                     \
    " ALTER TABLE result_metrics DROP COLUMN core_mean;"                                    \
    " ALTER TABLE result_metrics DROP COLUMN core_median;"                                  \
    " ALTER TABLE result_metrics DROP COLUMN core_ci_low;"                                  \
    " ALTER TABLE result_metrics DROP COLUMN core_ci_high; "
#define UNDO_V8_PG                                                                           \
    "DROP TABLE clock_samples; ALTER TABLE result_metrics DROP COLUMN core_min,"           \
    " DROP COLUMN core_max, DROP COLUMN core_mean, DROP COLUMN core_median,"               \
    " DROP COLUMN core_ci_low, DROP COLUMN core_ci_high; "

/* Schema v7: a result's call_percentiles (per-call mode, "percentiles": "calls") comes back
 * as it was stored, true and false alike; a database put back to v6 by hand (the column
 * dropped, the version set to 6) reads every result as batch percentiles, read-only as it
 * is and after the writing open that migrates it back to v7 (the column's default, 0). */
static void backends__call_percentiles_round_trip_and_migrate(void **state)
{
    const char *loc = location_or_skip(state);
    btk_run *in = make_run(2, 3, NULL, "abababababababababababababababababababab", "h");
    btk_store *db = NULL;
    btk_run *out = NULL;
    int64_t id = 0;

    in->results[0].call_percentiles = true;
    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_int_equal(btk_store_load_run(&out, db, id, false), 0);
    assert_int_equal(out->result_count, 2);
    assert_true(btk_run_find(out, "bench_0")->call_percentiles);
    assert_false(btk_run_find(out, "bench_1")->call_percentiles);
    btk_run_free(out);
    out = NULL;
    btk_store_close(db);
    /* back to v6 */
    backend_sql(state, loc,
                is_pg(state) ? UNDO_V9 UNDO_V8_PG
                               "ALTER TABLE results DROP COLUMN call_percentiles;"
                               " UPDATE benchtrack_schema SET version = 6"
                             : UNDO_V9 UNDO_V8_SQLITE
                               "ALTER TABLE results DROP COLUMN call_percentiles;"
                               " PRAGMA user_version=6;");
    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), 0); /* read as v6 */
    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    assert_false(btk_run_find(out, "bench_0")->call_percentiles);
    assert_false(btk_run_find(out, "bench_1")->call_percentiles);
    check_near(btk_run_find(out, "bench_1")->stats.median, 101.0, 0); /* make_run's */
    btk_run_free(out);
    out = NULL;
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, loc, 0), 0); /* migrates to v7 */
    assert_int_equal(btk_store_load_run(&out, db, id, false), 0);
    assert_false(btk_run_find(out, "bench_0")->call_percentiles);
    btk_run_free(out);
    out = NULL;
    /* and stores the flag again */
    snprintf(in->commit.sha, sizeof(in->commit.sha), "%s",
             "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd");
    assert_int_equal(btk_store_add_run(db, in, &id), 0);
    assert_int_equal(btk_store_load_run(&out, db, id, false), 0);
    assert_true(btk_run_find(out, "bench_0")->call_percentiles);
    assert_false(btk_run_find(out, "bench_1")->call_percentiles);
    btk_run_free(out);
    btk_store_close(db);
    btk_run_free(in);
}

/* PostgreSQL's migrations v3 (machines re-keyed to hardware classes, hosts kept per run)
 * and v4 (uids from the content) on a database put back to v2 by hand: two old machine rows
 * of one hardware and two hosts merge into one, the runs keep their hosts and get distinct
 * uids. (The SQLite backend's are tested on tests/data/db/v2.sql by unit.store.) */
static void backends__pg_v2_database_migrates(void **state)
{
    const char *loc = location_or_skip(state);
    btk_run *a = make_run(1, 2, NULL, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "host-a");
    btk_run *b = make_run(1, 2, NULL, "ffffffffffffffffffffffffffffffffffffffff", "host-b");
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    char **fps = NULL, uid[2][BTK_STORE_UID_LEN + 1];
    size_t count = 0;
    int64_t ida, idb;

    if (!is_pg(state))
        skip();
    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    assert_int_equal(btk_store_add_run(db, a, &ida), 0);
    assert_int_equal(btk_store_add_run(db, b, &idb), 0);
    btk_store_close(db);
    /* back to v2: per-host machine rows, no hostname/name/uid columns, none of the tables
     * and columns later versions add */
    pg_sql(loc, "DROP TABLE IF EXISTS acks, run_counts, result_metrics, cpu_samples,"
                " clock_samples;"
                " ALTER TABLE samples DROP COLUMN branch_ratio;"
                " ALTER TABLE results DROP COLUMN call_percentiles;"
                " ALTER TABLE runs DROP COLUMN uid; ALTER TABLE runs DROP COLUMN hostname;"
                " ALTER TABLE machines DROP COLUMN name;"
                " UPDATE machines SET fingerprint = 'old-a', hostname = 'host-a';"
                " INSERT INTO machines (fingerprint, hostname, arch, cpu_model, cpus)"
                " SELECT 'old-b', 'host-b', arch, cpu_model, cpus FROM machines;"
                " UPDATE runs SET machine_id = (SELECT id FROM machines WHERE"
                " fingerprint = 'old-b') WHERE commit_sha LIKE 'f%';"
                " UPDATE benchtrack_schema SET version = 2");
    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), 0); /* read as v2 */
    assert_int_equal(btk_store_machines(&fps, &count, db), 0);
    assert_int_equal(count, 2);
    btk_strings_free(fps, count);
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, loc, 0), 0); /* migrates */
    assert_int_equal(btk_store_machines(&fps, &count, db), 0);
    assert_int_equal(count, 1);
    assert_string_equal(fps[0], a->machine.fingerprint); /* the hardware's, as computed */
    btk_strings_free(fps, count);
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
    assert_int_equal(count, 2);
    assert_string_equal(rows[0].hostname, "host-b");
    assert_string_equal(rows[1].hostname, "host-a");
    btk_run_rows_free(rows, count);
    assert_int_equal(btk_store_run_uid(uid[0], db, ida), 0);
    assert_int_equal(btk_store_run_uid(uid[1], db, idb), 0);
    assert_int_equal(strlen(uid[0]), BTK_STORE_UID_LEN);
    assert_true(strcmp(uid[0], uid[1]) != 0);
    btk_store_close(db);
    btk_run_free(a);
    btk_run_free(b);
}

/* Acknowledged regressions: added, re-noted in place, listed, removed, on both backends. */
static void backends__acks_round_trip(void **state)
{
    const char *loc = location_or_skip(state);
    const char *sha = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    btk_store *db = NULL;
    btk_ack *acks = NULL;
    size_t count = 0;
    int64_t id = 0, again = 0;

    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    assert_int_equal(btk_store_add_ack(db, sha, "sort/*", "it's 'expected' %s", &id), 0);
    assert_int_equal(btk_store_add_ack(db, sha, "sort/*", "new note", &again), 0);
    assert_true(id == again); /* the pair is acknowledged once; the note is the newest */
    assert_int_equal(btk_store_list_acks(&acks, &count, db), 0);
    assert_int_equal(count, 1);
    assert_string_equal(acks[0].sha, sha);
    assert_string_equal(acks[0].glob, "sort/*");
    assert_string_equal(acks[0].note, "new note");
    btk_acks_free(acks, count);
    assert_int_equal(btk_store_add_ack(db, "nosha", "x", "y", &again), BTK_EINVAL);
    assert_int_equal(btk_store_remove_ack(db, id), 0);
    assert_int_equal(btk_store_remove_ack(db, id), BTK_ENOTFOUND);
    assert_int_equal(btk_store_list_acks(&acks, &count, db), 0);
    assert_int_equal(count, 0);
    btk_acks_free(acks, count);
    btk_store_close(db);
}

/* A counting run (tests/data/json/valid/counting.json) and a time run with CPU samples
 * (cpu.json) stored and loaded back on both backends: measure, count identity,
 * repeatability, spread, CPU statistics and samples as imported; each history metric
 * holds its kind of run only. */
static void backends__counts_and_cpu_round_trip(void **state)
{
    static const char sha[2][41] = {"0123456789abcdef0123456789abcdef01234567",
                                    "1123456789abcdef0123456789abcdef01234567"};
    const char *loc = location_or_skip(state);
    btk_store *db = NULL;
    btk_run *count = NULL, *cpu = NULL, *out = NULL;
    btk_history_point *pts = NULL;
    const btk_result *r, *w;
    size_t n = 0;
    int64_t id = 0;

    assert_int_equal(btk_import_file(&count, data_path("json/valid/counting.json")), 0);
    assert_int_equal(btk_import_file(&cpu, data_path("json/valid/cpu.json")), 0);
    snprintf(count->commit.sha, sizeof(count->commit.sha), "%s", sha[0]);
    snprintf(cpu->commit.sha, sizeof(cpu->commit.sha), "%s", sha[1]);
    assert_int_equal(btk_store_open(&db, loc, 0), 0);
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
    assert_int_equal(btk_store_add_run(db, cpu, &id), 0);
    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    assert_int_equal(out->measure, BTK_MEASURE_KIND_TIME);
    assert_null(out->count_identity);
    r = btk_run_find(out, "sort/1024");
    w = btk_run_find(cpu, "sort/1024");
    assert_int_equal(r->count_repeat, BTK_COUNT_UNKNOWN);
    assert_true(r->has_cpu_stats);
    check_near(r->cpu_stats.median, 9.9, 1e-12); /* cpu.json's value */
    check_near(r->cpu_stats.ci_low, w->cpu_stats.ci_low, 0);
    for (size_t p = 0; p < r->proc_count; p++)
        for (size_t i = 0; i < r->procs[p].count; i++)
            check_near(r->procs[p].cpu_ns[i], w->procs[p].cpu_ns[i], 0);
    btk_run_free(out);
    /* time history: the time run only; CPU: its CPU median; counts: the counting run */
    assert_int_equal(btk_store_history(&pts, &n, db, "cpu", NULL, sha, 2), 0);
    assert_int_equal(n, 0); /* cpu.json has no benchmark "cpu"; the counting run is left out */
    btk_history_free(pts, n);
    assert_int_equal(btk_store_history_metric(&pts, &n, db, "sort/1024", NULL, sha, 2,
                                              BTK_HISTORY_CPU), 0);
    assert_int_equal(n, 1);
    check_near(pts[0].stats.median, 9.9, 1e-12);
    btk_history_free(pts, n);
    assert_int_equal(btk_store_history_metric(&pts, &n, db, "cpu", NULL, sha, 2,
                                              BTK_HISTORY_COUNT), 0);
    assert_int_equal(n, 1);
    assert_string_equal(pts[0].sha, sha[0]);
    check_near(pts[0].stats.median, btk_run_find(count, "cpu")->stats.median, 0);
    btk_history_free(pts, n);
    btk_store_close(db);
    btk_run_free(count);
    btk_run_free(cpu);
}

/* Load run id with samples and check benchmark sort/1024 has the core clock of
 * tests/data/json/valid/clock.json (w, as imported) or none (w NULL). */
static void check_clock(btk_store *db, int64_t id, const btk_result *w)
{
    btk_run *out = NULL;
    const btk_result *r;

    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    r = btk_run_find(out, "sort/1024");
    assert_int_equal(r->proc_count, 2);
    assert_non_null(r->procs[0].cpu_ns); /* clock.json's CPU samples, on every version */
    assert_int_equal(r->has_core_stats, w != NULL);
    assert_int_equal(btk_run_has_clock(out), w != NULL);
    for (size_t p = 0; p < r->proc_count; p++) {
        if (w == NULL) {
            assert_null(r->procs[p].clock_ghz);
            continue;
        }
        assert_non_null(r->procs[p].clock_ghz);
        for (size_t i = 0; i < r->procs[p].count; i++)
            check_near(r->procs[p].clock_ghz[i], w->procs[p].clock_ghz[i], 0);
    }
    if (w) {
        check_near(r->core_stats.median, 32.05, 1e-12); /* by hand: test_import.c */
        check_near(r->core_stats.min, 21, 1e-12);
        check_near(r->core_stats.ci_low, w->core_stats.ci_low, 0);
        check_near(r->core_stats.ci_high, w->core_stats.ci_high, 0);
    }
    btk_run_free(out);
}

/* Schema v8 on both backends: clock.json's clock_ghz and core-cycle statistics come back
 * as imported (with samples; the statistics without them too), a run without a clock has
 * none, and history --metric cycles holds the run with a clock only. A stored clock that
 * is not one import accepts (0 GHz, written by hand) is read as unknown. Put back to v7 by
 * hand (clock_samples and result_metrics.core_* dropped), the database reads read-only as
 * v7 without clocks, and a writing open migrates it to v8 and stores clocks again. */
static void backends__clock_round_trip_and_migrate_from_v7(void **state)
{
    static const char sha[3][41] = {"2123456789abcdef0123456789abcdef01234567",
                                    "3123456789abcdef0123456789abcdef01234567",
                                    "4123456789abcdef0123456789abcdef01234567"};
    const char *loc = location_or_skip(state);
    btk_store *db = NULL;
    btk_run *clock = NULL, *cpu = NULL, *out = NULL;
    btk_history_point *pts = NULL;
    const btk_result *w;
    size_t n = 0;
    int64_t id[3] = {0, 0, 0};

    assert_int_equal(btk_import_file(&clock, data_path("json/valid/clock.json")), 0);
    assert_int_equal(btk_import_file(&cpu, data_path("json/valid/cpu.json")), 0);
    w = btk_run_find(clock, "sort/1024");
    snprintf(clock->commit.sha, sizeof(clock->commit.sha), "%s", sha[0]);
    snprintf(cpu->commit.sha, sizeof(cpu->commit.sha), "%s", sha[1]);
    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    assert_int_equal(btk_store_add_run(db, clock, &id[0]), 0);
    assert_int_equal(btk_store_add_run(db, cpu, &id[1]), 0);
    check_clock(db, id[0], w);
    /* without samples: the statistics (history and run-to-run noise read them) */
    assert_int_equal(btk_store_load_run(&out, db, id[0], false), 0);
    assert_true(btk_run_find(out, "sort/1024")->has_core_stats);
    check_near(btk_run_find(out, "sort/1024")->core_stats.median, 32.05, 1e-12);
    assert_true(btk_run_has_clock(out));
    btk_run_free(out);
    assert_int_equal(btk_store_load_run(&out, db, id[1], true), 0);
    assert_false(btk_run_has_clock(out));
    assert_null(btk_run_find(out, "sort/1024")->procs[0].clock_ghz);
    btk_run_free(out);
    assert_int_equal(btk_store_history_metric(&pts, &n, db, "sort/1024", NULL, sha, 2,
                                              BTK_HISTORY_CYCLES), 0);
    assert_int_equal(n, 1);
    assert_string_equal(pts[0].sha, sha[0]);
    check_near(pts[0].stats.median, 32.05, 1e-12);
    btk_history_free(pts, n);
    assert_int_equal(btk_store_history(&pts, &n, db, "sort/1024", NULL, sha, 2), 0);
    assert_int_equal(n, 2); /* wall: both runs */
    btk_history_free(pts, n);
    btk_store_close(db);
    /* a clock of 0 GHz in the store: that process's clock is unknown */
    backend_sql(state, loc,
                is_pg(state) ? "UPDATE clock_samples SET clock = decode(repeat('00', 24), 'hex')"
                               " WHERE seq = 1"
                             : "UPDATE clock_samples SET clock = zeroblob(24) WHERE seq = 1;");
    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), 0);
    assert_int_equal(btk_store_load_run(&out, db, id[0], true), 0);
    assert_non_null(btk_run_find(out, "sort/1024")->procs[0].clock_ghz);
    assert_null(btk_run_find(out, "sort/1024")->procs[1].clock_ghz);
    btk_run_free(out);
    btk_store_close(db);
    /* back to v7 */
    backend_sql(state, loc,
                is_pg(state) ? UNDO_V9 UNDO_V8_PG
                               "UPDATE benchtrack_schema SET version = 7"
                             : UNDO_V9 UNDO_V8_SQLITE "PRAGMA user_version=7;");
    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), 0); /* read as v7 */
    check_clock(db, id[0], NULL);
    assert_int_equal(btk_store_history_metric(&pts, &n, db, "sort/1024", NULL, sha, 2,
                                              BTK_HISTORY_CYCLES), 0);
    assert_int_equal(n, 0);
    btk_history_free(pts, n);
    assert_int_equal(btk_store_history_metric(&pts, &n, db, "sort/1024", NULL, sha, 2,
                                              BTK_HISTORY_CPU), 0);
    assert_int_equal(n, 2); /* v7's CPU statistics stay */
    btk_history_free(pts, n);
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, loc, 0), 0); /* migrates to v8 */
    check_clock(db, id[0], NULL);
    snprintf(clock->commit.sha, sizeof(clock->commit.sha), "%s", sha[2]);
    assert_int_equal(btk_store_add_run(db, clock, &id[2]), 0);
    check_clock(db, id[2], w);
    assert_int_equal(btk_store_history_metric(&pts, &n, db, "sort/1024", NULL, sha, 3,
                                              BTK_HISTORY_CYCLES), 0);
    assert_int_equal(n, 1);
    assert_string_equal(pts[0].sha, sha[2]);
    btk_history_free(pts, n);
    btk_store_close(db);
    btk_run_free(clock);
    btk_run_free(cpu);
}

/* Load run id with samples and check each process of want (shared.json as imported) comes
 * back with its branch ratio and set aside or not as import set it (ratios false: every
 * ratio unknown and nothing set aside). Returns how many processes are set aside. */
static size_t check_ratios(btk_store *db, int64_t id, const btk_run *want, bool ratios)
{
    btk_run *out = NULL;
    size_t aside = 0;

    assert_int_equal(btk_store_load_run(&out, db, id, true), 0);
    assert_int_equal(out->result_count, want->result_count);
    for (size_t i = 0; i < want->result_count; i++) {
        const btk_result *w = &want->results[i], *r = btk_run_find(out, w->name);

        assert_non_null(r);
        assert_int_equal(r->proc_count, w->proc_count);
        for (size_t p = 0; p < r->proc_count; p++) {
            double ratio = ratios ? w->procs[p].branch_ratio : 0;

            check_near(r->procs[p].branch_ratio, ratio, 0);
            assert_int_equal(r->procs[p].aside, ratios && w->procs[p].aside);
            assert_int_equal(btk_proc_has_metric(&r->procs[p], BTK_COMPARE_WALL),
                             !r->procs[p].aside);
            aside += r->procs[p].aside;
        }
    }
    btk_run_free(out);
    return aside;
}

/* Schema v9 on both backends: shared.json's branch ratios come back as imported (an
 * unknown one as 0, stored NULL), and its processes are set aside as import set them:
 * memcpy/64's three shared ones at ~4.5 ns against two alone at ~2.5 ns, none of cpu's
 * (shared only 1 % slower). Loaded without samples, a run has no processes to set aside.
 * A stored ratio import would not accept (negative, 1e300, infinite; on PostgreSQL also
 * NaN), written by hand, reads as unknown. Put back to v8 by hand (the column dropped),
 * the database reads read-only as v8 with every ratio unknown and nothing set aside, and
 * a writing open migrates it to v9 and stores ratios again. */
static void backends__branch_ratio_round_trip_and_migrate_from_v8(void **state)
{
    static const char sha[2][41] = {"5123456789abcdef0123456789abcdef01234567",
                                    "6123456789abcdef0123456789abcdef01234567"};
    const char *loc = location_or_skip(state);
    btk_store *db = NULL;
    btk_run *in = NULL, *out = NULL;
    const btk_result *m;
    int64_t id[2] = {0, 0};

    assert_int_equal(btk_import_file(&in, data_path("json/valid/shared.json")), 0);
    m = btk_run_find(in, "memcpy/64");
    for (size_t p = 0; p < m->proc_count; p++) /* as import sets them (test_import.c) */
        assert_int_equal(m->procs[p].aside, p >= 2);
    for (size_t p = 0; p < in->results[1].proc_count; p++)
        assert_false(in->results[1].procs[p].aside);
    check_near(in->results[1].procs[1].branch_ratio, 0, 0); /* none in the file */
    snprintf(in->commit.sha, sizeof(in->commit.sha), "%s", sha[0]);
    assert_int_equal(btk_store_open(&db, loc, 0), 0);
    assert_int_equal(btk_store_add_run(db, in, &id[0]), 0);
    assert_int_equal(check_ratios(db, id[0], in, true), 3);
    assert_int_equal(btk_store_load_run(&out, db, id[0], false), 0);
    assert_int_equal(btk_run_find(out, "memcpy/64")->proc_count, 0);
    btk_run_free(out);
    btk_store_close(db);
    /* ratios no import accepts, in the store: unknown (alone), so no process of memcpy/64
     * reads as shared and none is set aside */
    backend_sql(state, loc,
                is_pg(state) ? "UPDATE samples SET branch_ratio = CASE seq WHEN 2 THEN -1"
                               " WHEN 3 THEN 1e300 ELSE 'NaN'::float8 END WHERE seq >= 2;"
                               " UPDATE samples SET branch_ratio = 'Infinity'::float8"
                               " WHERE seq = 0"
                             : "UPDATE samples SET branch_ratio = CASE seq WHEN 2 THEN -1"
                               " WHEN 3 THEN 1e300 ELSE 9e999 END WHERE seq >= 2;"
                               " UPDATE samples SET branch_ratio = 'x' WHERE seq = 0;");
    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), 0);
    assert_int_equal(btk_store_load_run(&out, db, id[0], true), 0);
    m = btk_run_find(out, "memcpy/64");
    for (size_t p = 0; p < m->proc_count; p++) {
        check_near(m->procs[p].branch_ratio, p == 1 ? 1.02 : 0, 0);
        assert_false(m->procs[p].aside);
    }
    check_near(m->procs[4].ns[2], 4.7, 0); /* the samples stay */
    check_near(btk_run_find(out, "cpu")->procs[2].branch_ratio, 0, 0);
    btk_run_free(out);
    btk_store_close(db);
    /* back to v8 */
    backend_sql(state, loc,
                is_pg(state) ? UNDO_V9 "UPDATE benchtrack_schema SET version = 8"
                             : UNDO_V9 "PRAGMA user_version=8;");
    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), 0); /* read as v8 */
    assert_int_equal(check_ratios(db, id[0], in, false), 0);
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, loc, 0), 0); /* migrates to v9 */
    assert_int_equal(check_ratios(db, id[0], in, false), 0);
    snprintf(in->commit.sha, sizeof(in->commit.sha), "%s", sha[1]);
    assert_int_equal(btk_store_add_run(db, in, &id[1]), 0);
    assert_int_equal(check_ratios(db, id[1], in, true), 3);
    btk_store_close(db);
    btk_run_free(in);
}

/* ---- passwords (no server needed) ---- */

static void redact__every_password_form_is_hidden(void **state)
{
    static const char *const cases[][2] = {
        {"postgresql://btk:s3cret@db.example:5432/bt", "postgresql://btk:***@db.example:5432/bt"},
        {"postgres://u:p%40ss@h/d", "postgres://u:***@h/d"},
        {"postgresql://u@h/d?password=s3cret&sslmode=require",
         "postgresql://u@h/d?password=***&sslmode=require"},
        {"postgresql://u:a@h/d?sslmode=require&password=b", "postgresql://u:***@h/d?sslmode=require&password=***"},
        {"postgresql://u@h/d", "postgresql://u@h/d"},
        {"postgresql://h:5432/d", "postgresql://h:5432/d"},
        {"/tmp/a:b@c.db", "/tmp/a:b@c.db"},
    };
    char *out = NULL;

    (void)state;
    for (size_t i = 0; i < BTK_ARRAY_SIZE(cases); i++) {
        assert_int_equal(btk_store_redact(&out, cases[i][0]), 0);
        assert_string_equal(out, cases[i][1]);
        btk__free(out);
    }
    assert_false(btk_store_location_is_file("postgresql://h/d"));
    assert_false(btk_store_location_is_file("postgres://h/d"));
    assert_true(btk_store_location_is_file("postgresql.db"));
}

/* A server that cannot be reached: one line naming the location without its password, in
 * every form the password can be written (plain, percent-encoded, query parameter), and one
 * libpq cannot parse, whose message quotes it: that one is bad input (BTK_EINVAL, exit 2),
 * refused before any connection is tried, its password hidden just the same. */
static void redact__unreachable_server_message_hides_password(void **state)
{
    static const char *const locations[][2] = {
        {"postgresql://btk:Pw0rdXyz@127.0.0.1:1/d?connect_timeout=2", "Pw0rdXyz"},
        {"postgresql://btk:Pw%30rdXyz@127.0.0.1:1/d?connect_timeout=2", "Pw%30rdXyz"},
        {"postgresql://btk@127.0.0.1:1/d?password=Pw0rdXyz&connect_timeout=2", "Pw0rdXyz"},
        {"postgresql://btk:Pw%zzXyz@127.0.0.1:1/d", "Pw%zzXyz"},
    };
    btk_store *db = NULL;

    (void)state;
    for (size_t i = 0; i < BTK_ARRAY_SIZE(locations); i++) {
        int error = btk_store_open(&db, locations[i][0], 0);
        const char *msg = btk_error_last()->message;

        assert_null(db);
        if (i == 3)
            assert_true(error == BTK_EINVAL || error == BTK_EUNSUPPORTED);
        else
            assert_true(error == BTK_EIO || error == BTK_EUNSUPPORTED);
        if (error == BTK_EINVAL)
            assert_non_null(strstr(msg, "invalid results database location"));
        assert_null(strstr(msg, locations[i][1]));
        assert_null(strstr(msg, "Pw0rd"));
        assert_null(strchr(msg, '\n'));
        if (error == BTK_EIO || error == BTK_EINVAL)
            assert_non_null(strstr(msg, "btk:***@") ? strstr(msg, "btk:***@")
                                                    : strstr(msg, "password=***"));
    }
}

#define BOTH(test)                                                                         \
    cmocka_unit_test_setup_teardown(test, sqlite_setup, teardown),                          \
        cmocka_unit_test_setup_teardown(test, pg_setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(backends__roundtrip_keeps_every_field),
        BOTH(backends__doubles_round_trip_exactly),
        BOTH(backends__hostile_names_verbatim_and_byte_ordered),
        BOTH(backends__queries_answer_alike),
        BOTH(backends__versions_and_read_only),
        BOTH(backends__acks_round_trip),
        BOTH(backends__counts_and_cpu_round_trip),
        BOTH(backends__call_percentiles_round_trip_and_migrate),
        BOTH(backends__clock_round_trip_and_migrate_from_v7),
        BOTH(backends__branch_ratio_round_trip_and_migrate_from_v8),
        cmocka_unit_test_setup_teardown(backends__pg_v2_database_migrates, pg_setup, teardown),
        cmocka_unit_test(redact__every_password_form_is_hidden),
        cmocka_unit_test(redact__unreachable_server_message_hides_password),
    };

    if (getenv("BTK_TEST_PG") == NULL || *getenv("BTK_TEST_PG") == '\0')
        print_message("BTK_TEST_PG is not set: the PostgreSQL half of each test is skipped\n");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
