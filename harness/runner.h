/*
 * Running the selected benchmark instances: each in its own child process (or in-process
 * with no_fork), pinned to a CPU, repeated in `processes` fresh processes in interleaved
 * order, with a deadline per process. Crashes, exit() and timeouts become failed results.
 */
#ifndef BTK_RUNNER_H
#define BTK_RUNNER_H

#include "count.h"
#include "registry.h"
#include "result.h"
#include "sampler.h"

#define BTK_RUNNER_DEFAULT_TIMEOUT_MS 60000.0
#define BTK_RUNNER_MAX_PROCESSES 1000

/* Exit statuses of a benchmark's child process (docs/benchmark-binary.md, "Benchmark
 * process statuses"). Any other status comes from the benchmark's own code calling
 * exit(). The non-zero values are sysexits.h's EX_SOFTWARE and EX_OSERR. */
/* Built and sent its frame: a result, or why it could not measure. */
#define BTK_RUNNER_EXIT_OK 0
/* Could not build its frame (out of memory, too many samples): sent nothing. */
#define BTK_RUNNER_EXIT_NO_FRAME 70
/* Found its parent gone right after fork(): measured nothing. */
#define BTK_RUNNER_EXIT_ORPHANED 71

typedef struct btk_runner_options {
    btk_run_options run; /* for the sampler; run.timeout_ms is the default deadline */
    unsigned processes;  /* fresh processes per instance, >= 1 */
    int cpu;             /* CPU to pin to, -1: btk_pin_to_cpu's default */
    bool no_fork;        /* measure in this process: no isolation, no timeout */
    btk_measure measure; /* time, or count instructions (count.h) */
    bool cache_sim;      /* counting under callgrind: simulate the caches too */
} btk_runner_options;

/* Called as the run progresses (any may be NULL): before a process starts, and when an
 * instance's result is final (all its processes done, or it failed). */
typedef struct btk_runner_events {
    void (*proc_start)(const btk_instance *inst, size_t bench, unsigned proc,
                       void *payload);
    void (*bench_done)(const btk_bench_result *r, size_t bench, void *payload);
} btk_runner_events;

/* Run count instances and fill *out with one btk_bench_result per instance, in the same
 * order (free each with btk_bench_result_clear, then the array with btk__free). Failures
 * of benchmarks are recorded in the results; only BTK_ENOMEM is returned. */
int btk_runner_run(btk_bench_result **out, const btk_instance *insts, size_t count,
                   const btk_runner_options *opts, const btk_runner_events *ev,
                   void *payload);

/* The deadline for one process of inst: its own timeout_ms if set, else opts'. */
double btk_runner_timeout_ms(const btk_instance *inst, const btk_runner_options *opts);

/* "SIGSEGV"-style name of a signal number ("signal N" for unknown ones). Borrowed/static
 * when known, else written into buf. */
const char *btk_runner_signal_name(int sig, char *buf, size_t len);

/* True when any result failed. */
bool btk_runner_any_failed(const btk_bench_result *results, size_t count);

#endif
