/* Tests of the comparison statistics against reference values computed independently.
 * Where a number comes from: "python enumeration" means /tmp/mwu_ref.py-style brute force in
 * python3's standard library: U counted pair by pair from its definition, exact p by
 * enumerating every split of the pooled values (itertools.combinations), normal p from the
 * textbook formula with math.erfc. The script is reproduced in docs/statistics.md. */
#include "check.h"
#include "significance.h"

#include <math.h>

static void rng__same_seed_same_stream_and_known_first_value(void **state)
{
    btk_rng a, b;

    (void)state;
    btk_rng_seed(&a, 42);
    btk_rng_seed(&b, 42);
    /* first output for seed 42 from a python re-implementation of splitmix64 seeding and
     * xoshiro256** (Vigna's reference algorithm, written out from its description) */
    assert_true(btk_rng_next(&a) == UINT64_C(0x15780b2e0c2ec716));
    assert_true(btk_rng_next(&b) == UINT64_C(0x15780b2e0c2ec716));
    for (int i = 0; i < 100; i++)
        assert_true(btk_rng_next(&a) == btk_rng_next(&b));
    btk_rng_seed(&b, 43);
    assert_true(btk_rng_next(&a) != btk_rng_next(&b));
}

static void rng__below_is_in_range_and_roughly_uniform(void **state)
{
    btk_rng r;
    size_t counts[7] = {0};

    (void)state;
    btk_rng_seed(&r, 1);
    for (int i = 0; i < 70000; i++) {
        size_t x = btk_rng_below(&r, 7);

        assert_true(x < 7);
        counts[x]++;
    }
    for (int i = 0; i < 7; i++) /* expected 10000 each; 5 sigma is ~470 */
        assert_in_range(counts[i], 9400, 10600);
}

static void median__odd_even_and_duplicates(void **state)
{
    double odd[] = {5, 1, 4, 2, 3};
    double even[] = {4, 1, 3, 2};
    double dup[] = {2, 2, 2, 1, 9, 2};
    double scratch[8];

    (void)state;
    check_near(btk_sig_median(odd, 5, scratch), 3, 0);
    check_near(btk_sig_median(even, 4, scratch), 2.5, 0);
    check_near(btk_sig_median(dup, 6, scratch), 2, 0);
    assert_true(isnan(btk_sig_median(odd, 0, scratch)));
}

static void median__matches_sorting_on_random_arrays(void **state)
{
    btk_rng r;
    double v[101], sorted[101], scratch[101];

    (void)state;
    btk_rng_seed(&r, 7);
    for (size_t n = 1; n <= 101; n += 4) {
        for (size_t i = 0; i < n; i++)
            v[i] = sorted[i] = (double)btk_rng_below(&r, 20); /* many ties */
        for (size_t i = 1; i < n; i++) /* insertion sort as the reference */
            for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
                double t = sorted[j];
                sorted[j] = sorted[j - 1];
                sorted[j - 1] = t;
            }
        double want = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        check_near(btk_sig_median(v, n, scratch), want, 0);
    }
}

static void mwu__complete_separation_exact_p(void **state)
{
    double a[] = {1.1, 2.2, 3.3, 4.4}, b[] = {5.5, 6.6, 7.7, 8.8};
    btk_mwu r;

    (void)state;
    assert_int_equal(btk_sig_mann_whitney(&r, a, 4, b, 4), 0);
    /* U = 0 by definition; p = 2 / C(8,4) = 2/70 (python enumeration: 0.02857142857142857) */
    check_near(r.u, 0, 0);
    assert_true(r.exact);
    check_near(r.p, 2.0 / 70.0, 1e-12);
}

