/*
 * Adding a run to PostgreSQL: machine, commit, run row, warnings, then every result with its
 * counters and per-process sample blobs, all in one transaction (all or nothing; a killed
 * writer's transaction is rolled back by the server). Every value is a bound parameter. A
 * transaction that another one was in the way of (deadlock) is run again, a few times.
 */
#include "store.h"

#include "store_pg.h"

#include <math.h>
#include <time.h>
#include <unistd.h>

/* Shared rows are inserted when absent and then looked up, so concurrent writers of one
 * machine, commit or benchmark never hold a lock on the row for their whole transaction
 * (an upsert that updates would make them wait for each other). */
#define SQL_MACHINE_ADD                                                                      \
    "INSERT INTO machines (fingerprint, hostname, arch, cpu_model, cpus, name)"            \
    " VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (fingerprint) DO NOTHING RETURNING id"
#define SQL_MACHINE_ID "SELECT id FROM machines WHERE fingerprint = $1"
#define SQL_COMMIT_ADD                                                                       \
    "INSERT INTO commits (sha, known, time, author, subject, parents)"                     \
    " VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (sha) DO NOTHING"
/* A commit stored unknown (sha only) learns its details; the update is skipped (and locks
 * nothing) when they are already there. */
#define SQL_COMMIT_KNOWN                                                                     \
    "UPDATE commits SET known = 1, time = $2, author = $3, subject = $4, parents = $5"     \
    " WHERE sha = $1 AND (known, time, author, subject, parents) IS DISTINCT FROM"         \
    " (1, $2::bigint, $3::text, $4::text, $5::text)"
#define SQL_RUN                                                                              \
    "INSERT INTO runs (commit_sha, branch, dirty, machine_id, format, date, stored_at,"     \
    " executable, compiler, flags, os, kernel, timer_source, timer_hz, hypervisor,"        \
    " context_json, options_json, hostname, uid) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,"   \
    "$11,$12,$13,$14,$15,$16,$17,$18,$19) ON CONFLICT (uid) DO NOTHING RETURNING id"
#define SQL_WARNING "INSERT INTO run_warnings (run_id, seq, text) VALUES ($1,$2,$3)"
#define SQL_BENCH_ADD                                                                        \
    "INSERT INTO benchmarks (name, family, has_param, param) VALUES ($1,$2,$3,$4)"         \
    " ON CONFLICT (name) DO NOTHING RETURNING id"
#define SQL_BENCH_ID "SELECT id FROM benchmarks WHERE name = $1"
/* The first %s is the stored statistics' columns, the second their parameters ($9...). */
#define SQL_RESULT                                                                           \
    "INSERT INTO results (id, run_id, benchmark_id, seq, status, error_kind, error_message,"\
    " stop_reason, %s, cycles_median, mem_tracked, allocs_per_iter, frees_per_iter,"      \
    " alloc_bytes_per_iter, peak_rss_bytes, minor_faults, major_faults, bytes_per_iter,"   \
    " items_per_iter, call_percentiles) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,%s,$%d,$%d,$%d,"   \
    "$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d)"
/* Ids for n results, taken from the table's sequence before their rows are sent. */
#define SQL_RESULT_IDS                                                                       \
    "SELECT nextval(pg_get_serial_sequence('results', 'id')) FROM generate_series(1, $1)"
#define SQL_COUNTER                                                                          \
    "INSERT INTO counters (result_id, kind, name, value) VALUES ($1,$2,$3,$4)"
#define SQL_SAMPLES                                                                          \
    "INSERT INTO samples (result_id, seq, proc_index, count, ns, batch, peak_rss_bytes,"   \
    " minor_faults, major_faults, branch_ratio) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"

#define SQL_RUN_COUNT "INSERT INTO run_counts (run_id, measure, identity) VALUES ($1,$2,$3)"
#define SQL_RESULT_METRICS                                                                   \
    "INSERT INTO result_metrics (result_id, count_repeat, spread_min, spread_max, cpu_min,"\
    " cpu_max, cpu_mean, cpu_median, cpu_ci_low, cpu_ci_high, core_min, core_max,"        \
    " core_mean, core_median, core_ci_low, core_ci_high)"                                 \
    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)"
