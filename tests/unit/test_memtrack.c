/* Tests of allocation counting: exact counts per iteration inside the timed region only, all
 * interposed entry points, and the process figures (peak RSS, page faults). Skipped where
 * counting cannot work (sanitizer builds own malloc; valgrind replaces it): the skip prints
 * the reason btk_memtrack_available gives. ctest runs this binary with the counting
 * allocator in LD_PRELOAD (tests/cmake/harness.cmake), so counting happens in-process, as
 * the entry-point test needs; the counting-process test starts a process of its own. */
#include "check.h"
#include "memtrack.h"
#include "sampler.h"

#include <malloc.h>

static void *sink[8];

/* 3 x malloc(100) + 3 x free per iteration inside the loop; allocations outside the loop
 * and inside a paused region must not be counted. (100 ms: a pause pair also reads the CPU
 * clock, ~1.5 us untimed per iteration, and a 30 ms budget on a loaded 2-CPU machine then
 * sometimes held one body call only, which leaves no time for counting.) */
BTK_BENCH(three_allocs, .time_budget_ms = 100)
{
    void *before = malloc(1000), *p[3];
    int k;

    btk_do_not_optimize(before);
    BTK_LOOP(state) {
        for (k = 0; k < 3; k++) {
            p[k] = malloc(100);
            btk_do_not_optimize(p[k]);
        }
        btk_pause(state);
        free(malloc(5000)); /* paused: not counted */
        btk_resume(state);
        for (k = 0; k < 3; k++)
            free(p[k]);
    }
    free(before);
    free(malloc(777)); /* after the loop: not counted */
}

/* Two threads: thread i makes i + 1 allocations of 10 * (i + 1) bytes per iteration, so an
 * iteration (every thread once, docs/writing-benchmarks.md#threads) makes 1 + 2 = 3
 * allocations of 10 + 2 * 20 = 50 bytes; counting thread 0 alone would give 1 and 10. */
BTK_BENCH(threaded_allocs, .time_budget_ms = 30, .threads = 2)
{
    unsigned k, mine = state->thread_index + 1;
    void *p[2];

    BTK_LOOP(state) {
        for (k = 0; k < mine; k++) {
            p[k] = malloc(10 * mine);
            btk_do_not_optimize(p[k]);
        }
        for (k = 0; k < mine; k++)
            free(p[k]);
    }
}

BTK_BENCH(no_allocs, .time_budget_ms = 30, .no_memtrack = true)
{
    BTK_LOOP(state) {
        free(malloc(10));
    }
}

static int skip_unless_available(void)
{
    const char *why;

    if (!btk_memtrack_available(&why)) {
        print_message("memtrack unavailable here: %s\n", why);
        skip();
    }
    return 0;
}

static btk_proc_result run(const char *name)
{
    btk_run_options o;
    btk_proc_result r;
    btk_instance *v;
    size_t n;

    btk_run_options_default(&o);
    o.time_budget_ms = 30;
    o.warmup_ms = 2;
    assert_int_equal(btk_registry_instances(&v, &n, name), 0);
    assert_int_equal(n, 1);
    memset(&r, 0, sizeof(r));
    assert_int_equal(btk_sampler_run(&r, &v[0], &o), 0);
    btk__free(v);
    return r;
}

static void release(btk_proc_result *r)
{
    btk_proc_result_clear(r);
}

static void memtrack__exact_counts_per_iteration(void **state)
{
    btk_proc_result r;

    (void)state;
    skip_unless_available();
    r = run("three_allocs");
    assert_true(r.mem_tracked);
    assert_true(r.mem_iterations >= 1);
    print_message("%" PRIu64 " iterations: %" PRIu64 " allocs, %" PRIu64 " frees, %" PRIu64
                  " bytes\n",
                  r.mem_iterations, r.allocs, r.frees, r.alloc_bytes);
    assert_true(r.allocs == 3 * r.mem_iterations);
    assert_true(r.frees == 3 * r.mem_iterations);
    assert_true(r.alloc_bytes == 300 * r.mem_iterations);
    release(&r);
}

/* Allocations made on a worker thread are counted, exactly, in this process and in the
 * counting process alike. */
