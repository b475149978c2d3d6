/*
 * benchtrack: entry point and subcommand dispatch.
 */
#include "cli.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"run", cmd_run, "run a benchmark binary and store its results for the current commit"},
    {"import", cmd_import, "store results from a JSON file (ours or Google Benchmark's)"},
    {"history", cmd_history, "one benchmark's results over commits in first-parent order"},
    {"log", cmd_log, "list stored runs"},
    {"show", cmd_show, "print one run's results"},
    {"compare", cmd_compare, "compare two commits or runs; exit 1 on a regression"},
    {"ab", cmd_ab, "run two binaries interleaved and compare them; exit 1 on a regression"},
    {"bisect", cmd_bisect, "find the first commit where a benchmark got slower"},
    {"regressions", cmd_regressions,
     "change points of the history; exit 1 on an unacknowledged regression"},
    {"chart", cmd_chart, "draw trend, comparison or distribution charts with gnuplot"},
    {"report", cmd_report, "write a static HTML report of trends and comparisons"},
    {"export", cmd_export, "stored results as OpenMetrics (Prometheus), CSV or JSON"},
    {"push", cmd_push, "copy runs from one results database to another (once each)"},
};

/* The command's exit status, or CLI_EXIT_RUNTIME with a message when what it wrote to
 * stdout was lost (a full disk, a closed descriptor): output that did not arrive is never
 * a success. A usage or runtime failure keeps its own status; its message is out already. */
static int check_stdout(int status)
{
    int failed = fflush(stdout) != 0, saved = errno;

    if (!failed && !ferror(stdout))
        return status;
    if (status == CLI_EXIT_USAGE || status == CLI_EXIT_RUNTIME)
        return status;
    return cli_die(CLI_EXIT_RUNTIME, "cannot write to standard output: %s",
                   failed ? strerror(saved) : "write error");
}

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: benchtrack <command> [options]\n\ncommands:\n");
    for (i = 0; i < BTK_ARRAY_SIZE(commands); i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'benchtrack <command> --help' describes a command; docs/cli/ has the "
               "manual pages.\nexit status: 0 ok, 1 regression, 2 usage or bad input, "
               "3 runtime failure\n");
}

int main(int argc, char **argv)
{
    size_t i;
    char quoted[80];

    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return check_stdout(CLI_EXIT_OK);
    }
    if (!strcmp(argv[1], "--version")) {
        printf("benchtrack %s\n", BTK_VERSION);
        return check_stdout(CLI_EXIT_OK);
    }
    for (i = 0; i < BTK_ARRAY_SIZE(commands); i++)
        if (!strcmp(argv[1], commands[i].name))
            return check_stdout(commands[i].fn(argc - 1, argv + 1));
    return cli_die(CLI_EXIT_USAGE, "unknown command '%s' (try 'benchtrack --help')",
                   btk_error_quote(quoted, sizeof(quoted), argv[1]));
}
