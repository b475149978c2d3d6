/*
 * What both readers of results JSON (import.c, import_gbench.c) share: typed getters that
 * turn a wrong or missing value into one BTK_EFORMAT line naming its path, and the
 * family/param split of a benchmark name. Both readers call this file; it calls neither.
 */
#include "import_int.h"

#include <math.h>

void btk_import__at(btk_jat *out, const btk_jat *parent, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    out->source = parent->source;
    n = (size_t)snprintf(out->path, sizeof(out->path), "%s", parent->path);
    if (n >= sizeof(out->path))
        return;
    va_start(ap, fmt);
    vsnprintf(out->path + n, sizeof(out->path) - n, fmt, ap);
    va_end(ap);
}

int btk_import__bad(const btk_jat *at, const char *key, const char *what)
{
    char src[200], key_q[100];

    btk_error_quote(src, sizeof(src), at->source);
    if (key == NULL)
        return btk_error_set(BTK_EFORMAT, "%s: %s: %s", src,
                             at->path[0] ? at->path : "(top level)", what);
    btk_error_quote(key_q, sizeof(key_q), key);
    return btk_error_set(BTK_EFORMAT, "%s: %s%s%s: %s", src, at->path,
                         at->path[0] ? "." : "", key_q, what);
}

/* The member, or NULL when absent or JSON null; error when absent and required. */
static int member(json_t **out, json_t *obj, const char *key, bool required,
                  const btk_jat *at)
{
    *out = json_object_get(obj, key);
    if (*out && json_is_null(*out))
        *out = NULL;
    if (*out == NULL && required)
        return btk_import__bad(at, key, "missing");
    return 0;
}

int btk_import__str(char **out, json_t *obj, const char *key, bool required,
                    const btk_jat *at)
{
    json_t *v;
    int error;

    *out = NULL;
    if ((error = member(&v, obj, key, required, at)) < 0 || v == NULL)
        return error;
    if (!json_is_string(v))
        return btk_import__bad(at, key, "expected a string");
    if ((error = btk_import__check_len(at, key, json_string_length(v),
                                      BTK_IMPORT_MAX_STRING)) < 0)
        return error;
    *out = btk__strndup(json_string_value(v), json_string_length(v));
    return *out ? 0 : BTK_ENOMEM;
}

int btk_import__num(double *out, json_t *obj, const char *key, bool required,
                    const btk_jat *at)
{
    json_t *v;
    int error;

    if ((error = member(&v, obj, key, required, at)) < 0 || v == NULL)
        return error;
    if (!json_is_number(v))
        return btk_import__bad(at, key, "expected a number");
    *out = json_number_value(v);
    return 0;
}

int btk_import__int(int64_t *out, json_t *obj, const char *key, bool required,
                    const btk_jat *at)
{
    json_t *v;
    double d;
    int error;

    if ((error = member(&v, obj, key, required, at)) < 0 || v == NULL)
        return error;
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return 0;
    }
    d = json_is_real(v) ? json_real_value(v) : NAN;
    if (!(d == floor(d) && fabs(d) < 9.0e18))
        return btk_import__bad(at, key, "expected an integer");
    *out = (int64_t)d;
    return 0;
}

int btk_import__bool(bool *out, json_t *obj, const char *key, const btk_jat *at)
{
    json_t *v;
    int error;

    if ((error = member(&v, obj, key, false, at)) < 0 || v == NULL)
        return error;
    if (!json_is_boolean(v))
        return btk_import__bad(at, key, "expected true or false");
    *out = json_is_true(v);
    return 0;
}

int btk_import__obj(json_t **out, json_t *obj, const char *key, bool required,
                    const btk_jat *at)
{
    int error;

    if ((error = member(out, obj, key, required, at)) < 0 || *out == NULL)
        return error;
    if (!json_is_object(*out))
        return btk_import__bad(at, key, "expected an object");
    return 0;
}

int btk_import__arr(json_t **out, json_t *obj, const char *key, bool required,
                    const btk_jat *at)
{
    int error;

    if ((error = member(out, obj, key, required, at)) < 0 || *out == NULL)
        return error;
    if (!json_is_array(*out))
        return btk_import__bad(at, key, "expected an array");
    return 0;
}

int btk_import__dump(char **out, json_t *json)
{
    char *s;

    *out = NULL;
    if (json == NULL)
        return 0;
    if ((s = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY)) == NULL)
        return btk_error_set(BTK_ENOMEM, "out of memory");
    *out = btk__strdup(s);
    free(s);
    return *out ? 0 : BTK_ENOMEM;
}

int btk_import__dup(char **out, const char *s)
{
    btk__free(*out);
    *out = btk__strdup(s);
    return *out ? 0 : BTK_ENOMEM;
}

int btk_import__family_param(btk_result *r)
{
    const char *slash = strchr(r->name, '/');
    char *end;
    long long v;

    if (slash == NULL)
        return btk_import__dup(&r->family, r->name);
    if ((r->family = btk__strndup(r->name, (size_t)(slash - r->name))) == NULL)
        return BTK_ENOMEM;
    errno = 0;
    v = strtoll(slash + 1, &end, 10);
    if (!r->has_param && slash[1] && *end == '\0' && errno == 0) {
        r->has_param = true;
        r->param = v;
    }
    return 0;
}

int btk_import__check_len(const btk_jat *at, const char *key, size_t len, size_t max)
{
    char what[96];

    if (len <= max)
        return 0;
    snprintf(what, sizeof(what), "longer than %zu bytes (the import limit)", max);
    return btk_import__bad(at, key, what);
}

bool btk_import__time_ok(double v)
{
    return isfinite(v) && v >= 0 && v <= BTK_IMPORT_MAX_NS;
}

const char *btk_import__time_why(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "null (not a finite number)");
    else if (v < 0)
        snprintf(buf, size, "negative (%g)", v);
    else
        snprintf(buf, size, "%g, above the limit of %g ns", v, BTK_IMPORT_MAX_NS);
    return buf;
}

int btk_import__invalidate(btk_result *r, const btk_jat *at, const char *what)
{
    btk_buf msg = BTK_BUF_INIT;
    int64_t iterations = r->stats.iterations;
    int error;

    for (size_t i = 0; r->procs && i < r->proc_count; i++)
        btk_proc_clear(&r->procs[i]);
    btk__free(r->procs);
    r->procs = NULL;
    r->proc_count = 0;
    btk_stats_init(&r->stats);
    r->stats.iterations = iterations;
    r->cycles_median = NAN;
    r->status = BTK_RESULT_FAILED;
    btk__free(r->error_message);
    r->error_message = NULL;
    if ((error = btk_import__dup(&r->error_kind, "invalid")) < 0 ||
        (error = btk_buf_printf(&msg, "rejected at import: %s.%s", at->path, what)) < 0) {
        btk_buf_free(&msg);
        return error;
    }
    r->error_message = btk_buf_detach(&msg);
    return r->error_message ? 0 : BTK_ENOMEM;
}
