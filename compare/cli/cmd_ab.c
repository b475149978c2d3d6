/*
 * benchtrack ab OLD_BIN NEW_BIN: interleaved fresh processes of two benchmark binaries,
 * compared with the same statistics, outputs and exit codes as `benchtrack compare`.
 * docs/cli/ab.md.
 */
#include "compare_cli.h"

#include "abrun.h"

typedef struct ab_args {
    const char *old_bin, *new_bin, *config, *format, *out, *metric;
    const char *db, *base_commit, *base_branch; /* storing: docs/cli/ab.md */
    const char *base_label, *new_label;         /* names of the sides in the output */
    cli_commit_options rec;                     /* the contender's commit */
    long processes;
    bool quiet, any_build;
    btk_compare_options opts;
    cli_opt_tail extra; /* arguments for both binaries */
} ab_args;

static const cli_opt ab_opts[] = {
    CLI_OPT_ARG("OLD_BIN", ab_args, old_bin, CLI_OPT_REQUIRED,
                "the base's benchmark binary"),
    CLI_OPT_ARG("NEW_BIN", ab_args, new_bin, CLI_OPT_REQUIRED,
                "the contender's benchmark binary"),
    CLI_OPT_LONG("--processes", "K", ab_args, processes, 1, 10000,
                 "rounds: processes per side (default 10)"),
    CLI_OPTS_VERDICT(ab_args),
    CLI_OPT_STRING("--base-label", "TEXT", ab_args, base_label,
                   "name OLD_BIN's side in the output (default: its path)"),
    CLI_OPT_STRING("--label", "TEXT", ab_args, new_label,
                   "name NEW_BIN's side in the output (default: its path)"),
    CLI_OPT_FLAG("--any-build", ab_args, any_build, 0,
                 "compare binaries of different builds (compiler, flags), with a warning"),
    CLI_OPT_FLAG("--quiet", ab_args, quiet, 0,
                 "no progress line per invocation on stderr"),
    CLI_OPTS_RECORD(ab_args, rec, db,
                    "store both runs in this database (needs --base-commit); NEW_BIN's "
                    "under HEAD or --commit"),
    CLI_OPT_STRING("--base-commit", "REF", ab_args, base_commit,
                   "the commit OLD_BIN was built from: its run is stored under it"),
    CLI_OPT_STRING("--base-branch", "NAME", ab_args, base_branch,
                   "record this branch name for OLD_BIN's run"),
    CLI_OPT_TAIL("ARGS", ab_args, extra, 0, "arguments for both binaries"),
    CLI_OPT_END,
};

static const cli_cmd ab_cmd = {"ab", ab_opts};

/* The rules between options that the table cannot say. */
static int check_args(const ab_args *a)
{
    if (a->db == NULL && (a->base_commit || a->base_branch || a->rec.commit ||
                          a->rec.branch || a->rec.repo || a->rec.allow_unknown ||
                          a->rec.machine))
        return btk_error_set(BTK_EINVAL, "commit and machine options of ab only apply when "
                                         "storing: add --db PATH");
    if (a->db && a->base_commit == NULL)
        return btk_error_set(BTK_EINVAL, "ab --db needs --base-commit REF: the commit OLD_BIN "
                                         "was built from (its run is stored under it)");
    return 0;
}

/* ---- storing (--db) ---- */

typedef struct ab_store {
    btk_commit base, contender;
    btk_git *git;
} ab_store;

/* Resolve both commits and check the database opens before any benchmark runs, so a typo
 * costs nothing. The contender is HEAD unless --commit; the base is --base-commit. */
static int store_prepare(ab_store *st, const ab_args *a)
{
    cli_commit_options base = a->rec;
    btk_git *again = NULL;
    btk_store *db = NULL;
    int error;

    base.commit = a->base_commit;
    base.branch = a->base_branch;
    if ((error = cli_commit_for_run(&st->contender, &st->git, &a->rec)) < 0 ||
        (error = cli_commit_for_run(&st->base, &again, &base)) < 0)
        goto done;
    if (!strcmp(st->base.sha, st->contender.sha))
        fprintf(stderr, "benchtrack: warning: both runs are stored under commit %.12s\n",
                st->base.sha);
    error = cli_open_store(&db, a->db, st->git, false);
done:
    btk_git_close(again);
    btk_store_close(db);
    return error;
}

