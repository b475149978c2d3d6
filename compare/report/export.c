/*
 * `benchtrack export`'s writers. OpenMetrics text: one gauge family per figure, samples
 * grouped by family, every label value escaped (escape.c), non-finite values left out, and
 * "# EOF" last. CSV: one row per result, cells escaped against formula injection. JSON
 * (jansson): the same fields, unknown numbers null. docs/cli/export.md.
 */
#include "export.h"
#include "escape.h"
#include "stats.h"

#include <math.h>

#include <jansson.h>

int btk_export_parse_format(btk_export_format *out, const char *name)
{
    char q[80];

    if (!strcmp(name, "openmetrics"))
        *out = BTK_EXPORT_OPENMETRICS;
    else if (!strcmp(name, "csv"))
        *out = BTK_EXPORT_CSV;
    else if (!strcmp(name, "json"))
        *out = BTK_EXPORT_JSON;
    else
        return btk_error_set(BTK_EINVAL, "unknown export format '%s' (openmetrics, csv, json)",
                             btk_error_quote(q, sizeof(q), name));
    return 0;
}

static bool ok(const btk_export_row *r)
{
    return r->result->status == BTK_RESULT_OK;
}

/* ---- OpenMetrics ---- */

/* `{benchmark="...",machine="...",hostname="...",commit="..."` (no closing brace). */
static int om_labels(btk_buf *out, const btk_export_row *r)
{
    int error = btk_buf_puts(out, "{benchmark=\"");

    error = error ? error : btk_escape_openmetrics(out, r->benchmark);
    error = error ? error : btk_buf_puts(out, "\",machine=\"");
    error = error ? error : btk_escape_openmetrics(out, r->machine_fp ? r->machine_fp : "");
    error = error ? error : btk_buf_puts(out, "\",hostname=\"");
    error = error ? error : btk_escape_openmetrics(out, r->hostname ? r->hostname : "");
    error = error ? error : btk_buf_puts(out, "\",commit=\"");
    error = error ? error : btk_escape_openmetrics(out, r->sha ? r->sha : "");
    return error ? error : btk_buf_puts(out, "\"");
}

static int om_family(btk_buf *out, const char *name, const char *unit, const char *help)
{
    int error = btk_buf_printf(out, "# TYPE %s gauge\n", name);

    if (error == 0 && unit)
        error = btk_buf_printf(out, "# UNIT %s %s\n", name, unit);
    return error ? error : btk_buf_printf(out, "# HELP %s %s\n", name, help);
}

/* One sample line; nothing for a non-finite value. extra: more labels or "". */
static int om_sample(btk_buf *out, const char *name, const btk_export_row *r,
                     const char *extra, double value)
{
    int error;

    if (!isfinite(value))
        return 0;
    error = btk_buf_puts(out, name);
    error = error ? error : om_labels(out, r);
    return error ? error : btk_buf_printf(out, "%s} %.17g\n", extra, value);
}

static double mem_value(const btk_memory *m, int which)
{
    if (which == 2)
        return m->peak_rss_bytes >= 0 ? (double)m->peak_rss_bytes : NAN;
    if (!m->tracked)
        return NAN;
    return which == 0 ? m->allocs_per_iter : m->bytes_per_iter;
}

/* p50, p90, p95, p99, p999: percentiles of single calls in a per-call result. */
static bool is_percentile(const btk_stats_metric *m)
{
    return m->name[0] == 'p' && m->name[1] >= '0' && m->name[1] <= '9';
}

/* Bytes or items per iteration; 0 (the benchmark did not set it) is unknown. */
static double throughput(double per_iter)
{
    return per_iter > 0 ? per_iter : NAN;
}

/* "calls" when the result's percentiles are of single calls (per-call mode), else
 * "samples". */
static const char *percentiles_of(const btk_export_row *r)
{
    return r->result->call_percentiles ? "calls" : "samples";
}

