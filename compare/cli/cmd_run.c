/*
 * benchtrack run -- ./bench [args]: run a benchmark binary with --out TMPFILE appended (its
 * table still reaches the terminal), read its JSON and store the run with the commit and
 * machine. docs/cli/run.md.
 */
#include "run_commits.h"

#include "import.h"
#include "run_tmp.h"
#include "runner.h"
#include "runner_int.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Processes per benchmark for a recorded run unless the binary's own arguments say: a
 * comparison needs independent units, and samples of one process are not (docs/cli/run.md). */
#define RUN_DEFAULT_PROCESSES 10

/* The child's status when the binary could not be started (the shell's convention); the
 * child has said why on stderr. */
#define RUN_EXIT_EXEC_FAILED 127

static const cli_opt run_opts[] = {
    CLI_OPTS_RECORD(cli_run_args, rec, db, CLI_DB_HELP_RECORD),
    CLI_OPT_LONG("--processes", "K", cli_run_args, processes, 1, 1000,
                 "processes per benchmark, passed to the binary unless its arguments "
                 "contain --processes (default 10)"),
    CLI_OPT_STRING_EX("--commits", NULL, "A..B", cli_run_args, commits, CLI_OPT_NONEMPTY,
                      "record every commit after A up to B (first parents), each built in "
                      "a worktree of its own; the tail is then the binary's arguments"),
    CLI_OPT_STRING_EX("--build", NULL, "CMD", cli_run_args, build, CLI_OPT_NONEMPTY,
                      "with --commits: build command, run by `sh -c` in the worktree"),
    CLI_OPT_STRING_EX("--binary", NULL, "PATH", cli_run_args, binary, CLI_OPT_NONEMPTY,
                      "with --commits: the benchmark binary the build makes (relative)"),
    CLI_OPT_LONG("--every", "N", cli_run_args, every, 1, 1000000,
                 "with --commits: only every N-th commit, counted back from B"),
    CLI_OPT_LONG("--passes", "N", cli_run_args, passes, 1, 100,
                 "with --commits: walk the range N times, one run of each commit per "
                 "walk (default 1)"),
    CLI_OPT_STRING("--order", "random|oldest", cli_run_args, order,
                   "with --commits: each walk's order, shuffled anew (default) or oldest "
                   "first"),
    CLI_OPT_FLAG("--quiet", cli_run_args, quiet, 0,
                 "with --commits: no progress lines on stderr"),
    CLI_OPT_TAIL("./bench_binary [args]", cli_run_args, bin, 0,
                 "the benchmark binary and its arguments (with --commits: the arguments)"),
    CLI_OPT_END,
};

static const cli_cmd run_cmd = {"run", run_opts};

/* True when the binary's arguments already choose --processes, or choose a counting
 * measure (--measure instructions|perf-instructions): counts repeat exactly, so the
 * binary's own two counted processes suffice and ten would only cost ten callgrind runs
 * (docs/cli/run.md). */
static bool has_processes_arg(char **argv, int argc)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *m = !strcmp(argv[i], "--measure") && i + 1 < argc ? argv[i + 1]
                        : !strncmp(argv[i], "--measure=", 10)          ? argv[i] + 10
                                                                       : NULL;

        if (!strcmp(argv[i], "--processes") || !strncmp(argv[i], "--processes=", 12) ||
            (m && strcmp(m, "time") != 0))
            return true;
    }
    return false;
}

/* The signals that end a run early. While the binary runs they are forwarded to it (a
 * second one kills it), and the run ends by the same signal after removing its
 * temporary directory. */
static const int run_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static volatile sig_atomic_t child_pid = 0; /* the binary while it runs, else 0 */
static volatile sig_atomic_t caught = 0;    /* the first signal received, else 0 */

static void forward_signal(int sig)
{
    int saved = errno;

    if (child_pid > 0)
        kill((pid_t)child_pid, caught ? SIGKILL : sig);
    if (!caught)
        caught = sig;
    errno = saved;
}

