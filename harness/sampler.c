/*
 * Measuring one benchmark instance in this process: warm-up and batch calibration (x10
 * growth, then proportional, after nanobench), samples of a jittered batch until the median's
 * CI is narrower than the target precision, the time budget runs out or max_samples is
 * reached; then one instrumented pass for allocation counts and hardware counters, so the
 * counting never perturbs the timed samples. The time budget covers all of it (fixture
 * setup, warm-up, sampling, the instrumented pass): the sample length shrinks when the
 * budget cannot hold min_samples full samples, and sampling stops before a sample that would
 * not fit. Method and defaults: docs/timer.md#sampling and #time-budget.
 */
#include "sampler.h"
#include "memtrack.h"
#include "perf.h"
#include "pin.h"
#include "sampler_int.h"
#include "state.h"
#include "stats.h"
#include "timer.h"

#include <math.h>

#define MAX_BATCH ((uint64_t)1 << 40)
/* A sample lasts >= sample_us (DEFAULT_SAMPLE_US unless set) and >= 1000x the timer's
 * resolution ... */
#define DEFAULT_SAMPLE_US 100
#define RESOLUTION_MULTIPLE 1000
/* ... and >= 1 ms on 2 or more threads (the barriers that start them wake each thread up to
 * tens of us apart on a VM, a large share of a shorter sample) and in per-call mode (its
 * percentiles are of the calls: min_samples samples must hold enough of them) */
#define LONG_SAMPLE_US 1000
#define WALL_CAP 10 /* a body call (setup included) lasts at most ~10 targets */
#define WARMUP_SHARE 0.1 /* warm-up takes at most this share of the time budget */
#define JITTER 0.2       /* a sample's batch is the calibrated one plus up to 20 % */
#define CLOCK_EVERY_NS 5e5 /* the core clock is read after each 0.5 ms of sampling, at least */
/* Warm-up samples: MSER-5 (btk_stats_mser_drop) decides how many of the first are the
 * transient, from at least MSER_MIN_BATCHES batches; with fewer, only the last is kept. */
#define MSER_BATCH 5
#define MSER_MIN_BATCHES 4
/* Budget kept for starting the counting process (fork, exec, dynamic loading, the
 * program's constructors): measured at 1-3 ms on the reference machine (docs/timer.md). */
#define COUNTING_PROCESS_MS 3.0
/* Per-call mode keeps at most this many call times per process (8 MiB); sampling stops
 * (max_samples) before a sample that would pass it. */
#define MAX_CALLS ((size_t)1 << 20)

typedef struct run_ctx {
    const btk_instance *inst;
    btk_run_options o;        /* effective options */
    btk_state state;
    btk_state_priv priv;
    const btk_timer_info *ti;
    double target_ticks;      /* per sample */
    uint64_t rng;             /* xorshift64 for the batch jitter */
    double wall;              /* ticks of the last body call, untimed parts included */
    uint64_t t0;              /* tick at which the time budget started (before setup) */
    double budget_ticks;      /* the time budget */
    double helper_ticks;      /* expected cost of the counting process (0: none) */
    bool mem, hw;             /* count allocations / hardware events */
    bool instrument;          /* mem || hw: an instrumented pass follows the samples */
    bool slow;                /* one body call outlasted the budget: no instrumented pass */
    unsigned threads;         /* threads running the body (1: this one alone) */
    btk_team *team;           /* the workers when threads > 1 */
    btk_call_out last;        /* the last sample's figures (all its calls, all threads) */
    bool per_call;            /* a sample is `batch` calls of one iteration each */
    bool keep_calls;          /* record each call's time in calls[] (while sampling) */
    double *calls;            /* per-call times, ns */
    size_t call_count, call_cap;
    uint64_t next_n;          /* the next sample's batch before jitter */
    bool keep_warmup;         /* warm-up calls are samples; its transient is dropped after */
    uint64_t warm_until;      /* tick at which the warm-up ends */
} run_ctx;

/* What a warm-up sample added to the disturbance counts (taken back when it is dropped). */
typedef struct warm_rec {
    uint64_t switches;
    bool migrated;
} warm_rec;

static bool quick_mode(void)
{
    const char *q = getenv("BTK_QUICK");

    return q != NULL && q[0] != '\0' && strcmp(q, "0") != 0;
}

