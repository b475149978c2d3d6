/*
 * btk_main: the benchmark binary's driver. Parse flags, select instances, initialize the
 * timer and check the environment once, run every instance through the runner (live table
 * rows and progress as results become final), then write JSON to stdout and/or --out.
 * Exit status (docs/exit-codes.md): 0 all ran, 2 bad options, 3 a benchmark failed or the
 * results could not be written.
 */
#include "benchtrack.h"

#include "complexity.h"
#include "console.h"
#include "count.h"
#include "envcheck.h"
#include "flags.h"
#include "internal.h"
#include "json.h"
#include "stats.h"
#include "step.h"
#include "summary.h"
#include "timer.h"

#include <fcntl.h>
#include <math.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_USAGE = 2, EXIT_FAILED = 3 };

typedef struct run_ctx {
    const btk_main_options *opts;
    btk_console console;
    bool table, progress;
    bool counting; /* --measure other than time: counts, not times */
    size_t count;
    double start_ms;
} run_ctx;

static int complain(int status)
{
    fprintf(stderr, "benchtrack: %s\n", btk_error_last()->message);
    return status;
}

/* Progress on stderr: a self-erasing line on a terminal; counting runs, which take
 * seconds per process, also print one line per process when stderr is not a terminal. */
static void on_proc_start(const btk_instance *inst, size_t bench, unsigned proc, void *payload)
{
    run_ctx *ctx = payload;
    unsigned k = ctx->opts->runner.processes;

    if (ctx->opts->step_fd >= 0 && btk_step_next(ctx->opts->step_fd, bench) < 0)
        exit(complain(EXIT_FAILED)); /* the controller is gone: run nothing more */
    if (ctx->progress) {
        fprintf(stderr, "\r\033[K[%zu/%zu] %s", bench + 1, ctx->count, inst->name);
        if (k > 1)
            fprintf(stderr, " (process %u/%u)", proc + 1, k);
        if (ctx->counting)
            fprintf(stderr, " counting, %.0f s", (btk__monotonic_ms() - ctx->start_ms) / 1e3);
    } else if (ctx->counting) {
        fprintf(stderr, "benchtrack: counting [%zu/%zu] %s (process %u/%u, %.1f s)\n",
                bench + 1, ctx->count, inst->name, proc + 1, k,
                (btk__monotonic_ms() - ctx->start_ms) / 1e3);
    }
    fflush(stderr);
}

/* A counting run's row: instructions per iteration (and misses), or why not trusted. */
static void count_row(const run_ctx *ctx, const btk_bench_result *r)
{
    const btk_count_figures *f = r->proc_count > 0 ? &r->procs[0].counted : NULL;
    FILE *out = ctx->console.out;
    char l1[32], ll[32];
    double lo, hi;
    bool same;
    int i;

    for (i = 0; r->name[i] != '\0'; i++) /* control characters as '?', as the table does */
        fputc((unsigned char)r->name[i] < 0x20 || r->name[i] == 0x7f ? '?' : r->name[i], out);
    for (; i < ctx->console.name_width; i++)
        fputc(' ', out);
    if (r->fail != BTK_FAIL_NONE || f == NULL) {
        fprintf(out, " FAILED %s\n", r->fail_message);
        return;
    }
    same = btk_count_deterministic(r, &lo, &hi);
    snprintf(l1, sizeof(l1), "%.3f", btk_count_per_iter(f, 1));
    snprintf(ll, sizeof(ll), "%.3f", btk_count_per_iter(f, 2));
    fprintf(out, " %16.3f %12s %12s %11" PRIu64 " %9zu  %s\n", btk_count_per_iter(f, 0),
            f->events > 1 ? l1 : "-", f->events > 1 ? ll : "-", f->iterations,
            r->proc_count, same ? "yes" : "NO");
    if (!same)
        fprintf(stderr, "benchtrack: warning: '%s' is nondeterministic: %.3f to %.3f "
                        "instructions per iteration across %zu processes\n",
                r->name, lo, hi, r->proc_count);
}

