/*
 * The stored runs from which a comparison of runs recorded at different times learns each
 * benchmark's run-to-run noise (docs/statistics.md §8): runs of the contender's machine
 * recorded before the contender, none of the contender's own. Shared by `compare`
 * (compare/cli/compare_noise.c) and the report's verdicts, so both use one model.
 */
#ifndef BTK_RUNHISTORY_H
#define BTK_RUNHISTORY_H

#include "store.h"

/* Load, without samples, the newest BTK_COMPARE_MAX_HISTORY runs of rows (the store's list,
 * newest first) that are on the machine of now[0], older than now's oldest run, not on the
 * now side, and not of a commit of now unless the base side has that commit too (an A/A
 * comparison); oldest first, into *runs_out (free with btk_runhistory_free). Nothing (0
 * runs) when nn is 0 or now[0] has no machine fingerprint. BTK_ENOMEM, or the store's
 * errors. */
int btk_runhistory_load(btk_run ***runs_out, size_t *count_out, btk_store *db,
                        const btk_run_row *rows, size_t row_count,
                        btk_run *const *base, size_t nb, btk_run *const *now, size_t nn);
void btk_runhistory_free(btk_run **runs, size_t count);

#endif
