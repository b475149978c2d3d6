/*
 * The monotonic clock in milliseconds, shared by the code that waits against a deadline
 * (the runner's timeouts, the store's back-off). Measuring uses the timer (timer.h).
 */
#include "internal.h"

#include <time.h>

double btk__monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