static int write_openmetrics(btk_buf *out, const btk_export_row *rows, size_t count)
{
    static const struct {
        const char *name, *unit, *help;
    } mem[] = {
        {"benchtrack_allocations_per_iteration", NULL,
         "Allocations per iteration of the body (counted exactly, timed region only)."},
        {"benchtrack_allocated_per_iteration_bytes", "bytes",
         "Bytes requested from malloc per iteration of the body."},
        {"benchtrack_peak_rss_bytes", "bytes",
         "Peak resident set size of the benchmark's processes."},
    };
    char extra[96], call_extra[96];
    int error;
    size_t i, k;

    error = om_family(out, "benchtrack_result_ok", NULL,
                      "1 when the benchmark's latest result is ok, 0 when it failed.");
    for (i = 0; error == 0 && i < count; i++)
        error = om_sample(out, "benchtrack_result_ok", &rows[i], "", ok(&rows[i]) ? 1 : 0);
    if (error == 0)
        error = om_family(out, "benchtrack_time_seconds", "seconds",
                          "Time per iteration; the stat label names the statistic "
                          "(docs/json-format.md).");
    for (k = 0; error == 0 && k < BTK_STATS_METRIC_COUNT; k++) {
        const btk_stats_metric *m = btk_stats_metric_at(k);

        if (m->unit != BTK_STATS_NS)
            continue;
        snprintf(extra, sizeof(extra), ",stat=\"%s\"", m->name);
        snprintf(call_extra, sizeof(call_extra), ",stat=\"call_%s\"", m->name);
        for (i = 0; error == 0 && i < count; i++)
            if (ok(&rows[i]))
                error = om_sample(out, "benchtrack_time_seconds", &rows[i],
                                  is_percentile(m) && rows[i].result->call_percentiles
                                      ? call_extra
                                      : extra,
                                  btk_stats_get(&rows[i].result->stats, m) * 1e-9);
    }
    for (k = 0; error == 0 && k < BTK_ARRAY_SIZE(mem); k++) {
        error = om_family(out, mem[k].name, mem[k].unit, mem[k].help);
        for (i = 0; error == 0 && i < count; i++)
            if (ok(&rows[i]))
                error = om_sample(out, mem[k].name, &rows[i], "",
                                  mem_value(&rows[i].result->memory, (int)k));
    }
    return error ? error : btk_buf_puts(out, "# EOF\n");
}

/* ---- CSV ---- */

static int csv_num(btk_buf *out, double v)
{
    int error = btk_buf_put(out, ",", 1);

    return error || !isfinite(v) ? error : btk_buf_printf(out, "%.17g", v);
}

static int csv_text(btk_buf *out, const char *s, bool first)
{
    int error = first ? 0 : btk_buf_put(out, ",", 1);

    return error ? error : btk_escape_csv(out, s ? s : "");
}

static int csv_row(btk_buf *out, const btk_export_row *r)
{
    const btk_result *res = r->result;
    const btk_memory *m = &res->memory;
    int error = csv_text(out, r->benchmark, true);
    size_t k;

    error = error ? error : csv_text(out, r->machine_fp, false);
    error = error ? error : csv_text(out, r->hostname, false);
    error = error ? error : csv_text(out, r->sha, false);
    error = error ? error : csv_text(out, r->branch, false);
    error = error ? error : btk_buf_printf(out, ",%" PRId64 ",", r->run_id);
    error = error ? error : btk_escape_csv(out, r->date ? r->date : "");
    error = error ? error : btk_buf_printf(out, ",%d,%s", r->dirty ? 1 : 0,
                                           ok(r) ? "ok" : "failed");
    for (k = 0; error == 0 && k < BTK_STATS_METRIC_COUNT; k++) {
        const btk_stats_metric *met = btk_stats_metric_at(k);

        if (met->unit == BTK_STATS_NS || met->unit == BTK_STATS_COUNT)
            error = csv_num(out, ok(r) ? btk_stats_get(&res->stats, met) : NAN);
    }
    error = error ? error : csv_num(out, ok(r) ? mem_value(m, 0) : NAN);
    error = error ? error : csv_num(out, ok(r) ? mem_value(m, 1) : NAN);
    error = error ? error : csv_num(out, ok(r) ? mem_value(m, 2) : NAN);
    error = error ? error : csv_num(out, ok(r) ? throughput(res->bytes_per_iter) : NAN);
    error = error ? error : csv_num(out, ok(r) ? throughput(res->items_per_iter) : NAN);
    error = error ? error : btk_buf_put(out, ",", 1);
    error = error ? error : btk_buf_puts(out, ok(r) ? percentiles_of(r) : "");
    return error ? error : btk_buf_put(out, "\n", 1);
}

static int write_csv(btk_buf *out, const btk_export_row *rows, size_t count)
{
    int error = btk_buf_puts(out, "benchmark,machine,hostname,commit,branch,run,date,dirty,"
                                  "status");
    size_t k, i;

    for (k = 0; error == 0 && k < BTK_STATS_METRIC_COUNT; k++) {
        const btk_stats_metric *m = btk_stats_metric_at(k);

        if (m->unit == BTK_STATS_NS)
            error = btk_buf_printf(out, ",%s_ns", m->name);
        else if (m->unit == BTK_STATS_COUNT)
            error = btk_buf_printf(out, ",%s", m->name);
    }
    error = error ? error : btk_buf_puts(out, ",allocs_per_iter,bytes_per_iter,peak_rss_bytes,"
                                              "throughput_bytes_per_iter,"
                                              "throughput_items_per_iter,percentiles\n");
    for (i = 0; error == 0 && i < count; i++)
        error = csv_row(out, &rows[i]);
    return error;
}

