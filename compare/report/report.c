/*
 * The static HTML report: loads each machine's history and latest comparison from the
 * store, draws every chart through one gnuplot session, and writes index.html plus a page
 * per benchmark (html_pages.c, which also names the files). Machines are kept apart: one
 * section, one set of charts and one page per (machine, benchmark).
 */
#include "report.h"
#include "outfile.h"
#include "report_int.h"
#include "steprule.h"

#include <math.h>
#include <sys/stat.h>

/* Load every run of sha on machine fp (with samples). */
static int load_side(btk_run ***runs_out, size_t *count_out, btk_store *db,
                     const char *sha, const char *fp)
{
    int64_t *ids = NULL;
    size_t count = 0, i;
    int error;

    *runs_out = NULL;
    *count_out = 0;
    if ((error = btk_store_runs_for_commit(&ids, &count, db, sha, fp)) < 0 || count == 0)
        goto done;
    if ((*runs_out = btk__calloc(count, sizeof(**runs_out))) == NULL) {
        error = BTK_ENOMEM;
        goto done;
    }
    for (i = 0; i < count && error == 0; i++)
        if ((error = btk_store_load_run(&(*runs_out)[i], db, ids[i], true)) == 0)
            (*count_out)++;
done:
    btk__free(ids);
    return error;
}

/* The newest commit of the branch (from index start on) with runs on fp; -1 when none. */
static long newest_with_runs(btk_store *db, const btk_report_options *o, size_t start,
                             const char *fp, int *error)
{
    int64_t *ids = NULL;
    size_t count = 0, i;

    for (i = start; i < o->sha_count; i++) {
        if ((*error = btk_store_runs_for_commit(&ids, &count, db, o->shas[i], fp)) < 0)
            return -1;
        btk__free(ids);
        if (count > 0)
            return (long)i;
    }
    return -1;
}

/* Choose the latest and base commits of machine m and load their runs; compare them. */
static int load_sides(report_ctx *r, machine_ctx *m)
{
    const btk_compare_options defaults = BTK_COMPARE_OPTIONS_INIT;
    long latest, base = -1;
    int error = 0;

    latest = newest_with_runs(r->db, r->opts, 0, m->fp, &error);
    if (error < 0 || latest < 0)
        return error;
    snprintf(m->latest_sha, sizeof(m->latest_sha), "%s", r->opts->shas[latest]);
    if (r->opts->base_sha)
        snprintf(m->base_sha, sizeof(m->base_sha), "%s", r->opts->base_sha);
    else if ((base = newest_with_runs(r->db, r->opts, (size_t)latest + 1, m->fp,
                                      &error)) >= 0)
        snprintf(m->base_sha, sizeof(m->base_sha), "%s", r->opts->shas[base]);
    if (error < 0 || (error = load_side(&m->latest, &m->latest_count, r->db,
                                        m->latest_sha, m->fp)) < 0)
        return error;
    if (m->base_sha[0] &&
        (error = load_side(&m->base, &m->base_count, r->db, m->base_sha, m->fp)) < 0)
        return error;
    if (m->latest_count == 0 || m->base_count == 0)
        return 0;
    return btk_compare_runs(&m->cmp, (const btk_run *const *)m->base, m->base_count,
                            (const btk_run *const *)m->latest, m->latest_count,
                            r->opts->compare ? r->opts->compare : &defaults);
}

/* The result named name in the first run of a side that has it, or NULL. */
static const btk_result *find_result(btk_run **runs, size_t count, const char *name)
{
    const btk_result *res;
    size_t i;

    for (i = 0; i < count; i++)
        if ((res = btk_run_find(runs[i], name)) != NULL)
            return res;
    return NULL;
}

