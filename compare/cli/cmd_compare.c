/*
 * benchtrack compare [BASE] [CONTENDER]: resolve both sides (git refs or run ids; by default
 * the merge-base of HEAD with the target branch vs HEAD), load their runs from the store on
 * one machine, compare and print in the chosen format. docs/cli/compare.md.
 */
#include "cli.h"

#include "compare.h"
#include "compare_cli.h"
#include "config.h"
#include "format.h"

#include <limits.h>
#include <math.h>

typedef struct compare_args {
    const char *base, *contender, *db, *repo, *target, *machine, *config, *format, *out;
    bool any_machine;
    btk_compare_options opts;
} compare_args;

static const char usage[] =
    "usage: benchtrack compare [BASE] [CONTENDER] [--target-branch B] [--db PATH]\n"
    "       [--repo DIR] [--machine M | --any-machine] [--config FILE]\n"
    "       [--format table|markdown|json|junit|csv] [--out FILE] [--alpha A]\n"
    "       [--noise-band X] [--resamples N] [--seed N]\n";

static int parse_numbers(compare_args *a, const char *name, const char *value)
{
    long n;
    int error;

    if (!strcmp(name, "--alpha"))
        return cli_parse_double(&a->opts.alpha, name, value, 1e-9, 0.5);
    if (!strcmp(name, "--noise-band"))
        return cli_parse_double(&a->opts.noise_band, name, value, 0, 0.99);
    if (!strcmp(name, "--resamples")) {
        error = cli_parse_long(&n, name, value, 100, 1000000);
        a->opts.resamples = (unsigned)n;
        return error;
    }
    error = cli_parse_long(&n, name, value, 0, LONG_MAX);
    a->opts.seed = (uint64_t)n;
    return error;
}

static int parse_args(compare_args *a, int argc, char **argv)
{
    static const char *const strings[] = {"--db", "--repo", "--target-branch", "--machine",
                                          "--config", "--format", "--out"};
    static const char *const numbers[] = {"--alpha", "--noise-band", "--resamples", "--seed"};
    const char **slots[] = {&a->db, &a->repo, &a->target, &a->machine, &a->config, &a->format,
                            &a->out};
    int positional = 0;

    for (int i = 1; i < argc; i++) {
        const char *value = NULL;
        bool matched = false;

        for (size_t k = 0; k < BTK_ARRAY_SIZE(strings) && !matched; k++)
            if ((matched = cli_option(strings[k], argc, argv, &i, &value)))
                *slots[k] = value;
        for (size_t k = 0; k < BTK_ARRAY_SIZE(numbers) && !matched; k++)
            if ((matched = cli_option(numbers[k], argc, argv, &i, &value)) &&
                value && parse_numbers(a, numbers[k], value) < 0)
                return BTK_EINVAL;
        if (matched && value == NULL)
            return btk_error_set(BTK_EINVAL, "%s needs a value", argv[i]);
        if (matched)
            continue;
        if (!strcmp(argv[i], "--any-machine"))
            a->any_machine = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_compare_unknown_option(argv[i]);
        else if (positional++ == 0)
            a->base = argv[i];
        else if (positional == 2)
            a->contender = argv[i];
        else
            return btk_error_set(BTK_EINVAL, "too many arguments (expected BASE and "
                                             "CONTENDER)");
    }
    return 0;
}

/* The default base: merge-base of the contender with the target branch; on the target
 * branch itself (merge-base == contender) its first parent. */
static int default_base(char sha_out[41], btk_git *git, const char *target,
                        const btk_config *config, const char *contender_sha, char *how,
                        size_t how_len)
{
    char branch[256], tsha[41], quoted[120];
    char (*parents)[41] = NULL;
    size_t count = 0;
    int error;

    if (target == NULL)
        target = btk_config_target_branch(config);
    if (target == NULL && (error = btk_git_default_branch(branch, sizeof(branch), git)) < 0)
        return error;
    if (target == NULL)
        target = branch;
    if ((error = btk_git_resolve(tsha, git, target)) < 0 ||
        (error = btk_git_merge_base(sha_out, git, tsha, contender_sha)) < 0)
        return error;
    snprintf(how, how_len, "merge-base with '%s'",
             btk_error_quote(quoted, sizeof(quoted), target));
    if (strcmp(sha_out, contender_sha) != 0)
        return 0;
    if ((error = btk_git_first_parent(&parents, &count, git, contender_sha, 2)) < 0)
        return error;
    if (count < 2)
        error = btk_error_set(BTK_ENOTFOUND, "no base: the contender %.12s is on '%s' and "
                              "has no parent", contender_sha, quoted);
    else {
        memcpy(sha_out, parents[1], 41);
        snprintf(how, how_len, "parent on '%s'", quoted);
    }
    btk__free(parents);
    return error;
}

