/*
 * Migration v2 -> v3's data step on PostgreSQL (the SQLite backend's is
 * store_sqlite_rekey.c): machines were keyed by a fingerprint that included the host name;
 * each row is re-keyed to today's hardware fingerprint computed from its stored columns, and
 * rows that become equal merge into the oldest (their runs move to it). Set-based, through
 * a temporary map dropped at commit.
 */
#include "store.h"

#include "store_pg.h"

/* Each machine row with the hypervisor flag of its newest run. */
#define SQL_OLD_MACHINES                                                                     \
    "SELECT m.id, m.hostname, m.arch, m.cpu_model, m.cpus, (SELECT r.hypervisor FROM runs r" \
    " WHERE r.machine_id = m.id ORDER BY r.id DESC LIMIT 1) FROM machines m"

/* After the map is filled: each row's keeper (the lowest id of its new fingerprint), the
 * runs of merged rows moved to their keeper, merged rows deleted, keepers re-keyed. Every
 * current key is prefixed "v2:" first, so a new key never meets an old one. */
static const char *const sql_apply[] = {
    "UPDATE btk_rekey k SET keep_id = (SELECT min(j.old_id) FROM btk_rekey j"
    " WHERE j.fp = k.fp)",
    "UPDATE runs SET machine_id = k.keep_id FROM btk_rekey k WHERE k.old_id = runs.machine_id"
    " AND k.keep_id <> k.old_id",
    "DELETE FROM machines WHERE id IN (SELECT old_id FROM btk_rekey WHERE keep_id <> old_id)",
    "UPDATE machines SET fingerprint = k.fp FROM btk_rekey k WHERE k.old_id = machines.id",
};

/* Fill btk_rekey with every machine row's id and new fingerprint. */
static int fill_map(btk_pg *db)
{
    PGresult *res = NULL;
    int error, n;

    if ((error = btk_pg__query(db, &res, NULL, SQL_OLD_MACHINES, NULL,
                               "cannot read the machines")) < 0)
        return error;
    n = PQntuples(res);
    for (int i = 0; i < n && error == 0; i++) {
        btk_machine m;
        btk_pg_params p = {0};

        memset(&m, 0, sizeof(m));
        m.cpus = (int)btk_pg__col_int(res, i, 4, 0);
        m.hypervisor = btk_pg__col_int(res, i, 5, 0) != 0;
        if (btk_pg__col_text(&m.hostname, res, i, 1) < 0 ||
            btk_pg__col_text(&m.arch, res, i, 2) < 0 ||
            btk_pg__col_text(&m.cpu_model, res, i, 3) < 0 ||
            (error = btk_machine_fingerprint(&m)) < 0) {
            error = error < 0 ? error : BTK_ENOMEM;
        } else {
            btk_pg__param_int(&p, btk_pg__col_int(res, i, 0, 0));
            btk_pg__param_text(&p, m.fingerprint);
            error = btk_pg__exec(db, "INSERT INTO btk_rekey (old_id, fp) VALUES ($1, $2)", &p,
                                 "cannot re-key the machines");
        }
        btk_machine_clear(&m);
    }
    PQclear(res);
    return error;
}

int btk_pg__rekey_machines(btk_pg *db)
{
    int error;

    if ((error = btk_pg__exec(db, "UPDATE machines SET fingerprint = 'v2:' || fingerprint",
                              NULL, "cannot re-key the machines")) < 0 ||
        (error = btk_pg__exec(db, "CREATE TEMP TABLE btk_rekey (old_id bigint PRIMARY KEY,"
                                  " fp text NOT NULL, keep_id bigint) ON COMMIT DROP",
                              NULL, "cannot re-key the machines")) < 0 ||
        (error = fill_map(db)) < 0)
        return error;
    for (size_t i = 0; i < BTK_ARRAY_SIZE(sql_apply) && error == 0; i++)
        error = btk_pg__exec(db, sql_apply[i], NULL, "cannot re-key the machines");
    return error;
}
