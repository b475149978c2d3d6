/*
 * The benchtrack command-line tool: one file per subcommand (cmd_<name>.c) and the helpers
 * they share (common.c). Exit codes are public: docs/exit-codes.md.
 */
#ifndef BTK_CLI_H
#define BTK_CLI_H

#include "git.h"
#include "opt.h"
#include "store.h"

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_REGRESSION = 1, /* a regression or a broken budget was found */
    CLI_EXIT_USAGE = 2,      /* usage or bad input/data */
    CLI_EXIT_RUNTIME = 3     /* I/O, database, git, or a benchmark failed */
};

/* Subcommands: argv[0] is the subcommand name; each returns an exit status. */
int cmd_run(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_ab(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
int cmd_regressions(int argc, char **argv);
int cmd_chart(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_push(int argc, char **argv);

/* Print "benchtrack: <message>" for the last error to stderr and return the exit status
 * for its code (usage/data errors 2, runtime errors 3). */
int cli_fail(void);
/* Print "benchtrack: <printf message>" and return status. */
int cli_die(int status, const char *fmt, ...) BTK_PRINTF(2, 3);
/* Map an error code (0 or negative BTK_E*) to an exit status. */
int cli_exit_code(int error);

/* Parse the command line of cmd into args (cli_opt_parse). Returns true when the command
 * goes on; false when it is done, with *status_out its exit status: CLI_EXIT_OK after
 * printing the help to stdout (--help, -h), CLI_EXIT_USAGE after printing the message and
 * the usage to stderr. */
bool cli_parse_args(int *status_out, void *args, const cli_cmd *cmd, int argc,
                    char **argv);
/* Print the last error and cmd's usage to stderr; returns CLI_EXIT_USAGE. For a mistake
 * that a command finds in its arguments after parsing them. */
int cli_usage_fail(const cli_cmd *cmd);

/* The database path: flag, else $BENCHTRACK_DB, else <repository root>/benchtrack.db, else
 * ./benchtrack.db outside a repository. Caller frees with btk__free. */
int cli_db_path(char **out, const char *flag_value, btk_git *git_or_null);
/* Open the store at cli_db_path(); readonly for commands that only read (then a missing
 * file is an error naming the path). */
int cli_open_store(btk_store **out, const char *flag_value, btk_git *git_or_null,
                   bool readonly);
/* Resolve a side given on the command line: a run id ("#12" or "run:12" or a plain number
 * that no ref matches) or a git ref. Sets *run_id_out (0 when a commit) and sha_out. */
int cli_resolve_side(int64_t *run_id_out, char sha_out[41], btk_git *git,
                     const char *arg);
/* True when stdout is a terminal and NO_COLOR is unset or empty. */
bool cli_use_color(void);

/* ---- untrusted text, and storing a run (run, import, ab) ---- */

/* Print s to f with control characters escaped (\n, \t, \xNN); UTF-8 kept. */
void cli_print_safe(FILE *f, const char *s);
/* Append s escaped as cli_print_safe prints it. BTK_ENOMEM. */
int cli_safe_text(btk_buf *out, const char *s);

/* Where a run's commit comes from: the repository (repo: NULL = current directory), and the
 * CI overrides --commit/--branch/--allow-unknown-commit. */
typedef struct cli_commit_options {
    const char *repo, *commit, *branch;
    bool allow_unknown;
    const char *machine; /* --machine NAME: the machine class (cli_machine_name) */
} cli_commit_options;
/* Fill out (a zeroed btk_commit) per docs/cli/run.md: HEAD's commit, branch and dirty
 * state, or the overrides; outside a repository the commit stays "" (with a warning) unless
 * --commit and --allow-unknown-commit are given. *git_out is the repository or NULL. Also
 * checks the machine name (opts->machine, else $BENCHTRACK_MACHINE), so a bad one fails
 * before anything runs. Errors: BTK_ENOTFOUND / BTK_EINVAL (exit 2), BTK_EIO (exit 3). */
int cli_commit_for_run(btk_commit *out, btk_git **git_out, const cli_commit_options *opts);
/* The option rows that say where a run is stored and under which commit, for the tables
 * of run, import and ab: type is the command's argument struct, rec its
 * cli_commit_options field, db its database field and db_help what --db means there. An
 * empty value is a missing one. */
/* clang-format off */
#define CLI_OPTS_RECORD(type, rec, db, db_help)                                              \
    CLI_OPT_STRING_EX("--db", NULL, "PATH", type, db, CLI_OPT_NONEMPTY, db_help),           \
    CLI_OPT_STRING_EX("--repo", NULL, "DIR", type, rec.repo, CLI_OPT_NONEMPTY,              \
                      "the repository to read the commit from (default: the current "       \
                      "directory's)"),                                                      \
    CLI_OPT_STRING_EX("--commit", NULL, "REF", type, rec.commit, CLI_OPT_NONEMPTY,          \
                      "store the run under this commit instead of HEAD"),                   \
    CLI_OPT_STRING_EX("--branch", NULL, "NAME", type, rec.branch, CLI_OPT_NONEMPTY,         \
                      "record this branch name (overrides the checked-out branch)"),        \
    CLI_OPT_FLAG("--allow-unknown-commit", type, rec.allow_unknown, 0,                      \
                 "accept a --commit the repository cannot confirm (a full 40-digit sha)"),  \
    CLI_OPT_MACHINE_NAME(type, rec.machine)
/* The --machine NAME row of the recording commands (run, import, ab, bisect). */
#define CLI_OPT_MACHINE_NAME(type, field)                                                   \
    CLI_OPT_STRING_EX("--machine", NULL, "NAME", type, field, CLI_OPT_NONEMPTY,             \
                      "record under this machine class (e.g. the CI runner type) instead "  \
                      "of the hardware's; else $BENCHTRACK_MACHINE")
/* clang-format on */

/* The option rows of how a comparison is decided and printed (compare, ab): the type's
 * fields config, format, out, metric and opts (a btk_compare_options). */
/* clang-format off */
#define CLI_OPTS_VERDICT(type)                                                              \
    CLI_OPT_STRING("--config", "FILE", type, config,                                        \
                   "thresholds and budgets (default: benchtrack.json at the repository "    \
                   "root, if present)"),                                                    \
    CLI_OPT_STRING("--format", "table|markdown|json|junit|csv", type, format,               \
                   "output format (default table)"),                                        \
    CLI_OPT_STRING("--out", "FILE", type, out, "write there instead of stdout"),            \
    CLI_OPT_DOUBLE("--alpha", "A", type, opts.alpha, 1e-9, 0.5,                             \
                   "false discovery rate across the suite (default 0.05)"),                 \
    CLI_OPT_DOUBLE("--noise-band", "X", type, opts.noise_band, 0, 0.99,                     \
                   "changes within +-X are unchanged (default 0.02)"),                      \
    CLI_OPT_STRING("--metric", "wall|cpu|cycles|auto", type, metric,                        \
                   "compare time runs by wall-clock time, CPU time, estimated core cycles " \
                   "or each benchmark by the steadier of wall and cycles (default wall; "   \
                   "counting runs are compared by their counts)")
/* clang-format on */

/* What --db means for run and import. */
#define CLI_DB_HELP_RECORD                                                               \
    "results database (else $BENCHTRACK_DB, else benchtrack.db at the repository root, " \
    "else ./benchtrack.db)"
/* The machine class to record under: flag (--machine NAME), else $BENCHTRACK_MACHINE when
 * set and not empty, else NULL (the hardware's class). BTK_EINVAL (exit 2) when the name is
 * not valid (btk_machine_name_valid), the message saying where it came from. */
int cli_machine_name(const char **name_out, const char *flag);
/* Open the store (writable) and add run, in the machine class cli_machine_name(machine)
 * gives; prints "stored run #N ..." to stderr. */
int cli_store_run(btk_run *run, const char *db_flag, btk_git *git, const char *machine);
/* The machine to use for a query: flag = a machine name, else a fingerprint prefix or a
 * host name; NULL flag = the only machine with data, else this machine ($BENCHTRACK_MACHINE's
 * class when set, else this hardware's) when it has data, else BTK_EINVAL naming the
 * machines. *fp_out freed with btk__free. */
int cli_pick_machine(char **fp_out, btk_store *db, const char *flag);

/* --metric of history and regressions: NULL or "wall" BTK_HISTORY_TIME, "cpu"
 * BTK_HISTORY_CPU, "cycles" BTK_HISTORY_CYCLES, "instructions" BTK_HISTORY_COUNT; anything
 * else BTK_EINVAL (one line).
 * cli_history_metric_name gives the name back. */
int cli_history_metric_parse(btk_history_metric *out, const char *name);
const char *cli_history_metric_name(btk_history_metric metric);
/* The runs of commit sha on machine fp (NULL: any), newest first, with samples, as every
 * baseline takes them (compare, report, the gate): runs recorded with uncommitted changes
 * are left out unless include_dirty, and named in excluded as "2 dirty runs (#5, #6)".
 * Zero runs is not an error. *runs_out freed with cli_runs_free. */
int cli_gather_runs(btk_run ***runs_out, size_t *count_out, btk_buf *excluded, btk_store *db,
                    const char *sha, const char *fp, bool include_dirty);
void cli_runs_free(btk_run **runs, size_t count);

#endif
