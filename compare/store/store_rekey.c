/*
 * Migration v2 -> v3's data step: the machines of an older database were keyed by a
 * fingerprint that included the host name. Each row is re-keyed to the hardware
 * fingerprint of today (machine.c) computed from its stored columns, so old and new runs
 * on the same hardware are one machine; rows that become equal merge. docs/database.md.
 */
#include "store.h"

#include "store_int.h"

typedef struct old_machine {
    int64_t id;
    btk_machine m;
} old_machine;

#define SQL_OLD_MACHINES                                                                 \
    "SELECT m.id, m.hostname, m.arch, m.cpu_model, m.cpus, (SELECT r.hypervisor FROM "   \
    "runs r"                                                                             \
    " WHERE r.machine_id = m.id ORDER BY r.id DESC LIMIT 1) FROM machines m ORDER BY "   \
    "m.id"

static void rows_free(old_machine *rows, size_t count)
{
    for (size_t i = 0; rows && i < count; i++)
        btk_machine_clear(&rows[i].m);
    btk__free(rows);
}

/* Read every machine row, with its new fingerprint computed, into *rows_out. */
static int read_rows(old_machine **rows_out, size_t *count_out, btk_store *db)
{
    sqlite3_stmt *st = NULL;
    old_machine *rows = NULL, *grown;
    size_t count = 0;
    int rc = SQLITE_DONE, error;

    if ((error = btk_store__prepare(db, SQL_OLD_MACHINES, &st)) < 0)
        return error;
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((grown = btk__realloc(rows, (count + 1) * sizeof(*rows))) == NULL) {
            error = BTK_ENOMEM;
            break;
        }
        rows = grown;
        memset(&rows[count], 0, sizeof(rows[count]));
        rows[count].id = sqlite3_column_int64(st, 0);
        rows[count].m.cpus = sqlite3_column_int(st, 4);
        rows[count].m.hypervisor = sqlite3_column_int(st, 5) != 0;
        if (btk_store__col_text(&rows[count].m.hostname, st, 1) < 0 ||
            btk_store__col_text(&rows[count].m.arch, st, 2) < 0 ||
            btk_store__col_text(&rows[count].m.cpu_model, st, 3) < 0)
            error = BTK_ENOMEM;
        count++;
        if (error == 0)
            error = btk_machine_fingerprint(&rows[count - 1].m);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_store__fail(db, "cannot read the machines");
    sqlite3_finalize(st);
    *rows_out = rows;
    *count_out = count;
    return error;
}

/* Run a constant statement with parameters ?1 (a, or the text t when set) and ?2 (b). */
static int exec2(btk_store *db, const char *sql, int64_t a, int64_t b, const char *t)
{
    sqlite3_stmt *st = NULL;
    int error;

    if ((error = btk_store__prepare(db, sql, &st)) < 0)
        return error;
    if (t)
        btk_store__bind_text(st, 1, t);
    else
        sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) != SQLITE_DONE)
        error = btk_store__fail(db, "cannot re-key the machines");
    sqlite3_finalize(st);
    return error;
}

int btk_store__rekey_machines(btk_store *db)
{
    old_machine *rows = NULL;
    size_t count = 0, i, j;
    int error;

    /* Prefix every old key first, so no new key meets an old one still in place. */
    if ((error = btk_store__exec(db, "UPDATE machines SET fingerprint = 'v2:' ||"
                                     " fingerprint")) < 0 ||
        (error = read_rows(&rows, &count, db)) < 0)
        goto done;
    for (i = 0; i < count && error == 0; i++) {
        for (j = 0; j < i && strcmp(rows[j].m.fingerprint, rows[i].m.fingerprint); j++)
            ;
        if (j == i) /* the first row of its hardware keeps its id */
            error = exec2(db, "UPDATE machines SET fingerprint = ?1 WHERE id = ?2", 0,
                          rows[i].id, rows[i].m.fingerprint);
        else if ((error =
                      exec2(db, "UPDATE runs SET machine_id = ?1 WHERE machine_id = ?2",
                            rows[j].id, rows[i].id, NULL)) == 0)
            error = exec2(db, "DELETE FROM machines WHERE id = ?2", 0, rows[i].id, NULL);
    }
done:
    rows_free(rows, count);
    return error;
}