void btk_run_options_default(btk_run_options *opts)
{
    bool quick = quick_mode();

    memset(opts, 0, sizeof(*opts));
    opts->time_budget_ms = quick ? 50 : 400;
    opts->warmup_ms = quick ? 5 : 20;
    opts->sample_us = DEFAULT_SAMPLE_US;
    opts->min_samples = quick ? 5 : 11;
    opts->max_samples = 1000;
    opts->precision = 0.01;
    opts->timeout_ms = 60000;
    opts->memtrack = true;
}

/* The run's options with the benchmark's non-zero options on top. */
static void effective_options(btk_run_options *o, const btk_run_options *run,
                              const btk_bench_options *b)
{
    *o = *run;
    if (b->time_budget_ms > 0)
        o->time_budget_ms = b->time_budget_ms;
    if (b->min_samples > 0)
        o->min_samples = b->min_samples;
    if (b->max_samples > 0)
        o->max_samples = b->max_samples;
    if (b->precision > 0)
        o->precision = b->precision;
    if (b->timeout_ms > 0)
        o->timeout_ms = b->timeout_ms;
    if (b->no_memtrack)
        o->memtrack = false;
    if (!(o->sample_us > 0)) /* options built without btk_run_options_default */
        o->sample_us = DEFAULT_SAMPLE_US;
    if (o->min_samples < 1)
        o->min_samples = 1;
    if (o->max_samples < o->min_samples)
        o->max_samples = o->min_samples;
}

/* Call the body once with a batch of n (on every thread); *ticks_out = its timed ticks
 * with the empty-loop overhead and pause costs subtracted (may be <= 0 for an empty body);
 * c->last holds the rest of what it measured. */
static int call_once(run_ctx *c, uint64_t n, double *ticks_out)
{
    int error = btk_team__call(&c->last, c->team, c->inst, &c->state, c->ti, n, !c->per_call);

    c->wall = c->last.wall;
    *ticks_out = c->last.ticks;
    c->priv.iterations = c->last.iters;
    return error;
}

/* Keep one call's time (ns) in c->calls; false when out of memory. */
static bool keep_call(run_ctx *c, double ticks)
{
    double *v;
    size_t cap;

    if (c->call_count == c->call_cap) {
        cap = c->call_cap ? c->call_cap * 2 : 4096;
        if ((v = btk__realloc(c->calls, cap * sizeof(*v))) == NULL)
            return false;
        c->calls = v;
        c->call_cap = cap;
    }
    c->calls[c->call_count++] = btk_timer_ticks_to_ns(ticks);
    return true;
}

/* One sample's worth of body calls: one call of batch n, or in per-call mode n calls of
 * one iteration each, every one timed alone (kept in c->calls while c->keep_calls). The
 * figures of c->last and c->wall are the sums over the calls; per-call mode takes the
 * disturbance readings (two system calls) around the sample, on this thread, not per
 * call. */
static int call_body(run_ctx *c, uint64_t n, double *ticks_out)
{
    btk_pin_snap before, after;
    btk_call_out sum;
    double ticks, wall = 0;
    uint64_t i;
    int error;

    if (!c->per_call)
        return call_once(c, n, ticks_out);
    memset(&sum, 0, sizeof(sum));
    btk_pin__snap(&before);
    for (i = 0; i < n; i++) {
        if ((error = call_once(c, 1, &ticks)) < 0)
            return error;
        if (c->keep_calls && !keep_call(c, ticks))
            return BTK_ENOMEM;
        sum.ticks += ticks;
        sum.cpu_ns += c->last.cpu_ns;
        sum.iters += c->last.iters;
        sum.mem.allocs += c->last.mem.allocs;
        sum.mem.frees += c->last.mem.frees;
        sum.mem.bytes += c->last.mem.bytes;
        wall += c->wall;
    }
    btk_pin__snap(&after);
    btk_team__disturbance(&sum, &before, &after);
    sum.wall = c->wall = wall;
    c->last = sum;
    c->priv.iterations = sum.iters;
    *ticks_out = sum.ticks;
    return 0;
}

/* Batch size that makes a sample's timed region last about target ticks, given n
 * iterations took ticks timed and wall ticks in all (untimed batched setup included); a body
 * call is kept under WALL_CAP x target so a heavy batched setup cannot grow without bound. */
