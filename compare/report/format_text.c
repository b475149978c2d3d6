/*
 * Text formats of a comparison: the terminal table (escaped control characters, colour on
 * request), markdown for a pull-request comment (summary line, table, collapsed details;
 * names escaped so they cannot break the table or inject markup) and RFC 4180 CSV (text
 * cells that a spreadsheet would read as a formula get a leading quote). Also
 * the helpers other formats share (time, change, summary line): format_junit.c depends on
 * this file, never the other way round.
 */
#include "format.h"

#include <math.h>

void btk_format__time(char *out, size_t len, double ns)
{
    static const char *const units[] = {"ns", "us", "ms", "s"};
    int u = 0;

    if (isnan(ns)) {
        snprintf(out, len, "-");
        return;
    }
    while (u < 3 && fabs(ns) >= 999.5) {
        ns /= 1000;
        u++;
    }
    /* three significant digits without switching to exponent notation */
    snprintf(out, len, fabs(ns) >= 99.95 ? "%.0f %s" : fabs(ns) >= 9.995 ? "%.1f %s"
                                                                          : "%.2f %s",
             ns, units[u]);
}

void btk_format__cycles(char *out, size_t len, double cycles)
{
    static const char *const units[] = {"cyc", "kcyc", "Mcyc", "Gcyc", "Tcyc"};
    int u = 0;

    if (isnan(cycles)) {
        snprintf(out, len, "-");
        return;
    }
    while (u < 4 && fabs(cycles) >= 999.5) {
        cycles /= 1000;
        u++;
    }
    snprintf(out, len, fabs(cycles) >= 99.95 ? "%.0f %s" : fabs(cycles) >= 9.995 ? "%.1f %s"
                                                                                  : "%.2f %s",
             cycles, units[u]);
}

int btk_format__clock_note(btk_buf *out, const btk_comparison *cmp)
{
    if (cmp->clock_untrusted)
        return btk_buf_printf(out, "the core clock estimate differed between the sides: base "
                                   "%.2f GHz, new %.2f GHz (%+.1f %%), and no benchmark's "
                                   "cycles held still: the estimate is wrong or no benchmark "
                                   "is CPU-bound; %s",
                              cmp->clock_base, cmp->clock_new,
                              (cmp->clock_new / cmp->clock_base - 1) * 100,
                              cmp->metric == BTK_COMPARE_AUTO
                                  ? "--metric auto compared every benchmark by wall time"
                                  : "every time verdict by cycles is inconclusive; compare "
                                    "by wall time");
    if (!cmp->clock_differs)
        return 0;
    return btk_buf_printf(out, "the core clock differed between the sides: base %.2f GHz, new "
                               "%.2f GHz (%+.1f %%); wall times of CPU-bound benchmarks move "
                               "with it; --metric cycles compares estimated core cycles",
                          cmp->clock_base, cmp->clock_new,
                          (cmp->clock_new / cmp->clock_base - 1) * 100);
}

int btk_format__metric_line(btk_buf *out, const btk_comparison *cmp)
{
    if (cmp->metric == BTK_COMPARE_AUTO) {
        size_t by_cycles = 0, timed = 0;

        for (size_t i = 0; i < cmp->count; i++) {
            const char *m = cmp->items[i].metric;

            by_cycles += m && !strcmp(m, "cycles");
            timed += m && (!strcmp(m, "cycles") || !strcmp(m, "wall"));
        }
        return btk_buf_printf(out, "auto: each benchmark by wall time (ns), or by estimated "
                                   "core cycles (cyc) where they are at least twice as steady "
                                   "(between processes, and between runs recorded apart): "
                                   "%zu of %zu by cycles", by_cycles, timed);
    }
    if (cmp->metric != BTK_COMPARE_CYCLES)
        return 0;
    return btk_buf_puts(out, "cycles: estimated core cycles per iteration (wall ns x the core "
                             "clock in GHz measured next to each sample); base and new in "
                             "cycles (cyc)");
}

void btk_format__change(char *out, size_t len, double ratio)
{
    if (isnan(ratio))
        snprintf(out, len, "-");
    else
        snprintf(out, len, "%+.1f%%", (ratio - 1) * 100);
}

