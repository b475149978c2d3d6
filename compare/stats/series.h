/*
 * Size series of a stored run: the results of a family that differ only in one parameter
 * (the single parameter, "sort/1024", or one named parameter, "lookup/n:64/k:8"), with
 * their median times and the complexity fit over them (harness/complexity.h). Parameters
 * are read back from the names, which the harness builds ("family/a:64/b:8"), so a stored
 * run needs nothing more (docs/database.md, "Parameters").
 */
#ifndef BTK_SERIES_H
#define BTK_SERIES_H

#include "complexity.h"
#include "model.h"

typedef struct btk_series {
    btk_cx_group group; /* name: the family, or a result name with the size as "*" */
    size_t count;       /* points, by increasing size */
    double *n, *ns;     /* size and median ns per iteration (btk__malloc'd) */
} btk_series;

/* The series of run along axis (NULL or "": the single parameter, or else each family's
 * first named parameter) with at least 3 sizes whose results are ok, each fitted, in the
 * order of their first result in the run. Free with btk_series_free. BTK_ENOMEM. */
int btk_series_build(btk_series **out, size_t *count_out, const btk_run *run,
                     const char *axis);

/* Release count series and the array. NULL-safe. */
void btk_series_free(btk_series *v, size_t count);

/* Split name's parameters after "family/" into out: "64" is the single parameter (one
 * entry with an empty name); "a:64/b:8" are named ones. Returns how many (at most max),
 * or -1 when the rest is not of either form. */
typedef struct btk_series_param {
    char name[40];
    int64_t value;
} btk_series_param;
int btk_series_parse(btk_series_param *out, size_t max, const char *name,
                     const char *family);

#endif