static void memtrack__worker_threads_are_counted_exactly(void **state)
{
    btk_memtrack_counts m;
    btk_proc_result r;
    uint64_t iters = 0;

    (void)state;
    skip_unless_available();
    r = run("threaded_allocs");
    assert_true(r.mem_tracked);
    assert_int_equal(r.threads, 2);
    assert_true(r.mem_iterations >= 1);
    print_message("%" PRIu64 " iterations: %" PRIu64 " allocs, %" PRIu64 " bytes\n",
                  r.mem_iterations, r.allocs, r.alloc_bytes);
    assert_true(r.allocs == 3 * r.mem_iterations);
    assert_true(r.frees == 3 * r.mem_iterations);
    assert_true(r.alloc_bytes == 50 * r.mem_iterations);
    release(&r);
    assert_int_equal(btk_memtrack__count_elsewhere(&m, &iters, "threaded_allocs", 100), 0);
    assert_int_equal(iters, 100);
    assert_true(m.allocs == 300 && m.frees == 300 && m.bytes == 5000);
}

static void memtrack__off_when_the_benchmark_says_so(void **state)
{
    btk_proc_result r;

    (void)state;
    skip_unless_available();
    r = run("no_allocs");
    assert_false(r.mem_tracked);
    assert_true(r.allocs == 0 && r.alloc_bytes == 0);
    release(&r);
}

static void memtrack__counts_every_entry_point_only_when_armed(void **state)
{
    btk_memtrack_counts m;
    void *p = NULL, *q;

    (void)state;
    skip_unless_available();
    btk_memtrack__reset();
    free(malloc(64)); /* disarmed */
    btk_memtrack__arm(true);
    sink[0] = malloc(10);
    sink[1] = calloc(4, 5);
    sink[2] = realloc(NULL, 30);
    assert_int_equal(posix_memalign(&p, 64, 40), 0);
    sink[3] = p;
    sink[4] = aligned_alloc(64, 64);
    sink[5] = memalign(32, 50);
    assert_int_equal(posix_memalign(&q, 3, 8), EINVAL); /* refused: not counted */
    btk_memtrack__arm(false);
    btk_memtrack__read(&m);
    assert_true(m.allocs == 6);
    assert_true(m.bytes == 10 + 20 + 30 + 40 + 64 + 50);
    assert_true(m.frees == 0);
    btk_memtrack__arm(true);
    for (size_t i = 0; i < 6; i++)
        free(sink[i]);
    free(NULL); /* not counted */
    btk_memtrack__arm(false);
    btk_memtrack__read(&m);
    assert_true(m.frees == 6);
}

/* The counting process (a fresh process of this binary with the counting allocator
 * preloaded) gives the same exact counts, and names a benchmark it does not know. */
static void memtrack__counting_process_counts_exactly(void **state)
{
    btk_memtrack_counts m;
    uint64_t iters = 0;

    (void)state;
    skip_unless_available();
    assert_int_equal(btk_memtrack__count_elsewhere(&m, &iters, "three_allocs", 100), 0);
    assert_true(iters == 100);
    assert_true(m.allocs == 300 && m.frees == 300 && m.bytes == 30000);
    assert_int_equal(btk_memtrack__count_elsewhere(&m, &iters, "nope", 1), BTK_ERROR);
    assert_string_equal(btk_error_last()->message, "counting process: no benchmark named 'nope'");
    btk_error_clear();
}

static void memtrack__peak_rss_and_faults_see_touched_memory(void **state)
{
    btk_memtrack_proc a, b;
    size_t len = 64u << 20, i;
    char *big;

    (void)state;
    btk_memtrack__proc(&a);
    big = malloc(len);
    assert_non_null(big);
    for (i = 0; i < len; i += 4096)
        big[i] = (char)i;
    btk_do_not_optimize(big);
    btk_memtrack__proc(&b);
    free(big);
    print_message("peak %" PRId64 " -> %" PRId64 " bytes, minor faults +%" PRId64 "\n",
                  a.peak_rss_bytes, b.peak_rss_bytes, b.minor_faults - a.minor_faults);
    assert_true(b.peak_rss_bytes - a.peak_rss_bytes > (int64_t)(len / 2));
    assert_true(b.minor_faults - a.minor_faults > (int64_t)(len / 4096 / 2));
    /* Where the kernel allows the reset, the peak drops back below the freed block. Not
     * under a sanitizer or valgrind: their quarantine keeps freed memory resident. */
    if (btk_memtrack_available(NULL) && btk_memtrack__reset_peak()) {
        btk_memtrack__proc(&a);
        assert_true(a.peak_rss_bytes < b.peak_rss_bytes - (int64_t)(len / 2));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memtrack__exact_counts_per_iteration),
        cmocka_unit_test(memtrack__off_when_the_benchmark_says_so),
        cmocka_unit_test(memtrack__worker_threads_are_counted_exactly),
        cmocka_unit_test(memtrack__counts_every_entry_point_only_when_armed),
        cmocka_unit_test(memtrack__counting_process_counts_exactly),
        cmocka_unit_test(memtrack__peak_rss_and_faults_see_touched_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
