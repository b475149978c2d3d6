/*
 * Run-to-run noise of a benchmark (docs/statistics.md §8): a robust estimate from stored
 * runs (consecutive differences, so a step in the history costs one difference, not the
 * estimate), a classical one from the sides' own runs, and the widening of a comparison's
 * CI and p value by it.
 */
#include "runnoise.h"

#include "changepoint.h"
#include "significance.h"
#include "stats.h"

#include <math.h>

/* The log level of name in run by the metric, or NAN when absent, failed, without the
 * metric's figures or not positive. */
static double level_of(const btk_run *run, const char *name, btk_compare_metric metric)
{
    const btk_result *res = btk_run_find(run, name);
    const btk_stats *st = res ? btk_result_metric_stats(res, metric) : NULL;

    if (res == NULL || res->status != BTK_RESULT_OK || st == NULL || !(st->median > 0) ||
        !isfinite(st->median))
        return NAN;
    return log(st->median);
}

/* The root mean square of the consecutive differences d[0..k) without the largest one,
 * over sqrt 2: von Neumann's successive-difference estimate of the SD, with one real step
 * in the history left out. */
static double rms_but_largest(const double *d, size_t k)
{
    double ss = 0, largest = 0;

    for (size_t i = 0; i < k; i++) {
        ss += d[i] * d[i];
        largest = fmax(largest, d[i]);
    }
    return k > 1 ? sqrt((ss - largest * largest) / (double)(k - 1) / 2) : NAN;
}

/* The larger of 1.4826 * median |consecutive difference| / sqrt 2 and rms_but_largest,
 * from at least BTK_COMPARE_MIN_HISTORY levels; NAN with fewer (docs/statistics.md §8). */
static int from_history(double *sd_out, size_t *used_out, const btk_run *const *runs,
                        size_t count, const char *name, btk_compare_metric metric)
{
    double *d = btk__malloc((count ? count : 1) * sizeof(double)), prev = NAN, rms;
    size_t k = 0, used = 0;

    if (d == NULL)
        return BTK_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        double l = level_of(runs[i], name, metric);

        if (isnan(l))
            continue;
        used++;
        if (!isnan(prev))
            d[k++] = fabs(l - prev);
        prev = l;
    }
    *used_out = used;
    rms = rms_but_largest(d, k);
    *sd_out = used >= BTK_COMPARE_MIN_HISTORY
                  ? fmax(1.4826 * btk_stats_median_inplace(d, k) / sqrt(2.0), rms)
                  : NAN;
    btk__free(d);
    return 0;
}

/* The mean log level of the runs' results of name; NAN when none has one. */
static double mean_level(const btk_run *const *runs, size_t n, const char *name,
                         btk_compare_metric metric)
{
    double sum = 0;
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        double l = level_of(runs[i], name, metric);

        if (!isnan(l)) {
            sum += l;
            k++;
        }
    }
    return k ? sum / (double)k : NAN;
}

/* Sum of squares of one side's run levels around their mean; *n_out runs. */
static double side_ss(const btk_run *const *runs, size_t count, const char *name,
                      btk_compare_metric metric, size_t *n_out)
{
    double mean = mean_level(runs, count, name, metric), ss = 0;
    size_t n = 0;

    for (size_t i = 0; i < count; i++) {
        double l = level_of(runs[i], name, metric);

        if (!isnan(l)) {
            ss += (l - mean) * (l - mean);
            n++;
        }
    }
    *n_out = n;
    return ss;
}

int btk_runnoise_learn(btk_runnoise *out, const btk_run *const *history, size_t count,
                       const btk_run *const *base, size_t nb, const btk_run *const *now,
                       size_t nn, const char *name, btk_compare_metric metric)
{
    double sd_h, ss, df_s;
    size_t used, n_b, n_n, groups;
    int error;

    out->sd = NAN;
    out->df = NAN;
    out->runs = 0;
    out->source = NULL;
    if ((error = from_history(&sd_h, &used, history, count, name, metric)) < 0)
        return error;
    if (!isnan(sd_h)) {
        out->sd = sd_h;
        out->df = (double)(used - 1);
        out->runs = used;
        out->source = "stored runs";
    }
    ss = side_ss(base, nb, name, metric, &n_b) + side_ss(now, nn, name, metric, &n_n);
    groups = (n_b > 0) + (n_n > 0);
    if (n_b + n_n <= groups)
        return 0;
    df_s = (double)(n_b + n_n - groups);
    if (isnan(out->sd)) {
        out->sd = sqrt(ss / df_s);
        out->df = df_s;
        out->source = "runs of the sides";
    } else { /* two estimates of one variance: pooled by their degrees of freedom */
        out->sd = sqrt((out->df * out->sd * out->sd + ss) / (out->df + df_s));
        out->df += df_s;
        out->source = "stored runs and runs of the sides";
    }
    return 0;
}

static bool is_base_run(const btk_run *run, const btk_run *const *base, size_t nb)
{
    for (size_t i = 0; i < nb; i++)
        if (run->id != 0 && base[i]->id == run->id)
            return true;
    return false;
}

void btk_runnoise_levels(double *hist_out, double *base_out, double *new_out,
                         const btk_run *const *history, size_t count,
                         const btk_run *const *base, size_t nb, const btk_run *const *now,
                         size_t nn, const char *name, btk_compare_metric metric)
{
    double l[BTK_COMPARE_BASE_RECENT];
    size_t k = 0;

    for (size_t i = count; i-- > 0 && k < BTK_COMPARE_BASE_RECENT;) { /* newest first */
        double v = is_base_run(history[i], base, nb) ? NAN
                                                      : level_of(history[i], name, metric);

        if (!isnan(v))
            l[k++] = v;
    }
    *hist_out = k >= BTK_COMPARE_MIN_HISTORY ? btk_stats_median_inplace(l, k) : NAN;
    *base_out = mean_level(base, nb, name, metric);
    *new_out = mean_level(now, nn, name, metric);
}

void btk_runnoise_apply(btk_verdict *v, const btk_runnoise *noise, size_t runs_base,
                        size_t runs_new, double level)
{
    double se, q, c, t, p;

    if (!(noise->sd > 0) || !isfinite(noise->sd) || runs_base == 0 || runs_new == 0 ||
        !(v->ratio > 0) || !isfinite(v->ratio) || !(v->ci_low > 0) || !isfinite(v->ci_high))
        return;
    se = noise->sd * sqrt(1.0 / (double)runs_base + 1.0 / (double)runs_new);
    q = isfinite(noise->df) ? btk_changepoint_t_isf((1 - level) / 2, noise->df)
                            : btk_sig_normal_quantile(0.5 + level / 2);
    c = log(v->ratio);
    t = fabs(c) / se;
    p = isfinite(noise->df) ? 2 * btk_changepoint_t_sf(t, noise->df)
                            : erfc(t / sqrt(2.0));
    v->ci_low = fmin(v->ci_low, exp(c - q * se));
    v->ci_high = fmax(v->ci_high, exp(c + q * se));
    if (v->p_value < p) /* a NAN p stays NAN */
        v->p_value = fmin(1.0, p);
    v->run_noise = noise->sd;
    v->noise_runs = noise->runs;
    v->noise_source = noise->source;
}
