/*
 * Pieces shared by `benchtrack compare` and `benchtrack ab` (implemented in
 * cli/cmd_compare.c, part of the benchtrack executable, not of the library): a side of a
 * comparison (a git commit or a run id, and the runs loaded for it), config lookup, and
 * compare-then-print with the exit code.
 */
#ifndef BTK_COMPARE_CLI_H
#define BTK_COMPARE_CLI_H

#include "cli.h"
#include "compare.h"
#include "config.h"
#include "format.h"
#include "verdict.h"

typedef struct cli_side {
    char sha[41];        /* commit, "" for a run id side */
    int64_t run_id;      /* 0 for a commit side */
    char label[128];     /* as given on the command line */
    char how[160];       /* e.g. "merge-base with 'main'", or "" */
    btk_run **runs;      /* owned */
    size_t count;
} cli_side;

#define CLI_SIDE_INIT {"", 0, "", "", NULL, 0}

/* Resolve arg (ref or run id) into side. BTK_ENOTFOUND naming an unknown ref. */
int cli_side_resolve(cli_side *side, btk_git *git, const char *arg);
/* Load both sides' runs (with samples) on one machine: machine (fingerprint prefix or
 * hostname) if given, else the contender's newest run's machine. Mismatched machines are
 * BTK_EINVAL unless any_machine (then a warning on stderr). No runs: BTK_ENOTFOUND. */
int cli_sides_load(cli_side *base, cli_side *now, btk_store *db, const char *machine,
                   bool any_machine);
void cli_side_clear(cli_side *side);
/* --config FILE (must exist), else <repository root>/benchtrack.json when present. */
int cli_load_config(btk_config **out, const char *flag, btk_git *git);
/* Where and how a comparison is written. */
typedef struct cli_output {
    btk_format_kind kind;
    const char *path;  /* NULL: stdout */
    const char *title; /* "benchtrack compare" */
} cli_output;

/* Compare the sides' runs and write the result as output says. Returns 0 with
 * *status_out CLI_EXIT_OK or CLI_EXIT_REGRESSION, or a negative error code. */
int cli_compare_and_print(int *status_out, const cli_side *base, const cli_side *now,
                          const btk_compare_options *opts, const cli_output *output);

#endif
