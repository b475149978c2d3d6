/*
 * benchtrack run --commits A..B --build CMD --binary PATH [--every N] [--passes N]
 * [--order random|oldest] [-- ARGS]: record every commit after A up to B along B's first
 * parents, each built in a private git worktree (never the user's checkout) and run as
 * `benchtrack run` runs a binary. With --passes N the range is walked N times, one run of
 * each commit per walk, so that a commit's runs are spread over the whole recording. Each
 * walk visits the commits in an order shuffled anew (--order oldest: oldest first), so
 * that a machine state lasting seconds falls on scattered commits, not on a stretch of
 * neighbours that would look like a change of level (docs/statistics.md §9). Commits
 * already recorded on this machine with the same build (as many times as the pass needs)
 * are skipped, so a rerun after an interruption continues where it stopped; a commit that
 * does not build is reported and skipped. docs/cli/run.md, "Recording a range".
 */
#include "run_commits.h"

#include "machine.h"
#include "significance.h"
#include "supervise.h"
#include "worktree.h"

#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct range_ctx {
    const cli_run_args *a;
    const char *root; /* the repository's working directory */
    cli_private p;
    char (*shas)[41]; /* the selected commits, oldest first */
    size_t n;
    char *fp; /* this machine's fingerprint */
    char processes[24];
    bool have_worktree;
    long pass;           /* the walk under way, 1 to a->passes */
    size_t *order;       /* the walk's order: commit indices (x->n) */
    size_t step;         /* the position in the walk under way */
    btk_rng rng;         /* shuffles each walk (--order random) */
    bool oldest;         /* --order oldest: every walk oldest first */
    unsigned char *done; /* per commit: did not build or failed, not tried again */
    unsigned recorded, already, unbuilt, failed;
} range_ctx;

int cli_run_check_commits(const cli_run_args *a)
{
    char quoted[200];

    if (a->commits == NULL)
        return btk_error_set(BTK_EINVAL, "--build, --binary, --every, --passes, --order and "
                                         "--quiet go with --commits A..B");
    if (a->build == NULL || a->binary == NULL)
        return btk_error_set(BTK_EINVAL, "--commits needs --build CMD and --binary PATH");
    if (a->rec.commit || a->rec.allow_unknown)
        return btk_error_set(BTK_EINVAL,
                             "--commits records the range's own commits: "
                             "--commit and --allow-unknown-commit do not apply");
    if (a->order && strcmp(a->order, "random") != 0 && strcmp(a->order, "oldest") != 0)
        return btk_error_set(BTK_EINVAL, "--order '%s': expected random or oldest",
                             btk_error_quote(quoted, sizeof(quoted), a->order));
    if (strstr(a->commits, "..") == NULL || strstr(a->commits, "...") ||
        a->commits[0] == '.' || a->commits[strlen(a->commits) - 1] == '.')
        return btk_error_set(BTK_EINVAL, "--commits '%s': expected A..B",
                             btk_error_quote(quoted, sizeof(quoted), a->commits));
    if (a->binary[0] == '/' || strstr(a->binary, ".."))
        return btk_error_set(BTK_EINVAL,
                             "--binary '%s' must be a path inside the "
                             "repository (relative, no '..')",
                             btk_error_quote(quoted, sizeof(quoted), a->binary));
    return 0;
}

/* ---- the range (in the parent) ---- */

/* The commits after A up to B along B's first parents, oldest first; with --every N only
 * B and every N-th commit before it. */
static int load_range(range_ctx *x, btk_git *git)
{
    const char *dots = strstr(x->a->commits, "..");
    char a_ref[256], a_sha[41], quoted[2][80], (*newest)[41] = NULL;
    size_t count = 0, at, i, k = 0;
    int error;

    snprintf(a_ref, sizeof(a_ref), "%.*s", (int)(dots - x->a->commits), x->a->commits);
    if ((error = btk_git_resolve(a_sha, git, a_ref)) < 0 ||
        (error = btk_git_first_parent(&newest, &count, git, dots + 2, 0)) < 0)
        return error;
    for (at = 0; at < count && strcmp(newest[at], a_sha); at++)
        ;
    if (at == count || at == 0) {
        btk__free(newest);
        return btk_error_set(
            BTK_EINVAL,
            at ? "--commits: '%s' is not on the first-parent history of '%s'"
               : "--commits: '%s' and '%s' are the same commit: no range",
            btk_error_quote(quoted[0], sizeof(quoted[0]), a_ref),
            btk_error_quote(quoted[1], sizeof(quoted[1]), dots + 2));
    }
    if ((x->shas = btk__calloc(at, sizeof(*x->shas))) == NULL) {
        btk__free(newest);
        return BTK_ENOMEM;
    }
    for (i = at; i-- > 0;) /* newest[at - 1] is the oldest after A */
        if (i % (size_t)x->a->every == 0)
            memcpy(x->shas[k++], newest[i], 41);
    x->n = k;
    btk__free(newest);
    return 0;
}

/* ---- one commit (in the worker) ---- */

