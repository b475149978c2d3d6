/*
 * benchtrack chart trend|compare|dist: one chart drawn by gnuplot into -o FILE, SVG or
 * PNG
 * (--format, else the file's extension). docs/cli/chart.md.
 */
#include "chart.h"
#include "cli.h"

#include <math.h>

typedef struct copts {
    const char *db, *repo, *branch, *machine, *out, *format, *limit;
    const char *pos[4]; /* subcommand and its arguments */
    int npos;
} copts;

static const char usage_text[] =
    "usage: benchtrack chart trend BENCH [--branch B] [--limit N] -o FILE\n"
    "       benchtrack chart compare BASE CONTENDER -o FILE\n"
    "       benchtrack chart dist BENCH BASE CONTENDER -o FILE\n"
    "options: --format svg|png  --machine M  --db PATH  --repo DIR\n";

static int parse(copts *o, int argc, char **argv)
{
    char quoted[80];
    int a;

    for (a = 1; a < argc; a++) {
        const char *name = argv[a];
        if (cli_option("-o", argc, argv, &a, &o->out) ||
            cli_option("--output", argc, argv, &a, &o->out) ||
            cli_option("--db", argc, argv, &a, &o->db) ||
            cli_option("--repo", argc, argv, &a, &o->repo) ||
            cli_option("--branch", argc, argv, &a, &o->branch) ||
            cli_option("--machine", argc, argv, &a, &o->machine) ||
            cli_option("--format", argc, argv, &a, &o->format) ||
            cli_option("--limit", argc, argv, &a, &o->limit)) {
            if (argv[a] == name && !strchr(name, '='))
                return btk_error_set(BTK_EINVAL, "option '%s' needs a value",
                                     btk_error_quote(quoted, sizeof(quoted), name));
        } else if (name[0] == '-' && name[1] != '\0') {
            return btk_error_set(BTK_EINVAL, "unknown option '%s' for chart",
                                 btk_error_quote(quoted, sizeof(quoted), name));
        } else if (o->npos < 4) {
            o->pos[o->npos++] = name;
        } else {
            return btk_error_set(BTK_EINVAL, "too many arguments for chart");
        }
    }
    if (o->out == NULL || *o->out == '\0')
        return btk_error_set(BTK_EINVAL, "chart needs an output file: -o FILE");
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

static int chart_trend(btk_chart *c, const btk_chart_out *out, const copts *o,
                       btk_git *git, btk_store *db, const char *fp)
{
    char(*shas)[41] = NULL, (*rev)[41] = NULL;
    btk_history_point *pts = NULL;
    btk_trend_point *tp = NULL;
    double *med = NULL;
    int *marks = NULL;
    size_t count = 0, n = 0, i;
    long limit = 100;
    int error;

    if ((o->limit &&
         (error = cli_parse_long(&limit, "--limit", o->limit, 2, 100000)) < 0) ||
        (error = btk_git_first_parent(&shas, &count, git, o->branch ? o->branch : "HEAD",
                                      (size_t)limit)) < 0)
        goto done;
    rev = btk__calloc(count + 1, sizeof(*rev));
    for (i = 0; rev && i < count; i++)
        memcpy(rev[i], shas[count - 1 - i], 41); /* oldest first */
    if (rev == NULL || (error = btk_store_history(&pts, &n, db, o->pos[1], fp,
                                                  (const char(*)[41])rev, count)) < 0)
        goto done;
    tp = btk__calloc(n + 1, sizeof(*tp)), med = btk__calloc(n + 1, sizeof(*med));
    marks = btk__calloc(n + 1, sizeof(*marks));
    if (!tp || !med || !marks) {
        error = BTK_ENOMEM;
        goto done;
    }
    for (i = 0; i < n; i++)
        med[i] = pts[i].status == BTK_RESULT_OK ? pts[i].stats.median : NAN;
    btk_chart_steps(marks, med, n, 0.05, 5);
    for (i = 0; i < n; i++)
        tp[i] = (btk_trend_point){pts[i].sha, med[i], pts[i].stats.ci_low,
                                  pts[i].stats.ci_high, marks[i]};
    error = btk_chart_trend(c, out, o->pos[1], tp, n);
done:
    btk_history_free(pts, n);
    btk__free(shas), btk__free(rev), btk__free(tp), btk__free(med), btk__free(marks);
    return error ? error : rev ? 0 : BTK_ENOMEM;
}

static int chart_compare(btk_chart *c, const btk_chart_out *out, const copts *o,
                         btk_git *git, btk_store *db, const char *fp)
{
    const btk_compare_options opts = BTK_COMPARE_OPTIONS_INIT;
    btk_run **base = NULL, **con = NULL;
    size_t nb = 0, nc = 0;
    btk_comparison *cmp = NULL;
    btk_buf title = BTK_BUF_INIT;
    int error;

    if ((error = load_side(&base, &nb, db, git, o->pos[1], fp)) == 0 &&
        (error = load_side(&con, &nc, db, git, o->pos[2], fp)) == 0 &&
        (error = btk_compare_runs(&cmp, (const btk_run *const *)base, nb,
                                  (const btk_run *const *)con, nc, &opts)) == 0 &&
        (error = btk_buf_printf(&title, "%s vs %s", o->pos[1], o->pos[2])) == 0)
        error = btk_chart_compare(c, out, title.ptr, cmp->items, cmp->count);
    btk_comparison_free(cmp);
    free_runs(base, nb);
    free_runs(con, nc);
    btk_buf_free(&title);
    return error;
}

/* Samples of bench over every run of a side, appended to *ns. */
static int side_samples(double **ns, size_t *n, btk_run **runs, size_t count,
                        const char *bench)
{
    size_t r, p, total = 0;
    const btk_result *res;
    double *v;

    for (r = 0; r < count; r++)
        for (p = 0; (res = btk_run_find(runs[r], bench)) && p < res->proc_count; p++)
            total += res->procs[p].count;
    *n = 0;
    if ((*ns = v = btk__malloc((total ? total : 1) * sizeof(*v))) == NULL)
        return BTK_ENOMEM;
    for (r = 0; r < count; r++)
        for (p = 0; (res = btk_run_find(runs[r], bench)) && p < res->proc_count; p++) {
            memcpy(v + *n, res->procs[p].ns, res->procs[p].count * sizeof(*v));
            *n += res->procs[p].count;
        }
    return 0;
}

static int chart_dist(btk_chart *c, const btk_chart_out *out, const copts *o,
                      btk_git *git, btk_store *db, const char *fp)
{
    btk_run **base = NULL, **con = NULL;
    size_t nb = 0, nc = 0;
    btk_dist_side sides[2] = {{o->pos[2], NULL, 0}, {o->pos[3], NULL, 0}};
    double *a = NULL, *b = NULL;
    int error;

    if ((error = load_side(&base, &nb, db, git, o->pos[2], fp)) == 0 &&
        (error = load_side(&con, &nc, db, git, o->pos[3], fp)) == 0 &&
        (error = side_samples(&a, &sides[0].count, base, nb, o->pos[1])) == 0 &&
        (error = side_samples(&b, &sides[1].count, con, nc, o->pos[1])) == 0) {
        sides[0].ns = a, sides[1].ns = b;
        error = btk_chart_dist(c, out, o->pos[1], sides, 2);
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
        int args;
        chart_fn fn;
    } kinds[] = {{"trend", 2, chart_trend},
                 {"compare", 3, chart_compare},
                 {"dist", 4, chart_dist}};
    char quoted[80];
    size_t i;

    for (i = 0; o->npos > 0 && i < BTK_ARRAY_SIZE(kinds); i++)
        if (!strcmp(o->pos[0], kinds[i].name)) {
            if (o->npos != kinds[i].args)
                return btk_error_set(BTK_EINVAL,
                                     "chart %s: wrong number of arguments "
                                     "(see 'benchtrack chart --help')",
                                     kinds[i].name);
            *fn = kinds[i].fn;
            return 0;
        }
    return btk_error_set(
        BTK_EINVAL, "chart: expected trend, compare or dist, got '%s'",
        btk_error_quote(quoted, sizeof(quoted), o->npos ? o->pos[0] : ""));
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

int cmd_chart(int argc, char **argv)
{
    copts o;
    chart_fn fn = NULL;
    btk_buf gp = BTK_BUF_INIT;
    btk_git *git = NULL;
    btk_store *db = NULL;
    int rc = CLI_EXIT_OK;

    memset(&o, 0, sizeof(o));
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    }
    if (parse(&o, argc, argv) < 0 || pick_kind(&fn, &o) < 0 ||
        btk_chart_find_gnuplot(&gp) < 0) {
        rc = cli_fail();
        goto done;
    }
    if (btk_git_open(&git, o.repo) < 0) {
        if (fn == chart_trend) {
            rc = cli_fail();
            goto done;
        }
        btk_error_clear(); /* sides given as run ids work without a repository */
    }
    if (cli_open_store(&db, o.db, git, true) < 0 || draw(&o, fn, git, db) < 0)
        rc = cli_fail();
    else
        printf("%s\n", o.out);
done:
    btk_buf_free(&gp);
    btk_store_close(db);
    btk_git_close(git);
    return rc;
}
