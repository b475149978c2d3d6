/* Tests of the sampler, in-process: linearity, dead-code defeat, pause/resume subtraction,
 * batched setup, fixtures, parameters, throughput and counters, stop reasons. All checks are
 * ratios or counts with wide margins, never wall-clock targets. This file is compiled with
 * -O3 (tests/cmake/measure.cmake) so the do_not_optimize test faces a real optimizer. */
#include "check.h"
#include "sampler.h"
#include "stats.h"
#include "timer.h"

#include <math.h>

/* A dependent chain of multiply-xorshift steps: each step needs the previous result, so it
 * cannot be vectorized, reordered or folded into a closed form. */
static uint64_t chain(uint64_t x, int64_t steps)
{
    int64_t i;

    for (i = 0; i < steps; i++) {
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9u;
    }
    return x;
}

BTK_BENCH(work, BTK_PARAMS(500, 1000))
{
    BTK_LOOP_INDEX(state, i) {
        btk_do_not_optimize(chain(i + 1, state->param));
    }
}

BTK_BENCH(nothing)
{
    BTK_LOOP(state) {
    }
}

/* The value is computed and then only handed to btk_do_not_optimize. */
BTK_BENCH(unused_value)
{
    BTK_LOOP_INDEX(state, i) {
        uint64_t x = chain(i + 1, 100);

        btk_do_not_optimize(x);
    }
}

/* 500 timed steps plus 5000 paused steps per iteration. */
BTK_BENCH(paused_heavy, .time_budget_ms = 100)
{
    BTK_LOOP_INDEX(state, i) {
        btk_do_not_optimize(chain(i + 1, 500));
        btk_pause(state);
        btk_do_not_optimize(chain(i + 7, 5000));
        btk_resume(state);
    }
}

static uint64_t setup_calls, setup_iters_seen, index_sum_ok, index_sum_bad;

/* Per-call setup proportional to the batch (2000 steps per iteration), then a cheap loop
 * over the prepared inputs. */
BTK_BENCH(batched, .time_budget_ms = 100)
{
    uint64_t n = state->iterations, seed = 1, sum = 0;

    setup_calls++;
    setup_iters_seen += n;
    seed = chain(seed, (int64_t)n * 2000);
    btk_do_not_optimize(seed);
    BTK_LOOP_INDEX(state, i) {
        sum += i;
        btk_do_not_optimize(sum);
    }
    if (sum == n * (n - 1) / 2)
        index_sum_ok++;
    else
        index_sum_bad++;
}

static int fixture_value = 42;
static int teardowns;
static void *fx_setup(int64_t param)
{
    fixture_value = (int)param;
    return &fixture_value;
}
static void fx_teardown(void *fixture, int64_t param)
{
    if (fixture == &fixture_value && param == 7)
        teardowns++;
}
static int fixture_seen_bad;

BTK_BENCH(with_fixture, BTK_PARAMS(7), .setup = fx_setup, .teardown = fx_teardown)
{
    if (state->fixture != &fixture_value || *(int *)state->fixture != 7 || state->param != 7)
        fixture_seen_bad++;
    btk_set_bytes(state, 4096);
    btk_set_items(state, 3);
    btk_counter(state, "widgets", 2.5);
    btk_counter(state, "widgets", 3.5); /* last set wins */
    btk_counter(state, "gadgets", 1);
    BTK_LOOP(state) {
        btk_clobber_memory();
    }
}

/* One call of a batch of one busy-waits slow_ms, whatever the batch. */
static double slow_ms = 30;

BTK_BENCH(slow_body)
{
    double until = btk__monotonic_ms() + slow_ms;

    BTK_LOOP(state) {
        while (btk__monotonic_ms() < until)
            ;
    }
}

BTK_BENCH(no_loop)
{
    (void)state;
}

/* Three times slower for the first transient_ms after its first call in the process (then
 * 1000 steps an iteration): a start-up transient that the warm-up must not keep. */
static double transient_start, transient_ms = 2;