static void count_header(const run_ctx *ctx)
{
    FILE *out = ctx->console.out;
    int i;

    for (i = fprintf(out, "Benchmark"); i < ctx->console.name_width; i++)
        fputc(' ', out);
    fprintf(out, " %16s %12s %12s %11s %9s  %s\n", "Instructions/it", "L1 miss/it",
            "LL miss/it", "Iterations", "Processes", "Repeatable");
    for (i = 0; i < ctx->console.name_width + 78; i++)
        fputc('-', out);
    fputc('\n', out);
}

static void on_bench_done(const btk_bench_result *r, size_t bench, void *payload)
{
    run_ctx *ctx = payload;

    BTK_UNUSED(bench);
    if (ctx->progress) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    if (ctx->table && ctx->counting)
        count_row(ctx, r);
    else if (ctx->table)
        btk_console_row(&ctx->console, r);
    fflush(stdout);
}

static size_t longest_name(const btk_instance *insts, size_t count)
{
    size_t i, n = 0;

    for (i = 0; i < count; i++)
        if (strlen(insts[i].name) > n)
            n = strlen(insts[i].name);
    return n;
}

static void list_names(const btk_instance *insts, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        printf("%s\n", insts[i].name);
}

/* Warn once when a benchmark process could not be pinned (it reported cpu -1). */
static void check_pinning(btk_env_report *env, const btk_bench_result *res, size_t count)
{
    size_t i, k, before = env->count;

    for (i = 0; i < count; i++)
        for (k = 0; k < res[i].proc_count; k++)
            if (res[i].procs[k].cpu < 0) {
                btk_envcheck_add(env, "pin", "benchmark processes could not be pinned to a "
                                             "cpu: they may migrate between cpus");
                btk_envcheck_print(env, before, stderr);
                return;
            }
}

/* The names a warning lists (the first five of named), with " and N more" past five. */
static const char *named_list(btk_buf *names, size_t named)
{
    if (named > 5)
        (void)btk_buf_printf(names, " and %zu more", named - 5);
    return names->ptr ? names->ptr : "";
}

/* The summary of each benchmark for the end-of-run checks, computed once; where res[i] failed
 * or could not be summarized sums[i] is all zero (no samples). NULL (no checks) when out of
 * memory. */
static btk_summary *summaries(const btk_bench_result *res, size_t count)
{
    btk_summary *sums = btk__malloc((count ? count : 1) * sizeof(*sums));
    size_t i;

    for (i = 0; sums != NULL && i < count; i++)
        if (res[i].fail != BTK_FAIL_NONE || btk_summary_compute(&sums[i], &res[i]) < 0)
            memset(&sums[i], 0, sizeof(sums[i]));
    btk_error_clear();
    return sums;
}

/* Warn once, naming them, when benchmarks were disturbed (an involuntary context switch or a
 * migration of one of their threads) in more than BTK_SUMMARY_DISTURBED_SHARE of their
 * samples (docs/benchmark-binary.md#environment-checks). */
static void check_disturbance(btk_env_report *env, const btk_bench_result *res,
                              const btk_summary *sums, size_t count)
{
    size_t i, before = env->count, named = 0;
    btk_buf names = BTK_BUF_INIT;

    for (i = 0; i < count; i++) {
        if (sums[i].stats.samples == 0 || res[i].procs[0].counted.events > 0 ||
            !btk_summary_disturbed(&sums[i]))
            continue;
        if (named++ < 5)
            (void)btk_buf_printf(&names, "%s%s", named > 1 ? ", " : "", res[i].name);
    }
    if (named == 0) {
        btk_buf_free(&names);
        return;
    }
    btk_envcheck_add(env, "disturbed",
                     "%zu benchmark%s lost the cpu (involuntary switch or migration) in more "
                     "than %.0f%% of samples: %s",
                     named, named > 1 ? "s" : "", BTK_SUMMARY_DISTURBED_SHARE * 100,
                     named_list(&names, named));
    btk_envcheck_print(env, before, stderr);
    btk_buf_free(&names);
}

