/*
 * btk_compare_runs: gathers each benchmark's samples per side (runs pooled by process),
 * picks the independent unit (processes when both sides have enough, else samples), runs
 * the rank test and the bootstrap, adjusts p values across the suite (Benjamini-Hochberg,
 * leaving out benchmarks whose test cannot reach alpha at all: Tarone 1990), folds the
 * run-to-run noise into the CI and p when the sides were recorded at different times
 * (docs/statistics.md §8), tests peak RSS per process, checks budgets and hands each
 * benchmark to the verdict rules.
 */
#include "compare.h"
#include "stats.h"

#include "changepoint.h"
#include "config.h"
#include "countcmp.h"
#include "runnoise.h"
#include "significance.h"
#include "verdict.h"

#include <math.h>
#include <pthread.h>
#include <unistd.h>

/* One benchmark's data on one side, pooled over that side's runs. */
typedef struct side {
    size_t present, ok, failed;   /* results found, ok, failed */
    const char *error;            /* first failure message */
    const btk_result *first_ok;   /* for summary fallbacks */
    size_t procs, samples;        /* processes with samples; samples over them */
    size_t aside;                 /* processes with samples a run set aside (shared core) */
    size_t ratio_kept, shared_kept; /* of procs: with a branch ratio; at the shared level */
    double *proc_medians, *all;   /* [procs], [samples] */
    size_t *proc_len;             /* [procs]: samples of each process, in order in all[] */
    double allocs, bytes;         /* mean over tracked results, NAN when none */
    int64_t peak_rss;             /* max, -1 when unknown */
    size_t rss_count;             /* processes with a peak RSS */
    double *rss;                  /* [rss_count] their peak RSS, bytes */
    bool invalid;                 /* some sample is not finite or is negative */
    btk_compare_metric metric;    /* the figure compared (processes without it left out) */
    double within;                /* median over processes of the robust SD of the logs of
                                   * a process's samples (side_within); NAN: not computed */
} side;

static void side_free(side *s)
{
    btk__free(s->proc_medians);
    btk__free(s->proc_len);
    btk__free(s->all);
    btk__free(s->rss);
}

/* Count results and sizes, and fold the memory figures. */
static void side_scan(side *s, const btk_run *const *runs, size_t count, const char *name,
                      btk_compare_metric metric)
{
    size_t tracked = 0;

    memset(s, 0, sizeof(*s));
    s->metric = metric;
    s->allocs = s->bytes = 0;
    s->peak_rss = -1;
    for (size_t r = 0; r < count; r++) {
        const btk_result *res = btk_run_find(runs[r], name);

        if (res == NULL)
            continue;
        s->present++;
        if (res->status != BTK_RESULT_OK) {
            s->failed++;
            s->error = s->error ? s->error : res->error_message;
            continue;
        }
        s->ok++;
        s->first_ok = s->first_ok ? s->first_ok : res;
        for (size_t p = 0; p < res->proc_count; p++) {
            bool has = res->procs[p].count > 0 && btk_proc_has_metric(&res->procs[p], metric);

            s->procs += has;
            s->aside += res->procs[p].count > 0 && res->procs[p].aside;
            s->ratio_kept += has && res->procs[p].branch_ratio > 0;
            s->shared_kept += has && res->procs[p].branch_ratio >= BTK_STATS_SHARED_RATIO;
            s->samples += has ? res->procs[p].count : 0;
            s->rss_count += res->procs[p].peak_rss_bytes >= 0;
            if (res->procs[p].peak_rss_bytes > s->peak_rss)
                s->peak_rss = res->procs[p].peak_rss_bytes;
        }
        if (res->memory.peak_rss_bytes > s->peak_rss)
            s->peak_rss = res->memory.peak_rss_bytes;
        if (res->memory.tracked && !isnan(res->memory.allocs_per_iter)) {
            tracked++;
            s->allocs += res->memory.allocs_per_iter;
            s->bytes += res->memory.bytes_per_iter;
        }
    }
    s->allocs = tracked ? s->allocs / (double)tracked : NAN;
    s->bytes = tracked ? s->bytes / (double)tracked : NAN;
}

/* Copy the ok results' samples into all[], process after process (side_medians computes
 * the processes' medians later, on the statistics threads). */
static int side_fill(side *s, const btk_run *const *runs, size_t count, const char *name)
{
    size_t np = 0, ns = 0;

    s->proc_medians = btk__malloc((s->procs ? s->procs : 1) * sizeof(double));
    s->proc_len = btk__malloc((s->procs ? s->procs : 1) * sizeof(size_t));
    s->all = btk__malloc((s->samples ? s->samples : 1) * sizeof(double));
    s->rss = btk__malloc((s->rss_count ? s->rss_count : 1) * sizeof(double));
    if (s->proc_medians == NULL || s->proc_len == NULL || s->all == NULL || s->rss == NULL)
        return BTK_ENOMEM;
    s->rss_count = 0;
    for (size_t r = 0; r < count; r++) {
        const btk_result *res = btk_run_find(runs[r], name);

        for (size_t p = 0; res && res->status == BTK_RESULT_OK && p < res->proc_count; p++) {
            const btk_proc *proc = &res->procs[p];

            if (proc->peak_rss_bytes >= 0)
                s->rss[s->rss_count++] = (double)proc->peak_rss_bytes;
            if (proc->count == 0 || !btk_proc_has_metric(proc, s->metric))
                continue;
            s->proc_len[np++] = proc->count;
            btk_proc_metric_values(s->all + ns, proc, s->metric);
            ns += proc->count;
        }
    }
    for (size_t i = 0; i < ns; i++)
        if (!isfinite(s->all[i]) || s->all[i] < 0)
            s->invalid = true;
    if (s->rss_count > 0) /* the typical process, not the largest one */
        s->peak_rss = (int64_t)llround(btk_stats_median_inplace(s->rss, s->rss_count));
    return 0;
}

/* Type-7 quantile q of the logs of v[0..n), reordering v: the logarithm is monotone, so
 * only the two order statistics it lies between need one. */
static double log_quantile(double *v, size_t n, double q)
{
    double lo, hi, w;

    btk_stats_quantile_pair(v, n, q, &lo, &hi, &w);
    return log(lo) + w * (log(hi) - log(lo));
}

/* The spread of the logs of v[0..n): their interquartile range (type 7) / 1.349, a
 * standard deviation for normal data. For auto's choice (over process medians) and the
 * spread guard (over a process's samples). Unlike the median absolute deviation it sees
 * two clusters (processes at one clock, the rest at another) as the spread they give the
 * median. NAN when n < 2 or a value is not finite and positive. */
static double log_iqr(const double *v, size_t n, double *scratch)
{
    double q3;

    if (n < 2)
        return NAN;
    for (size_t i = 0; i < n; i++) {
        if (!(v[i] > 0 && isfinite(v[i])))
            return NAN;
        scratch[i] = v[i];
    }
    q3 = log_quantile(scratch, n, 0.75);
    return (q3 - log_quantile(scratch, n, 0.25)) / 1.349;
}

