/*
 * Complexity fits and named parameters: how the time of a sort and of a lookup grows with
 * the size (docs/writing-benchmarks.md, "Complexity"). The output ends with one fit per
 * series: the class, the power law's exponent with its 95% interval, or "cannot tell".
 * A budget of 100 ms per process keeps these 20 instances cheap in the example suite.
 */
#include <benchtrack.h>

#include <stdlib.h>
#include <string.h>

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* Sorting n shuffled keys: O(n log n). The keys are refilled outside the timed loop by
 * pausing, so each iteration sorts unsorted data. */
BTK_BENCH(complexity_sort, .time_budget_ms = 100, BTK_RANGE(256, 16384, 4),
          .complexity = BTK_COMPLEXITY_AUTO)
{
    size_t n = (size_t)btk_param(state, NULL), i;
    uint32_t *v = malloc(n * sizeof(*v)), x = 12345;

    if (v == NULL)
        abort();
    BTK_LOOP(state)
    {
        btk_pause(state);
        for (i = 0; i < n; i++)
            v[i] = x = x * 1103515245u + 12345u;
        btk_resume(state);
        qsort(v, n, sizeof(*v), cmp_u32);
        btk_do_not_optimize(v[0]);
    }
    free(v);
}

/* Binary search for k keys in a sorted array of n: O(log n) in n for each k. The size is
 * the parameter named by .complexity_param; one fit per value of k. */
BTK_BENCH(complexity_search, .time_budget_ms = 100,
          BTK_GRID(BTK_ARG(n, BTK_RANGE(1024, 262144, 4)), BTK_ARG(k, BTK_PARAMS(1, 16))),
          .complexity = BTK_COMPLEXITY_AUTO, .complexity_param = "n")
{
    size_t n = (size_t)btk_param(state, "n"), k = (size_t)btk_param(state, "k"), i;
    uint32_t *v = malloc(n * sizeof(*v)), key = 7;

    if (v == NULL)
        abort();
    for (i = 0; i < n; i++)
        v[i] = (uint32_t)(2 * i);
    BTK_LOOP(state)
    {
        for (i = 0; i < k; i++) {
            size_t lo = 0, hi = n;

            key = key * 1664525u + 1013904223u;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (v[mid] < key % (uint32_t)(2 * n))
                    lo = mid + 1;
                else
                    hi = mid;
            }
            btk_do_not_optimize(lo);
        }
    }
    free(v);
}

/* Summing n numbers, checked against the class it is expected to have: O(n). */
BTK_BENCH(complexity_sum, .time_budget_ms = 100, BTK_RANGE(1024, 262144, 4),
          .complexity = BTK_COMPLEXITY_ON)
{
    size_t n = (size_t)btk_param(state, NULL), i;
    uint64_t *v = calloc(n, sizeof(*v));

    if (v == NULL)
        abort();
    for (i = 0; i < n; i++)
        v[i] = i;
    BTK_LOOP(state)
    {
        uint64_t sum = 0;

        for (i = 0; i < n; i++)
            sum += v[i];
        btk_do_not_optimize(sum);
    }
    free(v);
}
