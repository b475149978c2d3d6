/* Reliability of the PostgreSQL store against a real server (the cluster at $BTK_TEST_PG,
 * from ci/pg-cluster.sh; skipped, visibly, without it): many concurrent writers, writers
 * killed with SIGKILL at random moments, and a server stopped in the middle of a run (on a
 * private cluster of its own, so the other tests' server stays up). Every stored sample is
 * derived from its run's seed, so a run is checked against values computed here. */
#include "check.h"
#include "store.h"

#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCHES 20
#define SAMPLES 40

static const char *source_dir(void)
{
    return getenv("BTK_SOURCE_DIR") ? getenv("BTK_SOURCE_DIR") : "..";
}

/* bash tests/support/<script> a1 a2 (a2 may be NULL); its first output line into *line. */
static int support_script(char **line, const char *script, const char *a1, const char *a2)
{
    char path[4096], *out = NULL;
    char *argv[] = {"bash", path, (char *)a1, (char *)a2, NULL};
    int status;

    snprintf(path, sizeof(path), "%s/%s", source_dir(), script);
    status = test_run(argv, &out);
    if (line && out) {
        out[strcspn(out, "\n")] = '\0';
        *line = out;
    } else
        free(out);
    return status;
}

/* A new database of the test cluster, or skip. Caller frees. */
static char *new_db_or_skip(const char *prefix)
{
    const char *url = getenv("BTK_TEST_PG");
    char *loc = NULL;

    if (url == NULL || *url == '\0' || !btk_store_supports_server()) {
        print_message("skipped: BTK_TEST_PG is not set (ci/pg-cluster.sh start gives one), "
                      "or this build has no PostgreSQL backend\n");
        skip();
    }
    assert_int_equal(support_script(&loc, "tests/support/pg-newdb.sh", url, prefix), 0);
    return loc;
}

static btk_run *make_run(unsigned seed)
{
    btk_run *run = NULL;
    char name[64];

    assert_int_equal(btk_run_new(&run), 0);
    run->machine.hostname = strdup("stress");
    assert_int_equal(btk_machine_fingerprint(&run->machine), 0);
    snprintf(run->commit.sha, sizeof(run->commit.sha), "%040u", seed);
    run->results = calloc(BENCHES, sizeof(btk_result));
    run->result_count = BENCHES;
    for (size_t i = 0; i < BENCHES; i++) {
        btk_result *r = &run->results[i];

        snprintf(name, sizeof(name), "b%zu", i);
        r->name = strdup(name);
        btk_stats_init(&r->stats);
        r->stats.median = (double)seed + (double)i;
        r->cycles_median = NAN;
        btk_memory_init(&r->memory);
        r->proc_count = 1;
        r->procs = calloc(1, sizeof(btk_proc));
        r->procs[0].count = SAMPLES;
        r->procs[0].ns = calloc(SAMPLES, sizeof(double));
        r->procs[0].peak_rss_bytes = r->procs[0].minor_faults = -1;
        r->procs[0].major_faults = -1;
        for (size_t j = 0; j < SAMPLES; j++)
            r->procs[0].ns[j] = (double)seed + (double)j / 4.0;
    }
    return run;
}

/* Child: store count runs with seeds first.. (or until killed); after each commit, write
 * its seed to notify_fd when >= 0. Exit 0 when all were stored. */
static void writer(const char *loc, unsigned first, unsigned count, int notify_fd)
{
    btk_store *db = NULL;

    if (btk_store_open(&db, loc, 0) < 0) {
        fprintf(stderr, "writer: %s\n", btk_error_last()->message);
        _exit(1);
    }
    for (unsigned i = 0; i < count; i++) {
        btk_run *run = make_run(first + i);
        unsigned seed = first + i;
        int error = btk_store_add_run(db, run, NULL);

        btk_run_free(run);
        if (error < 0) {
            fprintf(stderr, "writer: %s\n", btk_error_last()->message);
            _exit(1);
        }
        if (notify_fd >= 0 && write(notify_fd, &seed, sizeof(seed)) != sizeof(seed))
            _exit(1);
    }
    btk_store_close(db);
    _exit(0);
}

/* Every stored run complete and equal to the run its seed makes; the seeds into seen
 * (indexed by seed, sized max_seed); returns the number of runs. */
