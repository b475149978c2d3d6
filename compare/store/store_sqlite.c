/*
 * The SQLite backend of the results database: opening (read-only version check first, so a newer database is
 * never modified), WAL, the migration list, transactions with a bounded busy wait, and the
 * translation of SQLite errors. Schema and columns: docs/database.md.
 */
#include "store.h"

#include "store_sqlite.h"

#include <ctype.h>
#include <math.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* migrations[v] takes a database from user_version v to v + 1. Never edit a published
 * entry: add the next one at the end. */
static const char *const migrations[] = {
    /* v0 -> v1 */
    "CREATE TABLE machines ("
    " id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE, hostname TEXT, arch TEXT,"
    " cpu_model TEXT, cpus INTEGER);"
    "CREATE TABLE commits ("
    " sha TEXT PRIMARY KEY, known INTEGER NOT NULL, time INTEGER, author TEXT,"
    " subject TEXT, parents TEXT) WITHOUT ROWID;"
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY, commit_sha TEXT REFERENCES commits(sha), branch TEXT,"
    " dirty INTEGER NOT NULL, machine_id INTEGER NOT NULL REFERENCES machines(id),"
    " format TEXT NOT NULL, date TEXT, stored_at INTEGER NOT NULL, executable TEXT,"
    " compiler TEXT, flags TEXT, os TEXT, kernel TEXT, timer_source TEXT, timer_hz REAL,"
    " hypervisor INTEGER NOT NULL, context_json TEXT, options_json TEXT);"
    "CREATE INDEX runs_by_commit ON runs(commit_sha, machine_id);"
    "CREATE TABLE run_warnings ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " text TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE benchmarks ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, family TEXT,"
    " has_param INTEGER NOT NULL, param INTEGER);"
    "CREATE TABLE results ("
    " id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id), seq INTEGER NOT NULL,"
    " status INTEGER NOT NULL, error_kind TEXT, error_message TEXT, stop_reason TEXT,"
    " min REAL, max REAL, mean REAL, median REAL, stddev REAL, mad REAL, p50 REAL,"
    " p90 REAL, p95 REAL, p99 REAL, p999 REAL, ci_low REAL, ci_high REAL,"
    " samples INTEGER NOT NULL, iterations INTEGER NOT NULL, outliers_low INTEGER NOT NULL,"
    " outliers_high INTEGER NOT NULL, cycles_median REAL, mem_tracked INTEGER NOT NULL,"
    " allocs_per_iter REAL, frees_per_iter REAL, alloc_bytes_per_iter REAL,"
    " peak_rss_bytes INTEGER, minor_faults INTEGER, major_faults INTEGER,"
    " bytes_per_iter REAL, items_per_iter REAL, UNIQUE (run_id, benchmark_id));"
    "CREATE INDEX results_by_benchmark ON results(benchmark_id, run_id);"
    "CREATE TABLE counters ("
    " result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    " kind INTEGER NOT NULL, name TEXT NOT NULL, value REAL,"
    " PRIMARY KEY (result_id, kind, name)) WITHOUT ROWID;"
    "CREATE TABLE samples ("
    " result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, proc_index INTEGER NOT NULL, count INTEGER NOT NULL,"
    " ns BLOB NOT NULL, batch BLOB, peak_rss_bytes INTEGER, minor_faults INTEGER,"
    " major_faults INTEGER, PRIMARY KEY (result_id, seq));",
    /* v1 -> v2: a benchmark's history reads only indexes. results_history holds every
     * column the history query takes from results, so the rows of one benchmark are
     * read contiguously instead of one table page each; runs_lookup gives a run's machine
     * and commit without reading its (large) row. results_by_benchmark is a prefix of
     * results_history and goes. */
    "CREATE INDEX results_history ON results(benchmark_id, run_id, status, min, max, mean,"
    " median, stddev, mad, p50, p90, p95, p99, p999, ci_low, ci_high, samples, iterations,"
    " outliers_low, outliers_high, cycles_median, mem_tracked, allocs_per_iter,"
    " frees_per_iter, alloc_bytes_per_iter, peak_rss_bytes, minor_faults, major_faults);"
    "DROP INDEX results_by_benchmark;"
    "CREATE INDEX runs_lookup ON runs(id, machine_id, commit_sha);",
    /* v2 -> v3: machines are hardware classes or named classes (--machine NAME), no
     * longer hosts; a run keeps its own host name. After this SQL, store_sqlite_rekey.c
     * re-keys the machine rows to the new fingerprints (same transaction). */
    "ALTER TABLE runs ADD COLUMN hostname TEXT;"
    "ALTER TABLE machines ADD COLUMN name TEXT;"
    "UPDATE runs SET hostname = (SELECT m.hostname FROM machines m"
    " WHERE m.id = runs.machine_id);",
    /* v3 -> v4: acknowledged regressions (benchtrack regressions ack): a commit, a glob
     * of benchmark names and the user's note. */
    "CREATE TABLE acks ("
    " id INTEGER PRIMARY KEY, commit_sha TEXT NOT NULL, bench_glob TEXT NOT NULL,"
    " note TEXT NOT NULL, created INTEGER NOT NULL, UNIQUE (commit_sha, bench_glob));",
    /* v4 -> v5: counts and CPU time (docs/database.md, "Counting runs and CPU time"). New
     * tables, so the rows and indexes of v4 are untouched: run_counts has a row only for a
     * counting run (no row: a time run), result_metrics only for a result with a count
     * or CPU statistics, cpu_samples only for a process with CPU samples. */
    "CREATE TABLE run_counts ("
    " run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,"
    " measure TEXT NOT NULL, identity TEXT);"
    "CREATE TABLE result_metrics ("
    " result_id INTEGER PRIMARY KEY REFERENCES results(id) ON DELETE CASCADE,"
    " count_repeat INTEGER NOT NULL, spread_min REAL, spread_max REAL, cpu_min REAL,"
    " cpu_max REAL, cpu_mean REAL, cpu_median REAL, cpu_ci_low REAL, cpu_ci_high REAL);"
    "CREATE TABLE cpu_samples ("
    " result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, cpu_ns BLOB NOT NULL, PRIMARY KEY (result_id, seq)) WITHOUT ROWID;",
    /* v5 -> v6: every run gets a uid, its identity in every store it is copied to
     * (benchtrack push); the runs already there get theirs from their content, in C
     * (fill_content_uids) after this SQL. */
    "ALTER TABLE runs ADD COLUMN uid TEXT;"
    "CREATE UNIQUE INDEX runs_by_uid ON runs(uid);",
    /* v6 -> v7: a result's stored p50..p999 are percentiles of single calls (per-call
     * mode, "percentiles": "calls") when call_percentiles is 1; the results already
     * there were stored without it and read as batch percentiles (0). */
    "ALTER TABLE results ADD COLUMN call_percentiles INTEGER NOT NULL DEFAULT 0;",
    /* v7 -> v8: the cycles metric (docs/database.md, "Core clock and cycles"): the core
     * clock in GHz next to each sample (clock_samples: a row only for a process with a
     * clock, a blob parallel to its samples) and a result's core-cycle statistics
     * (result_metrics.core_*, NULL when unknown; a row now also for a result with them).
     * The rows already there have no clock: their cycles are unknown. */
    "ALTER TABLE result_metrics ADD COLUMN core_min REAL;"
    "ALTER TABLE result_metrics ADD COLUMN core_max REAL;"
    "ALTER TABLE result_metrics ADD COLUMN core_mean REAL;"
    "ALTER TABLE result_metrics ADD COLUMN core_median REAL;"
    "ALTER TABLE result_metrics ADD COLUMN core_ci_low REAL;"
    "ALTER TABLE result_metrics ADD COLUMN core_ci_high REAL;"
    "CREATE TABLE clock_samples ("
    " result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, clock BLOB NOT NULL, PRIMARY KEY (result_id, seq)) WITHOUT ROWID;",
    /* v8 -> v9: each process's shared-core reading (docs/database.md, "Shared core"): the
     * branch ratio it read (JSON branch_ratio, about 1 alone, 2 on a core shared with a
     * busy SMT sibling), NULL when unknown. The rows already there read as unknown, so
     * none of their processes is set aside. */
    "ALTER TABLE samples ADD COLUMN branch_ratio REAL;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == BTK_STORE_SCHEMA_VERSION,
               "one migration per schema version");

