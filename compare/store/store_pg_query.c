/*
 * Reading the PostgreSQL results database: one run (optionally with samples), runs of a
 * commit, the run list for `log`, a benchmark's history over a given commit order, machines
 * and names. Text is ordered by bytes (COLLATE "C"), as SQLite orders it, so both backends
 * list the same things in the same order.
 */
#include "store.h"

#include "metric.h"
#include "store_pg.h"

#include <math.h>

#define SQL_RUN_GET                                                                          \
    "SELECT r.id, r.commit_sha, r.branch, r.dirty, r.format, r.date, r.executable,"        \
    " r.compiler, r.flags, r.os, r.kernel, r.timer_source, r.timer_hz, r.hypervisor,"      \
    " r.context_json, r.options_json, m.fingerprint, %s, m.arch, m.cpu_model,"             \
    " m.cpus, c.time, c.author, c.subject, c.parents FROM runs r"                          \
    " JOIN machines m ON m.id = r.machine_id LEFT JOIN commits c ON c.sha = r.commit_sha" \
    " WHERE r.id = $1"
/* v3 keeps the host name per run (machines are hardware or named classes); before v3 a
 * machine was one host, and had no name. */
#define RUN_HOST_V3 "coalesce(r.hostname, m.hostname), m.name"
#define RUN_HOST_OLD "m.hostname, NULL"

static const char *run_host_sql(const btk_pg *db)
{
    return db->version >= BTK_STORE_MACHINE_VERSION ? RUN_HOST_V3 : RUN_HOST_OLD;
}
/* The first %s: the stored statistics' columns; the second: the per-call flag's column,
 * or 0 before schema v7 (BTK_STORE_CALLS_VERSION: batch percentiles). */
#define SQL_RESULTS_GET                                                                      \
    "SELECT x.id, b.name, b.family, b.has_param, b.param, x.status, x.error_kind,"         \
    " x.error_message, x.stop_reason, %s, x.cycles_median, x.mem_tracked,"                 \
    " x.allocs_per_iter, x.frees_per_iter, x.alloc_bytes_per_iter, x.peak_rss_bytes,"      \
    " x.minor_faults, x.major_faults, x.bytes_per_iter, x.items_per_iter, %s"              \
    " FROM results x JOIN benchmarks b ON b.id = x.benchmark_id WHERE x.run_id = $1"       \
    " ORDER BY x.seq"
/* The counters and samples of all of a run's results at once, by result. */
#define SQL_COUNTERS_GET                                                                     \
    "SELECT k.result_id, k.kind, k.name, k.value FROM counters k JOIN results x"            \
    " ON x.id = k.result_id WHERE x.run_id = $1"                                           \
    " ORDER BY k.result_id, k.kind, k.name COLLATE \"C\""
/* RATIO: the shared-core reading's column (schema v9, BTK_STORE_RATIO_VERSION), or NULL
 * (unknown) before. */
#define SQL_SAMPLES_GET(RATIO)                                                               \
    "SELECT s.result_id, s.proc_index, s.count, s.ns, s.batch, s.peak_rss_bytes,"          \
    " s.minor_faults, s.major_faults, " RATIO " FROM samples s JOIN results x"           \
    " ON x.id = s.result_id WHERE x.run_id = $1 ORDER BY s.result_id, s.seq"
#define SQL_WARNINGS_GET "SELECT text FROM run_warnings WHERE run_id = $1 ORDER BY seq"

/* Column i of row as a strdup'd string into dst; false on out-of-memory. */
#define TEXT(dst, res, row, i) (btk_pg__col_text(&(dst), (res), (row), (i)) == 0)

/* Run sql with one int64 parameter (NULL text when param is NULL... see callers). */
static int query_id(btk_pg *db, PGresult **out, const char *sql, int64_t id, const char *what)
{
    btk_pg_params p = {0};

    btk_pg__param_int(&p, id);
    return btk_pg__query(db, out, NULL, sql, &p, what);
}

/* Memory columns starting at c: tracked, allocs, frees, bytes, rss, minor, major. */
static void read_memory(btk_memory *m, const PGresult *res, int row, int c)
{
    m->tracked = btk_pg__col_int(res, row, c, 0) != 0;
    m->allocs_per_iter = btk_pg__col_double(res, row, c + 1);
    m->frees_per_iter = btk_pg__col_double(res, row, c + 2);
    m->bytes_per_iter = btk_pg__col_double(res, row, c + 3);
    m->peak_rss_bytes = btk_pg__col_int(res, row, c + 4, -1);
    m->minor_faults = btk_pg__col_int(res, row, c + 5, -1);
    m->major_faults = btk_pg__col_int(res, row, c + 6, -1);
}

static int parse_parents(btk_commit *c, const char *list)
{
    size_t n = 0, i;
    const char *p;

    if (list == NULL || *list == '\0')
        return 0;
    for (p = list; *p; p++)
        n += *p == ' ';
    if ((c->parents = btk__calloc(n + 1, sizeof(*c->parents))) == NULL)
        return BTK_ENOMEM;
    for (p = list, i = 0; i <= n && *p; i++) {
        size_t len = strcspn(p, " ");
        snprintf(c->parents[i], sizeof(c->parents[i]), "%.*s", (int)(len > 40 ? 40 : len), p);
        p += len + (p[len] == ' ');
    }
    c->parent_count = i;
    return 0;
}

