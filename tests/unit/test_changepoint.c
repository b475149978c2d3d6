/* Tests of compare/stats/changepoint.c: Student's t against reference values, change
 * points on series whose truth is known, a disturbed process (one value 10-200x the
 * others), drift, determinism, incremental == full, edge cases and allocation failures.
 * Where a number comes from: "scipy" means SciPy 1.10.1 (Debian 12's python3-scipy),
 * scipy.stats.t.sf / t.isf, scipy.special.betainc and scipy.stats.ttest_ind(equal_var=
 * False), evaluated by hand in python3 with the arguments shown; "by construction" means
 * the series was generated with that truth by the fixed-seed generator below. */
#include "check.h"
#include "changepoint.h"

#include <math.h>
#include <pthread.h>

/* ---- a fixed-seed generator of our own: splitmix64, Box-Muller ---- */

static uint64_t rng;

static uint64_t next_u64(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double uniform(void)
{
    return ((double)(next_u64() >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform());
}

#define MAX_COMMITS 1000
#define MAX_PROCESSES 8

static double values[MAX_COMMITS * MAX_PROCESSES];
static size_t counts[MAX_COMMITS];
static double level[MAX_COMMITS];

/* Per-process values of n commits at level[], k processes each (k == 0: 1 to 6 at
 * random): level * (1 + run + process), two normals of sd cv / sqrt(2) each. */
static void generate(size_t n, size_t k, double cv, uint64_t seed)
{
    double sd = cv / sqrt(2.0);
    size_t v = 0;

    rng = seed;
    for (size_t c = 0; c < n; c++) {
        double run = sd * normal();

        counts[c] = k ? k : 1 + (size_t)(uniform() * 6);
        for (size_t p = 0; p < counts[c]; p++)
            values[v++] = level[c] * (1.0 + run + sd * normal());
    }
}

/* generate() with 3 processes a commit, then each commit (whole_commits) or each value
 * multiplied by factor with chance 1/2: two levels, of the machine or of the process. */
static void generate_levels(size_t n, double cv, uint64_t seed, double factor,
                            bool whole_commits)
{
    generate(n, 3, cv, seed);
    for (size_t c = 0; c < n; c++) {
        bool commit_slow = whole_commits && uniform() < 0.5;

        for (size_t p = 0; p < 3; p++)
            if (whole_commits ? commit_slow : uniform() < 0.5)
                values[3 * c + p] *= factor;
    }
}

static void set_level(size_t from, size_t to, double lv)
{
    for (size_t c = from; c < to; c++)
        level[c] = lv;
}

/* Detect over the generated series with opts (NULL: the defaults). */
static btk_changepoint *detect_with(size_t n, size_t *count,
                                    const btk_changepoint_options *opts)
{
    btk_changepoint *pts = NULL;

    assert_int_equal(btk_changepoint_detect(&pts, count, values, counts, n, opts), 0);
    return pts;
}

static btk_changepoint *detect(size_t n, size_t *count)
{
    return detect_with(n, count, NULL);
}

/* ---- Student's t ---- */

static void tdist__matches_scipy(void **state)
{
    /* scipy: t.sf(t, df) */
    static const double sf[][3] = {
        {0.5, 1, 0.3524163823495668},         {1.0, 1, 0.24999999999999978},
        {2.5, 3, 0.04385332350403277},        {-1.5, 4.5, 0.8998904571719234},
        {3.2, 7.3, 0.007119834019329151},     {10.0, 2, 0.004926228511662846},
        {5.0, 30, 1.1648342733503893e-05},    {40.0, 10, 1.1404288715428737e-12},
        {0.3, 0.5, 0.4224295760652454},       {8.0, 2.2, 0.00574530594835289},
        {12.0, 48.0, 2.3345685660868596e-16}, {25.0, 200.0, 9.269548053746347e-64},
    };
    /* scipy, df >= 1e4: a few digits are lost there (docs/statistics.md) */
    static const double sf_large[][3] = {
        {2.0, 1e4, 0.022763630330717727},
        {4.0, 123456.7, 3.1689674078635637e-05},
        {1.96, 1e6, 0.02499803379263489},
    };
    /* scipy: betainc(a, b, x) */
    static const double beta[][4] = {
        {0.5, 0.5, 0.3, 0.3690101195655454},
        {2, 3, 0.4, 0.5247999999999999},
        {10, 0.5, 0.9, 0.15164090963470997},
        {50, 50, 0.45, 0.15865219893709973},
        {1, 1, 0.77, 0.77},
        {0.1, 5, 0.01, 0.769088920784346},
        {200, 0.5, 0.999, 0.5272441070252669},
        {3.5, 0.5, 0.05, 8.297629300949918e-06},
    };
    /* scipy: t.isf(q, df); scipy's own inverse is good to about 1e-11 here (mpmath 1.3 at
     * 30 digits: t.sf(2.2281388519649385, 10) - 0.025 = 9.0e-13), hence 1e-10 */
    static const double isf[][3] = {
        {0.025, 10, 2.2281388519649385},
        {0.025, 2.5, 3.574654842011878},
        {0.001, 30, 3.3851848668182165},
        {0.975, 4, -2.7764451051977987},
    };

    (void)state;
    for (size_t i = 0; i < BTK_ARRAY_SIZE(sf); i++)
        check_near(btk_changepoint_t_sf(sf[i][0], sf[i][1]), sf[i][2], 1e-13);
    for (size_t i = 0; i < BTK_ARRAY_SIZE(sf_large); i++)
        check_near(btk_changepoint_t_sf(sf_large[i][0], sf_large[i][1]), sf_large[i][2],
                   1e-9);
    for (size_t i = 0; i < BTK_ARRAY_SIZE(beta); i++)
        check_near(btk_changepoint_betainc(beta[i][0], beta[i][1], beta[i][2]),
                   beta[i][3], 1e-13);
    for (size_t i = 0; i < BTK_ARRAY_SIZE(isf); i++)
        check_near(btk_changepoint_t_isf(isf[i][0], isf[i][1]), isf[i][2], 1e-10);
}

static void tdist__edges(void **state)
{
    (void)state;
    assert_true(btk_changepoint_t_sf(0.0, 3.0) == 0.5);
    assert_true(btk_changepoint_t_sf(INFINITY, 3.0) == 0.0);
    assert_true(btk_changepoint_t_sf(-INFINITY, 3.0) == 1.0);
    assert_true(isnan(btk_changepoint_t_sf(1.0, 0.0)));
    assert_true(isnan(btk_changepoint_t_sf(NAN, 3.0)));
    assert_true(btk_changepoint_betainc(2.0, 3.0, 0.0) == 0.0);
    assert_true(btk_changepoint_betainc(2.0, 3.0, 1.0) == 1.0);
    assert_true(isnan(btk_changepoint_betainc(2.0, 3.0, 1.5)));
    assert_true(isnan(btk_changepoint_betainc(0.0, 3.0, 0.5)));
    assert_true(isnan(btk_changepoint_t_isf(0.0, 3.0)));
    /* symmetry: P(T > -t) = 1 - P(T > t) */
    check_near(btk_changepoint_t_sf(-2.0, 7.0), 1.0 - btk_changepoint_t_sf(2.0, 7.0),
               1e-15);
}

/* ---- series with a known truth ---- */

static void single_step__found_at_its_commit_with_levels(void **state)
{
    size_t n;
    btk_changepoint *pts;

    (void)state;
    set_level(0, 120, 1000.0);
    set_level(120, 200, 1050.0); /* +5 % at commit 120, by construction */
    generate(200, 5, 0.01, 1);
    pts = detect(200, &n);
    assert_int_equal(n, 1);
    assert_int_equal(pts[0].index, 120);
    assert_int_equal(pts[0].count_before, 120);
    assert_int_equal(pts[0].count_after, 80);
    check_near(pts[0].before, 1000.0, 0.003);
    check_near(pts[0].after, 1050.0, 0.003);
    check_near(pts[0].magnitude, 0.05, 0.1);
    assert_true(pts[0].t > 20.0);
    assert_true(pts[0].p < 1e-30);
    assert_true(pts[0].df > 50.0 && pts[0].df < 200.0);
    btk__free(pts);
}

static void several_steps__each_found_at_its_commit(void **state)
{
    size_t n;
    btk_changepoint *pts;

    (void)state;
    set_level(0, 60, 1000.0);
    set_level(60, 130, 1100.0);   /* +10 % */
    set_level(130, 200, 1045.0);  /* -5 % */
    set_level(200, 260, 1076.35); /* +3 % */
    generate(260, 5, 0.01, 2);
    pts = detect(260, &n);
    assert_int_equal(n, 3);
    assert_int_equal(pts[0].index, 60);
    assert_int_equal(pts[1].index, 130);
    assert_int_equal(pts[2].index, 200);
    check_near(pts[0].magnitude, 0.10, 0.1);
    check_near(pts[1].magnitude, -0.05, 0.1);
    check_near(pts[2].magnitude, 0.03, 0.2);
    /* neighbouring points share their segment */
    assert_true(pts[0].after == pts[1].before);
    assert_true(pts[1].after == pts[2].before);
    assert_int_equal(pts[1].count_before, 70);
    btk__free(pts);
}

static void spike__one_run_is_not_a_change_point(void **state)
{
    size_t n;
    btk_changepoint *pts;

    (void)state;
    set_level(0, 200, 1000.0);
    level[100] = 1300.0; /* one run 30 % slower, all its processes */
    level[150] = 1150.0;
    level[199] = 1300.0; /* and the latest run */
    generate(200, 5, 0.01, 3);
    pts = detect(200, &n);
    assert_int_equal(n, 0);
    assert_null(pts);
}

/* Flat series: at 1 % noise no change point at all; at 3 % noise (per process, a 2.3 %
 * commit mean) at most 1.6 per 1,000 commits, twice the rate bench/self measures
 * (docs/figures/history.md): scanning every split finds a rare run of lucky commits. */
static void flat__noisy_series_has_no_or_rare_change_points(void **state)
{
    size_t quiet = 0, noisy = 0;

    (void)state;
    set_level(0, 500, 1000.0);
    for (uint64_t seed = 10; seed < 20; seed++) {
        size_t n;
        btk_changepoint *pts;

        generate(500, 5, 0.01, seed);
        pts = detect(500, &n);
        quiet += n;
        btk__free(pts);
        generate(500, 1, 0.01, seed);
        pts = detect(500, &n);
        quiet += n;
        btk__free(pts);
        generate(500, 5, 0.03, seed);
        pts = detect(500, &n);
        noisy += n;
        btk__free(pts);
    }
    assert_int_equal(quiet, 0);
    assert_true(noisy <= 8);
}

/* A staircase of 0.5 % steps every 25 commits: each step is below the 1 % minimum
 * magnitude and, alone, far from significant; their sum since commit 0 is
 * 1.005^15 - 1 = 7.8 %. The detector reports a few merged steps, none per step; the drift
 * reports the whole. */
static void drift__small_steps_add_up_and_drift_reports_them(void **state)
{
    btk_changepoint_detector *det;
    btk_changepoint_cumulative d;
    const btk_changepoint *pts;
    size_t n;

    (void)state;
    for (size_t c = 0; c < 400; c++)
        level[c] = 1000.0 * pow(1.005, (double)(c / 25));
    generate(400, 5, 0.01, 4);
    assert_int_equal(btk_changepoint_new(&det, NULL), 0);
    assert_int_equal(btk_changepoint_append(det, values, counts, 400), 0);
    pts = btk_changepoint_points(det, &n);
    assert_true(n <= 5); /* at most a third of the 15 steps, each a merge of 2-4 steps */
    for (size_t i = 0; i < n; i++)
        assert_true(pts[i].magnitude >= 0.01);
    assert_int_equal(btk_changepoint_drift(&d, det, 0, 0), 0);
    assert_int_equal(d.anchor_begin, 0);
    assert_int_equal(d.latest_end, 400);
    assert_true(d.anchor_end <= BTK_CHANGEPOINT_DRIFT_SPAN);
    assert_true(d.latest_begin >= 400 - BTK_CHANGEPOINT_DRIFT_SPAN);
    check_near(d.ratio, pow(1.005, 15), 0.01);
    assert_true(d.p < 1e-6);
    assert_true(d.ci_low < pow(1.005, 15) && d.ci_high > pow(1.005, 15));
    assert_true(d.ci_low > 1.05);
    assert_int_equal(d.change_points, n);
    /* from the middle (commits 200-224, level 1.005^8) to the end: 1.005^7 */
    assert_int_equal(btk_changepoint_drift(&d, det, 200, 25), 0);
    check_near(d.ratio, pow(1.005, 7), 0.01);
    btk_changepoint_free(det);
}

/* A linear drift of 0.01 % per commit (+4 % over 400 commits, 1 % noise): at most two
 * points; the drift from commit 0 (mean of commits 0-9 to mean of 390-399) is
 * (1 + 0.0001 * 394.5) / (1 + 0.0001 * 4.5) = 1.0390, by construction. */
static void drift__linear_drift_is_reported(void **state)
{
    btk_changepoint_detector *det;
    btk_changepoint_cumulative d;
    size_t n;

    (void)state;
    for (size_t c = 0; c < 400; c++)
        level[c] = 1000.0 * (1.0 + 0.0001 * (double)c);
    generate(400, 5, 0.01, 4);
    assert_int_equal(btk_changepoint_new(&det, NULL), 0);
    assert_int_equal(btk_changepoint_append(det, values, counts, 400), 0);
    btk_changepoint_points(det, &n);
    assert_true(n <= 2);
    assert_int_equal(btk_changepoint_drift(&d, det, 0, 0), 0);
    check_near(d.ratio, 1.0394 / 1.00045, 0.005);
    assert_true(d.p < 1e-6);
    btk_changepoint_free(det);
}

static void drift__ranges_stop_at_change_points(void **state)
{
    btk_changepoint_detector *det;
    btk_changepoint_cumulative d;

    (void)state;
    set_level(0, 100, 1000.0);
    set_level(100, 200, 1100.0);
    generate(200, 5, 0.01, 5);
    assert_int_equal(btk_changepoint_new(&det, NULL), 0);
    assert_int_equal(btk_changepoint_append(det, values, counts, 200), 0);
    /* anchor 95, span 10: the anchor range stops at the change point at 100 */
    assert_int_equal(btk_changepoint_drift(&d, det, 95, 10), 0);
    assert_int_equal(d.anchor_end, 100);
    assert_int_equal(d.latest_begin, 190);
    assert_int_equal(d.change_points, 1);
    check_near(d.ratio, 1.1, 0.01);
    /* anchor after the last change point: no change */
    assert_int_equal(btk_changepoint_drift(&d, det, 150, 10), 0);
    assert_int_equal(d.change_points, 0);
    assert_true(d.p > 0.001);
    check_near(d.ratio, 1.0, 0.01);
    /* anchor range reaching the end: nothing to compare */
    assert_int_equal(btk_changepoint_drift(&d, det, 195, 10), 0);
    assert_true(d.ratio == 1.0 && d.p == 1.0 && isnan(d.ci_low));
    assert_int_equal(btk_changepoint_drift(&d, det, 200, 10), BTK_EINVAL);
    btk_changepoint_free(det);
}

/* Ten commits of one value each (a): the drift test of commits 0-4 against 5-9. */
static void halves_drift(btk_changepoint_cumulative *d, const double *a)
{
    btk_changepoint_detector *det;

    for (size_t c = 0; c < 10; c++)
        counts[c] = 1;
    assert_int_equal(btk_changepoint_new(&det, NULL), 0);
    assert_int_equal(btk_changepoint_append(det, a, counts, 10), 0);
    assert_int_equal(btk_changepoint_drift(d, det, 0, 5), 0);
    btk_changepoint_free(det);
}

/* The variance of a segment's level never drops below what its commits' own noise
 * implies: identical commit means with noisy processes are not significant. */
static void statistic__own_noise_floors_the_variance(void **state)
{
    btk_changepoint_detector *det;
    btk_changepoint_cumulative d;

    (void)state;
    /* 10 commits of 2 processes, mean +-10: commits 0-4 average 100, 5-9 average 101 */
    for (size_t c = 0; c < 10; c++) {
        double m = c < 5 ? 100.0 : 101.0;

        values[2 * c] = m - 10.0;
        values[2 * c + 1] = m + 10.0;
        counts[c] = 2;
    }
    assert_int_equal(btk_changepoint_new(&det, NULL), 0);
    assert_int_equal(btk_changepoint_append(det, values, counts, 10), 0);
    assert_int_equal(btk_changepoint_drift(&d, det, 0, 5), 0);
    /* each side: within variance 200 (1 df per commit), floor 200 * (5 / 2) / 25 = 20;
     * t = 1 / sqrt(40), Welch df = 40^2 / (20^2 / 5 * 2) = 10; scipy: 2 * t.sf(t, 10) */
    check_near(d.t, 0.15811388300841897, 1e-12);
    check_near(d.df, 10.0, 1e-12);
    check_near(d.p, 0.8775143527384069, 1e-12);
    btk_changepoint_free(det);

    /* one value per commit: the between-commit variance; scipy:
     * ttest_ind([103,105,101,104,102], [100,102,98,101,99], equal_var=False) */
    static const double a[] = {100, 102, 98, 101, 99, 103, 105, 101, 104, 102};
    halves_drift(&d, a);
    check_near(d.t, 3.0, 1e-12);
    check_near(d.p, 0.017071681233782634, 1e-12);
}

/* A side whose few commits happen to agree is not surer than the run noise pooled over
 * both sides shows: commits 0-4 (one value each) within 0.2 of 100, commits 5-9 spread
 * over 99-110. Welch alone: t 1.844, p 0.139 (scipy: ttest_ind(R, L, equal_var=False)).
 * With the pooled floor (numpy and scipy by hand, the formula of docs/statistics.md §9):
 * SS 0.1 and 94.0 over 8 df, pooled 11.7625; the quiet side's variance 11.7625 / 5 (8 df),
 * the noisy side's own 23.5 / 5 (4 df); t = 4.0 / sqrt(7.05) = 1.50622, Satterthwaite df
 * 8.00378, p = 2 * t.sf(t, df) = 0.170415. */
static void statistic__pooled_run_noise_floors_a_quiet_side(void **state)
{
    static const double a[] = {100, 100.2, 99.8, 100.1, 99.9, 103, 110, 99, 108, 100};
    btk_changepoint_cumulative d;

    (void)state;
    halves_drift(&d, a);
    check_near(d.t, 1.5062201176762284, 1e-12);
    check_near(d.df, 8.00378161143666, 1e-12);
    check_near(d.p, 0.17041506021611869, 1e-12);
}

/* The host's two core clock states (docs/timer.md#core-clock): flat series of 200 commits,
 * 3 processes at 1 % noise, each commit in the slower state (+8 %, all its processes) or
 * not, independently (by construction). Stretches of five or more commits that happen to
 * share a state are no change: over 100 series (20,000 commits) the detector reports few
 * points. Measured: 4 with the pooled floor and the 5 % set-aside floor, 60 without them
 * (this test built against main af1fd7d, which fails it and the two tests above). */
static void flat__clock_states_make_few_change_points(void **state)
{
    size_t points = 0;

    (void)state;
    set_level(0, 200, 1000.0);
    for (uint64_t seed = 0; seed < 100; seed++) {
        size_t n;
        btk_changepoint *pts;

        generate_levels(200, 0.01, 0x636c6f636b00u + seed, 1.08, true);
        pts = detect(200, &n);
        points += n;
        btk__free(pts);
    }
    print_message("clock states: %zu change point(s) over 100 flat series\n", points);
    assert_true(points <= 30);
}

/* ---- a disturbed process ---- */

/* The rule works on logarithms when every value is positive. One commit of 100, 101 and
 * 127 x 100: median ln 101, absolute deviations of the logarithms ln(101/100) = 0.00995,
 * 0 and ln(12700/101) = 4.83, MAD 0.00995; 1.4826 x MAD = 0.0148 is below the floor
 * ln 2 / 4 = 0.173, so the bounds are 101 / 2 and 101 x 2 = [50.5, 202] and 12700 is set
 * aside: mean (100 + 101) / 2 (by hand). 108 and 93 stay (third commit: mean (100 + 108
 * + 93 + 101) / 4); so does 115 (fourth: mean 316 / 3; a core clock state 15 % slower,
 * which the 2 % floor of 2026-11 set aside), 200 (sixth: 401 / 3; a core shared with a
 * busy SMT sibling, which the 5 % floor of 2026-12-01 set aside), while 203 is past 202
 * (fifth commit: mean 100.5) and 50 below 50.5 (seventh: 100.5). Two values cannot say
 * which is disturbed: their plain mean. With a zero (eighth commit: 0, 100, 101, 100,
 * 250) the rule works on the values: median 100, deviations 100, 0, 1, 0, 150, MAD 1,
 * 1.4826 below the floor 25 % x 100, bounds 100 -+ 4 x 25 = [0, 200]: 250 is set aside
 * and 0 kept, mean 301 / 4. */
static void robust__disturbed_value_is_set_aside_by_hand(void **state)
{
    static const double v[] = {100.0, 101.0, 12700.0, 100.0, 12700.0, 100.0, 108.0, 93.0,
                               101.0, 100.0, 101.0,   115.0, 100.0,   101.0, 203.0, 100.0,
                               101.0, 200.0, 100.0,   101.0, 50.0,    0.0,   100.0, 101.0,
                               100.0, 250.0};
    static const size_t k[] = {3, 2, 4, 3, 3, 3, 3, 5};
    btk_changepoint_detector *det;

    (void)state;
    assert_int_equal(btk_changepoint_new(&det, NULL), 0);
    assert_int_equal(btk_changepoint_append(det, v, k, 8), 0);
    check_near(btk_changepoint_commit_mean(det, 0), 100.5, 1e-15);
    check_near(btk_changepoint_commit_mean(det, 1), 6400.0, 1e-15);
    check_near(btk_changepoint_commit_mean(det, 2), 100.5, 1e-15);
    check_near(btk_changepoint_commit_mean(det, 3), 316.0 / 3.0, 1e-15);
    check_near(btk_changepoint_commit_mean(det, 4), 100.5, 1e-15);
    check_near(btk_changepoint_commit_mean(det, 5), 401.0 / 3.0, 1e-15);
    check_near(btk_changepoint_commit_mean(det, 6), 100.5, 1e-15);
    check_near(btk_changepoint_commit_mean(det, 7), 301.0 / 4.0, 1e-15);
    btk_changepoint_free(det);
}

/* e2e.history.proof in CI on 2026-12-03 (a clean run; the values are its log's per-run
 * medians in ns, three runs of one process per commit, from three walks of the range):
 * +25 % at commit 23 by construction, and each process ran at one of two levels about
 * 1.35x apart (a core shared with a busy SMT sibling on that host, independently per
 * process). The 5 % floor of before set the minority level of each commit aside, so the
 * commit means took the majority's level whole: t 3.5, no change point, CI failed. The
 * level is noise the three runs average: exactly one point, at 23, about +20 % (the
 * Welch t of the plain commit means is 8.7, numpy by hand). */
static void robust__two_levels_of_a_shared_core_are_noise(void **state)
{
    static const double v[] = {
        2605, 2608, 1947, 1947, 2600, 2633, 2597, 1901, 1948, 2635, 1932, 1963, 2592,
        1901, 1964, 1947, 1947, 2566, 2541, 1919, 2652, 2626, 1932, 2703, 1963, 2576,
        1963, 2567, 2524, 2607, 1932, 2585, 2650, 2697, 1871, 2664, 2657, 2540, 2659,
        2674, 1963, 1979, 2314, 1947, 1996, 2403, 2601, 1947, 1963, 2443, 2748, 2387,
        1948, 1931, 2636, 1963, 2628, 2591, 2613, 2529, 2690, 1963, 2685, 2730, 1932,
        2684, 2566, 3216, 2436, 2476, 3182, 2456, 3225, 3339, 2497, 2436, 2417, 3348,
        3168, 2476, 3295, 3286, 2456, 2497, 3222, 3170, 3276, 2456, 2417, 3176, 2906,
        2436, 2497, 3329, 2436, 3257, 2436, 2436, 3221, 2456, 3250, 2436, 2436, 2457,
        2417, 2918, 3125, 2456, 3225, 3110, 2417, 2436, 2436, 3291, 2456, 2456, 3304,
        2968};
    size_t k[40], n;
    btk_changepoint *pts = NULL;

    (void)state;
    k[0] = 1;
    for (size_t c = 1; c < 40; c++)
        k[c] = 3;
    assert_int_equal(btk_changepoint_detect(&pts, &n, v, k, 40, NULL), 0);
    assert_int_equal(n, 1);
    assert_int_equal(pts[0].index, 23);
    check_near(pts[0].magnitude, 0.20, 0.25);
    btk__free(pts);
}

/* Property, the same shape by construction: 40 commits, 3 processes at 1 % noise, a step
 * at commit 23, each process independently at a level 1.35x (or, the worst a shared core
 * gave, 1.9x) higher with chance 1/2, over 50 seeded series each. A commit's mean of
 * three then scatters by about 10 % (1.35x) or 26 % (1.9x) of the level: a +25 % step
 * next to 1.9x levels is beyond what 40 commits can show at p 0.001, and at +25 % a
 * commit next to the step often looks like the other side, so the exact commit is not
 * always named. Measured (exact / within 3 commits / points elsewhere): 1.35x +25 %
 * 39 / 50 / 1, +50 % 50 / 50 / 1; 1.9x +25 % 10 / 21 / 5, +50 % 38 / 49 / 2; with the 5 %
 * floor of before 14 / 32 / 7, 42 / 49 / 2, 2 / 3 / 5, 9 / 22 / 3. Pinned below those
 * measured, above those of before where they differ. */
static void robust__two_levels_property(void **state)
{
    static const struct {
        double gap, step;
        size_t exact, near, other;
    } cases[] = {{1.35, 1.25, 30, 45, 3},
                 {1.35, 1.5, 47, 48, 3},
                 {1.9, 1.25, 5, 14, 8},
                 {1.9, 1.5, 30, 45, 5}};

    (void)state;
    for (size_t g = 0; g < sizeof(cases) / sizeof(*cases); g++) {
        size_t exact = 0, near = 0, other = 0;

        set_level(0, 23, 1000.0);
        set_level(23, 40, 1000.0 * cases[g].step);
        for (uint64_t seed = 0; seed < 50; seed++) {
            size_t n;
            btk_changepoint *pts;

            generate_levels(40, 0.01, 0x74776f6c76000000u + seed, cases[g].gap, false);
            pts = detect(40, &n);
            for (size_t i = 0; i < n; i++) {
                exact += pts[i].index == 23;
                near += pts[i].index + 3 >= 23 && pts[i].index <= 26;
                other += pts[i].index + 3 < 23 || pts[i].index > 26;
            }
            btk__free(pts);
        }
        print_message("two levels %.2fx, step %+.0f %%: exact %zu / 50, within 3 commits "
                      "%zu, other points %zu\n",
                      cases[g].gap, 100.0 * (cases[g].step - 1.0), exact, near, other);
        assert_true(exact >= cases[g].exact);
        assert_true(near >= cases[g].near);
        assert_true(other <= cases[g].other);
    }
}

/* Where a point lies (docs/statistics.md, "Where a point lies"): over seeded series with
 * one step at a known commit (by construction), the range [first, last] of a point found
 * within 5 commits of the step holds the step in about 95 % of them or more, and is one
 * commit wide when the step is large against the noise. Cases: 120 commits at CV 2 %,
 * +3 %, +5 % and +10 % at a random commit in [30, 90); the shape of e2e.history.proof with
 * process levels 1.35x apart, +25 %. Measured: see the printed lines (docs/statistics.md
 * quotes them). */
static void locate__the_range_holds_the_step(void **state)
{
    static const struct {
        double step, gap, cv;
        size_t n;
    } cases[] = {{1.03, 1, 0.02, 120}, {1.05, 1, 0.02, 120}, {1.10, 1, 0.02, 120},
                 {1.25, 1.35, 0.01, 40}};

    (void)state;
    for (size_t g = 0; g < sizeof(cases) / sizeof(*cases); g++) {
        size_t found = 0, held = 0, exact_wide = 0, width = 0;

        for (uint64_t s = 0; s < 200; s++) {
            size_t n, step;
            btk_changepoint *pts;

            rng = 0x6c6f63617465u + s * 7 + g;
            step = cases[g].n == 40 ? 23 : 30 + (size_t)(uniform() * 60);
            set_level(0, step, 1000.0);
            set_level(step, cases[g].n, 1000.0 * cases[g].step);
            if (cases[g].gap > 1)
                generate_levels(cases[g].n, cases[g].cv, 0x6c6576u + s, cases[g].gap, false);
            else
                generate(cases[g].n, 3, cases[g].cv, 0x6c6576u + s);
            pts = detect(cases[g].n, &n);
            for (size_t i = 0; i < n; i++) {
                assert_true(pts[i].first <= pts[i].index && pts[i].index <= pts[i].last);
                if (pts[i].index + 5 < step || pts[i].index > step + 5)
                    continue;
                found++;
                held += pts[i].first <= step && step <= pts[i].last;
                width += pts[i].last - pts[i].first + 1;
                exact_wide += pts[i].first == pts[i].last;
            }
            btk__free(pts);
        }
        print_message("locate: step %+.0f %%, levels %.2fx: %zu found, range holds the step in "
                      "%zu, mean width %.2f commits, %zu one commit wide\n",
                      100 * (cases[g].step - 1), cases[g].gap, found, held,
                      found ? (double)width / (double)found : 0.0, exact_wide);
        assert_true(found > 0);
        assert_true(held * 100 >= found * 90);
        if (cases[g].step >= 1.10 && cases[g].gap == 1) /* large against the noise: exact */
            assert_true(exact_wide * 10 >= found * 9);
    }
}

/* Per-process values of n commits, 3 processes each, 1 % noise (the e2e.history.proof
 * shape: 40 commits, +10 % at commit 23, by construction), then value p of commit c
 * multiplied by factor. */
static void disturb(size_t c, size_t p, double factor)
{
    values[3 * c + p] *= factor;
}

/* e2e.history.proof under load once had one process 127 x slower at one commit, and the
 * change point came out at 22. Wherever that process is (the commit before the step, the
 * step's own commit, the one after, or further away) the point must be exactly 23, and
 * the same as without the disturbance. */
static void robust__one_process_127x_does_not_move_the_step(void **state)
{
    static const size_t where[] = {22, 23, 24, 10, 30};

    (void)state;
    set_level(0, 23, 1000.0);
    set_level(23, 40, 1100.0);
    for (uint64_t seed = 40; seed < 60; seed++) {
        for (size_t w = 0; w < sizeof(where) / sizeof(*where); w++) {
            for (size_t p = 0; p < 3; p++) {
                size_t n;
                btk_changepoint *pts;

                generate(40, 3, 0.01, seed);
                pts = detect(40, &n);
                assert_int_equal(n, 1); /* the clean series, the reference */
                assert_int_equal(pts[0].index, 23);
                btk__free(pts);
                disturb(where[w], p, 127.0);
                pts = detect(40, &n);
                assert_int_equal(n, 1);
                assert_int_equal(pts[0].index, 23);
                check_near(pts[0].magnitude, 0.10, 0.15);
                btk__free(pts);
            }
        }
    }
}

/* Property: over many seeded series (120 commits, 3 processes, 2 % noise, one step of 3 %
 * or 5 % at a random commit in [30, 90), by construction) the step lands on its exact
 * commit as often with 1 to 3 random single-process outliers of x10 to x200 injected per
 * series as without, within 2 points in 100; and the outliers add no change point. The
 * rates measured are in docs/statistics.md, "A disturbed process". */
#define ROBUST_SERIES 400

static void robust__outliers_keep_the_exact_commit_rate(void **state)
{
    size_t exact_clean = 0, exact_dist = 0, extra_clean = 0, extra_dist = 0;

    (void)state;
    for (uint64_t s = 0; s < ROBUST_SERIES; s++) {
        size_t step, n, hits;
        btk_changepoint *pts;

        rng = 0x6f75746c69657273u + s;
        step = 30 + (size_t)(uniform() * 60);
        set_level(0, step, 1000.0);
        set_level(step, 120, s % 2 ? 1030.0 : 1050.0);
        generate(120, 3, 0.02, 1000 + s);
        pts = detect(120, &n);
        hits = 0;
        for (size_t i = 0; i < n; i++)
            hits += pts[i].index == step;
        exact_clean += hits;
        extra_clean += n - hits;
        btk__free(pts);
        rng = 0x6469737475726264u + s; /* the outliers: commit, process, factor */
        for (size_t o = 0, count = 1 + (size_t)(uniform() * 3); o < count; o++) {
            size_t c = (size_t)(uniform() * 120), p = (size_t)(uniform() * 3);

            disturb(c, p, 10.0 + 190.0 * uniform());
        }
        pts = detect(120, &n);
        hits = 0;
        for (size_t i = 0; i < n; i++)
            hits += pts[i].index == step;
        exact_dist += hits;
        extra_dist += n - hits;
        btk__free(pts);
    }
    print_message("robust: exact %zu / %zu clean, %zu disturbed; other points %zu, %zu\n",
                  exact_clean, (size_t)ROBUST_SERIES, exact_dist, extra_clean,
                  extra_dist);
    assert_true(exact_clean >= ROBUST_SERIES / 2); /* the test has power to lose */
    assert_true(exact_dist + ROBUST_SERIES / 50 >= exact_clean);
    assert_true(extra_dist <= extra_clean + ROBUST_SERIES / 100);
}

/* ---- determinism and incremental detection ---- */

static void determinism__same_input_same_output(void **state)
{
    size_t n1, n2;
    btk_changepoint *p1, *p2;

    (void)state;
    set_level(0, 300, 1000.0);
    set_level(80, 300, 1030.0);
    set_level(210, 300, 990.0);
    generate(300, 0, 0.02, 6);
    p1 = detect(300, &n1);
    p2 = detect(300, &n2);
    assert_true(n1 >= 1);
    assert_int_equal(n1, n2);
    assert_memory_equal(p1, p2, n1 * sizeof(*p1));
    btk__free(p1);
    btk__free(p2);
}

typedef struct thread_job {
    size_t n, count;
    btk_changepoint *pts;
    int rc;
} thread_job;

static void *thread_detect(void *arg)
{
    thread_job *job = arg;

    job->rc =
        btk_changepoint_detect(&job->pts, &job->count, values, counts, job->n, NULL);
    return NULL;
}

/* No hidden state (lgamma's signgam, statics): four threads at once give what one gives.
 */
static void determinism__same_output_from_concurrent_threads(void **state)
{
    pthread_t threads[4];
    thread_job jobs[4];
    size_t n;
    btk_changepoint *ref;

    (void)state;
    set_level(0, 600, 1000.0);
    set_level(150, 600, 1040.0);
    set_level(420, 600, 1010.0);
    generate(600, 0, 0.02, 9);
    ref = detect(600, &n);
    assert_true(n >= 2);
    for (int i = 0; i < 4; i++) {
        jobs[i] = (thread_job){600, 0, NULL, -1};
        assert_int_equal(pthread_create(&threads[i], NULL, thread_detect, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(jobs[i].rc, 0);
        assert_int_equal(jobs[i].count, n);
        assert_memory_equal(jobs[i].pts, ref, n * sizeof(*ref));
        btk__free(jobs[i].pts);
    }
    btk__free(ref);
}

/* A random series: random steps, spikes, noise and process counts (1 to 6 per commit). */
static size_t random_series(uint64_t seed)
{
    size_t n;
    double lv = 1000.0;

    rng = seed;
    n = 50 + (size_t)(uniform() * 251);
    for (size_t c = 0; c < n; c++) {
        if (uniform() < 0.02)
            lv *= 1.0 + (uniform() - 0.5) * 0.3;
        level[c] = uniform() < 0.02 ? lv * 1.2 : lv;
    }
    generate(n, 0, 0.005 + uniform() * 0.03, seed ^ 0xabcdef);
    return n;
}

/* 60 random series, appended in random chunks of 1-8 commits; after every append the
 * points (every field, bit for bit) equal a detection over the whole prefix at once.
 * Two series in three use a short window and minimum segment (down to 1 commit), so that
 * windows are often clipped and resumed. */
static void incremental__equals_full_after_every_append(void **state)
{
    btk_changepoint_options opts[3] = {BTK_CHANGEPOINT_OPTIONS_INIT,
                                       BTK_CHANGEPOINT_OPTIONS_INIT,
                                       BTK_CHANGEPOINT_OPTIONS_INIT};
    size_t compared = 0;

    (void)state;
    opts[1].window = 20;
    opts[1].min_segment = 2;
    opts[2].window = 10;
    opts[2].min_segment = 1;
    for (uint64_t s = 0; s < 60; s++) {
        const btk_changepoint_options *o = &opts[s % 3];
        size_t n = random_series(1000 + s), done = 0, offset = 0;
        btk_changepoint_detector *det;

        assert_int_equal(btk_changepoint_new(&det, o), 0);
        while (done < n) {
            size_t chunk = 1 + (size_t)(uniform() * 8), got, want, total = 0;

            if (chunk > n - done)
                chunk = n - done;
            for (size_t c = done; c < done + chunk; c++)
                total += counts[c];
            assert_int_equal(
                btk_changepoint_append(det, values + offset, counts + done, chunk), 0);
            done += chunk;
            offset += total;
            assert_int_equal(btk_changepoint_length(det), done);

            const btk_changepoint *inc = btk_changepoint_points(det, &got);
            btk_changepoint *full = detect_with(done, &want, o);

            assert_int_equal(got, want);
            if (want)
                assert_memory_equal(inc, full, want * sizeof(*full));
            compared += want;
            btk__free(full);
        }
        btk_changepoint_free(det);
    }
    assert_true(compared > 1000); /* the series did have change points to compare */
}

/* ---- edge cases ---- */

static void edge__empty_and_single_commit(void **state)
{
    btk_changepoint_detector *det;
    btk_changepoint_cumulative d;
    btk_changepoint *pts = (btk_changepoint *)1;
    size_t n = 99;
    double one = 5.0;
    size_t k = 1;

    (void)state;
    assert_int_equal(btk_changepoint_detect(&pts, &n, NULL, NULL, 0, NULL), 0);
    assert_null(pts);
    assert_int_equal(n, 0);
    assert_int_equal(btk_changepoint_new(&det, NULL), 0);
    assert_int_equal(btk_changepoint_append(det, NULL, NULL, 0), 0);
    assert_int_equal(btk_changepoint_length(det), 0);
    assert_int_equal(btk_changepoint_drift(&d, det, 0, 0), BTK_EINVAL);
    assert_int_equal(btk_changepoint_append(det, &one, &k, 1), 0);
    btk_changepoint_points(det, &n);
    assert_int_equal(n, 0);
    assert_int_equal(btk_changepoint_drift(&d, det, 0, 0), 0);
    assert_true(d.ratio == 1.0 && d.p == 1.0);
    check_near(btk_changepoint_commit_mean(det, 0), 5.0, 0);
    btk_changepoint_free(det);
}

static void edge__constant_series_and_noiseless_step(void **state)
{
    size_t n;
    btk_changepoint *pts;
    btk_changepoint_detector *det;
    btk_changepoint_cumulative d;

    (void)state;
    for (size_t c = 0; c < 200; c++) {
        counts[c] = 3;
        for (size_t p = 0; p < 3; p++)
            values[3 * c + p] = 5.0;
    }
    pts = detect(200, &n);
    assert_int_equal(n, 0);
    assert_int_equal(btk_changepoint_new(&det, NULL), 0);
    assert_int_equal(btk_changepoint_append(det, values, counts, 200), 0);
    assert_int_equal(btk_changepoint_drift(&d, det, 0, 0), 0);
    assert_true(d.ratio == 1.0 && d.p == 1.0 && d.t == 0.0);
    btk_changepoint_free(det);
    /* zero variance on both sides of a step: certain */
    for (size_t v = 3 * 100; v < 3 * 200; v++)
        values[v] = 10.0;
    pts = detect(200, &n);
    assert_int_equal(n, 1);
    assert_int_equal(pts[0].index, 100);
    assert_true(pts[0].p == 0.0 && isinf(pts[0].t));
    check_near(pts[0].magnitude, 1.0, 1e-15);
    btk__free(pts);
}

static void edge__bad_input_is_rejected_and_changes_nothing(void **state)
{
    btk_changepoint_detector *det;
    btk_changepoint_options o = BTK_CHANGEPOINT_OPTIONS_INIT;
    size_t n0, n1;
    double bad[] = {1.0, 2.0, NAN};
    size_t k3[] = {3}, k0[] = {0};

    (void)state;
    set_level(0, 100, 1000.0);
    set_level(50, 100, 1100.0);
    generate(100, 5, 0.01, 7);
    assert_int_equal(btk_changepoint_new(&det, NULL), 0);
    assert_int_equal(btk_changepoint_append(det, values, counts, 100), 0);
    btk_changepoint_points(det, &n0);
    assert_int_equal(n0, 1);
    assert_int_equal(btk_changepoint_append(det, bad, k3, 1), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message,
                        "change point series: value 2 of commit 0 is not finite");
    bad[2] = INFINITY;
    assert_int_equal(btk_changepoint_append(det, bad, k3, 1), BTK_EINVAL);
    assert_int_equal(btk_changepoint_append(det, bad, k0, 1), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message,
                        "change point series: commit 0 has no values");
    assert_int_equal(btk_changepoint_length(det), 100);
    btk_changepoint_points(det, &n1);
    assert_int_equal(n1, n0);
    btk_changepoint_free(det);

    o.window = 9; /* below twice the minimum segment of 5 */
    assert_int_equal(btk_changepoint_new(&det, &o), BTK_EINVAL);
    assert_null(det);
    o = (btk_changepoint_options)BTK_CHANGEPOINT_OPTIONS_INIT;
    o.max_p = 0.0;
    assert_int_equal(btk_changepoint_new(&det, &o), BTK_EINVAL);
    o = (btk_changepoint_options)BTK_CHANGEPOINT_OPTIONS_INIT;
    o.version = 2;
    assert_int_equal(btk_changepoint_new(&det, &o), BTK_EINVAL);
}

/* Every allocation failing in turn: a clean BTK_ENOMEM, the detector as it was. */
static void faults__every_allocation_failure_is_clean(void **state)
{
    btk_changepoint_detector *det = NULL;
    size_t base_n, n;

    (void)state;
    set_level(0, 300, 1000.0);
    set_level(150, 300, 1100.0);
    generate(300, 3, 0.01, 8);
    for (long fail = 0;; fail++) {
        btk__alloc_fail_after(fail);
        int rc = btk_changepoint_new(&det, NULL);
        btk__alloc_fail_after(-1);
        if (rc == 0)
            break;
        assert_int_equal(rc, BTK_ENOMEM);
        assert_null(det);
    }
    assert_int_equal(btk_changepoint_append(det, values, counts, 100), 0);
    btk_changepoint_points(det, &base_n);
    for (long fail = 0;; fail++) {
        btk__alloc_fail_after(fail);
        int rc = btk_changepoint_append(det, values + 300, counts + 100, 200);
        btk__alloc_fail_after(-1);
        if (rc == 0)
            break;
        assert_int_equal(rc, BTK_ENOMEM);
        assert_int_equal(btk_changepoint_length(det), 100);
        btk_changepoint_points(det, &n);
        assert_int_equal(n, base_n);
    }
    btk_changepoint_points(det, &n);
    assert_int_equal(n, 1);
    assert_int_equal(btk_changepoint_points(det, &n)[0].index, 150);
    btk_changepoint_free(det);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tdist__matches_scipy),
        cmocka_unit_test(tdist__edges),
        cmocka_unit_test(single_step__found_at_its_commit_with_levels),
        cmocka_unit_test(several_steps__each_found_at_its_commit),
        cmocka_unit_test(spike__one_run_is_not_a_change_point),
        cmocka_unit_test(flat__noisy_series_has_no_or_rare_change_points),
        cmocka_unit_test(drift__small_steps_add_up_and_drift_reports_them),
        cmocka_unit_test(drift__linear_drift_is_reported),
        cmocka_unit_test(drift__ranges_stop_at_change_points),
        cmocka_unit_test(statistic__own_noise_floors_the_variance),
        cmocka_unit_test(statistic__pooled_run_noise_floors_a_quiet_side),
        cmocka_unit_test(flat__clock_states_make_few_change_points),
        cmocka_unit_test(robust__disturbed_value_is_set_aside_by_hand),
        cmocka_unit_test(robust__two_levels_of_a_shared_core_are_noise),
        cmocka_unit_test(robust__two_levels_property),
        cmocka_unit_test(locate__the_range_holds_the_step),
        cmocka_unit_test(robust__one_process_127x_does_not_move_the_step),
        cmocka_unit_test(robust__outliers_keep_the_exact_commit_rate),
        cmocka_unit_test(determinism__same_input_same_output),
        cmocka_unit_test(determinism__same_output_from_concurrent_threads),
        cmocka_unit_test(incremental__equals_full_after_every_append),
        cmocka_unit_test(edge__empty_and_single_commit),
        cmocka_unit_test(edge__constant_series_and_noiseless_step),
        cmocka_unit_test(edge__bad_input_is_rejected_and_changes_nothing),
        cmocka_unit_test(faults__every_allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
