/*
 * Speed of the results database: storing a run of 1,000 benchmarks x 100 samples, a history
 * query over 10,000 runs of one benchmark, and bytes per stored result. Prints figures;
 * bench/self/store-speed.sh runs it. Targets (docs/figures/store.md): < 200 ms, < 20 ms.
 */
#include "store.h"

#include <math.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static btk_run *make_run(size_t benches, size_t samples, unsigned seed)
{
    btk_run *run = NULL;
    char name[64];
    size_t i, j;

    if (btk_run_new(&run) < 0)
        exit(3);
    run->format = btk__strdup("benchtrack");
    /* A real run's context and options JSON are about 1.3 KB and 0.2 KB (the examples'
     * JSON): stored in each runs row, they make the rows as large as real ones. */
    run->context_json = btk__calloc(1301, 1);
    run->options_json = btk__calloc(201, 1);
    memset(run->context_json, 'c', 1300);
    memset(run->options_json, 'o', 200);
    run->machine.hostname = btk__strdup("bench");
    btk_machine_fingerprint(&run->machine);
    snprintf(run->commit.sha, sizeof(run->commit.sha), "%040x", seed);
    run->results = btk__calloc(benches, sizeof(btk_result));
    run->result_count = benches;
    for (i = 0; i < benches; i++) {
        btk_result *r = &run->results[i];
        snprintf(name, sizeof(name), "family_%zu/%zu", i / 10, i);
        r->name = btk__strdup(name);
        btk_stats_init(&r->stats);
        r->cycles_median = NAN;
        btk_memory_init(&r->memory);
        r->stats.median = 100.0 + (double)(i % 97);
        r->stats.ci_low = r->stats.median * 0.99;
        r->stats.ci_high = r->stats.median * 1.01;
        r->stats.samples = (int64_t)samples;
        r->proc_count = 1;
        r->procs = btk__calloc(1, sizeof(btk_proc));
        r->procs[0].count = samples;
        r->procs[0].ns = btk__calloc(samples, sizeof(double));
        r->procs[0].batch = btk__calloc(samples, sizeof(uint64_t));
        r->procs[0].peak_rss_bytes = r->procs[0].minor_faults = -1;
        r->procs[0].major_faults = -1;
        for (j = 0; j < samples; j++) {
            r->procs[0].ns[j] = r->stats.median * (1.0 + (double)((j * 7919 + seed) % 100) / 1e4);
            r->procs[0].batch[j] = 1000;
        }
    }
    return run;
}

static void die(void)
{
    fprintf(stderr, "store_speed: %s\n", btk_error_last()->message);
    exit(3);
}

static void bench_store(const char *dir)
{
    char path[4096];
    double t[5];
    btk_store *db = NULL;
    struct stat sb;
    int i;

    snprintf(path, sizeof(path), "%s/store.db", dir);
    if (btk_store_open(&db, path, 0) < 0)
        die();
    for (i = 0; i < 5; i++) {
        btk_run *run = make_run(1000, 100, (unsigned)i);
        double t0 = now_ms();
        if (btk_store_add_run(db, run, NULL) < 0)
            die();
        t[i] = now_ms() - t0;
        btk_run_free(run);
    }
    btk_store_close(db); /* checkpoints the WAL into the file */
    qsort(t, 5, sizeof(double), cmp);
    stat(path, &sb);
    printf("store a run of 1000 benchmarks x 100 samples: median %.1f ms (min %.1f, max %.1f"
           " over 5)   target < 200 ms\n", t[2], t[0], t[4]);
    printf("bytes per stored result (100 float64 samples + 100 batch counts): %.0f "
           "(file %lld bytes / 5000 results)\n", (double)sb.st_size / 5000.0,
           (long long)sb.st_size);
}

/* Time 21 history queries of "family_0/0" over the n shas; fresh: open the database
 * read-only for each query, as `benchtrack history` does, else reuse db. Prints the line. */
static void time_history(btk_store *db, const char *path, char (*shas)[41], size_t n,
                         size_t width, const char *fp, bool fresh)
{
    btk_history_point *pts = NULL;
    size_t count = 0, i;
    double t[21], t0;

    for (i = 0; i < 21; i++) {
        btk_store *q = db;

        t0 = now_ms();
        if (fresh && btk_store_open(&q, path, BTK_STORE_READONLY) < 0)
            die();
        if (btk_store_history(&pts, &count, q, "family_0/0", fp, (const char(*)[41])shas,
                              n) < 0)
            die();
        if (fresh)
            btk_store_close(q);
        t[i] = now_ms() - t0;
        if (count != n) {
            fprintf(stderr, "store_speed: history returned %zu of %zu points\n", count, n);
            exit(3);
        }
        btk_history_free(pts, count);
    }
    qsort(t, 21, sizeof(double), cmp);
    printf("history of one benchmark over %zu commits (%zu benchmark%s per run, %s): median "
           "%.2f ms (min %.2f, max %.2f over 21)   target < 20 ms\n", n, width,
           width == 1 ? "" : "s", fresh ? "fresh open per query" : "one connection", t[10],
           t[0], t[20]);
}

/* n runs of `width` benchmarks each (10 samples per result), one per commit; then the
 * history of one benchmark over the n commits. width 1 is one benchmark per run; a wider run
 * spreads the benchmark's rows over more pages, as a real suite does. */
static void bench_history(const char *dir, size_t n, size_t width)
{
    char path[4096];
    char(*shas)[41] = btk__calloc(n, 41);
    btk_store *db = NULL;
    size_t i;
    double t0 = now_ms(), fill;
    btk_run *run = make_run(width, 10, 0);

    snprintf(path, sizeof(path), "%s/history-%zu.db", dir, width);
    if (btk_store_open(&db, path, 0) < 0)
        die();
    for (i = 0; i < n; i++) { /* one run per commit, generated shas */
        snprintf(run->commit.sha, sizeof(run->commit.sha), "%040zx", i * 2654435761u + 1);
        memcpy(shas[n - 1 - i], run->commit.sha, 41); /* newest first, as git gives them */
        if (btk_store_add_run(db, run, NULL) < 0)
            die();
    }
    fill = now_ms() - t0;
    time_history(db, path, shas, n, width, run->machine.fingerprint, false);
    time_history(db, path, shas, n, width, run->machine.fingerprint, true);
    printf("(building that series: %zu runs, one transaction each, %.0f ms)\n", n, fill);
    btk_run_free(run);
    btk__free(shas);
    btk_store_close(db);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    const char *quick = getenv("BTK_QUICK");
    const char *wide = getenv("BTK_HISTORY_WIDTH");
    long width = wide ? strtol(wide, NULL, 10) : 0;

    bench_store(dir);
    bench_history(dir, quick && *quick == '1' ? 1000 : 10000, 1);
    if (width > 1) /* optional: a run as wide as a real suite (slow to build) */
        bench_history(dir, quick && *quick == '1' ? 1000 : 10000, (size_t)width);
    return 0;
}
