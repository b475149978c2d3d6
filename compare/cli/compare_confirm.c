/*
 * `benchtrack compare --confirm-base BIN --confirm-new BIN`: the benchmarks the stored runs
 * flag are measured again, both binaries' processes interleaved as `benchtrack ab` runs
 * them, and that measurement's verdicts replace the stored runs' (docs/statistics.md §8,
 * "Confirming by re-measuring"; docs/cli/compare.md).
 */
#include "compare_confirm.h"

#include "abrun.h"
#include "runtag.h"

#include <math.h>

/* A verdict the stored runs may owe to drift between recordings: a time or memory verdict
 * of regressed or improved, or a time figure the core-state, two-level, spread or base
 * guard left undecided (re-measuring interleaved is their remedy). Counting verdicts are
 * exact and are not measured again. */
static bool flagged(const btk_verdict *v)
{
    bool time_flag = v->time_kind == BTK_VERDICT_REGRESSED ||
                     v->time_kind == BTK_VERDICT_IMPROVED;

    if (!v->has_count && v->guarded)
        return true;
    bool mem_flag = v->has_memory && (v->memory_kind == BTK_VERDICT_REGRESSED ||
                                      v->memory_kind == BTK_VERDICT_IMPROVED);

    return !v->has_count && (v->kind == BTK_VERDICT_REGRESSED ||
                             v->kind == BTK_VERDICT_IMPROVED) && (time_flag || mem_flag);
}

/* With --confirm-inconclusive, a verdict that could not be decided from the stored runs:
 * inconclusive, measured on both sides (not new, missing or failed), not a count. */
static bool undecided(const btk_verdict *v)
{
    return !v->has_count && v->kind == BTK_VERDICT_INCONCLUSIVE && isfinite(v->base_median) &&
           isfinite(v->new_median);
}

/* Every run of side was recorded by the binary at bin: BTK_EINVAL naming the first that
 * was not, or that does not record which binary recorded it. */
static int check_binary(const cli_side *side, const char *bin, const char *which)
{
    char have[BTK_FILE_ID_LEN], want[BTK_FILE_ID_LEN], q[200], why[300];

    btk_error_quote(q, sizeof(q), bin);
    if (btk__file_id(have, bin) < 0) { /* a missing binary is bad input, as in `ab` */
        snprintf(why, sizeof(why), "%s", btk_error_last()->message);
        return btk_error_set(BTK_EINVAL, "cannot confirm with the %s's binary: %s", which,
                             why);
    }
    for (size_t i = 0; i < side->count; i++) {
        const btk_run *run = side->runs[i];

        if (!btk_runtag_executable_id(want, run))
            return btk_error_set(BTK_EINVAL,
                                 "cannot confirm: run #%" PRId64 " (the %s) does not record "
                                 "which binary recorded it (runs before 2026-12-03 and "
                                 "imported Google Benchmark runs do not)",
                                 run->id, which);
        if (strcmp(want, have) != 0)
            return btk_error_set(BTK_EINVAL,
                                 "cannot confirm: '%s' is not the binary that recorded run #%"
                                 PRId64 " (the %s): its content is %s, the run's binary's %s",
                                 q, run->id, which, have, want);
    }
    return 0;
}

/* Append to filter a pattern that selects exactly name (docs/benchmark-binary.md
 * "--filter": fnmatch globs, comma-separated, '-' first excludes): the glob characters and
 * a leading '-' escaped. A name too long for one pattern selects its family (the
 * measurement then holds more benchmarks than asked; only the asked ones are adopted). */