/* The spread of a side's samples within a process: for each process with at least
 * BTK_COMPARE_WITHIN_MIN_SAMPLES positive finite samples the log_iqr of those, and the
 * median of that over the processes; NAN when none has enough. Reads all[] before
 * side_medians reorders its blocks. */
static int side_within(side *s)
{
    size_t at = 0, k = 0, longest = 0;
    double *v, *logs, *per;

    s->within = NAN;
    for (size_t p = 0; p < s->procs; p++)
        longest = s->proc_len[p] > longest ? s->proc_len[p] : longest;
    if (longest < BTK_COMPARE_WITHIN_MIN_SAMPLES)
        return 0;
    v = btk__malloc(2 * longest * sizeof(*v));
    per = btk__malloc(s->procs * sizeof(*per));
    if (v == NULL || per == NULL) {
        btk__free(v);
        btk__free(per);
        return BTK_ENOMEM;
    }
    logs = v + longest;
    for (size_t p = 0; p < s->procs; at += s->proc_len[p], p++) {
        size_t n = 0;

        for (size_t i = 0; i < s->proc_len[p]; i++)
            if (s->all[at + i] > 0 && isfinite(s->all[at + i]))
                v[n++] = s->all[at + i];
        if (n < BTK_COMPARE_WITHIN_MIN_SAMPLES)
            continue;
        per[k++] = log_iqr(v, n, logs);
    }
    if (k > 0)
        s->within = btk_stats_median_inplace(per, k);
    btk__free(v);
    btk__free(per);
    return 0;
}

/* Each process's median, by selection inside its own block of all[] (which reorders the
 * block, not the pooled multiset). */
static void side_medians(side *s)
{
    size_t at = 0;

    for (size_t p = 0; p < s->procs; p++) {
        s->proc_medians[p] = btk_stats_median_inplace(s->all + at, s->proc_len[p]);
        at += s->proc_len[p];
    }
}

static uint64_t name_hash(const char *s)
{
    return btk__fnv1a(BTK_FNV1A_INIT, s, strlen(s)); /* FNV-1a */
}

/* ---- budgets ---- */

typedef struct budget_ctx {
    double values[BTK_METRIC_COUNT];
    btk_buf broken;
} budget_ctx;

/* The time metrics (the figures of btk_stats, which the budget metrics start with) of the
 * pooled samples, else of the first ok result's statistics. When that result's
 * percentiles are of single calls (per-call mode), p50 .. p999 are its own: samples are
 * means of calls and cannot give them. Budgets are in ns: with the cycles metric the
 * pooled values are cycles, so the first ok result's wall statistics are used. */
static int time_metrics(double *m, const side *s)
{
    const btk_stats *st = &s->first_ok->stats;
    btk_stats pooled;
    int error;

    if (s->samples > 0 && s->metric != BTK_COMPARE_CYCLES) {
        if ((error = btk_stats_summarize(&pooled, s->all, s->samples)) < 0)
            return error;
        if (s->first_ok->call_percentiles) {
            pooled.p50 = st->p50;
            pooled.p90 = st->p90;
            pooled.p95 = st->p95;
            pooled.p99 = st->p99;
            pooled.p999 = st->p999;
        }
        st = &pooled;
    }
    for (size_t i = 0; i < BTK_STATS_FIGURES; i++)
        m[i] = btk_stats_get(st, btk_stats_metric_at(i));
    return 0;
}

static void format_value(char *out, size_t len, btk_metric metric, double v)
{
    if ((size_t)metric < BTK_STATS_FIGURES)
        snprintf(out, len, "%.4gns", v);
    else if (metric == BTK_METRIC_BYTES || metric == BTK_METRIC_PEAK_RSS)
        snprintf(out, len, "%.0fB", v);
    else
        snprintf(out, len, "%.4g", v);
}

static int check_budget(const btk_budget *b, void *payload)
{
    budget_ctx *ctx = payload;
    double v = ctx->values[b->metric];
    char shown[48];

    if (btk_budget_holds(b, v))
        return 0;
    if (isnan(v))
        snprintf(shown, sizeof(shown), "unknown");
    else
        format_value(shown, sizeof(shown), b->metric, v);
    return btk_buf_printf(&ctx->broken, "%s%s (is %s)", ctx->broken.len ? "; " : "", b->text,
                          shown);
}

/* The broken budgets of the contender side as one string (NULL: all hold or none). */
static int budgets_check(char **out, const btk_config *config, const char *name, side *s)
{
    budget_ctx ctx = {{0}, BTK_BUF_INIT};
    int error;

    *out = NULL;
    if (config == NULL || s->first_ok == NULL)
        return 0;
    if ((error = time_metrics(ctx.values, s)) < 0)
        return error;
    ctx.values[BTK_METRIC_ALLOCS] = s->allocs;
    ctx.values[BTK_METRIC_FREES] =
        s->first_ok->memory.tracked ? s->first_ok->memory.frees_per_iter : NAN;
    ctx.values[BTK_METRIC_BYTES] = s->bytes;
    ctx.values[BTK_METRIC_PEAK_RSS] = s->peak_rss >= 0 ? (double)s->peak_rss : NAN;
    error = btk_config_foreach_budget(config, name, check_budget, &ctx);
    if (error < 0) {
        btk_buf_free(&ctx.broken);
        return error;
    }
    if (ctx.broken.len)
        *out = btk_buf_detach(&ctx.broken);
    btk_buf_free(&ctx.broken);
    return 0;
}

/* ---- per benchmark ---- */

typedef struct bench_work {
    side base, now;
    char *budget_broken;
    bool testable;         /* rank test can reach alpha: counted by BH */
    btk_runnoise noise;    /* run-to-run noise, when the sides were recorded apart */
    btk_compare_metric metric; /* the figure compared: opts->metric, or auto's choice */
    double hist_level, base_level, now_level; /* log levels for the base guard; NAN */
} bench_work;

/* A spread of the logs of v[0..n) (scratch: n doubles); NAN when it has none. */
typedef double (*log_spread_fn)(const double *v, size_t n, double *scratch);

/* The spread of both sides' values, pooled: the root mean square of the two sides'. */
static int pooled_spread(double *out, log_spread_fn spread, const double *a, size_t n,
                         const double *b, size_t m)
{
    double *scratch = btk__malloc((n > m ? n : m) * sizeof(double) + sizeof(double));
    double sa, sb;

    if (scratch == NULL)
        return BTK_ENOMEM;
    sa = spread(a, n, scratch);
    sb = spread(b, m, scratch);
    *out = sqrt((sa * sa + sb * sb) / 2);
    btk__free(scratch);
    return 0;
}

/* The pooled robust spread (btk_sig_log_spread) of the log unit values of both sides (NAN
 * when a side has < 2). */
static int unit_spread(double *out, const double *a, size_t n, const double *b, size_t m)
{
    return pooled_spread(out, btk_sig_log_spread, a, n, b, m);
}

