/*
 * The benchmarks of this binary. BTK_BENCH registers each from a constructor (before main),
 * so registration only appends to a growing array; expansion into named instances, option
 * checks and filtering happen when the runner asks (btk_registry_instances).
 */
#include "registry.h"
#include "pin.h"

#include <fnmatch.h>

typedef struct reg_entry {
    const char *name;
    btk_bench_fn fn;
    const btk_bench_options *opts;
} reg_entry;

static reg_entry *entries;
static size_t entry_count, entry_alloc;
static bool reg_oom; /* an allocation failed while registering (reported later) */
#define MAX_PARAMS 128 /* values per benchmark; a range yields at most 64 */

static const btk_bench_options default_opts = {.version = BTK_BENCH_OPTIONS_VERSION};

void btk_register(const char *name, btk_bench_fn fn, const btk_bench_options *opts)
{
    if (entry_count == entry_alloc) {
        size_t n = entry_alloc ? entry_alloc * 2 : 64;
        reg_entry *e = btk__realloc(entries, n * sizeof(*e));

        if (e == NULL) {
            reg_oom = true;
            return;
        }
        entries = e;
        entry_alloc = n;
    }
    entries[entry_count].name = name;
    entries[entry_count].fn = fn;
    entries[entry_count].opts = opts != NULL ? opts : &default_opts;
    entry_count++;
}

/* Is name a usable axis name: 1-32 letters, digits or '_'? */
static bool axis_name_ok(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;

    if (n == 0 || n > 32)
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n;
}

/* The values of one parameter list or range into vals (capacity cap); returns how many. A
 * range gives lo, lo*mult, ... while below hi, then hi itself. */
static size_t list_values(const int64_t *list, size_t list_count, const btk_range *r,
                          int64_t *vals, size_t cap)
{
    size_t n = 0;
    int64_t v;

    if (list != NULL && list_count > 0) {
        for (n = 0; n < list_count && n < cap; n++)
            vals[n] = list[n];
        return n;
    }
    if (r->mult == 0)
        return 0;
    for (v = r->lo; v < r->hi && n + 1 < cap; v *= r->mult) {
        vals[n++] = v;
        if (v > INT64_MAX / r->mult)
            break;
    }
    vals[n++] = r->hi;
    return n;
}

/* Check one axis of e (q: its quoted name); BTK_EINVAL naming both when unusable. */
static int check_axis(const btk_axis *a, const char *q)
{
    const btk_range *r = &a->range;
    bool has_list = a->params != NULL && a->param_count > 0;

    if (!axis_name_ok(a->name))
        return btk_error_set(BTK_EINVAL, "benchmark '%s' has a parameter without a usable "
                             "name (1-32 letters, digits or '_')", q);
    if (has_list && r->mult != 0)
        return btk_error_set(BTK_EINVAL, "parameter '%s' of benchmark '%s' has both a list "
                             "and a range", a->name, q);
    if (!has_list && r->mult == 0)
        return btk_error_set(BTK_EINVAL, "parameter '%s' of benchmark '%s' has no values",
                             a->name, q);
    if (a->param_count > MAX_PARAMS)
        return btk_error_set(BTK_EINVAL, "parameter '%s' of benchmark '%s' has more than %d "
                             "values", a->name, q, MAX_PARAMS);
    if (r->mult != 0 && (r->mult < 2 || r->lo < 1 || r->hi < r->lo))
        return btk_error_set(BTK_EINVAL, "parameter '%s' of benchmark '%s' has an invalid "
                             "range (lo %" PRId64 ", hi %" PRId64 ", mult %" PRId64 ")",
                             a->name, q, r->lo, r->hi, r->mult);
    return 0;
}

/* The number of instances e's axes expand to, or 0 when more than the cap. */
static size_t grid_size(const reg_entry *e)
{
    int64_t vals[MAX_PARAMS];
    size_t i, total = 1;

    for (i = 0; i < e->opts->axis_count; i++) {
        const btk_axis *a = &e->opts->axes[i];

        total *= list_values(a->params, a->param_count, &a->range, vals, MAX_PARAMS);
        if (total > BTK_REGISTRY_INSTANCES_MAX)
            return 0;
    }
    return total;
}

