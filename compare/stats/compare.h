/*
 * Comparing two sides (each one or more runs) benchmark by benchmark: effect with a
 * bootstrap CI, rank-test significance on independent units, false-discovery-rate control
 * across the suite, noise band, memory figures, budgets. See docs/statistics.md.
 */
#ifndef BTK_COMPARE_H
#define BTK_COMPARE_H

#include "metric.h"

typedef enum btk_verdict_kind {
    BTK_VERDICT_REGRESSED = 0,  /* ordered by severity: most severe first */
    BTK_VERDICT_FAILED,         /* failed on the contender side */
    BTK_VERDICT_BUDGET,         /* an absolute budget is broken (fails like a regression) */
    BTK_VERDICT_INCONCLUSIVE,   /* too few units to reach significance */
    BTK_VERDICT_MISSING,        /* on the base side only */
    BTK_VERDICT_NEW,            /* on the contender side only */
    BTK_VERDICT_IMPROVED,
    BTK_VERDICT_UNCHANGED
} btk_verdict_kind;

typedef struct btk_verdict {
    char *name;
    btk_verdict_kind kind;
    double base_median, new_median;  /* ns per iteration; NAN when absent */
    double ratio;                    /* new/base median; NAN when absent */
    double ci_low, ci_high;          /* bootstrap CI of the ratio */
    double shift;                    /* Hodges-Lehmann estimate of new/base over the
                                      * processes (btk_sig_hl_ratio); NAN when the unit is
                                      * not the process */
    double p_value, q_value;         /* rank test p and BH-adjusted q; NAN when not tested */
    double noise_band;               /* relative band used, e.g. 0.02 */
    size_t units_base, units_new;    /* independent units per side */
    const char *unit;                /* "processes" or "samples" */
    size_t units_needed;             /* per side to be able to reach significance; 0 if met */
    char *reason;                    /* one line: why this verdict (memory, budget, ...) */
    /* memory per iteration, NAN when not tracked */
    double base_allocs, new_allocs, base_bytes, new_bytes;
    int64_t base_peak_rss, new_peak_rss; /* median of the processes' peak RSS (else the
                                          * result's figure); -1 when unknown */
    /* the two verdicts kind combines (docs/statistics.md §7): time alone, memory alone */
    btk_verdict_kind time_kind;   /* regressed, improved, unchanged or inconclusive */
    bool has_memory;              /* some memory figure was known on both sides */
    btk_verdict_kind memory_kind; /* regressed, improved, unchanged or inconclusive */
    /* peak RSS per process: ratio of medians new/base, bootstrap CI, rank-test p; NAN when
     * not tested (fewer than BTK_COMPARE_MIN_PROCESSES processes with RSS a side) */
    double rss_ratio, rss_ci_low, rss_ci_high, rss_p;
    size_t rss_units_base, rss_units_new;
    double rss_floor;             /* absolute RSS band floor in bytes */
    double unit_spread;           /* robust SD of the log unit values, sides pooled; NAN */
    double run_noise;             /* run-to-run SD of a run's log level folded into the CI
                                   * and p (§8); NAN when none was applied */
    size_t noise_runs;            /* stored runs run_noise was learned from (0: not stored) */
    const char *noise_source;     /* "stored runs", "runs of the sides", "stand-in" */
    const char *invalid;          /* why the samples cannot give an effect, or NULL */
    bool guarded;                 /* invalid was set by the core-state, two-level, spread or
                                   * base guard: re-measuring interleaved (--confirm-*)
                                   * settles it */
    const char *metric;           /* what base/new_median, ratio and CI are of: "wall" or
                                   * "cpu" (ns per iteration), "cycles" (estimated core
                                   * cycles per iteration, §12) or "instructions" (counts per
                                   * iteration, decided by threshold: docs/statistics.md §10) */
    /* counting runs on both sides (docs/statistics.md §10): the count verdict, next to the
     * time verdict when time runs were compared too */
    bool has_count;
    btk_verdict_kind count_kind;  /* regressed, improved, unchanged or inconclusive */
    double base_count, new_count; /* instructions per iteration; NAN when unknown */
    double count_ratio;           /* new/base; NAN when unknown */
    double count_threshold;       /* relative threshold used, e.g. 0.001 */
    bool disagree;                /* time and count verdicts disagree (reason says how) */
} btk_verdict;

