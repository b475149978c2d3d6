/*
 * benchtrack ab's runner: alternating fresh processes of the two binaries, so drift of the
 * machine hits both sides alike (Georges et al. 2007; Google Benchmark's random
 * interleaving). Each round starts one invocation of each binary; when both speak the
 * step protocol (harness/step.h) they are stepped so that their processes of one
 * benchmark run one right after the other, which one first alternating, instead of one
 * whole suite after the other (docs/cli/ab.md: a disturbance of a second or two then hits
 * both sides of a benchmark, not one). Children get an argv (posix_spawn, never a shell);
 * their console output goes to a log file in a private temporary directory, removed
 * afterwards.
 */
#include "abrun.h"

#include "import.h"
#include "metric.h"

#include <fcntl.h>
#include <math.h>
#include <jansson.h>
#include <spawn.h>
#include <sys/socket.h>
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
    /* No process is set aside here (docs/timer.md#shared-core): the interleaved sides see
     * the core's states alike, and with few processes a side the units it would cost turn
     * a real slowdown inconclusive (ci.gate.slower: 5 a side, 3 vs 4 left, +41 %). */
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

/* One invocation of one binary. Under the step protocol (harness/step.h) fd is our end of
 * its socket, names its instances in run order, pending the instance it announced
 * (NO_STEP when it said "done" or went away). */
#define NO_STEP ((size_t)-1)

typedef struct ab_side {
    const char *bin;
    btk_run **run; /* the side's merged results */
    char out_path[300], log_path[300];
    pid_t pid;
    int fd;
    char **names;
    size_t name_count, pending;
    char line[1024];
    size_t line_len;
} ab_side;

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