#define SQL_CPU_SAMPLES "INSERT INTO cpu_samples (result_id, seq, cpu_ns) VALUES ($1,$2,$3)"
#define SQL_CLOCK_SAMPLES "INSERT INTO clock_samples (result_id, seq, clock) VALUES ($1,$2,$3)"

/* add_run_row's answer when a run with the uid is stored already (not an error code). */
#define ALREADY_THERE 1

/* How often a transaction that lost a deadlock is run again. */
#define ATTEMPTS 8

typedef struct writer {
    btk_pg *db;
    const char *uid;
    unsigned char *blob;
    size_t blob_cap;
} writer;

/* The id of the first row of res, or of the row that name+params look up when res has none. */
static int id_of(btk_pg *db, PGresult *res, const char *lookup, const char *key,
                 int64_t *id_out, const char *what)
{
    btk_pg_params p = {0};
    PGresult *found = NULL;
    int error;

    if (PQntuples(res) == 1) {
        *id_out = btk_pg__col_int(res, 0, 0, 0);
        return 0;
    }
    btk_pg__param_text(&p, key);
    if ((error = btk_pg__query(db, &found, NULL, lookup, &p, what)) < 0)
        return error;
    if (PQntuples(found) == 1)
        *id_out = btk_pg__col_int(found, 0, 0, 0);
    else
        error = btk_error_set(BTK_EIO, "%s: the row vanished", what);
    PQclear(found);
    return error;
}

static int add_machine(writer *w, const btk_machine *m, int64_t *id_out)
{
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int error;

    btk_pg__param_text(&p, m->fingerprint);
    btk_pg__param_text(&p, m->hostname);
    btk_pg__param_text(&p, m->arch);
    btk_pg__param_text(&p, m->cpu_model);
    btk_pg__param_int(&p, m->cpus);
    btk_pg__param_text(&p, m->name);
    if ((error = btk_pg__query(w->db, &res, NULL, SQL_MACHINE_ADD, &p,
                               "cannot add the machine")) < 0)
        return error;
    error = id_of(w->db, res, SQL_MACHINE_ID, m->fingerprint, id_out,
                  "cannot add the machine");
    PQclear(res);
    return error;
}

static int add_commit(writer *w, const btk_commit *c)
{
    btk_pg_params p = {0}, u = {0};
    btk_buf parents = BTK_BUF_INIT;
    bool known = c->time != 0 || c->author != NULL || c->subject != NULL;
    const char *list;
    size_t i;
    int error = 0;

    if (c->sha[0] == '\0')
        return 0;
    for (i = 0; i < c->parent_count && error == 0; i++)
        error = btk_buf_printf(&parents, "%s%s", i ? " " : "", c->parents[i]);
    if (error < 0)
        goto done;
    list = known ? btk_buf_cstr(&parents) : NULL;
    btk_pg__param_text(&p, c->sha);
    btk_pg__param_int(&p, known);
    if (known)
        btk_pg__param_int(&p, c->time);
    else
        btk_pg__param_text(&p, NULL);
    btk_pg__param_text(&p, c->author);
    btk_pg__param_text(&p, c->subject);
    btk_pg__param_text(&p, list);
    if ((error = btk_pg__exec(w->db, SQL_COMMIT_ADD, &p, "cannot add the commit")) < 0 ||
        !known)
        goto done;
    btk_pg__param_text(&u, c->sha);
    btk_pg__param_int(&u, c->time);
    btk_pg__param_text(&u, c->author);
    btk_pg__param_text(&u, c->subject);
    btk_pg__param_text(&u, list);
    error = btk_pg__exec(w->db, SQL_COMMIT_KNOWN, &u, "cannot add the commit");
done:
    btk_buf_free(&parents);
    return error;
}

