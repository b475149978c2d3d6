/*
 * benchtrack compare [BASE] [CONTENDER]: resolve both sides (git refs or run ids; by default
 * the merge-base of HEAD with the target branch vs HEAD), load their runs from the store on
 * one machine, compare and print in the chosen format. docs/cli/compare.md.
 */
#include "cli.h"

#include "compare.h"
#include "compare_cli.h"
#include "compare_confirm.h"
#include "outfile.h"
#include "compare_noise.h"
#include "config.h"
#include "format.h"
#include "runtag.h"

#include <limits.h>
#include <math.h>

typedef struct compare_args {
    const char *base, *contender, *db, *repo, *target, *config, *format, *out, *metric;
    const char *confirm_base, *confirm_new; /* the binaries that recorded the sides */
    long confirm_processes;
    bool quiet, confirm_inconclusive;
    cli_load_options load;
    btk_compare_options opts;
    cli_opt_tail extra; /* arguments for both binaries when confirming */
} compare_args;

static const cli_opt compare_opts[] = {
    CLI_OPT_ARG(
        "BASE", compare_args, base, 0,
        "git ref or run id (#12, run:12); default: the merge-base of CONTENDER with "
        "the target branch"),
    CLI_OPT_ARG("CONTENDER", compare_args, contender, 0,
                "git ref or run id (default HEAD)"),
    CLI_OPT_STRING("--target-branch", "B", compare_args, target,
                   "branch for the default base"),
    CLI_OPT_STRING("--db", "PATH", compare_args, db,
                   "results database (default: $BENCHTRACK_DB, else benchtrack.db at the "
                   "repository root)"),
    CLI_OPT_STRING("--repo", "DIR", compare_args, repo,
                   "the repository (default: the current directory's)"),
    CLI_OPT_STRING(
        "--machine", "M", compare_args, load.machine,
        "the machine: name, fingerprint prefix or host name (default: the contender's)"),
    CLI_OPT_FLAG("--any-machine", compare_args, load.any_machine, CLI_OPT_OR,
                 "compare runs of different machines, with a warning"),
    CLI_OPT_FLAG("--any-build", compare_args, load.any_build, CLI_OPT_OR,
                 "compare runs of different builds (compiler, flags), with a warning"),
    CLI_OPT_FLAG("--include-dirty", compare_args, load.include_dirty, CLI_OPT_OR,
                 "also pool runs recorded with uncommitted changes"),
    CLI_OPTS_VERDICT(compare_args),
    CLI_OPT_UINT("--resamples", "N", compare_args, opts.resamples, 100, 1000000,
                 "bootstrap resamples (default 2000)"),
    CLI_OPT_UINT64("--seed", "N", compare_args, opts.seed, 0, LONG_MAX, "bootstrap seed"),
    CLI_OPT_STRING_EX("--confirm-base", NULL, "BIN", compare_args, confirm_base,
                      CLI_OPT_NONEMPTY,
                      "the binary that recorded the base's runs: re-measure what is flagged "
                      "(with --confirm-new)"),
    CLI_OPT_STRING_EX("--confirm-new", NULL, "BIN", compare_args, confirm_new,
                      CLI_OPT_NONEMPTY, "the binary that recorded the contender's runs"),
    CLI_OPT_LONG("--confirm-processes", "K", compare_args, confirm_processes, 1, 10000,
                 "interleaved processes a side when confirming (default 10)"),
    CLI_OPT_FLAG("--confirm-inconclusive", compare_args, confirm_inconclusive, 0,
                 "when confirming, also re-measure the inconclusive benchmarks"),
    CLI_OPT_FLAG("--quiet", compare_args, quiet, 0,
                 "no progress line per confirming invocation on stderr"),
    CLI_OPT_TAIL("ARGS", compare_args, extra, 0,
                 "arguments for both binaries when confirming"),
    CLI_OPT_END,
};

static const cli_cmd compare_cmd = {"compare", compare_opts};

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

