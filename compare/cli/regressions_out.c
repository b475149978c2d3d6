/*
 * The output formats of benchtrack regressions: a terminal table, markdown (for a CI
 * comment or an issue), JSON and CSV. Benchmark names, commit subjects, authors and notes
 * come from users and repositories: each format escapes them (escape.c's rules, and JSON
 * strings with invalid UTF-8 replaced). docs/cli/regressions.md.
 */
#include "regressions.h"

#include "escape.h"

#include <math.h>

static const char *kind_of(const reg_item *it)
{
    if (it->nondeterministic)
        return "nondeterministic";
    return it->cp.magnitude > 0 ? "regression" : "improvement";
}

/* The unit of the levels: "ns" (wall, cpu), "cycles" (estimated core cycles) or "ins"
 * (instructions per iteration). */
static const char *unit_of(const reg_found *f)
{
    return f->metric == BTK_HISTORY_COUNT    ? "ins"
           : f->metric == BTK_HISTORY_CYCLES ? "cycles"
                                             : "ns";
}

/* The unit in JSON keys and CSV columns (before_ns, before_cycles, before_instructions). */
static const char *key_unit_of(const reg_found *f)
{
    return f->metric == BTK_HISTORY_COUNT    ? "instructions"
           : f->metric == BTK_HISTORY_CYCLES ? "cycles"
                                             : "ns";
}

/* p for table and markdown: "-" when there is none (counts need no test). */
static int put_p(btk_buf *b, double p)
{
    return isfinite(p) ? btk_buf_printf(b, "%.2g", p) : btk_buf_puts(b, "-");
}

/* A level for table and markdown ("-" when unknown). */
static int put_level(btk_buf *b, double v, const char *unit)
{
    return isfinite(v) ? btk_buf_printf(b, "%.6g %s", v, unit) : btk_buf_puts(b, "-");
}

/* The change for table and markdown: +x.x % (counts, whose threshold is 0.1 %: +x.xx %),
 * or the spread of a nondeterministic count. */
static int put_change(btk_buf *b, const reg_found *f, const reg_item *it)
{
    if (it->nondeterministic)
        return btk_buf_printf(b,
                              "nondeterministic: %.6g to %.6g %s across processes, "
                              "not trusted",
                              it->spread_min, it->spread_max, unit_of(f));
    return btk_buf_printf(b, f->metric == BTK_HISTORY_COUNT ? "%+.2f %%" : "%+.1f %%",
                          it->cp.magnitude * 100);
}

/* The header's note of the metric and the nondeterministic counts ("" for wall). */
static int put_metric_note(btk_buf *b, const reg_found *f)
{
    int error = 0;

    if (f->metric != BTK_HISTORY_TIME)
        error = btk_buf_printf(b, " (metric %s)", cli_history_metric_name(f->metric));
    if (error == 0 && f->nondeterministic)
        error = btk_buf_printf(b, "; %zu nondeterministic count(s), not change points",
                               f->nondeterministic);
    return error;
}

/* ---- table ---- */

