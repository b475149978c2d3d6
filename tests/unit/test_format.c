/* Tests of the output formats on a hand-made comparison: what each format must contain,
 * that untrusted names are escaped for each target (terminal, markdown, JSON, XML, CSV),
 * colour only when asked, and JSON that parses back with the same figures. */
#include "check.h"
#include "format.h"

#include <math.h>

#include <jansson.h>

static btk_verdict item(const char *name, btk_verdict_kind kind, double ratio, double q,
                        const char *reason)
{
    btk_verdict v;

    memset(&v, 0, sizeof(v));
    v.name = (char *)name;
    v.kind = kind;
    v.base_median = 1000;
    v.new_median = 1000 * ratio;
    v.ratio = ratio;
    v.ci_low = ratio - 0.01;
    v.ci_high = ratio + 0.01;
    v.p_value = q / 2;
    v.q_value = q;
    v.noise_band = 0.02;
    v.units_base = v.units_new = 10;
    v.unit = "processes";
    v.reason = (char *)reason;
    v.base_allocs = v.new_allocs = v.base_bytes = v.new_bytes = NAN;
    v.base_peak_rss = v.new_peak_rss = -1;
    v.time_kind = kind;
    v.rss_ratio = v.rss_ci_low = v.rss_ci_high = v.rss_p = v.run_noise = NAN;
    return v;
}

static btk_verdict items[6];
static btk_comparison cmp = {6, items, 2, 1, BTK_COMPARE_WALL, NAN, NAN, false, false};
static const btk_format_header hdr = {"benchtrack compare", "abc1234 (merge-base): run 1",
                                      "def5678 (HEAD): run 2", "host (fp 1234)", NULL, 0.05};

static int setup(void **state)
{
    (void)state;
    items[0] = item("sort/<b>|x,\"q\"", BTK_VERDICT_REGRESSED, 1.2, 0.001,
                    "slower by 20.0% (CI above +2.0%, q=0.001)");
    items[1] = item("evil\x1b[31m\nname", BTK_VERDICT_INCONCLUSIVE, 1.0, NAN,
                    "3 vs 3 processes cannot reach p <= 0.05 (need >= 4 per side)");
    items[1].ci_low = items[1].ci_high = NAN;
    items[1].units_needed = 4;
    items[2] = item("hash", BTK_VERDICT_IMPROVED, 0.8, 0.002, "faster by 20.0% (q=0.002)");
    items[3] = item("copy & paste", BTK_VERDICT_UNCHANGED, 1.001, 0.8,
                    "not significant (q=0.8)");
    /* faster, but allocating more: both must show */
    items[4] = item("=HYPERLINK(\"http://x\")", BTK_VERDICT_REGRESSED, 0.8, 0.001,
                    "faster by 20.0% (q=0.001); allocs/iter 1 -> 2");
    items[4].time_kind = BTK_VERDICT_IMPROVED;
    items[4].has_memory = true;
    items[4].memory_kind = BTK_VERDICT_REGRESSED;
    items[4].rss_ratio = 1.013;
    items[5] = item("@SUM(A1)", BTK_VERDICT_UNCHANGED, 1.0, 0.9, "-1+2");
    return 0;
}

static char *render(btk_format_kind kind, bool color)
{
    btk_buf out = BTK_BUF_INIT;

    assert_int_equal(btk_format_comparison(&out, &cmp, &hdr, kind, color), 0);
    return btk_buf_detach(&out);
}

static void format__parse_names(void **state)
{
    btk_format_kind k;

    (void)state;
    assert_int_equal(btk_format_parse(&k, "md"), 0);
    assert_int_equal(k, BTK_FORMAT_MARKDOWN);
    assert_int_equal(btk_format_parse(&k, "junit"), 0);
    assert_int_equal(k, BTK_FORMAT_JUNIT);
    assert_int_equal(btk_format_parse(&k, "xml"), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message, "unknown format 'xml' (expected table, "
                                                   "markdown, json, junit or csv)");
}

static void format__table_escapes_and_colours_only_when_asked(void **state)
{
    char *plain = render(BTK_FORMAT_TABLE, false), *coloured = render(BTK_FORMAT_TABLE, true);

    (void)state;
    assert_non_null(strstr(plain, "base:       abc1234 (merge-base): run 1\n"));
    assert_non_null(strstr(plain, "regressed    sort/<b>|x,\"q\""));
    assert_non_null(strstr(plain, "+20.0%"));
    assert_non_null(strstr(plain, "evil\\x1b[31m\\x0aname")); /* no raw ESC or newline */
    assert_null(strchr(plain, '\x1b'));
    assert_non_null(strstr(plain, "2 regressed, 1 inconclusive, 1 improved, 2 unchanged (of "
                                  "6 benchmarks)\n"));
    assert_non_null(strstr(coloured, "\x1b[1;31mregressed"));
    btk__free(plain);
    btk__free(coloured);
}

static void format__markdown_has_summary_table_details_and_escapes(void **state)
{
    char *md = render(BTK_FORMAT_MARKDOWN, false);

    (void)state;
    assert_true(strncmp(md, "### :x: benchtrack compare: 2 regressed, 1 inconclusive, 1 "
                            "improved, 2 unchanged (of 6 benchmarks)\n", 96) == 0);
    assert_non_null(strstr(md, "| Verdict | Benchmark | Time |"));
    assert_non_null(strstr(md, "| :red_circle: regressed | sort/&lt;b&gt;\\|x,\\\"q\\\" | "
                               "regressed | 1.00 us | 1.20 us | +20.0% |"));
    /* the time verdict and the memory verdict, apart */
    assert_non_null(strstr(md, "| improved | 1.00 us | 800 ns | -20.0% |"));
    assert_non_null(strstr(md, "| regressed (RSS +1.3%) |"));
    assert_non_null(strstr(md, "<details><summary>Details</summary>"));
    assert_non_null(strstr(md, "copy &amp; paste"));
    assert_null(strstr(md, "<b>"));
    assert_null(strchr(md, '\x1b'));
    btk__free(md);
}