/* Resamples of the peak-RSS bootstrap: a quarter of the time CI's (at least 100). Its CI
 * is held against a band of 10 % or more, where the Monte Carlo error of 500 resamples
 * does not matter, and it would otherwise double the cost of a compare. */
static unsigned rss_resamples(unsigned resamples)
{
    return resamples / 4 > 100 ? resamples / 4 : 100;
}

/* Peak RSS per process: rank test and bootstrap CI of the ratio of medians, when both
 * sides have enough processes with a figure (else the rss_* stay NAN: not tested). */
static int rss_stats(btk_verdict *v, bench_work *w, const btk_compare_options *o)
{
    btk_ratio_ci ci;
    btk_mwu mwu;
    int error;

    v->rss_units_base = w->base.rss_count;
    v->rss_units_new = w->now.rss_count;
    if (w->base.rss_count < BTK_COMPARE_MIN_PROCESSES ||
        w->now.rss_count < BTK_COMPARE_MIN_PROCESSES)
        return 0;
    if ((error = btk_sig_mann_whitney(&mwu, w->base.rss, w->base.rss_count, w->now.rss,
                                      w->now.rss_count)) < 0 ||
        (error = btk_sig_ratio_ci(&ci, w->base.rss, w->base.rss_count, w->now.rss,
                                  w->now.rss_count, rss_resamples(o->resamples), o->ci_level,
                                  o->seed ^ name_hash(v->name) ^ 0x727373u)) < 0)
        return error;
    v->rss_p = mwu.p;
    v->rss_ratio = ci.ratio;
    v->rss_ci_low = ci.low;
    v->rss_ci_high = ci.high;
    return 0;
}

/* Statistics of one benchmark into v (p value, CI, medians, units); w holds the sides.
 * Samples that are not finite or negative, or a side whose median is 0, give no effect
 * (v->invalid) and leave the benchmark out of the FDR family. */
static int bench_stats(btk_verdict *v, bench_work *w, const btk_compare_options *o)
{
    /* A side recorded with enough processes keeps the process as its unit when some were
     * set aside (docs/timer.md#shared-core): pooling the rest's samples instead would
     * turn fewer independent units into more, and more confident, ones. */
    bool by_proc = (w->base.procs + w->base.aside >= BTK_COMPARE_MIN_PROCESSES &&
                    w->now.procs + w->now.aside >= BTK_COMPARE_MIN_PROCESSES &&
                    w->base.procs > 0 && w->now.procs > 0) ||
                   (o->process_units && w->base.procs > 0 && w->now.procs > 0);
    const double *a = by_proc ? w->base.proc_medians : w->base.all;
    const double *b = by_proc ? w->now.proc_medians : w->now.all;
    btk_ratio_ci ci;
    btk_mwu mwu;
    int error;

    v->unit = by_proc ? "processes" : "samples";
    v->units_base = by_proc ? w->base.procs : w->base.samples;
    v->units_new = by_proc ? w->now.procs : w->now.samples;
    if ((error = rss_stats(v, w, o)) < 0)
        return error;
    if (w->metric != BTK_COMPARE_WALL && w->base.ok && w->now.ok &&
        (v->units_base == 0 || v->units_new == 0)) {
        bool cpu = w->metric == BTK_COMPARE_CPU;

        v->invalid = v->units_base == 0
                         ? (cpu ? "no CPU time recorded on the base side"
                                : "no core clock (clock_ghz) recorded on the base side")
                         : (cpu ? "no CPU time recorded on the contender side"
                                : "no core clock (clock_ghz) recorded on the contender side");
        return 0;
    }
    if (v->units_base == 0 || v->units_new == 0 || w->base.ok == 0 || w->now.ok == 0)
        return 0;
    if (w->base.invalid || w->now.invalid) {
        v->invalid = "samples that are negative or not finite: no effect can be computed";
        return 0;
    }
    if ((error = btk_sig_mann_whitney(&mwu, a, v->units_base, b, v->units_new)) < 0 ||
        (error = btk_sig_ratio_ci(&ci, a, v->units_base, b, v->units_new, o->resamples,
                                  o->ci_level, o->seed ^ name_hash(v->name))) < 0 ||
        (error = unit_spread(&v->unit_spread, a, v->units_base, b, v->units_new)) < 0)
        return error;
    if (!(ci.ratio > 0 && isfinite(ci.ratio))) {
        v->invalid = "a median of 0 ns: the ratio is not defined";
        return 0;
    }
    if (by_proc &&
        (error = btk_sig_hl_ratio(&v->shift, a, v->units_base, b, v->units_new)) < 0)
        return error;
    v->p_value = mwu.p;
    v->ratio = ci.ratio;
    v->ci_low = ci.low;
    v->ci_high = ci.high;
    w->testable = btk_sig_min_p(v->units_base, v->units_new) <= o->alpha;
    return 0;
}

static void verdict_init(btk_verdict *v)
{
    memset(v, 0, sizeof(*v));
    v->base_median = v->new_median = v->ratio = v->ci_low = v->ci_high = v->shift = NAN;
    v->p_value = v->q_value = NAN;
    v->base_allocs = v->new_allocs = v->base_bytes = v->new_bytes = NAN;
    v->base_peak_rss = v->new_peak_rss = -1;
    v->rss_ratio = v->rss_ci_low = v->rss_ci_high = v->rss_p = NAN;
    v->rss_floor = BTK_CONFIG_RSS_FLOOR;
    v->unit_spread = v->run_noise = NAN;
}

/* The medians of one side's processes of benchmark name that have a core clock, by wall
 * time (wall) and by cycles (cyc), *n of them; both arrays allocated (free them). */
static int clocked_medians(double **wall, double **cyc, size_t *n, const btk_run *const *runs,
                           size_t count, const char *name)
{
    size_t procs = 0, longest = 1;
    double *tmp;

    *n = 0;
    for (size_t r = 0; r < count; r++) {
        const btk_result *res = btk_run_find(runs[r], name);

        for (size_t p = 0; res && res->status == BTK_RESULT_OK && p < res->proc_count; p++)
            if (res->procs[p].count > 0 &&
                btk_proc_has_metric(&res->procs[p], BTK_COMPARE_CYCLES)) {
                procs++;
                longest = res->procs[p].count > longest ? res->procs[p].count : longest;
            }
    }
    *wall = btk__malloc((procs ? procs : 1) * sizeof(double));
    *cyc = btk__malloc((procs ? procs : 1) * sizeof(double));
    tmp = btk__malloc(longest * sizeof(double));
    if (*wall == NULL || *cyc == NULL || tmp == NULL) {
        btk__free(tmp);
        return BTK_ENOMEM;
    }
    for (size_t r = 0; r < count; r++) {
        const btk_result *res = btk_run_find(runs[r], name);

        for (size_t p = 0; res && res->status == BTK_RESULT_OK && p < res->proc_count; p++) {
            const btk_proc *proc = &res->procs[p];

            if (proc->count == 0 || !btk_proc_has_metric(proc, BTK_COMPARE_CYCLES))
                continue;
            memcpy(tmp, proc->ns, proc->count * sizeof(double));
            (*wall)[*n] = btk_stats_median_inplace(tmp, proc->count);
            btk_proc_metric_values(tmp, proc, BTK_COMPARE_CYCLES);
            (*cyc)[(*n)++] = btk_stats_median_inplace(tmp, proc->count);
        }
    }
    btk__free(tmp);
    return 0;
}

