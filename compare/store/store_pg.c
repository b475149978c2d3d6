/*
 * The PostgreSQL backend of the results database (libpq): connecting to a location
 * "postgresql://..." or "postgres://...", the schema version table and the migrations (the
 * same versions as SQLite's), transactions, parameters, and the translation of libpq's
 * errors. A location's password never reaches a message. Schema: docs/database.md.
 */
#include "store.h"

#include "store_pg.h"

#include <math.h>

/* migrations[v] takes a database from schema version v to v + 1, with the meaning of the
 * SQLite backend's entry v. Never edit a published entry: add one at the end. */
static const char *const migrations[] = {
    /* v0 -> v1 */
    "CREATE TABLE benchtrack_schema (version integer NOT NULL);"
    "INSERT INTO benchtrack_schema (version) VALUES (0);"
    "CREATE TABLE machines ("
    " id bigserial PRIMARY KEY, fingerprint text NOT NULL UNIQUE, hostname text, arch text,"
    " cpu_model text, cpus integer);"
    "CREATE TABLE commits ("
    " sha text PRIMARY KEY, known integer NOT NULL, time bigint, author text,"
    " subject text, parents text);"
    "CREATE TABLE runs ("
    " id bigserial PRIMARY KEY, commit_sha text REFERENCES commits(sha), branch text,"
    " dirty integer NOT NULL, machine_id bigint NOT NULL REFERENCES machines(id),"
    " format text NOT NULL, date text, stored_at bigint NOT NULL, executable text,"
    " compiler text, flags text, os text, kernel text, timer_source text,"
    " timer_hz double precision, hypervisor integer NOT NULL, context_json text,"
    " options_json text);"
    "CREATE INDEX runs_by_commit ON runs(commit_sha, machine_id);"
    "CREATE TABLE run_warnings ("
    " run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq bigint NOT NULL,"
    " text text NOT NULL, PRIMARY KEY (run_id, seq));"
    "CREATE TABLE benchmarks ("
    " id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, family text,"
    " has_param integer NOT NULL, param bigint);"
    "CREATE TABLE results ("
    " id bigserial PRIMARY KEY,"
    " run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " benchmark_id bigint NOT NULL REFERENCES benchmarks(id), seq bigint NOT NULL,"
    " status integer NOT NULL, error_kind text, error_message text, stop_reason text,"
    " min double precision, max double precision, mean double precision,"
    " median double precision, stddev double precision, mad double precision,"
    " p50 double precision, p90 double precision, p95 double precision,"
    " p99 double precision, p999 double precision, ci_low double precision,"
    " ci_high double precision, samples bigint NOT NULL, iterations bigint NOT NULL,"
    " outliers_low bigint NOT NULL, outliers_high bigint NOT NULL,"
    " cycles_median double precision, mem_tracked integer NOT NULL,"
    " allocs_per_iter double precision, frees_per_iter double precision,"
    " alloc_bytes_per_iter double precision, peak_rss_bytes bigint, minor_faults bigint,"
    " major_faults bigint, bytes_per_iter double precision, items_per_iter double precision,"
    " UNIQUE (run_id, benchmark_id));"
    "CREATE INDEX results_by_benchmark ON results(benchmark_id, run_id);"
    "CREATE TABLE counters ("
    " result_id bigint NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    " kind integer NOT NULL, name text NOT NULL, value double precision,"
    " PRIMARY KEY (result_id, kind, name));"
    "CREATE TABLE samples ("
    " result_id bigint NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    " seq bigint NOT NULL, proc_index integer NOT NULL, count bigint NOT NULL,"
    " ns bytea NOT NULL, batch bytea, peak_rss_bytes bigint, minor_faults bigint,"
    " major_faults bigint, PRIMARY KEY (result_id, seq));",
    /* v1 -> v2: a benchmark's history from one index: its key leads with the benchmark,
     * and it carries the columns the history query reads (an index-only scan). */
    "CREATE INDEX results_history ON results(benchmark_id, run_id) INCLUDE (status, min,"
    " max, mean, median, stddev, mad, p50, p90, p95, p99, p999, ci_low, ci_high, samples,"
    " iterations, outliers_low, outliers_high, cycles_median, mem_tracked, allocs_per_iter,"
    " frees_per_iter, alloc_bytes_per_iter, peak_rss_bytes, minor_faults, major_faults);"
    "DROP INDEX results_by_benchmark;"
    "CREATE INDEX runs_lookup ON runs(id) INCLUDE (machine_id, commit_sha);",
    /* v2 -> v3: machines are hardware classes or named classes (--machine NAME), no
     * longer hosts; a run keeps its own host name. After this SQL, store_pg_rekey.c
     * re-keys the machine rows to the new fingerprints (same transaction). */
    "ALTER TABLE runs ADD COLUMN hostname text;"
    "ALTER TABLE machines ADD COLUMN name text;"
    "UPDATE runs r SET hostname = m.hostname FROM machines m WHERE m.id = r.machine_id;",
    /* v3 -> v4: acknowledged regressions (benchtrack regressions ack). */
    "CREATE TABLE acks ("
    " id bigserial PRIMARY KEY, commit_sha text NOT NULL, bench_glob text NOT NULL,"
    " note text NOT NULL, created bigint NOT NULL, UNIQUE (commit_sha, bench_glob));",
    /* v4 -> v5: counts and CPU time (docs/database.md, "Counting runs and CPU time"):
     * run_counts has a row only for a counting run, result_metrics only for a result with
     * a count or CPU statistics, cpu_samples only for a process with CPU samples. */
    "CREATE TABLE run_counts ("
    " run_id bigint PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,"
    " measure text NOT NULL, identity text);"
    "CREATE TABLE result_metrics ("
    " result_id bigint PRIMARY KEY REFERENCES results(id) ON DELETE CASCADE,"
    " count_repeat integer NOT NULL, spread_min double precision,"
    " spread_max double precision, cpu_min double precision, cpu_max double precision,"
    " cpu_mean double precision, cpu_median double precision, cpu_ci_low double precision,"
    " cpu_ci_high double precision);"
    "CREATE TABLE cpu_samples ("
    " result_id bigint NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    " seq bigint NOT NULL, cpu_ns bytea NOT NULL, PRIMARY KEY (result_id, seq));",
    /* v5 -> v6: every run gets a uid (benchtrack push); the runs already there get theirs
     * from their content, in C (fill_content_uids) after this SQL. */
    "ALTER TABLE runs ADD COLUMN uid text;"
    "CREATE UNIQUE INDEX runs_by_uid ON runs(uid);",
    /* v6 -> v7: call_percentiles = 1 when a result's p50..p999 are percentiles of single
     * calls (per-call mode); the results already there read as batch percentiles (0). */
    "ALTER TABLE results ADD COLUMN call_percentiles integer NOT NULL DEFAULT 0;",
    /* v7 -> v8: the cycles metric: the core clock in GHz next to each sample
     * (clock_samples, a row only for a process with a clock) and a result's core-cycle
     * statistics (result_metrics.core_*, NULL when unknown). */
    "ALTER TABLE result_metrics ADD COLUMN core_min double precision,"
    " ADD COLUMN core_max double precision, ADD COLUMN core_mean double precision,"
    " ADD COLUMN core_median double precision, ADD COLUMN core_ci_low double precision,"
    " ADD COLUMN core_ci_high double precision;"
    "CREATE TABLE clock_samples ("
    " result_id bigint NOT NULL REFERENCES results(id) ON DELETE CASCADE,"
    " seq bigint NOT NULL, clock bytea NOT NULL, PRIMARY KEY (result_id, seq));",
    /* v8 -> v9: each process's shared-core reading (branch_ratio), NULL when unknown, as
     * for the rows already there. */
    "ALTER TABLE samples ADD COLUMN branch_ratio double precision;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == BTK_STORE_SCHEMA_VERSION,
               "one migration per schema version");

