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

static inline uint64_t rng_next(btk_rng *rng)
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

uint64_t btk_rng_next(btk_rng *rng)
{
    return rng_next(rng);
}

/* Uniform in [0, n) for n <= UINT32_MAX: Lemire's multiply-shift on a 32-bit draw, with
 * rejection of the few low products that would bias it ("Fast random integer generation in
 * an interval", ACM TOMACS 2019): no division except on the rare rejection path. */
static inline size_t lemire32(btk_rng *rng, uint32_t draw, uint32_t bound)
{
    uint64_t m = (uint64_t)draw * bound;

    if ((uint32_t)m < bound) {
        uint32_t threshold = (uint32_t)(-bound) % bound;

        while ((uint32_t)m < threshold)
            m = (rng_next(rng) >> 32) * bound;
    }
    return (size_t)(m >> 32);
}

static inline size_t rng_below32(btk_rng *rng, uint32_t bound)
{
    uint64_t m = (rng_next(rng) >> 32) * bound;

    if ((uint32_t)m < bound) {
        uint32_t threshold = (uint32_t)(-bound) % bound;

        while ((uint32_t)m < threshold)
            m = (rng_next(rng) >> 32) * bound;
    }
    return (size_t)(m >> 32);
}

size_t btk_rng_below(btk_rng *rng, size_t n)
{
    uint64_t limit, x;

    BTK_ASSERT(n > 0);
    if (n <= UINT32_MAX)
        return rng_below32(rng, (uint32_t)n);
    /* Wider ranges: modulo with rejection on 64 bits (unbiased). */
    limit = UINT64_MAX - (UINT64_MAX % n);
    do
        x = rng_next(rng);
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

int btk_sig_hl_ratio(double *out, const double *a, size_t n, const double *b, size_t m)
{
    double *d;
    size_t k = 0;

    *out = NAN;
    if (n == 0 || m == 0 || n > BTK_HL_MAX_PAIRS / m)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(a[i] > 0 && isfinite(a[i])))
            return 0;
    for (size_t j = 0; j < m; j++)
        if (!(b[j] > 0 && isfinite(b[j])))
            return 0;
    if ((d = btk__malloc((n * m + n + m) * sizeof(*d))) == NULL)
        return BTK_ENOMEM;
    double *la = d + n * m, *lb = la + n; /* each logarithm once */
    for (size_t i = 0; i < n; i++)
        la[i] = log(a[i]);
    for (size_t j = 0; j < m; j++)
        lb[j] = log(b[j]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            d[k++] = lb[j] - la[i];
    *out = exp(btk_stats_median_inplace(d, k));
    btk__free(d);
    return 0;
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

double btk_sig_normal_quantile(double p)
{
    double lo = -40, hi = 40;

    if (!(p > 0 && p < 1))
        return NAN;
    if (p > 0.5) /* the lower tail, where erfc keeps its relative precision */
        return -btk_sig_normal_quantile(1 - p);
    for (int i = 0; i < 200 && hi - lo > 1e-15 * (1 + fabs(lo)); i++) {
        double mid = (lo + hi) / 2;

        if (0.5 * erfc(-mid / sqrt(2.0)) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

double btk_sig_log_spread(const double *v, size_t n, double *scratch)
{
    double center;
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (!(v[i] > 0 && isfinite(v[i])))
            return NAN;
    if (n < 2)
        return NAN;
    for (size_t i = 0; i < n; i++)
        scratch[i] = log(v[i]);
    center = btk_stats_median_inplace(scratch, n);
    for (size_t i = 0; i < n; i++)
        scratch[k++] = fabs(log(v[i]) - center);
    return 1.4826 * btk_stats_median_inplace(scratch, k);
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

/* One side of the bootstrap: its values sorted once. A resample draws n values with
 * replacement; drawing a uniform position is drawing a uniform rank in the sorted order,
 * so a resample is n uniform ranks, and its median is read off their counts (a counting
 * pass, no comparisons): exactly the median of the resampled values. */
typedef struct boot_side {
    size_t n;
    double *sorted;   /* the values, ascending */
    unsigned *count;  /* per-resample draw counts by rank */
} boot_side;

static void boot_free(boot_side *s)
{
    btk__free(s->sorted);
    btk__free(s->count);
    memset(s, 0, sizeof(*s));
}

static int boot_init(boot_side *s, const double *v, size_t n)
{
    s->n = n;
    s->sorted = btk__malloc(n * sizeof(*s->sorted));
    s->count = btk__malloc(n * sizeof(*s->count));
    if (s->sorted == NULL || s->count == NULL) {
        boot_free(s);
        return BTK_ENOMEM;
    }
    memcpy(s->sorted, v, n * sizeof(*v));
    btk_stats_sort(s->sorted, n);
    return 0;
}

/* The median of one resample of the side: mean of the 0-based order statistics (n-1)/2 and
 * n/2, as btk_stats_median_inplace defines it. */
static double boot_median(btk_rng *rng, boot_side *s)
{
    size_t n = s->n, lo = (n - 1) / 2, hi = n / 2, seen = 0, k = 0;
    unsigned *count = s->count;
    double low;

    memset(count, 0, n * sizeof(*count));
    /* n <= UINT32_MAX (checked by btk_sig_ratio_ci). Two draws from each 64-bit output:
     * its high half, then its low half (xoshiro256** has no weak low bits), each through
     * Lemire's method; a rejected half is redrawn from the high half of a new output. */
    for (size_t i = 0; i + 1 < n; i += 2) {
        uint64_t x = rng_next(rng);

        count[lemire32(rng, (uint32_t)(x >> 32), (uint32_t)n)]++;
        count[lemire32(rng, (uint32_t)x, (uint32_t)n)]++;
    }
    if (n % 2)
        count[rng_below32(rng, (uint32_t)n)]++;
    while ((seen += count[k]) <= lo) /* the rank holding position lo of the resample */
        k++;
    low = s->sorted[k];
    while (seen <= hi) /* and position hi (the same rank when it also covers hi) */
        seen += count[++k];
    return (low + s->sorted[k]) / 2;
}

/* Quantile (type 7) of v[0..n), reordering v: two order statistics by selection instead
 * of a sort. The order statistics from `from` up must all lie in v[from..n) (after a
 * selection of order statistic `from`, they do; from = 0: no assumption). */
static double quantile_select_from(double *v, size_t n, double q, size_t from)
{
    double h = q * (double)(n - 1), low, next;
    size_t lo = (size_t)floor(h);

    if (lo >= n - 1)
        lo = n - 1;
    if (lo < from)
        from = 0;
    low = btk_stats_select_kth(v + from, n - from, lo - from);
    if (lo + 1 >= n)
        return low;
    /* everything after lo is >= low: the next order statistic is their minimum */
    next = v[lo + 1];
    for (size_t i = lo + 2; i < n; i++)
        next = v[i] < next ? v[i] : next;
    return low + (h - (double)lo) * (next - low);
}


int btk_sig_ratio_ci(btk_ratio_ci *out, const double *a, size_t n, const double *b, size_t m,
                     unsigned resamples, double level, uint64_t seed)
{
    boot_side sa = {0}, sb = {0};
    double *work, *ratios;
    size_t kept = 0;
    btk_rng rng;

    if (n == 0 || m == 0 || resamples < 10 || !(level > 0 && level < 1))
        return btk_error_set(BTK_EINVAL, "bootstrap needs values on both sides, >= 10 "
                             "resamples and a level in (0, 1)");
    if (n > UINT32_MAX || m > UINT32_MAX)
        return btk_error_set(BTK_EINVAL, "bootstrap of more than 2^32 values per side");
    work = btk__malloc((n > m ? n : m) * sizeof(double));
    ratios = btk__malloc(resamples * sizeof(double));
    if (work == NULL || ratios == NULL || boot_init(&sa, a, n) < 0 ||
        boot_init(&sb, b, m) < 0) {
        boot_free(&sa); /* either side may be set up; freeing an unset one is a no-op */
        btk__free(work);
        btk__free(ratios);
        return BTK_ENOMEM;
    }
    out->ratio = btk_sig_median(b, m, work) / btk_sig_median(a, n, work);
    btk_rng_seed(&rng, seed);
    for (unsigned r = 0; r < resamples; r++) {
        double ma = boot_median(&rng, &sa);
        double mb = boot_median(&rng, &sb);
        double ratio = mb / ma;

        if (!isfinite(ratio)) /* a resample median of 0 (or a value not finite): the */
            break;            /* ratio is unbounded, and so is the CI */
        ratios[kept++] = ratio;
    }
    if (kept < resamples || !isfinite(out->ratio))
        kept = 0;
    out->low = kept ? quantile_select_from(ratios, kept, (1 - level) / 2, 0) : NAN;
    /* The lower quantile's selection left everything above it to its right: the upper
     * one is found there (same order statistic, half the work). */
    if (kept) {
        size_t low_rank = (size_t)floor((1 - level) / 2 * (double)(kept - 1));

        out->high = quantile_select_from(ratios, kept, 1 - (1 - level) / 2, low_rank);
    } else
        out->high = NAN;
    boot_free(&sa);
    boot_free(&sb);
    btk__free(work);
    btk__free(ratios);
    return 0;
}
