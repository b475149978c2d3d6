/*
 * The benchmarks registered in this binary, and their instances: a benchmark with parameters
 * expands to one instance per value, named "family/param", and one with named parameters
 * (BTK_GRID) to one per combination, named "family/a:64/b:8".
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
    bool has_param;                   /* a single unnamed parameter (BTK_PARAMS/BTK_RANGE) */
    int64_t param;
    size_t axis_count;                /* named parameters (BTK_GRID), opts->axes order */
    int64_t axis_values[BTK_MAX_AXES];
    int complexity;                   /* BTK_COMPLEXITY_* (NONE for old options) */
    int size_axis;                    /* the axis complexity fits against, -1: param */
    unsigned threads;                 /* threads of this instance (0: the options' own) */
    char name[256];                   /* "family", "family/param" or "family/a:1/b:2" */
} btk_instance;

/* The most instances one registration may expand to (the product of its axes). */
#define BTK_REGISTRY_INSTANCES_MAX 4096

/* All instances in registration order, keeping those whose name matches filter (NULL or ""
 * keeps all; syntax in docs/benchmark-binary.md). Free *out with btk__free. A malformed
 * filter is BTK_EINVAL. */
int btk_registry_instances(btk_instance **out, size_t *count_out, const char *filter);

/* Print the names of the instances the filter keeps to out, one a line, in registration
 * order, and count them in *count_out. A registration that cannot run (a bad name or range,
 * a name used twice) is skipped with a warning naming it and why on stderr, so --list
 * still shows the rest. A malformed filter is BTK_EINVAL. */
int btk_registry_list(size_t *count_out, FILE *out, const char *filter);

/* The index of the axis of inst named name, or -1 when it has none so named. */
int btk_registry_axis_index(const btk_instance *inst, const char *name);

/* Forget every registration and free the table (tests; the registry is empty afterwards). */
void btk_registry__reset(void);

#endif