/* The advisory lock that serializes creating and migrating one database's schema. */
#define MIGRATION_LOCK_KEY "7040357830462214219"

/* ---- messages: the location shown without its password ---- */

/* Replace each occurrence of secret (if any) in out by "***". */
static void scrub(char *out, const char *secret)
{
    size_t slen = secret ? strlen(secret) : 0;
    char *hit;

    while (slen > 0 && (hit = strstr(out, secret)) != NULL) {
        memcpy(hit, "***", slen < 3 ? slen : 3);
        memmove(hit + (slen < 3 ? slen : 3), hit + slen, strlen(hit + slen) + 1);
    }
}

/* The first line of a libpq message, without its trailing newline, with the location's
 * passwords (decoded and as written) scrubbed, into out. */
static const char *first_line(char *out, size_t len, const char *msg, const btk_pg *db)
{
    size_t n = msg ? strcspn(msg, "\n") : 0;

    if (n == 0) {
        snprintf(out, len, "no detail");
        return out;
    }
    snprintf(out, len, "%.*s", (int)n, msg);
    scrub(out, db->password);
    for (size_t i = 0; i < BTK_ARRAY_SIZE(db->raw_passwords); i++)
        scrub(out, db->raw_passwords[i]);
    return out;
}

int btk_pg__fail(btk_pg *db, const PGresult *res, const char *what)
{
    char detail[300], shown[300];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : NULL;

    if (msg == NULL || *msg == '\0')
        msg = db->conn ? PQerrorMessage(db->conn) : "out of memory";
    first_line(detail, sizeof(detail), msg, db);
    btk_error_quote(shown, sizeof(shown), db->shown);
    if (db->conn == NULL)
        return btk_error_set(BTK_ENOMEM, "out of memory in results database '%s'", shown);
    if (PQstatus(db->conn) == CONNECTION_BAD || (state && !strncmp(state, "08", 2)) ||
        (state && !strncmp(state, "57P", 3)))
        return btk_error_set(BTK_EIO, "lost the connection to results database '%s' (%s): "
                             "%s", shown, what, detail);
    if (state && !strcmp(state, "53200"))
        return btk_error_set(BTK_ENOMEM, "out of memory in results database '%s'", shown);
    return btk_error_set(BTK_EIO, "%s in results database '%s': %s", what, shown, detail);
}