/* Catch run_signals (those not ignored: a run started with SIGINT ignored keeps ignoring
 * it), saving the old actions in old. */
static void catch_signals(struct sigaction *old)
{
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = forward_signal;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < BTK_ARRAY_SIZE(run_signals); i++) {
        sigaction(run_signals[i], NULL, &old[i]);
        if (old[i].sa_handler != SIG_IGN)
            sigaction(run_signals[i], &sa, NULL);
    }
}

static void restore_signals(const struct sigaction *old)
{
    size_t i;

    for (i = 0; i < BTK_ARRAY_SIZE(run_signals); i++)
        sigaction(run_signals[i], &old[i], NULL);
}

/* In the child: the caller's signal actions back, tied to the parent (it dies with it:
 * runner_linux.c), then the binary. Never returns. */
static void exec_child(char **args, const struct sigaction *old, const sigset_t *mask,
                       pid_t parent)
{
    char quoted[200];

    restore_signals(old);
    sigprocmask(SIG_SETMASK, mask, NULL);
    if (!btk_runner__tie_to_parent(parent))
        _exit(BTK_RUNNER_EXIT_ORPHANED);
    execvp(args[0], args);
    fprintf(stderr, "benchtrack: cannot run '%s': %s\n",
            btk_error_quote(quoted, sizeof(quoted), args[0]), strerror(errno));
    _exit(RUN_EXIT_EXEC_FAILED);
}

/* Start args with the run's signals blocked until child_pid is set, so none is lost. */
static pid_t start_child(char **args, const struct sigaction *old)
{
    sigset_t block, saved;
    pid_t parent = getpid(), pid;
    size_t i;

    sigemptyset(&block);
    for (i = 0; i < BTK_ARRAY_SIZE(run_signals); i++)
        sigaddset(&block, run_signals[i]);
    fflush(NULL);
    sigprocmask(SIG_BLOCK, &block, &saved);
    if ((pid = fork()) == 0)
        exec_child(args, old, &saved, parent);
    if (pid > 0) {
        child_pid = pid;
        if (caught) /* arrived before the binary existed */
            kill(pid, caught);
    }
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return pid;
}