static int read_run_row(btk_run *run, const PGresult *res)
{
    btk_machine *m = &run->machine;
    btk_commit *c = &run->commit;
    char *parents = NULL;
    int error;

    run->id = btk_pg__col_int(res, 0, 0, 0);
    snprintf(c->sha, sizeof(c->sha), "%s", PQgetvalue(res, 0, 1));
    c->dirty = btk_pg__col_int(res, 0, 3, 0) != 0;
    m->timer_hz = btk_pg__col_double(res, 0, 12);
    m->hypervisor = btk_pg__col_int(res, 0, 13, 0) != 0;
    m->cpus = (int)btk_pg__col_int(res, 0, 21, 0);
    c->time = btk_pg__col_int(res, 0, 22, 0);
    if (!TEXT(c->branch, res, 0, 2) || !TEXT(run->format, res, 0, 4) ||
        !TEXT(run->date, res, 0, 5) || !TEXT(run->executable, res, 0, 6) ||
        !TEXT(run->compiler, res, 0, 7) || !TEXT(run->flags, res, 0, 8) ||
        !TEXT(m->os, res, 0, 9) || !TEXT(m->kernel, res, 0, 10) ||
        !TEXT(m->timer_source, res, 0, 11) || !TEXT(run->context_json, res, 0, 14) ||
        !TEXT(run->options_json, res, 0, 15) || !TEXT(m->fingerprint, res, 0, 16) ||
        !TEXT(m->hostname, res, 0, 17) || !TEXT(m->name, res, 0, 18) ||
        !TEXT(m->arch, res, 0, 19) || !TEXT(m->cpu_model, res, 0, 20) ||
        !TEXT(c->author, res, 0, 23) || !TEXT(c->subject, res, 0, 24) ||
        !TEXT(parents, res, 0, 25))
        return BTK_ENOMEM;
    error = parse_parents(c, parents);
    btk__free(parents);
    return error;
}

static int load_warnings(btk_run *run, btk_pg *db)
{
    PGresult *res = NULL;
    int error, n;

    if ((error = query_id(db, &res, SQL_WARNINGS_GET, run->id, "cannot read warnings")) < 0)
        return error;
    n = PQntuples(res);
    if (n > 0 && (run->warnings = btk__calloc((size_t)n, sizeof(char *))) == NULL)
        error = BTK_ENOMEM;
    for (int i = 0; i < n && error == 0; i++)
        error = btk_pg__col_text(&run->warnings[run->warning_count++], res, i, 0);
    PQclear(res);
    return error;
}

static int read_result(btk_result *r, const PGresult *res, int row)
{
    int c;

    r->has_param = btk_pg__col_int(res, row, 3, 0) != 0;
    r->param = btk_pg__col_int(res, row, 4, 0);
    r->status = btk_pg__col_int(res, row, 5, 0) ? BTK_RESULT_FAILED : BTK_RESULT_OK;
    btk_stats_init(&r->cpu_stats);
    btk_stats_init(&r->core_stats);
    r->count_spread_min = r->count_spread_max = NAN;
    c = btk_pg__stats_read(&r->stats, res, row, 9);
    r->cycles_median = btk_pg__col_double(res, row, c);
    read_memory(&r->memory, res, row, c + 1);
    r->bytes_per_iter = btk_pg__col_double(res, row, c + 8);
    r->items_per_iter = btk_pg__col_double(res, row, c + 9);
    r->call_percentiles = btk_pg__col_int(res, row, c + 10, 0) != 0;
    if (!TEXT(r->name, res, row, 1) || !TEXT(r->family, res, row, 2) ||
        !TEXT(r->error_kind, res, row, 6) || !TEXT(r->error_message, res, row, 7) ||
        !TEXT(r->stop_reason, res, row, 8))
        return BTK_ENOMEM;
    if (r->bytes_per_iter != r->bytes_per_iter)
        r->bytes_per_iter = 0;
    if (r->items_per_iter != r->items_per_iter)
        r->items_per_iter = 0;
    return 0;
}

/* The result whose id is id, among the run's (ids ascending by seq are not assumed). */
static btk_result *result_by_id(btk_run *run, const int64_t *ids, int64_t id)
{
    for (size_t i = 0; i < run->result_count; i++)
        if (ids[i] == id)
            return &run->results[i];
    return NULL;
}

static int push_kv(btk_kv **kv, size_t *count, const PGresult *res, int row)
{
    btk_kv *grown = btk__realloc(*kv, (*count + 1) * sizeof(btk_kv));

    if (grown == NULL)
        return BTK_ENOMEM;
    *kv = grown;
    grown[*count].value = btk_pg__col_double(res, row, 3);
    if (btk_pg__col_text(&grown[*count].name, res, row, 2) < 0)
        return BTK_ENOMEM;
    (*count)++;
    return 0;
}

static int load_counters(btk_run *run, const int64_t *ids, btk_pg *db)
{
    PGresult *res = NULL;
    int error, n;

    if ((error = query_id(db, &res, SQL_COUNTERS_GET, run->id, "cannot read counters")) < 0)
        return error;
    n = PQntuples(res);
    for (int i = 0; i < n && error == 0; i++) {
        btk_result *r = result_by_id(run, ids, btk_pg__col_int(res, i, 0, 0));

        if (r == NULL)
            continue;
        error = btk_pg__col_int(res, i, 1, 0) == 0 ? push_kv(&r->counters, &r->counter_count, res, i)
                                                   : push_kv(&r->hw, &r->hw_count, res, i);
    }
    PQclear(res);
    return error;
}

