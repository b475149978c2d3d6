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

uint64_t btk_timer__add_chain(uint64_t rounds)
{
#if defined(__GNUC__)
    uint64_t x = 0, one = 1;

    /* The empty asm hides the addend's value (no immediate to fold) and keeps x in a
     * register, each addition a separate instruction. */
    __asm__ __volatile__("" : "+r"(one));
    while (rounds-- > 0) {
        for (int i = 0; i < 8; i++) {
            x += one;
            __asm__ __volatile__("" : "+r"(x));
        }
    }
    return x;
#else
    (void)rounds;
    return 0;
#endif
}

uint64_t btk_timer__branch_loop(uint64_t iterations)
{
    /* Portable C gives no control over the loop's instructions: no reading. */
    (void)iterations;
    return 0;
}