static void mwu__exact_interleaved_p(void **state)
{
    double a[] = {1, 3, 5, 7, 9}, b[] = {2, 4, 6, 8, 10, 12};
    double c[] = {10.5, 11.2, 9.8, 12.1, 10.9, 11.7};
    double d[] = {12.4, 13.0, 11.9, 12.8, 13.5, 12.2, 11.1};
    btk_mwu r;

    (void)state;
    /* python enumeration over C(11,5) = 462 splits: U = 10, p = 0.42857142857142855 */
    assert_int_equal(btk_sig_mann_whitney(&r, a, 5, b, 6), 0);
    check_near(r.u, 10, 0);
    check_near(r.p, 0.42857142857142855, 1e-12);
    /* python enumeration over C(13,6) = 1716 splits: U = 4, p = 0.013986013986013986 */
    assert_int_equal(btk_sig_mann_whitney(&r, c, 6, d, 7), 0);
    check_near(r.u, 4, 0);
    assert_true(r.exact);
    check_near(r.p, 0.013986013986013986, 1e-12);
    /* swapping the sides gives U' = nm - U and the same two-sided p */
    assert_int_equal(btk_sig_mann_whitney(&r, d, 7, c, 6), 0);
    check_near(r.u, 38, 0);
    check_near(r.p, 0.013986013986013986, 1e-12);
}

static void mwu__ties_use_corrected_normal_approximation(void **state)
{
    double a[] = {1, 2, 2, 3, 3, 3, 4}, b[] = {3, 4, 4, 5, 5, 6};
    btk_mwu r;

    (void)state;
    assert_int_equal(btk_sig_mann_whitney(&r, a, 7, b, 6), 0);
    /* U by pair counting with 0.5 per tie = 3.5; tie-corrected normal with continuity:
     * z = 2.483773282901211, p = 0.012999854364387314 (python formula) */
    assert_true(r.has_ties);
    assert_false(r.exact);
    check_near(r.u, 3.5, 0);
    check_near(r.z, 2.483773282901211, 1e-9);
    check_near(r.p, 0.012999854364387314, 1e-9);
}

static void mwu__large_samples_use_normal_approximation(void **state)
{
    double a[60], b[55];
    btk_mwu r;

    (void)state;
    for (int i = 0; i < 60; i++)
        a[i] = i;
    for (int i = 0; i < 55; i++)
        b[i] = i + 10.5;
    assert_int_equal(btk_sig_mann_whitney(&r, a, 60, b, 55), 0);
    /* python: U = 1225, z = 2.3767437090076013, p = 0.01746621910396826 */
    assert_false(r.exact);
    check_near(r.u, 1225, 0);
    check_near(r.p, 0.01746621910396826, 1e-9);
}

static void mwu__all_tied_gives_p_one_and_empty_side_is_einval(void **state)
{
    double a[] = {5, 5, 5}, b[] = {5, 5};
    btk_mwu r;

    (void)state;
    assert_int_equal(btk_sig_mann_whitney(&r, a, 3, b, 2), 0);
    check_near(r.p, 1, 0);
    assert_int_equal(btk_sig_mann_whitney(&r, a, 3, b, 0), BTK_EINVAL);
    assert_string_equal(btk_error_last()->message,
                        "rank test needs at least one value on each side");
}

static void min_p__matches_binomial_and_units_needed(void **state)
{
    (void)state;
    /* 2 / C(2n, n) by hand: 1/3, 0.1, 2/70, 2/252 */
    check_near(btk_sig_min_p(2, 2), 1.0 / 3.0, 1e-12);
    check_near(btk_sig_min_p(3, 3), 0.1, 1e-12);
    check_near(btk_sig_min_p(4, 4), 2.0 / 70.0, 1e-12);
    check_near(btk_sig_min_p(5, 5), 2.0 / 252.0, 1e-12);
    check_near(btk_sig_min_p(1, 1), 1, 0);
    assert_int_equal(btk_sig_units_needed(0.05), 4);
    assert_int_equal(btk_sig_units_needed(0.01), 5);
    assert_int_equal(btk_sig_units_needed(0.2), 3);
    /* above the exact limit the approximation gives a tiny p for complete separation */
    assert_true(btk_sig_min_p(60, 60) < 1e-10);
}

