/*
 * Commands that build other commits in a private git worktree (bisect, run --commits):
 * their private directory (the worktree, logs, temporary files) and a supervisor that
 * runs the work in a child process group, so that an interruption stops the build and the
 * benchmarks and leaves no worktree or temporary file behind.
 */
#ifndef BTK_CLI_SUPERVISE_H
#define BTK_CLI_SUPERVISE_H

#include "cli.h"

typedef struct cli_private {
    char dir[200];       /* $TMPDIR/btk-<what>.XXXXXX (else /tmp) */
    char src[240];       /* dir/src: the worktree */
    char log[240];       /* dir/git.log: git's output */
    char build_log[240]; /* dir/build.log: the build's output */
} cli_private;

/* Create the private directory for command what ("bisect"). BTK_EIO naming the folder. */
int cli_private_make(cli_private *p, const char *what);

/* Run work(payload) in a child process that leads its own process group and has TMPDIR
 * set to p->dir/tmp; SIGINT, SIGTERM and SIGHUP kill that whole group. When the child has
 * ended, remove the worktree p->src from the repository at root and p->dir. Returns
 * work's exit status; after a signal CLI_EXIT_RUNTIME with "benchtrack: <what>
 * interrupted by signal N: stopped, its worktree removed" printed. */
int cli_supervise(const cli_private *p, const char *root, const char *what,
                  int (*work)(void *payload), void *payload);

#endif
