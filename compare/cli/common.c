/*
 * Helpers shared by the subcommands: error reporting and exit statuses, parsing the
 * command line (opt.c) into them, opening the repository and the database, resolving a
 * side (ref or run id), storing a run, picking the machine and gathering a commit's runs.
 */
#include "cli.h"

#include "machine.h"
#include "outfile.h"

#include <sys/stat.h>
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

int cli_die(int status, const char *fmt, ...)
{
    va_list ap;

    fputs("benchtrack: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

int cli_usage_fail(const cli_cmd *cmd)
{
    btk_buf usage = BTK_BUF_INIT;

    cli_fail();
    if (cli_opt_usage(&usage, cmd) == 0)
        fputs(btk_buf_cstr(&usage), stderr);
    btk_buf_free(&usage);
    return CLI_EXIT_USAGE;
}

bool cli_parse_args(int *status_out, void *args, const cli_cmd *cmd, int argc,
                    char **argv)
{
    btk_buf help = BTK_BUF_INIT;
    bool help_wanted = false;

    if (cli_opt_parse(args, &help_wanted, cmd, argc, argv) < 0) {
        *status_out = cli_usage_fail(cmd);
        return false;
    }
    if (!help_wanted)
        return true;
    if (cli_opt_help(&help, cmd) < 0)
        *status_out = cli_fail();
    else {
        fputs(btk_buf_cstr(&help), stdout);
        *status_out = CLI_EXIT_OK;
    }
    btk_buf_free(&help);
    return false;
}

/* The default database (and SQLite's files beside it) must not be symbolic links: a link
 * committed to a repository would send every write elsewhere. A named one (--db,
 * $BENCHTRACK_DB) is the user's choice and is followed. */
static int check_default_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal", "-lock"};
    char name[4200], quoted[300];
    struct stat st;
    size_t i;

    for (i = 0; i < BTK_ARRAY_SIZE(suffixes); i++) {
        snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
        if (lstat(name, &st) == 0 && S_ISLNK(st.st_mode))
            return btk_error_set(BTK_EINVAL, "the default results database file '%s' is a "
                                 "symbolic link: not following it (name the database with "
                                 "--db or $BENCHTRACK_DB)",
                                 btk_error_quote(quoted, sizeof(quoted), name));
    }
    return 0;
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
    if (error == 0)
        error = check_default_db(btk_buf_cstr(&buf));
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
    if (readonly && btk_store_location_is_file(path) && access(path, F_OK) != 0)
        error = btk_error_set(BTK_ENOTFOUND, "no results database at '%s' (run 'benchtrack "
                              "run' first, or name one with --db)",
                              btk_error_quote(quoted, sizeof(quoted), path));
    else
        error = btk_store_open(out, path, readonly ? BTK_STORE_READONLY : 0);
    if (error == 0) /* no output of this command may overwrite it */
        btk_outfile_protect(path);
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

bool cli_use_color(void)
{
    const char *nc = getenv("NO_COLOR");

    return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}

/* ---- untrusted text, and storing a run (run, import, ab) ---- */

int cli_safe_text(btk_buf *out, const char *s)
{
    int error = 0;

    for (; s && *s && error == 0; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '\n')
            error = btk_buf_puts(out, "\\n");
        else if (c == '\t')
            error = btk_buf_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            error = btk_buf_printf(out, "\\x%02x", c);
        else
            error = btk_buf_put(out, (const char *)&c, 1);
    }
    return error;
}

void cli_print_safe(FILE *f, const char *s)
{
    btk_buf b = BTK_BUF_INIT;

    if (cli_safe_text(&b, s) == 0)
        fputs(btk_buf_cstr(&b), f);
    else
        fputs("?", f); /* out of memory: never the raw text */
    btk_buf_free(&b);
}

static bool is_full_sha(const char *s)
{
    size_t i;

    for (i = 0; i < 40; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[40] == '\0';
}

/* A --commit the repository does not know (or no repository): only with the flag. */
static int unknown_commit(btk_commit *out, const cli_commit_options *o, bool in_repo)
{
    char quoted[120];

    btk_error_quote(quoted, sizeof(quoted), o->commit);
    if (!o->allow_unknown)
        return btk_error_set(BTK_ENOTFOUND, "commit '%s' is not %s (pass "
                             "--allow-unknown-commit to store it anyway)", quoted,
                             in_repo ? "in the repository" : "known: not in a git repository");
    if (!is_full_sha(o->commit))
        return btk_error_set(BTK_EINVAL, "--allow-unknown-commit needs a full 40-digit "
                             "lower-case sha, got '%s'", quoted);
    btk_error_clear();
    snprintf(out->sha, sizeof(out->sha), "%s", o->commit);
    return 0;
}

static int set_branch(btk_commit *out, const char *branch)
{
    btk__free(out->branch);
    out->branch = btk__strdup(branch);
    return out->branch ? 0 : BTK_ENOMEM;
}

static int commit_in_repo(btk_commit *out, btk_git *git, const cli_commit_options *o)
{
    btk_commit head;
    char sha[41];
    int error;

    memset(&head, 0, sizeof(head));
    if (o->commit == NULL)
        return btk_git_head_info(out, git);
    if ((error = btk_git_resolve(sha, git, o->commit)) == BTK_ENOTFOUND)
        return unknown_commit(out, o, true);
    if (error < 0 || (error = btk_git_commit_info(out, git, sha)) < 0)
        return error;
    /* The named commit is HEAD: its branch and dirty state still apply. */
    if (btk_git_head_info(&head, git) == 0 && !strcmp(head.sha, out->sha)) {
        out->dirty = head.dirty;
        if (head.branch)
            error = set_branch(out, head.branch);
    }
    btk_error_clear();
    btk_commit_clear(&head);
    return error;
}

int cli_machine_name(const char **name_out, const char *flag)
{
    const char *env = getenv("BENCHTRACK_MACHINE"), *why;
    const char *name = flag ? flag : (env && *env ? env : NULL);
    char quoted[100];

    *name_out = NULL;
    if (name && !btk_machine_name_valid(name, &why))
        return btk_error_set(BTK_EINVAL, "invalid machine name '%s'%s: %s",
                             btk_error_quote(quoted, sizeof(quoted), name),
                             flag ? "" : " in BENCHTRACK_MACHINE", why);
    *name_out = name;
    return 0;
}

int cli_commit_for_run(btk_commit *out, btk_git **git_out, const cli_commit_options *o)
{
    const char *name;
    int error;

    *git_out = NULL;
    if ((error = cli_machine_name(&name, o->machine)) < 0)
        return error;
    error = btk_git_open(git_out, o->repo);
    if (error == BTK_ENOTFOUND && o->repo == NULL) {
        if (o->commit)
            error = unknown_commit(out, o, false);
        else {
            btk_error_clear();
            error = 0;
            fprintf(stderr, "benchtrack: warning: not in a git repository: the run is stored "
                            "without a commit (use --commit SHA --allow-unknown-commit)\n");
        }
    } else if (error == 0)
        error = commit_in_repo(out, *git_out, o);
    if (error == 0 && o->branch)
        error = set_branch(out, o->branch);
    if (error == 0 && out->dirty)
        fprintf(stderr, "benchtrack: warning: the working tree has uncommitted changes: the "
                        "run is recorded as dirty\n");
    return error;
}

int cli_store_run(btk_run *run, const char *db_flag, btk_git *git, const char *machine)
{
    btk_store *db = NULL;
    const char *name;
    int64_t id = 0;
    int error;

    if ((error = cli_machine_name(&name, machine)) < 0 ||
        (error = btk_machine_set_name(&run->machine, name)) < 0 ||
        (error = cli_open_store(&db, db_flag, git, false)) < 0)
        return error;
    error = btk_store_add_run(db, run, &id);
    btk_store_close(db);
    if (error == 0) {
        fprintf(stderr, "benchtrack: stored run #%" PRId64 " (%zu benchmarks, commit %.12s%s)\n",
                id, run->result_count, run->commit.sha[0] ? run->commit.sha : "none",
                run->commit.dirty ? ", dirty" : "");
    }
    return error;
}

/* "'host' (fp12), named 'ci' (fp12)" for messages: a named machine by its name, else by
 * the host name of its first run; escaped. */
static void describe_machines(btk_buf *out, btk_store *db, char **fps, size_t count)
{
    btk_machine m;
    char quoted[80];
    size_t i;

    for (i = 0; i < count; i++) {
        if (btk_store_machine_info(&m, db, fps[i]) < 0)
            continue;
        btk_buf_printf(out, "%s%s'%s' (%.12s)", i ? ", " : "", m.name ? "named " : "",
                       btk_error_quote(quoted, sizeof(quoted),
                                       m.name ? m.name : m.hostname ? m.hostname : "?"),
                       fps[i]);
        btk_machine_clear(&m);
    }
}

/* Whether flag is a prefix of fp or the host name of one of its runs. */
static bool machine_matches(btk_store *db, const char *fp, const char *flag)
{
    if (!strncmp(fp, flag, strlen(flag)))
        return true;
    return btk_store_machine_has_host(db, fp, flag) == 1;
}

/* The index in fps of the machine named name, or count (also when name is no valid
 * machine name). A named class's fingerprint is its name's alone, so it is computed, not
 * looked up. BTK_ENOMEM as count. */
static size_t find_named(char **fps, size_t count, const char *name)
{
    btk_machine m;
    const char *why;
    size_t i = count;

    memset(&m, 0, sizeof(m));
    if (btk_machine_name_valid(name, &why) && btk_machine_set_name(&m, name) == 0)
        for (i = 0; i < count && strcmp(fps[i], m.fingerprint); i++)
            ;
    btk_machine_clear(&m);
    return i;
}

static int pick_by_flag(char **fp_out, btk_store *db, char **fps, size_t count,
                        const char *flag)
{
    btk_buf list = BTK_BUF_INIT;
    char quoted[80];
    size_t i, hits = 0, hit = 0;
    int error = 0;

    /* A machine name is exact and wins over a fingerprint prefix or host name that also
     * matches. */
    if ((hit = find_named(fps, count, flag)) < count)
        return (*fp_out = btk__strdup(fps[hit])) ? 0 : BTK_ENOMEM;
    hit = 0;
    for (i = 0; i < count; i++)
        if (machine_matches(db, fps[i], flag)) {
            hits++;
            hit = i;
        }
    btk_error_quote(quoted, sizeof(quoted), flag);
    if (hits == 1)
        return (*fp_out = btk__strdup(fps[hit])) ? 0 : BTK_ENOMEM;
    describe_machines(&list, db, fps, count);
    error = btk_error_set(BTK_EINVAL, "%s machine '%s' (machines: %s)",
                          hits ? "ambiguous" : "no data for", quoted,
                          count ? btk_buf_cstr(&list) : "none");
    btk_buf_free(&list);
    return error;
}

/* This machine for a query's default: $BENCHTRACK_MACHINE's class when set, else this
 * hardware's. Release with btk_machine_clear. */
static int this_machine(btk_machine *out)
{
    const char *name;
    int error;

    if ((error = btk_machine_detect(out)) == 0 &&
        ((error = cli_machine_name(&name, NULL)) < 0 ||
         (error = btk_machine_set_name(out, name)) < 0))
        btk_machine_clear(out);
    return error;
}

int cli_pick_machine(char **fp_out, btk_store *db, const char *flag)
{
    char **fps = NULL;
    size_t count = 0, i;
    btk_machine here;
    btk_buf list = BTK_BUF_INIT;
    int error;

    *fp_out = NULL;
    if ((error = btk_store_machines(&fps, &count, db)) < 0)
        return error;
    if (flag)
        error = pick_by_flag(fp_out, db, fps, count, flag);
    else if (count == 1)
        error = (*fp_out = btk__strdup(fps[0])) ? 0 : BTK_ENOMEM;
    else if (count > 1 && (error = this_machine(&here)) == 0) {
        for (i = 0; i < count && strcmp(fps[i], here.fingerprint); i++)
            ;
        if (i < count)
            error = (*fp_out = btk__strdup(fps[i])) ? 0 : BTK_ENOMEM;
        else {
            describe_machines(&list, db, fps, count);
            error = btk_error_set(BTK_EINVAL, "results from several machines and none from "
                                  "this one: pick one with --machine (%s)", btk_buf_cstr(&list));
        }
        btk_machine_clear(&here);
    }
    btk_buf_free(&list);
    btk_strings_free(fps, count);
    return error;
}

void cli_runs_free(btk_run **runs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        btk_run_free(runs[i]);
    btk__free(runs);
}

int cli_gather_runs(btk_run ***runs_out, size_t *count_out, btk_buf *excluded, btk_store *db,
                    const char *sha, const char *fp, bool include_dirty)
{
    btk_buf ids = BTK_BUF_INIT;
    int64_t *id = NULL;
    size_t count = 0;
    int error, dropped = 0;

    *runs_out = NULL;
    *count_out = 0;
    if ((error = btk_store_runs_for_commit(&id, &count, db, sha, fp)) < 0 || count == 0)
        goto done;
    if ((*runs_out = btk__calloc(count, sizeof(**runs_out))) == NULL) {
        error = BTK_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < count && error == 0; i++)
        if ((error = btk_store_load_run(&(*runs_out)[i], db, id[i], true)) == 0)
            (*count_out)++;
    if (error == 0 && !include_dirty)
        error = dropped = btk_runs_drop_dirty(*runs_out, count_out, &ids);
    if (error > 0)
        error = btk_buf_printf(excluded, "%s%d dirty run%s (%s)", excluded->len ? "; " : "",
                               dropped, dropped > 1 ? "s" : "", btk_buf_cstr(&ids));
done:
    btk_buf_free(&ids);
    btk__free(id);
    return error < 0 ? error : 0;
}

/* Indexed by btk_history_metric. */
static const char *const history_metric_names[] = {"wall", "cpu", "instructions", "cycles"};

int cli_history_metric_parse(btk_history_metric *out, const char *name)
{
    char quoted[80];

    *out = BTK_HISTORY_TIME;
    for (size_t i = 0; name && i < BTK_ARRAY_SIZE(history_metric_names); i++)
        if (!strcmp(name, history_metric_names[i])) {
            *out = (btk_history_metric)i;
            return 0;
        }
    if (name == NULL)
        return 0;
    return btk_error_set(BTK_EINVAL, "unknown metric '%s' (expected wall, cpu, cycles or "
                                     "instructions)",
                         btk_error_quote(quoted, sizeof(quoted), name));
}

const char *cli_history_metric_name(btk_history_metric metric)
{
    return (size_t)metric < BTK_ARRAY_SIZE(history_metric_names)
               ? history_metric_names[metric]
               : "wall";
}
