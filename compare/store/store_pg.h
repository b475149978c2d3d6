/*
 * Internals of the PostgreSQL backend (libpq), shared by store_pg.c (connection, schema
 * version, migrations, errors, parameters), store_pg_write.c (adding a run) and
 * store_pg_query.c (reading). libpq-fe.h is confined to these files.
 */
#ifndef BTK_STORE_PG_H
#define BTK_STORE_PG_H

#include "store_backend.h"

#include <libpq-fe.h>

/* The most parameters one statement binds (a results row has about 40). */
#define BTK_PG_MAX_PARAMS 64

/* An open PostgreSQL store; base first, so the front's btk_store * is this. */
typedef struct btk_pg {
    btk_store base;
    PGconn *conn;
    char *shown;       /* the location with its password replaced, for messages */
    char *password;    /* the password the location holds (NULL: none), scrubbed from them */
    char *raw_passwords[4]; /* the same as written in the location (percent-encoded) */
    bool readonly;
    bool prepared;     /* the writer's statements are prepared on this connection */
    int version;       /* the schema version of the open database */
} btk_pg;

/* The PostgreSQL store behind a front handle (NULL stays NULL). */
static inline btk_pg *btk_pg__of(btk_store *store)
{
    return (btk_pg *)store;
}

/* Parameters of one statement, bound as text (numbers printed exactly) or, for blobs, as
 * binary; NULL values as SQL NULL. The values must outlive the statement's execution. */
typedef struct btk_pg_params {
    int count;
    const char *values[BTK_PG_MAX_PARAMS];
    int lengths[BTK_PG_MAX_PARAMS];
    int formats[BTK_PG_MAX_PARAMS];
    char text[BTK_PG_MAX_PARAMS][32];
} btk_pg_params;

void btk_pg__param_text(btk_pg_params *p, const char *s);         /* NULL: NULL */
void btk_pg__param_int(btk_pg_params *p, int64_t v);
void btk_pg__param_opt_int(btk_pg_params *p, int64_t v);          /* negative: NULL */
void btk_pg__param_double(btk_pg_params *p, double v);            /* not finite: NULL */
void btk_pg__param_blob(btk_pg_params *p, const void *data, size_t len); /* NULL: NULL */


/* Run sql with p (NULL: none); a result with rows or none is kept in *out (PQclear it),
 * anything else is recorded via btk_pg__fail and *out is NULL. name: a statement prepared
 * with btk_pg__prepare instead of sql (NULL: run sql as it is). */
int btk_pg__query(btk_pg *db, PGresult **out, const char *name, const char *sql,
                  const btk_pg_params *p, const char *what);
/* The same with the results in binary form (sql with p, not prepared): faster to read
 * many numbers and blobs; the column readers below read either form. */
int btk_pg__query_binary(btk_pg *db, PGresult **out, const char *sql,
                         const btk_pg_params *p, const char *what);
/* The same, without keeping the result. */
int btk_pg__exec(btk_pg *db, const char *sql, const btk_pg_params *p, const char *what);
/* Prepare sql as the named statement of this connection. */
int btk_pg__prepare(btk_pg *db, const char *name, const char *sql);
/* Record the failure of res (NULL: the connection's) as a BTK_E* code with one line naming
 * the database (its password never shown): a lost connection or a server shutting down
 * -> BTK_EIO "lost the connection ...", out of memory -> BTK_ENOMEM, else BTK_EIO. */
int btk_pg__fail(btk_pg *db, const PGresult *res, const char *what);
/* The SQLSTATE of a failed result says another transaction was in the way (deadlock,
 * serialization): the transaction may be run again. */
bool btk_pg__retryable(const PGresult *res);
int btk_pg__begin(btk_pg *db);
/* Pipelines (many statements, one round trip): _begin enters pipeline mode; _send queues
 * a prepared statement (its parameters are copied); _sync sends them, then gives each
 * successful result to cb (index = order sent since the last sync; cb's error stops the
 * callbacks) and records the first failure (BTK_ERROR when the transaction may be run
 * again); _end leaves pipeline mode (after the last sync). */
