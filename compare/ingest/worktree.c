/*
 * Private git worktrees for benchtrack bisect (worktree.h): git is a child with an argv,
 * the user's build command runs through sh -c in the worktree, and removing a worktree
 * also prunes git's record of it, so `git worktree list` shows nothing left behind.
 */
#include "worktree.h"

#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Start argv[0] (looked up in PATH) in cwd (NULL: ours), output appended to log_path, and
 * wait; *status_out is the wait status. */
static int run_argv(int *status_out, char *const argv[], const char *cwd,
                    const char *log_path)
{
    posix_spawn_file_actions_t fa;
    char quoted[120];
    pid_t pid;
    int rc;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_APPEND,
                                     0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (cwd)
        posix_spawn_file_actions_addchdir_np(&fa, cwd);
    rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return btk_error_set(BTK_ECHILD, "cannot start '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), argv[0]),
                             strerror(rc));
    while (waitpid(pid, status_out, 0) < 0)
        if (errno != EINTR)
            return btk_error_set(BTK_ECHILD, "waitpid: %s", strerror(errno));
    return 0;
}

void btk_worktree_log_tail(char *out, size_t len, const char *path)
{
    char line[512];
    FILE *f = fopen(path, "r");

    out[0] = '\0';
    if (f == NULL || len == 0) {
        if (f)
            fclose(f);
        return;
    }
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            btk_error_quote(out, len, line);
    }
    fclose(f);
}

/* Run git with argv; a failure is BTK_ECHILD quoting git's last line of output. */
static int git(char *const argv[], const char *log_path, const char *what)
{
    char tail[200];
    int status = 0, error;

    if ((error = run_argv(&status, argv, NULL, log_path)) < 0)
        return error;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    btk_worktree_log_tail(tail, sizeof(tail), log_path);
    return btk_error_set(BTK_ECHILD, "git %s failed: %s", what,
                         tail[0] ? tail : "(no output)");
}

int btk_worktree_add(const char *repo_dir, const char *dir, const char *sha,
                     const char *log_path)
{
    char *const argv[] = {"git",     "-C",      (char *)repo_dir, "worktree", "add",
                          "--detach", "--force", (char *)dir,      (char *)sha, NULL};

    return git(argv, log_path, "worktree add");
}

int btk_worktree_checkout(const char *dir, const char *sha, const char *log_path)
{
    char *const co[] = {"git",       "-C",      (char *)dir, "checkout", "--quiet",
                        "--detach", "--force", (char *)sha, NULL};
    char *const clean[] = {"git", "-C", (char *)dir, "clean", "-ffdxq", NULL};
    int error;

    if ((error = git(co, log_path, "checkout")) < 0)
        return error;
    return git(clean, log_path, "clean");
}

int btk_worktree_shell(int *status_out, const char *dir, const char *cmd,
                       const char *log_path)
{
    char *const argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};

    return run_argv(status_out, argv, dir, log_path);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *f)
{
    (void)st, (void)f;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

int btk_worktree_rmtree(const char *path)
{
    char quoted[300];
    struct stat st;

    if (lstat(path, &st) != 0 && errno == ENOENT)
        return 0;
    if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 || lstat(path, &st) == 0)
        return btk_error_set(BTK_EIO, "cannot remove '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), path), strerror(errno));
    return 0;
}

int btk_worktree_remove(const char *repo_dir, const char *dir, const char *log_path)
{
    char *const rm[] = {"git",   "-C",      (char *)repo_dir, "worktree",
                        "remove", "--force", (char *)dir,      NULL};
    char *const prune[] = {"git", "-C", (char *)repo_dir, "worktree", "prune", NULL};
    struct stat st;
    int status, error;

    if (lstat(dir, &st) == 0 && run_argv(&status, rm, NULL, log_path) < 0)
        btk_error_clear(); /* the directory is removed below either way */
    if ((error = btk_worktree_rmtree(dir)) < 0)
        return error;
    if (run_argv(&status, prune, NULL, log_path) < 0)
        btk_error_clear(); /* git's record goes at its next prune */
    return 0;
}
