/* Reliability of the results database under abuse: writers killed with SIGKILL at random
 * moments, and several processes writing one database at once. */
#include "check.h"
#include "store.h"
#include "store_sqlite.h"

#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCHES 40
#define SAMPLES 50

static btk_run *make_run(unsigned seed)
{
    btk_run *run = NULL;
    size_t i, j;
    char name[64];

    assert_int_equal(btk_run_new(&run), 0);
    run->machine.hostname = strdup("stress");
    assert_int_equal(btk_machine_fingerprint(&run->machine), 0);
    snprintf(run->commit.sha, sizeof(run->commit.sha), "%040u", seed);
    run->results = calloc(BENCHES, sizeof(btk_result));
    run->result_count = BENCHES;
    for (i = 0; i < BENCHES; i++) {
        btk_result *r = &run->results[i];
        snprintf(name, sizeof(name), "b%zu", i);
        r->name = strdup(name);
        btk_stats_init(&r->stats);
        r->cycles_median = NAN;
        btk_memory_init(&r->memory);
        r->proc_count = 1;
        r->procs = calloc(1, sizeof(btk_proc));
        r->procs[0].count = SAMPLES;
        r->procs[0].ns = calloc(SAMPLES, sizeof(double));
        r->procs[0].peak_rss_bytes = r->procs[0].minor_faults = -1;
        r->procs[0].major_faults = -1;
        for (j = 0; j < SAMPLES; j++)
            r->procs[0].ns[j] = (double)(seed + j);
    }
    return run;
}

/* Child: store runs until told to stop (or killed); exit 0 when all count were stored.
 * When notify_fd >= 0, one byte is written to it after the first run is committed. */
static void writer_notify(const char *path, unsigned first, unsigned count, int notify_fd)
{
    btk_store *db = NULL;
    unsigned i;

    if (btk_store_open(&db, path, 0) < 0) {
        fprintf(stderr, "writer: %s\n", btk_error_last()->message);
        _exit(1);
    }
    for (i = 0; i < count; i++) {
        btk_run *run = make_run(first + i);
        int error = btk_store_add_run(db, run, NULL);
        btk_run_free(run);
        if (error < 0) {
            fprintf(stderr, "writer: %s\n", btk_error_last()->message);
            _exit(1);
        }
        if (i == 0 && notify_fd >= 0 && write(notify_fd, "c", 1) != 1)
            _exit(1);
    }
    btk_store_close(db);
    _exit(0);
}

static void writer(const char *path, unsigned first, unsigned count)
{
    writer_notify(path, first, count, -1);
}

/* Integrity ok and every run complete; returns the number of runs. */
static size_t check_db(const char *path)
{
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    size_t count = 0, i;
    int rc = btk_store_open(&db, path, 0);

    if (rc != 0)
        print_error("check_db: %s\n", btk_error_last()->message);
    assert_int_equal(rc, 0);
    assert_int_equal(btk_sqlite__integrity_check(btk_sqlite__of(db)), 0);
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
    for (i = 0; i < count; i++)
        assert_int_equal(rows[i].benchmarks, BENCHES);
    btk_run_rows_free(rows, count);
    btk_store_close(db);
    return count;
}

static void store__sigkill_never_corrupts_or_loses_committed_runs(void **state)
{
    char *dir = test_tmpdir("kill"), path[4096];
    size_t runs = 0, now;
    unsigned kills = 0, round;
    pid_t pid;

    (void)state;
    srand((unsigned)time(NULL));
    snprintf(path, sizeof(path), "%s/k.db", dir);
    for (round = 0; kills < 25 && round < 200; round++) {
        int fds[2];
        char c;

        assert_int_equal(pipe(fds), 0);
        if ((pid = fork()) == 0) {
            close(fds[0]);
            writer_notify(path, round * 1000, 1000, fds[1]);
        }
        close(fds[1]);
        /* Odd rounds count from the fork, so kills also land while the database is being
         * created or opened; even rounds from the writer's first commit, so runs are
         * committed before kills however slow the machine is. */
        if (round % 2 == 0 && read(fds[0], &c, 1) != 1)
            print_message("round %u: the writer stopped before its first commit\n", round);
        usleep((useconds_t)(2000 + rand() % 60000)); /* 2-62 ms: mid-transaction often */
        if (kill(pid, SIGKILL) == 0)
            kills++;
        waitpid(pid, NULL, 0);
        close(fds[0]); /* only now: a writer must not die of SIGPIPE at its first commit */
        now = check_db(path);
        assert_true(now >= runs); /* everything committed before the kill is still there */
        runs = now;
    }
    print_message("%u kills, %zu runs intact\n", kills, runs);
    assert_true(kills >= 20);
    assert_true(runs > 0);
    test_rmtree(dir);
}

