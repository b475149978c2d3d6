/* Tests of named parameters (BTK_GRID): the cartesian product and its order, instance
 * names "family/a:64/b:8", filters over those names, btk_param/btk_param_at, the
 * complexity options carried into instances, and rejected grids (each with its message).
 */
#include "check.h"
#include "registry.h"
#include "state.h"

static void body(btk_state *state)
{
    BTK_LOOP(state)
    {
    }
}

/* As BTK_BENCH writes them (C), by the public macros. */
static const btk_bench_options grid = {
    BTK_GRID(BTK_ARG(n, BTK_RANGE(64, 4096, 4)), BTK_ARG(k, BTK_PARAMS(1, 8))),
    .version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options three = {
    BTK_GRID(BTK_ARG(a, BTK_PARAMS(1, 2)), BTK_ARG(b, BTK_PARAMS(3)),
             BTK_ARG(c_2, BTK_PARAMS(-5, 0))),
    .complexity = BTK_COMPLEXITY_AUTO, .complexity_param = "c_2",
    .version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options single = {BTK_PARAMS(16, 32),
                                         .complexity = BTK_COMPLEXITY_ON,
                                         .version = BTK_BENCH_OPTIONS_VERSION};

static int setup(void **state)
{
    (void)state;
    btk_registry__reset();
    btk_register("lookup", body, &grid);
    btk_register("tri", body, &three);
    btk_register("sort", body, &single);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    btk_registry__reset();
    return 0;
}

/* The names the filter keeps, joined with spaces. */
static void names(const char *filter, char *out, size_t len)
{
    btk_instance *v;
    size_t n, i, used = 0;

    assert_int_equal(btk_registry_instances(&v, &n, filter), 0);
    out[0] = '\0';
    for (i = 0; i < n; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", i ? " " : "", v[i].name);
    btk__free(v);
}

static void params__cartesian_product_first_axis_slowest(void **state)
{
    char s[1024];

    (void)state;
    names("lookup", s, sizeof(s));
    /* n: 64 256 1024 4096 (x4 reaches hi exactly); k: 1 8; 4 x 2 = 8 instances */
    assert_string_equal(s, "lookup/n:64/k:1 lookup/n:64/k:8 lookup/n:256/k:1 "
                           "lookup/n:256/k:8 lookup/n:1024/k:1 lookup/n:1024/k:8 "
                           "lookup/n:4096/k:1 lookup/n:4096/k:8");
    names("tri", s, sizeof(s));
    assert_string_equal(s, "tri/a:1/b:3/c_2:-5 tri/a:1/b:3/c_2:0 tri/a:2/b:3/c_2:-5 "
                           "tri/a:2/b:3/c_2:0");
}

static void params__single_param_names_unchanged(void **state)
{
    char s[256];

    (void)state;
    names("sort", s, sizeof(s));
    assert_string_equal(s, "sort/16 sort/32");
}

static void params__filters_match_named_parameters(void **state)
{
    char s[1024];

    (void)state;
    names("lookup/*/k:8", s, sizeof(s));
    assert_string_equal(s, "lookup/n:64/k:8 lookup/n:256/k:8 lookup/n:1024/k:8 "
                           "lookup/n:4096/k:8");
    names("lookup/n:1024/*", s, sizeof(s));
    assert_string_equal(s, "lookup/n:1024/k:1 lookup/n:1024/k:8");
    names("lookup,-*/k:1", s, sizeof(s));
    assert_string_equal(s, "lookup/n:64/k:8 lookup/n:256/k:8 lookup/n:1024/k:8 "
                           "lookup/n:4096/k:8");
    names("*/a:2/*", s, sizeof(s));
    assert_string_equal(s, "tri/a:2/b:3/c_2:-5 tri/a:2/b:3/c_2:0");
    names("lookup/n:64/k:1", s, sizeof(s));
    assert_string_equal(s, "lookup/n:64/k:1");
}

static void params__instance_fields_and_complexity(void **state)
{
    btk_instance *v;
    size_t n;

    (void)state;
    assert_int_equal(btk_registry_instances(&v, &n, "tri/a:2/b:3/c_2:-5,sort/32"), 0);
    assert_int_equal(n, 2);
    assert_false(v[0].has_param);
    assert_int_equal(v[0].axis_count, 3);
    assert_int_equal(v[0].axis_values[0], 2);
    assert_int_equal(v[0].axis_values[1], 3);
    assert_int_equal(v[0].axis_values[2], -5);
    assert_int_equal(v[0].complexity, BTK_COMPLEXITY_AUTO);
    assert_int_equal(v[0].size_axis, 2); /* complexity_param "c_2" */
    assert_int_equal(btk_registry_axis_index(&v[0], "b"), 1);
    assert_int_equal(btk_registry_axis_index(&v[0], "z"), -1);
    assert_true(v[1].has_param);
    assert_int_equal(v[1].axis_count, 0);
    assert_int_equal(v[1].complexity, BTK_COMPLEXITY_ON);
    assert_int_equal(v[1].size_axis, -1);
    btk__free(v);
}

static void params__body_reads_by_name_and_index(void **state)
{
    btk_state_priv priv;
    btk_state st;
    btk_instance *v;
    size_t n;

    (void)state;
    assert_int_equal(btk_registry_instances(&v, &n, "lookup/n:256/k:8,sort/16"), 0);
    assert_int_equal(n, 2);
    memset(&priv, 0, sizeof(priv));
    memset(&st, 0, sizeof(st));
    st.priv = &priv;
    priv.inst = &v[0];
    assert_int_equal(btk_param(&st, "n"), 256);
    assert_int_equal(btk_param(&st, "k"), 8);
    assert_int_equal(btk_param_at(&st, 0), 256);
    assert_int_equal(btk_param_at(&st, 1), 8);
    priv.inst = &v[1];
    assert_int_equal(btk_param(&st, NULL), 16);
    assert_int_equal(btk_param(&st, ""), 16);
    btk__free(v);
}

/* Register one bad grid and check the error and its message. */
static void expect_refused(const btk_bench_options *o, const char *message)
{
    btk_instance *v;
    size_t n;

    btk_registry__reset();
    btk_register("bad", body, o);
    assert_int_equal(btk_registry_instances(&v, &n, NULL), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message, message);
    btk_error_clear();
    btk_registry__reset();
}

/* Bad grids (file scope: the compound literals need static storage). */
static const btk_axis dup[] = {{.name = "a", .range = {1, 4, 2}},
                               {.name = "a", .range = {1, 4, 2}}};
static const btk_axis badname[] = {{.name = "a:b", .range = {1, 4, 2}}};
static const btk_axis empty[] = {{.name = "a"}};
static const btk_axis huge[] = {{.name = "a", .range = {1, 1 << 20, 2}},
                                {.name = "b", .range = {1, 1 << 20, 2}},
                                {.name = "c", .range = {1, 1 << 20, 2}}};
static const btk_bench_options o_dup = {.axes = dup, .axis_count = 2, .version = 2};
static const btk_bench_options o_name = {.axes = badname, .axis_count = 1, .version = 2};
static const btk_bench_options o_empty = {.axes = empty, .axis_count = 1, .version = 2};
static const btk_bench_options o_huge = {.axes = huge, .axis_count = 3, .version = 2};
static const btk_bench_options o_mixed = {
    BTK_PARAMS(1, 2), BTK_GRID(BTK_ARG(a, BTK_PARAMS(1))), .version = 2};
static const btk_bench_options o_nosize = {.complexity = BTK_COMPLEXITY_AUTO,
                                           .version = 2};
static const btk_bench_options o_badcx = {BTK_PARAMS(1, 2), .complexity = 99,
                                          .version = 2};
static const btk_bench_options o_cxparam = {BTK_GRID(BTK_ARG(a, BTK_PARAMS(1))),
                                            .complexity = BTK_COMPLEXITY_AUTO,
                                            .complexity_param = "n", .version = 2};

static void params__bad_grids_are_refused_with_reason(void **state)
{
    (void)state;
    expect_refused(&o_dup, "benchmark 'bad' names parameter 'a' twice");
    expect_refused(&o_name, "benchmark 'bad' has a parameter without a usable name (1-32 "
                            "letters, digits or '_')");
    expect_refused(&o_empty, "parameter 'a' of benchmark 'bad' has no values");
    /* 21 values per axis (1, 2, ..., 2^20): 21^3 = 9261 > 4096 */
    expect_refused(&o_huge, "benchmark 'bad' expands to more than 4096 instances");
    expect_refused(&o_mixed, "benchmark 'bad' has both named and unnamed parameters");
    expect_refused(&o_nosize, "benchmark 'bad' asks for a complexity fit but has no size "
                              "parameter");
    expect_refused(&o_badcx, "benchmark 'bad' has an unknown complexity 99");
    expect_refused(&o_cxparam, "benchmark 'bad' has no parameter named 'n' (its "
                               "complexity_param)");
}

static const btk_axis wide[] = {{.name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                 .params = (const int64_t[]){INT64_MIN},
                                 .param_count = 1},
                                {.name = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
                                 .params = (const int64_t[]){INT64_MIN},
                                 .param_count = 1}};
static const btk_bench_options o_wide = {.axes = wide, .axis_count = 2, .version = 2};
static void params__overlong_instance_name_is_refused(void **state)
{
    char name[201];

    (void)state;
    /* 200 + 2 x (1 + 32 + 1 + 20) = 308 bytes > 255 */
    memset(name, 'x', 200);
    name[200] = '\0';
    btk_registry__reset();
    btk_register(name, body, &o_wide);
    {
        btk_instance *v;
        size_t n;

        assert_int_equal(btk_registry_instances(&v, &n, NULL), BTK_EINVAL);
        assert_non_null(
            strstr(btk_error_last()->message, "instance name longer than 255"));
    }
    btk_error_clear();
    btk_registry__reset();
}

static void params__allocation_failure_is_clean(void **state)
{
    btk_instance *v = NULL;
    size_t n = 0;
    int k, rc;

    (void)state;
    for (k = 0;; k++) {
        btk__alloc_fail_after(k);
        rc = btk_registry_instances(&v, &n, NULL);
        btk__alloc_fail_after(-1);
        if (rc == 0)
            break;
        assert_int_equal(rc, BTK_ENOMEM);
        assert_null(v);
    }
    assert_int_equal(n, 8 + 4 + 2);
    btk__free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(params__cartesian_product_first_axis_slowest,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(params__single_param_names_unchanged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(params__filters_match_named_parameters, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(params__instance_fields_and_complexity, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(params__body_reads_by_name_and_index, setup,
                                        teardown),
        cmocka_unit_test(params__bad_grids_are_refused_with_reason),
        cmocka_unit_test(params__overlong_instance_name_is_refused),
        cmocka_unit_test_setup_teardown(params__allocation_failure_is_clean, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
