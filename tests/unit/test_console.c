/* Tests of the console table (console.c): unit scaling, rates, aligned rows, failures,
 * the colour rule (a TTY and NO_COLOR unset or empty), and the CI column with several
 * processes (summary.c's interval of the processes' medians against a sorted reference). */
#include "check.h"
#include "console.h"
#include "summary.h"

#include <math.h>

static void console__time_scales_units(void **state)
{
    char b[32];

    (void)state;
    btk_console_format_time(b, sizeof(b), 0.512);
    assert_string_equal(b, "0.512 ns");
    btk_console_format_time(b, sizeof(b), 812.34);
    assert_string_equal(b, "812.3 ns");
    btk_console_format_time(b, sizeof(b), 1250);
    assert_string_equal(b, "1.250 us");
    btk_console_format_time(b, sizeof(b), 12.5e6);
    assert_string_equal(b, "12.50 ms");
    btk_console_format_time(b, sizeof(b), 3.4e9);
    assert_string_equal(b, "3.400 s");
    btk_console_format_time(b, sizeof(b), 7200e9);
    assert_string_equal(b, "7200.0 s");
}

static void console__rates_take_si_prefixes(void **state)
{
    char b[32];

    (void)state;
    btk_console_format_rate(b, sizeof(b), 1.26e9, "B");
    assert_string_equal(b, "1.26 GB/s");
    btk_console_format_rate(b, sizeof(b), 830, " items");
    assert_string_equal(b, "830.0 items/s");
    btk_console_format_rate(b, sizeof(b), 2.59e9, " items");
    assert_string_equal(b, "2.59 G items/s");
    btk_console_format_rate(b, sizeof(b), 2.5e15, "B");
    assert_string_equal(b, "2500.0 TB/s");
}

static void fake_result(btk_bench_result *r, btk_proc_result *p, const char *name)
{
    static double samples[] = {100, 110, 105, 95, 102, 98, 101};
    static uint64_t batch[] = {10, 10, 10, 10, 10, 10, 10};

    memset(r, 0, sizeof(*r));
    memset(p, 0, sizeof(*p));
    r->name = r->family = (char *)name;
    r->procs = p;
    r->proc_count = 1;
    p->count = 7;
    p->samples = samples;
    p->cycles = samples;
    p->batch = batch;
    p->bytes_per_iter = 1000;
    p->mem_tracked = true;
    p->allocs = 140;
    p->mem_iterations = 70;
}

/* Rows are as wide as the header, whatever the name; failures show their reason. */
static void console__rows_align_and_failures_show_reason(void **state)
{
    btk_bench_result ok, bad;
    btk_proc_result p, q;
    btk_console c;
    char *text = NULL, *l1, *l2, *l3;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    (void)state;
    fake_result(&ok, &p, "a");
    fake_result(&bad, &q, "much_longer/1024");
    bad.fail = BTK_FAIL_TIMEOUT;
    snprintf(bad.fail_message, sizeof(bad.fail_message), "timed out after 300 ms");
    btk_console_init(&c, f, false, strlen("much_longer/1024"));
    btk_console_header(&c);
    btk_console_row(&c, &ok);
    btk_console_row(&c, &bad);
    fclose(f);
    l1 = text;
    l2 = strchr(l1, '\n') + 1;           /* the rule */
    l3 = strchr(l2, '\n') + 1;           /* the ok row */
    assert_int_equal(strchr(l3, '\n') - l3, strchr(l1, '\n') - l1);
    assert_non_null(strstr(l3, "101.0 ns"));
    assert_non_null(strstr(l3, "9.90 GB/s")); /* 1000 B per 101 ns */
    assert_non_null(strstr(l3, "2.00"));      /* allocs per iteration */
    assert_non_null(strstr(text, "much_longer/1024 FAILED timed out after 300 ms\n"));
    assert_null(strchr(text, '\033'));
    free(text);
}

