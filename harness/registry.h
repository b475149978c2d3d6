/*
 * The benchmarks registered in this binary, and their instances: a benchmark with parameters
 * expands to one instance per value, named "family/param".
 */
#ifndef BTK_REGISTRY_H
#define BTK_REGISTRY_H

#include "benchtrack.h"
#include "internal.h"

/* The longest benchmark name, in bytes: "name/param" must fit btk_instance.name. */
#define BTK_REGISTRY_NAME_MAX 200
/* The most threads a benchmark may ask for (.threads, .threads_max). */
#define BTK_REGISTRY_MAX_THREADS 1024

typedef struct btk_instance {
    const char *family;               /* the name given to BTK_BENCH (borrowed) */
    btk_bench_fn fn;
    const btk_bench_options *opts;    /* never NULL (defaults when registered without) */
    bool has_param;
    int64_t param;
    unsigned threads;                 /* threads of this instance (0: the options' own) */
    char name[256];                   /* "family" or "family/param" */
} btk_instance;

/* All instances in registration order, keeping those whose name matches filter (NULL or ""
 * keeps all; syntax in docs/benchmark-binary.md). Free *out with btk__free. A malformed
 * filter is BTK_EINVAL. */
int btk_registry_instances(btk_instance **out, size_t *count_out, const char *filter);

/* Print the names of the instances the filter keeps to out, one a line, in registration
 * order, and count them in *count_out. A registration that cannot run (a bad name or range,
 * a name used twice) is skipped with a warning naming it and why on stderr, so --list
 * still shows the rest. A malformed filter is BTK_EINVAL. */
int btk_registry_list(size_t *count_out, FILE *out, const char *filter);

/* Forget every registration and free the table (tests; the registry is empty afterwards). */
void btk_registry__reset(void);

#endif
