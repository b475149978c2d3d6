/*
 * What the machine and this build can do, for the JSON context: hardware counters
 * (perf.c), allocation counting (memtrack.c), pinning (pin.c). Each answers once and caches.
 */
#ifndef BTK_PROBE_H
#define BTK_PROBE_H

#include "internal.h"

/* perf.c: true when perf_event_open grants hardware counters; else reason says why. */
bool btk_perf_available(const char **reason_out);
/* memtrack.c: true when allocation counting works in this binary; else reason says why. */
bool btk_memtrack_available(const char **reason_out);
/* pin.c: pin the calling process to cpu (-1: choose a sensible default); returns the CPU
 * pinned to, or a negative error (BTK_EUNSUPPORTED) when pinning is refused. */
int btk_pin_to_cpu(int cpu);

#endif
