/*
 * The verdict rules: from one benchmark's figures (effect CI, p/q values, units, memory,
 * budgets, failures) to regressed / improved / unchanged / inconclusive / new / missing /
 * failed / budget, with a one-line reason; and the exit code of a whole comparison.
 * docs/statistics.md states the rules.
 */
#ifndef BTK_VERDICT_H
#define BTK_VERDICT_H

#include "compare.h"

typedef struct btk_verdict_rules {
    double alpha;          /* FDR level the q value is held against */
    double max_regression; /* tolerated slowdown (ratio - 1) before "regressed" */
    double rss_tolerance;  /* relative peak-RSS band */
    double alloc_tolerance;/* absolute allocations (and bytes) per iteration tolerated */
    double ci_level;       /* level of the CIs in the verdict (for units_needed) */
} btk_verdict_rules;

typedef struct btk_verdict_facts {
    bool in_base, in_new;     /* the benchmark has results on that side */
    bool base_failed, new_failed;
    const char *new_error;    /* the contender's failure message, or NULL */
    const char *budget_broken;/* "p95 < 500ns (is 612ns); ..." or NULL when all hold */
} btk_verdict_facts;

/* Decide v->kind, v->time_kind, v->memory_kind, v->has_memory, v->units_needed and
 * v->reason (allocated, freed with the verdict) from the figures already in v (ratio,
 * ci_*, p/q, noise_band, units_*, unit_spread, run_noise, invalid, memory, rss_*) and
 * facts. A figure that is not finite never gives "unchanged": the time verdict is then
 * inconclusive. BTK_ENOMEM only. */
int btk_verdict_decide(btk_verdict *v, const btk_verdict_facts *facts,
                       const btk_verdict_rules *rules);

/* Bisect's rule for a step still inconclusive after its second measurement, when GOOD's
 * level (ratio 1) and BAD's (bad_ratio > 1, its effect against GOOD) are known: true when
 * the step's ratio is nearer BAD's level on the log scale, log(ratio) > log(bad_ratio) / 2
 * (docs/cli/bisect.md). False when a figure is not finite or not positive. */
bool btk_verdict_nearer_bad(double ratio, double bad_ratio);

/* Exit status for a comparison: 1 when anything regressed, broke a budget or failed on
 * the contender side, else 0 (docs/cli/compare.md). */
int btk_comparison_exit_code(const btk_comparison *cmp);

#endif