static int put_table(btk_buf *b, const reg_found *f)
{
    int error = btk_buf_printf(b, "%zu change point(s) in %zu commit(s) of ",
                               f->count - f->nondeterministic, f->window);

    if (error == 0 && (error = cli_safe_text(b, f->branch)) == 0)
        error = btk_buf_printf(b, " on machine %.12s; %zu unacknowledged regression(s)",
                               f->fp, f->unacknowledged);
    if (error == 0 && (error = put_metric_note(b, f)) == 0)
        error = btk_buf_puts(b, "\n");
    for (size_t i = 0; i < f->count && error == 0; i++) {
        const reg_item *it = &f->items[i];

        error = btk_buf_printf(b, "%-11s %.12s  ", kind_of(it), it->sha);
        if (error == 0 && (error = cli_safe_text(b, it->bench)) == 0)
            error = btk_buf_puts(b, "  ");
        if (error == 0 && (error = put_level(b, it->cp.before, unit_of(f))) == 0)
            error = btk_buf_puts(b, " -> ");
        if (error == 0 && (error = put_level(b, it->cp.after, unit_of(f))) == 0)
            error = btk_buf_puts(b, "  ");
        if (error == 0 && (error = put_change(b, f, it)) == 0)
            error = btk_buf_puts(b, "  p ");
        if (error == 0 && (error = put_p(b, it->cp.p)) == 0)
            error = btk_buf_puts(b, "\n    ");
        if (error == 0)
            error = cli_safe_text(b, it->subject ? it->subject : "");
        if (error == 0)
            error = btk_buf_puts(b, " (");
        if (error == 0)
            error = cli_safe_text(b, it->author ? it->author : "unknown author");
        if (error == 0)
            error = btk_buf_puts(b, ")\n");
        if (error == 0 && it->possible > 1)
            error = btk_buf_printf(b,
                                   "    where: one of %zu commits from %.12s to %.12s "
                                   "(the data cannot tell which; bisect pins it)\n",
                                   it->possible, it->first_sha, it->last_sha);
        if (error == 0 && it->ack) {
            error = btk_buf_printf(b, "    acknowledged (#%" PRId64 "): ", it->ack->id);
            if (error == 0)
                error = cli_safe_text(b, it->ack->note);
            if (error == 0)
                error = btk_buf_puts(b, "\n");
        }
    }
    return error;
}

/* ---- markdown ---- */

/* Untrusted text in a markdown table cell: HTML-significant characters as entities,
 * markdown punctuation backslash-escaped, line breaks and controls as spaces. */
static int put_md(btk_buf *b, const char *s)
{
    int error = 0;

    for (; s && *s && error == 0; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '<' || c == '>' || c == '&' || c == '"' || c == '\'')
            error = btk_escape_html(b, (char[]){(char)c, 0});
        else if (c < 0x20 || c == 0x7f)
            error = btk_buf_puts(b, " ");
        else if (strchr("\\`*_{}[]()#+-.!|~", c))
            error = btk_buf_printf(b, "\\%c", c);
        else
            error = btk_buf_put(b, (const char *)s, 1);
    }
    return error;
}

static int put_markdown(btk_buf *b, const reg_found *f)
{
    int error = btk_buf_printf(b,
                               "### %s %zu unacknowledged regression(s)\n\n%zu change "
                               "point(s) in the last %zu commit(s) on machine `%.12s`",
                               f->unacknowledged ? ":x:" : ":white_check_mark:",
                               f->unacknowledged, f->count - f->nondeterministic,
                               f->window, f->fp);

    if (error == 0 && (error = put_metric_note(b, f)) == 0)
        error = btk_buf_puts(b, ".\n");
    if (error == 0 && f->count)
        error =
            btk_buf_puts(b, "\n| | benchmark | commit | subject | author | before | "
                            "after | change | p | acknowledged |\n|---|---|---|---|---|"
                            "---:|---:|---:|---:|---|\n");
    for (size_t i = 0; i < f->count && error == 0; i++) {
        const reg_item *it = &f->items[i];

        error = btk_buf_printf(b, "| %s | ",
                               it->nondeterministic  ? ":grey_question:"
                               : it->cp.magnitude > 0 ? (it->ack ? ":warning:" : ":x:")
                                                      : ":rocket:");
        if (error == 0 && (error = put_md(b, it->bench)) == 0)
            error = it->possible > 1
                        ? btk_buf_printf(b, " | `%.12s` (one of %zu: `%.12s`..`%.12s`) | ",
                                         it->sha, it->possible, it->first_sha, it->last_sha)
                        : btk_buf_printf(b, " | `%.12s` | ", it->sha);
        if (error == 0 && (error = put_md(b, it->subject)) == 0)
            error = btk_buf_puts(b, " | ");
        if (error == 0 && (error = put_md(b, it->author)) == 0)
            error = btk_buf_puts(b, " | ");
        if (error == 0 && (error = put_level(b, it->cp.before, unit_of(f))) == 0)
            error = btk_buf_puts(b, " | ");
        if (error == 0 && (error = put_level(b, it->cp.after, unit_of(f))) == 0)
            error = btk_buf_puts(b, " | ");
        if (error == 0 && (error = put_change(b, f, it)) == 0)
            error = btk_buf_puts(b, " | ");
        if (error == 0 && (error = put_p(b, it->cp.p)) == 0)
            error = btk_buf_puts(b, " | ");
        if (error == 0 && it->ack && (error = btk_buf_puts(b, "yes: ")) == 0)
            error = put_md(b, it->ack->note);
        if (error == 0)
            error = btk_buf_puts(b, " |\n");
    }
    return error;
}

