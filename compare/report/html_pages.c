/*
 * The pages of the report: index.html (one section per machine: context, comparison
 * chart, the table of benchmarks by severity) and one page per benchmark (trend,
 * distribution, verdict, memory, counters, history), and the names of the site's files.
 * Every untrusted string is written with btk_html_text; every link and image path is
 * built from sanitized stems. report.c calls this file, never the other way round.
 */
#include "report_int.h"

#include "format.h"
#include "runtag.h"

#include <math.h>
#include <time.h>

/* ---- file names of the site ---- */

int btk_report__chart_path(btk_buf *b, const report_ctx *r, const machine_ctx *m,
                           const char *stem, const char *kind)
{
    return btk_buf_printf(b, "img/m%d%s%s-%s.%s", m->index, stem ? "-" : "",
                          stem ? stem : "", kind, r->ext);
}

int btk_report__page_path(btk_buf *b, const machine_ctx *m, const bench_item *it)
{
    return btk_buf_printf(b, "m%d-%s.html", m->index, it->stem);
}

/* ---- pages ---- */

static const char *kind_name(const btk_verdict *v)
{
    return v ? btk_verdict_name(v->kind) : "not compared";
}

/* <a href="..."> or <img src="..."> path: percent-encoded segment by segment. */
static int put_url(btk_buf *b, const char *rel)
{
    const char *slash;
    int error = 0;
    char seg[256];

    while (error == 0 && *rel) {
        slash = strchr(rel, '/');
        snprintf(seg, sizeof(seg), "%.*s", (int)(slash ? slash - rel : (long)strlen(rel)),
                 rel);
        if ((error = btk_escape_url(b, seg)) == 0 && slash)
            error = btk_buf_puts(b, "/");
        rel = slash ? slash + 1 : rel + strlen(rel);
    }
    return error;
}

static int put_img(btk_buf *b, const report_ctx *r, const machine_ctx *m,
                   const char *stem, const char *kind, const char *alt)
{
    btk_buf rel = BTK_BUF_INIT;
    int error;

    if ((error = btk_report__chart_path(&rel, r, m, stem, kind)) == 0 &&
        (error = btk_buf_puts(b, "<img src=\"")) == 0 &&
        (error = put_url(b, rel.ptr)) == 0 &&
        (error = btk_buf_puts(b, "\" alt=\"")) == 0 &&
        (error = btk_html_text(b, alt)) == 0)
        error = btk_buf_puts(b, "\">");
    btk_buf_free(&rel);
    return error;
}

/* "abc1234 subject" for a side of machine m. */
static int put_commit(btk_buf *b, const char *sha, btk_run **runs, size_t count)
{
    int error;

    if (sha[0] == '\0')
        return btk_buf_puts(b, "<em>none</em>");
    if ((error = btk_html_raw(b, "<code>%.10s</code> ", sha)) < 0 || count == 0)
        return error;
    if ((error = btk_html_text(b, runs[0]->commit.subject)) == 0 && runs[0]->date &&
        (error = btk_buf_puts(b, " <span class=\"ctx\">(run ")) == 0 &&
        (error = btk_html_text(b, runs[0]->date)) == 0)
        error = btk_buf_puts(b, ")</span>");
    return error;
}

int btk_report__index_head(btk_buf *b, const report_ctx *r, size_t machine_count)
{
    char when[64];
    time_t now = time(NULL);
    int error;

    strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
    if ((error = btk_html_begin(b, "benchtrack report")) < 0 ||
        (error = btk_buf_puts(b, "<h1>benchtrack report</h1>\n<p class=\"ctx\">Branch "
                                 "<b>")) < 0 ||
        (error = btk_html_text(b, r->opts->branch ? r->opts->branch : "(not named)")) < 0)
        return error;
    return btk_html_raw(
        b,
        "</b>, %zu commit(s) with results in first-parent order (newest <code>%.10s"
        "</code>; %zu commits walked), %zu machine(s). Generated %s. Each machine has its "
        "own section: results of different machines are never mixed.%s</p>\n",
        r->sha_count, r->sha_count ? r->shas[0] : "none", r->walked, machine_count, when,
        r->opts->include_dirty ? " Runs recorded with uncommitted changes are included "
                                 "and marked dirty."
                               : " Runs recorded with uncommitted changes (dirty) are left "
                                 "out.");
}

