/*
 * benchtrack log: the stored runs, newest first. docs/cli/log.md.
 */
#include "cli.h"

static void print_row(const btk_run_row *r)
{
    printf("%6" PRId64 "  %-12.12s%s  ", r->id, r->sha[0] ? r->sha : "-",
           r->dirty ? "+" : " ");
    cli_print_safe(stdout, r->branch ? r->branch : "-");
    printf("  ");
    cli_print_safe(stdout, r->hostname ? r->hostname : "?");
    printf(" (%.8s)  %s  %" PRId64 " benchmarks", r->machine_fp ? r->machine_fp : "?",
           r->date ? r->date : "-", r->benchmarks);
    if (r->failures)
        printf(", %" PRId64 " failed", r->failures);
    printf("  ");
    cli_print_safe(stdout, r->subject ? r->subject : "");
    printf("\n");
}

int cmd_log(int argc, char **argv)
{
    const char *db_flag = NULL, *repo = NULL, *limit_s = NULL;
    long limit = 0;
    btk_git *git = NULL;
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    size_t count = 0, i;
    int rc = CLI_EXIT_OK, a;
    char quoted[80];

    for (a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
            printf("usage: benchtrack log [--db PATH] [--repo DIR] [--limit N]\n");
            return CLI_EXIT_OK;
        }
        if (!cli_option("--db", argc, argv, &a, &db_flag) &&
            !cli_option("--repo", argc, argv, &a, &repo) &&
            !cli_option("--limit", argc, argv, &a, &limit_s))
            return cli_die(CLI_EXIT_USAGE, "unknown argument '%s' for log",
                           btk_error_quote(quoted, sizeof(quoted), argv[a]));
    }
    if (limit_s && cli_parse_long(&limit, "--limit", limit_s, 1, 1000000000) < 0)
        return cli_fail();
    if (btk_git_open(&git, repo) < 0 && repo)
        return cli_fail();
    btk_error_clear();
    if (cli_open_store(&db, db_flag, git, true) < 0 ||
        btk_store_list_runs(&rows, &count, db, (size_t)limit) < 0)
        rc = cli_fail();
    else {
        printf("%6s  %-13s  %s\n", "run", "commit", "branch  machine  date  results  subject");
        for (i = 0; i < count; i++)
            print_row(&rows[i]);
    }
    btk_run_rows_free(rows, count);
    btk_store_close(db);
    btk_git_close(git);
    return rc;
}
