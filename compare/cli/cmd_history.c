/*
 * benchtrack history BENCH: one benchmark over the commits of a branch in first-parent
 * order (git's order, not timestamps), newest first. docs/cli/history.md.
 */
#include "cli.h"

#include <math.h>

typedef struct hopts {
    const char *db, *repo, *branch, *machine, *format, *bench;
    long limit;
} hopts;

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

static void print_json(const hopts *o, const char *fp, const btk_history_point *p, size_t n)
{
    size_t i;

    printf("{\"benchmark\":");
    json_str(o->bench);
    printf(",\"machine\":");
    json_str(fp);
    printf(",\"points\":[");
    for (i = 0; i < n; i++) {
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
        printf(",\"samples\":%" PRId64 "}", p[i].stats.samples);
    }
    printf("]}\n");
}

static void print_csv(const btk_history_point *p, size_t n)
{
    size_t i;

    printf("commit,run,commit_time,status,median_ns,ci_low_ns,ci_high_ns,samples,subject\n");
    for (i = 0; i < n; i++) {
        printf("%s,%" PRId64 ",%" PRId64 ",%s,%.17g,%.17g,%.17g,%" PRId64 ",", p[i].sha,
               p[i].run_id, p[i].commit_time, p[i].status == BTK_RESULT_OK ? "ok" : "failed",
               p[i].stats.median, p[i].stats.ci_low, p[i].stats.ci_high, p[i].stats.samples);
        csv_str(p[i].subject);
        putchar('\n');
    }
}

static void print_table(const hopts *o, const char *fp, const btk_history_point *p,
                        size_t n)
{
    size_t i;

    printf("history of ");
    cli_print_safe(stdout, o->bench);
    printf(" on machine %.12s, %s in first-parent order (newest first)\n\n", fp,
           o->branch ? o->branch : "HEAD");
    printf("%-12s %6s %14s %25s %8s  %s\n", "commit", "run", "median ns", "95% CI of median",
           "samples", "subject");
    for (i = 0; i < n; i++) {
        if (p[i].status == BTK_RESULT_OK)
            printf("%-12.12s %6" PRId64 " %14.3f [%11.3f, %11.3f] %8" PRId64 "  ", p[i].sha,
                   p[i].run_id, p[i].stats.median, p[i].stats.ci_low, p[i].stats.ci_high,
                   p[i].stats.samples);
        else
            printf("%-12.12s %6" PRId64 " %14s %25s %8s  ", p[i].sha, p[i].run_id, "FAILED",
                   "", "");
        cli_print_safe(stdout, p[i].subject ? p[i].subject : "");
        putchar('\n');
    }
}

static const cli_opt history_opts[] = {
    CLI_OPT_ARG("BENCH", hopts, bench, CLI_OPT_REQUIRED, "the benchmark's name"),
    CLI_OPT_STRING("--branch", "B", hopts, branch,
                   "any ref git rev-parse accepts (default HEAD)"),
    CLI_OPT_STRING("--machine", "M", hopts, machine, "fingerprint prefix or hostname"),
    CLI_OPT_LONG("--limit", "N", hopts, limit, 1, 1000000000,
                 "at most the N newest points"),
    CLI_OPT_STRING("--format", "table|json|csv", hopts, format,
                   "output format (default table)"),
    CLI_OPT_STRING("--db", "PATH", hopts, db, "results database (must exist)"),
    CLI_OPT_STRING("--repo", "DIR", hopts, repo, "the repository"),
    CLI_OPT_END,
};

static const cli_cmd history_cmd = {"history", history_opts};

static int check_format(const hopts *o)
{
    char quoted[80];

    if (o->format && strcmp(o->format, "table") && strcmp(o->format, "json") &&
        strcmp(o->format, "csv"))
        return btk_error_set(BTK_EINVAL, "--format: expected table, json or csv, got '%s'",
                             btk_error_quote(quoted, sizeof(quoted), o->format));
    return 0;
}

static int history(const hopts *o, btk_git *git, btk_store *db)
{
    char(*shas)[41] = NULL;
    size_t count = 0, npts = 0;
    btk_history_point *pts = NULL;
    char *fp = NULL;
    int error;

    if ((error = cli_pick_machine(&fp, db, o->machine)) < 0 ||
        (error = btk_git_first_parent(&shas, &count, git, o->branch ? o->branch : "HEAD",
                                      0)) < 0 ||
        (error = btk_store_history(&pts, &npts, db, o->bench, fp, (const char(*)[41])shas,
                                   count)) < 0)
        goto done;
    if (o->limit > 0 && npts > (size_t)o->limit)
        npts = (size_t)o->limit; /* points are newest first: keep the newest */
    /* btk_history_free below covers all count slots, printed or not. */
    if (o->format && !strcmp(o->format, "json"))
        print_json(o, fp ? fp : "", pts, npts);
    else if (o->format && !strcmp(o->format, "csv"))
        print_csv(pts, npts);
    else
        print_table(o, fp ? fp : "-", pts, npts);
done:
    btk_history_free(pts, count);
    btk__free(shas);
    btk__free(fp);
    return error;
}

/* Check the format, open the repository and the database, print the history. */
static int history_main(const hopts *o)
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
