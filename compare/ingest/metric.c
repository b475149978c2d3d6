/*
 * The figures of time runs (metric.h): wall, CPU and core cycles per sample, the results'
 * core-cycle statistics, and the core clock's checks.
 */
#include "metric.h"

#include "import.h"

#include <math.h>
#include <string.h>

static const char *const metric_names[] = {"wall", "cpu", "cycles", "auto"};

const char *btk_compare_metric_name(btk_compare_metric metric)
{
    return (unsigned)metric < BTK_ARRAY_SIZE(metric_names) ? metric_names[metric] : "wall";
}

const char *btk_compare_metric_unit(btk_compare_metric metric)
{
    return metric == BTK_COMPARE_CYCLES ? "cycles" : "ns";
}

bool btk_clock_ok(double ghz)
{
    return isfinite(ghz) && ghz > 0 && ghz < BTK_CLOCK_MAX_GHZ;
}

void btk_proc_check_clock(btk_proc *p)
{
    for (size_t i = 0; p->clock_ghz && i < p->count; i++)
        if (!btk_clock_ok(p->clock_ghz[i])) {
            btk__free(p->clock_ghz);
            p->clock_ghz = NULL;
        }
}

bool btk_branch_ratio_ok(double r)
{
    return r >= 0 && r < BTK_IMPORT_MAX_RATIO;
}

void btk_proc_check_ratio(btk_proc *p)
{
    if (!btk_branch_ratio_ok(p->branch_ratio))
        p->branch_ratio = 0;
}

int btk_result_mark_aside(btk_result *r)
{
    size_t i, n = r->proc_count;
    const double **samples;
    size_t *counts;
    double *ratio;
    bool *aside;
    int k = BTK_ENOMEM;

    for (i = 0; i < n; i++)
        r->procs[i].aside = false;
    if (r->status != BTK_RESULT_OK || n < 2)
        return 0;
    samples = btk__malloc(n * sizeof(*samples));
    counts = btk__malloc(n * sizeof(*counts));
    ratio = btk__malloc(n * sizeof(*ratio));
    aside = btk__malloc(n * sizeof(*aside));
    if (samples != NULL && counts != NULL && ratio != NULL && aside != NULL) {
        for (i = 0; i < n; i++) {
            samples[i] = r->procs[i].ns;
            counts[i] = r->procs[i].count;
            ratio[i] = r->procs[i].branch_ratio;
        }
        k = btk_stats_shared_aside_samples(samples, counts, ratio, n, aside);
        for (i = 0; k > 0 && i < n; i++)
            r->procs[i].aside = aside[i];
    }
    btk__free(samples);
    btk__free(counts);
    btk__free(ratio);
    btk__free(aside);
    return k;
}

int btk_run_mark_aside(btk_run *run)
{
    int total = 0, k;

    if (run->measure != BTK_MEASURE_KIND_TIME)
        return 0;
    for (size_t i = 0; i < run->result_count; i++) {
        if ((k = btk_result_mark_aside(&run->results[i])) < 0)
            return k;
        total += k;
    }
    return total;
}

bool btk_proc_has_metric(const btk_proc *p, btk_compare_metric metric)
{
    if (p->aside)
        return false;
    return metric == BTK_COMPARE_CPU      ? p->cpu_ns != NULL
           : metric == BTK_COMPARE_CYCLES ? p->clock_ghz != NULL && p->ns != NULL
                                          : p->ns != NULL;
}

void btk_proc_metric_values(double *out, const btk_proc *p, btk_compare_metric metric)
{
    if (metric == BTK_COMPARE_CYCLES) {
        for (size_t i = 0; i < p->count; i++)
            out[i] = p->ns[i] * p->clock_ghz[i];
    } else if (p->count > 0)
        memcpy(out, metric == BTK_COMPARE_CPU ? p->cpu_ns : p->ns, p->count * sizeof(double));
}

const btk_stats *btk_result_metric_stats(const btk_result *r, btk_compare_metric metric)
{
    if (metric == BTK_COMPARE_CPU)
        return r->has_cpu_stats ? &r->cpu_stats : NULL;
    if (metric == BTK_COMPARE_CYCLES)
        return r->has_core_stats ? &r->core_stats : NULL;
    return &r->stats;
}

