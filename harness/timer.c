/*
 * The clock's shared logic: frequency calibration against CLOCK_MONOTONIC_RAW when the
 * hardware does not state it, and the start-up measurements the sampler subtracts (read cost,
 * resolution, empty-loop overhead, pause/resume pair cost, both measured through the real
 * loop entry points of state.c). The reads themselves are in the platform backend.
 * Method and sources: docs/timer.md.
 */
#include "timer.h"
#include "timer_int.h"
#include "state.h"
#include "stats.h"

#include <math.h>
#include <time.h>

#define CAL_ROUNDS 3      /* calibration: median of 3 spans ... */
#define CAL_SPAN_NS 40e6  /* ... of 40 ms each (>= 100 ms total) */
#define READ_LOOP 1000    /* reads per read-cost round */
#define OVERHEAD_PAIRS 1001
#define CHAIN_ROUNDS 1024 /* core clock: 8192 dependent additions (~3 us at 3 GHz) ... */
#define CHAIN_TRIES 3     /* ... best of 3 each, at one and at two times that length */

static btk_timer_info info;
static bool initialized;

uint64_t btk_timer__mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Ticks per second: spin CAL_ROUNDS spans of CAL_SPAN_NS on the reference clock, take the
 * median ratio. The spans are busy waits so the CPU is not idled (no C-state exits). */
static double calibrate_hz(void)
{
    double hz[CAL_ROUNDS];
    int i;

    for (i = 0; i < CAL_ROUNDS; i++) {
        uint64_t m0 = btk_timer__mono_ns(), t0 = btk_timer_start(), m1, t1;

        do {
            m1 = btk_timer__mono_ns();
        } while ((double)(m1 - m0) < CAL_SPAN_NS);
        t1 = btk_timer_stop();
        m1 = btk_timer__mono_ns();
        hz[i] = (double)(t1 - t0) * 1e9 / (double)(m1 - m0);
    }
    return btk_stats_median_inplace(hz, CAL_ROUNDS);
}

/* Cost of one read in ticks: best of 5 rounds of READ_LOOP back-to-back reads. */
static double read_cost_ticks(void)
{
    double best = 0;
    int r, i;

    for (r = 0; r < 5; r++) {
        uint64_t t0 = btk_timer_start(), t1;
        double per;

        for (i = 0; i < READ_LOOP; i++)
            (void)btk_timer_start();
        t1 = btk_timer_stop();
        per = (double)(t1 - t0) / READ_LOOP;
        if (r == 0 || per < best)
            best = per;
    }
    return best;
}

/* Smallest non-zero difference of two successive reads over 20 probes (nanobench's method). */
static double resolution_ticks(void)
{
    uint64_t best = UINT64_MAX;
    int i;

    for (i = 0; i < 20; i++) {
        uint64_t t0 = btk_timer_start(), t1;

        while ((t1 = btk_timer_start()) == t0)
            ;
        if (t1 > t0 && t1 - t0 < best)
            best = t1 - t0;
    }
    return best == UINT64_MAX ? 1.0 : (double)best;
}

