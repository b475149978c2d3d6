/* Tests of the CLI's option parser (compare/cli/opt.c): both value forms, missing values,
 * unknown options, "--", --help anywhere before "--", numeric bounds, repeated options,
 * positional arguments, and the usage and help generated from a table. */
#include "check.h"
#include "opt.h"

#include <limits.h>

typedef struct targs {
    const char *first, *second, *db, *out, *name;
    bool quiet;
    long limit;
    unsigned resamples;
    uint64_t seed;
    double alpha;
    cli_opt_args more;
    cli_opt_tail tail;
} targs;

/* Two optional arguments and every kind of option; no tail. */
static const cli_opt plain_opts[] = {
    CLI_OPT_ARG("FIRST", targs, first, 0, "the first argument"),
    CLI_OPT_ARG("SECOND", targs, second, 0, "the second argument"),
    CLI_OPT_STRING("--db", "PATH", targs, db, "results database"),
    CLI_OPT_STRING_EX("--name", NULL, "NAME", targs, name, CLI_OPT_NONEMPTY, "a name"),
    CLI_OPT_FLAG("--quiet", targs, quiet, CLI_OPT_OR, "say less"),
    CLI_OPT_STRING_EX("--output", "-o", "DIR", targs, out, 0, "where it goes"),
    CLI_OPT_LONG("--limit", "N", targs, limit, 1, 10, "at most N"),
    CLI_OPT_UINT("--resamples", "N", targs, resamples, 100, 1000, "resamples"),
    CLI_OPT_UINT64("--seed", "N", targs, seed, 0, LONG_MAX, "seed"),
    CLI_OPT_DOUBLE("--alpha", "A", targs, alpha, 1e-9, 0.5, "level"),
    CLI_OPT_END,
};
static const cli_cmd plain = {"test", plain_opts};

/* A required argument and option, a bounded list and a tail (as run and ab have). */
static const cli_opt tail_opts[] = {
    CLI_OPT_ARG("FIRST", targs, first, CLI_OPT_REQUIRED, "the first argument"),
    CLI_OPT_ARGS("MORE...", targs, more, 2, 0, "at most two more"),
    CLI_OPT_STRING_EX("--output", "-o", "DIR", targs, out, CLI_OPT_REQUIRED,
                      "where it goes"),
    CLI_OPT_TAIL("ARGS", targs, tail, 0, "for the binary"),
    CLI_OPT_END,
};
static const cli_cmd with_tail = {"tailed", tail_opts};

/* Parse the NULL-terminated arguments after the command name; *help_out as parsed. The
 * argv is static: what the parser stores points into it (a tail, for one). */
static int parse_v(targs *a, bool *help_out, const cli_cmd *cmd, char **args)
{
    static char *argv[16];
    int argc = 1;

    argv[0] = (char *)cmd->name;
    while (args[argc - 1]) {
        assert_true(argc < 15);
        argv[argc] = args[argc - 1];
        argc++;
    }
    memset(a, 0, sizeof(*a));
    btk_error_clear();
    return cli_opt_parse(a, help_out, cmd, argc, argv);
}

#define PARSE(a, help, cmd, ...) parse_v(a, help, cmd, (char *[]){__VA_ARGS__, NULL})

static void expect_error(int error, const char *message)
{
    assert_int_equal(error, BTK_EINVAL);
    assert_int_equal(btk_error_last()->code, BTK_EINVAL);
    assert_string_equal(btk_error_last()->message, message);
}

static void opt__value_after_space_or_equals(void **state)
{
    targs a;
    bool help;

    (void)state;
    assert_int_equal(PARSE(&a, &help, &plain, "--db", "x.db", "--name=n", "-o", "dir1"),
                     0);
    assert_false(help);
    assert_string_equal(a.db, "x.db");
    assert_string_equal(a.name, "n");
    assert_string_equal(a.out, "dir1");
    assert_int_equal(PARSE(&a, &help, &plain, "-o=dir2", "--output=dir3", "--db="), 0);
    assert_string_equal(a.out, "dir3");
    /* an empty value is a value unless the row says otherwise */
    assert_string_equal(a.db, "");
    /* the value is taken as it is, even when it looks like an option */
    assert_int_equal(PARSE(&a, &help, &plain, "--db", "--quiet"), 0);
    assert_string_equal(a.db, "--quiet");
    assert_false(a.quiet);
}

