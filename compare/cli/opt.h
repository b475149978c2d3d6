/*
 * The CLI's option parser, after libgit2's cli/opt.c: each subcommand describes its
 * options and arguments in one table of cli_opt entries; cli_opt_parse() fills the
 * command's argument struct from argv and cli_opt_usage()/cli_opt_help() write the usage
 * from the same table, so adding an option is one line and every command accepts, rejects
 * and describes options alike.
 */
#ifndef BTK_CLI_OPT_H
#define BTK_CLI_OPT_H

#include "internal.h"

typedef enum cli_opt_type {
    CLI_OPT_TYPE_END = 0, /* ends a table */
    CLI_OPT_TYPE_FLAG,    /* bool, set to true; takes no value */
    CLI_OPT_TYPE_STRING,  /* const char *, borrowed from argv */
    CLI_OPT_TYPE_LONG,    /* long in [lo, hi] (cli_parse_long) */
    CLI_OPT_TYPE_UINT,    /* unsigned in [lo, hi] (cli_parse_long) */
    CLI_OPT_TYPE_UINT64,  /* uint64_t in [lo, hi] (cli_parse_long) */
    CLI_OPT_TYPE_DOUBLE,  /* double in [dlo, dhi] (cli_parse_double) */
    CLI_OPT_TYPE_ARG,     /* the next positional argument: const char * */
    CLI_OPT_TYPE_ARGS,    /* the further positional arguments, at most hi: cli_opt_args */
    CLI_OPT_TYPE_TAIL     /* everything after "--", unparsed: cli_opt_tail */
} cli_opt_type;

enum {
    CLI_OPT_REQUIRED = 1 << 0, /* must be given (shown without brackets) */
    CLI_OPT_NONEMPTY = 1 << 1, /* an empty value ("--db=") counts as a missing one */
    CLI_OPT_OR = 1 << 2        /* an alternative to the entry before: [--a X | --b] */
};

/* One row of a command's table. Options are written "--name VALUE" or "--name=VALUE" (the
 * alias alike); a repeated option keeps its last value. */
typedef struct cli_opt {
    cli_opt_type type;
    const char *name;  /* "--db"; for an argument its name in the usage ("BENCH") */
    const char *alias; /* another spelling ("-o"), shown in the usage; or NULL */
    const char *value; /* the value's name in the usage ("PATH"); NULL for the rest */
    size_t offset;     /* of the target in the command's argument struct */
    long lo, hi;       /* integers: the accepted range; CLI_OPT_TYPE_ARGS: hi = most */
    double dlo, dhi;   /* CLI_OPT_TYPE_DOUBLE: the accepted range */
    unsigned flags;    /* CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY | CLI_OPT_OR */
    const char *help;  /* one line for --help */
} cli_opt;

/* A command: its name in messages and usage, and its table. */
typedef struct cli_cmd {
    const char *name;
    const cli_opt *opts; /* ended by CLI_OPT_END */
} cli_cmd;

#define CLI_OPT_MAX_ARGS 8

/* The target of CLI_OPT_TYPE_ARGS: pointers into argv. */
typedef struct cli_opt_args {
    const char *v[CLI_OPT_MAX_ARGS];
    size_t count;
} cli_opt_args;

/* The target of CLI_OPT_TYPE_TAIL: the part of argv after "--" (count 0 without "--"). */
typedef struct cli_opt_tail {
    char **v;
    size_t count;
} cli_opt_tail;

/* The offset of field in type, a compile error unless the field has type ctype. */
#define CLI_OPT__AT(type, field, ctype)                                                  \
    _Generic(((type *)0)->field, ctype : offsetof(type, field))

/* clang-format off */
#define CLI_OPT__ROW(t, name, alias, value, offset, lo, hi, dlo, dhi, flags, help)       \
    {t, name, alias, value, offset, lo, hi, dlo, dhi, flags, help}
/* clang-format on */

/* Table rows. type is the command's argument struct, field the target in it. */
#define CLI_OPT_FLAG(name, type, field, flags, help)                                     \
    CLI_OPT__ROW(CLI_OPT_TYPE_FLAG, name, NULL, NULL, CLI_OPT__AT(type, field, bool), 0, \
                 0, 0, 0, flags, help)
