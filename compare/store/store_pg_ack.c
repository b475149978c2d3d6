/*
 * Acknowledged regressions on PostgreSQL (table acks, schema v4; the front, store.c,
 * checks the arguments): add (an existing pair gets the new note and time), list oldest
 * first, remove.
 */
#include "store.h"

#include "store_pg.h"

#include <time.h>

int btk_pg__add_ack(btk_store *store, const char *sha, const char *glob, const char *note,
                    int64_t *id_out)
{
    btk_pg *db = btk_pg__of(store);
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int error;

    btk_pg__param_text(&p, sha);
    btk_pg__param_text(&p, glob);
    btk_pg__param_text(&p, note);
    btk_pg__param_int(&p, (int64_t)time(NULL));
    if ((error = btk_pg__query(db, &res, NULL,
                               "INSERT INTO acks (commit_sha, bench_glob, note, created)"
                               " VALUES ($1, $2, $3, $4) ON CONFLICT (commit_sha, bench_glob)"
                               " DO UPDATE SET note = excluded.note, created = excluded.created"
                               " RETURNING id",
                               &p, "cannot store the acknowledgement")) < 0)
        return error;
    *id_out = btk_pg__col_int(res, 0, 0, 0);
    PQclear(res);
    return 0;
}

int btk_pg__list_acks(btk_ack **acks_out, size_t *count_out, btk_store *store)
{
    btk_pg *db = btk_pg__of(store);
    PGresult *res = NULL;
    btk_ack *list = NULL;
    size_t count = 0;
    int error, n;

    *acks_out = NULL;
    *count_out = 0;
    if (db->version < BTK_STORE_ACK_VERSION) /* read as it is: no acks yet */
        return 0;
    if ((error = btk_pg__query(db, &res, NULL,
                               "SELECT id, commit_sha, bench_glob, note, created FROM acks"
                               " ORDER BY id", NULL, "cannot list the acknowledgements")) < 0)
        return error;
    n = PQntuples(res);
    if (n > 0 && (list = btk__calloc((size_t)n, sizeof(*list))) == NULL)
        error = BTK_ENOMEM;
    for (int i = 0; i < n && error == 0; i++, count++) {
        btk_ack *a = &list[i];

        a->id = btk_pg__col_int(res, i, 0, 0);
        snprintf(a->sha, sizeof(a->sha), "%s", PQgetvalue(res, i, 1));
        a->created = btk_pg__col_int(res, i, 4, 0);
        if ((a->glob = btk__strdup(PQgetvalue(res, i, 2))) == NULL ||
            (a->note = btk__strdup(PQgetvalue(res, i, 3))) == NULL)
            error = BTK_ENOMEM;
    }
    PQclear(res);
    if (error < 0) {
        btk_acks_free(list, count);
        return error;
    }
    *acks_out = list;
    *count_out = count;
    return 0;
}

int btk_pg__remove_ack(btk_store *store, int64_t id)
{
    btk_pg *db = btk_pg__of(store);
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int error;

    btk_pg__param_int(&p, id);
    if ((error = btk_pg__query(db, &res, NULL, "DELETE FROM acks WHERE id = $1", &p,
                               "cannot remove the acknowledgement")) < 0)
        return error;
    if (strcmp(PQcmdTuples(res), "0") == 0)
        error = btk_error_set(BTK_ENOTFOUND, "no acknowledgement #%" PRId64, id);
    PQclear(res);
    return error;
}
