/*
 * Timer backend for aarch64: the generic timer's virtual count (cntvct_el0), read after an
 * isb so earlier instructions cannot be reordered past the read; its frequency is
 * cntfrq_el0. Never PMCCNTR: user access to it needs the kernel (see docs/timer.md).
 */
#include "timer_int.h"

static uint64_t read_cntfrq(void)
{
    uint64_t f;

    __asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
    return f;
}

void btk_timer__arch_probe(btk_timer_info *info)
{
    uint64_t f = read_cntfrq();

    info->source = "cntvct";
    info->invariant = true;
    if (f > 0) {
        info->hz = (double)f;
        info->hz_source = "cntfrq";
    }
}

uint64_t btk_timer_start(void)
{
    uint64_t t;

    __asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(t) : : "memory");
    return t;
}

uint64_t btk_timer_stop(void)
{
    uint64_t t;

    __asm__ __volatile__("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(t) : : "memory");
    return t;
}

uint64_t btk_timer__branch_loop(uint64_t iterations)
{
    uint64_t n = iterations;

    /* As on x86-64 (timer_x86_64.c): one decrement and one taken branch a turn. */
    __asm__ __volatile__("1:\n\t"
                         "subs %0, %0, #1\n\t"
                         "b.ne 1b"
                         : "+r"(n)
                         :
                         : "cc");
    return iterations;
}

uint64_t btk_timer__add_chain(uint64_t rounds)
{
    uint64_t x = 0, one = 1;

    /* A register addend, as on x86-64 (timer_x86_64.c says why). */
    __asm__ __volatile__("1:\n\t"
                         "add %0, %0, %2\n\tadd %0, %0, %2\n\tadd %0, %0, %2\n\t"
                         "add %0, %0, %2\n\tadd %0, %0, %2\n\tadd %0, %0, %2\n\t"
                         "add %0, %0, %2\n\tadd %0, %0, %2\n\t"
                         "subs %1, %1, #1\n\t"
                         "b.ne 1b"
                         : "+r"(x), "+r"(rounds)
                         : "r"(one)
                         : "cc");
    return x;
}