#define CLI_OPT_STRING(name, value, type, field, help)                                   \
    CLI_OPT_STRING_EX(name, NULL, value, type, field, 0, help)
#define CLI_OPT_STRING_EX(name, alias, value, type, field, flags, help)                  \
    CLI_OPT__ROW(CLI_OPT_TYPE_STRING, name, alias, value,                                \
                 CLI_OPT__AT(type, field, const char *), 0, 0, 0, 0, flags, help)
#define CLI_OPT_LONG(name, value, type, field, lo, hi, help)                             \
    CLI_OPT__ROW(CLI_OPT_TYPE_LONG, name, NULL, value, CLI_OPT__AT(type, field, long),   \
                 lo, hi, 0, 0, 0, help)
#define CLI_OPT_UINT(name, value, type, field, lo, hi, help)                             \
    CLI_OPT__ROW(CLI_OPT_TYPE_UINT, name, NULL, value,                                   \
                 CLI_OPT__AT(type, field, unsigned), lo, hi, 0, 0, 0, help)
#define CLI_OPT_UINT64(name, value, type, field, lo, hi, help)                           \
    CLI_OPT__ROW(CLI_OPT_TYPE_UINT64, name, NULL, value,                                 \
                 CLI_OPT__AT(type, field, uint64_t), lo, hi, 0, 0, 0, help)
#define CLI_OPT_DOUBLE(name, value, type, field, lo, hi, help)                           \
    CLI_OPT__ROW(CLI_OPT_TYPE_DOUBLE, name, NULL, value,                                 \
                 CLI_OPT__AT(type, field, double), 0, 0, lo, hi, 0, help)
#define CLI_OPT_ARG(name, type, field, flags, help)                                      \
    CLI_OPT__ROW(CLI_OPT_TYPE_ARG, name, NULL, NULL,                                     \
                 CLI_OPT__AT(type, field, const char *), 0, 0, 0, 0, flags, help)
#define CLI_OPT_ARGS(name, type, field, most, flags, help)                               \
    CLI_OPT__ROW(CLI_OPT_TYPE_ARGS, name, NULL, NULL,                                    \
                 CLI_OPT__AT(type, field, cli_opt_args), 0, most, 0, 0, flags, help)
#define CLI_OPT_TAIL(name, type, field, flags, help)                                     \
    CLI_OPT__ROW(CLI_OPT_TYPE_TAIL, name, NULL, NULL,                                    \
                 CLI_OPT__AT(type, field, cli_opt_tail), 0, 0, 0, 0, flags, help)
#define CLI_OPT_END                                                                      \
    CLI_OPT__ROW(CLI_OPT_TYPE_END, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, NULL)

/* Fill args (the command's argument struct, defaults already set) from argv[1..argc-1]:
 * options as the table says, "--" ends the options (what follows is the tail, or more
 * positional arguments when the table has no tail), "-" alone is an argument. "--help" or
 * "-h" before any "--" sets *help_out and parses nothing else. Values point into argv.
 * Returns 0, or BTK_EINVAL with one message per kind of mistake (unknown option, option
 * needs a value, option takes no value, unexpected argument, command needs an argument,
 * and cli_parse_long/double's range messages); args may then be half filled. */
int cli_opt_parse(void *args, bool *help_out, const cli_cmd *cmd, int argc, char **argv);

/* Append the usage ("usage: benchtrack CMD ...", wrapped at 80 columns). BTK_ENOMEM. */
int cli_opt_usage(btk_buf *out, const cli_cmd *cmd);

/* Append the usage, then the arguments and options with their help. BTK_ENOMEM. */
int cli_opt_help(btk_buf *out, const cli_cmd *cmd);

/* Parse an integer or a double within [min, max]; BTK_EINVAL with a message naming the
 * option when value is NULL, empty, malformed or out of range. */
int cli_parse_long(long *out, const char *option, const char *value, long min, long max);
int cli_parse_double(double *out, const char *option, const char *value, double min,
                     double max);

#endif