bool btk_pg__retryable(const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    return state && (!strcmp(state, "40001") || !strcmp(state, "40P01"));
}

/* ---- statements ---- */

static void param_set(btk_pg_params *p, const char *value, int len, int format)
{
    BTK_ASSERT(p->count < BTK_PG_MAX_PARAMS);
    p->values[p->count] = value;
    p->lengths[p->count] = len;
    p->formats[p->count] = format;
    p->count++;
}

void btk_pg__param_text(btk_pg_params *p, const char *s)
{
    param_set(p, s, 0, 0);
}

void btk_pg__param_int(btk_pg_params *p, int64_t v)
{
    snprintf(p->text[p->count], sizeof(p->text[0]), "%" PRId64, v);
    param_set(p, p->text[p->count], 0, 0);
}

void btk_pg__param_opt_int(btk_pg_params *p, int64_t v)
{
    if (v < 0)
        param_set(p, NULL, 0, 0);
    else
        btk_pg__param_int(p, v);
}

void btk_pg__param_double(btk_pg_params *p, double v)
{
    if (!isfinite(v)) {
        param_set(p, NULL, 0, 0);
        return;
    }
    /* 17 significant digits read back as the same double */
    snprintf(p->text[p->count], sizeof(p->text[0]), "%.17g", v);
    param_set(p, p->text[p->count], 0, 0);
}

void btk_pg__param_blob(btk_pg_params *p, const void *data, size_t len)
{
    param_set(p, data, (int)len, 1);
}

