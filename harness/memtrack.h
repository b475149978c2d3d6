/*
 * Allocation counting inside the timed region, and the process's peak RSS and page
 * faults. On Linux with glibc the library defines malloc & co. (memtrack_linux.c,
 * forwarding to glibc's __libc_* entry points) and counts only while armed; the state
 * loop arms at BTK_LOOP start and disarms at its end and on btk_pause. Availability and
 * the reason when not: btk_memtrack_available() (probe.h).
 */
#ifndef BTK_MEMTRACK_H
#define BTK_MEMTRACK_H

#include "internal.h"
#include "probe.h"

typedef struct btk_memtrack_counts {
    uint64_t allocs; /* malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign,
                        valloc, pvalloc calls that returned memory */
    uint64_t frees;  /* free of a non-NULL pointer */
    uint64_t bytes;  /* requested bytes of those allocations */
} btk_memtrack_counts;

/* Start / stop counting on the calling thread (cheap: one thread-local store). A no-op
 * when memtrack is unavailable. */
void btk_memtrack__arm(bool on);
/* Zero / read the calling thread's counters. */
void btk_memtrack__reset(void);
void btk_memtrack__read(btk_memtrack_counts *out);

/* Process memory figures around a measurement. */
typedef struct btk_memtrack_proc {
    int64_t peak_rss_bytes;             /* VmHWM (or ru_maxrss) */
    int64_t minor_faults, major_faults; /* cumulative, from getrusage */
} btk_memtrack_proc;

/* Reset the peak-RSS high-water mark (on Linux, writes 5 to /proc/self/clear_refs);
 * returns true when the system allowed it (else the peak is the lifetime peak). */
bool btk_memtrack__reset_peak(void);
/* Read the current peak RSS and cumulative fault counts. */
void btk_memtrack__proc(btk_memtrack_proc *out);

#endif
