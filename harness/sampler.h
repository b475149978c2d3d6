/*
 * Measuring one benchmark instance inside the current process: warm-up, batch calibration,
 * sampling until precise or out of time, memory and counters.
 */
#ifndef BTK_SAMPLER_H
#define BTK_SAMPLER_H

#include "memtrack.h"
#include "registry.h"
#include "result.h"

/* The run's options after flags; a benchmark's own options override the non-zero fields. */
typedef struct btk_run_options {
    double time_budget_ms;   /* per benchmark per process */
    double warmup_ms;
    double sample_us;        /* a sample's target length (at least 1000x the timer's resolution) */
    unsigned min_samples, max_samples;
    double precision;        /* relative half-width of the median's 95% CI */
    double timeout_ms;       /* per benchmark process */
    bool memtrack;           /* allocation counting on */
    const int *thread_cpus;  /* CPUs for a threaded benchmark's threads (btk_pin__spread); */
    unsigned thread_cpu_count; /* ... 0: the workers are not pinned */
} btk_run_options;

/* Defaults, documented in docs/benchmark-binary.md. */
void btk_run_options_default(btk_run_options *opts);

/* Measure inst in this process and fill out (index/pid/cpu are left to the caller). A body
 * that cannot be measured returns BTK_ERROR with a message. */
int btk_sampler_run(btk_proc_result *out, const btk_instance *inst,
                    const btk_run_options *opts);

/* The threads an instance runs its body on (>= 1). */
unsigned btk_sampler__threads(const btk_instance *inst);

/* In the counting process (memtrack_linux.c): run the registered instance named name once
 * with a batch of batch iterations and allocation counting armed inside BTK_LOOP, its
 * setup and teardown around it; fill *out and *iterations_out. BTK_ENOTFOUND when no
 * instance has that name, BTK_ERROR when the body runs no BTK_LOOP. */
int btk_sampler__count_named(btk_memtrack_counts *out, uint64_t *iterations_out,
                             const char *name, uint64_t batch);

#endif
