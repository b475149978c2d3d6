/*
 * Internals of the SQLite backend, shared by store_sqlite.c (open, schema, migrations,
 * errors), store_sqlite_write.c (adding a run), store_sqlite_query.c (reading) and
 * store_sqlite_check.c (refusing foreign files). sqlite3.h is confined to these files.
 */
#ifndef BTK_STORE_SQLITE_H
#define BTK_STORE_SQLITE_H

#include "store_backend.h"

#include <sqlite3.h>

/* The oldest version a read-only open reads as it is (v2 only added indexes). */
#define BTK_STORE_MIN_READABLE_VERSION 1

/* An open SQLite store; base first, so the front's btk_store * is this. */
typedef struct btk_sqlite {
    btk_store base;
    sqlite3 *conn;
    char *path;
    bool readonly;
    int version; /* user_version of the open database (PRAGMA user_version) */
} btk_sqlite;

/* The SQLite store behind a front handle (NULL stays NULL). */
static inline btk_sqlite *btk_sqlite__of(btk_store *store)
{
    return (btk_sqlite *)store;
}

/* Open (creating when absent and not READONLY) and migrate; see btk_store_open. */
int btk_sqlite__open(btk_store **out, const char *path, unsigned flags);
/* The backend's entries (btk_store_backend), in store_sqlite_write.c and _query.c. */
int btk_sqlite__add_run(btk_store *store, const btk_run *run, int64_t *id_out);
int btk_sqlite__load_run(btk_run **out, btk_store *store, int64_t run_id, bool with_samples);
int btk_sqlite__runs_for_commit(int64_t **ids_out, size_t *count_out, btk_store *store,
                                const char *sha, const char *machine_fp);
int btk_sqlite__list_runs(btk_run_row **rows_out, size_t *count_out, btk_store *store,
                          size_t limit);
int btk_sqlite__history(btk_history_point **points_out, size_t *count_out, btk_store *store,
                        const char *bench_name, const char *machine_fp,
                        const char (*shas)[41], size_t sha_count);
int btk_sqlite__machines(char ***fps_out, size_t *count_out, btk_store *store);
int btk_sqlite__benchmark_names(char ***names_out, size_t *count_out, btk_store *store,
                                const char *machine_fp);
int btk_sqlite__machine_info(btk_machine *out, btk_store *store, const char *fp);

/* Record the connection's last SQLite error as a BTK_E* code with a one-line message naming
 * the database: not a database / corrupt -> BTK_EFORMAT, anything else -> BTK_EIO. */
int btk_sqlite__fail(btk_sqlite *db, const char *what);
/* Prepare sql (a constant) into *out; a failure is recorded via btk_sqlite__fail. */
int btk_sqlite__prepare(btk_sqlite *db, const char *sql, sqlite3_stmt **out);
/* Run constant SQL without results. */
int btk_sqlite__exec(btk_sqlite *db, const char *sql);
/* BEGIN IMMEDIATE, retried while another writer holds the lock (bounded). */
int btk_sqlite__begin(btk_sqlite *db);
int btk_sqlite__commit(btk_sqlite *db);
void btk_sqlite__rollback(btk_sqlite *db);
/* The busy timeout in ms: $BENCHTRACK_BUSY_TIMEOUT_MS when set (1..600000), else 10000. */
int btk_sqlite__busy_timeout_ms(void);
/* PRAGMA integrity_check == "ok": 0, else BTK_EFORMAT naming the first problem. */
int btk_sqlite__integrity_check(btk_sqlite *db);

/* The SQL of migration from_version -> from_version + 1 (0 <= from_version < ours). */
const char *btk_sqlite__migration(int from_version);

/* Checks that refuse what is not a benchtrack database, reading only (store_check.c).
 * _path: db->path and its companions (-wal, -shm, -journal, -lock) must each be absent or
 * a regular file, else BTK_EINVAL (directory, FIFO, device) or BTK_EIO (stat failed);
 * *size_out is the database's size, -1 when absent. _version: BTK_EFORMAT when negative,
 * BTK_ESCHEMA when newer than this build. _schema, on an open connection: version 0 must
 * hold no object at all (else another program's database), a later version no trigger and
 * every table and index of that version with benchtrack's columns; BTK_EFORMAT naming the
 * first difference, other tables are allowed. */
int btk_sqlite__check_path(btk_sqlite *db, long long *size_out);
int btk_sqlite__check_version(btk_sqlite *db, int version);
int btk_sqlite__check_schema(btk_sqlite *db, int version);

/* The SQL of btk_store_history for this database's version, into out (2048 bytes are
 * enough; asserted). Tests check its plan. */
void btk_sqlite__history_sql(char *out, size_t len, const btk_sqlite *db);

/* The statistics the results table stores: the stats table's rows with a column, in table
 * order. _sql formats sql_fmt into out (which must hold it: asserted), its first %s
 * replaced by their columns "<prefix>min, <prefix>max, ..." and a second %s, if any, by as
 * many "?" parameters. _bind binds them from parameter i on, _read reads them from column
 * col on (NULL as NAN / 0; the statistics not stored are unknown, btk_stats_init); both
 * return the index after the last. */
void btk_sqlite__stats_sql(char *out, size_t len, const char *sql_fmt, const char *prefix);
int btk_sqlite__stats_bind(sqlite3_stmt *st, int i, const btk_stats *s);
int btk_sqlite__stats_read(btk_stats *s, sqlite3_stmt *st, int col);

/* Column helpers: NULL reads as NAN / -1 / NULL string (btk__strdup'd). */
double btk_sqlite__col_double(sqlite3_stmt *st, int col);
int64_t btk_sqlite__col_int(sqlite3_stmt *st, int col, int64_t if_null);
int btk_sqlite__col_text(char **out, sqlite3_stmt *st, int col);
/* Bind a double, NAN as NULL; text, NULL as NULL; int, negative as NULL when nullable. */
int btk_sqlite__bind_double(sqlite3_stmt *st, int i, double v);
int btk_sqlite__bind_text(sqlite3_stmt *st, int i, const char *s);
int btk_sqlite__bind_opt_int(sqlite3_stmt *st, int i, int64_t v);

#endif