/* Compare the sides; *status_out is CLI_EXIT_OK or CLI_EXIT_REGRESSION. */
static int run_compare(int *status_out, const compare_args *a, btk_git *git,
                       const btk_config *config)
{
    cli_side base = CLI_SIDE_INIT, now = CLI_SIDE_INIT;
    btk_compare_options opts = a->opts;
    cli_confirm confirm = {a->confirm_base, a->confirm_new, a->confirm_processes,
                           a->extra.v, a->extra.count, !a->quiet,
                           a->confirm_inconclusive};
    cli_output output = {BTK_FORMAT_TABLE, a->out, "benchtrack compare",
                         a->confirm_base ? &confirm : NULL};
    btk_store *db = NULL;
    btk_run **history = NULL;
    size_t history_count = 0;
    int error;

    if ((a->format && (error = btk_format_parse(&output.kind, a->format)) < 0) ||
        (error = cli_metric_parse(&opts.metric, a->metric)) < 0 ||
        (error = resolve_sides(&base, &now, git, a, config)) < 0 ||
        (error = cli_open_store(&db, a->db, git, true)) < 0 ||
        (error = cli_sides_load(&base, &now, db, &a->load)) < 0 ||
        (error = cli_history_load(&history, &history_count, db, &base, &now)) < 0)
        goto done;
    /* stored runs were recorded apart: their run-to-run noise counts (statistics.md §8) */
    opts.separate = true;
    opts.history = (const btk_run *const *)history;
    opts.history_count = history_count;
    opts.config = config;
    opts.alpha = btk_config_alpha(config, opts.alpha);
    error = cli_compare_and_print(status_out, &base, &now, &opts, &output);
done:
    cli_history_free(history, history_count);
    cli_side_clear(&base);
    cli_side_clear(&now);
    btk_store_close(db);
    return error;
}

/* Open the repository, load the config and compare. */
static int compare_main(int *status_out, const compare_args *a)
{
    btk_config *config = NULL;
    btk_git *git = NULL;
    int error;

    if ((error = btk_git_open(&git, a->repo)) < 0) {
        if (a->repo) /* asked for this repository: it must be one */
            return error;
        btk_error_clear();
    }
    if ((error = cli_load_config(&config, a->config, git)) == 0)
        error = run_compare(status_out, a, git, config);
    btk_config_free(config);
    btk_git_close(git);
    return error;
}

int cmd_compare(int argc, char **argv)
{
    compare_args a = {0};
    int status;

    a.opts = (btk_compare_options)BTK_COMPARE_OPTIONS_INIT;
    a.confirm_processes = 10;
    if (!cli_parse_args(&status, &a, &compare_cmd, argc, argv))
        return status;
    if (!a.confirm_base != !a.confirm_new) {
        btk_error_set(BTK_EINVAL, "--confirm-base and --confirm-new go together: the "
                                  "binaries that recorded the base's and the contender's runs");
        return cli_usage_fail(&compare_cmd);
    }
    if (a.confirm_base == NULL && (a.extra.count > 0 || a.confirm_inconclusive)) {
        btk_error_set(BTK_EINVAL, "%s only with --confirm-base and --confirm-new",
                      a.extra.count > 0 ? "arguments after -- go to the binaries"
                                        : "--confirm-inconclusive applies");
        return cli_usage_fail(&compare_cmd);
    }
    return compare_main(&status, &a) < 0 ? cli_fail() : status;
}

/* ---- shared with cmd_ab.c (compare_cli.h) ---- */

int cli_metric_parse(btk_compare_metric *out, const char *name)
{
    char q[64];

    if (name == NULL || !strcmp(name, "wall"))
        *out = BTK_COMPARE_WALL;
    else if (!strcmp(name, "cpu"))
        *out = BTK_COMPARE_CPU;
    else if (!strcmp(name, "cycles"))
        *out = BTK_COMPARE_CYCLES;
    else if (!strcmp(name, "auto"))
        *out = BTK_COMPARE_AUTO;
    else
        return btk_error_set(BTK_EINVAL, "unknown metric '%s' (expected wall, cpu, cycles or "
                                         "auto)",
                             btk_error_quote(q, sizeof(q), name));
    return 0;
}

int cli_side_resolve(cli_side *side, btk_git *git, const char *arg)
{
    snprintf(side->label, sizeof(side->label), "%s", arg);
    return cli_resolve_side(&side->run_id, side->sha, git, arg);
}