/* A progress line about commit i, the x->step-th (from 0) of this walk. */
static void progress(const range_ctx *x, size_t i, const char *what, const char *detail)
{
    if (x->a->quiet)
        return;
    if (x->a->passes > 1)
        fprintf(stderr, "benchtrack: run --commits: [%zu/%zu, pass %ld/%ld] %.12s %s",
                x->step + 1, x->n, x->pass, x->a->passes, x->shas[i], what);
    else
        fprintf(stderr, "benchtrack: run --commits: [%zu/%zu] %.12s %s", x->step + 1, x->n,
                x->shas[i], what);
    if (detail) {
        fputs(": ", stderr);
        cli_print_safe(stderr, detail);
    }
    fputc('\n', stderr);
}

/* How many clean runs commit sha has on this machine recorded with the same build. */
static int count_recorded(size_t *out, const range_ctx *x, const char *sha, btk_git *git)
{
    btk_store *db = NULL;
    int64_t *ids = NULL;
    size_t count = 0;
    btk_run *run = NULL;
    int error;

    *out = 0;
    if ((error = cli_open_store(&db, x->a->db, git, false)) < 0 ||
        (error = btk_store_runs_for_commit(&ids, &count, db, sha, x->fp)) < 0)
        goto done;
    for (size_t i = 0; i < count && error == 0; i++)
        if ((error = btk_store_load_run(&run, db, ids[i], false)) == 0) {
            *out += !run->commit.dirty &&
                    btk_runtag_has_build(run, x->a->build, x->a->binary);
            btk_run_free(run);
        }
done:
    btk__free(ids);
    btk_store_close(db);
    return error;
}

/* Check out and build commit i. 1: built; 0: it does not build (reported); < 0: git or
 * I/O failed. */
static int build(range_ctx *x, size_t i)
{
    char path[600], tail[160], why[300];
    struct stat st;
    int status = 0, error;

    if (!x->have_worktree) {
        if ((error = btk_worktree_add(x->root, x->p.src, x->shas[i], x->p.log)) < 0)
            return error;
        x->have_worktree = true;
    } else if ((error = btk_worktree_checkout(x->p.src, x->shas[i], x->p.log)) < 0) {
        return error;
    }
    if (truncate(x->p.build_log, 0) != 0 && errno != ENOENT)
        return btk_error_set(BTK_EIO, "cannot empty the build log: %s", strerror(errno));
    progress(x, i, "building", NULL);
    if ((error = btk_worktree_shell(&status, x->p.src, x->a->build, x->p.build_log)) < 0)
        return error;
    snprintf(path, sizeof(path), "%s/%s", x->p.src, x->a->binary);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        btk_worktree_log_tail(tail, sizeof(tail), x->p.build_log);
        snprintf(why, sizeof(why), "%s %d: %s",
                 WIFEXITED(status) ? "exit status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                 tail[0] ? tail : "no output");
        progress(x, i, "does not build, skipped", why);
        return 0;
    }
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
        progress(x, i, "does not build, skipped",
                 "the build made no executable --binary");
        return 0;
    }
    return 1;
}

/* Run the built binary of commit i and store its run. Returns run's exit status. */
static int measure(range_ctx *x, size_t i, btk_git *git)
{
    char **args = btk__calloc(x->a->bin.count + 2, sizeof(*args)), bin[600];
    cli_run_tmp t = {"", "", -1};
    btk_commit commit;
    int status, child;

    memset(&commit, 0, sizeof(commit));
    if (args == NULL)
        return cli_fail();
    snprintf(bin, sizeof(bin), "%s/%s", x->p.src, x->a->binary);
    args[0] = bin;
    for (size_t k = 0; k < x->a->bin.count; k++)
        args[k + 1] = x->a->bin.v[k];
    if (btk_git_commit_info(&commit, git, x->shas[i]) < 0 ||
        (x->a->rec.branch && (commit.branch = btk__strdup(x->a->rec.branch)) == NULL) ||
        cli_run_tmp_create(&t) < 0) {
        status = cli_fail();
        goto done;
    }
    progress(x, i, "running", NULL);
    child = cli_run_binary(args, (int)x->a->bin.count + 1, t.json, x->processes);
    status = cli_run_finish(child, &t, &commit, x->a, git);
done:
    cli_run_tmp_remove(&t);
    btk_commit_clear(&commit);
    btk__free(args);
    return status;
}

/* One commit in the current pass: skip it when it has that pass's run already (or did
 * not build or failed in an earlier pass), else build, run and store it. < 0: stop. */
static int one_commit(range_ctx *x, size_t i, btk_git *git)
{
    size_t have = 0;
    int error, status;

    if (x->done[i])
        return 0;
    if ((error = count_recorded(&have, x, x->shas[i], git)) < 0)
        return error;
    if (have >= (size_t)x->pass) {
        x->already++;
        progress(x, i, "already recorded, skipped", NULL);
        return 0;
    }
    if ((error = build(x, i)) <= 0) {
        x->unbuilt += error == 0;
        x->done[i] = error == 0;
        return error;
    }
    status = measure(x, i, git);
    if (status == CLI_EXIT_OK) {
        x->recorded++;
    } else {
        x->failed++;
        x->done[i] = 1;
    }
    return 0;
}

