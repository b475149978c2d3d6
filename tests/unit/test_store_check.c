/* Tests of the checks that refuse what is not a benchtrack database (store_check.c): invalid
 * and newer schema versions, another program's database, benchtrack's tables with other
 * columns, a missing index, a trigger, truncated and garbage files, FIFOs, devices and
 * directories. Each is refused for reading and for writing with its message, and the file
 * is left byte for byte as it was, with nothing created beside it. */
#include "check.h"
#include "store.h"
#include "store_sqlite.h"

#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const unsigned modes[] = {0, BTK_STORE_READONLY};

static char *in_dir(const char *dir, const char *name)
{
    static char buf[4096];

    snprintf(buf, sizeof(buf), "%s/%s", dir, name);
    return buf;
}

/* Run sql on a new database at path through SQLite itself. */
static void make_db(const char *path, const char *sql)
{
    sqlite3 *c = NULL;

    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
}

/* A current benchtrack database at path (created by the store, then closed). */
static void make_current(const char *path)
{
    btk_store *db = NULL;

    assert_int_equal(btk_store_open(&db, path, 0), 0);
    btk_store_close(db);
}

/* Whether the file at path is in WAL mode (header bytes 18 and 19 are 2). */
static bool is_wal(const char *data, size_t len)
{
    return len >= 20 && data[18] == 2 && data[19] == 2;
}

/* Opening path, for reading and for writing, fails with code and a message holding want;
 * the file keeps its bytes and no companion file appears, except the empty -wal and the
 * -shm that any SQLite reader of a WAL-mode file creates (docs/database.md). */
static void assert_refused(const char *path, int code, const char *want)
{
    static const char *const companions[] = {"-wal", "-shm", "-journal", "-lock"};
    char other[4200];
    size_t len_before = 0, len_after = 0, i, m;
    char *before = test_read_file(path, &len_before), *after;
    bool had[4];
    btk_store *db = (btk_store *)1;

    for (i = 0; i < 4; i++) {
        snprintf(other, sizeof(other), "%s%s", path, companions[i]);
        had[i] = access(other, F_OK) == 0;
    }
    for (m = 0; m < 2; m++) {
        assert_int_equal(btk_store_open(&db, path, modes[m]), code);
        assert_null(db);
        if (strstr(btk_error_last()->message, want) == NULL)
            fail_msg("'%s': got '%s', want '%s'", path, btk_error_last()->message, want);
        assert_null(strchr(btk_error_last()->message, '\n'));
    }
    after = test_read_file(path, &len_after);
    assert_int_equal(len_before, len_after);
    assert_memory_equal(before, after, len_before);
    for (i = 0; i < 4; i++) {
        snprintf(other, sizeof(other), "%s%s", path, companions[i]);
        struct stat sb;

        if (had[i] || stat(other, &sb) != 0)
            continue;
        if (!is_wal(before, len_before) || i > 1 || (i == 0 && sb.st_size != 0))
            fail_msg("'%s' was created", other);
    }
    free(before);
    free(after);
}

static void store_check__invalid_versions_refused_untouched(void **state)
{
    static const int versions[] = {-100, -2, -1, INT_MIN};
    char *dir = test_tmpdir("version"), sql[128], want[128];
    size_t i;

    (void)state;
    for (i = 0; i < BTK_ARRAY_SIZE(versions); i++) {
        char *path = in_dir(dir, "v.db");
        unlink(path);
        snprintf(sql, sizeof(sql), "CREATE TABLE t(x); PRAGMA user_version=%d;", versions[i]);
        make_db(path, sql);
        snprintf(want, sizeof(want), "is not a benchtrack database: its schema version %d is "
                                     "invalid", versions[i]);
        assert_refused(path, BTK_EFORMAT, want);
    }
    unlink(in_dir(dir, "v.db"));
    make_db(in_dir(dir, "v.db"), "CREATE TABLE t(x); PRAGMA user_version=3;");
    assert_refused(in_dir(dir, "v.db"), BTK_ESCHEMA, "schema version 3, newer than this");
    test_rmtree(dir);
}

