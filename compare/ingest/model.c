/*
 * The in-memory run: construction, release and lookup. The machine fingerprint is computed
 * by the machine identity module (machine.c).
 */
#include "model.h"

#include "metric.h"

#include <math.h>

/* btk_run_find's index: open addressing with linear probing over results[0..count); a
 * slot holds a result's position + 1, 0 when empty. The load stays at most 1/2. */
typedef struct btk_run_index {
    size_t cap;   /* slots, a power of two */
    size_t count; /* results indexed so far */
    size_t *slot;
} btk_run_index_t;

int btk_run_new(btk_run **out)
{
    *out = btk__calloc(1, sizeof(**out));
    if (*out == NULL)
        return BTK_ENOMEM;
    (*out)->machine.timer_hz = NAN;
    return 0;
}

void btk_proc_clear(btk_proc *p)
{
    btk__free(p->ns);
    btk__free(p->batch);
    btk__free(p->cpu_ns);
    btk__free(p->clock_ghz);
}

static void kvs_free(btk_kv *kv, size_t count)
{
    size_t i;

    for (i = 0; kv && i < count; i++)
        btk__free(kv[i].name);
    btk__free(kv);
}

void btk_result_clear(btk_result *r)
{
    size_t i;

    btk__free(r->name);
    btk__free(r->family);
    btk__free(r->error_kind);
    btk__free(r->error_message);
    btk__free(r->stop_reason);
    kvs_free(r->counters, r->counter_count);
    kvs_free(r->hw, r->hw_count);
    for (i = 0; r->procs && i < r->proc_count; i++)
        btk_proc_clear(&r->procs[i]);
    btk__free(r->procs);
    memset(r, 0, sizeof(*r));
}

void btk_machine_clear(btk_machine *m)
{
    btk__free(m->fingerprint);
    btk__free(m->name);
    btk__free(m->hostname);
    btk__free(m->os);
    btk__free(m->kernel);
    btk__free(m->arch);
    btk__free(m->cpu_model);
    btk__free(m->timer_source);
    memset(m, 0, sizeof(*m));
}

void btk_run_free(btk_run *run)
{
    size_t i;

    if (run == NULL)
        return;
    btk__free(run->format);
    btk__free(run->date);
    btk__free(run->executable);
    btk__free(run->compiler);
    btk__free(run->flags);
    btk__free(run->context_json);
    btk__free(run->options_json);
    btk__free(run->count_identity);
    for (i = 0; run->warnings && i < run->warning_count; i++)
        btk__free(run->warnings[i]);
    btk__free(run->warnings);
    btk_machine_clear(&run->machine);
    btk__free(run->commit.branch);
    btk__free(run->commit.author);
    btk__free(run->commit.subject);
    btk__free(run->commit.parents);
    for (i = 0; run->results && i < run->result_count; i++)
        btk_result_clear(&run->results[i]);
    btk__free(run->results);
    if (run->index)
        btk__free(run->index->slot);
    btk__free(run->index);
    btk__free(run);
}

static const char *const measure_names[] = {"time", "instructions", "perf-instructions"};

const char *btk_measure_name(btk_measure_kind kind)
{
    return (unsigned)kind < BTK_ARRAY_SIZE(measure_names) ? measure_names[kind] : "unknown";
}

int btk_measure_parse(btk_measure_kind *out, const char *name)
{
    char q[64];

    for (size_t i = 0; name && i < BTK_ARRAY_SIZE(measure_names); i++)
        if (!strcmp(name, measure_names[i])) {
            *out = (btk_measure_kind)i;
            return 0;
        }
    return btk_error_set(BTK_EINVAL, "unknown measure '%s' (expected time, instructions or "
                         "perf-instructions)", btk_error_quote(q, sizeof(q), name ? name : ""));
}

/* Whether some ok result of run has the figure: its statistics (a run loaded without
 * samples), or some process with the samples (clock: clock_ghz, else cpu_ns). */
static bool run_has(const btk_run *run, bool clock)
{
    for (size_t i = 0; i < run->result_count; i++) {
        const btk_result *r = &run->results[i];

        if (r->status != BTK_RESULT_OK)
            continue;
        if (clock ? r->has_core_stats : r->has_cpu_stats)
            return true;
        for (size_t p = 0; p < r->proc_count; p++)
            if ((clock ? r->procs[p].clock_ghz : r->procs[p].cpu_ns) && r->procs[p].count > 0)
                return true;
    }
    return false;
}

bool btk_run_has_cpu(const btk_run *run)
{
    return run_has(run, false);
}

bool btk_run_has_clock(const btk_run *run)
{
    return run_has(run, true);
}

/* ---- the name index of btk_run_find ---- */

static size_t name_slot(const btk_run_index_t *ix, const char *name)
{
    return (size_t)btk__fnv1a(BTK_FNV1A_INIT, name, strlen(name)) & (ix->cap - 1);
}

/* Does the result in slot value v (position + 1) have this name? (A result moved out of
 * the run, as btk_ab_merge does, has none.) */
