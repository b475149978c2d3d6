/*
 * Statistics for comparisons: PRNG, medians, Mann-Whitney U (Mann & Whitney 1947), the
 * smallest attainable p, Benjamini-Hochberg (1995) and a percentile bootstrap (Efron 1979)
 * of a ratio of medians. Pure functions on arrays; see docs/statistics.md for the method.
 */
#include "significance.h"
#include "stats.h"

#include <math.h>

/* ---- PRNG: splitmix64 for seeding, xoshiro256** for the stream ---- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void btk_rng_seed(btk_rng *rng, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&seed);
}

uint64_t btk_rng_next(btk_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

size_t btk_rng_below(btk_rng *rng, size_t n)
{
    /* Lemire's multiply-shift with rejection on 32-bit draws when n fits, else modulo
     * rejection on 64 bits: unbiased either way. */
    uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
    uint64_t x;

    BTK_ASSERT(n > 0);
    do
        x = btk_rng_next(rng);
    while (x >= limit);
    return (size_t)(x % n);
}

/* ---- medians ---- */

double btk_sig_median(const double *v, size_t n, double *scratch)
{
    if (n == 0)
        return NAN;
    memcpy(scratch, v, n * sizeof(*v));
    return btk_stats_median_inplace(scratch, n);
}

/* ---- Mann-Whitney U ---- */

typedef struct tagged {
    double x;
    int side; /* 0: a, 1: b */
} tagged;

static int cmp_tagged(const void *pa, const void *pb)
{
    double a = ((const tagged *)pa)->x, b = ((const tagged *)pb)->x;

    return (a > b) - (a < b);
}

/* Rank sum of sample a with mid-ranks for ties; *tie_sum_out = sum of t^3 - t over tie
 * groups. */
static double rank_sum_a(const tagged *all, size_t total, double *tie_sum_out)
{
    double rank_sum = 0, tie_sum = 0;
    size_t i = 0;

    while (i < total) {
        size_t j = i + 1, in_a = 0;
        double t, mid_rank;

        while (j < total && all[j].x == all[i].x)
            j++;
        for (size_t k = i; k < j; k++)
            in_a += all[k].side == 0;
        t = (double)(j - i);
        mid_rank = ((double)i + 1 + (double)j) / 2; /* ranks i+1..j averaged */
        rank_sum += mid_rank * (double)in_a;
        tie_sum += t * t * t - t;
        i = j;
    }
    *tie_sum_out = tie_sum;
    return rank_sum;
}

/* Counts of each U value 0..n*m under the null for sizes n, m (no ties), from the
 * recurrence f(u; k, j) = f(u - j; k-1, j) + f(u; k, j-1) over the position of the largest
 * value. Returns a caller-freed array of n*m+1 counts, NULL on allocation failure. */
static double *u_distribution(size_t n, size_t m)
{
    size_t width = n * m + 1;
    double *rows = btk__calloc((n + 1) * width, sizeof(double));
    double *out;

    if (rows == NULL)
        return NULL;
    for (size_t k = 0; k <= n; k++)
        rows[k * width] = 1; /* j = 0: one arrangement, U = 0 */
    for (size_t j = 1; j <= m; j++) {
        for (size_t k = 1; k <= n; k++) {
            double *cur = rows + k * width, *prev = rows + (k - 1) * width;

            for (size_t u = k * j; u >= j; u--) {
                cur[u] += prev[u - j];
                if (u == j)
                    break;
            }
        }
    }
    out = btk__malloc(width * sizeof(double));
    if (out)
        memcpy(out, rows + n * width, width * sizeof(double));
    btk__free(rows);
    return out;
}

/* Two-sided exact p for statistic u: 2 * P(U <= min(u, nm - u)), capped at 1. */
static int exact_p(double *p_out, double u, size_t n, size_t m)
{
    double *dist = u_distribution(n, m);
    double total = 0, tail = 0, lo;

    if (dist == NULL)
        return BTK_ENOMEM;
    lo = fmin(u, (double)(n * m) - u);
    for (size_t i = 0; i <= n * m; i++) {
        total += dist[i];
        if ((double)i <= lo + 1e-9)
            tail += dist[i];
    }
    btk__free(dist);
    *p_out = fmin(1.0, 2 * tail / total);
    return 0;
}

/* Normal approximation with tie-corrected variance and continuity correction. */
static void normal_p(btk_mwu *out, size_t n, size_t m, double tie_sum)
{
    double dn = (double)n, dm = (double)m, total = dn + dm;
    double var = dn * dm / 12 * ((total + 1) - tie_sum / (total * (total - 1)));
    double dev = fabs(out->u - dn * dm / 2) - 0.5;

    if (var <= 0) { /* every value tied: no evidence at all */
        out->z = 0;
        out->p = 1;
        return;
    }
    out->z = (dev > 0 ? dev : 0) / sqrt(var);
    out->p = fmin(1.0, erfc(out->z / sqrt(2.0)));
}