static void opt__missing_value_is_one_message(void **state)
{
    targs a;
    bool help;

    (void)state;
    expect_error(PARSE(&a, &help, &plain, "x", "--db"), "option '--db' needs a value");
    expect_error(PARSE(&a, &help, &plain, "--limit"), "option '--limit' needs a value");
    expect_error(PARSE(&a, &help, &plain, "-o"), "option '-o' needs a value");
    expect_error(PARSE(&a, &help, &plain, "--db", "--", "x"),
                 "option '--db' needs a value");
    expect_error(PARSE(&a, &help, &plain, "--name="), "option '--name' needs a value");
    expect_error(PARSE(&a, &help, &plain, "--name", ""), "option '--name' needs a value");
}

static void opt__unknown_option_names_option_and_command(void **state)
{
    targs a;
    bool help;

    (void)state;
    expect_error(PARSE(&a, &help, &plain, "--bogus"),
                 "unknown option '--bogus' for 'test'");
    expect_error(PARSE(&a, &help, &plain, "--db=x", "-x"),
                 "unknown option '-x' for 'test'");
    expect_error(PARSE(&a, &help, &plain, "--d", "x"), "unknown option '--d' for 'test'");
    expect_error(PARSE(&a, &help, &plain, "--bo\ngus"),
                 "unknown option '--bo\\ngus' for 'test'"); /* untrusted: escaped */
    expect_error(PARSE(&a, &help, &plain, "--quiet=1"),
                 "option '--quiet' takes no value");
}

static void opt__double_dash_ends_options(void **state)
{
    targs a;
    bool help;

    (void)state;
    /* without a tail, what follows "--" is more arguments, "--" itself included */
    assert_int_equal(PARSE(&a, &help, &plain, "--quiet", "--", "-x", "--"), 0);
    assert_true(a.quiet);
    assert_string_equal(a.first, "-x");
    assert_string_equal(a.second, "--");
    /* with a tail, all of it goes there unparsed, --help included */
    assert_int_equal(PARSE(&a, &help, &with_tail, "f", "-o", "d", "--", "--help", "x"),
                     0);
    assert_false(help);
    assert_int_equal(a.tail.count, 2);
    assert_string_equal(a.tail.v[0], "--help");
    assert_string_equal(a.tail.v[1], "x");
    assert_int_equal(PARSE(&a, &help, &with_tail, "f", "-o", "d"), 0);
    assert_int_equal(a.tail.count, 0);
    /* "-" alone is an argument (stdin, say) */
    assert_int_equal(PARSE(&a, &help, &plain, "-"), 0);
    assert_string_equal(a.first, "-");
}

static void opt__help_anywhere_before_double_dash(void **state)
{
    targs a;
    bool help;

    (void)state;
    assert_int_equal(PARSE(&a, &help, &plain, "--help"), 0);
    assert_true(help);
    /* wins over mistakes around it, and the rest is not parsed */
    assert_int_equal(PARSE(&a, &help, &plain, "--bogus", "--db", "x", "-h", "--limit=99"),
                     0);
    assert_true(help);
    assert_null(a.db);
    /* the required rows are not needed */
    assert_int_equal(PARSE(&a, &help, &with_tail, "-h"), 0);
    assert_true(help);
    assert_int_equal(PARSE(&a, &help, &plain, "--", "--help"), 0); /* an argument now */
    assert_false(help);
    assert_string_equal(a.first, "--help");
}