static void store_check__foreign_databases_refused_untouched(void **state)
{
    char *dir = test_tmpdir("foreign");

    (void)state;
    make_db(in_dir(dir, "f.db"), "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
                                 "INSERT INTO customers VALUES (1, 'Ada');");
    assert_refused(in_dir(dir, "f.db"), BTK_EFORMAT,
                   "is not a benchtrack database: it holds another program's 'customers'");
    /* only an index or a view is enough: version 0 must hold nothing */
    make_db(in_dir(dir, "v.db"), "CREATE VIEW answer AS SELECT 42;");
    assert_refused(in_dir(dir, "v.db"), BTK_EFORMAT, "another program's 'answer'");
    /* another program that happens to use user_version 1 */
    make_db(in_dir(dir, "one.db"), "CREATE TABLE customers(id); PRAGMA user_version=1;");
    assert_refused(in_dir(dir, "one.db"), BTK_EFORMAT,
                   "is not a benchtrack database of schema version 1: table 'benchmarks' "
                   "is missing");
    test_rmtree(dir);
}

/* A current database at name in dir, then sql run on it through SQLite. */
static char *altered(const char *dir, const char *name, const char *sql)
{
    char *path = in_dir(dir, name);
    sqlite3 *c = NULL;

    make_current(path);
    assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c); /* last connection: the WAL is merged into the file */
    return path;
}

static void store_check__other_columns_missing_index_and_triggers_refused(void **state)
{
    char *dir = test_tmpdir("columns");

    (void)state;
    assert_refused(altered(dir, "rename.db", "ALTER TABLE runs RENAME COLUMN branch TO b"),
                   BTK_EFORMAT, "of schema version 2: table 'runs' is not benchtrack's");
    assert_refused(altered(dir, "add.db", "ALTER TABLE samples ADD COLUMN extra TEXT"),
                   BTK_EFORMAT, "table 'samples' is not benchtrack's");
    assert_refused(altered(dir, "drop.db", "DROP TABLE counters"), BTK_EFORMAT,
                   "table 'counters' is missing");
    assert_refused(altered(dir, "view.db", "DROP TABLE counters; CREATE VIEW counters AS "
                                           "SELECT 1 AS result_id"),
                   BTK_EFORMAT, "table 'counters' is missing");
    assert_refused(altered(dir, "index.db", "DROP INDEX results_history"), BTK_EFORMAT,
                   "index 'results_history' is missing");
    assert_refused(altered(dir, "index2.db", "DROP INDEX runs_lookup; CREATE INDEX "
                                             "runs_lookup ON runs(id)"),
                   BTK_EFORMAT, "index 'runs_lookup' is not benchtrack's");
    assert_refused(altered(dir, "trigger.db", "CREATE TRIGGER wipe AFTER INSERT ON runs "
                                              "BEGIN DELETE FROM runs; END"),
                   BTK_EFORMAT, "it holds a trigger 'wipe', which benchtrack never creates");
    test_rmtree(dir);
}