/* btk_pg__query, its results in text (binary 0) or binary (1) form. */
static int query(btk_pg *db, PGresult **out, const char *name, const char *sql,
                 const btk_pg_params *p, const char *what, int binary)
{
    static const btk_pg_params none;
    ExecStatusType status;
    PGresult *res;
    int error;

    *out = NULL;
    if (p == NULL && name != NULL)
        p = &none;
    if (p == NULL && name == NULL)
        res = PQexec(db->conn, sql); /* constant SQL, possibly several statements */
    else if (name)
        res = PQexecPrepared(db->conn, name, p->count, p->values, p->lengths, p->formats, 0);
    else
        res = PQexecParams(db->conn, sql, p->count, NULL, p->values, p->lengths, p->formats,
                           binary);
    status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        *out = res;
        return 0;
    }
    error = btk_pg__fail(db, res, what);
    if (btk_pg__retryable(res))
        error = BTK_ERROR; /* the caller may run its transaction again; the message stays */
    PQclear(res);
    return error;
}

int btk_pg__query(btk_pg *db, PGresult **out, const char *name, const char *sql,
                  const btk_pg_params *p, const char *what)
{
    return query(db, out, name, sql, p, what, 0);
}

int btk_pg__query_binary(btk_pg *db, PGresult **out, const char *sql,
                         const btk_pg_params *p, const char *what)
{
    static const btk_pg_params none;

    return query(db, out, NULL, sql, p ? p : &none, what, 1);
}

int btk_pg__exec(btk_pg *db, const char *sql, const btk_pg_params *p, const char *what)
{
    PGresult *res = NULL;
    int error = btk_pg__query(db, &res, NULL, sql, p, what);

    PQclear(res);
    return error;
}

int btk_pg__prepare(btk_pg *db, const char *name, const char *sql)
{
    PGresult *res = PQprepare(db->conn, name, sql, 0, NULL);
    int error = 0;

    if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
        error = btk_pg__fail(db, res, "cannot prepare a query");
    PQclear(res);
    return error;
}

int btk_pg__pipe_begin(btk_pg *db)
{
    if (PQenterPipelineMode(db->conn) != 1)
        return btk_pg__fail(db, NULL, "cannot start a pipeline");
    return 0;
}

int btk_pg__pipe_send(btk_pg *db, const char *name, const btk_pg_params *p, const char *what)
{
    if (PQsendQueryPrepared(db->conn, name, p->count, p->values, p->lengths, p->formats, 0) != 1)
        return btk_pg__fail(db, NULL, what);
    return 0;
}

/* Read the results of the queries sent since the last sync up to the sync point: cb gets
 * each successful one in order (index from 0); the first failure is recorded (the server
 * skips the rest until the sync). */
static int pipe_collect(btk_pg *db, btk_pg_pipe_cb cb, void *payload, const char *what)
{
    int error = 0, index = 0, nulls = 0;

    for (;;) {
        PGresult *res = PQgetResult(db->conn);
        ExecStatusType status;

        if (res == NULL) { /* the end of one query's results */
            if (PQstatus(db->conn) == CONNECTION_BAD || ++nulls > 2)
                return error < 0 ? error : btk_pg__fail(db, NULL, what);
            continue;
        }
        nulls = 0;
        status = PQresultStatus(res);
        if (status == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            return error;
        }
        if (error == 0 && (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK))
            error = cb ? cb(payload, index, res) : 0;
        else if (error == 0 && status != PGRES_PIPELINE_ABORTED) {
            error = btk_pg__fail(db, res, what);
            if (btk_pg__retryable(res))
                error = BTK_ERROR; /* the caller may run its transaction again */
        }
        index++;
        PQclear(res);
    }
}

int btk_pg__pipe_sync(btk_pg *db, btk_pg_pipe_cb cb, void *payload, const char *what)
{
    if (PQpipelineSync(db->conn) != 1)
        return btk_pg__fail(db, NULL, what);
    return pipe_collect(db, cb, payload, what);
}

