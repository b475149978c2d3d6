/* The CPU-bound example with 5% more work per iteration (1050 steps instead of 1000): the
 * injected regression of bench/self/gate-error-rates.sh. */
#define BTK_EXAMPLE_WORK 1050
#include "../examples/example_cpu.c"
