/*
 * benchtrack history BENCH: one benchmark over the commits of a branch in first-parent
 * order (git's order, not timestamps), newest first. docs/cli/history.md.
 */
#include "cli.h"
#include "report.h"

#include <math.h>

typedef struct hopts {
    const char *db, *repo, *branch, *machine, *format, *bench, *metric;
    btk_history_metric kind; /* --metric parsed */
    long limit;
    bool include_dirty;
} hopts;

/* What was gathered: the points (newest first), which are dirty runs, what was left out. */
typedef struct hist {
    const char *fp;
    btk_history_point *p;
    const bool *dirty;
    const bool *build; /* the build differs from the next older point's */
    size_t n;
    const char *excluded; /* "#5, #6": dirty runs left out, "" when none */
    btk_history_metric kind;
} hist;


static void json_str(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void json_num(double v)
{
    if (isfinite(v))
        printf("%.17g", v);
    else
        printf("null");
}

static void csv_str(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void print_json(const hopts *o, const hist *h)
{
    const btk_history_point *p = h->p;
    size_t i;

    printf("{\"benchmark\":");
    json_str(o->bench);
    printf(",\"metric\":\"%s\"", cli_history_metric_name(h->kind));
    printf(",\"machine\":");
    json_str(h->fp);
    printf(",\"excluded_dirty_runs\":[");
    for (const char *e = h->excluded; *e; e += strcspn(e, ","), e += *e == ',')
        printf("%s%lld", e == h->excluded ? "" : ",", strtoll(e + strspn(e, " #"), NULL, 10));
    printf("],\"points\":[");
    for (i = 0; i < h->n; i++) {
        printf("%s{\"commit\":\"%s\",\"run\":%" PRId64 ",\"commit_time\":%" PRId64
               ",\"subject\":", i ? "," : "", p[i].sha, p[i].run_id, p[i].commit_time);
        json_str(p[i].subject);
        printf(",\"status\":\"%s\",\"median\":",
               p[i].status == BTK_RESULT_OK ? "ok" : "failed");
        json_num(p[i].stats.median);
        printf(",\"ci_low\":");
        json_num(p[i].stats.ci_low);
        printf(",\"ci_high\":");
        json_num(p[i].stats.ci_high);
        printf(",\"samples\":%" PRId64 ",\"dirty\":%s,\"build_changed\":%s}",
               p[i].stats.samples, h->dirty[i] ? "true" : "false",
               h->build[i] ? "true" : "false");
    }
    printf("]}\n");
}

static void print_csv(const hist *h)
{
    const btk_history_point *p = h->p;
    size_t i;

    printf("commit,run,commit_time,status,%s,subject,dirty,build_changed\n",
           h->kind == BTK_HISTORY_COUNT ? "median_ins,ci_low_ins,ci_high_ins,samples"
           : h->kind == BTK_HISTORY_CPU ? "median_cpu_ns,ci_low_cpu_ns,ci_high_cpu_ns,samples"
           : h->kind == BTK_HISTORY_CYCLES
               ? "median_cycles,ci_low_cycles,ci_high_cycles,samples"
               : "median_ns,ci_low_ns,ci_high_ns,samples");
    for (i = 0; i < h->n; i++) {
        printf("%s,%" PRId64 ",%" PRId64 ",%s,%.17g,%.17g,%.17g,%" PRId64 ",", p[i].sha,
               p[i].run_id, p[i].commit_time, p[i].status == BTK_RESULT_OK ? "ok" : "failed",
               p[i].stats.median, p[i].stats.ci_low, p[i].stats.ci_high, p[i].stats.samples);
        csv_str(p[i].subject);
        printf(",%d,%d\n", h->dirty[i] ? 1 : 0, h->build[i] ? 1 : 0);
    }
}

static void print_table(const hopts *o, const hist *h)
{
    const btk_history_point *p = h->p;
    size_t i;

    printf("history of ");
    cli_print_safe(stdout, o->bench);
    printf(" on machine %.12s, ", h->fp);
    cli_print_safe(stdout, o->branch ? o->branch : "HEAD");
    printf(" in first-parent order (newest first)%s\n",
           h->kind == BTK_HISTORY_CPU      ? ", CPU time"
           : h->kind == BTK_HISTORY_COUNT  ? ", instruction counts"
           : h->kind == BTK_HISTORY_CYCLES ? ", estimated core cycles (wall ns x core GHz)"
                                           : "");
    if (*h->excluded)
        printf("excluded: dirty runs %s (recorded with uncommitted changes; --include-dirty "
               "takes them)\n", h->excluded);
    putchar('\n');
    printf("%-12s %6s %14s %25s %8s  %s\n", "commit", "run",
           h->kind == BTK_HISTORY_COUNT    ? "median ins"
           : h->kind == BTK_HISTORY_CPU    ? "median cpu ns"
           : h->kind == BTK_HISTORY_CYCLES ? "median cycles"
                                           : "median ns",
           "95% CI of median", "samples", "subject");
    for (i = 0; i < h->n; i++) {
        if (p[i].status == BTK_RESULT_OK)
            printf("%-12.12s %6" PRId64 " %14.3f [%11.3f, %11.3f] %8" PRId64 "  ", p[i].sha,
                   p[i].run_id, p[i].stats.median, p[i].stats.ci_low, p[i].stats.ci_high,
                   p[i].stats.samples);
        else
            printf("%-12.12s %6" PRId64 " %14s %25s %8s  ", p[i].sha, p[i].run_id, "FAILED",
                   "", "");
        if (h->dirty[i])
            printf("(dirty run) ");
        if (h->build[i])
            printf("(build changed) ");
        cli_print_safe(stdout, p[i].subject ? p[i].subject : "");
        putchar('\n');
    }
}

static const cli_opt history_opts[] = {
    CLI_OPT_ARG("BENCH", hopts, bench, CLI_OPT_REQUIRED, "the benchmark's name"),
    CLI_OPT_STRING("--branch", "B", hopts, branch,
                   "any ref git rev-parse accepts (default HEAD)"),
    CLI_OPT_STRING("--machine", "M", hopts, machine,
                   "machine name, fingerprint prefix or host name"),
    CLI_OPT_LONG("--limit", "N", hopts, limit, 1, 1000000000,
                 "at most the N newest points"),
    CLI_OPT_STRING("--format", "table|json|csv", hopts, format,
                   "output format (default table)"),
    CLI_OPT_FLAG("--include-dirty", hopts, include_dirty, 0,
                 "also show runs recorded with uncommitted changes (marked dirty)"),
    CLI_OPT_STRING("--metric", "wall|cpu|cycles|instructions", hopts, metric,
                   "the figure: wall-clock time (default), CPU time, estimated core "
                   "cycles, or the counting runs' instructions per iteration"),
    CLI_OPT_STRING("--db", "PATH", hopts, db, "results database (must exist)"),
    CLI_OPT_STRING("--repo", "DIR", hopts, repo, "the repository"),
    CLI_OPT_END,
};

static const cli_cmd history_cmd = {"history", history_opts};

static int check_format(hopts *o)
{
    char quoted[80];
    int error = cli_history_metric_parse(&o->kind, o->metric);

    if (error < 0)
        return error;
    if (o->format && strcmp(o->format, "table") && strcmp(o->format, "json") &&
        strcmp(o->format, "csv"))
        return btk_error_set(BTK_EINVAL, "--format: expected table, json or csv, got '%s'",
                             btk_error_quote(quoted, sizeof(quoted), o->format));
    return 0;
}

/* Edit distance of a and b (each at most 63 bytes; longer: 99). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64], i, j, diag, up;

    if (la > 63 || lb > 63)
        return 99;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            up = row[j];
            row[j] = diag + (a[i - 1] != b[j - 1]);
            row[j] = row[j] < up + 1 ? row[j] : up + 1;
            row[j] = row[j] < row[j - 1] + 1 ? row[j] : row[j - 1] + 1;
            diag = up;
        }
    }
    return row[lb];
}

/* Whether a and b look alike: one contains the other, they share a 4-byte prefix, or
 * they are at most 2 edits apart. */
static bool similar(const char *a, const char *b)
{
    return strstr(a, b) || strstr(b, a) || (strlen(a) >= 4 && !strncmp(a, b, 4)) ||
           distance(a, b) <= 2;
}

/* BTK_ENOTFOUND unless the machine has a benchmark of that name; the message names up to
 * five similar names, or says the machine has none. */
static int check_bench(btk_store *db, const char *fp, const char *bench)
{
    btk_buf hint = BTK_BUF_INIT;
    char **names = NULL, quoted[120], q2[80];
    size_t count = 0, shown = 0, i;
    int error;

    if (fp == NULL)
        return btk_error_set(BTK_ENOTFOUND, "no benchmark '%s': the database has no results",
                             btk_error_quote(quoted, sizeof(quoted), bench));
    if ((error = btk_store_benchmark_names(&names, &count, db, fp)) < 0)
        return error;
    for (i = 0; i < count && strcmp(names[i], bench); i++)
        ;
    if (i == count) {
        for (i = 0; i < count && shown < 5; i++)
            if (similar(names[i], bench) &&
                btk_buf_printf(&hint, "%s'%s'", shown++ ? ", " : "",
                               btk_error_quote(q2, sizeof(q2), names[i])) < 0)
                break;
        btk_error_quote(quoted, sizeof(quoted), bench);
        if (count == 0)
            error = btk_error_set(BTK_ENOTFOUND, "no benchmark '%s': machine %.12s has no "
                                  "results", quoted, fp);
        else
            error = btk_error_set(BTK_ENOTFOUND, "no benchmark '%s' on machine %.12s (%s%s; "
                                  "'benchtrack show HEAD' lists the names)", quoted, fp,
                                  shown ? "similar: " : "no similar name among its ",
                                  shown ? btk_buf_cstr(&hint) : "benchmarks");
    }
    btk_buf_free(&hint);
    btk_strings_free(names, count);
    return error;
}

static int history(const hopts *o, btk_git *git, btk_store *db)
{
    char(*shas)[41] = NULL;
    size_t count = 0, npts = 0, nrows = 0;
    btk_history_point *pts = NULL;
    btk_run_row *rows = NULL;
    btk_buf excluded = BTK_BUF_INIT;
    bool *dirty = NULL, *build = NULL;
    char *fp = NULL;
    int error;

    if ((error = cli_pick_machine(&fp, db, o->machine)) < 0 ||
        (error = check_bench(db, fp, o->bench)) < 0 ||
        (error = btk_git_first_parent(&shas, &count, git, o->branch ? o->branch : "HEAD",
                                      0)) < 0 ||
        (error = btk_store_list_runs(&rows, &nrows, db, 0)) < 0)
        goto done;
    {
        btk_report_history_in in = {rows, nrows, o->bench, fp, (const char(*)[41])shas,
                                    count, o->include_dirty, o->kind};
        hist h;

        if ((error = btk_report_history(&pts, &npts, &dirty, &excluded, db, &in)) < 0 ||
            (error = btk_report_build_changes(&build, pts, npts, false, &in)) < 0)
            goto done;
        if (o->limit > 0 && npts > (size_t)o->limit)
            npts = (size_t)o->limit; /* points are newest first: keep the newest */
        h = (hist){fp, pts, dirty, build, npts, btk_buf_cstr(&excluded), o->kind};
        if (o->format && !strcmp(o->format, "json"))
            print_json(o, &h);
        else if (o->format && !strcmp(o->format, "csv"))
            print_csv(&h);
        else
            print_table(o, &h);
        if (npts == 0)
            fprintf(stderr, "benchtrack: no %sresults of this benchmark on the commits of %s "
                            "on this machine\n",
                    o->kind == BTK_HISTORY_CPU      ? "CPU-time "
                    : o->kind == BTK_HISTORY_COUNT  ? "counting "
                    : o->kind == BTK_HISTORY_CYCLES ? "core-clock (clock_ghz) "
                                                    : "",
                    o->branch ? "that branch" : "HEAD");
    }
done:
    /* btk_history_free covers all count slots, printed or not. */
    btk_history_free(pts, count);
    btk_run_rows_free(rows, nrows);
    btk_buf_free(&excluded);
    btk__free(dirty);
    btk__free(build);
    btk__free(shas);
    btk__free(fp);
    return error;
}

/* Check the format, open the repository and the database, print the history. */
static int history_main(hopts *o)
{
    btk_git *git = NULL;
    btk_store *db = NULL;
    int error;

    if ((error = check_format(o)) == 0 && (error = btk_git_open(&git, o->repo)) == 0 &&
        (error = cli_open_store(&db, o->db, git, true)) == 0)
        error = history(o, git, db);
    btk_store_close(db);
    btk_git_close(git);
    return error;
}

int cmd_history(int argc, char **argv)
{
    hopts o;
    int status;

    memset(&o, 0, sizeof(o));
    if (!cli_parse_args(&status, &o, &history_cmd, argc, argv))
        return status;
    return history_main(&o) < 0 ? cli_fail() : CLI_EXIT_OK;
}