/* --metric auto's choice for one benchmark (docs/statistics.md §12): cycles when both
 * sides have at least BTK_COMPARE_MIN_PROCESSES processes with a core clock and the
 * uncertainty of the effect by cycles is below BTK_COMPARE_AUTO_STEADIER times that by
 * wall time (the benchmark follows the clock, and the clock moved); else wall. The
 * uncertainty of metric m: e^2 = (pi/2) s^2 (1/b + 1/n) + 2 r^2, s the pooled spread of
 * the log process medians over those processes (log_iqr within each side, pooled), b and n
 * their counts, r the run-to-run noise learned by m when the sides were recorded apart (rw,
 * rc: NAN or 0 when not learned; both are dropped unless both are learned). Neither term
 * looks at the difference between the sides. */
static int auto_metric(btk_compare_metric *out, const btk_run *const *base, size_t nb,
                       const btk_run *const *now, size_t nn, const char *name, double rw,
                       double rc)
{
    double *bw = NULL, *bc = NULL, *nw = NULL, *nc = NULL, sw = NAN, sc = NAN;
    double units, ew, ec;
    size_t b = 0, n = 0;
    int error;

    *out = BTK_COMPARE_WALL;
    if ((error = clocked_medians(&bw, &bc, &b, base, nb, name)) == 0 &&
        (error = clocked_medians(&nw, &nc, &n, now, nn, name)) == 0 &&
        b >= BTK_COMPARE_MIN_PROCESSES && n >= BTK_COMPARE_MIN_PROCESSES &&
        (error = pooled_spread(&sw, log_iqr, bw, b, nw, n)) == 0 &&
        (error = pooled_spread(&sc, log_iqr, bc, b, nc, n)) == 0 && isfinite(sw) &&
        isfinite(sc)) {
        if (!(rw > 0) || !(rc > 0)) /* learned by one metric only: compare like with like */
            rw = rc = 0;
        units = 1.5708 * (1.0 / (double)b + 1.0 / (double)n);
        ew = sqrt(units * sw * sw + 2 * rw * rw);
        ec = sqrt(units * sc * sc + 2 * rc * rc);
        if (ec < BTK_COMPARE_AUTO_STEADIER * ew)
            *out = BTK_COMPARE_CYCLES;
    }
    btk__free(bw);
    btk__free(bc);
    btk__free(nw);
    btk__free(nc);
    return error;
}

/* Gather both sides of one benchmark. */
static int bench_gather(btk_verdict *v, bench_work *w, const btk_run *const *base,
                        size_t nb, const btk_run *const *now, size_t nn,
                        const btk_compare_options *o)
{
    bool by_auto = o->metric == BTK_COMPARE_AUTO;
    btk_runnoise by_cycles = {NAN, 0, 0, NULL};
    int error;

    /* the run-to-run noise of the metric compared; by auto, of wall time and of cycles, for
     * the choice and then the chosen one */
    w->metric = by_auto ? BTK_COMPARE_WALL : o->metric;
    if (o->separate &&
        ((error = btk_runnoise_learn(&w->noise, o->history, o->history_count, base, nb, now,
                                     nn, v->name, w->metric)) < 0 ||
         (by_auto && (error = btk_runnoise_learn(&by_cycles, o->history, o->history_count,
                                                 base, nb, now, nn, v->name,
                                                 BTK_COMPARE_CYCLES)) < 0)))
        return error;
    if (by_auto) {
        if ((error = auto_metric(&w->metric, base, nb, now, nn, v->name,
                                 o->separate ? w->noise.sd : 0, by_cycles.sd)) < 0)
            return error;
        if (w->metric == BTK_COMPARE_CYCLES)
            w->noise = by_cycles;
    }
    v->metric = btk_compare_metric_name(w->metric);
    w->hist_level = w->base_level = w->now_level = NAN;
    if (o->separate)
        btk_runnoise_levels(&w->hist_level, &w->base_level, &w->now_level, o->history,
                            o->history_count, base, nb, now, nn, v->name, w->metric);
    side_scan(&w->base, base, nb, v->name, w->metric);
    side_scan(&w->now, now, nn, v->name, w->metric);
    if ((error = side_fill(&w->base, base, nb, v->name)) < 0 ||
        (error = side_fill(&w->now, now, nn, v->name)) < 0)
        return error;
    v->noise_band = btk_config_noise_band(o->config, v->name, o->noise_band);
    v->base_allocs = w->base.allocs;
    v->new_allocs = w->now.allocs;
    v->base_bytes = w->base.bytes;
    v->new_bytes = w->now.bytes;
    v->base_peak_rss = w->base.peak_rss;
    v->new_peak_rss = w->now.peak_rss;
    return 0;
}

/* The statistics of one benchmark: touches only v and w, so benchmarks can be computed on
 * several threads (the bootstrap is seeded per benchmark: the result does not depend on
 * which thread or in which order). */
static int bench_compute(btk_verdict *v, bench_work *w, const btk_compare_options *o)
{
    int error;

    if (o->separate &&
        ((error = side_within(&w->base)) < 0 || (error = side_within(&w->now)) < 0))
        return error;
    side_medians(&w->base);
    side_medians(&w->now);
    if ((error = bench_stats(v, w, o)) < 0)
        return error;
    if (o->separate && isnan(w->noise.sd) && isfinite(v->unit_spread)) {
        /* nothing to learn from: a stand-in, max(2 x process spread, 5 %) (§8) */
        w->noise.sd = fmax(2 * v->unit_spread, BTK_COMPARE_STANDIN_RUN_NOISE);
        w->noise.df = INFINITY;
        w->noise.source = "stand-in";
    } else if (o->separate && w->noise.runs == 0 && isfinite(v->unit_spread)) {
        /* Learned from the sides' own runs only: a side's runs are mostly recorded
         * together, so their spread cannot see what moved between the two recordings
         * (an A/A pair 3 + 3 runs apart read +8 % "regressed" on a clean CI machine). The
         * stand-in is the least it may be (§8). */
        w->noise.sd = fmax(w->noise.sd, fmax(2 * v->unit_spread,
                                             BTK_COMPARE_STANDIN_RUN_NOISE));
    }
    if (o->separate)
        btk_runnoise_apply(v, &w->noise, w->base.ok, w->now.ok, o->ci_level);
    /* medians of the units */
    if (v->units_base && w->base.ok)
        v->base_median = btk_stats_median_inplace(
            v->unit[0] == 'p' ? w->base.proc_medians : w->base.all, v->units_base);
    if (v->units_new && w->now.ok)
        v->new_median = btk_stats_median_inplace(
            v->unit[0] == 'p' ? w->now.proc_medians : w->now.all, v->units_new);
    return 0;
}

