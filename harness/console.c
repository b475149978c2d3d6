/*
 * Console table. Columns have fixed widths except the name, which is as wide as the longest
 * selected benchmark name, so rows printed one at a time as benchmarks finish stay aligned.
 * Names are printed with control characters replaced, since btk_register accepts any string.
 */
#include "console.h"

#include "summary.h"

#include <unistd.h>

#define RED "\033[31m"
#define GREEN "\033[32m"
#define DIM "\033[2m"
#define RESET "\033[0m"

bool btk_console_colour_allowed(int fd)
{
    const char *no_colour = getenv("NO_COLOR");

    if (no_colour != NULL && no_colour[0] != '\0')
        return false;
    return isatty(fd) == 1;
}

void btk_console_init(btk_console *c, FILE *out, bool colour, size_t name_width)
{
    c->out = out;
    c->colour = colour;
    c->name_width = (int)(name_width < 9 ? 9 : name_width > 200 ? 200 : name_width);
    c->base_key[0] = '\0';
    c->base_threads = 0;
    c->base_median = 0;
}

void btk_console_format_time(char *buf, size_t len, double ns)
{
    static const char *units[] = {"ns", "us", "ms", "s"};
    double v = ns;
    size_t u = 0;

    while (u + 1 < BTK_ARRAY_SIZE(units) && (v >= 1000.0 || v <= -1000.0)) {
        v /= 1000.0;
        u++;
    }
    if (v < 10.0 && v > -10.0)
        snprintf(buf, len, "%.3f %s", v, units[u]);
    else if (v < 100.0 && v > -100.0)
        snprintf(buf, len, "%.2f %s", v, units[u]);
    else
        snprintf(buf, len, "%.1f %s", v, units[u]);
}

void btk_console_format_rate(char *buf, size_t len, double per_second, const char *unit)
{
    static const char *prefix[] = {"", "k", "M", "G", "T"};
    double v = per_second;
    size_t p = 0;

    while (p + 1 < BTK_ARRAY_SIZE(prefix) && v >= 1000.0) {
        v /= 1000.0;
        p++;
    }
    /* " items" after no prefix needs no second space: "830.0 items/s", "2.59 G items/s" */
    if (p == 0 && unit[0] == ' ')
        unit++;
    snprintf(buf, len, "%.*f %s%s/s", v < 100.0 ? 2 : 1, v, prefix[p], unit);
}

static void put_name(const btk_console *c, const char *name)
{
    int n = 0;

    for (; *name; name++, n++)
        fputc((unsigned char)*name < 0x20 || *name == 0x7f ? '?' : *name, c->out);
    for (; n < c->name_width; n++)
        fputc(' ', c->out);
}

void btk_console_header(const btk_console *c)
{
    int i, width = c->name_width + 82;

    put_name(c, "Benchmark");
    fprintf(c->out, " %12s %8s %12s %8s %11s %14s %10s\n", "Median", "+/- CI", "Min",
            "Samples", "Iterations", "Throughput", "Allocs/it");
    for (i = 0; i < width; i++)
        fputc('-', c->out);
    fputc('\n', c->out);
    fflush(c->out);
}

static void put_failed(const btk_console *c, const btk_bench_result *r)
{
    put_name(c, r->name);
    fprintf(c->out, " %sFAILED%s %s\n", c->colour ? RED : "", c->colour ? RESET : "",
            r->fail_message);
}

/* The throughput column: bytes if set, else items, else "-". */
static void throughput_text(char *buf, size_t len, const btk_summary *s)
{
    if (s->tp_bytes_per_iter > 0)
        btk_console_format_rate(buf, len, s->bytes_per_second, "B");
    else if (s->tp_items_per_iter > 0)
        btk_console_format_rate(buf, len, s->items_per_second, " items");
    else
        snprintf(buf, len, "-");
}

/* The thread range's base key of r: family and parameter. */
static void base_key(char *buf, size_t len, const btk_bench_result *r)
{
    if (r->has_param)
        snprintf(buf, len, "%s/%" PRId64, r->family, r->param);
    else
        snprintf(buf, len, "%s", r->family);
}

/* What a threaded or per-call row adds after the columns (nothing for a plain one). An
 * iteration is one pass of every thread (docs/writing-benchmarks.md#threads), so the
 * throughput of T threads is T / wall per iteration, and the speed-up over a row of B
 * threads is (T / B) x (its wall per iteration / this one's). */
