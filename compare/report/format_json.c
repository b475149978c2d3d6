/*
 * JSON output of a comparison (jansson): a header object and one object per benchmark with
 * every figure behind its verdict; unknown numbers are null. Schema: docs/cli/compare.md.
 */
#include "format.h"

#include <math.h>

#include <jansson.h>

static json_t *num(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

/* A JSON string of untrusted text; bytes that are not valid UTF-8 become '?'. */
static json_t *str(const char *s)
{
    json_t *j;
    char *copy;

    if (s == NULL)
        return json_null();
    if ((j = json_string(s)) != NULL)
        return j;
    if ((copy = btk__strdup(s)) == NULL)
        return NULL;
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    j = json_string(copy);
    btk__free(copy);
    return j;
}

/* The metric fields (docs/cli/compare.md, "JSON"): what the medians are of, and the count
 * verdict next to the time verdict. Non-zero when a set failed. */
static int set_metric(json_t *o, const btk_verdict *v)
{
    return json_object_set_new(o, "metric", str(v->metric ? v->metric : "wall")) ||
           json_object_set_new(o, "count_verdict",
                               v->has_count ? json_string(btk_verdict_name(v->count_kind))
                                            : json_null()) ||
           json_object_set_new(o, "base_instructions", num(v->base_count)) ||
           json_object_set_new(o, "new_instructions", num(v->new_count)) ||
           json_object_set_new(o, "count_ratio", num(v->count_ratio)) ||
           json_object_set_new(o, "count_threshold",
                               v->has_count ? num(v->count_threshold) : json_null()) ||
           json_object_set_new(o, "disagree", json_boolean(v->disagree));
}

static json_t *verdict_json(const btk_verdict *v)
{
    json_t *o = json_object();
    /* medians of core cycles are not ns: their keys say cycles (docs/cli/compare.md) */
    bool cycles = v->metric && !strcmp(v->metric, "cycles");

    if (o == NULL)
        return NULL;
    /* json_object_set_new steals the value even on failure; a NULL value fails the set */
    if (json_object_set_new(o, "name", str(v->name)) ||
        json_object_set_new(o, "verdict", json_string(btk_verdict_name(v->kind))) ||
        json_object_set_new(o, cycles ? "base_median_cycles" : "base_median_ns",
                            num(v->base_median)) ||
        json_object_set_new(o, cycles ? "new_median_cycles" : "new_median_ns",
                            num(v->new_median)) ||
        json_object_set_new(o, "ratio", num(v->ratio)) ||
        json_object_set_new(o, "ci_low", num(v->ci_low)) ||
        json_object_set_new(o, "ci_high", num(v->ci_high)) ||
        json_object_set_new(o, "p", num(v->p_value)) ||
        json_object_set_new(o, "q", num(v->q_value)) ||
        json_object_set_new(o, "noise_band", num(v->noise_band)) ||
        json_object_set_new(o, "unit", str(v->unit)) ||
        json_object_set_new(o, "units_base", json_integer((json_int_t)v->units_base)) ||
        json_object_set_new(o, "units_new", json_integer((json_int_t)v->units_new)) ||
        json_object_set_new(o, "units_needed", json_integer((json_int_t)v->units_needed)) ||
        json_object_set_new(o, "base_allocs_per_iter", num(v->base_allocs)) ||
        json_object_set_new(o, "new_allocs_per_iter", num(v->new_allocs)) ||
        json_object_set_new(o, "base_bytes_per_iter", num(v->base_bytes)) ||
        json_object_set_new(o, "new_bytes_per_iter", num(v->new_bytes)) ||
        json_object_set_new(o, "base_peak_rss_bytes",
                            v->base_peak_rss < 0 ? json_null()
                                                 : json_integer(v->base_peak_rss)) ||
        json_object_set_new(o, "new_peak_rss_bytes",
                            v->new_peak_rss < 0 ? json_null() : json_integer(v->new_peak_rss)) ||
        json_object_set_new(o, "time_verdict", json_string(btk_verdict_name(v->time_kind))) ||
        json_object_set_new(o, "memory_verdict",
                            v->has_memory ? json_string(btk_verdict_name(v->memory_kind))
                                          : json_null()) ||
        json_object_set_new(o, "rss_ratio", num(v->rss_ratio)) ||
        json_object_set_new(o, "rss_ci_low", num(v->rss_ci_low)) ||
        json_object_set_new(o, "rss_ci_high", num(v->rss_ci_high)) ||
        json_object_set_new(o, "rss_p", num(v->rss_p)) ||
        json_object_set_new(o, "unit_spread", num(v->unit_spread)) ||
        json_object_set_new(o, "run_noise", num(v->run_noise)) ||
        json_object_set_new(o, "noise_runs", json_integer((json_int_t)v->noise_runs)) ||
        json_object_set_new(o, "noise_source", str(v->noise_source)) ||
        json_object_set_new(o, "reason", str(v->reason)) || set_metric(o, v)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The clock note's text, or null when there is none. */
static json_t *clock_note(const btk_comparison *cmp)
{
    btk_buf text = BTK_BUF_INIT;
    json_t *j;

    if (btk_format__clock_note(&text, cmp) < 0)
        return NULL;
    j = text.len ? str(btk_buf_cstr(&text)) : json_null();
    btk_buf_free(&text);
    return j;
}

static json_t *header_json(const btk_comparison *cmp, const btk_format_header *hdr)
{
    json_t *o = json_object();

    if (o == NULL)
        return NULL;
    if (json_object_set_new(o, "tool", str(hdr && hdr->title ? hdr->title
                                                                      : "benchtrack")) ||
        json_object_set_new(o, "base", str(hdr ? hdr->base : NULL)) ||
        json_object_set_new(o, "contender", str(hdr ? hdr->contender : NULL)) ||
        json_object_set_new(o, "machine", str(hdr ? hdr->machine : NULL)) ||
        json_object_set_new(o, "warning", str(hdr ? hdr->warning : NULL)) ||
        json_object_set_new(o, "alpha", num(hdr ? hdr->alpha : NAN)) ||
        json_object_set_new(o, "benchmarks", json_integer((json_int_t)cmp->count)) ||
        json_object_set_new(o, "regressions", json_integer((json_int_t)cmp->regressions)) ||
        json_object_set_new(o, "improvements", json_integer((json_int_t)cmp->improvements)) ||
        json_object_set_new(o, "metric", json_string(btk_compare_metric_name(cmp->metric))) ||
        json_object_set_new(o, "median_unit",
                            cmp->metric == BTK_COMPARE_AUTO
                                ? json_null() /* each result's metric says */
                                : json_string(btk_compare_metric_unit(cmp->metric))) ||
        json_object_set_new(o, "clock_base_ghz", num(cmp->clock_base)) ||
        json_object_set_new(o, "clock_new_ghz", num(cmp->clock_new)) ||
        json_object_set_new(o, "clock_note", clock_note(cmp)) ||
        json_object_set_new(o, "clock_untrusted", json_boolean(cmp->clock_untrusted))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int btk_format__json(btk_buf *out, const btk_comparison *cmp, const btk_format_header *hdr)
{
    json_t *root = json_object(), *items = json_array();
    char *text = NULL;
    int error = BTK_ENOMEM;

    if (root == NULL || items == NULL)
        goto done;
    for (size_t i = 0; i < cmp->count; i++)
        if (json_array_append_new(items, verdict_json(&cmp->items[i])) != 0)
            goto done;
    if (json_object_set_new(root, "comparison", header_json(cmp, hdr)) != 0)
        goto done;
    if (json_object_set(root, "results", items) != 0)
        goto done;
    if ((text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
        goto done;
    error = btk_buf_puts(out, text);
    if (error == 0)
        error = btk_buf_puts(out, "\n");
done:
    free(text);
    json_decref(items);
    json_decref(root);
    if (error == BTK_ENOMEM && btk_error_last()->code != BTK_ENOMEM)
        btk_error_set(BTK_ENOMEM, "out of memory writing JSON");
    return error;
}
