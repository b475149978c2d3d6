/*
 * Timings of the store on either backend, for bench/self/store-backends.sh (which prints
 * docs/figures/store-backends.md's figures):
 *   store_backends store LOCATION            store 5 runs of 1,000 benchmarks x 100 samples
 *   store_backends history LOCATION N        21 history queries of family_0/0 over the N
 *                                            commits "%040x" of 1..N, each with a fresh
 *                                            read-only open (what `benchtrack history` does)
 *   store_backends fill LOCATION RUNS WIDTH  store RUNS runs of WIDTH benchmarks x 20 samples
 * LOCATION is a file (SQLite) or postgresql://... Prints one line per figure.
 */
#include "store.h"

#include <math.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void die(void)
{
    fprintf(stderr, "store_backends: %s\n", btk_error_last()->message);
    exit(3);
}

/* A run of benches benchmarks x samples samples with context/options JSON of a real run's
 * size (1.3 KB, 0.2 KB), on commit "%040x" of seed. */
static btk_run *make_run(size_t benches, size_t samples, unsigned seed)
{
    btk_run *run = NULL;
    char name[64];

    if (btk_run_new(&run) < 0)
        die();
    run->format = btk__strdup("benchtrack");
    run->context_json = btk__calloc(1301, 1);
    run->options_json = btk__calloc(201, 1);
    memset(run->context_json, 'c', 1300);
    memset(run->options_json, 'o', 200);
    run->machine.hostname = btk__strdup("bench");
    btk_machine_fingerprint(&run->machine);
    snprintf(run->commit.sha, sizeof(run->commit.sha), "%040x", seed);
    run->results = btk__calloc(benches, sizeof(btk_result));
    run->result_count = benches;
    for (size_t i = 0; i < benches; i++) {
        btk_result *r = &run->results[i];

        snprintf(name, sizeof(name), "family_%zu/%zu", i / 10, i);
        r->name = btk__strdup(name);
        btk_stats_init(&r->stats);
        r->cycles_median = NAN;
        btk_memory_init(&r->memory);
        r->stats.median = 100.0 + (double)(i % 97);
        r->stats.samples = (int64_t)samples;
        r->proc_count = 1;
        r->procs = btk__calloc(1, sizeof(btk_proc));
        r->procs[0].count = samples;
        r->procs[0].ns = btk__calloc(samples, sizeof(double));
        r->procs[0].batch = btk__calloc(samples, sizeof(uint64_t));
        r->procs[0].peak_rss_bytes = r->procs[0].minor_faults = -1;
        r->procs[0].major_faults = -1;
        for (size_t j = 0; j < samples; j++) {
            r->procs[0].ns[j] = r->stats.median * (1.0 + (double)((j * 7919 + seed) % 100) / 1e4);
            r->procs[0].batch[j] = 1000;
        }
    }
    return run;
}

static void store(const char *loc)
{
    btk_store *db = NULL;
    double t[5];

    if (btk_store_open(&db, loc, 0) < 0)
        die();
    for (int i = 0; i < 5; i++) {
        btk_run *run = make_run(1000, 100, (unsigned)i + 1);
        double t0 = now_ms();

        if (btk_store_add_run(db, run, NULL) < 0)
            die();
        t[i] = now_ms() - t0;
        btk_run_free(run);
    }
    btk_store_close(db);
    qsort(t, 5, sizeof(double), cmp);
    printf("store a run of 1000 benchmarks x 100 samples: median %.1f ms (min %.1f, max %.1f "
           "over 5)\n", t[2], t[0], t[4]);
}

static void history(const char *loc, size_t n)
{
    char(*shas)[41] = btk__calloc(n, 41);
    btk_history_point *pts = NULL;
    size_t count = 0, m = 0;
    char **fps = NULL;
    btk_store *db = NULL;
    double t[21];

    for (size_t i = 0; i < n; i++) /* newest first, as git gives them */
        snprintf(shas[i], 41, "%040zx", n - i);
    if (btk_store_open(&db, loc, BTK_STORE_READONLY) < 0 ||
        btk_store_machines(&fps, &m, db) < 0 || m == 0)
        die();
    btk_store_close(db);
    for (int k = 0; k < 21; k++) {
        double t0 = now_ms();

        if (btk_store_open(&db, loc, BTK_STORE_READONLY) < 0 ||
            btk_store_history(&pts, &count, db, "family_0/0", fps[0],
                              (const char(*)[41])shas, n) < 0)
            die();
        btk_store_close(db);
        t[k] = now_ms() - t0;
        if (count != n) {
            fprintf(stderr, "store_backends: history gave %zu of %zu points\n", count, n);
            exit(3);
        }
        btk_history_free(pts, count);
    }
    qsort(t, 21, sizeof(double), cmp);
    printf("history of one benchmark over %zu commits (fresh open per query): median %.2f ms "
           "(min %.2f, max %.2f over 21)\n", n, t[10], t[0], t[20]);
    btk_strings_free(fps, m);
    btk__free(shas);
}

static void fill(const char *loc, size_t runs, size_t width)
{
    btk_store *db = NULL;
    btk_run *run = make_run(width, 20, 0);

    if (btk_store_open(&db, loc, 0) < 0)
        die();
    for (size_t i = 0; i < runs; i++) {
        snprintf(run->commit.sha, sizeof(run->commit.sha), "%040zx", i + 1);
        if (btk_store_add_run(db, run, NULL) < 0)
            die();
    }
    btk_run_free(run);
    btk_store_close(db);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "store"))
        store(argv[2]);
    else if (argc >= 4 && !strcmp(argv[1], "history"))
        history(argv[2], (size_t)strtoul(argv[3], NULL, 10));
    else if (argc >= 5 && !strcmp(argv[1], "fill"))
        fill(argv[2], (size_t)strtoul(argv[3], NULL, 10), (size_t)strtoul(argv[4], NULL, 10));
    else {
        fprintf(stderr, "usage: store_backends store|history|fill LOCATION ...\n");
        return 2;
    }
    return 0;
}
