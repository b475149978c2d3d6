/*
 * The static HTML report: loads each machine's history and latest comparison from the
 * store, draws every chart through one gnuplot session, and writes index.html plus a page
 * per benchmark (html_pages.c, which also names the files). Machines are kept apart: one
 * section, one set of charts and one page per (machine, benchmark).
 */
#include "report.h"
#include "outfile.h"
#include "report_int.h"
#include "runhistory.h"
#include "config.h"
#include "counthist.h"

#include <math.h>
#include <sys/stat.h>

/* ---- history without dirty runs ---- */

static int cmp_row_desc(const void *key, const void *elem)
{
    int64_t id = *(const int64_t *)key, other = ((const btk_run_row *)elem)->id;

    return id > other ? -1 : id < other;
}

/* The row of run id in rows (newest first, so ids descending), or NULL. */
static const btk_run_row *row_of(const btk_report_history_in *in, int64_t id)
{
    return bsearch(&id, in->rows, in->row_count, sizeof(*in->rows), cmp_row_desc);
}

/* The statistics of res that a history of metric shows (NULL: it has none): CPU time or
 * core cycles for those metrics, else its own (wall time, or counts). */
static const btk_stats *history_stats(const btk_result *res, btk_history_metric metric)
{
    return btk_result_metric_stats(res, metric == BTK_HISTORY_CPU      ? BTK_COMPARE_CPU
                                        : metric == BTK_HISTORY_CYCLES ? BTK_COMPARE_CYCLES
                                                                       : BTK_COMPARE_WALL);
}

/* Point p's run is dirty: take the newest clean run of its commit with the benchmark.
 * Returns 1 when found (p updated), 0 when there is none, or an error. */
static int clean_point(btk_history_point *p, btk_store *db, const btk_report_history_in *in)
{
    const btk_run_row *r;
    const btk_stats *st;
    const btk_result *res;
    btk_run *run = NULL;
    int error = 0, found = 0;

    for (size_t i = 0; i < in->row_count && !found && error == 0; i++) {
        r = &in->rows[i];
        if (r->dirty || strcmp(r->sha, p->sha) || (in->fp && r->machine_fp &&
                                                   strcmp(r->machine_fp, in->fp)))
            continue;
        if ((error = btk_store_load_run(&run, db, r->id, false)) < 0)
            break;
        /* a counting run's figures are instructions, not times (docs/report.md) */
        if ((run->measure == BTK_MEASURE_KIND_TIME) == (in->metric != BTK_HISTORY_COUNT) &&
            (res = btk_run_find(run, in->name)) != NULL &&
            (st = history_stats(res, in->metric)) != NULL) {
            p->run_id = r->id;
            p->status = res->status;
            p->stats = *st;
            p->cycles_median = res->cycles_median;
            p->memory = res->memory;
            found = 1;
        }
        btk_run_free(run);
    }
    return error < 0 ? error : found;
}

