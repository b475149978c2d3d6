/*
 * The benchmark binary's command line (docs/benchmark-binary.md): parsed into options here,
 * then run by btk_main in main.c. The parser lives in flags.c.
 */
#ifndef BTK_FLAGS_H
#define BTK_FLAGS_H

#include "runner.h"

typedef enum btk_format { BTK_FORMAT_CONSOLE = 0, BTK_FORMAT_JSON } btk_format;

typedef struct btk_main_options {
    btk_runner_options runner;
    btk_format format;
    const char *out_path; /* --out FILE, NULL when not given (borrowed from argv) */
    const char *filter;   /* --filter PATTERN, NULL when not given (borrowed from argv) */
    int step_fd;          /* --step-fd N (step.h), -1 when not given */
    bool list, help, version;
} btk_main_options;

/* Parse argv into out, starting from the defaults. Counting modes (--measure other than
 * time) default to 2 processes and refuse fewer, --no-fork, and --cache-sim without
 * --measure instructions. A bad flag or value is BTK_EINVAL with
 * the one-line message (without the "benchtrack: " prefix) in btk_error_last(). */
int btk_flags_parse(btk_main_options *out, int argc, char **argv);

/* Print the --help text to f. */
void btk_flags_usage(FILE *f, const char *argv0);

#endif
