/*
 * Reading results JSON into a btk_run: our format (docs/json-format.md) and Google
 * Benchmark's --benchmark_format=json output. Malformed, truncated or wrong-typed input is
 * BTK_EFORMAT with one line "FILE:LINE:COLUMN: what" or "FILE: benchmarks[3].name: expected
 * a string"; nothing is half-returned.
 */
#ifndef BTK_IMPORT_H
#define BTK_IMPORT_H

#include "model.h"

/* Parse the file at path, detecting the format. The run has no commit yet (sha ""), and its
 * machine fingerprint computed. Free with btk_run_free. */
int btk_import_file(btk_run **out, const char *path);
/* The same from a buffer; source names it in messages. */
int btk_import_buffer(btk_run **out, const char *data, size_t len, const char *source);

#endif
