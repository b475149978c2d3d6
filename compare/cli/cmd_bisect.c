/*
 * benchtrack bisect GOOD BAD --bench NAME --build CMD --binary PATH: the first commit of
 * BAD's first-parent history after GOOD where NAME got slower. Each commit is built in a
 * private git worktree and decided by an interleaved A/B run against GOOD's binary, with
 * the statistics of `benchtrack ab`. docs/cli/bisect.md.
 */
#include "compare_cli.h"

#include "abrun.h"
#include "supervise.h"
#include "worktree.h"

#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct bisect_args {
    const char *good, *bad, *bench, *build, *binary, *on_failure, *db, *repo, *machine;
    long processes, timeout_ms;
    bool quiet;
    btk_compare_options opts;
    cli_opt_tail extra; /* arguments for the binaries */
} bisect_args;

static const cli_opt bisect_opts[] = {
    CLI_OPT_ARG("GOOD", bisect_args, good, CLI_OPT_REQUIRED, "a commit where NAME is fast"),
    CLI_OPT_ARG("BAD", bisect_args, bad, CLI_OPT_REQUIRED,
                "a later commit where NAME is slower"),
    CLI_OPT_STRING_EX("--bench", NULL, "NAME", bisect_args, bench,
                      CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY, "the benchmark (full name)"),
    CLI_OPT_STRING_EX("--build", NULL, "CMD", bisect_args, build,
                      CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY,
                      "build command, run by `sh -c` in the worktree's root"),
    CLI_OPT_STRING_EX("--binary", NULL, "PATH", bisect_args, binary,
                      CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY,
                      "the benchmark binary the build makes, relative to the root"),
    CLI_OPT_LONG("--processes", "K", bisect_args, processes, 1, 10000,
                 "rounds per step: processes per side (default 10)"),
    CLI_OPT_STRING("--on-failure", "slow|skip", bisect_args, on_failure,
                   "a commit whose benchmark fails or times out (default skip)"),
    CLI_OPT_LONG("--timeout", "MS", bisect_args, timeout_ms, 1, 86400000,
                 "passed to the binary: kill a benchmark process after MS"),
    CLI_OPT_DOUBLE("--alpha", "A", bisect_args, opts.alpha, 1e-9, 0.5,
                   "significance level of each step (default 0.05)"),
    CLI_OPT_DOUBLE("--noise-band", "X", bisect_args, opts.noise_band, 0, 0.99,
                   "changes within +-X are not slower (default 0.02)"),
    CLI_OPT_STRING_EX("--db", NULL, "PATH", bisect_args, db, CLI_OPT_NONEMPTY,
                      "store every measured run under its commit"),
    CLI_OPT_MACHINE_NAME(bisect_args, machine),
    CLI_OPT_STRING_EX("--repo", NULL, "DIR", bisect_args, repo, CLI_OPT_NONEMPTY,
                      "the repository (default: the current directory's)"),
    CLI_OPT_FLAG("--quiet", bisect_args, quiet, 0, "no progress lines on stderr"),
    CLI_OPT_TAIL("ARGS", bisect_args, extra, 0, "arguments for the benchmark binaries"),
    CLI_OPT_END,
};

static const cli_cmd bisect_cmd = {"bisect", bisect_opts};

typedef enum { UNTESTED = 0, GOOD, SLOW, SKIPPED } commit_state;

typedef struct bcommit {
    char sha[41];
    char *subject;
    commit_state state;
    char why[300]; /* for a skipped commit: why */
    bool nearer;   /* inconclusive, decided by the level its effect is nearer to */
} bcommit;

typedef struct bisect_ctx {
    const bisect_args *a;
    const char *root;      /* the repository's working directory */
    cli_private p;         /* private: worktree, binaries, logs */
    char good_bin[240];
    bcommit *c;            /* c[0] = GOOD ... c[n - 1] = BAD, first-parent order */
    size_t n;
    unsigned builds, steps, remeasured;
    double ratio, ci_low, ci_high; /* the culprit's evidence (its step) */
    double bad_ratio;              /* BAD's effect against GOOD, NAN until measured */
} bisect_ctx;

