/*
 * Counts as a metric of their own (docs/statistics.md §10). A count repeats exactly, so
 * no test is needed: a change beyond the threshold (0.1 % unless benchtrack.json says
 * count_threshold) is a regression or an improvement. A count is trusted only when every
 * process of every run of a side counted the same; counts of different count identities
 * (tool, its version, libc, CPU) are refused, never compared.
 */
#include "countcmp.h"

#include "config.h"

#include <math.h>

/* One benchmark's counts on one side. */
typedef struct count_side {
    size_t present, ok, failed;
    const char *error;     /* first failure message */
    double count;          /* the first ok result's instructions per iteration */
    double low, high;      /* the range over the ok results and their process spreads */
    bool nondeterministic; /* some result's processes disagreed */
    bool unknown;          /* some result does not say whether its processes agreed */
} count_side;

static const char *identity_of(const btk_run *run)
{
    return run->count_identity ? run->count_identity : "(unknown)";
}

/* The first "key=value" field of identity a that differs from b's, as a pointer into a
 * and its length (the whole of a when no field differs, or the lists differ in shape). */
static const char *first_difference(const char *a, const char *b, size_t *len)
{
    const char *pa = a, *pb = b;

    while (*pa) {
        size_t la = strcspn(pa, ";"), lb = strcspn(pb, ";");

        if (la != lb || strncmp(pa, pb, la) != 0) {
            *len = la;
            return pa;
        }
        pa += la + (pa[la] == ';');
        pb += lb + (pb[lb] == ';');
        pa += *pa == ' ';
        pb += *pb == ' ';
    }
    *len = strlen(a);
    return a;
}

int btk_countcmp_check(const btk_run *const *base, size_t nb, const btk_run *const *now,
                       size_t nn)
{
    const btk_run *ref = nb ? base[0] : nn ? now[0] : NULL;
    char a[120], b[120];

    for (size_t i = 0; ref && i < nb + nn; i++) {
        const btk_run *run = i < nb ? base[i] : now[i - nb];

        if (run->measure != ref->measure)
            return btk_error_set(BTK_EINVAL,
                                 "cannot compare counts of different measures: "
                                 "run #%" PRId64 " counted %s, run #%" PRId64 " %s",
                                 ref->id, btk_measure_name(ref->measure), run->id,
                                 btk_measure_name(run->measure));
        if (strcmp(identity_of(run), identity_of(ref)) != 0) {
            size_t la, lb;
            const char *da = first_difference(identity_of(ref), identity_of(run), &la);
            const char *db = first_difference(identity_of(run), identity_of(ref), &lb);
            char fa[160], fb[160];

            snprintf(fa, sizeof(fa), "%.*s", (int)la, da);
            snprintf(fb, sizeof(fb), "%.*s", (int)lb, db);
            return btk_error_set(
                BTK_EINVAL,
                "cannot compare counts of different count identities: run "
                "#%" PRId64 " '%s', run #%" PRId64 " '%s' (record both sides "
                "with one tool, libc and CPU)",
                ref->id, btk_error_quote(a, sizeof(a), fa), run->id,
                btk_error_quote(b, sizeof(b), fb));
        }
    }
    return 0;
}

static void side_scan(count_side *s, const btk_run *const *runs, size_t n,
                      const char *name)
{
    memset(s, 0, sizeof(*s));
    s->count = s->low = s->high = NAN;
    for (size_t i = 0; i < n; i++) {
        const btk_result *r = btk_run_find(runs[i], name);
        double v;

        if (r == NULL)
            continue;
        s->present++;
        if (r->status != BTK_RESULT_OK) {
            s->failed++;
            s->error = s->error ? s->error : r->error_message;
            continue;
        }
        v = r->stats.median;
        if (s->ok++ == 0)
            s->count = s->low = s->high = v;
        s->low = fmin(s->low, v);
        s->high = fmax(s->high, v);
        if (r->count_repeat == BTK_COUNT_NONDETERMINISTIC) {
            s->nondeterministic = true;
            s->low = fmin(s->low, r->count_spread_min);
            s->high = fmax(s->high, r->count_spread_max);
        }
        s->unknown |= r->count_repeat == BTK_COUNT_UNKNOWN;
    }
}

