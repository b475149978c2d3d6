/*
 * memtrack backend for Linux. Allocation counting by link-time interposition: this file
 * defines malloc, free, calloc, realloc, posix_memalign, aligned_alloc, memalign, valloc
 * and pvalloc, which forward to glibc's exported __libc_* functions (no dlsym, so no
 * bootstrap recursion) and count while the calling thread is armed. Built with a
 * sanitizer, or against a libc without __libc_*, the interposers are left out and
 * counting reports itself unavailable. The peak RSS is the kernel's high-water mark:
 * reset through /proc/self/clear_refs, read as VmHWM from /proc/self/status.
 */
#include "memtrack_int.h"

#if defined(BTK_MEMTRACK_SANITIZED)
#define BTK_NO_INTERPOSE "built with a sanitizer that owns malloc"
#elif !defined(__GLIBC__)
#define BTK_NO_INTERPOSE "not built against glibc (no __libc_malloc)"
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define BTK_HAVE_VALGRIND_H 1
#endif
#endif

/* ---- availability ---- */

#if !defined(BTK_NO_INTERPOSE)
extern void __asan_init(void) __attribute__((weak));
extern void __tsan_init(void) __attribute__((weak));
#endif

const char *btk_memtrack__why_unavailable(void)
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

int64_t btk_memtrack__peak_rss(const struct rusage *ru)
{
    int64_t hwm = read_vmhwm();

    return hwm >= 0 ? hwm : (int64_t)ru->ru_maxrss * 1024; /* ru_maxrss is in KiB */
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
    if (LIKELY_NOT(btk_memtrack__armed) && p != NULL) {
        btk_memtrack__allocs++;
        btk_memtrack__bytes += size;
    }
    return p;
}

INTERPOSE void *malloc(size_t size)
{
    return count(__libc_malloc(size), size);
}

INTERPOSE void free(void *ptr)
{
    if (LIKELY_NOT(btk_memtrack__armed) && ptr != NULL)
        btk_memtrack__frees++;
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
