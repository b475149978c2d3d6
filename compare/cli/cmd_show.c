/*
 * benchtrack show RUN|REF: one run's results (the newest run of a commit when a ref is
 * given). docs/cli/show.md.
 */
#include "cli.h"
#include "metric.h"
#include "series.h"

#include <math.h>

static void print_header(const btk_run *run)
{
    btk_buf build = BTK_BUF_INIT;

    printf("run #%" PRId64 "  commit %s%s  branch ", run->id,
           run->commit.sha[0] ? run->commit.sha : "-", run->commit.dirty ? " (dirty)" : "");
    cli_print_safe(stdout, run->commit.branch ? run->commit.branch : "-");
    printf("\nmachine ");
    if (run->machine.name) { /* a named class: its name, then the host of this run */
        cli_print_safe(stdout, run->machine.name);
        printf(" on ");
    }
    cli_print_safe(stdout, run->machine.hostname ? run->machine.hostname : "?");
    printf(" (%s), ", run->machine.fingerprint ? run->machine.fingerprint : "?");
    cli_print_safe(stdout, run->machine.cpu_model ? run->machine.cpu_model : "?");
    printf(", %d cpus\ndate %s  format %s  compiler ", run->machine.cpus,
           run->date ? run->date : "-", run->format ? run->format : "-");
    cli_print_safe(stdout, run->compiler ? run->compiler : "-");
    printf("\nbuild ");
    if (btk_run_build_text(&build, run) == 0)
        cli_print_safe(stdout, btk_buf_cstr(&build));
    btk_buf_free(&build);
    printf("\nmeasure %s", btk_measure_name(run->measure));
    if (run->measure != BTK_MEASURE_KIND_TIME) {
        printf("  count identity ");
        cli_print_safe(stdout, run->count_identity ? run->count_identity : "?");
    }
    for (size_t i = 0; i < run->warning_count; i++) {
        printf("\nwarning: ");
        cli_print_safe(stdout, run->warnings[i] ? run->warnings[i] : "");
    }
    if (run->measure == BTK_MEASURE_KIND_TIME)
        printf("\n\n%-40s %8s %14s %25s %8s %6s %14s %14s\n", "benchmark", "status",
               "median ns", "CI of median", "samples", "procs", "cpu median ns",
               "median cycles");
    else
        printf("\n\n%-40s %8s %14s %25s %8s %6s %14s\n", "benchmark", "status",
               "median ins", "95% CI of median", "samples", "procs", "repeat");
}

/* s with control characters escaped (cli_print_safe) into buf, "?" when that fails. */
static void safe_text(char *buf, size_t len, const char *s)
{
    FILE *mem = fmemopen(buf, len, "w");

    if (mem) {
        cli_print_safe(mem, s);
        fclose(mem);
    } else
        snprintf(buf, len, "?");
}

/* The last columns: a time run's CPU median and median estimated core cycles ("-": not
 * recorded), a counting run's repeatability ("exact", "NONDET min-max", "-": unknown). */
static void print_metric(const btk_run *run, const btk_result *r)
{
    if (run->measure == BTK_MEASURE_KIND_TIME) {
        if (r->has_cpu_stats)
            printf(" %14.3f", r->cpu_stats.median);
        else
            printf(" %14s", "-");
        if (r->has_core_stats)
            printf(" %14.1f\n", r->core_stats.median);
        else
            printf(" %14s\n", "-");
    } else if (r->count_repeat == BTK_COUNT_UNKNOWN)
        printf(" %14s\n", "-");
    else if (r->count_repeat == BTK_COUNT_DETERMINISTIC)
        printf(" %14s\n", "exact");
    else
        printf(" NONDET %.6g-%.6g\n", r->count_spread_min, r->count_spread_max);
}

static void print_result(const btk_run *run, const btk_result *r)
{
    char name[1024];

    safe_text(name, sizeof(name), r->name);
    if (r->status == BTK_RESULT_FAILED) {
        printf("%-40s %8s  ", name, "FAILED");
        cli_print_safe(stdout, r->error_kind ? r->error_kind : "error");
        printf(": ");
        cli_print_safe(stdout, r->error_message ? r->error_message : "");
        printf("\n");
        return;
    }
    printf("%-40s %8s %14.3f [%11.3f, %11.3f] %8" PRId64 " %6zu", name, "ok",
           r->stats.median, r->stats.ci_low, r->stats.ci_high, r->stats.samples,
           r->proc_count);
    print_metric(run, r);
}