static int store_side(btk_run *run, btk_commit *commit, const char *side, const ab_args *a,
                      btk_git *git)
{
    int error;

    if ((error = btk_ab_tag(run, side, (unsigned)a->processes)) < 0)
        return error;
    btk_commit_clear(&run->commit);
    run->commit = *commit;
    memset(commit, 0, sizeof(*commit)); /* the run owns it now */
    return cli_store_run(run, a->db, git, a->rec.machine);
}

static void store_clear(ab_store *st)
{
    btk_commit_clear(&st->base);
    btk_commit_clear(&st->contender);
    btk_git_close(st->git);
}

/* A side made of one merged run, labelled by its binary or --base-label/--label. */
static void side_of(cli_side *side, btk_run **run, const char *bin, long k)
{
    snprintf(side->label, sizeof(side->label), "%s", bin);
    snprintf(side->how, sizeof(side->how), "%ld interleaved processes", k);
    side->runs = run;
    side->count = 1;
}

/* Run both binaries, compare, print; store both runs when --db. *status_out is
 * CLI_EXIT_OK or CLI_EXIT_REGRESSION. */
static int run_ab(int *status_out, const ab_args *a, const btk_config *config,
                  ab_store *st)
{
    btk_ab_options ab = {(unsigned)a->processes, a->extra.v, a->extra.count, !a->quiet};
    btk_compare_options opts = a->opts;
    cli_output output = {BTK_FORMAT_TABLE, a->out, "benchtrack ab", NULL};
    btk_run *old_run = NULL, *new_run = NULL;
    cli_side base = CLI_SIDE_INIT, now = CLI_SIDE_INIT;
    int error;

    if ((a->format && (error = btk_format_parse(&output.kind, a->format)) < 0) ||
        (error = cli_metric_parse(&opts.metric, a->metric)) < 0 ||
        (error = btk_ab_run(&old_run, &new_run, a->old_bin, a->new_bin, &ab)) < 0)
        return error;
    side_of(&base, &old_run, a->base_label ? a->base_label : a->old_bin, a->processes);
    side_of(&now, &new_run, a->new_label ? a->new_label : a->new_bin, a->processes);
    opts.config = config;
    opts.alpha = btk_config_alpha(config, opts.alpha);
    if ((error = cli_sides_check_build(&base, &now, a->any_build)) == 0)
        error = cli_compare_and_print(status_out, &base, &now, &opts, &output);
    /* Stored after the verdicts are printed: a storage failure is exit 3 but the
     * comparison is not lost. */
    if (a->db && error >= 0) {
        int stored = store_side(old_run, &st->base, "base", a, st->git);

        if (stored == 0)
            stored = store_side(new_run, &st->contender, "contender", a, st->git);
        if (stored < 0)
            error = stored;
    }
    btk_run_free(old_run);
    btk_run_free(new_run);
    return error;
}

/* Check the commits and the database when storing, load the config, run. */
static int ab_main(int *status_out, const ab_args *a)
{
    btk_config *config = NULL;
    btk_git *git = NULL;
    ab_store st;
    int error;

    memset(&st, 0, sizeof(st));
    if (a->db && (error = store_prepare(&st, a)) < 0) {
        store_clear(&st);
        return error;
    }
    if (a->config == NULL && btk_git_open(&git, a->rec.repo) < 0)
        btk_error_clear(); /* outside a repository: no default config */
    if ((error = cli_load_config(&config, a->config, git)) == 0)
        error = run_ab(status_out, a, config, &st);
    btk_config_free(config);
    btk_git_close(git);
    store_clear(&st);
    return error;
}

int cmd_ab(int argc, char **argv)
{
    ab_args a = {0};
    int status;

    a.processes = 10;
    a.opts = (btk_compare_options)BTK_COMPARE_OPTIONS_INIT;
    a.opts.process_units = true; /* a few processes are inconclusive, never their samples */
    if (!cli_parse_args(&status, &a, &ab_cmd, argc, argv))
        return status;
    if (check_args(&a) < 0)
        return cli_usage_fail(&ab_cmd);
    return ab_main(&status, &a) < 0 ? cli_fail() : status;
}