static void bh__worked_example_from_bh_1995(void **state)
{
    /* The 15 p values of Benjamini & Hochberg (1995), section 3.2; at q = 0.05 the paper
     * rejects the four smallest. Adjusted values computed in python as
     * min_{j>=i} m p_(j) / j (p.adjust "BH" formula). */
    const double p[15] = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
                          0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000};
    const double want[15] = {0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714286,
                             0.06385714286, 0.0645, 0.0765, 0.486, 0.5811818182, 0.714875,
                             0.7532307692, 0.8132142857, 1};
    double q[15];
    int rejected = 0;

    (void)state;
    assert_int_equal(btk_sig_bh_adjust(q, p, 15), 0);
    for (int i = 0; i < 15; i++) {
        check_near(q[i], want[i], 1e-9);
        rejected += q[i] <= 0.05;
    }
    assert_int_equal(rejected, 4);
}

static void bh__unsorted_input_and_nan_entries_not_counted(void **state)
{
    /* by hand: tested p = {0.04, 0.01, 0.03} (m = 3): sorted 0.01, 0.03, 0.04 ->
     * 3*0.01/1 = 0.03, 3*0.03/2 = 0.045, 3*0.04/3 = 0.04 -> step-up min: 0.03, 0.04, 0.04 */
    const double p[5] = {0.04, NAN, 0.01, 0.03, NAN};
    double q[5];

    (void)state;
    assert_int_equal(btk_sig_bh_adjust(q, p, 5), 0);
    check_near(q[0], 0.04, 1e-12);
    check_near(q[2], 0.03, 1e-12);
    check_near(q[3], 0.04, 1e-12);
    assert_true(isnan(q[1]) && isnan(q[4]));
    assert_int_equal(btk_sig_bh_adjust(q, p, 0), 0);
}

static void fill_noisy(double *v, size_t n, double center, double spread, uint64_t seed)
{
    btk_rng r;

    btk_rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        v[i] = center * (1 + spread * ((double)(btk_rng_next(&r) >> 11) / 9007199254740992.0
                                       - 0.5));
}

static void bootstrap__same_seed_identical_other_seed_close(void **state)
{
    double a[40], b[40];
    btk_ratio_ci x, y, z;

    (void)state;
    fill_noisy(a, 40, 100, 0.04, 11);
    fill_noisy(b, 40, 110, 0.04, 12);
    assert_int_equal(btk_sig_ratio_ci(&x, a, 40, b, 40, 2000, 0.95, 99), 0);
    assert_int_equal(btk_sig_ratio_ci(&y, a, 40, b, 40, 2000, 0.95, 99), 0);
    assert_int_equal(btk_sig_ratio_ci(&z, a, 40, b, 40, 2000, 0.95, 100), 0);
    assert_memory_equal(&x, &y, sizeof(x)); /* bit-identical */
    assert_true(x.low != z.low || x.high != z.high);
    check_near(x.low, z.low, 0.01);
    check_near(x.high, z.high, 0.01);
    /* the point estimate is the plain ratio of medians and lies inside the CI */
    assert_true(x.low <= x.ratio && x.ratio <= x.high);
    /* 10% slower by construction; spread +-2% each side: the CI holds ~1.10 and excludes 1 */
    assert_true(x.low > 1.05 && x.high < 1.15);
}

static void bootstrap__identical_data_ci_contains_one(void **state)
{
    double a[30];
    btk_ratio_ci x;

    (void)state;
    fill_noisy(a, 30, 50, 0.1, 5);
    assert_int_equal(btk_sig_ratio_ci(&x, a, 30, a, 30, 1000, 0.95, 1), 0);
    check_near(x.ratio, 1, 0);
    assert_true(x.low < 1 && x.high > 1);
    assert_int_equal(btk_sig_ratio_ci(&x, a, 30, a, 30, 5, 0.95, 1), BTK_EINVAL);
}