void btk_pg__pipe_end(btk_pg *db)
{
    if (PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF)
        PQexitPipelineMode(db->conn);
}

int btk_pg__begin(btk_pg *db)
{
    return btk_pg__exec(db, "BEGIN", NULL, "cannot start a transaction");
}

int btk_pg__commit(btk_pg *db)
{
    int error = btk_pg__exec(db, "COMMIT", NULL, "cannot commit");

    if (error < 0)
        btk_pg__rollback(db);
    return error;
}

void btk_pg__rollback(btk_pg *db)
{
    if (PQstatus(db->conn) == CONNECTION_OK &&
        PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
        PGresult *res = PQexec(db->conn, "ROLLBACK");

        PQclear(res);
    }
}

/* ---- columns ---- */

/* A binary integer of len (1, 2, 4 or 8) bytes, network order, sign-extended. */
static int64_t be_int(const unsigned char *b, int len)
{
    uint64_t v = 0;

    for (int i = 0; i < len; i++)
        v = v << 8 | b[i];
    if (len < 8 && len > 0 && (b[0] & 0x80))
        v |= ~(uint64_t)0 << (8 * len); /* sign-extend */
    return (int64_t)v;
}

double btk_pg__col_double(const PGresult *res, int row, int col)
{
    const unsigned char *b;

    if (PQgetisnull(res, row, col))
        return NAN;
    if (PQfformat(res, col) == 0)
        return strtod(PQgetvalue(res, row, col), NULL);
    b = (const unsigned char *)PQgetvalue(res, row, col);
    if (PQgetlength(res, row, col) == 8) { /* float8 */
        uint64_t bits = (uint64_t)be_int(b, 8);
        double d;

        memcpy(&d, &bits, sizeof(d));
        return d;
    }
    if (PQgetlength(res, row, col) == 4) { /* float4 */
        uint32_t bits = (uint32_t)be_int(b, 4);
        float f;

        memcpy(&f, &bits, sizeof(f));
        return f;
    }
    return NAN;
}

int64_t btk_pg__col_int(const PGresult *res, int row, int col, int64_t if_null)
{
    int len;

    if (PQgetisnull(res, row, col))
        return if_null;
    if (PQfformat(res, col) == 0)
        return (int64_t)strtoll(PQgetvalue(res, row, col), NULL, 10);
    len = PQgetlength(res, row, col);
    return len == 1 || len == 2 || len == 4 || len == 8
               ? be_int((const unsigned char *)PQgetvalue(res, row, col), len)
               : if_null;
}

int btk_pg__col_text(char **out, const PGresult *res, int row, int col)
{
    *out = NULL;
    if (PQgetisnull(res, row, col))
        return 0;
    *out = btk__strndup(PQgetvalue(res, row, col), (size_t)PQgetlength(res, row, col));
    return *out ? 0 : BTK_ENOMEM;
}

int btk_pg__col_blob(unsigned char **out, size_t *len_out, const PGresult *res, int row,
                     int col)
{
    const char *text = PQgetvalue(res, row, col);
    size_t len = (size_t)PQgetlength(res, row, col), i, n;

    *out = NULL;
    *len_out = 0;
    if (PQgetisnull(res, row, col))
        return 0;
    if (PQfformat(res, col) == 1) { /* the bytes themselves */
        if ((*out = btk__malloc(len + 8)) == NULL)
            return BTK_ENOMEM;
        memcpy(*out, text, len);
        *len_out = len;
        return 0;
    }
    if (len < 2 || text[0] != '\\' || text[1] != 'x' || (len - 2) % 2)
        return btk_error_set(BTK_EFORMAT, "a samples blob is not in hex form");
    n = (len - 2) / 2;
    if ((*out = btk__malloc(n + 8)) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < n; i++) {
        int hi = btk__hex_digit((unsigned char)text[2 + 2 * i]);
        int lo = btk__hex_digit((unsigned char)text[3 + 2 * i]);

        if (hi < 0 || lo < 0) {
            btk__free(*out);
            *out = NULL;
            return btk_error_set(BTK_EFORMAT, "a samples blob is not in hex form");
        }
        (*out)[i] = (unsigned char)(hi << 4 | lo);
    }
    *len_out = n;
    return 0;
}