/* ---- bench_compute over the suite, on one or more threads ---- */

typedef struct compute_job {
    btk_comparison *cmp;
    bench_work *work;
    const btk_compare_options *opts;
    size_t first, stride;
    int error;             /* the first error of this thread, 0 when none */
    char message[512];     /* its message (errors are per thread) */
} compute_job;

static void *compute_range(void *arg)
{
    compute_job *job = arg;

    for (size_t i = job->first; i < job->cmp->count && job->error == 0; i += job->stride) {
        job->error = bench_compute(&job->cmp->items[i], &job->work[i], job->opts);
        if (job->error < 0)
            snprintf(job->message, sizeof(job->message), "%s", btk_error_last()->message);
    }
    return NULL;
}

static unsigned thread_count(size_t benchmarks, unsigned asked)
{
    long cpus;

    if (asked)
        return asked > 64 ? 64 : asked;
    if (benchmarks < BTK_COMPARE_THREAD_MIN)
        return 1;
    cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 1 ? 1 : cpus > 8 ? 8 : (unsigned)cpus;
}

static int compute_all(btk_comparison *cmp, bench_work *work, const btk_compare_options *o)
{
    unsigned n = thread_count(cmp->count, o->threads);
    compute_job jobs[64];
    pthread_t tids[64];
    bool launched[64] = {false};

    for (unsigned t = 0; t < n; t++)
        jobs[t] = (compute_job){cmp, work, o, t, n, 0, ""};
    for (unsigned t = 1; t < n; t++)
        launched[t] = pthread_create(&tids[t], NULL, compute_range, &jobs[t]) == 0;
    /* share 0, and the share of any thread that could not start, run here */
    for (unsigned t = 0; t < n; t++)
        if (!launched[t])
            compute_range(&jobs[t]);
    for (unsigned t = 1; t < n; t++)
        if (launched[t])
            pthread_join(tids[t], NULL);
    for (unsigned t = 0; t < n; t++)
        if (jobs[t].error < 0)
            return btk_error_set(jobs[t].error, "%s", jobs[t].message);
    return 0;
}

static int bench_decide(btk_verdict *v, bench_work *w, const btk_compare_options *o)
{
    btk_verdict_facts facts = {w->base.present > 0, w->now.present > 0,
                               w->base.present > 0 && w->base.ok == 0, w->now.failed > 0,
                               w->now.error, w->budget_broken};
    btk_verdict_rules rules = {o->alpha, btk_config_max_regression(o->config, v->name),
                               btk_config_rss_tolerance(o->config, v->name),
                               BTK_CONFIG_ALLOC_TOLERANCE, o->ci_level};

    return btk_verdict_decide(v, &facts, &rules);
}

/* ---- the suite ---- */

static int cmp_str(const void *pa, const void *pb)
{
    return strcmp(*(char *const *)pa, *(char *const *)pb);
}

int btk_compare__names(const char ***out, size_t *count_out, const btk_run *const *base,
                       size_t nb, const btk_run *const *now, size_t nn)
{
    size_t total = 0, k = 0;
    const char **names;

    for (size_t r = 0; r < nb + nn; r++)
        total += (r < nb ? base[r] : now[r - nb])->result_count;
    if ((names = btk__malloc((total ? total : 1) * sizeof(*names))) == NULL)
        return BTK_ENOMEM;
    for (size_t r = 0; r < nb + nn; r++) {
        const btk_run *run = r < nb ? base[r] : now[r - nb];

        for (size_t i = 0; i < run->result_count; i++)
            if (run->results[i].name)
                names[k++] = run->results[i].name;
    }
    qsort(names, k, sizeof(*names), cmp_str);
    *count_out = 0;
    for (size_t i = 0; i < k; i++)
        if (*count_out == 0 || strcmp(names[*count_out - 1], names[i]) != 0)
            names[(*count_out)++] = names[i];
    *out = names;
    return 0;
}

void btk_compare__recount(btk_comparison *cmp)
{
    cmp->regressions = cmp->improvements = 0;
    for (size_t i = 0; i < cmp->count; i++) {
        btk_verdict_kind k = cmp->items[i].kind;

        cmp->regressions += k == BTK_VERDICT_REGRESSED || k == BTK_VERDICT_BUDGET ||
                            k == BTK_VERDICT_FAILED;
        cmp->improvements += k == BTK_VERDICT_IMPROVED;
    }
}

static int cmp_verdict(const void *pa, const void *pb)
{
    const btk_verdict *a = pa, *b = pb;

    if (a->kind != b->kind)
        return (a->kind > b->kind) - (a->kind < b->kind);
    return strcmp(a->name, b->name);
}

/* BH over the testable benchmarks; q stays NAN for the others. */
static int adjust_all(btk_comparison *cmp, bench_work *work)
{
    double *p = btk__malloc((cmp->count ? cmp->count : 1) * sizeof(double));
    double *q = btk__malloc((cmp->count ? cmp->count : 1) * sizeof(double));
    int error = BTK_ENOMEM;

    if (p && q) {
        for (size_t i = 0; i < cmp->count; i++)
            p[i] = work[i].testable ? cmp->items[i].p_value : NAN;
        if ((error = btk_sig_bh_adjust(q, p, cmp->count)) == 0)
            for (size_t i = 0; i < cmp->count; i++)
                cmp->items[i].q_value = q[i];
    }
    btk__free(p);
    btk__free(q);
    return error;
}

/* Compared by cycles (or auto), the clock estimate must be borne out when the sides'
 * clocks differ by more than BTK_COMPARE_CLOCK_GUARD (or the noise band, when wider:
 * docs/statistics.md §12): a real clock change leaves a CPU-bound benchmark's cycles where
 * they were (its wall time moved with the clock), so the cycle CI of some benchmark
 * compared by cycles must lie within max(its band, a quarter of the clock change) of no
 * change. When none does, either the estimate is wrong (it once read 25 % low for a whole
 * side while the wall times stayed put) or no such benchmark is CPU-bound: every time
 * figure by cycles is then left undecided (inconclusive, the reason says why) and
 * cmp->clock_untrusted is set. */
static void clock_guard(btk_comparison *cmp, const bench_work *work,
                        const btk_compare_options *o)
{
    bool by_cycles = false;
    double d;

    if ((o->metric != BTK_COMPARE_CYCLES && o->metric != BTK_COMPARE_AUTO) ||
        !(cmp->clock_base > 0) || !(cmp->clock_new > 0))
        return;
    d = fabs(log(cmp->clock_new / cmp->clock_base));
    if (!(d > fmax(o->noise_band, BTK_COMPARE_CLOCK_GUARD)))
        return;
    for (size_t i = 0; i < cmp->count; i++) {
        const btk_verdict *v = &cmp->items[i];
        double tol = fmax(v->noise_band, d / 4);

        if (work[i].metric != BTK_COMPARE_CYCLES)
            continue;
        by_cycles = true;
        if (v->invalid == NULL && v->ci_low > 0 && isfinite(v->ci_high) &&
            log(v->ci_low) >= -tol && log(v->ci_high) <= tol)
            return;
    }
    if (!by_cycles) /* auto chose wall time everywhere: nothing rests on the clock */
        return;
    cmp->clock_untrusted = true;
    for (size_t i = 0; i < cmp->count; i++)
        if (cmp->items[i].invalid == NULL && work[i].metric == BTK_COMPARE_CYCLES)
            cmp->items[i].invalid = BTK_COMPARE_CLOCK_UNTRUSTED;
}