static uint64_t scale_batch(double target, uint64_t n, double ticks, double wall)
{
    double next = ticks > 0 ? (double)n * target / ticks : (double)n * 10;

    if (wall > 0 && next > (double)n * WALL_CAP * target / wall)
        next = (double)n * WALL_CAP * target / wall;

    if (next < 1)
        return 1;
    return next > (double)MAX_BATCH ? MAX_BATCH : (uint64_t)next;
}

/* Ticks of the time budget left now (negative once overspent). */
static double budget_left(const run_ctx *c)
{
    return c->budget_ticks - (double)(btk_timer_stop() - c->t0);
}

/* Warm-up length: warmup_ms, but at most WARMUP_SHARE of the budget. */
static double warmup_ticks(const run_ctx *c)
{
    return fmin(c->o.warmup_ms * 1e-3, WARMUP_SHARE * c->o.time_budget_ms * 1e-3) * c->ti->hz;
}

/* Choose the sample length before warm-up: max(1000 x resolution, sample_us; 1 ms with 2 or
 * more threads or per call), or shorter (down to 1000 x resolution) when what is left of
 * the budget after warm-up cannot hold min_samples jittered samples plus the instrumented
 * pass. */
static void plan_target(run_ctx *c)
{
    double floor = RESOLUTION_MULTIPLE * c->ti->resolution_ns * 1e-9 * c->ti->hz;
    double us = c->threads > 1 || c->per_call ? fmax(c->o.sample_us, LONG_SAMPLE_US)
                                              : c->o.sample_us;
    double full = fmax(floor, us * 1e-6 * c->ti->hz);
    double calls = (double)c->o.min_samples * (1 + JITTER) + (c->instrument ? 1 : 0);
    double left = budget_left(c) - warmup_ticks(c) - c->helper_ticks;

    c->target_ticks = fmax(floor, fmin(full, left / calls));
}

/* Find the batch size: x10 while a call is < 1/10 of the target, then proportional; with
 * c->keep_warmup it stops at the first proportional size and the warm-up goes on as
 * samples (sample()), else it warms up for the whole warm-up time here. *batch_out is the
 * calibrated size, *ticks_out the timed ticks of the last call. Stops early when the budget
 * is spent, marking c->slow when one call alone outlasted it. */
static int calibrate(run_ctx *c, uint64_t *batch_out, double *ticks_out)
{
    double warm_ticks = warmup_ticks(c), ticks;
    uint64_t start = btk_timer_start(), n = 1;
    int error;

    c->warm_until = start + (uint64_t)warm_ticks;
    for (;;) {
        if ((error = call_body(c, n, &ticks)) < 0)
            return error;
        *ticks_out = ticks;
        if (c->wall >= c->budget_ticks) {
            c->slow = true; /* a body call longer than the budget: it is the one sample */
            break;
        }
        if (budget_left(c) <= 0)
            break; /* shorter calls spent it (a cold start): one warm sample follows */
        if (ticks < c->target_ticks / 10 && c->wall < c->target_ticks && n < MAX_BATCH) {
            n = n * 10 > MAX_BATCH ? MAX_BATCH : n * 10;
            continue;
        }
        n = scale_batch(c->target_ticks, n, ticks, c->wall);
        if (c->keep_warmup || (double)(btk_timer_stop() - start) >= warm_ticks)
            break;
    }
    *batch_out = n;
    return 0;
}

/* Grow the result's sample arrays to hold at least need entries (capacity *cap). */
static int reserve(btk_proc_result *out, size_t *cap, size_t need)
{
    size_t c = *cap ? *cap : 64;
    double *s, *cy, *cpu, *clk;
    uint64_t *b;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    if ((s = btk__realloc(out->samples, c * sizeof(*s))) == NULL)
        return BTK_ENOMEM;
    out->samples = s;
    if ((b = btk__realloc(out->batch, c * sizeof(*b))) == NULL)
        return BTK_ENOMEM;
    out->batch = b;
    if ((cy = btk__realloc(out->cycles, c * sizeof(*cy))) == NULL)
        return BTK_ENOMEM;
    out->cycles = cy;
    if ((cpu = btk__realloc(out->cpu_samples, c * sizeof(*cpu))) == NULL)
        return BTK_ENOMEM;
    out->cpu_samples = cpu;
    if ((clk = btk__realloc(out->clock_ghz, c * sizeof(*clk))) == NULL)
        return BTK_ENOMEM;
    out->clock_ghz = clk;
    *cap = c;
    return 0;
}

