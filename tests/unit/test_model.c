/* Tests of the in-memory model: run lookup. (The machine fingerprint is tested with the
 * machine identity, test_machine.c.) */
#include "check.h"
#include "model.h"

static void run__find_by_full_name(void **state)
{
    btk_run *run = NULL;

    (void)state;
    assert_int_equal(btk_run_new(&run), 0);
    run->results = btk__calloc(2, sizeof(btk_result));
    run->result_count = 2;
    run->results[0].name = btk__strdup("a/1");
    run->results[1].name = btk__strdup("a/10");
    assert_ptr_equal(btk_run_find(run, "a/10"), &run->results[1]);
    assert_null(btk_run_find(run, "a"));
    assert_null(btk_run_find(run, NULL));
    btk_run_free(run);
    btk_run_free(NULL);
}

/* The index against a linear scan (the reference): random names with duplicates (the
 * first of a name wins), lookups of absent names, results appended between lookups (as
 * the Google Benchmark reader and btk_ab_merge append), and an index that cannot be
 * allocated (the scan answers). */
static const btk_result *linear_find(const btk_run *run, const char *name)
{
    for (size_t i = 0; i < run->result_count; i++)
        if (run->results[i].name && !strcmp(run->results[i].name, name))
            return &run->results[i];
    return NULL;
}

static void run__find_matches_a_linear_scan_while_results_are_appended(void **state)
{
    enum { N = 3000 };
    btk_run *run = NULL;
    uint64_t x = 88172645463325252u;
    char name[32];
    size_t hits = 0, misses = 0;

    (void)state;
    assert_int_equal(btk_run_new(&run), 0);
    run->results = btk__calloc(N, sizeof(btk_result));
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        snprintf(name, sizeof(name), "b/%u", (unsigned)(x % 2000)); /* ~ 1/3 duplicates */
        run->results[i].name = btk__strdup(name);
        run->result_count = i + 1;
        for (int q = 0; q < 3; q++) { /* lookups of present and absent names */
            const btk_result *got;

            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            snprintf(name, sizeof(name), "b/%u", (unsigned)(x % 4000));
            got = btk_run_find(run, name);
            assert_ptr_equal(got, linear_find(run, name));
            hits += got != NULL;
            misses += got == NULL;
        }
        if (i == N / 2) { /* no memory for a larger index: the linear scan answers */
            btk__alloc_fail_after(0);
            assert_ptr_equal(btk_run_find(run, run->results[7].name),
                             linear_find(run, run->results[7].name));
            btk__alloc_fail_after(-1);
        }
    }
    assert_true(hits > N / 4 && misses > N / 4); /* both kinds of answer were checked */
    btk_run_free(run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run__find_by_full_name),
        cmocka_unit_test(run__find_matches_a_linear_scan_while_results_are_appended),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