/* ---- the stored statistics ---- */

static void put_listed(char *buf, size_t len, size_t *at, const char *text)
{
    int n = snprintf(buf + *at, len - *at, "%s%s", *at ? ", " : "", text);

    BTK_ASSERT(n > 0 && (size_t)n < len - *at);
    if (n > 0 && (size_t)n < len - *at)
        *at += (size_t)n;
}

void btk_pg__stats_sql(char *cols, char *params, size_t len, const char *prefix, int first)
{
    size_t at = 0, pat = 0;
    char item[64];

    cols[0] = params[0] = '\0';
    for (size_t i = 0; i < BTK_STATS_METRIC_COUNT; i++) {
        const btk_stats_metric *m = btk_stats_metric_at(i);

        if (m->column == NULL)
            continue;
        snprintf(item, sizeof(item), "%s%s", prefix, m->column);
        put_listed(cols, len, &at, item);
        snprintf(item, sizeof(item), "$%d", first++);
        put_listed(params, len, &pat, item);
    }
}

void btk_pg__stats_bind(btk_pg_params *p, const btk_stats *s)
{
    for (size_t k = 0; k < BTK_STATS_METRIC_COUNT; k++) {
        const btk_stats_metric *m = btk_stats_metric_at(k);

        if (m->column == NULL)
            continue;
        if (m->unit == BTK_STATS_COUNT)
            btk_pg__param_int(p, btk_stats_get_count(s, m));
        else
            btk_pg__param_double(p, btk_stats_get(s, m));
    }
}

int btk_pg__stats_read(btk_stats *s, const PGresult *res, int row, int col)
{
    btk_stats_init(s);
    for (size_t k = 0; k < BTK_STATS_METRIC_COUNT; k++) {
        const btk_stats_metric *m = btk_stats_metric_at(k);

        if (m->column == NULL)
            continue;
        if (m->unit == BTK_STATS_COUNT)
            *btk_stats_count_field(s, m) = btk_pg__col_int(res, row, col++, 0);
        else
            *btk_stats_real_field(s, m) = btk_pg__col_double(res, row, col++);
    }
    return col;
}

/* ---- opening ---- */

/* The stored schema version into *out: 0 when the version table does not exist. The first
 * query of a read-only session also makes its transactions read-only (one round trip). */
static int read_version(btk_pg *db, int *out)
{
    PGresult *res = NULL;
    int error;

    *out = 0;
    if ((error = btk_pg__query(db, &res, NULL,
                               db->readonly
                                   ? "SET default_transaction_read_only = on;"
                                     " SELECT to_regclass('benchtrack_schema') IS NOT NULL"
                                   : "SELECT to_regclass('benchtrack_schema') IS NOT NULL",
                               NULL, "cannot read the schema version")) < 0)
        return error;
    if (PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), "t")) {
        PQclear(res);
        if ((error = btk_pg__query(db, &res, NULL, "SELECT max(version) FROM benchtrack_schema",
                                   NULL, "cannot read the schema version")) < 0)
            return error;
        *out = PQntuples(res) == 1 ? (int)btk_pg__col_int(res, 0, 0, 0) : 0;
    }
    PQclear(res);
    return 0;
}

static int check_version(btk_pg *db, int version)
{
    char shown[300];

    btk_error_quote(shown, sizeof(shown), db->shown);
    if (version > BTK_STORE_SCHEMA_VERSION)
        return btk_error_set(BTK_ESCHEMA, "results database '%s' has schema version %d, newer "
                             "than this benchtrack understands (%d): upgrade benchtrack",
                             shown, version, BTK_STORE_SCHEMA_VERSION);
    if (version < 0)
        return btk_error_set(BTK_EFORMAT, "results database '%s' has a negative schema "
                             "version (%d)", shown, version);
    return 0;
}

