/*
 * Allocation counting inside BTK_LOOP, and the process's peak RSS and page faults. The
 * library itself never replaces malloc: counting needs the counting allocator, which on
 * Linux with glibc is preloaded into a separate counting process (memtrack_linux.c,
 * harness/preload/), so timed samples run on the plain allocator. In a process that has
 * the counting allocator, the state loop arms it at BTK_LOOP start and disarms it at its
 * end and on btk_pause. Availability and the reason when not: btk_memtrack_available()
 * (probe.h).
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

/* True when this process has the counting allocator (it was preloaded) and counting
 * works: then counting happens in this process, else through btk_memtrack__count_elsewhere. */
bool btk_memtrack__in_process(void);
/* Start / stop counting on the calling thread (cheap: one thread-local store). A no-op
 * unless btk_memtrack__in_process(). */
void btk_memtrack__arm(bool on);
/* Zero / read the calling thread's counters (zeros without the counting allocator). */
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

/* Count the allocations of one body call of batch iterations of the registered instance
 * named name, in a new process started from this program's file with the counting
 * allocator preloaded (fork and exec; the instance's setup and teardown run there too).
 * Fills *out and *iterations_out. Returns BTK_EUNSUPPORTED where the system has no way to
 * do it, BTK_ERROR (with the reason) when the counting process failed; the caller carries
 * on without counts. */
int btk_memtrack__count_elsewhere(btk_memtrack_counts *out, uint64_t *iterations_out,
                                  const char *name, uint64_t batch);

#endif