static double type7(const double *sorted, size_t n, double q)
{
    double h = q * (double)(n - 1);
    size_t lo = (size_t)floor(h);

    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* One uniform position in [0, n) from a 32-bit draw, Lemire's way: multiply, keep the
 * high half, redraw (from the high half of a new output) the few products that would bias
 * it. Written here from the paper, as the reference for the bootstrap's draws. */
static size_t ref_lemire(btk_rng *rng, uint32_t draw, uint32_t n)
{
    uint64_t m = (uint64_t)draw * n;
    uint32_t threshold = (uint32_t)(-n) % n;

    while ((uint32_t)m < threshold)
        m = (btk_rng_next(rng) >> 32) * n;
    return (size_t)(m >> 32);
}

/* n positions as the bootstrap draws them (docs/statistics.md section 2): two per 64-bit
 * output, high half first; an odd last one from btk_rng_below. */
static void ref_draw(btk_rng *rng, size_t *pos, size_t n)
{
    size_t i = 0;

    for (; i + 1 < n; i += 2) {
        uint64_t x = btk_rng_next(rng);

        pos[i] = ref_lemire(rng, (uint32_t)(x >> 32), (uint32_t)n);
        pos[i + 1] = ref_lemire(rng, (uint32_t)x, (uint32_t)n);
    }
    if (i < n)
        pos[i] = btk_rng_below(rng, n);
}

/* The fast bootstrap (counting medians, quantiles by selection) against a plain one
 * written here from the definition: each resample draws positions of the SORTED values
 * from the same stream (side a, then side b), takes medians by sorting, and the CI is the
 * type-7 quantiles of all sorted ratios. Both must agree exactly, for odd and even unit
 * counts and with ties. */
static void bootstrap__equals_a_plain_reference(void **state)
{
    static const size_t sizes[][2] = {{10, 10}, {7, 12}, {1, 5}, {40, 33}};
    double a[40], b[40], sa[40], sb[40], wa[40], wb[40], ratios[500];
    btk_ratio_ci fast;
    btk_rng rng;

    (void)state;
    for (size_t t = 0; t < sizeof(sizes) / sizeof(sizes[0]); t++) {
        size_t n = sizes[t][0], m = sizes[t][1];

        fill_noisy(a, n, 100, 0.05, 20 + t);
        fill_noisy(b, m, 103, 0.05, 40 + t);
        if (n > 3)
            a[1] = a[2] = a[3]; /* ties */
        assert_int_equal(btk_sig_ratio_ci(&fast, a, n, b, m, 500, 0.9, 7 + t), 0);
        memcpy(sa, a, n * sizeof(double));
        memcpy(sb, b, m * sizeof(double));
        qsort(sa, n, sizeof(double), test_cmp_double);
        qsort(sb, m, sizeof(double), test_cmp_double);
        btk_rng_seed(&rng, 7 + t);
        for (size_t r = 0; r < 500; r++) {
            size_t pos[40];

            ref_draw(&rng, pos, n);
            for (size_t i = 0; i < n; i++)
                wa[i] = sa[pos[i]];
            ref_draw(&rng, pos, m);
            for (size_t i = 0; i < m; i++)
                wb[i] = sb[pos[i]];
            ratios[r] = test_sorted_median(wb, m) / test_sorted_median(wa, n);
        }
        qsort(ratios, 500, sizeof(double), test_cmp_double);
        assert_true(fast.low == type7(ratios, 500, 0.05));
        assert_true(fast.high == type7(ratios, 500, 0.95));
        memcpy(wa, a, n * sizeof(double));
        memcpy(wb, b, m * sizeof(double));
        assert_true(fast.ratio == test_sorted_median(wb, m) / test_sorted_median(wa, n));
    }
}

/* A base with a median of 0 (here: most samples 0 ns) makes some resample ratios
 * infinite: the CI is NAN (unbounded), never a narrower CI of the finite resamples. */
static void bootstrap__zero_base_gives_no_ci(void **state)
{
    double a[] = {0, 0, 0, 1, 2}, b[] = {6.8, 6.8, 6.9, 6.7, 6.8};
    btk_ratio_ci ci;

    (void)state;
    assert_int_equal(btk_sig_ratio_ci(&ci, a, 5, b, 5, 2000, 0.95, 1), 0);
    assert_true(isinf(ci.ratio));
    assert_true(isnan(ci.low) && isnan(ci.high));
    a[2] = 1; /* median 1, but resamples with three zeros still reach 0 */
    assert_int_equal(btk_sig_ratio_ci(&ci, a, 5, b, 5, 2000, 0.95, 1), 0);
    check_near(ci.ratio, 6.8, 1e-12);
    assert_true(isnan(ci.low) && isnan(ci.high));
}

/* Values from SciPy 1.10.1: norm.ppf(0.975), norm.ppf(0.001), norm.ppf(0.999999). The
 * spread of 1, 2, 4, 8, 16: logs k ln 2, median 2 ln 2, absolute deviations 2, 1, 0, 1, 2
 * times ln 2, their median ln 2, times 1.4826 = 1.0276600098981747. */
static void normal_quantile_and_log_spread(void **state)
{
    double v[] = {4, 1, 16, 2, 8}, bad[] = {1, -1, 2}, scratch[5];

    (void)state;
    check_near(btk_sig_normal_quantile(0.975), 1.959963984540054, 1e-12);
    check_near(btk_sig_normal_quantile(0.001), -3.090232306167813, 1e-12);
    check_near(btk_sig_normal_quantile(0.999999), 4.753424308817087, 1e-12);
    assert_true(isnan(btk_sig_normal_quantile(0)) && isnan(btk_sig_normal_quantile(1)));
    check_near(btk_sig_log_spread(v, 5, scratch), 1.0276600098981747, 1e-12);
    assert_true(isnan(btk_sig_log_spread(v, 1, scratch)));
    assert_true(isnan(btk_sig_log_spread(bad, 3, scratch)));
}

static int cmp_dbl(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;

    return (a > b) - (a < b);
}

/* The Hodges-Lehmann ratio: by hand, against a plain reference (every difference of logs
 * sorted with qsort, the middle one or the mean of the two middle ones) on random sides of
 * 1-30 units with ties, and on sides whose units sit at two levels, where it stays near
 * the true shift while the ratio of the medians jumps. */
static void hl__hand_reference_and_two_levels(void **state)
{
    /* a = {1, 2}, b = {2, 4}: ln b - ln a = ln 2, ln 4, 0, ln 2; median ln 2: ratio 2 */
    const double a2[] = {1, 2}, b2[] = {2, 4}, bad[] = {1, 0};
    static double a[40], b[40], d[1600];
    double r, err_hl = 0, err_med = 0, scratch[40];
    btk_rng rng;

    (void)state;
    assert_int_equal(btk_sig_hl_ratio(&r, a2, 2, b2, 2), 0);
    assert_true(fabs(r - 2.0) < 1e-12);
    assert_int_equal(btk_sig_hl_ratio(&r, a2, 0, b2, 2), 0);
    assert_true(isnan(r));
    assert_int_equal(btk_sig_hl_ratio(&r, a2, 2, bad, 2), 0); /* a 0 has no logarithm */
    assert_true(isnan(r));
    btk_rng_seed(&rng, 7);
    for (int t = 0; t < 2000; t++) {
        size_t n = 1 + btk_rng_below(&rng, 30), m = 1 + btk_rng_below(&rng, 30), k = 0;

        for (size_t i = 0; i < n; i++)
            a[i] = 1 + (double)btk_rng_below(&rng, t % 2 ? 5 : 1000); /* ties when odd */
        for (size_t j = 0; j < m; j++)
            b[j] = 1 + (double)btk_rng_below(&rng, t % 2 ? 5 : 1000);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < m; j++)
                d[k++] = log(b[j]) - log(a[i]);
        qsort(d, k, sizeof(*d), cmp_dbl);
        assert_int_equal(btk_sig_hl_ratio(&r, a, n, b, m), 0);
        assert_true(fabs(log(r) - (k % 2 ? d[k / 2] : 0.5 * (d[k / 2 - 1] + d[k / 2]))) <
                    1e-12);
    }
    /* 10 processes a side, each at 1 or 1.35 with chance 1/2, the contender 1.5x: the
     * HL's mean |log error| is under half the ratio of medians' (measured here: 0.013
     * against 0.146; a python simulation of the model with 1 % normal noise, 4000 trials:
     * SD 0.059 against 0.176, and bisect's nearer-level rule wrong on a step of one build
     * against another 2.1 % of the time against 17.4 %) */
    for (int t = 0; t < 400; t++) {
        for (size_t i = 0; i < 10; i++) {
            a[i] = 1000 * (btk_rng_below(&rng, 2) ? 1.35 : 1.0) *
                   (1 + 0.01 * ((double)btk_rng_below(&rng, 1000) / 1000 - 0.5));
            b[i] = 1500 * (btk_rng_below(&rng, 2) ? 1.35 : 1.0) *
                   (1 + 0.01 * ((double)btk_rng_below(&rng, 1000) / 1000 - 0.5));
        }
        assert_int_equal(btk_sig_hl_ratio(&r, a, 10, b, 10), 0);
        err_hl += fabs(log(r / 1.5));
        err_med += fabs(log(btk_sig_median(b, 10, scratch) / btk_sig_median(a, 10, scratch) /
                            1.5));
    }
    print_message("two levels: mean |log error| HL %.4f, ratio of medians %.4f\n",
                  err_hl / 400, err_med / 400);
    assert_true(err_hl < err_med / 2);
}

