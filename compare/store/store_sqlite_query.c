/*
 * Reading the results database: one run (optionally with samples), runs of a commit, the
 * run list for `log`, a benchmark's history over a given commit order, machines and names.
 */
#include "store.h"

#include "metric.h"
#include "store_sqlite.h"

#include <math.h>

/* The schema version that added run_counts, result_metrics and cpu_samples. */
#define METRICS_VERSION 5

/* %s: the run's host name and its machine's name (RUN_HOST_V3 or RUN_HOST_OLD). */
#define SQL_RUN_GET                                                                          \
    "SELECT r.id, r.commit_sha, r.branch, r.dirty, r.format, r.date, r.executable,"        \
    " r.compiler, r.flags, r.os, r.kernel, r.timer_source, r.timer_hz, r.hypervisor,"      \
    " r.context_json, r.options_json, m.fingerprint, %s, m.arch, m.cpu_model,"             \
    " m.cpus, c.time, c.author, c.subject, c.parents FROM runs r"                          \
    " JOIN machines m ON m.id = r.machine_id LEFT JOIN commits c ON c.sha = r.commit_sha" \
    " WHERE r.id = ?"
/* v3 keeps the host name per run (machines are hardware or named classes); before v3 a
 * machine was one host, and had no name. */
#define RUN_HOST_V3 "coalesce(r.hostname, m.hostname), m.name"
#define RUN_HOST_OLD "m.hostname, NULL"

static const char *run_host_sql(const btk_sqlite *db)
{
    return db->version >= 3 ? RUN_HOST_V3 : RUN_HOST_OLD;
}
/* %s: the stored statistics' columns (btk_sqlite__stats_sql); CALLS: the per-call flag's
 * column, or 0 before schema v7 (BTK_STORE_CALLS_VERSION: batch percentiles). */
#define SQL_RESULTS_GET(CALLS)                                                               \
    "SELECT x.id, b.name, b.family, b.has_param, b.param, x.status, x.error_kind,"         \
    " x.error_message, x.stop_reason, %s, x.cycles_median, x.mem_tracked,"                 \
    " x.allocs_per_iter, x.frees_per_iter, x.alloc_bytes_per_iter, x.peak_rss_bytes,"      \
    " x.minor_faults, x.major_faults, x.bytes_per_iter, x.items_per_iter, " CALLS          \
    " FROM results x JOIN benchmarks b ON b.id = x.benchmark_id WHERE x.run_id = ?"        \
    " ORDER BY x.seq"
#define SQL_COUNTERS_GET                                                                     \
    "SELECT kind, name, value FROM counters WHERE result_id = ? ORDER BY kind, name"
/* RATIO: the shared-core reading's column (schema v9, BTK_STORE_RATIO_VERSION), or NULL
 * (unknown) before. */
#define SQL_SAMPLES_GET(RATIO)                                                               \
    "SELECT proc_index, count, ns, batch, peak_rss_bytes, minor_faults,"                 \
    " major_faults, " RATIO " FROM samples WHERE result_id = ? ORDER BY seq"
#define SQL_WARNINGS_GET "SELECT text FROM run_warnings WHERE run_id = ? ORDER BY seq"
/* Schema v3: a counting run's measure and identity, a result's count and CPU figures, a
 * process's CPU samples (absent rows: a time run, figures unknown). */
#define SQL_RUN_COUNT_GET "SELECT measure, identity FROM run_counts WHERE run_id = ?"
/* CORE: the core-cycle statistics' columns (schema v8), or six NULLs before. */
#define SQL_METRICS_GET(CORE)                                                                \
    "SELECT count_repeat, spread_min, spread_max, cpu_min, cpu_max, cpu_mean, cpu_median,"  \
    " cpu_ci_low, cpu_ci_high, " CORE " FROM result_metrics WHERE result_id = ?"
#define CORE_COLUMNS "core_min, core_max, core_mean, core_median, core_ci_low, core_ci_high"
#define CORE_NONE "NULL, NULL, NULL, NULL, NULL, NULL"
#define SQL_CPU_GET "SELECT seq, cpu_ns FROM cpu_samples WHERE result_id = ? ORDER BY seq"
/* Schema v8 (BTK_STORE_CLOCK_VERSION): a process's core clock, GHz per sample. */
#define SQL_CLOCK_GET "SELECT seq, clock FROM clock_samples WHERE result_id = ? ORDER BY seq"

/* The statements of load_results; metrics and cpu only on schema v5 (METRICS_VERSION) and
 * later, clock on v8. */
typedef struct result_stmts {
    sqlite3_stmt *counters, *samples, *metrics, *cpu, *clock;
} result_stmts;

/* Column i as a strdup'd string into *dst; returns false on out-of-memory. */
#define TEXT(dst, st, i) (btk_sqlite__col_text(&(dst), (st), (i)) == 0)

