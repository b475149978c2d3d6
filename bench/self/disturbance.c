/*
 * A timeline of one small kernel's speed (bench/self/disturbance.sh): SAMPLES samples, each
 * 40000 copies of 4 KiB from L1 to L1 (about 0.85 ms on the CI VM), printed as ns per copy
 * (CLOCK_MONOTONIC). Disturbances from outside the guest (another tenant on the core) show
 * as runs of slow samples; the script measures how long they last.
 * usage: disturbance SAMPLES
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char src[4096] __attribute__((aligned(4096)));
static char dst[4096] __attribute__((aligned(4096)));

static double now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    long samples = argc > 1 ? atol(argv[1]) : 0;

    if (samples <= 0) {
        fprintf(stderr, "usage: disturbance SAMPLES\n");
        return 2;
    }
    memset(src, 'x', sizeof(src));
    for (long k = 0; k < samples; k++) {
        double t0 = now_ns();

        for (int i = 0; i < 40000; i++) {
            memcpy(dst, src, sizeof(src));
            __asm__ volatile("" : : "r"(dst) : "memory");
        }
        printf("%.3f\n", (now_ns() - t0) / 40000);
    }
    return 0;
}