/* ---- the commits (in the parent, before the worker starts) ---- */

/* c[0] = GOOD ... c[n-1] = BAD along BAD's first parents; GOOD must be on them. */
static int load_commits(bisect_ctx *x, btk_git *git, const char *good, const char *bad)
{
    char (*shas)[41] = NULL, quoted[2][80];
    size_t count = 0, i, at;
    btk_commit info;
    int error;

    if ((error = btk_git_first_parent(&shas, &count, git, bad, 0)) < 0)
        return error;
    for (at = 0; at < count && strcmp(shas[at], good); at++)
        ;
    if (at == count || at == 0) {
        btk__free(shas);
        return btk_error_set(BTK_EINVAL,
                             at ? "GOOD '%s' is not on the first-parent history of BAD '%s'"
                                : "GOOD '%s' and BAD '%s' are the same commit",
                             btk_error_quote(quoted[0], sizeof(quoted[0]), x->a->good),
                             btk_error_quote(quoted[1], sizeof(quoted[1]), x->a->bad));
    }
    x->n = at + 1;
    if ((x->c = btk__calloc(x->n, sizeof(*x->c))) == NULL)
        error = BTK_ENOMEM;
    for (i = 0; error == 0 && i < x->n; i++) {
        memcpy(x->c[i].sha, shas[at - i], 41);
        memset(&info, 0, sizeof(info));
        if ((error = btk_git_commit_info(&info, git, x->c[i].sha)) == 0) {
            x->c[i].subject = info.subject;
            info.subject = NULL;
        }
        btk_commit_clear(&info);
    }
    btk__free(shas);
    return error;
}

/* ---- one commit: build it, measure it against GOOD ---- */

static void progress(const bisect_ctx *x, const char *fmt, const char *sha)
{
    if (!x->a->quiet)
        fprintf(stderr, fmt, sha);
}

/* Copy the built binary out of the worktree to dst (executable). */
static int copy_binary(const char *src, const char *dst)
{
    char buf[65536], quoted[200];
    FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
    size_t got;
    int error = in && out ? 0 : BTK_EIO;

    while (error == 0 && (got = fread(buf, 1, sizeof(buf), in)) > 0)
        if (fwrite(buf, 1, got, out) != got)
            error = BTK_EIO;
    if (in && ferror(in))
        error = BTK_EIO;
    if (out && fclose(out) != 0)
        error = BTK_EIO;
    if (in)
        fclose(in);
    if (error == 0 && chmod(dst, 0700) != 0)
        error = BTK_EIO;
    return error ? btk_error_set(error, "cannot copy the binary to '%s': %s",
                                 btk_error_quote(quoted, sizeof(quoted), dst),
                                 strerror(errno))
                 : 0;
}

/* Build commit i into bin. 1: built; 0: it does not build (c[i].why says so); < 0: git
 * or I/O failed. */
static int build(bisect_ctx *x, size_t i, const char *bin)
{
    char path[600], tail[120];
    struct stat st;
    int status = 0, error;

    progress(x, "benchtrack: bisect: building %.12s\n", x->c[i].sha);
    if ((error = btk_worktree_checkout(x->p.src, x->c[i].sha, x->p.log)) < 0)
        return error;
    if (truncate(x->p.build_log, 0) != 0 && errno != ENOENT)
        return btk_error_set(BTK_EIO, "cannot empty the build log: %s", strerror(errno));
    if ((error = btk_worktree_shell(&status, x->p.src, x->a->build, x->p.build_log)) < 0)
        return error;
    x->builds++;
    snprintf(path, sizeof(path), "%s/%s", x->p.src, x->a->binary);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        btk_worktree_log_tail(tail, sizeof(tail), x->p.build_log);
        snprintf(x->c[i].why, sizeof(x->c[i].why), "does not build (%s %d: %s)",
                 WIFEXITED(status) ? "exit status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                 tail[0] ? tail : "no output");
        return 0;
    }
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
        snprintf(x->c[i].why, sizeof(x->c[i].why),
                 "the build made no executable --binary");
        return 0;
    }
    return copy_binary(path, bin) < 0 ? BTK_EIO : 1;
}

