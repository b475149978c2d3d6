/*
 * What the harness keeps behind btk_state.priv while a benchmark body runs: the region's
 * clock readings, pause bookkeeping, throughput and counters. Shared by state.c (the entry
 * points the body calls) and sampler.c (which drives the body and reads the results).
 */
#ifndef BTK_STATE_H
#define BTK_STATE_H

#include "benchtrack.h"
#include "internal.h"
#include "registry.h"
#include "result.h"

typedef struct btk_state_priv {
    uint64_t start;          /* tick at BTK_LOOP start */
    uint64_t ticks;          /* timed ticks of this body call, pauses removed */
    uint64_t iterations;     /* iterations timed in this body call */
    uint64_t pause_at;       /* tick at the last btk_pause */
    uint64_t paused;         /* ticks spent paused in the current loop */
    uint64_t pauses;         /* pause+resume pairs in this body call */
    unsigned loops;          /* BTK_LOOPs run in this body call */
    /* the thread's CPU time (CLOCK_THREAD_CPUTIME_ID) over the same regions as ticks */
    uint64_t cpu_start;      /* thread CPU ns at BTK_LOOP start */
    uint64_t cpu_pause_at;   /* thread CPU ns at the last btk_pause */
    uint64_t cpu_paused;     /* thread CPU ns spent paused in the current loop */
    uint64_t cpu_ns;         /* timed thread CPU ns of this body call, pauses removed */
    bool in_loop, is_paused;
    bool memtrack;           /* arm allocation counting inside the loop */
    bool perf;               /* enable hardware counters inside the loop */
    bool count;              /* counting mode: count inside the loop (count.c) */
    double bytes_per_iter, items_per_iter;
    size_t counter_count;
    btk_named_value counters[BTK_MAX_COUNTERS];
    const btk_instance *inst; /* the instance running, for btk_param (borrowed) */
} btk_state_priv;

/* Prepare state for one body call of `iterations` (keeps throughput and counters). */
void btk_state__begin_call(btk_state *state, uint64_t iterations);

#endif
