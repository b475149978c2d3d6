/*
 * Count histories: the count_threshold rule of compare (countcmp.c) along a branch's
 * commits. docs/statistics.md §10, "Count histories".
 */
#include "counthist.h"

#include <math.h>

static bool same_identity(const btk_run *a, const btk_run *b)
{
    return a->measure == b->measure &&
           !strcmp(a->count_identity ? a->count_identity : "",
                   b->count_identity ? b->count_identity : "");
}

bool btk_count_point_of(btk_count_point *out, const btk_run *const *runs, size_t n,
                        const char *bench, size_t pos)
{
    bool any = false;

    for (size_t i = 0; i < n; i++) {
        const btk_result *res = btk_run_find(runs[i], bench);
        double c;

        if (res == NULL || res->status != BTK_RESULT_OK || !isfinite(res->stats.median))
            continue;
        c = res->stats.median;
        if (!any) {
            *out = (btk_count_point){pos, c, c, c, true, runs[i]};
            any = true;
        }
        if (res->count_repeat != BTK_COUNT_DETERMINISTIC || c != out->count ||
            !same_identity(runs[i], out->first))
            out->trusted = false;
        out->lo = fmin(out->lo, c);
        out->hi = fmax(out->hi, c);
        if (res->count_repeat != BTK_COUNT_UNKNOWN && isfinite(res->count_spread_min) &&
            isfinite(res->count_spread_max)) {
            out->lo = fmin(out->lo, res->count_spread_min);
            out->hi = fmax(out->hi, res->count_spread_max);
        }
    }
    return any;
}

void btk_count_marks(unsigned char *marks, size_t *prev, const btk_count_point *pts,
                     size_t n, double t)
{
    size_t last = SIZE_MAX; /* the previous trusted point */

    for (size_t i = 0; i < n; i++) {
        prev[i] = last;
        if (!pts[i].trusted) {
            marks[i] = BTK_COUNT_UNTRUSTED;
            continue;
        }
        if (last == SIZE_MAX || !same_identity(pts[last].first, pts[i].first))
            marks[i] = BTK_COUNT_START;
        else {
            /* as countcmp.c decides: the ratio against 1 +- t (0 -> 0 is NaN: the same) */
            double ratio = pts[i].count / pts[last].count;

            marks[i] = ratio > 1 + t || ratio < 1 - t ? BTK_COUNT_CHANGE : BTK_COUNT_SAME;
        }
        last = i;
    }
}
