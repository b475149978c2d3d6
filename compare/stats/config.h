/*
 * The repository's benchtrack.json: suite-wide settings, per-benchmark glob rules (noise
 * band, tolerated regression) and absolute budgets written as small expressions
 * ("p95 < 500ns", "allocs_per_iter == 0", "peak_rss < 64MiB"). Schema and grammar:
 * docs/config.md. Malformed input is BTK_EFORMAT naming the file and the offending key.
 */
#ifndef BTK_CONFIG_H
#define BTK_CONFIG_H

#include "internal.h"

/* The budget metrics: the eleven figures of btk_stats in its table's order (asserted in
 * config.c), then memory. */
typedef enum btk_metric {
    BTK_METRIC_MIN = 0,
    BTK_METRIC_MAX,
    BTK_METRIC_MEAN,
    BTK_METRIC_MEDIAN,
    BTK_METRIC_STDDEV,
    BTK_METRIC_MAD,
    BTK_METRIC_P50,
    BTK_METRIC_P90,
    BTK_METRIC_P95,
    BTK_METRIC_P99,
    BTK_METRIC_P999,
    BTK_METRIC_ALLOCS,   /* allocs_per_iter */
    BTK_METRIC_FREES,    /* frees_per_iter */
    BTK_METRIC_BYTES,    /* bytes_per_iter (allocated) */
    BTK_METRIC_PEAK_RSS, /* bytes */
    BTK_METRIC_COUNT
} btk_metric;

typedef enum btk_cmp_op {
    BTK_OP_LT = 0,
    BTK_OP_LE,
    BTK_OP_GT,
    BTK_OP_GE,
    BTK_OP_EQ,
    BTK_OP_NE
} btk_cmp_op;

/* One parsed budget; value is in the metric's base unit (ns, bytes or a count). */
typedef struct btk_budget {
    btk_metric metric;
    btk_cmp_op op;
    double value;
    char *text;          /* the expression as written (owned) */
} btk_budget;

typedef struct btk_config btk_config;

/* Defaults used when the config says nothing (docs/config.md). */
#define BTK_CONFIG_RSS_TOLERANCE 0.10
#define BTK_CONFIG_ALLOC_TOLERANCE 0.001
/* A count (instructions per iteration) changed by more than this fraction is a regression
 * or improvement (docs/statistics.md, "Counts"); count_threshold in the config. */
#define BTK_CONFIG_COUNT_THRESHOLD 0.001
/* The absolute floor of the peak-RSS band: 64 pages of 4 KiB (docs/statistics.md §7). */
#define BTK_CONFIG_RSS_FLOOR (64.0 * 4096)

/* Parse a budget expression into *out (text copied). BTK_EFORMAT with a message
 * "bad budget '<expr>': <why>" (expression quoted) when malformed; BTK_ENOMEM. Free the
 * text with btk_budget_clear. */
int btk_budget_parse(btk_budget *out, const char *expr);
void btk_budget_clear(btk_budget *budget);
/* Metric name as written in expressions ("p95", "allocs_per_iter", ...). */
const char *btk_metric_name(btk_metric metric);
/* True when value satisfies the budget; an unknown (NAN) value never satisfies it. Equality
 * of counts allows BTK_CONFIG_ALLOC_TOLERANCE. */
bool btk_budget_holds(const btk_budget *budget, double value);

/* Parse config text; source names it in messages ("benchtrack.json"). *out = NULL on
 * failure. Free with btk_config_free. */
int btk_config_parse(btk_config **out, const char *text, size_t len, const char *source);
/* Read and parse the file at path. Absent file: BTK_ENOTFOUND naming it; unreadable:
 * BTK_EIO. */
int btk_config_load(btk_config **out, const char *path);
void btk_config_free(btk_config *config);

/* Suite-wide settings; each getter returns fallback when the config (or NULL) has none. */
double btk_config_alpha(const btk_config *config, double fallback);
double btk_config_noise_band(const btk_config *config, const char *bench, double fallback);
double btk_config_max_regression(const btk_config *config, const char *bench);
double btk_config_rss_tolerance(const btk_config *config, const char *bench);
double btk_config_count_threshold(const btk_config *config, const char *bench);
/* The target branch named by the config, or NULL. Borrowed. */
const char *btk_config_target_branch(const btk_config *config);

/* Call cb for every budget of every rule whose glob matches bench, in file order; stops
 * and returns the first non-zero value cb returns. NULL config: no budgets. */
typedef int (*btk_budget_cb)(const btk_budget *budget, void *payload);
int btk_config_foreach_budget(const btk_config *config, const char *bench, btk_budget_cb cb,
                              void *payload);

#endif