static bool same_name(const btk_run *run, size_t v, const char *name)
{
    const char *have = run->results[v - 1].name;

    return have != NULL && strcmp(have, name) == 0;
}

/* Index results[ix->count..result_count); a name already present keeps its first result. */
static void index_add(btk_run_index_t *ix, const btk_run *run)
{
    for (; ix->count < run->result_count; ix->count++) {
        const char *name = run->results[ix->count].name;
        size_t h;

        if (name == NULL)
            continue;
        for (h = name_slot(ix, name); ix->slot[h]; h = (h + 1) & (ix->cap - 1))
            if (same_name(run, ix->slot[h], name))
                break;
        if (ix->slot[h] == 0)
            ix->slot[h] = ix->count + 1;
    }
}

/* Make run->index cover every result; false (index dropped) when memory runs out. */
static bool index_update(btk_run *run)
{
    btk_run_index_t *ix = run->index;
    size_t cap = 16;

    if (ix && ix->count <= run->result_count && 2 * run->result_count <= ix->cap) {
        index_add(ix, run);
        return true;
    }
    while (cap < 2 * run->result_count)
        cap *= 2;
    if (ix == NULL && (ix = btk__calloc(1, sizeof(*ix))) == NULL)
        return false;
    btk__free(ix->slot);
    run->index = ix;
    if ((ix->slot = btk__calloc(cap, sizeof(*ix->slot))) == NULL) {
        btk__free(ix);
        run->index = NULL;
        return false;
    }
    ix->cap = cap;
    ix->count = 0;
    index_add(ix, run);
    return true;
}

const btk_result *btk_run_find(const btk_run *run, const char *name)
{
    btk_run *r = (btk_run *)run; /* the index is a cache, not part of the run's value */
    const btk_run_index_t *ix;
    size_t h, i;

    if (run == NULL || name == NULL)
        return NULL;
    if (!index_update(r)) {
        btk_error_clear(); /* out of memory for the index: a linear scan still answers */
        for (i = 0; i < run->result_count; i++)
            if (run->results[i].name && !strcmp(run->results[i].name, name))
                return &run->results[i];
        return NULL;
    }
    ix = r->index;
    for (h = name_slot(ix, name); ix->slot[h]; h = (h + 1) & (ix->cap - 1))
        if (same_name(run, ix->slot[h], name))
            return &run->results[ix->slot[h] - 1];
    return NULL;
}

void btk_memory_init(btk_memory *m)
{
    m->tracked = false;
    m->allocs_per_iter = m->frees_per_iter = m->bytes_per_iter = NAN;
    m->peak_rss_bytes = m->minor_faults = m->major_faults = -1;
}

/* ---- choosing the runs of a side ---- */

/* Keep runs[i] where keep[i]; see btk_runs_drop_dirty. */
static int keep_where(btk_run **runs, size_t *count, const bool *keep, btk_buf *dropped)
{
    size_t i, kept = 0;
    int n = 0, error = 0;

    for (i = 0; i < *count; i++) {
        if (keep[i]) {
            runs[kept++] = runs[i];
            continue;
        }
        if (error == 0)
            error = btk_buf_printf(dropped, "%s#%" PRId64, dropped->len ? ", " : "",
                                   runs[i]->id);
        btk_run_free(runs[i]);
        n++;
    }
    *count = kept;
    return error < 0 ? error : n;
}

int btk_runs_drop_dirty(btk_run **runs, size_t *count, btk_buf *dropped)
{
    bool *keep = btk__calloc(*count + 1, sizeof(*keep));
    int n;

    if (keep == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < *count; i++)
        keep[i] = !runs[i]->commit.dirty;
    n = keep_where(runs, count, keep, dropped);
    btk__free(keep);
    return n;
}

int btk_runs_keep_build(btk_run **runs, size_t *count, const btk_run *ref, btk_buf *dropped)
{
    bool *keep = btk__calloc(*count + 1, sizeof(*keep));
    int n;

    if (keep == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < *count; i++)
        keep[i] = runs[i] == ref || btk_run_same_build(runs[i], ref);
    n = keep_where(runs, count, keep, dropped);
    btk__free(keep);
    return n;
}

void btk_run_reduce_to_medians(btk_run *run, btk_compare_metric metric)
{
    for (size_t i = 0; i < run->result_count; i++)
        for (size_t j = 0; j < run->results[i].proc_count; j++) {
            btk_proc *p = &run->results[i].procs[j];

            if (!btk_proc_has_metric(p, metric))
                p->count = 0;
            else if (metric != BTK_COMPARE_WALL && p->count > 0) {
                /* into ns in place: ns[i] x clock[i] needs only ns[i] */
                btk_proc_metric_values(p->ns, p, metric);
                p->ns[0] = btk_stats_median_inplace(p->ns, p->count);
            } else if (p->count > 1)
                p->ns[0] = btk_stats_median_inplace(p->ns, p->count);
            p->count = p->count > 0 ? 1 : 0;
        }
}
