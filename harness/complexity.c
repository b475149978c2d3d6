/*
 * Complexity fits (complexity.h): the six classes by least squares, the power law by
 * ordinary least squares on logarithms with a Student-t interval on the exponent, and the
 * grouping of a run's instances into the series each fit runs over.
 */
#include "complexity.h"
#include "summary.h"

#include <math.h>

static const char *const class_names[BTK_CX_CLASSES] = {
    "O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(n^3)"};
static const char *const class_keys[BTK_CX_CLASSES] = {"1",       "log_n", "n",
                                                       "n_log_n", "n^2",   "n^3"};

const char *btk_complexity_class_name(int cls)
{
    return cls >= 0 && cls < BTK_CX_CLASSES ? class_names[cls] : NULL;
}

const char *btk_complexity_class_key(int cls)
{
    return cls >= 0 && cls < BTK_CX_CLASSES ? class_keys[cls] : NULL;
}

int btk_complexity_class_of_option(int option)
{
    return option >= BTK_COMPLEXITY_O1 && option <= BTK_COMPLEXITY_ON3
               ? option - BTK_COMPLEXITY_O1
               : BTK_CX_NONE;
}

/* g(n) of class cls (n >= 2; logarithms base 2, as Google Benchmark's). */
static double class_g(int cls, double n)
{
    switch (cls) {
    case BTK_CX_1:
        return 1.0;
    case BTK_CX_LOGN:
        return log2(n);
    case BTK_CX_N:
        return n;
    case BTK_CX_NLOGN:
        return n * log2(n);
    case BTK_CX_N2:
        return n * n;
    default:
        return n * n * n;
    }
}

double btk_complexity__t975(size_t df)
{
    /* Student's t, 0.975 quantile, df 1..30 (checked in unit.complexity against a numeric
     * inversion of the t distribution's CDF). */
    static const double table[30] = {
        12.7062047, 4.3026527, 3.1824463, 2.7764451, 2.5705818, 2.4469119,
        2.3646243,  2.3060041, 2.2621572, 2.2281389, 2.2009852, 2.1788128,
        2.1603687,  2.1447867, 2.1314495, 2.1199053, 2.1098156, 2.1009220,
        2.0930241,  2.0859634, 2.0796138, 2.0738731, 2.0686576, 2.0638986,
        2.0595386,  2.0555294, 2.0518305, 2.0484071, 2.0452296, 2.0422725};
    double z = 1.959963984540054, v = (double)df, z3, z5, z7, z9;

    if (df == 0)
        return INFINITY;
    if (df <= 30)
        return table[df - 1];
    /* Cornish-Fisher expansion of t in powers of 1/df (Abramowitz and Stegun 26.7.5) */
    z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) /
               (92160 * v * v * v * v);
}

/* Least squares of t = c * g(n) for every class, on relative residuals (t - c g) / t:
 * c = sum(g / t) / sum(g^2 / t^2). A timing's noise is proportional to it and the sizes
 * span decades, so unweighted residuals would let the largest size decide alone. nrms is
 * the root mean square relative residual, rms the same in t's unit (nrms * mean t). */
static void fit_classes(btk_cx_fit *f, const double *n, const double *t, size_t m)
{
    double mean_t = 0;
    size_t i;
    int c;

    for (i = 0; i < m; i++)
        mean_t += t[i] / (double)m;
    for (c = 0; c < BTK_CX_CLASSES; c++) {
        double sgt = 0, sgg = 0, sse = 0;

        for (i = 0; i < m; i++) {
            double g = class_g(c, n[i]) / t[i];

            sgt += g;
            sgg += g * g;
        }
        f->cls[c].coef = sgt / sgg;
        for (i = 0; i < m; i++) {
            double r = (t[i] - f->cls[c].coef * class_g(c, n[i])) / t[i];

            sse += r * r;
        }
        f->cls[c].nrms = sqrt(sse / (double)m);
        f->cls[c].rms = f->cls[c].nrms * fabs(mean_t);
        if (c == 0 || f->cls[c].nrms < f->cls[f->best_rms].nrms)
            f->best_rms = c;
    }
}

