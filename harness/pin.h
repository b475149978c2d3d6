/*
 * Pinning the benchmark process to one CPU (btk_pin_to_cpu in probe.h), spreading a threaded
 * benchmark's threads over the allowed CPUs, and the per-thread readings that tell whether
 * a sample stayed on its CPU. The pinning calls go through an ops table so tests can
 * replace them.
 */
#ifndef BTK_PIN_H
#define BTK_PIN_H

#include "internal.h"
#include "probe.h"

#define BTK_PIN_MAX_CPUS 1024

typedef struct btk_pin_ops {
    /* The CPUs this process may run on: allowed[i] for i < BTK_PIN_MAX_CPUS. 0 or -errno. */
    int (*get_allowed)(bool *allowed);
    /* Restrict the process to cpu. 0 or -errno. */
    int (*set_cpu)(int cpu);
    /* Contents of /sys/devices/system/cpu/isolated into buf ("" when absent). */
    void (*read_isolated)(char *buf, size_t len);
} btk_pin_ops;

/* Replace the OS calls (NULL restores the real ones). */
void btk_pin__set_ops(const btk_pin_ops *ops);

/* The CPU btk_pin_to_cpu(-1) picks: the first isolated CPU that is allowed, else the last
 * allowed CPU; BTK_EUNSUPPORTED when the allowed set cannot be read or is empty. */
int btk_pin__default_cpu(void);

/* Fill cpus[0..count) with the CPUs threads 0..count-1 of a threaded benchmark run on:
 * thread 0 on first (or btk_pin__default_cpu() when first < 0), the others on the other
 * allowed CPUs in descending order from there, wrapping around, so threads share a CPU
 * only when there are more threads than allowed CPUs. Read before the process is pinned.
 * BTK_EUNSUPPORTED when the allowed set cannot be read or is empty. */
int btk_pin__spread(int *cpus, unsigned count, int first);
/* The most threads btk_pin__spread places one by one; thread i uses cpus[i % this]. */
#define BTK_PIN_SPREAD_MAX 256

/* How many CPUs this process may use (at least 1). */
unsigned btk_pin__allowed_count(void);

/* Pin the calling thread (only) to cpu; 0, or BTK_EUNSUPPORTED / BTK_EINVAL. */
int btk_pin__thread_to_cpu(int cpu);

/* What the kernel says about the calling thread right now: its involuntary context
 * switches so far (getrusage RUSAGE_THREAD) and the CPU it runs on (sched_getcpu; -1 when
 * unknown). Two snapshots around a sample tell whether it was disturbed. */
typedef struct btk_pin_snap {
    int64_t switches;
    int cpu;
} btk_pin_snap;
void btk_pin__snap(btk_pin_snap *out);

/* Parse a kernel CPU list ("2-3,5") into set[0..BTK_PIN_MAX_CPUS); false when malformed. */
bool btk_pin__parse_list(const char *s, bool *set);

#endif
