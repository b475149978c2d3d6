/*
 * Interleaved A/B runs of two benchmark binaries: K rounds, each one fresh invocation
 * `BIN --processes 1 --out TMP.json [--step-fd 3] [args]` of each binary, started with
 * posix_spawn (no shell); stepped benchmark by benchmark when both binaries take
 * --step-fd, else one whole suite after the other, which binary first alternating by
 * round. Each side's invocations are merged as the processes of one run. docs/cli/ab.md.
 */
#ifndef BTK_ABRUN_H
#define BTK_ABRUN_H

#include "model.h"

typedef struct btk_ab_options {
    unsigned rounds;          /* K, >= 1 */
    char *const *args;        /* extra arguments for both binaries */
    size_t arg_count;
    bool progress;            /* one line per invocation on stderr */
} btk_ab_options;

/* Run the rounds and return each side's merged run (free with btk_run_free). A binary
 * that cannot be started, or ends without writing results, is BTK_ECHILD naming it and its
 * exit status; unparsable results are BTK_EFORMAT. *old_out and *new_out are NULL on
 * failure. */
int btk_ab_run(btk_run **old_out, btk_run **new_out, const char *old_bin,
               const char *new_bin, const btk_ab_options *opts);

/* Move the results of src into dst: a benchmark present in both gains src's processes
 * (renumbered after dst's); a new benchmark is appended; a failure in src marks dst's
 * result failed. src is left empty (free it as usual). BTK_ENOMEM. */
int btk_ab_merge(btk_run *dst, btk_run *src);

/* Mark a merged side for storage: its options object gains "source": "ab", "ab_side": side
 * ("base" or "contender") and "processes": rounds (each invocation ran one process; the
 * stored run holds all of them). BTK_ENOMEM; a run without options gets an object. */
int btk_ab_tag(btk_run *run, const char *side, unsigned rounds);

#endif
