/*
 * benchtrack regressions: the change points (compare/stats/changepoint.c, its documented
 * defaults) of every benchmark's history on a branch, in first-parent order from the
 * per-process values at each commit, that fall in a window of recent commits; exit 1 when
 * one is a regression nobody acknowledged. `regressions ack|acks|unack` keep the
 * acknowledgements in the database. --metric cpu runs the same detector on the per-process
 * CPU medians (--metric cycles on the core cycles'); --metric instructions takes the counting runs, whose change points are the
 * commits whose count moved beyond count_threshold from the previous trusted count (no
 * statistics; docs/statistics.md §10). docs/cli/regressions.md.
 */
#include "regressions.h"

#include "compare_cli.h"
#include "counthist.h"

#include <fnmatch.h>
#include <math.h>
#include <time.h>

typedef struct reg_args {
    const char *db, *repo, *branch, *machine, *format, *since, *bench, *metric, *config;
    long last;
    bool improvements, include_dirty;
    btk_history_metric kind; /* --metric parsed */
} reg_args;

static const cli_opt reg_opts[] = {
    CLI_OPT_STRING("--since", "REF", reg_args, since,
                   "the window: the commits after REF (on the branch's first parents)"),
    CLI_OPT__ROW(CLI_OPT_TYPE_LONG, "--last", NULL, "N",
                 CLI_OPT__AT(reg_args, last, long), 1, 100000000, 0, 0, CLI_OPT_OR,
                 "the window: the N newest commits"),
    CLI_OPT_STRING("--branch", "B", reg_args, branch,
                   "any ref git rev-parse accepts (default HEAD)"),
    CLI_OPT_STRING("--format", "table|markdown|json|csv", reg_args, format,
                   "output format (default table)"),
    CLI_OPT_FLAG("--improvements", reg_args, improvements, 0,
                 "also list change points to a faster level"),
    CLI_OPT_STRING("--bench", "GLOB", reg_args, bench, "only benchmarks matching GLOB"),
    CLI_OPT_STRING("--metric", "wall|cpu|cycles|instructions", reg_args, metric,
                   "the figure: wall-clock time (default), CPU time, estimated core "
                   "cycles, or the counting runs' instructions per iteration"),
    CLI_OPT_STRING("--config", "FILE", reg_args, config,
                   "count thresholds (default: benchtrack.json at the repository root)"),
    CLI_OPT_STRING("--machine", "M", reg_args, machine, "fingerprint prefix or hostname"),
    CLI_OPT_FLAG("--include-dirty", reg_args, include_dirty, 0,
                 "also use runs recorded with uncommitted changes"),
    CLI_OPT_STRING_EX("--db", NULL, "PATH", reg_args, db, CLI_OPT_NONEMPTY,
                      "results database (must exist)"),
    CLI_OPT_STRING_EX("--repo", NULL, "DIR", reg_args, repo, CLI_OPT_NONEMPTY,
                      "the repository (default: the current directory's)"),
    CLI_OPT_END,
};

static const cli_cmd reg_cmd = {"regressions", reg_opts};

/* What was loaded: the branch's commits (oldest first) and the runs of the machine at
 * them, reduced to per-process medians and sorted by commit position. */
typedef struct reg_ctx {
    const reg_args *a;
    btk_git *git;
    btk_store *db;
    char *fp;
    char (*shas)[41]; /* oldest first */
    size_t n;
    btk_run **runs;
    size_t *run_pos, run_count;
    btk_ack *acks;
    size_t ack_count;
    btk_config *config; /* --metric instructions: count_threshold per benchmark */
    btk_commit *info; /* commit info of the reported commits, by position (lazily) */
    reg_found found;
} reg_ctx;

/* ---- loading ---- */

typedef struct sha_pos {
    const char *sha;
    size_t pos;
} sha_pos;

static int cmp_sha_pos(const void *a, const void *b)
{
    return strcmp(((const sha_pos *)a)->sha, ((const sha_pos *)b)->sha);
}

/* The figure of time runs --metric reads (wall for instructions, whose runs are not
 * times). */
static btk_compare_metric time_metric(btk_history_metric kind)
{
    return kind == BTK_HISTORY_CPU      ? BTK_COMPARE_CPU
           : kind == BTK_HISTORY_CYCLES ? BTK_COMPARE_CYCLES
                                        : BTK_COMPARE_WALL;
}