static int read_proc(btk_proc *p, const PGresult *res, int row)
{
    int64_t count = btk_pg__col_int(res, row, 2, -1);
    unsigned char *ns = NULL, *batch = NULL;
    size_t ns_len = 0, batch_len = 0;
    int error;

    p->index = (int)btk_pg__col_int(res, row, 1, 0);
    p->peak_rss_bytes = btk_pg__col_int(res, row, 5, -1);
    p->minor_faults = btk_pg__col_int(res, row, 6, -1);
    p->major_faults = btk_pg__col_int(res, row, 7, -1);
    p->branch_ratio = btk_pg__col_double(res, row, 8); /* NAN when NULL */
    btk_proc_check_ratio(p);
    if ((error = btk_pg__col_blob(&ns, &ns_len, res, row, 3)) < 0 ||
        (error = btk_pg__col_blob(&batch, &batch_len, res, row, 4)) < 0)
        goto done;
    if (count < 0 || ns_len != (size_t)count * 8 || (batch && batch_len != ns_len)) {
        error = btk_error_set(BTK_EFORMAT, "a samples blob has the wrong size (%zu bytes "
                              "for %" PRId64 " samples)", ns_len, count);
        goto done;
    }
    p->count = (size_t)count;
    if ((p->ns = btk__malloc(ns_len + 8)) == NULL ||
        (batch && (p->batch = btk__malloc(batch_len + 8)) == NULL)) {
        error = BTK_ENOMEM;
        goto done;
    }
    btk_store__decode_f64(p->ns, ns, p->count);
    if (batch)
        btk_store__decode_u64(p->batch, batch, p->count);
done:
    btk__free(ns);
    btk__free(batch);
    return error;
}

static int load_samples(btk_run *run, const int64_t *ids, btk_pg *db)
{
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int error, n;

    btk_pg__param_int(&p, run->id);
    if ((error = btk_pg__query_binary(db, &res,
                                      db->version >= BTK_STORE_RATIO_VERSION
                                          ? SQL_SAMPLES_GET("s.branch_ratio")
                                          : SQL_SAMPLES_GET("NULL::double precision"),
                                      &p, "cannot read samples")) < 0)
        return error;
    n = PQntuples(res);
    for (int i = 0; i < n && error == 0; i++) {
        btk_result *r = result_by_id(run, ids, btk_pg__col_int(res, i, 0, 0));
        btk_proc *grown;

        if (r == NULL)
            continue;
        if ((grown = btk__realloc(r->procs, (r->proc_count + 1) * sizeof(btk_proc))) == NULL) {
            error = BTK_ENOMEM;
            break;
        }
        r->procs = grown;
        memset(&grown[r->proc_count], 0, sizeof(btk_proc));
        error = read_proc(&grown[r->proc_count++], res, i);
    }
    PQclear(res);
    return error;
}

/* Six stored figures (min, max, mean, median, ci_low, ci_high) of row i from column c. */
static void read_six(btk_stats *s, const PGresult *res, int i, int c)
{
    s->min = btk_pg__col_double(res, i, c);
    s->max = btk_pg__col_double(res, i, c + 1);
    s->mean = btk_pg__col_double(res, i, c + 2);
    s->median = btk_pg__col_double(res, i, c + 3);
    s->ci_low = btk_pg__col_double(res, i, c + 4);
    s->ci_high = btk_pg__col_double(res, i, c + 5);
}

/* Schema v5: the count's repeatability, the CPU statistics and (v8) the core-cycle
 * statistics of the run's results (a result without a row: none). */
static int load_metrics(btk_run *run, const int64_t *ids, btk_pg *db)
{
    PGresult *res = NULL;
    char sql[512];
    int error, n;

    if (db->version < BTK_STORE_METRICS_VERSION)
        return 0;
    snprintf(sql, sizeof(sql),
             "SELECT m.result_id, m.count_repeat, m.spread_min, m.spread_max, m.cpu_min,"
             " m.cpu_max, m.cpu_mean, m.cpu_median, m.cpu_ci_low, m.cpu_ci_high, %s"
             " FROM result_metrics m JOIN results x ON x.id = m.result_id"
             " WHERE x.run_id = $1",
             db->version >= BTK_STORE_CLOCK_VERSION
                 ? "m.core_min, m.core_max, m.core_mean, m.core_median, m.core_ci_low,"
                   " m.core_ci_high"
                 : "NULL, NULL, NULL, NULL, NULL, NULL");
    if ((error = query_id(db, &res, sql, run->id, "cannot read a result's CPU figures")) < 0)
        return error;
    n = PQntuples(res);
    for (int i = 0; i < n; i++) {
        btk_result *r = result_by_id(run, ids, btk_pg__col_int(res, i, 0, 0));
        int64_t repeat = btk_pg__col_int(res, i, 1, 0);

        if (r == NULL)
            continue;
        r->count_repeat = repeat == BTK_COUNT_DETERMINISTIC      ? BTK_COUNT_DETERMINISTIC
                          : repeat == BTK_COUNT_NONDETERMINISTIC ? BTK_COUNT_NONDETERMINISTIC
                                                                 : BTK_COUNT_UNKNOWN;
        r->count_spread_min = btk_pg__col_double(res, i, 2);
        r->count_spread_max = btk_pg__col_double(res, i, 3);
        read_six(&r->cpu_stats, res, i, 4);
        r->has_cpu_stats = r->cpu_stats.median == r->cpu_stats.median;
        read_six(&r->core_stats, res, i, 10);
        r->has_core_stats = r->core_stats.median == r->core_stats.median;
    }
    PQclear(res);
    return 0;
}