/* Memory columns starting at c: tracked, allocs, frees, bytes, rss, minor, major. */
static void read_memory(btk_memory *m, sqlite3_stmt *st, int c)
{
    m->tracked = sqlite3_column_int(st, c) != 0;
    m->allocs_per_iter = btk_sqlite__col_double(st, c + 1);
    m->frees_per_iter = btk_sqlite__col_double(st, c + 2);
    m->bytes_per_iter = btk_sqlite__col_double(st, c + 3);
    m->peak_rss_bytes = btk_sqlite__col_int(st, c + 4, -1);
    m->minor_faults = btk_sqlite__col_int(st, c + 5, -1);
    m->major_faults = btk_sqlite__col_int(st, c + 6, -1);
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

static int read_run_row(btk_run *run, sqlite3_stmt *st)
{
    btk_machine *m = &run->machine;
    btk_commit *c = &run->commit;
    const unsigned char *sha = sqlite3_column_text(st, 1);
    char *parents = NULL;
    int error;

    run->id = sqlite3_column_int64(st, 0);
    snprintf(c->sha, sizeof(c->sha), "%s", sha ? (const char *)sha : "");
    c->dirty = sqlite3_column_int(st, 3) != 0;
    m->timer_hz = btk_sqlite__col_double(st, 12);
    m->hypervisor = sqlite3_column_int(st, 13) != 0;
    m->cpus = sqlite3_column_int(st, 21);
    c->time = btk_sqlite__col_int(st, 22, 0);
    if (!TEXT(c->branch, st, 2) || !TEXT(run->format, st, 4) || !TEXT(run->date, st, 5) ||
        !TEXT(run->executable, st, 6) || !TEXT(run->compiler, st, 7) ||
        !TEXT(run->flags, st, 8) || !TEXT(m->os, st, 9) || !TEXT(m->kernel, st, 10) ||
        !TEXT(m->timer_source, st, 11) || !TEXT(run->context_json, st, 14) ||
        !TEXT(run->options_json, st, 15) || !TEXT(m->fingerprint, st, 16) ||
        !TEXT(m->hostname, st, 17) || !TEXT(m->name, st, 18) || !TEXT(m->arch, st, 19) ||
        !TEXT(m->cpu_model, st, 20) || !TEXT(c->author, st, 23) ||
        !TEXT(c->subject, st, 24) || !TEXT(parents, st, 25))
        return BTK_ENOMEM;
    error = parse_parents(c, parents);
    btk__free(parents);
    return error;
}

static int load_warnings(btk_run *run, btk_sqlite *db)
{
    sqlite3_stmt *st = NULL;
    char **grown;
    int rc, error;

    if ((error = btk_sqlite__prepare(db, SQL_WARNINGS_GET, &st)) < 0)
        return error;
    sqlite3_bind_int64(st, 1, run->id);
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        grown = btk__realloc(run->warnings, (run->warning_count + 1) * sizeof(char *));
        if (grown == NULL) {
            error = BTK_ENOMEM;
            break;
        }
        run->warnings = grown;
        grown[run->warning_count] = NULL;
        error = btk_sqlite__col_text(&grown[run->warning_count++], st, 0);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot read warnings");
    sqlite3_finalize(st);
    return error;
}

static int push_kv(btk_kv **kv, size_t *count, sqlite3_stmt *st)
{
    btk_kv *grown = btk__realloc(*kv, (*count + 1) * sizeof(btk_kv));

    if (grown == NULL)
        return BTK_ENOMEM;
    *kv = grown;
    grown[*count].value = btk_sqlite__col_double(st, 2);
    if (btk_sqlite__col_text(&grown[*count].name, st, 1) < 0)
        return BTK_ENOMEM;
    (*count)++;
    return 0;
}

static int load_counters(btk_result *r, btk_sqlite *db, sqlite3_stmt *st, int64_t id)
{
    int rc, error = 0;

    BTK_UNUSED(db);
    sqlite3_bind_int64(st, 1, id);
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        error = sqlite3_column_int(st, 0) == 0 ? push_kv(&r->counters, &r->counter_count, st)
                                               : push_kv(&r->hw, &r->hw_count, st);
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot read counters");
    sqlite3_reset(st);
    return error;
}

static int read_proc(btk_proc *p, sqlite3_stmt *st)
{
    int64_t count = sqlite3_column_int64(st, 1);
    const void *ns = sqlite3_column_blob(st, 2);
    size_t ns_len = (size_t)sqlite3_column_bytes(st, 2);
    const void *batch = sqlite3_column_blob(st, 3);
    size_t batch_len = (size_t)sqlite3_column_bytes(st, 3);

    p->index = sqlite3_column_int(st, 0);
    p->peak_rss_bytes = btk_sqlite__col_int(st, 4, -1);
    p->minor_faults = btk_sqlite__col_int(st, 5, -1);
    p->major_faults = btk_sqlite__col_int(st, 6, -1);
    p->branch_ratio = btk_sqlite__col_double(st, 7); /* NAN when NULL */
    btk_proc_check_ratio(p);
    if (count < 0 || ns_len != (size_t)count * 8 || (batch && batch_len != ns_len))
        return btk_error_set(BTK_EFORMAT, "a samples blob has the wrong size (%zu bytes for "
                             "%" PRId64 " samples)", ns_len, count);
    p->count = (size_t)count;
    if ((p->ns = btk__malloc(ns_len + 8)) == NULL ||
        (batch && (p->batch = btk__malloc(batch_len + 8)) == NULL))
        return BTK_ENOMEM;
    if (ns)
        btk_store__decode_f64(p->ns, ns, p->count);
    if (batch)
        btk_store__decode_u64(p->batch, batch, p->count);
    return 0;
}

static int load_samples(btk_result *r, btk_sqlite *db, sqlite3_stmt *st, int64_t id)
{
    btk_proc *grown;
    int rc, error = 0;

    sqlite3_bind_int64(st, 1, id);
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((grown = btk__realloc(r->procs, (r->proc_count + 1) * sizeof(btk_proc))) == NULL) {
            error = BTK_ENOMEM;
            break;
        }
        r->procs = grown;
        memset(&grown[r->proc_count], 0, sizeof(btk_proc));
        error = read_proc(&grown[r->proc_count++], st);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot read samples");
    sqlite3_reset(st);
    return error;
}

/* Six stored figures (min, max, mean, median, ci_low, ci_high) from column c into s. */
static void read_six(btk_stats *s, sqlite3_stmt *st, int c)
{
    s->min = btk_sqlite__col_double(st, c);
    s->max = btk_sqlite__col_double(st, c + 1);
    s->mean = btk_sqlite__col_double(st, c + 2);
    s->median = btk_sqlite__col_double(st, c + 3);
    s->ci_low = btk_sqlite__col_double(st, c + 4);
    s->ci_high = btk_sqlite__col_double(st, c + 5);
}

static int load_metrics(btk_result *r, btk_sqlite *db, sqlite3_stmt *st, int64_t id)
{
    int rc, repeat;

    sqlite3_bind_int64(st, 1, id);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        repeat = sqlite3_column_int(st, 0);
        r->count_repeat = repeat == BTK_COUNT_DETERMINISTIC      ? BTK_COUNT_DETERMINISTIC
                          : repeat == BTK_COUNT_NONDETERMINISTIC ? BTK_COUNT_NONDETERMINISTIC
                                                                 : BTK_COUNT_UNKNOWN;
        r->count_spread_min = btk_sqlite__col_double(st, 1);
        r->count_spread_max = btk_sqlite__col_double(st, 2);
        read_six(&r->cpu_stats, st, 3);
        r->has_cpu_stats = r->cpu_stats.median == r->cpu_stats.median;
        read_six(&r->core_stats, st, 9);
        r->has_core_stats = r->core_stats.median == r->core_stats.median;
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : btk_sqlite__fail(db, "cannot read a result's CPU figures");
}

/* A series parallel to the samples of the processes already loaded (seq = position in
 * procs), one blob per process: CPU ns (cpu_ns), or with clock the core clock (clock_ghz,
 * checked by btk_proc_check_clock). */
static int load_series(btk_result *r, btk_sqlite *db, sqlite3_stmt *st, int64_t id,
                       bool clock)
{
    const char *what = clock ? "clock" : "CPU";
    int rc, error = 0;

    sqlite3_bind_int64(st, 1, id);
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        const void *blob = sqlite3_column_blob(st, 1);
        btk_proc *p = seq >= 0 && (uint64_t)seq < r->proc_count ? &r->procs[seq] : NULL;
        double **dst = p == NULL ? NULL : clock ? &p->clock_ghz : &p->cpu_ns;

        if (p == NULL || len != p->count * 8 || *dst != NULL)
            error = btk_error_set(BTK_EFORMAT, "a %s samples blob does not match its "
                                               "process's samples", what);
        else if ((*dst = btk__malloc(len + 8)) == NULL)
            error = BTK_ENOMEM;
        else if (blob)
            btk_store__decode_f64(*dst, blob, p->count);
        if (error == 0 && clock)
            btk_proc_check_clock(p);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, clock ? "cannot read clock samples"
                                           : "cannot read CPU samples");
    sqlite3_reset(st);
    return error;
}