/* Warn once when the core clock measured next to the samples (docs/timer.md "Core clock")
 * differed by more than BTK_CLOCK_SPREAD between processes: the 5th to 95th percentile of
 * the processes' median clocks over the whole run. Wall times of CPU-bound code moved with
 * it. Process medians, so a single disturbed reading does not count. */
#define BTK_CLOCK_SPREAD 0.02
static void check_clock(btk_env_report *env, const btk_bench_result *res, size_t count)
{
    size_t i, k, j, n = 0, most = 0, before = env->count;
    double *v, *one, lo, hi;

    for (i = 0; i < count; i++)
        for (k = 0; k < res[i].proc_count; k++, n++)
            most = res[i].procs[k].count > most ? res[i].procs[k].count : most;
    v = btk__malloc((n + most) * sizeof(*v)); /* the process medians, then one scratch */
    if (n < 2 || v == NULL) {
        btk__free(v);
        btk_error_clear();
        return;
    }
    one = v + n;
    n = 0;
    for (i = 0; i < count; i++)
        for (k = 0; k < res[i].proc_count; k++) {
            const btk_proc_result *p = &res[i].procs[k];
            size_t m = 0;

            for (j = 0; p->clock_ghz != NULL && j < p->count; j++)
                if (isfinite(p->clock_ghz[j]))
                    one[m++] = p->clock_ghz[j];
            if (m > 0)
                v[n++] = btk_stats_median_inplace(one, m);
        }
    btk_stats_sort(v, n);
    lo = n > 1 ? btk_stats_quantile_sorted(v, n, 0.05) : 0;
    hi = n > 1 ? btk_stats_quantile_sorted(v, n, 0.95) : 0;
    btk__free(v);
    if (!(lo > 0) || hi / lo - 1 <= BTK_CLOCK_SPREAD)
        return;
    btk_envcheck_add(env, "clock",
                     "the core clock differed between benchmark processes, %.2f to %.2f GHz "
                     "(%.1f%%, 5th to 95th percentile of their medians): wall times of "
                     "cpu-bound code move with it; compare them with --metric cycles",
                     lo, hi, (hi / lo - 1) * 100);
    btk_envcheck_print(env, before, stderr);
}

/* Warn once, naming up to five, when benchmarks' processes ran at two speeds
 * (btk_summary.levels: btk_stats_two_levels on the processes' medians): the machine changed
 * state during the run, and those benchmarks' figures mix both states. */
static void check_levels(btk_env_report *env, const btk_bench_result *res,
                         const btk_summary *sums, size_t count)
{
    size_t i, named = 0, before = env->count;
    btk_buf names = BTK_BUF_INIT;

    for (i = 0; i < count; i++) {
        const btk_summary *s = &sums[i];

        if (s->stats.samples == 0 || !s->levels || named++ >= 5)
            continue;
        (void)btk_buf_printf(&names, "%s%s (%zu of %zu processes at %.4g ns, %zu at %.4g)",
                             named > 1 ? ", " : "", res[i].name,
                             s->proc_medians - s->levels_low_n, s->proc_medians,
                             s->levels_high, s->levels_low_n, s->levels_low);
    }
    if (named > 0)
        btk_envcheck_add(env, "levels",
                         "%zu benchmark%s ran at two speeds in different processes, at least "
                         "%.0f%% apart: %s; the machine changed state during the run, and "
                         "their figures mix both",
                         named, named > 1 ? "s" : "", BTK_LEVELS_GAP * 100,
                         named_list(&names, named));
    btk_envcheck_print(env, before, stderr);
    btk_buf_free(&names);
}

/* Warn once, naming up to five, when benchmarks ran on a core shared with a busy SMT
 * sibling in at least half their processes (btk_summary_shared_core; docs/timer.md "Shared
 * core"): their figures are of that state, which the core clock does not show. */