int btk_sig_mann_whitney(btk_mwu *out, const double *a, size_t n, const double *b, size_t m)
{
    tagged *all;
    double tie_sum;
    int error = 0;

    if (n == 0 || m == 0)
        return btk_error_set(BTK_EINVAL, "rank test needs at least one value on each side");
    if ((all = btk__malloc((n + m) * sizeof(*all))) == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < n; i++)
        all[i] = (tagged){a[i], 0};
    for (size_t i = 0; i < m; i++)
        all[n + i] = (tagged){b[i], 1};
    qsort(all, n + m, sizeof(*all), cmp_tagged);
    out->u = rank_sum_a(all, n + m, &tie_sum) - (double)n * ((double)n + 1) / 2;
    btk__free(all);
    out->has_ties = tie_sum > 0;
    out->exact = !out->has_ties && n <= BTK_MWU_EXACT_MAX && m <= BTK_MWU_EXACT_MAX;
    out->z = NAN;
    if (out->exact)
        error = exact_p(&out->p, out->u, n, m);
    else
        normal_p(out, n, m, tie_sum);
    return error;
}

double btk_sig_min_p(size_t n, size_t m)
{
    btk_mwu r = {0};
    double c = 1;

    if (n == 0 || m == 0)
        return 1;
    if (n <= BTK_MWU_EXACT_MAX && m <= BTK_MWU_EXACT_MAX) {
        for (size_t i = 1; i <= n; i++) /* C(n+m, n) built up as a product */
            c = c * (double)(m + i) / (double)i;
        return fmin(1.0, 2 / c);
    }
    r.u = 0;
    normal_p(&r, n, m, 0);
    return r.p;
}

size_t btk_sig_units_needed(double alpha)
{
    size_t k = 1;

    while (k < 100000 && btk_sig_min_p(k, k) > alpha)
        k++;
    return k;
}

/* ---- Benjamini-Hochberg ---- */

typedef struct indexed {
    double p;
    size_t i;
} indexed;

static int cmp_indexed(const void *pa, const void *pb)
{
    const indexed *a = pa, *b = pb;

    if (a->p != b->p)
        return (a->p > b->p) - (a->p < b->p);
    return (a->i > b->i) - (a->i < b->i);
}

int btk_sig_bh_adjust(double *q_out, const double *p, size_t n)
{
    indexed *order;
    size_t tested = 0;
    double running = 1;

    if ((order = btk__malloc((n ? n : 1) * sizeof(*order))) == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        q_out[i] = NAN;
        if (!isnan(p[i]))
            order[tested++] = (indexed){p[i], i};
    }
    qsort(order, tested, sizeof(*order), cmp_indexed);
    for (size_t r = tested; r > 0; r--) {
        double q = order[r - 1].p * (double)tested / (double)r;

        running = q < running ? q : running;
        q_out[order[r - 1].i] = running;
    }
    btk__free(order);
    return 0;
}

/* ---- bootstrap ---- */

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return (a > b) - (a < b);
}

/* Quantile of sorted v[0..n) with linear interpolation between order statistics (Hyndman &
 * Fan type 7). */
static double quantile_sorted(const double *v, size_t n, double q)
{
    double h = q * (double)(n - 1);
    size_t lo = (size_t)floor(h);

    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

static double resample_median(btk_rng *rng, const double *v, size_t n, double *work)
{
    for (size_t i = 0; i < n; i++)
        work[i] = v[btk_rng_below(rng, n)];
    return btk_stats_median_inplace(work, n);
}

int btk_sig_ratio_ci(btk_ratio_ci *out, const double *a, size_t n, const double *b, size_t m,
                     unsigned resamples, double level, uint64_t seed)
{
    double *work, *ratios;
    size_t kept = 0;
    btk_rng rng;

    if (n == 0 || m == 0 || resamples < 10 || !(level > 0 && level < 1))
        return btk_error_set(BTK_EINVAL, "bootstrap needs values on both sides, >= 10 "
                             "resamples and a level in (0, 1)");
    work = btk__malloc((n > m ? n : m) * sizeof(double));
    ratios = btk__malloc(resamples * sizeof(double));
    if (work == NULL || ratios == NULL) {
        btk__free(work);
        btk__free(ratios);
        return BTK_ENOMEM;
    }
    out->ratio = btk_sig_median(b, m, work) / btk_sig_median(a, n, work);
    btk_rng_seed(&rng, seed);
    for (unsigned r = 0; r < resamples; r++) {
        double ma = resample_median(&rng, a, n, work);
        double mb = resample_median(&rng, b, m, work);
        double ratio = mb / ma;

        if (isfinite(ratio))
            ratios[kept++] = ratio;
    }
    qsort(ratios, kept, sizeof(double), cmp_double);
    out->low = kept ? quantile_sorted(ratios, kept, (1 - level) / 2) : NAN;
    out->high = kept ? quantile_sorted(ratios, kept, 1 - (1 - level) / 2) : NAN;
    btk__free(work);
    btk__free(ratios);
    return 0;
}