int btk_result_summarize_cycles(btk_result *r)
{
    size_t n = 0, at = 0;
    double *v;
    int error;

    r->has_core_stats = false;
    btk_stats_init(&r->core_stats);
    for (size_t i = 0; r->status == BTK_RESULT_OK && i < r->proc_count; i++)
        n += btk_proc_has_metric(&r->procs[i], BTK_COMPARE_CYCLES) ? r->procs[i].count : 0;
    if (n == 0)
        return 0;
    if ((v = btk__malloc(n * sizeof(*v))) == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < r->proc_count; i++)
        if (btk_proc_has_metric(&r->procs[i], BTK_COMPARE_CYCLES)) {
            btk_proc_metric_values(v + at, &r->procs[i], BTK_COMPARE_CYCLES);
            at += r->procs[i].count;
        }
    error = btk_stats_summarize(&r->core_stats, v, n);
    btk__free(v);
    r->has_core_stats = error == 0 && isfinite(r->core_stats.median);
    return error;
}

/* Widen st's interval to that of r's processes' medians of the metric; scratch holds the
 * largest process's samples, med one value per process. */
static void widen(btk_stats *st, const btk_result *r, btk_compare_metric metric, double *med,
                  double *scratch)
{
    double low, high, coverage;
    size_t n = 0;

    for (size_t i = 0; i < r->proc_count; i++)
        if (r->procs[i].count > 0 && btk_proc_has_metric(&r->procs[i], metric)) {
            btk_proc_metric_values(scratch, &r->procs[i], metric);
            med[n++] = btk_stats_median_inplace(scratch, r->procs[i].count);
        }
    if (n < 2)
        return;
    btk_stats_units_interval(med, n, &low, &high, &coverage);
    if (!(high - low <= st->ci_high - st->ci_low)) {
        st->ci_low = low;
        st->ci_high = high;
    }
}

int btk_result_widen_intervals(btk_result *r)
{
    size_t most = 0;
    double *med;

    if (r->status != BTK_RESULT_OK || r->proc_count < 2)
        return 0;
    for (size_t i = 0; i < r->proc_count; i++)
        most = r->procs[i].count > most ? r->procs[i].count : most;
    if (most == 0)
        return 0;
    if ((med = btk__malloc((r->proc_count + most) * sizeof(double))) == NULL)
        return BTK_ENOMEM;
    widen(&r->stats, r, BTK_COMPARE_WALL, med, med + r->proc_count);
    if (r->has_cpu_stats)
        widen(&r->cpu_stats, r, BTK_COMPARE_CPU, med, med + r->proc_count);
    if (r->has_core_stats)
        widen(&r->core_stats, r, BTK_COMPARE_CYCLES, med, med + r->proc_count);
    btk__free(med);
    return 0;
}

int btk_run_widen_intervals(btk_run *run)
{
    int error = 0;

    for (size_t i = 0; run->measure == BTK_MEASURE_KIND_TIME && i < run->result_count &&
                       error == 0;
         i++)
        error = btk_result_widen_intervals(&run->results[i]);
    return error;
}

int btk_runs_clock_median(double *out, const btk_run *const *runs, size_t count)
{
    btk_buf all = BTK_BUF_INIT;
    int error = 0;

    *out = NAN;
    for (size_t k = 0; k < count && error == 0; k++)
        for (size_t i = 0; runs[k]->measure == BTK_MEASURE_KIND_TIME &&
                           i < runs[k]->result_count && error == 0; i++) {
            const btk_result *r = &runs[k]->results[i];

            for (size_t p = 0; r->status == BTK_RESULT_OK && p < r->proc_count; p++)
                if (r->procs[p].clock_ghz && error == 0)
                    error = btk_buf_put(&all, (const char *)r->procs[p].clock_ghz,
                                        r->procs[p].count * sizeof(double));
        }
    if (error == 0 && all.len > 0)
        *out = btk_stats_median_inplace((double *)(void *)all.ptr, all.len / sizeof(double));
    btk_buf_free(&all);
    return error;
}