/* The run id for arg: a run id, or the newest run of the commit arg names. */
static int find_run(int64_t *id, btk_store *db, btk_git *git, const char *arg)
{
    char sha[41], quoted[120];
    int64_t *ids = NULL;
    size_t count = 0;
    int error;

    if ((error = cli_resolve_side(id, sha, git, arg)) < 0 || *id)
        return error;
    if ((error = btk_store_runs_for_commit(&ids, &count, db, sha, NULL)) < 0)
        return error;
    if (count == 0)
        error = btk_error_set(BTK_ENOTFOUND, "no stored run for '%s' (commit %.12s)",
                              btk_error_quote(quoted, sizeof(quoted), arg), sha);
    else
        *id = ids[0];
    btk__free(ids);
    return error;
}

typedef struct show_args {
    const char *what, *db, *repo, *size;
    bool complexity;
} show_args;

static const cli_opt show_opts[] = {
    CLI_OPT_ARG("RUN|REF", show_args, what, CLI_OPT_REQUIRED,
                "a run id (#12, run:12, 12) or a git ref: its commit's newest run"),
    CLI_OPT_STRING("--db", "PATH", show_args, db, "results database (must exist)"),
    CLI_OPT_STRING("--repo", "DIR", show_args, repo, "the repository"),
    CLI_OPT_FLAG("--complexity", show_args, complexity, 0,
                 "fit time against size for each series of sizes (docs/statistics.md)"),
    CLI_OPT_STRING("--size", "NAME", show_args, size,
                   "with --complexity: the named parameter that is the size"),
    CLI_OPT_END,
};

static const cli_cmd show_cmd = {"show", show_opts};

/* The complexity fits of run's series along size (NULL: each family's single or first
 * parameter), one line each with the power law, after the results. */
static int print_complexity(const btk_run *run, const char *size)
{
    btk_series *v;
    size_t n, i;
    char verdict[160], name[1024];
    int error;

    if ((error = btk_series_build(&v, &n, run, size)) < 0)
        return error;
    safe_text(name, sizeof(name), size ? size : "each family's first parameter");
    printf("\ncomplexity: median ns per iteration against the size (%s)\n", name);
    printf("%-40s %-36s %24s %6s\n", "series", "fit", "n^k: k [95% CI]", "sizes");
    for (i = 0; i < n; i++) {
        const btk_cx_fit *f = &v[i].group.fit;
        char k[40];

        btk_complexity_verdict_text(verdict, sizeof(verdict), &v[i].group);
        if (f->has_power)
            snprintf(k, sizeof(k), "%.3f [%.3f, %.3f]", f->power_k, f->power_lo, f->power_hi);
        else
            snprintf(k, sizeof(k), "-");
        safe_text(name, sizeof(name), v[i].group.name);
        printf("%-40s %-36s %24s %6zu\n", name, verdict, k, v[i].count);
    }
    if (n == 0)
        printf("(no series of 3 or more sizes)\n");
    btk_series_free(v, n);
    return 0;
}

static int show(const show_args *a)
{
    btk_git *git = NULL;
    btk_store *db = NULL;
    btk_run *run = NULL;
    int64_t id = 0;
    size_t i;
    int error;

    if ((error = btk_git_open(&git, a->repo)) < 0 && a->repo)
        return error;
    btk_error_clear();
    if ((error = cli_open_store(&db, a->db, git, true)) == 0 &&
        (error = find_run(&id, db, git, a->what)) == 0 &&
        (error = btk_store_load_run(&run, db, id, true)) == 0 &&
        /* runs stored before 2026-12-01 hold the pooled samples' interval */
        (error = btk_run_widen_intervals(run)) == 0) {
        print_header(run);
        for (i = 0; i < run->result_count; i++)
            print_result(run, &run->results[i]);
        if (a->complexity || a->size != NULL)
            error = print_complexity(run, a->size);
    }
    btk_run_free(run);
    btk_store_close(db);
    btk_git_close(git);
    return error;
}

int cmd_show(int argc, char **argv)
{
    show_args a = {NULL, NULL, NULL, NULL, false};
    int status;

    if (!cli_parse_args(&status, &a, &show_cmd, argc, argv))
        return status;
    return show(&a) < 0 ? cli_fail() : CLI_EXIT_OK;
}
