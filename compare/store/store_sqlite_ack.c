/*
 * Acknowledged regressions in the SQLite backend (schema v4, table acks): a change point
 * a team expects, named by commit and a glob of benchmark names, with a note. `benchtrack
 * regressions` lists such change points as acknowledged and does not fail on them. The
 * front (store.c) checks the arguments; docs/database.md.
 */
#include "store_sqlite.h"

#include <time.h>

/* The acks table exists from schema v4 on. */
#define ACK_VERSION 4

/* Run st to its end; BTK_EIO (what) when it does not finish. */
static int step_done(btk_sqlite *db, sqlite3_stmt *st, const char *what)
{
    return sqlite3_step(st) == SQLITE_DONE ? 0 : btk_sqlite__fail(db, what);
}

int btk_sqlite__add_ack(btk_store *store, const char *sha, const char *glob,
                        const char *note, int64_t *id_out)
{
    btk_sqlite *db = btk_sqlite__of(store);
    sqlite3_stmt *st = NULL;
    int error;

    if ((error = btk_sqlite__prepare(db,
                                     "INSERT INTO acks (commit_sha, bench_glob, note, "
                                     "created) VALUES (?1, ?2, ?3,"
                                     " ?4) ON CONFLICT (commit_sha, bench_glob) DO "
                                     "UPDATE SET note = excluded.note,"
                                     " created = excluded.created",
                                     &st)) < 0)
        return error;
    btk_sqlite__bind_text(st, 1, sha);
    btk_sqlite__bind_text(st, 2, glob);
    btk_sqlite__bind_text(st, 3, note);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    error = step_done(db, st, "cannot store the acknowledgement");
    sqlite3_finalize(st);
    st = NULL;
    if (error == 0 &&
        (error = btk_sqlite__prepare(
             db, "SELECT id FROM acks WHERE commit_sha = ?1 AND bench_glob = ?2", &st)) ==
            0) {
        btk_sqlite__bind_text(st, 1, sha);
        btk_sqlite__bind_text(st, 2, glob);
        if (sqlite3_step(st) == SQLITE_ROW)
            *id_out = sqlite3_column_int64(st, 0);
        else
            error = btk_sqlite__fail(db, "cannot read the acknowledgement back");
    }
    sqlite3_finalize(st);
    return error;
}

/* Read the current row of st (id, sha, glob, note, created) into a. */
static int read_ack(btk_ack *a, sqlite3_stmt *st)
{
    const unsigned char *sha = sqlite3_column_text(st, 1);
    int error;

    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(st, 0);
    snprintf(a->sha, sizeof(a->sha), "%s", sha ? (const char *)sha : "");
    if ((error = btk_sqlite__col_text(&a->glob, st, 2)) < 0 ||
        (error = btk_sqlite__col_text(&a->note, st, 3)) < 0)
        return error;
    a->created = sqlite3_column_int64(st, 4);
    if (a->glob == NULL && (a->glob = btk__strdup("")) == NULL)
        return BTK_ENOMEM;
    if (a->note == NULL && (a->note = btk__strdup("")) == NULL)
        return BTK_ENOMEM;
    return 0;
}

int btk_sqlite__list_acks(btk_ack **acks_out, size_t *count_out, btk_store *store)
{
    btk_sqlite *db = btk_sqlite__of(store);
    sqlite3_stmt *st = NULL;
    btk_ack *list = NULL, *grown;
    size_t count = 0;
    int rc = SQLITE_DONE, error;

    if (db->version < ACK_VERSION) /* read as it is: no acks yet */
        return 0;
    if ((error = btk_sqlite__prepare(db,
                                     "SELECT id, commit_sha, bench_glob, note, created"
                                     " FROM acks ORDER BY id",
                                     &st)) < 0)
        return error;
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((grown = btk__realloc(list, (count + 1) * sizeof(*list))) == NULL) {
            error = BTK_ENOMEM;
            break;
        }
        list = grown;
        error = read_ack(&list[count++], st);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot list the acknowledgements");
    sqlite3_finalize(st);
    if (error < 0) {
        btk_acks_free(list, count);
        return error;
    }
    *acks_out = list;
    *count_out = count;
    return 0;
}

int btk_sqlite__remove_ack(btk_store *store, int64_t id)
{
    btk_sqlite *db = btk_sqlite__of(store);
    sqlite3_stmt *st = NULL;
    int error;

    if ((error = btk_sqlite__prepare(db, "DELETE FROM acks WHERE id = ?1", &st)) < 0)
        return error;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    error = step_done(db, st, "cannot remove the acknowledgement");
    sqlite3_finalize(st);
    if (error == 0 && sqlite3_changes(db->conn) == 0)
        error = btk_error_set(BTK_ENOTFOUND, "no acknowledgement #%" PRId64, id);
    return error;
}
