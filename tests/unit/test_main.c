/* Tests of the benchmark binary's command line (flags.c, main.c): every kind of bad flag is
 * exit status 2 with its one-line message; --list, --filter, --version, --help; the console
 * table and JSON on stdout; both "--flag=value" and "--flag value". */
#include "check.h"
#include "flags.h"

#include <jansson.h>

/* Run the healthy fixture with args; return its exit status, output in *out. */
static int run(const char *const *args, char **out)
{
    char *argv[16];
    size_t n = 0;

    argv[n++] = BTK_FIXTURE_HEALTHY;
    while (*args)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    return test_run(argv, out);
}

typedef struct bad_case {
    const char *args[6];
    const char *message;
} bad_case;

static const bad_case bad_cases[] = {
    {{"--bogus"}, "unknown option '--bogus' (see --help)"},
    {{"--processes"}, "option '--processes' needs a value"},
    {{"--processes", "abc"}, "invalid value 'abc' for '--processes': not a number"},
    {{"--processes=0"}, "value '0' for '--processes' is out of range (1..1000)"},
    {{"--cpu", "-2"}, "value '-2' for '--cpu' is out of range (-1..1023)"},
    {{"--min-samples", "2.5"}, "invalid value '2.5' for '--min-samples': not an integer"},
    {{"--precision=2"}, "value '2' for '--precision' is out of range (1e-06..0.99)"},
    {{"--timeout", "nan"}, "invalid value 'nan' for '--timeout': not a number"},
    {{"--time-budget", "10ms"}, "invalid value '10ms' for '--time-budget': not a number"},
    {{"--format", "xml"}, "unknown format 'xml' for '--format' (console or json)"},
    {{"--list=yes"}, "option '--list' takes no value"},
    {{"stray"}, "unexpected argument 'stray' (flags start with --)"},
    {{"--min-samples", "50", "--max-samples", "10"},
     "--min-samples (50) is larger than --max-samples (10)"},
    {{"--out", "-"}, "--out takes a file name, not '-': for the JSON on standard output use "
                     "--format json (a file named '-' is --out ./-)"},
    {{"--filter", "a,,b"}, "invalid benchmark filter 'a,,b'"},
    {{"--filter", "nomatch*"}, "no benchmark matches 'nomatch*'"},
};

static void main__bad_flags_exit_2_with_one_line_message(void **state)
{
    char expected[256], *out = NULL;
    size_t i;

    (void)state;
    for (i = 0; i < BTK_ARRAY_SIZE(bad_cases); i++) {
        snprintf(expected, sizeof(expected), "benchtrack: %s\n", bad_cases[i].message);
        assert_int_equal(run(bad_cases[i].args, &out), 2);
        assert_string_equal(out, expected);
        free(out);
    }
}

static void main__list_prints_names_in_registration_order(void **state)
{
    const char *args[] = {"--list", NULL};
    char *out = NULL;

    (void)state;
    assert_int_equal(run(args, &out), 0);
    assert_string_equal(out, "copy_bytes/64\ncopy_bytes/1024\nmix_items\nalloc_one\n");
    free(out);
}

static void main__filter_selects_by_glob_with_exclusions(void **state)
{
    const char *args[] = {"--list", "--filter=copy_bytes,-*/64", NULL};
    const char *args2[] = {"--list", "--filter", "mix*,alloc_one", NULL};
    char *out = NULL;

    (void)state;
    assert_int_equal(run(args, &out), 0);
    assert_string_equal(out, "copy_bytes/1024\n");
    free(out);
    assert_int_equal(run(args2, &out), 0);
    assert_string_equal(out, "mix_items\nalloc_one\n");
    free(out);
}

static void main__version_and_help(void **state)
{
    static const char *flag_names[] = {
        "--list", "--filter", "--format", "--out", "--processes", "--cpu", "--no-fork",
        "--time-budget", "--warmup", "--min-samples", "--max-samples", "--precision",
        "--timeout", "--no-memtrack", "--help", "--version"};
    const char *v[] = {"--version", NULL}, *h[] = {"--help", NULL};
    char *out = NULL;
    size_t i;

    (void)state;
    assert_int_equal(run(v, &out), 0);
    assert_string_equal(out, "benchtrack 0.1.0\n");
    free(out);
    assert_int_equal(run(h, &out), 0);
    for (i = 0; i < BTK_ARRAY_SIZE(flag_names); i++)
        if (strstr(out, flag_names[i]) == NULL)
            fail_msg("--help does not mention %s", flag_names[i]);
    free(out);
}

static void main__console_table_has_a_row_per_benchmark(void **state)
{
    const char *args[] = {"--time-budget", "10", "--filter", "mix_items,copy_bytes", NULL};
    char *out = NULL, *row;

    (void)state;
    assert_int_equal(run(args, &out), 0);
    assert_non_null(strstr(out, "Benchmark "));
    assert_non_null(strstr(out, "Median"));
    assert_non_null(row = strstr(out, "\nmix_items "));
    assert_non_null(strstr(row, "items/s"));
    assert_non_null(row = strstr(out, "\ncopy_bytes/1024 "));
    assert_non_null(strstr(row, "B/s"));
    assert_null(strchr(out, '\033')); /* no colour: not a TTY, and NO_COLOR is set */
    free(out);
}

