/*
 * benchtrack chart trend|compare|dist: one chart drawn by gnuplot into -o FILE, SVG or
 * PNG
 * (--format, else the file's extension). docs/cli/chart.md.
 */
#include "chart.h"
#include "cli.h"

#include <math.h>

typedef struct copts {
    const char *db, *repo, *branch, *machine, *out, *format, *metric;
    long limit;
    cli_opt_args pos; /* the kind of chart and its arguments */
} copts;

static const cli_opt chart_opts[] = {
    CLI_OPT_ARGS("trend|compare|dist ARG...", copts, pos, 4, CLI_OPT_REQUIRED,
                 "trend BENCH: BENCH's median on each commit\n"
                 "compare BASE CONTENDER: every benchmark's change\n"
                 "dist BENCH BASE CONTENDER: BENCH's samples per side\n"
                 "(a side is a git ref or a run id, #12)"),
    CLI_OPT_STRING_EX("--output", "-o", "FILE", copts, out,
                      CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY, "where the chart goes"),
    CLI_OPT_STRING("--format", "svg|png", copts, format,
                   "the image format (default: from FILE's extension, else svg)"),
    CLI_OPT_STRING("--branch", "B", copts, branch, "trend: the branch (default HEAD)"),
    CLI_OPT_LONG("--limit", "N", copts, limit, 2, 100000,
                 "trend: at most N commits back from the branch's tip (default 100)"),
    CLI_OPT_STRING("--machine", "M", copts, machine,
                   "machine name, fingerprint prefix or host name"),
    CLI_OPT_STRING("--metric", "wall|cpu", copts, metric,
                   "wall-clock (default) or CPU time of the time runs"),
    CLI_OPT_STRING("--db", "PATH", copts, db, "results database (must exist)"),
    CLI_OPT_STRING("--repo", "DIR", copts, repo, "the repository"),
    CLI_OPT_END,
};

static const cli_cmd chart_cmd = {"chart", chart_opts};

/* --metric: true for cpu, false for wall (or none); anything else was refused by
 * check_metric. */
static bool use_cpu(const copts *o)
{
    return o->metric && !strcmp(o->metric, "cpu");
}

static int check_metric(const copts *o)
{
    char q[64];

    if (o->metric && !strcmp(o->metric, "cycles"))
        return btk_error_set(BTK_EINVAL, "chart --metric cycles is not supported (charts "
                                         "draw times in ns); compare, ab, history and "
                                         "regressions take --metric cycles");
    if (o->metric && strcmp(o->metric, "wall") && strcmp(o->metric, "cpu"))
        return btk_error_set(BTK_EINVAL, "unknown metric '%s' (expected wall or cpu)",
                             btk_error_quote(q, sizeof(q), o->metric));
    return 0;
}

/* --format, else the extension of the output file; SVG when neither says. */
static int pick_format(btk_chart_format *fmt, const copts *o)
{
    const char *dot = strrchr(o->out, '.');
    char quoted[80];

    *fmt = BTK_CHART_SVG;
    if (o->format == NULL)
        *fmt = dot && !strcmp(dot, ".png") ? BTK_CHART_PNG : BTK_CHART_SVG;
    else if (!strcmp(o->format, "png"))
        *fmt = BTK_CHART_PNG;
    else if (strcmp(o->format, "svg"))
        return btk_error_set(BTK_EINVAL, "--format: expected svg or png, got '%s'",
                             btk_error_quote(quoted, sizeof(quoted), o->format));
    return 0;
}

/* All runs of one side: a run id ("#12") or every run of a commit on machine fp. */
static int load_side(btk_run ***runs, size_t *count, btk_store *db, btk_git *git,
                     const char *arg, const char *fp)
{
    int64_t id = 0, *ids = NULL;
    char sha[41], quoted[80];
    size_t n = 0, i;
    int error;

    *runs = NULL, *count = 0;
    if ((error = cli_resolve_side(&id, sha, git, arg)) < 0)
        return error;
    if (id > 0)
        ids = btk__malloc(sizeof(*ids)), n = 1;
    else if ((error = btk_store_runs_for_commit(&ids, &n, db, sha, fp)) < 0)
        return error;
    if (n == 0)
        return btk_error_set(BTK_ENOTFOUND, "no runs stored for '%s' on this machine",
                             btk_error_quote(quoted, sizeof(quoted), arg));
    if (ids == NULL || (*runs = btk__calloc(n, sizeof(**runs))) == NULL) {
        btk__free(ids);
        return BTK_ENOMEM;
    }
    if (id > 0)
        ids[0] = id;
    for (i = 0; i < n && error == 0; i++)
        if ((error = btk_store_load_run(&(*runs)[i], db, ids[i], true)) == 0)
            (*count)++;
    btk__free(ids);
    return error;
}

static void free_runs(btk_run **runs, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        btk_run_free(runs[i]);
    btk__free(runs);
}