static void faults__every_allocation_failure_is_clean(void **state)
{
    double a[] = {1, 2, 3, 4}, b[] = {5, 6, 7, 8}, q[4];
    int error;

    (void)state;
    for (long n = 0;; n++) {
        btk_mwu r;
        btk_ratio_ci ci;

        btk__alloc_fail_after(n);
        error = btk_sig_mann_whitney(&r, a, 4, b, 4);
        if (error == 0)
            error = btk_sig_bh_adjust(q, a, 4);
        if (error == 0)
            error = btk_sig_ratio_ci(&ci, a, 4, b, 4, 50, 0.9, 1);
        if (error == 0) { /* the 16 ratios' middle two are 5/2 and 8/3 (by hand) */
            double hl;

            error = btk_sig_hl_ratio(&hl, a, 4, b, 4);
            assert_true(error == 0 ? fabs(hl - sqrt(2.5 * 8.0 / 3.0)) < 1e-12 : isnan(hl));
        }
        btk__alloc_fail_after(-1);
        if (error == 0)
            break;
        assert_int_equal(error, BTK_ENOMEM);
        assert_true(n < 20);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng__same_seed_same_stream_and_known_first_value),
        cmocka_unit_test(rng__below_is_in_range_and_roughly_uniform),
        cmocka_unit_test(median__odd_even_and_duplicates),
        cmocka_unit_test(median__matches_sorting_on_random_arrays),
        cmocka_unit_test(mwu__complete_separation_exact_p),
        cmocka_unit_test(mwu__exact_interleaved_p),
        cmocka_unit_test(mwu__ties_use_corrected_normal_approximation),
        cmocka_unit_test(mwu__large_samples_use_normal_approximation),
        cmocka_unit_test(mwu__all_tied_gives_p_one_and_empty_side_is_einval),
        cmocka_unit_test(min_p__matches_binomial_and_units_needed),
        cmocka_unit_test(bh__worked_example_from_bh_1995),
        cmocka_unit_test(bh__unsorted_input_and_nan_entries_not_counted),
        cmocka_unit_test(bootstrap__same_seed_identical_other_seed_close),
        cmocka_unit_test(bootstrap__identical_data_ci_contains_one),
        cmocka_unit_test(bootstrap__equals_a_plain_reference),
        cmocka_unit_test(bootstrap__zero_base_gives_no_ci),
        cmocka_unit_test(normal_quantile_and_log_spread),
        cmocka_unit_test(hl__hand_reference_and_two_levels),
        cmocka_unit_test(faults__every_allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