/* The order of the next walk: oldest first, or a uniform shuffle (Fisher-Yates), drawn
 * anew for each walk. */
static void walk_order(range_ctx *x)
{
    for (size_t i = 0; i < x->n; i++)
        x->order[i] = i;
    if (x->oldest)
        return;
    for (size_t i = x->n; i > 1; i--) {
        size_t j = btk_rng_below(&x->rng, i), t = x->order[i - 1];

        x->order[i - 1] = x->order[j];
        x->order[j] = t;
    }
}

/* A seed for the walks' shuffles: getrandom, else the time and the process id. */
static uint64_t walk_seed(void)
{
    uint64_t seed;

    if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed)) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        seed = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
               (uint64_t)getpid() << 32;
    }
    return seed;
}

/* The worker: every selected commit in turn, in each pass, then the summary. Returns an
 * exit status. */
static int work(void *payload)
{
    range_ctx *x = payload;
    btk_git *git = NULL;
    int error;

    if ((error = btk_git_open(&git, x->root)) < 0)
        return cli_fail();
    for (x->pass = 1; x->pass <= x->a->passes && error == 0; x->pass++) {
        walk_order(x);
        for (x->step = 0; x->step < x->n && error == 0; x->step++)
            error = one_commit(x, x->order[x->step], git);
    }
    btk_git_close(git);
    if (error < 0)
        return cli_fail();
    if (x->a->passes > 1)
        printf("run --commits: %zu commit(s), %ld passes: %u run(s) recorded, %u already "
               "recorded, %u commit(s) did not build, %u failed\n",
               x->n, x->a->passes, x->recorded, x->already, x->unbuilt, x->failed);
    else
        printf("run --commits: %zu commit(s): %u recorded, %u already recorded, %u did "
               "not build, %u failed\n",
               x->n, x->recorded, x->already, x->unbuilt, x->failed);
    return x->unbuilt || x->failed ? CLI_EXIT_RUNTIME : CLI_EXIT_OK;
}

/* ---- the command ---- */

/* This machine's fingerprint (the one a run made here is stored under: its class name's
 * when --machine or BENCHTRACK_MACHINE names one). */
static int this_machine(range_ctx *x, const char *machine)
{
    btk_machine here;
    const char *name;
    int error;

    if ((error = cli_machine_name(&name, machine)) < 0 ||
        (error = btk_machine_detect(&here)) < 0)
        return error;
    if ((error = btk_machine_set_name(&here, name)) < 0) {
        btk_machine_clear(&here);
        return error;
    }
    x->fp = here.fingerprint ? btk__strdup(here.fingerprint) : NULL;
    btk_machine_clear(&here);
    return x->fp ? 0 : btk_error_set(BTK_ENOMEM, "out of memory");
}

int cli_run_commits(const cli_run_args *a)
{
    btk_git *git = NULL;
    btk_store *db = NULL;
    range_ctx x;
    int status;

    memset(&x, 0, sizeof(x));
    x.a = a;
    snprintf(x.processes, sizeof(x.processes), "%ld", a->processes);
    if (btk_git_open(&git, a->rec.repo) < 0 || load_range(&x, git) < 0 ||
        this_machine(&x, a->rec.machine) < 0 || cli_open_store(&db, a->db, git, false) < 0) {
        status = cli_fail();
        goto done;
    }
    btk_store_close(db); /* checked before any build: schema, permissions */
    db = NULL;
    if ((x.root = btk_git_workdir(git)) == NULL) {
        status =
            cli_die(CLI_EXIT_USAGE, "run --commits needs a repository with a working "
                                    "directory");
        goto done;
    }
    if ((x.done = btk__calloc(x.n ? x.n : 1, 1)) == NULL ||
        (x.order = btk__calloc(x.n ? x.n : 1, sizeof(*x.order))) == NULL) {
        btk_error_set(BTK_ENOMEM, "out of memory");
        status = cli_fail();
        goto done;
    }
    btk_rng_seed(&x.rng, walk_seed());
    x.oldest = a->order && !strcmp(a->order, "oldest");
    const char *order = x.oldest ? "oldest first" : "in random order";
    if (!a->quiet && a->passes > 1)
        fprintf(stderr, "benchtrack: run --commits: %zu commit(s), %s, %ld passes\n", x.n,
                order, a->passes);
    else if (!a->quiet)
        fprintf(stderr, "benchtrack: run --commits: %zu commit(s), %s\n", x.n, order);
    if (cli_private_make(&x.p, "run") < 0) {
        status = cli_fail();
        goto done;
    }
    status = cli_supervise(&x.p, x.root, "run --commits", work, &x);
done:
    btk__free(x.shas);
    btk__free(x.done);
    btk__free(x.order);
    btk__free(x.fp);
    btk_store_close(db);
    btk_git_close(git);
    return status;
}
