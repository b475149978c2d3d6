/*
 * The clock: a cycle counter (TSC on x86-64, cntvct_el0 on aarch64, CLOCK_MONOTONIC_RAW
 * elsewhere), its frequency, read cost, resolution and the fixed cost of an empty batch.
 * The backend is one of timer_x86_64.c, timer_aarch64.c, timer_posix.c.
 */
#ifndef BTK_TIMER_H
#define BTK_TIMER_H

#include "internal.h"

typedef struct btk_timer_info {
    const char *source;      /* "tsc", "cntvct", "clock_monotonic_raw" */
    double hz;               /* ticks per second */
    const char *hz_source;   /* "cpuid", "cntfrq", "calibrated", "nominal" */
    bool invariant;
    double read_ns;          /* cost of one read */
    double resolution_ns;    /* smallest non-zero difference of two reads */
    double overhead_ticks;   /* fixed cost of an empty timed batch (begin+end) */
    double pause_ticks;      /* cost of a pause+resume pair */
    double cpu_overhead_ns;  /* thread CPU ns an empty timed batch records (subtracted) */
    double cpu_pause_ns;     /* thread CPU ns a pause+resume pair adds (subtracted) */
} btk_timer_info;

/* Measure and calibrate once (idempotent; ~100-300 ms the first time). */
int btk_timer_init(void);
const btk_timer_info *btk_timer_info_get(void);
/* Current tick count: start-of-region and end-of-region reads with the right fences. */
uint64_t btk_timer_start(void);
uint64_t btk_timer_stop(void);
double btk_timer_ticks_to_ns(double ticks);
/* The clock of the core the calling thread runs on now, in GHz, estimated from a chain of
 * dependent integer additions (one cycle each) timed at two lengths: about 15 us of work.
 * NAN before btk_timer_init, when the platform has no chain (timer_posix.c without GCC
 * syntax) or when the two timings contradict each other. docs/timer.md "Core clock". */
double btk_timer_core_ghz(void);
/* Whether the core is shared: the time of a loop of taken branches over that of a chain of
 * as many dependent additions, each timed at two lengths like btk_timer_core_ghz (about
 * 50 us of work). About 1 on a core to itself (measured: 1.00 on an AMD EPYC guest), about
 * 2 while an SMT sibling is busy (1.8-2.0 there); 0 when unknown (before btk_timer_init,
 * no loop on this platform, contradicting timings). docs/timer.md "Shared core". */
double btk_timer_branch_ratio(void);
/* The calling thread's CPU time in ns (CLOCK_THREAD_CPUTIME_ID; 0 where the system has no
 * such clock). A system call: read outside timed regions only. */
uint64_t btk_timer_thread_cpu_ns(void);

#endif