/* The arguments for the binaries: --filter NAME (when NAME is no pattern), --timeout, and
 * the user's. *argv_out freed with btk__free. */
static int bench_args(char ***argv_out, size_t *count_out, const bisect_args *a,
                      char *timeout)
{
    size_t n = 0;
    char **v = btk__calloc(a->extra.count + 5, sizeof(*v));

    if ((*argv_out = v) == NULL)
        return BTK_ENOMEM;
    if (strpbrk(a->bench, "*?[],") == NULL)
        v[n++] = "--filter", v[n++] = (char *)a->bench;
    if (a->timeout_ms > 0) {
        v[n++] = "--timeout", v[n++] = timeout;
        snprintf(timeout, 24, "%ld", a->timeout_ms);
    }
    for (size_t i = 0; i < a->extra.count; i++)
        v[n++] = a->extra.v[i];
    *count_out = n;
    return 0;
}

/* Store a measured side under commit sha (--db). */
static int store(btk_run *run, const char *sha, const char *side, const bisect_ctx *x,
                 btk_git *git)
{
    int error;

    btk_commit_clear(&run->commit);
    memset(&run->commit, 0, sizeof(run->commit));
    if ((error = btk_ab_tag(run, side, (unsigned)x->a->processes)) < 0 ||
        (error = btk_git_commit_info(&run->commit, git, sha)) < 0)
        return error;
    return cli_store_run(run, x->a->db, git, x->a->machine);
}

/* The verdict for NAME of GOOD's runs against the candidate's (rounds: 1 or 2 A/B runs,
 * pooled by process); copied into *v (name and reason not kept). BTK_ENOTFOUND when
 * GOOD's run has no NAME. */
static int decide(btk_verdict *v, const bisect_ctx *x, btk_run *const *good,
                  btk_run *const *cand, size_t rounds)
{
    const btk_run *b[2] = {good[0], good[1]}, *c[2] = {cand[0], cand[1]};
    btk_comparison *cmp = NULL;
    char quoted[120];
    int error;

    if (btk_run_find(good[0], x->a->bench) == NULL)
        return btk_error_set(BTK_ENOTFOUND, "GOOD's binary has no benchmark '%s'",
                             btk_error_quote(quoted, sizeof(quoted), x->a->bench));
    if ((error = btk_compare_runs(&cmp, b, rounds, c, rounds, &x->a->opts)) < 0)
        return error;
    memset(v, 0, sizeof(*v));
    v->kind = BTK_VERDICT_MISSING;
    for (size_t i = 0; i < cmp->count; i++)
        if (!strcmp(cmp->items[i].name, x->a->bench)) {
            *v = cmp->items[i];
            v->name = NULL, v->reason = NULL;
        }
    btk_comparison_free(cmp);
    return 0;
}

/* A step's effect against GOOD for the nearer-level rule: the Hodges-Lehmann shift over
 * the processes when there is one, else the ratio of the medians. A benchmark whose
 * processes sit at two levels of their own (a core shared with a busy sibling, process by
 * process) moves a side's median with the level most of its processes took, so the ratio
 * of the medians of two sides of one build read +33 % in a CI run, past half of BAD's; the
 * shift, a median over every pair of processes, stays near the build's own change. */
static double effect(const btk_verdict *v)
{
    return v->shift > 0 && isfinite(v->shift) ? v->shift : v->ratio;
}