static int add_run_row(writer *w, const btk_run *run, int64_t machine_id, int64_t *id_out)
{
    const btk_machine *m = &run->machine;
    btk_pg_params p = {0};
    PGresult *res = NULL;
    int error;

    btk_pg__param_text(&p, run->commit.sha[0] ? run->commit.sha : NULL);
    btk_pg__param_text(&p, run->commit.branch);
    btk_pg__param_int(&p, run->commit.dirty);
    btk_pg__param_int(&p, machine_id);
    btk_pg__param_text(&p, run->format ? run->format : "benchtrack");
    btk_pg__param_text(&p, run->date);
    btk_pg__param_int(&p, (int64_t)time(NULL));
    btk_pg__param_text(&p, run->executable);
    btk_pg__param_text(&p, run->compiler);
    btk_pg__param_text(&p, run->flags);
    btk_pg__param_text(&p, m->os);
    btk_pg__param_text(&p, m->kernel);
    btk_pg__param_text(&p, m->timer_source);
    btk_pg__param_double(&p, m->timer_hz);
    btk_pg__param_int(&p, m->hypervisor);
    btk_pg__param_text(&p, run->context_json);
    btk_pg__param_text(&p, run->options_json);
    btk_pg__param_text(&p, m->hostname);
    btk_pg__param_text(&p, w->uid);
    if ((error = btk_pg__query(w->db, &res, NULL, SQL_RUN, &p, "cannot add the run")) < 0)
        return error;
    if (PQntuples(res) == 1)
        *id_out = btk_pg__col_int(res, 0, 0, 0);
    else /* a run with this uid is there: find it, store nothing */
        error = ALREADY_THERE;
    PQclear(res);
    return error;
}

static int add_warnings(writer *w, const btk_run *run, int64_t run_id)
{
    int error = 0;

    for (size_t i = 0; i < run->warning_count && error == 0; i++) {
        btk_pg_params p = {0};

        btk_pg__param_int(&p, run_id);
        btk_pg__param_int(&p, (int64_t)i);
        btk_pg__param_text(&p, run->warnings[i] ? run->warnings[i] : "");
        error = btk_pg__exec(w->db, SQL_WARNING, &p, "cannot add a warning");
    }
    return error;
}

/* ---- the results, pipelined: per chunk of CHUNK results one round trip for their
 * benchmark ids, one for their result ids, one for their rows, counters and samples ---- */

/* Results per pipeline: small enough that neither side's socket buffer fills while the
 * other still sends (the answers are short). */
#define CHUNK 100

typedef struct chunk {
    int64_t bench_id[CHUNK], result_id[CHUNK];
} chunk;

/* The benchmark ids: each result's INSERT (answer ignored), then its SELECT. */
static int take_bench_id(void *payload, int index, const PGresult *res)
{
    chunk *c = payload;

    if (index % 2 == 0)
        return 0;
    if (PQntuples(res) != 1)
        return btk_error_set(BTK_EIO, "cannot add a benchmark: its row vanished");
    c->bench_id[index / 2] = btk_pg__col_int(res, 0, 0, 0);
    return 0;
}

static int bench_ids(writer *w, chunk *c, const btk_result *r, size_t n)
{
    int error = 0;

    for (size_t i = 0; i < n && error == 0; i++) {
        btk_pg_params p = {0}, q = {0};

        if (r[i].name == NULL)
            return btk_error_set(BTK_EINVAL, "a result has no name");
        btk_pg__param_text(&p, r[i].name);
        btk_pg__param_text(&p, r[i].family);
        btk_pg__param_int(&p, r[i].has_param);
        if (r[i].has_param)
            btk_pg__param_int(&p, r[i].param);
        else
            btk_pg__param_text(&p, NULL);
        btk_pg__param_text(&q, r[i].name);
        if ((error = btk_pg__pipe_send(w->db, "btk_bench_add", &p, "cannot add a benchmark")) ==
            0)
            error = btk_pg__pipe_send(w->db, "btk_bench_id", &q, "cannot add a benchmark");
    }
    if (error < 0)
        return error;
    return btk_pg__pipe_sync(w->db, take_bench_id, c, "cannot add a benchmark");
}

static int take_result_ids(void *payload, int index, const PGresult *res)
{
    chunk *c = payload;

    BTK_UNUSED(index);
    for (int i = 0; i < PQntuples(res) && i < CHUNK; i++)
        c->result_id[i] = btk_pg__col_int(res, i, 0, 0);
    return 0;
}