/* Why a side's count cannot be trusted (written to why), or false when it can. */
static bool untrusted(char *why, size_t len, const count_side *s, const char *side)
{
    if (s->nondeterministic)
        snprintf(why, len,
                 "nondeterministic counts on the %s side (%.6g to %.6g instructions "
                 "per iteration across processes): not trusted",
                 side, s->low, s->high);
    else if (s->low != s->high)
        snprintf(why, len,
                 "counts differ between the %s side's runs (%.6g to %.6g "
                 "instructions per iteration): not trusted",
                 side, s->low, s->high);
    else if (s->unknown)
        snprintf(why, len,
                 "the %s side's runs do not say whether their processes counted "
                 "alike: not trusted",
                 side);
    else if (!(isfinite(s->count) && s->count >= 0))
        snprintf(why, len, "no count on the %s side", side);
    else
        return false;
    return true;
}

static void count_init(btk_verdict *v)
{
    memset(v, 0, sizeof(*v));
    v->base_median = v->new_median = v->ratio = v->ci_low = v->ci_high = NAN;
    v->p_value = v->q_value = NAN;
    v->base_allocs = v->new_allocs = v->base_bytes = v->new_bytes = NAN;
    v->base_peak_rss = v->new_peak_rss = -1;
    v->rss_ratio = v->rss_ci_low = v->rss_ci_high = v->rss_p = NAN;
    v->rss_floor = BTK_CONFIG_RSS_FLOOR;
    v->unit_spread = v->run_noise = NAN;
    v->base_count = v->new_count = v->count_ratio = NAN;
    v->metric = "instructions";
    v->unit = "runs";
}

/* The count verdict of a benchmark present and ok on both sides, with its reason. */
static btk_verdict_kind decide_counts(char *why, size_t len, btk_verdict *v,
                                      const count_side *b, const count_side *n)
{
    double t = v->count_threshold;

    if (untrusted(why, len, b, "base") || untrusted(why, len, n, "contender"))
        return BTK_VERDICT_INCONCLUSIVE;
    if (b->count == 0 && n->count == 0) {
        v->count_ratio = 1;
        snprintf(why, len, "0 instructions per iteration on both sides");
        return BTK_VERDICT_UNCHANGED;
    }
    if (b->count == 0) {
        snprintf(why, len, "0 instructions per iteration on the base side: no ratio");
        return BTK_VERDICT_INCONCLUSIVE;
    }
    v->count_ratio = n->count / b->count;
    snprintf(why, len,
             "instructions %+.3f%% (%.6g -> %.6g per iteration, threshold "
             "+-%.2g%%)",
             (v->count_ratio - 1) * 100, b->count, n->count, t * 100);
    if (v->count_ratio > 1 + t)
        return BTK_VERDICT_REGRESSED;
    if (v->count_ratio < 1 - t)
        return BTK_VERDICT_IMPROVED;
    return BTK_VERDICT_UNCHANGED;
}

static int count_one(btk_verdict *v, const btk_run *const *base, size_t nb,
                     const btk_run *const *now, size_t nn, const btk_compare_options *o)
{
    count_side b, n;
    char why[400];

    side_scan(&b, base, nb, v->name);
    side_scan(&n, now, nn, v->name);
    v->count_threshold = btk_config_count_threshold(o->config, v->name);
    v->noise_band = v->count_threshold;
    v->units_base = b.ok;
    v->units_new = n.ok;
    if (n.present == 0) {
        v->kind = BTK_VERDICT_MISSING;
        snprintf(why, sizeof(why), "not counted on the contender side");
    } else if (n.failed) {
        v->kind = BTK_VERDICT_FAILED;
        snprintf(why, sizeof(why), "failed: %s", n.error ? n.error : "(no message)");
    } else if (b.ok == 0) {
        v->kind = BTK_VERDICT_NEW;
        snprintf(why, sizeof(why), "%s",
                 b.present ? "failed on the base side" : "not counted on the base side");
    } else {
        v->has_count = true;
        v->kind = decide_counts(why, sizeof(why), v, &b, &n);
        v->count_kind = v->kind;
        v->base_count = b.count;
        v->new_count = n.count;
    }
    v->time_kind = v->memory_kind = v->kind;
    v->base_median = b.count;
    v->new_median = n.count;
    v->ratio = v->ci_low = v->ci_high = v->count_ratio;
    return (v->reason = btk__strdup(why)) ? 0 : BTK_ENOMEM;
}

