/*
 * The results JSON document (docs/json-format.md, schema version 1), written with jansson.
 * jansson.h is included only in json.c.
 */
#ifndef BTK_JSON_H
#define BTK_JSON_H

#include "complexity.h"
#include "envcheck.h"
#include "runner.h"
#include "timer.h"

#include <time.h>

#define BTK_JSON_SCHEMA_VERSION 1

/* Everything one run's document says; all borrowed. */
typedef struct btk_report {
    const char *executable;           /* argv[0] */
    time_t start;                     /* start of the run */
    const btk_env_input *env_in;      /* build flags and probe answers */
    const btk_env_report *env;        /* host facts and warnings */
    const btk_timer_info *timer;      /* NULL when the timer was not initialized */
    const btk_runner_options *opts;
    const char *filter;               /* NULL or "" when none */
    const btk_bench_result *results;
    size_t count;
    /* parameters, complexity (issue 15) */
    const btk_instance *insts;        /* insts[i] measured results[i]; NULL: no "params" */
    const btk_cx_group *fits;         /* complexity fits ("complexity"), fit_count of them */
    size_t fit_count;
    const char *executable_id;        /* btk__file_id of the running binary; NULL or ""
                                       * unknown */
} btk_report;

/* Write the document to f, pretty-printed, followed by a newline. BTK_ENOMEM when it cannot
 * be built, BTK_EIO when it cannot be written. */
int btk_json_write_stream(const btk_report *rep, FILE *f);

/* Write the document to the file at path (created or truncated). BTK_EIO names the path. */
int btk_json_write_file(const btk_report *rep, const char *path);

#endif
