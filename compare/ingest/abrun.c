/*
 * benchtrack ab's runner: alternating fresh processes of the two binaries (ABAB...), so
 * slow drift of the machine hits both sides alike (Georges et al. 2007; Google Benchmark's
 * random interleaving). Children get an argv (posix_spawn, never a shell); their console
 * output goes to a log file in a private temporary directory, removed afterwards.
 */
#include "abrun.h"

#include "import.h"
#include "metric.h"

#include <fcntl.h>
#include <math.h>
#include <jansson.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---- merging ---- */

/* The summary of dst's pooled samples after a merge, so a stored ab run says what all its
 * processes measured (not what the first one did). Cycles keep the first process's
 * ticks-per-ns ratio; iterations add up; the core cycles (clock_ghz) are summarized again
 * over every process with a clock. */
static int resummarize(btk_result *dst, int64_t iterations)
{
    double ticks_per_ns = dst->cycles_median / dst->stats.median;
    size_t n = 0, at = 0;
    double *ns;
    int error;

    for (size_t i = 0; i < dst->proc_count; i++)
        n += dst->procs[i].count;
    if (n == 0)
        return 0;
    if ((ns = btk__malloc(n * sizeof(*ns))) == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < dst->proc_count; i++) {
        memcpy(ns + at, dst->procs[i].ns, dst->procs[i].count * sizeof(*ns));
        at += dst->procs[i].count;
    }
    error = btk_stats_summarize(&dst->stats, ns, n);
    btk__free(ns);
    dst->stats.iterations = iterations;
    dst->cycles_median = dst->stats.median * ticks_per_ns; /* NAN stays NAN */
    return error < 0 ? error : btk_result_summarize_cycles(dst);
}

/* Counting rounds: the merged count is exact only when every round counted exactly the
 * same (docs/statistics.md §10); the spread covers them all. */
static void merge_count(btk_result *dst, const btk_result *src)
{
    if (dst->count_repeat == BTK_COUNT_UNKNOWN || src->count_repeat == BTK_COUNT_UNKNOWN)
        return;
    if (src->count_repeat == BTK_COUNT_NONDETERMINISTIC ||
        src->stats.median != dst->stats.median)
        dst->count_repeat = BTK_COUNT_NONDETERMINISTIC;
    dst->count_spread_min = fmin(dst->count_spread_min, src->count_spread_min);
    dst->count_spread_max = fmax(dst->count_spread_max, src->count_spread_max);
}

static int merge_result(btk_result *dst, btk_result *src)
{
    btk_proc *procs;
    int64_t iterations;

    if (src->status != BTK_RESULT_OK && dst->status == BTK_RESULT_OK) {
        char *kind = src->error_kind, *msg = src->error_message;

        dst->status = src->status;
        src->error_kind = dst->error_kind;
        src->error_message = dst->error_message;
        dst->error_kind = kind;
        dst->error_message = msg;
    }
    if (src->proc_count == 0)
        return 0;
    merge_count(dst, src);
    procs = btk__realloc(dst->procs, (dst->proc_count + src->proc_count) * sizeof(*procs));
    if (procs == NULL)
        return BTK_ENOMEM;
    dst->procs = procs;
    for (size_t i = 0; i < src->proc_count; i++) {
        procs[dst->proc_count] = src->procs[i];
        procs[dst->proc_count].index = (int)dst->proc_count;
        dst->proc_count++;
    }
    src->proc_count = 0; /* the samples now belong to dst */
    if (src->memory.peak_rss_bytes > dst->memory.peak_rss_bytes)
        dst->memory.peak_rss_bytes = src->memory.peak_rss_bytes;
    iterations = dst->stats.iterations + src->stats.iterations;
    return resummarize(dst, iterations);
}

int btk_ab_merge(btk_run *dst, btk_run *src)
{
    for (size_t i = 0; i < src->result_count; i++) {
        btk_result *s = &src->results[i], *d;
        int error;

        if (s->name == NULL)
            continue;
        if ((d = (btk_result *)btk_run_find(dst, s->name)) != NULL) { /* dst is ours */
            if ((error = merge_result(d, s)) < 0)
                return error;
            continue;
        }
        d = btk__realloc(dst->results, (dst->result_count + 1) * sizeof(*d));
        if (d == NULL)
            return BTK_ENOMEM;
        dst->results = d;
        dst->results[dst->result_count++] = *s;
        memset(s, 0, sizeof(*s)); /* moved */
    }
    return 0;
}

int btk_ab_tag(btk_run *run, const char *side, unsigned rounds)
{
    json_t *options = NULL;
    char *text;

    if (run->options_json)
        options = json_loads(run->options_json, 0, NULL);
    if (!json_is_object(options)) {
        json_decref(options);
        options = json_object();
    }
    if (options == NULL || json_object_set_new(options, "source", json_string("ab")) ||
        json_object_set_new(options, "ab_side", json_string(side)) ||
        json_object_set_new(options, "processes", json_integer(rounds)) ||
        (text = json_dumps(options, JSON_COMPACT)) == NULL) {
        json_decref(options);
        return btk_error_set(BTK_ENOMEM, "out of memory");
    }
    json_decref(options);
    btk__free(run->options_json);
    run->options_json = btk__strdup(text);
    free(text);
    return run->options_json ? 0 : btk_error_set(BTK_ENOMEM, "out of memory");
}

/* ---- running ---- */

typedef struct ab_ctx {
    char dir[256];
    const btk_ab_options *opts;
    unsigned invocations;
} ab_ctx;

