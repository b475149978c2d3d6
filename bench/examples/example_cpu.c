/*
 * `cpu`: a CPU-bound kernel (a dependent chain of multiply-xorshift steps) whose amount of
 * work is fixed at COMPILE time by BTK_EXAMPLE_WORK (default 1000 steps per iteration).
 * Building it with -DBTK_EXAMPLE_WORK=1050 makes it 5% slower: the compare tests use that
 * to check that a real 5% slowdown is flagged.
 */
#include <benchtrack.h>

#ifndef BTK_EXAMPLE_WORK
#define BTK_EXAMPLE_WORK 1000
#endif

static uint64_t kernel(uint64_t x)
{
    int i;

    for (i = 0; i < BTK_EXAMPLE_WORK; i++) {
        x ^= x >> 31;
        x *= 0x9e3779b97f4a7c15u;
    }
    return x;
}

BTK_BENCH(cpu)
{
    BTK_LOOP_INDEX(state, i) {
        btk_do_not_optimize(kernel(i + 1));
    }
}