static int resolve_sides(cli_side *base, cli_side *now, btk_git *git, const compare_args *a,
                         const btk_config *config)
{
    int error;

    if ((error = cli_side_resolve(now, git, a->contender ? a->contender : "HEAD")) < 0)
        return error;
    if (a->base)
        return cli_side_resolve(base, git, a->base);
    if (git == NULL)
        return btk_error_set(BTK_EINVAL, "no BASE given and not in a git repository");
    if (now->sha[0] == '\0')
        return btk_error_set(BTK_EINVAL, "no BASE given and the contender is a run id");
    base->run_id = 0;
    snprintf(base->label, sizeof(base->label), "%s", "default");
    return default_base(base->sha, git, a->target, config, now->sha, base->how,
                        sizeof(base->how));
}

static int run_compare(const compare_args *a, btk_git *git, const btk_config *config)
{
    cli_side base = CLI_SIDE_INIT, now = CLI_SIDE_INIT;
    btk_compare_options opts = a->opts;
    btk_format_kind kind = BTK_FORMAT_TABLE;
    btk_store *db = NULL;
    int error;

    if ((a->format && (error = btk_format_parse(&kind, a->format)) < 0) ||
        (error = resolve_sides(&base, &now, git, a, config)) < 0 ||
        (error = cli_open_store(&db, a->db, git, true)) < 0 ||
        (error = cli_sides_load(&base, &now, db, a->machine, a->any_machine)) < 0)
        goto done;
    opts.config = config;
    opts.alpha = btk_config_alpha(config, opts.alpha);
    error = cli_compare_and_print(&base, &now, &opts, kind, a->out, "benchtrack compare");
done:
    cli_side_clear(&base);
    cli_side_clear(&now);
    btk_store_close(db);
    return error;
}

int cmd_compare(int argc, char **argv)
{
    compare_args a = {0};
    btk_config *config = NULL;
    btk_git *git = NULL;
    int rc;

    a.opts = (btk_compare_options)BTK_COMPARE_OPTIONS_INIT;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return fputs(usage, stdout), CLI_EXIT_OK;
    if (parse_args(&a, argc, argv) < 0) {
        rc = cli_fail();
        fputs(usage, stderr);
        return rc;
    }
    if (btk_git_open(&git, a.repo) < 0) {
        if (a.repo) /* asked for this repository: it must be one */
            return cli_fail();
        btk_error_clear();
    }
    rc = cli_load_config(&config, a.config, git);
    if (rc == 0)
        rc = run_compare(&a, git, config);
    btk_config_free(config);
    btk_git_close(git);
    return rc < 0 ? cli_fail() : rc;
}

/* ---- shared with cmd_ab.c (compare_cli.h) ---- */

int cli_compare_unknown_option(const char *arg)
{
    char quoted[80];

    return btk_error_set(BTK_EINVAL, "unknown option '%s'",
                         btk_error_quote(quoted, sizeof(quoted), arg));
}

int cli_side_resolve(cli_side *side, btk_git *git, const char *arg)
{
    snprintf(side->label, sizeof(side->label), "%s", arg);
    return cli_resolve_side(&side->run_id, side->sha, git, arg);
}

void cli_side_clear(cli_side *side)
{
    for (size_t i = 0; i < side->count; i++)
        btk_run_free(side->runs[i]);
    btk__free(side->runs);
    side->runs = NULL;
    side->count = 0;
}

/* Append run id's run (with samples) to side. */
static int side_add(cli_side *side, btk_store *db, int64_t id)
{
    btk_run **grown = btk__realloc(side->runs, (side->count + 1) * sizeof(*grown));
    int error;

    if (grown == NULL)
        return BTK_ENOMEM;
    side->runs = grown;
    if ((error = btk_store_load_run(&side->runs[side->count], db, id, true)) < 0)
        return error;
    side->count++;
    return 0;
}