void btk_format__memory(char *out, size_t len, const btk_verdict *v)
{
    if (!v->has_memory)
        snprintf(out, len, "-");
    else if (!isnan(v->rss_ratio))
        snprintf(out, len, "%s (RSS %+.1f%%)", btk_verdict_name(v->memory_kind),
                 (v->rss_ratio - 1) * 100);
    else
        snprintf(out, len, "%s", btk_verdict_name(v->memory_kind));
}

int btk_format__summary(btk_buf *out, const btk_comparison *cmp)
{
    size_t counts[BTK_VERDICT_UNCHANGED + 1] = {0};
    bool first = true;
    int error = 0;

    for (size_t i = 0; i < cmp->count; i++)
        counts[cmp->items[i].kind]++;
    for (int k = 0; k <= BTK_VERDICT_UNCHANGED && error == 0; k++) {
        if (counts[k] == 0)
            continue;
        error = btk_buf_printf(out, "%s%zu %s", first ? "" : ", ", counts[k],
                               btk_verdict_name((btk_verdict_kind)k));
        first = false;
    }
    if (error == 0)
        error = btk_buf_printf(out, "%s(of %zu benchmarks)", first ? "" : " ", cmp->count);
    return error;
}

/* ---- terminal table ---- */

/* Untrusted text for a terminal: control characters and DEL as \xNN, at most max bytes
 * (then "..."). */
static int put_term(btk_buf *out, const char *s, size_t max)
{
    size_t used = 0;
    int error = 0;

    for (; s && *s && error == 0; s++) {
        unsigned char c = (unsigned char)*s;

        if (used >= max)
            return btk_buf_puts(out, "...");
        if (c < 0x20 || c == 0x7f)
            error = btk_buf_printf(out, "\\x%02x", c), used += 4;
        else
            error = btk_buf_put(out, s, 1), used++;
    }
    return error;
}

static const char *kind_color(btk_verdict_kind k)
{
    switch (k) {
    case BTK_VERDICT_REGRESSED:
    case BTK_VERDICT_FAILED:
    case BTK_VERDICT_BUDGET: return "\033[1;31m";
    case BTK_VERDICT_IMPROVED: return "\033[32m";
    case BTK_VERDICT_INCONCLUSIVE:
    case BTK_VERDICT_MISSING:
    case BTK_VERDICT_NEW: return "\033[33m";
    default: return "";
    }
}

static int term_line(btk_buf *out, const char *label, const char *value);

/* The cells a table and a markdown row share; ci_fmt takes the CI bounds in percent. */
typedef struct row_cells {
    char base[24], now[24], change[24], ci[48], q[24], memory[48];
} row_cells;

/* A count per iteration, "6003 ins" ("-" when unknown). */
static void format_count(char *out, size_t len, double v)
{
    snprintf(out, len, isnan(v) ? "-" : "%.6g ins", v);
}

static void fill_cells(row_cells *c, const btk_verdict *v, const char *ci_fmt)
{
    bool counts = v->metric && !strcmp(v->metric, "instructions");
    bool cycles = v->metric && !strcmp(v->metric, "cycles");
    void (*value)(char *, size_t, double) = counts   ? format_count
                                            : cycles ? btk_format__cycles
                                                     : btk_format__time;

    value(c->base, sizeof(c->base), v->base_median);
    value(c->now, sizeof(c->now), v->new_median);
    btk_format__change(c->change, sizeof(c->change), v->ratio);
    if (isnan(v->ci_low))
        snprintf(c->ci, sizeof(c->ci), "-");
    else
        snprintf(c->ci, sizeof(c->ci), ci_fmt, (v->ci_low - 1) * 100, (v->ci_high - 1) * 100);
    snprintf(c->q, sizeof(c->q), isnan(v->q_value) ? "-" : "%.2g", v->q_value);
    btk_format__memory(c->memory, sizeof(c->memory), v);
}