/* Print a step's line: the commit, what was decided, and the effect with its CI. */
static void print_step(const bisect_ctx *x, size_t i, const btk_verdict *v)
{
    printf("step %-2u %.12s  ", x->steps, x->c[i].sha);
    if (x->c[i].state == SKIPPED)
        printf("skipped: %s", x->c[i].why);
    else
        printf("%-6s %+.1f %% [95%% CI %+.1f %%, %+.1f %%] %s, p %.2g",
               x->c[i].state == SLOW ? "slower" : "good", (v->ratio - 1) * 100,
               (v->ci_low - 1) * 100, (v->ci_high - 1) * 100, btk_verdict_name(v->kind),
               v->p_value);
    if (x->c[i].nearer)
        printf(", nearer %s's level (shift %+.1f %%)", x->c[i].state == SLOW ? "BAD" : "GOOD",
               (effect(v) - 1) * 100);
    printf("  ");
    cli_print_safe(stdout, x->c[i].subject ? x->c[i].subject : "");
    printf("\n");
    fflush(stdout);
}

/* One interleaved A/B run of GOOD's binary against bin into good and cand, decided on
 * every round so far (*rounds + 1), and stored with --db. A failing candidate sets
 * v->kind BTK_VERDICT_FAILED and c[i].why. */
static int measure(btk_verdict *v, bisect_ctx *x, size_t i, const char *bin,
                   btk_run **good, btk_run **cand, size_t *rounds, btk_git *git)
{
    btk_ab_options ab = {(unsigned)x->a->processes, NULL, 0, !x->a->quiet};
    char timeout[24];
    size_t r = *rounds;
    int error;

    if ((error = bench_args((char ***)&ab.args, &ab.arg_count, x->a, timeout)) < 0)
        return error;
    error = btk_ab_run(&good[r], &cand[r], x->good_bin, bin, &ab);
    btk__free((void *)ab.args);
    if (error == BTK_ECHILD && strstr(btk_error_last()->message, bin)) {
        snprintf(x->c[i].why, sizeof(x->c[i].why), "the benchmark failed (%.200s)",
                 btk_error_last()->message);
        btk_error_clear();
        v->kind = BTK_VERDICT_FAILED;
        return 0;
    }
    if (error < 0)
        return error;
    *rounds = r + 1;
    if ((error = decide(v, x, good, cand, r + 1)) == 0 && x->a->db &&
        (error = store(good[r], x->c[0].sha, "base", x, git)) == 0)
        error = store(cand[r], x->c[i].sha, "contender", x, git);
    return error;
}

/* Build and measure commit i against GOOD; set c[i].state. An inconclusive step is
 * measured once more (another K rounds) and decided on both, so that one disturbed
 * process under load does not decide a step by itself. */
