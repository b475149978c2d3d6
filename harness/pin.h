/*
 * Pinning the benchmark process to one CPU (btk_pin_to_cpu in probe.h). The OS calls go
 * through an ops table so tests can replace them.
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

/* Parse a kernel CPU list ("2-3,5") into set[0..BTK_PIN_MAX_CPUS); false when malformed. */
bool btk_pin__parse_list(const char *s, bool *set);

#endif
