/*
 * The history a comparison of stored runs learns run-to-run noise from: the store's list
 * of runs, filtered to what was recorded before the contender on its machine (see
 * runhistory.h).
 */
#include "runhistory.h"

#include "compare.h"

static bool has_id(btk_run *const *runs, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (runs[i]->id == id)
            return true;
    return false;
}

static bool has_commit(btk_run *const *runs, size_t n, const char *sha)
{
    for (size_t i = 0; i < n; i++)
        if (sha[0] && !strcmp(runs[i]->commit.sha, sha))
            return true;
    return false;
}

int btk_runhistory_load(btk_run ***runs_out, size_t *count_out, btk_store *db,
                        const btk_run_row *rows, size_t row_count,
                        btk_run *const *base, size_t nb, btk_run *const *now, size_t nn)
{
    btk_run **runs;
    size_t n = 0;
    int64_t oldest = INT64_MAX;
    const char *fp;
    int error = 0;

    *runs_out = NULL;
    *count_out = 0;
    if (nn == 0 || now[0]->machine.fingerprint == NULL)
        return 0;
    fp = now[0]->machine.fingerprint;
    for (size_t i = 0; i < nn; i++)
        oldest = now[i]->id < oldest ? now[i]->id : oldest;
    if ((runs = btk__calloc(BTK_COMPARE_MAX_HISTORY, sizeof(*runs))) == NULL)
        return BTK_ENOMEM;
    /* rows are newest first: keep the newest wanted ones, then reverse. A contender
     * commit's other runs are the contender again, unless both sides are it. */
    for (size_t i = 0; i < row_count && error == 0 && n < BTK_COMPARE_MAX_HISTORY; i++) {
        const btk_run_row *r = &rows[i];

        if (r->id >= oldest || has_id(now, nn, r->id) || r->machine_fp == NULL ||
            strcmp(r->machine_fp, fp) != 0 ||
            (has_commit(now, nn, r->sha) && !has_commit(base, nb, r->sha)))
            continue;
        if ((error = btk_store_load_run(&runs[n], db, r->id, false)) == 0)
            n++;
    }
    if (error < 0) {
        btk_runhistory_free(runs, n);
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

void btk_runhistory_free(btk_run **runs, size_t count)
{
    for (size_t i = 0; runs && i < count; i++)
        btk_run_free(runs[i]);
    btk__free(runs);
}