/* A series parallel to the samples of the processes already loaded (seq = position in
 * procs), one blob per process: schema v5's CPU ns (cpu_ns), or with clock schema v8's
 * core clock (clock_ghz, checked by btk_proc_check_clock). */
static int load_series(btk_run *run, const int64_t *ids, btk_pg *db, bool clock)
{
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int error, n;

    if (db->version < (clock ? BTK_STORE_CLOCK_VERSION : BTK_STORE_METRICS_VERSION))
        return 0;
    btk_pg__param_int(&p, run->id);
    if ((error = btk_pg__query_binary(
             db, &res,
             clock ? "SELECT c.result_id, c.seq, c.clock FROM clock_samples c"
                     " JOIN results x ON x.id = c.result_id"
                     " WHERE x.run_id = $1 ORDER BY c.result_id, c.seq"
                   : "SELECT c.result_id, c.seq, c.cpu_ns FROM cpu_samples c"
                     " JOIN results x ON x.id = c.result_id"
                     " WHERE x.run_id = $1 ORDER BY c.result_id, c.seq",
             &p, clock ? "cannot read clock samples" : "cannot read CPU samples")) < 0)
        return error;
    n = PQntuples(res);
    for (int i = 0; i < n && error == 0; i++) {
        btk_result *r = result_by_id(run, ids, btk_pg__col_int(res, i, 0, 0));
        int64_t seq = btk_pg__col_int(res, i, 1, -1);
        btk_proc *pr = r && seq >= 0 && (uint64_t)seq < r->proc_count ? &r->procs[seq] : NULL;
        double **dst = pr == NULL ? NULL : clock ? &pr->clock_ghz : &pr->cpu_ns;
        unsigned char *blob = NULL;
        size_t len = 0;

        if ((error = btk_pg__col_blob(&blob, &len, res, i, 2)) < 0)
            break;
        if (pr == NULL || len != pr->count * 8 || *dst != NULL)
            error = btk_error_set(BTK_EFORMAT, "a %s samples blob does not match its "
                                               "process's samples", clock ? "clock" : "CPU");
        else if ((*dst = btk__malloc(len + 8)) == NULL)
            error = BTK_ENOMEM;
        else
            btk_store__decode_f64(*dst, blob, pr->count);
        if (error == 0 && clock)
            btk_proc_check_clock(pr);
        btk__free(blob);
    }
    PQclear(res);
    return error;
}

/* Schema v5: a counting run's measure and count identity (no row: a time run). */
static int load_run_count(btk_run *run, btk_pg *db)
{
    PGresult *res = NULL;
    char *measure = NULL;
    int error;

    if (db->version < BTK_STORE_METRICS_VERSION)
        return 0;
    if ((error = query_id(db, &res, "SELECT measure, identity FROM run_counts WHERE run_id = $1",
                          run->id, "cannot read a run's measure")) < 0)
        return error;
    if (PQntuples(res) == 1) {
        if (!TEXT(measure, res, 0, 0) || !TEXT(run->count_identity, res, 0, 1))
            error = BTK_ENOMEM;
        else if (btk_measure_parse(&run->measure, measure) < 0 ||
                 run->measure == BTK_MEASURE_KIND_TIME)
            error = btk_error_set(BTK_EFORMAT, "run #%" PRId64 " has an unknown measure",
                                  run->id);
    }
    btk__free(measure);
    PQclear(res);
    return error;
}

static int load_results(btk_run *run, btk_pg *db, bool with_samples)
{
    char sql[4096], cols[1024], params[1024];
    PGresult *res = NULL;
    int64_t *ids = NULL;
    int error, n;

    btk_pg__stats_sql(cols, params, sizeof(cols), "x.", 1);
    snprintf(sql, sizeof(sql), SQL_RESULTS_GET, cols,
             db->version >= BTK_STORE_CALLS_VERSION ? "x.call_percentiles" : "0");
    if ((error = query_id(db, &res, sql, run->id, "cannot read results")) < 0)
        return error;
    n = PQntuples(res);
    if (n > 0 && ((run->results = btk__calloc((size_t)n, sizeof(btk_result))) == NULL ||
                  (ids = btk__calloc((size_t)n, sizeof(int64_t))) == NULL))
        error = BTK_ENOMEM;
    for (int i = 0; i < n && error == 0; i++) {
        ids[i] = btk_pg__col_int(res, i, 0, 0);
        run->result_count++;
        error = read_result(&run->results[i], res, i);
    }
    PQclear(res);
    if (error == 0 && n > 0)
        error = load_counters(run, ids, db);
    if (error == 0 && n > 0)
        error = load_metrics(run, ids, db);
    if (error == 0 && n > 0 && with_samples && (error = load_samples(run, ids, db)) == 0 &&
        (error = load_series(run, ids, db, false)) == 0)
        error = load_series(run, ids, db, true);
    btk__free(ids);
    return error;
}