/* v4: the runs stored before uids existed get one from their content. */
static int fill_content_uids(btk_pg *db)
{
    char uid[BTK_STORE_UID_LEN + 1];
    PGresult *res = NULL;
    int error, n;

    if ((error = btk_pg__query(db, &res, NULL, "SELECT id FROM runs WHERE uid IS NULL", NULL,
                               "cannot give old runs their uid")) < 0)
        return error;
    n = PQntuples(res);
    for (int i = 0; i < n && error == 0; i++) {
        btk_pg_params p = {0};
        int64_t id = btk_pg__col_int(res, i, 0, 0);

        if ((error = btk_pg__content_uid(uid, db, id)) < 0)
            break;
        btk_pg__param_text(&p, uid);
        btk_pg__param_int(&p, id);
        error = btk_pg__exec(db, "UPDATE runs SET uid = $1 WHERE id = $2", &p,
                             "cannot give old runs their uid");
    }
    PQclear(res);
    return error;
}

/* Apply the migrations from the stored version to ours in one transaction, under a session
 * advisory lock so that processes creating the schema at once do it one after another. The
 * lock is taken before the transaction starts: a transaction that began before another
 * one's schema was committed may still see the catalog without it. */
static int migrate(btk_pg *db)
{
    btk_pg_params p = {0};
    int version = 0, error;

    if ((error = btk_pg__exec(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", NULL,
                              "cannot lock for migrating")) < 0)
        return error;
    if ((error = btk_pg__begin(db)) < 0)
        goto unlock;
    if ((error = read_version(db, &version)) < 0 || (error = check_version(db, version)) < 0)
        goto fail;
    for (; version < BTK_STORE_SCHEMA_VERSION; version++)
        if ((error = btk_pg__exec(db, migrations[version], NULL, "cannot migrate")) < 0 ||
            (version == 2 && (error = btk_pg__rekey_machines(db)) < 0) ||
            (version == BTK_STORE_UID_VERSION - 1 && (error = fill_content_uids(db)) < 0))
            goto fail;
    btk_pg__param_int(&p, BTK_STORE_SCHEMA_VERSION);
    if ((error = btk_pg__exec(db, "UPDATE benchtrack_schema SET version = $1", &p,
                              "cannot migrate")) < 0)
        goto fail;
    error = btk_pg__commit(db);
    goto unlock;
fail:
    btk_pg__rollback(db);
unlock:
    if (PQstatus(db->conn) == CONNECTION_OK)
        PQclear(PQexec(db->conn, "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")"));
    return error;
}

static void ignore_notice(void *payload, const char *message)
{
    BTK_UNUSED(payload);
    BTK_UNUSED(message);
}

/* Connect and set the session up: UTF-8 (a connection parameter, overriding the
 * location's), notices (e.g. "relation exists") not printed, read-only transactions for a
 * read-only open (sent with the first query, see read_version). */
static int connect_db(btk_pg *db, const char *location)
{
    const char *const keys[] = {"dbname", "client_encoding", NULL};
    const char *const values[] = {location, "UTF8", NULL};
    char detail[300], shown[300], *parse_error = NULL;
    PQconninfoOption *parsed;

    /* A location libpq cannot parse is bad input (exit 2), not a failed connection. */
    if ((parsed = PQconninfoParse(location, &parse_error)) == NULL) {
        if (parse_error == NULL)
            return BTK_ENOMEM;
        first_line(detail, sizeof(detail), parse_error, db);
        PQfreemem(parse_error);
        return btk_error_set(BTK_EINVAL, "invalid results database location '%s': %s",
                             btk_error_quote(shown, sizeof(shown), db->shown), detail);
    }
    PQconninfoFree(parsed);
    if ((db->conn = PQconnectdbParams(keys, values, 1)) == NULL)
        return BTK_ENOMEM;
    if (PQstatus(db->conn) != CONNECTION_OK)
        return btk_error_set(BTK_EIO, "cannot connect to results database '%s': %s",
                             btk_error_quote(shown, sizeof(shown), db->shown),
                             first_line(detail, sizeof(detail), PQerrorMessage(db->conn), db));
    PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
    return 0;
}

static int open_checked(btk_pg *db, const char *location)
{
    char shown[300];
    int version = 0, error;

    if ((error = connect_db(db, location)) < 0 || (error = read_version(db, &version)) < 0 ||
        (error = check_version(db, version)) < 0)
        return error;
    if (db->readonly && version < 1)
        return btk_error_set(BTK_ENOTFOUND, "no results database at '%s' (no benchtrack "
                             "schema in it yet; a writing command creates it)",
                             btk_error_quote(shown, sizeof(shown), db->shown));
    if (!db->readonly && version != BTK_STORE_SCHEMA_VERSION && (error = migrate(db)) < 0)
        return error;
    db->version = db->readonly ? version : BTK_STORE_SCHEMA_VERSION;
    return 0;
}

/* The password of a connection URI (its user info "user:password@", or a "password="
 * query parameter) into a btk__malloc'd string, *out NULL when it has none. */
static int find_password(char **out, const char *location)
{
    PQconninfoOption *opts = PQconninfoParse(location, NULL), *o;
    int error = 0;

    *out = NULL;
    for (o = opts; o && o->keyword; o++)
        if (!strcmp(o->keyword, "password") && o->val && *o->val &&
            (*out = btk__strdup(o->val)) == NULL)
            error = BTK_ENOMEM;
    PQconninfoFree(opts);
    return error;
}

/* The passwords as the location writes them (percent-encoded, or not parsable by libpq,
 * whose message may then quote them), to scrub from messages. */
static int raw_passwords(btk_pg *db, const char *location)
{
    size_t spans[BTK_ARRAY_SIZE(db->raw_passwords)][2];
    size_t n = btk_store__password_spans(location, spans, BTK_ARRAY_SIZE(spans));

    for (size_t i = 0; i < n; i++)
        if (spans[i][1] > 0 &&
            (db->raw_passwords[i] = btk__strndup(location + spans[i][0], spans[i][1])) == NULL)
            return BTK_ENOMEM;
    return 0;
}

static void pg_close(btk_store *store)
{
    btk_pg *db = btk_pg__of(store);

    if (db == NULL)
        return;
    PQfinish(db->conn);
    btk__free(db->shown);
    btk__free(db->password);
    for (size_t i = 0; i < BTK_ARRAY_SIZE(db->raw_passwords); i++)
        btk__free(db->raw_passwords[i]);
    btk__free(db);
}

static const btk_store_backend pg_backend = {
    "postgresql",
    pg_close,
    btk_pg__add_run,
    btk_pg__run_uid,
    btk_pg__find_uid,
    btk_pg__load_run,
    btk_pg__runs_for_commit,
    btk_pg__list_runs,
    btk_pg__history,
    btk_pg__machines,
    btk_pg__benchmark_names,
    btk_pg__machine_info,
    btk_pg__machine_has_host,
    btk_pg__add_ack,
    btk_pg__list_acks,
    btk_pg__remove_ack,
};

const bool btk_store__has_server = true;

int btk_store__open_server(btk_store **out, const char *location, unsigned flags)
{
    btk_pg *db;
    int error;

    *out = NULL;
    if ((db = btk__calloc(1, sizeof(*db))) == NULL)
        return BTK_ENOMEM;
    db->base.backend = &pg_backend;
    db->readonly = (flags & BTK_STORE_READONLY) != 0;
    if ((error = btk_store_redact(&db->shown, location)) < 0 ||
        (error = find_password(&db->password, location)) < 0 ||
        (error = raw_passwords(db, location)) < 0 ||
        (error = open_checked(db, location)) < 0) {
        pg_close(&db->base);
        return error;
    }
    *out = &db->base;
    return 0;
}
