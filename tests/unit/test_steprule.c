/* The step rule (compare/stats/steprule.c): marks on series with known steps, none for
 * outliers, noise, steps below the threshold or an unconfirmed newest point, positions
 * kept across gaps. */
#include "steprule.h"

#include "check.h"

#include <math.h>

/* Fail unless the rule (window 5) marks v[0..n) exactly as want. */
static void expect_marks_at(const double *v, size_t n, const int *want, double threshold)
{
    int marks[64];
    size_t i;

    btk_steprule_marks(marks, v, n, threshold, BTK_STEPRULE_WINDOW);
    for (i = 0; i < n; i++)
        if (marks[i] != want[i])
            fail_msg("mark %zu: got %d, want %d", i, marks[i], want[i]);
}

static void expect_marks(const double *v, size_t n, const int *want)
{
    expect_marks_at(v, n, want, 0.05);
}

static void steprule__one_mark_where_the_level_changes(void **state)
{
    double v[30];
    int want[30] = {0};
    size_t i;

    (void)state;
    for (i = 0; i < 30; i++)
        v[i] = (i < 17 ? 100 : 112) + (i % 3) * 0.5;
    want[17] = 1;
    expect_marks(v, 30, want);
    for (i = 0; i < 30; i++)
        v[i] = (i < 9 ? 100 : 80) * (1 + 0.01 * (double)(i % 2));
    memset(want, 0, sizeof(want));
    want[9] = -1;
    expect_marks(v, 30, want);
}

static void steprule__outliers_and_noise_are_not_steps(void **state)
{
    double v[30];
    int want[30] = {0};
    size_t i;

    (void)state;
    for (i = 0; i < 30; i++)
        v[i] = 100 * (1 + 0.02 * sin((double)i));
    v[12] = 300; /* one wild sample */
    v[20] = 40;
    expect_marks(v, 30, want);
    v[29] = 200; /* a jump on the newest commit alone is not confirmed yet */
    expect_marks(v, 30, want);
}

static void steprule__gaps_keep_original_positions(void **state)
{
    double v[20];
    int want[20] = {0};
    size_t i;

    (void)state;
    for (i = 0; i < 20; i++)
        v[i] = i < 10 ? 50 : 60;
    v[10] = NAN; /* failed on the commit of the change */
    v[3] = NAN;
    want[11] = 1;
    expect_marks(v, 20, want);
    btk_steprule_marks(NULL, NULL, 0, 0.05, 5); /* empty series: nothing to do */
}

/* Known markers: up 20 % at 10, down 25 % at 20, +3 % at 30 (below the 5 % threshold,
 * above a 2 % one). Each step is marked once, at the commit where the level moved. */
static void steprule__marks_each_known_step_once(void **state)
{
    double v[40];
    int want[40] = {0};
    size_t i;

    (void)state;
    for (i = 0; i < 40; i++)
        v[i] = i < 10 ? 100 : i < 20 ? 120 : i < 30 ? 90 : 90 * 1.03;
    want[10] = 1;
    want[20] = -1;
    expect_marks(v, 40, want);
    want[30] = 1;
    expect_marks_at(v, 40, want, 0.02);
}

/* Without memory the rule marks nothing and the chart still draws. */
static void steprule__no_memory_means_no_marks(void **state)
{
    double v[20];
    int marks[20];
    size_t i;

    (void)state;
    for (i = 0; i < 20; i++)
        v[i] = i < 10 ? 50 : 60;
    memset(marks, 0x55, sizeof(marks));
    btk__alloc_fail_after(0);
    btk_steprule_marks(marks, v, 20, 0.05, BTK_STEPRULE_WINDOW);
    btk__alloc_fail_after(-1);
    btk_error_clear();
    for (i = 0; i < 20; i++)
        assert_int_equal(marks[i], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(steprule__one_mark_where_the_level_changes),
        cmocka_unit_test(steprule__outliers_and_noise_are_not_steps),
        cmocka_unit_test(steprule__gaps_keep_original_positions),
        cmocka_unit_test(steprule__marks_each_known_step_once),
        cmocka_unit_test(steprule__no_memory_means_no_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
