/*
 * Internals shared by store.c (open, schema, migrations, errors), store_write.c (adding a
 * run) and store_query.c (reading). sqlite3.h is confined to compare/store*.c.
 */
#ifndef BTK_STORE_INT_H
#define BTK_STORE_INT_H

#include "store.h"

#include <sqlite3.h>

/* The schema version this build writes (PRAGMA user_version). */
#define BTK_STORE_SCHEMA_VERSION 3
/* The oldest version a read-only open reads as it is (v2 only added indexes, v3 only
 * tables, whose absence reads as time runs without CPU time). */
#define BTK_STORE_MIN_READABLE_VERSION 1

struct btk_store {
    sqlite3 *conn;
    char *path;
    bool readonly;
    int version; /* user_version of the open database */
};

/* Record the connection's last SQLite error as a BTK_E* code with a one-line message naming
 * the database: not a database / corrupt -> BTK_EFORMAT, anything else -> BTK_EIO. */
int btk_store__fail(btk_store *db, const char *what);
/* Prepare sql (a constant) into *out; a failure is recorded via btk_store__fail. */
int btk_store__prepare(btk_store *db, const char *sql, sqlite3_stmt **out);
/* Run constant SQL without results. */
int btk_store__exec(btk_store *db, const char *sql);
/* BEGIN IMMEDIATE, retried while another writer holds the lock (bounded). */
int btk_store__begin(btk_store *db);
int btk_store__commit(btk_store *db);
void btk_store__rollback(btk_store *db);
/* The busy timeout in ms: $BENCHTRACK_BUSY_TIMEOUT_MS when set (1..600000), else 10000. */
int btk_store__busy_timeout_ms(void);
/* PRAGMA integrity_check == "ok": 0, else BTK_EFORMAT naming the first problem. */
int btk_store__integrity_check(btk_store *db);

/* The SQL of migration from_version -> from_version + 1 (0 <= from_version < ours). */
const char *btk_store__migration(int from_version);

/* Checks that refuse what is not a benchtrack database, reading only (store_check.c).
 * _path: db->path and its companions (-wal, -shm, -journal, -lock) must each be absent or
 * a regular file, else BTK_EINVAL (directory, FIFO, device) or BTK_EIO (stat failed);
 * *size_out is the database's size, -1 when absent. _version: BTK_EFORMAT when negative,
 * BTK_ESCHEMA when newer than this build. _schema, on an open connection: version 0 must
 * hold no object at all (else another program's database), a later version no trigger and
 * every table and index of that version with benchtrack's columns; BTK_EFORMAT naming the
 * first difference, other tables are allowed. */
int btk_store__check_path(btk_store *db, long long *size_out);
int btk_store__check_version(btk_store *db, int version);
int btk_store__check_schema(btk_store *db, int version);

/* The SQL of btk_store_history for this database's version, into out (2048 bytes are
 * enough; asserted). Tests check its plan. */
void btk_store__history_sql(char *out, size_t len, const btk_store *db);

/* The statistics the results table stores: the stats table's rows with a column, in table
 * order. _sql formats sql_fmt into out (which must hold it: asserted), its first %s
 * replaced by their columns "<prefix>min, <prefix>max, ..." and a second %s, if any, by as
 * many "?" parameters. _bind binds them from parameter i on, _read reads them from column
 * col on (NULL as NAN / 0; the statistics not stored are unknown, btk_stats_init); both
 * return the index after the last. */
void btk_store__stats_sql(char *out, size_t len, const char *sql_fmt, const char *prefix);
int btk_store__stats_bind(sqlite3_stmt *st, int i, const btk_stats *s);
int btk_store__stats_read(btk_stats *s, sqlite3_stmt *st, int col);

/* Column helpers: NULL reads as NAN / -1 / NULL string (btk__strdup'd). */
double btk_store__col_double(sqlite3_stmt *st, int col);
int64_t btk_store__col_int(sqlite3_stmt *st, int col, int64_t if_null);
int btk_store__col_text(char **out, sqlite3_stmt *st, int col);
/* Bind a double, NAN as NULL; text, NULL as NULL; int, negative as NULL when nullable. */
int btk_store__bind_double(sqlite3_stmt *st, int i, double v);
int btk_store__bind_text(sqlite3_stmt *st, int i, const char *s);
int btk_store__bind_opt_int(sqlite3_stmt *st, int i, int64_t v);

/* Samples blob codec: little-endian IEEE-754 float64 (ns) / uint64 (batch) arrays. */
void btk_store__encode_u64(unsigned char *out, const uint64_t *v, size_t n);
void btk_store__decode_u64(uint64_t *out, const unsigned char *in, size_t n);
void btk_store__encode_f64(unsigned char *out, const double *v, size_t n);
void btk_store__decode_f64(double *out, const unsigned char *in, size_t n);

#endif
