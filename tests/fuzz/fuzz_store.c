/* libFuzzer target: opening a results database file (compare/store/). The input is written
 * to a file, which is opened read-only and read as log, show and history do (run list,
 * whole runs with samples, machines, benchmark names, a history); then opened for writing
 * (migrating it) and given a run. Whatever the bytes, every call must return 0 or an error
 * code. Seeds: tests/fuzz/corpus/store/ (tests/fuzz/make-db-corpus.sh). */
#include "store.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[4096], dir[4000];
static const char *const companions[] = {"-wal", "-shm", "-journal", "-lock"};

/* Remove the input file, its companions and its directory. */
static void remove_files(void)
{
    char other[4200];
    size_t i;

    for (i = 0; i < sizeof(companions) / sizeof(companions[0]); i++) {
        snprintf(other, sizeof(other), "%s%s", path, companions[i]);
        unlink(other);
    }
    unlink(path);
    rmdir(dir);
}

/* A fresh file at path holding the input, no companion files left from the last input. */
static int write_input(const uint8_t *data, size_t size)
{
    FILE *f;

    if (path[0] == '\0') {
        const char *tmp = getenv("TMPDIR");

        snprintf(dir, sizeof(dir), "%s/btk-fuzz-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (mkdtemp(dir) == NULL)
            abort();
        snprintf(path, sizeof(path), "%s/input.db", dir);
        atexit(remove_files);
    }
    remove_files();
    mkdir(dir, 0700);
    if ((f = fopen(path, "wb")) == NULL)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    return fclose(f);
}

static void read_all(btk_store *db)
{
    btk_run_row *rows = NULL;
    char **names = NULL, **fps = NULL;
    size_t count = 0, name_count = 0, fp_count = 0, i;
    char (*shas)[41] = NULL;

    if (btk_store_list_runs(&rows, &count, db, 0) == 0) {
        shas = calloc(count ? count : 1, sizeof(*shas));
        for (i = 0; i < count && shas; i++) {
            btk_run *run = NULL;
            memcpy(shas[i], rows[i].sha, sizeof(shas[i]));
            if (i < 4 && btk_store_load_run(&run, db, rows[i].id, true) == 0)
                btk_run_free(run);
        }
    }
    if (btk_store_machines(&fps, &fp_count, db) == 0 && fp_count > 0) {
        btk_machine m;
        memset(&m, 0, sizeof(m));
        if (btk_store_machine_info(&m, db, fps[0]) == 0)
            btk_machine_clear(&m);
    }
    if (btk_store_benchmark_names(&names, &name_count, db, NULL) == 0 && name_count > 0 &&
        shas && fp_count > 0) {
        btk_history_point *pts = NULL;
        size_t n = 0;
        if (btk_store_history(&pts, &n, db, names[0], fps[0], (const char (*)[41])shas,
                              count) == 0)
            btk_history_free(pts, n);
    }
    free(shas);
    btk_strings_free(names, name_count);
    btk_strings_free(fps, fp_count);
    btk_run_rows_free(rows, count);
}

/* A small run of one benchmark with one process of three samples. */
static btk_run *small_run(void)
{
    btk_run *run = NULL;
    btk_result *r;

    if (btk_run_new(&run) < 0)
        return NULL;
    run->machine.hostname = strdup("fuzz");
    btk_machine_fingerprint(&run->machine);
    snprintf(run->commit.sha, sizeof(run->commit.sha), "%040d", 7);
    run->results = calloc(1, sizeof(btk_result));
    run->result_count = 1;
    r = &run->results[0];
    r->name = strdup("fuzz/1");
    btk_stats_init(&r->stats);
    r->cycles_median = NAN;
    btk_memory_init(&r->memory);
    r->proc_count = 1;
    r->procs = calloc(1, sizeof(btk_proc));
    r->procs[0].count = 3;
    r->procs[0].ns = calloc(3, sizeof(double));
    r->procs[0].peak_rss_bytes = r->procs[0].minor_faults = r->procs[0].major_faults = -1;
    return run;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    btk_store *db = NULL;
    btk_run *run;

    if (write_input(data, size) != 0)
        abort();
    if (btk_store_open(&db, path, BTK_STORE_READONLY) == 0) {
        read_all(db);
        btk_store_close(db);
    }
    if (btk_store_open(&db, path, 0) == 0) {
        if ((run = small_run()) != NULL) {
            btk_store_add_run(db, run, NULL);
            btk_run_free(run);
        }
        read_all(db);
        btk_store_close(db);
    }
    btk_error_clear();
    return 0;
}