/* ---- JSON ---- */

/* s as a JSON string (NULL: null): quotes, backslash and controls escaped, invalid UTF-8
 * as U+FFFD. */
static int put_json_str(btk_buf *b, const char *s)
{
    int error;

    if (s == NULL)
        return btk_buf_puts(b, "null");
    error = btk_buf_puts(b, "\"");
    while (*s && error == 0) {
        unsigned char c = (unsigned char)*s;
        size_t n = btk_escape_utf8_len((const unsigned char *)s);

        if (c == '"' || c == '\\')
            error = btk_buf_printf(b, "\\%c", c), n = 1;
        else if (c < 0x20 || c == 0x7f)
            error = btk_buf_printf(b, "\\u%04x", c), n = 1;
        else if (n == 0)
            error = btk_buf_puts(b, "\\ufffd"), n = 1;
        else
            error = btk_buf_put(b, s, n);
        s += n;
    }
    return error ? error : btk_buf_puts(b, "\"");
}

static int put_json_num(btk_buf *b, double v)
{
    return isfinite(v) ? btk_buf_printf(b, "%.17g", v) : btk_buf_puts(b, "null");
}

static int put_json_item(btk_buf *b, const reg_found *f, const reg_item *it)
{
    const char *u = key_unit_of(f);
    int error = btk_buf_printf(b, "{\"kind\": \"%s\", \"benchmark\": ", kind_of(it));

    if (error == 0 && (error = put_json_str(b, it->bench)) == 0)
        error = btk_buf_printf(
            b,
            ", \"commit\": \"%s\", \"first_possible\": \"%s\", \"last_possible\": \"%s\", "
            "\"possible_commits\": %zu, \"age\": %zu, \"subject\": ",
            it->sha, it->first_sha ? it->first_sha : it->sha,
            it->last_sha ? it->last_sha : it->sha, it->possible ? it->possible : 1, it->age);
    if (error == 0 && (error = put_json_str(b, it->subject)) == 0)
        error = btk_buf_puts(b, ", \"author\": ");
    if (error == 0 && (error = put_json_str(b, it->author)) == 0)
        error = btk_buf_printf(b, ", \"before_%s\": ", u);
    if (error == 0 && (error = put_json_num(b, it->cp.before)) == 0)
        error = btk_buf_printf(b, ", \"after_%s\": ", u);
    if (error == 0 && (error = put_json_num(b, it->cp.after)) == 0)
        error = btk_buf_puts(b, ", \"magnitude\": ");
    if (error == 0 && (error = put_json_num(b, it->cp.magnitude)) == 0)
        error = btk_buf_puts(b, ", \"p\": ");
    if (error == 0 && (error = put_json_num(b, it->cp.p)) == 0)
        error = btk_buf_printf(b,
                               ", \"commits_before\": %zu, \"commits_after\": %zu, "
                               "\"acknowledgement\": ",
                               it->cp.count_before, it->cp.count_after);
    if (error == 0 && it->nondeterministic &&
        (error = btk_buf_puts(b, "null, \"spread\": {\"min\": ")) == 0 &&
        (error = put_json_num(b, it->spread_min)) == 0 &&
        (error = btk_buf_puts(b, ", \"max\": ")) == 0 &&
        (error = put_json_num(b, it->spread_max)) == 0)
        error = btk_buf_puts(b, "}");
    else if (error == 0 && it->ack == NULL)
        error = btk_buf_puts(b, "null");
    else if (error == 0 &&
             (error = btk_buf_printf(
                  b, "{\"id\": %" PRId64 ", \"glob\": ", it->ack->id)) == 0 &&
             (error = put_json_str(b, it->ack->glob)) == 0 &&
             (error = btk_buf_puts(b, ", \"note\": ")) == 0 &&
             (error = put_json_str(b, it->ack->note)) == 0)
        error = btk_buf_puts(b, "}");
    return error ? error : btk_buf_puts(b, "}");
}