/* Ordinary least squares of y on x: slope, intercept and the residual sum of squares. */
static void ols(const double *x, const double *y, size_t m, double *slope, double *icept,
                double *sse_out, double *sxx_out)
{
    double mx = 0, my = 0, sxx = 0, sxy = 0, sse = 0;
    size_t i;

    for (i = 0; i < m; i++) {
        mx += x[i] / (double)m;
        my += y[i] / (double)m;
    }
    for (i = 0; i < m; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    *slope = sxx > 0 ? sxy / sxx : 0;
    *icept = my - *slope * mx;
    for (i = 0; i < m; i++) {
        double r = y[i] - *icept - *slope * x[i];

        sse += r * r;
    }
    *sse_out = sse;
    *sxx_out = sxx;
}

/* The power law and, for each class, its own log-log slope over these sizes, which the
 * interval of k must come within BTK_CX_MARGIN of for the class to be consistent with the
 * data. x, y, gy are scratch of m doubles. */
static void fit_power(btk_cx_fit *f, const double *n, const double *t, size_t m,
                      double *x, double *y, double *gy)
{
    double k, b, sse, sxx, half, unused;
    size_t i;
    int c;

    for (i = 0; i < m; i++) {
        x[i] = log(n[i]);
        y[i] = log(t[i]);
    }
    ols(x, y, m, &k, &b, &sse, &sxx);
    if (!(sxx > 0))
        return;
    half = btk_complexity__t975(m - 2) * sqrt(sse / (double)(m - 2) / sxx);
    f->has_power = true;
    f->noise = sqrt(sse / (double)(m - 2));
    f->power_k = k;
    f->power_a = exp(b);
    /* 1e-9: exactly-fitting data still contain their own class despite rounding */
    f->power_lo = k - half - 1e-9;
    f->power_hi = k + half + 1e-9;
    for (c = 0; c < BTK_CX_CLASSES; c++) {
        for (i = 0; i < m; i++)
            gy[i] = log(class_g(c, n[i]));
        ols(x, gy, m, &f->cls[c].exponent, &unused, &unused, &unused);
        if (f->cls[c].exponent >= f->power_lo - BTK_CX_MARGIN &&
            f->cls[c].exponent <= f->power_hi + BTK_CX_MARGIN)
            f->consistent |= 1u << c;
    }
}

int btk_complexity_fit(btk_cx_fit *out, const double *n, const double *t, size_t count)
{
    double *nn, *tt;
    size_t i, m = 0;

    memset(out, 0, sizeof(*out));
    out->verdict = BTK_CX_NONE;
    if (n == NULL || t == NULL || count < 2)
        return btk_error_set(BTK_EINVAL, "a complexity fit needs at least 2 sizes");
    if ((nn = btk__calloc(count * 5, sizeof(double))) == NULL)
        return BTK_ENOMEM;
    tt = nn + count;
    for (i = 0; i < count; i++) {
        if (!(n[i] >= 2) || !isfinite(n[i]) || !(t[i] > 0) || !isfinite(t[i]))
            continue;
        nn[m] = n[i];
        tt[m++] = t[i];
    }
    out->points = m;
    if (m < 2) {
        btk__free(nn);
        return btk_error_set(BTK_EINVAL, "a complexity fit needs at least 2 sizes >= 2");
    }
    out->n_min = out->n_max = nn[0];
    for (i = 1; i < m; i++) {
        out->n_min = fmin(out->n_min, nn[i]);
        out->n_max = fmax(out->n_max, nn[i]);
    }
    fit_classes(out, nn, tt, m);
    if (m >= 3)
        fit_power(out, nn, tt, m, nn + 2 * count, nn + 3 * count, nn + 4 * count);
    /* A verdict needs one class that the interval of k holds, that fits best by least
     * squares, and that no other class fits as well within the noise (the scatter of the
     * log-log fit): otherwise the data cannot tell (docs/statistics.md, "Complexity"). */
    if (out->consistent != 0) {
        unsigned cand = out->consistent | 1u << out->best_rms;

        for (i = 0; i < BTK_CX_CLASSES; i++) /* as good a fit as the noise allows */
            if (out->cls[i].nrms - out->cls[out->best_rms].nrms <= out->noise)
                cand |= 1u << i;

        out->candidates = cand;
        for (i = 0; i < BTK_CX_CLASSES; i++)
            if (cand == 1u << i)
                out->verdict = (int)i;
    }
    btk__free(nn);
    return 0;
}

/* The group name of inst: its family, or its name with the size axis's value as '*'. */
static void group_name(char *buf, size_t len, const btk_instance *inst)
{
    size_t used, i;

    used = (size_t)snprintf(buf, len, "%s", inst->family);
    for (i = 0; i < inst->axis_count && used < len; i++) {
        if ((int)i == inst->size_axis)
            used += (size_t)snprintf(buf + used, len - used, "/%s:*",
                                     inst->opts->axes[i].name);
        else
            used += (size_t)snprintf(buf + used, len - used, "/%s:%" PRId64,
                                     inst->opts->axes[i].name, inst->axis_values[i]);
    }
}

/* The size of inst: its single parameter or its size axis's value. */
static double size_of(const btk_instance *inst)
{
    return inst->size_axis >= 0 ? (double)inst->axis_values[inst->size_axis]
                                : (double)inst->param;
}

/* Gather and fit the points of group g (member[i] == gi for its instances). */
static int fit_group(btk_cx_group *g, size_t gi, const size_t *member,
                     const btk_instance *insts, const btk_bench_result *res, size_t count)
{
    double *n = btk__calloc(2 * (count ? count : 1), sizeof(double)), *t;
    size_t i, m = 0;
    btk_summary s;
    int error = 0;

    if (n == NULL)
        return BTK_ENOMEM;
    t = n + count;
    for (i = 0; i < count; i++) {
        if (member[i] != gi)
            continue;
        g->instances++;
        if (res[i].fail != BTK_FAIL_NONE)
            continue;
        if ((error = btk_summary_compute(&s, &res[i])) == BTK_ENOMEM)
            break;
        if (error < 0)
            continue;
        n[m] = size_of(&insts[i]);
        t[m++] = s.stats.median;
    }
    if (error != BTK_ENOMEM) {
        error = btk_complexity_fit(&g->fit, n, t, m);
        g->error = error == BTK_EINVAL ? error : 0;
        if (error == BTK_EINVAL) {
            btk_error_clear();
            error = 0;
        }
    }
    btk__free(n);
    return error;
}

int btk_complexity_groups(btk_cx_group **out, size_t *count_out,
                          const btk_instance *insts, const btk_bench_result *res,
                          size_t count)
{
    btk_cx_group *v = NULL;
    size_t *member, i, j, n = 0;
    char key[256];
    int error = 0;

    *out = NULL;
    *count_out = 0;
    if ((member = btk__calloc(count ? count : 1, sizeof(*member))) == NULL)
        return BTK_ENOMEM;
    for (i = 0; i < count; i++) {
        member[i] = SIZE_MAX;
        if (insts[i].complexity == BTK_COMPLEXITY_NONE)
            continue;
        group_name(key, sizeof(key), &insts[i]);
        for (j = 0; j < n && strcmp(v[j].name, key) != 0; j++)
            ;
        if (j == n) {
            btk_cx_group *grown = btk__realloc(v, (n + 1) * sizeof(*v));

            if (grown == NULL) {
                error = BTK_ENOMEM;
                goto done;
            }
            v = grown;
            memset(&v[n], 0, sizeof(v[n]));
            snprintf(v[n].name, sizeof(v[n].name), "%s", key);
            if (insts[i].size_axis >= 0)
                snprintf(v[n].axis, sizeof(v[n].axis), "%s",
                         insts[i].opts->axes[insts[i].size_axis].name);
            v[n].requested = insts[i].complexity;
            n++;
        }
        member[i] = j;
    }
    for (j = 0; j < n && error == 0; j++)
        error = fit_group(&v[j], j, member, insts, res, count);
done:
    btk__free(member);
    if (error < 0) {
        btk__free(v);
        return error;
    }
    *out = v;
    *count_out = n;
    return 0;
}

/* The classes of mask joined with " or " into buf. */
static void class_list(char *buf, size_t len, unsigned mask)
{
    size_t used = 0;
    int c;

    buf[0] = '\0';
    for (c = 0; c < BTK_CX_CLASSES && used < len; c++)
        if (mask & 1u << c)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " or " : "",
                                     class_names[c]);
}

void btk_complexity_verdict_text(char *buf, size_t len, const btk_cx_group *g)
{
    const btk_cx_fit *f = &g->fit;
    int asked = btk_complexity_class_of_option(g->requested);
    char list[96];

    class_list(list, sizeof(list), f->candidates);
    if (g->error < 0)
        snprintf(buf, len, "too few sizes with a time");
    else if (!f->has_power)
        snprintf(buf, len, "cannot tell (the power law needs 3 sizes and times > 0)");
    else if (asked != BTK_CX_NONE && f->verdict == asked)
        snprintf(buf, len, "%s as asked", class_names[asked]);
    else if (asked != BTK_CX_NONE && (f->candidates & 1u << asked))
        snprintf(buf, len, "asked %s, cannot tell: %s", class_names[asked], list);
    else if (asked != BTK_CX_NONE)
        snprintf(buf, len, "asked %s, data say %s", class_names[asked],
                 f->consistent ? list : "none of the classes");
    else if (f->verdict != BTK_CX_NONE)
        snprintf(buf, len, "%s", class_names[f->verdict]);
    else if (f->consistent != 0)
        snprintf(buf, len, "cannot tell: %s", list);
    else
        snprintf(buf, len, "none of the classes (n^%.2f)", f->power_k);
}
