/* Tests of what a sample records besides its wall time, in-process through the sampler:
 * CPU time next to wall time, threaded benchmarks (CPU time per iteration grows with the
 * threads while wall time per iteration does not, for fixed per-thread work), the
 * disturbance readings (a migration forced from outside is seen), and per-call mode
 * (percentiles of single calls of a known two-valued distribution). Every check is a
 * ratio or a count with a wide margin; none is a wall-clock target. Allocation counting
 * on worker threads is tested in test_memtrack.c (it needs the counting allocator
 * preloaded). */
#include "check.h"
#include "pin.h"
#include "sampler.h"
#include "stats.h"
#include "summary.h"
#include "timer.h"

#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A dependent chain of multiply-xorshift steps (cannot be vectorized or folded). */
static uint64_t chain(uint64_t x, int64_t steps)
{
    int64_t i;

    for (i = 0; i < steps; i++) {
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9u;
    }
    return x;
}

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Busy for ns nanoseconds of wall time. */
static void spin_ns(uint64_t ns)
{
    uint64_t until = mono_ns() + ns;

    while (mono_ns() < until)
        ;
}

/* The same fixed work per thread and iteration, on 1 and on 2 threads. */
BTK_BENCH(fixed1, .threads = 1)
{
    BTK_LOOP_INDEX(state, i)
    {
        btk_do_not_optimize(chain(i + 1, 2000));
    }
}

BTK_BENCH(fixed2, .threads = 2)
{
    BTK_LOOP_INDEX(state, i)
    {
        btk_do_not_optimize(chain(i + 1, 2000));
    }
}

static unsigned seen_index_bad, seen_calls[2];

/* Each thread sees its own index and the thread count. */
BTK_BENCH(indexes, .threads = 2)
{
    if (state->thread_count != 2 || state->thread_index > 1)
        seen_index_bad++;
    else
        __atomic_fetch_add(&seen_calls[state->thread_index], 1, __ATOMIC_RELAXED);
    BTK_LOOP(state)
    {
        btk_clobber_memory();
    }
}

/* 500 steps per iteration; then the same with 5000 more paused steps. */
BTK_BENCH(plain500)
{
    BTK_LOOP_INDEX(state, i)
    {
        btk_do_not_optimize(chain(i + 1, 500));
    }
}

BTK_BENCH(paused_heavy, .time_budget_ms = 100)
{
    BTK_LOOP_INDEX(state, i)
    {
        btk_do_not_optimize(chain(i + 1, 500));
        btk_pause(state);
        btk_do_not_optimize(chain(i + 7, 5000));
        btk_resume(state);
    }
}

/* Sleeps 200 us per iteration: wall time without CPU time. */
BTK_BENCH(sleeper, .max_samples = 12)
{
    struct timespec nap = {0, 200000};

    BTK_LOOP(state)
    {
        nanosleep(&nap, NULL);
    }
}

/* Moves its own thread to the other CPU of a pair once per body call, from a child
 * process calling sched_setaffinity on the thread's id (as an administrator's taskset
 * would); with move_to < 0 it stays where it is. */
static int move_between[2] = {-1, -1};
static bool move_on;

