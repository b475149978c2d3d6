/*
 * Adding a run: machine, commit, run row, warnings, then every result with its counters and
 * per-process sample blobs, all in one IMMEDIATE transaction (all or nothing). Every value
 * goes through a bound parameter.
 */
#include "store.h"

#include "store_sqlite.h"

#include <math.h>
#include <time.h>

#define SQL_MACHINE                                                                          \
    "INSERT INTO machines (fingerprint, hostname, arch, cpu_model, cpus, name)"            \
    " VALUES (?,?,?,?,?,?) ON CONFLICT (fingerprint) DO UPDATE SET fingerprint = excluded.fingerprint"          \
    " RETURNING id"
#define SQL_COMMIT                                                                           \
    "INSERT INTO commits (sha, known, time, author, subject, parents) VALUES (?,?,?,?,?,?)" \
    " ON CONFLICT (sha) DO UPDATE SET known = 1, time = excluded.time,"                    \
    " author = excluded.author, subject = excluded.subject, parents = excluded.parents"    \
    " WHERE excluded.known = 1"
#define SQL_RUN                                                                              \
    "INSERT INTO runs (commit_sha, branch, dirty, machine_id, format, date, stored_at,"     \
    " executable, compiler, flags, os, kernel, timer_source, timer_hz, hypervisor,"        \
    " context_json, options_json, hostname, uid)"                                          \
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define SQL_WARNING "INSERT INTO run_warnings (run_id, seq, text) VALUES (?,?,?)"
#define SQL_BENCH                                                                            \
    "INSERT INTO benchmarks (name, family, has_param, param) VALUES (?,?,?,?)"             \
    " ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id"
/* The first %s is the stored statistics' columns, the second their parameters. */
#define SQL_RESULT                                                                           \
    "INSERT INTO results (run_id, benchmark_id, seq, status, error_kind, error_message,"   \
    " stop_reason, %s, cycles_median, mem_tracked, allocs_per_iter, frees_per_iter,"      \
    " alloc_bytes_per_iter, peak_rss_bytes, minor_faults, major_faults, bytes_per_iter,"   \
    " items_per_iter, call_percentiles) VALUES (?,?,?,?,?,?,?,%s,?,?,?,?,?,?,?,?,?,?,?)"
#define SQL_COUNTER "INSERT INTO counters (result_id, kind, name, value) VALUES (?,?,?,?)"
#define SQL_SAMPLES                                                                          \
    "INSERT INTO samples (result_id, seq, proc_index, count, ns, batch, peak_rss_bytes,"   \
    " minor_faults, major_faults, branch_ratio) VALUES (?,?,?,?,?,?,?,?,?,?)"
#define SQL_RUN_COUNT "INSERT INTO run_counts (run_id, measure, identity) VALUES (?,?,?)"
#define SQL_RESULT_METRICS                                                                   \
    "INSERT INTO result_metrics (result_id, count_repeat, spread_min, spread_max, cpu_min,"\
    " cpu_max, cpu_mean, cpu_median, cpu_ci_low, cpu_ci_high, core_min, core_max,"        \
    " core_mean, core_median, core_ci_low, core_ci_high)"                                 \
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define SQL_CPU_SAMPLES "INSERT INTO cpu_samples (result_id, seq, cpu_ns) VALUES (?,?,?)"
#define SQL_CLOCK_SAMPLES "INSERT INTO clock_samples (result_id, seq, clock) VALUES (?,?,?)"

typedef struct writer {
    btk_sqlite *db;
    const char *uid;
    sqlite3_stmt *bench, *result, *counter, *samples, *metrics, *cpu, *clock;
    unsigned char *blob;
    size_t blob_cap;
} writer;

