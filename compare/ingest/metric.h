/*
 * The figures a time run is read by (btk_compare_metric, model.h): wall-clock ns, CPU ns,
 * or estimated core cycles per iteration, each sample's ns times the core clock measured
 * next to it (JSON clock_ghz; docs/statistics.md §12). Which processes and results hold a
 * figure, its values and statistics, and the checks of a clock read from outside.
 */
#ifndef BTK_METRIC_H
#define BTK_METRIC_H

#include "model.h"

/* "wall", "cpu", "cycles", "auto"; the unit of its values: "ns" or "cycles" ("ns" for auto,
 * whose benchmarks each name their own). */
const char *btk_compare_metric_name(btk_compare_metric metric);
const char *btk_compare_metric_unit(btk_compare_metric metric);
/* Whether ghz is a core clock the tool accepts: finite, > 0 and < BTK_CLOCK_MAX_GHZ. */
#define BTK_CLOCK_MAX_GHZ 100.0
bool btk_clock_ok(double ghz);
/* Drop p's clock (NULL: unknown) unless every value is btk_clock_ok (read from a store,
 * which may have been written by other hands). */
void btk_proc_check_clock(btk_proc *p);
/* Whether r is a branch ratio import accepts: from 0 (unknown) to below
 * BTK_IMPORT_MAX_RATIO; false for NAN. */
bool btk_branch_ratio_ok(double r);
/* Make p's branch_ratio unknown (0) unless btk_branch_ratio_ok (read from a store, which
 * may have been written by other hands; NAN, a NULL read, is unknown too). */
void btk_proc_check_ratio(btk_proc *p);
/* Set aside the processes of r (one run's result) that ran on a shared core when that
 * state moved the benchmark: the harness's rule (btk_stats_shared_aside, on each process's
 * median wall time and its branch_ratio; docs/timer.md#shared-core), so that compare,
 * history and report leave out what the run's own figures left out. Clears every other
 * process's flag. BTK_ENOMEM. */
int btk_result_mark_aside(btk_result *r);
/* btk_result_mark_aside over every result of a time run; returns the processes set aside
 * in all, or BTK_ENOMEM. */
int btk_run_mark_aside(btk_run *run);
/* Whether process p holds the metric's samples (wall: always; cpu: cpu_ns; cycles:
 * clock_ghz); never for a process set aside. */
bool btk_proc_has_metric(const btk_proc *p, btk_compare_metric metric);
/* Write p's count samples of the metric to out (cycles: ns[i] * clock_ghz[i]); p must
 * have it (btk_proc_has_metric). */
void btk_proc_metric_values(double *out, const btk_proc *p, btk_compare_metric metric);
/* Widen each of r's intervals of a median (stats, cpu_stats, core_stats: ci_low, ci_high)
 * to the interval of its processes' medians of that figure when that is wider
 * (btk_stats_units_interval; 2 or more processes holding the figure; a NAN interval counts
 * as narrower): the samples of one process are not independent, so with several processes
 * the pooled samples' interval understates (docs/benchmark-binary.md#output). A result
 * that is not ok is left alone. BTK_ENOMEM when scratch space cannot be allocated. */
int btk_result_widen_intervals(btk_result *r);
/* btk_result_widen_intervals over every result of a time run (a counting run's figures are
 * counts: left alone). Import stores runs so; show widens runs stored before 2026-12-01. */
int btk_run_widen_intervals(btk_run *run);

/* The result's statistics of the metric (stats, cpu_stats, core_stats), or NULL when it
 * has none. Borrowed. */
const btk_stats *btk_result_metric_stats(const btk_result *r, btk_compare_metric metric);
/* Summarize r's core cycles per iteration (the samples of its processes with a clock,
 * pooled) into core_stats; has_core_stats false when none (or r is not ok). BTK_ENOMEM. */
int btk_result_summarize_cycles(btk_result *r);
/* The median of every clock_ghz sample of the ok results of runs (time runs only), or NAN
 * when none has a clock. BTK_ENOMEM. */
int btk_runs_clock_median(double *out, const btk_run *const *runs, size_t count);

#endif