int cli_run_binary(char **argv, int argc, const char *path, const char *processes)
{
    char **args = btk__calloc((size_t)argc + 5, sizeof(char *));
    struct sigaction old[BTK_ARRAY_SIZE(run_signals)];
    pid_t pid;
    int status = 0, i, n, saved;

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
    catch_signals(old);
    pid = start_child(args, old);
    saved = errno;
    btk__free(args);
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    child_pid = 0;
    restore_signals(old);
    errno = saved;
    if (pid < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Exit statuses of the binary that leave nothing to store: the message and our exit. */
static int refuse(int status, const char *bin)
{
    char quoted[200];

    btk_error_quote(quoted, sizeof(quoted), bin);
    if (status == RUN_EXIT_EXEC_FAILED)
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

/* The binary exited 0 or 3 but wrote no results: it is not a benchtrack benchmark binary
 * (or ignored --out). */
static int no_results(const char *bin, int status)
{
    char quoted[200];

    return cli_die(CLI_EXIT_RUNTIME, "'%s' exited with status %d without writing results "
                   "(is it a benchtrack benchmark binary?): nothing stored",
                   btk_error_quote(quoted, sizeof(quoted), bin), status);
}

/* Storing (or reading back) failed after the benchmarks ran: keep the results where
 * `benchtrack import` can store them later and say where. sha: the run's commit, "" when
 * none. Returns the exit status of the failure already set. */
static int keep_results(cli_run_tmp *t, const char *sha)
{
    char kept[4200], quoted[300];
    int status = cli_fail();

    if (cli_run_tmp_keep(kept, sizeof(kept), t) < 0)
        return cli_fail(), status;
    btk_error_quote(quoted, sizeof(quoted), kept);
    if (sha[0])
        cli_die(status, "the results are kept in '%s': store them with 'benchtrack import "
                "%s --commit %s'", quoted, quoted, sha);
    else
        cli_die(status, "the results are kept in '%s': store them with 'benchtrack import "
                "%s'", quoted, quoted);
    return status;
}

static int record(int status, cli_run_tmp *t, btk_commit *commit, const char *db,
                  btk_git *git, const cli_run_args *a)
{
    btk_run *run = NULL;
    int error;

    if ((error = btk_import_file(&run, t->json)) < 0)
        return keep_results(t, commit->sha); /* e.g. a counting run: kept, not lost */
    run->commit = *commit;
    memset(commit, 0, sizeof(*commit)); /* the run owns it now */
    if (a->commits && (error = btk_runtag_set_build(run, a->build, a->binary)) < 0) {
        btk_run_free(run);
        return cli_fail();
    }
    error = cli_store_run(run, db, git, a->rec.machine);
    if (error < 0)
        status = keep_results(t, run->commit.sha);
    else if (status == 3)
        status = cli_die(CLI_EXIT_RUNTIME, "a benchmark failed (its failure is stored)");
    else
        status = CLI_EXIT_OK;
    btk_run_free(run);
    return status;
}

int cli_run_finish(int child, cli_run_tmp *t, btk_commit *commit, const cli_run_args *a,
                   btk_git *git)
{
    const char *bin = a->commits ? a->binary : a->bin.v[0];
    struct stat st;

    if (child < 0)
        return cli_die(CLI_EXIT_RUNTIME, "cannot start the benchmark binary: %s",
                       strerror(errno));
    if (child != 0 && child != 3)
        return refuse(child, bin);
    if (stat(t->json, &st) != 0)
        return no_results(bin, child);
    return record(child, t, commit, a->db, git, a);
}

int cmd_run(int argc, char **argv)
{
    cli_run_args a;
    char processes[24];
    cli_run_tmp t = {"", "", -1}; /* lock_fd -1: none yet */
    btk_commit commit;
    btk_git *git = NULL;
    int status, child, sig;

    memset(&a, 0, sizeof(a));
    a.processes = RUN_DEFAULT_PROCESSES;
    a.every = 1;
    a.passes = 1;
    if (!cli_parse_args(&status, &a, &run_cmd, argc, argv))
        return status;
    if (a.commits || a.build || a.binary || a.every != 1 || a.passes != 1 || a.order ||
        a.quiet)
        return cli_run_check_commits(&a) < 0 ? cli_usage_fail(&run_cmd)
                                             : cli_run_commits(&a);
    if (a.bin.count == 0) {
        btk_error_set(BTK_EINVAL, "'run' needs ./bench_binary [args]");
        return cli_usage_fail(&run_cmd);
    }
    snprintf(processes, sizeof(processes), "%ld", a.processes);
    memset(&commit, 0, sizeof(commit));
    if (cli_commit_for_run(&commit, &git, &a.rec) < 0 || precheck_store(a.db, git) < 0) {
        status = cli_fail();
        goto done;
    }
    cli_run_tmp_sweep(); /* directories of runs that were killed */
    if (cli_run_tmp_create(&t) < 0) {
        status = cli_fail();
        goto done;
    }
    child = cli_run_binary(a.bin.v, (int)a.bin.count, t.json, processes);
    if ((sig = caught) != 0) { /* interrupted: no results, end by the same signal */
        cli_run_tmp_remove(&t);
        signal(sig, SIG_DFL);
        raise(sig);
        status = cli_die(CLI_EXIT_RUNTIME, "interrupted by signal %d: nothing stored", sig);
        goto done;
    }
    status = cli_run_finish(child, &t, &commit, &a, git);
done:
    cli_run_tmp_remove(&t);
    btk_commit_clear(&commit);
    btk_git_close(git);
    return status;
}