/* Start bin with argv (output to log_path; step_fd, when >= 0, becomes its fd 3). */
static int spawn(pid_t *pid_out, const char *bin, char **argv, const char *log_path,
                 int step_fd)
{
    posix_spawn_file_actions_t fa;
    char quoted[200];
    int rc;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (step_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, step_fd, 3);
    rc = posix_spawn(pid_out, bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return btk_error_set(BTK_ECHILD, "cannot start '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), bin), strerror(rc));
    return 0;
}

static int wait_child(pid_t pid, int *status_out)
{
    while (waitpid(pid, status_out, 0) < 0)
        if (errno != EINTR)
            return btk_error_set(BTK_EIO, "waitpid: %s", strerror(errno));
    return 0;
}

/* Does bin take --step-fd? Its --help says so (output to log_path). A binary built with a
 * benchtrack before the step protocol does not, and is run in whole invocations. */
static bool takes_step_fd(const char *bin, const char *log_path)
{
    char *argv[] = {(char *)bin, "--help", NULL}, buf[8192];
    bool found = false;
    int status = 0;
    pid_t pid;
    FILE *f;

    if (spawn(&pid, bin, argv, log_path, -1) < 0 || wait_child(pid, &status) < 0) {
        btk_error_clear();
        return false;
    }
    if ((f = fopen(log_path, "r")) != NULL) {
        size_t got = fread(buf, 1, sizeof(buf) - 1, f);

        buf[got] = '\0';
        found = strstr(buf, "--step-fd N") != NULL;
        fclose(f);
    }
    unlink(log_path);
    return found && WIFEXITED(status) && WEXITSTATUS(status) == 0;
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

/* Start one invocation of side->bin; stepped when step (its socket is side->fd). */
static int start(ab_ctx *ctx, ab_side *side, bool step)
{
    const btk_ab_options *o = ctx->opts;
    char **argv = btk__calloc(o->arg_count + 8, sizeof(char *)), quoted[200];
    unsigned n = ctx->invocations++;
    int sv[2] = {-1, -1}, error, a = 0;

    if (argv == NULL)
        return BTK_ENOMEM;
    snprintf(side->out_path, sizeof(side->out_path), "%s/%u.json", ctx->dir, n);
    snprintf(side->log_path, sizeof(side->log_path), "%s/%u.log", ctx->dir, n);
    if (o->progress)
        fprintf(stderr, "benchtrack: ab round %u/%u: %s\n", n / 2 + 1, o->rounds,
                btk_error_quote(quoted, sizeof(quoted), side->bin));
    argv[a++] = (char *)side->bin;
    argv[a++] = "--processes";
    argv[a++] = counting_args(o) ? "2" : "1"; /* a count needs two processes to agree */
    argv[a++] = "--out";
    argv[a++] = side->out_path;
    if (step) {
        argv[a++] = "--step-fd";
        argv[a++] = "3";
    }
    for (size_t i = 0; i < o->arg_count; i++)
        argv[a++] = o->args[i];
    if (step && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        btk__free(argv);
        return btk_error_set(BTK_EIO, "socketpair: %s", strerror(errno));
    }
    if (sv[1] == 3) { /* dup2(3, 3) would keep close-on-exec */
        int moved = fcntl(sv[1], F_DUPFD_CLOEXEC, 4);

        close(sv[1]);
        sv[1] = moved;
        if (moved < 0) {
            close(sv[0]);
            btk__free(argv);
            return btk_error_set(BTK_EIO, "fcntl: %s", strerror(errno));
        }
    }
    error = spawn(&side->pid, side->bin, argv, side->log_path, sv[1]);
    btk__free(argv);
    if (sv[1] >= 0)
        close(sv[1]);
    if (error < 0 && sv[0] >= 0) {
        close(sv[0]);
        sv[0] = -1;
    }
    side->fd = sv[0];
    side->pending = NO_STEP;
    side->line_len = 0;
    return error;
}

/* Wait for side's invocation and merge its results into *side->run; when abandon (the
 * round already failed), only wait for it. */
static int finish(ab_side *side, bool abandon)
{
    char quoted[200];
    btk_run *run = NULL;
    int status = 0, error;

    if (side->fd >= 0) {
        close(side->fd); /* a binary still waiting for "go" stops */
        side->fd = -1;
    }
    if ((error = wait_child(side->pid, &status)) < 0 || abandon)
        return error;
    if (access(side->out_path, R_OK) != 0) {
        show_log(side->log_path);
        return btk_error_set(BTK_ECHILD, "'%s' wrote no results (%s %d)",
                             btk_error_quote(quoted, sizeof(quoted), side->bin),
                             WIFSIGNALED(status) ? "killed by signal" : "exit status",
                             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    if ((error = btk_import_file(&run, side->out_path)) < 0)
        return error;
    if (*side->run == NULL) {
        *side->run = run;
        return 0;
    }
    error = btk_ab_merge(*side->run, run);
    btk_run_free(run);
    return error;
}

/* ---- the step protocol's controller side (harness/step.h) ---- */

static int broke_protocol(const ab_side *side)
{
    char quoted[200];

    return btk_error_set(BTK_EFORMAT, "'%s' broke the step protocol (--step-fd)",
                         btk_error_quote(quoted, sizeof(quoted), side->bin));
}

/* Read one line from side into side->line (NUL-terminated, without '\n'). 1: a line;
 * 0: end of file (the binary ended or crashed; finish() says which); < 0: an error. */
static int read_line(ab_side *side)
{
    char *nl;

    for (;;) {
        if ((nl = memchr(side->line, '\n', side->line_len)) != NULL) {
            *nl = '\0';
            return 1;
        }
        if (side->line_len + 1 >= sizeof(side->line))
            return broke_protocol(side);
        ssize_t n = read(side->fd, side->line + side->line_len,
                         sizeof(side->line) - 1 - side->line_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        side->line_len += (size_t)n;
    }
}

/* Drop the line read last from the buffer. */
static void consume(ab_side *side)
{
    size_t len = strlen(side->line) + 1;

    memmove(side->line, side->line + len, side->line_len - len);
    side->line_len -= len;
}

static int decode_name(ab_side *side, const char *hex)
{
    size_t len = strlen(hex), i;
    char *name;

    if (len % 2 != 0 || len == 0)
        return broke_protocol(side);
    if ((name = btk__malloc(len / 2 + 1)) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < len / 2; i++) {
        int hi = btk__hex_digit(hex[2 * i]), lo = btk__hex_digit(hex[2 * i + 1]);

        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            btk__free(name);
            return broke_protocol(side);
        }
        name[i] = (char)(hi << 4 | lo);
    }
    name[i] = '\0';
    side->names[side->name_count++] = name;
    return 0;
}

/* Read the next announcement into side->pending ("next I"; "done" or end of file:
 * NO_STEP). */
static int read_next(ab_side *side)
{
    unsigned long long idx;
    char end;
    int got;

    side->pending = NO_STEP;
    if ((got = read_line(side)) <= 0)
        return got;
    if (strcmp(side->line, "done") == 0) {
        consume(side);
        return 0;
    }
    if (sscanf(side->line, "next %llu%c", &idx, &end) != 1 || idx >= side->name_count)
        return broke_protocol(side);
    consume(side);
    side->pending = (size_t)idx;
    return 0;
}

/* Read the header and the instance names up to "ready", then the first announcement. A
 * binary that ends first (no benchmark selected, a bad flag) leaves pending NO_STEP. */
static int hello(ab_side *side)
{
    unsigned long long count;
    int version, got, error;
    char end;

    if ((got = read_line(side)) <= 0)
        return got;
    if (sscanf(side->line, "btk-step %d %llu%c", &version, &count, &end) != 2 ||
        version != 1 || count > 1000000)
        return broke_protocol(side);
    consume(side);
    if ((side->names = btk__calloc(count ? count : 1, sizeof(char *))) == NULL)
        return BTK_ENOMEM;
    while (side->name_count < count) {
        if ((got = read_line(side)) <= 0)
            return got < 0 ? got : 0;
        if (strncmp(side->line, "bench ", 6) != 0)
            return broke_protocol(side);
        if ((error = decode_name(side, side->line + 6)) < 0)
            return error;
        consume(side);
    }
    if ((got = read_line(side)) <= 0)
        return got;
    if (strcmp(side->line, "ready") != 0)
        return broke_protocol(side);
    consume(side);
    return read_next(side);
}

/* Let side run the process it announced; wait for its next announcement. */
static int go(ab_side *side)
{
    ssize_t n;

    while ((n = send(side->fd, "go\n", 3, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    if (n != 3) { /* it went away: finish() reports how */
        side->pending = NO_STEP;
        return 0;
    }
    return read_next(side);
}

static const char *pending_name(const ab_side *side)
{
    return side->pending == NO_STEP ? NULL : side->names[side->pending];
}

static bool lists(const ab_side *side, const char *name)
{
    for (size_t i = 0; i < side->name_count; i++)
        if (strcmp(side->names[i], name) == 0)
            return true;
    return false;
}

/* Step both binaries to the end: the two processes of one benchmark run one right after
 * the other, which of the two first alternating (old first when old_first, at the first
 * pair); a benchmark that only one binary has, or that comes in another order, runs on its
 * own. */
static int step_both(ab_side *old, ab_side *new, bool old_first)
{
    int error = 0;

    while (error == 0 && (old->pending != NO_STEP || new->pending != NO_STEP)) {
        const char *a = pending_name(old), *b = pending_name(new);

        if (a != NULL && b != NULL && strcmp(a, b) == 0) {
            ab_side *first = old_first ? old : new, *second = old_first ? new : old;

            old_first = !old_first;
            if ((error = go(first)) == 0)
                error = go(second);
        } else if (a != NULL && (b == NULL || !lists(new, a) || lists(old, b))) {
            error = go(old);
        } else {
            error = go(new);
        }
    }
    return error;
}

static void free_names(ab_side *side)
{
    for (size_t i = 0; i < side->name_count; i++)
        btk__free(side->names[i]);
    btk__free(side->names);
    side->names = NULL;
    side->name_count = 0;
}

/* One round, stepped: start old and read its hello (so its start-up measurements, such as
 * the timer's calibration, run alone), then new, then step both. */
static int stepped_round(ab_ctx *ctx, ab_side *old, ab_side *new, bool old_first)
{
    int error, error2;

    old->pid = new->pid = -1;
    if ((error = start(ctx, old, true)) == 0 && (error = hello(old)) == 0 &&
        (error = start(ctx, new, true)) == 0 && (error = hello(new)) == 0)
        error = step_both(old, new, old_first);
    error2 = old->pid > 0 ? finish(old, error < 0) : 0;
    error = error < 0 ? error : error2;
    error2 = new->pid > 0 ? finish(new, error < 0) : 0;
    error = error < 0 ? error : error2;
    free_names(old);
    free_names(new);
    return error;
}

/* One round in whole invocations: one binary runs its suite, then the other. */
static int whole_round(ab_ctx *ctx, ab_side *old, ab_side *new, bool old_first)
{
    ab_side *first = old_first ? old : new, *second = old_first ? new : old;
    int error;

    if ((error = start(ctx, first, false)) < 0 || (error = finish(first, false)) < 0 ||
        (error = start(ctx, second, false)) < 0)
        return error;
    return finish(second, false);
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
    ab_side old = {0}, new = {0};
    char help_log[300], quoted[200];
    bool step, step_old, step_new;
    int error;

    *old_out = *new_out = NULL;
    if (opts->rounds < 1)
        return btk_error_set(BTK_EINVAL, "ab needs at least one round");
    if ((error = check_binary(old_bin)) < 0 || (error = check_binary(new_bin)) < 0 ||
        (error = make_tmpdir(&ctx)) < 0)
        return error;
    old.bin = old_bin;
    old.run = old_out;
    new.bin = new_bin;
    new.run = new_out;
    old.fd = new.fd = -1;
    snprintf(help_log, sizeof(help_log), "%s/help.log", ctx.dir);
    step_old = takes_step_fd(old_bin, help_log);
    step_new = takes_step_fd(new_bin, help_log);
    if (step_old != step_new)
        fprintf(stderr, "benchtrack: ab: '%s' predates the step protocol (--step-fd): each "
                        "round runs one binary's whole suite, then the other's\n",
                btk_error_quote(quoted, sizeof(quoted), step_old ? new_bin : old_bin));
    step = step_old && step_new;
    for (unsigned r = 0; r < opts->rounds && error == 0; r++)
        error = step ? stepped_round(&ctx, &old, &new, r % 2 == 0)
                     : whole_round(&ctx, &old, &new, r % 2 == 0);
    remove_tmpdir(&ctx);
    if (error < 0) {
        btk_run_free(*old_out);
        btk_run_free(*new_out);
        *old_out = *new_out = NULL;
    }
    return error;
}
