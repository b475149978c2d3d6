/*
 * Complexity fits: how a benchmark's time grows with a size parameter. Least squares of
 * t = c * g(n) for O(1), O(log n), O(n), O(n log n), O(n^2), O(n^3), a free power law
 * t = a * n^k by log-log regression with a 95% confidence interval on k, and a verdict
 * that names a class only when the data exclude the others (docs/statistics.md,
 * "Complexity").
 */
#ifndef BTK_COMPLEXITY_H
#define BTK_COMPLEXITY_H

#include "registry.h"
#include "result.h"

/* The classes, in order of growth. */
enum {
    BTK_CX_1,
    BTK_CX_LOGN,
    BTK_CX_N,
    BTK_CX_NLOGN,
    BTK_CX_N2,
    BTK_CX_N3,
    BTK_CX_CLASSES
};

/* How far a class's log-log slope may lie outside the interval of k and the class still
 * be consistent: a practical margin, since a constant overhead or a cache boundary bends
 * a real series by a few hundredths (docs/statistics.md §11). */
#define BTK_CX_MARGIN 0.05

/* BTK_CX_NONE as a verdict: no single class (see btk_cx_fit.consistent). */
#define BTK_CX_NONE (-1)

typedef struct btk_cx_class_fit {
    double coef;     /* c of t = c * g(n), least squares of the relative residuals */
    double nrms;     /* root mean square of the relative residuals (t - c g(n)) / t */
    double rms;      /* nrms * mean(t): the same in t's unit */
    double exponent; /* the log-log slope of g itself over the sizes fitted */
} btk_cx_class_fit;

typedef struct btk_cx_fit {
    size_t points; /* sizes fitted (n >= 2 and a finite time) */
    double n_min, n_max;
    btk_cx_class_fit cls[BTK_CX_CLASSES];
    int best_rms;   /* the class with the least rms (shown; not the verdict) */
    bool has_power; /* the power law was fitted (>= 3 sizes, every time > 0) */
    double power_a, power_k, power_lo, power_hi; /* t = a * n^k; 95% CI of k */
    double noise; /* residual standard deviation of ln t: the relative noise */
    unsigned
        consistent; /* bit c: class c's slope is within BTK_CX_MARGIN of the CI of k */
    unsigned candidates; /* bit c: class c cannot be ruled out (consistent, least rms,
                            or fitting within the noise of the least-rms class) */
    int verdict;         /* the one candidate when it is consistent, or BTK_CX_NONE */
} btk_cx_fit;

/* Fit t[i] against n[i] (count points; a point with n < 2 or a time that is not finite
 * is skipped). Fewer than 2 usable points is BTK_EINVAL. Without a power law (fewer than
 * 3 sizes, or a time <= 0) nothing is consistent and the verdict is BTK_CX_NONE. */
int btk_complexity_fit(btk_cx_fit *out, const double *n, const double *t, size_t count);

/* "O(1)", "O(log n)", ..., "O(n^3)"; and the JSON key "1", "log_n", "n", "n_log_n",
 * "n^2", "n^3". NULL for anything else. */
const char *btk_complexity_class_name(int cls);
const char *btk_complexity_class_key(int cls);

/* The class a BTK_COMPLEXITY_* option asks for, BTK_CX_NONE for NONE and AUTO. */
int btk_complexity_class_of_option(int option);

/* The 0.975 quantile of Student's t with df degrees of freedom (df >= 1). */
double btk_complexity__t975(size_t df);

/* One fit per group of instances that asked for one: the instances of a family with the
 * same values of every parameter but the size (docs/writing-benchmarks.md, "Complexity").
 */
typedef struct btk_cx_group {
    char name[256];   /* the family, or its instance name with the size value as "*" */
    char axis[40];    /* the size parameter's name, "" for the single parameter */
    int requested;    /* BTK_COMPLEXITY_* */
    size_t instances; /* instances in the group; those that failed are not fitted */
    int error;        /* 0, or BTK_EINVAL when too few sizes gave a time */
    btk_cx_fit fit;
} btk_cx_group;

/* The groups of insts[0..count) (results res[i] of insts[i]) that asked for a fit, fitted
 * on each instance's median time per iteration. Free *out with btk__free; BTK_ENOMEM. */
int btk_complexity_groups(btk_cx_group **out, size_t *count_out,
                          const btk_instance *insts, const btk_bench_result *res,
                          size_t count);

/* What the fit of g says, one line into buf: the class ("O(n log n)"), "cannot tell:
 * O(1) or O(log n)", "none of the classes (n^1.52)", or for a class the benchmark asked
 * for, whether the data agree ("O(n) as asked" / "asked O(n), data say O(n^2)"). */
void btk_complexity_verdict_text(char *buf, size_t len, const btk_cx_group *g);

#endif
