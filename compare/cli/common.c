/*
 * Helpers shared by the subcommands: error reporting and exit codes, opening the repository
 * and the database, resolving a side (ref or run id), parsing numbers.
 */
#include "cli.h"

#include <unistd.h>

int cli_exit_code(int error)
{
    switch (error) {
    case 0:
        return CLI_EXIT_OK;
    case BTK_EINVAL:
    case BTK_EFORMAT:
    case BTK_ENOTFOUND:
    case BTK_ESCHEMA:
    case BTK_EUNSUPPORTED:
        return CLI_EXIT_USAGE;
    default:
        return CLI_EXIT_RUNTIME;
    }
}

int cli_fail(void)
{
    const btk_error *e = btk_error_last();

    fprintf(stderr, "benchtrack: %s\n", e->message[0] ? e->message : "unknown error");
    return cli_exit_code(e->code ? e->code : BTK_ERROR);
}

int cli_die(int code, const char *fmt, ...)
{
    va_list ap;

    fputs("benchtrack: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int cli_open_repo(btk_git **out, const char *repo_path)
{
    return btk_git_open(out, repo_path);
}

int cli_db_path(char **out, const char *flag_value, btk_git *git)
{
    const char *env = getenv("BENCHTRACK_DB");
    btk_buf buf = BTK_BUF_INIT;
    int error;

    *out = NULL;
    if (flag_value && *flag_value)
        return (*out = btk__strdup(flag_value)) ? 0 : BTK_ENOMEM;
    if (env && *env)
        return (*out = btk__strdup(env)) ? 0 : BTK_ENOMEM;
    if (git && btk_git_workdir(git))
        error = btk_buf_printf(&buf, "%sbenchtrack.db", btk_git_workdir(git));
    else
        error = btk_buf_puts(&buf, "benchtrack.db");
    if (error < 0) {
        btk_buf_free(&buf);
        return error;
    }
    *out = btk_buf_detach(&buf);
    return *out ? 0 : BTK_ENOMEM;
}

int cli_open_store(btk_store **out, const char *flag_value, btk_git *git, bool readonly)
{
    char *path = NULL;
    char quoted[300];
    int error;

    *out = NULL;
    if ((error = cli_db_path(&path, flag_value, git)) < 0)
        return error;
    if (readonly && access(path, F_OK) != 0)
        error = btk_error_set(BTK_ENOTFOUND, "no results database at '%s' (run 'benchtrack "
                              "run' first, or name one with --db)",
                              btk_error_quote(quoted, sizeof(quoted), path));
    else
        error = btk_store_open(out, path, readonly ? BTK_STORE_READONLY : 0);
    btk__free(path);
    return error;
}

/* Parse a run id written "#N", "run:N" or "N"; returns false when arg is not one. */
static bool parse_run_id(int64_t *out, const char *arg, bool *explicit_out)
{
    char *end;
    long long v;

    *explicit_out = true;
    if (arg[0] == '#')
        arg++;
    else if (!strncmp(arg, "run:", 4))
        arg += 4;
    else
        *explicit_out = false;
    if (*arg < '0' || *arg > '9')
        return false;
    errno = 0;
    v = strtoll(arg, &end, 10);
    if (errno || *end || v <= 0)
        return false;
    *out = v;
    return true;
}

int cli_resolve_side(int64_t *run_id_out, char sha_out[41], btk_git *git, const char *arg)
{
    bool is_explicit;
    int64_t id;
    char quoted[300];
    int error;

    *run_id_out = 0;
    sha_out[0] = '\0';
    if (parse_run_id(&id, arg, &is_explicit) && (is_explicit || git == NULL)) {
        *run_id_out = id;
        return 0;
    }
    if (git == NULL)
        return btk_error_set(BTK_ENOTFOUND, "cannot resolve '%s': not in a git repository",
                             btk_error_quote(quoted, sizeof(quoted), arg));
    error = btk_git_resolve(sha_out, git, arg);
    if (error == BTK_ENOTFOUND && parse_run_id(&id, arg, &is_explicit)) {
        btk_error_clear();
        *run_id_out = id;
        return 0;
    }
    return error;
}

int cli_parse_long(long *out, const char *option, const char *value, long min, long max)
{
    char *end;
    char quoted[80];
    long v;

    errno = 0;
    v = value ? strtol(value, &end, 10) : 0;
    if (value == NULL || *value == '\0' || *end || errno || v < min || v > max)
        return btk_error_set(BTK_EINVAL, "%s: expected an integer from %ld to %ld, got '%s'",
                             option, min, max,
                             btk_error_quote(quoted, sizeof(quoted), value ? value : ""));
    *out = v;
    return 0;
}

int cli_parse_double(double *out, const char *option, const char *value, double min,
                     double max)
{
    char *end;
    char quoted[80];
    double v;

    errno = 0;
    v = value ? strtod(value, &end) : 0;
    if (value == NULL || *value == '\0' || *end || errno || !(v >= min && v <= max))
        return btk_error_set(BTK_EINVAL, "%s: expected a number from %g to %g, got '%s'",
                             option, min, max,
                             btk_error_quote(quoted, sizeof(quoted), value ? value : ""));
    *out = v;
    return 0;
}

bool cli_use_color(void)
{
    const char *nc = getenv("NO_COLOR");

    return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}
