/*
 * The run's options JSON (runtag.h): the build tag of runs recorded by benchtrack run
 * --commits (two strings, written and read) and the sample length (read), with jansson;
 * from the context JSON, the identity of the binary that recorded the run.
 */
#include "runtag.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

int btk_runtag_set_build(btk_run *run, const char *build, const char *binary)
{
    json_t *options = run->options_json ? json_loads(run->options_json, 0, NULL) : NULL;
    char *text = NULL, *copy = NULL;

    if (!json_is_object(options)) {
        json_decref(options);
        options = json_object();
    }
    if (options &&
        json_object_set_new(options, "source", json_string("run-commits")) == 0 &&
        json_object_set_new(options, "build_command", json_string(build)) == 0 &&
        json_object_set_new(options, "build_binary", json_string(binary)) == 0)
        text = json_dumps(options, JSON_COMPACT);
    json_decref(options);
    if (text)
        copy = btk__strdup(text);
    free(text);
    if (copy == NULL)
        return btk_error_set(BTK_ENOMEM, "out of memory");
    btk__free(run->options_json);
    run->options_json = copy;
    return 0;
}

bool btk_runtag_has_build(const btk_run *run, const char *build, const char *binary)
{
    json_t *options = run->options_json ? json_loads(run->options_json, 0, NULL) : NULL;
    const char *b = json_string_value(json_object_get(options, "build_command"));
    const char *p = json_string_value(json_object_get(options, "build_binary"));
    bool same = b && p && !strcmp(b, build) && !strcmp(p, binary);

    json_decref(options);
    return same;
}

double btk_runtag_sample_us(const btk_run *run)
{
    json_t *options, *v;
    double us = 0;

    if (run->measure != BTK_MEASURE_KIND_TIME || run->format == NULL ||
        strcmp(run->format, "benchtrack") != 0)
        return 0;
    options = run->options_json ? json_loads(run->options_json, 0, NULL) : NULL;
    v = json_object_get(options, "sample_time_us");
    if (v == NULL)
        us = BTK_RUNTAG_LEGACY_SAMPLE_US;
    else if (json_is_number(v) && isfinite(json_number_value(v)) && json_number_value(v) > 0)
        us = json_number_value(v);
    json_decref(options);
    return us;
}

/* The distinct known sample lengths of runs, "100 us" or "1000 us and 100 us"; false when
 * none is known. */
static bool side_lengths(btk_buf *out, int *error, const btk_run *const *runs, size_t count)
{
    size_t listed = 0;

    for (size_t i = 0; i < count && *error == 0; i++) {
        double us = btk_runtag_sample_us(runs[i]);
        bool seen = !(us > 0);

        for (size_t j = 0; j < i && !seen; j++)
            seen = btk_runtag_sample_us(runs[j]) == us;
        if (!seen)
            *error = btk_buf_printf(out, "%s%g us", listed++ ? " and " : "", us);
    }
    return listed > 0;
}

/* Whether runs record a known sample length other than *first (set from the first known). */
static bool lengths_differ(double *first, const btk_run *const *runs, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        double us = btk_runtag_sample_us(runs[i]);

        if (!(us > 0))
            continue;
        if (*first > 0 && us != *first)
            return true;
        *first = us;
    }
    return false;
}

int btk_runtag_sample_note(btk_buf *out, const btk_run *const *base, size_t base_count,
                           const btk_run *const *now, size_t now_count)
{
    btk_buf b = BTK_BUF_INIT, n = BTK_BUF_INIT;
    double first = 0;
    int error = 0;
    bool kb, kn;

    if (!lengths_differ(&first, base, base_count) && !lengths_differ(&first, now, now_count))
        return 0;
    kb = side_lengths(&b, &error, base, base_count);
    kn = side_lengths(&n, &error, now, now_count);
    if (error == 0)
        error = btk_buf_printf(out, "different sample lengths: the base was sampled in samples "
                               "of %s, the contender in samples of %s: a median of shorter "
                               "samples holds fewer disturbed ones and can read lower; record "
                               "both sides with the same --sample-time",
                               kb ? btk_buf_cstr(&b) : "unrecorded length",
                               kn ? btk_buf_cstr(&n) : "unrecorded length");
    btk_buf_free(&b);
    btk_buf_free(&n);
    return error;
}

/* Whether the run recorded the shared-core warning (stored as "shared-core: ..."). */
static bool run_shared(const btk_run *run)
{
    for (size_t k = 0; k < run->warning_count; k++)
        if (run->warnings[k] != NULL && strncmp(run->warnings[k], "shared-core:", 12) == 0)
            return true;
    return false;
}

static size_t count_shared(const btk_run *const *runs, size_t count)
{
    size_t n = 0;

    for (size_t i = 0; i < count; i++)
        n += run_shared(runs[i]) ? 1 : 0;
    return n;
}

int btk_runtag_core_note(btk_buf *out, const btk_run *const *base, size_t base_count,
                         const btk_run *const *now, size_t now_count)
{
    size_t sb = count_shared(base, base_count), sn = count_shared(now, now_count);

    if ((sb == 0 && sn == 0) || (sb == base_count && sn == now_count))
        return 0;
    return btk_buf_printf(out, "different core states: %zu of %zu base run%s and %zu of %zu "
                               "contender run%s recorded a core shared with a busy SMT "
                               "sibling (warning shared-core), where front-end or branch "
                               "bound code runs up to 2x slower while the core clock reads "
                               "the same: differences of such benchmarks may be the "
                               "machine's; record again, or use benchtrack ab",
                          sb, base_count, base_count == 1 ? "" : "s", sn, now_count,
                          now_count == 1 ? "" : "s");
}

bool btk_runtag_executable_id(char out[BTK_FILE_ID_LEN], const btk_run *run)
{
    json_t *ctx = run->context_json ? json_loads(run->context_json, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(ctx, "executable_id"));
    bool found = id != NULL && strlen(id) < BTK_FILE_ID_LEN;

    snprintf(out, BTK_FILE_ID_LEN, "%s", found ? id : "");
    json_decref(ctx);
    return found;
}
