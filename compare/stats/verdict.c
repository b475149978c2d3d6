/*
 * Verdict rules (docs/statistics.md, "Verdicts"). Time: regressed only when the
 * BH-adjusted q <= alpha AND the whole ratio CI lies above 1 + max(noise band, tolerated
 * regression); improved symmetrically below 1 - band; inconclusive when the rank test could
 * not reach alpha with the units at hand. Memory: allocation counts and bytes per iteration
 * are deterministic and compared exactly (tiny tolerance); peak RSS with a relative one.
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

typedef enum change { SAME = 0, WORSE, BETTER } change;

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

/* Allocation-type figure: exact compare with an absolute tolerance. */
static change count_change(double base, double now, double tol)
{
    if (isnan(base) || isnan(now))
        return SAME;
    if (now > base + tol)
        return WORSE;
    if (now < base - tol)
        return BETTER;
    return SAME;
}

static change rss_change(int64_t base, int64_t now, double tol)
{
    if (base <= 0 || now < 0)
        return SAME;
    if ((double)now > (double)base * (1 + tol))
        return WORSE;
    return SAME;
}

/* Memory findings appended to reason; returns WORSE if any grew, else BETTER if any
 * shrank, else SAME. */
static change memory_change(note_buf *reason, const btk_verdict *v,
                            const btk_verdict_rules *r)
{
    change a = count_change(v->base_allocs, v->new_allocs, r->alloc_tolerance);
    change b = count_change(v->base_bytes, v->new_bytes, r->alloc_tolerance);
    change s = rss_change(v->base_peak_rss, v->new_peak_rss, r->rss_tolerance);

    if (a != SAME)
        note(reason, "; allocs/iter %.4g -> %.4g", v->base_allocs, v->new_allocs);
    if (b != SAME)
        note(reason, "; bytes/iter %.4g -> %.4g", v->base_bytes, v->new_bytes);
    if (s != SAME)
        note(reason, "; peak RSS %" PRId64 " -> %" PRId64 " bytes (> %.0f%%)",
             v->base_peak_rss, v->new_peak_rss, r->rss_tolerance * 100);
    if (a == WORSE || b == WORSE || s == WORSE)
        return WORSE;
    return (a == BETTER || b == BETTER) ? BETTER : SAME;
}

/* Time finding appended to reason. */
static change time_change(note_buf *reason, btk_verdict *v, const btk_verdict_rules *r,
                          bool *inconclusive)
{
    double up = fmax(v->noise_band, r->max_regression);
    double min_p = btk_sig_min_p(v->units_base, v->units_new);
    bool significant = !isnan(v->q_value) && v->q_value <= r->alpha;

    *inconclusive = false;
    if (v->units_base == 0 || v->units_new == 0 || isnan(v->ratio) || min_p > r->alpha) {
        *inconclusive = true;
        v->units_needed = btk_sig_units_needed(r->alpha);
        note(reason, "; %zu vs %zu %s cannot reach p <= %g (need >= %zu per side)",
                       v->units_base, v->units_new, v->unit ? v->unit : "units", r->alpha,
                       v->units_needed);
        return SAME;
    }
    if (significant && v->ci_low > 1 + up) {
        note(reason, "; slower by %.1f%% (CI above +%.1f%%, q=%.2g)",
                       (v->ratio - 1) * 100, up * 100, v->q_value);
        return WORSE;
    }
    if (significant && v->ci_high < 1 - v->noise_band) {
        note(reason, "; faster by %.1f%% (q=%.2g)", (1 - v->ratio) * 100,
                       v->q_value);
        return BETTER;
    }
    if (significant && v->ci_low > 1 + v->noise_band)
        note(reason, "; slower by %.1f%%, tolerated (max_regression %.1f%%)",
                       (v->ratio - 1) * 100, r->max_regression * 100);
    else if (significant)
        note(reason, "; CI [%.3f, %.3f] not beyond the %.1f%% noise band",
                       v->ci_low, v->ci_high, v->noise_band * 100);
    else
        note(reason, "; not significant (q=%.2g)", v->q_value);
    return SAME;
}

/* Verdict for a benchmark present and ok on the contender side. */
static btk_verdict_kind decide_present(note_buf *reason, btk_verdict *v,
                                       const btk_verdict_facts *f,
                                       const btk_verdict_rules *r)
{
    bool inconclusive;
    change t = time_change(reason, v, r, &inconclusive);
    change m = memory_change(reason, v, r);

    if (f->budget_broken)
        note(reason, "; budget broken: %s", f->budget_broken);
    if (t == WORSE || m == WORSE)
        return BTK_VERDICT_REGRESSED;
    if (f->budget_broken)
        return BTK_VERDICT_BUDGET;
    if (inconclusive && m != BETTER)
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