static void write_bytes(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void store_check__truncated_and_garbage_files_refused_untouched(void **state)
{
    char *dir = test_tmpdir("garbage"), *good, *bytes;
    size_t len = 0;

    (void)state;
    good = test_read_file(altered(dir, "good.db", "VACUUM"), &len);
    assert_true(len > 4096);
    write_bytes(in_dir(dir, "trunc.db"), good, 3000);
    assert_refused(in_dir(dir, "trunc.db"), BTK_EFORMAT, "is not a valid benchtrack database");
    bytes = malloc(len);
    memcpy(bytes, good, 100); /* a valid header, then garbage */
    memset(bytes + 100, 0xA5, len - 100);
    write_bytes(in_dir(dir, "garbage.db"), bytes, len);
    assert_refused(in_dir(dir, "garbage.db"), BTK_EFORMAT, "is not a valid benchtrack database");
    write_bytes(in_dir(dir, "text.db"), "not a database\n", 15);
    assert_refused(in_dir(dir, "text.db"), BTK_EFORMAT, "is not a valid benchtrack database");
    free(bytes);
    free(good);
    test_rmtree(dir);
}

static void on_alarm(int sig)
{
    (void)sig;
    fail_msg("opening a FIFO blocked");
}

static void store_check__fifo_device_and_directory_refused(void **state)
{
    char *dir = test_tmpdir("kind");
    btk_store *db = NULL;
    size_t m;

    (void)state;
    signal(SIGALRM, on_alarm);
    alarm(30); /* a FIFO opened as a file blocks until a writer comes: fail, do not hang */
    assert_int_equal(mkfifo(in_dir(dir, "fifo"), 0600), 0);
    assert_int_equal(mkdir(in_dir(dir, "dir.db"), 0700), 0);
    for (m = 0; m < 2; m++) {
        assert_int_equal(btk_store_open(&db, in_dir(dir, "fifo"), modes[m]), BTK_EINVAL);
        assert_non_null(strstr(btk_error_last()->message, "fifo' is not a regular file"));
        assert_int_equal(btk_store_open(&db, "/dev/null", modes[m]), BTK_EINVAL);
        assert_non_null(strstr(btk_error_last()->message, "'/dev/null' is not a regular"));
        assert_int_equal(btk_store_open(&db, in_dir(dir, "dir.db"), modes[m]), BTK_EINVAL);
        assert_non_null(strstr(btk_error_last()->message, "dir.db' is a directory"));
    }
    /* a FIFO where SQLite would open the WAL */
    make_current(in_dir(dir, "c.db"));
    assert_int_equal(mkfifo(in_dir(dir, "c.db-wal"), 0600), 0);
    assert_int_equal(btk_store_open(&db, in_dir(dir, "c.db"), 0), BTK_EINVAL);
    assert_non_null(strstr(btk_error_last()->message, "companion file"));
    assert_non_null(strstr(btk_error_last()->message, "c.db-wal' is not a regular file"));
    alarm(0);
    assert_int_not_equal(access("/dev/null-journal", F_OK), 0);
    test_rmtree(dir);
}

static void store_check__user_tables_and_v1_are_accepted(void **state)
{
    char *dir = test_tmpdir("accept"), *sql, src[4096];
    const char *base = getenv("BTK_SOURCE_DIR");
    btk_store *db = NULL;
    size_t m;

    (void)state;
    altered(dir, "mine.db", "CREATE TABLE my_notes(run_id INTEGER, note TEXT);"
                            "CREATE VIEW my_runs AS SELECT id FROM runs;");
    snprintf(src, sizeof(src), "%s/tests/data/db/v1.sql", base ? base : "..");
    assert_non_null(sql = test_read_file(src, NULL));
    make_db(in_dir(dir, "v1.db"), sql);
    free(sql);
    for (m = 0; m < 2; m++) {
        assert_int_equal(btk_store_open(&db, in_dir(dir, "mine.db"), modes[m]), 0);
        btk_store_close(db);
    }
    assert_int_equal(btk_store_open(&db, in_dir(dir, "v1.db"), BTK_STORE_READONLY), 0);
    assert_int_equal(btk_sqlite__of(db)->version, 1);
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, in_dir(dir, "v1.db"), 0), 0);
    assert_int_equal(btk_sqlite__of(db)->version, BTK_STORE_SCHEMA_VERSION);
    btk_store_close(db);
    test_rmtree(dir);
}

/* A child process that makes dir read-only, the way a read-only file system does: a
 * read-only bind mount of dir onto itself in a private mount namespace (as root), else a
 * mode of 0555 (a normal user; root ignores modes). Then it opens path read-only and exits
 * 0 when the open gives want_code and, on success, the one stored run, or a message with
 * want_text on failure. Returns the child's exit status: 77 when dir could not be made
 * read-only. */