static int put_pattern(btk_buf *filter, const char *name)
{
    btk_buf p = BTK_BUF_INIT;
    char q[200];
    int error;

    if (strchr(name, ',') != NULL) /* never a harness's name; a crafted run's can be */
        return btk_error_set(BTK_EINVAL, "cannot confirm benchmark '%s': a name with ',' "
                             "cannot be selected by --filter",
                             btk_error_quote(q, sizeof(q), name));
    error = filter->len ? btk_buf_puts(filter, ",") : 0;
    for (const char *c = name; *c && error == 0; c++) {
        if (strchr("*?[]\\", *c) || (c == name && *c == '-'))
            error = btk_buf_puts(&p, "\\");
        error = error ? error : btk_buf_put(&p, c, 1);
    }
    if (error == 0 && p.len >= 250) {
        size_t family = strcspn(name, "/");

        p.len = 0;
        error = btk_buf_printf(&p, "%.*s", (int)family, name);
    }
    error = error ? error : btk_buf_puts(filter, btk_buf_cstr(&p));
    btk_buf_free(&p);
    return error;
}

int cli_confirm_flagged(btk_comparison *cmp, btk_buf *note, const cli_side *base,
                        const cli_side *now, const cli_confirm *c,
                        const btk_compare_options *opts)
{
    btk_buf filter = BTK_BUF_INIT, how = BTK_BUF_INIT;
    char **args = NULL;
    btk_run *old_run = NULL, *new_run = NULL;
    btk_comparison *again = NULL;
    btk_compare_options o = *opts;
    size_t flagged_count = 0, undecided_count = 0, n = 0;
    int error;

    if ((error = check_binary(base, c->base_bin, "base")) < 0 ||
        (error = check_binary(now, c->new_bin, "contender")) < 0)
        return error;
    for (size_t i = 0; i < cmp->count && error == 0; i++)
        if (flagged(&cmp->items[i]) || (c->inconclusive && undecided(&cmp->items[i]))) {
            flagged_count += flagged(&cmp->items[i]);
            undecided_count += !flagged(&cmp->items[i]);
            error = put_pattern(&filter, cmp->items[i].name);
        }
    if (error == 0 && flagged_count + undecided_count == 0) {
        error = btk_buf_puts(note, c->inconclusive ? "; nothing flagged or inconclusive to "
                                                     "re-measure"
                                                   : "; nothing flagged to re-measure");
        goto done;
    }
    args = btk__calloc(c->extra_count + 2, sizeof(char *));
    if (error == 0 && args == NULL)
        error = btk_error_set(BTK_ENOMEM, "out of memory");
    if (error < 0)
        goto done;
    for (size_t i = 0; i < c->extra_count; i++)
        args[n++] = c->extra[i];
    args[n++] = "--filter";
    args[n++] = (char *)btk_buf_cstr(&filter);
    {
        btk_ab_options ab = {(unsigned)c->processes, args, n, c->progress};

        error = btk_ab_run(&old_run, &new_run, c->base_bin, c->new_bin, &ab);
    }
    /* the re-measurement's sides are interleaved: no drift between them to allow for */
    o.separate = false;
    o.history = NULL;
    o.history_count = 0;
    o.process_units = true;
    if (error == 0)
        error = btk_compare_runs(&again, (const btk_run *const *)&old_run, 1,
                                 (const btk_run *const *)&new_run, 1, &o);
    if (error == 0)
        error = btk_buf_printf(&how, "%ld interleaved processes a side", c->processes);
    if (error == 0)
        error = btk_comparison_adopt(cmp, again, btk_buf_cstr(&how));
    if (error == 0 && c->inconclusive)
        error = btk_buf_printf(note, "; %zu flagged and %zu inconclusive benchmark%s",
                               flagged_count, undecided_count,
                               undecided_count == 1 ? "" : "s");
    else if (error == 0)
        error = btk_buf_printf(note, "; %zu flagged benchmark%s", flagged_count,
                               flagged_count == 1 ? "" : "s");
    if (error == 0)
        error = btk_buf_printf(note, " re-measured with %ld interleaved processes a side of "
                               "the two binaries", c->processes);
done:
    btk_comparison_free(again);
    btk_run_free(old_run);
    btk_run_free(new_run);
    btk__free(args);
    btk_buf_free(&filter);
    btk_buf_free(&how);
    return error;
}
