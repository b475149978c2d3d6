/* Tests of the registry: instance expansion (lists, ranges with hi included), names,
 * filter semantics (globs, family match, exclusions), and rejected registrations. */
#include "check.h"
#include "registry.h"

static void body(btk_state *state)
{
    BTK_LOOP(state) {
    }
}

static const btk_bench_options plain = {.version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options listed = {BTK_PARAMS(16, -3, 4096),
                                         .version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options ranged = {BTK_RANGE(8, 1000, 8),
                                         .version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options exact = {BTK_RANGE(1, 1024, 4),
                                        .version = BTK_BENCH_OPTIONS_VERSION};

static int setup(void **state)
{
    (void)state;
    btk_registry__reset();
    btk_register("hash", body, &ranged);
    btk_register("sort", body, &listed);
    btk_register("empty", body, NULL);
    btk_register("memcpy", body, &exact);
    btk_register("alloc", body, &plain);
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

static void registry__expands_lists_and_ranges_in_order(void **state)
{
    char s[512];

    (void)state;
    names(NULL, s, sizeof(s));
    /* range 8..1000 x8: 8 64 512, then hi 1000; range 1..1024 x4 ends exactly at hi */
    assert_string_equal(s, "hash/8 hash/64 hash/512 hash/1000 sort/16 sort/-3 sort/4096 "
                           "empty memcpy/1 memcpy/4 memcpy/16 memcpy/64 memcpy/256 "
                           "memcpy/1024 alloc");
}

/* A thread range: lo, 2lo, 4lo ... below hi, then hi, innermost after a parameter, each
 * instance carrying its thread count; BTK_THREADS_CPUS is the count kept in
 * BTK__RANGE_CPUS (set here to 6, as a process allowed 6 CPUs would have set it). A count
 * above 1024 or a range ending below its start is refused. */
static const btk_bench_options to3 = {BTK_PARAMS(7), BTK_THREAD_RANGE(1, 3),
                                      .version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options cpus = {BTK_THREAD_RANGE(2, BTK_THREADS_CPUS),
                                       .version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options fixed = {.threads = 4, .version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options too_many_threads = {.threads = 1025,
                                                   .version = BTK_BENCH_OPTIONS_VERSION};
static const btk_bench_options upside = {BTK_THREAD_RANGE(8, 2),
                                         .version = BTK_BENCH_OPTIONS_VERSION};

static void registry__thread_ranges(void **state)
{
    btk_instance *v;
    size_t n;
    char s[512];

    (void)state;
    btk_registry__reset();
    assert_int_equal(setenv("BTK__RANGE_CPUS", "6", 1), 0);
    btk_register("t", body, &to3);
    btk_register("c", body, &cpus);
    btk_register("f", body, &fixed);
    names(NULL, s, sizeof(s));
    assert_string_equal(s, "t/7/threads:1 t/7/threads:2 t/7/threads:3 c/threads:2 "
                           "c/threads:4 c/threads:6 f");
    assert_int_equal(btk_registry_instances(&v, &n, "t/7/threads:2"), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].threads, 2);
    assert_true(v[0].has_param && v[0].param == 7);
    btk__free(v);
    assert_int_equal(btk_registry_instances(&v, &n, "f"), 0);
    assert_int_equal(v[0].threads, 0); /* the options' own: 4 */
    btk__free(v);
    btk_registry__reset();
    btk_register("many", body, &too_many_threads);
    assert_int_equal(btk_registry_instances(&v, &n, NULL), BTK_EINVAL);
    assert_non_null(strstr(btk_error_last()->message, "invalid thread count"));
    btk_registry__reset();
    btk_register("upside", body, &upside);
    assert_int_equal(btk_registry_instances(&v, &n, NULL), BTK_EINVAL);
    btk_registry__reset();
    unsetenv("BTK__RANGE_CPUS");
}

static void registry__instance_fields(void **state)
{
    btk_instance *v;
    size_t n;

    (void)state;
    assert_int_equal(btk_registry_instances(&v, &n, "sort/4096,empty"), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].family, "sort");
    assert_true(v[0].has_param);
    assert_int_equal(v[0].param, 4096);
    assert_true(v[0].fn == body);
    assert_false(v[1].has_param);
    assert_non_null(v[1].opts); /* defaults when registered with NULL */
    btk__free(v);
}

static void registry__filter_semantics(void **state)
{
    char s[512];

    (void)state;
    names("", s, sizeof(s)); /* empty keeps all */
    assert_non_null(strstr(s, "alloc"));
    names("sort", s, sizeof(s)); /* a family name selects all its instances */
    assert_string_equal(s, "sort/16 sort/-3 sort/4096");
    names("hash/64", s, sizeof(s)); /* a full name selects one */
    assert_string_equal(s, "hash/64");
    names("m*", s, sizeof(s)); /* globs */
    assert_string_equal(s, "memcpy/1 memcpy/4 memcpy/16 memcpy/64 memcpy/256 memcpy/1024");
    names("*/1?", s, sizeof(s));
    assert_string_equal(s, "sort/16 memcpy/16");
    names("sort,alloc", s, sizeof(s)); /* a list is a union, in registration order */
    assert_string_equal(s, "sort/16 sort/-3 sort/4096 alloc");
    names("-memcpy,-hash", s, sizeof(s)); /* only exclusions: everything else */
    assert_string_equal(s, "sort/16 sort/-3 sort/4096 empty alloc");
    names("sort,-sort/-3", s, sizeof(s)); /* exclusion wins */
    assert_string_equal(s, "sort/16 sort/4096");
    names("nosuch", s, sizeof(s)); /* no match is not an error: an empty selection */
    assert_string_equal(s, "");
}

static void registry__malformed_filter_is_einval(void **state)
{
    btk_instance *v;
    size_t n;

    (void)state;
    assert_int_equal(btk_registry_instances(&v, &n, "a,,b"), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message, "invalid benchmark filter 'a,,b'");
    assert_null(v);
    assert_int_equal(btk_registry_instances(&v, &n, "sort,"), BTK_EINVAL);
    assert_int_equal(btk_registry_instances(&v, &n, "-"), BTK_EINVAL);
}

static void registry__bad_registrations_are_einval(void **state)
{
    static const btk_bench_options bad_range = {BTK_RANGE(0, 100, 2),
                                                .version = BTK_BENCH_OPTIONS_VERSION};
    btk_instance *v;
    size_t n;

    (void)state;
    btk_register("zero", body, &bad_range);
    assert_int_equal(btk_registry_instances(&v, &n, NULL), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message,
                        "benchmark 'zero' has an invalid range (lo 0, hi 100, mult 2)");
    setup(NULL);
    btk_register("hash", body, NULL);
    assert_int_equal(btk_registry_instances(&v, &n, NULL), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message, "benchmark 'hash' is registered twice");
    setup(NULL);
    {
        static int64_t many[129];
        static const btk_bench_options too_many = {.params = many, .param_count = 129,
                                                   .version = BTK_BENCH_OPTIONS_VERSION};

        btk_register("many", body, &too_many);
        assert_int_equal(btk_registry_instances(&v, &n, NULL), BTK_EINVAL);
        assert_string_equal(btk_error_last()->message,
                            "benchmark 'many' has more than 128 parameters");
    }
    setup(NULL);
    btk_register("a/b\n", body, NULL);
    assert_int_equal(btk_registry_instances(&v, &n, NULL), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message,
                        "benchmark name 'a/b\\n' contains '/' (a name may not contain '/' "
                        "or ',')");
}

/* A name over the limit is refused with its length and the limit; the longest allowed
 * name runs, with a parameter too; --list (btk_registry_list) shows every benchmark that
 * can run and warns about the one that cannot. */
static void registry__long_name_refused_with_reason_and_listed_around(void **state)
{
    static char longest[BTK_REGISTRY_NAME_MAX + 1], too_long[BTK_REGISTRY_NAME_MAX + 2];
    static const int64_t lowest[] = {INT64_MIN};
    static const btk_bench_options one = {.params = lowest, .param_count = 1,
                                          .version = BTK_BENCH_OPTIONS_VERSION};
    char expected[300], *text = NULL;
    size_t n, len = 0;
    btk_instance *v;
    FILE *f;

    (void)state;
    memset(longest, 'a', BTK_REGISTRY_NAME_MAX);
    memset(too_long, 'b', BTK_REGISTRY_NAME_MAX + 1);
    btk_registry__reset();
    btk_register(longest, body, &one);
    assert_int_equal(btk_registry_instances(&v, &n, NULL), 0);
    assert_int_equal(n, 1);
    assert_int_equal(strlen(v[0].name), BTK_REGISTRY_NAME_MAX + 21); /* "/-9223372036854775808" */
    btk__free(v);
    btk_register(too_long, body, NULL);
    btk_register("after", body, NULL);
    assert_int_equal(btk_registry_instances(&v, &n, NULL), BTK_EINVAL);
    snprintf(expected, sizeof(expected), "benchmark name '%.92s...' is %d bytes long, more "
             "than the %d allowed", too_long, BTK_REGISTRY_NAME_MAX + 1, BTK_REGISTRY_NAME_MAX);
    assert_string_equal(btk_error_last()->message, expected);
    assert_non_null(f = open_memstream(&text, &len));
    assert_int_equal(btk_registry_list(&n, f, NULL), 0);
    fclose(f);
    assert_int_equal(n, 2);
    snprintf(expected, sizeof(expected), "%s/-9223372036854775808\nafter\n", longest);
    assert_string_equal(text, expected);
    free(text);
    btk_registry__reset();
}

static void registry__allocation_failure_is_clean(void **state)
{
    btk_instance *v;
    size_t n;
    long k;
    int rc;

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
    assert_int_equal(n, 15);
    btk__free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(registry__expands_lists_and_ranges_in_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(registry__instance_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(registry__filter_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(registry__malformed_filter_is_einval, setup, teardown),
        cmocka_unit_test(registry__long_name_refused_with_reason_and_listed_around),
        cmocka_unit_test(registry__thread_ranges),
        cmocka_unit_test_setup_teardown(registry__bad_registrations_are_einval, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(registry__allocation_failure_is_clean, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
