/*
 * Allocation counting inside BTK_LOOP, and the process's peak RSS and page faults. This
 * file holds the switch (forwarded to the counting allocator when this process has it),
 * availability, and the getrusage figures. The counting allocator, the counting process
 * and the peak-RSS source are in the operating system's backend (memtrack_int.h). Cost and
 * method: docs/timer.md#memory-tracking.
 */
#include "memtrack.h"

#include "memtrack_int.h"

static const btk_memtrack_hooks *hooks; /* the counting allocator's, when loaded */
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

void btk_memtrack__set_hooks(const btk_memtrack_hooks *h)
{
    hooks = h;
}

const btk_memtrack_hooks *btk_memtrack__get_hooks(void)
{
    return hooks;
}

bool btk_memtrack__in_process(void)
{
    return hooks != NULL && btk_memtrack_available(NULL);
}

void btk_memtrack__arm(bool on)
{
    if (btk_memtrack__in_process())
        hooks->arm(on);
}

void btk_memtrack__reset(void)
{
    if (hooks != NULL)
        hooks->reset();
}

void btk_memtrack__read(btk_memtrack_counts *out)
{
    memset(out, 0, sizeof(*out));
    if (hooks != NULL)
        hooks->read(&out->allocs, &out->frees, &out->bytes);
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