static int send_result_row(writer *w, const btk_result *r, int64_t id, int64_t bench_id,
                           int64_t run_id, size_t seq)
{
    const btk_memory *m = &r->memory;
    btk_pg_params p = {0};

    btk_pg__param_int(&p, id);
    btk_pg__param_int(&p, run_id);
    btk_pg__param_int(&p, bench_id);
    btk_pg__param_int(&p, (int64_t)seq);
    btk_pg__param_int(&p, (int)r->status);
    btk_pg__param_text(&p, r->error_kind);
    btk_pg__param_text(&p, r->error_message);
    btk_pg__param_text(&p, r->stop_reason);
    btk_pg__stats_bind(&p, &r->stats);
    btk_pg__param_double(&p, r->cycles_median);
    btk_pg__param_int(&p, m->tracked);
    btk_pg__param_double(&p, m->allocs_per_iter);
    btk_pg__param_double(&p, m->frees_per_iter);
    btk_pg__param_double(&p, m->bytes_per_iter);
    btk_pg__param_opt_int(&p, m->peak_rss_bytes);
    btk_pg__param_opt_int(&p, m->minor_faults);
    btk_pg__param_opt_int(&p, m->major_faults);
    btk_pg__param_double(&p, r->bytes_per_iter);
    btk_pg__param_double(&p, r->items_per_iter);
    btk_pg__param_int(&p, r->call_percentiles ? 1 : 0);
    return btk_pg__pipe_send(w->db, "btk_result_add", &p, "cannot add a result");
}

static int send_counters(writer *w, int64_t result_id, int kind, const btk_kv *kv,
                         size_t count)
{
    int error = 0;

    for (size_t i = 0; i < count && error == 0; i++) {
        btk_pg_params p = {0};

        btk_pg__param_int(&p, result_id);
        btk_pg__param_int(&p, kind);
        btk_pg__param_text(&p, kv[i].name);
        btk_pg__param_double(&p, kv[i].value);
        error = btk_pg__pipe_send(w->db, "btk_counter_add", &p, "cannot add a counter");
    }
    return error;
}

static int reserve_blob(writer *w, size_t bytes)
{
    unsigned char *grown;

    if (bytes <= w->blob_cap)
        return 0;
    if ((grown = btk__realloc(w->blob, bytes)) == NULL)
        return BTK_ENOMEM;
    w->blob = grown;
    w->blob_cap = bytes;
    return 0;
}

/* One process's series parallel to its samples (CPU ns, core clock) through the prepared
 * statement stmt; nothing when v is NULL (unknown). */
static int send_series(writer *w, const char *stmt, int64_t result_id, size_t seq,
                       const double *v, size_t count, const char *what)
{
    btk_pg_params c = {0};

    if (v == NULL)
        return 0;
    btk_store__encode_f64(w->blob, v, count);
    btk_pg__param_int(&c, result_id);
    btk_pg__param_int(&c, (int64_t)seq);
    btk_pg__param_blob(&c, w->blob, count * 8);
    return btk_pg__pipe_send(w->db, stmt, &c, what);
}

/* The parameters are copied when sent, so one blob buffer serves every process. */
static int send_proc(writer *w, int64_t result_id, size_t seq, const btk_proc *p)
{
    size_t bytes = p->count * 8;
    btk_pg_params q = {0};
    int error;

    if ((error = reserve_blob(w, 2 * bytes + 8)) < 0)
        return error;
    btk_store__encode_f64(w->blob, p->ns, p->count);
    btk_pg__param_int(&q, result_id);
    btk_pg__param_int(&q, (int64_t)seq);
    btk_pg__param_int(&q, p->index);
    btk_pg__param_int(&q, (int64_t)p->count);
    btk_pg__param_blob(&q, w->blob, bytes);
    if (p->batch) {
        btk_store__encode_u64(w->blob + bytes, p->batch, p->count);
        btk_pg__param_blob(&q, w->blob + bytes, bytes);
    } else
        btk_pg__param_blob(&q, NULL, 0);
    btk_pg__param_opt_int(&q, p->peak_rss_bytes);
    btk_pg__param_opt_int(&q, p->minor_faults);
    btk_pg__param_opt_int(&q, p->major_faults);
    /* branch_ratio: NULL when unknown (0) */
    btk_pg__param_double(&q, p->branch_ratio > 0 ? p->branch_ratio : NAN);
    if ((error = btk_pg__pipe_send(w->db, "btk_samples_add", &q, "cannot add samples")) < 0 ||
        (error = send_series(w, "btk_cpu_add", result_id, seq, p->cpu_ns, p->count,
                             "cannot add CPU samples")) < 0)
        return error;
    return send_series(w, "btk_clock_add", result_id, seq, p->clock_ghz, p->count,
                       "cannot add clock samples");
}

