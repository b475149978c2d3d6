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
    btk_buf excluded;    /* runs of the commit left out, for the header; "" when none */
} cli_side;

#define CLI_SIDE_INIT {"", 0, "", "", NULL, 0, BTK_BUF_INIT}

/* Which runs two sides take and what may differ between them (compare's options). */
typedef struct cli_load_options {
    const char *machine; /* fingerprint prefix or hostname; NULL: the contender's */
    bool any_machine;    /* compare across machines, with a warning */
    bool any_build;      /* compare across builds, with a warning */
    bool include_dirty;  /* pool runs recorded with uncommitted changes */
} cli_load_options;

/* --metric: NULL or "wall" is wall-clock time, "cpu" CPU time; else BTK_EINVAL. */
int cli_metric_parse(btk_compare_metric *out, const char *name);
/* Resolve arg (ref or run id) into side. BTK_ENOTFOUND naming an unknown ref. */
int cli_side_resolve(cli_side *side, btk_git *git, const char *arg);
/* Load both sides' runs (with samples) on one machine: o->machine if given, else the
 * contender's newest run's machine. A commit side takes its runs as cli_gather_runs does,
 * then only those of one build: the contender's newest run's, and on the base the
 * contender's build when the base has it, else the base's newest run's (the others are
 * named in side->excluded). Mismatched machines or builds are BTK_EINVAL unless
 * o->any_machine / o->any_build (then a warning on stderr and in the output header). No
 * runs: BTK_ENOTFOUND. */
int cli_sides_load(cli_side *base, cli_side *now, btk_store *db, const cli_load_options *o);
/* Fail (BTK_EINVAL, naming both builds) when the two sides' builds differ, unless
 * any_build, then warn on stderr. For ab, whose sides are loaded by ab itself. */
int cli_sides_check_build(const cli_side *base, const cli_side *now, bool any_build);
void cli_side_clear(cli_side *side);
/* --config FILE (must exist), else <repository root>/benchtrack.json when present. */
int cli_load_config(btk_config **out, const char *flag, btk_git *git);
/* Where and how a comparison is written. */
struct cli_confirm;

typedef struct cli_output {
    btk_format_kind kind;
    const char *path;  /* NULL: stdout */
    const char *title; /* "benchtrack compare" */
    const struct cli_confirm *confirm; /* re-measure the flagged benchmarks; NULL: no */
} cli_output;

/* Compare the sides' runs and write the result as output says. Returns 0 with
 * *status_out CLI_EXIT_OK or CLI_EXIT_REGRESSION, or a negative error code. */
int cli_compare_and_print(int *status_out, const cli_side *base, const cli_side *now,
                          const btk_compare_options *opts, const cli_output *output);

#endif