/* The recorded environment warnings of a side's runs, each text once. */
static int put_env_warnings(btk_buf *b, const char *which, btk_run **runs, size_t count)
{
    int error = 0;

    for (size_t i = 0; i < count && error == 0; i++)
        for (size_t k = 0; k < runs[i]->warning_count && error == 0; k++) {
            bool seen = false;

            for (size_t j = 0; j <= i && !seen; j++)
                for (size_t l = 0; l < (j < i ? runs[j]->warning_count : k) && !seen; l++)
                    seen = runs[j]->warnings[l] && runs[i]->warnings[k] &&
                           !strcmp(runs[j]->warnings[l], runs[i]->warnings[k]);
            if (seen || runs[i]->warnings[k] == NULL)
                continue;
            if ((error = btk_html_raw(b, "<p class=\"warn\">Warning recorded by the %s "
                                         "run #%" PRId64 ": ", which, runs[i]->id)) == 0 &&
                (error = btk_html_text(b, runs[i]->warnings[k])) == 0)
                error = btk_buf_puts(b, "</p>\n");
        }
    return error;
}

/* The comparison's clock note (docs/statistics.md §12), when it has one: the sides ran at
 * core clocks more than 1 % apart, which moves the wall time of CPU-bound benchmarks. */
static int put_clock_note(btk_buf *b, const btk_comparison *cmp)
{
    btk_buf text = BTK_BUF_INIT;
    int error = btk_format__clock_note(&text, cmp);

    if (error == 0 && text.len &&
        (error = btk_buf_puts(b, "<p class=\"warn\"><b>Note:</b> ")) == 0 &&
        (error = btk_html_text(b, btk_buf_cstr(&text))) == 0)
        error = btk_buf_puts(b, ".</p>\n");
    btk_buf_free(&text);
    return error;
}

/* A warning paragraph for note, when it says something. */
static int put_warn_note(btk_buf *b, const btk_buf *note)
{
    int error = 0;

    if (note->len &&
        (error = btk_buf_puts(b, "<p class=\"warn\"><b>WARNING:</b> ")) == 0 &&
        (error = btk_html_text(b, btk_buf_cstr(note))) == 0)
        error = btk_buf_puts(b, ".</p>\n");
    return error;
}

/* The latest and base runs record different sample lengths, or different core states
 * (runtag.h): a warning each. */
static int put_side_notes(btk_buf *b, const machine_ctx *m)
{
    btk_buf note = BTK_BUF_INIT, core = BTK_BUF_INIT;
    int error = btk_runtag_sample_note(&note, (const btk_run *const *)m->base, m->base_count,
                                       (const btk_run *const *)m->latest, m->latest_count);

    if (error == 0)
        error = btk_runtag_core_note(&core, (const btk_run *const *)m->base, m->base_count,
                                     (const btk_run *const *)m->latest, m->latest_count);
    if (error == 0)
        error = put_warn_note(b, &note);
    if (error == 0)
        error = put_warn_note(b, &core);
    btk_buf_free(&note);
    btk_buf_free(&core);
    return error;
}

/* What could make this section's comparison untrustworthy: different builds (then no
 * verdicts), different sample lengths, runs left out, sides at different core clocks, the
 * runs' own environment warnings. */
static int put_trust(btk_buf *b, const machine_ctx *m)
{
    int error = 0;

    if (m->build_diff.len &&
        ((error = btk_buf_puts(b, "<p class=\"warn\"><b>WARNING: different builds, not "
                                  "compared:</b> ")) < 0 ||
         (error = btk_html_text(b, btk_buf_cstr(&m->build_diff))) < 0 ||
         (error = btk_buf_puts(b, ". Runs of different builds are never pooled or "
                                  "compared.</p>\n")) < 0))
        return error;
    if ((error = put_side_notes(b, m)) < 0)
        return error;
    if (m->excluded.len &&
        ((error = btk_buf_puts(b, "<p class=\"ctx\">Left out: ")) < 0 ||
         (error = btk_html_text(b, btk_buf_cstr(&m->excluded))) < 0 ||
         (error = btk_buf_puts(b, ".</p>\n")) < 0))
        return error;
    if (m->cmp && (error = put_clock_note(b, m->cmp)) < 0)
        return error;
    if ((error = put_env_warnings(b, "latest", m->latest, m->latest_count)) < 0)
        return error;
    return put_env_warnings(b, "base", m->base, m->base_count);
}

