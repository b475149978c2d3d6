/*
 * benchtrack report -o DIR: the static HTML report of a branch (docs/cli/report.md). The
 * last line on stdout is the path of the index.html written.
 */
#include "cli.h"
#include "report.h"

typedef struct ropts {
    const char *db, *repo, *branch, *base, *out, *format, *limit;
} ropts;

static const char usage_text[] =
    "usage: benchtrack report -o DIR [--branch B] [--base REF] [--limit N]\n"
    "                         [--format svg|png] [--db PATH] [--repo DIR]\n";

static int parse(ropts *o, int argc, char **argv)
{
    char quoted[80];
    int a;

    for (a = 1; a < argc; a++) {
        const char *name = argv[a];
        if (cli_option("-o", argc, argv, &a, &o->out) ||
            cli_option("--output", argc, argv, &a, &o->out) ||
            cli_option("--db", argc, argv, &a, &o->db) ||
            cli_option("--repo", argc, argv, &a, &o->repo) ||
            cli_option("--branch", argc, argv, &a, &o->branch) ||
            cli_option("--base", argc, argv, &a, &o->base) ||
            cli_option("--format", argc, argv, &a, &o->format) ||
            cli_option("--limit", argc, argv, &a, &o->limit)) {
            if (argv[a] == name && !strchr(name, '='))
                return btk_error_set(BTK_EINVAL, "option '%s' needs a value",
                                     btk_error_quote(quoted, sizeof(quoted), name));
        } else {
            return btk_error_set(BTK_EINVAL, "unknown argument '%s' for report",
                                 btk_error_quote(quoted, sizeof(quoted), name));
        }
    }
    if (o->out == NULL || *o->out == '\0')
        return btk_error_set(BTK_EINVAL, "report needs an output directory: -o DIR");
    if (o->format && strcmp(o->format, "svg") && strcmp(o->format, "png"))
        return btk_error_set(BTK_EINVAL, "--format: expected svg or png, got '%s'",
                             btk_error_quote(quoted, sizeof(quoted), o->format));
    return 0;
}

/* The branch's label: the name given, else HEAD's branch, else "HEAD". */
static int branch_label(btk_buf *out, btk_git *git, const char *given)
{
    btk_commit head;
    int error;

    if (given)
        return btk_buf_puts(out, given);
    memset(&head, 0, sizeof(head));
    if (btk_git_head_info(&head, git) < 0) {
        btk_error_clear();
        return btk_buf_puts(out, "HEAD");
    }
    error = btk_buf_puts(out, head.branch ? head.branch : "HEAD");
    btk_commit_clear(&head);
    return error;
}

static int report(const ropts *o, btk_git *git, btk_store *db)
{
    btk_report_options ro = BTK_REPORT_OPTIONS_INIT;
    btk_buf index = BTK_BUF_INIT, label = BTK_BUF_INIT;
    char(*shas)[41] = NULL, base[41];
    size_t count = 0;
    long limit = 100;
    int error;

    if ((o->limit &&
         (error = cli_parse_long(&limit, "--limit", o->limit, 1, 100000)) < 0) ||
        (error = btk_git_first_parent(&shas, &count, git, o->branch ? o->branch : "HEAD",
                                      (size_t)limit)) < 0 ||
        (o->base && (error = btk_git_resolve(base, git, o->base)) < 0) ||
        (error = branch_label(&label, git, o->branch)) < 0)
        goto done;
    ro.out_dir = o->out;
    ro.branch = label.ptr;
    ro.shas = (const char(*)[41])shas;
    ro.sha_count = count;
    ro.base_sha = o->base ? base : NULL;
    ro.format = o->format && !strcmp(o->format, "png") ? BTK_CHART_PNG : BTK_CHART_SVG;
    if ((error = btk_report_write(db, &ro, &index)) == 0)
        printf("%s\n", index.ptr);
done:
    btk_buf_free(&index);
    btk_buf_free(&label);
    btk__free(shas);
    return error;
}

int cmd_report(int argc, char **argv)
{
    ropts o;
    btk_buf gp = BTK_BUF_INIT;
    btk_git *git = NULL;
    btk_store *db = NULL;
    int rc = CLI_EXIT_OK;

    memset(&o, 0, sizeof(o));
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    }
    if (parse(&o, argc, argv) < 0 || btk_chart_find_gnuplot(&gp) < 0 ||
        btk_git_open(&git, o.repo) < 0 || cli_open_store(&db, o.db, git, true) < 0 ||
        report(&o, git, db) < 0)
        rc = cli_fail();
    btk_buf_free(&gp);
    btk_store_close(db);
    btk_git_close(git);
    return rc;
}
