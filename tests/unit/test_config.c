/* Tests of benchtrack.json and the budget grammar: data-driven valid and invalid
 * expressions, fixture files under tests/data/config/{valid,invalid} (each invalid case has
 * a .expected file holding the start of the exact error message), glob lookups and budget
 * evaluation. */
#include "check.h"
#include "config.h"

#include <dirent.h>
#include <math.h>

static void budget__valid_expressions(void **state)
{
    static const struct {
        const char *expr;
        btk_metric metric;
        btk_cmp_op op;
        double value;
    } cases[] = {
        {"p95 < 500ns", BTK_METRIC_P95, BTK_OP_LT, 500},
        {"p(95)<500ns", BTK_METRIC_P95, BTK_OP_LT, 500},
        {"  median <= 1.5us ", BTK_METRIC_MEDIAN, BTK_OP_LE, 1500},
        {"median <= 2\xc2\xb5s", BTK_METRIC_MEDIAN, BTK_OP_LE, 2000},
        {"mean > 3ms", BTK_METRIC_MEAN, BTK_OP_GT, 3e6},
        {"max >= 0.5 s", BTK_METRIC_MAX, BTK_OP_GE, 5e8},
        {"p999 < 1e3ns", BTK_METRIC_P999, BTK_OP_LT, 1000},
        {"allocs_per_iter == 0", BTK_METRIC_ALLOCS, BTK_OP_EQ, 0},
        {"frees_per_iter != 1", BTK_METRIC_FREES, BTK_OP_NE, 1},
        {"bytes_per_iter <= 4096", BTK_METRIC_BYTES, BTK_OP_LE, 4096},
        {"bytes_per_iter < 4KiB", BTK_METRIC_BYTES, BTK_OP_LT, 4096},
        {"peak_rss < 64MiB", BTK_METRIC_PEAK_RSS, BTK_OP_LT, 67108864},
        {"peak_rss < 1GB", BTK_METRIC_PEAK_RSS, BTK_OP_LT, 1e9},
        {"stddev < 10ns", BTK_METRIC_STDDEV, BTK_OP_LT, 10},
    };
    (void)state;
    for (size_t i = 0; i < BTK_ARRAY_SIZE(cases); i++) {
        btk_budget b;

        assert_int_equal(btk_budget_parse(&b, cases[i].expr), 0);
        assert_int_equal(b.metric, cases[i].metric);
        assert_int_equal(b.op, cases[i].op);
        check_near(b.value, cases[i].value, 1e-12);
        assert_string_equal(b.text, cases[i].expr);
        btk_budget_clear(&b);
    }
}

static void budget__invalid_expressions_name_the_problem(void **state)
{
    static const struct {
        const char *expr, *message;
    } cases[] = {
        {"", "bad budget '': expected a metric (median, p95, allocs_per_iter, ...)"},
        {"p97 < 1ms", "bad budget 'p97 < 1ms': expected a metric (median, p95, "
                      "allocs_per_iter, ...)"},
        {"p95 = 1ms", "bad budget 'p95 = 1ms': expected an operator (<, <=, >, >=, ==, !=)"},
        {"p95 =< 1ms", "bad budget 'p95 =< 1ms': expected an operator (<, <=, >, >=, ==, !=)"},
        {"p95 < ms", "bad budget 'p95 < ms': expected a non-negative number"},
        {"p95 < -1ms", "bad budget 'p95 < -1ms': expected a non-negative number"},
        {"p95 < 0x10ns", "bad budget 'p95 < 0x10ns': unknown unit"},
        {"p95 < inf", "bad budget 'p95 < inf': expected a non-negative number"},
        {"p95 < 500", "bad budget 'p95 < 500': a time needs a unit (ns, us, ms, s)"},
        {"p95 < 5xs", "bad budget 'p95 < 5xs': unknown unit"},
        {"p95 < 5MiB", "bad budget 'p95 < 5MiB': unit does not fit the metric"},
        {"peak_rss < 5ms", "bad budget 'peak_rss < 5ms': unit does not fit the metric"},
        {"allocs_per_iter == 0B", "bad budget 'allocs_per_iter == 0B': a count takes no unit"},
        {"p95 < 5 ns extra", "bad budget 'p95 < 5 ns extra': unexpected text after the "
                             "number"},
        {"p95 < 1e999ns", "bad budget 'p95 < 1e999ns': expected a non-negative number"},
        {"p95\n< 1ms", "bad budget 'p95\\n< 1ms': expected an operator (<, <=, >, >=, ==, "
                       "!=)"},
    };
    (void)state;
    for (size_t i = 0; i < BTK_ARRAY_SIZE(cases); i++) {
        btk_budget b;

        assert_int_equal(btk_budget_parse(&b, cases[i].expr), BTK_EFORMAT);
        assert_string_equal(btk_error_last()->message, cases[i].message);
        assert_null(b.text);
    }
}

