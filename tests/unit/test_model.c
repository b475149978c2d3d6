/* Tests of the in-memory model: the machine fingerprint (deterministic, field-separated,
 * sensitive to every fingerprinted field and to nothing else) and run lookup. */
#include "check.h"
#include "model.h"

static void set(char **field, const char *value)
{
    btk__free(*field);
    *field = btk__strdup(value);
}

static void fill(btk_machine *m)
{
    memset(m, 0, sizeof(*m));
    set(&m->hostname, "host");
    set(&m->arch, "x86_64");
    set(&m->cpu_model, "cpu");
    set(&m->kernel, "Linux 6.1");
    set(&m->os, "Debian 12");
    m->cpus = 2;
}

static void fingerprint__depends_on_exactly_the_documented_fields(void **state)
{
    btk_machine a, b;

    (void)state;
    fill(&a);
    fill(&b);
    assert_int_equal(btk_machine_fingerprint(&a), 0);
    assert_int_equal(btk_machine_fingerprint(&b), 0);
    assert_int_equal(strlen(a.fingerprint), 32);
    assert_string_equal(a.fingerprint, b.fingerprint);
    set(&b.kernel, "Linux 6.5"); /* stored, not fingerprinted */
    set(&b.os, "Debian 13");
    set(&b.timer_source, "tsc");
    assert_int_equal(btk_machine_fingerprint(&b), 0);
    assert_string_equal(a.fingerprint, b.fingerprint);
    b.cpus = 4;
    assert_int_equal(btk_machine_fingerprint(&b), 0);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    b.cpus = 2;
    set(&b.cpu_model, "other cpu");
    assert_int_equal(btk_machine_fingerprint(&b), 0);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    /* field boundaries count: "hostx" + "86_64" differs from "host" + "x86_64" */
    set(&b.cpu_model, "cpu");
    set(&b.hostname, "hostx");
    set(&b.arch, "86_64");
    assert_int_equal(btk_machine_fingerprint(&b), 0);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    btk_machine_clear(&a);
    btk_machine_clear(&b);
}

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
        cmocka_unit_test(fingerprint__depends_on_exactly_the_documented_fields),
        cmocka_unit_test(run__find_by_full_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
