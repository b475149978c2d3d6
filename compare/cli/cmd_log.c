/*
 * benchtrack log: the stored runs, newest first. docs/cli/log.md.
 */
#include "cli.h"

enum { COL_RUN, COL_COMMIT, COL_BRANCH, COL_MACHINE, COL_DATE, COL_RESULTS, COL_SUBJECT,
       COLS };

static const char *const headers[COLS] = {"run", "commit", "branch", "machine", "date",
                                          "results", "subject"};

/* Display width of UTF-8 text: code points (continuation bytes do not count). */
static size_t text_width(const char *s)
{
    size_t w = 0;

    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

/* The cells of one row, untrusted text escaped (cli_safe_text); freed by free_cells. */
static int row_cells(char *cells[COLS], const btk_run_row *r)
{
    btk_buf b[COLS];
    int error = 0, c;

    for (c = 0; c < COLS; c++)
        b[c] = (btk_buf)BTK_BUF_INIT;
    error |= btk_buf_printf(&b[COL_RUN], "%" PRId64, r->id);
    error |= btk_buf_printf(&b[COL_COMMIT], "%.12s%s", r->sha[0] ? r->sha : "-",
                            r->dirty ? "+" : "");
    error |= cli_safe_text(&b[COL_BRANCH], r->branch ? r->branch : "-");
    if (r->machine_name) /* a named class: its name, then the host of this run */
        error |= cli_safe_text(&b[COL_MACHINE], r->machine_name) |
                 btk_buf_puts(&b[COL_MACHINE], " on ");
    error |= cli_safe_text(&b[COL_MACHINE], r->hostname ? r->hostname : "?");
    error |= btk_buf_printf(&b[COL_MACHINE], " (%.8s)", r->machine_fp ? r->machine_fp : "?");
    error |= btk_buf_puts(&b[COL_DATE], r->date ? r->date : "-");
    error |= btk_buf_printf(&b[COL_RESULTS], "%" PRId64 " benchmarks", r->benchmarks);
    if (r->failures)
        error |= btk_buf_printf(&b[COL_RESULTS], ", %" PRId64 " failed", r->failures);
    error |= cli_safe_text(&b[COL_SUBJECT], r->subject ? r->subject : "");
    for (c = 0; c < COLS; c++) {
        cells[c] = error ? NULL : btk_buf_detach(&b[c]);
        btk_buf_free(&b[c]);
        if (cells[c] == NULL)
            error = BTK_ENOMEM;
    }
    return error ? BTK_ENOMEM : 0;
}

static void free_cells(char *cells[COLS])
{
    for (int c = 0; c < COLS; c++)
        btk__free(cells[c]);
}

/* Left-aligned columns two spaces apart (the run id right-aligned); the subject last. */
static void print_line(const char *const cells[COLS], const size_t width[COLS])
{
    for (int c = 0; c < COLS; c++) {
        size_t w = text_width(cells[c]), pad = width[c] > w ? width[c] - w : 0;

        if (c == COL_RUN)
            printf("%*s%s", (int)pad, "", cells[c]);
        else
            printf("  %s%*s", cells[c], c == COL_SUBJECT ? 0 : (int)pad, "");
    }
    putchar('\n');
}

static int print_table(const btk_run_row *rows, size_t count)
{
    char *(*cells)[COLS] = btk__calloc(count + 1, sizeof(*cells));
    size_t width[COLS], i;
    int c, error = 0;

    if (cells == NULL)
        return BTK_ENOMEM;
    for (c = 0; c < COLS; c++)
        width[c] = strlen(headers[c]);
    for (i = 0; i < count && error == 0; i++) {
        if ((error = row_cells(cells[i], &rows[i])) < 0)
            break;
        for (c = 0; c < COLS; c++)
            if (text_width(cells[i][c]) > width[c])
                width[c] = text_width(cells[i][c]);
    }
    if (error == 0) {
        print_line(headers, width);
        for (i = 0; i < count; i++)
            print_line((const char *const *)cells[i], width);
    }
    for (i = 0; i < count; i++)
        free_cells(cells[i]);
    btk__free(cells);
    return error < 0 ? btk_error_set(BTK_ENOMEM, "out of memory") : 0;
}

typedef struct log_args {
    const char *db, *repo;
    long limit; /* 0: all */
} log_args;

static const cli_opt log_opts[] = {
    CLI_OPT_STRING("--db", "PATH", log_args, db, "results database (must exist)"),
    CLI_OPT_STRING("--repo", "DIR", log_args, repo, "the repository"),
    CLI_OPT_LONG("--limit", "N", log_args, limit, 1, 1000000000,
                 "the N newest runs only"),
    CLI_OPT_END,
};

static const cli_cmd log_cmd = {"log", log_opts};

static int list_runs(const log_args *a)
{
    btk_git *git = NULL;
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    size_t count = 0;
    int error;

    if ((error = btk_git_open(&git, a->repo)) < 0 && a->repo)
        return error;
    btk_error_clear();
    if ((error = cli_open_store(&db, a->db, git, true)) == 0 &&
        (error = btk_store_list_runs(&rows, &count, db, (size_t)a->limit)) == 0)
        error = print_table(rows, count);
    btk_run_rows_free(rows, count);
    btk_store_close(db);
    btk_git_close(git);
    return error;
}

int cmd_log(int argc, char **argv)
{
    log_args a = {NULL, NULL, 0};
    int status;

    if (!cli_parse_args(&status, &a, &log_cmd, argc, argv))
        return status;
    return list_runs(&a) < 0 ? cli_fail() : CLI_EXIT_OK;
}