/* Six processes create one database and write 15 runs each at once. A writer that fails
 * says why on stderr ("writer: ..."). Investigated 2026-11-30 (an early failure had no
 * message kept): the scenario alone, 80 times under load 12-15 on the 2-vCPU VM (other
 * agents' builds and a pinned `yes`), never failed; with BENCHTRACK_BUSY_TIMEOUT_MS=20
 * writers fail only with the bounded-wait messages ("locked by another process (cannot
 * start a transaction; waited up to 20 ms)", and "(cannot read the schema version ...)"
 * at open), i.e. the store gives up after its documented busy timeout (10 s by default),
 * never with a wrong or corrupt result. The concurrent-creation race that made writers
 * fail without waiting was fixed by the creation lock (store_sqlite.c, "<db>-lock"); a failure
 * here now means a writer waited over 10 s, or a real bug: its message says which. */
static void store__concurrent_writers_all_succeed(void **state)
{
    char *dir = test_tmpdir("conc"), path[4096];
    pid_t pids[6];
    int i, status, ok = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s/c.db", dir);
    for (i = 0; i < 6; i++) /* the database does not exist yet: creation races too */
        if ((pids[i] = fork()) == 0)
            writer(path, (unsigned)i * 100, 15);
    for (i = 0; i < 6; i++) {
        waitpid(pids[i], &status, 0);
        ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    assert_int_equal(ok, 6);
    assert_int_equal(check_db(path), 6 * 15);
    test_rmtree(dir);
}

/* A writer killed in the middle of a rollback-journal transaction (as when benchtrack is
 * killed while it creates a database and switches it to WAL) leaves a hot journal; a
 * read-only connection cannot roll it back ("attempt to write a readonly database"). Both
 * a reading and a writing open must recover it and see the committed runs. */
static void store__hot_journal_of_a_killed_writer_is_recovered(void **state)
{
    char *dir = test_tmpdir("hot"), path[4096], journal[4200], src[4096], *sql;
    const char *base = getenv("BTK_SOURCE_DIR");
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    size_t count = 0;
    sqlite3 *c = NULL;
    pid_t pid;
    unsigned m;

    (void)state;
    snprintf(path, sizeof(path), "%s/h.db", dir);
    snprintf(journal, sizeof(journal), "%s-journal", path);
    snprintf(src, sizeof(src), "%s/tests/data/db/v1.sql", base ? base : "..");
    assert_non_null(sql = test_read_file(src, NULL));
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK); /* v1, rollback journal, 2 runs */
    assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
    free(sql);
    if ((pid = fork()) == 0) { /* changes many pages, then dies before COMMIT */
        sqlite3_open(path, &c);
        sqlite3_exec(c, "PRAGMA cache_size=1; BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION "
                        "ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO machines "
                        "(fingerprint) SELECT hex(randomblob(64)) FROM n;", NULL, NULL, NULL);
        raise(SIGKILL);
    }
    waitpid(pid, NULL, 0);
    assert_int_equal(access(journal, F_OK), 0); /* hot */
    for (m = 0; m < 2; m++) {
        int rc = btk_store_open(&db, path, m ? 0 : BTK_STORE_READONLY);

        if (rc != 0)
            print_error("open: %s\n", btk_error_last()->message);
        assert_int_equal(rc, 0);
        assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
        assert_int_equal(count, 2);
        btk_run_rows_free(rows, count);
        btk_store_close(db);
    }
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store__concurrent_writers_all_succeed),
        cmocka_unit_test(store__sigkill_never_corrupts_or_loses_committed_runs),
        cmocka_unit_test(store__hot_journal_of_a_killed_writer_is_recovered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