static void format__json_parses_back_with_nulls_for_unknowns(void **state)
{
    char *text = render(BTK_FORMAT_JSON, false);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err), *results, *first, *second;

    (void)state;
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "comparison"),
                                                        "regressions")), 2);
    results = json_object_get(root, "results");
    assert_int_equal(json_array_size(results), 6);
    first = json_array_get(results, 0);
    second = json_array_get(results, 1);
    assert_string_equal(json_string_value(json_object_get(first, "name")), "sort/<b>|x,\"q\"");
    assert_string_equal(json_string_value(json_object_get(first, "verdict")), "regressed");
    check_near(json_real_value(json_object_get(first, "ratio")), 1.2, 1e-12);
    assert_true(json_is_null(json_object_get(second, "q")));
    assert_int_equal(json_integer_value(json_object_get(second, "units_needed")), 4);
    assert_true(json_is_null(json_object_get(second, "memory_verdict")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(results, 4),
                                                          "time_verdict")), "improved");
    assert_string_equal(json_string_value(json_object_get(json_array_get(results, 4),
                                                          "memory_verdict")), "regressed");
    json_decref(root);
    btk__free(text);
}

static void format__junit_escapes_and_marks_failures(void **state)
{
    char *xml = render(BTK_FORMAT_JUNIT, false);
    const char *p = xml;
    int failures = 0;

    (void)state;
    assert_non_null(strstr(xml, "<testsuites name=\"benchtrack\" tests=\"6\" failures=\"2\">"));
    assert_non_null(strstr(xml, "time improved, change -20.0%, q 0.001; memory regressed"));
    assert_non_null(strstr(xml, "name=\"sort/&lt;b&gt;|x,&quot;q&quot;\""));
    assert_non_null(strstr(xml, "<failure message=\"regressed: slower by 20.0%"));
    assert_non_null(strstr(xml, "<skipped message=\"inconclusive: 3 vs 3"));
    assert_non_null(strstr(xml, "name=\"evil\xef\xbf\xbd[31m\nname\""));
    assert_non_null(strstr(xml, "copy &amp; paste"));
    while ((p = strstr(p, "<failure")) != NULL)
        failures++, p++;
    assert_int_equal(failures, 2);
    assert_null(strchr(xml, '\x1b'));
    btk__free(xml);
}

static void format__csv_quotes_per_rfc4180(void **state)
{
    char *csv = render(BTK_FORMAT_CSV, false);

    (void)state;
    assert_true(strncmp(csv, "verdict,benchmark,base_ns,new_ns,ratio,", 39) == 0);
    assert_non_null(strstr(csv, "\r\nregressed,\"sort/<b>|x,\"\"q\"\"\",1000,1200,1.2,1.19,1.21,"
                                "0.0005,0.001,0.02,processes,10,10,0,"));
    assert_non_null(strstr(csv, "\r\ninconclusive,\"evil\x1b[31m\nname\",1000,1000,1,,,,,0.02,"
                                "processes,10,10,4,"));
    assert_non_null(strstr(csv, "\"slower by 20.0% (CI above +2.0%, q=0.001)\",regressed,,"));
    assert_non_null(strstr(csv, ",improved,regressed,1.013,,,,,\r\n"));
    btk__free(csv);
}

/* OWASP "CSV Injection": a text cell starting with = + - @ (or tab, CR) is quoted and
 * prefixed with a single quote, so a spreadsheet shows it instead of running it. */
static void format__csv_defuses_formulas(void **state)
{
    char *csv = render(BTK_FORMAT_CSV, false);

    (void)state;
    assert_non_null(strstr(csv, "\r\nregressed,\"'=HYPERLINK(\"\"http://x\"\")\",1000,800,"));
    assert_non_null(strstr(csv, "\r\nunchanged,\"'@SUM(A1)\",1000,1000,"));
    assert_non_null(strstr(csv, ",\"'-1+2\",unchanged,,"));
    assert_null(strstr(csv, ",=HYPERLINK"));
    assert_null(strstr(csv, ",@SUM"));
    btk__free(csv);
}

static void format__allocation_failures_are_clean(void **state)
{
    (void)state;
    for (int kind = BTK_FORMAT_TABLE; kind <= BTK_FORMAT_CSV; kind++) {
        for (long n = 0;; n++) {
            btk_buf out = BTK_BUF_INIT;
            int error;

            btk__alloc_fail_after(n);
            error = btk_format_comparison(&out, &cmp, &hdr, (btk_format_kind)kind, false);
            btk__alloc_fail_after(-1);
            btk_buf_free(&out);
            if (error == 0)
                break;
            assert_int_equal(error, BTK_ENOMEM);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format__parse_names),
        cmocka_unit_test(format__table_escapes_and_colours_only_when_asked),
        cmocka_unit_test(format__markdown_has_summary_table_details_and_escapes),
        cmocka_unit_test(format__json_parses_back_with_nulls_for_unknowns),
        cmocka_unit_test(format__junit_escapes_and_marks_failures),
        cmocka_unit_test(format__csv_quotes_per_rfc4180),
        cmocka_unit_test(format__csv_defuses_formulas),
        cmocka_unit_test(format__allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