static const char *side_name(const cli_side *side, char *buf, size_t len)
{
    char quoted[100];

    snprintf(buf, len, "'%s'%s%.12s%s", btk_error_quote(quoted, sizeof(quoted), side->label),
             side->sha[0] ? " (commit " : "", side->sha, side->sha[0] ? ")" : "");
    return buf;
}

/* A commit side's runs on machine fp (NULL: any). */
static int side_load_commit(cli_side *side, btk_store *db, const char *fp, const char *what)
{
    int64_t *ids = NULL;
    size_t count = 0;
    char name[200];
    int error;

    if ((error = btk_store_runs_for_commit(&ids, &count, db, side->sha, fp)) < 0)
        return error;
    if (count == 0)
        error = btk_error_set(BTK_ENOTFOUND, "no stored runs for the %s %s%s%.16s (run "
                              "'benchtrack run' there first)", what,
                              side_name(side, name, sizeof(name)), fp ? " on machine " : "",
                              fp ? fp : "");
    for (size_t i = 0; i < count && error == 0; i++)
        error = side_add(side, db, ids[i]);
    btk__free(ids);
    return error;
}

static const char *run_fp(const btk_run *run)
{
    return run->machine.fingerprint ? run->machine.fingerprint : "";
}

/* Check every run of side is on fp; warn or fail otherwise. */
static int check_machine(const cli_side *side, const char *fp, bool any_machine)
{
    char name[200], host[80];

    for (size_t i = 0; i < side->count; i++) {
        if (!strcmp(run_fp(side->runs[i]), fp))
            continue;
        btk_error_quote(host, sizeof(host), side->runs[i]->machine.hostname
                                                ? side->runs[i]->machine.hostname : "?");
        if (!any_machine)
            return btk_error_set(BTK_EINVAL, "machines differ: %s was measured on '%s' "
                                 "(%.12s), the contender on %.12s; use --any-machine to "
                                 "compare anyway", side_name(side, name, sizeof(name)), host,
                                 run_fp(side->runs[i]), fp);
        fprintf(stderr, "benchtrack: WARNING: comparing across machines: run #%" PRId64
                " was measured on '%s' (%.12s), the contender on %.12s\n",
                side->runs[i]->id, host, run_fp(side->runs[i]), fp);
    }
    return 0;
}

/* Keep only the runs of a commit side measured on fp. */
static void keep_machine(cli_side *side, const char *fp)
{
    size_t kept = 0;

    for (size_t i = 0; i < side->count; i++) {
        if (!strcmp(run_fp(side->runs[i]), fp))
            side->runs[kept++] = side->runs[i];
        else
            btk_run_free(side->runs[i]);
    }
    side->count = kept;
}

int cli_sides_load(cli_side *base, cli_side *now, btk_store *db, const char *machine,
                   bool any_machine)
{
    char *fp = NULL;
    int error;

    if (machine && (error = cli_pick_machine(&fp, db, machine)) < 0)
        return error;
    if (now->run_id)
        error = side_add(now, db, now->run_id);
    else /* newest first: runs[0]'s machine decides when none was named */
        error = side_load_commit(now, db, fp, "contender");
    if (error == 0 && fp == NULL && (fp = btk__strdup(run_fp(now->runs[0]))) == NULL)
        error = BTK_ENOMEM;
    if (error == 0 && !any_machine && now->run_id == 0)
        keep_machine(now, fp);
    if (error == 0)
        error = base->run_id ? side_add(base, db, base->run_id)
                             : side_load_commit(base, db, any_machine ? NULL : fp, "base");
    if (error == 0)
        error = check_machine(base, fp, any_machine);
    if (error == 0)
        error = check_machine(now, fp, any_machine);
    btk__free(fp);
    return error;
}

int cli_load_config(btk_config **out, const char *flag, btk_git *git)
{
    btk_buf path = BTK_BUF_INIT;
    int error;

    *out = NULL;
    if (flag)
        return btk_config_load(out, flag);
    if (git == NULL || btk_git_workdir(git) == NULL)
        return 0;
    if ((error = btk_buf_printf(&path, "%sbenchtrack.json", btk_git_workdir(git))) == 0) {
        error = btk_config_load(out, btk_buf_cstr(&path));
        if (error == BTK_ENOTFOUND) { /* no config file: defaults */
            btk_error_clear();
            error = 0;
        }
    }
    btk_buf_free(&path);
    return error;
}

