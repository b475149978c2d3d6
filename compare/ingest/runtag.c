/*
 * The build tag of runs recorded by benchtrack run --commits (runtag.h): two strings in
 * the run's options JSON, written and read with jansson.
 */
#include "runtag.h"

#include <jansson.h>

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