static int table_row(btk_buf *out, const btk_verdict *v, bool color, size_t name_width)
{
    char units[48];
    row_cells c;
    size_t before = out->len;
    int error;

    fill_cells(&c, v, "[%+.1f%%, %+.1f%%]");
    snprintf(units, sizeof(units), "%zu/%zu %s", v->units_base, v->units_new,
             v->unit ? v->unit : "");
    error = btk_buf_printf(out, "%s%-12s%s ", color ? kind_color(v->kind) : "",
                           btk_verdict_name(v->kind), color ? "\033[0m" : "");
    if (error == 0) /* never cut: names that differ only at the end must stay apart */
        error = put_term(out, v->name, (size_t)-1);
    if (error == 0 && out->len - before > 13 + name_width + (color ? 11 : 0)) {
        error = btk_buf_puts(out, "\n"); /* a long name: the figures on the next line */
        before = out->len - 13 - (color ? 11 : 0);
    }
    while (error == 0 && out->len - before < 13 + name_width + (color ? 11 : 0))
        error = btk_buf_put(out, " ", 1);
    if (error == 0)
        error = btk_buf_printf(out, " %-12s %10s %10s %8s %-18s %7s %-16s %s\n",
                               btk_verdict_name(v->time_kind), c.base, c.now, c.change, c.ci,
                               c.q, units, c.memory);
    if (error == 0 && v->reason)
        error = term_line(out, "             ", v->reason);
    return error;
}

/* "label value\n" with the value escaped for a terminal; nothing when value is NULL. */
static int term_line(btk_buf *out, const char *label, const char *value)
{
    int error;

    if (value == NULL)
        return 0;
    if ((error = btk_buf_puts(out, label)) < 0 || (error = put_term(out, value, 400)) < 0)
        return error;
    return btk_buf_puts(out, "\n");
}

/* The metric line and the clock note of cmp as "label text\n" lines (each when it has
 * one). */
static int metric_lines(btk_buf *out, const btk_comparison *cmp, const char *metric_label,
                        const char *note_label, int (*line)(btk_buf *, const char *,
                                                            const char *))
{
    btk_buf text = BTK_BUF_INIT;
    int error = btk_format__metric_line(&text, cmp);

    if (error == 0 && text.len)
        error = line(out, metric_label, btk_buf_cstr(&text));
    btk_buf_clear(&text);
    if (error == 0 && (error = btk_format__clock_note(&text, cmp)) == 0 && text.len)
        error = line(out, note_label, btk_buf_cstr(&text));
    btk_buf_free(&text);
    return error;
}

static int table_header(btk_buf *out, const btk_comparison *cmp, const btk_format_header *hdr)
{
    int error = 0;

    if (hdr && ((error = term_line(out, "WARNING: ", hdr->warning)) < 0 ||
                (error = term_line(out, "base:       ", hdr->base)) < 0 ||
                (error = term_line(out, "contender:  ", hdr->contender)) < 0 ||
                (error = term_line(out, "machine:    ", hdr->machine)) < 0))
        return error;
    return metric_lines(out, cmp, "metric:     ", "note: ", term_line);
}

int btk_format__table(btk_buf *out, const btk_comparison *cmp, const btk_format_header *hdr,
                      bool color)
{
    size_t width = 9;
    int error = table_header(out, cmp, hdr);

    for (size_t i = 0; i < cmp->count; i++) {
        size_t len = strlen(cmp->items[i].name);

        width = len > width ? (len > 60 ? 63 : len) : width;
    }
    if (error == 0)
        error = btk_buf_printf(out, "%-12s %-*s %-12s %10s %10s %8s %-18s %7s %-16s %s\n",
                               "verdict", (int)width, "benchmark", "time", "base", "new",
                               "change", "95% CI", "q", "units", "memory");
    for (size_t i = 0; i < cmp->count && error == 0; i++)
        error = table_row(out, &cmp->items[i], color, width);
    if (error == 0)
        error = btk_format__summary(out, cmp);
    return error ? error : btk_buf_puts(out, "\n");
}

/* ---- markdown ---- */

/* Untrusted text inside a markdown table cell or list item: HTML-significant characters
 * as entities, markdown punctuation backslash-escaped, line breaks and controls as spaces. */
