/*
 * The CLI's option parser and usage writer (opt.h): one walk over argv against a
 * command's table, and the usage and --help text generated from the same table.
 */
#include "opt.h"

#define USAGE_WIDTH 80 /* the usage and help wrap here */
#define USAGE_INDENT 7 /* continuation lines of the usage, under the command */
#define HELP_COLUMN 26 /* where the help of an option starts, at most */

static bool is_option(const cli_opt *o)
{
    return o->type >= CLI_OPT_TYPE_FLAG && o->type <= CLI_OPT_TYPE_DOUBLE;
}

static bool is_help(const char *arg)
{
    return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* The row whose name or alias is arg[0..len). */
static const cli_opt *find_option(const cli_opt *opts, const char *arg, size_t len)
{
    for (const cli_opt *o = opts; o->type != CLI_OPT_TYPE_END; o++) {
        if (!is_option(o))
            continue;
        if ((strlen(o->name) == len && !strncmp(o->name, arg, len)) ||
            (o->alias && strlen(o->alias) == len && !strncmp(o->alias, arg, len)))
            return o;
    }
    return NULL;
}

static const cli_opt *find_type(const cli_opt *opts, cli_opt_type type)
{
    for (const cli_opt *o = opts; o->type != CLI_OPT_TYPE_END; o++)
        if (o->type == type)
            return o;
    return NULL;
}

/* Store value in o's target (a number checked against o's range). */
static int set_value(void *args, const cli_opt *o, const char *value)
{
    char *at = (char *)args + o->offset;
    long n = 0;
    double d = 0;
    int error;

    switch (o->type) {
    case CLI_OPT_TYPE_STRING:
        *(const char **)at = value;
        return 0;
    case CLI_OPT_TYPE_DOUBLE:
        if ((error = cli_parse_double(&d, o->name, value, o->dlo, o->dhi)) == 0)
            *(double *)at = d;
        return error;
    default:
        break;
    }
    if ((error = cli_parse_long(&n, o->name, value, o->lo, o->hi)) < 0)
        return error;
    if (o->type == CLI_OPT_TYPE_UINT)
        *(unsigned *)at = (unsigned)n;
    else if (o->type == CLI_OPT_TYPE_UINT64)
        *(uint64_t *)at = (uint64_t)n;
    else
        *(long *)at = n;
    return 0;
}

/* argv[*i] starts with '-': an option, with its value "=VALUE" or in the next argument
 * ("--" is never a value). Advances *i past a separate value. */
static int take_option(void *args, const cli_cmd *cmd, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *eq = strchr(arg, '='), *value = NULL;
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const cli_opt *o = find_option(cmd->opts, arg, len);
    char quoted[80];

    if (o == NULL)
        return btk_error_set(BTK_EINVAL, "unknown option '%s' for '%s'",
                             btk_error_quote(quoted, sizeof(quoted), arg), cmd->name);
    if (o->type == CLI_OPT_TYPE_FLAG) {
        if (eq)
            return btk_error_set(BTK_EINVAL, "option '%.*s' takes no value", (int)len,
                                 arg);
        *(bool *)((char *)args + o->offset) = true;
        return 0;
    }
    if (eq)
        value = eq + 1;
    else if (*i + 1 < argc && strcmp(argv[*i + 1], "--"))
        value = argv[++*i];
    if (value == NULL || (*value == '\0' && (o->flags & CLI_OPT_NONEMPTY)))
        return btk_error_set(BTK_EINVAL, "option '%.*s' needs a value", (int)len, arg);
    return set_value(args, o, value);
}

/* The message for an argument the table has no room for. */
static int unexpected(const cli_cmd *cmd, const char *arg)
{
    const cli_opt *tail = find_type(cmd->opts, CLI_OPT_TYPE_TAIL);
    char quoted[80];

    btk_error_quote(quoted, sizeof(quoted), arg);
    if (tail)
        return btk_error_set(BTK_EINVAL, "unexpected argument '%s' for '%s' (put %s "
                                         "after '--')",
                             quoted, cmd->name, tail->name);
    return btk_error_set(BTK_EINVAL, "unexpected argument '%s' for '%s'", quoted,
                         cmd->name);
}

/* The *nargs-th positional argument: into the ARG rows in order, then the ARGS row. */
static int take_argument(void *args, const cli_cmd *cmd, const char *arg, size_t *nargs)
{
    size_t k = 0;

    for (const cli_opt *o = cmd->opts; o->type != CLI_OPT_TYPE_END; o++) {
        char *at = (char *)args + o->offset;

        if (o->type == CLI_OPT_TYPE_ARG && k++ == *nargs) {
            *(const char **)at = arg;
            ++*nargs;
            return 0;
        }
        if (o->type == CLI_OPT_TYPE_ARGS) {
            cli_opt_args *list = (cli_opt_args *)at;

            BTK_ASSERT(o->hi > 0 && o->hi <= CLI_OPT_MAX_ARGS);
            if (list->count >= (size_t)o->hi)
                break;
            list->v[list->count++] = arg;
            return 0;
        }
    }
    return unexpected(cmd, arg);
}

/* What a row looks like in the usage: "--db PATH", "-o DIR", "BENCH", "-- ARGS". */
static int item_text(btk_buf *out, const cli_opt *o)
{
    if (o->type == CLI_OPT_TYPE_TAIL)
        return btk_buf_printf(out, "-- %s", o->name);
    if (!is_option(o))
        return btk_buf_puts(out, o->name);
    return btk_buf_printf(out, "%s%s%s", o->alias ? o->alias : o->name,
                          o->value ? " " : "", o->value ? o->value : "");
}

/* BTK_EINVAL naming every required row not given: "'ab' needs OLD_BIN NEW_BIN". */
static int check_required(const void *args, const cli_cmd *cmd)
{
    btk_buf missing = BTK_BUF_INIT;
    int error = 0;

    for (const cli_opt *o = cmd->opts; o->type != CLI_OPT_TYPE_END && error == 0; o++) {
        const char *at = (const char *)args + o->offset;
        bool given;

        if (!(o->flags & CLI_OPT_REQUIRED))
            continue;
        if (o->type == CLI_OPT_TYPE_ARGS)
            given = ((const cli_opt_args *)at)->count > 0;
        else if (o->type == CLI_OPT_TYPE_TAIL)
            given = ((const cli_opt_tail *)at)->count > 0;
        else
            given = *(const char *const *)at != NULL;
        if (!given && (error = btk_buf_puts(&missing, missing.len ? " " : "")) == 0)
            error = item_text(&missing, o);
    }
    if (error == 0 && missing.len) {
        const char *what = btk_buf_cstr(&missing);

        error = btk_error_set(BTK_EINVAL, "'%s' needs %s", cmd->name, what);
    }
    btk_buf_free(&missing);
    return error;
}

int cli_opt_parse(void *args, bool *help_out, const cli_cmd *cmd, int argc, char **argv)
{
    const cli_opt *tail = find_type(cmd->opts, CLI_OPT_TYPE_TAIL);
    size_t nargs = 0;
    bool options = true;
    int i, error = 0;

    *help_out = false;
    for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (is_help(argv[i])) {
            *help_out = true; /* nothing else is parsed: mistakes do not hide the help */
            return 0;
        }
    for (i = 1; i < argc && error == 0; i++) {
        const char *arg = argv[i];

        if (options && !strcmp(arg, "--")) {
            if (tail) {
                cli_opt_tail *t = (cli_opt_tail *)((char *)args + tail->offset);

                t->v = argv + i + 1;
                t->count = (size_t)(argc - i - 1);
                break;
            }
            options = false;
        } else if (options && arg[0] == '-' && arg[1] != '\0')
            error = take_option(args, cmd, argc, argv, &i);
        else
            error = take_argument(args, cmd, arg, &nargs);
    }
    return error < 0 ? error : check_required(args, cmd);
}

/* ---- usage and help ---- */

/* One item of the usage: the row and the alternatives after it, bracketed unless
 * required. Returns the row after the item. */
static const cli_opt *usage_item(btk_buf *out, const cli_opt *o, int *error)
{
    bool optional = !(o->flags & CLI_OPT_REQUIRED);

    *error = btk_buf_puts(out, optional ? "[" : "");
    if (*error == 0)
        *error = item_text(out, o);
    for (o++; *error == 0 && (o->flags & CLI_OPT_OR); o++)
        if ((*error = btk_buf_puts(out, " | ")) == 0)
            *error = item_text(out, o);
    if (*error == 0)
        *error = btk_buf_puts(out, optional ? "]" : "");
    return o;
}

int cli_opt_usage(btk_buf *out, const cli_cmd *cmd)
{
    btk_buf item = BTK_BUF_INIT;
    size_t line; /* the length of the current line */
    int error;

    if ((error = btk_buf_printf(out, "usage: benchtrack %s", cmd->name)) < 0)
        return error;
    line = strlen("usage: benchtrack ") + strlen(cmd->name);
    for (const cli_opt *o = cmd->opts; o->type != CLI_OPT_TYPE_END && error == 0;) {
        btk_buf_clear(&item);
        o = usage_item(&item, o, &error);
        if (error == 0 && line + 1 + item.len > USAGE_WIDTH) {
            error = btk_buf_printf(out, "\n%*s", USAGE_INDENT - 1, "");
            line = USAGE_INDENT - 1;
        }
        if (error == 0)
            error = btk_buf_printf(out, " %s", btk_buf_cstr(&item));
        line += 1 + item.len;
    }
    if (error == 0)
        error = btk_buf_puts(out, "\n");
    btk_buf_free(&item);
    return error;
}

/* "  LEFT   help text" with the help wrapped at USAGE_WIDTH under column col; a '\n' in
 * the help starts a new line there. */
static int help_line(btk_buf *out, const char *left, size_t col, const char *help)
{
    size_t at = 2 + strlen(left), word;
    bool first = true, newline = false, wrap;
    int error = btk_buf_printf(out, "  %s", left);

    while (error == 0 && *help) {
        for (; *help == ' ' || *help == '\n'; help++)
            newline |= *help == '\n';
        word = strcspn(help, " \n");
        /* the first word goes below a left column too wide to leave two spaces */
        wrap = first ? at + 2 > col : newline || at + 1 + word > USAGE_WIDTH;
        if (wrap)
            error = btk_buf_printf(out, "\n%*s", (int)col, "");
        else
            error = btk_buf_printf(out, "%*s", first ? (int)(col - at) : 1, "");
        at = wrap || first ? col : at + 1;
        if (error == 0)
            error = btk_buf_put(out, help, word);
        at += word;
        help += word;
        first = newline = false;
    }
    return error ? error : btk_buf_puts(out, "\n");
}

/* The left column of a row in the help: "-o, --output DIR", "--db PATH", "BENCH". */
static int help_left(btk_buf *out, const cli_opt *o)
{
    btk_buf_clear(out);
    if (is_option(o) && o->alias)
        return btk_buf_printf(out, "%s, %s%s%s", o->alias, o->name, o->value ? " " : "",
                              o->value ? o->value : "");
    return item_text(out, o);
}

/* The arguments (options false) or options (true) of the table, under a title. */
static int help_list(btk_buf *out, const cli_cmd *cmd, bool options, size_t col)
{
    btk_buf left = BTK_BUF_INIT;
    bool any = false;
    int error = 0;

    for (const cli_opt *o = cmd->opts; o->type != CLI_OPT_TYPE_END && error == 0; o++) {
        if (is_option(o) != options)
            continue;
        if (!any &&
            (error = btk_buf_puts(out, options ? "options:\n" : "arguments:\n")) < 0)
            break;
        any = true;
        if ((error = help_left(&left, o)) == 0)
            error = help_line(out, btk_buf_cstr(&left), col, o->help ? o->help : "");
    }
    if (error == 0 && options)
        error = help_line(out, "-h, --help", col, "print this help");
    btk_buf_free(&left);
    return error;
}

int cli_opt_help(btk_buf *out, const cli_cmd *cmd)
{
    btk_buf left = BTK_BUF_INIT;
    size_t col = 2 + strlen("-h, --help") + 2; /* after the widest left column */
    int error = 0;

    for (const cli_opt *o = cmd->opts; o->type != CLI_OPT_TYPE_END && error == 0; o++)
        if ((error = help_left(&left, o)) == 0 && 2 + left.len + 2 > col)
            col = 2 + left.len + 2 > HELP_COLUMN ? HELP_COLUMN : 2 + left.len + 2;
    btk_buf_free(&left);
    if (error < 0 || (error = cli_opt_usage(out, cmd)) < 0 ||
        (error = btk_buf_puts(out, "\n")) < 0 ||
        (error = help_list(out, cmd, false, col)) < 0)
        return error;
    return help_list(out, cmd, true, col);
}

/* ---- numbers ---- */

int cli_parse_long(long *out, const char *option, const char *value, long min, long max)
{
    char *end;
    char quoted[80];
    long v;

    errno = 0;
    v = value && btk__is_plain_decimal(value, false) ? strtol(value, &end, 10) : 0;
    if (value == NULL || !btk__is_plain_decimal(value, false) || *end || errno || v < min ||
        v > max)
        return btk_error_set(
            BTK_EINVAL, "%s: expected an integer from %ld to %ld, got '%s'", option, min,
            max, btk_error_quote(quoted, sizeof(quoted), value ? value : ""));
    *out = v;
    return 0;
}

/* v as a plain decimal ("0.000000001", "0.5"), the only form the parser accepts. */
static const char *plain(char *out, size_t len, double v)
{
    char *p;

    snprintf(out, len, "%.12f", v);
    if ((p = strchr(out, '.')) != NULL) {
        p += strlen(p) - 1;
        while (*p == '0')
            *p-- = '\0';
        if (*p == '.')
            *p = '\0';
    }
    return out;
}

int cli_parse_double(double *out, const char *option, const char *value, double min,
                     double max)
{
    char *end;
    char quoted[80], lo[48], hi[48];
    double v;

    errno = 0;
    v = value && btk__is_plain_decimal(value, true) ? strtod(value, &end) : 0;
    if (value == NULL || !btk__is_plain_decimal(value, true) || *end || errno ||
        !(v >= min && v <= max))
        return btk_error_set(BTK_EINVAL, "%s: expected a number from %s to %s, got '%s'",
                             option, plain(lo, sizeof(lo), min), plain(hi, sizeof(hi), max),
                             btk_error_quote(quoted, sizeof(quoted), value ? value : ""));
    *out = v;
    return 0;
}