const char *btk_sqlite__migration(int from_version)
{
    BTK_ASSERT(from_version >= 0 && from_version < BTK_STORE_SCHEMA_VERSION);
    return migrations[from_version];
}

int btk_sqlite__busy_timeout_ms(void)
{
    const char *env = getenv("BENCHTRACK_BUSY_TIMEOUT_MS");
    char *end;
    long v;

    if (env == NULL || *env == '\0')
        return 10000;
    v = strtol(env, &end, 10);
    return (*end || v < 1 || v > 600000) ? 10000 : (int)v;
}

int btk_sqlite__fail(btk_sqlite *db, const char *what)
{
    char path[200];
    int rc = db->conn ? sqlite3_errcode(db->conn) : SQLITE_CANTOPEN;
    const char *msg = db->conn ? sqlite3_errmsg(db->conn) : "out of memory";

    btk_error_quote(path, sizeof(path), db->path);
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
        return btk_error_set(BTK_EFORMAT, "results database '%s' is not a valid benchtrack "
                             "database: %s", path, msg);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return btk_error_set(BTK_EIO, "results database '%s' is locked by another process "
                             "(%s; waited up to %d ms)", path, what,
                             btk_sqlite__busy_timeout_ms());
    if (rc == SQLITE_NOMEM)
        return btk_error_set(BTK_ENOMEM, "out of memory in results database '%s'", path);
    return btk_error_set(BTK_EIO, "%s in results database '%s': %s", what, path, msg);
}