static int test_commit(bisect_ctx *x, size_t i, btk_git *git)
{
    btk_run *good[2] = {NULL, NULL}, *cand[2] = {NULL, NULL};
    size_t rounds = 0;
    char bin[300];
    btk_verdict v;
    int error;

    memset(&v, 0, sizeof(v));
    snprintf(bin, sizeof(bin), "%s/bin-%zu", x->p.dir, i);
    x->steps++;
    if ((error = build(x, i, bin)) <= 0) {
        x->c[i].state = SKIPPED;
        if (error == 0)
            print_step(x, i, &v);
        return error;
    }
    error = measure(&v, x, i, bin, good, cand, &rounds, git);
    if (error == 0 && rounds == 1 && v.kind == BTK_VERDICT_INCONCLUSIVE) {
        progress(x, "benchtrack: bisect: %.12s inconclusive, measuring it once more\n",
                 x->c[i].sha);
        x->remeasured++;
        error = measure(&v, x, i, bin, good, cand, &rounds, git);
    }
    for (size_t r = 0; r < 2; r++)
        btk_run_free(good[r]), btk_run_free(cand[r]);
    if (error < 0)
        return error;
    if (v.kind == BTK_VERDICT_FAILED || v.kind == BTK_VERDICT_MISSING) {
        if (x->c[i].why[0] == '\0')
            snprintf(x->c[i].why, sizeof(x->c[i].why), "the benchmark %s",
                     v.kind == BTK_VERDICT_FAILED ? "failed or timed out" : "is missing");
        x->c[i].state = strcmp(x->a->on_failure, "slow") ? SKIPPED : SLOW;
        v.ratio = v.ci_low = v.ci_high = NAN;
    } else if (v.kind == BTK_VERDICT_INCONCLUSIVE && isfinite(x->bad_ratio)) {
        /* Still inconclusive after 2K rounds: both levels are known by now (GOOD's, and
         * BAD's from the first step), so the commit takes the level its effect is nearer
         * to, on the log scale (docs/cli/bisect.md). Calling it good would blame a later
         * commit whenever a slow step is measured under load. */
        x->c[i].state = btk_verdict_nearer_bad(effect(&v), x->bad_ratio) ? SLOW : GOOD;
        x->c[i].nearer = true;
    } else {
        x->c[i].state = v.kind == BTK_VERDICT_REGRESSED ? SLOW : GOOD;
    }
    if (i == x->n - 1 && x->c[i].state == SLOW)
        x->bad_ratio = effect(&v);
    if (x->c[i].state == SLOW)
        x->ratio = v.ratio, x->ci_low = v.ci_low, x->ci_high = v.ci_high;
    print_step(x, i, &v);
    return 0;
}

/* ---- the bisection (in the worker process) ---- */

/* The untested commit in (lo, hi) nearest to their middle, or 0 when none is left (the
 * way `git bisect skip` moves to a neighbour of a commit that cannot be tested). */
static size_t next_commit(const bisect_ctx *x, size_t lo, size_t hi)
{
    size_t mid = lo + (hi - lo) / 2;

    for (size_t d = 0; d < hi - lo; d++) {
        if (mid - d > lo && x->c[mid - d].state == UNTESTED)
            return mid - d;
        if (mid + d < hi && x->c[mid + d].state == UNTESTED)
            return mid + d;
    }
    return 0;
}

/* Print the culprit (or the range the skipped commits leave) and the builds needed. */
static void print_result(const bisect_ctx *x, size_t lo, size_t hi)
{
    size_t i, skipped = 0;

    if (hi == lo + 1) {
        printf("culprit: %s  ", x->c[hi].sha);
        cli_print_safe(stdout, x->c[hi].subject ? x->c[hi].subject : "");
        printf("\n  %s against GOOD %.12s: %+.1f %% [95%% CI %+.1f %%, %+.1f %%]\n",
               x->a->bench, x->c[0].sha, (x->ratio - 1) * 100, (x->ci_low - 1) * 100,
               (x->ci_high - 1) * 100);
    } else {
        printf("only skipped commits are left: the first slower commit is one of\n");
        for (i = lo + 1; i <= hi; i++)
            printf("  %s\n", x->c[i].sha);
    }
    for (i = 0; i < x->n; i++)
        skipped += x->c[i].state == SKIPPED;
    printf("builds: %u; steps: %u; skipped: %zu; measured twice: %u\n", x->builds, x->steps,
           skipped, x->remeasured);
    for (i = 0; i < x->n; i++)
        if (x->c[i].state == SKIPPED)
            printf("skipped: %.12s %s\n", x->c[i].sha, x->c[i].why);
}

/* The worker: worktree, GOOD's build, BAD's confirmation, then bisection. Returns an
 * exit status. */