/* Add the six stored figures of s (min, max, mean, median, ci_low, ci_high) to p, all
 * NULL unless known. */
static void param_six(btk_pg_params *p, const btk_stats *s, bool known)
{
    const double v[6] = {s->min, s->max, s->mean, s->median, s->ci_low, s->ci_high};

    for (int k = 0; k < 6; k++)
        btk_pg__param_double(p, known ? v[k] : NAN);
}

/* The count's repeatability, the CPU statistics and the core-cycle statistics, when the
 * result has any of them. */
static int send_metrics(writer *w, const btk_result *r, int64_t result_id)
{
    btk_pg_params p = {0};

    if (r->count_repeat == BTK_COUNT_UNKNOWN && !r->has_cpu_stats && !r->has_core_stats)
        return 0;
    btk_pg__param_int(&p, result_id);
    btk_pg__param_int(&p, (int)r->count_repeat);
    btk_pg__param_double(&p, r->count_repeat ? r->count_spread_min : NAN);
    btk_pg__param_double(&p, r->count_repeat ? r->count_spread_max : NAN);
    param_six(&p, &r->cpu_stats, r->has_cpu_stats);
    param_six(&p, &r->core_stats, r->has_core_stats);
    return btk_pg__pipe_send(w->db, "btk_metrics_add", &p,
                             "cannot add a result's count, CPU or cycle figures");
}

/* A counting run's measure and count identity (a time run has no row). */
static int add_run_count(writer *w, const btk_run *run, int64_t run_id)
{
    btk_pg_params p = {0};

    if (run->measure == BTK_MEASURE_KIND_TIME)
        return 0;
    btk_pg__param_int(&p, run_id);
    btk_pg__param_text(&p, btk_measure_name(run->measure));
    btk_pg__param_text(&p, run->count_identity);
    return btk_pg__exec(w->db, SQL_RUN_COUNT, &p, "cannot add the run's measure");
}

/* Results first .. first+n-1 of the run. */
static int add_chunk(writer *w, const btk_run *run, int64_t run_id, size_t first, size_t n)
{
    const btk_result *r = &run->results[first];
    chunk c;
    btk_pg_params p = {0};
    int error;

    memset(&c, 0, sizeof(c));
    btk_pg__param_int(&p, (int64_t)n);
    if ((error = bench_ids(w, &c, r, n)) < 0 ||
        (error = btk_pg__pipe_send(w->db, "btk_result_ids", &p, "cannot add a result")) < 0 ||
        (error = btk_pg__pipe_sync(w->db, take_result_ids, &c, "cannot add a result")) < 0)
        return error;
    for (size_t i = 0; i < n && error == 0; i++) {
        if ((error = send_result_row(w, &r[i], c.result_id[i], c.bench_id[i], run_id,
                                     first + i)) < 0 ||
            (error = send_counters(w, c.result_id[i], 0, r[i].counters, r[i].counter_count)) < 0 ||
            (error = send_counters(w, c.result_id[i], 1, r[i].hw, r[i].hw_count)) < 0 ||
            (error = send_metrics(w, &r[i], c.result_id[i])) < 0)
            break;
        for (size_t k = 0; k < r[i].proc_count && error == 0; k++)
            error = send_proc(w, c.result_id[i], k, &r[i].procs[k]);
    }
    if (error < 0)
        return error;
    return btk_pg__pipe_sync(w->db, NULL, NULL, "cannot add a result");
}

static int add_results(writer *w, const btk_run *run, int64_t run_id)
{
    int error;

    if (run->result_count == 0)
        return 0;
    if ((error = btk_pg__pipe_begin(w->db)) < 0)
        return error;
    for (size_t i = 0; i < run->result_count && error == 0; i += CHUNK)
        error = add_chunk(w, run, run_id, i,
                          run->result_count - i < CHUNK ? run->result_count - i : CHUNK);
    if (error < 0 && PQstatus(w->db->conn) == CONNECTION_OK) {
        /* drain what was queued up to a sync point, keeping the first message */
        btk_error saved = *btk_error_last();

        btk_pg__pipe_sync(w->db, NULL, NULL, "cannot add a result");
        btk_error_set(saved.code, "%s", saved.message);
    }
    btk_pg__pipe_end(w->db);
    return error;
}

