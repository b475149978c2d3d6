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
    /* threads, CPU time, disturbance, per-call (issues 14 and 15) */
    unsigned threads;      /* threads that ran the body */
    btk_stats cpu_stats;   /* CPU ns per iteration (all threads) over every sample */
    uint64_t disturbed, switches, migrations; /* summed over processes */
    bool per_call;         /* percentiles of stats are of single calls (call_stats) */
    btk_stats call_stats;  /* per-call mode: ns per call over every call of every process */
    /* The processes as the unit (docs/statistics.md §1): proc_medians processes with
     * samples; the interval [proc_ci_low, proc_ci_high] of their medians, which covers the
     * median of the process distribution with probability proc_ci_coverage: order
     * statistics of btk_stats_median_ci_ranks with 6 or more (>= 95 %), their range with
     * 2-5 (1 - 2^(1-P): 50-94 %); proc_ci_rel its half-width over stats.median. With one
     * process they are 0 and console.c shows stats.rel_ci alone. */
    size_t proc_medians;
    double proc_ci_low, proc_ci_high, proc_ci_coverage, proc_ci_rel;
    /* Two speeds among the processes (btk_stats_two_levels on their medians): levels_low_n
     * of proc_medians at the lower level; each level's median. Meaningful when levels. */
    bool levels;
    size_t levels_low_n;
    double levels_low, levels_high;
    /* Shared core (docs/timer.md "Shared core"): processes with a branch ratio, and those
     * of them at BTK_STATS_SHARED_RATIO or more; aside_procs of them were set aside
     * (btk_stats_shared_aside): every figure above but iterations, memory and the
     * disturbance counts leaves them out. */
    size_t ratio_procs, shared_procs, aside_procs;
} btk_summary;

/* Summarize r's processes into out. In per-call mode the percentiles (p50 .. p999) of
 * out->stats are those of call_stats; every other figure stays one of samples. A result with no samples (failed, or empty) gives
 * BTK_EINVAL; BTK_ENOMEM when scratch space cannot be allocated. */
int btk_summary_compute(btk_summary *out, const btk_bench_result *r);

/* The relative half-width the console's "+/- CI" shows: stats.rel_ci with one process,
 * else the wider of it and proc_ci_rel (samples inside one process are not independent
 * of each other, so with several processes the samples' interval alone is too narrow). */
double btk_summary_shown_ci(const btk_summary *s);

/* A benchmark whose samples were disturbed more often than this share is warned about:
 * beyond 10 % of samples, p90 and the percentiles above it describe the disturbances. */
#define BTK_SUMMARY_DISTURBED_SHARE 0.10

/* True when more than BTK_SUMMARY_DISTURBED_SHARE of s's samples were disturbed. */
bool btk_summary_disturbed(const btk_summary *s);

/* True when at least half of s's processes with a branch ratio ran on a shared core and
 * none was set aside: the benchmark's median is then a figure of that state. */
bool btk_summary_shared_core(const btk_summary *s);

/* "precision", "time_budget" or "max_samples". */
const char *btk_summary_stop_name(btk_stop_reason stop);

#endif