static void check_shared_core(btk_env_report *env, const btk_bench_result *res,
                              const btk_summary *sums, size_t count)
{
    size_t i, named = 0, before = env->count;
    btk_buf names = BTK_BUF_INIT;

    for (i = 0; i < count; i++) {
        const btk_summary *s = &sums[i];

        if (s->stats.samples == 0 || !btk_summary_shared_core(s) || named++ >= 5)
            continue;
        (void)btk_buf_printf(&names, "%s%s (%zu of %zu processes)", named > 1 ? ", " : "",
                             res[i].name, s->shared_procs, s->ratio_procs);
    }
    if (named > 0)
        btk_envcheck_add(env, "shared-core",
                         "%zu benchmark%s ran on a core shared with a busy SMT sibling "
                         "(branch loop %.1fx the add chain or more), where branch-bound "
                         "code runs up to 2x slower (docs/timer.md#shared-core): %s",
                         named, named > 1 ? "s" : "", BTK_STATS_SHARED_RATIO,
                         named_list(&names, named));
    btk_envcheck_print(env, before, stderr);
    btk_buf_free(&names);
}

/* Fail early, before any measuring, when --out cannot be written. Opening for append
 * creates the file but keeps an existing one intact until the results replace it. */
static int check_out_path(const char *path)
{
    char q[300];
    int fd;

    if (path == NULL)
        return 0;
    /* an existing file stays as it is; a new one is made and removed again, so a run
     * stopped before it writes its results leaves no empty file behind */
    if ((fd = open(path, O_WRONLY | O_APPEND)) < 0 && errno == ENOENT &&
        (fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) >= 0)
        unlink(path);
    if (fd < 0)
        return btk_error_set(BTK_EIO, "cannot write results to '%s': %s",
                             btk_error_quote(q, sizeof(q), path), strerror(errno));
    close(fd);
    return 0;
}

/* JSON to stdout (--format json) and to --out; returns EXIT_FAILED if either fails. */
static int write_outputs(const btk_main_options *o, const btk_report *rep)
{
    int status = EXIT_OK;

    if (o->format == BTK_FORMAT_JSON && btk_json_write_stream(rep, stdout) < 0)
        status = complain(EXIT_FAILED);
    if (o->out_path != NULL && btk_json_write_file(rep, o->out_path) < 0)
        status = complain(EXIT_FAILED);
    return status;
}

/* The running binary's content identity (btk__file_id), so that `benchtrack compare
 * --confirm-*` can tell the binary that recorded a run (docs/json-format.md); "" when
 * neither /proc/self/exe nor argv[0] can be read. */
static void executable_id(char out[BTK_FILE_ID_LEN], const char *argv0)
{
    if (btk__file_id(out, "/proc/self/exe") < 0)
        (void)btk__file_id(out, argv0); /* leaves "" when it fails too */
    btk_error_clear();
}

