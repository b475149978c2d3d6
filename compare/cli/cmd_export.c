/*
 * benchtrack export: stored results for other tools. By default the latest clean result of
 * every benchmark on every machine, as OpenMetrics text for Prometheus and Grafana; with
 * --history every stored result (CSV or JSON) for notebooks. docs/cli/export.md.
 */
#include "cli.h"
#include "export.h"
#include "outfile.h"

typedef struct export_args {
    const char *format, *out, *machine, *db, *repo;
    bool history, include_dirty;
} export_args;

static const cli_opt export_opts[] = {
    CLI_OPT_STRING("--format", "openmetrics|csv|json", export_args, format,
                   "output format (default openmetrics)"),
    CLI_OPT_FLAG("--history", export_args, history, 0,
                 "every stored result, oldest run first (csv and json only)"),
    CLI_OPT_STRING("--machine", "M", export_args, machine,
                   "only this machine: name, fingerprint prefix or host name "
                   "(default: all)"),
    CLI_OPT_FLAG("--include-dirty", export_args, include_dirty, 0,
                 "also runs recorded from a modified working tree"),
    CLI_OPT_STRING("--out", "FILE", export_args, out, "write there instead of stdout"),
    CLI_OPT_STRING("--db", "PATH", export_args, db, "results database (must exist)"),
    CLI_OPT_STRING("--repo", "DIR", export_args, repo, "the repository"),
    CLI_OPT_END,
};

static const cli_cmd export_cmd = {"export", export_opts};

/* The loaded runs, the rows that point into them, and (latest mode) the set of
 * "fingerprint\x1fname" keys already kept: an open-addressing hash table. */
typedef struct collected {
    btk_run **runs;
    size_t run_count;
    btk_export_row *rows;
    size_t row_count, row_alloc;
    char **keys;
    size_t key_count, key_slots; /* slots: a power of two, at most half full */
} collected;

static void collected_free(collected *c)
{
    for (size_t i = 0; i < c->run_count; i++)
        btk_run_free(c->runs[i]);
    for (size_t i = 0; i < c->key_slots; i++)
        btk__free(c->keys[i]);
    btk__free(c->runs);
    btk__free(c->rows);
    btk__free(c->keys);
}

static size_t slot_of(char **keys, size_t slots, const char *k)
{
    size_t i = (size_t)btk__fnv1a(BTK_FNV1A_INIT, k, strlen(k)) & (slots - 1);

    while (keys[i] && strcmp(keys[i], k))
        i = (i + 1) & (slots - 1);
    return i;
}

static int grow_keys(collected *c)
{
    size_t slots = c->key_slots ? 2 * c->key_slots : 1024;
    char **keys = btk__calloc(slots, sizeof(*keys));

    if (keys == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < c->key_slots; i++)
        if (c->keys[i])
            keys[slot_of(keys, slots, c->keys[i])] = c->keys[i];
    btk__free(c->keys);
    c->keys = keys;
    c->key_slots = slots;
    return 0;
}

/* 1 when the key of (machine, name) is new (and now kept), 0 when seen, BTK_ENOMEM. */
static int first_time(collected *c, const char *fp, const char *name)
{
    btk_buf key = BTK_BUF_INIT;
    size_t i;

    if ((2 * (c->key_count + 1) > c->key_slots && grow_keys(c) < 0) ||
        btk_buf_printf(&key, "%s\x1f%s", fp ? fp : "", name) < 0) {
        btk_buf_free(&key);
        return BTK_ENOMEM;
    }
    i = slot_of(c->keys, c->key_slots, btk_buf_cstr(&key));
    if (c->keys[i]) {
        btk_buf_free(&key);
        return 0;
    }
    if ((c->keys[i] = btk_buf_detach(&key)) == NULL)
        return BTK_ENOMEM;
    c->key_count++;
    return 1;
}

static int add_row(collected *c, const btk_run_row *r, const btk_result *res)
{
    if (c->row_count == c->row_alloc) {
        size_t n = c->row_alloc ? 2 * c->row_alloc : 64;
        btk_export_row *grown = btk__realloc(c->rows, n * sizeof(*grown));

        if (grown == NULL)
            return BTK_ENOMEM;
        c->rows = grown;
        c->row_alloc = n;
    }
    c->rows[c->row_count++] = (btk_export_row){
        /* the machine's stable label, not the run's host: an ephemeral CI runner's host
         * name would start a new series every job (docs/cli/export.md) */
        res->name, r->machine_fp, r->machine_name ? r->machine_name : r->machine_host,
        r->sha[0] ? r->sha : NULL, r->branch,
        r->date, r->id, r->dirty, res};
    return 0;
}

/* How many (machine, benchmark) pairs the store holds for the machines exported: the
 * latest-mode walk stops once it has one row for each. */
