/*
 * What a run's options JSON says beyond the figures: the build a run was recorded from
 * (benchtrack run --commits: its build command and binary, so a later `run --commits` can
 * tell which commits are already recorded with the same build; docs/cli/run.md, "Recording
 * a range"), and the sample length it was measured with (docs/cli/compare.md).
 */
#ifndef BTK_RUNTAG_H
#define BTK_RUNTAG_H

#include "model.h"

/* Add "source": "run-commits", "build_command": build and "build_binary": binary to the
 * run's options JSON (an object; anything else is replaced by one). BTK_ENOMEM. */
int btk_runtag_set_build(btk_run *run, const char *build, const char *binary);

/* Whether the run's options JSON says it was built with build and binary. */
bool btk_runtag_has_build(const btk_run *run, const char *build, const char *binary);

/* A benchtrack run's results written before 2026-12-02 carry no options.sample_time_us:
 * their samples lasted 1 ms (docs/timer.md#sample-length). */
#define BTK_RUNTAG_LEGACY_SAMPLE_US 1000.0

/* The run's sample length in microseconds, as `--sample-time` set it (options.sample_time_us;
 * BTK_RUNTAG_LEGACY_SAMPLE_US when a benchtrack time run does not record one); 0 when not
 * known: Google Benchmark JSON, counting runs, or a value that is not a positive number. */
double btk_runtag_sample_us(const btk_run *run);

/* When the runs of the two sides record more than one sample length, append to out
 * "different sample lengths: the base was sampled in samples of 1000 us, the contender in
 * samples of 100 us: ..." (each side's distinct known lengths in order, "unrecorded length"
 * when it has none); nothing otherwise. The median of shorter samples holds fewer disturbed
 * ones and can read lower (docs/timer.md#sample-length). BTK_ENOMEM. */
int btk_runtag_sample_note(btk_buf *out, const btk_run *const *base, size_t base_count,
                           const btk_run *const *now, size_t now_count);

/* When some runs of the two sides recorded the shared-core warning (docs/timer.md#shared-core)
 * and others did not, append to out "different core states: 1 of 1 base run and 0 of 1
 * contender run recorded a core shared with a busy SMT sibling ..."; nothing when none or
 * all did. BTK_ENOMEM. */
int btk_runtag_core_note(btk_buf *out, const btk_run *const *base, size_t base_count,
                         const btk_run *const *now, size_t now_count);

/* The identity of the binary that recorded run (its context's "executable_id", written from
 * 2026-12-03: docs/json-format.md) into out; false and "" when the run does not record one
 * (older runs, Google Benchmark JSON, a value too long to be one). */
bool btk_runtag_executable_id(char out[BTK_FILE_ID_LEN], const btk_run *run);

#endif