int btk_pg__load_run(btk_run **out, btk_store *store, int64_t run_id, bool with_samples)
{
    btk_pg *db = btk_pg__of(store);
    char sql[2048];
    PGresult *res = NULL;
    btk_run *run = NULL;
    int error;

    *out = NULL;
    snprintf(sql, sizeof(sql), SQL_RUN_GET, run_host_sql(db));
    if ((error = query_id(db, &res, sql, run_id, "cannot read a run")) < 0)
        return error;
    if (PQntuples(res) == 0)
        error = btk_error_set(BTK_ENOTFOUND, "no run #%" PRId64 " in the results database",
                              run_id);
    else if ((error = btk_run_new(&run)) == 0)
        error = read_run_row(run, res);
    PQclear(res);
    /* A committed run never changes, so reading it in several statements is consistent. */
    if (error == 0 && (error = load_warnings(run, db)) == 0 &&
        (error = load_run_count(run, db)) == 0)
        error = load_results(run, db, with_samples);
    if (error < 0) {
        btk_run_free(run);
        return error;
    }
    *out = run;
    return 0;
}

int btk_pg__runs_for_commit(int64_t **ids_out, size_t *count_out, btk_store *store,
                            const char *sha, const char *machine_fp)
{
    btk_pg *db = btk_pg__of(store);
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int64_t *ids = NULL;
    int error, n;

    *ids_out = NULL;
    *count_out = 0;
    btk_pg__param_text(&p, sha);
    btk_pg__param_text(&p, machine_fp);
    if ((error = btk_pg__query(db, &res, NULL,
                               "SELECT r.id FROM runs r JOIN machines m ON m.id = r.machine_id"
                               " WHERE r.commit_sha = $1 AND ($2::text IS NULL OR"
                               " m.fingerprint = $2) ORDER BY r.id DESC",
                               &p, "cannot list the runs of a commit")) < 0)
        return error;
    n = PQntuples(res);
    if (n > 0 && (ids = btk__calloc((size_t)n, sizeof(*ids))) == NULL)
        error = BTK_ENOMEM;
    for (int i = 0; i < n && error == 0; i++)
        ids[i] = btk_pg__col_int(res, i, 0, 0);
    PQclear(res);
    if (error < 0)
        return error;
    *ids_out = ids;
    *count_out = (size_t)n;
    return 0;
}

#define SQL_LIST                                                                             \
    "SELECT r.id, r.commit_sha, r.branch, c.subject, r.date, m.fingerprint, %s,"           \
    " r.dirty, (SELECT count(*) FROM results x WHERE x.run_id = r.id),"                    \
    " (SELECT count(*) FROM results x WHERE x.run_id = r.id AND x.status != 0),"           \
    " m.hostname, r.compiler, r.flags FROM runs r JOIN machines m ON m.id = r.machine_id"  \
    " LEFT JOIN commits c ON c.sha = r.commit_sha ORDER BY r.id DESC LIMIT $1"

static int read_list_row(btk_run_row *row, const PGresult *res, int i)
{
    memset(row, 0, sizeof(*row));
    row->id = btk_pg__col_int(res, i, 0, 0);
    snprintf(row->sha, sizeof(row->sha), "%s", PQgetvalue(res, i, 1));
    row->dirty = btk_pg__col_int(res, i, 8, 0) != 0;
    row->benchmarks = btk_pg__col_int(res, i, 9, 0);
    row->failures = btk_pg__col_int(res, i, 10, 0);
    if (!TEXT(row->branch, res, i, 2) || !TEXT(row->subject, res, i, 3) ||
        !TEXT(row->date, res, i, 4) || !TEXT(row->machine_fp, res, i, 5) ||
        !TEXT(row->hostname, res, i, 6) || !TEXT(row->machine_name, res, i, 7) ||
        !TEXT(row->machine_host, res, i, 11) || !TEXT(row->compiler, res, i, 12) ||
        !TEXT(row->flags, res, i, 13))
        return BTK_ENOMEM;
    return 0;
}

int btk_pg__list_runs(btk_run_row **rows_out, size_t *count_out, btk_store *store,
                      size_t limit)
{
    btk_pg *db = btk_pg__of(store);
    btk_pg_params p = {0};
    PGresult *res = NULL;
    btk_run_row *rows = NULL;
    char sql[2048];
    size_t count = 0;
    int error, n;

    *rows_out = NULL;
    *count_out = 0;
    if (limit)
        btk_pg__param_int(&p, (int64_t)limit);
    else
        btk_pg__param_text(&p, NULL); /* LIMIT NULL: all */
    snprintf(sql, sizeof(sql), SQL_LIST, run_host_sql(db));
    if ((error = btk_pg__query(db, &res, NULL, sql, &p, "cannot list runs")) < 0)
        return error;
    n = PQntuples(res);
    if (n > 0 && (rows = btk__calloc((size_t)n, sizeof(*rows))) == NULL)
        error = BTK_ENOMEM;
    for (int i = 0; i < n && error == 0; i++)
        error = read_list_row(&rows[count++], res, i);
    PQclear(res);
    if (error < 0) {
        btk_run_rows_free(rows, count);
        return error;
    }
    *rows_out = rows;
    *count_out = count;
    return 0;
}

