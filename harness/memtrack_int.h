/*
 * The seam between memtrack.c (the counters and their switch, availability, the getrusage
 * figures) and its operating-system backend (memtrack_linux.c or memtrack_posix.c, chosen
 * by CMake's BTK_OS): the allocator interposers that count, and the peak-RSS source.
 */
#ifndef BTK_MEMTRACK_INT_H
#define BTK_MEMTRACK_INT_H

#include "memtrack.h"

#include <sys/resource.h>

/* Thread-local in the initial-exec model: no allocation on first access, which may come
 * from inside malloc. */
#define BTK_MEMTRACK_TLS __thread __attribute__((tls_model("initial-exec")))

/* The calling thread's switch (btk_memtrack__arm) and counters (memtrack.c); a backend's
 * interposers add to the counters while the switch is on. */
extern BTK_MEMTRACK_TLS bool btk_memtrack__armed;
extern BTK_MEMTRACK_TLS uint64_t btk_memtrack__allocs, btk_memtrack__frees,
    btk_memtrack__bytes;

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

/* The backend also defines btk_memtrack__reset_peak() (memtrack.h). */

#endif
