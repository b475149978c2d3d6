/*
 * Timer backend for platforms without a usable cycle counter: CLOCK_MONOTONIC_RAW in
 * nanoseconds, so one tick is one nanosecond.
 */
#include "timer_int.h"

void btk_timer__arch_probe(btk_timer_info *info)
{
    info->source = "clock_monotonic_raw";
    info->invariant = true;
    info->hz = 1e9;
    info->hz_source = "nominal";
}

uint64_t btk_timer_start(void)
{
    return btk_timer__mono_ns();
}

uint64_t btk_timer_stop(void)
{
    return btk_timer__mono_ns();
}