static int put_json(btk_buf *b, const reg_found *f)
{
    int error = btk_buf_puts(b, "{\"branch\": ");

    if (error == 0 && (error = put_json_str(b, f->branch)) == 0)
        error = btk_buf_printf(b,
                               ", \"machine\": \"%s\", \"window\": {\"commits\": %zu, "
                               "\"newest\": \"%s\", \"oldest\": \"%s\"}, "
                               "\"metric\": \"%s\", \"unacknowledged\": %zu, "
                               "\"nondeterministic\": %zu, \"change_points\": [",
                               f->fp, f->window, f->newest, f->oldest,
                               cli_history_metric_name(f->metric), f->unacknowledged,
                               f->nondeterministic);
    for (size_t i = 0; i < f->count && error == 0; i++) {
        if (i && (error = btk_buf_puts(b, ",")) < 0)
            break;
        if ((error = btk_buf_puts(b, "\n  ")) == 0)
            error = put_json_item(b, f, &f->items[i]);
    }
    return error ? error : btk_buf_puts(b, "\n]}\n");
}

/* ---- CSV ---- */

static int put_csv(btk_buf *b, const reg_found *f)
{
    const char *u = key_unit_of(f);
    int error = btk_buf_printf(b,
                               "kind,benchmark,commit,subject,author,before_%s,after_%s,"
                               "magnitude,p,acknowledged,note,first_possible,last_possible,"
                               "possible_commits\n",
                               u, u);

    for (size_t i = 0; i < f->count && error == 0; i++) {
        const reg_item *it = &f->items[i];

        error = btk_buf_printf(b, "%s,", kind_of(it));
        if (error == 0 && (error = btk_escape_csv(b, it->bench)) == 0)
            error = btk_buf_printf(b, ",%s,", it->sha);
        if (error == 0 &&
            (error = btk_escape_csv(b, it->subject ? it->subject : "")) == 0)
            error = btk_buf_puts(b, ",");
        if (error == 0 && (error = btk_escape_csv(b, it->author ? it->author : "")) == 0)
            error = btk_buf_puts(b, ",");
        for (int k = 0; k < 4 && error == 0; k++) { /* unknown numbers: empty cells */
            double v = k == 0   ? it->cp.before
                       : k == 1 ? it->cp.after
                       : k == 2 ? it->cp.magnitude
                                : it->cp.p;

            error = isfinite(v) ? btk_buf_printf(b, "%.17g,", v) : btk_buf_puts(b, ",");
        }
        if (error == 0)
            error = btk_buf_printf(b, "%s,", it->ack ? "yes" : "no");
        if (error == 0 && (error = btk_escape_csv(b, it->ack ? it->ack->note : "")) == 0)
            error = btk_buf_printf(b, ",%s,%s,%zu\n", it->first_sha ? it->first_sha : it->sha,
                                   it->last_sha ? it->last_sha : it->sha,
                                   it->possible ? it->possible : 1);
    }
    return error;
}

int cli_regressions_print(FILE *f, const reg_found *found, const char *format)
{
    btk_buf b = BTK_BUF_INIT;
    int error;

    if (!strcmp(format, "json"))
        error = put_json(&b, found);
    else if (!strcmp(format, "csv"))
        error = put_csv(&b, found);
    else if (!strcmp(format, "markdown") || !strcmp(format, "md"))
        error = put_markdown(&b, found);
    else
        error = put_table(&b, found);
    if (error == 0 && fwrite(b.ptr ? b.ptr : "", 1, b.len, f) != b.len)
        error = btk_error_set(BTK_EIO, "cannot write the output: %s", strerror(errno));
    btk_buf_free(&b);
    return error;
}
