/*
 * Refusing what is not a benchtrack database before anything is written to it: the path
 * (and the files SQLite keeps next to it) must be regular files, the schema version one
 * this build knows, and the tables and indexes benchtrack's own. Every check only reads,
 * so a refused file is left byte for byte as it was. docs/database.md, "Refused files".
 */
#include "store.h"

#include "store_sqlite.h"

#include <sys/stat.h>

/* The files SQLite (and the migration lock) may open next to the database. */
static const char *const companions[] = {"-wal", "-shm", "-journal", "-lock"};

/* Refuse a path that exists but is not a regular file: a FIFO blocks the open forever, a
 * device is written to (SQLite makes "<device>-journal" beside it), a directory is not a
 * file. what names the file in the message. */
static int check_kind(const char *path, const struct stat *sb, const char *what)
{
    char quoted[200];

    btk_error_quote(quoted, sizeof(quoted), path);
    if (S_ISDIR(sb->st_mode))
        return btk_error_set(BTK_EINVAL, "%s '%s' is a directory, not a database file", what,
                             quoted);
    if (!S_ISREG(sb->st_mode))
        return btk_error_set(BTK_EINVAL, "%s '%s' is not a regular file (a FIFO, device or "
                             "socket): refusing to open it", what, quoted);
    return 0;
}

int btk_sqlite__check_path(btk_sqlite *db, long long *size_out)
{
    char companion[4200], quoted[200];
    struct stat sb;
    size_t i;
    int error;

    *size_out = -1;
    if (stat(db->path, &sb) == 0) {
        if ((error = check_kind(db->path, &sb, "results database")) < 0)
            return error;
        *size_out = (long long)sb.st_size;
    } else if (errno != ENOENT) {
        return btk_error_set(BTK_EIO, "cannot open results database '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), db->path),
                             strerror(errno));
    }
    for (i = 0; i < BTK_ARRAY_SIZE(companions); i++) {
        snprintf(companion, sizeof(companion), "%s%s", db->path, companions[i]);
        if (stat(companion, &sb) == 0 &&
            (error = check_kind(companion, &sb, "results database companion file")) < 0)
            return error;
    }
    return 0;
}

int btk_sqlite__check_version(btk_sqlite *db, int version)
{
    char path[200];

    btk_error_quote(path, sizeof(path), db->path);
    if (version < 0)
        return btk_error_set(BTK_EFORMAT, "results database '%s' is not a benchtrack "
                             "database: its schema version %d is invalid", path, version);
    if (version > BTK_STORE_SCHEMA_VERSION)
        return btk_error_set(BTK_ESCHEMA, "results database '%s' has schema version %d, "
                             "newer than this benchtrack understands (%d): upgrade "
                             "benchtrack", path, version, BTK_STORE_SCHEMA_VERSION);
    return 0;
}

/* Statements describing one object (the name bound as ?1, never spliced into the SQL):
 * its type and table in sqlite_master, then each column's name, declared type, NOT NULL
 * and primary-key position (a table), or each indexed column's name and position (an
 * index). Prepared once per connection, run for each name. */
static const char *const describe_sql[] = {
    "SELECT (SELECT type || ' ' || tbl_name FROM sqlite_master WHERE name = ?1 AND"
    " type = 'table'), name, type, \"notnull\", pk FROM pragma_table_info(?1)",
    "SELECT (SELECT type || ' ' || tbl_name FROM sqlite_master WHERE name = ?1 AND"
    " type = 'index'), name, '', seqno, cid FROM pragma_index_info(?1)",
};

typedef struct describer {
    sqlite3_stmt *st[2];
} describer;

/* Prepare a describer on conn: 0, or 1 when SQLite failed (its error is conn's). */
static int describer_open(describer *d, sqlite3 *conn)
{
    size_t i;

    memset(d, 0, sizeof(*d));
    for (i = 0; i < 2; i++)
        if (sqlite3_prepare_v2(conn, describe_sql[i], -1, &d->st[i], NULL) != SQLITE_OK)
            return 1;
    return 0;
}

static void describer_close(describer *d)
{
    sqlite3_finalize(d->st[0]);
    sqlite3_finalize(d->st[1]);
}

/* The description of the object called name, into out (emptied first); nothing when there
 * is no such table or index. Returns 0, BTK_ENOMEM, or 1 when SQLite failed. */
static int describe(btk_buf *out, describer *d, const char *name)
{
    int rc = SQLITE_OK, error = 0, i;
    size_t k;

    btk_buf_clear(out);
    for (k = 0; k < 2 && rc == SQLITE_OK && error == 0; k++) {
        sqlite3_stmt *st = d->st[k];

        sqlite3_reset(st);
        rc = sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
                rc = SQLITE_OK; /* a view or the other kind of object: not described */
                continue;
            }
            for (i = 0; i < 5 && error == 0; i++) {
                const char *v = (const char *)sqlite3_column_text(st, i);
                error = btk_buf_printf(out, "%s%c", v ? v : "", i == 4 ? '\n' : '|');
            }
            rc = error ? SQLITE_NOMEM : SQLITE_OK;
        }
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
        sqlite3_reset(st);
    }
    if (error)
        return error;
    return rc == SQLITE_OK ? 0 : 1;
}

