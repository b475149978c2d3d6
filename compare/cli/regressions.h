/*
 * benchtrack regressions: what the command found, shared by the detection
 * (cmd_regressions.c) and the output formats (regressions_out.c).
 * docs/cli/regressions.md.
 */
#ifndef BTK_CLI_REGRESSIONS_H
#define BTK_CLI_REGRESSIONS_H

#include "changepoint.h"
#include "cli.h"

/* One change point in the window: its benchmark, commit and the acknowledgement that
 * covers it (NULL: none). Strings are borrowed from the reg_found that holds the item. */
typedef struct reg_item {
    const char *bench;
    const char *sha;     /* the first commit at the new level */
    const char *subject; /* may be NULL */
    const char *author;  /* may be NULL */
    size_t age;          /* 0: the branch's newest commit, 1: its parent, ... */
    btk_changepoint cp;  /* --metric instructions: p NAN, the levels are counts */
    const btk_ack *ack;
    bool nondeterministic; /* --metric instructions: the commit's count is not trusted (not
                            * a change point): cp.after its count, cp.before the previous
                            * trusted one (NAN: none), spread the range over processes */
    double spread_min, spread_max;
    /* where the change may be (cp.first..cp.last, docs/statistics.md "Where a point
     * lies"): the first and last commit of that range and the branch's commits from one
     * to the other; NULL and 0 when the commit is exact (counts) */
    const char *first_sha, *last_sha;
    size_t possible;
} reg_item;

/* Everything the formats print. */
typedef struct reg_found {
    const char *branch, *fp;
    size_t window;      /* commits in the window */
    const char *newest; /* the window's newest and oldest commit ("" when empty) */
    const char *oldest;
    reg_item *items; /* newest first */
    size_t count;
    size_t unacknowledged; /* regressions without an acknowledgement */
    size_t nondeterministic; /* items that are nondeterministic counts, not change points */
    btk_history_metric metric;
} reg_found;

/* Write found to f as format ("table", "markdown", "json", "csv"); every string from the
 * repository or the database is escaped for that format. BTK_ENOMEM, BTK_EIO when f
 * fails. */
int cli_regressions_print(FILE *f, const reg_found *found, const char *format);

/* benchtrack regressions ack|acks|unack (cmd_regressions_ack.c): argv[0] is the
 * subcommand's name; returns an exit status. */
int cmd_regressions_ack(int argc, char **argv);

#endif
