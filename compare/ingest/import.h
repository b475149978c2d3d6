/*
 * Reading results JSON into a btk_run: our format (docs/json-format.md) and Google
 * Benchmark's --benchmark_format=json output. Malformed, truncated or wrong-typed input is
 * BTK_EFORMAT with one line "FILE:LINE:COLUMN: what" or "FILE: benchmarks[3].name: expected
 * a string"; nothing is half-returned. Values out of range fail their benchmark, not the
 * run (btk_import__invalidate).
 */
#ifndef BTK_IMPORT_H
#define BTK_IMPORT_H

#include "model.h"

/* Limits on untrusted input (docs/json-format.md, "Limits"). Each is well above what a
 * benchmark binary writes; a document beyond one is BTK_EFORMAT naming the limit. */
#define BTK_IMPORT_MAX_BYTES ((size_t)256 << 20) /* the whole document, bytes */
#define BTK_IMPORT_MAX_NAME 1024                 /* a benchmark, family or counter name */
#define BTK_IMPORT_MAX_STRING 65536              /* any other string, bytes */
#define BTK_IMPORT_MAX_BENCHMARKS 1000000        /* entries of "benchmarks" */
#define BTK_IMPORT_MAX_PROCESSES 10000           /* processes (repetitions) per benchmark */
#define BTK_IMPORT_MAX_SAMPLES ((size_t)1 << 22) /* samples per process */
#define BTK_IMPORT_MAX_NAMED 1024                /* counters per benchmark; warnings */
/* The largest time accepted, ns per iteration (about 11.6 days). A sample or time statistic
 * that is null, negative or larger makes its benchmark failed with kind "invalid". */
#define BTK_IMPORT_MAX_NS 1e15
#define BTK_IMPORT_MAX_RATIO 1e6 /* a process's branch_ratio (docs/timer.md#shared-core) */

/* Parse the file at path, detecting the format. The run has no commit yet (sha ""), and its
 * machine fingerprint computed. Free with btk_run_free. */
int btk_import_file(btk_run **out, const char *path);
/* The same from a buffer; source names it in messages. */
int btk_import_buffer(btk_run **out, const char *data, size_t len, const char *source);

#endif