static void console__colour_only_when_allowed(void **state)
{
    btk_bench_result bad;
    btk_proc_result q;
    btk_console c;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    (void)state;
    setenv("NO_COLOR", "1", 1);
    assert_false(btk_console_colour_allowed(0));
    setenv("NO_COLOR", "", 1);
    unsetenv("NO_COLOR");
    fake_result(&bad, &q, "x");
    bad.fail = BTK_FAIL_SIGNAL;
    btk_console_init(&c, f, true, 1);
    btk_console_row(&c, &bad);
    fclose(f);
    assert_non_null(strstr(text, "\033[31mFAILED\033[0m"));
    free(text);
}

/* Reference for the processes' interval: each process's median by sorting a copy (middle
 * value, or the mean of the two middle ones), the medians sorted, and the lower rank from
 * the binomial distribution summed term by term with lgamma (not stats.c's recurrence):
 * the largest k with P(X <= k - 1) <= 2.5 % for X ~ Binomial(P, 1/2), at least 1; with
 * 2-5 processes the range. */
static double sorted_median(const double *v, size_t n)
{
    double *c = malloc(n * sizeof(double)), m;

    memcpy(c, v, n * sizeof(double));
    m = test_sorted_median(c, n);
    free(c);
    return m;
}

static double binom_cdf(size_t n, size_t k) /* P(X <= k), X ~ Binomial(n, 1/2) */
{
    double sum = 0;

    for (size_t j = 0; j <= k; j++)
        sum += exp(lgamma((double)n + 1) - lgamma((double)j + 1) - lgamma((double)(n - j) + 1) -
                   (double)n * log(2.0));
    return sum;
}

/* On random suites (1-40 processes of 1-40 samples, values from a small set so that ties
 * are common, some processes without samples), btk_summary_compute's median is the median
 * of the processes' medians and its interval of the processes' medians is the reference's,
 * with its coverage; the median's interval holds the processes' interval; and the
 * console's CI column shows the wider of it and the samples' interval. */
static void console__process_interval_matches_a_sorted_reference(void **state)
{
    uint64_t x = 0x2545f4914f6cdd1du;
    int trial;

    (void)state;
    for (trial = 0; trial < 3000; trial++) {
        size_t procs, i, k, n = 0, lo;
        btk_proc_result p[40];
        double samples[40][40], med[40];
        uint64_t batch[40];
        btk_bench_result r;
        btk_summary s;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        procs = 1 + (size_t)(x % 40);
        memset(&r, 0, sizeof(r));
        memset(p, 0, sizeof(p));
        for (i = 0; i < 40; i++)
            batch[i] = 1;
        for (i = 0; i < procs; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            p[i].count = i > 0 && x % 9 == 0 ? 0 : 1 + (size_t)(x % 40);
            for (k = 0; k < p[i].count; k++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                samples[i][k] = 100 + (double)(x % 7) + (double)(i % 3) * 5;
            }
            p[i].samples = samples[i];
            p[i].cycles = samples[i];
            p[i].batch = batch;
            if (p[i].count > 0)
                med[n++] = sorted_median(samples[i], p[i].count);
        }
        r.name = r.family = (char *)"b";
        r.procs = p;
        r.proc_count = procs;
        assert_int_equal(btk_summary_compute(&s, &r), 0);
        if (n < 2) {
            assert_true(s.proc_ci_rel == 0);
            assert_true(btk_summary_shown_ci(&s) == s.stats.rel_ci);
            continue;
        }
        assert_int_equal(s.proc_medians, n);
        qsort(med, n, sizeof(double), test_cmp_double);
        /* the run's median is the processes' median, inside its interval */
        check_near(s.stats.median, n % 2 ? med[n / 2] : (med[n / 2 - 1] + med[n / 2]) / 2,
                   1e-12);
        assert_true(s.stats.ci_low <= s.stats.median && s.stats.median <= s.stats.ci_high);
        lo = 1;
        if (n >= 6)
            while (lo + 1 <= n / 2 && binom_cdf(n, lo) <= 0.025)
                lo++;
        assert_true(s.proc_ci_low == med[lo - 1]);
        assert_true(s.proc_ci_high == med[n - lo]);
        check_near(s.proc_ci_coverage, 1 - 2 * binom_cdf(n, lo - 1), 1e-9);
        if (n >= 6)
            assert_true(s.proc_ci_coverage >= 0.95);
        check_near(s.proc_ci_rel, (med[n - lo] - med[lo - 1]) / 2 / s.stats.median, 1e-12);
        assert_true(s.stats.ci_low <= s.proc_ci_low && s.proc_ci_high <= s.stats.ci_high);
        check_near(btk_summary_shown_ci(&s),
                   s.proc_ci_rel > s.stats.rel_ci ? s.proc_ci_rel : s.stats.rel_ci, 0);
    }
}

