/*
 * The step rule behind the markers of trend charts and of the report's history table: a
 * windowed-median comparison, documented in docs/report.md ("Trend markers"). It is a
 * heuristic that draws the eye to where a series changed level, not a statistic, and is
 * to be replaced by a real change-point detector.
 */
#include "steprule.h"
#include "stats.h"

#include <math.h>

/* Median of v[0..n) (n <= 64), using tmp as scratch. */
static double median_of(const double *v, size_t n, double *tmp)
{
    memcpy(tmp, v, n * sizeof(*v));
    return btk_stats_median_inplace(tmp, n);
}

static double mean_of(const double *v, size_t n)
{
    double sum = 0;
    size_t i;

    for (i = 0; i < n; i++)
        sum += v[i];
    return sum / (double)n;
}

/* Candidate sign at position i of the compact series y[0..n): +1, -1 or 0; *score is the
 * relative difference of the window means, used to pick one of adjacent candidates. */
static int step_at(const double *y, size_t n, size_t i, double threshold, size_t w,
                   double *score)
{
    size_t nb = i < w ? i : w, na = n - i < w ? n - i : w;
    double tmp[64], before, after, rel;

    *score = 0;
    if (nb < 1 || na < 3)
        return 0;
    before = median_of(y + i - nb, nb, tmp);
    after = median_of(y + i, na, tmp);
    if (!(before > 0))
        return 0;
    rel = after / before - 1;
    *score = fabs(mean_of(y + i, na) / mean_of(y + i - nb, nb) - 1);
    return rel > threshold ? 1 : rel < -threshold ? -1 : 0;
}

void btk_steprule_marks(int *marks, const double *values, size_t count, double threshold,
                        size_t window)
{
    double *y, score, best = 0;
    size_t *at, n = 0, i, best_i = 0;
    int sign, run = 0;

    if (count == 0)
        return;
    memset(marks, 0, count * sizeof(*marks));
    y = btk__malloc(count * sizeof(*y));
    at = btk__malloc(count * sizeof(*at));
    if (y == NULL || at == NULL)
        goto done; /* no memory: no markers, the chart still draws */
    window = window < 1 ? 1 : window > 64 ? 64 : window;
    for (i = 0; i < count; i++)
        if (isfinite(values[i]))
            y[n] = values[i], at[n++] = i;
    for (i = 0; i <= n; i++) {
        sign = i < n ? step_at(y, n, i, threshold, window, &score) : 0;
        if (run != 0 && sign != run) /* a run of candidates ended: keep its best */
            marks[at[best_i]] = run, best = 0;
        if (sign != 0 && (sign != run || score > best))
            best = score, best_i = i;
        run = sign;
    }
done:
    btk__free(y);
    btk__free(at);
}
