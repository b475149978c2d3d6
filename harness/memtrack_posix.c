/*
 * memtrack backend for systems other than Linux: no allocator interposers (they forward
 * to glibc's __libc_* functions), so allocation counting reports itself unavailable; no
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