static int read_result(btk_result *r, sqlite3_stmt *st)
{
    int c;

    r->has_param = sqlite3_column_int(st, 3) != 0;
    r->param = sqlite3_column_int64(st, 4);
    r->status = sqlite3_column_int(st, 5) ? BTK_RESULT_FAILED : BTK_RESULT_OK;
    btk_stats_init(&r->cpu_stats);
    btk_stats_init(&r->core_stats);
    r->count_spread_min = r->count_spread_max = NAN;
    c = btk_sqlite__stats_read(&r->stats, st, 9);
    r->cycles_median = btk_sqlite__col_double(st, c);
    read_memory(&r->memory, st, c + 1);
    r->bytes_per_iter = btk_sqlite__col_double(st, c + 8);
    r->items_per_iter = btk_sqlite__col_double(st, c + 9);
    r->call_percentiles = sqlite3_column_int(st, c + 10) != 0;
    if (!TEXT(r->name, st, 1) || !TEXT(r->family, st, 2) || !TEXT(r->error_kind, st, 6) ||
        !TEXT(r->error_message, st, 7) || !TEXT(r->stop_reason, st, 8))
        return BTK_ENOMEM;
    if (r->bytes_per_iter != r->bytes_per_iter)
        r->bytes_per_iter = 0;
    if (r->items_per_iter != r->items_per_iter)
        r->items_per_iter = 0;
    return 0;
}

