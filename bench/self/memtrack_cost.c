/*
 * The kernel of bench/self/memtrack-cost.sh: 100 malloc(64)+free pairs per iteration, the
 * case where an allocator interposer would show most. memtrack_cost_gbench.cc is the same
 * kernel for Google Benchmark.
 */
#include <benchtrack.h>

#include <stdlib.h>

#define PAIRS 100
#define BLOCK 64

BTK_BENCH(malloc_free_100)
{
    int i;

    BTK_LOOP(state) {
        for (i = 0; i < PAIRS; i++) {
            void *p = malloc(BLOCK);

            btk_do_not_optimize(p);
            free(p);
        }
    }
}
