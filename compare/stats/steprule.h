/*
 * The step rule: where a series of per-commit medians moves to a new level, for the
 * markers of trend charts and of the report's history table. A heuristic marker for
 * charts, not a statistic: it has no model of the noise, no significance and no
 * false-alarm rate, and verdicts never use it. It will be replaced by a real change-point
 * detector.
 */
#ifndef BTK_STEPRULE_H
#define BTK_STEPRULE_H

#include "internal.h"

/* The window the report and `benchtrack chart` use: up to 5 values on each side. */
#define BTK_STEPRULE_WINDOW 5

/* Steps in a series (oldest first, NAN = no value): marks[i] = +1 where the level rises
 * by more than threshold (relative), -1 where it falls, else 0. The level before and
 * after i is the median of up to `window` valid values on each side (1..64; robust to
 * single outliers); at least 3 values after i are needed (a median of 2 is their mean).
 * Of adjacent candidates of one sign the one where the window means differ most is kept.
 * See docs/report.md, "Trend markers". Never fails: without memory no marks are set (all
 * 0). */
void btk_steprule_marks(int *marks, const double *values, size_t count, double threshold,
                        size_t window);

#endif
