/*
 * Verdict rules (docs/statistics.md, "Verdicts"). Time: regressed only when the
 * BH-adjusted q <= alpha AND the whole ratio CI lies above 1 + max(noise band, tolerated
 * regression); improved symmetrically below 1 - band; unchanged only when the whole CI lies
 * inside the band (an equivalence test, Schuirmann 1987); otherwise inconclusive, with the
 * units needed per side. Memory is decided apart: allocation counts and bytes per iteration
 * are deterministic and compared exactly (tiny tolerance); peak RSS per process with a rank
 * test and a band with an absolute floor. A figure that is not finite is never "unchanged".
 */
#include "verdict.h"

#include "significance.h"

#include <math.h>

static const char *const names[] = {"regressed", "failed",   "budget",   "inconclusive",
                                     "missing",   "new",      "improved", "unchanged"};

const char *btk_verdict_name(btk_verdict_kind kind)
{
    return (size_t)kind < BTK_ARRAY_SIZE(names) ? names[kind] : "unknown";
}

typedef enum change { NONE = 0, SAME, WORSE, BETTER, UNSURE } change;

/* The reason being written; the first failed append is remembered, later ones skipped. */
typedef struct note_buf {
    btk_buf buf;
    int error;
} note_buf;

static void BTK_PRINTF(2, 3) note(note_buf *n, const char *fmt, ...)
{
    va_list ap;

    if (n->error < 0)
        return;
    va_start(ap, fmt);
    n->error = btk_buf_vprintf(&n->buf, fmt, ap);
    va_end(ap);
}

/* Allocation-type figure: exact compare with an absolute tolerance; NONE when unknown. */
static change count_change(double base, double now, double tol)
{
    if (!isfinite(base) || !isfinite(now))
        return NONE;
    if (now > base + tol)
        return WORSE;
    if (now < base - tol)
        return BETTER;
    return SAME;
}

/* Peak RSS from the per-process test: significant (p <= alpha) and the CI of the ratio of
 * medians wholly beyond the band; the same band, CI wholly inside, for SAME. The band is
 * relative, with an absolute floor (bytes) over the base median. */
static change rss_change(note_buf *reason, const btk_verdict *v, const btk_verdict_rules *r)
{
    double band = r->rss_tolerance;

    if (isnan(v->rss_ratio)) {
        if (v->base_peak_rss >= 0 && v->new_peak_rss >= 0)
            note(reason, "; peak RSS not tested (%zu vs %zu processes with a peak RSS, "
                 "need >= %d)", v->rss_units_base, v->rss_units_new,
                 BTK_COMPARE_MIN_PROCESSES);
        return NONE;
    }
    if (v->base_peak_rss > 0 && v->rss_floor / (double)v->base_peak_rss > band)
        band = v->rss_floor / (double)v->base_peak_rss;
    if (!isfinite(v->rss_ci_low) || !isfinite(v->rss_ci_high) || !isfinite(v->rss_p)) {
        note(reason, "; peak RSS: no finite effect");
        return UNSURE;
    }
    if (v->rss_p <= r->alpha && (v->rss_ci_low > 1 + band || v->rss_ci_high < 1 - band)) {
        note(reason, "; peak RSS %+.1f%% (%" PRId64 " -> %" PRId64 " bytes, CI [%.3f, %.3f] "
             "beyond +-%.1f%%, p=%.2g)", (v->rss_ratio - 1) * 100, v->base_peak_rss,
             v->new_peak_rss, v->rss_ci_low, v->rss_ci_high, band * 100, v->rss_p);
        return v->rss_ci_low > 1 ? WORSE : BETTER;
    }
    if (v->rss_ci_low >= 1 - band && v->rss_ci_high <= 1 + band)
        return SAME;
    note(reason, "; peak RSS CI [%.3f, %.3f] not inside +-%.1f%%", v->rss_ci_low,
         v->rss_ci_high, band * 100);
    return UNSURE;
}

/* The memory verdict from its figures, with findings appended to reason; NONE when no
 * figure is known on both sides. */
