/*
 * Migration v2 -> v3's data step: the machines of an older database were keyed by a
 * fingerprint that included the host name. Each row is re-keyed to the hardware
 * fingerprint of today (machine.c) computed from its stored columns, so old and new runs
 * on the same hardware are one machine; rows that become equal merge into the oldest.
 * Set-based (a temporary map, one pass over runs), so a store with a machine row per
 * ephemeral CI runner migrates in one pass too. docs/database.md, "Databases from before
 * v3".
 */
#include "store.h"
#include "store_sqlite.h"

/* Each machine row with the hypervisor flag of its newest run: one pass over runs (SQLite
 * takes a bare column of a max() aggregate from the row holding the maximum). */
#define SQL_OLD_MACHINES                                                                 \
    "SELECT m.id, m.hostname, m.arch, m.cpu_model, m.cpus, h.hypervisor FROM "           \
    "main.machines"                                                                      \
    " m LEFT JOIN (SELECT machine_id, hypervisor, max(id) FROM main.runs GROUP BY"       \
    " machine_id) h ON h.machine_id = m.id"

/* After the map is filled: each old row's keeper (the lowest id of its new fingerprint),
 * the runs of merged rows moved to their keeper, merged rows deleted, keepers re-keyed.
 * Every current key is prefixed "v2:" first, so a new key never meets an old one. */
static const char *const sql_apply[] = {
    "CREATE INDEX temp.btk_rekey_fp ON btk_rekey(fp, old_id)",
    "UPDATE temp.btk_rekey SET keep_id = (SELECT min(k.old_id) FROM temp.btk_rekey k"
    " WHERE k.fp = btk_rekey.fp)",
    "UPDATE main.runs SET machine_id = (SELECT k.keep_id FROM temp.btk_rekey k WHERE"
    " k.old_id = runs.machine_id) WHERE machine_id IN (SELECT old_id FROM temp.btk_rekey"
    " WHERE keep_id != old_id)",
    "DELETE FROM main.machines WHERE id IN (SELECT old_id FROM temp.btk_rekey WHERE"
    " keep_id != old_id)",
    "UPDATE main.machines SET fingerprint = (SELECT k.fp FROM temp.btk_rekey k WHERE"
    " k.old_id = machines.id)",
};

/* Read one old machine row into m (its new fingerprint computed). BTK_ENOMEM. */
static int read_row(btk_machine *m, sqlite3_stmt *st)
{
    memset(m, 0, sizeof(*m));
    m->cpus = sqlite3_column_int(st, 4);
    m->hypervisor = sqlite3_column_int(st, 5) != 0;
    if (btk_sqlite__col_text(&m->hostname, st, 1) < 0 ||
        btk_sqlite__col_text(&m->arch, st, 2) < 0 ||
        btk_sqlite__col_text(&m->cpu_model, st, 3) < 0)
        return BTK_ENOMEM;
    return btk_machine_fingerprint(m);
}

/* Fill temp.btk_rekey with every machine row's id and new fingerprint. */
static int fill_map(btk_sqlite *db)
{
    sqlite3_stmt *st = NULL, *ins = NULL;
    btk_machine m;
    int rc = SQLITE_DONE, error;

    if ((error = btk_sqlite__prepare(db, SQL_OLD_MACHINES, &st)) < 0 ||
        (error = btk_sqlite__prepare(db,
                                    "INSERT INTO temp.btk_rekey (old_id, fp)"
                                    " VALUES (?, ?)",
                                    &ins)) < 0)
        goto done;
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((error = read_row(&m, st)) == 0) {
            sqlite3_bind_int64(ins, 1, sqlite3_column_int64(st, 0));
            btk_sqlite__bind_text(ins, 2, m.fingerprint);
            if (sqlite3_step(ins) != SQLITE_DONE)
                error = btk_sqlite__fail(db, "cannot re-key the machines");
            sqlite3_reset(ins);
        }
        btk_machine_clear(&m);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot read the machines");
done:
    sqlite3_finalize(st);
    sqlite3_finalize(ins);
    return error;
}

int btk_sqlite__rekey_machines(btk_sqlite *db)
{
    size_t i;
    int error;

    if ((error = btk_sqlite__exec(db, "UPDATE main.machines SET fingerprint = 'v2:' ||"
                                     " fingerprint")) < 0 ||
        (error = btk_sqlite__exec(db, "CREATE TEMP TABLE btk_rekey (old_id INTEGER PRIMARY"
                                     " KEY, fp TEXT NOT NULL, keep_id INTEGER)")) < 0)
        return error;
    error = fill_map(db);
    for (i = 0; i < BTK_ARRAY_SIZE(sql_apply) && error == 0; i++)
        error = btk_sqlite__exec(db, sql_apply[i]);
    /* the map goes with the transaction when it fails; dropped here when it does not */
    if (error == 0)
        error = btk_sqlite__exec(db, "DROP TABLE temp.btk_rekey");
    return error;
}