static int work(void *payload)
{
    bisect_ctx *x = payload;
    btk_git *git = NULL;
    size_t lo = 0, hi = x->n - 1, i;
    int error;

    if ((error = btk_git_open(&git, x->root)) < 0 ||
        (error = btk_worktree_add(x->root, x->p.src, x->c[0].sha, x->p.log)) < 0)
        goto done;
    printf("bisect: %s from GOOD %.12s to BAD %.12s: %zu commits, %ld processes per side "
           "per step\n",
           x->a->bench, x->c[0].sha, x->c[hi].sha, x->n - 1, x->a->processes);
    x->c[0].state = GOOD;
    if ((error = build(x, 0, x->good_bin)) == 0)
        error = btk_error_set(BTK_ECHILD, "GOOD %.12s: %s", x->c[0].sha, x->c[0].why);
    if (error < 0 || (error = test_commit(x, hi, git)) < 0)
        goto done;
    if (x->c[hi].state != SLOW) {
        error = btk_error_set(BTK_EINVAL,
                              x->c[hi].state == SKIPPED
                                  ? "BAD %.12s cannot be measured: nothing to bisect"
                                  : "BAD %.12s is not slower than GOOD: nothing to bisect",
                              x->c[hi].sha);
        goto done;
    }
    while ((i = next_commit(x, lo, hi)) != 0 && (error = test_commit(x, i, git)) == 0) {
        if (x->c[i].state == SLOW)
            hi = i;
        else if (x->c[i].state == GOOD)
            lo = i;
    }
    if (error == 0)
        print_result(x, lo, hi);
done:
    btk_git_close(git);
    return error < 0 ? cli_fail() : CLI_EXIT_OK;
}

/* ---- the command ---- */

static int check_args(const bisect_args *a)
{
    const char *name;
    char quoted[80];

    if (strcmp(a->on_failure, "slow") && strcmp(a->on_failure, "skip"))
        return btk_error_set(BTK_EINVAL, "--on-failure must be 'slow' or 'skip', not '%s'",
                             btk_error_quote(quoted, sizeof(quoted), a->on_failure));
    if (a->binary[0] == '/' || strstr(a->binary, ".."))
        return btk_error_set(BTK_EINVAL, "--binary '%s' must be a path inside the "
                                         "repository (relative, no '..')",
                             btk_error_quote(quoted, sizeof(quoted), a->binary));
    if (a->machine && a->db == NULL)
        return btk_error_set(BTK_EINVAL, "--machine only applies when storing: add --db PATH");
    return a->db ? cli_machine_name(&name, a->machine) : 0;
}

/* Resolve GOOD and BAD, list the commits, make the private directory, supervise. */
static int bisect_main(const bisect_args *a)
{
    char good[41], bad[41];
    btk_git *git = NULL;
    bisect_ctx x;
    int status;

    memset(&x, 0, sizeof(x));
    x.a = a;
    x.bad_ratio = NAN;
    if (btk_git_open(&git, a->repo) < 0 || btk_git_resolve(good, git, a->good) < 0 ||
        btk_git_resolve(bad, git, a->bad) < 0 || load_commits(&x, git, good, bad) < 0) {
        status = cli_fail();
        goto done;
    }
    if ((x.root = btk_git_workdir(git)) == NULL) {
        status = cli_die(CLI_EXIT_USAGE, "bisect needs a repository with a working "
                                         "directory");
        goto done;
    }
    if (cli_private_make(&x.p, "bisect") < 0) {
        status = cli_fail();
        goto done;
    }
    snprintf(x.good_bin, sizeof(x.good_bin), "%s/bin-good", x.p.dir);
    status = cli_supervise(&x.p, x.root, "bisect", work, &x);
done:
    for (size_t i = 0; x.c && i < x.n; i++)
        btk__free(x.c[i].subject);
    btk__free(x.c);
    btk_git_close(git);
    return status;
}

int cmd_bisect(int argc, char **argv)
{
    bisect_args a = {0};
    int status;

    a.processes = 10;
    a.on_failure = "skip";
    a.opts = (btk_compare_options)BTK_COMPARE_OPTIONS_INIT;
    if (!cli_parse_args(&status, &a, &bisect_cmd, argc, argv))
        return status;
    if (check_args(&a) < 0)
        return cli_usage_fail(&bisect_cmd);
    return bisect_main(&a);
}
