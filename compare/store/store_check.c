/*
 * Refusing what is not a benchtrack database before anything is written to it: the path
 * (and the files SQLite keeps next to it) must be regular files, the schema version one
 * this build knows, and the tables and indexes benchtrack's own. Every check only reads,
 * so a refused file is left byte for byte as it was. docs/database.md, "Refused files".
 */
#include "store.h"

#include "store_int.h"

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

int btk_store__check_path(btk_store *db, long long *size_out)
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

int btk_store__check_version(btk_store *db, int version)
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

/* The rows that describe one table or index on conn, appended to out: its type and
 * table, then each column's name, declared type, NOT NULL and primary-key position (a
 * table) or each indexed column's name and position (an index). Nothing when conn has no
 * such object. The name is bound, never spliced into the SQL. Returns 0, BTK_ENOMEM, or 1
 * when SQLite failed (its error is conn's). */
static int describe(btk_buf *out, sqlite3 *conn, const char *name)
{
    static const char sql[] =
        "SELECT m.type, m.tbl_name, p.name, p.type, p.\"notnull\", p.pk"
        " FROM sqlite_master AS m, pragma_table_info(m.name) AS p"
        " WHERE m.name = ?1 AND m.type = 'table'"
        " UNION ALL SELECT m.type, m.tbl_name, p.name, '', p.seqno, p.cid"
        " FROM sqlite_master AS m, pragma_index_info(m.name) AS p"
        " WHERE m.name = ?1 AND m.type = 'index'";
    sqlite3_stmt *st = NULL;
    int rc, error = 0, i;

    if ((rc = sqlite3_prepare_v2(conn, sql, -1, &st, NULL)) == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (i = 0; i < 6 && error == 0; i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            error = btk_buf_printf(out, "%s%c", v ? v : "", i == 5 ? '\n' : '|');
        }
        rc = error ? SQLITE_NOMEM : SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (error)
        return error;
    return rc == SQLITE_DONE ? 0 : 1; /* 1: SQLite's error, to read from conn */
}

/* The name of the first object in conn's schema matching the WHERE clause cond (a
 * constant), copied into out (empty when none). */
static int first_object(char *out, size_t len, btk_store *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int error, rc;

    *out = '\0';
    if ((error = btk_store__prepare(db, sql, &st)) < 0)
        return error;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        btk_error_quote(out, len, name ? name : "");
        if (*out == '\0')
            snprintf(out, len, "%s", "(unnamed)");
    } else if (rc != SQLITE_DONE) {
        error = btk_store__fail(db, "cannot read the schema");
    }
    sqlite3_finalize(st);
    return error;
}

/* Compare every table and index that migrations 0 .. version-1 create (built in an
 * in-memory database) with the same object in db; the first difference is BTK_EFORMAT. */
static int compare_with_reference(btk_store *db, int version)
{
    char path[200], what[200];
    btk_buf want = BTK_BUF_INIT, got = BTK_BUF_INIT;
    sqlite3 *ref = NULL;
    sqlite3_stmt *st = NULL;
    int error = 0, v, rc;

    if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        sqlite3_close(ref);
        return btk_error_set(BTK_ENOMEM, "out of memory checking a results database");
    }
    for (v = 0; v < version && error == 0; v++)
        if (sqlite3_exec(ref, btk_store__migration(v), NULL, NULL, NULL) != SQLITE_OK)
            error = btk_error_set(BTK_ENOMEM, "out of memory checking a results database");
    if (error == 0 &&
        sqlite3_prepare_v2(ref, "SELECT name FROM sqlite_master WHERE type IN ('table', "
                                "'index') ORDER BY type DESC, name", -1, &st, NULL) != SQLITE_OK)
        error = btk_error_set(BTK_ENOMEM, "out of memory checking a results database");
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);

        btk_buf_clear(&want);
        btk_buf_clear(&got);
        if (name == NULL || describe(&want, ref, name) != 0) {
            error = btk_error_set(BTK_ENOMEM, "out of memory checking a results database");
            break;
        }
        if ((error = describe(&got, db->conn, name)) == 1)
            error = btk_store__fail(db, "cannot read the schema");
        if (error == 0 && strcmp(btk_buf_cstr(&want), btk_buf_cstr(&got)) != 0)
            error = btk_error_set(BTK_EFORMAT, "results database '%s' is not a benchtrack "
                                  "database of schema version %d: %s '%s' is %s", btk_error_quote(
                                      path, sizeof(path), db->path), version,
                                  strncmp(btk_buf_cstr(&want), "index", 5) ? "table" : "index",
                                  btk_error_quote(what, sizeof(what), name),
                                  btk_buf_cstr(&got)[0] ? "not benchtrack's" : "missing");
    }
    sqlite3_finalize(st);
    sqlite3_close(ref);
    btk_buf_free(&want);
    btk_buf_free(&got);
    return error;
}

int btk_store__check_schema(btk_store *db, int version)
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
