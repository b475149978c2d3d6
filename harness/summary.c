/*
 * Folding one benchmark's processes into the figures the reporters print. Statistics come
 * from btk_stats_summarize over the pooled per-iteration samples of every process; cycles,
 * iterations, memory and throughput are folded here.
 */
#include "summary.h"

const char *btk_summary_stop_name(btk_stop_reason stop)
{
    switch (stop) {
    case BTK_STOP_PRECISION:
        return "precision";
    case BTK_STOP_TIME_BUDGET:
        return "time_budget";
    case BTK_STOP_MAX_SAMPLES:
        return "max_samples";
    }
    return "unknown";
}

/* All samples (or cycles) of all processes in one btk__malloc'd array. */
static double *pool(const btk_bench_result *r, bool cycles, size_t *n_out)
{
    size_t n = 0, i, at = 0;
    double *all;

    for (i = 0; i < r->proc_count; i++)
        n += r->procs[i].count;
    *n_out = n;
    if (n == 0 || (all = btk__malloc(n * sizeof(double))) == NULL)
        return NULL;
    for (i = 0; i < r->proc_count; i++) {
        const btk_proc_result *p = &r->procs[i];
        memcpy(all + at, cycles ? p->cycles : p->samples, p->count * sizeof(double));
        at += p->count;
    }
    return all;
}

static int pooled_stats(btk_summary *s, const btk_bench_result *r)
{
    size_t n;
    double *all = pool(r, false, &n);
    int error;

    char q[80];

    if (all == NULL)
        return n == 0 ? btk_error_set(BTK_EINVAL, "benchmark '%s' has no samples",
                                      btk_error_quote(q, sizeof(q), r->name))
                      : BTK_ENOMEM;
    error = btk_stats_summarize(&s->stats, all, n);
    btk__free(all);
    return error;
}

static int pooled_cycles(btk_summary *s, const btk_bench_result *r)
{
    btk_stats st;
    size_t n;
    double *all = pool(r, true, &n);
    int error;

    if (all == NULL)
        return BTK_ENOMEM;
    error = btk_stats_summarize(&st, all, n);
    btk__free(all);
    if (error < 0)
        return error;
    s->cycles_median = st.median;
    s->cycles_min = st.min;
    s->cycles_mean = st.mean;
    return 0;
}

/* Iterations, stop reason, memory and throughput across processes. */
static void fold(btk_summary *s, const btk_bench_result *r)
{
    uint64_t allocs = 0, frees = 0, bytes = 0, mem_iters = 0;
    size_t i, k;

    s->mem_tracked = true;
    s->stop = BTK_STOP_PRECISION;
    for (i = 0; i < r->proc_count; i++) {
        const btk_proc_result *p = &r->procs[i];
        for (k = 0; k < p->count; k++)
            s->stats.iterations += (int64_t)p->batch[k];
        if (p->stop != BTK_STOP_PRECISION && s->stop == BTK_STOP_PRECISION)
            s->stop = p->stop;
        s->mem_tracked = s->mem_tracked && p->mem_tracked;
        allocs += p->allocs;
        frees += p->frees;
        bytes += p->alloc_bytes;
        mem_iters += p->mem_iterations;
        s->peak_rss_bytes = p->peak_rss_bytes > s->peak_rss_bytes ? p->peak_rss_bytes
                                                                   : s->peak_rss_bytes;
        s->minor_faults = p->minor_faults > s->minor_faults ? p->minor_faults : s->minor_faults;
        s->major_faults = p->major_faults > s->major_faults ? p->major_faults : s->major_faults;
    }
    if (s->mem_tracked && mem_iters > 0) {
        s->allocs_per_iter = (double)allocs / (double)mem_iters;
        s->frees_per_iter = (double)frees / (double)mem_iters;
        s->bytes_per_iter = (double)bytes / (double)mem_iters;
    }
    s->tp_bytes_per_iter = r->procs[0].bytes_per_iter;
    s->tp_items_per_iter = r->procs[0].items_per_iter;
    if (s->stats.median > 0) {
        s->bytes_per_second = s->tp_bytes_per_iter * 1e9 / s->stats.median;
        s->items_per_second = s->tp_items_per_iter * 1e9 / s->stats.median;
    }
}

int btk_summary_compute(btk_summary *out, const btk_bench_result *r)
{
    int error;

    memset(out, 0, sizeof(*out));
    if (r->proc_count == 0)
        return btk_error_set(BTK_EINVAL, "benchmark has no completed process");
    if ((error = pooled_stats(out, r)) < 0 || (error = pooled_cycles(out, r)) < 0)
        return error;
    fold(out, r);
    return 0;
}