static int put_md(btk_buf *out, const char *s)
{
    int error = 0;

    for (; s && *s && error == 0; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '<')
            error = btk_buf_puts(out, "&lt;");
        else if (c == '>')
            error = btk_buf_puts(out, "&gt;");
        else if (c == '&')
            error = btk_buf_puts(out, "&amp;");
        else if (c < 0x20 || c == 0x7f)
            error = btk_buf_puts(out, " ");
        else if (strchr("\\`*_{}[]()#+-.!|~\"'", c))
            error = btk_buf_printf(out, "\\%c", c);
        else
            error = btk_buf_put(out, s, 1);
    }
    return error;
}

static const char *md_icon(btk_verdict_kind k)
{
    switch (k) {
    case BTK_VERDICT_REGRESSED:
    case BTK_VERDICT_FAILED:
    case BTK_VERDICT_BUDGET: return ":red_circle:";
    case BTK_VERDICT_IMPROVED: return ":green_circle:";
    case BTK_VERDICT_UNCHANGED: return ":white_circle:";
    default: return ":yellow_circle:";
    }
}

static int md_row(btk_buf *out, const btk_verdict *v)
{
    row_cells c;
    int error;

    fill_cells(&c, v, "%+.1f%% .. %+.1f%%");
    error = btk_buf_printf(out, "| %s %s | ", md_icon(v->kind), btk_verdict_name(v->kind));
    if (error == 0)
        error = put_md(out, v->name);
    if (error == 0)
        error = btk_buf_printf(out, " | %s | %s | %s | %s | %s | %s | %zu/%zu %s | %s |\n",
                               btk_verdict_name(v->time_kind), c.base, c.now, c.change, c.ci,
                               c.q, v->units_base, v->units_new, v->unit ? v->unit : "",
                               c.memory);
    return error;
}

static int md_line(btk_buf *out, const char *label, const char *value)
{
    int error;

    if (value == NULL)
        return 0;
    if ((error = btk_buf_printf(out, "%s", label)) < 0 || (error = put_md(out, value)) < 0)
        return error;
    return btk_buf_puts(out, "  \n");
}

int btk_format__markdown(btk_buf *out, const btk_comparison *cmp,
                         const btk_format_header *hdr)
{
    int error = btk_buf_printf(out, "### %s %s: ", cmp->regressions ? ":x:" : ":white_check_mark:",
                               hdr && hdr->title ? hdr->title : "benchtrack");

    if (error == 0)
        error = btk_format__summary(out, cmp);
    if (error == 0)
        error = btk_buf_puts(out, "\n\n");
    if (error == 0 && hdr && hdr->warning)
        error = md_line(out, "> **Warning:** ", hdr->warning);
    if (error == 0 && hdr)
        error = md_line(out, "**Base:** ", hdr->base);
    if (error == 0 && hdr)
        error = md_line(out, "**Contender:** ", hdr->contender);
    if (error == 0 && hdr)
        error = md_line(out, "**Machine:** ", hdr->machine);
    if (error == 0)
        error = metric_lines(out, cmp, "**Metric:** ", "> **Note:** ", md_line);
    if (error == 0)
        error = btk_buf_puts(out, "\n| Verdict | Benchmark | Time | Base | New | Change | "
                                  "95% CI | q | Units (base/new) | Memory |\n"
                                  "|---|---|---|--:|--:|--:|---|--:|---|---|\n");
    for (size_t i = 0; i < cmp->count && error == 0; i++)
        error = md_row(out, &cmp->items[i]);
    if (error == 0)
        error = btk_buf_puts(out, "\n<details><summary>Details</summary>\n\n");
    for (size_t i = 0; i < cmp->count && error == 0; i++) {
        error = btk_buf_puts(out, "- ");
        error = error ? error : put_md(out, cmp->items[i].name);
        error = error ? error : btk_buf_puts(out, ": ");
        error = error ? error : put_md(out, cmp->items[i].reason);
        error = error ? error : btk_buf_puts(out, "\n");
    }
    if (error == 0)
        error = btk_buf_printf(out, "\nMethod: Mann-Whitney U on independent units, "
                                    "Benjamini-Hochberg q <= %g, bootstrap 95%% CI of the "
                                    "ratio of medians wholly beyond the noise band; "
                                    "unchanged only with the CI wholly inside it.\n"
                                    "</details>\n", hdr ? hdr->alpha : 0.05);
    return error;
}