static int put_machine_context(btk_buf *b, const machine_ctx *m)
{
    const btk_machine *i = &m->info;
    int error;

    if ((error = btk_html_raw(b, "<h2 id=\"m%d\">Machine ", m->index)) < 0 ||
        (error = btk_html_text(b, i->name       ? i->name /* a named class (--machine) */
                                  : i->hostname ? i->hostname
                                                : "(unknown host)")) < 0 ||
        (error = btk_buf_puts(b, "</h2>\n<p class=\"ctx\">")) < 0 ||
        (error = btk_html_text(b, i->cpu_model)) < 0 ||
        (error = btk_html_raw(b, ", %d CPUs, ", i->cpus)) < 0 ||
        (error = btk_html_text(b, i->arch)) < 0 ||
        (error = btk_buf_puts(b, ", fingerprint <code>")) < 0 ||
        (error = btk_html_text(b, m->fp)) < 0 ||
        (error = btk_buf_puts(b, "</code></p>\n<p>Latest: ")) < 0 ||
        (error = put_commit(b, m->latest_sha, m->latest, m->latest_count)) < 0 ||
        (error = btk_buf_puts(b, "<br>Base: ")) < 0 ||
        (error = put_commit(b, m->base_sha, m->base, m->base_count)) < 0 ||
        (error = btk_buf_puts(b, "</p>\n")) < 0)
        return error;
    return put_trust(b, m);
}

static int put_index_row(btk_buf *b, const report_ctx *r, const machine_ctx *m,
                         const bench_item *it)
{
    const btk_verdict *v = it->verdict;
    btk_buf rel = BTK_BUF_INIT;
    double latest = it->latest ? it->latest->stats.median : NAN;
    int error;

    if ((error = btk_report__page_path(&rel, m, it)) < 0 ||
        (error = btk_buf_puts(b, "<tr><td class=\"name\"><a href=\"")) < 0 ||
        (error = put_url(b, rel.ptr)) < 0 || (error = btk_buf_puts(b, "\">")) < 0 ||
        (error = btk_html_text(b, it->name)) < 0 ||
        (error = btk_html_raw(b, "</a></td><td class=\"num\" data-v=\"%g\">",
                              isfinite(latest) ? latest : -1)) < 0 ||
        (error = btk_html_time(b, latest)) < 0 ||
        (error = btk_html_raw(b, "</td><td class=\"num\" data-v=\"%g\">",
                              v && isfinite(v->ratio) ? v->ratio - 1 : 0)) < 0 ||
        (error = btk_html_change(b, v ? v->ratio : NAN)) < 0 ||
        (error = btk_html_raw(b, "</td><td class=\"v-%s\" data-v=\"%d\">%s</td><td>",
                              kind_name(v), v ? (int)v->kind : 100, kind_name(v))) < 0 ||
        (error = put_img(b, r, m, it->stem, "spark", "trend")) < 0)
        goto done;
    error = btk_buf_puts(b, "</td></tr>\n");
done:
    btk_buf_free(&rel);
    return error;
}

/* A commit's sha as the Regressions list shows it: its first 10 hex digits, in code. */
static int put_short_sha(btk_buf *b, const char *sha)
{
    size_t n = strspn(sha, "0123456789abcdef");

    return btk_html_raw(b, "<code>%.*s</code>", (int)(n < 10 ? n : 10), sha);
}

/* One change point of the Regressions list: commit (and, when the change may lie at
 * another, the range of commits it may lie at: docs/statistics.md, "Where a point lies"),
 * subject, benchmark (linked to its page), levels before and after, change and p. */