/* The history query: %s stands for the stored statistics' columns. Every results column it
 * reads is in the index results_history (schema v2). COLS: columns after the common ones,
 * JOIN: a join after results x, EXTRA: a condition. */
#define SQL_HISTORY_FULL(COLS, JOIN, EXTRA)                                                  \
    "SELECT r.commit_sha, r.id, c.time, c.subject, x.status, %s, x.cycles_median,"         \
    " x.mem_tracked, x.allocs_per_iter, x.frees_per_iter, x.alloc_bytes_per_iter,"         \
    " x.peak_rss_bytes, x.minor_faults, x.major_faults" COLS " FROM results x" JOIN        \
    " JOIN runs r ON r.id = x.run_id LEFT JOIN commits c ON c.sha = r.commit_sha"          \
    " WHERE x.benchmark_id = (SELECT id FROM benchmarks WHERE name = $1)"                  \
    " AND ($2::text IS NULL OR r.machine_id ="                                             \
    " (SELECT id FROM machines WHERE fingerprint = $2))"                                   \
    " AND r.commit_sha IS NOT NULL" EXTRA " ORDER BY x.run_id DESC"
#define NOT_COUNTING " AND NOT EXISTS (SELECT 1 FROM run_counts k WHERE k.run_id = x.run_id)"
/* Before v5: every run is a time run. */
#define SQL_HISTORY_OLD SQL_HISTORY_FULL("", "", "")
/* v5: a history of times leaves counting runs out (their figures are instructions). */
#define SQL_HISTORY SQL_HISTORY_FULL("", "", NOT_COUNTING)
/* v5, --metric cpu: time runs, with their CPU statistics (NULL: no CPU time). */
#define SQL_HISTORY_CPU                                                                      \
    SQL_HISTORY_FULL(", m.cpu_min, m.cpu_max, m.cpu_mean, m.cpu_median, m.cpu_ci_low,"      \
                     " m.cpu_ci_high",                                                      \
                     " LEFT JOIN result_metrics m ON m.result_id = x.id", NOT_COUNTING)
/* v8, --metric cycles: time runs, with their core-cycle statistics (NULL: no clock). */
#define SQL_HISTORY_CYCLES                                                                   \
    SQL_HISTORY_FULL(", m.core_min, m.core_max, m.core_mean, m.core_median, m.core_ci_low," \
                     " m.core_ci_high",                                                     \
                     " LEFT JOIN result_metrics m ON m.result_id = x.id", NOT_COUNTING)
/* v5, counts: counting runs only. */
#define SQL_HISTORY_COUNT                                                                    \
    SQL_HISTORY_FULL("", "",                                                                \
                     " AND EXISTS (SELECT 1 FROM run_counts k WHERE k.run_id = x.run_id)")

typedef struct sha_slot {
    const char *sha;
    size_t pos; /* index in the caller's order */
} sha_slot;

static int cmp_slot(const void *a, const void *b)
{
    return strcmp(((const sha_slot *)a)->sha, ((const sha_slot *)b)->sha);
}

/* Row i's CPU or core-cycle statistics into st (columns from c); false when it has none. */
static bool read_cpu(btk_stats *st, const PGresult *res, int i, int c)
{
    if (PQgetisnull(res, i, c + 3))
        return false;
    btk_stats_init(st);
    read_six(st, res, i, c);
    return true;
}

/* Place row i into its commit's slot unless a newer run already filled it (with --metric
 * cpu or cycles, a newer run with CPU time or a core clock). */
static int place_point(btk_history_point *pts, bool *filled, const sha_slot *slots,
                       size_t n, const PGresult *res, int i, btk_history_metric metric)
{
    sha_slot key, *hit;
    btk_history_point *p;
    btk_stats cpu;
    int c;

    if (PQgetisnull(res, i, 0))
        return 0;
    key.sha = PQgetvalue(res, i, 0);
    /* the CPU columns follow the statistics, cycles_median and the 7 memory columns */
    if ((metric == BTK_HISTORY_CPU || metric == BTK_HISTORY_CYCLES) &&
        !read_cpu(&cpu, res, i, btk_pg__stats_read(&cpu, res, i, 5) + 8))
        return 0;
    if ((hit = bsearch(&key, slots, n, sizeof(*slots), cmp_slot)) == NULL || filled[hit->pos])
        return 0;
    filled[hit->pos] = true;
    p = &pts[hit->pos];
    snprintf(p->sha, sizeof(p->sha), "%s", key.sha);
    p->run_id = btk_pg__col_int(res, i, 1, 0);
    p->commit_time = btk_pg__col_int(res, i, 2, 0);
    p->status = btk_pg__col_int(res, i, 4, 0) ? BTK_RESULT_FAILED : BTK_RESULT_OK;
    c = btk_pg__stats_read(&p->stats, res, i, 5);
    p->cycles_median = btk_pg__col_double(res, i, c);
    read_memory(&p->memory, res, i, c + 1);
    if (metric == BTK_HISTORY_CPU || metric == BTK_HISTORY_CYCLES) {
        p->stats = cpu;
        p->cycles_median = NAN; /* ticks of wall time */
    }
    return btk_pg__col_text(&p->subject, res, i, 3);
}

