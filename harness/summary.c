/*
 * Folding one benchmark's processes into the figures the reporters print. Statistics come
 * from btk_stats_summarize over the pooled per-iteration samples of every process (and
 * likewise their CPU times and, in per-call mode, the single calls), except the median,
 * which with 2 or more processes is the median of the processes' medians; cycles, iterations,
 * memory, throughput, disturbance and the interval of the processes' medians are folded
 * here.
 */
#include "summary.h"

#include <math.h>

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

enum { POOL_SAMPLES, POOL_CYCLES, POOL_CPU, POOL_CALLS };

/* The array `which` of one process, and its length. */
static const double *pool_of(const btk_proc_result *p, int which, size_t *n_out)
{
    *n_out = which == POOL_CALLS ? p->call_count : p->count;
    switch (which) {
    case POOL_CYCLES:
        return p->cycles;
    case POOL_CPU:
        return p->cpu_samples;
    case POOL_CALLS:
        return p->calls;
    }
    return p->samples;
}

/* All samples (or cycles, CPU times, call times) of all processes not set aside (aside
 * NULL: none is) in one btk__malloc'd array. */
static double *pool(const btk_bench_result *r, const bool *aside, int which, size_t *n_out)
{
    size_t n = 0, i, at = 0, k;
    double *all;

    for (i = 0; i < r->proc_count; i++) {
        (void)pool_of(&r->procs[i], which, &k);
        n += aside != NULL && aside[i] ? 0 : k;
    }
    *n_out = n;
    if (n == 0 || (all = btk__malloc(n * sizeof(double))) == NULL)
        return NULL;
    for (i = 0; i < r->proc_count; i++) {
        const double *v = pool_of(&r->procs[i], which, &k);

        if (aside != NULL && aside[i])
            continue;
        if (v == NULL)
            memset(all + at, 0, k * sizeof(double));
        else
            memcpy(all + at, v, k * sizeof(double));
        at += k;
    }
    return all;
}

/* CPU time and call-time statistics; in per-call mode the percentiles of s->stats become
 * those of the calls. */
static int pooled_cpu_and_calls(btk_summary *s, const btk_bench_result *r, const bool *aside)
{
    size_t n;
    double *all = pool(r, aside, POOL_CPU, &n);
    int error;

    btk_stats_init(&s->cpu_stats);
    btk_stats_init(&s->call_stats);
    if (all == NULL)
        return n == 0 ? 0 : BTK_ENOMEM;
    error = btk_stats_summarize(&s->cpu_stats, all, n);
    btk__free(all);
    s->per_call = r->procs[0].per_call;
    if (error < 0 || !s->per_call)
        return error;
    if ((all = pool(r, aside, POOL_CALLS, &n)) == NULL)
        return n == 0 ? 0 : BTK_ENOMEM;
    error = btk_stats_summarize(&s->call_stats, all, n);
    btk__free(all);
    s->call_stats.iterations = (int64_t)n;
    s->stats.p50 = s->call_stats.p50;
    s->stats.p90 = s->call_stats.p90;
    s->stats.p95 = s->call_stats.p95;
    s->stats.p99 = s->call_stats.p99;
    s->stats.p999 = s->call_stats.p999;
    return error;
}

