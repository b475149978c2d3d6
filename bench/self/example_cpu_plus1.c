/* The CPU-bound example with 1% more work per iteration (1010 steps instead of 1000): the
 * injected change of bench/self/counting.sh. */
#define BTK_EXAMPLE_WORK 1010
#include "../examples/example_cpu.c"