static void budget__holds_with_count_tolerance_and_nan(void **state)
{
    btk_budget b;

    (void)state;
    assert_int_equal(btk_budget_parse(&b, "allocs_per_iter == 0"), 0);
    assert_true(btk_budget_holds(&b, 0));
    assert_true(btk_budget_holds(&b, 0.0005)); /* one-off allocation amortised away */
    assert_false(btk_budget_holds(&b, 1));
    assert_false(btk_budget_holds(&b, NAN));   /* unknown never passes */
    btk_budget_clear(&b);
    assert_int_equal(btk_budget_parse(&b, "p95 < 500ns"), 0);
    assert_true(btk_budget_holds(&b, 499.9));
    assert_false(btk_budget_holds(&b, 500));
    btk_budget_clear(&b);
    assert_int_equal(btk_budget_parse(&b, "peak_rss >= 1KB"), 0);
    assert_true(btk_budget_holds(&b, 1000));
    assert_false(btk_budget_holds(&b, 999));
    btk_budget_clear(&b);
}

static char *fixture_path(const char *sub, const char *name)
{
    const char *src = getenv("BTK_SOURCE_DIR");
    size_t len = strlen(src ? src : ".") + strlen(sub) + strlen(name) + 32;
    char *p = malloc(len);

    snprintf(p, len, "%s/tests/data/config/%s/%s", src ? src : ".", sub, name);
    return p;
}

static int count_cases(const char *sub, void (*fn)(const char *dir, const char *name))
{
    char *dir = fixture_path(sub, "");
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);

        if (len > 5 && !strcmp(e->d_name + len - 5, ".json")) {
            fn(dir, e->d_name);
            n++;
        }
    }
    closedir(d);
    free(dir);
    return n;
}

static void check_valid(const char *dir, const char *name)
{
    char path[1024];
    btk_config *c = NULL;

    snprintf(path, sizeof(path), "%s%s", dir, name);
    if (btk_config_load(&c, path) != 0)
        fail_msg("%s: %s", name, btk_error_last()->message);
    assert_non_null(c);
    btk_config_free(c);
}

static void check_invalid(const char *dir, const char *name)
{
    char path[1024], *text, *want, *nl;
    size_t len;
    btk_config *c = (btk_config *)1;

    snprintf(path, sizeof(path), "%s%s", dir, name);
    text = test_read_file(path, &len);
    assert_non_null(text);
    snprintf(path + strlen(path) - 5, 10, ".expected");
    want = test_read_file(path, NULL);
    assert_non_null(want);
    if ((nl = strchr(want, '\n')) != NULL)
        *nl = '\0';
    assert_int_equal(btk_config_parse(&c, text, len, "benchtrack.json"), BTK_EFORMAT);
    assert_null(c);
    if (strncmp(btk_error_last()->message, want, strlen(want)) != 0)
        fail_msg("%s: got \"%s\", want it to start with \"%s\"", name,
                 btk_error_last()->message, want);
    free(text);
    free(want);
}

