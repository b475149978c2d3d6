/* Tests of the clock: monotonic reads, agreement with CLOCK_MONOTONIC_RAW over a span (a
 * ratio, not a duration target), sane start-up measurements. */
#include "check.h"
#include "stats.h"
#include "timer.h"
#include "timer_int.h"

#include <math.h>
#include <stdio.h>

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

static double thread_cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The core clock from the reference chain, against the same chain timed another way: long
 * runs (>= 10 ms each, the fastest of 5) timed with the thread's CPU clock, so time the
 * thread was not running does not count; their additions per ns are the clock too (one
 * cycle per addition). And against the kernel's "cpu MHz" within a factor of 2 (a VM
 * reports the nominal clock; the core may run faster or slower; not under valgrind, which
 * runs the chain several times slower). Ratios with generous
 * margins: the clock may change between readings, and a loaded machine disturbs both. */
/* Rounds of the add chain that take at least ~10 ms of the thread's CPU time. */
static uint64_t rounds_for_10ms(void)
{
    uint64_t rounds = 1u << 16;
    double t;

    do {
        rounds *= 2;
        t = thread_cpu_s();
        assert_int_equal(btk_timer__add_chain(rounds), 8 * rounds);
        t = thread_cpu_s() - t;
    } while (t < 0.01 && rounds < (1ull << 40));
    return rounds;
}

static void timer__core_clock_agrees_with_a_long_chain(void **state)
{
    double v[11], t, best = 0, ghz = NAN, ref = 0, mhz = 0;
    uint64_t rounds;
    char line[256];
    FILE *f;
    int i, attempt;

    (void)state;
    assert_int_equal(btk_timer_init(), 0);
    rounds = rounds_for_10ms();
    /* the chain's reading is timed by the wall clock, the reference by the thread's CPU
     * clock: a process sharing the CPU through the readings (seen once in CI's sanitizer
     * stage, 1.68 against 3.33 GHz) halves the one and not the other, so a disagreement is
     * measured again, up to 3 attempts, as in the branch-ratio check below */
    for (attempt = 0; attempt < 3; attempt++) {
        for (i = 0; i < 11; i++)
            v[i] = btk_timer_core_ghz();
        ghz = btk_stats_median_inplace(v, 11);
        for (i = 0; i < 5; i++) {
            t = thread_cpu_s();
            assert_int_equal(btk_timer__add_chain(rounds), 8 * rounds);
            t = thread_cpu_s() - t;
            if (i == 0 || t < best)
                best = t;
        }
        ref = 8.0 * (double)rounds / (best * 1e9);
        print_message("core clock %.3f GHz (chain), %.3f GHz (%llu additions in %.1f ms of "
                      "CPU)\n",
                      ghz, ref, (unsigned long long)(8 * rounds), best * 1e3);
        if (isfinite(ghz) && fabs(ghz - ref) <= 0.25 * fmax(ghz, ref)) /* check_near's rule */
            break;
    }
    assert_true(isfinite(ghz) && ghz > 0.1);
    check_near(ghz, ref, 0.25);
    if ((f = fopen("/proc/cpuinfo", "r")) != NULL) {
        while (fgets(line, sizeof(line), f) != NULL && mhz == 0)
            if (sscanf(line, "cpu MHz : %lf", &mhz) != 1)
                mhz = 0;
        fclose(f);
    }
    if (mhz > 0 && !RUNNING_ON_VALGRIND) /* valgrind runs the chain ~5 times slower */
        assert_true(ghz > mhz / 2000 && ghz < mhz * 2 / 1000);
}

/* The shared-core reading (docs/timer.md "Shared core") against the same two loops run
 * for ~10 ms each and timed by the thread's CPU clock, an independent clock: the ratio of
 * their times per step agrees within 35 % (a disturbance lengthens both). The sibling's
 * state can change between the two measurements (on the reference host it switched every
 * few seconds to minutes), so a disagreement is measured again, up to 3 attempts: a wrong
 * reading disagrees every time. And it is a ratio of one-cycle steps: between 0.3 and 3 on
 * any core (about 1 alone, 2 shared); not under valgrind, which runs the two loops at its
 * own speeds. */
static void timer__branch_ratio_agrees_with_long_loops(void **state)
{
    double v[11], ratio = 0, chain = 0, loop = 0, t, ref = 0;
    uint64_t rounds;
    int i, attempt;

    (void)state;
    assert_int_equal(btk_timer_init(), 0);
    if (btk_timer__branch_loop(1) == 0) { /* no loop on this platform: unknown */
        assert_true(btk_timer_branch_ratio() == 0);
        return;
    }
    rounds = rounds_for_10ms();
    for (attempt = 0; attempt < 3; attempt++) {
        for (i = 0; i < 11; i++)
            v[i] = btk_timer_branch_ratio();
        ratio = btk_stats_median_inplace(v, 11);
        for (i = 0; i < 5; i++) {
            double c, l;

            t = thread_cpu_s();
            assert_int_equal(btk_timer__add_chain(rounds), 8 * rounds);
            c = thread_cpu_s() - t;
            t = thread_cpu_s();
            assert_int_equal(btk_timer__branch_loop(8 * rounds), 8 * rounds);
            l = thread_cpu_s() - t;
            chain = i == 0 || c < chain ? c : chain;
            loop = i == 0 || l < loop ? l : loop;
        }
        ref = loop / chain;
        print_message("branch ratio %.3f (reading), %.3f (%llu steps each, %.1f / %.1f ms of "
                      "CPU)\n",
                      ratio, ref, (unsigned long long)(8 * rounds), loop * 1e3, chain * 1e3);
        if (ratio > 0 && fabs(ratio - ref) <= 0.35 * ref)
            break;
    }
    assert_true(ratio > 0);
    check_near(ratio, ref, 0.35);
    if (!RUNNING_ON_VALGRIND)
        assert_true(ratio > 0.3 && ratio < 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timer__reads_are_monotonic),
        cmocka_unit_test(timer__agrees_with_monotonic_raw),
        cmocka_unit_test(timer__info_is_sane),
        cmocka_unit_test(timer__core_clock_agrees_with_a_long_chain),
        cmocka_unit_test(timer__branch_ratio_agrees_with_long_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
