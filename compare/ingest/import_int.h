/*
 * Shared by import.c (our format) and import_gbench.c (Google Benchmark's): typed getters
 * that turn a wrong or missing JSON value into one BTK_EFORMAT line "SOURCE: PATH: what"
 * (import_value.c). import.c calls import_gbench.c, both call import_value.c, never back.
 * jansson.h is confined to compare/import*.c.
 */
#ifndef BTK_IMPORT_INT_H
#define BTK_IMPORT_INT_H

#include "import.h"

#include <jansson.h>

/* Where we are in the document: the source name and a dotted path such as
 * "benchmarks[2].stats". */
typedef struct btk_jat {
    const char *source;
    char path[160];
} btk_jat;

/* Set path to parent + suffix (suffix like ".stats" or "[3]"). */
void btk_import__at(btk_jat *out, const btk_jat *parent, const char *fmt, ...)
    BTK_PRINTF(3, 4);
/* Record "SOURCE: PATH[.key]: what" as BTK_EFORMAT and return it. */
int btk_import__bad(const btk_jat *at, const char *key, const char *what);

/* Getters: a missing key (or JSON null) leaves the default / NULL unless required; a value
 * of the wrong type is an error. Strings are copied (btk__free). */
int btk_import__str(char **out, json_t *obj, const char *key, bool required,
                    const btk_jat *at);
int btk_import__num(double *out, json_t *obj, const char *key, bool required,
                    const btk_jat *at);
int btk_import__int(int64_t *out, json_t *obj, const char *key, bool required,
                    const btk_jat *at);
int btk_import__bool(bool *out, json_t *obj, const char *key, const btk_jat *at);
/* Borrowed object/array member, NULL when absent; error when present with another type. */
int btk_import__obj(json_t **out, json_t *obj, const char *key, bool required,
                    const btk_jat *at);
int btk_import__arr(json_t **out, json_t *obj, const char *key, bool required,
                    const btk_jat *at);
/* json_dumps into a btk__malloc'd string (NULL json: NULL out). */
int btk_import__dump(char **out, json_t *json);
/* Copy s into *out (freeing the old value). */
int btk_import__dup(char **out, const char *s);
/* Derive family (before the first "/") and an integer param (after it) from the name. */
int btk_import__family_param(btk_result *r);

/* Fill run from a Google Benchmark document (root has context + benchmarks);
 * import_gbench.c. */
int btk_import__gbench(btk_run *run, json_t *root, const btk_jat *at);

#endif