/* "abc123def456 (merge-base with 'main'): runs #3, #4 (dirty)" */
static int describe(btk_buf *out, const cli_side *side)
{
    char quoted[100];
    int error;

    if (side->sha[0])
        error = btk_buf_printf(out, "%.12s (%s)", side->sha,
                               side->how[0] ? side->how
                                            : btk_error_quote(quoted, sizeof(quoted),
                                                              side->label));
    else if (side->run_id == 0) /* benchtrack ab: a binary */
        error = btk_buf_printf(out, "%s (%s)", btk_error_quote(quoted, sizeof(quoted),
                                                               side->label), side->how);
    else
        error = btk_buf_printf(out, "run #%" PRId64 " (commit %.12s)", side->run_id,
                               side->count ? side->runs[0]->commit.sha : "?");
    for (size_t i = 0; i < side->count && error == 0 && side->runs[i]->id; i++)
        error = btk_buf_printf(out, "%s#%" PRId64 "%s", i ? ", " : (side->count > 1 ? ": runs "
                                                                                    : ": run "),
                               side->runs[i]->id, side->runs[i]->commit.dirty ? " (dirty)" : "");
    return error;
}

static int write_output(const btk_buf *text, const char *out_path)
{
    char quoted[300];
    FILE *f = out_path ? fopen(out_path, "w") : stdout;

    if (f == NULL)
        return btk_error_set(BTK_EIO, "cannot write '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), out_path),
                             strerror(errno));
    fwrite(btk_buf_cstr(text), 1, text->len, f);
    if ((out_path ? fclose(f) : fflush(f)) != 0)
        return btk_error_set(BTK_EIO, "cannot write '%s'", out_path ? btk_error_quote(
                             quoted, sizeof(quoted), out_path) : "stdout");
    return 0;
}

static int header_strings(btk_buf *b, btk_buf *n, btk_buf *m, btk_buf *w, const cli_side *base,
                          const cli_side *now)
{
    const btk_machine *mach = now->count ? &now->runs[0]->machine : NULL;
    int error;

    if ((error = describe(b, base)) < 0 || (error = describe(n, now)) < 0)
        return error;
    if (mach && (error = btk_buf_printf(m, "%s (%.12s)", mach->hostname ? mach->hostname : "?",
                                        mach->fingerprint ? mach->fingerprint : "?")) < 0)
        return error;
    for (size_t i = 0; i < base->count; i++)
        if (mach && strcmp(run_fp(base->runs[i]), run_fp(now->runs[0])) != 0)
            return btk_buf_puts(w, "the two sides were measured on different machines: the "
                                   "differences may be the machines' and not the code's");
    return 0;
}

int cli_compare_and_print(const cli_side *base, const cli_side *now,
                          const btk_compare_options *opts, btk_format_kind kind,
                          const char *out_path, const char *title)
{
    btk_buf b = BTK_BUF_INIT, n = BTK_BUF_INIT, m = BTK_BUF_INIT, w = BTK_BUF_INIT;
    btk_buf text = BTK_BUF_INIT;
    btk_comparison *cmp = NULL;
    int error;

    error = btk_compare_runs(&cmp, (const btk_run *const *)base->runs, base->count,
                             (const btk_run *const *)now->runs, now->count, opts);
    if (error == 0)
        error = header_strings(&b, &n, &m, &w, base, now);
    if (error == 0) {
        btk_format_header hdr = {title, btk_buf_cstr(&b), btk_buf_cstr(&n), btk_buf_cstr(&m),
                                 w.len ? btk_buf_cstr(&w) : NULL, opts->alpha};

        error = btk_format_comparison(&text, cmp, &hdr, kind,
                                      kind == BTK_FORMAT_TABLE && !out_path && cli_use_color());
    }
    if (error == 0)
        error = write_output(&text, out_path);
    if (error == 0)
        error = btk_comparison_exit_code(cmp);
    btk_comparison_free(cmp);
    btk_buf_free(&b);
    btk_buf_free(&n);
    btk_buf_free(&m);
    btk_buf_free(&w);
    btk_buf_free(&text);
    return error;
}
