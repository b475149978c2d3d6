/* Tests of the clock: monotonic reads, agreement with CLOCK_MONOTONIC_RAW over a span (a
 * ratio, not a duration target), sane start-up measurements. */
#include "check.h"
#include "timer.h"

#include <time.h>

static void timer__reads_are_monotonic(void **state)
{
    uint64_t prev, t;
    int i, backwards = 0;

    (void)state;
    assert_int_equal(btk_timer_init(), 0);
    prev = btk_timer_start();
    for (i = 0; i < 1000000; i++) {
        t = (i & 1) ? btk_timer_stop() : btk_timer_start();
        backwards += t < prev;
        prev = t;
    }
    assert_int_equal(backwards, 0);
}

static double mono_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void timer__agrees_with_monotonic_raw(void **state)
{
    double m0, m1, ns;
    uint64_t t0, t1;
    struct timespec nap = {0, 200000000}; /* 200 ms */

    (void)state;
    assert_int_equal(btk_timer_init(), 0);
    m0 = mono_s();
    t0 = btk_timer_start();
    nanosleep(&nap, NULL);
    t1 = btk_timer_stop();
    m1 = mono_s();
    ns = btk_timer_ticks_to_ns((double)(t1 - t0));
    print_message("timer %.0f ns, CLOCK_MONOTONIC_RAW %.0f ns\n", ns, (m1 - m0) * 1e9);
    check_near(ns, (m1 - m0) * 1e9, 0.01);
}

static void timer__info_is_sane(void **state)
{
    const btk_timer_info *ti;

    (void)state;
    assert_int_equal(btk_timer_init(), 0);
    assert_int_equal(btk_timer_init(), 0); /* idempotent */
    ti = btk_timer_info_get();
    assert_non_null(ti);
    assert_non_null(ti->source);
    assert_non_null(ti->hz_source);
    print_message("source %s hz %.0f (%s) invariant %d read %.2f ns res %.2f ns overhead "
                  "%.1f ticks pause %.1f ticks\n",
                  ti->source, ti->hz, ti->hz_source, ti->invariant, ti->read_ns,
                  ti->resolution_ns, ti->overhead_ticks, ti->pause_ticks);
    assert_true(ti->hz > 1e6);
    assert_true(ti->read_ns > 0);
    assert_true(ti->resolution_ns > 0);
    assert_true(ti->overhead_ticks >= 0);
    assert_true(ti->pause_ticks >= 0);
    /* the resolution cannot exceed the cost of a read by much: both are consecutive reads */
    assert_true(ti->resolution_ns < 100 * ti->read_ns + 1000);
    check_near(btk_timer_ticks_to_ns(ti->hz), 1e9, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timer__reads_are_monotonic),
        cmocka_unit_test(timer__agrees_with_monotonic_raw),
        cmocka_unit_test(timer__info_is_sane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
