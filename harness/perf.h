/*
 * Hardware counters through perf_event_open (this is the only file that calls it): cycles,
 * instructions, branch misses and cache misses as one group, read with TIME_ENABLED/RUNNING
 * so multiplexed counts are scaled. On machines without a PMU (KVM guests like CI) the open
 * fails and btk_perf_available() (probe.h) says why; measuring continues without them.
 */
#ifndef BTK_PERF_H
#define BTK_PERF_H

#include "internal.h"
#include "probe.h"
#include "result.h"

#define BTK_PERF_EVENTS 4

/* The OS calls perf.c makes, replaceable by tests. */
typedef struct btk_perf_ops {
    int (*open)(void *attr, int pid, int cpu, int group_fd, unsigned long flags);
    int (*ioctl)(int fd, unsigned long request, unsigned long arg);
    long (*read)(int fd, void *buf, size_t len);
    int (*close)(int fd);
} btk_perf_ops;

/* Replace the OS calls (NULL restores the real ones) and forget the cached probe. */
void btk_perf__set_ops(const btk_perf_ops *ops);

/* Open the counter group for this thread. BTK_EUNSUPPORTED (message with the reason) when
 * the kernel refuses. */
int btk_perf__open(void);
/* Start / stop counting (ioctl ENABLE / DISABLE of the group). No-ops when not open. */
void btk_perf__enable(void);
void btk_perf__disable(void);
/* Zero the group's counts. */
void btk_perf__reset(void);
/* Read the scaled counts into out[0..count) (names "cycles", "instructions",
 * "branch_misses", "cache_misses"), each divided by iterations. Returns count or an error. */
int btk_perf__read(btk_named_value *out, size_t cap, uint64_t iterations);
/* Close the group. */
void btk_perf__close(void);

/* Counting mode's counter (count.c): one user-space instructions counter for this thread,
 * apart from the group. open: BTK_EUNSUPPORTED with the reason when refused; enable
 * starts/stops it; take reads its count into *out and zeroes it (BTK_EIO on a short read);
 * close is a no-op when not open. */
int btk_perf__open_instructions(void);
void btk_perf__instructions_enable(bool on);
int btk_perf__instructions_take(uint64_t *out);
void btk_perf__close_instructions(void);

#endif
