/*
 * benchtrack.json: parsing (jansson, strict: unknown keys and wrong types are errors),
 * the budget expression grammar, and lookups by benchmark name through glob rules
 * (fnmatch; every matching rule applies in file order, later ones override settings and
 * budgets accumulate). docs/config.md is the user-facing description.
 */
#include "config.h"

#include "stats.h"

#include <fnmatch.h>
#include <math.h>

#include <jansson.h>

typedef struct config_rule {
    char *pattern;
    double noise_band, max_regression, rss_tolerance; /* NAN: not set */
    double count_threshold;                          /* NAN: not set */
    size_t budget_count;
    btk_budget *budgets;
} config_rule;

struct btk_config {
    char *target_branch;
    double alpha, noise_band, max_regression, rss_tolerance; /* NAN: not set */
    double count_threshold;                                 /* NAN: not set */
    size_t rule_count;
    config_rule *rules;
};

/* ---- budget expressions ---- */

typedef enum dim { DIM_TIME, DIM_BYTES, DIM_COUNT } dim;

/* The budget metrics are the figures of btk_stats (times, named by its table), then these. */
static const struct {
    const char *name;
    dim dimension;
} memory_metrics[] = {
    {"allocs_per_iter", DIM_COUNT},
    {"frees_per_iter", DIM_COUNT},
    {"bytes_per_iter", DIM_BYTES},
    {"peak_rss", DIM_BYTES},
};
_Static_assert(BTK_METRIC_P999 + 1 == BTK_STATS_FIGURES &&
                   BTK_METRIC_ALLOCS == BTK_STATS_FIGURES &&
                   BTK_STATS_FIGURES + BTK_ARRAY_SIZE(memory_metrics) == BTK_METRIC_COUNT,
               "btk_metric is the figures of btk_stats_metric_at, then memory_metrics");

static dim metric_dim(btk_metric metric)
{
    return metric < BTK_STATS_FIGURES ? DIM_TIME
                                      : memory_metrics[metric - BTK_STATS_FIGURES].dimension;
}

static const struct {
    const char *name;
    dim dimension;
    double scale;
} units[] = {
    {"ns", DIM_TIME, 1},          {"us", DIM_TIME, 1e3},          {"\xc2\xb5s", DIM_TIME, 1e3},
    {"ms", DIM_TIME, 1e6},        {"s", DIM_TIME, 1e9},           {"B", DIM_BYTES, 1},
    {"KB", DIM_BYTES, 1e3},       {"MB", DIM_BYTES, 1e6},         {"GB", DIM_BYTES, 1e9},
    {"KiB", DIM_BYTES, 1024.0},   {"MiB", DIM_BYTES, 1048576.0},
    {"GiB", DIM_BYTES, 1073741824.0},
};

static const char *const op_names[] = {"<", "<=", ">", ">=", "==", "!="};

const char *btk_metric_name(btk_metric metric)
{
    if (metric < BTK_STATS_FIGURES)
        return btk_stats_metric_at(metric)->name;
    return metric < BTK_METRIC_COUNT ? memory_metrics[metric - BTK_STATS_FIGURES].name : "?";
}

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static int budget_fail(const char *expr, const char *why)
{
    char quoted[120];

    return btk_error_set(BTK_EFORMAT, "bad budget '%s': %s",
                         btk_error_quote(quoted, sizeof(quoted), expr), why);
}