static void put_extras(btk_console *c, const btk_bench_result *r, const btk_summary *s)
{
    char key[sizeof(c->base_key)], cpu[32], p50[32], p99[32];

    if (s->threads > 1 || strstr(r->name, "/threads:") != NULL) {
        btk_console_format_time(cpu, sizeof(cpu), s->cpu_stats.median);
        fprintf(c->out, "  %u thread%s, cpu %s/it", s->threads, s->threads > 1 ? "s" : "",
                cpu);
        base_key(key, sizeof(key), r);
        if (strcmp(key, c->base_key) == 0 && c->base_threads < s->threads &&
            s->stats.median > 0)
            fprintf(c->out, ", x%.2f throughput of %u thread%s",
                    (double)s->threads / c->base_threads * c->base_median / s->stats.median,
                    c->base_threads, c->base_threads > 1 ? "s" : "");
        else if (strcmp(key, c->base_key) != 0) {
            snprintf(c->base_key, sizeof(c->base_key), "%s", key);
            c->base_threads = s->threads;
            c->base_median = s->stats.median;
        }
    }
    if (s->per_call && s->call_stats.samples > 0) {
        btk_console_format_time(p50, sizeof(p50), s->call_stats.p50);
        btk_console_format_time(p99, sizeof(p99), s->call_stats.p99);
        fprintf(c->out, "  calls p50 %s p99 %s", p50, p99);
    } else if (s->per_call) {
        fprintf(c->out, "  calls -"); /* one call outlasted the budget: no call kept */
    }
}

void btk_console_row(btk_console *c, const btk_bench_result *r)
{
    char med[32], min[32], ci[32], tp[32], allocs[32];
    btk_summary s;

    if (r->fail != BTK_FAIL_NONE || btk_summary_compute(&s, r) < 0) {
        put_failed(c, r);
        fflush(c->out);
        return;
    }
    btk_console_format_time(med, sizeof(med), s.stats.median);
    btk_console_format_time(min, sizeof(min), s.stats.min);
    snprintf(ci, sizeof(ci), "%.1f%%", btk_summary_shown_ci(&s) * 100.0);
    throughput_text(tp, sizeof(tp), &s);
    if (s.mem_tracked)
        snprintf(allocs, sizeof(allocs), "%.2f", s.allocs_per_iter);
    else
        snprintf(allocs, sizeof(allocs), "-");
    put_name(c, r->name);
    fprintf(c->out, " %s%12s%s %8s %12s %8" PRId64 " %11" PRId64 " %14s %10s",
            c->colour ? GREEN : "", med, c->colour ? RESET : "", ci, min, s.stats.samples,
            s.stats.iterations, tp, allocs);
    put_extras(c, r, &s);
    fputc('\n', c->out);
    fflush(c->out);
}

void btk_console_complexity(const btk_console *c, const btk_cx_group *groups, size_t count)
{
    char verdict[160], coef[32];
    const char *name;
    size_t i;

    if (count == 0)
        return;
    fprintf(c->out, "\nComplexity (median time per iteration against the size):\n");
    for (i = 0; i < count; i++) {
        const btk_cx_group *g = &groups[i];
        const btk_cx_fit *f = &g->fit;
        int shown = f->verdict != BTK_CX_NONE ? f->verdict : f->best_rms;

        btk_complexity_verdict_text(verdict, sizeof(verdict), g);
        put_name(c, g->name);
        fprintf(c->out, " %s\n", verdict);
        if (g->error < 0)
            continue;
        put_name(c, "");
        if (f->has_power)
            fprintf(c->out, "   n^k: k = %.3f [%.3f, %.3f] 95%%,", f->power_k, f->power_lo,
                    f->power_hi);
        name = btk_complexity_class_name(shown);
        snprintf(coef, sizeof(coef), "%.4g", f->cls[shown].coef);
        /* "O(n log n)" -> "n log n" */
        fprintf(c->out, " %s: %s * %.*s, rms %.1f%%, %zu sizes %.0f..%.0f\n", name, coef,
                (int)strlen(name) - 3, name + 2, f->cls[shown].nrms * 100.0, f->points,
                f->n_min, f->n_max);
    }
    fflush(c->out);
}
