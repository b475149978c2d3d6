/*
 * The history `benchtrack compare` learns run-to-run noise from: the store's list of runs,
 * filtered (compare/report/runhistory.c, which the report's verdicts use too) to what was
 * recorded before the contender on its machine.
 */
#include "compare_noise.h"
#include "runhistory.h"

int cli_history_load(btk_run ***runs_out, size_t *count_out, btk_store *db,
                     const cli_side *base, const cli_side *now)
{
    btk_run_row *rows = NULL;
    size_t count = 0;
    int error;

    *runs_out = NULL;
    *count_out = 0;
    if (now->count == 0 || now->runs[0]->machine.fingerprint == NULL)
        return 0;
    if ((error = btk_store_list_runs(&rows, &count, db, 0)) < 0)
        return error;
    error = btk_runhistory_load(runs_out, count_out, db, rows, count, base->runs,
                                base->count, now->runs, now->count);
    btk_run_rows_free(rows, count);
    return error;
}

void cli_history_free(btk_run **runs, size_t count)
{
    btk_runhistory_free(runs, count);
}
