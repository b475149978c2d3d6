/*
 * benchtrack run: its arguments, the pieces of a single run that recording a range of
 * commits reuses (cmd_run.c), and `run --commits A..B` (run_commits.c). docs/cli/run.md.
 */
#ifndef BTK_CLI_RUN_COMMITS_H
#define BTK_CLI_RUN_COMMITS_H

#include "cli.h"
#include "run_tmp.h"
#include "runtag.h"

typedef struct cli_run_args {
    const char *db;
    cli_commit_options rec;
    long processes;
    const char *commits, *build, *binary; /* --commits A..B, --build, --binary */
    long every;
    long passes; /* --passes N: each commit recorded N times, in N walks of the range */
    const char *order; /* --order random|oldest: each walk's order (NULL: random) */
    bool quiet;
    cli_opt_tail bin; /* the binary and its arguments; with --commits its arguments */
} cli_run_args;

/* Run argv with "--out path" (and "--processes K" unless given) appended, forwarding the
 * run's signals to it; returns its exit status (128+N for signal N), -1 when it could not
 * be started. */
int cli_run_binary(char **argv, int argc, const char *path, const char *processes);

/* What the binary's exit status child means: store its results from t under commit (moved
 * into the run; with --commits tagged with the build, runtag.h), or say why not. Returns
 * the exit status (docs/cli/run.md), the message printed. */
int cli_run_finish(int child, cli_run_tmp *t, btk_commit *commit, const cli_run_args *a,
                   btk_git *git);

/* The options that go with --commits are all there and none that cannot (--commit,
 * --allow-unknown-commit). BTK_EINVAL with the message. */
int cli_run_check_commits(const cli_run_args *a);

/* benchtrack run --commits A..B: returns an exit status. */
int cli_run_commits(const cli_run_args *a);

#endif