/* Batch n with up to +JITTER (20 %) jitter so samples do not lock step with periodic noise. */
static uint64_t jitter(run_ctx *c, uint64_t n)
{
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 7;
    c->rng ^= c->rng << 17;
    return n + (uint64_t)((double)n * JITTER * (double)(c->rng >> 11) / 9007199254740992.0);
}

/* Is the median's CI narrow enough? Checked every sample up to 64, then every ~6%. The
 * half-width counts as at least half the timer's resolution over one sample: samples read
 * from a coarse clock tie, and a CI between two equal order statistics has width 0, which
 * would meet any target (seen in CI: 2096 samples stopped for a precision of 1e-12). */
static bool precise_enough(run_ctx *c, const btk_proc_result *out, double *scratch)
{
    size_t n = out->count;
    double quantum;

    if (n < c->o.min_samples || (n > 64 && n % (n / 16) != 0))
        return false;
    memcpy(scratch, out->samples, n * sizeof(*scratch));
    quantum = c->ti->resolution_ns * 1e-9 * c->ti->hz / 2 / c->target_ticks;
    return fmax(btk_stats_rel_ci_inplace(scratch, n), quantum) <= c->o.precision;
}

/* Should sampling stop, and why? need is the ticks the next sample and the instrumented
 * pass would take; the budget is hard: no sample starts that would not fit. While warming
 * up only the budget stops it (max_samples counts the samples kept after it, end_warmup). */
static bool should_stop(run_ctx *c, btk_proc_result *out, double need, double *scratch,
                        bool warming)
{
    if ((!warming && out->count >= c->o.max_samples) ||
        (c->per_call && c->call_count + (size_t)((double)c->next_n * (1 + JITTER)) + 1 >
                            MAX_CALLS)) {
        out->stop = BTK_STOP_MAX_SAMPLES;
        return true;
    }
    if (!warming && precise_enough(c, out, scratch)) {
        out->stop = BTK_STOP_PRECISION;
        return true;
    }
    if (budget_left(c) < need) {
        out->stop = BTK_STOP_TIME_BUDGET;
        return true;
    }
    return false;
}

/* Record one sample of n iterations that took ticks, its CPU time and whether it was
 * disturbed (an involuntary context switch or a migration of one of its threads). */
static void record(run_ctx *c, btk_proc_result *out, uint64_t n, double ticks)
{
    double per = ticks / (double)c->priv.iterations;

    (void)n;
    out->batch[out->count] = c->priv.iterations;
    out->cycles[out->count] = per;
    out->samples[out->count] = btk_timer_ticks_to_ns(per);
    out->cpu_samples[out->count] = c->last.cpu_ns / (double)c->priv.iterations;
    out->switches += c->last.switches;
    out->migrations += c->last.migrated ? 1 : 0;
    out->disturbed += c->last.switches > 0 || c->last.migrated ? 1 : 0;
    out->count++;
}

/* Ticks the next sample of n iterations (jitter included) and the instrumented pass would
 * take, from the wall time per iteration seen so far. */
static double next_need(const run_ctx *c, uint64_t n, uint64_t iters, double wall)
{
    double per = iters > 0 ? wall / (double)iters : 0;

    return per * (double)n * (1 + JITTER) +
           (c->instrument ? per * (double)n + c->helper_ticks : 0);
}

/* The core clock of the samples recorded since the last reading (from index `from`): the
 * mean of the readings before and after them (*before becomes the after reading); a reading
 * that failed leaves the other one, or NAN. */
static void clock_samples(btk_proc_result *out, size_t from, double *before)
{
    double after = btk_timer_core_ghz(), b = *before;
    size_t i;

    for (i = from; i < out->count; i++)
        out->clock_ghz[i] = isnan(b) ? after : isnan(after) ? b : (b + after) / 2;
    *before = after;
}

/* Drop the first d samples of out (all their arrays). */
static void drop_front(btk_proc_result *out, size_t d)
{
    size_t k = out->count - d;

    memmove(out->samples, out->samples + d, k * sizeof(*out->samples));
    memmove(out->batch, out->batch + d, k * sizeof(*out->batch));
    memmove(out->cycles, out->cycles + d, k * sizeof(*out->cycles));
    memmove(out->cpu_samples, out->cpu_samples + d, k * sizeof(*out->cpu_samples));
    memmove(out->clock_ghz, out->clock_ghz + d, k * sizeof(*out->clock_ghz));
    out->count = k;
}

