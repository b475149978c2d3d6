/*
 * What one benchmark process measured: the seam between the measuring side (sampler, timer,
 * memtrack, perf) and the reporting side (runner, console, json). A child fills one
 * btk_proc_result, serializes it down a pipe as framed plain data, and the parent collects
 * the processes of each benchmark into a btk_bench_result.
 */
#ifndef BTK_RESULT_H
#define BTK_RESULT_H

#include "internal.h"

#define BTK_MAX_COUNTERS 32
#define BTK_COUNTER_NAME_MAX 64

typedef enum btk_stop_reason {
    BTK_STOP_PRECISION = 0, /* CI of the median narrower than the target */
    BTK_STOP_TIME_BUDGET,   /* time budget ran out */
    BTK_STOP_MAX_SAMPLES    /* max_samples reached */
} btk_stop_reason;

/* Counting mode (count.h): what one counted process retired. Events are instructions, L1
 * misses and last-level misses; the two miss counts only with --cache-sim (events 3). */
#define BTK_COUNT_EVENTS 3
typedef struct btk_count_figures {
    uint32_t events;                    /* valid events: 0 not counted, 1, or 3 */
    uint32_t aslr_off;                  /* 1 when randomization was off in the process */
    uint64_t iterations;                /* the counted batch */
    uint64_t body[BTK_COUNT_EVENTS];    /* the benchmark's BTK_LOOP, totals */
    uint64_t loop[BTK_COUNT_EVENTS];    /* an empty BTK_LOOP of the same batch, totals */
    uint64_t pauses;                    /* pause+resume pairs in the counted batch */
    uint64_t pause_loop[BTK_COUNT_EVENTS]; /* an empty loop with one pair per iteration */
} btk_count_figures;

typedef struct btk_named_value {
    char name[BTK_COUNTER_NAME_MAX];
    double value;
} btk_named_value;

/* One process's measurement of one benchmark instance. */
typedef struct btk_proc_result {
    int index;          /* process number, 0..K-1 */
    int pid;
    int cpu;            /* CPU it was pinned to, -1 when not pinned */
    size_t count;       /* samples */
    double *samples;    /* ns per iteration, overhead subtracted (btk__malloc'd) */
    uint64_t *batch;    /* iterations of each sample (btk__malloc'd) */
    double *cycles;     /* timer ticks per iteration of each sample (btk__malloc'd) */
    btk_stop_reason stop;
    /* memory, counted inside the timed region only */
    bool mem_tracked;
    uint64_t allocs, frees, alloc_bytes, mem_iterations;
    int64_t peak_rss_bytes, minor_faults, major_faults;
    /* throughput per iteration, 0 when not set */
    double bytes_per_iter, items_per_iter;
    size_t counter_count;
    btk_named_value counters[BTK_MAX_COUNTERS];
    size_t hw_count;    /* hardware counters per iteration, 0 when perf is unavailable */
    btk_named_value hw[8];
    btk_count_figures counted; /* counting mode only (counted.events > 0) */
    /* threads, CPU time, disturbance, per-call (issues 14 and 15) */
    double *cpu_samples; /* CPU ns per iteration of each sample, all threads (btk__malloc'd) */
    double *clock_ghz;   /* core clock during each sample, GHz, NAN unknown (btk__malloc'd;
                          * btk_timer_core_ghz next to the sample, docs/timer.md) */
    uint32_t threads;    /* threads that ran the body (1 for a plain benchmark) */
    uint64_t disturbed;  /* samples with an involuntary switch or a migration */
    uint64_t switches;   /* involuntary context switches during the samples, all threads */
    uint64_t migrations; /* samples in which a thread ended on another CPU than it began */
    double branch_ratio; /* the larger of btk_timer_branch_ratio before and after sampling:
                          * ~1 core to itself, ~2 shared with a busy SMT sibling; 0 unknown */
    bool per_call;       /* calls were timed one by one (calls[] below) */
    size_t call_count;
    double *calls;       /* per-call mode: ns of each timed call (btk__malloc'd) */
} btk_proc_result;

typedef enum btk_fail_kind {
    BTK_FAIL_NONE = 0,
    BTK_FAIL_SIGNAL,  /* killed by a signal (segfault, abort, ...) */
    BTK_FAIL_EXIT,    /* called exit() / returned before reporting */
    BTK_FAIL_TIMEOUT, /* exceeded its timeout and was killed */
    BTK_FAIL_ERROR    /* the harness could not measure it (message says why) */
} btk_fail_kind;

/* All processes of one benchmark instance, as the parent sees them. */
typedef struct btk_bench_result {
    char *name;          /* "family" or "family/param" (btk__malloc'd) */
    char *family;        /* (btk__malloc'd) */
    bool has_param;
    int64_t param;
    btk_fail_kind fail;
    int fail_signal, fail_exit_code;
    char fail_message[256];
    size_t proc_count;
    btk_proc_result *procs; /* (btk__malloc'd) */
} btk_bench_result;

/* Release what a proc/bench result owns (not the struct itself). NULL-safe. */
void btk_proc_result_clear(btk_proc_result *r);
void btk_bench_result_clear(btk_bench_result *r);

#endif