void cli_side_clear(cli_side *side)
{
    cli_runs_free(side->runs, side->count);
    side->runs = NULL;
    side->count = 0;
    btk_buf_free(&side->excluded);
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

/* A commit side's runs on machine fp (NULL: any), as cli_gather_runs takes them. */
static int side_load_commit(cli_side *side, btk_store *db, const char *fp, const char *what,
                            bool include_dirty)
{
    char name[200];
    int error;

    if ((error = cli_gather_runs(&side->runs, &side->count, &side->excluded, db, side->sha,
                                 fp, include_dirty)) < 0 || side->count > 0)
        return error;
    return btk_error_set(BTK_ENOTFOUND, "no %sstored runs for the %s %s%s%.16s%s%s%s",
                         side->excluded.len ? "clean " : "", what,
                         side_name(side, name, sizeof(name)), fp ? " on machine " : "",
                         fp ? fp : "", side->excluded.len ? " (excluded: " : " (run "
                         "'benchtrack run' there first)", btk_buf_cstr(&side->excluded),
                         side->excluded.len ? "; --include-dirty takes them)" : "");
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

/* Keep only the runs of side built as ref; name the others in side->excluded. */
static int keep_build(cli_side *side, const btk_run *ref)
{
    btk_buf ids = BTK_BUF_INIT, what = BTK_BUF_INIT;
    int n = btk_runs_keep_build(side->runs, &side->count, ref, &ids), error = n;

    if (n > 0 && (error = btk_run_build_text(&what, ref)) == 0)
        error = btk_buf_printf(&side->excluded, "%s%d run%s of another build (%s) than '%s'",
                               side->excluded.len ? "; " : "", n, n > 1 ? "s" : "",
                               btk_buf_cstr(&ids), btk_buf_cstr(&what));
    btk_buf_free(&ids);
    btk_buf_free(&what);
    return error < 0 ? error : 0;
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

/* Keep one build on each side (see cli_sides_load); the others go to side->excluded. */
static int keep_builds(cli_side *base, cli_side *now)
{
    const btk_run *ref = base->runs[0];
    int error = 0;

    if ((error = keep_build(now, now->runs[0])) < 0)
        return error;
    for (size_t i = 0; i < base->count; i++)
        if (btk_run_same_build(base->runs[i], now->runs[0])) {
            ref = base->runs[i];
            break;
        }
    return keep_build(base, ref);
}

int cli_sides_check_build(const cli_side *base, const cli_side *now, bool any_build)
{
    btk_buf b = BTK_BUF_INIT, n = BTK_BUF_INIT;
    char bq[120], nq[120];
    int error;

    if (btk_run_same_build(base->runs[0], now->runs[0]))
        return 0;
    if ((error = btk_run_build_text(&b, base->runs[0])) < 0 ||
        (error = btk_run_build_text(&n, now->runs[0])) < 0)
        goto done;
    btk_error_quote(bq, sizeof(bq), btk_buf_cstr(&b));
    btk_error_quote(nq, sizeof(nq), btk_buf_cstr(&n));
    if (!any_build)
        error = btk_error_set(BTK_EINVAL, "builds differ: the base was built with '%s', the "
                              "contender with '%s'; use --any-build to compare anyway", bq,
                              nq);
    else
        fprintf(stderr, "benchtrack: WARNING: comparing different builds: the base was built "
                        "with '%s', the contender with '%s'\n", bq, nq);
done:
    btk_buf_free(&b);
    btk_buf_free(&n);
    return error;
}

int cli_sides_load(cli_side *base, cli_side *now, btk_store *db, const cli_load_options *o)
{
    char *fp = NULL;
    int error;

    if (o->machine && (error = cli_pick_machine(&fp, db, o->machine)) < 0)
        return error;
    if (now->run_id)
        error = side_add(now, db, now->run_id);
    else /* newest first: runs[0]'s machine decides when none was named */
        error = side_load_commit(now, db, fp, "contender", o->include_dirty);
    if (error == 0 && fp == NULL && (fp = btk__strdup(run_fp(now->runs[0]))) == NULL)
        error = BTK_ENOMEM;
    if (error == 0 && !o->any_machine && now->run_id == 0)
        keep_machine(now, fp);
    if (error == 0)
        error = base->run_id ? side_add(base, db, base->run_id)
                             : side_load_commit(base, db, o->any_machine ? NULL : fp, "base",
                                                o->include_dirty);
    if (error == 0)
        error = check_machine(base, fp, o->any_machine);
    if (error == 0)
        error = check_machine(now, fp, o->any_machine);
    if (error == 0)
        error = keep_builds(base, now);
    if (error == 0)
        error = cli_sides_check_build(base, now, o->any_build);
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

/* "abc123def456 (merge-base with 'main'): runs #3, #4 (dirty); excluded: 1 dirty run
 * (#5)" */
static int describe(btk_buf *out, const cli_side *side)
{
    char quoted[100];
    const btk_run *run = side->count ? side->runs[0] : NULL;
    int error;

    if (side->sha[0])
        error = btk_buf_printf(out, "%.12s (%s)", side->sha,
                               side->how[0] ? side->how
                                            : btk_error_quote(quoted, sizeof(quoted),
                                                              side->label));
    else if (side->run_id == 0) /* benchtrack ab: a binary */
        error = btk_buf_printf(out, "%s (%s)", btk_error_quote(quoted, sizeof(quoted),
                                                               side->label), side->how);
    else /* a run id: the run is the side, no list of runs follows */
        return btk_buf_printf(out, "run #%" PRId64 " (%s%.12s%s)", side->run_id,
                              run && run->commit.sha[0] ? "commit " : "no commit",
                              run ? run->commit.sha : "", run && run->commit.dirty
                                                              ? ", dirty" : "");
    for (size_t i = 0; i < side->count && error == 0 && side->runs[i]->id; i++)
        error = btk_buf_printf(out, "%s#%" PRId64 "%s", i ? ", " : (side->count > 1 ? ": runs "
                                                                                    : ": run "),
                               side->runs[i]->id, side->runs[i]->commit.dirty ? " (dirty)" : "");
    if (error == 0 && side->excluded.len)
        error = btk_buf_printf(out, "; excluded: %s", btk_buf_cstr(&side->excluded));
    return error;
}

static int write_output(const btk_buf *text, const char *out_path)
{
    if (out_path) /* never over the database (outfile.h) */
        return btk_outfile_write(out_path, btk_buf_cstr(text), text->len, 0);
    fwrite(btk_buf_cstr(text), 1, text->len, stdout);
    if (fflush(stdout) != 0)
        return btk_error_set(BTK_EIO, "cannot write 'stdout'");
    return 0;
}

/* "builds differ: the base was built with X, the contender with Y: ..." when they do. */
static int build_warning(btk_buf *w, const cli_side *base, const cli_side *now)
{
    btk_buf b = BTK_BUF_INIT, n = BTK_BUF_INIT;
    int error = 0;

    if (base->count == 0 || now->count == 0 ||
        btk_run_same_build(base->runs[0], now->runs[0]))
        return 0;
    if ((error = btk_run_build_text(&b, base->runs[0])) == 0 &&
        (error = btk_run_build_text(&n, now->runs[0])) == 0)
        error = btk_buf_printf(w, "%sdifferent builds: the base was built with '%s', the "
                               "contender with '%s': the differences may be the builds' and "
                               "not the code's", w->len ? "; " : "", btk_buf_cstr(&b),
                               btk_buf_cstr(&n));
    btk_buf_free(&b);
    btk_buf_free(&n);
    return error;
}

/* Whether warning k of run i has an equal one earlier on side: in its whole text, or
 * with code_only in its code (the text before ':'). */
static bool seen_before(const cli_side *side, size_t i, size_t k, bool code_only)
{
    const char *text = side->runs[i]->warnings[k];
    size_t len = code_only ? strcspn(text, ":") : strlen(text) + 1;

    for (size_t j = 0; j <= i; j++)
        for (size_t l = 0; l < (j < i ? side->runs[j]->warning_count : k); l++) {
            const char *other = side->runs[j]->warnings[l];

            if (other && !strncmp(other, text, len) && (!code_only || other[len] == ':'))
                return true;
        }
    return false;
}

/* The environment warnings the side's runs recorded: each message once on stderr, and
 * "base runs recorded environment warnings: unoptimized, vm" (each code once) in w. */
static int env_warnings(btk_buf *w, const cli_side *side, const char *which)
{
    btk_buf codes = BTK_BUF_INIT;
    int error = 0;

    for (size_t i = 0; i < side->count && error == 0; i++)
        for (size_t k = 0; k < side->runs[i]->warning_count && error == 0; k++) {
            const char *text = side->runs[i]->warnings[k];

            if (text == NULL || seen_before(side, i, k, false))
                continue;
            fprintf(stderr, "benchtrack: warning: %s run", which);
            if (side->runs[i]->id)
                fprintf(stderr, " #%" PRId64, side->runs[i]->id);
            fputs(": ", stderr);
            cli_print_safe(stderr, text);
            fputc('\n', stderr);
            if (!seen_before(side, i, k, true))
                error = btk_buf_printf(&codes, "%s%.*s", codes.len ? ", " : "",
                                       (int)strcspn(text, ":"), text);
        }
    if (error == 0 && codes.len)
        error = btk_buf_printf(w, "%s%s runs recorded environment warnings: %s",
                               w->len ? "; " : "", which, btk_buf_cstr(&codes));
    btk_buf_free(&codes);
    return error;
}

/* A note of runtag.h about the two sides' runs ("different sample lengths: ...",
 * "different core states: ..."), appended to w when it says something. */
typedef int (*side_note_fn)(btk_buf *out, const btk_run *const *base, size_t base_count,
                            const btk_run *const *now, size_t now_count);
static int side_warning(btk_buf *w, side_note_fn note_fn, const cli_side *base,
                        const cli_side *now)
{
    btk_buf note = BTK_BUF_INIT;
    int error = note_fn(&note, (const btk_run *const *)base->runs, base->count,
                        (const btk_run *const *)now->runs, now->count);

    if (error == 0 && note.len)
        error = btk_buf_printf(w, "%s%s", w->len ? "; " : "", btk_buf_cstr(&note));
    btk_buf_free(&note);
    return error;
}

static int header_strings(btk_buf *b, btk_buf *n, btk_buf *m, btk_buf *w, const cli_side *base,
                          const cli_side *now)
{
    const btk_machine *mach = now->count ? &now->runs[0]->machine : NULL;
    int error;

    if ((error = describe(b, base)) < 0 || (error = describe(n, now)) < 0)
        return error;
    if (mach && (error = btk_buf_printf(m, "%s%s%s (%.12s)", mach->name ? mach->name : "",
                                        mach->name ? " on " : "",
                                        mach->hostname ? mach->hostname : "?",
                                        mach->fingerprint ? mach->fingerprint : "?")) < 0)
        return error;
    for (size_t i = 0; i < base->count; i++)
        if (mach && strcmp(run_fp(base->runs[i]), run_fp(now->runs[0])) != 0) {
            error = btk_buf_puts(w, "the two sides were measured on different machines: the "
                                    "differences may be the machines' and not the code's");
            break;
        }
    if (error == 0)
        error = build_warning(w, base, now);
    if (error == 0)
        error = side_warning(w, btk_runtag_sample_note, base, now);
    if (error == 0)
        error = side_warning(w, btk_runtag_core_note, base, now);
    if (error == 0)
        error = env_warnings(w, base, "base");
    return error ? error : env_warnings(w, now, "contender");
}

int cli_compare_and_print(int *status_out, const cli_side *base, const cli_side *now,
                          const btk_compare_options *opts, const cli_output *output)
{
    btk_format_kind kind = output->kind;
    const char *out_path = output->path, *title = output->title;
    btk_buf b = BTK_BUF_INIT, n = BTK_BUF_INIT, m = BTK_BUF_INIT, w = BTK_BUF_INIT;
    btk_buf text = BTK_BUF_INIT;
    btk_comparison *cmp = NULL;
    int error;

    error = btk_compare_runs(&cmp, (const btk_run *const *)base->runs, base->count,
                             (const btk_run *const *)now->runs, now->count, opts);
    if (error == 0)
        error = header_strings(&b, &n, &m, &w, base, now);
    if (error == 0 && output->confirm)
        error = cli_confirm_flagged(cmp, &n, base, now, output->confirm, opts);
    if (error == 0) {
        btk_format_header hdr = {title, btk_buf_cstr(&b), btk_buf_cstr(&n), btk_buf_cstr(&m),
                                 w.len ? btk_buf_cstr(&w) : NULL, opts->alpha};

        error = btk_format_comparison(&text, cmp, &hdr, kind,
                                      kind == BTK_FORMAT_TABLE && !out_path && cli_use_color());
    }
    if (error == 0)
        error = write_output(&text, out_path);
    if (error == 0)
        *status_out = btk_comparison_exit_code(cmp);
    btk_comparison_free(cmp);
    btk_buf_free(&b);
    btk_buf_free(&n);
    btk_buf_free(&m);
    btk_buf_free(&w);
    btk_buf_free(&text);
    return error;
}
