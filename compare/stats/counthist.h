/*
 * Count histories (docs/statistics.md §10, "Count histories"): a benchmark's count at
 * each commit from its counting runs, whether it is trusted, and which commits are count
 * change points by the count_threshold rule (no statistics). Used by `benchtrack
 * regressions --metric instructions` and the report's count regressions.
 */
#ifndef BTK_COUNTHIST_H
#define BTK_COUNTHIST_H

#include "model.h"

/* A benchmark's count at one commit. */
typedef struct btk_count_point {
    size_t pos;           /* the caller's commit position */
    double count;         /* the first run's instructions per iteration */
    double lo, hi;        /* the range over the runs and their processes */
    bool trusted;         /* every run deterministic, and the runs agree (count, measure,
                           * count identity) */
    const btk_run *first; /* its measure and count identity (borrowed) */
} btk_count_point;

/* The count point of bench from runs[0..n) (the counting runs of one commit, oldest
 * first); false when none has an ok result with a finite count. */
bool btk_count_point_of(btk_count_point *out, const btk_run *const *runs, size_t n,
                        const char *bench, size_t pos);

/* What each point of a count history is (marks of btk_count_marks). */
enum {
    BTK_COUNT_SAME = 0,  /* trusted, within the threshold of the previous trusted point */
    BTK_COUNT_START = 1, /* trusted, the first of its measure and count identity */
    BTK_COUNT_CHANGE = 2, /* trusted, new / old > 1 + t or < 1 - t: a change point */
    BTK_COUNT_UNTRUSTED = 3 /* never a change point nor compared with */
};
/* Mark pts[0..n) (oldest first) with threshold t (count_threshold): marks[i] one of the
 * above, prev[i] the index of the previous trusted point (SIZE_MAX: none), the one a
 * change is measured from. */
void btk_count_marks(unsigned char *marks, size_t *prev, const btk_count_point *pts,
                     size_t n, double t);

#endif
