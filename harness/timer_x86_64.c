/*
 * Timer backend for x86-64: the time-stamp counter. Region start is `lfence; rdtsc` (earlier
 * instructions retire before the read); region end is `lfence; rdtsc; lfence` (the timed
 * code completes before the read, later code waits for it). Not rdtscp: some hypervisors hide
 * it (CPUID.80000001H:EDX[27] clear, and valgrind then refuses it even where the core runs
 * it), and the fenced rdtsc is no dearer (docs/timer.md). Never cpuid around reads: in a VM it
 * traps to the hypervisor (~8 us here, research §7). One cpuid at probe time checks that the
 * TSC is invariant (CPUID.80000007H:EDX[8]) and reads its frequency from leaf 15H when the
 * CPU states it; without an invariant TSC the backend falls back to CLOCK_MONOTONIC_RAW.
 */
#include "timer_int.h"

#include <cpuid.h>

static bool use_mono; /* set once at probe time when the TSC is not invariant */

static bool tsc_invariant(void)
{
    unsigned a, b, c, d;

    if ((unsigned)__get_cpuid_max(0x80000000u, NULL) < 0x80000007u)
        return false;
    __cpuid(0x80000007u, a, b, c, d);
    return (d >> 8) & 1u;
}

/* TSC Hz = crystal Hz * EBX / EAX from leaf 15H; 0 when the leaf is absent or zero. */
static double tsc_hz_cpuid(void)
{
    unsigned a, b, c, d;

    if ((unsigned)__get_cpuid_max(0, NULL) < 0x15u)
        return 0;
    __cpuid_count(0x15u, 0, a, b, c, d);
    if (a == 0 || b == 0 || c == 0)
        return 0;
    return (double)c * (double)b / (double)a;
}

void btk_timer__arch_probe(btk_timer_info *info)
{
    double hz;

    if (!tsc_invariant()) {
        use_mono = true;
        info->source = "clock_monotonic_raw";
        info->invariant = false;
        info->hz = 1e9;
        info->hz_source = "nominal";
        return;
    }
    info->source = "tsc";
    info->invariant = true;
    if ((hz = tsc_hz_cpuid()) > 0) {
        info->hz = hz;
        info->hz_source = "cpuid";
    }
}

uint64_t btk_timer_start(void)
{
    unsigned lo, hi;

    if (use_mono)
        return btk_timer__mono_ns();
    __asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

uint64_t btk_timer_stop(void)
{
    unsigned lo, hi;

    if (use_mono)
        return btk_timer__mono_ns();
    __asm__ __volatile__("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

uint64_t btk_timer__branch_loop(uint64_t iterations)
{
    uint64_t n = iterations;

    /* sub+jnz fuse into one instruction: the loop is bound by taken branches (the front
     * end), which an SMT sibling shares, where the add chain is bound by latency. */
    __asm__ __volatile__("1:\n\t"
                         "sub $1, %0\n\t"
                         "jnz 1b"
                         : "+r"(n)
                         :
                         : "cc");
    return iterations;
}

uint64_t btk_timer__add_chain(uint64_t rounds)
{
    uint64_t x = 0, one = 1;

    /* One register carries the chain; the loop counter runs beside it (sub+jnz fuse). The
     * addend is a register, not an immediate: recent Intel cores fold chains of immediate
     * additions at rename (measured here: 6 immediate additions per TSC tick, 1.5 with a
     * register addend), which would no longer count cycles. */
    __asm__ __volatile__("1:\n\t"
                         "add %2, %0\n\tadd %2, %0\n\tadd %2, %0\n\tadd %2, %0\n\t"
                         "add %2, %0\n\tadd %2, %0\n\tadd %2, %0\n\tadd %2, %0\n\t"
                         "sub $1, %1\n\t"
                         "jnz 1b"
                         : "+r"(x), "+r"(rounds)
                         : "r"(one)
                         : "cc");
    return x;
}