/* --format json puts exactly one JSON document on stdout (warnings go to stderr). */
static void main__format_json_on_stdout_parses(void **state)
{
    char cmd[1024], *out = NULL;
    char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    json_error_t err;
    json_t *doc;

    (void)state;
    snprintf(cmd, sizeof(cmd),
             "'%s' --format json --time-budget 10 --filter mix_items 2>/dev/null",
             BTK_FIXTURE_HEALTHY);
    assert_int_equal(test_run(argv, &out), 0);
    doc = json_loads(out, 0, &err);
    if (doc == NULL)
        fail_msg("stdout is not one JSON document (%s):\n%s", err.text, out);
    assert_int_equal(json_array_size(json_object_get(doc, "benchmarks")), 1);
    assert_string_equal(json_string_value(json_object_get(doc, "format")), "benchtrack");
    json_decref(doc);
    free(out);
}

static void main__equals_and_separate_values_parse_alike(void **state)
{
    char *a[] = {"x", "--processes=3", "--cpu", "1", "--time-budget=12.5", "--format",
                 "json", "--out=r.json", "--no-fork", "--no-memtrack", "--filter", "a*",
                 NULL};
    char *b[] = {"x", "--processes", "3", "--cpu=1", "--time-budget", "12.5",
                 "--format=json", "--out", "r.json", "--no-fork", "--no-memtrack",
                 "--filter=a*", NULL};
    btk_main_options oa, ob;

    (void)state;
    assert_int_equal(btk_flags_parse(&oa, 12, a), 0);
    assert_int_equal(btk_flags_parse(&ob, 12, b), 0);
    assert_int_equal(oa.runner.processes, 3);
    assert_int_equal(oa.runner.cpu, 1);
    check_near(oa.runner.run.time_budget_ms, 12.5, 1e-12);
    assert_int_equal(oa.format, BTK_FORMAT_JSON);
    assert_string_equal(oa.out_path, "r.json");
    assert_string_equal(oa.filter, "a*");
    assert_true(oa.runner.no_fork);
    assert_false(oa.runner.run.memtrack);
    assert_int_equal(ob.runner.processes, oa.runner.processes);
    assert_int_equal(ob.runner.cpu, oa.runner.cpu);
    check_near(ob.runner.run.time_budget_ms, oa.runner.run.time_budget_ms, 1e-12);
    assert_int_equal(ob.format, oa.format);
    assert_string_equal(ob.out_path, oa.out_path);
    assert_string_equal(ob.filter, oa.filter);
    assert_true(ob.runner.no_fork);
    assert_false(ob.runner.run.memtrack);
}

static void main__defaults_without_flags(void **state)
{
    char *a[] = {"x", NULL};
    btk_main_options o;

    (void)state;
    assert_int_equal(btk_flags_parse(&o, 1, a), 0);
    assert_int_equal(o.runner.processes, 1);
    assert_int_equal(o.runner.cpu, -1);
    assert_int_equal(o.format, BTK_FORMAT_CONSOLE);
    assert_null(o.out_path);
    assert_null(o.filter);
    assert_false(o.runner.no_fork);
    assert_true(o.runner.run.memtrack);
    assert_true(o.runner.run.timeout_ms > 0);
}

/* An unwritable --out is found before anything runs: one line, exit 3. */
static void main__unwritable_out_fails_before_running(void **state)
{
    const char *args[] = {"--out", "/nonexistent-dir/r.json", NULL};
    char *out = NULL;

    (void)state;
    assert_int_equal(run(args, &out), 3);
    assert_string_equal(out, "benchtrack: cannot write results to "
                             "'/nonexistent-dir/r.json': No such file or directory\n");
    free(out);
}

/* A CPU that cannot be pinned to: the benchmark still runs, unpinned, with a pin warning. */
static void main__unpinnable_cpu_runs_with_a_pin_warning(void **state)
{
    char *dir = test_tmpdir("main"), path[512], *out = NULL;
    const char *args[] = {"--cpu", "1023", "--filter", "mix_items", "--time-budget", "5",
                          "--out", path, NULL};
    json_error_t err;
    json_t *doc, *w;
    size_t i;
    bool found = false;

    (void)state;
    snprintf(path, sizeof(path), "%s/r.json", dir);
    assert_int_equal(run(args, &out), 0);
    assert_non_null(strstr(out, "benchtrack: warning: benchmark processes could not be "
                                "pinned"));
    assert_non_null(doc = json_load_file(path, 0, &err));
    json_array_foreach(json_object_get(json_object_get(doc, "context"), "warnings"), i, w)
        found = found || strcmp(json_string_value(json_object_get(w, "code")), "pin") == 0;
    assert_true(found);
    w = json_array_get(json_object_get(json_array_get(json_object_get(doc, "benchmarks"), 0),
                                       "processes"),
                       0);
    assert_int_equal(json_integer_value(json_object_get(w, "cpu")), -1);
    json_decref(doc);
    free(out);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(main__bad_flags_exit_2_with_one_line_message),
        cmocka_unit_test(main__list_prints_names_in_registration_order),
        cmocka_unit_test(main__filter_selects_by_glob_with_exclusions),
        cmocka_unit_test(main__version_and_help),
        cmocka_unit_test(main__console_table_has_a_row_per_benchmark),
        cmocka_unit_test(main__format_json_on_stdout_parses),
        cmocka_unit_test(main__equals_and_separate_values_parse_alike),
        cmocka_unit_test(main__defaults_without_flags),
        cmocka_unit_test(main__unwritable_out_fails_before_running),
        cmocka_unit_test(main__unpinnable_cpu_runs_with_a_pin_warning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
