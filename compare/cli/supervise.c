/*
 * The private directory and the supervisor of commands that build commits in a worktree
 * (supervise.h): the work runs in a child leading its own process group, which an
 * interruption kills as a whole; the parent then removes the worktree and the directory.
 */
#include "supervise.h"

#include "worktree.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int cli_private_make(cli_private *p, const char *what)
{
    const char *tmp = getenv("TMPDIR");
    char quoted[200];

    if (tmp == NULL || *tmp == '\0')
        tmp = "/tmp";
    memset(p, 0, sizeof(*p));
    snprintf(p->dir, sizeof(p->dir), "%s/btk-%s.XXXXXX", tmp, what);
    if (mkdtemp(p->dir) == NULL)
        return btk_error_set(BTK_EIO, "cannot create a directory in '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), tmp),
                             strerror(errno));
    snprintf(p->src, sizeof(p->src), "%s/src", p->dir);
    snprintf(p->log, sizeof(p->log), "%s/git.log", p->dir);
    snprintf(p->build_log, sizeof(p->build_log), "%s/build.log", p->dir);
    return 0;
}

static volatile sig_atomic_t got_signal;
static volatile pid_t worker_pid;

/* Kill the worker's whole process group (the build, the benchmarks); the parent then
 * removes the worktree. Async-signal-safe. */
static void on_signal(int sig)
{
    got_signal = sig;
    if (worker_pid > 0)
        kill(-worker_pid, SIGKILL);
}

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};

static void set_handlers(void (*fn)(int))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < BTK_ARRAY_SIZE(caught); i++)
        sigaction(caught[i], &sa, NULL);
}

/* The worker's temporary files (a run's, the A/B runner's, the build's) go inside the
 * private directory, so that removing it after an interruption leaves nothing behind. */
static int private_tmp(const cli_private *p)
{
    char path[260];

    snprintf(path, sizeof(path), "%s/tmp", p->dir);
    if (mkdir(path, 0700) != 0 || setenv("TMPDIR", path, 1) != 0)
        return btk_error_set(BTK_EIO, "cannot make a temporary directory: %s",
                             strerror(errno));
    return 0;
}

int cli_supervise(const cli_private *p, const char *root, const char *what,
                  int (*work)(void *payload), void *payload)
{
    sigset_t block, old;
    int status = 0, exit_status;
    pid_t pid;

    got_signal = 0;
    sigemptyset(&block);
    for (size_t i = 0; i < BTK_ARRAY_SIZE(caught); i++)
        sigaddset(&block, caught[i]);
    set_handlers(on_signal);
    sigprocmask(SIG_BLOCK, &block, &old);
    fflush(stdout), fflush(stderr);
    if ((pid = fork()) == 0) {
        setpgid(0, 0);
        set_handlers(SIG_DFL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        exit_status = private_tmp(p) < 0 ? cli_fail() : work(payload);
        fflush(stdout);
        fflush(stderr);
        _exit(exit_status);
    }
    if (pid > 0)
        setpgid(pid, pid), worker_pid = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (pid < 0)
        return cli_die(CLI_EXIT_RUNTIME, "cannot start the %s: %s", what,
                       strerror(errno));
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    worker_pid = 0;
    exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : CLI_EXIT_RUNTIME;
    if (btk_worktree_remove(root, p->src, p->log) < 0 || btk_worktree_rmtree(p->dir) < 0)
        exit_status = cli_fail();
    set_handlers(SIG_DFL);
    if (got_signal)
        return cli_die(CLI_EXIT_RUNTIME,
                       "%s interrupted by signal %d: stopped, its worktree "
                       "removed",
                       what, (int)got_signal);
    return exit_status;
}