/* The named parameters and complexity options of e (options version 2); q: its quoted
 * name. BTK_EINVAL with a message naming what is wrong. */
static int check_grid(const reg_entry *e, const char *q)
{
    const btk_bench_options *o = e->opts;
    bool single = (o->params != NULL && o->param_count > 0) || o->range.mult != 0;
    size_t i, j;
    int error;

    if (o->axis_count > 0 && (o->axes == NULL || o->axis_count > BTK_MAX_AXES))
        return btk_error_set(BTK_EINVAL, "benchmark '%s' has more than %d named parameters",
                             q, BTK_MAX_AXES);
    if (o->axis_count > 0 && single)
        return btk_error_set(BTK_EINVAL, "benchmark '%s' has both named and unnamed "
                             "parameters", q);
    for (i = 0; i < o->axis_count; i++) {
        if ((error = check_axis(&o->axes[i], q)) < 0)
            return error;
        for (j = 0; j < i; j++)
            if (strcmp(o->axes[i].name, o->axes[j].name) == 0)
                return btk_error_set(BTK_EINVAL, "benchmark '%s' names parameter '%s' twice",
                                     q, o->axes[i].name);
    }
    if (o->axis_count > 0 && grid_size(e) == 0)
        return btk_error_set(BTK_EINVAL, "benchmark '%s' expands to more than %d instances",
                             q, BTK_REGISTRY_INSTANCES_MAX);
    if (o->complexity < BTK_COMPLEXITY_NONE || o->complexity > BTK_COMPLEXITY_ON3)
        return btk_error_set(BTK_EINVAL, "benchmark '%s' has an unknown complexity %d", q,
                             o->complexity);
    if (o->complexity != BTK_COMPLEXITY_NONE && !single && o->axis_count == 0)
        return btk_error_set(BTK_EINVAL, "benchmark '%s' asks for a complexity fit but has "
                             "no size parameter", q);
    if (o->complexity_param != NULL && o->complexity_param[0] != '\0') {
        for (i = 0; i < o->axis_count && strcmp(o->axes[i].name, o->complexity_param); i++)
            ;
        if (i == o->axis_count)
            return btk_error_set(BTK_EINVAL, "benchmark '%s' has no parameter named '%s' "
                                 "(its complexity_param)", q,
                                 axis_name_ok(o->complexity_param) ? o->complexity_param
                                                                   : "?");
    }
    return 0;
}

/* Check one registration; BTK_EINVAL with a message naming it when unusable. */
static int check_entry(const reg_entry *e)
{
    char q[96];
    const btk_range *r = &e->opts->range;

    if (e->name == NULL || e->name[0] == '\0' || e->fn == NULL)
        return btk_error_set(BTK_EINVAL, "benchmark registered without a name or body");
    btk_error_quote(q, sizeof(q), e->name);
    if (strlen(e->name) > BTK_REGISTRY_NAME_MAX)
        return btk_error_set(BTK_EINVAL, "benchmark name '%s' is %zu bytes long, more than "
                             "the %d allowed", q, strlen(e->name), BTK_REGISTRY_NAME_MAX);
    if (strpbrk(e->name, "/,") != NULL)
        return btk_error_set(BTK_EINVAL, "benchmark name '%s' contains '%c' (a name may "
                             "not contain '/' or ',')", q, *strpbrk(e->name, "/,"));
    if (e->opts->params != NULL && e->opts->param_count > 0 && r->mult != 0)
        return btk_error_set(BTK_EINVAL, "benchmark '%s' has both a list and a range", q);
    if (e->opts->param_count > MAX_PARAMS)
        return btk_error_set(BTK_EINVAL, "benchmark '%s' has more than %d parameters", q,
                             MAX_PARAMS);
    if (e->opts->version >= 2 && (e->opts->threads > BTK_REGISTRY_MAX_THREADS ||
        (e->opts->threads_max != 0 && e->opts->threads_max != BTK_THREADS_CPUS &&
         (e->opts->threads_max > BTK_REGISTRY_MAX_THREADS ||
          e->opts->threads_max < e->opts->threads))))
        return btk_error_set(BTK_EINVAL, "benchmark '%s' has an invalid thread count "
                             "(threads %u, threads_max %u; at most %d)", q, e->opts->threads,
                             e->opts->threads_max, BTK_REGISTRY_MAX_THREADS);
    if (r->mult != 0 && (r->mult < 2 || r->lo < 1 || r->hi < r->lo))
        return btk_error_set(BTK_EINVAL,
                             "benchmark '%s' has an invalid range (lo %" PRId64 ", hi %" PRId64
                             ", mult %" PRId64 ")",
                             q, r->lo, r->hi, r->mult);
    return e->opts->version >= 2 ? check_grid(e, q) : 0;
}