/* One process of ten sampled 200 times in a slow state (7.0 ns) while the nine others
 * reached the precision in 12 samples each at 1.39 ns (seen in a real run, 2026-12-02):
 * pooled, the slow process's samples were the majority and the median read 6.46 ns; the
 * run's median is the processes' median, 1.39 ns. */
static void console__one_long_process_does_not_outweigh_the_others(void **state)
{
    static double slow[200], fast[12];
    static uint64_t batch[200];
    btk_proc_result p[10];
    btk_bench_result r;
    btk_summary s;
    size_t i;

    (void)state;
    for (i = 0; i < 200; i++) {
        slow[i] = 7.0 + (double)(i % 5) * 0.01;
        batch[i] = 1;
    }
    for (i = 0; i < 12; i++)
        fast[i] = 1.39 + (double)(i % 3) * 0.001;
    memset(p, 0, sizeof(p));
    memset(&r, 0, sizeof(r));
    for (i = 0; i < 10; i++) {
        p[i].samples = p[i].cycles = i == 0 ? slow : fast;
        p[i].count = i == 0 ? 200 : 12;
        p[i].batch = batch;
    }
    r.name = r.family = (char *)"memcpy/64";
    r.procs = p;
    r.proc_count = 10;
    assert_int_equal(btk_summary_compute(&s, &r), 0);
    assert_true(s.stats.p50 > 6.9); /* the pooled samples' 50th percentile */
    check_near(s.stats.median, 1.391, 1e-12);
    assert_true(s.stats.ci_low <= 1.391 && 1.391 <= s.stats.ci_high);
}

/* Ten processes whose medians spread 100-118 ns while each holds steady: the samples'
 * interval alone is a fraction of a percent, the console shows the processes' (ranks 2 and
 * 9 of 10: 102 and 116 ns around the median of 109: +/- 6.4 %). */
static void console__ci_column_covers_the_spread_between_processes(void **state)
{
    static double v[10][11];
    static uint64_t batch[11] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    btk_proc_result p[10];
    btk_bench_result r;
    btk_summary s;
    btk_stats pooled;
    btk_console c;
    char *text = NULL;
    size_t len = 0, i, k;
    FILE *f = open_memstream(&text, &len);

    (void)state;
    memset(p, 0, sizeof(p));
    memset(&r, 0, sizeof(r));
    for (i = 0; i < 10; i++) {
        for (k = 0; k < 11; k++)
            v[i][k] = 100 + 2 * (double)i + 0.001 * (double)k;
        p[i].count = 11;
        p[i].samples = p[i].cycles = v[i];
        p[i].batch = batch;
    }
    r.name = r.family = (char *)"spread";
    r.procs = p;
    r.proc_count = 10;
    assert_int_equal(btk_summary_compute(&s, &r), 0);
    assert_int_equal(btk_stats_summarize(&pooled, &v[0][0], 110), 0);
    assert_true(pooled.rel_ci < 0.02);
    check_near(s.proc_ci_low, 102.005, 1e-9);
    check_near(s.proc_ci_high, 116.005, 1e-9);
    btk_console_init(&c, f, false, 6);
    btk_console_row(&c, &r);
    fclose(f);
    assert_non_null(strstr(text, " 6.4%"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(console__time_scales_units),
        cmocka_unit_test(console__rates_take_si_prefixes),
        cmocka_unit_test(console__rows_align_and_failures_show_reason),
        cmocka_unit_test(console__colour_only_when_allowed),
        cmocka_unit_test(console__process_interval_matches_a_sorted_reference),
        cmocka_unit_test(console__one_long_process_does_not_outweigh_the_others),
        cmocka_unit_test(console__ci_column_covers_the_spread_between_processes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