/* ---- JSON ---- */

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* A JSON string of untrusted text; bytes that are not valid UTF-8 become '?'. */
static json_t *jstr(const char *s)
{
    json_t *j;
    char *copy;

    if (s == NULL)
        return json_null();
    if ((j = json_string(s)) != NULL || (copy = btk__strdup(s)) == NULL)
        return j;
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    j = json_string(copy);
    btk__free(copy);
    return j;
}

static json_t *json_row(const btk_export_row *r)
{
    const btk_result *res = r->result;
    json_t *o = json_object(), *stats = json_object();
    size_t k;

    if (o == NULL || stats == NULL) {
        json_decref(o);
        json_decref(stats);
        return NULL;
    }
    json_object_set_new(o, "benchmark", jstr(r->benchmark));
    json_object_set_new(o, "machine", jstr(r->machine_fp));
    json_object_set_new(o, "hostname", jstr(r->hostname));
    json_object_set_new(o, "commit", jstr(r->sha));
    json_object_set_new(o, "branch", jstr(r->branch));
    json_object_set_new(o, "run", json_integer(r->run_id));
    json_object_set_new(o, "date", jstr(r->date));
    json_object_set_new(o, "dirty", json_boolean(r->dirty));
    json_object_set_new(o, "status", json_string(ok(r) ? "ok" : "failed"));
    for (k = 0; ok(r) && k < BTK_STATS_METRIC_COUNT; k++) {
        const btk_stats_metric *m = btk_stats_metric_at(k);

        if (m->unit == BTK_STATS_COUNT)
            json_object_set_new(stats, m->name,
                                json_integer(btk_stats_get_count(&res->stats, m)));
        else if (m->unit == BTK_STATS_NS)
            json_object_set_new(stats, m->name, jnum(btk_stats_get(&res->stats, m)));
    }
    json_object_set_new(o, "stats", stats);
    json_object_set_new(o, "allocs_per_iter", jnum(ok(r) ? mem_value(&res->memory, 0) : NAN));
    json_object_set_new(o, "bytes_per_iter", jnum(ok(r) ? mem_value(&res->memory, 1) : NAN));
    json_object_set_new(o, "peak_rss_bytes", jnum(ok(r) ? mem_value(&res->memory, 2) : NAN));
    json_object_set_new(o, "throughput_bytes_per_iter",
                        jnum(ok(r) ? throughput(res->bytes_per_iter) : NAN));
    json_object_set_new(o, "throughput_items_per_iter",
                        jnum(ok(r) ? throughput(res->items_per_iter) : NAN));
    json_object_set_new(o, "percentiles", ok(r) ? json_string(percentiles_of(r)) : json_null());
    return o;
}

static int write_json(btk_buf *out, const btk_export_row *rows, size_t count)
{
    json_t *doc = json_object(), *list = json_array(), *row;
    char *text = NULL;
    int error = 0;
    size_t i;

    if (doc == NULL || list == NULL)
        error = BTK_ENOMEM;
    for (i = 0; error == 0 && i < count; i++)
        if ((row = json_row(&rows[i])) == NULL || json_array_append_new(list, row) < 0)
            error = BTK_ENOMEM;
    if (error == 0) {
        json_object_set_new(doc, "format", json_string("benchtrack-export"));
        json_object_set_new(doc, "version", json_integer(1));
        json_object_set_new(doc, "results", list);
        list = NULL;
        if ((text = json_dumps(doc, JSON_INDENT(1))) == NULL)
            error = BTK_ENOMEM;
    }
    if (error == 0)
        error = btk_buf_puts(out, text);
    error = error ? error : btk_buf_put(out, "\n", 1);
    free(text);
    json_decref(list);
    json_decref(doc);
    return error ? btk_error_set(BTK_ENOMEM, "out of memory") : 0;
}

int btk_export_write(btk_buf *out, btk_export_format format, const btk_export_row *rows,
                     size_t count)
{
    int error;

    if (format == BTK_EXPORT_CSV)
        error = write_csv(out, rows, count);
    else if (format == BTK_EXPORT_JSON)
        return write_json(out, rows, count);
    else
        error = write_openmetrics(out, rows, count);
    return error ? btk_error_set(BTK_ENOMEM, "out of memory") : 0;
}
