/*
 * Counts as a metric of their own (docs/statistics.md §10): counting runs (instructions
 * per iteration under callgrind or perf) are checked for one count identity, compared by
 * a relative threshold without statistics, and merged with the time verdicts of the same
 * benchmarks, saying where time and counts disagree. Used by compare.c only.
 */
#ifndef BTK_COUNTCMP_H
#define BTK_COUNTCMP_H

#include "compare.h"

/* BTK_EINVAL with a one-line message naming both when the counting runs of base and now
 * (all of them counting runs) differ in measure or count identity; else 0. */
int btk_countcmp_check(const btk_run *const *base, size_t nb, const btk_run *const *now,
                       size_t nn);

/* Compare counting runs benchmark by benchmark into *out (items unsorted, regressions and
 * improvements counted). Threshold per benchmark from opts->config (count_threshold).
 * BTK_ENOMEM. Free with btk_comparison_free. */
int btk_countcmp_runs(btk_comparison **out, const btk_run *const *base, size_t nb,
                      const btk_run *const *now, size_t nn,
                      const btk_compare_options *opts);

/* Fold the count verdicts of counts into times, benchmark by benchmark: a benchmark in
 * both gets the combined verdict (§10) and a disagreement note; one only in counts is
 * moved over. counts is emptied (still to be freed). Leaves times unsorted and its totals
 * recounted. BTK_ENOMEM. */
int btk_countcmp_merge(btk_comparison *times, btk_comparison *counts);

#endif