int btk_countcmp_runs(btk_comparison **out, const btk_run *const *base, size_t nb,
                      const btk_run *const *now, size_t nn, const btk_compare_options *o)
{
    const char **names = NULL;
    btk_comparison *cmp;
    size_t count = 0;
    int error;

    *out = NULL;
    if ((error = btk_compare__names(&names, &count, base, nb, now, nn)) < 0)
        return error;
    if ((cmp = btk__calloc(1, sizeof(*cmp))) == NULL ||
        (cmp->items = btk__calloc(count ? count : 1, sizeof(btk_verdict))) == NULL)
        error = BTK_ENOMEM;
    for (size_t i = 0; error == 0 && i < count; i++) {
        count_init(&cmp->items[i]);
        cmp->count++;
        if ((cmp->items[i].name = btk__strdup(names[i])) == NULL)
            error = BTK_ENOMEM;
        else
            error = count_one(&cmp->items[i], base, nb, now, nn, o);
    }
    btk__free(names);
    if (error < 0) {
        btk_comparison_free(cmp);
        return error;
    }
    btk_compare__recount(cmp);
    *out = cmp;
    return 0;
}

/* The combined verdict of a benchmark with both (§10): a regression in either figure is a
 * regression; otherwise a trusted count decides, being exact; otherwise time does. */
static btk_verdict_kind combine(btk_verdict_kind time, btk_verdict_kind count)
{
    if (time != BTK_VERDICT_REGRESSED && time != BTK_VERDICT_IMPROVED &&
        time != BTK_VERDICT_UNCHANGED && time != BTK_VERDICT_INCONCLUSIVE)
        return time; /* failed, budget, new, missing: as time says */
    if (time == BTK_VERDICT_REGRESSED || count == BTK_VERDICT_REGRESSED)
        return BTK_VERDICT_REGRESSED;
    if (count == BTK_VERDICT_IMPROVED || count == BTK_VERDICT_UNCHANGED)
        return count;
    return time;
}

/* Time and counts disagree: one moved beyond its threshold and the other was shown not
 * to (or moved the other way). */
static bool disagree(btk_verdict_kind time, btk_verdict_kind count)
{
    bool t_moved = time == BTK_VERDICT_REGRESSED || time == BTK_VERDICT_IMPROVED;
    bool c_moved = count == BTK_VERDICT_REGRESSED || count == BTK_VERDICT_IMPROVED;

    if (time == BTK_VERDICT_INCONCLUSIVE || count == BTK_VERDICT_INCONCLUSIVE)
        return false;
    return (t_moved || c_moved) && time != count;
}

static int merge_one(btk_verdict *t, const btk_verdict *c)
{
    btk_buf reason = BTK_BUF_INIT;
    btk_verdict_kind time = t->kind;
    int error;

    t->has_count = c->has_count;
    t->count_kind = c->count_kind;
    t->base_count = c->base_count;
    t->new_count = c->new_count;
    t->count_ratio = c->count_ratio;
    t->count_threshold = c->count_threshold;
    if (!c->has_count)
        return 0; /* the count side is new, missing or failed: time's verdict stands */
    t->disagree = disagree(t->time_kind, c->count_kind);
    t->kind = combine(time, c->count_kind);
    error = btk_buf_printf(&reason, "%s%s%s", t->reason ? t->reason : "",
                           t->reason ? "; " : "", c->reason ? c->reason : "");
    if (error == 0 && t->disagree)
        error = btk_buf_printf(
            &reason,
            "; time and counts disagree: time %s, instructions "
            "%s (%s)",
            btk_verdict_name(t->time_kind), btk_verdict_name(c->count_kind),
            c->count_kind == BTK_VERDICT_UNCHANGED
                ? "a cache, branch or memory effect the count does not "
                  "see, or noise"
                : "more or less work that time did not resolve");
    if (error == 0) {
        btk__free(t->reason);
        t->reason = btk_buf_detach(&reason);
    }
    btk_buf_free(&reason);
    return error;
}

static btk_verdict *find(btk_comparison *cmp, const char *name)
{
    for (size_t i = 0; i < cmp->count; i++)
        if (!strcmp(cmp->items[i].name, name))
            return &cmp->items[i];
    return NULL;
}

int btk_countcmp_merge(btk_comparison *times, btk_comparison *counts)
{
    size_t extra = 0, k;
    btk_verdict *grown;
    int error = 0;

    for (size_t i = 0; i < counts->count; i++)
        extra += find(times, counts->items[i].name) == NULL;
    grown = btk__realloc(times->items, (times->count + extra + 1) * sizeof(btk_verdict));
    if (grown == NULL)
        return BTK_ENOMEM;
    times->items = grown;
    k = times->count;
    for (size_t i = 0; i < counts->count && error == 0; i++) {
        btk_verdict *c = &counts->items[i], *t = find(times, c->name);

        if (t != NULL && t < times->items + k) {
            error = merge_one(t, c);
            continue;
        }
        times->items[times->count++] = *c; /* moved: counts keeps no pointer to it */
        memset(c, 0, sizeof(*c));
    }
    btk_compare__recount(times);
    return error;
}
