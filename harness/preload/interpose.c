/*
 * libbenchtrack_memtrack.so, the counting allocator. It is never linked into a benchmark:
 * the sampler loads it with LD_PRELOAD into a separate counting process (memtrack_linux.c),
 * so the timed samples call glibc's malloc directly and pay nothing for counting. It
 * defines malloc, free, calloc, realloc, posix_memalign, aligned_alloc, memalign, valloc and
 * pvalloc, forwarding to glibc's exported __libc_* functions (no dlsym, so no bootstrap
 * recursion), and counts while the calling thread is armed. It also wraps
 * __libc_start_main so that, once the program's constructors have run, the counting
 * entry that libbenchtrack registered (btk_memtrack_preload_attach) runs instead of main.
 * It uses nothing of libbenchtrack: the two meet through the attach function only.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
#define TLS __thread __attribute__((tls_model("initial-exec")))
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PRELOAD_VERSION 1

/* Must match btk_memtrack_hooks in harness/memtrack_int.h. */
typedef struct hooks {
    unsigned version;
    void (*arm)(bool on);
    void (*reset)(void);
    void (*read)(uint64_t *allocs, uint64_t *frees, uint64_t *bytes);
} hooks;

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void),
                        void (*)(void), void *);

static TLS bool armed;
static TLS uint64_t allocs, frees, bytes;
static int (*entry)(void);
static main_fn real_main;

static void arm(bool on)
{
    armed = on;
}

static void reset(void)
{
    allocs = frees = bytes = 0;
}

static void read_counts(uint64_t *a, uint64_t *f, uint64_t *b)
{
    *a = allocs, *f = frees, *b = bytes;
}

static const hooks the_hooks = {PRELOAD_VERSION, arm, reset, read_counts};

/* Called by libbenchtrack's constructor: hand it the counters' switch and, in a counting
 * process, take the entry to run instead of main. */
EXPORT const hooks *btk_memtrack_preload_attach(int (*counting_entry)(void))
{
    if (counting_entry != NULL)
        entry = counting_entry;
    return &the_hooks;
}

static int wrapped_main(int argc, char **argv, char **envp)
{
    return entry != NULL ? entry() : real_main(argc, argv, envp);
}

EXPORT int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                             void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
    void *sym = dlsym(RTLD_NEXT, "__libc_start_main");
    start_fn real;

    memcpy(&real, &sym, sizeof(real));
    real_main = main;
    return real(wrapped_main, argc, argv, init, fini, rtld_fini, stack_end);
}

/* ---- the interposers ---- */

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t align, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

static inline void *count(void *p, size_t size)
{
    if (UNLIKELY(armed) && p != NULL) {
        allocs++;
        bytes += size;
    }
    return p;
}

EXPORT void *malloc(size_t size)
{
    return count(__libc_malloc(size), size);
}

EXPORT void free(void *ptr)
{
    if (UNLIKELY(armed) && ptr != NULL)
        frees++;
    __libc_free(ptr);
}

EXPORT void *calloc(size_t count_, size_t size)
{
    return count(__libc_calloc(count_, size), count_ * size);
}

EXPORT void *realloc(void *ptr, size_t size)
{
    return count(__libc_realloc(ptr, size), size);
}

EXPORT void *memalign(size_t align, size_t size)
{
    return count(__libc_memalign(align, size), size);
}

EXPORT void *aligned_alloc(size_t align, size_t size)
{
    return count(__libc_memalign(align, size), size);
}

EXPORT void *valloc(size_t size)
{
    return count(__libc_valloc(size), size);
}

EXPORT void *pvalloc(size_t size)
{
    return count(__libc_pvalloc(size), size);
}

EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
    void *p;

    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    if ((p = __libc_memalign(align, size)) == NULL)
        return ENOMEM;
    *out = count(p, size);
    return 0;
}