static change memory_change(note_buf *reason, const btk_verdict *v,
                            const btk_verdict_rules *r)
{
    change a = count_change(v->base_allocs, v->new_allocs, r->alloc_tolerance);
    change b = count_change(v->base_bytes, v->new_bytes, r->alloc_tolerance);
    change s = rss_change(reason, v, r);

    if (a == WORSE || a == BETTER)
        note(reason, "; allocs/iter %.4g -> %.4g", v->base_allocs, v->new_allocs);
    if (b == WORSE || b == BETTER)
        note(reason, "; bytes/iter %.4g -> %.4g", v->base_bytes, v->new_bytes);
    if (a == WORSE || b == WORSE || s == WORSE)
        return WORSE;
    if (s == UNSURE)
        return UNSURE;
    if (a == BETTER || b == BETTER || s == BETTER)
        return BETTER;
    return (a == SAME || b == SAME || s == SAME) ? SAME : NONE;
}

/* Processes (or runs, when the run-to-run noise dominates the CI) per side that would
 * shrink the CI's half width to the distance between the effect and the nearest edge of
 * the band, from the observed spread: half width = z * c * s * sqrt(2 / n) on the log
 * scale, c = 1.2533 (the median's standard error over the mean's for normal data) for
 * units and 1 for run levels. Processes: at least what the rank test needs, and more than
 * now; runs: at least 2. */
static size_t units_needed(const btk_verdict *v, double lo, double hi, double alpha,
                           double level, bool *runs_out)
{
    double e = log(v->ratio), z = btk_sig_normal_quantile(0.5 + level / 2);
    double gap = e > log(hi) ? e - log(hi) : e < log(lo) ? log(lo) - e
                                                         : fmin(log(hi) - e, e - log(lo));
    double boot = (log(v->ci_high) - log(v->ci_low)) / 2;
    double s = v->unit_spread * 1.2533, n;
    size_t floor_units = btk_sig_units_needed(alpha), have = v->units_base < v->units_new
                                                                ? v->units_base
                                                                : v->units_new;

    *runs_out = isfinite(v->run_noise) && z * v->run_noise * sqrt(2) >= boot;
    if (*runs_out) {
        s = v->run_noise;
        have = 1;
        floor_units = 2;
    }
    if (!(gap > 1e-4) || !isfinite(s))
        return have + 1 > floor_units ? have + 1 : floor_units;
    n = ceil(2 * (z * s / gap) * (z * s / gap));
    if (!(n < 100000))
        n = 100000;
    if (n <= (double)have)
        n = (double)have + 1;
    return (size_t)n > floor_units ? (size_t)n : floor_units;
}

/* True when the time figures cannot be decided (the reason appended), else false. */
static bool time_undecidable(note_buf *reason, btk_verdict *v, const btk_verdict_rules *r)
{
    if (v->invalid) {
        note(reason, "; %s", v->invalid);
        return true;
    }
    if (v->units_base == 0 || v->units_new == 0) {
        note(reason, "; no samples to compare");
        return true;
    }
    if (btk_sig_min_p(v->units_base, v->units_new) > r->alpha) {
        v->units_needed = btk_sig_units_needed(r->alpha);
        note(reason, "; %zu vs %zu %s cannot reach p <= %g (need >= %zu per side)",
             v->units_base, v->units_new, v->unit ? v->unit : "units", r->alpha,
             v->units_needed);
        return true;
    }
    if (!(isfinite(v->ratio) && v->ratio > 0 && isfinite(v->ci_low) && v->ci_low > 0 &&
          isfinite(v->ci_high) && isfinite(v->q_value))) {
        note(reason, "; no finite effect (ratio %g, CI [%g, %g], q %g)", v->ratio, v->ci_low,
             v->ci_high, v->q_value);
        return true;
    }
    return false;
}

/* Time finding appended to reason: WORSE, BETTER, SAME (shown equivalent) or UNSURE. */
static change time_change(note_buf *reason, btk_verdict *v, const btk_verdict_rules *r)
{
    double up = fmax(v->noise_band, r->max_regression), lo = 1 - v->noise_band;
    bool significant, by_runs;

    if (time_undecidable(reason, v, r))
        return UNSURE;
    significant = v->q_value <= r->alpha;
    if (significant && v->ci_low > 1 + up) {
        note(reason, "; slower by %.1f%% (CI above +%.1f%%, q=%.2g)",
                       (v->ratio - 1) * 100, up * 100, v->q_value);
        return WORSE;
    }
    if (significant && v->ci_high < lo) {
        note(reason, "; faster by %.1f%% (q=%.2g)", (1 - v->ratio) * 100, v->q_value);
        return BETTER;
    }
    if (v->ci_low >= lo && v->ci_high <= 1 + up) {
        if (significant && v->ci_low > 1 + v->noise_band)
            note(reason, "; slower by %.1f%%, tolerated (max_regression %.1f%%)",
                 (v->ratio - 1) * 100, r->max_regression * 100);
        else
            note(reason, "; CI [%.3f, %.3f] inside the band [%.3f, %.3f] (q=%.2g)",
                 v->ci_low, v->ci_high, lo, 1 + up, v->q_value);
        return SAME;
    }
    v->units_needed = units_needed(v, lo, 1 + up, r->alpha, r->ci_level, &by_runs);
    note(reason, "; CI [%.3f, %.3f] not inside the band [%.3f, %.3f] (q=%.2g): about %zu "
         "%s per side needed", v->ci_low, v->ci_high, lo, 1 + up, v->q_value,
         v->units_needed, by_runs ? "runs" : "processes");
    return UNSURE;
}

