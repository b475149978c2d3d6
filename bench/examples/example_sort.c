/*
 * `sort/N`: qsort of N ints, for N = 64, 1024 and 16384. Demonstrates batched setup: the
 * body runs once per sample, so the code before BTK_LOOP prepares a fresh unsorted copy for
 * every iteration of the batch (state->iterations of them) without being timed, and
 * BTK_LOOP_INDEX picks the i-th copy. Sorting the same array again would measure sorting
 * already sorted data. Items throughput is N elements per iteration.
 */
#include <benchtrack.h>

#include <stdlib.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

BTK_BENCH(sort, BTK_PARAMS(64, 1024, 16384))
{
    size_t n = (size_t)state->param, total = n * (size_t)state->iterations, i;
    uint32_t x = 12345;
    int *data = malloc(total * sizeof(*data));

    if (data == NULL)
        return; /* the harness reports a body that did not run BTK_LOOP as failed */
    for (i = 0; i < total; i++) { /* untimed per-batch setup */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (int)(x >> 1);
    }
    btk_set_items(state, n);
    BTK_LOOP_INDEX(state, it) {
        qsort(data + it * n, n, sizeof(*data), cmp_int);
    }
    btk_do_not_optimize(data[0]);
    free(data);
}