/* Step a bound INSERT (optionally reading a RETURNING id) and reset it for reuse. */
static int step(writer *w, sqlite3_stmt *st, int64_t *id_out, const char *what)
{
    int rc = sqlite3_step(st);
    int error = 0;

    if (id_out && rc == SQLITE_ROW) {
        *id_out = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    } else if (rc == SQLITE_DONE && id_out)
        *id_out = sqlite3_last_insert_rowid(w->db->conn);
    if (rc != SQLITE_DONE)
        error = btk_sqlite__fail(w->db, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return error;
}

static int add_machine(writer *w, const btk_machine *m, int64_t *id_out)
{
    sqlite3_stmt *st = NULL;
    int error;

    if ((error = btk_sqlite__prepare(w->db, SQL_MACHINE, &st)) < 0)
        return error;
    btk_sqlite__bind_text(st, 1, m->fingerprint);
    btk_sqlite__bind_text(st, 2, m->hostname);
    btk_sqlite__bind_text(st, 3, m->arch);
    btk_sqlite__bind_text(st, 4, m->cpu_model);
    sqlite3_bind_int(st, 5, m->cpus);
    btk_sqlite__bind_text(st, 6, m->name);
    error = step(w, st, id_out, "cannot add the machine");
    sqlite3_finalize(st);
    return error;
}

static int add_commit(writer *w, const btk_commit *c)
{
    sqlite3_stmt *st = NULL;
    btk_buf parents = BTK_BUF_INIT;
    bool known = c->time != 0 || c->author != NULL || c->subject != NULL;
    size_t i;
    int error = 0;

    if (c->sha[0] == '\0')
        return 0;
    for (i = 0; i < c->parent_count && error == 0; i++)
        error = btk_buf_printf(&parents, "%s%s", i ? " " : "", c->parents[i]);
    if (error < 0 || (error = btk_sqlite__prepare(w->db, SQL_COMMIT, &st)) < 0)
        goto done;
    btk_sqlite__bind_text(st, 1, c->sha);
    sqlite3_bind_int(st, 2, known);
    if (known)
        sqlite3_bind_int64(st, 3, c->time);
    btk_sqlite__bind_text(st, 4, c->author);
    btk_sqlite__bind_text(st, 5, c->subject);
    btk_sqlite__bind_text(st, 6, known ? btk_buf_cstr(&parents) : NULL);
    error = step(w, st, NULL, "cannot add the commit");
done:
    sqlite3_finalize(st);
    btk_buf_free(&parents);
    return error;
}

static int add_run_row(writer *w, const btk_run *run, int64_t machine_id, int64_t *id_out)
{
    const btk_machine *m = &run->machine;
    sqlite3_stmt *st = NULL;
    int error;

    if ((error = btk_sqlite__prepare(w->db, SQL_RUN, &st)) < 0)
        return error;
    btk_sqlite__bind_text(st, 1, run->commit.sha[0] ? run->commit.sha : NULL);
    btk_sqlite__bind_text(st, 2, run->commit.branch);
    sqlite3_bind_int(st, 3, run->commit.dirty);
    sqlite3_bind_int64(st, 4, machine_id);
    btk_sqlite__bind_text(st, 5, run->format ? run->format : "benchtrack");
    btk_sqlite__bind_text(st, 6, run->date);
    sqlite3_bind_int64(st, 7, (int64_t)time(NULL));
    btk_sqlite__bind_text(st, 8, run->executable);
    btk_sqlite__bind_text(st, 9, run->compiler);
    btk_sqlite__bind_text(st, 10, run->flags);
    btk_sqlite__bind_text(st, 11, m->os);
    btk_sqlite__bind_text(st, 12, m->kernel);
    btk_sqlite__bind_text(st, 13, m->timer_source);
    btk_sqlite__bind_double(st, 14, m->timer_hz);
    sqlite3_bind_int(st, 15, m->hypervisor);
    btk_sqlite__bind_text(st, 16, run->context_json);
    btk_sqlite__bind_text(st, 17, run->options_json);
    btk_sqlite__bind_text(st, 18, m->hostname);
    btk_sqlite__bind_text(st, 19, w->uid);
    error = step(w, st, id_out, "cannot add the run");
    sqlite3_finalize(st);
    return error;
}

static int add_warnings(writer *w, const btk_run *run, int64_t run_id)
{
    sqlite3_stmt *st = NULL;
    size_t i;
    int error;

    if (run->warning_count == 0)
        return 0;
    if ((error = btk_sqlite__prepare(w->db, SQL_WARNING, &st)) < 0)
        return error;
    for (i = 0; i < run->warning_count && error == 0; i++) {
        sqlite3_bind_int64(st, 1, run_id);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        btk_sqlite__bind_text(st, 3, run->warnings[i] ? run->warnings[i] : "");
        error = step(w, st, NULL, "cannot add a warning");
    }
    sqlite3_finalize(st);
    return error;
}

static int add_result_row(writer *w, const btk_result *r, int64_t run_id, size_t seq,
                          int64_t *id_out)
{
    sqlite3_stmt *st = w->bench;
    const btk_memory *m = &r->memory;
    int64_t bench_id = 0;
    int i, error;

    btk_sqlite__bind_text(st, 1, r->name);
    btk_sqlite__bind_text(st, 2, r->family);
    sqlite3_bind_int(st, 3, r->has_param);
    if (r->has_param)
        sqlite3_bind_int64(st, 4, r->param);
    if ((error = step(w, st, &bench_id, "cannot add a benchmark")) < 0)
        return error;
    st = w->result;
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int64(st, 2, bench_id);
    sqlite3_bind_int64(st, 3, (int64_t)seq);
    sqlite3_bind_int(st, 4, (int)r->status);
    btk_sqlite__bind_text(st, 5, r->error_kind);
    btk_sqlite__bind_text(st, 6, r->error_message);
    btk_sqlite__bind_text(st, 7, r->stop_reason);
    i = btk_sqlite__stats_bind(st, 8, &r->stats);
    btk_sqlite__bind_double(st, i, r->cycles_median);
    sqlite3_bind_int(st, i + 1, m->tracked);
    btk_sqlite__bind_double(st, i + 2, m->allocs_per_iter);
    btk_sqlite__bind_double(st, i + 3, m->frees_per_iter);
    btk_sqlite__bind_double(st, i + 4, m->bytes_per_iter);
    btk_sqlite__bind_opt_int(st, i + 5, m->peak_rss_bytes);
    btk_sqlite__bind_opt_int(st, i + 6, m->minor_faults);
    btk_sqlite__bind_opt_int(st, i + 7, m->major_faults);
    btk_sqlite__bind_double(st, i + 8, r->bytes_per_iter);
    btk_sqlite__bind_double(st, i + 9, r->items_per_iter);
    sqlite3_bind_int(st, i + 10, r->call_percentiles ? 1 : 0);
    return step(w, st, id_out, "cannot add a result");
}

static int add_counters(writer *w, int64_t result_id, int kind, const btk_kv *kv,
                        size_t count)
{
    size_t i;
    int error = 0;

    for (i = 0; i < count && error == 0; i++) {
        sqlite3_bind_int64(w->counter, 1, result_id);
        sqlite3_bind_int(w->counter, 2, kind);
        btk_sqlite__bind_text(w->counter, 3, kv[i].name);
        btk_sqlite__bind_double(w->counter, 4, kv[i].value);
        error = step(w, w->counter, NULL, "cannot add a counter");
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

/* One process's series parallel to its samples (CPU ns, core clock) as a blob row of st;
 * nothing when v is NULL (unknown). */
static int add_series(writer *w, sqlite3_stmt *st, int64_t result_id, size_t seq,
                      const double *v, size_t count, const char *what)
{
    if (v == NULL)
        return 0;
    btk_store__encode_f64(w->blob, v, count);
    sqlite3_bind_int64(st, 1, result_id);
    sqlite3_bind_int64(st, 2, (int64_t)seq);
    sqlite3_bind_blob(st, 3, w->blob, (int)(count * 8), SQLITE_STATIC);
    return step(w, st, NULL, what);
}

static int add_proc(writer *w, int64_t result_id, size_t seq, const btk_proc *p)
{
    sqlite3_stmt *st = w->samples;
    size_t bytes = p->count * 8;
    int error;

    if ((error = reserve_blob(w, 2 * bytes + 8)) < 0)
        return error;
    btk_store__encode_f64(w->blob, p->ns, p->count);
    sqlite3_bind_int64(st, 1, result_id);
    sqlite3_bind_int64(st, 2, (int64_t)seq);
    sqlite3_bind_int(st, 3, p->index);
    sqlite3_bind_int64(st, 4, (int64_t)p->count);
    sqlite3_bind_blob(st, 5, w->blob, (int)bytes, SQLITE_STATIC);
    if (p->batch) {
        btk_store__encode_u64(w->blob + bytes, p->batch, p->count);
        sqlite3_bind_blob(st, 6, w->blob + bytes, (int)bytes, SQLITE_STATIC);
    }
    btk_sqlite__bind_opt_int(st, 7, p->peak_rss_bytes);
    btk_sqlite__bind_opt_int(st, 8, p->minor_faults);
    btk_sqlite__bind_opt_int(st, 9, p->major_faults);
    /* branch_ratio: NULL when unknown (0) */
    btk_sqlite__bind_double(st, 10, p->branch_ratio > 0 ? p->branch_ratio : NAN);
    if ((error = step(w, st, NULL, "cannot add samples")) < 0)
        return error;
    if ((error = add_series(w, w->cpu, result_id, seq, p->cpu_ns, p->count,
                            "cannot add CPU samples")) < 0)
        return error;
    return add_series(w, w->clock, result_id, seq, p->clock_ghz, p->count,
                      "cannot add clock samples");
}

/* Bind the six stored figures of s (min, max, mean, median, ci_low, ci_high) from
 * parameter i, all NULL unless known. */
static void bind_six(sqlite3_stmt *st, int i, const btk_stats *s, bool known)
{
    const double v[6] = {s->min, s->max, s->mean, s->median, s->ci_low, s->ci_high};

    for (int k = 0; k < 6; k++)
        btk_sqlite__bind_double(st, i + k, known ? v[k] : NAN);
}

/* The count's repeatability, the CPU statistics and the core-cycle statistics, when the
 * result has any of them. */
static int add_metrics(writer *w, const btk_result *r, int64_t result_id)
{
    sqlite3_stmt *st = w->metrics;
    bool cpu = r->has_cpu_stats;

    if (r->count_repeat == BTK_COUNT_UNKNOWN && !cpu && !r->has_core_stats)
        return 0;
    sqlite3_bind_int64(st, 1, result_id);
    sqlite3_bind_int(st, 2, (int)r->count_repeat);
    btk_sqlite__bind_double(st, 3, r->count_repeat ? r->count_spread_min : NAN);
    btk_sqlite__bind_double(st, 4, r->count_repeat ? r->count_spread_max : NAN);
    bind_six(st, 5, &r->cpu_stats, cpu);
    bind_six(st, 11, &r->core_stats, r->has_core_stats);
    return step(w, st, NULL, "cannot add a result's count, CPU or cycle figures");
}

static int add_run_count(writer *w, const btk_run *run, int64_t run_id)
{
    sqlite3_stmt *st = NULL;
    int error;

    if (run->measure == BTK_MEASURE_KIND_TIME)
        return 0;
    if ((error = btk_sqlite__prepare(w->db, SQL_RUN_COUNT, &st)) < 0)
        return error;
    sqlite3_bind_int64(st, 1, run_id);
    btk_sqlite__bind_text(st, 2, btk_measure_name(run->measure));
    btk_sqlite__bind_text(st, 3, run->count_identity);
    error = step(w, st, NULL, "cannot add the run's measure");
    sqlite3_finalize(st);
    return error;
}

static int add_result(writer *w, const btk_result *r, int64_t run_id, size_t seq)
{
    int64_t id = 0;
    size_t i;
    int error;

    if (r->name == NULL)
        return btk_error_set(BTK_EINVAL, "result %zu has no name", seq);
    if ((error = add_result_row(w, r, run_id, seq, &id)) < 0 ||
        (error = add_counters(w, id, 0, r->counters, r->counter_count)) < 0 ||
        (error = add_counters(w, id, 1, r->hw, r->hw_count)) < 0 ||
        (error = add_metrics(w, r, id)) < 0)
        return error;
    for (i = 0; i < r->proc_count && error == 0; i++)
        error = add_proc(w, id, i, &r->procs[i]);
    return error;
}

static int prepare_writer(writer *w)
{
    char sql[1024];
    int error;

    btk_sqlite__stats_sql(sql, sizeof(sql), SQL_RESULT, "");
    if ((error = btk_sqlite__prepare(w->db, SQL_BENCH, &w->bench)) < 0 ||
        (error = btk_sqlite__prepare(w->db, sql, &w->result)) < 0 ||
        (error = btk_sqlite__prepare(w->db, SQL_COUNTER, &w->counter)) < 0 ||
        (error = btk_sqlite__prepare(w->db, SQL_SAMPLES, &w->samples)) < 0 ||
        (error = btk_sqlite__prepare(w->db, SQL_RESULT_METRICS, &w->metrics)) < 0 ||
        (error = btk_sqlite__prepare(w->db, SQL_CPU_SAMPLES, &w->cpu)) < 0 ||
        (error = btk_sqlite__prepare(w->db, SQL_CLOCK_SAMPLES, &w->clock)) < 0)
        return error;
    return 0;
}

static int write_all(writer *w, const btk_run *run, int64_t *id_out)
{
    int64_t machine_id = 0;
    size_t i;
    int error;

    if ((error = add_machine(w, &run->machine, &machine_id)) < 0 ||
        (error = add_commit(w, &run->commit)) < 0 ||
        (error = add_run_row(w, run, machine_id, id_out)) < 0 ||
        (error = add_warnings(w, run, *id_out)) < 0 ||
        (error = add_run_count(w, run, *id_out)) < 0 || (error = prepare_writer(w)) < 0)
        return error;
    for (i = 0; i < run->result_count && error == 0; i++)
        error = add_result(w, &run->results[i], *id_out, i);
    return error;
}

/* The id of the run with uid into *id_out; BTK_ENOTFOUND when none. */
static int lookup_uid(btk_sqlite *db, const char *uid, int64_t *id_out)
{
    sqlite3_stmt *st = NULL;
    int rc, error;

    if ((error = btk_sqlite__prepare(db, "SELECT id FROM runs WHERE uid = ?", &st)) < 0)
        return error;
    btk_sqlite__bind_text(st, 1, uid);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id_out = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        error = btk_error_set(BTK_ENOTFOUND, "no run with uid '%s'", uid);
    else
        error = btk_sqlite__fail(db, "cannot look a run up");
    sqlite3_finalize(st);
    return error;
}

int btk_sqlite__find_uid(int64_t *id_out, btk_store *store, const char *uid)
{
    btk_sqlite *db = btk_sqlite__of(store);

    if (db->version < BTK_STORE_UID_VERSION) /* an older database read as it is */
        return btk_error_set(BTK_ENOTFOUND, "no run with uid '%s'", uid);
    return lookup_uid(db, uid, id_out);
}

int btk_sqlite__add_run(btk_store *store, const btk_run *run, const char *uid,
                        int64_t *id_out, bool *added_out)
{
    btk_sqlite *db = btk_sqlite__of(store);
    writer w;
    int64_t id = 0;
    int error;

    *added_out = false;
    if (run == NULL || db->readonly)
        return btk_error_set(BTK_EINVAL, "cannot add a run: database not open for writing");
    if (run->machine.fingerprint == NULL)
        return btk_error_set(BTK_EINVAL, "cannot add a run without a machine fingerprint");
    memset(&w, 0, sizeof(w));
    w.db = db;
    w.uid = uid;
    if ((error = btk_sqlite__begin(db)) < 0)
        return error;
    /* under the write lock: a run with this uid cannot appear meanwhile */
    if ((error = lookup_uid(db, uid, &id)) == 0) {
        btk_sqlite__rollback(db);
        if (id_out)
            *id_out = id;
        return 0;
    }
    if (error != BTK_ENOTFOUND) {
        btk_sqlite__rollback(db);
        return error;
    }
    btk_error_clear();
    if ((error = write_all(&w, run, &id)) == 0)
        error = btk_sqlite__commit(db);
    else
        btk_sqlite__rollback(db);
    sqlite3_finalize(w.bench);
    sqlite3_finalize(w.result);
    sqlite3_finalize(w.counter);
    sqlite3_finalize(w.samples);
    sqlite3_finalize(w.metrics);
    sqlite3_finalize(w.cpu);
    sqlite3_finalize(w.clock);
    btk__free(w.blob);
    if (error == 0 && id_out)
        *id_out = id;
    *added_out = error == 0;
    return error;
}
