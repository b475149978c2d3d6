/* Tests of count histories (compare/stats/counthist.c, docs/statistics.md §10 "Count
 * histories"): the count_threshold rule along commits. Expected marks are worked out by
 * hand from the counts written below: 1000 -> 1000.5 is +0.05 % (within 0.1 %), 1000.5 ->
 * 1010 is +0.9495 % (beyond 0.1 %, within 2 %), 1010 -> 1000 is -0.99 %. */
#include "check.h"
#include "counthist.h"

#include <math.h>

#define ID_A "tool=callgrind; libc=glibc 2.36; cpu=A"
#define ID_B "tool=callgrind; libc=glibc 2.36; cpu=B"

/* A counting run of one benchmark "b": count a, a second process counting b. */
static btk_run *counting(const char *identity, double a, double b)
{
    btk_run *run = NULL;
    btk_result *r;

    assert_int_equal(btk_run_new(&run), 0);
    run->measure = BTK_MEASURE_KIND_INSTRUCTIONS;
    run->count_identity = strdup(identity);
    run->results = calloc(1, sizeof(btk_result));
    run->result_count = 1;
    r = &run->results[0];
    r->name = strdup("b");
    r->status = BTK_RESULT_OK;
    btk_stats_init(&r->stats);
    btk_stats_init(&r->cpu_stats);
    btk_memory_init(&r->memory);
    r->stats.median = a;
    r->count_repeat = a == b ? BTK_COUNT_DETERMINISTIC : BTK_COUNT_NONDETERMINISTIC;
    r->count_spread_min = fmin(a, b);
    r->count_spread_max = fmax(a, b);
    return run;
}

/* Points of one run per commit from counts[] (a negative entry: nondeterministic, the
 * processes counting |c| and 1.1 |c|), identities ids[] (NULL: all ID_A). */
static void points(btk_count_point *pts, btk_run **runs, const double *counts, size_t n,
                   const char *const *ids)
{
    for (size_t i = 0; i < n; i++) {
        double c = fabs(counts[i]);

        runs[i] = counting(ids ? ids[i] : ID_A, c, counts[i] < 0 ? c * 1.1 : c);
        assert_true(btk_count_point_of(&pts[i], (const btk_run *const *)&runs[i], 1, "b", i));
    }
}

static void free_runs(btk_run **runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        btk_run_free(runs[i]);
}

static void counthist__the_issue_example_at_0_1_and_2_percent(void **state)
{
    /* 1000, 1000, 1000.5, nondeterministic 1000.5, 1010, 1010, 1000 */
    const double counts[] = {1000, 1000, 1000.5, -1000.5, 1010, 1010, 1000};
    btk_count_point pts[7];
    btk_run *runs[7];
    unsigned char m[7];
    size_t prev[7];

    (void)state;
    points(pts, runs, counts, 7, NULL);
    btk_count_marks(m, prev, pts, 7, 0.001);
    assert_int_equal(m[0], BTK_COUNT_START);
    assert_int_equal(m[1], BTK_COUNT_SAME);
    assert_int_equal(m[2], BTK_COUNT_SAME);      /* +0.05 % */
    assert_int_equal(m[3], BTK_COUNT_UNTRUSTED); /* never a change point */
    assert_int_equal(m[4], BTK_COUNT_CHANGE);    /* +0.9495 % */
    assert_int_equal(prev[4], 2);                /* measured from 1000.5, not the untrusted */
    assert_int_equal(m[5], BTK_COUNT_SAME);
    assert_int_equal(m[6], BTK_COUNT_CHANGE);    /* -0.99 %: an improvement */
    assert_int_equal(prev[0], SIZE_MAX);
    /* the nondeterministic point's range: 1000.5 to 1100.55 */
    assert_false(pts[3].trusted);
    check_near(pts[3].lo, 1000.5, 0);
    check_near(pts[3].hi, 1000.5 * 1.1, 1e-15);
    btk_count_marks(m, prev, pts, 7, 0.02); /* count_threshold 2 % */
    for (size_t i = 1; i < 7; i++)
        assert_true(m[i] == BTK_COUNT_SAME || (i == 3 && m[i] == BTK_COUNT_UNTRUSTED));
    free_runs(runs, 7);
}

static void counthist__the_threshold_is_strict(void **state)
{
    /* exactly +1 % at t = 1 %: 1010 / 1000 and 1 + 0.01 are the same double (both
     * round 1.01), so the ratio is not > 1 + t: not a change (compare's rule too) */
    const double counts[] = {1000, 1010, 1010.5};
    btk_count_point pts[3];
    btk_run *runs[3];
    unsigned char m[3];
    size_t prev[3];

    (void)state;
    points(pts, runs, counts, 3, NULL);
    btk_count_marks(m, prev, pts, 3, 0.01);
    assert_int_equal(m[1], BTK_COUNT_SAME);
    assert_int_equal(m[2], BTK_COUNT_SAME); /* 1010.5 / 1010: +0.05 % */
    btk_count_marks(m, prev, pts, 3, 0.0099);
    assert_int_equal(m[1], BTK_COUNT_CHANGE); /* the same step just beyond 0.99 % */
    free_runs(runs, 3);
}

static void counthist__another_identity_starts_a_new_level(void **state)
{
    const double counts[] = {1000, 1200, 1200};
    const char *const ids[] = {ID_A, ID_B, ID_B};
    btk_count_point pts[3];
    btk_run *runs[3];
    unsigned char m[3];
    size_t prev[3];

    (void)state;
    points(pts, runs, counts, 3, ids);
    btk_count_marks(m, prev, pts, 3, 0.001);
    assert_int_equal(m[1], BTK_COUNT_START); /* +20 %, but another CPU: not compared */
    assert_int_equal(m[2], BTK_COUNT_SAME);
    free_runs(runs, 3);
}

static void counthist__runs_of_one_commit_that_disagree_are_not_trusted(void **state)
{
    btk_run *runs[2] = {counting(ID_A, 1000, 1000), counting(ID_A, 1001, 1001)};
    btk_count_point p;

    (void)state;
    assert_true(btk_count_point_of(&p, (const btk_run *const *)runs, 2, "b", 7));
    assert_false(p.trusted);
    assert_int_equal(p.pos, 7);
    check_near(p.count, 1000, 0); /* the first run's */
    check_near(p.hi, 1001, 0);
    btk_run_free(runs[1]);
    runs[1] = counting(ID_B, 1000, 1000); /* same count, another identity */
    assert_true(btk_count_point_of(&p, (const btk_run *const *)runs, 2, "b", 7));
    assert_false(p.trusted);
    assert_false(btk_count_point_of(&p, (const btk_run *const *)runs, 2, "other", 7));
    free_runs(runs, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counthist__the_issue_example_at_0_1_and_2_percent),
        cmocka_unit_test(counthist__the_threshold_is_strict),
        cmocka_unit_test(counthist__another_identity_starts_a_new_level),
        cmocka_unit_test(counthist__runs_of_one_commit_that_disagree_are_not_trusted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