/* BENCH has no result on the count commits searched: BTK_ENOTFOUND naming it. */
static int no_history(const copts *o, size_t count)
{
    char quoted[120], branch[120];

    return btk_error_set(BTK_ENOTFOUND, "no runs of '%s' on this machine in the last %zu "
                         "commits of '%s'",
                         btk_error_quote(quoted, sizeof(quoted), o->pos.v[1]), count,
                         btk_error_quote(branch, sizeof(branch),
                                         o->branch ? o->branch : "HEAD"));
}

static int chart_trend(btk_chart *c, const btk_chart_out *out, const copts *o,
                       btk_git *git, btk_store *db, const char *fp)
{
    char(*shas)[41] = NULL, (*rev)[41] = NULL;
    btk_history_point *pts = NULL;
    btk_trend_point *tp = NULL;
    double *med = NULL;
    int *marks = NULL;
    size_t count = 0, n = 0, i;
    char title[1100];
    int error;

    snprintf(title, sizeof(title), "%s%s", o->pos.v[1], use_cpu(o) ? " (CPU time)" : "");

    if ((error = btk_git_first_parent(&shas, &count, git, o->branch ? o->branch : "HEAD",
                                      (size_t)o->limit)) < 0)
        goto done;
    rev = btk__calloc(count + 1, sizeof(*rev));
    for (i = 0; rev && i < count; i++)
        memcpy(rev[i], shas[count - 1 - i], 41); /* oldest first */
    if (rev == NULL ||
        (error = btk_store_history_metric(&pts, &n, db, o->pos.v[1], fp,
                                          (const char(*)[41])rev, count,
                                          use_cpu(o) ? BTK_HISTORY_CPU : BTK_HISTORY_TIME)) <
            0)
        goto done;
    if (n == 0) { /* a typo, or a benchmark never run here: no empty chart */
        error = no_history(o, count);
        goto done;
    }
    tp = btk__calloc(n + 1, sizeof(*tp)), med = btk__calloc(n + 1, sizeof(*med));
    marks = btk__calloc(n + 1, sizeof(*marks));
    if (!tp || !med || !marks) {
        error = BTK_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++)
        med[i] = pts[i].status == BTK_RESULT_OK ? pts[i].stats.median : NAN;
    for (i = 0; i < n; i++)
        tp[i] = (btk_trend_point){pts[i].sha, med[i], pts[i].stats.ci_low,
                                  pts[i].stats.ci_high, marks[i], NAN};
    if ((error = btk_chart_changes(NULL, NULL, tp, n, NULL, NULL)) == 0)
        error = btk_chart_trend(c, out, title, tp, n);
done:
    btk_history_free(pts, n);
    btk__free(shas), btk__free(rev), btk__free(tp), btk__free(med), btk__free(marks);
    return error ? error : rev ? 0 : BTK_ENOMEM;
}

static int chart_compare(btk_chart *c, const btk_chart_out *out, const copts *o,
                         btk_git *git, btk_store *db, const char *fp)
{
    btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    btk_run **base = NULL, **con = NULL;
    size_t nb = 0, nc = 0;
    btk_comparison *cmp = NULL;
    btk_buf title = BTK_BUF_INIT;
    int error;

    opts.metric = use_cpu(o) ? BTK_COMPARE_CPU : BTK_COMPARE_WALL;
    if ((error = load_side(&base, &nb, db, git, o->pos.v[1], fp)) == 0 &&
        (error = load_side(&con, &nc, db, git, o->pos.v[2], fp)) == 0 &&
        (error = btk_compare_runs(&cmp, (const btk_run *const *)base, nb,
                                  (const btk_run *const *)con, nc, &opts)) == 0 &&
        (error = btk_buf_printf(&title, "%s vs %s", o->pos.v[1], o->pos.v[2])) == 0)
        error = btk_chart_compare(c, out, title.ptr, cmp->items, cmp->count);
    btk_comparison_free(cmp);
    free_runs(base, nb);
    free_runs(con, nc);
    btk_buf_free(&title);
    return error;
}

/* The samples of process p that the chart shows: wall or CPU ns (NULL: none). Counting
 * runs hold instructions, never shown as times. */
static const double *proc_samples(const btk_run *run, const btk_proc *p, bool cpu)
{
    if (run->measure != BTK_MEASURE_KIND_TIME)
        return NULL;
    return cpu ? p->cpu_ns : p->ns;
}

