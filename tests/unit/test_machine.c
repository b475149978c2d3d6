/* Tests of the machine identity (machine.c): the fingerprint (deterministic,
 * field-separated, sensitive to every fingerprinted field and to nothing else, and equal
 * to the values stored in existing databases) and this host's fields. */
#include "check.h"
#include "machine.h"

#include <sys/utsname.h>
#include <unistd.h>

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

/* Fingerprints are stored in users' databases: these values were computed by an
 * independent implementation of docs/database.md's definition (Python) and by the code
 * before it moved here. A change to them cuts every machine's history in two. */
static void fingerprint__keeps_the_stored_values(void **state)
{
    btk_machine m;

    (void)state;
    fill(&m);
    assert_int_equal(btk_machine_fingerprint(&m), 0);
    assert_string_equal(m.fingerprint, "d12836ef7f0b6bd6ce48527b110029a3");
    btk_machine_clear(&m);
    assert_int_equal(btk_machine_fingerprint(&m), 0); /* every field unknown */
    assert_string_equal(m.fingerprint, "a6eee06ee96e2c09963bbac8b26068c2");
    btk_machine_clear(&m);
}

/* The tool's identity of this host: uname's names and the online CPU count (sysconf, as
 * before host.c existed), fingerprinted from exactly those fields. */
static void detect__is_this_host(void **state)
{
    struct utsname u;
    btk_machine m, again;

    (void)state;
    assert_int_equal(uname(&u), 0);
    assert_int_equal(btk_machine_detect(&m), 0);
    assert_string_equal(m.hostname, u.nodename);
    assert_string_equal(m.arch, u.machine);
    assert_non_null(m.kernel);
    assert_int_equal(m.cpus, (int)sysconf(_SC_NPROCESSORS_ONLN));
    memset(&again, 0, sizeof(again));
    again.hostname = btk__strdup(m.hostname);
    again.arch = btk__strdup(m.arch);
    again.cpu_model = m.cpu_model ? btk__strdup(m.cpu_model) : NULL;
    again.cpus = m.cpus;
    assert_int_equal(btk_machine_fingerprint(&again), 0);
    assert_string_equal(m.fingerprint, again.fingerprint);
    btk_machine_clear(&m);
    btk_machine_clear(&again);
}

/* Every allocation failing in turn: BTK_ENOMEM with nothing left allocated (ASan and
 * valgrind check the "nothing"), until detection succeeds. */
static void detect__fails_cleanly_without_memory(void **state)
{
    btk_machine m;
    long n;
    int error;

    (void)state;
    for (n = 0;; n++) {
        btk__alloc_fail_after(n);
        error = btk_machine_detect(&m);
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_null(m.hostname);
        assert_null(m.fingerprint);
    }
    assert_true(n > 0);
    assert_non_null(m.fingerprint);
    btk_machine_clear(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fingerprint__depends_on_exactly_the_documented_fields),
        cmocka_unit_test(fingerprint__keeps_the_stored_values),
        cmocka_unit_test(detect__is_this_host),
        cmocka_unit_test(detect__fails_cleanly_without_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
