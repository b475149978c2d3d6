/*
 * Change points in one benchmark's history: the commits (first-parent order) where its
 * level changed. E-divisive candidates (energy statistic) tested by Student's t in a
 * split pass over overlapping windows, then a merge pass that drops the weakest points
 * (Hunter / Apache Otava; Fleming et al., ICPE 2023; Daly et al., ICPE 2020). Each commit
 * brings its per-process values, so its own noise is known. Deterministic; incremental on
 * append; the cumulative change since an anchor commit shows gradual drift.
 * docs/statistics.md, "Change points", states the method and the defaults.
 */
#ifndef BTK_CHANGEPOINT_H
#define BTK_CHANGEPOINT_H

#include "internal.h"

/* Defaults (docs/statistics.md, "Change points", says why). */
#define BTK_CHANGEPOINT_WINDOW 50          /* commits seen at once by the split pass */
#define BTK_CHANGEPOINT_MIN_SEGMENT 5      /* commits on each side of a change point */
#define BTK_CHANGEPOINT_MAX_P 0.001        /* two-sided p a change point must be below */
#define BTK_CHANGEPOINT_MIN_MAGNITUDE 0.01 /* |after / before - 1| a point must reach */
#define BTK_CHANGEPOINT_DRIFT_SPAN 10      /* commits averaged at each end by drift */

typedef struct btk_changepoint_options {
    unsigned version;   /* BTK_CHANGEPOINT_OPTIONS_VERSION */
    size_t window;      /* 2 * min_segment to 1000; the split pass steps by window / 2 */
    size_t min_segment; /* >= 1 */
    double max_p;       /* in (0, 1) */
    double min_magnitude; /* >= 0 */
} btk_changepoint_options;

#define BTK_CHANGEPOINT_OPTIONS_VERSION 1
#define BTK_CHANGEPOINT_OPTIONS_INIT                                                     \
    {                                                                                    \
        BTK_CHANGEPOINT_OPTIONS_VERSION, BTK_CHANGEPOINT_WINDOW,                         \
            BTK_CHANGEPOINT_MIN_SEGMENT, BTK_CHANGEPOINT_MAX_P,                          \
            BTK_CHANGEPOINT_MIN_MAGNITUDE                                                \
    }

/* One change point. Segments are the commits between neighbouring change points. */
typedef struct btk_changepoint {
    size_t index; /* first commit (0-based position in the series) at the new level */
    double before,
        after;        /* level of the segment before / from index: mean of commit means */
    double magnitude; /* after / before - 1 (> 0: the value grew); +-INF when before 0 */
    double p;         /* two-sided p of the t test between the two segments */
    double t, df; /* the test's statistic and (Welch-Satterthwaite) degrees of freedom */
    size_t count_before; /* commits in the segment before */
    size_t count_after;  /* commits in the segment from index */
    size_t first, last;  /* where the change may be: the hull of the positions whose
                          * split of the segments around the point the commit means do
                          * not reject (the likelihood set, about 95 %; docs/statistics.md,
                          * "Where a point lies"); first <= index <= last */
} btk_changepoint;

/* The detector: the series so far, the split pass's windows, the current change points.
 */
typedef struct btk_changepoint_detector btk_changepoint_detector;

/* Create an empty detector with opts (NULL: the defaults), copied. BTK_EINVAL for options
 * out of range or an unknown version, BTK_ENOMEM; *out is NULL on failure. Free with
 * btk_changepoint_free. */
int btk_changepoint_new(btk_changepoint_detector **out,
                        const btk_changepoint_options *opts);

/* Free det and everything it holds; NULL is a no-op. */
void btk_changepoint_free(btk_changepoint_detector *det);

/* Append `commits` commits to the series and update the change points. Commit i has
 * counts[i] >= 1 per-process values, stored one commit after the other in values (so
 * values holds the sum of counts). In a commit of three or more values, those outside
 * its median -+ 4 robust scales are set aside before its mean and within-commit noise
 * are taken, so one disturbed process cannot move it. Only the tail is recomputed: the
 * split pass resumes at the first window that reached the old end, and the merge pass
 * re-runs over its weak points; the result is identical to detecting over the whole
 * series at once. BTK_EINVAL for a zero count or a NaN or infinite value (det is then
 * unchanged), BTK_ENOMEM (det is then unchanged too). Appending 0 commits is a no-op.
 * Values are copied. */
int btk_changepoint_append(btk_changepoint_detector *det, const double *values,
                           const size_t *counts, size_t commits);

/* Number of commits appended so far. */
size_t btk_changepoint_length(const btk_changepoint_detector *det);

/* The current change points, in index order; *count_out gets their number. Borrowed:
 * valid until the next append or free. */
const btk_changepoint *btk_changepoint_points(const btk_changepoint_detector *det,
                                              size_t *count_out);

/* Mean of commit i's per-process values (i < length), for charts and callers: of those
 * kept when it has three or more, the values within median -+ 4 robust scales of its
 * commit (on the logarithms when all are positive, the scale at least ln 2 / 4: nothing
 * within a factor 2 of the median is set aside; docs/statistics.md, "A disturbed
 * process"). */
double btk_changepoint_commit_mean(const btk_changepoint_detector *det, size_t i);

/* Detect over a whole series at once: btk_changepoint_new + append + a copy of the
 * points. *points_out (free with btk__free; NULL when there are none) and *count_out are
 * set on success. Errors as for btk_changepoint_new and btk_changepoint_append. */
int btk_changepoint_detect(btk_changepoint **points_out, size_t *count_out,
                           const double *values, const size_t *counts, size_t commits,
                           const btk_changepoint_options *opts);

/* Cumulative change from an anchor commit to the latest commits, whatever the steps
 * between: what a slow drift of many sub-threshold steps adds up to. */
typedef struct btk_changepoint_drift {
    size_t anchor_begin, anchor_end;   /* commits [begin, end) give the anchor level */
    size_t latest_begin, latest_end;   /* commits [begin, end) give the latest level */
    double anchor_level, latest_level; /* means of commit means */
    double ratio;                      /* latest_level / anchor_level */
    double ci_low, ci_high;            /* 95 % CI of the ratio (NAN when undefined) */
    double p;                          /* two-sided p of the t test between the two */
    double t, df;
    size_t change_points; /* change points in (anchor_begin, latest_end) */
} btk_changepoint_cumulative;

/* The drift from commit anchor to now: the anchor level is the mean of up to span commits
 * from anchor (span 0: BTK_CHANGEPOINT_DRIFT_SPAN), stopping at the next change point;
 * the latest level the mean of up to span last commits, starting no earlier than the last
 * change point nor before the anchor range ends. When the anchor range reaches the end
 * there is nothing to compare: ratio 1, p 1, CI NAN. BTK_EINVAL when anchor >= length. */
int btk_changepoint_drift(btk_changepoint_cumulative *out,
                          const btk_changepoint_detector *det, size_t anchor,
                          size_t span);

/* ---- Student's t distribution (written from the formulas; docs/statistics.md) ---- */

/* Regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1 (NAN outside):
 * continued fraction evaluated by the modified Lentz method, with the symmetry
 * I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly. */
double btk_changepoint_betainc(double a, double b, double x);

/* Upper tail P(T > t) of Student's t with df > 0 degrees of freedom (df may be
 * fractional); NAN for df <= 0 or NaN arguments. */
double btk_changepoint_t_sf(double t, double df);

/* The t with P(T > t) = q, 0 < q < 1, found by bisection on btk_changepoint_t_sf. */
double btk_changepoint_t_isf(double q, double df);

#endif