/* Samples of bench over every time run of a side, appended to *ns. */
static int side_samples(double **ns, size_t *n, btk_run **runs, size_t count,
                        const char *bench, bool cpu)
{
    size_t r, p, total = 0;
    const btk_result *res;
    double *v;

    for (r = 0; r < count; r++)
        for (p = 0; (res = btk_run_find(runs[r], bench)) && p < res->proc_count; p++)
            total += proc_samples(runs[r], &res->procs[p], cpu) ? res->procs[p].count : 0;
    *n = 0;
    if ((*ns = v = btk__malloc((total ? total : 1) * sizeof(*v))) == NULL)
        return BTK_ENOMEM;
    for (r = 0; r < count; r++)
        for (p = 0; (res = btk_run_find(runs[r], bench)) && p < res->proc_count; p++) {
            const double *x = proc_samples(runs[r], &res->procs[p], cpu);

            if (x == NULL)
                continue;
            memcpy(v + *n, x, res->procs[p].count * sizeof(*v));
            *n += res->procs[p].count;
        }
    return 0;
}

static int chart_dist(btk_chart *c, const btk_chart_out *out, const copts *o,
                      btk_git *git, btk_store *db, const char *fp)
{
    btk_run **base = NULL, **con = NULL;
    size_t nb = 0, nc = 0;
    btk_dist_side sides[2] = {{o->pos.v[2], NULL, 0}, {o->pos.v[3], NULL, 0}};
    double *a = NULL, *b = NULL;
    int error;

    if ((error = load_side(&base, &nb, db, git, o->pos.v[2], fp)) == 0 &&
        (error = load_side(&con, &nc, db, git, o->pos.v[3], fp)) == 0 &&
        (error = side_samples(&a, &sides[0].count, base, nb, o->pos.v[1], use_cpu(o))) == 0 &&
        (error = side_samples(&b, &sides[1].count, con, nc, o->pos.v[1], use_cpu(o))) == 0) {
        sides[0].ns = a, sides[1].ns = b;
        error = btk_chart_dist(c, out, o->pos.v[1], sides, 2);
    }
    btk__free(a), btk__free(b);
    free_runs(base, nb);
    free_runs(con, nc);
    return error;
}

/* Check the subcommand and its argument count; returns the drawing function. */
typedef int (*chart_fn)(btk_chart *, const btk_chart_out *, const copts *, btk_git *,
                        btk_store *, const char *);

static int pick_kind(chart_fn *fn, const copts *o)
{
    static const struct {
        const char *name;
        size_t args;
        chart_fn fn;
    } kinds[] = {{"trend", 2, chart_trend},
                 {"compare", 3, chart_compare},
                 {"dist", 4, chart_dist}};
    char quoted[80];
    size_t i;

    for (i = 0; o->pos.count > 0 && i < BTK_ARRAY_SIZE(kinds); i++)
        if (!strcmp(o->pos.v[0], kinds[i].name)) {
            if (o->pos.count != kinds[i].args)
                return btk_error_set(BTK_EINVAL,
                                     "chart %s: wrong number of arguments "
                                     "(see 'benchtrack chart --help')",
                                     kinds[i].name);
            *fn = kinds[i].fn;
            return 0;
        }
    return btk_error_set(
        BTK_EINVAL, "chart: expected trend, compare or dist, got '%s'",
        btk_error_quote(quoted, sizeof(quoted), o->pos.count ? o->pos.v[0] : ""));
}

static int draw(const copts *o, chart_fn fn, btk_git *git, btk_store *db)
{
    btk_chart_out out = {o->out, BTK_CHART_SVG, 1000, 420};
    btk_chart *c = NULL;
    char *fp = NULL;
    int error, closed;

    if ((error = pick_format(&out.format, o)) < 0 ||
        (error = cli_pick_machine(&fp, db, o->machine)) < 0)
        goto done;
    if (fn == chart_compare)
        out.height = 600;
    if ((error = btk_chart_open(&c)) == 0)
        error = fn(c, &out, o, git, db, fp);
done:
    closed = btk_chart_close(c);
    btk__free(fp);
    return error ? error : closed;
}

/* Check the kind and gnuplot, open the repository and the database, draw. */
static int chart_main(const copts *o)
{
    chart_fn fn = NULL;
    btk_buf gp = BTK_BUF_INIT;
    btk_git *git = NULL;
    btk_store *db = NULL;
    int error;

    if ((error = check_metric(o)) < 0 || (error = pick_kind(&fn, o)) < 0 ||
        (error = btk_chart_find_gnuplot(&gp)) < 0)
        goto done;
    if ((error = btk_git_open(&git, o->repo)) < 0) {
        if (fn == chart_trend)
            goto done;
        btk_error_clear(); /* sides given as run ids work without a repository */
    }
    if ((error = cli_open_store(&db, o->db, git, true)) == 0 &&
        (error = draw(o, fn, git, db)) == 0)
        printf("%s\n", o->out);
done:
    btk_buf_free(&gp);
    btk_store_close(db);
    btk_git_close(git);
    return error;
}

int cmd_chart(int argc, char **argv)
{
    copts o;
    int status;

    memset(&o, 0, sizeof(o));
    o.limit = 100;
    if (!cli_parse_args(&status, &o, &chart_cmd, argc, argv))
        return status;
    return chart_main(&o) < 0 ? cli_fail() : CLI_EXIT_OK;
}