/* Whether run holds the figure of --metric: counts for instructions, else times. */
static bool run_has_metric(const btk_run *run, btk_history_metric kind)
{
    return (run->measure != BTK_MEASURE_KIND_TIME) == (kind == BTK_HISTORY_COUNT);
}

/* Load the runs of the machine at the branch's commits, one at a time (only their process
 * medians are kept), in commit order. */
static int load_runs(reg_ctx *x, const sha_pos *index)
{
    btk_run_row *rows = NULL;
    size_t nrows = 0, i;
    int error;

    if ((error = btk_store_list_runs(&rows, &nrows, x->db, 0)) < 0)
        return error;
    x->runs = btk__calloc(nrows + 1, sizeof(*x->runs));
    x->run_pos = btk__calloc(nrows + 1, sizeof(*x->run_pos));
    if (x->runs == NULL || x->run_pos == NULL)
        error = BTK_ENOMEM;
    for (i = nrows; error == 0 && i-- > 0;) { /* oldest run first */
        sha_pos key = {rows[i].sha, 0}, *hit;

        if ((rows[i].dirty && !x->a->include_dirty) || rows[i].machine_fp == NULL ||
            strcmp(rows[i].machine_fp, x->fp) ||
            (hit = bsearch(&key, index, x->n, sizeof(*index), cmp_sha_pos)) == NULL)
            continue;
        if ((error = btk_store_load_run(&x->runs[x->run_count], x->db, rows[i].id,
                                        x->a->kind != BTK_HISTORY_COUNT)) < 0)
            break;
        if (!run_has_metric(x->runs[x->run_count], x->a->kind)) {
            btk_run_free(x->runs[x->run_count]);
            x->runs[x->run_count] = NULL;
            continue;
        }
        btk_run_reduce_to_medians(x->runs[x->run_count], time_metric(x->a->kind));
        x->run_pos[x->run_count++] = hit->pos;
    }
    btk_run_rows_free(rows, nrows);
    /* insertion sort by position (stable: older runs of a commit first) */
    for (i = 1; error == 0 && i < x->run_count; i++)
        for (size_t j = i; j > 0 && x->run_pos[j - 1] > x->run_pos[j]; j--) {
            size_t p = x->run_pos[j];
            btk_run *r = x->runs[j];

            x->run_pos[j] = x->run_pos[j - 1], x->runs[j] = x->runs[j - 1];
            x->run_pos[j - 1] = p, x->runs[j - 1] = r;
        }
    return error;
}

/* The branch's first-parent commits, oldest first, and the runs at them. */
static int load_history(reg_ctx *x)
{
    char(*newest)[41] = NULL;
    sha_pos *index = NULL;
    size_t i;
    int error;

    if ((error = btk_git_first_parent(&newest, &x->n, x->git,
                                      x->a->branch ? x->a->branch : "HEAD", 0)) < 0)
        return error;
    x->shas = btk__calloc(x->n + 1, sizeof(*x->shas));
    index = btk__calloc(x->n + 1, sizeof(*index));
    x->info = btk__calloc(x->n + 1, sizeof(*x->info));
    if (x->shas == NULL || index == NULL || x->info == NULL)
        error = BTK_ENOMEM;
    for (i = 0; error == 0 && i < x->n; i++) {
        memcpy(x->shas[i], newest[x->n - 1 - i], 41);
        index[i] = (sha_pos){x->shas[i], i};
    }
    if (error == 0) {
        qsort(index, x->n, sizeof(*index), cmp_sha_pos);
        error = load_runs(x, index);
    }
    btk__free(index);
    btk__free(newest);
    return error;
}

/* The first commit of the window (a position): --last N, --since REF, else 0. */
static int window_start(size_t *out, const reg_ctx *x)
{
    char sha[41], quoted[80];
    int error;

    *out = 0;
    if (x->a->last > 0)
        *out = (size_t)x->a->last < x->n ? x->n - (size_t)x->a->last : 0;
    if (x->a->since == NULL)
        return 0;
    if ((error = btk_git_resolve(sha, x->git, x->a->since)) < 0)
        return error;
    for (size_t i = 0; i < x->n; i++)
        if (!strcmp(x->shas[i], sha)) {
            *out = i + 1;
            return 0;
        }
    return btk_error_set(BTK_EINVAL,
                         "--since '%s' is not on the first-parent history of "
                         "%s",
                         btk_error_quote(quoted, sizeof(quoted), x->a->since),
                         x->a->branch ? "the branch" : "HEAD");
}