static int put_change_row(btk_buf *b, const machine_ctx *m, const bench_item *it,
                          const btk_changepoint *cp)
{
    const btk_history_point *p = &it->points[cp->index];
    btk_buf rel = BTK_BUF_INIT;
    int error;

    if ((error = btk_buf_puts(b, "<tr><td>")) < 0 || (error = put_short_sha(b, p->sha)) < 0)
        goto done;
    if (cp->last > cp->first && cp->last < it->count &&
        ((error = btk_buf_puts(b, "<br><small class=\"where\">where: ")) < 0 ||
         (error = put_short_sha(b, it->points[cp->first].sha)) < 0 ||
         (error = btk_buf_puts(b, " … ")) < 0 ||
         (error = put_short_sha(b, it->points[cp->last].sha)) < 0 ||
         (error = btk_html_raw(b, ", %zu commits with results</small>",
                               cp->last - cp->first + 1)) < 0))
        goto done;
    if ((error = btk_buf_puts(b, "</td><td>")) < 0 ||
        (error = btk_html_text(b, p->subject)) < 0 ||
        (error = btk_buf_puts(b, "</td><td><a href=\"")) < 0 ||
        (error = btk_report__page_path(&rel, m, it)) < 0 ||
        (error = put_url(b, rel.ptr)) < 0 || (error = btk_buf_puts(b, "\">")) < 0 ||
        (error = btk_html_text(b, it->name)) < 0 ||
        (error = btk_buf_puts(b, "</a></td><td class=\"num\">")) < 0 ||
        (error = btk_html_time(b, cp->before)) < 0 ||
        (error = btk_buf_puts(b, " → ")) < 0 || (error = btk_html_time(b, cp->after)) < 0 ||
        (error = btk_buf_puts(b, "</td><td class=\"num step-up\">")) < 0 ||
        (error = btk_html_change(b, cp->magnitude + 1)) < 0)
        goto done;
    error = btk_html_raw(b, "</td><td class=\"num\">%.2g</td><td class=\"num\">%zu / %zu"
                            "</td></tr>\n",
                         cp->p, cp->count_before, cp->count_after);
done:
    btk_buf_free(&rel);
    return error;
}

/* Order of the Regressions list: newest commit first, then the larger change. */
typedef struct change_ref {
    const bench_item *it;
    const btk_changepoint *cp;
} change_ref;

static int cmp_change(const void *a, const void *b)
{
    const change_ref *x = a, *y = b;
    int64_t tx = x->it->points[x->cp->index].commit_time,
            ty = y->it->points[y->cp->index].commit_time;

    if (tx != ty)
        return tx > ty ? -1 : 1;
    return (x->cp->magnitude < y->cp->magnitude) - (x->cp->magnitude > y->cp->magnitude);
}

static int put_count_regressions(btk_buf *b, const machine_ctx *m);

/* The Regressions section: every change point of the history to a slower level, over all
 * benchmarks of machine m; the faster ones are counted. */