/* The name of the first object in conn's schema matching the WHERE clause cond (a
 * constant), copied into out (empty when none). */
static int first_object(char *out, size_t len, btk_sqlite *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int error, rc;

    *out = '\0';
    if ((error = btk_sqlite__prepare(db, sql, &st)) < 0)
        return error;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        btk_error_quote(out, len, name ? name : "");
        if (*out == '\0')
            snprintf(out, len, "%s", "(unnamed)");
    } else if (rc != SQLITE_DONE) {
        error = btk_sqlite__fail(db, "cannot read the schema");
    }
    sqlite3_finalize(st);
    return error;
}

/* An in-memory database holding what migrations 0 .. version-1 create, in *out. */
static int reference(sqlite3 **out, int version)
{
    int v;

    if (sqlite3_open_v2(":memory:", out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        return btk_error_set(BTK_ENOMEM, "out of memory checking a results database");
    for (v = 0; v < version; v++)
        if (sqlite3_exec(*out, btk_sqlite__migration(v), NULL, NULL, NULL) != SQLITE_OK)
            return btk_error_set(BTK_ENOMEM, "out of memory checking a results database");
    return 0;
}

/* BTK_EFORMAT naming the object called name, missing from db or different there. */
static int differs(btk_sqlite *db, int version, const char *want, const char *got,
                   const char *name)
{
    char path[200], what[200];

    return btk_error_set(BTK_EFORMAT, "results database '%s' is not a benchtrack database "
                         "of schema version %d: %s '%s' is %s",
                         btk_error_quote(path, sizeof(path), db->path), version,
                         strncmp(want, "index", 5) ? "table" : "index",
                         btk_error_quote(what, sizeof(what), name),
                         *got ? "not benchtrack's" : "missing");
}

/* Compare every table and index that migrations 0 .. version-1 create (replayed in an
 * in-memory database) with the object of the same name in db; the first difference is
 * BTK_EFORMAT. */
static int compare_with_reference(btk_sqlite *db, int version)
{
    btk_buf want = BTK_BUF_INIT, got = BTK_BUF_INIT;
    describer ref_d, db_d;
    sqlite3 *ref = NULL;
    sqlite3_stmt *st = NULL;
    int error;

    memset(&ref_d, 0, sizeof(ref_d));
    memset(&db_d, 0, sizeof(db_d));
    if ((error = reference(&ref, version)) < 0)
        goto done;
    if (describer_open(&ref_d, ref) != 0 ||
        sqlite3_prepare_v2(ref, "SELECT name FROM sqlite_master WHERE type IN ('table', "
                                "'index') ORDER BY type DESC, name", -1, &st, NULL) != SQLITE_OK) {
        error = btk_error_set(BTK_ENOMEM, "out of memory checking a results database");
        goto done;
    }
    if (describer_open(&db_d, db->conn) != 0) {
        error = btk_sqlite__fail(db, "cannot read the schema");
        goto done;
    }
    while (error == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);

        if (name == NULL || describe(&want, &ref_d, name) != 0)
            error = btk_error_set(BTK_ENOMEM, "out of memory checking a results database");
        else if ((error = describe(&got, &db_d, name)) == 1)
            error = btk_sqlite__fail(db, "cannot read the schema");
        else if (error == 0 && strcmp(btk_buf_cstr(&want), btk_buf_cstr(&got)) != 0)
            error = differs(db, version, btk_buf_cstr(&want), btk_buf_cstr(&got), name);
    }
done:
    sqlite3_finalize(st);
    describer_close(&ref_d);
    describer_close(&db_d);
    sqlite3_close(ref);
    btk_buf_free(&want);
    btk_buf_free(&got);
    return error;
}

int btk_sqlite__check_schema(btk_sqlite *db, int version)
{
    char path[200], name[200];
    int error;

    btk_error_quote(path, sizeof(path), db->path);
    if (version == 0) { /* empty, or another program's database */
        if ((error = first_object(name, sizeof(name), db, "SELECT name FROM sqlite_master "
                                                          "ORDER BY rowid LIMIT 1")) < 0)
            return error;
        if (*name)
            return btk_error_set(BTK_EFORMAT, "results database '%s' is not a benchtrack "
                                 "database: it holds another program's '%s' (and no "
                                 "benchtrack schema version)", path, name);
        return 0;
    }
    /* benchtrack creates no trigger; one would run SQL of the file's author on our writes */
    if ((error = first_object(name, sizeof(name), db, "SELECT name FROM sqlite_master WHERE "
                                                      "type = 'trigger' LIMIT 1")) < 0)
        return error;
    if (*name)
        return btk_error_set(BTK_EFORMAT, "results database '%s' is not a benchtrack "
                             "database: it holds a trigger '%s', which benchtrack never "
                             "creates", path, name);
    return compare_with_reference(db, version);
}
