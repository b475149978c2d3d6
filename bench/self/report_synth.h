/*
 * Synthetic runs for the report's tests and speed benchmark: nbench results per run with
 * per-process samples around a level that the caller sets per benchmark and commit.
 */
#ifndef BTK_REPORT_SYNTH_H
#define BTK_REPORT_SYNTH_H

#include "model.h"

typedef struct synth_spec {
    const char *sha, *branch, *subject, *hostname;
    int64_t time;
    const char *const *names; /* benchmark names */
    const double *levels;     /* median ns of each benchmark on this commit */
    size_t count;
    size_t procs, samples; /* processes per benchmark, samples per process */
    uint64_t seed;
} synth_spec;

/* Build a run from spec (machine fields fixed apart from the hostname, fingerprint
 * computed). Free with btk_run_free. */
int synth_run(btk_run **out, const synth_spec *spec);

#endif
