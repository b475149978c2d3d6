/* Property tests of the bootstrap's order statistics (compare/stats/significance.c) against
 * a plain sort: the type-7 quantiles it takes by selection (both the first one and the
 * second, which reuses the first's partition), the resample median it reads off draw
 * counts, and the whole CI of btk_sig_ratio_ci recomputed from the same resamples by
 * sorting. The file under test is included so its static helpers can be called; the
 * library's copy of it is then not linked into this binary (every symbol is defined here). */
#include "../../compare/stats/significance.c"

#include "check.h"

static uint64_t rng_state = 0x2545f4914f6cdd1du;

static double uniform01(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Skewed continuous values (shape 0), four distinct values (1), or all equal (2). */
static void fill(double *v, size_t n, int shape)
{
    for (size_t i = 0; i < n; i++) {
        double u = uniform01();

        v[i] = shape == 0 ? 50 * exp(2 * u * u) : shape == 1 ? 1 + floor(u * 4) : 7;
    }
}

static int ref_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y ? 1 : 0;
}

/* Hyndman & Fan type 7 in their 1-based form (m = 1 - p, j = floor(np + m)), on a sorted
 * copy: written independently of the library's h = (n - 1) p. */
static double ref_quantile(const double *sorted, size_t n, double p)
{
    double npm = (double)n * p + (1 - p), j = floor(npm), g = npm - j;
    size_t ji = (size_t)j;

    if (ji >= n)
        return sorted[n - 1];
    if (ji < 1)
        return sorted[0];
    return (1 - g) * sorted[ji - 1] + g * sorted[ji];
}

static size_t size_at(size_t i)
{
    static const size_t big[] = {255, 256, 1000, 1001, 1999, 2000};

    return i < 200 ? i + 1 : big[(i - 200) % BTK_ARRAY_SIZE(big)];
}
#define SIZES 206

static void bootstrap__quantile_pair_by_selection_matches_a_sort(void **state)
{
    static const double levels[] = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999};
    double *v = test_malloc(2000 * sizeof(double)), *s = test_malloc(2000 * sizeof(double));
    size_t checked = 0;

    (void)state;
    for (size_t i = 0; i < SIZES; i++)
        for (int shape = 0; shape < 3; shape++)
            for (size_t l = 0; l < BTK_ARRAY_SIZE(levels); l++) {
                size_t n = size_at(i);
                double q = (1 - levels[l]) / 2, low, high;
                size_t low_rank = (size_t)floor(q * (double)(n - 1));

                fill(v, n, shape);
                memcpy(s, v, n * sizeof(*v));
                qsort(s, n, sizeof(*s), ref_cmp);
                /* the same two calls, on the same array, as btk_sig_ratio_ci makes */
                low = quantile_select_from(v, n, q, 0);
                high = quantile_select_from(v, n, 1 - q, low_rank);
                check_near(low, ref_quantile(s, n, q), 1e-12);
                check_near(high, ref_quantile(s, n, 1 - q), 1e-12);
                checked++;
            }
    assert_int_equal(checked, SIZES * 3 * BTK_ARRAY_SIZE(levels));
    test_free(v);
    test_free(s);
}

static void bootstrap__resample_median_is_the_median_of_its_draws(void **state)
{
    double *v = test_malloc(2000 * sizeof(double)), *draws = test_malloc(2000 * sizeof(double));
    boot_side side = {0};
    btk_rng rng;

    (void)state;
    btk_rng_seed(&rng, 12345);
    for (size_t i = 0; i < SIZES; i++)
        for (int shape = 0; shape < 3; shape++) {
            size_t n = size_at(i), k = 0;
            double got;

            fill(v, n, shape);
            assert_int_equal(boot_init(&side, v, n), 0);
            got = boot_median(&rng, &side);
            /* the draw counts stay in side.count: expand them into the resample, which is
             * then already in ascending order, and take its middle */
            for (size_t r = 0; r < n; r++)
                for (unsigned c = 0; c < side.count[r]; c++) {
                    assert_true(k < n);
                    draws[k++] = side.sorted[r];
                }
            assert_int_equal(k, n); /* n draws, with replacement */
            qsort(draws, n, sizeof(*draws), ref_cmp);
            check_near(got, (draws[(n - 1) / 2] + draws[n / 2]) / 2, 0);
            boot_free(&side);
        }
    test_free(v);
    test_free(draws);
}

/* The CI recomputed from the same resamples (same seed, same draws) by sorting the ratios. */
static void bootstrap__ratio_ci_equals_sorted_quantiles_of_its_resamples(void **state)
{
    enum { R = 400 };
    double *a = test_malloc(300 * sizeof(double)), *b = test_malloc(300 * sizeof(double));
    double ratios[R];
    boot_side sa = {0}, sb = {0};
    btk_ratio_ci ci;
    btk_rng rng;

    (void)state;
    for (size_t t = 0; t < 60; t++) {
        size_t n = 1 + (size_t)(uniform01() * 299), m = 1 + (size_t)(uniform01() * 299);
        double level = t % 2 ? 0.95 : 0.9;
        uint64_t seed = 1000 + t;
        size_t kept = 0;

        fill(a, n, (int)(t % 3));
        fill(b, m, (int)((t / 3) % 3));
        assert_int_equal(btk_sig_ratio_ci(&ci, a, n, b, m, R, level, seed), 0);
        assert_int_equal(boot_init(&sa, a, n), 0);
        assert_int_equal(boot_init(&sb, b, m), 0);
        btk_rng_seed(&rng, seed);
        for (unsigned r = 0; r < R; r++) {
            double ma = boot_median(&rng, &sa), mb = boot_median(&rng, &sb);

            if (isfinite(mb / ma))
                ratios[kept++] = mb / ma;
        }
        boot_free(&sa);
        boot_free(&sb);
        assert_int_equal(kept, R); /* positive values: every ratio is finite */
        qsort(ratios, kept, sizeof(*ratios), ref_cmp);
        check_near(ci.low, ref_quantile(ratios, kept, (1 - level) / 2), 1e-12);
        check_near(ci.high, ref_quantile(ratios, kept, 1 - (1 - level) / 2), 1e-12);
        assert_true(ci.low <= ci.high);
    }
    test_free(a);
    test_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bootstrap__quantile_pair_by_selection_matches_a_sort),
        cmocka_unit_test(bootstrap__resample_median_is_the_median_of_its_draws),
        cmocka_unit_test(bootstrap__ratio_ci_equals_sorted_quantiles_of_its_resamples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