static void move_me(void)
{
    pid_t tid = (pid_t)syscall(SYS_gettid), pid;
    int now = sched_getcpu(),
        to = now == move_between[0] ? move_between[1] : move_between[0];
    cpu_set_t set;
    int status;

    CPU_ZERO(&set);
    CPU_SET(to, &set);
    if ((pid = fork()) == 0)
        _exit(sched_setaffinity(tid, sizeof(set), &set) == 0 ? 0 : 1);
    while (waitpid(pid, &status, 0) < 0)
        ;
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

BTK_BENCH(mover, .min_samples = 6, .max_samples = 6)
{
    BTK_LOOP_INDEX(state, i)
    {
        if (i == 0 && move_on)
            move_me();
        btk_do_not_optimize(chain(i + 1, 500));
    }
}

/* Per-call mode: every 10th call lasts 50 us, the others 5 us. */
static uint64_t two_valued_calls;

BTK_BENCH(two_valued, .per_call = true, .time_budget_ms = 150)
{
    BTK_LOOP(state)
    {
        spin_ns(two_valued_calls++ % 10 == 9 ? 50000 : 5000);
    }
}

/* The same body in batch mode: its percentiles are of per-sample means. */
static uint64_t two_valued_batch_calls;

BTK_BENCH(two_valued_batch, .time_budget_ms = 150)
{
    BTK_LOOP(state)
    {
        spin_ns(two_valued_batch_calls++ % 10 == 9 ? 50000 : 5000);
    }
}

static btk_run_options opts(double budget_ms)
{
    btk_run_options o;

    btk_run_options_default(&o);
    o.time_budget_ms = RUNNING_ON_VALGRIND ? budget_ms * 10 : budget_ms;
    o.warmup_ms = 5;
    return o;
}

static void run_named(btk_proc_result *r, const char *name, const btk_run_options *o)
{
    btk_instance *v;
    size_t n;

    assert_int_equal(btk_registry_instances(&v, &n, name), 0);
    assert_int_equal(n, 1);
    memset(r, 0, sizeof(*r));
    assert_int_equal(btk_sampler_run(r, &v[0], o), 0);
    btk__free(v);
    assert_true(r->count >= 1);
    assert_non_null(r->cpu_samples);
}

/* stats of r's wall (cpu false) or CPU (cpu true) samples */
static btk_stats stats_of(const btk_proc_result *r, bool cpu)
{
    btk_stats s;

    assert_int_equal(btk_stats_summarize(&s, cpu ? r->cpu_samples : r->samples, r->count),
                     0);
    return s;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* A busy loop's CPU time is its wall time (a preempted sample loses CPU time, never gains
 * it: hence the wide lower margin); paused work is left out of both; a sleeping loop's
 * CPU time is a small part of its wall time. */
static void cpu__follows_wall_when_busy_and_not_when_sleeping(void **state)
{
    btk_run_options o = opts(60);
    btk_proc_result r;
    btk_stats w, c;
    size_t i;

    (void)state;
    run_named(&r, "fixed1", &o);
    w = stats_of(&r, false);
    c = stats_of(&r, true);
    print_message("busy: wall %.1f ns, cpu %.1f ns per iteration\n", w.median, c.median);
    assert_true(c.median > 0.5 * w.median && c.median < 1.15 * w.median);
    /* the CPU clock cannot run faster than the wall clock (under valgrind it can:
     * valgrind's own work is CPU time of the thread) */
    for (i = 0; i < r.count && !RUNNING_ON_VALGRIND; i++)
        assert_true(r.cpu_samples[i] < r.samples[i] * 1.1 + 1000);
    btk_proc_result_clear(&r);

    run_named(&r, "plain500", &o);
    w = stats_of(&r, true); /* CPU times: a preempted sample does not inflate them */
    btk_proc_result_clear(&r);
    run_named(&r, "paused_heavy", &o);
    c = stats_of(&r, true);
    print_message("cpu per iteration: plain %.1f ns, with 10x the work paused %.1f ns\n",
                  w.median, c.median);
    /* counted, the paused work would make it ~11x */
    assert_true(c.median > 0.6 * w.median && c.median < 1.8 * w.median);
    btk_proc_result_clear(&r);

    run_named(&r, "sleeper", &o);
    w = stats_of(&r, false);
    c = stats_of(&r, true);
    print_message("sleeping: wall %.1f ns, cpu %.1f ns per iteration\n", w.median,
                  c.median);
    assert_true(w.median > 150000); /* at least most of the 200 us nap */
    assert_true(c.median < 0.3 * w.median);
    btk_proc_result_clear(&r);
}

/* Fixed work per thread: going from 1 to 2 threads doubles the CPU time per iteration
 * (all threads') and leaves the wall time per iteration about where it was, when the
 * process may use 2 CPUs. Five interleaved pairs, judged by their median ratios; the wall
 * figure is each run's fastest sample (the one least slowed by other load on a shared
 * machine); CPU time is not inflated by waiting, so its median is used. */
static void threads__cpu_per_iteration_scales_wall_does_not(void **state)
{
    btk_run_options o = opts(80);
    double cpu_ratio[5], wall_ratio[5];
    btk_proc_result r1, r2;
    cpu_set_t allowed;
    size_t i;

    (void)state;
    CPU_ZERO(&allowed);
    assert_int_equal(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
    for (i = 0; i < BTK_ARRAY_SIZE(cpu_ratio); i++) {
        run_named(&r1, "fixed1", &o);
        run_named(&r2, "fixed2", &o);
        assert_int_equal(r1.threads, 1);
        assert_int_equal(r2.threads, 2);
        cpu_ratio[i] = stats_of(&r2, true).median / stats_of(&r1, true).median;
        wall_ratio[i] = stats_of(&r2, false).min / stats_of(&r1, false).min;
        btk_proc_result_clear(&r1);
        btk_proc_result_clear(&r2);
    }
    qsort(cpu_ratio, 5, sizeof(double), cmp_double);
    qsort(wall_ratio, 5, sizeof(double), cmp_double);
    print_message(
        "2 threads / 1 thread: cpu per iteration x%.2f, wall per iteration x%.2f "
        "(medians of 5 pairs; %d cpus allowed)\n",
        cpu_ratio[2], wall_ratio[2], CPU_COUNT(&allowed));
    /* Under valgrind its own work is CPU time of the threads (above), in varying shares: on
     * an AMD EPYC guest on 2026-12-02 x1.71-1.76 alone and x2.55 beside other tests, so
     * wider bounds there; a count of one thread's time would still read about x1. */
    if (RUNNING_ON_VALGRIND)
        assert_true(cpu_ratio[2] > 1.3 && cpu_ratio[2] < 3.5);
    else
        assert_true(cpu_ratio[2] > 1.6 && cpu_ratio[2] < 2.5);
    if (CPU_COUNT(&allowed) >= 2 &&
        !RUNNING_ON_VALGRIND) /* valgrind runs one thread at once */
        assert_true(wall_ratio[2] > 0.6 && wall_ratio[2] < 1.4);
}

/* A sample on 2 or more threads lasts at least 1 ms whatever --sample-time says (the
 * barriers' wake-up skew would be a large share of a shorter one); on one thread it follows
 * --sample-time (here 100 us). The median sample's timed length (iterations x ns per
 * iteration) is checked against half the target, the calibration's slack; under valgrind
 * only the order. */
static void threads__sample_lasts_a_millisecond_on_two_threads(void **state)
{
    const char *names[2] = {"fixed1", "fixed2"};
    double len[2];
    size_t k, i;

    (void)state;
    for (k = 0; k < 2; k++) {
        btk_run_options o = opts(80);
        btk_proc_result r;
        double *v;

        o.sample_us = 100;
        o.precision = 1e-6;
        run_named(&r, names[k], &o);
        assert_non_null(v = btk__malloc(r.count * sizeof(*v)));
        for (i = 0; i < r.count; i++)
            v[i] = r.samples[i] * (double)r.batch[i];
        len[k] = btk_stats_median_inplace(v, r.count);
        btk__free(v);
        print_message("%s: median sample %.1f us over %zu samples\n", names[k], len[k] / 1e3,
                      r.count);
        btk_proc_result_clear(&r);
    }
    if (!RUNNING_ON_VALGRIND) {
        assert_true(len[0] < 500e3);
        assert_true(len[1] >= 500e3);
    }
    assert_true(len[1] > 2 * len[0]);
}

static void threads__each_thread_has_its_index(void **state)
{
    btk_run_options o = opts(20);
    btk_proc_result r;

    (void)state;
    seen_index_bad = seen_calls[0] = seen_calls[1] = 0;
    run_named(&r, "indexes", &o);
    assert_int_equal(seen_index_bad, 0);
    assert_true(seen_calls[0] >= r.count);
    assert_int_equal(seen_calls[0], seen_calls[1]); /* every call ran on both threads */
    btk_proc_result_clear(&r);
}

/* The two CPUs of the move, or skip when the process may use fewer than 2. */
static void pick_two_cpus(void)
{
    cpu_set_t allowed;
    int i, k = 0;

    CPU_ZERO(&allowed);
    assert_int_equal(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
    for (i = 0; i < CPU_SETSIZE && k < 2; i++)
        if (CPU_ISSET(i, &allowed))
            move_between[k++] = i;
    if (k < 2) {
        print_message("one cpu allowed: no migration to force\n");
        skip();
    }
}

/* Pinned to one CPU, a thread never migrates on its own: no sample counts a migration.
 * When a child process moves the thread to the other CPU inside every sample, every
 * sample counts one and is disturbed. */
static void disturbance__forced_migration_is_detected(void **state)
{
    btk_run_options o = opts(2000);
    btk_proc_result r;
    cpu_set_t all;

    (void)state;
    if (RUNNING_ON_VALGRIND) { /* its child cannot change the affinity of a valgrind
                                  thread */
        print_message("under valgrind no migration can be forced\n");
        skip();
    }
    CPU_ZERO(&all);
    assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
    pick_two_cpus();
    o.precision = 1e-12; /* stop at max_samples, 6 */
    assert_int_equal(btk_pin__thread_to_cpu(move_between[0]), 0);
    move_on = false;
    run_named(&r, "mover", &o);
    print_message("pinned: %zu samples, %" PRIu64 " migrations, %" PRIu64 " disturbed\n",
                  r.count, r.migrations, r.disturbed);
    assert_int_equal(r.migrations, 0);
    assert_true(r.disturbed <= r.count);
    btk_proc_result_clear(&r);

    move_on = true;
    run_named(&r, "mover", &o);
    move_on = false;
    print_message("moved: %zu samples, %" PRIu64 " migrations, %" PRIu64 " disturbed\n",
                  r.count, r.migrations, r.disturbed);
    assert_int_equal(r.count, 6);
    assert_int_equal(r.migrations, r.count);
    assert_int_equal(r.disturbed, r.count);
    btk_proc_result_clear(&r);
    assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
}

/* A quantile of the calls kept, by the library's own definition (type 7). */
static double call_quantile(const btk_proc_result *r, double q)
{
    double *v = btk__malloc(r->call_count * sizeof(double)), x;

    assert_non_null(v);
    memcpy(v, r->calls, r->call_count * sizeof(double));
    btk_stats_sort(v, r->call_count);
    x = btk_stats_quantile_sorted(v, r->call_count, q);
    btk__free(v);
    return x;
}

/* 90 % of calls take 5 us and 10 % take 50 us. Timed one by one, the median call is a short
 * one and p95 / p99 are long ones, and one call in ten is long; a sample holds 1 ms of
 * calls at least (a middle one is checked), so the percentiles have calls enough. Timed in
 * batches, every sample averages over its calls (about 9.5 us): its percentiles describe
 * neither kind of call, which is why latency budgets need per-call mode. */
static void per_call__percentiles_are_of_single_calls(void **state)
{
    btk_run_options o = opts(150);
    btk_bench_result br;
    btk_proc_result r;
    btk_summary s;
    size_t i, longer = 0;
    double p50, p95, p99;

    (void)state;
    o.sample_us = 100; /* per-call mode keeps 1 ms samples whatever this says */
    run_named(&r, "two_valued", &o);
    assert_true(r.per_call);
    if (!RUNNING_ON_VALGRIND)
        assert_true(r.samples[r.count / 2] * (double)r.batch[r.count / 2] >= 500e3);
    assert_true(r.call_count >= 200);
    for (i = 0; i < r.call_count; i++)
        longer += r.calls[i] > 30000;
    p50 = call_quantile(&r, 0.5);
    p95 = call_quantile(&r, 0.95);
    p99 = call_quantile(&r, 0.99);
    print_message(
        "%zu calls: %.1f %% over 30 us, p50 %.0f ns, p95 %.0f ns, p99 %.0f ns\n",
        r.call_count, 100.0 * (double)longer / (double)r.call_count, p50, p95, p99);
    assert_true(p50 > 4000 && p50 < 20000);
    assert_true(p95 > 45000 && p99 > 45000 && p99 < 5e6);
    assert_true((double)longer / (double)r.call_count > 0.08);
    assert_true((double)longer / (double)r.call_count < 0.2);
    /* the summary's percentiles are the calls' */
    memset(&br, 0, sizeof(br));
    br.name = (char *)"two_valued";
    br.proc_count = 1;
    br.procs = &r;
    assert_int_equal(btk_summary_compute(&s, &br), 0);
    assert_true(s.per_call);
    check_near(s.stats.p99, p99, 1e-12);
    check_near(s.call_stats.p50, p50, 1e-12);
    assert_int_equal(s.call_stats.samples, (int64_t)r.call_count);
    btk_proc_result_clear(&r);

    run_named(&r, "two_valued_batch", &o);
    assert_false(r.per_call);
    assert_int_equal(r.call_count, 0);
    p95 = stats_of(&r, false).p50;
    print_message("batch mode: p50 of sample means %.0f ns\n", p95);
    assert_true(p95 > 1.4 * p50 && p95 < 0.5 * p99); /* ~9.5 us: neither kind of call */
    btk_proc_result_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cpu__follows_wall_when_busy_and_not_when_sleeping),
        cmocka_unit_test(threads__cpu_per_iteration_scales_wall_does_not),
        cmocka_unit_test(threads__sample_lasts_a_millisecond_on_two_threads),
        cmocka_unit_test(threads__each_thread_has_its_index),
        cmocka_unit_test(disturbance__forced_migration_is_detected),
        cmocka_unit_test(per_call__percentiles_are_of_single_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
