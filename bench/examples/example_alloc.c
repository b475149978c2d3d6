/*
 * `alloc/N`: malloc and free of N 64-byte blocks per iteration, for N = 1 and 16.
 * Demonstrates allocation tracking: the report shows N allocations and N*64 bytes per
 * iteration (counted inside BTK_LOOP only; the pointer array below is allocated outside it
 * and is not counted). Turn counting off per benchmark with `.no_memtrack = true`.
 */
#include <benchtrack.h>

#include <stdlib.h>

BTK_BENCH(alloc, BTK_PARAMS(1, 16))
{
    size_t n = (size_t)state->param, i;
    void **blocks = malloc(n * sizeof(*blocks));

    if (blocks == NULL)
        return;
    BTK_LOOP(state) {
        for (i = 0; i < n; i++) {
            blocks[i] = malloc(64);
            btk_do_not_optimize(blocks[i]);
        }
        for (i = 0; i < n; i++)
            free(blocks[i]);
    }
    free(blocks);
}
