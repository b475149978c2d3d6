/*
 * A private git worktree for building other commits without touching the user's checkout
 * (benchtrack bisect): add, check out, run a build command in it, remove. git itself is
 * run as a child with an argv (posix_spawn, never a shell); only the user's build command
 * goes through `sh -c`, by design. Output of git and of the build goes to a log file.
 */
#ifndef BTK_WORKTREE_H
#define BTK_WORKTREE_H

#include "internal.h"

/* Add a worktree of the repository whose root is repo_dir at dir (which must not exist
 * yet), detached at sha: `git -C repo_dir worktree add --detach --force dir sha`. git's
 * output goes to log_path. BTK_ECHILD when git cannot be started or fails (the message
 * quotes git's last line), BTK_ENOMEM. */
int btk_worktree_add(const char *repo_dir, const char *dir, const char *sha,
                     const char *log_path);

/* Check out sha in the worktree dir (detached, forced) and delete untracked and ignored
 * files (`git clean -ffdxq`), so every build starts from the commit's files alone.
 * Errors as for btk_worktree_add. */
int btk_worktree_checkout(const char *dir, const char *sha, const char *log_path);

/* Run cmd with `/bin/sh -c cmd` in dir, stdout and stderr appended to log_path, and wait;
 * *status_out gets the wait status. BTK_ECHILD when sh cannot be started, BTK_ENOMEM. */
int btk_worktree_shell(int *status_out, const char *dir, const char *cmd,
                       const char *log_path);

/* Remove the worktree at dir from repo_dir (`git worktree remove --force`, then `git
 * worktree prune`), and whatever is left of dir. Safe to call when dir was never added.
 * BTK_EIO when dir is still there afterwards. */
int btk_worktree_remove(const char *repo_dir, const char *dir, const char *log_path);

/* Delete path and everything under it (symbolic links are removed, never followed).
 * A missing path is not an error; BTK_EIO otherwise. */
int btk_worktree_rmtree(const char *path);

/* The last non-empty line of the file at path (at most len - 1 bytes) into out; "" when
 * none. For messages about a failed git or build. */
void btk_worktree_log_tail(char *out, size_t len, const char *path);

#endif