static int grow_results(btk_run *run)
{
    btk_result *grown;

    if ((grown = btk__realloc(run->results, (run->result_count + 1) * sizeof(*grown))) == NULL)
        return BTK_ENOMEM;
    run->results = grown;
    memset(&grown[run->result_count++], 0, sizeof(*grown));
    return 0;
}

static int load_results(btk_run *run, btk_sqlite *db, bool with_samples)
{
    sqlite3_stmt *st = NULL;
    result_stmts x = {NULL, NULL, NULL, NULL, NULL};
    bool v5 = db->version >= METRICS_VERSION, v8 = db->version >= BTK_STORE_CLOCK_VERSION;
    const char *samples = db->version >= BTK_STORE_RATIO_VERSION
                              ? SQL_SAMPLES_GET("branch_ratio")
                              : SQL_SAMPLES_GET("NULL");
    int rc = SQLITE_DONE, error;
    char sql[1024];

    btk_sqlite__stats_sql(sql, sizeof(sql),
                          db->version >= BTK_STORE_CALLS_VERSION
                              ? SQL_RESULTS_GET("x.call_percentiles")
                              : SQL_RESULTS_GET("0"),
                          "x.");
    if ((error = btk_sqlite__prepare(db, sql, &st)) < 0 ||
        (error = btk_sqlite__prepare(db, SQL_COUNTERS_GET, &x.counters)) < 0 ||
        (with_samples && (error = btk_sqlite__prepare(db, samples, &x.samples)) < 0) ||
        (v5 && (error = btk_sqlite__prepare(db, v8 ? SQL_METRICS_GET(CORE_COLUMNS)
                                                  : SQL_METRICS_GET(CORE_NONE),
                                            &x.metrics)) < 0) ||
        (v5 && with_samples && (error = btk_sqlite__prepare(db, SQL_CPU_GET, &x.cpu)) < 0) ||
        (v8 && with_samples && (error = btk_sqlite__prepare(db, SQL_CLOCK_GET, &x.clock)) < 0))
        goto done;
    sqlite3_bind_int64(st, 1, run->id);
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        btk_result *r;
        int64_t id = sqlite3_column_int64(st, 0);

        if ((error = grow_results(run)) < 0)
            break;
        r = &run->results[run->result_count - 1];
        if ((error = read_result(r, st)) < 0 ||
            (error = load_counters(r, db, x.counters, id)) < 0 ||
            (with_samples && (error = load_samples(r, db, x.samples, id)) < 0) ||
            (v5 && (error = load_metrics(r, db, x.metrics, id)) < 0) ||
            (v5 && with_samples && (error = load_series(r, db, x.cpu, id, false)) < 0) ||
            (v8 && with_samples && (error = load_series(r, db, x.clock, id, true)) < 0))
            break;
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot read results");
done:
    sqlite3_finalize(st);
    sqlite3_finalize(x.counters);
    sqlite3_finalize(x.samples);
    sqlite3_finalize(x.metrics);
    sqlite3_finalize(x.cpu);
    sqlite3_finalize(x.clock);
    return error;
}

/* A v3 run's measure and count identity (no row: a time run). */
static int load_run_count(btk_run *run, btk_sqlite *db)
{
    sqlite3_stmt *st = NULL;
    char *measure = NULL;
    int rc, error;

    if (db->version < METRICS_VERSION)
        return 0;
    if ((error = btk_sqlite__prepare(db, SQL_RUN_COUNT_GET, &st)) < 0)
        return error;
    sqlite3_bind_int64(st, 1, run->id);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!TEXT(measure, st, 0) || !TEXT(run->count_identity, st, 1))
            error = BTK_ENOMEM;
        else if (btk_measure_parse(&run->measure, measure) < 0 ||
                 run->measure == BTK_MEASURE_KIND_TIME)
            error = btk_error_set(BTK_EFORMAT, "run #%" PRId64 " has an unknown measure",
                                  run->id);
    } else if (rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot read a run's measure");
    btk__free(measure);
    sqlite3_finalize(st);
    return error;
}

