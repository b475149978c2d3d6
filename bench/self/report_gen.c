/*
 * report-gen DB NBENCH < shas: fill a results database with one synthetic run per commit
 * (shas on stdin, newest first, as `git rev-list --first-parent` prints them) with NBENCH
 * benchmarks each; a few benchmarks step up or down along the way. For report-speed.sh.
 */
#include "report_synth.h"
#include "store.h"

#include <math.h>

#define MAX_COMMITS 100000

static int fill(btk_store *db, char (*shas)[41], size_t n, size_t nbench)
{
    char **names = calloc(nbench, sizeof(*names));
    double *levels = calloc(nbench, sizeof(*levels));
    btk_run *run;
    int64_t id;
    size_t c, k;
    int error = names && levels ? 0 : BTK_ENOMEM;

    for (k = 0; error == 0 && k < nbench; k++) {
        names[k] = malloc(48);
        snprintf(names[k], 48, "family%zu/case/%zu", k % 17, k * 64);
    }
    for (c = 0; error == 0 && c < n; c++) { /* oldest first */
        synth_spec sp = {shas[n - 1 - c],
                         "main",
                         "synthetic commit",
                         "speedbox",
                         1700000000 + (int64_t)c,
                         (const char *const *)names,
                         levels,
                         nbench,
                         3,
                         20,
                         1 + c};
        for (k = 0; k < nbench; k++)
            levels[k] = 100.0 * (double)(k + 1) *
                        (k % 10 == 0 && c > n / 2   ? 1.15
                         : k % 10 == 5 && c > n / 3 ? 0.85
                                                    : 1);
        if ((error = synth_run(&run, &sp)) == 0)
            error = btk_store_add_run(db, run, &id);
        btk_run_free(run);
    }
    for (k = 0; names && k < nbench; k++)
        free(names[k]);
    free(names);
    free(levels);
    return error;
}

int main(int argc, char **argv)
{
    static char shas[MAX_COMMITS][41];
    char line[128];
    size_t n = 0;
    long nbench = argc == 3 ? strtol(argv[2], NULL, 10) : 0;
    btk_store *db;

    if (argc != 3 || nbench <= 0 || nbench > 100000) {
        fprintf(stderr, "usage: report-gen DB NBENCH < shas\n");
        return 2;
    }
    while (n < MAX_COMMITS && fgets(line, sizeof(line), stdin))
        if (strlen(line) >= 40)
            snprintf(shas[n++], 41, "%.40s", line);
    if (btk_store_open(&db, argv[1], 0) < 0 || fill(db, shas, n, (size_t)nbench) < 0) {
        fprintf(stderr, "report-gen: %s\n", btk_error_last()->message);
        return 3;
    }
    btk_store_close(db);
    return 0;
}
