/*
 * Confirming the verdicts of a comparison of stored runs by measuring the flagged
 * benchmarks again, interleaved (`benchtrack compare --confirm-base/--confirm-new`,
 * docs/cli/compare.md, docs/statistics.md §8).
 */
#ifndef BTK_COMPARE_CONFIRM_H
#define BTK_COMPARE_CONFIRM_H

#include "compare_cli.h"

typedef struct cli_confirm {
    const char *base_bin, *new_bin; /* the binaries that recorded the sides' runs */
    long processes;                 /* interleaved processes a side */
    char **extra;                   /* arguments for both binaries */
    size_t extra_count;
    bool progress;                  /* one line per invocation on stderr */
    bool inconclusive;              /* also re-measure inconclusive verdicts */
} cli_confirm;

/* Check that every run of base was recorded by c->base_bin and every run of now by
 * c->new_bin (their content identities, docs/json-format.md `executable_id`), then run the
 * benchmarks cmp flags (a time or memory verdict regressed or improved) in both binaries,
 * c->processes interleaved processes a side (with c->inconclusive, the inconclusive ones
 * measured on both sides too), and replace their verdicts by that measurement's
 * (btk_comparison_adopt). Appends to note what was done ("; 2 flagged benchmarks
 * re-measured ..."). BTK_EINVAL when a binary is not the one that recorded its
 * side (or a run does not say which did); the errors of btk_ab_run. */
int cli_confirm_flagged(btk_comparison *cmp, btk_buf *note, const cli_side *base,
                        const cli_side *now, const cli_confirm *c,
                        const btk_compare_options *opts);

#endif
