/*
 * `lookup/N`: binary search in a sorted table of N keys. Demonstrates a fixture: the
 * options' setup builds the table once per process (outside every timed region, with the
 * parameter), the body finds it in state->fixture, and teardown frees it. Also shows
 * per-benchmark options: a smaller time budget and a looser precision target. The keys
 * continue from one call to the next (the fixture keeps the count), so the time per
 * iteration does not depend on the batch: a body that restarted its keys at every call
 * would search the same few keys, cache-warm, whenever batches are short
 * (docs/timer.md#sample-length).
 */
#include <benchtrack.h>

#include <stdlib.h>

typedef struct table {
    size_t len;
    uint64_t next; /* index of the next key: iterations run so far */
    uint64_t keys[];
} table;

static void *table_new(int64_t param)
{
    size_t n = (size_t)param, i;
    table *t = malloc(sizeof(*t) + n * sizeof(t->keys[0]));

    if (t == NULL)
        return NULL;
    t->len = n;
    t->next = 0;
    for (i = 0; i < n; i++)
        t->keys[i] = (uint64_t)i * 3;
    return t;
}

static void table_free(void *fixture, int64_t param)
{
    (void)param;
    free(fixture);
}

static size_t search(const table *t, uint64_t key)
{
    size_t lo = 0, hi = t->len;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (t->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

BTK_BENCH(lookup, BTK_PARAMS(100000), .setup = table_new, .teardown = table_free,
          .time_budget_ms = 200, .precision = 0.02)
{
    table *t = state->fixture;
    uint64_t base;

    if (t == NULL)
        return;
    base = t->next;
    BTK_LOOP_INDEX(state, i) {
        btk_do_not_optimize(search(t, ((base + i) * 2654435761u) % (t->len * 3)));
    }
    t->next = base + state->iterations;
}