/* Measure insts and report; returns the exit status. */
static int run_all(const btk_main_options *o, const btk_instance *insts, size_t count,
                   const char *argv0)
{
    btk_runner_events ev = {on_proc_start, on_bench_done};
    run_ctx ctx = {o, {NULL, false, 0, "", 0, 0}, o->format == BTK_FORMAT_CONSOLE, false,
                   false, count, btk__monotonic_ms()};
    btk_report rep = {argv0, time(NULL), NULL, NULL,     NULL, &o->runner,
                      o->filter, NULL, 0,    NULL, NULL, 0, NULL};
    char exe_id[BTK_FILE_ID_LEN];
    btk_bench_result *res = NULL;
    btk_cx_group *fits = NULL;
    btk_env_input in;
    btk_env_report env;
    int status;
    size_t i;

    if (o->step_fd >= 0 && btk_step_check(o->step_fd) < 0)
        return complain(EXIT_USAGE);
    if (check_out_path(o->out_path) < 0 || btk_timer_init() < 0)
        return complain(EXIT_FAILED);
    ctx.counting = o->runner.measure != BTK_MEASURE_TIME;
    if ((status = btk_count_check(o->runner.measure)) < 0)
        return complain(status == BTK_EUNSUPPORTED ? EXIT_USAGE : EXIT_FAILED);
    btk_envcheck_default_input(&in, o->runner.run.memtrack);
    btk_envcheck_build_from(&in, insts, count);
    btk_envcheck_run(&env, &in);
    btk_envcheck_print(&env, 0, stderr);
    ctx.progress = isatty(STDERR_FILENO) == 1;
    if (ctx.table) {
        btk_console_init(&ctx.console, stdout, btk_console_colour_allowed(STDOUT_FILENO),
                         longest_name(insts, count));
        if (ctx.counting)
            count_header(&ctx);
        else
            btk_console_header(&ctx.console);
    }
    if (o->step_fd >= 0 && btk_step_hello(o->step_fd, insts, count) < 0)
        return complain(EXIT_FAILED);
    if (btk_runner_run(&res, insts, count, &o->runner, &ev, &ctx) < 0)
        return complain(EXIT_FAILED);
    if (o->step_fd >= 0)
        btk_step_done(o->step_fd);
    check_pinning(&env, res, count);
    if (!ctx.counting) {
        btk_summary *sums = summaries(res, count);

        if (sums != NULL)
            check_disturbance(&env, res, sums, count);
        check_clock(&env, res, count);
        if (sums != NULL) {
            check_levels(&env, res, sums, count);
            check_shared_core(&env, res, sums, count);
        }
        btk__free(sums);
    }
    status = EXIT_OK;
    if (btk_complexity_groups(&fits, &rep.fit_count, insts, res, count) < 0)
        status = complain(EXIT_FAILED);
    if (ctx.table)
        btk_console_complexity(&ctx.console, fits, rep.fit_count);
    executable_id(exe_id, argv0);
    rep.executable_id = exe_id;
    rep.insts = insts;
    rep.fits = fits;
    rep.env_in = &in;
    rep.env = &env;
    rep.timer = btk_timer_info_get();
    rep.results = res;
    rep.count = count;
    if (status == EXIT_OK)
        status = write_outputs(o, &rep);
    btk__free(fits);
    if (status == EXIT_OK && btk_runner_any_failed(res, count))
        status = EXIT_FAILED;
    for (i = 0; i < count; i++)
        btk_bench_result_clear(&res[i]);
    btk__free(res);
    return status;
}

int btk_main(int argc, char **argv)
{
    const char *argv0 = argc > 0 && argv[0] ? argv[0] : "benchmarks";
    btk_main_options o;
    btk_instance *insts = NULL;
    size_t count = 0;
    char q[80];
    int status;

    if ((status = btk_count__child_main()) >= 0)
        return status; /* this process is a counted process (count.c) */
    if (btk_flags_parse(&o, argc, argv) < 0)
        return complain(EXIT_USAGE);
    if (o.help || o.version) {
        if (o.help)
            btk_flags_usage(stdout, argv0);
        else
            printf("benchtrack %d.%d.%d\n", BTK_VERSION_MAJOR, BTK_VERSION_MINOR,
                   BTK_VERSION_PATCH);
        return EXIT_OK;
    }
    if (o.list) { /* lists what can run even when a registration cannot */
        if (btk_registry_list(&count, stdout, o.filter) < 0)
            return complain(EXIT_USAGE);
        if (count == 0 && o.filter != NULL && o.filter[0] != '\0')
            fprintf(stderr, "benchtrack: no benchmark matches '%s'\n",
                    btk_error_quote(q, sizeof(q), o.filter));
        return count == 0 && o.filter != NULL && o.filter[0] != '\0' ? EXIT_USAGE : EXIT_OK;
    }
    if (btk_registry_instances(&insts, &count, o.filter) < 0)
        return complain(EXIT_USAGE);
    if (count == 0 && o.filter != NULL && o.filter[0] != '\0') {
        fprintf(stderr, "benchtrack: no benchmark matches '%s'\n",
                btk_error_quote(q, sizeof(q), o.filter));
        btk__free(insts);
        return EXIT_USAGE;
    }
    if (o.list) {
        list_names(insts, count);
        status = EXIT_OK;
    } else {
        status = run_all(&o, insts, count, argv0);
    }
    btk__free(insts);
    return status;
}