/* Whether at least half of a side's compared processes with a reading ran on a shared
 * core: its figure is then of that state (the harness's shared-core rule). */
static bool side_shared(const side *s)
{
    return s->ratio_kept > 0 && 2 * s->shared_kept >= s->ratio_kept;
}

/* The core-state guard (docs/timer.md#shared-core): a benchmark whose processes some run
 * of either side set aside is moved by a shared core; when one side's figure is of that
 * state and the other's is not, their difference may be the machine's, and the time
 * verdict is left undecided (inconclusive, the reason says why). */
static void state_guard(btk_comparison *cmp, const bench_work *work)
{
    for (size_t i = 0; i < cmp->count; i++) {
        const side *b = &work[i].base, *n = &work[i].now;

        if (cmp->items[i].invalid != NULL || b->aside + n->aside == 0 ||
            side_shared(b) == side_shared(n))
            continue;
        cmp->items[i].invalid = side_shared(b) ? BTK_COMPARE_STATES_BASE_SHARED
                                               : BTK_COMPARE_STATES_NEW_SHARED;
        cmp->items[i].guarded = true;
    }
}

/* The two-level guard: a benchmark whose processes run at two levels of their own (on
 * both sides some processes at each: btk_stats_two_levels on the two sides' process
 * medians together) reads a run's median at whichever level most of its processes took;
 * when the two sides' medians lie at different levels, their difference is the mix of
 * levels, not a change of either, and the time verdict is left undecided. */
static int level_guard(btk_comparison *cmp, const bench_work *work)
{
    for (size_t i = 0; i < cmp->count; i++) {
        btk_verdict *v = &cmp->items[i];
        const side *b = &work[i].base, *n = &work[i].now;
        size_t m = b->procs + n->procs, low_n = 0, at[2][2] = {{0, 0}, {0, 0}};
        double *u, low, high, cut;

        if (v->invalid != NULL || v->unit == NULL || v->unit[0] != 'p' || b->procs == 0 ||
            n->procs == 0 || !(v->base_median > 0) || !(v->new_median > 0))
            continue;
        if ((u = btk__malloc(m * sizeof(*u))) == NULL)
            return BTK_ENOMEM;
        memcpy(u, b->proc_medians, b->procs * sizeof(*u));
        memcpy(u + b->procs, n->proc_medians, n->procs * sizeof(*u));
        if (!btk_stats_two_levels(u, m, &low_n, &low, &high)) {
            btk__free(u);
            continue;
        }
        cut = sqrt(u[low_n - 1] * u[low_n]); /* u is sorted: the levels meet here */
        btk__free(u);
        for (size_t k = 0; k < b->procs; k++)
            at[0][b->proc_medians[k] > cut]++;
        for (size_t k = 0; k < n->procs; k++)
            at[1][n->proc_medians[k] > cut]++;
        if (at[0][0] && at[0][1] && at[1][0] && at[1][1] &&
            (v->base_median > cut) != (v->new_median > cut)) {
            v->invalid = BTK_COMPARE_LEVELS_MIXED;
            v->guarded = true;
        }
    }
    return 0;
}

/* The spread guard, for sides recorded at different times (docs/statistics.md §8): a
 * benchmark whose samples spread within a process more than BTK_COMPARE_WITHIN_RATIO times
 * as much on one side as on the other (each spread taken as at least
 * BTK_COMPARE_WITHIN_FLOOR) ran in a different state of the machine or of the benchmark
 * on the two recordings, and the difference of their levels may be that state's: the time
 * verdict is left undecided. A change of the code moves the level and leaves the spread
 * of a process's samples relative to it where it was; interleaved sides (ab) see the same
 * states, so only separate recordings are guarded. */
static void spread_guard(btk_comparison *cmp, const bench_work *work,
                         const btk_compare_options *o)
{
    for (size_t i = 0; i < cmp->count && o->separate; i++) {
        btk_verdict *v = &cmp->items[i];
        double b = work[i].base.within, n = work[i].now.within, r;

        if (v->invalid != NULL || v->has_count || !isfinite(b) || !isfinite(n))
            continue;
        r = fmax(b, BTK_COMPARE_WITHIN_FLOOR) / fmax(n, BTK_COMPARE_WITHIN_FLOOR);
        if (r > BTK_COMPARE_WITHIN_RATIO || r < 1 / BTK_COMPARE_WITHIN_RATIO) {
            v->invalid = BTK_COMPARE_SPREAD_DIFFERS;
            v->guarded = true;
        }
    }
}

/* The base guard, for sides recorded at different times with a stored history (docs/
 * statistics.md §8): when the base's runs lie more than BTK_COMPARE_BASE_OFF run-to-run
 * SDs (and more than the noise band) off the median level of the newest stored runs that
 * are not the base's, and the contender's within BTK_COMPARE_BASE_OFF SDs of it, the
 * difference between the sides is the base recording's departure from what the store
 * holds, and the time verdict is left undecided. A change of the contender leaves the
 * base on its history and is decided as usual. */
static void base_guard(btk_comparison *cmp, const bench_work *work,
                       const btk_compare_options *o)
{
    for (size_t i = 0; i < cmp->count && o->separate; i++) {
        btk_verdict *v = &cmp->items[i];
        const bench_work *w = &work[i];
        double off, lim = BTK_COMPARE_BASE_OFF * w->noise.sd;

        if (v->invalid != NULL || v->has_count || w->noise.runs < BTK_COMPARE_MIN_HISTORY ||
            !(lim > 0) || !isfinite(w->hist_level) || !isfinite(w->base_level) ||
            !isfinite(w->now_level))
            continue;
        off = fabs(w->base_level - w->hist_level);
        if (off > lim && off > log1p(v->noise_band) &&
            fabs(w->now_level - w->hist_level) <= lim) {
            v->invalid = BTK_COMPARE_BASE_ASTRAY;
            v->guarded = true;
        }
    }
}