/* The warm-up is over: drop its transient, the first samples MSER-5 names (all but the
 * last when there are too few to tell), and any more than max_samples before the last ones,
 * with what they added to the disturbance counts; *clock_from follows the shift. */
static void end_warmup(const run_ctx *c, btk_proc_result *out, const warm_rec *rec,
                       size_t *clock_from)
{
    size_t n = out->count, drop;

    if (n == 0)
        return;
    drop = n >= MSER_BATCH * MSER_MIN_BATCHES
               ? btk_stats_mser_drop(out->samples, n, MSER_BATCH)
               : n - 1;
    if (n - drop > c->o.max_samples)
        drop = n - c->o.max_samples;
    for (size_t i = 0; i < drop; i++) {
        out->switches -= rec[i].switches;
        out->migrations -= rec[i].migrated ? 1 : 0;
        out->disturbed -= rec[i].switches > 0 || rec[i].migrated ? 1 : 0;
    }
    drop_front(out, drop);
    *clock_from = *clock_from > drop ? *clock_from - drop : 0;
}

/* Take samples until should_stop (at least one); after a body call longer than the whole
 * budget, that call (last_ticks) is the one sample. With c->keep_warmup the samples start
 * with the warm-up, whose transient is dropped when it ends (end_warmup). */
static int sample(run_ctx *c, btk_proc_result *out, uint64_t n, double last_ticks)
{
    uint64_t total_iters = 0;
    double total_ticks = 0, total_wall = 0, ticks, *scratch = NULL;
    size_t cap = 0, scap = 0;
    double clock_before = btk_timer_core_ghz(), since_clock = 0;
    size_t clock_from = 0; /* the first sample without its clock yet */
    bool warming = c->keep_warmup && !c->slow;
    warm_rec *rec = NULL;
    size_t rcap = 0;
    int error;

    if (c->slow) {
        if ((error = reserve(out, &cap, 1)) == 0) {
            record(c, out, n, last_ticks);
            out->clock_ghz[0] = btk_timer_core_ghz();
            out->stop = BTK_STOP_TIME_BUDGET;
        }
        c->state.iterations = c->priv.iterations;
        return error;
    }
    do {
        uint64_t batch = jitter(c, n);

        if ((error = reserve(out, &cap, out->count + 1)) < 0)
            break;
        if (scap < cap) {
            btk__free(scratch);
            if ((scratch = btk__malloc(cap * sizeof(*scratch))) == NULL) {
                error = BTK_ENOMEM;
                break;
            }
            scap = cap;
        }
        if (warming && rcap < cap) {
            warm_rec *r = btk__realloc(rec, cap * sizeof(*r));

            if (r == NULL) {
                error = BTK_ENOMEM;
                break;
            }
            rec = r;
            rcap = cap;
        }
        if ((error = call_body(c, batch, &ticks)) < 0)
            break;
        record(c, out, batch, ticks);
        if (warming) {
            rec[out->count - 1].switches = c->last.switches;
            rec[out->count - 1].migrated = c->last.migrated;
        }
        /* A clock reading (about 15 us) after each CLOCK_EVERY_NS of sampling: after every
         * few samples of the default 100 us, after every sample of 0.5 ms or more. */
        if ((since_clock += c->wall) >= CLOCK_EVERY_NS * 1e-9 * c->ti->hz) {
            clock_samples(out, clock_from, &clock_before);
            clock_from = out->count;
            since_clock = 0;
        }
        total_iters += c->priv.iterations;
        total_ticks += ticks;
        total_wall += c->wall;
        n = scale_batch(c->target_ticks, total_iters, total_ticks, total_wall);
        c->next_n = n;
        if (warming && btk_timer_stop() >= c->warm_until) {
            end_warmup(c, out, rec, &clock_from);
            warming = false;
        }
    } while (!should_stop(c, out, next_need(c, n, total_iters, total_wall), scratch,
                          warming));
    if (warming && error == 0)
        end_warmup(c, out, rec, &clock_from);
    btk__free(rec);
    if (clock_from < out->count)
        clock_samples(out, clock_from, &clock_before);
    btk__free(scratch);
    c->state.iterations = n;
    return error;
}