int btk_report_history(btk_history_point **points_out, size_t *count_out, bool **dirty_out,
                       btk_buf *excluded, btk_store *db, const btk_report_history_in *in)
{
    btk_history_point *p;
    const btk_run_row *row;
    size_t i, kept = 0;
    int error;

    *dirty_out = NULL;
    if ((error = btk_store_history_metric(points_out, count_out, db, in->name, in->fp,
                                          in->shas, in->sha_count, in->metric)) < 0)
        return error;
    p = *points_out;
    if ((*dirty_out = btk__calloc(*count_out + 1, sizeof(**dirty_out))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < *count_out && error >= 0; i++) {
        bool dirty = (row = row_of(in, p[i].run_id)) != NULL && row->dirty;

        if (dirty && !in->include_dirty &&
            (error = btk_buf_printf(excluded, "%s#%" PRId64, excluded->len ? ", " : "",
                                    p[i].run_id)) == 0 &&
            (error = clean_point(&p[i], db, in)) == 0) {
            btk__free(p[i].subject); /* no clean run at this commit: no point */
            memset(&p[i], 0, sizeof(p[i]));
            continue;
        }
        (*dirty_out)[kept] = dirty && in->include_dirty;
        if (kept != i) {
            p[kept] = p[i];
            memset(&p[i], 0, sizeof(p[i]));
        }
        kept++;
    }
    *count_out = kept;
    return error < 0 ? error : 0;
}

static bool same_text(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

int btk_report_build_changes(bool **changed_out, const btk_history_point *p, size_t count,
                             bool oldest_first, const btk_report_history_in *in)
{
    const btk_run_row *a, *b;

    if ((*changed_out = btk__calloc(count + 1, sizeof(**changed_out))) == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i + 1 < count; i++) /* the newer of points i, i + 1 is marked */
        if ((a = row_of(in, p[i].run_id)) != NULL &&
            (b = row_of(in, p[i + 1].run_id)) != NULL &&
            (a->compiler || a->flags) && (b->compiler || b->flags))
            (*changed_out)[oldest_first ? i + 1 : i] =
                !same_text(a->compiler, b->compiler) || !same_text(a->flags, b->flags);
    return 0;
}

/* Whether rows has a run of sha on machine fp (NULL: any) that the report takes. */
static bool has_runs(const report_ctx *r, const char *sha, const char *fp)
{
    for (size_t i = 0; i < r->row_count; i++) {
        const btk_run_row *row = &r->rows[i];

        if (!strcmp(row->sha, sha) && (r->opts->include_dirty || !row->dirty) &&
            (fp == NULL || (row->machine_fp && !strcmp(row->machine_fp, fp))))
            return true;
    }
    return false;
}

/* Load every run of sha on machine fp (with samples), newest first; dirty runs are left
 * out (and named in excluded) unless the options include them. */
static int load_side(btk_run ***runs_out, size_t *count_out, btk_buf *excluded,
                     const report_ctx *r, const char *sha, const char *fp)
{
    btk_buf ids = BTK_BUF_INIT;
    int64_t *id = NULL;
    size_t count = 0, i;
    int error, n;

    *runs_out = NULL;
    *count_out = 0;
    if ((error = btk_store_runs_for_commit(&id, &count, r->db, sha, fp)) < 0 || count == 0)
        goto done;
    if ((*runs_out = btk__calloc(count, sizeof(**runs_out))) == NULL) {
        error = BTK_ENOMEM;
        goto done;
    }
    for (i = 0; i < count && error == 0; i++)
        if ((error = btk_store_load_run(&(*runs_out)[i], r->db, id[i], true)) == 0)
            (*count_out)++;
    if (error == 0 && !r->opts->include_dirty &&
        (error = n = btk_runs_drop_dirty(*runs_out, count_out, &ids)) > 0)
        error = btk_buf_printf(excluded, "%s%d dirty run%s of %.10s (%s)",
                               excluded->len ? "; " : "", n, n > 1 ? "s" : "", sha,
                               btk_buf_cstr(&ids));
done:
    btk_buf_free(&ids);
    btk__free(id);
    return error < 0 ? error : 0;
}

/* The newest commit of the report (from index start on) with runs on fp; -1 when none. */
static long newest_with_runs(const report_ctx *r, size_t start, const char *fp)
{
    for (size_t i = start; i < r->sha_count; i++)
        if (has_runs(r, r->shas[i], fp))
            return (long)i;
    return -1;
}

/* Keep one build on each side: the latest's newest run's, and on the base the same when
 * it has it; when the bases's build still differs, say so in m->build_diff. */
static int keep_builds(machine_ctx *m)
{
    btk_buf ids = BTK_BUF_INIT;
    const btk_run *ref = m->base_count ? m->base[0] : NULL;
    int n, n_base = 0, error = 0;

    for (size_t i = 0; i < m->base_count; i++)
        if (btk_run_same_build(m->base[i], m->latest[0])) {
            ref = m->base[i];
            break;
        }
    n = btk_runs_keep_build(m->latest, &m->latest_count, m->latest[0], &ids);
    if (n >= 0 && ref)
        n_base = btk_runs_keep_build(m->base, &m->base_count, ref, &ids);
    if (n < 0 || n_base < 0)
        error = n < 0 ? n : n_base;
    n += n_base;
    if (error == 0 && n > 0)
        error = btk_buf_printf(&m->excluded, "%s%d run%s of another build (%s)",
                               m->excluded.len ? "; " : "", n, n > 1 ? "s" : "",
                               btk_buf_cstr(&ids));
    if (error == 0 && ref && !btk_run_same_build(ref, m->latest[0]) &&
        (error = btk_buf_puts(&m->build_diff, "the base was built with '")) == 0 &&
        (error = btk_run_build_text(&m->build_diff, ref)) == 0 &&
        (error = btk_buf_puts(&m->build_diff, "', the latest with '")) == 0 &&
        (error = btk_run_build_text(&m->build_diff, m->latest[0])) == 0)
        error = btk_buf_puts(&m->build_diff, "'");
    btk_buf_free(&ids);
    return error;
}

/* --base '#N': that run is the base of its machine's section (no base elsewhere). */
static int load_base_run(const report_ctx *r, machine_ctx *m)
{
    btk_run *run = NULL;
    int error;

    if ((error = btk_store_load_run(&run, r->db, r->opts->base_run_id, true)) < 0)
        return error;
    if (!run->machine.fingerprint || strcmp(run->machine.fingerprint, m->fp)) {
        btk_run_free(run);
        return 0;
    }
    snprintf(m->base_sha, sizeof(m->base_sha), "%s", run->commit.sha);
    if ((m->base = btk__calloc(1, sizeof(*m->base))) == NULL) {
        btk_run_free(run);
        return BTK_ENOMEM;
    }
    m->base[0] = run;
    m->base_count = 1;
    return 0;
}

/* Compare m's base and latest runs as `benchtrack compare` compares stored runs: they were
 * recorded at different times, so each benchmark's run-to-run noise, learned from the runs
 * stored before the latest ones (runhistory.c), widens the CI and p (statistics.md §8). */
static int compare_sides(const report_ctx *r, machine_ctx *m)
{
    const btk_compare_options defaults = BTK_COMPARE_OPTIONS_INIT;
    btk_compare_options o = r->opts->compare ? *r->opts->compare : defaults;
    btk_run **history = NULL;
    size_t history_count = 0;
    int error;

    if ((error = btk_runhistory_load(&history, &history_count, r->db, r->rows, r->row_count,
                                     m->base, m->base_count, m->latest,
                                     m->latest_count)) < 0)
        return error;
    o.separate = true;
    o.history = (const btk_run *const *)history;
    o.history_count = history_count;
    error = btk_compare_runs(&m->cmp, (const btk_run *const *)m->base, m->base_count,
                             (const btk_run *const *)m->latest, m->latest_count, &o);
    btk_runhistory_free(history, history_count);
    return error;
}

/* Choose the latest and base commits of machine m and load their runs; compare them. */
static int load_sides(report_ctx *r, machine_ctx *m)
{
    long latest, base = -1;
    int error = 0;

    if ((latest = newest_with_runs(r, 0, m->fp)) < 0)
        return 0;
    snprintf(m->latest_sha, sizeof(m->latest_sha), "%s", r->shas[latest]);
    if (r->opts->base_run_id > 0)
        error = load_base_run(r, m);
    else if (r->opts->base_sha)
        snprintf(m->base_sha, sizeof(m->base_sha), "%s", r->opts->base_sha);
    else if ((base = newest_with_runs(r, (size_t)latest + 1, m->fp)) >= 0)
        snprintf(m->base_sha, sizeof(m->base_sha), "%s", r->shas[base]);
    if (error < 0 || (error = load_side(&m->latest, &m->latest_count, &m->excluded, r,
                                        m->latest_sha, m->fp)) < 0)
        return error;
    if (m->base_sha[0] && r->opts->base_run_id <= 0 &&
        (error = load_side(&m->base, &m->base_count, &m->excluded, r, m->base_sha,
                           m->fp)) < 0)
        return error;
    if (m->latest_count == 0)
        return 0;
    if ((error = keep_builds(m)) < 0 || m->base_count == 0 || m->build_diff.len)
        return error; /* different builds are never compared */
    return compare_sides(r, m);
}

/* The result named name in the first time run of a side that has it, or NULL (a
 * counting run's figures are instructions: its verdict shows them, the figures and
 * distributions of the page are of times). */
static const btk_result *find_result(btk_run **runs, size_t count, const char *name)
{
    const btk_result *res;
    size_t i;

    for (i = 0; i < count; i++)
        if (runs[i]->measure == BTK_MEASURE_KIND_TIME &&
            (res = btk_run_find(runs[i], name)) != NULL)
            return res;
    return NULL;
}

/* Whether the report is of CPU time (--metric cpu). */
static bool cpu_report(const report_ctx *r)
{
    return r->opts->compare && r->opts->compare->metric == BTK_COMPARE_CPU;
}

/* Whether sha is one of the report's commits. */
static bool in_report(const report_ctx *r, const char *sha)
{
    for (size_t i = 0; i < r->sha_count; i++)
        if (!strcmp(r->shas[i], sha))
            return true;
    return false;
}

/* Load every run the report takes of its commits on machine m, reduced to process
 * medians; one run at a time, so the samples of only one run are ever in memory. */
static int load_proc_runs(const report_ctx *r, machine_ctx *m)
{
    btk_run *run;
    size_t i;
    int error = 0;

    m->cpu = cpu_report(r);
    m->procs = btk__calloc(r->row_count + 1, sizeof(*m->procs));
    m->count_runs = btk__calloc(r->row_count + 1, sizeof(*m->count_runs));
    if (m->procs == NULL || m->count_runs == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < r->row_count && error == 0; i++) {
        const btk_run_row *row = &r->rows[i];

        if ((row->dirty && !r->opts->include_dirty) || !row->machine_fp ||
            strcmp(row->machine_fp, m->fp) || !in_report(r, row->sha))
            continue;
        if ((error = btk_store_load_run(&run, r->db, row->id, true)) < 0)
            break;
        if (run->measure != BTK_MEASURE_KIND_TIME) { /* counts are not times */
            m->count_runs[m->count_run_count++] = run;
            continue;
        }
        btk_run_reduce_to_medians(run, m->cpu ? BTK_COMPARE_CPU : BTK_COMPARE_WALL);
        m->procs[m->proc_run_count++] = run;
    }
    return error;
}

/* Append the per-process values of benchmark name at commit sha (every run of m at that
 * commit; a run without samples gives its median) to v; *n_out gets their number. */
static int commit_values(btk_buf *v, size_t *n_out, const machine_ctx *m,
                         const char *sha, const char *name)
{
    const btk_result *res;
    size_t i, j;
    int error = 0;

    *n_out = 0;
    for (i = 0; i < m->proc_run_count && error == 0; i++) {
        if (strcmp(m->procs[i]->commit.sha, sha) ||
            (res = btk_run_find(m->procs[i], name)) == NULL ||
            res->status != BTK_RESULT_OK)
            continue;
        const double *median = m->cpu ? &res->cpu_stats.median : &res->stats.median;

        for (j = 0; j < res->proc_count && error == 0; j++) {
            if (res->procs[j].count == 0) /* no sample (or no CPU sample): no value */
                continue;
            error = btk_buf_put(v, (const char *)&res->procs[j].ns[0], sizeof(double));
            ++*n_out;
        }
        if (res->proc_count == 0 && (!m->cpu || res->has_cpu_stats) && isfinite(*median) &&
            error == 0) {
            error = btk_buf_put(v, (const char *)median, sizeof(double));
            ++*n_out;
        }
    }
    return error;
}

/* The trend points of it and its change points, from each commit's per-process values. */
static int item_changes(const machine_ctx *m, bench_item *it)
{
    btk_buf v = BTK_BUF_INIT;
    size_t *counts = btk__calloc(it->count + 1, sizeof(*counts)), i;
    int error;

    it->trend = btk__calloc(it->count + 1, sizeof(*it->trend));
    error = it->trend && counts ? 0 : BTK_ENOMEM;
    for (i = 0; i < it->count && error == 0; i++) {
        const btk_history_point *p = &it->points[i];
        bool ok = p->status == BTK_RESULT_OK;

        it->trend[i] = (btk_trend_point){p->sha, ok ? p->stats.median : NAN,
                                         p->stats.ci_low, p->stats.ci_high, 0, NAN};
        if (ok)
            error = commit_values(&v, &counts[i], m, p->sha, it->name);
    }
    if (error == 0)
        error = btk_chart_changes(&it->changes, &it->change_count, it->trend, it->count,
                                  (const double *)(void *)v.ptr, counts);
    btk_buf_free(&v);
    btk__free(counts);
    return error;
}

/* The count change points of benchmark it over the report's commits (counthist.h, with
 * the benchmark's count_threshold from the compare options' config). */
static int item_count_changes(const report_ctx *r, const machine_ctx *m, bench_item *it)
{
    const btk_config *config = r->opts->compare ? r->opts->compare->config : NULL;
    btk_count_point *pts = btk__calloc(r->sha_count + 1, sizeof(*pts));
    const btk_run **runs = btk__calloc(m->count_run_count + 1, sizeof(*runs));
    unsigned char *marks = btk__calloc(r->sha_count + 1, 1);
    size_t *prev = btk__calloc(r->sha_count + 1, sizeof(*prev)), np = 0, i;

    it->count_changes = btk__calloc(r->sha_count + 1, sizeof(*it->count_changes));
    it->count_trend = btk__calloc(r->sha_count + 1, sizeof(*it->count_trend));
    if (!pts || !runs || !marks || !prev || !it->count_changes || !it->count_trend) {
        btk__free(pts), btk__free(runs), btk__free(marks), btk__free(prev);
        return BTK_ENOMEM;
    }
    for (i = 0; i < r->sha_count && m->count_run_count; i++) {
        size_t n = 0;

        for (size_t k = m->count_run_count; k-- > 0;) /* oldest run first */
            if (!strcmp(m->count_runs[k]->commit.sha, r->oldest_first[i]))
                runs[n++] = m->count_runs[k];
        if (n && btk_count_point_of(&pts[np], runs, n, it->name, i))
            np++;
    }
    btk_count_marks(marks, prev, pts, np,
                    btk_config_count_threshold(config, it->name));
    for (i = 0; i < np; i++) {
        bool nondet = marks[i] == BTK_COUNT_UNTRUSTED;
        double ratio = marks[i] == BTK_COUNT_CHANGE ? pts[i].count / pts[prev[i]].count : 1;

        it->count_trend[it->count_trend_count++] =
            (btk_trend_point){pts[i].first->commit.sha, pts[i].count,
                              nondet ? pts[i].lo : NAN, nondet ? pts[i].hi : NAN,
                              ratio > 1 ? 1 : ratio < 1 ? -1 : 0, NAN};
    }
    for (i = 0; i < np; i++)
        if (marks[i] == BTK_COUNT_CHANGE)
            it->count_changes[it->count_change_count++] =
                (count_change){pts[i].first->commit.sha, pts[i].first->commit.subject,
                               pts[i].first->commit.time, pts[prev[i]].count,
                               pts[i].count};
    btk__free(pts), btk__free(runs), btk__free(marks), btk__free(prev);
    return 0;
}

/* History, change points, verdict, results and file stem of one benchmark. */
static int load_item(report_ctx *r, machine_ctx *m, bench_item *it, const char *name)
{
    btk_buf stem = BTK_BUF_INIT;
    size_t i;
    int error;

    it->name = name;
    if ((error = btk_escape_filename(&stem, name)) < 0)
        return error;
    it->stem = btk_buf_detach(&stem);
    btk_report_history_in in = {r->rows, r->row_count, name, m->fp,
                                (const char(*)[41])r->oldest_first, r->sha_count,
                                r->opts->include_dirty,
                                cpu_report(r) ? BTK_HISTORY_CPU : BTK_HISTORY_TIME};
    btk_buf excluded = BTK_BUF_INIT; /* dirty runs of the history: the section says so */

    it->slots = r->sha_count;
    error = btk_report_history(&it->points, &it->count, &it->dirty, &excluded, r->db, &in);
    if (error == 0)
        error = btk_report_build_changes(&it->build, it->points, it->count, true, &in);
    btk_buf_free(&excluded);
    if (error < 0)
        return error;
    if (it->stem == NULL)
        return BTK_ENOMEM;
    if ((error = item_changes(m, it)) < 0 || (error = item_count_changes(r, m, it)) < 0)
        return error;
    for (i = 0; m->cmp && i < m->cmp->count; i++)
        if (!strcmp(m->cmp->items[i].name, name))
            it->verdict = &m->cmp->items[i];
    it->latest = find_result(m->latest, m->latest_count, name);
    it->base = find_result(m->base, m->base_count, name);
    for (i = 0; i < it->count; i++)
        it->has_trend |= it->points[i].status == BTK_RESULT_OK &&
                         isfinite(it->points[i].stats.median);
    it->has_dist = (it->latest && it->latest->proc_count) || (it->base && it->base->proc_count);
    return 0;
}

/* Severity rank for ordering the index: verdict order, then benchmarks without one. */
static int rank_of(const bench_item *it)
{
    return it->verdict ? (int)it->verdict->kind : 100;
}

static int cmp_items(const void *a, const void *b)
{
    const bench_item *x = a, *y = b;
    int d = rank_of(x) - rank_of(y);

    return d ? d : strcmp(x->name, y->name);
}

/* Distinct names never share a page or chart file, even when their hashed stems collide:
 * colliding stems are told apart in name order (the store lists names sorted). */
static int unique_stems(machine_ctx *m)
{
    char **stems = btk__calloc(m->item_count + 1, sizeof(*stems));
    size_t i;
    int error;

    if (stems == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < m->item_count; i++)
        stems[i] = m->items[i].stem;
    error = btk_escape_unique_stems(stems, m->item_count);
    for (i = 0; i < m->item_count; i++)
        m->items[i].stem = stems[i];
    btk__free(stems);
    return error;
}

/* The size series of the newest latest run and their file-name stems. */
static int load_series(machine_ctx *m)
{
    btk_buf stem = BTK_BUF_INIT;
    size_t i;
    int error;

    if (m->latest_count == 0)
        return 0;
    if ((error = btk_series_build(&m->series, &m->series_count, m->latest[0], NULL)) < 0)
        return error;
    if ((m->series_stems = btk__calloc(m->series_count + 1, sizeof(char *))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; error == 0 && i < m->series_count; i++) {
        btk_buf_clear(&stem);
        if ((error = btk_escape_filename(&stem, m->series[i].group.name)) == 0 &&
            (m->series_stems[i] = btk__strdup(btk_buf_cstr(&stem))) == NULL)
            error = BTK_ENOMEM;
    }
    btk_buf_free(&stem);
    return error ? error : btk_escape_unique_stems(m->series_stems, m->series_count);
}

static int load_machine(report_ctx *r, machine_ctx *m)
{
    size_t i;
    int error;

    if ((error = btk_store_machine_info(&m->info, r->db, m->fp)) < 0 ||
        (error = load_sides(r, m)) < 0 ||
        (error = btk_store_benchmark_names(&m->names, &m->name_count, r->db, m->fp)) < 0 ||
        (error = load_proc_runs(r, m)) < 0)
        return error;
    if ((m->items = btk__calloc(m->name_count + 1, sizeof(*m->items))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < m->name_count; i++) {
        m->item_count++; /* freed by free_machine even when half loaded */
        if ((error = load_item(r, m, &m->items[i], m->names[i])) < 0)
            return error;
    }
    if ((error = unique_stems(m)) < 0 || (error = load_series(m)) < 0)
        return error;
    qsort(m->items, m->item_count, sizeof(*m->items), cmp_items);
    return 0;
}

static void free_runs(btk_run **runs, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        btk_run_free(runs[i]);
    btk__free(runs);
}

static void free_machine(machine_ctx *m)
{
    size_t i;

    for (i = 0; i < m->item_count; i++) {
        btk_history_free(m->items[i].points, m->items[i].slots);
        btk__free(m->items[i].dirty);
        btk__free(m->items[i].build);
        btk__free(m->items[i].trend);
        btk__free(m->items[i].changes);
        btk__free(m->items[i].count_changes);
        btk__free(m->items[i].count_trend);
        btk__free(m->items[i].stem);
    }
    btk__free(m->items);
    for (i = 0; m->series_stems != NULL && i < m->series_count; i++)
        btk__free(m->series_stems[i]);
    btk__free(m->series_stems);
    btk_series_free(m->series, m->series_count);
    btk_strings_free(m->names, m->name_count);
    btk_comparison_free(m->cmp);
    free_runs(m->procs, m->proc_run_count);
    free_runs(m->count_runs, m->count_run_count);
    free_runs(m->latest, m->latest_count);
    free_runs(m->base, m->base_count);
    btk_buf_free(&m->excluded);
    btk_buf_free(&m->build_diff);
    btk_machine_clear(&m->info);
    memset(m, 0, sizeof(*m));
}

/* out_dir/<relative chart path> into abs; the chart description into out. */
static int chart_out(btk_chart_out *out, btk_buf *abs, const report_ctx *r,
                     const machine_ctx *m, const char *stem, const char *kind)
{
    int error;

    btk_buf_clear(abs);
    if ((error = btk_buf_printf(abs, "%s/", r->opts->out_dir)) < 0 ||
        (error = btk_report__chart_path(abs, r, m, stem, kind)) < 0)
        return error;
    out->path = abs->ptr;
    out->format = r->opts->format;
    out->width = 1000;
    out->height = 420;
    return 0;
}

/* All samples of a result (every process; with cpu, its CPU samples) in one array;
 * *ns_out NULL when none. */
static int gather_samples(double **ns_out, size_t *count_out, const btk_result *res,
                          bool cpu)
{
    size_t i, n = 0;

    *ns_out = NULL;
    *count_out = 0;
    for (i = 0; res && i < res->proc_count; i++)
        n += !cpu || res->procs[i].cpu_ns ? res->procs[i].count : 0;
    if (n == 0)
        return 0;
    if ((*ns_out = btk__malloc(n * sizeof(**ns_out))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < res->proc_count; i++) {
        const double *x = cpu ? res->procs[i].cpu_ns : res->procs[i].ns;

        if (x == NULL)
            continue;
        memcpy(*ns_out + *count_out, x, res->procs[i].count * sizeof(double));
        *count_out += res->procs[i].count;
    }
    return 0;
}

static int dist_chart(report_ctx *r, const machine_ctx *m, const bench_item *it,
                      btk_chart_out *out)
{
    char label[2][64];
    btk_dist_side sides[2];
    int error;

    snprintf(label[0], sizeof(label[0]), "base %.7s", m->base_sha[0] ? m->base_sha : "-");
    snprintf(label[1], sizeof(label[1]), "latest %.7s", m->latest_sha);
    sides[0].label = label[0];
    sides[1].label = label[1];
    if ((error = gather_samples((double **)&sides[0].ns, &sides[0].count, it->base,
                                cpu_report(r))) ==
            0 &&
        (error = gather_samples((double **)&sides[1].ns, &sides[1].count, it->latest,
                                cpu_report(r))) ==
            0)
        error = btk_chart_dist(r->chart, out, it->name, sides, 2);
    btk__free((void *)sides[0].ns);
    btk__free((void *)sides[1].ns);
    return error;
}

/* Trend, sparkline and distribution of one benchmark. */
static int item_charts(report_ctx *r, const machine_ctx *m, const bench_item *it)
{
    double *med = btk__calloc(it->count + 1, sizeof(*med));
    btk_buf abs = BTK_BUF_INIT;
    btk_chart_out out;
    size_t i;
    int error = med ? 0 : BTK_ENOMEM;

    for (i = 0; error == 0 && i < it->count; i++)
        med[i] = it->trend[i].median;
    if (error == 0 && it->has_trend &&
        (error = chart_out(&out, &abs, r, m, it->stem, "trend")) == 0)
        error = btk_chart_trend(r->chart, &out, it->name, it->trend, it->count);
    if (error == 0 && it->count_trend_count &&
        (error = chart_out(&out, &abs, r, m, it->stem, "count")) == 0)
        error = btk_chart_count_trend(r->chart, &out, it->name, it->count_trend,
                                      it->count_trend_count);
    if (error == 0 && (error = chart_out(&out, &abs, r, m, it->stem, "spark")) == 0) {
        out.width = 160, out.height = 36;
        error = btk_chart_sparkline(r->chart, &out, med, it->count);
    }
    if (error == 0 && it->has_dist &&
        (error = chart_out(&out, &abs, r, m, it->stem, "dist")) == 0) {
        out.height = 380;
        error = dist_chart(r, m, it, &out);
    }
    btk_buf_free(&abs);
    btk__free(med);
    return error;
}

static int machine_charts(report_ctx *r, const machine_ctx *m)
{
    btk_buf abs = BTK_BUF_INIT;
    btk_chart_out out;
    size_t i, shown = 0;
    int error = 0;

    if (m->cmp) {
        for (i = 0; i < m->cmp->count; i++)
            shown += isfinite(m->cmp->items[i].ratio);
        if ((error = chart_out(&out, &abs, r, m, NULL, "compare")) == 0) {
            out.height = 140 + 24 * (int)(shown < 400 ? shown : 400);
            error = btk_chart_compare(r->chart, &out,
                                      "change of the latest commit against "
                                      "the base",
                                      m->cmp->items, m->cmp->count);
        }
    }
    for (i = 0; error == 0 && i < m->series_count; i++) {
        const btk_series *s = &m->series[i];
        btk_size_chart in = {s->group.name, s->group.axis, s->n, s->ns, s->count,
                             s->group.error == 0 ? &s->group.fit : NULL};

        if ((error = chart_out(&out, &abs, r, m, m->series_stems[i], "size")) == 0) {
            out.width = 640, out.height = 400;
            error = btk_chart_size(r->chart, &out, &in);
        }
    }
    btk_buf_free(&abs);
    for (i = 0; error == 0 && i < m->item_count; i++)
        error = item_charts(r, m, &m->items[i]);
    return error;
}

/* Load, draw and write one machine; its index section goes to index. */
static int report_machine(report_ctx *r, machine_ctx *m, btk_buf *index)
{
    size_t i;
    int error;

    if ((error = load_machine(r, m)) < 0 || (error = machine_charts(r, m)) < 0 ||
        (error = btk_report__index_section(index, r, m)) < 0)
        return error;
    for (i = 0; error == 0 && i < m->item_count; i++)
        error = btk_report__bench_page(r, m, &m->items[i]);
    return error;
}

static int check_options(const btk_report_options *o)
{
    size_t i;

    if (o == NULL || o->out_dir == NULL || *o->out_dir == '\0')
        return btk_error_set(BTK_EINVAL, "report: no output directory given");
    if (o->sha_count == 0)
        return btk_error_set(BTK_EINVAL, "report: the branch has no commits");
    for (i = 0; i < o->sha_count; i++)
        if (strlen(o->shas[i]) != 40)
            return btk_error_set(BTK_EINVAL, "report: commit %zu is not a full sha", i);
    return 0;
}

/* The commits of the report: those of o->shas with runs the report takes, newest first,
 * at most o->limit; and the same oldest first. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int select_commits(report_ctx *r, const btk_report_options *o)
{
    const char **with_runs, *key;
    size_t i, n = 0;
    int error;

    if ((error = btk_store_list_runs(&r->rows, &r->row_count, r->db, 0)) < 0)
        return error;
    r->walked = o->sha_count;
    r->shas = btk__calloc(o->sha_count + 1, sizeof(*r->shas));
    r->oldest_first = btk__calloc(o->sha_count + 1, sizeof(*r->oldest_first));
    with_runs = btk__calloc(r->row_count + 1, sizeof(*with_runs));
    if (r->shas == NULL || r->oldest_first == NULL || with_runs == NULL) {
        btk__free(with_runs);
        return BTK_ENOMEM;
    }
    for (i = 0; i < r->row_count; i++) /* the commits with runs, sorted for lookups */
        if (o->include_dirty || !r->rows[i].dirty)
            with_runs[n++] = r->rows[i].sha;
    qsort(with_runs, n, sizeof(*with_runs), cmp_str);
    for (i = 0; i < o->sha_count && (o->limit == 0 || r->sha_count < o->limit); i++) {
        key = o->shas[i];
        if (bsearch(&key, with_runs, n, sizeof(*with_runs), cmp_str))
            memcpy(r->shas[r->sha_count++], o->shas[i], 41);
    }
    btk__free(with_runs);
    for (i = 0; i < r->sha_count; i++)
        memcpy(r->oldest_first[i], r->shas[r->sha_count - 1 - i], 41);
    return 0;
}

/* Directories, the commits and the gnuplot session. */
static int report_start(report_ctx *r, btk_store *db, const btk_report_options *o)
{
    btk_buf img = BTK_BUF_INIT;
    int error;

    memset(r, 0, sizeof(*r));
    r->db = db;
    r->opts = o;
    r->ext = o->format == BTK_CHART_PNG ? "png" : "svg";
    /* DIR is the user's (a link to it is followed); img/ inside it is ours (never). */
    if ((error = check_options(o)) < 0 || (error = btk_outfile_mkdir(o->out_dir, true)) < 0 ||
        (error = btk_buf_printf(&img, "%s/img", o->out_dir)) < 0 ||
        (error = btk_outfile_mkdir(img.ptr, false)) < 0)
        goto done;
    /* the temporary files of an earlier report that was killed mid-rename */
    btk_outfile_sweep(o->out_dir);
    btk_outfile_sweep(img.ptr);
    if ((error = select_commits(r, o)) == 0 &&
        (error = btk_chart_open(&r->chart)) == 0) /* images replace, never follow, links */
        btk_gnuplot_set_output_flags(r->chart, BTK_OUTFILE_REPLACE);
done:
    btk_buf_free(&img);
    return error;
}

int btk_report_write(btk_store *db, const btk_report_options *o, btk_buf *index_out)
{
    btk_buf index = BTK_BUF_INIT, path = BTK_BUF_INIT;
    char **fps = NULL;
    size_t fp_count = 0, i;
    machine_ctx m;
    report_ctx r;
    int error, closed;

    memset(&m, 0, sizeof(m));
    if ((error = report_start(&r, db, o)) < 0 ||
        (error = btk_store_machines(&fps, &fp_count, db)) < 0 ||
        (error = btk_report__index_head(&index, &r, fp_count)) < 0)
        goto done;
    for (i = 0; i < fp_count && error == 0; i++) {
        m.index = (int)i + 1;
        m.fp = fps[i];
        error = report_machine(&r, &m, &index);
        free_machine(&m);
    }
    if (error == 0 && (error = btk_html_end(&index)) == 0 &&
        (error = btk_buf_printf(&path, "%s/index.html", o->out_dir)) == 0 &&
        (error = btk_html_save(&index, path.ptr)) == 0)
        error = btk_buf_puts(index_out, path.ptr);
done:
    closed = btk_chart_close(r.chart); /* waits until every chart is drawn */
    if (error == 0)
        error = closed;
    free_machine(&m);
    btk_strings_free(fps, fp_count);
    btk__free(r.oldest_first);
    btk__free(r.shas);
    btk_run_rows_free(r.rows, r.row_count);
    btk_buf_free(&index);
    btk_buf_free(&path);
    return error;
}
