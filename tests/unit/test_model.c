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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run__find_by_full_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