typedef int (*btk_pg_pipe_cb)(void *payload, int index, const PGresult *res);
int btk_pg__pipe_begin(btk_pg *db);
int btk_pg__pipe_send(btk_pg *db, const char *name, const btk_pg_params *p, const char *what);
int btk_pg__pipe_sync(btk_pg *db, btk_pg_pipe_cb cb, void *payload, const char *what);
void btk_pg__pipe_end(btk_pg *db);
int btk_pg__commit(btk_pg *db);
void btk_pg__rollback(btk_pg *db);

/* Column readers: NULL reads as NAN / if_null / NULL string (btk__strdup'd). */
double btk_pg__col_double(const PGresult *res, int row, int col);
int64_t btk_pg__col_int(const PGresult *res, int row, int col, int64_t if_null);
int btk_pg__col_text(char **out, const PGresult *res, int row, int col);
/* A bytea column (hex text output) decoded into a btk__malloc'd block of *len_out bytes
 * (+8 spare); NULL reads as *out = NULL. BTK_EFORMAT when not hex. */
int btk_pg__col_blob(unsigned char **out, size_t *len_out, const PGresult *res, int row,
                     int col);

/* The stored statistics' columns "<prefix>min, ..." into cols and their parameters
 * "$first, $first+1, ..." into params (each 1024 bytes are enough; asserted), in the order of
 * btk_stats_metric_at; _bind/_read bind and read them (read from column col on, returns the
 * index after the last). */
void btk_pg__stats_sql(char *cols, char *params, size_t len, const char *prefix, int first);
void btk_pg__stats_bind(btk_pg_params *p, const btk_stats *s);
int btk_pg__stats_read(btk_stats *s, const PGresult *res, int row, int col);

/* The backend's entries (btk_store_backend). */
int btk_pg__add_run(btk_store *store, const btk_run *run, const char *uid, int64_t *id_out,
                    bool *added_out);
int btk_pg__run_uid(char *out, btk_store *store, int64_t run_id);
int btk_pg__find_uid(int64_t *id_out, btk_store *store, const char *uid);
/* The uid of run id computed from its content (btk_store__content_uid). */
int btk_pg__content_uid(char *out, btk_pg *db, int64_t id);
int btk_pg__load_run(btk_run **out, btk_store *store, int64_t run_id, bool with_samples);
int btk_pg__runs_for_commit(int64_t **ids_out, size_t *count_out, btk_store *store,
                            const char *sha, const char *machine_fp);
int btk_pg__list_runs(btk_run_row **rows_out, size_t *count_out, btk_store *store,
                      size_t limit);
int btk_pg__history(btk_history_point **points_out, size_t *count_out, btk_store *store,
                    const char *bench_name, const char *machine_fp, const char (*shas)[41],
                    size_t sha_count, btk_history_metric metric);
int btk_pg__machines(char ***fps_out, size_t *count_out, btk_store *store);
int btk_pg__benchmark_names(char ***names_out, size_t *count_out, btk_store *store,
                            const char *machine_fp);
int btk_pg__machine_info(btk_machine *out, btk_store *store, const char *fp);
int btk_pg__machine_has_host(btk_store *store, const char *fp, const char *host);
/* Acknowledged regressions (store_pg_ack.c). */
int btk_pg__add_ack(btk_store *store, const char *sha, const char *glob, const char *note,
                    int64_t *id_out);
int btk_pg__list_acks(btk_ack **acks_out, size_t *count_out, btk_store *store);
int btk_pg__remove_ack(btk_store *store, int64_t id);
/* The data step of migration v2 -> v3 (store_pg_rekey.c), as the SQLite backend's: every
 * machine row re-keyed to the fingerprint btk_machine_fingerprint gives its stored columns
 * (and its newest run's hypervisor flag); rows that then share one merge into the oldest. */
int btk_pg__rekey_machines(btk_pg *db);

#endif
