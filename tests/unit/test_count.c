/* Tests of counting mode's pure parts (harness/count.c): reading callgrind's dumps, the
 * padded environment of a counted process, the per-iteration figures and the determinism
 * verdict, the --measure names. The counting itself, under valgrind, is tested end to end
 * by count.fixture_counts (tests/cmake/count.cmake). */
#include "check.h"
#include "count.h"

static void parse__instructions_only(void **state)
{
    uint64_t v[BTK_COUNT_EVENTS];
    (void)state;
    assert_int_equal(btk_count__parse_dump(v, "version: 1\ncmd: ./t\npart: 1\n"
                                              "events: Ir\nsummary: 7015\ntotals: 7015\n"),
                     0);
    assert_true(v[0] == 7015 && v[1] == 0 && v[2] == 0);
}

static void parse__cache_events_are_summed_and_trailing_zeros_omitted(void **state)
{
    uint64_t v[BTK_COUNT_EVENTS];
    (void)state;
    /* Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw: L1 = 3+4+5, LL = 6 (DLmr, DLmw left out) */
    assert_int_equal(btk_count__parse_dump(v, "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
                                              "totals: 7015 2 8 3 4 5 6\n"),
                     0);
    assert_true(v[0] == 7015);
    assert_true(v[1] == 12);
    assert_true(v[2] == 6);
}

static void parse__no_totals_is_eformat(void **state)
{
    uint64_t v[BTK_COUNT_EVENTS];
    (void)state;
    assert_int_equal(btk_count__parse_dump(v, "events: Ir\n"), BTK_EFORMAT);
    assert_int_equal(btk_count__parse_dump(v, "events: Ir\ntotals: x\n"), BTK_EFORMAT);
    assert_int_equal(btk_count__parse_dump(v, ""), BTK_EFORMAT);
}

static size_t env_bytes(char **env, const char *program, size_t *count)
{
    size_t bytes = strlen(program) + 1, i;

    for (i = 0; env[i] != NULL; i++)
        bytes += strlen(env[i]) + 1;
    *count = i;
    return bytes;
}

static void env__fixed_size_and_count_whatever_the_input(void **state)
{
    char *small[] = {"A=1", "BTK__PAD=old", NULL};
    char big_value[6000], *big[] = {big_value, "B=2", "C=3", NULL};
    const char *extra[] = {"BTK__COUNT=3:1:0:x"};
    char **e1 = NULL, **e2 = NULL;
    size_t n1, n2, i;
    (void)state;

    memset(big_value, 'v', sizeof(big_value) - 1);
    big_value[0] = 'V', big_value[1] = '=';
    big_value[sizeof(big_value) - 1] = '\0';
    assert_int_equal(btk_count__build_env(&e1, small, extra, 1, "/bin/prog"), 0);
    assert_int_equal(btk_count__build_env(&e2, big, extra, 1, "/a/longer/path/prog"), 0);
    assert_int_equal(env_bytes(e1, "/bin/prog", &n1), BTK_COUNT_ENV_BYTES);
    assert_int_equal(env_bytes(e2, "/a/longer/path/prog", &n2), BTK_COUNT_ENV_BYTES);
    assert_int_equal(n1, BTK_COUNT_ENV_SLOTS);
    assert_int_equal(n2, BTK_COUNT_ENV_SLOTS);
    /* our own variables are replaced, never inherited; names are distinct */
    for (i = 0; e1[i] != NULL; i++)
        assert_true(strcmp(e1[i], "BTK__PAD=old") != 0);
    assert_string_equal(e1[0], "A=1");
    assert_string_equal(e1[1], "BTK__COUNT=3:1:0:x");
    assert_true(strcmp(e1[2], e1[3]) != 0);
    btk_count__free_env(e1);
    btk_count__free_env(e2);
}

static void env__large_environment_grows_by_pages(void **state)
{
    static char value[20000];
    char *env[] = {value, NULL};
    char **e = NULL;
    size_t n;
    (void)state;

    memset(value, 'v', sizeof(value) - 1);
    value[0] = 'V', value[1] = '=';
    assert_int_equal(btk_count__build_env(&e, env, NULL, 0, "/p"), 0);
    assert_int_equal(env_bytes(e, "/p", &n) % 4096, 0);
    assert_true(env_bytes(e, "/p", &n) >= sizeof(value));
    btk_count__free_env(e);
}

static void env__out_of_memory_is_clean(void **state)
{
    char *env[] = {"A=1", NULL};
    char **e = NULL;
    long n;
    int error = -1;
    (void)state;

    for (n = 0; error != 0; n++) {
        btk__alloc_fail_after(n);
        error = btk_count__build_env(&e, env, NULL, 0, "/p");
        btk__alloc_fail_after(-1);
        assert_true(error == 0 || (error == BTK_ENOMEM && e == NULL));
    }
    btk_count__free_env(e);
}

static void per_iter__subtracts_the_loop_and_pause_pairs(void **state)
{
    btk_count_figures f;
    (void)state;

    memset(&f, 0, sizeof(f));
    f.events = 1;
    f.iterations = 1000;
    f.loop[0] = 2015;        /* 2 per iteration + 15 */
    f.body[0] = 7015 + 3000; /* 5 per iteration, plus 3 pairs of 1 per iteration */
    f.pauses = 3000;
    f.pause_loop[0] = 2015 + 1000;
    check_near(btk_count_per_iter(&f, 0), 5.0, 1e-12);
    assert_true(btk_count_per_iter(&f, 1) == 0); /* event not counted */
}

static void deterministic__needs_two_equal_processes(void **state)
{
    btk_proc_result p[2];
    btk_bench_result r;
    double lo, hi;
    (void)state;

    memset(p, 0, sizeof(p));
    memset(&r, 0, sizeof(r));
    p[0].counted.events = p[1].counted.events = 1;
    p[0].counted.iterations = p[1].counted.iterations = 10;
    p[0].counted.body[0] = p[1].counted.body[0] = 100;
    r.procs = p;
    r.proc_count = 1;
    assert_false(btk_count_deterministic(&r, &lo, &hi)); /* one process proves nothing */
    r.proc_count = 2;
    assert_true(btk_count_deterministic(&r, &lo, &hi));
    check_near(lo, 10.0, 1e-12);
    check_near(hi, 10.0, 1e-12);
    p[1].counted.body[0] = 110;
    assert_false(btk_count_deterministic(&r, &lo, &hi));
    check_near(lo, 10.0, 1e-12);
    check_near(hi, 11.0, 1e-12);
}

static void measure__names_round_trip(void **state)
{
    btk_measure m = BTK_MEASURE_TIME;
    (void)state;
    assert_true(btk_count_measure_parse(&m, "instructions"));
    assert_int_equal(m, BTK_MEASURE_INSTRUCTIONS);
    assert_true(btk_count_measure_parse(&m, "perf-instructions"));
    assert_string_equal(btk_count_measure_name(m), "perf-instructions");
    assert_false(btk_count_measure_parse(&m, "cycles"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse__instructions_only),
        cmocka_unit_test(parse__cache_events_are_summed_and_trailing_zeros_omitted),
        cmocka_unit_test(parse__no_totals_is_eformat),
        cmocka_unit_test(env__fixed_size_and_count_whatever_the_input),
        cmocka_unit_test(env__large_environment_grows_by_pages),
        cmocka_unit_test(env__out_of_memory_is_clean),
        cmocka_unit_test(per_iter__subtracts_the_loop_and_pause_pairs),
        cmocka_unit_test(deterministic__needs_two_equal_processes),
        cmocka_unit_test(measure__names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