static void opt__numbers_checked_against_bounds(void **state)
{
    targs a;
    bool help;

    (void)state;
    assert_int_equal(PARSE(&a, &help, &plain, "--limit", "10", "--resamples=100",
                           "--seed", "9223372036854775807", "--alpha", "0.5"),
                     0);
    assert_int_equal(a.limit, 10);
    assert_int_equal(a.resamples, 100);
    assert_true(a.seed == (uint64_t)LONG_MAX);
    check_near(a.alpha, 0.5, 1e-15);
    expect_error(PARSE(&a, &help, &plain, "--limit", "0"),
                 "--limit: expected an integer from 1 to 10, got '0'");
    expect_error(PARSE(&a, &help, &plain, "--limit=11"),
                 "--limit: expected an integer from 1 to 10, got '11'");
    expect_error(PARSE(&a, &help, &plain, "--limit", "3x"),
                 "--limit: expected an integer from 1 to 10, got '3x'");
    expect_error(PARSE(&a, &help, &plain, "--resamples", "99"),
                 "--resamples: expected an integer from 100 to 1000, got '99'");
    expect_error(PARSE(&a, &help, &plain, "--seed", "-1"),
                 "--seed: expected an integer from 0 to 9223372036854775807, got '-1'");
    expect_error(PARSE(&a, &help, &plain, "--alpha", "0.6"),
                 "--alpha: expected a number from 0.000000001 to 0.5, got '0.6'");
    expect_error(PARSE(&a, &help, &plain, "--alpha="),
                 "--alpha: expected a number from 0.000000001 to 0.5, got ''");
}

/* Numbers are plain decimals: strtol/strtod's other forms (exponent, hex, leading space or
 * sign, inf/nan) are refused, and a refused value is named in the message. */
static void opt__numbers_plain_decimal_only(void **state)
{
    static char *bad_ints[] = {"1e3", "0x10", " 5", "5 ", "+5", "", "-", "0x", "5.0"};
    static char *bad_doubles[] = {"1e-3", "0x0.1p0", " 0.1", "0.1 ", "+0.1",
                                        "inf", "nan", ".", "-.", "1e0"};
    char message[200];
    targs a;
    bool help;
    size_t i;

    (void)state;
    for (i = 0; i < BTK_ARRAY_SIZE(bad_ints); i++) {
        snprintf(message, sizeof(message),
                 "--limit: expected an integer from 1 to 10, got '%s'", bad_ints[i]);
        expect_error(PARSE(&a, &help, &plain, "--limit", bad_ints[i]), message);
    }
    for (i = 0; i < BTK_ARRAY_SIZE(bad_doubles); i++) {
        snprintf(message, sizeof(message),
                 "--alpha: expected a number from 0.000000001 to 0.5, got '%s'",
                 bad_doubles[i]);
        expect_error(PARSE(&a, &help, &plain, "--alpha", bad_doubles[i]), message);
    }
    assert_int_equal(PARSE(&a, &help, &plain, "--limit", "07", "--alpha", ".25"), 0);
    assert_int_equal(a.limit, 7);
    check_near(a.alpha, 0.25, 1e-15);
    assert_int_equal(PARSE(&a, &help, &plain, "--alpha", "0.05", "--seed", "0"), 0);
    check_near(a.alpha, 0.05, 1e-15);
}

static void opt__repeated_option_keeps_the_last(void **state)
{
    targs a;
    bool help;

    (void)state;
    assert_int_equal(PARSE(&a, &help, &plain, "--db", "a", "--limit=2", "--db=b",
                           "--limit", "3", "--quiet", "--quiet"),
                     0);
    assert_string_equal(a.db, "b");
    assert_int_equal(a.limit, 3);
    assert_true(a.quiet);
}

static void opt__arguments_in_order_and_counted(void **state)
{
    targs a;
    bool help;

    (void)state;
    assert_int_equal(PARSE(&a, &help, &plain, "one", "--quiet", "two"), 0);
    assert_string_equal(a.first, "one");
    assert_string_equal(a.second, "two");
    expect_error(PARSE(&a, &help, &plain, "one", "two", "three"),
                 "unexpected argument 'three' for 'test'");
    assert_int_equal(PARSE(&a, &help, &with_tail, "f", "m1", "-o", "d", "m2"), 0);
    assert_int_equal(a.more.count, 2);
    assert_string_equal(a.more.v[1], "m2");
    expect_error(PARSE(&a, &help, &with_tail, "f", "m1", "m2", "m3", "-o", "d"),
                 "unexpected argument 'm3' for 'tailed' (put ARGS after '--')");
    expect_error(PARSE(&a, &help, &with_tail, "--", "x"), "'tailed' needs FIRST -o DIR");
    expect_error(PARSE(&a, &help, &with_tail, "-o", "d"), "'tailed' needs FIRST");
}

