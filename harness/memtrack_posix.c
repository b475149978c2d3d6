/*
 * memtrack backend for systems other than Linux: no counting allocator (it forwards to
 * glibc's __libc_* functions and is preloaded with memfd and /proc/self/exe), so allocation
 * counting reports itself unavailable; no
 * way to reset the peak RSS; the peak is getrusage's ru_maxrss, taken in KiB as on Linux
 * and the BSDs (macOS counts bytes and would need a backend of its own).
 */
#include "memtrack_int.h"

const char *btk_memtrack__why_unavailable(void)
{
#if defined(BTK_MEMTRACK_SANITIZED)
    return "built with a sanitizer that owns malloc";
#else
    return "not built against glibc (no __libc_malloc)";
#endif
}

bool btk_memtrack__reset_peak(void)
{
    return false;
}

int64_t btk_memtrack__peak_rss(const struct rusage *ru)
{
    return (int64_t)ru->ru_maxrss * 1024;
}

int btk_memtrack__count_elsewhere(btk_memtrack_counts *out, uint64_t *iterations_out,
                                  const char *name, uint64_t batch)
{
    BTK_UNUSED(out);
    BTK_UNUSED(iterations_out);
    BTK_UNUSED(name);
    BTK_UNUSED(batch);
    return btk_error_set(BTK_EUNSUPPORTED, "%s", btk_memtrack__why_unavailable());
}
