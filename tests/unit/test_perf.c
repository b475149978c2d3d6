/* Tests of the hardware-counter module through a fake OS (the ops table): a machine that
 * grants counters (group read, multiplex scaling, enable/disable only around BTK_LOOP), one
 * that refuses (reason kept, measuring continues), a short read; and the real machine's
 * answer, whatever it is, being coherent. */
#include "check.h"
#include "perf.h"

#include <linux/perf_event.h>
#include "sampler.h"

static int opens, enables, disables, resets, closes, open_errno;
static uint64_t enabled_ns = 200, running_ns = 100;
static bool short_read;

static int fake_open(void *attr, int pid, int cpu, int group_fd, unsigned long flags)
{
    (void)attr, (void)pid, (void)cpu, (void)group_fd, (void)flags;
    if (open_errno != 0) {
        errno = open_errno;
        return -1;
    }
    return 100 + opens++;
}

static int fake_ioctl(int fd, unsigned long request, unsigned long arg)
{
    (void)fd, (void)arg;
    enables += request == PERF_EVENT_IOC_ENABLE;
    disables += request == PERF_EVENT_IOC_DISABLE;
    resets += request == PERF_EVENT_IOC_RESET;
    return 0;
}

static long fake_read(int fd, void *buf, size_t len)
{
    uint64_t v[7] = {4, enabled_ns, running_ns, 1000, 2000, 30, 40};

    (void)fd;
    if (len < sizeof(v))
        return -1;
    memcpy(buf, v, sizeof(v));
    return short_read ? 8 : (long)sizeof(v);
}

static int fake_close(int fd)
{
    (void)fd;
    closes++;
    return 0;
}

static const btk_perf_ops fake = {fake_open, fake_ioctl, fake_read, fake_close};

static int setup(void **state)
{
    (void)state;
    opens = enables = disables = resets = closes = open_errno = 0;
    short_read = false;
    btk_perf__set_ops(&fake);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    btk_perf__close();
    btk_perf__set_ops(NULL);
    return 0;
}

BTK_BENCH(perf_target, .time_budget_ms = 20)
{
    BTK_LOOP(state) {
        btk_clobber_memory();
    }
}

static void perf__granted_counters_are_scaled_per_iteration(void **state)
{
    btk_named_value v[8];

    (void)state;
    assert_true(btk_perf_available(NULL));
    assert_int_equal(closes, 4); /* the probe closed what it opened */
    assert_int_equal(btk_perf__open(), 0);
    /* enabled 200 / running 100: counts doubled; over 10 iterations */
    assert_int_equal(btk_perf__read(v, 8, 10), 4);
    assert_string_equal(v[0].name, "cycles");
    check_near(v[0].value, 1000 * 2 / 10.0, 1e-12);
    assert_string_equal(v[1].name, "instructions");
    check_near(v[1].value, 2000 * 2 / 10.0, 1e-12);
    assert_string_equal(v[2].name, "branch_misses");
    assert_string_equal(v[3].name, "cache_misses");
    check_near(v[3].value, 40 * 2 / 10.0, 1e-12);
}

static void perf__sampler_counts_only_inside_the_loop(void **state)
{
    btk_run_options o;
    btk_proc_result r;
    btk_instance *v;
    size_t n;

    (void)state;
    btk_run_options_default(&o);
    /* 100 ms, not 20: a body call that outlasts the budget (seen under ASan with the
     * other core loaded) is the one sample and leaves no instrumented pass to count */
    o.time_budget_ms = 100;
    assert_int_equal(btk_registry_instances(&v, &n, "perf_target"), 0);
    memset(&r, 0, sizeof(r));
    assert_int_equal(btk_sampler_run(&r, &v[0], &o), 0);
    assert_int_equal(r.hw_count, 4);
    assert_true(r.hw[0].value > 0);
    /* one instrumented call with one BTK_LOOP: one enable, one disable, one reset */
    assert_int_equal(enables, 1);
    assert_int_equal(disables, 1);
    assert_int_equal(resets, 1);
    btk__free(v);
    btk_proc_result_clear(&r);
}

static void perf__refusal_keeps_the_reason(void **state)
{
    const char *why = NULL;

    (void)state;
    open_errno = EACCES;
    assert_false(btk_perf_available(&why));
    assert_string_equal(why, "cycles: Permission denied");
    assert_int_equal(btk_perf__open(), BTK_EUNSUPPORTED);
    assert_string_equal(btk_error_last()->message,
                        "no hardware counters: cycles: Permission denied");
}

static void perf__short_read_is_eio(void **state)
{
    btk_named_value v[8];

    (void)state;
    short_read = true;
    assert_int_equal(btk_perf__open(), 0);
    assert_int_equal(btk_perf__read(v, 8, 10), BTK_EIO);
}

static void perf__real_machine_answer_is_coherent(void **state)
{
    const char *why = NULL;
    bool ok;

    (void)state;
    btk_perf__set_ops(NULL);
    ok = btk_perf_available(&why);
    print_message("hardware counters: %s%s\n", ok ? "available" : "unavailable: ",
                  ok ? "" : why);
    if (!ok)
        assert_true(why != NULL && strchr(why, ':') != NULL);
    else
        assert_null(why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(perf__granted_counters_are_scaled_per_iteration,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(perf__sampler_counts_only_inside_the_loop, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(perf__refusal_keeps_the_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(perf__short_read_is_eio, setup, teardown),
        cmocka_unit_test_setup_teardown(perf__real_machine_answer_is_coherent, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