/* ---- detection ---- */

/* The per-process values of bench at every commit that has some: vals, counts per commit
 * kept, pos[k] the position of the k-th kept commit. */
static int gather(btk_buf *vals, size_t *counts, size_t *pos, size_t *kept,
                  const reg_ctx *x, const char *bench)
{
    size_t r = 0, k = 0;
    int error = 0;

    btk_compare_metric metric = time_metric(x->a->kind);

    btk_buf_clear(vals);
    while (r < x->run_count && error == 0) {
        size_t at = x->run_pos[r], c = 0;

        for (; r < x->run_count && x->run_pos[r] == at && error == 0; r++) {
            const btk_result *res = btk_run_find(x->runs[r], bench);
            const btk_stats *st = res ? btk_result_metric_stats(res, metric) : NULL;
            const double *whole = st ? &st->median : NULL;

            if (res == NULL || res->status != BTK_RESULT_OK)
                continue;
            for (size_t j = 0; j < res->proc_count && error == 0; j++)
                if (res->procs[j].count > 0) {
                    error = btk_buf_put(vals, (const char *)&res->procs[j].ns[0],
                                        sizeof(double));
                    c++;
                }
            if (res->proc_count == 0 && whole && isfinite(*whole) && error == 0) {
                error = btk_buf_put(vals, (const char *)whole, sizeof(double));
                c++;
            }
        }
        if (c > 0)
            counts[k] = c, pos[k++] = at;
    }
    *kept = k;
    return error;
}

/* The acknowledgement covering bench at sha, or NULL (the newest one when several do). */
static const btk_ack *ack_for(const reg_ctx *x, const char *bench, const char *sha)
{
    for (size_t i = x->ack_count; i-- > 0;)
        if (!strcmp(x->acks[i].sha, sha) && fnmatch(x->acks[i].glob, bench, 0) == 0)
            return &x->acks[i];
    return NULL;
}

/* Add a change point of bench at position at to the list (nondet: a count that is not
 * trusted, with its spread lo..hi, instead). */
static int add_item_ex(reg_ctx *x, const char *bench, size_t at, const btk_changepoint *cp,
                       bool nondet, double lo, double hi)
{
    reg_item *grown, *it;
    btk_commit *c = &x->info[at];
    int error;

    if (c->sha[0] == '\0' && (error = btk_git_commit_info(c, x->git, x->shas[at])) < 0)
        return error;
    grown = btk__realloc(x->found.items, (x->found.count + 1) * sizeof(*grown));
    if (grown == NULL)
        return BTK_ENOMEM;
    x->found.items = grown;
    it = &grown[x->found.count++];
    *it = (reg_item){bench,
                     x->shas[at],
                     c->subject,
                     c->author,
                     x->n - 1 - at,
                     *cp,
                     nondet ? NULL : ack_for(x, bench, x->shas[at]),
                     nondet,
                     lo,
                     hi,
                     NULL,
                     NULL,
                     0};
    if (nondet)
        x->found.nondeterministic++;
    else if (cp->magnitude > 0 && it->ack == NULL)
        x->found.unacknowledged++;
    return 0;
}

static int add_item(reg_ctx *x, const char *bench, size_t at, const btk_changepoint *cp)
{
    return add_item_ex(x, bench, at, cp, false, NAN, NAN);
}

/* ---- counts (--metric instructions) ---- */

/* The change points of bench's count history (docs/statistics.md §10, counthist.h): a
 * trusted count that differs from the previous trusted count (of the same measure and
 * count identity) by more than the benchmark's count_threshold, as compare decides.
 * Untrusted counts in the window are listed as nondeterministic. */
