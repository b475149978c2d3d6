/*
 * The seam between sampler.c (calibration, sampling, stopping) and sampler_team.c
 * (running one body call on one thread or on a team of threads released together). A body
 * call's outcome is one btk_call_out whatever the number of threads.
 */
#ifndef BTK_SAMPLER_INT_H
#define BTK_SAMPLER_INT_H

#include "memtrack.h"
#include "registry.h"
#include "state.h"
#include "timer.h"

typedef struct btk_team btk_team;

/* What one body call (every thread of it) measured. */
typedef struct btk_call_out {
    double ticks;      /* timed ticks, overheads subtracted: the longest thread's */
    double cpu_ns;     /* timed thread CPU ns, overheads subtracted: all threads summed */
    double wall;       /* ticks of the whole call, untimed parts and barriers included */
    uint64_t iters;    /* iterations of thread 0's loops (every thread runs the batch) */
    uint64_t switches; /* involuntary context switches, all threads */
    bool migrated;     /* some thread ended the call on another CPU than it began on */
    btk_memtrack_counts mem; /* allocations of all threads (when counting was armed) */
} btk_call_out;

/* Start count-1 worker threads for inst (count >= 2), each with its own state (fixture,
 * param, thread index), waiting on a barrier; worker i pins itself to cpus[i % ncpus]
 * when ncpus > 0. *out is NULL for count < 2 (the caller's thread runs alone). BTK_ENOMEM
 * or BTK_ERROR (thread creation refused) with *out NULL. */
int btk_team__start(btk_team **out, const btk_instance *inst, unsigned count,
                    void *fixture, int64_t param, const int *cpus, unsigned ncpus);

/* Run one body call of batch n on every thread (the caller is thread 0 and uses state /
 * main_priv), released together by a barrier and gathered by another; fill *out. Counts
 * allocations on every thread when main_priv->memtrack is set, and main_priv->perf
 * applies to thread 0 only. team NULL: the caller's thread alone. BTK_ERROR when a
 * thread's body ran no BTK_LOOP. */
int btk_team__call(btk_call_out *out, btk_team *team, const btk_instance *inst,
                   btk_state *state, const btk_timer_info *ti, uint64_t n, bool snap);

/* The calling thread's disturbance between two snapshots: adds to out's. */
void btk_team__disturbance(btk_call_out *out, const void *before, const void *after);

/* Stop and join the workers, free the team. NULL-safe. */
void btk_team__stop(btk_team *team);

#endif
