/*
 * `lookup/N`: binary search in a sorted table of N keys. Demonstrates a fixture: the
 * options' setup builds the table once per process (outside every timed region, with the
 * parameter), the body finds it in state->fixture, and teardown frees it. Also shows
 * per-benchmark options: a smaller time budget and a looser precision target.
 */
#include <benchtrack.h>

#include <stdlib.h>

typedef struct table {
    size_t len;
    uint64_t keys[];
} table;

static void *table_new(int64_t param)
{
    size_t n = (size_t)param, i;
    table *t = malloc(sizeof(*t) + n * sizeof(t->keys[0]));

    if (t == NULL)
        return NULL;
    t->len = n;
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
    const table *t = state->fixture;

    if (t == NULL)
        return;
    BTK_LOOP_INDEX(state, i) {
        btk_do_not_optimize(search(t, (i * 2654435761u) % (t->len * 3)));
    }
}