/* The statements, prepared once per connection. */
static int prepare_writer(btk_pg *db)
{
    char sql[4096], cols[1024], params[1024];
    int n = 9, error;

    if (db->prepared)
        return 0;
    btk_pg__stats_sql(cols, params, sizeof(cols), "", n);
    for (size_t k = 0; k < BTK_STATS_METRIC_COUNT; k++)
        n += btk_stats_metric_at(k)->column != NULL;
    snprintf(sql, sizeof(sql), SQL_RESULT, cols, params, n, n + 1, n + 2, n + 3, n + 4,
             n + 5, n + 6, n + 7, n + 8, n + 9, n + 10);
    if ((error = btk_pg__prepare(db, "btk_bench_add", SQL_BENCH_ADD)) < 0 ||
        (error = btk_pg__prepare(db, "btk_bench_id", SQL_BENCH_ID)) < 0 ||
        (error = btk_pg__prepare(db, "btk_result_ids", SQL_RESULT_IDS)) < 0 ||
        (error = btk_pg__prepare(db, "btk_result_add", sql)) < 0 ||
        (error = btk_pg__prepare(db, "btk_counter_add", SQL_COUNTER)) < 0 ||
        (error = btk_pg__prepare(db, "btk_samples_add", SQL_SAMPLES)) < 0 ||
        (error = btk_pg__prepare(db, "btk_metrics_add", SQL_RESULT_METRICS)) < 0 ||
        (error = btk_pg__prepare(db, "btk_cpu_add", SQL_CPU_SAMPLES)) < 0 ||
        (error = btk_pg__prepare(db, "btk_clock_add", SQL_CLOCK_SAMPLES)) < 0)
        return error;
    db->prepared = true;
    return 0;
}

static int write_all(writer *w, const btk_run *run, int64_t *id_out)
{
    int64_t machine_id = 0;
    int error;

    if ((error = add_machine(w, &run->machine, &machine_id)) < 0 ||
        (error = add_commit(w, &run->commit)) < 0 ||
        (error = add_run_row(w, run, machine_id, id_out)) != 0 ||
        (error = add_warnings(w, run, *id_out)) < 0 ||
        (error = add_run_count(w, run, *id_out)) < 0)
        return error;
    return add_results(w, run, *id_out);
}

/* One attempt: BTK_ERROR (with the message set) when another transaction was in the way. */
static int attempt(writer *w, const btk_run *run, int64_t *id_out)
{
    int error;

    if ((error = btk_pg__begin(w->db)) < 0)
        return error;
    if ((error = write_all(w, run, id_out)) == 0)
        return btk_pg__commit(w->db);
    btk_pg__rollback(w->db);
    if (error == ALREADY_THERE)
        error = btk_pg__find_uid(id_out, &w->db->base, w->uid) < 0 ? BTK_EIO : ALREADY_THERE;
    return error;
}

int btk_pg__add_run(btk_store *store, const btk_run *run, const char *uid, int64_t *id_out,
                    bool *added_out)
{
    btk_pg *db = btk_pg__of(store);
    writer w = {db, uid, NULL, 0};
    int64_t id = 0;
    int error, tries = 0;

    *added_out = false;
    if (run == NULL || db->readonly)
        return btk_error_set(BTK_EINVAL, "cannot add a run: database not open for writing");
    if (run->machine.fingerprint == NULL)
        return btk_error_set(BTK_EINVAL, "cannot add a run without a machine fingerprint");
    if ((error = prepare_writer(db)) < 0)
        return error;
    while ((error = attempt(&w, run, &id)) == BTK_ERROR && ++tries < ATTEMPTS)
        usleep((useconds_t)(1000 * tries + rand() % 1000));
    if (error == BTK_ERROR) /* the message names the deadlock */
        error = BTK_EIO;
    btk__free(w.blob);
    *added_out = error == 0;
    if (error == ALREADY_THERE)
        error = 0;
    if (error == 0 && id_out)
        *id_out = id;
    return error;
}