static int read_in_read_only_dir(const char *dir, const char *path, int want_code,
                                 const char *want_text)
{
    pid_t pid = fork();
    int status = -1;

    if (pid == 0) {
        btk_store *db = NULL;
        btk_run_row *rows = NULL;
        size_t count = 0;
        char probe[4200];
        int rc;

        snprintf(probe, sizeof(probe), "%s/probe", dir);
        /* the type is ignored here; "none" rather than NULL keeps valgrind quiet */
        if (unshare(CLONE_NEWNS) == 0 &&
            mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0 &&
            mount(dir, dir, "none", MS_BIND, NULL) == 0 &&
            mount("none", dir, "none", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0)
            print_message("read-only bind mount of %s\n", dir);
        else if (geteuid() != 0 && chmod(dir, 0555) == 0)
            print_message("no mount namespace: %s made mode 0555\n", dir);
        else
            _exit(77);
        if (access(probe, F_OK) == 0 || creat(probe, 0600) >= 0)
            _exit(78); /* still writable */
        rc = btk_store_open(&db, path, BTK_STORE_READONLY);
        if (rc != want_code) {
            fprintf(stderr, "open: %d, want %d: %s\n", rc, want_code, btk_error_last()->message);
            _exit(1);
        }
        if (rc != 0) {
            if (strstr(btk_error_last()->message, want_text) == NULL) {
                fprintf(stderr, "message: %s\n", btk_error_last()->message);
                _exit(2);
            }
            _exit(0);
        }
        rc = btk_store_list_runs(&rows, &count, db, 0);
        btk_run_rows_free(rows, count);
        btk_store_close(db);
        _exit(rc == 0 && count == 1 ? 0 : 3);
    }
    waitpid(pid, &status, 0);
    chmod(dir, 0700);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A database with one run written by a child that is killed after committing it, before
 * closing: its -wal keeps the run (not yet merged into the file). The parent kills it:
 * valgrind would count a store left open at _exit (or raise) as lost. */
static void write_unmerged(const char *path)
{
    int fds[2], status;
    pid_t pid;
    char c = 0;

    assert_int_equal(pipe(fds), 0);
    if ((pid = fork()) == 0) {
        btk_store *db = NULL;
        btk_run *run = NULL;

        close(fds[0]);
        if (btk_store_open(&db, path, 0) < 0 || btk_run_new(&run) < 0)
            _exit(1);
        run->machine.hostname = strdup("h");
        btk_machine_fingerprint(&run->machine);
        if (btk_store_add_run(db, run, NULL) < 0 || write(fds[1], "c", 1) != 1)
            _exit(1);
        pause();
        _exit(1);
    }
    close(fds[1]);
    assert_int_equal(read(fds[0], &c, 1), 1); /* committed */
    close(fds[0]);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void store_check__wal_database_in_read_only_directory_is_read(void **state)
{
    char *dir = test_tmpdir("rowal"), wal[4200], shm[4200];
    btk_store *db = NULL;
    btk_run *run = NULL;
    int status;

    (void)state;
    /* a WAL database, cleanly closed: no -wal, no -shm beside it */
    assert_int_equal(btk_store_open(&db, in_dir(dir, "r.db"), 0), 0);
    assert_int_equal(btk_run_new(&run), 0);
    run->machine.hostname = strdup("h");
    assert_int_equal(btk_machine_fingerprint(&run->machine), 0);
    assert_int_equal(btk_store_add_run(db, run, NULL), 0);
    btk_run_free(run);
    btk_store_close(db);
    snprintf(wal, sizeof(wal), "%s-wal", in_dir(dir, "r.db"));
    snprintf(shm, sizeof(shm), "%s-shm", in_dir(dir, "r.db"));
    assert_int_not_equal(access(wal, F_OK), 0);
    status = read_in_read_only_dir(dir, in_dir(dir, "r.db"), 0, NULL);
    if (status == 77) {
        print_message("cannot make a directory read-only here (no mount namespace, root)\n");
        test_rmtree(dir);
        skip();
    }
    assert_int_equal(status, 0);
    /* changes still in the -wal, and no -shm: said, not silently left out */
    write_unmerged(in_dir(dir, "u.db"));
    snprintf(wal, sizeof(wal), "%s-wal", in_dir(dir, "u.db"));
    snprintf(shm, sizeof(shm), "%s-shm", in_dir(dir, "u.db"));
    assert_int_equal(unlink(shm), 0);
    assert_int_equal(read_in_read_only_dir(dir, in_dir(dir, "u.db"), BTK_EIO,
                                           "its WAL holds changes and SQLite cannot create "
                                           "its '-shm' file"), 0);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_check__invalid_versions_refused_untouched),
        cmocka_unit_test(store_check__foreign_databases_refused_untouched),
        cmocka_unit_test(store_check__other_columns_missing_index_and_triggers_refused),
        cmocka_unit_test(store_check__truncated_and_garbage_files_refused_untouched),
        cmocka_unit_test(store_check__fifo_device_and_directory_refused),
        cmocka_unit_test(store_check__user_tables_and_v1_are_accepted),
        cmocka_unit_test(store_check__wal_database_in_read_only_directory_is_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