/* Allocation counts of one call of batch n, in this process when it has the counting
 * allocator, else in a counting process; false when they could not be had. */
static bool count_allocs(run_ctx *c, btk_proc_result *out, uint64_t n, double *ticks)
{
    btk_memtrack_counts m;
    uint64_t iters = 0;

    if (btk_memtrack__in_process()) {
        c->priv.memtrack = true; /* every thread counts its own allocations */
        if (call_body(c, n, ticks) < 0) {
            c->priv.memtrack = false;
            return false;
        }
        c->priv.memtrack = false;
        m = c->last.mem;
        iters = c->priv.iterations;
    } else if (btk_memtrack__count_elsewhere(&m, &iters, c->inst->name, n) < 0) {
        btk_error_clear(); /* counting failed: the result says mem_tracked false */
        return false;
    }
    out->mem_tracked = true;
    out->allocs = m.allocs;
    out->frees = m.frees;
    out->alloc_bytes = m.bytes;
    out->mem_iterations = iters;
    return true;
}

/* One extra call of the calibrated batch with allocation counting (here or in the counting
 * process) and hardware counters on (armed inside BTK_LOOP only); fills the memory and hw
 * fields of out. Skipped after a body call longer than the whole budget. */
static int instrumented_pass(run_ctx *c, btk_proc_result *out, uint64_t n)
{
    bool hw = c->hw && !c->slow && btk_perf__open() == 0;
    double ticks;
    int error = 0, got;

    if (c->mem && !c->slow)
        (void)count_allocs(c, out, n, &ticks);
    if (!hw)
        return 0;
    btk_perf__reset();
    c->priv.perf = true;
    error = call_body(c, n, &ticks);
    c->priv.perf = false;
    if (error == 0 &&
        (got = btk_perf__read(out->hw, BTK_ARRAY_SIZE(out->hw), c->priv.iterations)) > 0)
        out->hw_count = (size_t)got;
    btk_perf__close();
    btk_error_clear(); /* a counter read failure only loses the counters */
    return error;
}

static void free_samples(btk_proc_result *out)
{
    btk__free(out->samples);
    btk__free(out->batch);
    btk__free(out->cycles);
    btk__free(out->cpu_samples);
    btk__free(out->clock_ghz);
    out->samples = out->cycles = out->cpu_samples = out->clock_ghz = NULL;
    out->batch = NULL;
    out->count = 0;
}

/* Hand the kept call times to out (per-call mode). */
static void take_calls(run_ctx *c, btk_proc_result *out)
{
    out->per_call = c->per_call;
    out->calls = c->calls;
    out->call_count = c->call_count;
    c->calls = NULL;
    c->call_count = c->call_cap = 0;
}

/* Calibrate, sample and instrument; the fixture is already in c->state. */
static int measure(run_ctx *c, btk_proc_result *out)
{
    btk_memtrack_proc before, after;
    uint64_t n = 1;
    double last = 0;
    double shared_before;
    int error;

    (void)btk_memtrack__reset_peak();
    btk_memtrack__proc(&before);
    /* Was the core shared, before and after sampling (docs/timer.md "Shared core")? */
    shared_before = btk_timer_branch_ratio();
    plan_target(c);
    /* per-call mode keeps each call's time for its percentiles: its warm-up stays apart */
    c->keep_warmup = !c->per_call && warmup_ticks(c) > 0;
    if ((error = calibrate(c, &n, &last)) < 0)
        return error;
    c->keep_calls = c->per_call;
    error = sample(c, out, n, last);
    c->keep_calls = false;
    take_calls(c, out);
    if (error < 0)
        return error;
    out->branch_ratio = fmax(shared_before, btk_timer_branch_ratio());
    if ((error = instrumented_pass(c, out, c->state.iterations)) < 0)
        return error;
    btk_memtrack__proc(&after);
    out->peak_rss_bytes = after.peak_rss_bytes;
    out->minor_faults = after.minor_faults - before.minor_faults;
    out->major_faults = after.major_faults - before.major_faults;
    out->bytes_per_iter = c->priv.bytes_per_iter;
    out->items_per_iter = c->priv.items_per_iter;
    out->counter_count = c->priv.counter_count;
    memcpy(out->counters, c->priv.counters, sizeof(out->counters));
    return 0;
}

