/*
 * The benchtrack command-line tool: one file per subcommand (cmd_<name>.c) and the helpers
 * they share (common.c). Exit codes are public: docs/exit-codes.md.
 */
#ifndef BTK_CLI_H
#define BTK_CLI_H

#include "git.h"
#include "store.h"

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_REGRESSION = 1, /* a regression or a broken budget was found */
    CLI_EXIT_USAGE = 2,      /* usage or bad input/data */
    CLI_EXIT_RUNTIME = 3     /* I/O, database, git, or a benchmark failed */
};

/* Subcommands: argv[0] is the subcommand name. Each returns an exit code. */
int cmd_run(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_ab(int argc, char **argv);
int cmd_chart(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Print "benchtrack: <message>" for the last error to stderr and return the exit code for
 * its code (usage/data errors 2, runtime errors 3). */
int cli_fail(void);
/* Print "benchtrack: <printf message>" and return code. */
int cli_die(int code, const char *fmt, ...) BTK_PRINTF(2, 3);
/* Map an error code to an exit code. */
int cli_exit_code(int error);

/* Open the repository at repo_path (NULL: the current directory). */
int cli_open_repo(btk_git **out, const char *repo_path);
/* The database path: flag, else $BENCHTRACK_DB, else <repository root>/benchtrack.db, else
 * ./benchtrack.db outside a repository. Caller frees with btk__free. */
int cli_db_path(char **out, const char *flag_value, btk_git *git_or_null);
/* Open the store at cli_db_path(); readonly for commands that only read (then a missing
 * file is an error naming the path). */
int cli_open_store(btk_store **out, const char *flag_value, btk_git *git_or_null,
                   bool readonly);
/* Resolve a side given on the command line: a run id ("#12" or "run:12" or a plain number
 * that no ref matches) or a git ref. Sets *run_id_out (0 when a commit) and sha_out. */
int cli_resolve_side(int64_t *run_id_out, char sha_out[41], btk_git *git, const char *arg);
/* Parse a strictly positive/non-negative integer or double; EINVAL with a message naming
 * the option when malformed. */
int cli_parse_long(long *out, const char *option, const char *value, long min, long max);
int cli_parse_double(double *out, const char *option, const char *value, double min,
                     double max);
/* True when stdout is a terminal and NO_COLOR is unset or empty. */
bool cli_use_color(void);

#endif