BTK_BENCH(transient)
{
    double now = btk__monotonic_ms();
    int64_t steps;

    if (transient_start == 0)
        transient_start = now;
    steps = now - transient_start < transient_ms ? 3000 : 1000;
    BTK_LOOP_INDEX(state, i) {
        btk_do_not_optimize(chain(i + 1, steps));
    }
}

static btk_run_options quick_opts(void)
{
    btk_run_options o;

    btk_run_options_default(&o);
    /* The budget bounds the run's wall time, and valgrind runs code ~50x slower: give it
     * the time to take as many samples as a native run takes in 60 ms. */
    o.time_budget_ms = RUNNING_ON_VALGRIND ? 1000 : 60;
    o.warmup_ms = 5;
    return o;
}

/* Sample the instance named exactly name; returns its median ns/iteration. */
static double run_named(const char *name, const btk_run_options *o, btk_proc_result *r)
{
    btk_instance *v;
    size_t n;
    btk_stats st;

    assert_int_equal(btk_registry_instances(&v, &n, name), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, name);
    memset(r, 0, sizeof(*r));
    assert_int_equal(btk_sampler_run(r, &v[0], o), 0);
    btk__free(v);
    assert_true(r->count >= 1);
    assert_int_equal(btk_stats_summarize(&st, r->samples, r->count), 0);
    return st.median;
}

static void release(btk_proc_result *r)
{
    btk_proc_result_clear(r);
}

static double median_of(const char *name)
{
    btk_run_options o = quick_opts();
    btk_proc_result r;
    double m = run_named(name, &o, &r);

    release(&r);
    return m;
}

