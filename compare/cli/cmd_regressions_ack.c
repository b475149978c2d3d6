/*
 * benchtrack regressions ack COMMIT --bench GLOB --note TEXT | acks | unack ID: the
 * acknowledgements of expected regressions, kept in the results database (table acks,
 * schema v4). An acknowledged change point is still listed, marked so, and no longer
 * makes `benchtrack regressions` exit 1. docs/cli/regressions.md.
 */
#include "regressions.h"

#include <time.h>

typedef struct ack_args {
    const char *commit, *bench, *note, *id, *db, *repo;
} ack_args;

static const cli_opt ack_opts[] = {
    CLI_OPT_ARG("COMMIT", ack_args, commit, CLI_OPT_REQUIRED,
                "the change point's commit (any ref git rev-parse accepts)"),
    CLI_OPT_STRING_EX("--bench", NULL, "GLOB", ack_args, bench,
                      CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY,
                      "the benchmarks it covers (a glob: 'sort/*'; a plain name)"),
    CLI_OPT_STRING_EX("--note", NULL, "TEXT", ack_args, note, CLI_OPT_REQUIRED,
                      "why the slowdown is expected"),
    CLI_OPT_STRING_EX("--db", NULL, "PATH", ack_args, db, CLI_OPT_NONEMPTY,
                      "results database (must exist)"),
    CLI_OPT_STRING_EX("--repo", NULL, "DIR", ack_args, repo, CLI_OPT_NONEMPTY,
                      "the repository (default: the current directory's)"),
    CLI_OPT_END,
};
static const cli_cmd ack_cmd = {"regressions ack", ack_opts};

static const cli_opt acks_opts[] = {
    CLI_OPT_STRING_EX("--db", NULL, "PATH", ack_args, db, CLI_OPT_NONEMPTY,
                      "results database (must exist)"),
    CLI_OPT_STRING_EX("--repo", NULL, "DIR", ack_args, repo, CLI_OPT_NONEMPTY,
                      "the repository, to find the default database"),
    CLI_OPT_END,
};
static const cli_cmd acks_cmd = {"regressions acks", acks_opts};

static const cli_opt unack_opts[] = {
    CLI_OPT_ARG("ID", ack_args, id, CLI_OPT_REQUIRED,
                "the acknowledgement's number ('regressions acks' lists them)"),
    CLI_OPT_STRING_EX("--db", NULL, "PATH", ack_args, db, CLI_OPT_NONEMPTY,
                      "results database (must exist)"),
    CLI_OPT_STRING_EX("--repo", NULL, "DIR", ack_args, repo, CLI_OPT_NONEMPTY,
                      "the repository, to find the default database"),
    CLI_OPT_END,
};
static const cli_cmd unack_cmd = {"regressions unack", unack_opts};

/* Open the repository when there is one (NULL otherwise: --db must then name the
 * database) and the existing database for writing. */
static int open_both(btk_git **git, btk_store **db, const ack_args *a, bool need_git)
{
    btk_store *probe = NULL;
    int error = btk_git_open(git, a->repo);

    if (error == BTK_ENOTFOUND && !need_git && a->repo == NULL)
        btk_error_clear(), error = 0;
    /* must exist: a read-only open says so with the path, and never creates one */
    if (error == 0 && (error = cli_open_store(&probe, a->db, *git, true)) == 0) {
        btk_store_close(probe);
        error = cli_open_store(db, a->db, *git, false);
    }
    return error;
}

static int do_ack(const ack_args *a)
{
    btk_git *git = NULL;
    btk_store *db = NULL;
    btk_commit info;
    int64_t id = 0;
    int error;

    memset(&info, 0, sizeof(info));
    if ((error = open_both(&git, &db, a, true)) == 0 &&
        (error = btk_git_resolve(info.sha, git, a->commit)) == 0 &&
        (error = btk_git_commit_info(&info, git, info.sha)) == 0 &&
        (error = btk_store_add_ack(db, info.sha, a->bench, a->note, &id)) == 0) {
        printf("acknowledged #%" PRId64 ": %.12s ", id, info.sha);
        cli_print_safe(stdout, a->bench);
        printf(" (");
        cli_print_safe(stdout, info.subject ? info.subject : "");
        printf(")\n");
    }
    btk_commit_clear(&info);
    btk_store_close(db);
    btk_git_close(git);
    return error;
}

static int do_list(const ack_args *a)
{
    btk_git *git = NULL;
    btk_store *db = NULL;
    btk_ack *acks = NULL;
    size_t count = 0;
    char when[32];
    int error = btk_git_open(&git, a->repo);

    if (error == BTK_ENOTFOUND && a->repo == NULL)
        btk_error_clear(), error = 0;
    if (error == 0 && (error = cli_open_store(&db, a->db, git, true)) == 0 &&
        (error = btk_store_list_acks(&acks, &count, db)) == 0) {
        for (size_t i = 0; i < count; i++) {
            time_t t = (time_t)acks[i].created;
            struct tm tm;

            if (gmtime_r(&t, &tm) == NULL ||
                strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm) == 0)
                snprintf(when, sizeof(when), "?");
            printf("#%-4" PRId64 " %.12s  %s UTC  ", acks[i].id, acks[i].sha, when);
            cli_print_safe(stdout, acks[i].glob);
            printf("  ");
            cli_print_safe(stdout, acks[i].note);
            printf("\n");
        }
        if (count == 0)
            fprintf(stderr, "benchtrack: no acknowledgements\n");
    }
    btk_acks_free(acks, count);
    btk_store_close(db);
    btk_git_close(git);
    return error;
}

static int do_unack(const ack_args *a)
{
    btk_git *git = NULL;
    btk_store *db = NULL;
    long id = 0;
    int error =
        cli_parse_long(&id, "ID", a->id[0] == '#' ? a->id + 1 : a->id, 1, 2147483647L);

    if (error == 0 && (error = open_both(&git, &db, a, false)) == 0 &&
        (error = btk_store_remove_ack(db, id)) == 0)
        printf("removed acknowledgement #%ld\n", id);
    btk_store_close(db);
    btk_git_close(git);
    return error;
}

/* argv[0] is "ack", "acks" or "unack". */
int cmd_regressions_ack(int argc, char **argv)
{
    ack_args a;
    const cli_cmd *cmd = !strcmp(argv[0], "ack")    ? &ack_cmd
                         : !strcmp(argv[0], "acks") ? &acks_cmd
                                                    : &unack_cmd;
    int status, error;

    memset(&a, 0, sizeof(a));
    if (!cli_parse_args(&status, &a, cmd, argc, argv))
        return status;
    error = cmd == &ack_cmd ? do_ack(&a) : cmd == &acks_cmd ? do_list(&a) : do_unack(&a);
    if (error == BTK_EINVAL && cmd == &unack_cmd && btk_error_last()->code == BTK_EINVAL)
        return cli_usage_fail(cmd);
    return error < 0 ? cli_fail() : CLI_EXIT_OK;
}
