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
    if (e->opts->threads > BTK_REGISTRY_MAX_THREADS ||
        (e->opts->threads_max != 0 && e->opts->threads_max != BTK_THREADS_CPUS &&
         (e->opts->threads_max > BTK_REGISTRY_MAX_THREADS ||
          e->opts->threads_max < e->opts->threads)))
        return btk_error_set(BTK_EINVAL, "benchmark '%s' has an invalid thread count "
                             "(threads %u, threads_max %u; at most %d)", q, e->opts->threads,
                             e->opts->threads_max, BTK_REGISTRY_MAX_THREADS);
    if (r->mult != 0 && (r->mult < 2 || r->lo < 1 || r->hi < r->lo))
        return btk_error_set(BTK_EINVAL,
                             "benchmark '%s' has an invalid range (lo %" PRId64 ", hi %" PRId64
                             ", mult %" PRId64 ")",
                             q, r->lo, r->hi, r->mult);
    return 0;
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

/* Append one instance to the growing array *v (count *n, capacity *cap). */
static int push_instance(btk_instance **v, size_t *n, size_t *cap, const reg_entry *e,
                         bool has_param, int64_t param)
{
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
    in->opts = e->opts;
    in->has_param = has_param;
    in->param = param;
    if (has_param)
        snprintf(in->name, sizeof(in->name), "%s/%" PRId64, e->name, param);
    else
        snprintf(in->name, sizeof(in->name), "%s", e->name);
    return 0;
}

/* The parameter values of e into vals (capacity cap); returns how many. A range gives lo,
 * lo*mult, ... while below hi, then hi itself. */
static size_t param_values(const reg_entry *e, int64_t *vals, size_t cap)
{
    const btk_bench_options *o = e->opts;
    size_t n = 0;
    int64_t v;

    if (o->params != NULL && o->param_count > 0) {
        for (n = 0; n < o->param_count && n < cap; n++)
            vals[n] = o->params[n];
        return n;
    }
    if (o->range.mult == 0)
        return 0;
    for (v = o->range.lo; v < o->range.hi && n + 1 < cap; v *= o->range.mult) {
        vals[n++] = v;
        if (v > INT64_MAX / o->range.mult)
            break;
    }
    vals[n++] = o->range.hi;
    return n;
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
    unsigned lo = e->opts->threads > 0 ? e->opts->threads : 1, hi = e->opts->threads_max, t;
    size_t n = 0;

    if (hi == BTK_THREADS_CPUS)
        hi = range_cpus();
    if (hi <= lo)
        return e->opts->threads_max != 0 ? (vals[0] = lo, 1) : 0;
    for (t = lo; t < hi && n + 1 < cap; t *= 2)
        vals[n++] = t;
    vals[n++] = hi;
    return n;
}

/* Push the instances of e with parameter (has_param, param): one, or one per thread count
 * of a thread range, named "<name>/threads:N"; those the filter drops are taken back. */
static int push_threads(btk_instance **v, size_t *n, size_t *cap, const reg_entry *e,
                        bool has_param, int64_t param, const char *filter)
{
    unsigned vals[32];
    size_t count = thread_values(e, vals, BTK_ARRAY_SIZE(vals)), i, len;
    btk_instance *in;
    int error;

    for (i = 0; i < (count ? count : 1); i++) {
        if ((error = push_instance(v, n, cap, e, has_param, param)) < 0)
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
    size_t count = param_values(e, vals, BTK_ARRAY_SIZE(vals)), i;
    int error;

    if (count == 0)
        return push_threads(v, n, cap, e, false, 0, filter);
    for (i = 0; i < count; i++)
        if ((error = push_threads(v, n, cap, e, true, vals[i], filter)) < 0)
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

void btk_registry__reset(void)
{
    btk__free(entries);
    entries = NULL;
    entry_count = entry_alloc = 0;
    reg_oom = false;
}