static void opt__usage_brackets_and_wraps(void **state)
{
    btk_buf b = BTK_BUF_INIT;

    (void)state;
    assert_int_equal(cli_opt_usage(&b, &with_tail), 0);
    assert_string_equal(btk_buf_cstr(&b),
                        "usage: benchtrack tailed FIRST [MORE...] -o DIR [-- ARGS]\n");
    btk_buf_clear(&b);
    assert_int_equal(cli_opt_usage(&b, &plain), 0);
    assert_string_equal(
        btk_buf_cstr(&b),
        /* 74 columns, and " [-o DIR]" would pass 80 */
        "usage: benchtrack test [FIRST] [SECOND] [--db PATH] [--name NAME | "
        "--quiet]\n"
        "       [-o DIR] [--limit N] [--resamples N] [--seed N] [--alpha A]\n");
    btk_buf_free(&b);
}

static void opt__help_lists_every_row(void **state)
{
    btk_buf b = BTK_BUF_INIT;
    const char *text;

    (void)state;
    assert_int_equal(cli_opt_help(&b, &plain), 0);
    text = btk_buf_cstr(&b);
    assert_int_equal(strncmp(text, "usage: benchtrack test [FIRST]", 30), 0);
    assert_non_null(
        strstr(text, "\n\narguments:\n  FIRST             the first argument\n"));
    assert_non_null(strstr(text, "\noptions:\n  --db PATH         results database\n"));
    assert_non_null(strstr(text, "\n  -o, --output DIR  where it goes\n"));
    assert_non_null(strstr(text, "\n  --quiet           say less\n"));
    assert_non_null(strstr(text, "\n  -h, --help        print this help\n"));
    for (const cli_opt *o = plain_opts; o->type != CLI_OPT_TYPE_END; o++)
        assert_non_null(strstr(text, o->help));
    btk_buf_free(&b);
}

/* Every allocation of the help and of a "needs" message fails in turn: a clean error. */
static void opt__survives_every_allocation_failure(void **state)
{
    long n;

    (void)state;
    for (n = 0;; n++) {
        btk_buf b = BTK_BUF_INIT;
        int error;

        btk__alloc_fail_after(n);
        error = cli_opt_help(&b, &with_tail);
        btk__alloc_fail_after(-1);
        btk_buf_free(&b);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
    }
    assert_true(n > 0);
    for (n = 0;; n++) {
        targs a;
        bool help;
        int error;

        btk__alloc_fail_after(n);
        error = PARSE(&a, &help, &with_tail, "-o", "d");
        btk__alloc_fail_after(-1);
        if (error == BTK_EINVAL)
            break;
        assert_int_equal(error, BTK_ENOMEM);
    }
    assert_true(n > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opt__value_after_space_or_equals),
        cmocka_unit_test(opt__missing_value_is_one_message),
        cmocka_unit_test(opt__unknown_option_names_option_and_command),
        cmocka_unit_test(opt__double_dash_ends_options),
        cmocka_unit_test(opt__help_anywhere_before_double_dash),
        cmocka_unit_test(opt__numbers_checked_against_bounds),
        cmocka_unit_test(opt__numbers_plain_decimal_only),
        cmocka_unit_test(opt__repeated_option_keeps_the_last),
        cmocka_unit_test(opt__arguments_in_order_and_counted),
        cmocka_unit_test(opt__usage_brackets_and_wraps),
        cmocka_unit_test(opt__help_lists_every_row),
        cmocka_unit_test(opt__survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