uint64_t btk_timer_thread_cpu_ns(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Ticks (v) and thread CPU ns (cpu) one BTK_LOOP of one iteration records, through the
 * real loop entry points (so the calls and bookkeeping are included), with or without a
 * pause+resume pair. */
static void loop_costs(double *v, double *cpu, size_t n, bool with_pause)
{
    btk_state st;
    btk_state_priv pv;
    size_t i;

    memset(&st, 0, sizeof(st));
    memset(&pv, 0, sizeof(pv));
    st.version = BTK_STATE_VERSION;
    st.priv = &pv;
    for (i = 0; i < n; i++) {
        btk_state__begin_call(&st, 1);
        BTK_LOOP(&st) {
            if (with_pause) {
                btk_pause(&st);
                btk_resume(&st);
            }
        }
        v[i] = (double)pv.ticks;
        cpu[i] = (double)pv.cpu_ns;
    }
}

/* The fixed cost an empty timed batch records (subtracted from every sample) and what a
 * pause+resume pair adds on top (subtracted per pair), in ticks and in thread CPU ns:
 * medians over OVERHEAD_PAIRS. */
static void measure_overheads(btk_timer_info *t)
{
    static double v[OVERHEAD_PAIRS], cpu[OVERHEAD_PAIRS];

    loop_costs(v, cpu, OVERHEAD_PAIRS, false);
    t->overhead_ticks = btk_stats_median_inplace(v, OVERHEAD_PAIRS);
    t->cpu_overhead_ns = btk_stats_median_inplace(cpu, OVERHEAD_PAIRS);
    loop_costs(v, cpu, OVERHEAD_PAIRS, true);
    t->pause_ticks = fmax(0, btk_stats_median_inplace(v, OVERHEAD_PAIRS) - t->overhead_ticks);
    t->cpu_pause_ns =
        fmax(0, btk_stats_median_inplace(cpu, OVERHEAD_PAIRS) - t->cpu_overhead_ns);
}

int btk_timer_init(void)
{
    if (initialized)
        return 0;
    memset(&info, 0, sizeof(info));
    btk_timer__arch_probe(&info);
    if (info.hz <= 0) {
        info.hz = calibrate_hz();
        info.hz_source = "calibrated";
    }
    if (!(info.hz > 0))
        return btk_error_set(BTK_EUNSUPPORTED, "cannot calibrate timer '%s'", info.source);
    info.read_ns = btk_timer_ticks_to_ns(read_cost_ticks());
    info.resolution_ns = btk_timer_ticks_to_ns(resolution_ticks());
    measure_overheads(&info);
    initialized = true;
    return 0;
}

const btk_timer_info *btk_timer_info_get(void)
{
    (void)btk_timer_init();
    return &info;
}

/* Ticks of the fastest of CHAIN_TRIES calls of a backend loop (btk__add_chain,
 * btk__branch_loop) with arg; 0 when it did not return expect (the backend has no loop). */
static double fastest(uint64_t (*run)(uint64_t), uint64_t arg, uint64_t expect)
{
    double best = 0;

    for (int i = 0; i < CHAIN_TRIES; i++) {
        uint64_t t0 = btk_timer_start(), got = run(arg), t1 = btk_timer_stop();

        if (got != expect)
            return 0;
        if (i == 0 || (double)(t1 - t0) < best)
            best = (double)(t1 - t0);
    }
    return best;
}

/* Ticks of the per_arg * arg one-cycle steps of run(arg) without the reads' fixed cost:
 * the fastest at 2 * arg minus the fastest at arg (the best of each drops an interrupted
 * run); 0 when there is no loop or the two lengths contradict each other. */
static double step_ticks(uint64_t (*run)(uint64_t), uint64_t arg, uint64_t per_arg)
{
    double one, two;

    if ((one = fastest(run, arg, per_arg * arg)) <= 0 ||
        (two = fastest(run, 2 * arg, 2 * per_arg * arg)) <= one)
        return 0;
    return two - one;
}

double btk_timer_core_ghz(void)
{
    double ticks, ns;

    if (!initialized || (ticks = step_ticks(btk_timer__add_chain, CHAIN_ROUNDS, 8)) <= 0)
        return NAN;
    ns = btk_timer_ticks_to_ns(ticks);
    return ns > 0 ? (double)(8 * CHAIN_ROUNDS) / ns : NAN;
}

double btk_timer_branch_ratio(void)
{
    double chain, loop;

    /* 8 * CHAIN_ROUNDS turns against CHAIN_ROUNDS rounds of 8 additions: as many
     * one-cycle steps each. */
    if (!initialized || (chain = step_ticks(btk_timer__add_chain, CHAIN_ROUNDS, 8)) <= 0 ||
        (loop = step_ticks(btk_timer__branch_loop, 8 * CHAIN_ROUNDS, 1)) <= 0)
        return 0;
    return loop / chain;
}

double btk_timer_ticks_to_ns(double ticks)
{
    return ticks * 1e9 / info.hz;
}