static int pairs_stored(size_t *out, btk_store *db, const char *machine_fp)
{
    char **fps = NULL, **names = NULL;
    size_t nfp = 0, nnames = 0;
    int error = 0;

    *out = 0;
    if (machine_fp == NULL && (error = btk_store_machines(&fps, &nfp, db)) < 0)
        return error;
    for (size_t i = 0; i < (machine_fp ? 1 : nfp) && error == 0; i++) {
        if ((error = btk_store_benchmark_names(&names, &nnames, db,
                                               machine_fp ? machine_fp : fps[i])) == 0)
            *out += nnames;
        btk_strings_free(names, nnames);
        names = NULL, nnames = 0;
    }
    btk_strings_free(fps, nfp);
    return error;
}

/* Load the runs the export covers and collect its rows: in latest mode the newest run
 * first, one row per (machine, benchmark); in history mode every result, oldest run first. */
static int collect(collected *c, btk_store *db, const btk_run_row *rows, size_t count,
                   const char *machine_fp, const export_args *a)
{
    size_t pairs = 0;
    int error = 0, fresh;

    if ((c->runs = btk__calloc(count ? count : 1, sizeof(*c->runs))) == NULL)
        return btk_error_set(BTK_ENOMEM, "out of memory");
    if (!a->history && (error = pairs_stored(&pairs, db, machine_fp)) < 0)
        return error;
    for (size_t n = 0; n < count && error == 0; n++) {
        const btk_run_row *r = &rows[a->history ? count - 1 - n : n];
        btk_run *run = NULL;

        if (!a->history && c->key_count >= pairs)
            break; /* every benchmark of every machine has its latest result */
        if ((r->dirty && !a->include_dirty) ||
            (machine_fp && (!r->machine_fp || strcmp(r->machine_fp, machine_fp))))
            continue;
        if ((error = btk_store_load_run(&run, db, r->id, false)) < 0)
            break;
        if (run->measure != BTK_MEASURE_KIND_TIME) { /* instructions are not times */
            btk_run_free(run);
            continue;
        }
        c->runs[c->run_count++] = run;
        for (size_t i = 0; i < run->result_count && error == 0; i++) {
            const btk_result *res = &run->results[i];

            fresh = a->history ? 1 : first_time(c, r->machine_fp, res->name);
            error = fresh < 0 ? fresh : fresh ? add_row(c, r, res) : 0;
        }
        if (error == BTK_ENOMEM)
            return btk_error_set(BTK_ENOMEM, "out of memory");
    }
    return error;
}

/* Write text to path (outfile.c: never over the open database) or to standard output. */
static int write_out(const char *path, const btk_buf *text)
{
    if (path)
        return btk_outfile_write(path, btk_buf_cstr(text), text->len, 0);
    if (fwrite(btk_buf_cstr(text), 1, text->len, stdout) != text->len || fflush(stdout) != 0)
        return btk_error_set(BTK_EIO, "cannot write to standard output: %s",
                             strerror(errno ? errno : EIO));
    return 0;
}

static int export_results(const export_args *a, btk_export_format format)
{
    btk_git *git = NULL;
    btk_store *db = NULL;
    btk_run_row *rows = NULL;
    size_t count = 0;
    char *fp = NULL;
    collected c = {0};
    btk_buf text = BTK_BUF_INIT;
    int error;

    if ((error = btk_git_open(&git, a->repo)) < 0 && a->repo)
        return error;
    btk_error_clear();
    if ((error = cli_open_store(&db, a->db, git, true)) == 0 &&
        (a->machine == NULL || (error = cli_pick_machine(&fp, db, a->machine)) == 0) &&
        (error = btk_store_list_runs(&rows, &count, db, 0)) == 0 &&
        (error = collect(&c, db, rows, count, fp, a)) == 0 &&
        (error = btk_export_write(&text, format, c.rows, c.row_count)) == 0)
        error = write_out(a->out, &text);
    btk_buf_free(&text);
    collected_free(&c);
    btk_run_rows_free(rows, count);
    btk__free(fp);
    btk_store_close(db);
    btk_git_close(git);
    return error;
}

int cmd_export(int argc, char **argv)
{
    export_args a = {0};
    btk_export_format format = BTK_EXPORT_OPENMETRICS;
    int status;

    if (!cli_parse_args(&status, &a, &export_cmd, argc, argv))
        return status;
    if (a.format && btk_export_parse_format(&format, a.format) < 0)
        return cli_usage_fail(&export_cmd);
    if (a.history && format == BTK_EXPORT_OPENMETRICS) {
        btk_error_set(BTK_EINVAL, "--history needs --format csv or json (OpenMetrics "
                                  "exports the latest result of each benchmark)");
        return cli_usage_fail(&export_cmd);
    }
    return export_results(&a, format) < 0 ? cli_fail() : CLI_EXIT_OK;
}
