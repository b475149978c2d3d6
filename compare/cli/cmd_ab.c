/*
 * benchtrack ab OLD_BIN NEW_BIN: interleaved fresh processes of two benchmark binaries,
 * compared with the same statistics, outputs and exit codes as `benchtrack compare`.
 * docs/cli/ab.md.
 */
#include "compare_cli.h"

#include "abrun.h"

static const char usage[] =
    "usage: benchtrack ab OLD_BIN NEW_BIN [--processes K] [--config FILE]\n"
    "       [--format table|markdown|json|junit|csv] [--out FILE] [--alpha A]\n"
    "       [--noise-band X] [--quiet]\n"
    "       [--db PATH --base-commit REF [--commit REF] [--base-branch NAME]\n"
    "        [--branch NAME] [--repo DIR] [--allow-unknown-commit]]\n"
    "       [-- ARGS FOR BOTH BINARIES]\n";

typedef struct ab_args {
    const char *old_bin, *new_bin, *config, *format, *out;
    const char *db, *base_commit, *base_branch; /* storing: docs/cli/ab.md */
    cli_commit_options rec;                     /* the contender's commit */
    long processes;
    bool quiet;
    btk_compare_options opts;
    char **extra;
    size_t extra_count;
} ab_args;

static int parse_option(ab_args *a, int argc, char **argv, int *i)
{
    const char *v = NULL;
    int used;

    if ((used = cli_record_option(&a->rec, &a->db, argc, argv, i)) != 0)
        return used < 0 ? used : 0;
    if (cli_option("--processes", argc, argv, i, &v))
        return v ? cli_parse_long(&a->processes, "--processes", v, 1, 10000)
                 : btk_error_set(BTK_EINVAL, "--processes needs a value");
    if (cli_option("--alpha", argc, argv, i, &v))
        return cli_parse_double(&a->opts.alpha, "--alpha", v, 1e-9, 0.5);
    if (cli_option("--noise-band", argc, argv, i, &v))
        return cli_parse_double(&a->opts.noise_band, "--noise-band", v, 0, 0.99);
    if (cli_option("--config", argc, argv, i, &v))
        a->config = v;
    else if (cli_option("--format", argc, argv, i, &v))
        a->format = v;
    else if (cli_option("--out", argc, argv, i, &v))
        a->out = v;
    else if (cli_option("--base-commit", argc, argv, i, &v))
        a->base_commit = v;
    else if (cli_option("--base-branch", argc, argv, i, &v))
        a->base_branch = v;
    else if (!strcmp(argv[*i], "--quiet"))
        return a->quiet = true, 0;
    else
        return cli_compare_unknown_option(argv[*i]);
    return v ? 0 : btk_error_set(BTK_EINVAL, "%s needs a value", argv[*i]);
}

static int parse_args(ab_args *a, int argc, char **argv)
{
    int positional = 0, error;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            a->extra = argv + i + 1;
            a->extra_count = (size_t)(argc - i - 1);
            break;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            if ((error = parse_option(a, argc, argv, &i)) < 0)
                return error;
        } else if (positional++ == 0)
            a->old_bin = argv[i];
        else if (positional == 2)
            a->new_bin = argv[i];
        else
            return btk_error_set(BTK_EINVAL, "too many arguments (expected OLD_BIN and "
                                             "NEW_BIN; binary arguments go after --)");
    }
    if (a->new_bin == NULL)
        return btk_error_set(BTK_EINVAL, "ab needs two benchmark binaries: OLD_BIN NEW_BIN");
    if (a->db == NULL && (a->base_commit || a->base_branch || a->rec.commit ||
                          a->rec.branch || a->rec.repo || a->rec.allow_unknown))
        return btk_error_set(BTK_EINVAL, "commit options of ab only apply when storing: "
                                         "add --db PATH");
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
    return cli_store_run(run, a->db, git);
}

static void store_clear(ab_store *st)
{
    btk_commit_clear(&st->base);
    btk_commit_clear(&st->contender);
    btk_git_close(st->git);
}

/* A side made of one merged run, labelled by its binary. */
static void side_of(cli_side *side, btk_run **run, const char *bin, long k)
{
    snprintf(side->label, sizeof(side->label), "%s", bin);
    snprintf(side->how, sizeof(side->how), "%ld interleaved processes", k);
    side->runs = run;
    side->count = 1;
}

static int run_ab(const ab_args *a, const btk_config *config, ab_store *st)
{
    btk_ab_options ab = {(unsigned)a->processes, a->extra, a->extra_count, !a->quiet};
    btk_compare_options opts = a->opts;
    btk_format_kind kind = BTK_FORMAT_TABLE;
    btk_run *old_run = NULL, *new_run = NULL;
    cli_side base = CLI_SIDE_INIT, now = CLI_SIDE_INIT;
    int error;

    if ((a->format && (error = btk_format_parse(&kind, a->format)) < 0) ||
        (error = btk_ab_run(&old_run, &new_run, a->old_bin, a->new_bin, &ab)) < 0)
        return error;
    side_of(&base, &old_run, a->old_bin, a->processes);
    side_of(&now, &new_run, a->new_bin, a->processes);
    opts.config = config;
    opts.alpha = btk_config_alpha(config, opts.alpha);
    error = cli_compare_and_print(&base, &now, &opts, kind, a->out, "benchtrack ab");
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

int cmd_ab(int argc, char **argv)
{
    ab_args a = {0};
    btk_config *config = NULL;
    btk_git *git = NULL;
    ab_store st;
    int rc;

    a.processes = 10;
    a.opts = (btk_compare_options)BTK_COMPARE_OPTIONS_INIT;
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return fputs(usage, stdout), CLI_EXIT_OK;
    if (parse_args(&a, argc, argv) < 0) {
        rc = cli_fail();
        fputs(usage, stderr);
        return rc;
    }
    memset(&st, 0, sizeof(st));
    if (a.db && store_prepare(&st, &a) < 0) {
        store_clear(&st);
        return cli_fail();
    }
    if (a.config == NULL && btk_git_open(&git, a.rec.repo) < 0)
        btk_error_clear(); /* outside a repository: no default config */
    rc = cli_load_config(&config, a.config, git);
    if (rc == 0)
        rc = run_ab(&a, config, &st);
    btk_config_free(config);
    btk_git_close(git);
    store_clear(&st);
    return rc < 0 ? cli_fail() : rc;
}
