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
    "       [--noise-band X] [--quiet] [-- ARGS FOR BOTH BINARIES]\n";

typedef struct ab_args {
    const char *old_bin, *new_bin, *config, *format, *out;
    long processes;
    bool quiet;
    btk_compare_options opts;
    char **extra;
    size_t extra_count;
} ab_args;

static int parse_option(ab_args *a, int argc, char **argv, int *i)
{
    const char *v = NULL;

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
    return 0;
}

/* A side made of one merged run, labelled by its binary. */
static void side_of(cli_side *side, btk_run **run, const char *bin, long k)
{
    snprintf(side->label, sizeof(side->label), "%s", bin);
    snprintf(side->how, sizeof(side->how), "%ld interleaved processes", k);
    side->runs = run;
    side->count = 1;
}

static int run_ab(const ab_args *a, const btk_config *config)
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
    btk_run_free(old_run);
    btk_run_free(new_run);
    return error;
}

int cmd_ab(int argc, char **argv)
{
    ab_args a = {0};
    btk_config *config = NULL;
    btk_git *git = NULL;
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
    if (a.config == NULL && btk_git_open(&git, NULL) < 0)
        btk_error_clear(); /* outside a repository: no default config */
    rc = cli_load_config(&config, a.config, git);
    if (rc == 0)
        rc = run_ab(&a, config);
    btk_config_free(config);
    btk_git_close(git);
    return rc < 0 ? cli_fail() : rc;
}
