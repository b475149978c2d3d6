/*
 * `benchtrack export`'s writers: stored results as OpenMetrics text (for Prometheus and
 * Grafana), CSV or JSON (for notebooks). Formats: docs/cli/export.md.
 */
#ifndef BTK_EXPORT_H
#define BTK_EXPORT_H

#include "model.h"

/* One exported result: a benchmark on a machine in one run. Strings are borrowed. */
typedef struct btk_export_row {
    const char *benchmark, *machine_fp, *hostname, *sha, *branch, *date;
    int64_t run_id;
    bool dirty;
    const btk_result *result; /* status, stats, memory, throughput */
} btk_export_row;

typedef enum btk_export_format {
    BTK_EXPORT_OPENMETRICS = 0,
    BTK_EXPORT_CSV,
    BTK_EXPORT_JSON
} btk_export_format;

/* "openmetrics", "csv" or "json"; BTK_EINVAL naming the value. */
int btk_export_parse_format(btk_export_format *out, const char *name);

/* Append rows[0..count) to out in format. OpenMetrics groups each metric family's samples
 * and ends with "# EOF"; a row whose result failed contributes only to
 * benchtrack_result_ok. BTK_ENOMEM. */
int btk_export_write(btk_buf *out, btk_export_format format, const btk_export_row *rows,
                     size_t count);

#endif