static size_t check_runs(const char *loc, bool *seen, unsigned max_seed)
{
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    size_t count = 0;

    assert_int_equal(btk_store_open(&db, loc, BTK_STORE_READONLY), 0);
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
    for (size_t k = 0; k < count; k++) {
        btk_run *run = NULL;
        unsigned seed = (unsigned)strtoul(rows[k].sha, NULL, 10);

        assert_int_equal(rows[k].benchmarks, BENCHES);
        assert_true(seed < max_seed);
        assert_false(seen[seed]); /* stored once */
        seen[seed] = true;
        assert_int_equal(btk_store_load_run(&run, db, rows[k].id, true), 0);
        assert_int_equal(run->result_count, BENCHES);
        for (size_t i = 0; i < BENCHES; i++) {
            const btk_result *r = &run->results[i];

            check_near(r->stats.median, (double)seed + (double)i, 0);
            assert_int_equal(r->proc_count, 1);
            assert_int_equal(r->procs[0].count, SAMPLES);
            check_near(r->procs[0].ns[SAMPLES - 1], (double)seed + (SAMPLES - 1) / 4.0, 0);
        }
        btk_run_free(run);
    }
    btk_run_rows_free(rows, count);
    btk_store_close(db);
    return count;
}

/* 16 writers x 50 runs at once: all 800 stored, each once and whole. */
static void pg_stress__concurrent_writers_all_land(void **state)
{
    enum { WRITERS = 16, RUNS = 50 };
    char *loc = new_db_or_skip("stress_concurrent");
    bool *seen = calloc(WRITERS * RUNS, sizeof(bool));
    pid_t pids[WRITERS];
    int status;

    (void)state;
    for (int w = 0; w < WRITERS; w++) {
        if ((pids[w] = fork()) == 0)
            writer(loc, (unsigned)(w * RUNS), RUNS, -1);
        assert_true(pids[w] > 0);
    }
    for (int w = 0; w < WRITERS; w++) {
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    assert_int_equal(check_runs(loc, seen, WRITERS * RUNS), WRITERS * RUNS);
    free(seen);
    free(loc);
}

/* 20 writers, each SIGKILLed at a random moment: every run a writer saw committed is there
 * and whole, and nothing partial is stored. */
static void pg_stress__killed_writers_leave_nothing_partial(void **state)
{
    enum { WRITERS = 20, RUNS = 1000 };
    char *loc = new_db_or_skip("stress_killed");
    bool *seen = calloc(WRITERS * RUNS, sizeof(bool));
    bool *committed = calloc(WRITERS * RUNS, sizeof(bool));
    pid_t pids[WRITERS];
    int fds[WRITERS][2], status;
    size_t stored, reported = 0;
    unsigned seed;

    (void)state;
    srand((unsigned)time(NULL));
    for (int w = 0; w < WRITERS; w++) {
        assert_int_equal(pipe(fds[w]), 0);
        if ((pids[w] = fork()) == 0) {
            close(fds[w][0]);
            writer(loc, (unsigned)(w * RUNS), RUNS, fds[w][1]);
        }
        assert_true(pids[w] > 0);
        close(fds[w][1]);
    }
    for (int w = 0; w < WRITERS; w++) { /* 10..150 ms apart, mostly in the middle of a run */
        usleep((useconds_t)(10000 + rand() % 140000));
        kill(pids[w], SIGKILL);
    }
    for (int w = 0; w < WRITERS; w++) {
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
        while (read(fds[w][0], &seed, sizeof(seed)) == sizeof(seed)) {
            assert_true(seed < WRITERS * RUNS);
            committed[seed] = true;
            reported++;
        }
        close(fds[w][0]);
    }
    sleep(1); /* the server notices the killed connections and rolls them back */
    stored = check_runs(loc, seen, WRITERS * RUNS);
    for (unsigned s = 0; s < WRITERS * RUNS; s++)
        if (committed[s])
            assert_true(seen[s]);
    /* a run may be committed without its writer living to report it: at most one each */
    assert_true(stored >= reported && stored <= reported + WRITERS);
    print_message("killed writers: %zu runs reported committed, %zu stored\n", reported,
                  stored);
    free(seen);
    free(committed);
    free(loc);
}

/* Start `benchtrack import FILE --db LOC` with stdout+stderr into out_path. */
static pid_t start_import(const char *file, const char *loc, const char *out_path)
{
    char bt[4096];
    pid_t pid;

    snprintf(bt, sizeof(bt), "%s/benchtrack",
             getenv("BTK_BUILD_DIR") ? getenv("BTK_BUILD_DIR") : ".");
    if ((pid = fork()) == 0) {
        FILE *f = freopen(out_path, "w", stdout);

        if (f == NULL || dup2(fileno(stdout), 2) < 0)
            _exit(99);
        execl(bt, bt, "import", file, "--db", loc, "--commit",
              "0123456789012345678901234567890123456789", "--allow-unknown-commit",
              (char *)NULL);
        _exit(98);
    }
    return pid;
}

/* The private cluster of the test below, stopped by its teardown also when an assertion
 * ends the test early (else a failed run would leave a server behind). */
static char *private_dir;

static int stop_private_cluster(void **state)
{
    (void)state;
    if (private_dir != NULL)
        support_script(NULL, "ci/pg-cluster.sh", "stop", private_dir);
    free(private_dir);
    private_dir = NULL;
    return 0;
}

/* The server stopped while `benchtrack import` stores a run: exit 3 with one line saying
 * the connection was lost, and after a restart no trace of the run. */
static void pg_stress__server_stopped_mid_run_exits_3_nothing_partial(void **state)
{
    char *cluster = NULL, *dir = NULL, *out = NULL, *text;
    char tmp_json[4200], tmp_out[4200], gen[4200], bigdb[4200];
    char *tmp = NULL;
    char *gen_argv[] = {"python3", gen, "--seed", "3", "--benchmarks", "1500", "--out",
                        tmp_json, NULL};
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    size_t count = 9;
    int status, active = 0;
    pid_t pid;

    (void)state;
    free(new_db_or_skip("stress_probe")); /* skips without a server */
    tmp = test_tmpdir("pgstop"); /* after the skip: a skipped test leaves no folder */
    snprintf(gen, sizeof(gen), "%s/tests/fixtures/compare/make_results.py", source_dir());
    snprintf(tmp_json, sizeof(tmp_json), "%s/big.json", tmp);
    snprintf(tmp_out, sizeof(tmp_out), "%s/import.out", tmp);
    assert_int_equal(test_run(gen_argv, &out), 0);
    free(out);
    /* a private cluster: "start" prints its URL, then its folder */
    {
        char path[4096], *lines = NULL;
        char *argv[] = {"bash", path, "start", NULL};

        snprintf(path, sizeof(path), "%s/ci/pg-cluster.sh", source_dir());
        assert_int_equal(test_run(argv, &lines), 0);
        cluster = strdup(strtok(lines, "\n"));
        dir = strdup(strtok(NULL, "\n"));
        free(lines);
        private_dir = strdup(dir);
    }
    snprintf(bigdb, sizeof(bigdb), "%s", cluster);
    /* the schema first, so that the one transaction the import opens is its run's. The
     * cluster has just started: a failed first connection is printed (one CI run failed
     * here with BTK_EIO and no message) and tried again, at most 5 times a second apart. */
    for (int attempt = 0;; attempt++) {
        int error = btk_store_open(&db, cluster, 0);

        if (error == 0)
            break;
        fprintf(stderr, "private cluster, attempt %d: %s\n", attempt + 1,
                btk_error_last()->message);
        assert_true(attempt < 4);
        sleep(1);
    }
    btk_store_close(db);
    pid = start_import(tmp_json, bigdb, tmp_out);
    /* wait until the import holds an open transaction (the query divides by their count,
     * so it fails while there is none), then stop the server at once */
    for (int i = 0; i < 3000 && !active; i++) {
        char *n = NULL;

        if (support_script(&n, "tests/support/pg-sql.sh", cluster,
                           "SELECT 1/(count(*)::int) FROM pg_stat_activity WHERE xact_start "
                           "IS NOT NULL AND pid <> pg_backend_pid() AND datname = "
                           "current_database()") == 0)
            active = 1;
        free(n);
        if (!active)
            usleep(5000);
    }
    assert_true(active);
    assert_int_equal(support_script(NULL, "ci/pg-cluster.sh", "halt", dir), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    text = test_read_file(tmp_out, NULL);
    print_message("import said: %s", text ? text : "(nothing)\n");
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);
    assert_non_null(strstr(text, "benchtrack: lost the connection to results database"));
    /* said once, on one line */
    assert_null(strstr(strstr(text, "lost the connection") + 1, "lost the connection"));
    free(text);
    assert_int_equal(support_script(NULL, "ci/pg-cluster.sh", "resume", dir), 0);
    assert_int_equal(btk_store_open(&db, cluster, BTK_STORE_READONLY), 0);
    assert_int_equal(btk_store_list_runs(&rows, &count, db, 0), 0);
    assert_int_equal(count, 0);
    btk_run_rows_free(rows, count);
    btk_store_close(db);
    stop_private_cluster(NULL);
    free(cluster);
    free(dir);
    test_rmtree(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pg_stress__concurrent_writers_all_land),
        cmocka_unit_test(pg_stress__killed_writers_leave_nothing_partial),
        cmocka_unit_test_teardown(pg_stress__server_stopped_mid_run_exits_3_nothing_partial,
                                  stop_private_cluster),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
