/* Tests of CPU pinning through a fake OS (the ops table): the default CPU choice (isolated
 * and allowed first, else the last allowed), kernel CPU-list parsing, and refusals turning
 * into BTK_EUNSUPPORTED with a message rather than a failure of the run. */
#include "check.h"
#include "pin.h"

static bool fake_allowed[BTK_PIN_MAX_CPUS];
static const char *fake_isolated = "";
static int fake_get_rc, fake_set_rc, pinned_to;

static int get_allowed(bool *allowed)
{
    memcpy(allowed, fake_allowed, sizeof(fake_allowed));
    return fake_get_rc;
}

static int set_cpu(int cpu)
{
    if (fake_set_rc == 0)
        pinned_to = cpu;
    return fake_set_rc;
}

static void read_isolated(char *buf, size_t len)
{
    snprintf(buf, len, "%s", fake_isolated);
}

static const btk_pin_ops fake = {get_allowed, set_cpu, read_isolated};

static void allow(int lo, int hi)
{
    int i;

    memset(fake_allowed, 0, sizeof(fake_allowed));
    for (i = lo; i <= hi; i++)
        fake_allowed[i] = true;
}

static int setup(void **state)
{
    (void)state;
    allow(0, 3);
    fake_isolated = "";
    fake_get_rc = fake_set_rc = 0;
    pinned_to = -1;
    btk_pin__set_ops(&fake);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    btk_pin__set_ops(NULL);
    return 0;
}

static void pin__default_is_last_allowed_cpu(void **state)
{
    (void)state;
    assert_int_equal(btk_pin_to_cpu(-1), 3);
    assert_int_equal(pinned_to, 3);
    allow(0, 1);
    assert_int_equal(btk_pin__default_cpu(), 1);
}

static void pin__prefers_an_allowed_isolated_cpu(void **state)
{
    (void)state;
    fake_isolated = "1-2\n";
    assert_int_equal(btk_pin__default_cpu(), 1);
    fake_isolated = "7\n"; /* isolated but not allowed: ignored */
    assert_int_equal(btk_pin__default_cpu(), 3);
    fake_isolated = "garbage"; /* unreadable list: ignored */
    assert_int_equal(btk_pin__default_cpu(), 3);
}

static void pin__explicit_cpu(void **state)
{
    (void)state;
    assert_int_equal(btk_pin_to_cpu(2), 2);
    assert_int_equal(pinned_to, 2);
    assert_int_equal(btk_pin_to_cpu(BTK_PIN_MAX_CPUS), BTK_EINVAL);
}

static void pin__refusal_is_unsupported_with_reason(void **state)
{
    (void)state;
    fake_set_rc = -EPERM;
    assert_int_equal(btk_pin_to_cpu(1), BTK_EUNSUPPORTED);
    assert_string_equal(btk_error_last()->message,
                        "cannot pin to cpu 1: Operation not permitted");
    fake_get_rc = -ENOSYS;
    assert_int_equal(btk_pin_to_cpu(-1), BTK_EUNSUPPORTED);
    assert_string_equal(btk_error_last()->message,
                        "cannot read the allowed CPUs: Function not implemented");
    fake_get_rc = 0;
    allow(1, 0); /* empty set */
    assert_int_equal(btk_pin_to_cpu(-1), BTK_EUNSUPPORTED);
}

static void pin__parses_kernel_cpu_lists(void **state)
{
    static bool set[BTK_PIN_MAX_CPUS];
    int i, count = 0;

    (void)state;
    assert_true(btk_pin__parse_list("0,2-4,9\n", set));
    for (i = 0; i < BTK_PIN_MAX_CPUS; i++)
        count += set[i];
    assert_int_equal(count, 5);
    assert_true(set[0] && set[2] && set[3] && set[4] && set[9] && !set[1]);
    assert_true(btk_pin__parse_list("", set)); /* no isolated CPUs */
    assert_false(btk_pin__parse_list("4-2", set));
    assert_false(btk_pin__parse_list("1,,2", set));
    assert_false(btk_pin__parse_list("x", set));
    assert_false(btk_pin__parse_list("99999", set));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pin__default_is_last_allowed_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(pin__prefers_an_allowed_isolated_cpu, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(pin__explicit_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(pin__refusal_is_unsupported_with_reason, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(pin__parses_kernel_cpu_lists, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