int btk_sqlite__prepare(btk_sqlite *db, const char *sql, sqlite3_stmt **out)
{
    if (sqlite3_prepare_v2(db->conn, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return btk_sqlite__fail(db, "cannot prepare a query");
    }
    return 0;
}

int btk_sqlite__exec(btk_sqlite *db, const char *sql)
{
    if (sqlite3_exec(db->conn, sql, NULL, NULL, NULL) != SQLITE_OK)
        return btk_sqlite__fail(db, "cannot update");
    return 0;
}

/* For the SQLITE_BUSY that SQLite returns without calling the busy handler (deadlock
 * avoidance; a journal-mode change while other connections hold locks): sleep a little
 * longer each time (1, 2, 4 ... 50 ms, jittered) and say whether to try again, until the
 * busy timeout has passed since started. */
static bool busy_retry(unsigned *attempt, double started)
{
    unsigned shift = *attempt < 6 ? *attempt : 6;
    long us = (1000L << shift) + (long)(rand() % 1000);

    (*attempt)++;
    if (btk__monotonic_ms() - started >= btk_sqlite__busy_timeout_ms())
        return false;
    if (us > 50000)
        us = 50000;
    usleep((useconds_t)us);
    return true;
}

int btk_sqlite__begin(btk_sqlite *db)
{
    double started = btk__monotonic_ms();
    unsigned attempt = 0;
    int rc;

    /* The busy handler waits inside each attempt; a BEGIN that still finds the database
     * busy is retried with a back-off until the busy timeout. */
    while ((rc = sqlite3_exec(db->conn, "BEGIN IMMEDIATE", NULL, NULL, NULL)) == SQLITE_BUSY &&
           busy_retry(&attempt, started))
        ;
    return rc == SQLITE_OK ? 0 : btk_sqlite__fail(db, "cannot start a transaction");
}

int btk_sqlite__commit(btk_sqlite *db)
{
    if (sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int error = btk_sqlite__fail(db, "cannot commit");
        btk_sqlite__rollback(db);
        return error;
    }
    return 0;
}

void btk_sqlite__rollback(btk_sqlite *db)
{
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

/* Read PRAGMA user_version (also proves the file is a database). */
static int read_version(btk_sqlite *db, int *out)
{
    sqlite3_stmt *st = NULL;
    int error = btk_sqlite__prepare(db, "PRAGMA user_version", &st);

    if (error == 0 && sqlite3_step(st) != SQLITE_ROW)
        error = btk_sqlite__fail(db, "cannot read the schema version");
    else if (error == 0)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return error;
}

/* Open db->conn on name (the path, or a "file:" URI) with the hardening that SQLite
 * advises for database files from elsewhere (sqlite.org/security.html): defensive mode,
 * and no functions with side effects run from the file's own schema. */
static int connect(btk_sqlite *db, const char *name, int sqlite_flags)
{
    if (sqlite3_open_v2(name, &db->conn, sqlite_flags | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        int error = btk_sqlite__fail(db, "cannot open");
        sqlite3_close(db->conn);
        db->conn = NULL;
        return error;
    }
    sqlite3_busy_timeout(db->conn, btk_sqlite__busy_timeout_ms());
    sqlite3_extended_result_codes(db->conn, 0);
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    return btk_sqlite__exec(db, "PRAGMA cell_size_check=ON");
}

static void disconnect(btk_sqlite *db)
{
    sqlite3_close(db->conn);
    db->conn = NULL;
}

/* "file:" URI of path with "?immutable=1", every byte outside [A-Za-z0-9/._~-]
 * percent-encoded (a path may hold '?', '#' or '%'). Caller frees with btk__free. */
static char *immutable_uri(const char *path)
{
    btk_buf uri = BTK_BUF_INIT;
    int error = btk_buf_puts(&uri, path[0] == '/' ? "file://" : "file:");
    const unsigned char *p;

    for (p = (const unsigned char *)path; *p && error == 0; p++)
        error = (isalnum(*p) || strchr("/._~-", *p)) ? btk_buf_put(&uri, (const char *)p, 1)
                                                      : btk_buf_printf(&uri, "%%%02X", *p);
    if (error == 0)
        error = btk_buf_puts(&uri, "?immutable=1");
    if (error < 0) {
        btk_buf_free(&uri);
        return NULL;
    }
    return btk_buf_detach(&uri);
}

/* SQLite reads a WAL database through its "-shm" index, which it must create beside the
 * file when absent; on a read-only file system or in a directory we may not write it
 * cannot, and answers "unable to open database file". No writer can then work on the
 * database either (it needs the same file), so it is read as immutable (no locks, no
 * "-shm"), unless a "-wal" with changes not yet in the file exists: immutable would not
 * see them, and that is said instead. */
static int read_immutable(btk_sqlite *db, int *version)
{
    char wal[4200], path[200];
    struct stat sb;
    char *uri;
    int error;

    snprintf(wal, sizeof(wal), "%s-wal", db->path);
    if (stat(wal, &sb) == 0 && sb.st_size > 0)
        return btk_error_set(BTK_EIO, "cannot read results database '%s': its WAL holds "
                             "changes and SQLite cannot create its '-shm' file beside it "
                             "(read-only directory or file system); open it once where it "
                             "is writable", btk_error_quote(path, sizeof(path), db->path));
    if ((uri = immutable_uri(db->path)) == NULL)
        return BTK_ENOMEM;
    btk_error_clear();
    error = connect(db, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    btk__free(uri);
    return error < 0 ? error : read_version(db, version);
}

/* A writer killed in the middle of a rollback-journal transaction (benchtrack's switch of
 * a new database to WAL is one) leaves a hot journal, which only a connection that may
 * write can roll back: a read-only one answers "attempt to write a readonly database". Such a file is read
 * through a read-write connection, on which SQLite recovers it first, as any writer would
 * (the store stays read-only for a read-only open: add_run refuses). */
static int read_recovering(btk_sqlite *db, int *version)
{
    char path[200];
    int error;

    btk_error_clear();
    if ((error = connect(db, db->path, SQLITE_OPEN_READWRITE)) < 0 ||
        (error = read_version(db, version)) == 0)
        return error;
    if (sqlite3_errcode(db->conn) != SQLITE_READONLY && sqlite3_errcode(db->conn) != SQLITE_CANTOPEN)
        return error;
    return btk_error_set(BTK_EIO, "cannot read results database '%s': a writer stopped in the "
                         "middle of a transaction and recovering it needs write access",
                         btk_error_quote(path, sizeof(path), db->path));
}

/* Open db->conn read-only and check the file is a benchtrack database of a version this
 * build reads: its version into *version_out (0 for an empty database). */
static int connect_reading(btk_sqlite *db, int *version_out)
{
    int error;

    if ((error = connect(db, db->path, SQLITE_OPEN_READONLY)) < 0)
        return error;
    if ((error = read_version(db, version_out)) < 0 &&
        sqlite3_errcode(db->conn) == SQLITE_CANTOPEN) {
        disconnect(db);
        error = read_immutable(db, version_out);
    } else if (error < 0 && sqlite3_errcode(db->conn) == SQLITE_READONLY) {
        disconnect(db);
        error = read_recovering(db, version_out);
    }
    if (error == 0 && (error = btk_sqlite__check_version(db, *version_out)) == 0)
        error = btk_sqlite__check_schema(db, *version_out);
    return error;
}

/* Before any write to an existing non-empty file: read it and refuse what is not a
 * benchtrack database this build can migrate. */
static int precheck(btk_sqlite *db)
{
    int version = 0, error = connect_reading(db, &version);

    disconnect(db);
    return error;
}

/* Switch to WAL. While another process creates the database, the change finds it locked
 * and SQLite answers BUSY at once (or reports the old mode): retried with a back-off. */
static int set_wal(btk_sqlite *db)
{
    double started = btk__monotonic_ms();
    unsigned attempt = 0;
    sqlite3_stmt *st = NULL;
    int error, rc;

    do {
        bool wal;

        if ((error = btk_sqlite__prepare(db, "PRAGMA journal_mode=WAL", &st)) < 0)
            return error;
        rc = sqlite3_step(st);
        wal = rc == SQLITE_ROW && sqlite3_column_text(st, 0) &&
              !sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal");
        rc = sqlite3_finalize(st);
        if (wal)
            return 0;
        if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
    } while (busy_retry(&attempt, started));
    if (rc == SQLITE_OK) /* still not WAL, without an error to name */
        return btk_error_set(BTK_EIO, "results database '%s' could not switch to WAL "
                             "(locked by another process; waited up to %d ms)",
                             db->path, btk_sqlite__busy_timeout_ms());
    return btk_sqlite__fail(db, "cannot switch to WAL");
}

/* v4: the runs stored before uids existed get one from their content
 * (btk_sqlite__content_uid). */
static int fill_content_uids(btk_sqlite *db)
{
    sqlite3_stmt *ids = NULL, *set = NULL;
    char uid[BTK_STORE_UID_LEN + 1];
    int rc = SQLITE_DONE, error;

    if ((error = btk_sqlite__prepare(db, "SELECT id FROM runs WHERE uid IS NULL", &ids)) < 0 ||
        (error = btk_sqlite__prepare(db, "UPDATE runs SET uid = ? WHERE id = ?", &set)) < 0)
        goto done;
    while (error == 0 && (rc = sqlite3_step(ids)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(ids, 0);

        if ((error = btk_sqlite__content_uid(uid, db, id)) < 0)
            break;
        sqlite3_bind_text(set, 1, uid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(set, 2, id);
        if (sqlite3_step(set) != SQLITE_DONE)
            error = btk_sqlite__fail(db, "cannot give old runs their uid");
        sqlite3_reset(set);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot give old runs their uid");
done:
    sqlite3_finalize(ids);
    sqlite3_finalize(set);
    return error;
}

/* Apply the migrations from the stored version to ours, in one transaction. */
static int migrate(btk_sqlite *db)
{
    char sql[64];
    int version = 0, error;

    if ((error = read_version(db, &version)) < 0 ||
        (error = btk_sqlite__check_version(db, version)) < 0 || version == BTK_STORE_SCHEMA_VERSION)
        return error;
    if ((error = set_wal(db)) < 0 || (error = btk_sqlite__begin(db)) < 0)
        return error;
    /* Read again under the write lock: another process may have migrated meanwhile. */
    if ((error = read_version(db, &version)) < 0 || (error = btk_sqlite__check_version(db, version)) < 0)
        goto fail;
    for (; version < BTK_STORE_SCHEMA_VERSION; version++)
        if ((error = btk_sqlite__exec(db, migrations[version])) < 0 ||
            (version == 2 && (error = btk_sqlite__rekey_machines(db)) < 0) ||
            (version == BTK_STORE_UID_VERSION - 1 && (error = fill_content_uids(db)) < 0))
            goto fail;
    snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", BTK_STORE_SCHEMA_VERSION);
    if ((error = btk_sqlite__exec(db, sql)) < 0)
        goto fail;
    return btk_sqlite__commit(db);
fail:
    btk_sqlite__rollback(db);
    return error;
}


/* Creation and migration are serialized between processes by an flock on "<path>-lock"
 * (a separate file: a second descriptor on the database itself would drop SQLite's POSIX
 * locks when closed). Without it, processes that create one database at once make SQLite
 * answer BUSY to each other's switch to WAL without waiting, and under load some give up.
 * Taken only when the database needs creating or migrating; bounded by the busy timeout.
 * *fd_out is -1 when no lock is held (the lock file could not be made: go on without). */
static int lock_for_migration(btk_sqlite *db, int *fd_out)
{
    char lock_path[4200], quoted[200];
    double started = btk__monotonic_ms();
    unsigned attempt = 0;
    int fd;

    *fd_out = -1;
    snprintf(lock_path, sizeof(lock_path), "%s-lock", db->path);
    if ((fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
        return 0;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR)
            break; /* locks unsupported here: go on without */
        if (!busy_retry(&attempt, started)) {
            close(fd);
            return btk_error_set(BTK_EIO, "results database '%s' is locked by another process "
                                 "(creating or migrating it; waited up to %d ms)",
                                 btk_error_quote(quoted, sizeof(quoted), db->path),
                                 btk_sqlite__busy_timeout_ms());
        }
    }
    *fd_out = fd;
    return 0;
}

static int open_readonly(btk_sqlite *db, long long size)
{
    char path[200];
    int version = 0, error;

    btk_error_quote(path, sizeof(path), db->path);
    if (size < 0)
        return btk_error_set(BTK_ENOTFOUND, "no results database at '%s'", path);
    if ((error = connect_reading(db, &version)) < 0)
        return error;
    if (version < BTK_STORE_MIN_READABLE_VERSION)
        return btk_error_set(BTK_EFORMAT, "results database '%s' is empty or has the old "
                             "schema version %d (a writing command migrates it)", path,
                             version);
    db->version = version; /* older versions are read as they are, without migrating */
    return btk_sqlite__exec(db, "PRAGMA foreign_keys=ON");
}

static int open_checked(btk_sqlite *db)
{
    char path[200];
    long long size;
    int version = 0, error;

    if ((error = btk_sqlite__check_path(db, &size)) < 0)
        return error;
    if (db->readonly)
        return open_readonly(db, size);
    if (size > 0 && (error = precheck(db)) < 0)
        return error;
    if ((error = connect(db, db->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) < 0)
        return error;
    if (sqlite3_db_readonly(db->conn, "main") == 1)
        return btk_error_set(BTK_EIO, "results database '%s' is read-only",
                             btk_error_quote(path, sizeof(path), db->path));
    if ((error = btk_sqlite__exec(db, "PRAGMA foreign_keys=ON")) < 0 ||
        (error = read_version(db, &version)) < 0)
        return error;
    if (version != BTK_STORE_SCHEMA_VERSION) {
        int lock_fd;

        if ((error = lock_for_migration(db, &lock_fd)) < 0)
            return error;
        error = migrate(db);
        if (lock_fd >= 0)
            close(lock_fd); /* releases the flock */
        if (error < 0)
            return error;
    }
    db->version = BTK_STORE_SCHEMA_VERSION;
    /* WAL with synchronous=NORMAL: a killed process never loses a committed run; only a
     * power cut can drop the last transactions (docs/database.md). */
    return btk_sqlite__exec(db, "PRAGMA synchronous=NORMAL");
}

static void sqlite_close(btk_store *store)
{
    btk_sqlite *db = btk_sqlite__of(store);

    if (db == NULL)
        return;
    sqlite3_close(db->conn);
    btk__free(db->path);
    btk__free(db);
}

static const btk_store_backend sqlite_backend = {
    "sqlite",
    sqlite_close,
    btk_sqlite__add_run,
    btk_sqlite__run_uid,
    btk_sqlite__find_uid,
    btk_sqlite__load_run,
    btk_sqlite__runs_for_commit,
    btk_sqlite__list_runs,
    btk_sqlite__history,
    btk_sqlite__machines,
    btk_sqlite__benchmark_names,
    btk_sqlite__machine_info,
    btk_sqlite__machine_has_host,
    btk_sqlite__add_ack,
    btk_sqlite__list_acks,
    btk_sqlite__remove_ack,
};

int btk_store__open_file(btk_store **out, const char *path, unsigned flags)
{
    btk_sqlite *db;
    int error;

    *out = NULL;
    if ((db = btk__calloc(1, sizeof(*db))) == NULL)
        return BTK_ENOMEM;
    db->base.backend = &sqlite_backend;
    db->readonly = (flags & BTK_STORE_READONLY) != 0;
    if ((db->path = btk__strdup(path)) == NULL) {
        btk__free(db);
        return BTK_ENOMEM;
    }
    if ((error = open_checked(db)) < 0) {
        sqlite_close(&db->base);
        return error;
    }
    *out = &db->base;
    return 0;
}

int btk_sqlite__integrity_check(btk_sqlite *db)
{
    sqlite3_stmt *st = NULL;
    char path[200], what[200];
    const char *text;
    int error;

    if ((error = btk_sqlite__prepare(db, "PRAGMA integrity_check", &st)) < 0)
        return error;
    if (sqlite3_step(st) != SQLITE_ROW)
        error = btk_sqlite__fail(db, "cannot check integrity");
    else if ((text = (const char *)sqlite3_column_text(st, 0)) == NULL || strcmp(text, "ok"))
        error = btk_error_set(BTK_EFORMAT, "results database '%s' fails its integrity "
                              "check: %s", btk_error_quote(path, sizeof(path), db->path),
                              btk_error_quote(what, sizeof(what), text ? text : "?"));
    sqlite3_finalize(st);
    return error;
}

double btk_sqlite__col_double(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

int64_t btk_sqlite__col_int(sqlite3_stmt *st, int col, int64_t if_null)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? if_null
                                                         : sqlite3_column_int64(st, col);
}

int btk_sqlite__col_text(char **out, sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    *out = NULL;
    if (s == NULL)
        return 0;
    *out = btk__strndup((const char *)s, (size_t)sqlite3_column_bytes(st, col));
    return *out ? 0 : BTK_ENOMEM;
}

int btk_sqlite__bind_double(sqlite3_stmt *st, int i, double v)
{
    return isfinite(v) ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

int btk_sqlite__bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

int btk_sqlite__bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
    return v >= 0 ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

/* Append sep (unless at the start), prefix and name to buf; a list that does not fit is a
 * programming error (asserted; without assertions the statement is cut and fails). */
static void put_listed(char *buf, size_t len, size_t *at, const char *sep, const char *prefix,
                       const char *name)
{
    int n = snprintf(buf + *at, len - *at, "%s%s%s", *at ? sep : "", prefix, name);

    BTK_ASSERT(n > 0 && (size_t)n < len - *at);
    if (n > 0 && (size_t)n < len - *at)
        *at += (size_t)n;
}

void btk_sqlite__stats_sql(char *out, size_t len, const char *sql_fmt, const char *prefix)
{
    char columns[512] = "", params[128] = "";
    size_t at = 0, pat = 0;
    int n;

    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->column == NULL)
            continue;
        put_listed(columns, sizeof(columns), &at, ", ", prefix, m->column);
        put_listed(params, sizeof(params), &pat, ",", "", "?");
    }
    n = snprintf(out, len, sql_fmt, columns, params);
    BTK_ASSERT(n > 0 && (size_t)n < len);
    BTK_UNUSED(n);
}

int btk_sqlite__stats_bind(sqlite3_stmt *st, int i, const btk_stats *s)
{
    for (size_t k = 0; k < BTK_STATS_METRIC_COUNT; k++) {
        const btk_stats_metric *m = btk_stats_metric_at(k);

        if (m->column == NULL)
            continue;
        if (m->unit == BTK_STATS_COUNT)
            sqlite3_bind_int64(st, i++, btk_stats_get_count(s, m));
        else
            btk_sqlite__bind_double(st, i++, btk_stats_get(s, m));
    }
    return i;
}

int btk_sqlite__stats_read(btk_stats *s, sqlite3_stmt *st, int col)
{
    btk_stats_init(s);
    for (size_t k = 0; k < BTK_STATS_METRIC_COUNT; k++) {
        const btk_stats_metric *m = btk_stats_metric_at(k);

        if (m->column == NULL)
            continue;
        if (m->unit == BTK_STATS_COUNT)
            *btk_stats_count_field(s, m) = btk_sqlite__col_int(st, col++, 0);
        else
            *btk_stats_real_field(s, m) = btk_sqlite__col_double(st, col++);
    }
    return col;
}

