/*
 * The stored runs from which `benchtrack compare` learns each benchmark's run-to-run noise
 * (docs/statistics.md §8): runs of the contender's machine recorded before the contender,
 * none of the contender's own.
 */
#ifndef BTK_COMPARE_NOISE_H
#define BTK_COMPARE_NOISE_H

#include "compare_cli.h"

/* Load, without samples, the newest BTK_COMPARE_MAX_HISTORY stored runs that are on the
 * machine of now's first run, older than now's oldest run, not on the now side, and not
 * of now's commit unless the base side has that commit too; oldest first, into *runs_out
 * (free with cli_history_free). BTK_ENOMEM, or the store's errors. */
int cli_history_load(btk_run ***runs_out, size_t *count_out, btk_store *db,
                     const cli_side *base, const cli_side *now);
void cli_history_free(btk_run **runs, size_t count);

#endif
