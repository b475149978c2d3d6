/*
 * Size series of a stored run (series.h): parameters parsed back from result names,
 * results grouped by everything but the size, each group fitted by btk_complexity_fit.
 */
#include "series.h"

#include <errno.h>
#include <math.h>

/* One "name:value" or "value" segment of length len at s into *p; false when malformed.
 */
static bool parse_segment(btk_series_param *p, const char *s, size_t len)
{
    const char *colon = memchr(s, ':', len), *v = colon ? colon + 1 : s;
    size_t name_len = colon ? (size_t)(colon - s) : 0;
    char num[32], *end;
    long long x;

    if ((colon && name_len == 0) || name_len >= sizeof(p->name) ||
        (size_t)(s + len - v) == 0 || (size_t)(s + len - v) >= sizeof(num))
        return false;
    memcpy(p->name, s, name_len);
    p->name[name_len] = '\0';
    memcpy(num, v, (size_t)(s + len - v));
    num[s + len - v] = '\0';
    errno = 0;
    x = strtoll(num, &end, 10);
    if (*end != '\0' || errno != 0)
        return false;
    p->value = (int64_t)x;
    return true;
}

int btk_series_parse(btk_series_param *out, size_t max, const char *name,
                     const char *family)
{
    size_t flen = family ? strlen(family) : 0, n = 0;
    const char *s;

    if (name == NULL || family == NULL || strncmp(name, family, flen) != 0 ||
        name[flen] != '/')
        return -1;
    for (s = name + flen + 1;; s++) {
        size_t len = strcspn(s, "/");

        if (n == max || !parse_segment(&out[n], s, len))
            return -1;
        if (out[n].name[0] == '\0' && (n > 0 || s[len] != '\0'))
            return -1; /* the single parameter stands alone */
        n++;
        s += len;
        if (*s == '\0')
            return (int)n;
    }
}

/* The series key of result r along axis into key, and its size into *size; false when r
 * has no such parameter. */
static bool series_key(char *key, size_t len, double *size, char *axis_out,
                       const btk_result *r, const char *axis)
{
    btk_series_param p[BTK_MAX_AXES + 2];
    int n = btk_series_parse(p, BTK_ARRAY_SIZE(p), r->name, r->family), i, at = -1;
    size_t used;

    if (n <= 0)
        return false;
    if (p[0].name[0] == '\0') { /* the single parameter */
        if (axis != NULL && axis[0] != '\0')
            return false;
        snprintf(key, len, "%s", r->family);
        axis_out[0] = '\0';
        *size = (double)p[0].value;
        return true;
    }
    for (i = 0; i < n && at < 0; i++)
        if (axis == NULL || axis[0] == '\0' ? i == 0 : strcmp(p[i].name, axis) == 0)
            at = i;
    if (at < 0)
        return false;
    used = (size_t)snprintf(key, len, "%s", r->family);
    for (i = 0; i < n && used < len; i++) {
        if (i == at)
            used += (size_t)snprintf(key + used, len - used, "/%s:*", p[i].name);
        else
            used += (size_t)snprintf(key + used, len - used, "/%s:%" PRId64, p[i].name,
                                     p[i].value);
    }
    snprintf(axis_out, 40, "%s", p[at].name);
    *size = (double)p[at].value;
    return true;
}

/* Append (size, ns) to s, kept in increasing size. */
static int add_point(btk_series *s, double size, double ns)
{
    double *n = btk__realloc(s->n, (s->count + 1) * sizeof(double)), *t;
    size_t i;

    if (n == NULL)
        return BTK_ENOMEM;
    s->n = n;
    if ((t = btk__realloc(s->ns, (s->count + 1) * sizeof(double))) == NULL)
        return BTK_ENOMEM;
    s->ns = t;
    for (i = s->count; i > 0 && s->n[i - 1] > size; i--) {
        s->n[i] = s->n[i - 1];
        s->ns[i] = s->ns[i - 1];
    }
    s->n[i] = size;
    s->ns[i] = ns;
    s->count++;
    return 0;
}

/* The series named key in v[0..*n), appended when absent; NULL on BTK_ENOMEM. */
static btk_series *series_for(btk_series **v, size_t *n, const char *key,
                              const char *axis)
{
    btk_series *grown;
    size_t i;

    for (i = 0; i < *n; i++)
        if (strcmp((*v)[i].group.name, key) == 0)
            return &(*v)[i];
    if ((grown = btk__realloc(*v, (*n + 1) * sizeof(**v))) == NULL)
        return NULL;
    *v = grown;
    memset(&grown[*n], 0, sizeof(grown[*n]));
    snprintf(grown[*n].group.name, sizeof(grown[*n].group.name), "%s", key);
    snprintf(grown[*n].group.axis, sizeof(grown[*n].group.axis), "%s", axis);
    grown[*n].group.requested = BTK_COMPLEXITY_AUTO;
    return &grown[(*n)++];
}

/* Fit every series with 3 points or more, then drop the others. */
static int fit_all(btk_series *v, size_t *n)
{
    size_t i, kept = 0;
    int error;

    for (i = 0; i < *n; i++) {
        btk_cx_group *g = &v[i].group;

        if (v[i].count < 3)
            continue;
        g->instances = v[i].count;
        if ((error = btk_complexity_fit(&g->fit, v[i].n, v[i].ns, v[i].count)) ==
            BTK_ENOMEM)
            return error; /* nothing moved yet: the caller frees all n */
        if (error < 0) {
            g->error = error;
            btk_error_clear();
        }
    }
    for (i = 0; i < *n; i++) {
        if (v[i].count < 3) {
            btk__free(v[i].n);
            btk__free(v[i].ns);
            continue;
        }
        v[kept++] = v[i];
    }
    *n = kept;
    return 0;
}

int btk_series_build(btk_series **out, size_t *count_out, const btk_run *run,
                     const char *axis)
{
    btk_series *v = NULL, *s;
    size_t n = 0, i;
    char key[256], axis_name[40];
    double size;
    int error = 0;

    *out = NULL;
    *count_out = 0;
    for (i = 0; i < run->result_count && error == 0; i++) {
        const btk_result *r = &run->results[i];

        if (r->status != BTK_RESULT_OK || !isfinite(r->stats.median) ||
            !series_key(key, sizeof(key), &size, axis_name, r, axis))
            continue;
        if ((s = series_for(&v, &n, key, axis_name)) == NULL)
            error = BTK_ENOMEM;
        else
            error = add_point(s, size, r->stats.median);
    }
    if (error == 0)
        error = fit_all(v, &n);
    if (error < 0) {
        btk_series_free(v, n);
        return error; /* BTK_ENOMEM, set by the allocator */
    }
    *out = v;
    *count_out = n;
    return 0;
}

void btk_series_free(btk_series *v, size_t count)
{
    size_t i;

    for (i = 0; v != NULL && i < count; i++) {
        btk__free(v[i].n);
        btk__free(v[i].ns);
    }
    btk__free(v);
}