/* Does filter keep name (family: its family)? Syntax: comma-separated glob patterns
 * (fnmatch, no flags); a pattern starting with '-' excludes. A name is kept when it matches
 * some include pattern (or there is none) and no exclude pattern; a pattern matches when it
 * matches the full name or the family. */
static bool filter_keeps(const char *filter, const char *name, const char *family)
{
    char pat[256];
    const char *p = filter;
    bool has_include = false, included = false;

    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        bool neg = p[0] == '-';
        const char *s = p + neg;
        size_t slen = len - neg;

        snprintf(pat, sizeof(pat), "%.*s", (int)slen, s);
        bool hit = fnmatch(pat, name, 0) == 0 || fnmatch(pat, family, 0) == 0;
        if (neg && hit)
            return false;
        if (!neg) {
            has_include = true;
            included = included || hit;
        }
        p += len + (p[len] == ',');
    }
    return !has_include || included;
}

/* Reject filters with empty patterns ("a,,b", "-", trailing comma) or overlong ones. */
static int check_filter(const char *filter)
{
    char q[96];
    const char *p = filter;

    for (;;) {
        size_t len = strcspn(p, ",");

        if (len == 0 || (len == 1 && p[0] == '-') || len >= 255) {
            btk_error_quote(q, sizeof(q), filter);
            return btk_error_set(BTK_EINVAL, "invalid benchmark filter '%s'", q);
        }
        if (p[len] == '\0')
            return 0;
        p += len + 1;
    }
}

/* Append one instance of e to the growing array *v (count *n, capacity *cap), its name
 * made from its parameters: none, the single param, or the axis values axes[0..axis_count). */
static int push_instance(btk_instance **v, size_t *n, size_t *cap, const reg_entry *e,
                         bool has_param, int64_t param, const int64_t *axes)
{
    const btk_bench_options *o = e->opts;
    size_t i, len, axis_count = o->version >= 2 ? o->axis_count : 0;
    btk_instance *in;

    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        btk_instance *grown = btk__realloc(*v, c * sizeof(*grown));

        if (grown == NULL)
            return BTK_ENOMEM;
        *v = grown;
        *cap = c;
    }
    in = &(*v)[(*n)++];
    memset(in, 0, sizeof(*in));
    in->family = e->name;
    in->fn = e->fn;
    in->opts = o;
    in->has_param = has_param;
    in->param = param;
    in->complexity = o->version >= 2 ? o->complexity : BTK_COMPLEXITY_NONE;
    in->size_axis = -1;
    len = (size_t)snprintf(in->name, sizeof(in->name), "%s", e->name);
    if (has_param)
        len += (size_t)snprintf(in->name + len, sizeof(in->name) - len, "/%" PRId64, param);
    for (i = 0; i < axis_count && len < sizeof(in->name); i++) {
        in->axis_values[i] = axes[i];
        len += (size_t)snprintf(in->name + len, sizeof(in->name) - len, "/%s:%" PRId64,
                                o->axes[i].name, axes[i]);
    }
    in->axis_count = axis_count;
    if (axis_count > 0)
        in->size_axis = o->complexity_param != NULL && o->complexity_param[0] != '\0'
                            ? btk_registry_axis_index(in, o->complexity_param)
                            : 0;
    if (len >= sizeof(in->name)) {
        char q[96];

        (*n)--;
        return btk_error_set(BTK_EINVAL, "benchmark '%s' has an instance name longer than "
                             "%zu bytes", btk_error_quote(q, sizeof(q), e->name),
                             sizeof(in->name) - 1);
    }
    return 0;
}

