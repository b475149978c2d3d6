/*
 * The seam between memtrack.c (the counters and their switch, availability, the getrusage
 * figures) and its operating-system backend (memtrack_linux.c or memtrack_posix.c, chosen
 * by CMake's BTK_OS): the allocator interposers that count, and the peak-RSS source.
 */
#ifndef BTK_MEMTRACK_INT_H
#define BTK_MEMTRACK_INT_H

#include "memtrack.h"

#include <sys/resource.h>

/* The counting allocator's switch and counters, per thread, as the allocator that counts
 * hands them over (on Linux the preloaded libbenchtrack_memtrack.so, harness/preload/;
 * the layout is repeated there). */
typedef struct btk_memtrack_hooks {
    unsigned version;
    void (*arm)(bool on);
    void (*reset)(void);
    void (*read)(uint64_t *allocs, uint64_t *frees, uint64_t *bytes);
} btk_memtrack_hooks;

/* Called by the backend when the counting allocator is loaded in this process; memtrack.c's
 * arm/reset/read go through h from then on (h is static in the allocator, never freed). */
void btk_memtrack__set_hooks(const btk_memtrack_hooks *h);
/* The hooks set, or NULL when this process has no counting allocator. */
const btk_memtrack_hooks *btk_memtrack__get_hooks(void);

/* Defined when this file is compiled with a sanitizer, which owns malloc: then no backend
 * compiles interposers. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BTK_MEMTRACK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||               \
    __has_feature(memory_sanitizer)
#define BTK_MEMTRACK_SANITIZED 1
#endif
#endif

/* Why allocation counting cannot work in this binary (a sanitizer or valgrind owns
 * malloc, or the backend has no allocator to forward to), or NULL when it can. */
const char *btk_memtrack__why_unavailable(void);

/* The peak RSS in bytes: from the system's own record when it keeps one, else from ru
 * (getrusage(RUSAGE_SELF), read by the caller). -1 when unknown. */
int64_t btk_memtrack__peak_rss(const struct rusage *ru);

/* The backend also defines btk_memtrack__reset_peak() and btk_memtrack__count_elsewhere()
 * (memtrack.h). */

#endif