static int detect_counts(reg_ctx *x, const char *bench, size_t start)
{
    btk_count_point *pts = btk__calloc(x->n + 1, sizeof(*pts));
    unsigned char *marks = btk__calloc(x->n + 1, 1);
    size_t *prev = btk__calloc(x->n + 1, sizeof(*prev)), np = 0, r = 0;
    double t = btk_config_count_threshold(x->config, bench);
    int error = pts && marks && prev ? 0 : BTK_ENOMEM;

    while (error == 0 && r < x->run_count) {
        size_t at = x->run_pos[r], k = r;

        while (k < x->run_count && x->run_pos[k] == at)
            k++;
        if (btk_count_point_of(&pts[np], (const btk_run *const *)&x->runs[r], k - r, bench,
                               at))
            np++;
        r = k;
    }
    if (error == 0)
        btk_count_marks(marks, prev, pts, np, t);
    for (size_t i = 0; error == 0 && i < np; i++) {
        btk_changepoint cp = {0};

        if (pts[i].pos < start || (marks[i] != BTK_COUNT_UNTRUSTED &&
                                   marks[i] != BTK_COUNT_CHANGE))
            continue;
        cp.index = i;
        cp.before = prev[i] == SIZE_MAX ? NAN : pts[prev[i]].count;
        cp.after = pts[i].count;
        cp.p = NAN;
        if (marks[i] == BTK_COUNT_UNTRUSTED) {
            cp.magnitude = NAN;
            error = add_item_ex(x, bench, pts[i].pos, &cp, true, pts[i].lo, pts[i].hi);
            continue;
        }
        cp.magnitude = cp.after / cp.before - 1;
        for (size_t j = i; j-- > 0;) { /* the previous level's trusted points */
            if (marks[j] == BTK_COUNT_UNTRUSTED)
                continue;
            cp.count_before++;
            if (marks[j] != BTK_COUNT_SAME)
                break;
        }
        for (size_t j = i; j < np; j++) { /* this level's */
            if (marks[j] == BTK_COUNT_UNTRUSTED)
                continue;
            if (j > i && marks[j] != BTK_COUNT_SAME)
                break;
            cp.count_after++;
        }
        if (cp.magnitude > 0 || x->a->improvements)
            error = add_item(x, bench, pts[i].pos, &cp);
    }
    btk__free(prev);
    btk__free(marks);
    btk__free(pts);
    return error;
}

/* Detect the change points of bench over the whole history; keep those in the window. */
static int detect_one(reg_ctx *x, const char *bench, size_t start, btk_buf *vals,
                      size_t *counts, size_t *pos)
{
    btk_changepoint *cp = NULL;
    size_t kept = 0, cp_count = 0;
    int error;

    if (x->a->kind == BTK_HISTORY_COUNT)
        return detect_counts(x, bench, start);
    if ((error = gather(vals, counts, pos, &kept, x, bench)) < 0 || kept == 0)
        return error;
    if ((error = btk_changepoint_detect(&cp, &cp_count, (const double *)(void *)vals->ptr,
                                        counts, kept, NULL)) < 0)
        return error;
    for (size_t k = 0; k < cp_count && error == 0; k++) {
        size_t at = pos[cp[k].index];

        if (at >= start && (cp[k].magnitude > 0 || x->a->improvements) &&
            (error = add_item(x, bench, at, &cp[k])) == 0) {
            reg_item *it = &x->found.items[x->found.count - 1];

            it->first_sha = x->shas[pos[cp[k].first]];
            it->last_sha = x->shas[pos[cp[k].last]];
            it->possible = pos[cp[k].last] - pos[cp[k].first] + 1;
        }
    }
    btk__free(cp);
    return error;
}

/* Newest commit first, then the larger change, then the name. */
static int cmp_items(const void *a, const void *b)
{
    const reg_item *x = a, *y = b;
    /* a nondeterministic count (no magnitude) after the changes of its commit */
    double mx = isfinite(x->cp.magnitude) ? fabs(x->cp.magnitude) : -1;
    double my = isfinite(y->cp.magnitude) ? fabs(y->cp.magnitude) : -1;

    if (x->age != y->age)
        return x->age < y->age ? -1 : 1;
    if (mx != my)
        return mx > my ? -1 : 1;
    return strcmp(x->bench, y->bench);
}

