/*
 * benchtrack report -o DIR: the static HTML report of a branch (docs/cli/report.md). The
 * last line on stdout is the path of the index.html written.
 */
#include "cli.h"
#include "compare_cli.h"
#include "config.h"
#include "outfile.h"
#include "report.h"
#include "run_tmp.h"

#include <signal.h>

typedef struct ropts {
    const char *db, *repo, *branch, *base, *out, *format, *metric, *config;
    long limit;
    bool include_dirty;
} ropts;

static const cli_opt report_opts[] = {
    CLI_OPT_STRING_EX(
        "--output", "-o", "DIR", ropts, out, CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY,
        "the output directory (created; report files in it are overwritten)"),
    CLI_OPT_STRING("--branch", "B", ropts, branch,
                   "the branch (default HEAD; its name is shown in the report)"),
    CLI_OPT_STRING(
        "--base", "REF", ropts, base,
        "compare the latest commit with this commit or run id (#12, run:12) instead of "
        "its predecessor"),
    CLI_OPT_LONG("--limit", "N", ropts, limit, 1, 100000,
                 "at most the N newest commits with results (default 100)"),
    CLI_OPT_FLAG("--include-dirty", ropts, include_dirty, 0,
                 "also take runs recorded with uncommitted changes (marked dirty)"),
    CLI_OPT_STRING("--format", "svg|png", ropts, format, "chart images (default svg)"),
    CLI_OPT_STRING("--metric", "wall|cpu", ropts, metric,
                   "verdicts, trends and change points of wall-clock (default) or CPU time"),
    CLI_OPT_STRING("--config", "FILE", ropts, config,
                   "thresholds and budgets (default: benchtrack.json at the repository root)"),
    CLI_OPT_STRING("--db", "PATH", ropts, db, "results database (must exist)"),
    CLI_OPT_STRING("--repo", "DIR", ropts, repo, "the repository"),
    CLI_OPT_END,
};

static const cli_cmd report_cmd = {"report", report_opts};

static int check_format(const ropts *o)
{
    char quoted[80];

    if (o->format && strcmp(o->format, "svg") && strcmp(o->format, "png"))
        return btk_error_set(BTK_EINVAL, "--format: expected svg or png, got '%s'",
                             btk_error_quote(quoted, sizeof(quoted), o->format));
    return 0;
}

/* The branch's label: the name given, else HEAD's branch, else "HEAD". */
static int branch_label(btk_buf *out, btk_git *git, const char *given)
{
    btk_commit head;
    int error;

    if (given)
        return btk_buf_puts(out, given);
    memset(&head, 0, sizeof(head));
    if (btk_git_head_info(&head, git) < 0) {
        btk_error_clear();
        return btk_buf_puts(out, "HEAD");
    }
    error = btk_buf_puts(out, head.branch ? head.branch : "HEAD");
    btk_commit_clear(&head);
    return error;
}

/* config: benchtrack.json (or --config), read as `benchtrack compare` reads it: noise
 * bands, alpha, budgets and count thresholds of the verdicts and count trends. */
static int report(const ropts *o, btk_git *git, btk_store *db, const btk_config *config)
{
    btk_report_options ro = BTK_REPORT_OPTIONS_INIT;
    btk_compare_options cmp = BTK_COMPARE_OPTIONS_INIT;
    btk_buf index = BTK_BUF_INIT, label = BTK_BUF_INIT;
    char(*shas)[41] = NULL, base[41];
    size_t count = 0;
    int error;

    if (o->metric && !strcmp(o->metric, "cycles"))
        return btk_error_set(BTK_EINVAL, "report --metric cycles is not supported (the "
                                         "report draws times in ns); compare, ab, history "
                                         "and regressions take --metric cycles");
    if (o->metric && strcmp(o->metric, "wall") && strcmp(o->metric, "cpu")) {
        char q[64];

        return btk_error_set(BTK_EINVAL, "unknown metric '%s' (expected wall or cpu)",
                             btk_error_quote(q, sizeof(q), o->metric));
    }
    cmp.metric = o->metric && !strcmp(o->metric, "cpu") ? BTK_COMPARE_CPU : BTK_COMPARE_WALL;
    cmp.config = config;
    cmp.alpha = btk_config_alpha(config, cmp.alpha);
    ro.compare = &cmp;
    /* the whole branch: --limit counts commits with results, which the report picks */
    if ((error = btk_git_first_parent(&shas, &count, git, o->branch ? o->branch : "HEAD",
                                      0)) < 0 ||
        (o->base && (error = cli_resolve_side(&ro.base_run_id, base, git, o->base)) < 0) ||
        (error = branch_label(&label, git, o->branch)) < 0)
        goto done;
    ro.out_dir = o->out;
    ro.branch = label.ptr;
    ro.shas = (const char(*)[41])shas;
    ro.sha_count = count;
    ro.base_sha = o->base && ro.base_run_id == 0 ? base : NULL;
    ro.limit = (size_t)o->limit;
    ro.include_dirty = o->include_dirty;
    ro.format = o->format && !strcmp(o->format, "png") ? BTK_CHART_PNG : BTK_CHART_SVG;
    if ((error = btk_report_write(db, &ro, &index)) == 0)
        printf("%s\n", index.ptr);
done:
    btk_buf_free(&index);
    btk_buf_free(&label);
    btk__free(shas);
    return error;
}

/* SIGINT, SIGTERM, SIGHUP while writing: remove the temporary file of the page or image
 * being renamed into place, then die of the signal as before. The chart staging folder's
 * lock dies with the process, and the next report sweeps the folder. Async-signal-safe. */
static void on_signal(int sig)
{
    btk_outfile_signal_cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void set_handlers(void)
{
    static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
        sigaction(caught[i], &sa, NULL);
}

/* Check the format and gnuplot, open the repository, load the config, open the database,
 * write. */
static int report_main(const ropts *o)
{
    btk_config *config = NULL;
    btk_buf gp = BTK_BUF_INIT;
    btk_git *git = NULL;
    btk_store *db = NULL;
    int error;

    set_handlers();
    cli_tmp_sweep(CLI_CHARTS_TMP_PREFIX); /* staging folders of reports that were killed */
    if ((error = check_format(o)) == 0 && (error = btk_chart_find_gnuplot(&gp)) == 0 &&
        (error = btk_git_open(&git, o->repo)) == 0 &&
        (error = cli_load_config(&config, o->config, git)) == 0 &&
        (error = cli_open_store(&db, o->db, git, true)) == 0)
        error = report(o, git, db, config);
    btk_config_free(config);
    btk_buf_free(&gp);
    btk_store_close(db);
    btk_git_close(git);
    return error;
}

int cmd_report(int argc, char **argv)
{
    ropts o;
    int status;

    memset(&o, 0, sizeof(o));
    o.limit = 100;
    if (!cli_parse_args(&status, &o, &report_cmd, argc, argv))
        return status;
    return report_main(&o) < 0 ? cli_fail() : CLI_EXIT_OK;
}
