/* No inf or nan reaches a chart (compare/report/chart.c): every kind of chart drawn from
 * values a database may hold from before import checked them (1e308, +-inf, nan, 1e19,
 * negative) mixed with ordinary ones. The script must hold no "inf"/"nan" token and no
 * number beyond the chart limit, and gnuplot (when installed) must draw it without error. */
#include "chart.h"

#include "check.h"

#include <ctype.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

static const double bad[] = {1e308, INFINITY, -INFINITY, NAN, 1e19, -1e308, 1.7e308};

/* Draw the four charts; bad values at the positions picked by k. */
static void draw_hostile(btk_chart *c, size_t k, const char *dir)
{
    btk_trend_point tp[8];
    btk_verdict v[3];
    double samples[20], spark[8];
    btk_dist_side sides[2] = {{"a", samples, 20}, {"b", samples + 10, 10}};
    char path[4][4096];
    btk_chart_out out[4];

    for (int i = 0; i < 4; i++) {
        snprintf(path[i], sizeof(path[i]), "%s/g%zu_%d.svg", dir ? dir : ".", k, i);
        out[i] = (btk_chart_out){path[i], BTK_CHART_SVG, 480, 270};
    }
    for (size_t i = 0; i < 8; i++) {
        double x = i % 3 == k % 3 ? bad[(k + i) % BTK_ARRAY_SIZE(bad)] : 1000 + 10.0 * i;

        tp[i] = (btk_trend_point){"abcdef0", x, x * 0.99, x * 1.01, 0, x};
        spark[i] = x;
    }
    for (size_t i = 0; i < 20; i++)
        samples[i] = i % 4 == k % 4 ? bad[(k + i) % BTK_ARRAY_SIZE(bad)] : 500 + (double)i;
    memset(v, 0, sizeof(v));
    for (size_t i = 0; i < 3; i++) {
        v[i].name = (char *)"bench";
        v[i].kind = BTK_VERDICT_REGRESSED;
        v[i].ratio = i == k % 3 ? bad[k % BTK_ARRAY_SIZE(bad)] : 1.05;
        v[i].ci_low = i == (k + 1) % 3 ? -INFINITY : 1.01;
        v[i].ci_high = i == (k + 2) % 3 ? 1e300 : 1.09;
        v[i].noise_band = k % 2 ? 1e300 : 0.02;
    }
    assert_int_equal(btk_chart_trend(c, &out[0], "t", tp, 8), 0);
    assert_int_equal(btk_chart_compare(c, &out[1], "c", v, 3), 0);
    assert_int_equal(btk_chart_dist(c, &out[2], "d", sides, 2), 0);
    assert_int_equal(btk_chart_sparkline(c, &out[3], spark, 8), 0);
}

/* Every number in the script: finite and at most 1e18 (the chart limit) in magnitude; no
 * word "inf" or "nan" in any case but gnuplot's own "NaN" (its missing value). */
static void check_numbers(const char *script)
{
    size_t numbers = 0;

    for (const char *p = script; *p;) {
        if (isalpha((unsigned char)*p)) {
            const char *w = p;

            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            if ((p - w == 3 && !strncasecmp(w, "inf", 3)) ||
                (p - w == 3 && !strncmp(w, "nan", 3)) || (p - w == 8 && !strncasecmp(w, "infinity", 8)))
                fail_msg("script holds '%.*s'", (int)(p - w), w);
            continue;
        }
        if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
            char *end;
            double x = strtod(p, &end);

            if (!(fabs(x) <= 1e18))
                fail_msg("script holds the number %.*s", (int)(end - p), p);
            numbers++;
            p = end;
            continue;
        }
        p++;
    }
    assert_true(numbers > 100); /* the scan saw the data */
}

static void chart__no_inf_or_nan_reaches_a_script(void **state)
{
    (void)state;
    for (size_t k = 0; k < 14; k++) {
        char *script = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&script, &len);
        btk_chart *c;

        assert_non_null(f);
        assert_int_equal(btk_chart_open_script(&c, f), 0);
        draw_hostile(c, k, NULL);
        assert_int_equal(btk_chart_close(c), 0);
        fclose(f);
        check_numbers(script);
        free(script);
    }
}

static void chart__gnuplot_draws_charts_of_absurd_values(void **state)
{
    btk_buf b = BTK_BUF_INIT;
    char *dir;
    btk_chart *c;
    int rc = btk_chart_find_gnuplot(&b);

    (void)state;
    btk_buf_free(&b);
    btk_error_clear();
    if (rc != 0) {
        print_message("gnuplot not installed\n");
        skip();
    }
    dir = test_tmpdir("chart-guard");
    assert_int_equal(btk_chart_open(&c), 0);
    for (size_t k = 0; k < 14; k++)
        draw_hostile(c, k, dir);
    if (btk_chart_close(c) != 0)
        fail_msg("gnuplot failed: %s", btk_error_last()->message);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chart__no_inf_or_nan_reaches_a_script),
        cmocka_unit_test(chart__gnuplot_draws_charts_of_absurd_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