static int make_tmpdir(ab_ctx *ctx)
{
    const char *base = getenv("TMPDIR");

    snprintf(ctx->dir, sizeof(ctx->dir), "%s/benchtrack-ab.XXXXXX",
             base && *base && strlen(base) < 200 ? base : "/tmp");
    if (mkdtemp(ctx->dir) == NULL)
        return btk_error_set(BTK_EIO, "cannot create a temporary directory in '%s': %s",
                             base && *base ? "$TMPDIR" : "/tmp", strerror(errno));
    return 0;
}

static void remove_tmpdir(ab_ctx *ctx)
{
    char path[300];

    for (unsigned i = 0; i < ctx->invocations; i++) {
        snprintf(path, sizeof(path), "%s/%u.json", ctx->dir, i);
        unlink(path);
        snprintf(path, sizeof(path), "%s/%u.log", ctx->dir, i);
        unlink(path);
    }
    rmdir(ctx->dir);
}

/* True when the binaries' arguments choose a counting measure (--measure instructions or
 * perf-instructions). */
static bool counting_args(const btk_ab_options *o)
{
    for (size_t i = 0; i < o->arg_count; i++) {
        const char *a = o->args[i];
        const char *m = !strcmp(a, "--measure") && i + 1 < o->arg_count ? o->args[i + 1]
                        : !strncmp(a, "--measure=", 10)                 ? a + 10
                                                                        : NULL;

        if (m && strcmp(m, "time") != 0)
            return true;
    }
    return false;
}

/* Start bin with out_path and the extra args, output to log_path; wait; *status_out is
 * the wait status. */
static int spawn_wait(const char *bin, const char *out_path, const char *log_path,
                      const btk_ab_options *o, int *status_out)
{
    posix_spawn_file_actions_t fa;
    char **argv = btk__calloc(o->arg_count + 6, sizeof(char *));
    char quoted[200];
    pid_t pid;
    int rc;

    if (argv == NULL)
        return BTK_ENOMEM;
    argv[0] = (char *)bin;
    argv[1] = "--processes";
    argv[2] = counting_args(o) ? "2" : "1"; /* a count needs two processes to agree */
    argv[3] = "--out";
    argv[4] = (char *)out_path;
    for (size_t i = 0; i < o->arg_count; i++)
        argv[5 + i] = o->args[i];
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    rc = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    btk__free(argv);
    if (rc != 0)
        return btk_error_set(BTK_ECHILD, "cannot start '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), bin), strerror(rc));
    while (waitpid(pid, status_out, 0) < 0)
        if (errno != EINTR)
            return btk_error_set(BTK_EIO, "waitpid: %s", strerror(errno));
    return 0;
}

/* Copy the end of a failed child's output to stderr, so the user sees why. */
static void show_log(const char *log_path)
{
    char buf[2048];
    FILE *f = fopen(log_path, "r");
    size_t got;

    if (f == NULL)
        return;
    if (fseek(f, 0, SEEK_END) == 0 && ftell(f) > (long)sizeof(buf))
        fseek(f, -(long)sizeof(buf), SEEK_END);
    else
        rewind(f);
    got = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    fputs("benchtrack: output of the failed benchmark binary:\n", stderr);
    fwrite(buf, 1, got, stderr);
}

/* One invocation of bin; its results merged into *side (taken as is the first time). */
static int invoke(ab_ctx *ctx, const char *bin, btk_run **side)
{
    char out_path[300], log_path[300], quoted[200];
    unsigned n = ctx->invocations++;
    btk_run *run = NULL;
    int status = 0, error;

    snprintf(out_path, sizeof(out_path), "%s/%u.json", ctx->dir, n);
    snprintf(log_path, sizeof(log_path), "%s/%u.log", ctx->dir, n);
    if (ctx->opts->progress)
        fprintf(stderr, "benchtrack: ab round %u/%u: %s\n", n / 2 + 1, ctx->opts->rounds,
                btk_error_quote(quoted, sizeof(quoted), bin));
    if ((error = spawn_wait(bin, out_path, log_path, ctx->opts, &status)) < 0)
        return error;
    if (access(out_path, R_OK) != 0) {
        show_log(log_path);
        return btk_error_set(BTK_ECHILD, "'%s' wrote no results (%s %d)",
                             btk_error_quote(quoted, sizeof(quoted), bin),
                             WIFSIGNALED(status) ? "killed by signal" : "exit status",
                             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    if ((error = btk_import_file(&run, out_path)) < 0)
        return error;
    if (*side == NULL) {
        *side = run;
        return 0;
    }
    error = btk_ab_merge(*side, run);
    btk_run_free(run);
    return error;
}

static int check_binary(const char *bin)
{
    char quoted[200];

    if (access(bin, X_OK) != 0)
        return btk_error_set(BTK_ENOTFOUND, "cannot run benchmark binary '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), bin), strerror(errno));
    return 0;
}

int btk_ab_run(btk_run **old_out, btk_run **new_out, const char *old_bin,
               const char *new_bin, const btk_ab_options *opts)
{
    ab_ctx ctx = {"", opts, 0};
    int error;

    *old_out = *new_out = NULL;
    if (opts->rounds < 1)
        return btk_error_set(BTK_EINVAL, "ab needs at least one round");
    if ((error = check_binary(old_bin)) < 0 || (error = check_binary(new_bin)) < 0 ||
        (error = make_tmpdir(&ctx)) < 0)
        return error;
    for (unsigned r = 0; r < opts->rounds && error == 0; r++) {
        error = invoke(&ctx, old_bin, old_out);
        if (error == 0)
            error = invoke(&ctx, new_bin, new_out);
    }
    remove_tmpdir(&ctx);
    if (error < 0) {
        btk_run_free(*old_out);
        btk_run_free(*new_out);
        *old_out = *new_out = NULL;
    }
    return error;
}