typedef struct btk_compare_options {
    unsigned version;
    double alpha;          /* FDR level, default 0.05 */
    double noise_band;     /* default 0.02; overridden per benchmark by the config */
    double ci_level;       /* default 0.95 */
    unsigned resamples;    /* bootstrap resamples, default 2000 */
    uint64_t seed;         /* bootstrap seed, default documented in docs/statistics.md */
    const struct btk_config *config; /* budgets and per-benchmark bands; NULL: none */
    unsigned threads;      /* statistics threads: 0 = one per online CPU (at most 8) for
                            * suites of BTK_COMPARE_THREAD_MIN benchmarks or more, else 1.
                            * The result does not depend on it. */
    bool separate;         /* the sides were recorded at different times (compare of stored
                            * runs): fold run-to-run noise into the CI and p (§8). false
                            * for interleaved sides (benchtrack ab) */
    const btk_run *const *history; /* stored runs of this machine, oldest first, none of
                                    * the contender's, samples not needed: the benchmarks'
                                    * run-to-run noise is learned from them; may be NULL */
    size_t history_count;
    btk_compare_metric metric; /* the time runs' figure; counting runs are always compared
                                * by their counts (docs/statistics.md §10) */
    bool process_units;    /* the process is the unit however few a side has (benchtrack
                            * ab: fewer than BTK_COMPARE_MIN_PROCESSES give an inconclusive
                            * verdict, never a test of correlated samples, statistics.md §1) */
} btk_compare_options;

/* Suites smaller than this are compared on one thread (threads = 0). */
#define BTK_COMPARE_THREAD_MIN 64

/* Processes per side from which the process (its median) is the unit of the rank test and
 * the bootstrap; below it on either side the samples are (docs/statistics.md). Also the
 * processes with a peak RSS a side needs for the RSS test. */
#define BTK_COMPARE_MIN_PROCESSES 5

#define BTK_COMPARE_OPTIONS_INIT                                                            \
    {1, 0.05, 0.02, 0.95, 2000, 0x62746b31u, NULL, 0, false, NULL, 0, BTK_COMPARE_WALL, false}

/* Stored runs needed to learn a benchmark's run-to-run noise (4 differences); with fewer,
 * a stand-in is used (docs/statistics.md §8). */
#define BTK_COMPARE_MIN_HISTORY 5
/* The smallest run-to-run noise assumed (SD of a run's log level) when none can be
 * learned: neither enough stored runs nor several runs a side (docs/statistics.md §8). */
#define BTK_COMPARE_STANDIN_RUN_NOISE 0.05
/* Runs of history used at most (the newest). */
#define BTK_COMPARE_MAX_HISTORY 30

typedef struct btk_comparison {
    size_t count;
    btk_verdict *items;    /* sorted by severity, then name */
    size_t regressions;    /* regressed + budget + failed */
    size_t improvements;
    btk_compare_metric metric; /* the time runs' figure */
    double clock_base, clock_new; /* median core clock (GHz) over every clock_ghz sample of
                                   * the side's time runs; NAN when none has a clock */
    bool clock_differs;    /* compared by wall time while the sides' clocks differ by more
                            * than BTK_COMPARE_CLOCK_NOTE: worth a note (docs/statistics.md
                            * §12); never changes a verdict */
    bool clock_untrusted;  /* compared by cycles across clocks that differ by more than
                            * BTK_COMPARE_CLOCK_GUARD (or the noise band), no benchmark's
                            * cycles bore the clock out: every
                            * time figure is inconclusive (docs/statistics.md §12) */
} btk_comparison;

/* Relative difference of the sides' median core clocks from which a comparison by wall
 * time notes it. */
#define BTK_COMPARE_CLOCK_NOTE 0.01
/* --metric auto compares a benchmark by cycles when the uncertainty of its effect by
 * cycles (process spread, and run-to-run noise when the sides were recorded apart) is
 * below this fraction of that by wall time (docs/statistics.md §12). */
#define BTK_COMPARE_AUTO_STEADIER 0.5
/* Difference of the sides' median clocks (on the log scale) beyond which a comparison by
 * cycles needs a benchmark whose cycles held still (docs/statistics.md §12): side medians
 * of separately recorded runs were up to 2.5 % apart on the reference VM, a whole side's
 * misread clock 25 %. */
#define BTK_COMPARE_CLOCK_GUARD 0.05
/* The reason of a time figure left undecided by an untrusted clock. */
#define BTK_COMPARE_CLOCK_UNTRUSTED                                                          \
    "the core clock estimate differs between the sides and no benchmark's cycles held "    \
    "still (its wall time moving with the clock): cycles cannot be trusted here; compare "  \
    "by wall time"

/* The reasons of a time figure left undecided by the core-state guard: one side's
 * processes ran on a core shared with a busy SMT sibling, the other's alone, and the state
 * moves this benchmark (some run set such processes aside; docs/timer.md#shared-core). */
#define BTK_COMPARE_STATES_BASE_SHARED                                                       \
    "the base's processes ran on a core shared with a busy SMT sibling, the contender's "  \
    "alone, and that state moves this benchmark (some run set such processes aside): "    \
    "record again, or confirm with --confirm-* or benchtrack ab"