/* Move the filled points to the front, keeping the caller's order. */
static size_t compact(btk_history_point *pts, const bool *filled, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        if (filled[i] && k++ != i) {
            pts[k - 1] = pts[i];
            memset(&pts[i], 0, sizeof(pts[i]));
        }
    return k;
}

static int query_history(btk_history_point *pts, bool *filled, const sha_slot *slots,
                         size_t n, btk_pg *db, const char *name, const char *fp,
                         btk_history_metric metric)
{
    char sql[4096], cols[1024], params[1024];
    btk_pg_params p = {0};
    PGresult *res = NULL;
    const char *fmt;
    int error, rows;

    if ((metric != BTK_HISTORY_TIME && db->version < BTK_STORE_METRICS_VERSION) ||
        (metric == BTK_HISTORY_CYCLES && db->version < BTK_STORE_CLOCK_VERSION))
        return 0; /* no counts, no CPU time before v5; no core clock before v8 */
    fmt = metric == BTK_HISTORY_CPU      ? SQL_HISTORY_CPU
          : metric == BTK_HISTORY_CYCLES ? SQL_HISTORY_CYCLES
          : metric == BTK_HISTORY_COUNT  ? SQL_HISTORY_COUNT
          : db->version >= BTK_STORE_METRICS_VERSION ? SQL_HISTORY
                                                     : SQL_HISTORY_OLD;
    btk_pg__stats_sql(cols, params, sizeof(cols), "x.", 1);
    snprintf(sql, sizeof(sql), fmt, cols);
    btk_pg__param_text(&p, name);
    btk_pg__param_text(&p, fp);
    if ((error = btk_pg__query_binary(db, &res, sql, &p, "cannot read the history")) < 0)
        return error;
    rows = PQntuples(res);
    for (int i = 0; i < rows && error == 0; i++)
        error = place_point(pts, filled, slots, n, res, i, metric);
    PQclear(res);
    return error;
}

int btk_pg__history(btk_history_point **points_out, size_t *count_out, btk_store *store,
                    const char *bench_name, const char *machine_fp, const char (*shas)[41],
                    size_t sha_count, btk_history_metric metric)
{
    btk_pg *db = btk_pg__of(store);
    btk_history_point *pts;
    sha_slot *slots;
    bool *filled;
    int error = BTK_ENOMEM;

    *points_out = NULL;
    *count_out = 0;
    pts = btk__calloc(sha_count + 1, sizeof(*pts));
    slots = btk__calloc(sha_count + 1, sizeof(*slots));
    filled = btk__calloc(sha_count + 1, sizeof(*filled));
    if (pts && slots && filled) {
        for (size_t i = 0; i < sha_count; i++) {
            slots[i].sha = shas[i];
            slots[i].pos = i;
        }
        qsort(slots, sha_count, sizeof(*slots), cmp_slot);
        error = query_history(pts, filled, slots, sha_count, db, bench_name, machine_fp,
                              metric);
    }
    if (error == 0)
        *count_out = compact(pts, filled, sha_count);
    else
        btk_history_free(pts, sha_count);
    *points_out = error == 0 ? pts : NULL;
    btk__free(slots);
    btk__free(filled);
    return error;
}

/* Run a one-column text query (with one text parameter, NULL allowed) into a string list. */
static int strings_query(char ***out, size_t *count_out, btk_pg *db, const char *sql,
                         const char *param)
{
    btk_pg_params p = {0};
    PGresult *res = NULL;
    char **list = NULL;
    size_t count = 0;
    int error, n;

    *out = NULL;
    *count_out = 0;
    btk_pg__param_text(&p, param);
    if ((error = btk_pg__query(db, &res, NULL, sql, &p, "cannot list")) < 0)
        return error;
    n = PQntuples(res);
    if (n > 0 && (list = btk__calloc((size_t)n, sizeof(char *))) == NULL)
        error = BTK_ENOMEM;
    for (int i = 0; i < n && error == 0; i++)
        error = btk_pg__col_text(&list[count++], res, i, 0);
    PQclear(res);
    if (error < 0) {
        btk_strings_free(list, count);
        return error;
    }
    *out = list;
    *count_out = count;
    return 0;
}

int btk_pg__machines(char ***fps_out, size_t *count_out, btk_store *store)
{
    return strings_query(fps_out, count_out, btk_pg__of(store),
                         "SELECT fingerprint FROM machines m WHERE EXISTS"
                         " (SELECT 1 FROM runs r WHERE r.machine_id = m.id)"
                         " AND $1::text IS NULL ORDER BY fingerprint COLLATE \"C\"", NULL);
}

int btk_pg__benchmark_names(char ***names_out, size_t *count_out, btk_store *store,
                            const char *machine_fp)
{
    return strings_query(names_out, count_out, btk_pg__of(store),
                         "SELECT b.name FROM benchmarks b WHERE EXISTS (SELECT 1 FROM"
                         " results x JOIN runs r ON r.id = x.run_id JOIN machines m"
                         " ON m.id = r.machine_id WHERE x.benchmark_id = b.id AND"
                         " ($1::text IS NULL OR m.fingerprint = $1))"
                         " ORDER BY b.name COLLATE \"C\"", machine_fp);
}

