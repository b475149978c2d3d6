/*
 * benchtrack import FILE.json: store a run from our JSON or Google Benchmark's, attached to
 * the repository's HEAD or to the commit given by flag. docs/cli/import.md.
 */
#include "cli.h"

#include "import.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: benchtrack import FILE.json [--db PATH] [--repo DIR] [--commit REF]\n"
               "                         [--branch NAME] [--allow-unknown-commit]\n");
}

int cli_record_option(cli_commit_options *o, const char **db, int argc, char **argv,
                      int *i)
{
    static const char *const names[] = {"--db", "--repo", "--commit", "--branch"};
    const char **slots[4];
    const char *value = NULL;
    size_t k;

    slots[0] = db;
    slots[1] = &o->repo;
    slots[2] = &o->commit;
    slots[3] = &o->branch;
    if (!strcmp(argv[*i], "--allow-unknown-commit")) {
        o->allow_unknown = true;
        return 1;
    }
    for (k = 0; k < BTK_ARRAY_SIZE(names); k++)
        if (cli_option(names[k], argc, argv, i, &value)) {
            if (value == NULL || *value == '\0')
                return btk_error_set(BTK_EINVAL, "option %s needs a value", names[k]);
            *slots[k] = value;
            return 1;
        }
    return 0;
}

static int parse(int argc, char **argv, cli_commit_options *o, const char **db,
                 const char **file_out)
{
    char quoted[80];
    int i, used;

    for (i = 1; i < argc; i++) {
        if ((used = cli_record_option(o, db, argc, argv, &i)) < 0)
            return cli_fail();
        if (used)
            continue;
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_die(CLI_EXIT_USAGE, "unknown option '%s' for import",
                           btk_error_quote(quoted, sizeof(quoted), argv[i]));
        if (*file_out)
            return cli_die(CLI_EXIT_USAGE, "import takes one file");
        *file_out = argv[i];
    }
    if (*file_out == NULL) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

int cmd_import(int argc, char **argv)
{
    cli_commit_options o = {NULL, NULL, NULL, false};
    const char *db = NULL, *file = NULL;
    btk_git *git = NULL;
    btk_run *run = NULL;
    int rc, error;

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if ((rc = parse(argc, argv, &o, &db, &file)) != 0)
        return rc;
    if ((error = btk_import_file(&run, file)) < 0 ||
        (error = cli_commit_for_run(&run->commit, &git, &o)) < 0 ||
        (error = cli_store_run(run, db, git)) < 0)
        rc = cli_fail();
    btk_run_free(run);
    btk_git_close(git);
    return rc;
}
