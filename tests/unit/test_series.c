/* Tests of size series in stored runs (compare/stats/series.c): parameters read back from
 * result names, grouping along the single parameter or a named one, the fit over each
 * series (checked against values computed by hand), and names that are not the harness's
 * form. */
#include "check.h"
#include "series.h"

#include <math.h>

static void series__parse_names(void **state)
{
    btk_series_param p[4];

    (void)state;
    assert_int_equal(btk_series_parse(p, 4, "sort/1024", "sort"), 1);
    assert_string_equal(p[0].name, "");
    assert_int_equal(p[0].value, 1024);
    assert_int_equal(btk_series_parse(p, 4, "lookup/n:64/k:-8", "lookup"), 2);
    assert_string_equal(p[0].name, "n");
    assert_int_equal(p[0].value, 64);
    assert_string_equal(p[1].name, "k");
    assert_int_equal(p[1].value, -8);
    /* not the harness's form: no parameters, junk, a mix, too many, another family */
    assert_int_equal(btk_series_parse(p, 4, "sort", "sort"), -1);
    assert_int_equal(btk_series_parse(p, 4, "sort/", "sort"), -1);
    assert_int_equal(btk_series_parse(p, 4, "sort/12x", "sort"), -1);
    assert_int_equal(btk_series_parse(p, 4, "sort/a:1/2", "sort"), -1);
    assert_int_equal(btk_series_parse(p, 4, "sort/1/a:2", "sort"), -1);
    assert_int_equal(btk_series_parse(p, 4, "sort/:1", "sort"), -1);
    assert_int_equal(btk_series_parse(p, 4, "sort/a:", "sort"), -1);
    assert_int_equal(btk_series_parse(p, 4, "sort/a:99999999999999999999", "sort"), -1);
    assert_int_equal(btk_series_parse(p, 1, "x/a:1/b:2", "x"), -1);
    assert_int_equal(btk_series_parse(p, 4, "sorted/1", "sort"), -1);
}

static void add(btk_run *run, const char *name, const char *family, double median,
                bool ok)
{
    btk_result *r = &run->results[run->result_count++];

    r->name = btk__strdup(name);
    r->family = btk__strdup(family);
    assert_true(r->name != NULL && r->family != NULL);
    r->status = ok ? BTK_RESULT_OK : BTK_RESULT_FAILED;
    r->stats.median = median;
}

static btk_run *make_run(void)
{
    btk_run *run = NULL;

    assert_int_equal(btk_run_new(&run), 0);
    run->results = btk__calloc(16, sizeof(btk_result));
    assert_non_null(run->results);
    /* sort: t = 3 n, listed out of order; a failed size is left out */
    add(run, "sort/64", "sort", 192, true);
    add(run, "sort/8", "sort", 24, true);
    add(run, "sort/16", "sort", 48, true);
    add(run, "sort/32", "sort", 0, false);
    /* grid: n^2 for k:1, and only 2 sizes for k:2 (no series) */
    add(run, "grid/n:2/k:1", "grid", 4, true);
    add(run, "grid/n:4/k:1", "grid", 16, true);
    add(run, "grid/n:8/k:1", "grid", 64, true);
    add(run, "grid/n:2/k:2", "grid", 5, true);
    add(run, "grid/n:4/k:2", "grid", 9, true);
    add(run, "plain", "plain", 7, true);
    add(run, "two/4", "two", 7, true);
    add(run, "two/8", "two", 7, true);
    return run;
}

static void series__groups_and_fits(void **state)
{
    btk_run *run = make_run();
    btk_series *v;
    size_t n;

    (void)state;
    assert_int_equal(btk_series_build(&v, &n, run, NULL), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].group.name, "sort");
    assert_string_equal(v[0].group.axis, "");
    assert_int_equal(v[0].count, 3);
    /* sorted by size */
    check_near(v[0].n[0], 8, 0);
    check_near(v[0].n[2], 64, 0);
    check_near(v[0].ns[2], 192, 0);
    /* t = 3n exactly: coefficient 3, k = 1 */
    check_near(v[0].group.fit.cls[BTK_CX_N].coef, 3.0, 1e-12);
    check_near(v[0].group.fit.power_k, 1.0, 1e-9);
    assert_int_equal(v[0].group.fit.verdict, BTK_CX_N);
    assert_string_equal(v[1].group.name, "grid/n:*/k:1");
    assert_string_equal(v[1].group.axis, "n");
    check_near(v[1].group.fit.power_k, 2.0, 1e-9);
    assert_int_equal(v[1].group.fit.verdict, BTK_CX_N2);
    btk_series_free(v, n);
    /* along k: every series has a single size */
    assert_int_equal(btk_series_build(&v, &n, run, "k"), 0);
    assert_int_equal(n, 0);
    btk_series_free(v, n);
    btk_run_free(run);
}

static void series__allocation_failure_is_clean(void **state)
{
    btk_run *run = make_run();
    btk_series *v = NULL;
    size_t n = 0;
    int k, rc;

    (void)state;
    for (k = 0;; k++) {
        btk__alloc_fail_after(k);
        rc = btk_series_build(&v, &n, run, NULL);
        btk__alloc_fail_after(-1);
        if (rc == 0)
            break;
        assert_int_equal(rc, BTK_ENOMEM);
        assert_null(v);
        btk_error_clear();
    }
    assert_int_equal(n, 2);
    btk_series_free(v, n);
    btk_run_free(run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(series__parse_names),
        cmocka_unit_test(series__groups_and_fits),
        cmocka_unit_test(series__allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