int btk_pg__machine_info(btk_machine *out, btk_store *store, const char *fp)
{
    btk_pg *db = btk_pg__of(store);
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int error;

    memset(out, 0, sizeof(*out));
    btk_pg__param_text(&p, fp);
    if ((error = btk_pg__query(db, &res, NULL,
                               db->version >= BTK_STORE_MACHINE_VERSION
                                   ? "SELECT fingerprint, hostname, arch, cpu_model, cpus,"
                                     " name FROM machines WHERE fingerprint = $1"
                                   : "SELECT fingerprint, hostname, arch, cpu_model, cpus,"
                                     " NULL FROM machines WHERE fingerprint = $1",
                               &p, "cannot read a machine")) < 0)
        return error;
    if (PQntuples(res) == 0)
        error = btk_error_set(BTK_ENOTFOUND, "no machine with that fingerprint");
    else if (!TEXT(out->fingerprint, res, 0, 0) || !TEXT(out->hostname, res, 0, 1) ||
             !TEXT(out->arch, res, 0, 2) || !TEXT(out->cpu_model, res, 0, 3) ||
             !TEXT(out->name, res, 0, 5))
        error = BTK_ENOMEM;
    out->cpus = error == 0 ? (int)btk_pg__col_int(res, 0, 4, 0) : 0;
    PQclear(res);
    if (error < 0)
        btk_machine_clear(out);
    return error;
}

int btk_pg__content_uid(char *out, btk_pg *db, int64_t id)
{
    const char *fields[7];
    PGresult *res = NULL;
    int error;

    if ((error = query_id(db, &res,
                          db->version >= BTK_STORE_MACHINE_VERSION
                              ? "SELECT r.commit_sha, coalesce(r.hostname, m.hostname),"
                                " r.date, r.stored_at::text, r.executable, r.context_json,"
                                " r.options_json FROM runs r JOIN machines m"
                                " ON m.id = r.machine_id WHERE r.id = $1"
                              : "SELECT r.commit_sha, m.hostname, r.date, r.stored_at::text,"
                                " r.executable, r.context_json, r.options_json FROM runs r"
                                " JOIN machines m ON m.id = r.machine_id WHERE r.id = $1",
                          id, "cannot read a run")) < 0)
        return error;
    if (PQntuples(res) == 1) {
        for (int i = 0; i < 7; i++)
            fields[i] = PQgetisnull(res, 0, i) ? NULL : PQgetvalue(res, 0, i);
        btk_store__content_uid(out, id, fields, 7);
    } else
        error = btk_error_set(BTK_ENOTFOUND, "no run #%" PRId64 " in the results database", id);
    PQclear(res);
    return error;
}

int btk_pg__run_uid(char *out, btk_store *store, int64_t run_id)
{
    btk_pg *db = btk_pg__of(store);
    PGresult *res = NULL;
    int error;

    if (db->version < BTK_STORE_UID_VERSION) /* an older database read as it is */
        return btk_pg__content_uid(out, db, run_id);
    if ((error = query_id(db, &res, "SELECT uid FROM runs WHERE id = $1", run_id,
                          "cannot read a run")) < 0)
        return error;
    if (PQntuples(res) == 0)
        error = btk_error_set(BTK_ENOTFOUND, "no run #%" PRId64 " in the results database",
                              run_id);
    else if (PQgetlength(res, 0, 0) != BTK_STORE_UID_LEN)
        error = btk_error_set(BTK_EFORMAT, "run #%" PRId64 " has a malformed uid", run_id);
    else
        snprintf(out, BTK_STORE_UID_LEN + 1, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return error;
}

int btk_pg__find_uid(int64_t *id_out, btk_store *store, const char *uid)
{
    btk_pg *db = btk_pg__of(store);
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int error;

    if (db->version < BTK_STORE_UID_VERSION)
        return btk_error_set(BTK_ENOTFOUND, "no run with uid '%s'", uid);
    btk_pg__param_text(&p, uid);
    if ((error = btk_pg__query(db, &res, NULL, "SELECT id FROM runs WHERE uid = $1", &p,
                               "cannot look a run up")) < 0)
        return error;
    if (PQntuples(res) == 1)
        *id_out = btk_pg__col_int(res, 0, 0, 0);
    else
        error = btk_error_set(BTK_ENOTFOUND, "no run with uid '%s'", uid);
    PQclear(res);
    return error;
}

int btk_pg__machine_has_host(btk_store *store, const char *fp, const char *host)
{
    btk_pg *db = btk_pg__of(store);
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int error;

    btk_pg__param_text(&p, fp);
    btk_pg__param_text(&p, host);
    /* v3: any run's own host name; before, a machine was one host */
    if ((error = btk_pg__query(db, &res, NULL,
                               db->version >= BTK_STORE_MACHINE_VERSION
                                   ? "SELECT 1 FROM runs r JOIN machines m ON m.id ="
                                     " r.machine_id WHERE m.fingerprint = $1 AND"
                                     " coalesce(r.hostname, m.hostname) = $2 LIMIT 1"
                                   : "SELECT 1 FROM machines WHERE fingerprint = $1"
                                     " AND hostname = $2",
                               &p, "cannot read a machine")) < 0)
        return error;
    error = PQntuples(res) > 0 ? 1 : 0;
    PQclear(res);
    return error;
}
