/*
 * The history `benchtrack compare` learns run-to-run noise from: the store's list of runs,
 * filtered to what was recorded before the contender on its machine (see compare_noise.h).
 */
#include "compare_noise.h"

static bool on_side(const cli_side *side, int64_t id)
{
    for (size_t i = 0; i < side->count; i++)
        if (side->runs[i]->id == id)
            return true;
    return false;
}

static bool side_has_commit(const cli_side *side, const char *sha)
{
    for (size_t i = 0; i < side->count; i++)
        if (sha[0] && !strcmp(side->runs[i]->commit.sha, sha))
            return true;
    return false;
}

/* Whether list row r belongs in the history of the comparison. */
static bool wanted(const btk_run_row *r, const cli_side *base, const cli_side *now,
                   const char *fp, int64_t oldest)
{
    if (r->id >= oldest || on_side(now, r->id) || r->machine_fp == NULL ||
        strcmp(r->machine_fp, fp) != 0)
        return false;
    /* a contender commit's other runs are the contender again, unless both sides are it */
    return !(side_has_commit(now, r->sha) && !side_has_commit(base, r->sha));
}

int cli_history_load(btk_run ***runs_out, size_t *count_out, btk_store *db,
                     const cli_side *base, const cli_side *now)
{
    btk_run_row *rows = NULL;
    btk_run **runs = NULL;
    size_t count = 0, n = 0;
    int64_t oldest = INT64_MAX;
    const char *fp;
    int error;

    *runs_out = NULL;
    *count_out = 0;
    if (now->count == 0 || now->runs[0]->machine.fingerprint == NULL)
        return 0;
    fp = now->runs[0]->machine.fingerprint;
    for (size_t i = 0; i < now->count; i++)
        oldest = now->runs[i]->id < oldest ? now->runs[i]->id : oldest;
    if ((error = btk_store_list_runs(&rows, &count, db, 0)) < 0)
        return error;
    runs = btk__calloc(BTK_COMPARE_MAX_HISTORY, sizeof(*runs));
    if (runs == NULL)
        error = BTK_ENOMEM;
    /* rows are newest first: keep the newest wanted ones, then reverse */
    for (size_t i = 0; i < count && error == 0 && n < BTK_COMPARE_MAX_HISTORY; i++)
        if (wanted(&rows[i], base, now, fp, oldest) &&
            (error = btk_store_load_run(&runs[n], db, rows[i].id, false)) == 0)
            n++;
    btk_run_rows_free(rows, count);
    if (error < 0) {
        cli_history_free(runs, n);
        return error;
    }
    for (size_t i = 0; i < n / 2; i++) {
        btk_run *t = runs[i];

        runs[i] = runs[n - 1 - i];
        runs[n - 1 - i] = t;
    }
    *runs_out = runs;
    *count_out = n;
    return 0;
}

void cli_history_free(btk_run **runs, size_t count)
{
    for (size_t i = 0; runs && i < count; i++)
        btk_run_free(runs[i]);
    btk__free(runs);
}