#define BTK_COMPARE_STATES_NEW_SHARED                                                        \
    "the contender's processes ran on a core shared with a busy SMT sibling, the base's "  \
    "alone, and that state moves this benchmark (some run set such processes aside): "    \
    "record again, or confirm with --confirm-* or benchtrack ab"

/* The reason of a time figure left undecided by the two-level guard: the processes of
 * both sides ran at two levels of their own and the sides' medians lie at different ones
 * (the mix of levels moved, not necessarily the benchmark). */
#define BTK_COMPARE_LEVELS_MIXED                                                             \
    "the processes of both sides ran at two levels, and the sides' medians lie at "        \
    "different ones: the difference is how many processes took each level, not "          \
    "necessarily a change of either; record again, or confirm with --confirm-* or "        \
    "benchtrack ab"

/* The spread guard (sides recorded at different times only; docs/statistics.md §8): the
 * spread of a process's samples (robust SD of their logs, the median over a side's
 * processes with at least BTK_COMPARE_WITHIN_MIN_SAMPLES samples), taken as at least
 * BTK_COMPARE_WITHIN_FLOOR, may differ between the sides by at most this factor before the
 * time verdict is left undecided. */
#define BTK_COMPARE_WITHIN_RATIO 2.0
#define BTK_COMPARE_WITHIN_FLOOR 0.02
#define BTK_COMPARE_WITHIN_MIN_SAMPLES 8
/* The base guard (sides recorded at different times, with stored history; docs/
 * statistics.md §8): history runs (not the base's) whose median level the base is read
 * against, and how many run-to-run SDs off it the base's level must lie, and the
 * contender's within, for the time verdict to be left undecided. */
#define BTK_COMPARE_BASE_RECENT 10
#define BTK_COMPARE_BASE_OFF 4.0
/* The reason of a time figure left undecided by the base guard. */
#define BTK_COMPARE_BASE_ASTRAY                                                              \
    "the base's runs lie off the level the store holds for this benchmark (the median of " \
    "its newest stored runs), the contender's on it: the difference is the base "          \
    "recording's, not necessarily the contender's; compare with another base run, or "     \
    "confirm with --confirm-* or benchtrack ab"
/* The reason of a time figure left undecided by the spread guard. */
#define BTK_COMPARE_SPREAD_DIFFERS                                                           \
    "the two recordings' samples spread within a process by more than a factor 2 apart: "  \
    "the benchmark ran in a different state of the machine or of its own in each, and "    \
    "the difference of their levels may be that state's; record again, or confirm with "   \
    "--confirm-* or benchtrack ab"

/* Compare base runs with contender runs. Runs on each side are pooled by process (each
 * process's samples stay one unit). Time runs and counting runs are never pooled together:
 * time runs are compared by opts->metric, counting runs by their counts, and a benchmark
 * with both gets both verdicts combined (docs/statistics.md §10). BTK_EINVAL with a one-line
 * message when counting runs of different count identities or measures would be compared,
 * when the sides share no measure, or when opts->metric is CPU (cycles) and a side's time
 * runs hold no CPU time (no core clock). Free with btk_comparison_free. */
int btk_compare_runs(btk_comparison **out, const btk_run *const *base, size_t base_count,
                     const btk_run *const *contender, size_t contender_count,
                     const btk_compare_options *opts);
void btk_comparison_free(btk_comparison *cmp);

/* Replace each verdict of cmp whose benchmark from also holds by from's verdict (moved out
 * of from), with noise_source "re-measured" and a reason that begins "re-measured (how): "
 * and ends with what cmp's own verdict was ("the stored runs read regressed +6.1 %"); then
 * recount and sort cmp again. Verdicts of from that cmp lacks stay in from. For `compare
 * --confirm-base/--confirm-new` (docs/statistics.md §8). BTK_ENOMEM (cmp unchanged). */
int btk_comparison_adopt(btk_comparison *cmp, btk_comparison *from, const char *how);
/* "regressed", "improved", ... */
const char *btk_verdict_name(btk_verdict_kind kind);

/* Internal to compare/stats (compare.c, countcmp.c): the sorted distinct benchmark names
 * over the runs of both sides (borrowed pointers), into *out (free with btk__free).
 * BTK_ENOMEM. */
int btk_compare__names(const char ***out, size_t *count_out, const btk_run *const *base,
                       size_t nb, const btk_run *const *now, size_t nn);

/* Internal to compare/stats: set cmp's regressions (regressed, budget, failed) and
 * improvements from its verdicts. */
void btk_compare__recount(btk_comparison *cmp);

#endif