static int detect_all(reg_ctx *x, char **names, size_t name_count, size_t start)
{
    btk_buf vals = BTK_BUF_INIT;
    size_t *counts = btk__calloc(x->n + 1, sizeof(*counts));
    size_t *pos = btk__calloc(x->n + 1, sizeof(*pos));
    int error = counts && pos ? 0 : BTK_ENOMEM;

    for (size_t i = 0; i < name_count && error == 0; i++)
        if (x->a->bench == NULL || fnmatch(x->a->bench, names[i], 0) == 0)
            error = detect_one(x, names[i], start, &vals, counts, pos);
    btk_buf_free(&vals);
    btk__free(counts);
    btk__free(pos);
    if (error == 0 && x->found.count > 1)
        qsort(x->found.items, x->found.count, sizeof(*x->found.items), cmp_items);
    return error;
}

/* ---- the command ---- */

static int check_args(reg_args *a)
{
    char quoted[80];
    const char *f = a->format;
    int error = cli_history_metric_parse(&a->kind, a->metric);

    if (error < 0)
        return error;
    if (a->since && a->last)
        return btk_error_set(BTK_EINVAL, "--since and --last cannot be combined");
    if (f && strcmp(f, "table") && strcmp(f, "markdown") && strcmp(f, "md") &&
        strcmp(f, "json") && strcmp(f, "csv"))
        return btk_error_set(BTK_EINVAL,
                             "--format: expected table, markdown, json or csv, "
                             "got '%s'",
                             btk_error_quote(quoted, sizeof(quoted), f));
    return 0;
}

static int run_regressions(reg_ctx *x)
{
    char **names = NULL;
    size_t name_count = 0, start = 0;
    int error;

    if ((error = cli_pick_machine(&x->fp, x->db, x->a->machine)) < 0)
        return error;
    if (x->fp == NULL)
        return btk_error_set(BTK_ENOTFOUND, "the database has no results");
    if ((x->a->kind == BTK_HISTORY_COUNT || x->a->config) &&
        (error = cli_load_config(&x->config, x->a->config, x->git)) < 0)
        return error;
    if ((error = load_history(x)) < 0 || (error = window_start(&start, x)) < 0 ||
        (error = btk_store_list_acks(&x->acks, &x->ack_count, x->db)) < 0 ||
        (error = btk_store_benchmark_names(&names, &name_count, x->db, x->fp)) < 0)
        goto done;
    if ((error = detect_all(x, names, name_count, start)) < 0)
        goto done;
    x->found.branch = x->a->branch ? x->a->branch : "HEAD";
    x->found.fp = x->fp;
    x->found.metric = x->a->kind;
    x->found.window = x->n - start;
    x->found.newest = x->n > start ? x->shas[x->n - 1] : "";
    x->found.oldest = x->n > start ? x->shas[start] : "";
    error =
        cli_regressions_print(stdout, &x->found, x->a->format ? x->a->format : "table");
done:
    btk_strings_free(names, name_count);
    return error;
}

static void free_ctx(reg_ctx *x)
{
    for (size_t i = 0; i < x->run_count; i++)
        btk_run_free(x->runs[i]);
    for (size_t i = 0; x->info && i < x->n; i++)
        btk_commit_clear(&x->info[i]);
    btk__free(x->info);
    btk__free(x->runs);
    btk__free(x->run_pos);
    btk__free(x->shas);
    btk__free(x->fp);
    btk__free(x->found.items);
    btk_acks_free(x->acks, x->ack_count);
    btk_config_free(x->config);
    btk_store_close(x->db);
    btk_git_close(x->git);
}

int cmd_regressions(int argc, char **argv)
{
    reg_args a;
    reg_ctx x;
    int status, error;

    if (argc > 1 && (!strcmp(argv[1], "ack") || !strcmp(argv[1], "acks") ||
                     !strcmp(argv[1], "unack")))
        return cmd_regressions_ack(argc - 1, argv + 1);
    memset(&a, 0, sizeof(a));
    memset(&x, 0, sizeof(x));
    if (!cli_parse_args(&status, &a, &reg_cmd, argc, argv))
        return status;
    if (check_args(&a) < 0)
        return cli_usage_fail(&reg_cmd);
    x.a = &a;
    if ((error = btk_git_open(&x.git, a.repo)) == 0 &&
        (error = cli_open_store(&x.db, a.db, x.git, true)) == 0)
        error = run_regressions(&x);
    status = error < 0                ? cli_fail()
             : x.found.unacknowledged ? CLI_EXIT_REGRESSION
                                      : CLI_EXIT_OK;
    free_ctx(&x);
    return status;
}