/* Read an identifier-like word [A-Za-z0-9_()] (p(95) is accepted as p95). */
static const char *scan_metric(const char *s, btk_metric *out)
{
    char word[32];
    size_t len = 0;

    for (; (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '(' ||
           *s == ')';
         s++) {
        if (*s == '(' || *s == ')')
            continue;
        if (len + 1 >= sizeof(word))
            return NULL;
        word[len++] = *s;
    }
    word[len] = '\0';
    for (int i = 0; i < BTK_METRIC_COUNT; i++)
        if (!strcmp(word, btk_metric_name((btk_metric)i))) {
            *out = (btk_metric)i;
            return s;
        }
    return NULL;
}

static const char *scan_op(const char *s, btk_cmp_op *out)
{
    for (int i = (int)BTK_ARRAY_SIZE(op_names) - 1; i >= 0; i--) {
        size_t len = strlen(op_names[i]);

        if (!strncmp(s, op_names[i], len) && (len == 2 || (s[1] != '=')))
            return *out = (btk_cmp_op)i, s + len;
    }
    return NULL;
}

/* A plain decimal: digits, optional fraction, optional exponent (no sign, hex, inf). */
static const char *scan_number(const char *s, double *out)
{
    char digits[64];
    const char *p = s;
    size_t len;

    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if (p == s || (p == s + 1 && *s == '.'))
        return NULL;
    if ((*p == 'e' || *p == 'E') &&
        ((p[1] >= '0' && p[1] <= '9') ||
         ((p[1] == '-' || p[1] == '+') && p[2] >= '0' && p[2] <= '9')))
        for (p += 2; *p >= '0' && *p <= '9'; p++)
            ;
    len = (size_t)(p - s);
    if (len >= sizeof(digits))
        return NULL;
    memcpy(digits, s, len);
    digits[len] = '\0';
    *out = strtod(digits, NULL);
    return isfinite(*out) ? p : NULL;
}

/* Scale *value by the unit at s (possibly none) for dimension d. */
static int apply_unit(const char *expr, const char *s, dim d, double *value)
{
    if (*s == '\0') {
        if (d == DIM_TIME)
            return budget_fail(expr, "a time needs a unit (ns, us, ms, s)");
        return 0;
    }
    for (size_t i = 0; i < BTK_ARRAY_SIZE(units); i++)
        if (!strcmp(s, units[i].name)) {
            if (units[i].dimension != d)
                return budget_fail(expr, d == DIM_COUNT ? "a count takes no unit"
                                                        : "unit does not fit the metric");
            *value *= units[i].scale;
            return 0;
        }
    return budget_fail(expr, "unknown unit");
}

int btk_budget_parse(btk_budget *out, const char *expr)
{
    const char *s = skip_ws(expr);
    char unit[16];
    size_t len;
    int error;

    memset(out, 0, sizeof(*out));
    if ((s = scan_metric(s, &out->metric)) == NULL)
        return budget_fail(expr, "expected a metric (median, p95, allocs_per_iter, ...)");
    if ((s = scan_op(skip_ws(s), &out->op)) == NULL)
        return budget_fail(expr, "expected an operator (<, <=, >, >=, ==, !=)");
    if ((s = scan_number(skip_ws(s), &out->value)) == NULL)
        return budget_fail(expr, "expected a non-negative number");
    s = skip_ws(s);
    for (len = 0; s[len] && s[len] != ' ' && s[len] != '\t'; len++)
        ;
    if (len >= sizeof(unit) || *skip_ws(s + len) != '\0')
        return budget_fail(expr, "unexpected text after the number");
    memcpy(unit, s, len);
    unit[len] = '\0';
    if ((error = apply_unit(expr, unit, metric_dim(out->metric), &out->value)) < 0)
        return error;
    return (out->text = btk__strdup(expr)) ? 0 : BTK_ENOMEM;
}

void btk_budget_clear(btk_budget *budget)
{
    if (budget) {
        btk__free(budget->text);
        budget->text = NULL;
    }
}

bool btk_budget_holds(const btk_budget *b, double value)
{
    double tol = metric_dim(b->metric) == DIM_COUNT ? BTK_CONFIG_ALLOC_TOLERANCE : 0;

    if (isnan(value))
        return false;
    switch (b->op) {
    case BTK_OP_LT: return value < b->value;
    case BTK_OP_LE: return value <= b->value + tol;
    case BTK_OP_GT: return value > b->value;
    case BTK_OP_GE: return value >= b->value - tol;
    case BTK_OP_EQ: return fabs(value - b->value) <= tol;
    case BTK_OP_NE: return fabs(value - b->value) > tol;
    }
    return false;
}

/* ---- the file ---- */

static void rule_clear(config_rule *r)
{
    for (size_t i = 0; i < r->budget_count; i++)
        btk_budget_clear(&r->budgets[i]);
    btk__free(r->budgets);
    btk__free(r->pattern);
}

void btk_config_free(btk_config *config)
{
    if (config == NULL)
        return;
    for (size_t i = 0; i < config->rule_count; i++)
        rule_clear(&config->rules[i]);
    btk__free(config->rules);
    btk__free(config->target_branch);
    btk__free(config);
}

typedef struct parse_ctx {
    const char *source;
    btk_config *config;
} parse_ctx;

static int cfg_fail(const parse_ctx *ctx, const char *where, const char *fmt, const char *arg)
{
    char quoted_where[100], quoted_arg[100], msg[220];

    snprintf(msg, sizeof(msg), fmt, btk_error_quote(quoted_arg, sizeof(quoted_arg), arg));
    return btk_error_set(BTK_EFORMAT, "%s: %s: %s", ctx->source,
                         btk_error_quote(quoted_where, sizeof(quoted_where), where), msg);
}

/* A number in [min, max) (max exclusive when max < 1 means a fraction). */
static int get_fraction(const parse_ctx *ctx, const char *where, json_t *v, double min,
                        double max, double *out)
{
    double x;
    char range[64];

    if (!json_is_number(v))
        return cfg_fail(ctx, where, "expected a number%s", "");
    x = json_number_value(v);
    if (!(x >= min && x <= max)) {
        snprintf(range, sizeof(range), "%g to %g", min, max);
        return cfg_fail(ctx, where, "expected a number from %s", range);
    }
    *out = x;
    return 0;
}

static int parse_budgets(const parse_ctx *ctx, const char *where, json_t *arr,
                         config_rule *rule)
{
    char at[256];
    size_t i;
    json_t *item;
    int error;

    if (!json_is_array(arr))
        return cfg_fail(ctx, where, "expected an array of budget strings%s", "");
    rule->budgets = btk__calloc(json_array_size(arr) + 1, sizeof(btk_budget));
    if (rule->budgets == NULL)
        return BTK_ENOMEM;
    json_array_foreach(arr, i, item) {
        snprintf(at, sizeof(at), "%s[%zu]", where, i);
        if (!json_is_string(item))
            return cfg_fail(ctx, at, "expected a string%s", "");
        if ((error = btk_budget_parse(&rule->budgets[i], json_string_value(item))) < 0) {
            if (error == BTK_EFORMAT) { /* re-say it with the location */
                char msg[256];
                snprintf(msg, sizeof(msg), "%s", btk_error_last()->message);
                return btk_error_set(BTK_EFORMAT, "%s: %s: %s", ctx->source, at, msg);
            }
            return error;
        }
        rule->budget_count++;
    }
    return 0;
}

static int parse_rule(const parse_ctx *ctx, const char *pattern, json_t *obj,
                      config_rule *rule)
{
    char where[160];
    const char *key;
    json_t *v;
    int error = 0;

    rule->noise_band = rule->max_regression = rule->rss_tolerance = NAN;
    rule->count_threshold = NAN;
    if ((rule->pattern = btk__strdup(pattern)) == NULL)
        return BTK_ENOMEM;
    snprintf(where, sizeof(where), "benchmarks.%s", pattern);
    if (!json_is_object(obj))
        return cfg_fail(ctx, where, "expected an object%s", "");
    json_object_foreach(obj, key, v) {
        char at[200];

        snprintf(at, sizeof(at), "%s.%s", where, key);
        if (!strcmp(key, "noise_band"))
            error = get_fraction(ctx, at, v, 0, 0.99, &rule->noise_band);
        else if (!strcmp(key, "max_regression"))
            error = get_fraction(ctx, at, v, 0, 100, &rule->max_regression);
        else if (!strcmp(key, "rss_tolerance"))
            error = get_fraction(ctx, at, v, 0, 100, &rule->rss_tolerance);
        else if (!strcmp(key, "count_threshold"))
            error = get_fraction(ctx, at, v, 0, 0.99, &rule->count_threshold);
        else if (!strcmp(key, "budgets"))
            error = parse_budgets(ctx, at, v, rule);
        else
            error = cfg_fail(ctx, where, "unknown key '%s'", key);
        if (error < 0)
            return error;
    }
    return 0;
}

static int parse_benchmarks(const parse_ctx *ctx, json_t *obj)
{
    btk_config *c = ctx->config;
    const char *pattern;
    json_t *v;
    int error;

    if (!json_is_object(obj))
        return cfg_fail(ctx, "benchmarks", "expected an object of glob patterns%s", "");
    c->rules = btk__calloc(json_object_size(obj) + 1, sizeof(config_rule));
    if (c->rules == NULL)
        return BTK_ENOMEM;
    json_object_foreach(obj, pattern, v) {
        error = parse_rule(ctx, pattern, v, &c->rules[c->rule_count]);
        c->rule_count++; /* counted even when half-parsed, so it is freed */
        if (error < 0)
            return error;
    }
    return 0;
}

static int parse_top(const parse_ctx *ctx, json_t *root)
{
    btk_config *c = ctx->config;
    const char *key;
    json_t *v;
    int error = 0;

    if (!json_is_object(root))
        return cfg_fail(ctx, "(top level)", "expected an object%s", "");
    json_object_foreach(root, key, v) {
        if (!strcmp(key, "alpha"))
            error = get_fraction(ctx, key, v, 1e-9, 0.5, &c->alpha);
        else if (!strcmp(key, "noise_band"))
            error = get_fraction(ctx, key, v, 0, 0.99, &c->noise_band);
        else if (!strcmp(key, "max_regression"))
            error = get_fraction(ctx, key, v, 0, 100, &c->max_regression);
        else if (!strcmp(key, "rss_tolerance"))
            error = get_fraction(ctx, key, v, 0, 100, &c->rss_tolerance);
        else if (!strcmp(key, "count_threshold"))
            error = get_fraction(ctx, key, v, 0, 0.99, &c->count_threshold);
        else if (!strcmp(key, "target_branch")) {
            if (!json_is_string(v) || !*json_string_value(v))
                error = cfg_fail(ctx, key, "expected a branch name%s", "");
            else if (!(c->target_branch = btk__strdup(json_string_value(v))))
                error = BTK_ENOMEM;
        } else if (!strcmp(key, "benchmarks"))
            error = parse_benchmarks(ctx, v);
        else if (strcmp(key, "$comment") != 0)
            error = cfg_fail(ctx, "(top level)", "unknown key '%s'", key);
        if (error < 0)
            return error;
    }
    return 0;
}

int btk_config_parse(btk_config **out, const char *text, size_t len, const char *source)
{
    parse_ctx ctx = {source, NULL};
    json_error_t jerr;
    json_t *root;
    int error;

    *out = NULL;
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return btk_error_set(BTK_EFORMAT, "%s:%d:%d: %s", source, jerr.line, jerr.column,
                             jerr.text);
    if ((ctx.config = btk__calloc(1, sizeof(btk_config))) == NULL) {
        json_decref(root);
        return BTK_ENOMEM;
    }
    ctx.config->alpha = ctx.config->noise_band = NAN;
    ctx.config->max_regression = ctx.config->rss_tolerance = NAN;
    ctx.config->count_threshold = NAN;
    error = parse_top(&ctx, root);
    json_decref(root);
    if (error < 0)
        btk_config_free(ctx.config);
    else
        *out = ctx.config;
    return error;
}

int btk_config_load(btk_config **out, const char *path)
{
    char quoted[300];
    btk_buf text = BTK_BUF_INIT;
    char chunk[4096];
    size_t got;
    FILE *f;
    int error = 0;

    *out = NULL;
    if ((f = fopen(path, "rb")) == NULL)
        return btk_error_set(errno == ENOENT ? BTK_ENOTFOUND : BTK_EIO,
                             "cannot read config '%s': %s",
                             btk_error_quote(quoted, sizeof(quoted), path), strerror(errno));
    text.max = (size_t)16 << 20;
    while (error == 0 && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (got > text.max - text.len) /* malformed input (exit 2), named */
            error = btk_error_set(BTK_EFORMAT, "config '%s' is larger than %zu bytes",
                                  btk_error_quote(quoted, sizeof(quoted), path), text.max);
        else
            error = btk_buf_put(&text, chunk, got);
    if (error == 0 && ferror(f))
        error = btk_error_set(BTK_EIO, "cannot read config '%s'",
                              btk_error_quote(quoted, sizeof(quoted), path));
    fclose(f);
    if (error == 0)
        error = btk_config_parse(out, btk_buf_cstr(&text), text.len,
                                 btk_error_quote(quoted, sizeof(quoted), path));
    btk_buf_free(&text);
    return error;
}

/* ---- lookups ---- */

static bool rule_matches(const config_rule *r, const char *bench)
{
    return fnmatch(r->pattern, bench, 0) == 0;
}

/* The last matching rule's value of the field at offset, else top, else fallback. */
static double lookup(const btk_config *c, const char *bench, size_t offset, double top,
                     double fallback)
{
    double v = isnan(top) ? fallback : top;

    for (size_t i = 0; c && bench && i < c->rule_count; i++) {
        double x = *(const double *)((const char *)&c->rules[i] + offset);

        if (!isnan(x) && rule_matches(&c->rules[i], bench))
            v = x;
    }
    return v;
}

double btk_config_alpha(const btk_config *c, double fallback)
{
    return c && !isnan(c->alpha) ? c->alpha : fallback;
}

double btk_config_noise_band(const btk_config *c, const char *bench, double fallback)
{
    return lookup(c, bench, offsetof(config_rule, noise_band), c ? c->noise_band : NAN,
                  fallback);
}

double btk_config_max_regression(const btk_config *c, const char *bench)
{
    return lookup(c, bench, offsetof(config_rule, max_regression),
                  c ? c->max_regression : NAN, 0);
}

double btk_config_rss_tolerance(const btk_config *c, const char *bench)
{
    return lookup(c, bench, offsetof(config_rule, rss_tolerance),
                  c ? c->rss_tolerance : NAN, BTK_CONFIG_RSS_TOLERANCE);
}

double btk_config_count_threshold(const btk_config *c, const char *bench)
{
    return lookup(c, bench, offsetof(config_rule, count_threshold),
                  c ? c->count_threshold : NAN, BTK_CONFIG_COUNT_THRESHOLD);
}

const char *btk_config_target_branch(const btk_config *c)
{
    return c ? c->target_branch : NULL;
}

int btk_config_foreach_budget(const btk_config *c, const char *bench, btk_budget_cb cb,
                              void *payload)
{
    int rc;

    for (size_t i = 0; c && i < c->rule_count; i++) {
        if (!rule_matches(&c->rules[i], bench))
            continue;
        for (size_t j = 0; j < c->rules[i].budget_count; j++)
            if ((rc = cb(&c->rules[i].budgets[j], payload)) != 0)
                return rc;
    }
    return 0;
}