static int compare_all(btk_comparison *cmp, bench_work *work, const char **names,
                       const btk_run *const *base, size_t nb, const btk_run *const *now,
                       size_t nn, const btk_compare_options *o)
{
    int error = 0;

    for (size_t i = 0; i < cmp->count && error == 0; i++) {
        verdict_init(&cmp->items[i]);
        if ((cmp->items[i].name = btk__strdup(names[i])) == NULL)
            return BTK_ENOMEM;
        error = bench_gather(&cmp->items[i], &work[i], base, nb, now, nn, o);
    }
    if (error == 0)
        error = compute_all(cmp, work, o);
    for (size_t i = 0; i < cmp->count && error == 0; i++)
        error = budgets_check(&work[i].budget_broken, o->config, cmp->items[i].name,
                              &work[i].now);
    if (error == 0)
        error = adjust_all(cmp, work);
    if (error == 0) {
        clock_guard(cmp, work, o);
        state_guard(cmp, work);
        error = level_guard(cmp, work);
        spread_guard(cmp, work, o);
        base_guard(cmp, work, o);
    }
    for (size_t i = 0; i < cmp->count && error == 0; i++)
        error = bench_decide(&cmp->items[i], &work[i], o);
    btk_compare__recount(cmp);
    return error;
}

static int compare_times_by(btk_comparison **out, const btk_run *const *base,
                            size_t base_count, const btk_run *const *contender,
                            size_t contender_count, const btk_compare_options *opts);

/* btk_compare_runs over runs of one kind: times (by opts->metric). By auto, a clock the
 * guard does not trust sends every benchmark back to wall time (the comparison stays
 * auto's, with clock_untrusted). */
static int compare_times(btk_comparison **out, const btk_run *const *base, size_t base_count,
                         const btk_run *const *contender, size_t contender_count,
                         const btk_compare_options *opts)
{
    btk_compare_options wall;
    int error = compare_times_by(out, base, base_count, contender, contender_count, opts);

    if (error < 0 || opts->metric != BTK_COMPARE_AUTO || !(*out)->clock_untrusted)
        return error;
    btk_comparison_free(*out);
    wall = *opts;
    wall.metric = BTK_COMPARE_WALL;
    if ((error = compare_times_by(out, base, base_count, contender, contender_count, &wall)) ==
        0) {
        (*out)->metric = BTK_COMPARE_AUTO;
        (*out)->clock_untrusted = true;
    }
    return error;
}

static int compare_times_by(btk_comparison **out, const btk_run *const *base,
                            size_t base_count, const btk_run *const *contender,
                            size_t contender_count, const btk_compare_options *opts)
{
    const char **names = NULL;
    bench_work *work = NULL;
    btk_comparison *cmp;
    size_t count = 0;
    int error;

    *out = NULL;
    if ((error = btk_compare__names(&names, &count, base, base_count, contender,
                               contender_count)) < 0)
        return error;
    cmp = btk__calloc(1, sizeof(*cmp));
    work = btk__calloc(count ? count : 1, sizeof(*work));
    if (cmp == NULL || work == NULL || (cmp->items = btk__calloc(count ? count : 1,
                                                                 sizeof(btk_verdict))) == NULL)
        error = BTK_ENOMEM;
    if (error == 0) {
        cmp->count = count;
        cmp->metric = opts->metric;
        if ((error = btk_runs_clock_median(&cmp->clock_base, base, base_count)) == 0 &&
            (error = btk_runs_clock_median(&cmp->clock_new, contender, contender_count)) == 0)
            error = compare_all(cmp, work, names, base, base_count, contender,
                                contender_count, opts);
    }
    for (size_t i = 0; work && i < count; i++) {
        side_free(&work[i].base);
        side_free(&work[i].now);
        btk__free(work[i].budget_broken);
    }
    btk__free(work);
    btk__free(names);
    if (error < 0) {
        btk_comparison_free(cmp);
        return error;
    }
    *out = cmp;
    return 0;
}

/* ---- time runs and counting runs ---- */

/* The runs of one side split into time runs and counting runs (pointer arrays, owned). */
typedef struct split {
    const btk_run **time, **count;
    size_t ntime, ncount;
} split;

static int split_runs(split *s, const btk_run *const *runs, size_t n)
{
    memset(s, 0, sizeof(*s));
    s->time = btk__malloc((n ? n : 1) * sizeof(*s->time));
    s->count = btk__malloc((n ? n : 1) * sizeof(*s->count));
    if (s->time == NULL || s->count == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (runs[i]->measure == BTK_MEASURE_KIND_TIME)
            s->time[s->ntime++] = runs[i];
        else
            s->count[s->ncount++] = runs[i];
    }
    return 0;
}

static void split_free(split *s)
{
    btk__free(s->time);
    btk__free(s->count);
}

/* Whether some time run of side s has the figure (has: btk_run_has_cpu or _clock). */
static bool side_has(const split *s, bool (*has)(const btk_run *))
{
    for (size_t i = 0; i < s->ntime; i++)
        if (has(s->time[i]))
            return true;
    return false;
}

/* --metric cpu needs CPU time in some time run of each side. */
static int check_cpu(const split *b, const split *n)
{
    bool base = side_has(b, btk_run_has_cpu), now = side_has(n, btk_run_has_cpu);

    if ((b->ntime && !base) || (n->ntime && !now))
        return btk_error_set(BTK_EINVAL, "no CPU time in the %s side's runs: they were "
                                         "recorded without it (--metric cpu needs "
                                         "cpu_samples, or Google Benchmark's cpu_time)",
                             b->ntime && !base ? "base" : "contender");
    return 0;
}

/* --metric cycles needs a core clock in some time run of each side; the message names the
 * side's first time run (by id when it is stored). */
static int check_clock(const split *b, const split *n)
{
    const split *sides[2] = {b, n};

    for (int k = 0; k < 2; k++) {
        const btk_run *run = sides[k]->ntime ? sides[k]->time[0] : NULL;

        if (run == NULL || side_has(sides[k], btk_run_has_clock))
            continue;
        if (run->id > 0)
            return btk_error_set(BTK_EINVAL, "--metric cycles needs clock_ghz: run #%" PRId64
                                 " (%s side) was recorded without it", run->id,
                                 k ? "contender" : "base");
        return btk_error_set(BTK_EINVAL, "--metric cycles needs clock_ghz: the %s side's "
                             "run was recorded without it", k ? "contender" : "base");
    }
    return 0;
}

/* Whether a comparison by wall time should note that the sides' median core clocks (set
 * by compare_times; NAN for counts alone) differ by more than BTK_COMPARE_CLOCK_NOTE. */
static void clock_note(btk_comparison *cmp, btk_compare_metric metric)
{
    cmp->metric = metric;
    cmp->clock_differs = (metric == BTK_COMPARE_WALL || metric == BTK_COMPARE_AUTO) &&
                         isfinite(cmp->clock_base) &&
                         isfinite(cmp->clock_new) &&
                         fabs(cmp->clock_new / cmp->clock_base - 1) > BTK_COMPARE_CLOCK_NOTE;
}

/* The stored history the run-to-run noise is learned from, without counting runs (their
 * figures are not times). */
