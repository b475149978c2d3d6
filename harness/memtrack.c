/*
 * Allocation counting inside the timed region, and the process's peak RSS and page
 * faults. This file holds the thread-local counters and their switch, availability, and
 * the getrusage figures. The allocator interposers that count, and the peak-RSS source,
 * are in the operating system's backend (memtrack_int.h). Cost and method:
 * docs/timer.md#memory-tracking.
 */
#include "memtrack.h"

#include "memtrack_int.h"

BTK_MEMTRACK_TLS bool btk_memtrack__armed;
BTK_MEMTRACK_TLS uint64_t btk_memtrack__allocs, btk_memtrack__frees, btk_memtrack__bytes;
static int avail = -1; /* -1 unknown, 0 no, 1 yes */
static const char *avail_reason;

bool btk_memtrack_available(const char **reason_out)
{
    if (avail < 0) {
        avail_reason = btk_memtrack__why_unavailable();
        avail = avail_reason == NULL;
    }
    if (reason_out != NULL)
        *reason_out = avail ? NULL : avail_reason;
    return avail == 1;
}

void btk_memtrack__arm(bool on)
{
    btk_memtrack__armed = on && btk_memtrack_available(NULL);
}

void btk_memtrack__reset(void)
{
    btk_memtrack__allocs = btk_memtrack__frees = btk_memtrack__bytes = 0;
}

void btk_memtrack__read(btk_memtrack_counts *out)
{
    out->allocs = btk_memtrack__allocs;
    out->frees = btk_memtrack__frees;
    out->bytes = btk_memtrack__bytes;
}

void btk_memtrack__proc(btk_memtrack_proc *out)
{
    struct rusage ru;

    memset(&ru, 0, sizeof(ru));
    (void)getrusage(RUSAGE_SELF, &ru);
    out->minor_faults = ru.ru_minflt;
    out->major_faults = ru.ru_majflt;
    out->peak_rss_bytes = btk_memtrack__peak_rss(&ru);
}
