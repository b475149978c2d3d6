/*
 * The temporary directory of one `benchtrack run`: where the benchmark binary writes its
 * JSON. It lives in $TMPDIR (else /tmp) as benchtrack-run-XXXXXX and holds a lock file that
 * the run keeps locked (flock) while it lives, so a later run can tell a directory whose
 * run was killed (the lock is free) from one in use and remove it. docs/cli/run.md,
 * "Interruption and temporary files".
 */
#ifndef BTK_CLI_RUN_TMP_H
#define BTK_CLI_RUN_TMP_H

#include "internal.h"

/* The prefix of every run directory in the temporary folder. */
#define CLI_RUN_TMP_PREFIX "benchtrack-run-"

typedef struct cli_run_tmp {
    char dir[4096];  /* the directory, "" when none */
    char json[4200]; /* dir/results.json: where the binary writes */
    int lock_fd;     /* the locked lock file, -1 when none */
} cli_run_tmp;

/* The prefix of the chart staging folders of `report` and `chart` (compare/report/
 * gnuplot.c), which hold a lock file the same way. */
#define CLI_CHARTS_TMP_PREFIX "benchtrack-charts-"

/* Remove the run directories in the temporary folder that no live run holds (their lock
 * is free, or they have no lock file and are over a minute old). Only directories owned by
 * this user are touched. Best effort: never fails; returns how many were removed. */
int cli_run_tmp_sweep(void);
/* The same for the directories whose name starts with prefix, in $TMPDIR and in /tmp (the
 * chart staging folder goes to /tmp when $TMPDIR's name cannot reach gnuplot intact). */
int cli_tmp_sweep(const char *prefix);

/* Create a new run directory and take its lock. BTK_EIO naming the folder on failure
 * (nothing is left behind then). */
int cli_run_tmp_create(cli_run_tmp *t);

/* Move the results out of the run directory to a file of their own in the temporary
 * folder (benchtrack-results-XXXXXX.json), which no sweep removes; its path goes to
 * kept_out. BTK_EIO when that fails (the results stay where they are). */
int cli_run_tmp_keep(char *kept_out, size_t len, cli_run_tmp *t);

/* Remove the run directory and everything in it, then release the lock. Idempotent. */
void cli_run_tmp_remove(cli_run_tmp *t);

#endif