/* The single unnamed parameter's values of e into vals (capacity cap); returns how many. */
static size_t param_values(const reg_entry *e, int64_t *vals, size_t cap)
{
    return list_values(e->opts->params, e->opts->param_count, &e->opts->range, vals, cap);
}

static int push_threads(btk_instance **v, size_t *n, size_t *cap, const reg_entry *e,
                        bool has_param, int64_t param, const int64_t *axes,
                        const char *filter);

/* Expand e's named parameters (their cartesian product, the first axis varying slowest)
 * into the instances the filter keeps. */
static int expand_grid(btk_instance **v, size_t *n, size_t *cap, const reg_entry *e,
                       const char *filter)
{
    const btk_bench_options *o = e->opts;
    int64_t vals[BTK_MAX_AXES][MAX_PARAMS], cur[BTK_MAX_AXES];
    size_t counts[BTK_MAX_AXES], idx[BTK_MAX_AXES] = {0}, i, k = o->axis_count;
    int error;

    for (i = 0; i < k; i++)
        counts[i] = list_values(o->axes[i].params, o->axes[i].param_count,
                                &o->axes[i].range, vals[i], MAX_PARAMS);
    for (;;) {
        for (i = 0; i < k; i++)
            cur[i] = vals[i][idx[i]];
        if ((error = push_threads(v, n, cap, e, false, 0, cur, filter)) < 0)
            return error;
        for (i = k; i > 0; i--) { /* odometer: the last axis turns fastest */
            if (++idx[i - 1] < counts[i - 1])
                break;
            idx[i - 1] = 0;
        }
        if (i == 0)
            return 0;
    }
}

/* The CPUs a thread range up to BTK_THREADS_CPUS goes to: those this process may use, read
 * once and kept in the environment (BTK__RANGE_CPUS), so that the processes started from
 * it after pinning (the counting process re-expands the registry) name the same instances. */
static unsigned range_cpus(void)
{
    const char *s = getenv("BTK__RANGE_CPUS");
    char *end, buf[16];
    unsigned long n;

    if (s != NULL && (n = strtoul(s, &end, 10)) > 0 && *end == '\0' &&
        n <= BTK_REGISTRY_MAX_THREADS)
        return (unsigned)n;
    n = btk_pin__allowed_count();
    if (n > BTK_REGISTRY_MAX_THREADS)
        n = BTK_REGISTRY_MAX_THREADS;
    snprintf(buf, sizeof(buf), "%lu", n);
    (void)setenv("BTK__RANGE_CPUS", buf, 1);
    return (unsigned)n;
}

/* The thread counts of e's thread range into vals (capacity cap): lo, 2lo, 4lo, ... while
 * below hi, then hi (BTK_THREADS_CPUS: the CPUs this process may use); 0 without a range. */
static size_t thread_values(const reg_entry *e, unsigned *vals, size_t cap)
{
    bool v2 = e->opts->version >= 2; /* the thread fields came with options version 2 */
    unsigned lo = v2 && e->opts->threads > 0 ? e->opts->threads : 1;
    unsigned max = v2 ? e->opts->threads_max : 0, hi = max, t;
    size_t n = 0;

    if (hi == BTK_THREADS_CPUS)
        hi = range_cpus();
    if (hi <= lo)
        return max != 0 ? (vals[0] = lo, 1) : 0;
    for (t = lo; t < hi && n + 1 < cap; t *= 2)
        vals[n++] = t;
    vals[n++] = hi;
    return n;
}

/* Push the instances of e with parameter (has_param, param): one, or one per thread count
 * of a thread range, named "<name>/threads:N"; those the filter drops are taken back. */
static int push_threads(btk_instance **v, size_t *n, size_t *cap, const reg_entry *e,
                        bool has_param, int64_t param, const int64_t *axes,
                        const char *filter)
{
    unsigned vals[32];
    size_t count = thread_values(e, vals, BTK_ARRAY_SIZE(vals)), i, len;
    btk_instance *in;
    int error;

    for (i = 0; i < (count ? count : 1); i++) {
        if ((error = push_instance(v, n, cap, e, has_param, param, axes)) < 0)
            return error;
        in = &(*v)[*n - 1];
        if (count > 0) {
            in->threads = vals[i];
            len = strlen(in->name);
            snprintf(in->name + len, sizeof(in->name) - len, "/threads:%u", vals[i]);
        }
        if (!filter_keeps(filter, in->name, e->name))
            (*n)--;
    }
    return 0;
}

