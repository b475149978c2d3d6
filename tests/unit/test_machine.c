/* Tests of the machine identity (machine.c): the fingerprint (deterministic,
 * field-separated, sensitive to every fingerprinted field and to nothing else, equal to an
 * independent implementation's values), machine names and this host's fields. */
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

static void refp(btk_machine *m)
{
    assert_int_equal(btk_machine_fingerprint(m), 0);
}

/* The fingerprint describes the hardware: arch, CPU model, CPU count and the hypervisor
 * flag change it; host name, kernel, OS and timer do not (the host name only counts when
 * nothing names the hardware). */
static void fingerprint__depends_on_exactly_the_documented_fields(void **state)
{
    btk_machine a, b;

    (void)state;
    fill(&a);
    fill(&b);
    refp(&a);
    refp(&b);
    assert_int_equal(strlen(a.fingerprint), 32);
    assert_string_equal(a.fingerprint, b.fingerprint);
    set(&b.hostname, "another-host"); /* stored per run, not fingerprinted */
    set(&b.kernel, "Linux 6.5");
    set(&b.os, "Debian 13");
    set(&b.timer_source, "tsc");
    refp(&b);
    assert_string_equal(a.fingerprint, b.fingerprint);
    b.cpus = 4;
    refp(&b);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    b.cpus = 2;
    b.hypervisor = true;
    refp(&b);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    b.hypervisor = false;
    set(&b.cpu_model, "other cpu");
    refp(&b);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    set(&b.cpu_model, "cpu");
    set(&b.arch, "aarch64");
    refp(&b);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    /* field boundaries count: "x86_64c" + "pu" differs from "x86_64" + "cpu" */
    set(&b.arch, "x86_64c");
    set(&b.cpu_model, "pu");
    refp(&b);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    btk_machine_clear(&a);
    btk_machine_clear(&b);
}

/* A Google Benchmark file from another host names neither arch nor CPU model: then the
 * host name keeps such hosts apart, instead of pooling all of them. */
static void fingerprint__unknown_hardware_falls_back_to_the_host_name(void **state)
{
    btk_machine a, b;

    (void)state;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    a.cpus = b.cpus = 2;
    set(&a.hostname, "gbhost");
    set(&b.hostname, "other");
    refp(&a);
    refp(&b);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    set(&b.hostname, "gbhost");
    refp(&b);
    assert_string_equal(a.fingerprint, b.fingerprint);
    btk_machine_clear(&a);
    btk_machine_clear(&b);
}

/* A named class: the name alone decides, whatever the host and hardware. */
static void fingerprint__a_name_replaces_the_hardware(void **state)
{
    btk_machine a, b;

    (void)state;
    fill(&a);
    memset(&b, 0, sizeof(b));
    set(&b.hostname, "elsewhere");
    set(&b.cpu_model, "another cpu");
    b.cpus = 64;
    refp(&a);
    refp(&b);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    assert_int_equal(btk_machine_set_name(&a, "ci-large"), 0);
    assert_int_equal(btk_machine_set_name(&b, "ci-large"), 0);
    assert_string_equal(a.name, "ci-large");
    assert_string_equal(a.fingerprint, b.fingerprint);
    assert_int_equal(btk_machine_set_name(&b, "ci-small"), 0);
    assert_string_not_equal(a.fingerprint, b.fingerprint);
    assert_int_equal(btk_machine_set_name(&a, NULL), 0); /* back to its hardware */
    assert_null(a.name);
    assert_string_equal(a.fingerprint, "000b80f708ffc8dc13d2e771f6df8956");
    btk_machine_clear(&a);
    btk_machine_clear(&b);
}

/* Fingerprints are stored in users' databases and computed by migration v3 from the stored
 * columns: these values come from an independent implementation of docs/database.md's
 * definition in Python (the same script reproduces v2's stored values, e.g.
 * 269fd0f17c08e6f99c0538f5099f786e of tests/data/db/v1.sql). A change to them cuts every
 * machine's history in two. */
static void fingerprint__keeps_the_stored_values(void **state)
{
    btk_machine m;

    (void)state;
    fill(&m);
    refp(&m);
    assert_string_equal(m.fingerprint, "000b80f708ffc8dc13d2e771f6df8956");
    btk_machine_clear(&m);
    refp(&m); /* every field unknown */
    assert_string_equal(m.fingerprint, "9151743ae82be541f05eeab8c41aa3f1");
    btk_machine_clear(&m);
    m.cpus = 2;
    set(&m.hostname, "gbhost");
    refp(&m);
    assert_string_equal(m.fingerprint, "6001f4375e7e706ecc7a378c857f7fae");
    assert_int_equal(btk_machine_set_name(&m, "ci-large"), 0);
    assert_string_equal(m.fingerprint, "487db4939ce81dec402ad2d52eb2b4b6");
    btk_machine_clear(&m);
}

/* Names are untrusted (command line, environment): 1..64 of [A-Za-z0-9._-], starting with
 * a letter or digit; anything else is BTK_EINVAL with a one-line message, m unchanged. */
static void set_name__validates(void **state)
{
    static const char *const bad[] = {
        "", "-lead", ".hidden", "has space", "semi;colon", "quote'", "new\nline", "tab\t",
        "slash/x", "caf\xc3\xa9", "percent%s",
        "x1234567890123456789012345678901234567890123456789012345678901234", /* 65 */
    };
    static const char *const good[] = {
        "a", "0", "ubuntu-22.04_4core", "X.Y-z_9",
        "x123456789012345678901234567890123456789012345678901234567890123", /* 64 */
    };
    btk_machine m;
    size_t i;

    (void)state;
    fill(&m);
    refp(&m);
    for (i = 0; i < BTK_ARRAY_SIZE(bad); i++) {
        assert_int_equal(btk_machine_set_name(&m, bad[i]), BTK_EINVAL);
        assert_non_null(strstr(btk_error_last()->message, "invalid machine name '"));
        assert_null(strchr(btk_error_last()->message, '\n'));
        assert_null(m.name);
        assert_string_equal(m.fingerprint, "000b80f708ffc8dc13d2e771f6df8956");
    }
    for (i = 0; i < BTK_ARRAY_SIZE(good); i++) {
        assert_int_equal(btk_machine_set_name(&m, good[i]), 0);
        assert_string_equal(m.name, good[i]);
    }
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
    again.hypervisor = m.hypervisor;
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
        cmocka_unit_test(fingerprint__unknown_hardware_falls_back_to_the_host_name),
        cmocka_unit_test(fingerprint__a_name_replaces_the_hardware),
        cmocka_unit_test(fingerprint__keeps_the_stored_values),
        cmocka_unit_test(set_name__validates),
        cmocka_unit_test(detect__is_this_host),
        cmocka_unit_test(detect__fails_cleanly_without_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