static void init_ctx(run_ctx *c, const btk_instance *inst, const btk_run_options *opts)
{
    memset(c, 0, sizeof(*c));
    c->inst = inst;
    effective_options(&c->o, opts, inst->opts);
    c->ti = btk_timer_info_get();
    c->t0 = btk_timer_start();
    c->budget_ticks = c->o.time_budget_ms * 1e-3 * c->ti->hz;
    c->mem = c->o.memtrack && btk_memtrack_available(NULL);
    c->hw = btk_perf_available(NULL);
    c->instrument = c->mem || c->hw;
    if (c->mem && !btk_memtrack__in_process())
        c->helper_ticks = COUNTING_PROCESS_MS * 1e-3 * c->ti->hz;
    c->rng = 0x9e3779b97f4a7c15u;
    c->state.version = BTK_STATE_VERSION;
    c->state.param = inst->has_param ? inst->param : 0;
    c->state.priv = &c->priv;
    c->priv.inst = inst;
    c->threads = btk_sampler__threads(inst);
    c->per_call = inst->opts->version >= 2 && inst->opts->per_call;
}

unsigned btk_sampler__threads(const btk_instance *inst)
{
    unsigned t = inst->threads > 0                ? inst->threads
                 : inst->opts->version >= 2 ? inst->opts->threads
                                            : 1;

    return t > 0 ? t : 1;
}

int btk_sampler_run(btk_proc_result *out, const btk_instance *inst,
                    const btk_run_options *opts)
{
    int index, pid, cpu, error;
    run_ctx c;

    if (out == NULL || inst == NULL || inst->fn == NULL || opts == NULL)
        return btk_error_set(BTK_EINVAL, "cannot sample: missing benchmark or options");
    if ((error = btk_timer_init()) < 0)
        return error;
    index = out->index, pid = out->pid, cpu = out->cpu;
    memset(out, 0, sizeof(*out));
    out->index = index, out->pid = pid, out->cpu = cpu;
    init_ctx(&c, inst, opts);
    if (inst->opts->setup != NULL)
        c.state.fixture = inst->opts->setup(c.state.param);
    error = btk_team__start(&c.team, inst, c.threads, c.state.fixture, c.state.param,
                            opts->thread_cpus, opts->thread_cpu_count);
    if (error == 0)
        error = measure(&c, out);
    btk_team__stop(c.team);
    btk__free(c.calls);
    out->threads = c.threads;
    if (inst->opts->teardown != NULL)
        inst->opts->teardown(c.state.fixture, c.state.param);
    if (error < 0) {
        free_samples(out);
        btk__free(out->calls);
        out->calls = NULL;
        out->call_count = 0;
    }
    return error;
}

int btk_sampler__count_named(btk_memtrack_counts *out, uint64_t *iterations_out,
                             const char *name, uint64_t batch)
{
    static const btk_timer_info no_timer; /* nothing is subtracted: only counts matter */
    btk_instance *v = NULL;
    size_t n = 0, i;
    double ticks;
    char q[96];
    run_ctx c;
    int error;

    if ((error = btk_registry_instances(&v, &n, NULL)) < 0)
        return error;
    for (i = 0; i < n && strcmp(v[i].name, name) != 0; i++)
        ;
    if (i == n) {
        btk__free(v);
        return btk_error_set(BTK_ENOTFOUND, "no benchmark named '%s'",
                             btk_error_quote(q, sizeof(q), name));
    }
    memset(&c, 0, sizeof(c));
    c.inst = &v[i];
    c.ti = &no_timer;
    c.state.version = BTK_STATE_VERSION;
    c.state.param = v[i].has_param ? v[i].param : 0;
    c.state.priv = &c.priv;
    c.priv.inst = &v[i];
    if (v[i].opts->setup != NULL)
        c.state.fixture = v[i].opts->setup(c.state.param);
    error = btk_team__start(&c.team, &v[i], btk_sampler__threads(&v[i]), c.state.fixture,
                            c.state.param, NULL, 0);
    c.priv.memtrack = true; /* every thread counts its own allocations */
    if (error == 0)
        error = call_once(&c, batch, &ticks);
    c.priv.memtrack = false;
    btk_team__stop(c.team);
    *out = c.last.mem;
    *iterations_out = c.priv.iterations;
    if (v[i].opts->teardown != NULL)
        v[i].opts->teardown(c.state.fixture, c.state.param);
    btk__free(v);
    return error;
}