/* Expand entry e into the instances the filter keeps. */
static int expand(btk_instance **v, size_t *n, size_t *cap, const reg_entry *e,
                  const char *filter)
{
    int64_t vals[MAX_PARAMS];
    size_t count, i;
    int error;

    if (e->opts->version >= 2 && e->opts->axis_count > 0)
        return expand_grid(v, n, cap, e, filter);
    count = param_values(e, vals, BTK_ARRAY_SIZE(vals));
    if (count == 0)
        return push_threads(v, n, cap, e, false, 0, NULL, filter);
    for (i = 0; i < count; i++)
        if ((error = push_threads(v, n, cap, e, true, vals[i], NULL, filter)) < 0)
            return error;
    return 0;
}

static int check_all(void)
{
    char q[96];
    size_t i, j;
    int error;

    if (reg_oom)
        return btk_error_set(BTK_ENOMEM, "out of memory registering benchmarks");
    for (i = 0; i < entry_count; i++) {
        if ((error = check_entry(&entries[i])) < 0)
            return error;
        for (j = 0; j < i; j++) {
            if (strcmp(entries[i].name, entries[j].name) == 0)
                return btk_error_set(BTK_EINVAL, "benchmark '%s' is registered twice",
                                     btk_error_quote(q, sizeof(q), entries[i].name));
        }
    }
    return 0;
}

int btk_registry_instances(btk_instance **out, size_t *count_out, const char *filter)
{
    btk_instance *v = NULL;
    size_t n = 0, cap = 0, i;
    int error;

    *out = NULL;
    *count_out = 0;
    if (filter == NULL)
        filter = "";
    if ((filter[0] != '\0' && (error = check_filter(filter)) < 0) || (error = check_all()) < 0)
        return error;
    for (i = 0; i < entry_count; i++) {
        if ((error = expand(&v, &n, &cap, &entries[i], filter)) < 0) {
            btk__free(v);
            return error;
        }
    }
    *out = v;
    *count_out = n;
    return 0;
}

/* The first registration before entries[i] with its name, or NULL. */
static const reg_entry *earlier_twin(size_t i)
{
    size_t j;

    for (j = 0; j < i; j++)
        if (strcmp(entries[i].name, entries[j].name) == 0)
            return &entries[j];
    return NULL;
}

int btk_registry_list(size_t *count_out, FILE *out, const char *filter)
{
    btk_instance *v = NULL;
    size_t n = 0, cap = 0, i, k;
    char q[96];
    int error = 0;

    *count_out = 0;
    if (filter == NULL)
        filter = "";
    if (filter[0] != '\0' && (error = check_filter(filter)) < 0)
        return error;
    if (reg_oom)
        return btk_error_set(BTK_ENOMEM, "out of memory registering benchmarks");
    for (i = 0; i < entry_count && error == 0; i++) {
        bool bad = check_entry(&entries[i]) < 0;

        if (!bad && earlier_twin(i) != NULL)
            bad = btk_error_set(BTK_EINVAL, "benchmark '%s' is registered twice",
                                btk_error_quote(q, sizeof(q), entries[i].name)) < 0;
        if (bad) {
            fprintf(stderr, "benchtrack: warning: %s (it cannot run)\n",
                    btk_error_last()->message);
            btk_error_clear();
            continue;
        }
        n = 0;
        if ((error = expand(&v, &n, &cap, &entries[i], filter)) < 0)
            break;
        for (k = 0; k < n; k++)
            fprintf(out, "%s\n", v[k].name);
        *count_out += n;
    }
    btk__free(v);
    return error;
}

int btk_registry_axis_index(const btk_instance *inst, const char *name)
{
    size_t i;

    if (inst == NULL || name == NULL)
        return -1;
    for (i = 0; i < inst->axis_count; i++)
        if (strcmp(inst->opts->axes[i].name, name) == 0)
            return (int)i;
    return -1;
}

void btk_registry__reset(void)
{
    btk__free(entries);
    entries = NULL;
    entry_count = entry_alloc = 0;
    reg_oom = false;
}