static int time_history(btk_compare_options *o)
{
    const btk_run **h;
    size_t k = 0;

    if (o->history == NULL || o->history_count == 0)
        return 0;
    if ((h = btk__malloc(o->history_count * sizeof(*h))) == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < o->history_count; i++)
        if (o->history[i]->measure == BTK_MEASURE_KIND_TIME)
            h[k++] = o->history[i];
    o->history = h;
    o->history_count = k;
    return 0;
}

/* Which runs are compared how (docs/statistics.md §10): time runs by time when both sides
 * have some; counting runs by counts when both sides have some (one identity); both, then
 * merged. A side without runs gives new/missing verdicts by whichever kind the other has. */
static int compare_split(btk_comparison **out, const split *b, const split *n,
                         const btk_compare_options *o)
{
    bool has_time = b->ntime && n->ntime, has_count = b->ncount && n->ncount;
    bool no_side = (b->ntime + b->ncount) == 0 || (n->ntime + n->ncount) == 0;
    btk_comparison *counts = NULL;
    int error;

    *out = NULL;
    if (!has_time && !has_count && !no_side)
        return btk_error_set(BTK_EINVAL, "nothing to compare: the base side has only %s runs "
                                         "and the contender side only %s runs (time and "
                                         "counts are never compared with each other)",
                             b->ntime ? "time" : "counting", n->ntime ? "time" : "counting");
    if (has_count && (error = btk_countcmp_check(b->count, b->ncount, n->count,
                                                 n->ncount)) < 0)
        return error;
    if (!has_time && !(no_side && (b->ntime || n->ntime))) {
        if ((error = btk_countcmp_runs(out, b->count, b->ncount, n->count, n->ncount, o)) == 0)
            (*out)->clock_base = (*out)->clock_new = NAN; /* counts have no clock */
        return error;
    }
    error = compare_times(out, b->time, b->ntime, n->time, n->ntime, o);
    if (error < 0 || !has_count)
        return error;
    if ((error = btk_countcmp_runs(&counts, b->count, b->ncount, n->count, n->ncount, o)) ==
        0)
        error = btk_countcmp_merge(*out, counts);
    btk_comparison_free(counts);
    if (error < 0) {
        btk_comparison_free(*out);
        *out = NULL;
    }
    return error;
}

int btk_compare_runs(btk_comparison **out, const btk_run *const *base, size_t base_count,
                     const btk_run *const *contender, size_t contender_count,
                     const btk_compare_options *opts)
{
    btk_compare_options defaults = BTK_COMPARE_OPTIONS_INIT, o;
    split b = {NULL, NULL, 0, 0}, n = {NULL, NULL, 0, 0};
    int error;

    *out = NULL;
    o = opts ? *opts : defaults;
    if (!(o.alpha > 0 && o.alpha < 1) || o.resamples < 10 ||
        !(o.ci_level > 0 && o.ci_level < 1) || !(o.noise_band >= 0) ||
        (o.metric != BTK_COMPARE_WALL && o.metric != BTK_COMPARE_CPU &&
         o.metric != BTK_COMPARE_CYCLES && o.metric != BTK_COMPARE_AUTO))
        return btk_error_set(BTK_EINVAL, "invalid comparison options");
    if ((error = split_runs(&b, base, base_count)) == 0 &&
        (error = split_runs(&n, contender, contender_count)) == 0 &&
        (o.metric != BTK_COMPARE_CPU || (error = check_cpu(&b, &n)) == 0) &&
        (o.metric != BTK_COMPARE_CYCLES || (error = check_clock(&b, &n)) == 0) &&
        (error = time_history(&o)) == 0 && (error = compare_split(out, &b, &n, &o)) == 0)
        clock_note(*out, o.metric);
    if (opts && o.history != opts->history)
        btk__free((void *)o.history);
    split_free(&b);
    split_free(&n);
    if (error < 0)
        return error;
    qsort((*out)->items, (*out)->count, sizeof(btk_verdict), cmp_verdict);
    return 0;
}

/* What cmp's verdict v said before it was re-measured: "regressed +6.1 %". */
static int stored_reading(btk_buf *out, const btk_verdict *v)
{
    if (isfinite(v->ratio))
        return btk_buf_printf(out, "%s %+.1f %%", btk_verdict_name(v->kind),
                              (v->ratio - 1) * 100);
    return btk_buf_puts(out, btk_verdict_name(v->kind));
}

int btk_comparison_adopt(btk_comparison *cmp, btk_comparison *from, const char *how)
{
    char **reasons = btk__calloc(from->count ? from->count : 1, sizeof(char *));
    size_t *at = btk__calloc(from->count ? from->count : 1, sizeof(size_t));
    int error = reasons && at ? 0 : btk_error_set(BTK_ENOMEM, "out of memory");

    /* every new reason first, so that running out of memory leaves cmp as it was */
    for (size_t j = 0; j < from->count && error == 0; j++) {
        const btk_verdict *nv = &from->items[j];
        btk_buf b = BTK_BUF_INIT;

        at[j] = SIZE_MAX;
        for (size_t i = 0; i < cmp->count && at[j] == SIZE_MAX; i++)
            if (strcmp(cmp->items[i].name, nv->name) == 0)
                at[j] = i;
        if (at[j] == SIZE_MAX)
            continue;
        error = btk_buf_printf(&b, "re-measured (%s): %s", how,
                               nv->reason && nv->reason[0] ? nv->reason
                                                           : btk_verdict_name(nv->kind));
        error = error ? error : btk_buf_puts(&b, "; the stored runs read ");
        error = error ? error : stored_reading(&b, &cmp->items[at[j]]);
        if (error == 0 && (reasons[j] = btk_buf_detach(&b)) == NULL)
            error = btk_error_set(BTK_ENOMEM, "out of memory");
        btk_buf_free(&b);
    }
    for (size_t j = 0; j < from->count && error == 0; j++) {
        btk_verdict *old;

        if (at[j] == SIZE_MAX)
            continue;
        old = &cmp->items[at[j]];
        btk__free(old->name);
        btk__free(old->reason);
        btk__free(from->items[j].reason); /* its text is in reasons[j] */
        *old = from->items[j];
        old->reason = reasons[j];
        old->noise_source = "re-measured";
        reasons[j] = NULL;
        from->items[j].name = NULL; /* moved */
        from->items[j].reason = NULL;
    }
    if (error == 0) {
        size_t kept = 0;

        for (size_t j = 0; j < from->count; j++)
            if (from->items[j].name != NULL)
                from->items[kept++] = from->items[j];
        from->count = kept;
        btk_compare__recount(cmp);
        qsort(cmp->items, cmp->count, sizeof(btk_verdict), cmp_verdict);
    }
    for (size_t j = 0; reasons && j < from->count; j++)
        btk__free(reasons[j]);
    btk__free(reasons);
    btk__free(at);
    return error;
}

void btk_comparison_free(btk_comparison *cmp)
{
    if (cmp == NULL)
        return;
    for (size_t i = 0; cmp->items && i < cmp->count; i++) {
        btk__free(cmp->items[i].name);
        btk__free(cmp->items[i].reason);
    }
    btk__free(cmp->items);
    btk__free(cmp);
}
