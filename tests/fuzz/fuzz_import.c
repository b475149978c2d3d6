/* libFuzzer target: the results-JSON importer (compare/ingest/import.h) on arbitrary bytes,
 * both formats (ours and Google Benchmark's). A malformed input must come back as an error
 * code; a parsed run is freed. Seeds: tests/fuzz/corpus/import/. */
#include "import.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    btk_run *run = NULL;

    if (btk_import_buffer(&run, (const char *)data, size, "fuzz.json") == 0)
        btk_run_free(run);
    btk_error_clear();
    return 0;
}