static btk_verdict_kind kind_of(change c)
{
    switch (c) {
    case WORSE: return BTK_VERDICT_REGRESSED;
    case BETTER: return BTK_VERDICT_IMPROVED;
    case UNSURE: return BTK_VERDICT_INCONCLUSIVE;
    default: return BTK_VERDICT_UNCHANGED;
    }
}

/* Verdict for a benchmark present and ok on the contender side: the time and memory
 * verdicts, combined (regressed, budget, inconclusive, improved, unchanged; §7). */
static btk_verdict_kind decide_present(note_buf *reason, btk_verdict *v,
                                       const btk_verdict_facts *f,
                                       const btk_verdict_rules *r)
{
    change t = time_change(reason, v, r);
    change m = memory_change(reason, v, r);

    v->time_kind = kind_of(t);
    v->has_memory = m != NONE;
    v->memory_kind = kind_of(m);
    if (f->budget_broken)
        note(reason, "; budget broken: %s", f->budget_broken);
    if (t == WORSE || m == WORSE)
        return BTK_VERDICT_REGRESSED;
    if (f->budget_broken)
        return BTK_VERDICT_BUDGET;
    /* an improvement in one figure never hides that the other could not be decided: a
     * benchmark 5 % slower (time inconclusive) whose RSS shrank read "improved" */
    if (t == UNSURE || m == UNSURE)
        return BTK_VERDICT_INCONCLUSIVE;
    if (t == BETTER || m == BETTER)
        return BTK_VERDICT_IMPROVED;
    return BTK_VERDICT_UNCHANGED;
}

int btk_verdict_decide(btk_verdict *v, const btk_verdict_facts *f,
                       const btk_verdict_rules *r)
{
    note_buf reason = {BTK_BUF_INIT, 0};

    v->units_needed = 0;
    v->has_memory = false;
    if (!f->in_new) {
        v->kind = BTK_VERDICT_MISSING;
        note(&reason, "%s", "; not run on the contender side");
    } else if (f->new_failed) {
        v->kind = BTK_VERDICT_FAILED;
        note(&reason, "; failed: %s", f->new_error ? f->new_error : "(no message)");
    } else if (!f->in_base || f->base_failed) {
        v->kind = BTK_VERDICT_NEW;
        note(&reason, "%s", f->in_base ? "; failed on the base side" : "; not on the base "
                                                                          "side");
        if (f->budget_broken) {
            v->kind = BTK_VERDICT_BUDGET;
            note(&reason, "; budget broken: %s", f->budget_broken);
        }
    } else {
        v->kind = decide_present(&reason, v, f, r);
    }
    if (!f->in_new || f->new_failed || !f->in_base || f->base_failed)
        v->time_kind = v->memory_kind = v->kind;
    btk__free(v->reason);
    v->reason = NULL;
    if (reason.error == 0 && reason.buf.len >= 2)
        v->reason = btk__strdup(reason.buf.ptr + 2); /* drop the leading "; " */
    btk_buf_free(&reason.buf);
    return v->reason ? 0 : BTK_ENOMEM;
}

int btk_comparison_exit_code(const btk_comparison *cmp)
{
    return cmp && cmp->regressions > 0 ? 1 : 0;
}

bool btk_verdict_nearer_bad(double ratio, double bad_ratio)
{
    if (!isfinite(ratio) || !isfinite(bad_ratio) || ratio <= 0 || bad_ratio <= 1)
        return false;
    return log(ratio) > log(bad_ratio) / 2;
}
