/*
 * benchtrack import FILE.json: store a run from our JSON or Google Benchmark's, attached to
 * the repository's HEAD or to the commit given by flag. docs/cli/import.md.
 */
#include "cli.h"

#include "import.h"

#include <sys/stat.h>

typedef struct import_args {
    const char *file, *db;
    cli_commit_options rec;
} import_args;

static const cli_opt import_opts[] = {
    CLI_OPT_ARG("FILE.json", import_args, file, CLI_OPT_REQUIRED,
                "results in our JSON or Google Benchmark's"),
    CLI_OPTS_RECORD(import_args, rec, db, CLI_DB_HELP_RECORD),
    CLI_OPT_END,
};

static const cli_cmd import_cmd = {"import", import_opts};

/* FILE must not be a directory (reading one fails with an I/O error, exit 3; it is bad
 * input, exit 2). Anything else is left to the importer's messages. */
static int check_file(const char *path)
{
    struct stat st;
    char quoted[300];

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return btk_error_set(BTK_EINVAL, "'%s' is a directory, not a results file",
                             btk_error_quote(quoted, sizeof(quoted), path));
    return 0;
}

static int import(const import_args *a)
{
    btk_git *git = NULL;
    btk_run *run = NULL;
    int error;

    if ((error = check_file(a->file)) == 0 && (error = btk_import_file(&run, a->file)) == 0 &&
        (error = cli_commit_for_run(&run->commit, &git, &a->rec)) == 0)
        error = cli_store_run(run, a->db, git, a->rec.machine);
    btk_run_free(run);
    btk_git_close(git);
    return error;
}

int cmd_import(int argc, char **argv)
{
    import_args a = {NULL, NULL, {NULL, NULL, NULL, false, NULL}};
    int status;

    if (!cli_parse_args(&status, &a, &import_cmd, argc, argv))
        return status;
    return import(&a) < 0 ? cli_fail() : CLI_EXIT_OK;
}
