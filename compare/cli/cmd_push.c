/*
 * benchtrack push: copy the runs of one results database into another (SQLite or
 * PostgreSQL, either way), idempotently: a run is identified by its uid, and a run already
 * in the destination is not stored again. docs/cli/push.md.
 */
#include "cli.h"

typedef struct push_args {
    const char *src, *dst;
} push_args;

static const cli_opt push_opts[] = {
    CLI_OPT_ARG("SRC", push_args, src, CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY,
                "the results database to copy from (a file or postgresql://...; must exist)"),
    CLI_OPT_ARG("DST", push_args, dst, CLI_OPT_REQUIRED | CLI_OPT_NONEMPTY,
                "the results database to copy into (created when absent)"),
    CLI_OPT_END,
};

static const cli_cmd push_cmd = {"push", push_opts};

typedef struct push_counts {
    size_t pushed, present;
} push_counts;

/* Copy run id of src into dst unless a run with its uid is there. */
static int push_one(push_counts *n, btk_store *src, btk_store *dst, int64_t id)
{
    char uid[BTK_STORE_UID_LEN + 1];
    btk_run *run = NULL;
    int64_t there = 0;
    bool added = false;
    int error;

    if ((error = btk_store_run_uid(uid, src, id)) < 0)
        return error;
    if ((error = btk_store_find_uid(&there, dst, uid)) == 0) {
        n->present++;
        return 0;
    }
    if (error != BTK_ENOTFOUND)
        return error;
    btk_error_clear();
    if ((error = btk_store_load_run(&run, src, id, true)) == 0 &&
        (error = btk_store_add_run_uid(dst, run, uid, &there, &added)) == 0) {
        if (added)
            n->pushed++;
        else /* another push stored it meanwhile */
            n->present++;
    }
    btk_run_free(run);
    return error;
}

/* Every run of src, oldest first (so ids in dst keep their order). */
static int push_all(push_counts *n, btk_store *src, btk_store *dst)
{
    btk_run_row *rows = NULL;
    size_t count = 0;
    int error;

    if ((error = btk_store_list_runs(&rows, &count, src, 0)) < 0)
        return error;
    for (size_t i = count; i-- > 0 && error == 0;)
        error = push_one(n, src, dst, rows[i].id);
    btk_run_rows_free(rows, count);
    return error;
}

/* "benchtrack: pushed N runs from 'SRC' to 'DST' (M already there)", passwords hidden. */
static int report(const push_counts *n, const char *src, const char *dst)
{
    char *shown[2] = {NULL, NULL};
    btk_buf out = BTK_BUF_INIT;
    int error;

    if ((error = btk_store_redact(&shown[0], src)) == 0 &&
        (error = btk_store_redact(&shown[1], dst)) == 0 &&
        (error = btk_buf_printf(&out, "pushed %zu run%s from '", n->pushed,
                                n->pushed == 1 ? "" : "s")) == 0 &&
        (error = cli_safe_text(&out, shown[0])) == 0 && (error = btk_buf_puts(&out, "' to '")) == 0 &&
        (error = cli_safe_text(&out, shown[1])) == 0)
        error = btk_buf_printf(&out, "' (%zu already there)\n", n->present);
    if (error == 0)
        fputs(btk_buf_cstr(&out), stdout);
    btk_buf_free(&out);
    btk__free(shown[0]);
    btk__free(shown[1]);
    return error < 0 ? BTK_ENOMEM : 0;
}

int cmd_push(int argc, char **argv)
{
    push_args a = {NULL, NULL};
    push_counts n = {0, 0};
    btk_store *src = NULL, *dst = NULL;
    int status, error;

    if (!cli_parse_args(&status, &a, &push_cmd, argc, argv))
        return status;
    if (*a.src == '\0' || *a.dst == '\0') /* never the default database instead */
        return cli_die(CLI_EXIT_USAGE, "push: SRC and DST must name results databases");
    if ((error = cli_open_store(&src, a.src, NULL, true)) == 0 &&
        (error = cli_open_store(&dst, a.dst, NULL, false)) == 0)
        error = push_all(&n, src, dst);
    btk_store_close(src);
    btk_store_close(dst);
    if (error == 0)
        error = report(&n, a.src, a.dst);
    return error < 0 ? cli_fail() : CLI_EXIT_OK;
}