int btk_sqlite__load_run(btk_run **out, btk_store *store, int64_t run_id, bool with_samples)
{
    btk_sqlite *db = btk_sqlite__of(store);
    sqlite3_stmt *st = NULL;
    btk_run *run = NULL;
    char sql[1024];
    int rc, error;

    *out = NULL;
    snprintf(sql, sizeof(sql), SQL_RUN_GET, run_host_sql(db));
    if ((error = btk_sqlite__prepare(db, sql, &st)) < 0)
        return error;
    sqlite3_bind_int64(st, 1, run_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        error = btk_error_set(BTK_ENOTFOUND, "no run #%" PRId64 " in the results database",
                              run_id);
    else if (rc != SQLITE_ROW)
        error = btk_sqlite__fail(db, "cannot read a run");
    else if ((error = btk_run_new(&run)) == 0)
        error = read_run_row(run, st);
    sqlite3_finalize(st);
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

int btk_sqlite__runs_for_commit(int64_t **ids_out, size_t *count_out, btk_store *store,
                                const char *sha, const char *machine_fp)
{
    btk_sqlite *db = btk_sqlite__of(store);
    sqlite3_stmt *st = NULL;
    int64_t *ids = NULL, *grown;
    size_t count = 0;
    int rc = SQLITE_DONE, error;

    *ids_out = NULL;
    *count_out = 0;
    if ((error = btk_sqlite__prepare(db, "SELECT r.id FROM runs r JOIN machines m"
                                        " ON m.id = r.machine_id WHERE r.commit_sha = ?1"
                                        " AND (?2 IS NULL OR m.fingerprint = ?2)"
                                        " ORDER BY r.id DESC", &st)) < 0)
        return error;
    btk_sqlite__bind_text(st, 1, sha);
    btk_sqlite__bind_text(st, 2, machine_fp);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((grown = btk__realloc(ids, (count + 1) * sizeof(*ids))) == NULL) {
            error = BTK_ENOMEM;
            break;
        }
        ids = grown;
        ids[count++] = sqlite3_column_int64(st, 0);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot list the runs of a commit");
    sqlite3_finalize(st);
    if (error < 0) {
        btk__free(ids);
        return error;
    }
    *ids_out = ids;
    *count_out = count;
    return 0;
}

#define SQL_LIST                                                                             \
    "SELECT r.id, r.commit_sha, r.branch, c.subject, r.date, m.fingerprint, %s,"           \
    " r.dirty, (SELECT count(*) FROM results x WHERE x.run_id = r.id),"                    \
    " (SELECT count(*) FROM results x WHERE x.run_id = r.id AND x.status != 0),"           \
    " m.hostname, r.compiler, r.flags FROM runs r JOIN machines m ON m.id = r.machine_id"     \
    " LEFT JOIN commits c ON c.sha = r.commit_sha ORDER BY r.id DESC LIMIT ?"

static int read_list_row(btk_run_row *row, sqlite3_stmt *st)
{
    const unsigned char *sha = sqlite3_column_text(st, 1);

    memset(row, 0, sizeof(*row));
    row->id = sqlite3_column_int64(st, 0);
    snprintf(row->sha, sizeof(row->sha), "%s", sha ? (const char *)sha : "");
    row->dirty = sqlite3_column_int(st, 8) != 0;
    row->benchmarks = sqlite3_column_int64(st, 9);
    row->failures = sqlite3_column_int64(st, 10);
    if (!TEXT(row->branch, st, 2) || !TEXT(row->subject, st, 3) || !TEXT(row->date, st, 4) ||
        !TEXT(row->machine_fp, st, 5) || !TEXT(row->hostname, st, 6) ||
        !TEXT(row->machine_name, st, 7) || !TEXT(row->machine_host, st, 11) ||
        !TEXT(row->compiler, st, 12) || !TEXT(row->flags, st, 13))
        return BTK_ENOMEM;
    return 0;
}

int btk_sqlite__list_runs(btk_run_row **rows_out, size_t *count_out, btk_store *store,
                          size_t limit)
{
    btk_sqlite *db = btk_sqlite__of(store);
    sqlite3_stmt *st = NULL;
    btk_run_row *rows = NULL, *grown;
    size_t count = 0;
    char sql[1024];
    int rc = SQLITE_DONE, error;

    *rows_out = NULL;
    *count_out = 0;
    snprintf(sql, sizeof(sql), SQL_LIST, run_host_sql(db));
    if ((error = btk_sqlite__prepare(db, sql, &st)) < 0)
        return error;
    sqlite3_bind_int64(st, 1, limit ? (int64_t)limit : -1);
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((grown = btk__realloc(rows, (count + 1) * sizeof(*rows))) == NULL) {
            error = BTK_ENOMEM;
            break;
        }
        rows = grown;
        error = read_list_row(&rows[count++], st);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot list runs");
    sqlite3_finalize(st);
    if (error < 0) {
        btk_run_rows_free(rows, count);
        return error;
    }
    *rows_out = rows;
    *count_out = count;
    return 0;
}

/* The history query; RUNS names how runs is joined, %s stands for the stored statistics'
 * columns. Every results column it reads is in the index results_history (schema v2), so
 * SQLite reads only that index for results. */
#define SQL_HISTORY_WITH(RUNS, EXTRA) SQL_HISTORY_FULL(RUNS, "", "", EXTRA)
/* COLS: columns after the common ones; JOIN: a join after results x. */
#define SQL_HISTORY_FULL(RUNS, COLS, JOIN, EXTRA)                                            \
    "SELECT r.commit_sha, r.id, c.time, c.subject, x.status, %s, x.cycles_median,"         \
    " x.mem_tracked, x.allocs_per_iter, x.frees_per_iter, x.alloc_bytes_per_iter,"         \
    " x.peak_rss_bytes, x.minor_faults, x.major_faults" COLS " FROM results x" JOIN        \
    " JOIN " RUNS " ON r.id = x.run_id LEFT JOIN commits c ON c.sha = r.commit_sha"        \
    " WHERE x.benchmark_id = (SELECT id FROM benchmarks WHERE name = ?1)"                  \
    " AND (?2 IS NULL OR r.machine_id = (SELECT id FROM machines WHERE fingerprint = ?2))" \
    " AND r.commit_sha IS NOT NULL" EXTRA " ORDER BY x.run_id DESC"
/* v2: a run's machine and commit from the small index runs_lookup, not from its row (which
 * holds the run's whole context JSON); SQLite would otherwise look runs up by rowid. */
#define SQL_HISTORY_V2 SQL_HISTORY_WITH("runs r INDEXED BY runs_lookup", "")
/* A v1 database opened read-only has neither index: the same query, by rowid. */
#define SQL_HISTORY_V1 SQL_HISTORY_WITH("runs r", "")
/* v5: a history of times leaves counting runs out (their figures are instructions). */
#define SQL_HISTORY                                                                          \
    SQL_HISTORY_WITH("runs r INDEXED BY runs_lookup",                                       \
                     " AND NOT EXISTS (SELECT 1 FROM run_counts k WHERE k.run_id = x.run_id)")

/* v5, --metric cpu: time runs, with their CPU statistics (NULL: no CPU time). */
#define SQL_HISTORY_CPU                                                                      \
    SQL_HISTORY_FULL("runs r INDEXED BY runs_lookup",                                       \
                     ", m.cpu_min, m.cpu_max, m.cpu_mean, m.cpu_median, m.cpu_ci_low,"      \
                     " m.cpu_ci_high",                                                      \
                     " LEFT JOIN result_metrics m ON m.result_id = x.id",                   \
                     " AND NOT EXISTS (SELECT 1 FROM run_counts k WHERE k.run_id = x.run_id)")
/* v8, --metric cycles: time runs, with their core-cycle statistics (NULL: no clock). */
#define SQL_HISTORY_CYCLES                                                                   \
    SQL_HISTORY_FULL("runs r INDEXED BY runs_lookup",                                       \
                     ", m.core_min, m.core_max, m.core_mean, m.core_median, m.core_ci_low," \
                     " m.core_ci_high",                                                     \
                     " LEFT JOIN result_metrics m ON m.result_id = x.id",                   \
                     " AND NOT EXISTS (SELECT 1 FROM run_counts k WHERE k.run_id = x.run_id)")
/* v5, counts: counting runs only. */
#define SQL_HISTORY_COUNT                                                                    \
    SQL_HISTORY_WITH("runs r INDEXED BY runs_lookup",                                       \
                     " AND EXISTS (SELECT 1 FROM run_counts k WHERE k.run_id = x.run_id)")

void btk_sqlite__history_sql(char *out, size_t len, const btk_sqlite *db)
{
    btk_sqlite__stats_sql(out, len,
                         db->version >= METRICS_VERSION ? SQL_HISTORY
                         : db->version >= 2 ? SQL_HISTORY_V2
                                            : SQL_HISTORY_V1,
                         "x.");
}

typedef struct sha_slot {
    const char *sha;
    size_t pos;   /* index in the caller's order */
} sha_slot;

static int cmp_slot(const void *a, const void *b)
{
    return strcmp(((const sha_slot *)a)->sha, ((const sha_slot *)b)->sha);
}

/* The row's CPU or core-cycle statistics into s (columns from c); false when it has
 * none. */
static bool read_cpu(btk_stats *s, sqlite3_stmt *st, int c)
{
    if (sqlite3_column_type(st, c + 3) == SQLITE_NULL)
        return false;
    btk_stats_init(s);
    read_six(s, st, c);
    return true;
}

/* Place the row into its commit's slot unless a newer run already filled it (with --metric
 * cpu or cycles, a newer run with CPU time or a core clock). */
static int place_point(btk_history_point *pts, bool *filled, const sha_slot *slots,
                       size_t n, sqlite3_stmt *st, btk_history_metric metric)
{
    sha_slot key, *hit;
    btk_history_point *p;
    btk_stats cpu;
    int c;

    key.sha = (const char *)sqlite3_column_text(st, 0);
    /* the CPU (or core) columns follow the statistics, cycles_median and the 7 memory
     * columns */
    if ((metric == BTK_HISTORY_CPU || metric == BTK_HISTORY_CYCLES) &&
        !read_cpu(&cpu, st, btk_sqlite__stats_read(&cpu, st, 5) + 8))
        return 0;
    if (key.sha == NULL ||
        (hit = bsearch(&key, slots, n, sizeof(*slots), cmp_slot)) == NULL ||
        filled[hit->pos])
        return 0;
    filled[hit->pos] = true;
    p = &pts[hit->pos];
    snprintf(p->sha, sizeof(p->sha), "%s", key.sha);
    p->run_id = sqlite3_column_int64(st, 1);
    p->commit_time = btk_sqlite__col_int(st, 2, 0);
    p->status = sqlite3_column_int(st, 4) ? BTK_RESULT_FAILED : BTK_RESULT_OK;
    c = btk_sqlite__stats_read(&p->stats, st, 5);
    p->cycles_median = btk_sqlite__col_double(st, c);
    read_memory(&p->memory, st, c + 1);
    if (metric == BTK_HISTORY_CPU || metric == BTK_HISTORY_CYCLES) {
        p->stats = cpu;
        p->cycles_median = NAN; /* ticks of wall time */
    }
    return btk_sqlite__col_text(&p->subject, st, 3);
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
                         size_t n, btk_sqlite *db, const char *name, const char *fp,
                         btk_history_metric metric)
{
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_DONE, error;
    char sql[2048];

    if (metric == BTK_HISTORY_TIME)
        btk_sqlite__history_sql(sql, sizeof(sql), db);
    else if (db->version < METRICS_VERSION ||
             (metric == BTK_HISTORY_CYCLES && db->version < BTK_STORE_CLOCK_VERSION))
        return 0; /* no counts, no CPU time before v5; no core clock before v8 */
    else
        btk_sqlite__stats_sql(sql, sizeof(sql),
                             metric == BTK_HISTORY_CPU      ? SQL_HISTORY_CPU
                             : metric == BTK_HISTORY_CYCLES ? SQL_HISTORY_CYCLES
                                                            : SQL_HISTORY_COUNT,
                             "x.");
    if ((error = btk_sqlite__prepare(db, sql, &st)) < 0)
        return error;
    btk_sqlite__bind_text(st, 1, name);
    btk_sqlite__bind_text(st, 2, fp);
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        error = place_point(pts, filled, slots, n, st, metric);
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot read the history");
    sqlite3_finalize(st);
    return error;
}

int btk_sqlite__history(btk_history_point **points_out, size_t *count_out, btk_store *store,
                        const char *bench_name, const char *machine_fp,
                        const char (*shas)[41], size_t sha_count, btk_history_metric metric)
{
    btk_sqlite *db = btk_sqlite__of(store);
    btk_history_point *pts;
    sha_slot *slots;
    bool *filled;
    size_t i;
    int error = BTK_ENOMEM;

    *points_out = NULL;
    *count_out = 0;
    pts = btk__calloc(sha_count + 1, sizeof(*pts));
    slots = btk__calloc(sha_count + 1, sizeof(*slots));
    filled = btk__calloc(sha_count + 1, sizeof(*filled));
    if (pts && slots && filled) {
        for (i = 0; i < sha_count; i++) {
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

/* Run a one-column text query (optionally with one text parameter) into a string list. */
static int strings_query(char ***out, size_t *count_out, btk_sqlite *db, const char *sql,
                         const char *param)
{
    sqlite3_stmt *st = NULL;
    char **list = NULL, **grown;
    size_t count = 0;
    int rc = SQLITE_DONE, error;

    *out = NULL;
    *count_out = 0;
    if ((error = btk_sqlite__prepare(db, sql, &st)) < 0)
        return error;
    btk_sqlite__bind_text(st, 1, param);
    while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((grown = btk__realloc(list, (count + 1) * sizeof(char *))) == NULL) {
            error = BTK_ENOMEM;
            break;
        }
        list = grown;
        list[count] = NULL;
        error = btk_sqlite__col_text(&list[count++], st, 0);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = btk_sqlite__fail(db, "cannot list");
    sqlite3_finalize(st);
    if (error < 0) {
        btk_strings_free(list, count);
        return error;
    }
    *out = list;
    *count_out = count;
    return 0;
}

int btk_sqlite__machines(char ***fps_out, size_t *count_out, btk_store *store)
{
    btk_sqlite *db = btk_sqlite__of(store);
    return strings_query(fps_out, count_out, db,
                         "SELECT fingerprint FROM machines m WHERE EXISTS"
                         " (SELECT 1 FROM runs r WHERE r.machine_id = m.id)"
                         " AND ?1 IS NULL ORDER BY fingerprint", NULL);
}

int btk_sqlite__benchmark_names(char ***names_out, size_t *count_out, btk_store *store,
                                const char *machine_fp)
{
    btk_sqlite *db = btk_sqlite__of(store);
    return strings_query(names_out, count_out, db,
                         "SELECT b.name FROM benchmarks b WHERE EXISTS (SELECT 1 FROM"
                         " results x JOIN runs r ON r.id = x.run_id JOIN machines m"
                         " ON m.id = r.machine_id WHERE x.benchmark_id = b.id AND"
                         " (?1 IS NULL OR m.fingerprint = ?1)) ORDER BY b.name", machine_fp);
}

int btk_sqlite__machine_info(btk_machine *out, btk_store *store, const char *fp)
{
    btk_sqlite *db = btk_sqlite__of(store);
    sqlite3_stmt *st = NULL;
    int rc, error;

    memset(out, 0, sizeof(*out));
    if ((error = btk_sqlite__prepare(db, db->version >= 3
                                            ? "SELECT fingerprint, hostname, arch, cpu_model,"
                                              " cpus, name FROM machines WHERE fingerprint = ?"
                                            : "SELECT fingerprint, hostname, arch, cpu_model,"
                                              " cpus, NULL FROM machines WHERE fingerprint = ?",
                                    &st)) < 0)
        return error;
    btk_sqlite__bind_text(st, 1, fp);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        error = btk_error_set(BTK_ENOTFOUND, "no machine with that fingerprint");
    else if (rc != SQLITE_ROW)
        error = btk_sqlite__fail(db, "cannot read a machine");
    else if (!TEXT(out->fingerprint, st, 0) || !TEXT(out->hostname, st, 1) ||
             !TEXT(out->arch, st, 2) || !TEXT(out->cpu_model, st, 3) ||
             !TEXT(out->name, st, 5))
        error = BTK_ENOMEM;
    out->cpus = error == 0 ? sqlite3_column_int(st, 4) : 0;
    sqlite3_finalize(st);
    if (error < 0)
        btk_machine_clear(out);
    return error;
}

/* The fields of a run that its content uid hashes, in this order; %s: its host name (the
 * same before and after migration v3, which re-keys the machines but keeps the hosts). */
#define SQL_UID_CONTENT                                                                      \
    "SELECT r.commit_sha, %s, r.date, CAST(r.stored_at AS TEXT), r.executable,"             \
    " r.context_json, r.options_json FROM runs r JOIN machines m ON m.id = r.machine_id"    \
    " WHERE r.id = ?"

int btk_sqlite__content_uid(char *out, btk_sqlite *db, int64_t id)
{
    const char *fields[7];
    sqlite3_stmt *st = NULL;
    char sql[512];
    int rc, error;

    snprintf(sql, sizeof(sql), SQL_UID_CONTENT,
             db->version >= 3 ? "coalesce(r.hostname, m.hostname)" : "m.hostname");
    if ((error = btk_sqlite__prepare(db, sql, &st)) < 0)
        return error;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        for (int i = 0; i < 7; i++)
            fields[i] = (const char *)sqlite3_column_text(st, i);
        btk_store__content_uid(out, id, fields, 7);
    } else if (rc == SQLITE_DONE)
        error = btk_error_set(BTK_ENOTFOUND, "no run #%" PRId64 " in the results database", id);
    else
        error = btk_sqlite__fail(db, "cannot read a run");
    sqlite3_finalize(st);
    return error;
}

int btk_sqlite__run_uid(char *out, btk_store *store, int64_t run_id)
{
    btk_sqlite *db = btk_sqlite__of(store);
    sqlite3_stmt *st = NULL;
    const unsigned char *uid;
    int rc, error;

    if (db->version < BTK_STORE_UID_VERSION) /* an older database read as it is */
        return btk_sqlite__content_uid(out, db, run_id);
    if ((error = btk_sqlite__prepare(db, "SELECT uid FROM runs WHERE id = ?", &st)) < 0)
        return error;
    sqlite3_bind_int64(st, 1, run_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && (uid = sqlite3_column_text(st, 0)) != NULL &&
        strlen((const char *)uid) == BTK_STORE_UID_LEN)
        snprintf(out, BTK_STORE_UID_LEN + 1, "%s", (const char *)uid);
    else if (rc == SQLITE_ROW)
        error = btk_error_set(BTK_EFORMAT, "run #%" PRId64 " has a malformed uid", run_id);
    else if (rc == SQLITE_DONE)
        error = btk_error_set(BTK_ENOTFOUND, "no run #%" PRId64 " in the results database",
                              run_id);
    else
        error = btk_sqlite__fail(db, "cannot read a run");
    sqlite3_finalize(st);
    return error;
}

int btk_sqlite__machine_has_host(btk_store *store, const char *fp, const char *host)
{
    btk_sqlite *db = btk_sqlite__of(store);
    sqlite3_stmt *st = NULL;
    int rc, error;

    /* v3: any run's own host name; before, a machine was one host */
    if ((error = btk_sqlite__prepare(db, db->version >= 3
                                            ? "SELECT 1 FROM runs r JOIN machines m ON m.id ="
                                              " r.machine_id WHERE m.fingerprint = ?1 AND"
                                              " coalesce(r.hostname, m.hostname) = ?2 LIMIT 1"
                                            : "SELECT 1 FROM machines WHERE fingerprint = ?1"
                                              " AND hostname = ?2",
                                    &st)) < 0)
        return error;
    btk_sqlite__bind_text(st, 1, fp);
    btk_sqlite__bind_text(st, 2, host);
    rc = sqlite3_step(st);
    error = rc == SQLITE_ROW    ? 1
            : rc == SQLITE_DONE ? 0
                                : btk_sqlite__fail(db, "cannot read a machine");
    sqlite3_finalize(st);
    return error;
}