/* History, step marks, verdict, results and file stem of one benchmark. */
static int load_item(report_ctx *r, machine_ctx *m, bench_item *it, const char *name)
{
    btk_buf stem = BTK_BUF_INIT;
    double *med;
    size_t i;
    int error;

    it->name = name;
    if ((error = btk_escape_filename(&stem, name)) < 0)
        return error;
    it->stem = btk_buf_detach(&stem);
    if ((error = btk_store_history(&it->points, &it->count, r->db, name, m->fp,
                                   (const char(*)[41])r->oldest_first,
                                   r->opts->sha_count)) < 0)
        return error;
    it->marks = btk__calloc(it->count + 1, sizeof(*it->marks));
    med = btk__calloc(it->count + 1, sizeof(*med));
    if (it->stem == NULL || it->marks == NULL || med == NULL) {
        btk__free(med);
        return BTK_ENOMEM;
    }
    for (i = 0; i < it->count; i++)
        med[i] = it->points[i].status == BTK_RESULT_OK ? it->points[i].stats.median : NAN;
    btk_steprule_marks(it->marks, med, it->count, r->opts->step_threshold,
                       BTK_STEPRULE_WINDOW);
    btk__free(med);
    for (i = 0; m->cmp && i < m->cmp->count; i++)
        if (!strcmp(m->cmp->items[i].name, name))
            it->verdict = &m->cmp->items[i];
    it->latest = find_result(m->latest, m->latest_count, name);
    it->base = find_result(m->base, m->base_count, name);
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

static int load_machine(report_ctx *r, machine_ctx *m)
{
    size_t i;
    int error;

    if ((error = btk_store_machine_info(&m->info, r->db, m->fp)) < 0 ||
        (error = load_sides(r, m)) < 0 ||
        (error = btk_store_benchmark_names(&m->names, &m->name_count, r->db, m->fp)) < 0)
        return error;
    if ((m->items = btk__calloc(m->name_count + 1, sizeof(*m->items))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < m->name_count; i++) {
        if ((error = load_item(r, m, &m->items[i], m->names[i])) < 0)
            return error;
        m->item_count++;
    }
    if ((error = unique_stems(m)) < 0)
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
        btk_history_free(m->items[i].points, m->items[i].count);
        btk__free(m->items[i].marks);
        btk__free(m->items[i].stem);
    }
    btk__free(m->items);
    btk_strings_free(m->names, m->name_count);
    btk_comparison_free(m->cmp);
    free_runs(m->latest, m->latest_count);
    free_runs(m->base, m->base_count);
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

/* All samples of a result (every process) in one array; *ns_out NULL when none. */
static int gather_samples(double **ns_out, size_t *count_out, const btk_result *res)
{
    size_t i, n = 0;

    *ns_out = NULL;
    *count_out = 0;
    for (i = 0; res && i < res->proc_count; i++)
        n += res->procs[i].count;
    if (n == 0)
        return 0;
    if ((*ns_out = btk__malloc(n * sizeof(**ns_out))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < res->proc_count; i++) {
        memcpy(*ns_out + *count_out, res->procs[i].ns,
               res->procs[i].count * sizeof(double));
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
    if ((error = gather_samples((double **)&sides[0].ns, &sides[0].count, it->base)) ==
            0 &&
        (error = gather_samples((double **)&sides[1].ns, &sides[1].count, it->latest)) ==
            0)
        error = btk_chart_dist(r->chart, out, it->name, sides, 2);
    btk__free((void *)sides[0].ns);
    btk__free((void *)sides[1].ns);
    return error;
}

/* Trend, sparkline and distribution of one benchmark. */
static int item_charts(report_ctx *r, const machine_ctx *m, const bench_item *it)
{
    btk_trend_point *tp = btk__calloc(it->count + 1, sizeof(*tp));
    double *med = btk__calloc(it->count + 1, sizeof(*med));
    btk_buf abs = BTK_BUF_INIT;
    btk_chart_out out;
    size_t i;
    int error = tp && med ? 0 : BTK_ENOMEM;

    for (i = 0; error == 0 && i < it->count; i++) {
        const btk_history_point *p = &it->points[i];
        bool ok = p->status == BTK_RESULT_OK;

        tp[i] = (btk_trend_point){p->sha, ok ? p->stats.median : NAN, p->stats.ci_low,
                                  p->stats.ci_high, it->marks[i]};
        med[i] = tp[i].median;
    }
    if (error == 0 && (error = chart_out(&out, &abs, r, m, it->stem, "trend")) == 0)
        error = btk_chart_trend(r->chart, &out, it->name, tp, it->count);
    if (error == 0 && (error = chart_out(&out, &abs, r, m, it->stem, "spark")) == 0) {
        out.width = 160, out.height = 36;
        error = btk_chart_sparkline(r->chart, &out, med, it->count);
    }
    if (error == 0 && (error = chart_out(&out, &abs, r, m, it->stem, "dist")) == 0) {
        out.height = 380;
        error = dist_chart(r, m, it, &out);
    }
    btk_buf_free(&abs);
    btk__free(tp);
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

/* Directories, the reversed commit order and the gnuplot session. */
static int report_start(report_ctx *r, btk_store *db, const btk_report_options *o)
{
    btk_buf img = BTK_BUF_INIT;
    size_t i;
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
    if ((r->oldest_first = btk__calloc(o->sha_count, sizeof(*r->oldest_first))) == NULL) {
        error = BTK_ENOMEM;
        goto done;
    }
    for (i = 0; i < o->sha_count; i++)
        memcpy(r->oldest_first[i], o->shas[o->sha_count - 1 - i], 41);
    if ((error = btk_chart_open(&r->chart)) == 0) /* images replace, never follow, links */
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
    btk_buf_free(&index);
    btk_buf_free(&path);
    return error;
}