static int put_regressions(btk_buf *b, const machine_ctx *m)
{
    change_ref *list;
    size_t i, k, n = 0, total = 0;
    int error = 0;

    for (i = 0; i < m->item_count; i++)
        total += m->items[i].change_count;
    if ((list = btk__calloc(total + 1, sizeof(*list))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < m->item_count; i++)
        for (k = 0; k < m->items[i].change_count; k++)
            if (m->items[i].changes[k].magnitude > 0)
                list[n++] = (change_ref){&m->items[i], &m->items[i].changes[k]};
    qsort(list, n, sizeof(*list), cmp_change);
    error = btk_html_raw(
        b, "<h3>Regressions</h3>\n<p>%zu change point(s) to a slower level in the history "
           "shown (and %zu to a faster one), found by the change-point detector "
           "(docs/statistics.md §9): a change is listed once %d commits show the new "
           "level.</p>\n",
        n, total - n, BTK_CHANGEPOINT_MIN_SEGMENT);
    if (error == 0 && n > 0)
        error = btk_buf_puts(b, "<table class=\"regressions\"><thead><tr><th>commit</th>"
                                "<th>subject</th><th>benchmark</th><th>level before → "
                                "after</th><th>change</th><th>p</th><th>commits before / "
                                "after</th></tr></thead><tbody>\n");
    for (i = 0; error == 0 && i < n; i++)
        error = put_change_row(b, m, list[i].it, list[i].cp);
    if (error == 0 && n > 0)
        error = btk_buf_puts(b, "</tbody></table>\n");
    btk__free(list);
    return error ? error : put_count_regressions(b, m);
}

/* Order of the count regressions: newest commit first, then the larger change. */
typedef struct count_ref {
    const bench_item *it;
    const count_change *c;
} count_ref;

static int cmp_count_ref(const void *a, const void *b)
{
    const count_ref *x = a, *y = b;
    double mx = x->c->after / x->c->before, my = y->c->after / y->c->before;

    if (x->c->time != y->c->time)
        return x->c->time > y->c->time ? -1 : 1;
    return (mx < my) - (mx > my);
}

/* The count regressions of machine m (its counting runs' count change points to more
 * instructions, docs/report.md), listed after the time ones, marked as counts. */
static int put_count_regressions(btk_buf *b, const machine_ctx *m)
{
    count_ref *list;
    size_t i, k, n = 0, total = 0;
    int error = 0;

    for (i = 0; i < m->item_count; i++)
        total += m->items[i].count_change_count;
    if (total == 0)
        return 0;
    if ((list = btk__calloc(total + 1, sizeof(*list))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < m->item_count; i++)
        for (k = 0; k < m->items[i].count_change_count; k++)
            if (m->items[i].count_changes[k].after > m->items[i].count_changes[k].before)
                list[n++] = (count_ref){&m->items[i], &m->items[i].count_changes[k]};
    qsort(list, n, sizeof(*list), cmp_count_ref);
    error = btk_html_raw(
        b, "<p>%zu count regression(s) (and %zu count change(s) to fewer instructions) in "
           "the counting runs: a count that moved beyond the benchmark's count_threshold "
           "from the previous trusted count, no statistics (docs/statistics.md §10).</p>\n",
        n, total - n);
    if (error == 0 && n > 0)
        error = btk_buf_puts(b, "<table class=\"regressions count-regressions\"><thead><tr>"
                                "<th>commit</th><th>subject</th><th>benchmark</th><th>"
                                "count before → after</th><th>change</th><th>kind</th>"
                                "</tr></thead><tbody>\n");
    for (i = 0; error == 0 && i < n; i++) {
        const count_change *c = list[i].c;
        btk_buf rel = BTK_BUF_INIT;

        if ((error = btk_buf_puts(b, "<tr><td>")) < 0 ||
            (error = put_short_sha(b, c->sha)) < 0 ||
            (error = btk_buf_puts(b, "</td><td>")) < 0 ||
            (error = btk_html_text(b, c->subject)) < 0 ||
            (error = btk_buf_puts(b, "</td><td><a href=\"")) < 0 ||
            (error = btk_report__page_path(&rel, m, list[i].it)) == 0)
            if ((error = put_url(b, rel.ptr)) == 0 && (error = btk_buf_puts(b, "\">")) == 0 &&
                (error = btk_html_text(b, list[i].it->name)) == 0)
                error = btk_html_raw(b,
                                     "</a></td><td class=\"num\">%.6g → %.6g ins</td>"
                                     "<td class=\"num step-up\">%+.2f %%</td>"
                                     "<td>count</td></tr>\n",
                                     c->before, c->after, (c->after / c->before - 1) * 100);
        btk_buf_free(&rel);
    }
    if (error == 0 && n > 0)
        error = btk_buf_puts(b, "</tbody></table>\n");
    btk__free(list);
    return error;
}

/* The complexity section: per size series of the latest run, its fit and its log-log
 * chart of time against size (docs/report.md, "Complexity"). */
static int put_complexity(btk_buf *b, const report_ctx *r, const machine_ctx *m)
{
    char verdict[160];
    size_t i;
    int error;

    if (m->series_count == 0)
        return 0;
    if ((error = btk_buf_puts(b, "<h3>Complexity</h3>\n<p>Median time per iteration of "
                                 "the latest run against the size, for each series of 3 "
                                 "or more sizes (log-log; the dashed line is the fitted "
                                 "power law n<sup>k</sup>).</p>\n")) < 0)
        return error;
    for (i = 0; error == 0 && i < m->series_count; i++) {
        const btk_series *s = &m->series[i];

        btk_complexity_verdict_text(verdict, sizeof(verdict), &s->group);
        if ((error = btk_buf_puts(b, "<figure><figcaption><code>")) == 0 &&
            (error = btk_html_text(b, s->group.name)) == 0 &&
            (error = btk_buf_puts(b, "</code>: ")) == 0 &&
            (error = btk_html_text(b, verdict)) == 0 &&
            (error = s->group.fit.has_power
                         ? btk_html_raw(b, "; k = %.3f [%.3f, %.3f]", s->group.fit.power_k,
                                        s->group.fit.power_lo, s->group.fit.power_hi)
                         : 0) == 0 &&
            (error = btk_buf_puts(b, "</figcaption>")) == 0 &&
            (error = put_img(b, r, m, m->series_stems[i], "size", s->group.name)) == 0)
            error = btk_buf_puts(b, "</figure>\n");
    }
    return error;
}

int btk_report__index_section(btk_buf *b, const report_ctx *r, const machine_ctx *m)
{
    size_t i;
    int error;

    if ((error = put_machine_context(b, m)) < 0)
        return error;
    if (m->latest_sha[0] == '\0')
        return btk_buf_puts(b, "<p class=\"warn\">No runs of this machine on these "
                               "commits.</p>\n");
    if (m->cmp &&
        (error = btk_html_raw(b,
                              "<p>%zu regression(s), %zu improvement(s) "
                              "against the base.</p>\n<p>",
                              m->cmp->regressions, m->cmp->improvements)) == 0 &&
        (error = put_img(b, r, m, NULL, "compare", "change per benchmark")) == 0)
        error = btk_buf_puts(b, "</p>\n");
    if (error == 0)
        error =
            btk_buf_puts(b, "<table><thead><tr><th class=\"sort\" onclick=\"btkSort(this)"
                            "\">benchmark</th><th class=\"sort\" onclick=\"btkSort(this)"
                            "\">latest median</th><th class=\"sort\" onclick=\"btkSort("
                            "this)\">change</th><th class=\"sort\" onclick=\"btkSort(this"
                            ")\">verdict</th><th>trend</th></tr></thead><tbody>\n");
    for (i = 0; error == 0 && i < m->item_count; i++)
        error = put_index_row(b, r, m, &m->items[i]);
    if (error == 0)
        error = btk_buf_puts(b, "</tbody></table>\n");
    if (error == 0)
        error = put_regressions(b, m);
    return error ? error : put_complexity(b, r, m);
}

/* " p = 0.01, q = 0.02;" with the numbers that are known (none for a failed one). */
static int put_pq(btk_buf *b, const btk_verdict *v)
{
    int error = 0;

    if (isfinite(v->p_value))
        error = btk_html_raw(b, " p = %.3g,", v->p_value);
    if (error == 0 && isfinite(v->q_value))
        error = btk_html_raw(b, " q = %.3g;", v->q_value);
    return error;
}

static int put_verdict(btk_buf *b, const machine_ctx *m, const bench_item *it)
{
    const btk_verdict *v = it->verdict;
    int error;

    if (v == NULL && m->build_diff.len)
        return btk_buf_puts(b, "<p class=\"warn\">Not compared: the latest and the base "
                               "are different builds (see the index).</p>\n");
    if (v == NULL)
        return btk_buf_puts(
            b, "<p>Not compared (no base runs, or missing on a side).</p>\n");
    if ((error = btk_html_raw(b, "<p>Verdict: <span class=\"v-%s\">%s</span>. Median ",
                              kind_name(v), kind_name(v))) < 0 ||
        (error = btk_html_time(b, v->base_median)) < 0 ||
        (error = btk_buf_puts(b, " → ")) ||
        (error = btk_html_time(b, v->new_median)) < 0 ||
        (error = btk_buf_puts(b, " (")) || (error = btk_html_change(b, v->ratio)) < 0 ||
        (error = btk_buf_puts(b, ", 95% CI ")) < 0 ||
        (error = btk_html_change(b, v->ci_low)) || (error = btk_buf_puts(b, " … ")) < 0 ||
        (error = btk_html_change(b, v->ci_high)) || (error = btk_buf_puts(b, ");")) < 0 ||
        (error = put_pq(b, v)) < 0 ||
        (error = btk_html_raw(b, " %zu vs %zu %s; noise band ±%.3g%%. ", v->units_base,
                              v->units_new, v->unit ? v->unit : "units",
                              v->noise_band * 100)) < 0 ||
        (error = btk_html_text(b, v->reason)) < 0)
        return error;
    return btk_buf_puts(b, "</p>\n");
}

static int put_row(btk_buf *b, const char *label, int (*fmt)(btk_buf *, double), double v)
{
    int error = btk_html_raw(b, "<tr><th>%s</th><td class=\"num\">", label);

    if (error == 0)
        error = fmt(b, v);
    return error ? error : btk_buf_puts(b, "</td></tr>\n");
}

static int fmt_plain(btk_buf *b, double v)
{
    return isfinite(v) ? btk_buf_printf(b, "%.4g", v) : btk_buf_puts(b, "–");
}

static int fmt_bytes(btk_buf *b, double v)
{
    return btk_html_bytes(b, isfinite(v) ? (int64_t)v : -1);
}

/* A rate per second as "12.3 M" (3 significant digits, SI prefix). */
static int fmt_rate(btk_buf *b, double v)
{
    static const char *const prefix[] = {"", " k", " M", " G", " T"};
    int p = 0;

    if (!isfinite(v) || v <= 0)
        return btk_buf_puts(b, "–");
    while (p < 4 && v >= 999.5)
        v /= 1000, p++;
    return btk_buf_printf(b, v >= 99.95 ? "%.0f%s" : v >= 9.995 ? "%.1f%s" : "%.2f%s", v,
                          prefix[p]);
}

/* Throughput rows (btk_set_bytes / btk_set_items), from the median time per iteration. */
static int put_throughput(btk_buf *b, const btk_result *res)
{
    double per_s = 1e9 / res->stats.median;
    int error = 0;

    if (res->bytes_per_iter > 0)
        error = put_row(b, "throughput (bytes / second)", fmt_bytes,
                        res->bytes_per_iter * per_s);
    if (error == 0 && res->items_per_iter > 0)
        error = put_row(b, "throughput (items / second)", fmt_rate,
                        res->items_per_iter * per_s);
    return error;
}

/* Figures of the latest result: statistics, memory, counters. */
static int put_figures(btk_buf *b, const btk_result *res)
{
    const btk_stats *s;
    const btk_memory *mem;
    size_t i;
    int error;

    if (res == NULL)
        return btk_buf_puts(b, "<p>No result on the latest commit.</p>\n");
    s = &res->stats, mem = &res->memory;
    if (res->status != BTK_RESULT_OK &&
        ((error = btk_buf_puts(b, "<p class=\"warn\">Failed: ")) < 0 ||
         (error = btk_html_text(b, res->error_kind)) < 0 ||
         (error = btk_buf_puts(b, ": ")) ||
         (error = btk_html_text(b, res->error_message)) < 0 ||
         (error = btk_buf_puts(b, "</p>\n")) < 0))
        return error;
    if (res->status != BTK_RESULT_OK)
        return 0; /* a failed result has no figures */
    error = btk_buf_puts(b, "<h3>Latest figures</h3><table>\n");
    error = error ? error : put_row(b, "median", btk_html_time, s->median);
    error = error ? error : put_row(b, "min", btk_html_time, s->min);
    error = error ? error : put_row(b, "p90", btk_html_time, s->p90);
    error = error ? error : put_row(b, "p99", btk_html_time, s->p99);
    error = error ? error : put_throughput(b, res);
    error = error ? error : put_row(b, "samples", fmt_plain, (double)s->samples);
    error = error ? error
                  : put_row(b, "outliers", fmt_plain,
                            (double)(s->outliers_low + s->outliers_high));
    error = error ? error
                  : put_row(b, "allocations / iteration", fmt_plain,
                            mem->tracked ? mem->allocs_per_iter : NAN);
    error = error ? error
                  : put_row(b, "bytes allocated / iteration", fmt_bytes,
                            mem->tracked ? mem->bytes_per_iter : NAN);
    error =
        error ? error : put_row(b, "peak RSS", fmt_bytes, (double)mem->peak_rss_bytes);
    error = error ? error
                  : put_row(b, "minor page faults", fmt_plain,
                            mem->minor_faults < 0 ? NAN : (double)mem->minor_faults);
    for (i = 0; error == 0 && i < res->counter_count + res->hw_count; i++) {
        const btk_kv *kv =
            i < res->counter_count ? &res->counters[i] : &res->hw[i - res->counter_count];
        if ((error = btk_buf_puts(b, "<tr><th>")) < 0 ||
            (error = btk_html_text(b, kv->name)))
            break;
        error = btk_html_raw(b, " (%s)</th><td class=\"num\">%.4g</td></tr>\n",
                             i < res->counter_count ? "counter" : "hardware", kv->value);
    }
    return error ? error : btk_buf_puts(b, "</table>\n");
}

/* History, newest first. */
static int put_history(btk_buf *b, const bench_item *it)
{
    size_t k, i;
    int error = btk_buf_puts(b, "<h3>History</h3><table><thead><tr><th>commit</th>"
                                "<th>subject</th><th>median</th><th>95% CI</th>"
                                "<th>change point</th></tr></thead><tbody>\n");

    for (k = 0; error == 0 && k < it->count; k++) {
        const btk_history_point *p = &it->points[it->count - 1 - k];
        int mark = it->trend[it->count - 1 - k].step;

        i = strspn(p->sha, "0123456789abcdef");
        if ((error = btk_html_raw(b, "<tr><td><code>%.*s</code></td><td>",
                                  (int)(i < 10 ? i : 10), p->sha)) < 0 ||
            (error = btk_html_text(b, p->subject)) < 0 ||
            (error = it->dirty[it->count - 1 - k]
                         ? btk_buf_puts(b, " <span class=\"dirty\">(dirty run)</span>")
                         : 0) < 0 ||
            (error = it->build[it->count - 1 - k]
                         ? btk_buf_puts(b, " <span class=\"dirty\">(build changed)</span>")
                         : 0) < 0 ||
            (error = btk_buf_puts(b, "</td><td class=\"num\">")) < 0 ||
            (error = p->status == BTK_RESULT_OK ? btk_html_time(b, p->stats.median)
                                                : btk_buf_puts(b, "failed")) < 0 ||
            (error = btk_buf_puts(b, "</td><td class=\"num\">")) < 0 ||
            (error = btk_html_time(b, p->stats.ci_low)) < 0 ||
            (error = btk_buf_puts(b, " … ")) < 0 ||
            (error = btk_html_time(b, p->stats.ci_high)) < 0)
            break;
        error = btk_buf_puts(
            b, mark > 0   ? "</td><td class=\"step-up\">▲ slower</td></tr>\n"
               : mark < 0 ? "</td><td class=\"step-down\">▼ faster</td></tr>\n"
                          : "</td><td></td></tr>\n");
    }
    return error ? error : btk_buf_puts(b, "</tbody></table>\n");
}

int btk_report__bench_page(const report_ctx *r, const machine_ctx *m,
                           const bench_item *it)
{
    btk_buf b = BTK_BUF_INIT, path = BTK_BUF_INIT;
    int error;

    if ((error = btk_html_begin(&b, it->name)) < 0 ||
        (error = btk_html_raw(&b,
                              "<p><a href=\"index.html#m%d\">← all benchmarks</a></p>"
                              "\n<h1>",
                              m->index)) < 0 ||
        (error = btk_html_text(&b, it->name)) < 0 ||
        (error = btk_buf_puts(&b, "</h1>\n<p class=\"ctx\">Machine ")) < 0 ||
        (error = btk_html_text(&b, m->info.name ? m->info.name : m->info.hostname)) < 0 ||
        (error = btk_buf_puts(&b, ", branch ")) < 0 ||
        (error = btk_html_text(&b, r->opts->branch ? r->opts->branch : "(not named)")) ||
        (error = btk_buf_puts(&b, ". Latest: ")) < 0 ||
        (error = put_commit(&b, m->latest_sha, m->latest, m->latest_count)) < 0 ||
        (error = btk_buf_puts(&b, "</p>\n")) < 0 || (error = put_verdict(&b, m, it)) < 0 ||
        (error = btk_buf_puts(&b, "<h3>Trend</h3><p>")) < 0 ||
        (error = it->has_trend
                     ? put_img(&b, r, m, it->stem, "trend", "trend over commits")
                     : btk_buf_puts(&b, "No successful result on these commits.")) < 0 ||
        (error = it->count_trend_count
                     ? btk_buf_puts(&b, "</p><h3>Count trend</h3><p>Instructions per "
                                        "iteration of the counting runs; red: a count "
                                        "regression (docs/statistics.md §10).</p><p>")
                     : 0) < 0 ||
        (error = it->count_trend_count
                     ? put_img(&b, r, m, it->stem, "count", "count trend over commits")
                     : 0) < 0 ||
        (error = btk_buf_puts(&b, "</p><h3>Distribution of samples</h3><p>")) < 0 ||
        (error = it->has_dist
                     ? put_img(&b, r, m, it->stem, "dist", "samples, base and latest")
                     : btk_buf_puts(&b, "No samples: the benchmark failed or has no "
                                        "result on either side.")) < 0 ||
        (error = btk_buf_puts(&b, "</p>\n")) < 0 ||
        (error = put_figures(&b, it->latest)) || (error = put_history(&b, it)) < 0 ||
        (error = btk_html_end(&b)) < 0 ||
        (error = btk_buf_printf(&path, "%s/", r->opts->out_dir)) < 0 ||
        (error = btk_report__page_path(&path, m, it)) < 0)
        goto done;
    error = btk_html_save(&b, path.ptr);
done:
    btk_buf_free(&b);
    btk_buf_free(&path);
    return error;
}