static int cmp_ratio(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Overhead subtraction and batching keep time proportional to work: twice the work reads
 * about twice the time. Five interleaved pairs, judged by the median ratio, so a burst of
 * load on a shared machine moves one pair, not the verdict. Under valgrind (which runs the
 * code tens of times slower, unevenly) only the order is checked. */
static void sampler__twice_the_work_takes_twice_the_time(void **state)
{
    double ratio[5], t1 = 0, t2 = 0;
    size_t i;

    (void)state;
    for (i = 0; i < BTK_ARRAY_SIZE(ratio); i++) {
        t1 = median_of("work/500");
        t2 = median_of("work/1000");
        assert_true(t1 > 0);
        ratio[i] = t2 / t1;
    }
    qsort(ratio, BTK_ARRAY_SIZE(ratio), sizeof(ratio[0]), cmp_ratio);
    print_message("work/500 %.1f ns, work/1000 %.1f ns, median ratio of 5 pairs %.3f\n", t1,
                  t2, ratio[2]);
    if (RUNNING_ON_VALGRIND)
        assert_true(ratio[2] > 1.0);
    else
        assert_true(ratio[2] > 1.7 && ratio[2] < 2.3);
}

static void sampler__value_given_to_do_not_optimize_is_computed(void **state)
{
    double empty, used;

    (void)state;
    empty = median_of("nothing");
    used = median_of("unused_value");
    print_message("nothing %.3f ns, unused_value %.3f ns\n", empty, used);
    /* 100 dependent multiplies are >= 300 cycles; the empty loop is ~1 cycle */
    assert_true(used > 20 * fmax(empty, 0.05));
    assert_true(used > 30); /* ns: 100 multiplies at >= 3 cycles at <= 10 GHz */
}

static void sampler__paused_work_is_not_counted(void **state)
{
    double plain, paused;

    (void)state;
    plain = median_of("work/500");
    paused = median_of("paused_heavy");
    print_message("work/500 %.1f ns, paused_heavy %.1f ns\n", plain, paused);
    /* 10x the work sits in the paused region: unsubtracted it would be ~11x */
    assert_true(paused / plain < 1.6);
    assert_true(paused / plain > 0.7);
}

static void sampler__batched_setup_is_untimed(void **state)
{
    btk_run_options o = quick_opts();
    btk_proc_result r;
    double batched, setup_per_iter;

    (void)state;
    setup_calls = setup_iters_seen = index_sum_ok = index_sum_bad = 0;
    batched = run_named("batched", &o, &r);
    setup_per_iter = median_of("work/1000") * 2; /* 2000 steps per iteration of setup */
    print_message("batched %.2f ns/iter, its setup ~%.1f ns/iter\n", batched, setup_per_iter);
    assert_true(setup_calls >= r.count);
    assert_int_equal(index_sum_bad, 0);
    assert_true(index_sum_ok == setup_calls);
    assert_true(batched * 50 < setup_per_iter);
    release(&r);
}

static void sampler__fixture_throughput_and_counters(void **state)
{
    btk_run_options o = quick_opts();
    btk_proc_result r;

    (void)state;
    teardowns = fixture_seen_bad = 0;
    (void)run_named("with_fixture/7", &o, &r);
    assert_int_equal(teardowns, 1);
    assert_int_equal(fixture_seen_bad, 0);
    check_near(r.bytes_per_iter, 4096, 1e-12);
    check_near(r.items_per_iter, 3, 1e-12);
    assert_int_equal(r.counter_count, 2);
    assert_string_equal(r.counters[0].name, "widgets");
    check_near(r.counters[0].value, 3.5, 1e-12);
    assert_string_equal(r.counters[1].name, "gadgets");
    release(&r);
}

static void sampler__records_batches_and_cycles(void **state)
{
    btk_run_options o = quick_opts();
    btk_proc_result r;
    size_t i;

    (void)state;
    (void)run_named("work/500", &o, &r);
    for (i = 0; i < r.count; i++) {
        assert_true(r.batch[i] >= 1);
        assert_true(r.cycles[i] > 0 && r.samples[i] > 0);
        /* ns and ticks per iteration agree through the timer's frequency */
        check_near(r.samples[i], btk_timer_ticks_to_ns(r.cycles[i]), 1e-9);
        /* every sample has the core clock read next to it */
        assert_true(r.clock_ghz[i] > 0.1 && r.clock_ghz[i] < 20);
    }
    release(&r);
}

/* The warm-up's samples after its start-up transient are kept (MSER-5): a steady loop keeps
 * at least half of the ~180 samples of a 20 ms warm-up (asserted: 10, room for a loaded
 * machine); a loop three times slower for its first 2 ms of a 10 ms warm-up keeps at most
 * one batch (4 samples) of the slow ones, so its median is the steady one. */
static void sampler__warmup_keeps_samples_after_the_transient(void **state)
{
    btk_run_options o = quick_opts();
    btk_proc_result r;
    double med, lo;
    size_t slow = 0;

    (void)state;
    if (RUNNING_ON_VALGRIND) { /* 50x slower: a 5 ms warm-up holds a sample or two */
        print_message("under valgrind the warm-up holds too few samples\n");
        skip();
    }
    o.precision = 0.5;
    o.time_budget_ms = 2000;
    o.warmup_ms = 20;
    (void)run_named("work/500", &o, &r);
    print_message("steady: %zu samples\n", r.count);
    assert_true(r.count >= 2 * o.min_samples); /* without the warm-up's: min_samples */
    release(&r);

    o.warmup_ms = 10;
    transient_start = 0;
    med = run_named("transient", &o, &r);
    lo = test_sorted_median(r.samples, r.count); /* the same median, another way */
    check_near(med, lo, 1e-9);
    for (size_t i = 0; i < r.count; i++)
        if (r.samples[i] > 2 * med)
            slow++;
    print_message("transient: %zu samples, %zu slow, %" PRIu64 " disturbed\n", r.count, slow,
                  r.disturbed);
    assert_true(r.count >= 2 * o.min_samples);
    assert_true(slow <= 4 + r.disturbed); /* a disturbed sample may be slow for its own reason */
    release(&r);
}

static void sampler__stop_reasons(void **state)
{
    btk_run_options o = quick_opts();
    btk_proc_result r;

    (void)state;
    o.precision = 0.5; /* a steady loop gets this precise within a few samples */
    o.time_budget_ms = 2000; /* the budget is hard: room for min_samples on a loaded machine */
    (void)run_named("work/500", &o, &r);
    assert_int_equal(r.stop, BTK_STOP_PRECISION);
    /* precise from the first check: it stops with the warm-up's kept samples and at most a
     * few more (the warm-up lasts 5 ms: at most 50 samples of the 100 us target) */
    assert_true(r.count >= o.min_samples && r.count <= 50 + 20);
    release(&r);

    o = quick_opts();
    o.precision = 1e-12;
    o.min_samples = 3;
    o.max_samples = 3;
    o.time_budget_ms = 2000;
    (void)run_named("work/500", &o, &r);
    assert_int_equal(r.stop, BTK_STOP_MAX_SAMPLES);
    assert_int_equal(r.count, 3);
    release(&r);

    o = quick_opts();
    o.precision = 1e-12; /* unreachable */
    o.time_budget_ms = 20;
    o.max_samples = 1000000;
    (void)run_named("work/500", &o, &r);
    assert_int_equal(r.stop, BTK_STOP_TIME_BUDGET);
    release(&r);
}

/* Wall time of one sampler run of name with budget ms and an unreachable precision. */
static double wall_of_budget(const char *name, double budget, btk_proc_result *r)
{
    btk_run_options o;
    double t0, wall;

    btk_run_options_default(&o);
    o.time_budget_ms = budget;
    o.precision = 1e-12;
    o.max_samples = 100000;
    t0 = btk__monotonic_ms();
    (void)run_named(name, &o, r);
    wall = btk__monotonic_ms() - t0;
    print_message("%s budget %.0f ms: wall %.2f ms, %zu samples, stop %d\n", name, budget,
                  wall, r->count, (int)r->stop);
    return wall;
}

/* The median timed length of a process's samples (n iterations x ns per iteration). */
static double median_sample_ns(const btk_proc_result *r)
{
    double *len = btk__malloc(r->count * sizeof(*len)), m;
    size_t i;

    assert_non_null(len);
    for (i = 0; i < r->count; i++)
        len[i] = r->samples[i] * (double)r->batch[i];
    m = btk_stats_median_inplace(len, r->count);
    btk__free(len);
    return m;
}

/* --sample-time sets how long a sample lasts: the calibrated batch aims at it, plus up to
 * 20 % jitter. Bounds are wide (half to two and a half times the target) because the batch
 * comes from a per-iteration time measured during warm-up; under valgrind, whose speed
 * changes as it translates code, only the order of the two lengths is checked. */
static void sampler__sample_time_sets_the_sample_length(void **state)
{
    const double target_us[2] = {1000, 200};
    double len[2];
    size_t k;

    (void)state;
    for (k = 0; k < 2; k++) {
        btk_run_options o = quick_opts();
        btk_proc_result r;

        o.sample_us = target_us[k];
        o.precision = 1e-6; /* sample the whole budget */
        (void)run_named("work/1000", &o, &r);
        len[k] = median_sample_ns(&r);
        print_message("sample_us %.0f: median sample %.1f us over %zu samples\n", target_us[k],
                      len[k] / 1e3, r.count);
        if (!RUNNING_ON_VALGRIND) {
            assert_true(len[k] >= 0.5 * target_us[k] * 1e3);
            assert_true(len[k] <= 2.5 * target_us[k] * 1e3);
        }
        release(&r);
    }
    assert_true(len[0] > 2 * len[1]);
}

/* The budget bounds the whole run (setup, warm-up, samples, instrumented pass): the wall
 * time stays within the budget plus the allowance of docs/timer.md#time-budget (one
 * sample's overrun, <= 1.2 ms) with a generous margin, and the budget is used, not
 * abandoned early. On a loaded machine the process can lose the CPU for tens of ms at any
 * moment, so each budget gets up to 3 attempts and must hold in one of them. */
static void sampler__budget_bounds_the_wall_time(void **state)
{
    static const double budgets[] = {5, 20, 80, 320};
    btk_proc_result r;
    size_t i;
    int attempt;
    bool held;

    (void)state;
    if (RUNNING_ON_VALGRIND) {
        print_message("under valgrind a 5 ms budget holds too few samples to check\n");
        skip();
    }
    for (i = 0; i < BTK_ARRAY_SIZE(budgets); i++) {
        for (attempt = 0, held = false; attempt < 3 && !held; attempt++) {
            double wall = wall_of_budget("work/500", budgets[i], &r);

            if (r.stop != BTK_STOP_TIME_BUDGET) { /* what the samples were (seen once in CI) */
                size_t bad = 0, k;
                double lo = HUGE_VAL, hi = -HUGE_VAL;

                for (k = 0; k < r.count; k++) {
                    bad += isfinite(r.samples[k]) ? 0 : 1;
                    lo = fmin(lo, r.samples[k]);
                    hi = fmax(hi, r.samples[k]);
                }
                print_message("stop %d: %zu samples, %zu not finite, from %g to %g ns\n",
                              (int)r.stop, r.count, bad, lo, hi);
            }
            assert_int_equal(r.stop, BTK_STOP_TIME_BUDGET);
            assert_true(r.count >= 1);
            held = wall < budgets[i] * 1.25 + 10 && wall > budgets[i] * 0.25;
            release(&r);
        }
        assert_true(held);
    }
}

/* A body whose one call outlasts the budget gives one sample and stops at once: about one
 * call, not the several (warm-up, sample, instrumented pass) it would take otherwise. */
static void sampler__slow_body_stops_at_the_budget(void **state)
{
    btk_proc_result r;
    double wall;

    int attempt;
    bool held = false;

    (void)state;
    slow_ms = 30;
    for (attempt = 0; attempt < 3 && !held; attempt++) { /* as above: a loaded machine */
        wall = wall_of_budget("slow_body", 10, &r);
        assert_int_equal(r.stop, BTK_STOP_TIME_BUDGET);
        assert_int_equal(r.count, 1);
        held = wall < slow_ms * 1.5;
        release(&r);
    }
    assert_true(held);
}

static void sampler__body_without_loop_is_an_error(void **state)
{
    btk_run_options o = quick_opts();
    btk_proc_result r;
    btk_instance *v;
    size_t n;

    (void)state;
    assert_int_equal(btk_registry_instances(&v, &n, "no_loop"), 0);
    assert_int_equal(n, 1);
    memset(&r, 0, sizeof(r));
    assert_int_equal(btk_sampler_run(&r, &v[0], &o), BTK_ERROR);
    assert_string_equal(btk_error_last()->message, "benchmark 'no_loop' did not run BTK_LOOP");
    assert_null(r.samples);
    btk__free(v);
}

static void sampler__allocation_failures_are_clean(void **state)
{
    btk_run_options o = quick_opts();
    btk_proc_result r;
    btk_instance *v;
    size_t n;
    long k;
    int rc;

    (void)state;
    o.time_budget_ms = 10;
    assert_int_equal(btk_registry_instances(&v, &n, "work/500"), 0);
    for (k = 0; k < 1000; k++) {
        memset(&r, 0, sizeof(r));
        btk__alloc_fail_after(k);
        rc = btk_sampler_run(&r, &v[0], &o);
        btk__alloc_fail_after(-1);
        if (rc == 0)
            break;
        assert_int_equal(rc, BTK_ENOMEM);
        assert_null(r.samples); /* nothing half-filled is handed back */
        assert_int_equal(r.count, 0);
    }
    assert_int_equal(rc, 0);
    assert_true(k > 0); /* at least one allocation was failed on the way */
    release(&r);
    btk__free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sampler__twice_the_work_takes_twice_the_time),
        cmocka_unit_test(sampler__value_given_to_do_not_optimize_is_computed),
        cmocka_unit_test(sampler__paused_work_is_not_counted),
        cmocka_unit_test(sampler__batched_setup_is_untimed),
        cmocka_unit_test(sampler__fixture_throughput_and_counters),
        cmocka_unit_test(sampler__records_batches_and_cycles),
        cmocka_unit_test(sampler__stop_reasons),
        cmocka_unit_test(sampler__sample_time_sets_the_sample_length),
        cmocka_unit_test(sampler__warmup_keeps_samples_after_the_transient),
        cmocka_unit_test(sampler__budget_bounds_the_wall_time),
        cmocka_unit_test(sampler__slow_body_stops_at_the_budget),
        cmocka_unit_test(sampler__body_without_loop_is_an_error),
        cmocka_unit_test(sampler__allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