static void config__fixture_files(void **state)
{
    (void)state;
    assert_int_equal(count_cases("valid", check_valid), 3);
    assert_int_equal(count_cases("invalid", check_invalid), 11);
}

static const char full[] =
    "{\"alpha\": 0.01, \"noise_band\": 0.03, \"rss_tolerance\": 0.2, \"target_branch\": "
    "\"trunk\", \"benchmarks\": {"
    "\"sort/*\": {\"noise_band\": 0.05, \"max_regression\": 0.10,"
    "  \"budgets\": [\"p95 < 500ns\", \"allocs_per_iter == 0\"]},"
    "\"sort/1024\": {\"noise_band\": 0.07, \"budgets\": [\"peak_rss < 64MiB\"]},"
    "\"hash\": {\"rss_tolerance\": 0.5}}}";

static int collect(const btk_budget *b, void *payload)
{
    btk_buf *buf = payload;

    return btk_buf_printf(buf, "[%s]", b->text);
}

static void config__glob_rules_apply_in_file_order(void **state)
{
    btk_config *c;
    btk_buf seen = BTK_BUF_INIT;

    (void)state;
    assert_int_equal(btk_config_parse(&c, full, sizeof(full) - 1, "x"), 0);
    check_near(btk_config_alpha(c, 0.05), 0.01, 0);
    assert_string_equal(btk_config_target_branch(c), "trunk");
    check_near(btk_config_noise_band(c, "hash", 0.02), 0.03, 0);      /* top level */
    check_near(btk_config_noise_band(c, "sort/16", 0.02), 0.05, 0);   /* glob */
    check_near(btk_config_noise_band(c, "sort/1024", 0.02), 0.07, 0); /* later wins */
    check_near(btk_config_max_regression(c, "sort/1024"), 0.10, 0);   /* kept from glob */
    check_near(btk_config_max_regression(c, "hash"), 0, 0);
    check_near(btk_config_rss_tolerance(c, "hash"), 0.5, 0);
    check_near(btk_config_rss_tolerance(c, "sort/1"), 0.2, 0);
    assert_int_equal(btk_config_foreach_budget(c, "sort/1024", collect, &seen), 0);
    assert_string_equal(btk_buf_cstr(&seen),
                        "[p95 < 500ns][allocs_per_iter == 0][peak_rss < 64MiB]");
    btk_buf_clear(&seen);
    assert_int_equal(btk_config_foreach_budget(c, "hash", collect, &seen), 0);
    assert_string_equal(btk_buf_cstr(&seen), "");
    btk_buf_free(&seen);
    btk_config_free(c);
    /* no config: the fallbacks */
    check_near(btk_config_noise_band(NULL, "x", 0.02), 0.02, 0);
    check_near(btk_config_rss_tolerance(NULL, "x"), BTK_CONFIG_RSS_TOLERANCE, 0);
    assert_null(btk_config_target_branch(NULL));
}

static void config__missing_file_is_enotfound_naming_it(void **state)
{
    btk_config *c;

    (void)state;
    assert_int_equal(btk_config_load(&c, "/nonexistent/benchtrack.json"), BTK_ENOTFOUND);
    assert_string_equal(btk_error_last()->message,
                        "cannot read config '/nonexistent/benchtrack.json': No such file or "
                        "directory");
}

static void config__allocation_failures_are_clean(void **state)
{
    btk_config *c;
    int error;

    (void)state;
    for (long n = 0;; n++) {
        btk__alloc_fail_after(n);
        error = btk_config_parse(&c, full, sizeof(full) - 1, "x");
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_null(c);
    }
    btk_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(budget__valid_expressions),
        cmocka_unit_test(budget__invalid_expressions_name_the_problem),
        cmocka_unit_test(budget__holds_with_count_tolerance_and_nan),
        cmocka_unit_test(config__fixture_files),
        cmocka_unit_test(config__glob_rules_apply_in_file_order),
        cmocka_unit_test(config__missing_file_is_enotfound_naming_it),
        cmocka_unit_test(config__allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
