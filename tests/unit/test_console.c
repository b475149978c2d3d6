/* Tests of the console table (console.c): unit scaling, rates, aligned rows, failures,
 * and the colour rule (a TTY and NO_COLOR unset or empty). */
#include "check.h"
#include "console.h"

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
    assert_string_equal(b, "830.0  items/s");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(console__time_scales_units),
        cmocka_unit_test(console__rates_take_si_prefixes),
        cmocka_unit_test(console__rows_align_and_failures_show_reason),
        cmocka_unit_test(console__colour_only_when_allowed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
