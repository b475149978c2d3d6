/*
 * `chase/BYTES`: a random pointer chase over a table of BYTES (8 MiB: larger than this
 * machine's L2 cache), one dependent load per iteration. Demonstrates a memory-bound
 * benchmark whose time depends on where the table's pages land in physical memory and the
 * caches: it varies from process to process (about 20 % on the reference machine) far more
 * than within one process, which is why benchtrack treats the process, not the sample, as the
 * independent unit (docs/statistics.md). The fixture builds one random cycle through all
 * slots (Sattolo's algorithm) per process, outside every timed region.
 */
#include <benchtrack.h>

#include <stdint.h>
#include <stdlib.h>

typedef struct chase {
    size_t len;
    size_t pos;
    size_t next[];
} chase;

static void *chase_new(int64_t bytes)
{
    size_t n = (size_t)bytes / sizeof(size_t), i;
    uint64_t x = 0x9e3779b97f4a7c15u;
    chase *c;

    if (n < 2 || (c = malloc(sizeof(*c) + n * sizeof(c->next[0]))) == NULL)
        return NULL;
    c->len = n;
    c->pos = 0;
    for (i = 0; i < n; i++)
        c->next[i] = i;
    for (i = n - 1; i > 0; i--) { /* Sattolo: a single cycle through every slot */
        size_t j, tmp;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        j = (size_t)(x % i);
        tmp = c->next[i];
        c->next[i] = c->next[j];
        c->next[j] = tmp;
    }
    return c;
}

static void chase_free(void *fixture, int64_t bytes)
{
    (void)bytes;
    free(fixture);
}

BTK_BENCH(chase, BTK_PARAMS(8 << 20), .setup = chase_new, .teardown = chase_free)
{
    chase *c = state->fixture;
    size_t p;

    if (c == NULL)
        return;
    p = c->pos;
    BTK_LOOP(state) {
        p = c->next[p];
    }
    c->pos = p; /* the next sample continues the walk where this one stopped */
    btk_do_not_optimize(p);
}
