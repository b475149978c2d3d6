/*
 * Harness overhead, measured in-process with the sampler: the empty benchmark's time per
 * iteration (the loop's own cost), the timer's read cost, the empty-region and pause-pair
 * costs that are subtracted, and what the counting allocator's interposers add to a
 * malloc+free pair (overhead.sh runs this program with libbenchtrack_memtrack.so in
 * LD_PRELOAD, as the counting process has it; without it malloc_free is glibc's own).
 * Each figure is the median over `runs` sampler runs of the per-run median. Usage:
 *   btk_overhead [runs]        (default 5; bench/self/overhead.sh runs it)
 */
#include "memtrack.h"
#include "sampler.h"
#include "stats.h"
#include "timer.h"

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *ptr);

BTK_BENCH(empty)
{
    BTK_LOOP(state) {
    }
}

/* a compiler barrier per iteration (compare with Google Benchmark's `clobber`) */
BTK_BENCH(clobber)
{
    BTK_LOOP(state) {
        btk_clobber_memory();
    }
}

/* malloc+free through the interposers, counting disarmed (a preloaded process's samples) */
BTK_BENCH(malloc_free)
{
    BTK_LOOP(state) {
        void *p = malloc(32);

        btk_do_not_optimize(p);
        free(p);
    }
}

/* the same pair straight into glibc: the baseline */
BTK_BENCH(libc_malloc_free)
{
    BTK_LOOP(state) {
        void *p = __libc_malloc(32);

        btk_do_not_optimize(p);
        __libc_free(p);
    }
}

/* the pair with counting armed: what a counted allocation costs */
BTK_BENCH(malloc_free_counted)
{
    btk_memtrack__arm(true);
    BTK_LOOP(state) {
        void *p = malloc(32);

        btk_do_not_optimize(p);
        free(p);
    }
    btk_memtrack__arm(false);
}

/* median over runs of the per-run median ns and ticks per iteration */
static int measure(const char *name, int runs, double *ns_out, double *ticks_out)
{
    double ns[64], ticks[64];
    btk_run_options o;
    btk_instance *v;
    size_t n;
    int r;

    btk_run_options_default(&o);
    if (btk_registry_instances(&v, &n, name) < 0 || n != 1)
        return -1;
    for (r = 0; r < runs; r++) {
        btk_proc_result res;
        btk_stats s;

        memset(&res, 0, sizeof(res));
        if (btk_sampler_run(&res, &v[0], &o) < 0)
            return -1;
        btk_stats_summarize(&s, res.samples, res.count);
        ns[r] = s.median;
        btk_stats_summarize(&s, res.cycles, res.count);
        ticks[r] = s.median;
        btk__free(res.samples), btk__free(res.batch), btk__free(res.cycles);
    }
    btk__free(v);
    *ns_out = btk_stats_median_inplace(ns, (size_t)runs);
    *ticks_out = btk_stats_median_inplace(ticks, (size_t)runs);
    return 0;
}

#define COUNTING_STARTS 21

/* Median wall time in ms of starting a counting process that counts one iteration of
 * malloc_free (fork, exec of this program, loading, constructors, one body call); -1 when
 * counting is unavailable. */
static double counting_process_ms(void)
{
    double ms[COUNTING_STARTS], t0;
    btk_memtrack_counts m;
    uint64_t iters;
    size_t i;

    for (i = 0; i < COUNTING_STARTS; i++) {
        t0 = btk__monotonic_ms();
        if (btk_memtrack__count_elsewhere(&m, &iters, "malloc_free", 1) < 0)
            return -1;
        ms[i] = btk__monotonic_ms() - t0;
    }
    return btk_stats_median_inplace(ms, COUNTING_STARTS);
}

int main(int argc, char **argv)
{
    static const char *names[] = {"empty", "clobber", "libc_malloc_free", "malloc_free",
                                  "malloc_free_counted"};
    int runs = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 5;
    const btk_timer_info *ti;
    const char *why;
    double ns[5], ticks[5];
    size_t i;

    int cpu;

    if (runs < 1 || runs > 64 || btk_timer_init() < 0)
        return 2;
    cpu = btk_pin_to_cpu(-1); /* like the runner's children; unpinned when refused */
    ti = btk_timer_info_get();
    printf("pinned to cpu: %d\n", cpu);
    printf("timer: %s at %.3f MHz (%s), invariant %s\n", ti->source, ti->hz / 1e6,
           ti->hz_source, ti->invariant ? "yes" : "no");
    printf("timer read_ns: %.2f   resolution_ns: %.2f\n", ti->read_ns, ti->resolution_ns);
    printf("empty region (subtracted per sample): %.1f ticks = %.2f ns\n", ti->overhead_ticks,
           btk_timer_ticks_to_ns(ti->overhead_ticks));
    printf("pause+resume pair (subtracted per pair): %.1f ticks = %.2f ns\n", ti->pause_ticks,
           btk_timer_ticks_to_ns(ti->pause_ticks));
    for (i = 0; i < 5; i++) {
        if (measure(names[i], runs, &ns[i], &ticks[i]) < 0) {
            fprintf(stderr, "btk_overhead: %s\n", btk_error_last()->message);
            return 3;
        }
        printf("%-20s %8.3f ns/iter %8.3f cycles/iter (median of %d runs)\n", names[i],
               ns[i], ticks[i], runs);
    }
    if (btk_memtrack_available(&why))
        printf("memtrack: +%.2f ns per malloc+free disarmed, +%.2f ns counted "
               "(vs glibc direct)\n",
               ns[3] - ns[2], ns[4] - ns[2]);
    else
        printf("memtrack: unavailable (%s)\n", why);
    printf("counting process start: %.2f ms (median of %d)\n", counting_process_ms(),
           COUNTING_STARTS);
    return 0;
}
