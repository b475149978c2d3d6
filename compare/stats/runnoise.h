/*
 * Run-to-run noise: how much a benchmark's level moves between two runs recorded at
 * different times, which the spread of processes inside one run cannot show (machine
 * state, page placement, load that lasts longer than a run). Learned from stored runs or
 * from the runs of the sides, and folded into a comparison's CI and p value.
 * docs/statistics.md §8.
 */
#ifndef BTK_RUNNOISE_H
#define BTK_RUNNOISE_H

#include "compare.h"

typedef struct btk_runnoise {
    double sd;          /* standard deviation of a run's log level; NAN when unknown */
    double df;          /* its degrees of freedom; INFINITY for a stand-in */
    size_t runs;        /* stored runs it was learned from (0: not from stored runs) */
    const char *source; /* "stored runs", "runs of the sides", "stored runs and runs of
                         * the sides", "stand-in" or NULL */
} btk_runnoise;

/* Learn the run-to-run noise of benchmark name into *out: from the history (oldest first;
 * at least BTK_COMPARE_MIN_HISTORY runs with the benchmark ok: 1.4826 * the median
 * absolute difference of consecutive log levels / sqrt 2, runs - 1 degrees of freedom),
 * and from the sides when a side has several runs (the pooled within-side standard
 * deviation of the runs' log levels, runs - sides degrees of freedom); with both, the two
 * variances pooled by their degrees of freedom. Neither: out->sd is NAN (the caller puts a
 * stand-in). A run's level is its result's median of the metric (wall, CPU, core cycles:
 * btk_result_metric_stats; a run without the metric's figures is left out). BTK_ENOMEM. */
int btk_runnoise_learn(btk_runnoise *out, const btk_run *const *history, size_t count,
                       const btk_run *const *base, size_t nb, const btk_run *const *now,
                       size_t nn, const char *name, btk_compare_metric metric);

/* Where the sides' runs lie against the stored history (the base guard, docs/statistics.md
 * §8): *hist_out the median log level of the newest BTK_COMPARE_BASE_RECENT history runs
 * that are not runs of the base (by id; runs not stored, id 0, are never matched), *base_out
 * and *new_out the mean log level of each side's runs; each NAN when unknown (fewer than
 * BTK_COMPARE_MIN_HISTORY such history runs with the benchmark, or no run of that side
 * with it). */
void btk_runnoise_levels(double *hist_out, double *base_out, double *new_out,
                         const btk_run *const *history, size_t count,
                         const btk_run *const *base, size_t nb, const btk_run *const *now,
                         size_t nn, const char *name, btk_compare_metric metric);

/* Fold the noise into v's CI and p value: each side's level carries noise->sd / sqrt(runs
 * of that side) on the log scale; the CI's half widths become at least q * se (q the t
 * quantile with noise->df degrees of freedom at the CI level, normal for INFINITY) and p
 * at least the two-sided p of log(ratio) / se. Sets v->run_noise, noise_runs and
 * noise_source. Nothing happens when v has no finite effect or noise->sd is NAN or 0. */
void btk_runnoise_apply(btk_verdict *v, const btk_runnoise *noise, size_t runs_base,
                        size_t runs_new, double level);

#endif
