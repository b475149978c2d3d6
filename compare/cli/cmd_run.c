/*
 * benchtrack run -- ./bench [args]: run a benchmark binary with --out TMPFILE appended (its
 * table still reaches the terminal), read its JSON and store the run with the commit and
 * machine. docs/cli/run.md.
 */
#include "cli.h"

#include "import.h"

#include <sys/wait.h>
#include <unistd.h>

/* Processes per benchmark for a recorded run unless the binary's own arguments say: a
 * comparison needs independent units, and samples of one process are not (docs/cli/run.md). */
#define RUN_DEFAULT_PROCESSES 10

typedef struct run_args {
    const char *db;
    cli_commit_options rec;
    long processes;
    cli_opt_tail bin; /* the binary and its arguments */
} run_args;

static const cli_opt run_opts[] = {
    CLI_OPTS_RECORD(run_args, rec, db, CLI_DB_HELP_RECORD),
    CLI_OPT_LONG("--processes", "K", run_args, processes, 1, 1000,
                 "processes per benchmark, passed to the binary unless its arguments "
                 "contain --processes (default 10)"),
    CLI_OPT_TAIL("./bench_binary [args]", run_args, bin, CLI_OPT_REQUIRED,
                 "the benchmark binary and its arguments"),
    CLI_OPT_END,
};

static const cli_cmd run_cmd = {"run", run_opts};

/* True when the binary's arguments already choose --processes. */
static bool has_processes_arg(char **argv, int argc)
{
    int i;

    for (i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--processes") || !strncmp(argv[i], "--processes=", 12))
            return true;
    return false;
}

/* Run argv with "--out path" (and "--processes K" unless given) appended; returns the exit
 * status (128+N for signal N). */
static int run_binary(char **argv, int argc, const char *path, const char *processes)
{
    char **args = btk__calloc((size_t)argc + 5, sizeof(char *));
    pid_t pid;
    int status = 0, i, n;

    if (args == NULL)
        return -1;
    for (i = 0; i < argc; i++)
        args[i] = argv[i];
    n = argc;
    if (!has_processes_arg(argv, argc)) {
        args[n++] = "--processes";
        args[n++] = (char *)processes;
    }
    args[n++] = "--out";
    args[n] = (char *)path;
    fflush(NULL);
    if ((pid = fork()) == 0) {
        char quoted[200];
        execvp(args[0], args);
        fprintf(stderr, "benchtrack: cannot run '%s': %s\n",
                btk_error_quote(quoted, sizeof(quoted), args[0]), strerror(errno));
        _exit(127);
    }
    btk__free(args);
    if (pid < 0)
        return -1;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Exit statuses of the binary that leave nothing to store: the message and our exit. */
static int refuse(int status, const char *bin)
{
    char quoted[200];

    btk_error_quote(quoted, sizeof(quoted), bin);
    if (status == 127)
        return CLI_EXIT_USAGE; /* the child said why */
    if (status == 2)
        return cli_die(CLI_EXIT_USAGE, "'%s' rejected its arguments (exit 2): nothing stored",
                       quoted);
    if (status > 128)
        return cli_die(CLI_EXIT_RUNTIME, "'%s' was killed by signal %d: nothing stored",
                       quoted, status - 128);
    return cli_die(CLI_EXIT_RUNTIME, "'%s' exited with status %d: nothing stored", quoted,
                   status);
}

/* Check the database opens (schema, permissions) before spending time on benchmarks. */
static int precheck_store(const char *db_flag, btk_git *git)
{
    btk_store *db = NULL;
    int error = cli_open_store(&db, db_flag, git, false);

    btk_store_close(db);
    return error;
}

static int record(int status, const char *tmp, btk_commit *commit, const char *db,
                  btk_git *git)
{
    btk_run *run = NULL;
    int error;

    if ((error = btk_import_file(&run, tmp)) < 0)
        return cli_fail();
    run->commit = *commit;
    memset(commit, 0, sizeof(*commit)); /* the run owns it now */
    error = cli_store_run(run, db, git);
    btk_run_free(run);
    if (error < 0)
        return cli_fail();
    if (status == 3)
        return cli_die(CLI_EXIT_RUNTIME, "a benchmark failed (its failure is stored)");
    return CLI_EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
    run_args a = {NULL, {NULL, NULL, NULL, false}, RUN_DEFAULT_PROCESSES, {NULL, 0}};
    const char *tmpdir = getenv("TMPDIR");
    char tmp[4096], processes[24];
    btk_commit commit;
    btk_git *git = NULL;
    int status, fd, child;

    if (!cli_parse_args(&status, &a, &run_cmd, argc, argv))
        return status;
    snprintf(processes, sizeof(processes), "%ld", a.processes);
    memset(&commit, 0, sizeof(commit));
    if (cli_commit_for_run(&commit, &git, &a.rec) < 0 || precheck_store(a.db, git) < 0) {
        status = cli_fail();
        goto done;
    }
    snprintf(tmp, sizeof(tmp), "%s/benchtrack-run-XXXXXX",
             tmpdir && *tmpdir ? tmpdir : "/tmp");
    if ((fd = mkstemp(tmp)) < 0) {
        status = cli_die(CLI_EXIT_RUNTIME, "cannot create a temporary file: %s",
                         strerror(errno));
        goto done;
    }
    close(fd);
    child = run_binary(a.bin.v, (int)a.bin.count, tmp, processes);
    if (child < 0)
        status = cli_die(CLI_EXIT_RUNTIME, "cannot start the benchmark binary: %s",
                         strerror(errno));
    else if (child == 0 || child == 3)
        status = record(child, tmp, &commit, a.db, git);
    else
        status = refuse(child, a.bin.v[0]);
    unlink(tmp);
done:
    btk_commit_clear(&commit);
    btk_git_close(git);
    return status;
}