/* ---- CSV (RFC 4180) ---- */

/* A text cell: quoted when it holds a comma, quote or line break (RFC 4180); a cell that
 * starts with = + - @, a tab or a carriage return, which a spreadsheet would run as a
 * formula, gets a leading single quote inside the quotes (OWASP, "CSV Injection"). */
static int put_csv(btk_buf *out, const char *s)
{
    bool formula = s && *s && strchr("=+-@\t\r", *s) != NULL;
    int error;

    if (s == NULL || (!formula && strpbrk(s, ",\"\r\n") == NULL))
        return btk_buf_puts(out, s ? s : "");
    error = btk_buf_puts(out, formula ? "\"'" : "\"");
    for (; *s && error == 0; s++)
        error = *s == '"' ? btk_buf_put(out, "\"\"", 2) : btk_buf_put(out, s, 1);
    return error ? error : btk_buf_put(out, "\"", 1);
}

static int csv_num(btk_buf *out, double v)
{
    return isnan(v) ? btk_buf_puts(out, ",") : btk_buf_printf(out, ",%.10g", v);
}

/* One CSV row; by_auto: with the row's metric as a last column. */
static int csv_row(btk_buf *out, const btk_verdict *v, const char *warning, bool by_auto)
{
    double nums[] = {v->base_median, v->new_median, v->ratio,   v->ci_low,
                     v->ci_high,     v->p_value,    v->q_value, v->noise_band};
    double more[] = {v->rss_ratio, v->rss_ci_low, v->rss_ci_high, v->rss_p, v->run_noise};
    int error = btk_buf_printf(out, "%s,", btk_verdict_name(v->kind));

    error = error ? error : put_csv(out, v->name);
    for (size_t i = 0; i < BTK_ARRAY_SIZE(nums) && error == 0; i++)
        error = csv_num(out, nums[i]);
    if (error == 0)
        error = btk_buf_printf(out, ",%s,%zu,%zu,%zu,", v->unit ? v->unit : "", v->units_base,
                               v->units_new, v->units_needed);
    error = error ? error : put_csv(out, v->reason);
    if (error == 0)
        error = btk_buf_printf(out, ",%s,%s", btk_verdict_name(v->time_kind),
                               v->has_memory ? btk_verdict_name(v->memory_kind) : "");
    for (size_t i = 0; i < BTK_ARRAY_SIZE(more) && error == 0; i++)
        error = csv_num(out, more[i]);
    error = error ? error : btk_buf_puts(out, ",");
    error = error ? error : put_csv(out, warning); /* the header's, on every row */
    if (error == 0 && by_auto)
        error = btk_buf_printf(out, ",%s", v->metric ? v->metric : "wall");
    return error ? error : btk_buf_puts(out, "\r\n");
}

int btk_format__csv(btk_buf *out, const btk_comparison *cmp, const btk_format_header *hdr)
{
    /* by --metric cycles the medians are cycles, and the columns say so; by auto each row
     * names its metric in a last column */
    bool by_auto = cmp->metric == BTK_COMPARE_AUTO;
    int error = btk_buf_printf(out, "verdict,benchmark,base_%s,new_%s,ratio,ci_low,ci_high,p,q,"
                                    "noise_band,unit,units_base,units_new,units_needed,reason,"
                                    "time_verdict,memory_verdict,rss_ratio,rss_ci_low,"
                                    "rss_ci_high,rss_p,run_noise,warning%s\r\n",
                               by_auto ? "value" : btk_compare_metric_unit(cmp->metric),
                               by_auto ? "value" : btk_compare_metric_unit(cmp->metric),
                               by_auto ? ",metric" : "");

    for (size_t i = 0; i < cmp->count && error == 0; i++)
        error = csv_row(out, &cmp->items[i], hdr ? hdr->warning : NULL, by_auto);
    return error;
}