static int pooled_stats(btk_summary *s, const btk_bench_result *r, const bool *aside)
{
    size_t n;
    double *all = pool(r, aside, POOL_SAMPLES, &n);
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

static int pooled_cycles(btk_summary *s, const btk_bench_result *r, const bool *aside)
{
    btk_stats st;
    size_t n;
    double *all = pool(r, aside, POOL_CYCLES, &n);
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

/* The interval of the medians of the processes not set aside (btk_summary.proc_ci_*) and
 * their levels. */
static int process_ci(btk_summary *s, const btk_bench_result *r, const bool *aside)
{
    double *med, *scratch;
    size_t i, n = 0, most = 0;

    for (i = 0; i < r->proc_count; i++)
        most = r->procs[i].count > most ? r->procs[i].count : most;
    if (r->proc_count < 2 || most == 0)
        return 0;
    /* scratch holds one process's samples, then the medians */
    med = btk__malloc((r->proc_count + (most > r->proc_count ? most : r->proc_count)) *
                      sizeof(double));
    if (med == NULL)
        return BTK_ENOMEM;
    scratch = med + r->proc_count;
    for (i = 0; i < r->proc_count; i++) {
        const btk_proc_result *p = &r->procs[i];

        if (p->count == 0 || p->samples == NULL || (aside != NULL && aside[i]))
            continue;
        memcpy(scratch, p->samples, p->count * sizeof(double));
        med[n++] = btk_stats_median_inplace(scratch, p->count);
    }
    s->proc_medians = n;
    if (n >= 2) {
        /* The run's median is its processes' median, each process one unit: pooled, the
         * samples of a process that sampled longer (one that could not reach the precision,
         * often a disturbed one) would outweigh the others. */
        memcpy(scratch, med, n * sizeof(double));
        s->stats.median = btk_stats_median_inplace(scratch, n);
        btk_stats_units_interval(med, n, &s->proc_ci_low, &s->proc_ci_high,
                                 &s->proc_ci_coverage);
        /* The median's interval spans the pooled samples' and the processes', so it holds
         * the processes' median whatever the pooled samples say. */
        s->stats.ci_low = fmin(s->stats.ci_low, s->proc_ci_low);
        s->stats.ci_high = fmax(s->stats.ci_high, s->proc_ci_high);
        s->stats.rel_ci = s->stats.median != 0
                              ? (s->stats.ci_high - s->stats.ci_low) / 2 / fabs(s->stats.median)
                              : 0;
        s->proc_ci_rel = s->stats.median > 0
                             ? (s->proc_ci_high - s->proc_ci_low) / 2 / s->stats.median
                             : 0;
    }
    s->levels = btk_stats_two_levels(med, n, &s->levels_low_n, &s->levels_low,
                                     &s->levels_high);
    btk__free(med);
    return 0;
}

/* Which processes are set aside (btk_stats_shared_aside, on the medians of the processes
 * with samples): *aside_out is NULL when none is, else a btk__malloc'd flag per process;
 * s->aside_procs counts them. */
static int mark_aside(btk_summary *s, const btk_bench_result *r, bool **aside_out)
{
    size_t i, n = r->proc_count;
    const double **samples;
    size_t *counts;
    double *ratio;
    bool *aside;
    int k = BTK_ENOMEM;

    *aside_out = NULL;
    if (n < 2)
        return 0;
    samples = btk__malloc(n * sizeof(*samples));
    counts = btk__malloc(n * sizeof(*counts));
    ratio = btk__malloc(n * sizeof(*ratio));
    aside = btk__malloc(n * sizeof(*aside));
    if (samples != NULL && counts != NULL && ratio != NULL && aside != NULL) {
        for (i = 0; i < n; i++) {
            samples[i] = r->procs[i].samples;
            counts[i] = r->procs[i].count;
            ratio[i] = r->procs[i].branch_ratio;
        }
        k = btk_stats_shared_aside_samples(samples, counts, ratio, n, aside);
    }
    btk__free(samples);
    btk__free(counts);
    btk__free(ratio);
    if (k > 0) {
        s->aside_procs = (size_t)k;
        *aside_out = aside;
        return 0;
    }
    btk__free(aside);
    return k < 0 ? k : 0;
}

double btk_summary_shown_ci(const btk_summary *s)
{
    return s->proc_medians >= 2 && s->proc_ci_rel > s->stats.rel_ci ? s->proc_ci_rel
                                                                     : s->stats.rel_ci;
}

/* Iterations, stop reason, memory and throughput across processes. */
static void fold(btk_summary *s, const btk_bench_result *r)
{
    uint64_t allocs = 0, frees = 0, bytes = 0, mem_iters = 0;
    size_t i, k;

    s->mem_tracked = true;
    s->stop = BTK_STOP_PRECISION;
    s->threads = r->procs[0].threads > 0 ? r->procs[0].threads : 1;
    for (i = 0; i < r->proc_count; i++) {
        const btk_proc_result *p = &r->procs[i];
        s->disturbed += p->disturbed;
        s->switches += p->switches;
        s->migrations += p->migrations;
        if (p->branch_ratio > 0) {
            s->ratio_procs++;
            s->shared_procs += p->branch_ratio >= BTK_STATS_SHARED_RATIO ? 1 : 0;
        }
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

bool btk_summary_disturbed(const btk_summary *s)
{
    return s->stats.samples > 0 &&
           (double)s->disturbed > BTK_SUMMARY_DISTURBED_SHARE * (double)s->stats.samples;
}

bool btk_summary_shared_core(const btk_summary *s)
{
    return s->ratio_procs > 0 && 2 * s->shared_procs >= s->ratio_procs && s->aside_procs == 0;
}

int btk_summary_compute(btk_summary *out, const btk_bench_result *r)
{
    int error;

    bool *aside = NULL;

    memset(out, 0, sizeof(*out));
    if (r->proc_count == 0)
        return btk_error_set(BTK_EINVAL, "benchmark has no completed process");
    if ((error = mark_aside(out, r, &aside)) < 0)
        return error;
    if ((error = pooled_stats(out, r, aside)) < 0 ||
        (error = pooled_cycles(out, r, aside)) < 0 ||
        (error = pooled_cpu_and_calls(out, r, aside)) < 0 ||
        (error = process_ci(out, r, aside)) < 0) {
        btk__free(aside);
        return error;
    }
    btk__free(aside);
    fold(out, r);
    out->cpu_stats.iterations = out->stats.iterations;
    return 0;
}
