/*
 * Allocation counting by link-time interposition: this file defines malloc, free, calloc,
 * realloc, posix_memalign, aligned_alloc, memalign, valloc and pvalloc, which forward to
 * glibc's exported __libc_* functions (no dlsym, so no bootstrap recursion) and count while
 * the calling thread is "armed". Built with AddressSanitizer (or on a libc without __libc_*)
 * the interposers are left out and counting reports itself unavailable. Cost and method:
 * docs/timer.md#memory-tracking.
 */
#include "memtrack.h"

#include <sys/resource.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BTK_NO_INTERPOSE "built with a sanitizer that owns malloc"
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                 \
    __has_feature(memory_sanitizer)
#define BTK_NO_INTERPOSE "built with a sanitizer that owns malloc"
#endif
#endif
#if !defined(BTK_NO_INTERPOSE) && !defined(__GLIBC__)
#define BTK_NO_INTERPOSE "not built against glibc (no __libc_malloc)"
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define BTK_HAVE_VALGRIND_H 1
#endif
#endif

#define TLS __thread __attribute__((tls_model("initial-exec")))

static TLS bool armed;
static TLS uint64_t n_allocs, n_frees, n_bytes;
static int avail = -1; /* -1 unknown, 0 no, 1 yes */
static const char *avail_reason;

/* ---- availability ---- */

#if !defined(BTK_NO_INTERPOSE)
extern void __asan_init(void) __attribute__((weak));
extern void __tsan_init(void) __attribute__((weak));
#endif

static const char *why_unavailable(void)
{
#if defined(BTK_NO_INTERPOSE)
    return BTK_NO_INTERPOSE;
#else
    if (__asan_init != NULL)
        return "running with AddressSanitizer, which owns malloc";
    if (__tsan_init != NULL)
        return "running with ThreadSanitizer, which owns malloc";
#if defined(BTK_HAVE_VALGRIND_H)
    if (RUNNING_ON_VALGRIND)
        return "running under valgrind, which replaces malloc";
#endif
    return NULL;
#endif
}

bool btk_memtrack_available(const char **reason_out)
{
    if (avail < 0) {
        avail_reason = why_unavailable();
        avail = avail_reason == NULL;
    }
    if (reason_out != NULL)
        *reason_out = avail ? NULL : avail_reason;
    return avail == 1;
}

void btk_memtrack__arm(bool on)
{
    armed = on && btk_memtrack_available(NULL);
}

void btk_memtrack__reset(void)
{
    n_allocs = n_frees = n_bytes = 0;
}

void btk_memtrack__read(btk_memtrack_counts *out)
{
    out->allocs = n_allocs;
    out->frees = n_frees;
    out->bytes = n_bytes;
}

/* ---- process figures ---- */

bool btk_memtrack__reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    bool ok;

    if (f == NULL)
        return false;
    ok = fputs("5", f) >= 0;
    ok = (fclose(f) == 0) && ok;
    return ok;
}

/* VmHWM in bytes from /proc/self/status, or -1. */
static int64_t read_vmhwm(void)
{
    char line[256];
    long long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "VmHWM:", 6) == 0) {
            char *end;

            kb = strtoll(line + 6, &end, 10);
            if (end == line + 6)
                kb = -1;
            break;
        }
    }
    fclose(f);
    return kb < 0 ? -1 : (int64_t)kb * 1024;
}

void btk_memtrack__proc(btk_memtrack_proc *out)
{
    struct rusage ru;

    memset(&ru, 0, sizeof(ru));
    (void)getrusage(RUSAGE_SELF, &ru);
    out->minor_faults = ru.ru_minflt;
    out->major_faults = ru.ru_majflt;
    out->peak_rss_bytes = read_vmhwm();
    if (out->peak_rss_bytes < 0)
        out->peak_rss_bytes = (int64_t)ru.ru_maxrss * 1024;
}

/* ---- the interposers ---- */
#if !defined(BTK_NO_INTERPOSE)

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t align, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

#define INTERPOSE __attribute__((visibility("default")))
#define LIKELY_NOT(x) __builtin_expect(!!(x), 0)

static inline void *count(void *p, size_t size)
{
    if (LIKELY_NOT(armed) && p != NULL) {
        n_allocs++;
        n_bytes += size;
    }
    return p;
}

INTERPOSE void *malloc(size_t size)
{
    return count(__libc_malloc(size), size);
}

INTERPOSE void free(void *ptr)
{
    if (LIKELY_NOT(armed) && ptr != NULL)
        n_frees++;
    __libc_free(ptr);
}

INTERPOSE void *calloc(size_t count_, size_t size)
{
    return count(__libc_calloc(count_, size), count_ * size);
}

INTERPOSE void *realloc(void *ptr, size_t size)
{
    return count(__libc_realloc(ptr, size), size);
}

INTERPOSE void *memalign(size_t align, size_t size)
{
    return count(__libc_memalign(align, size), size);
}

INTERPOSE void *aligned_alloc(size_t align, size_t size)
{
    return count(__libc_memalign(align, size), size);
}

INTERPOSE void *valloc(size_t size)
{
    return count(__libc_valloc(size), size);
}

INTERPOSE void *pvalloc(size_t size)
{
    return count(__libc_pvalloc(size), size);
}

INTERPOSE int posix_memalign(void **out, size_t align, size_t size)
{
    void *p;

    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    if ((p = __libc_memalign(align, size)) == NULL)
        return ENOMEM;
    *out = count(p, size);
    return 0;
}

#endif
