/*
 * What the reporters (console.c, json.c) print for one benchmark: statistics over all
 * samples of all its processes (btk_stats_summarize; iterations summed here), cycles,
 * memory and throughput folded across processes.
 */
#ifndef BTK_SUMMARY_H
#define BTK_SUMMARY_H

#include "result.h"
#include "stats.h"

typedef struct btk_summary {
    btk_stats stats; /* per-iteration ns over every sample of every process */
    /* timer ticks per iteration */
    double cycles_median, cycles_min, cycles_mean;
    btk_stop_reason stop;
    /* memory: allocation figures per iteration (timed region), RSS/faults max over procs */
    bool mem_tracked;
    double allocs_per_iter, frees_per_iter, bytes_per_iter;
    int64_t peak_rss_bytes, minor_faults, major_faults;
    /* throughput, 0 when not set; rates from the median */
    double tp_bytes_per_iter, tp_items_per_iter, bytes_per_second, items_per_second;
} btk_summary;

/* Summarize r's processes into out. A result with no samples (failed, or empty) gives
 * BTK_EINVAL; BTK_ENOMEM when scratch space cannot be allocated. */
int btk_summary_compute(btk_summary *out, const btk_bench_result *r);

/* "precision", "time_budget" or "max_samples". */
const char *btk_summary_stop_name(btk_stop_reason stop);

#endif
