/*
 * Synthetic series for bench/self/changepoint-quality.sh: writes them (and the truth) as
 * CSV, runs compare/stats/changepoint.c over them, and times whole and incremental
 * detection. The script scores the points (bench/self/changepoint_score.py) and runs
 * Apache Otava over the same per-commit means (bench/self/changepoint_otava.py).
 *
 *   changepoint_bench quality DIR CV PROCESSES [--series=N] [--seed=S] [--window=W]
 *                     [--min-segment=L] [--max-p=P] [--min-magnitude=M] [--outliers=N]
 *                     [--states=GAP,STAY] [--levels=GAP]
 *       writes DIR/series.csv (per-commit means), truth.csv, btk.csv (our points),
 *       btk-drift.csv (drift from commit 0) and btk-latency.csv (commits until a step
 *       is reported)
 *   changepoint_bench points [--max-p=P] [--min-magnitude=M] [--window=W] ...
 *       replays a recorded series read from stdin ("KEY VALUE" lines, a commit's values
 *       on consecutive lines with one KEY) and prints its points "INDEX MAGNITUDE P"
 *   changepoint_bench speed DIR [COMMITS]
 *       times whole detection over COMMITS (10,000) commits and 200 appends of one
 *       commit; writes DIR/speed.csv (per-commit means) for Otava
 *
 * Noise model: process p of commit i measures level_i * (1 + e_i + u_ip), with a run
 * effect e_i and a process effect u_ip, independent normals of variance CV^2 / 2 each, so
 * one process value has coefficient of variation CV; processes of one run share e_i.
 * --outliers=N then multiplies, in each series, 1 to N values (a random commit and
 * process each) by a factor drawn from 10 to 200: a disturbed process. They come from a
 * stream of their own, so the series are otherwise the same as without the option.
 * --states=GAP,STAY adds the host's core clock states (docs/timer.md#core-clock): each
 * commit runs in one of two states, the slower GAP (e.g. 0.08) slower for all its
 * processes, and keeps the previous commit's state with probability STAY (0.5: the states
 * of successive commits are independent; 0.8: they come in runs of 5 on average, as when
 * a range is recorded commit after commit). Also from a stream of its own.
 * --levels=GAP puts each process value, independently with probability 1/2, at a level GAP
 * (e.g. 0.35) higher: a core shared with a busy SMT sibling or not, process by process
 * (docs/timer.md#shared-core). Also from a stream of its own.
 */
#include "changepoint.h"

#include <math.h>
#include <time.h>

#define COMMITS 200
#define BASE_LEVEL 1000.0
#define SPIKES 4
#define SPIKE_SIZE 0.10  /* one run 10 % slower, all its processes */
#define DRIFT_TOTAL 0.05 /* +5 % over the series, in equal steps per commit */

/* ---- a fixed-seed generator: splitmix64 and Box-Muller normals ---- */

static uint64_t rng_state;

static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double uniform(void) /* (0, 1) */
{
    return ((double)(next_u64() >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
    return sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform());
}

static size_t below(size_t n)
{
    return (size_t)(uniform() * (double)n);
}

/* ---- series ---- */

enum kind { STEP, FLAT, SPIKE, DRIFT };
static const char *const kind_names[] = {"step", "flat", "spike", "drift"};
static const double step_sizes[] = {0.02, 0.03, 0.05, 0.10};

typedef struct series {
    enum kind kind;
    double param;         /* step size, spike size or total drift */
    size_t truth[SPIKES]; /* step position or spike positions */
    size_t truths;
    double level[COMMITS];
} series;

/* The i-th of `total` series: the first 40 % steps (the four sizes in turn, a tenth
 * each), then 20 % flat, 20 % with spikes and 20 % drifting. */
static void make_series(series *s, size_t i, size_t total)
{
    size_t tenth = total / 10;

    memset(s, 0, sizeof(*s));
    for (size_t c = 0; c < COMMITS; c++)
        s->level[c] = BASE_LEVEL;
    if (i < 4 * tenth) {
        double size = step_sizes[i / tenth] * (next_u64() & 1 ? 1.0 : -1.0);

        s->kind = STEP;
        s->param = size;
        s->truth[0] = 30 + below(COMMITS - 60 + 1);
        s->truths = 1;
        for (size_t c = s->truth[0]; c < COMMITS; c++)
            s->level[c] = BASE_LEVEL * (1.0 + size);
    } else if (i < 6 * tenth) {
        s->kind = FLAT;
    } else if (i < 8 * tenth) {
        s->kind = SPIKE;
        s->param = SPIKE_SIZE;
        while (s->truths < SPIKES) {
            size_t pos = 5 + below(COMMITS - 10), ok = 1;

            for (size_t j = 0; j < s->truths; j++)
                if (pos + 10 > s->truth[j] && s->truth[j] + 10 > pos)
                    ok = 0;
            if (ok)
                s->truth[s->truths++] = pos;
        }
        for (size_t j = 0; j < s->truths; j++)
            s->level[s->truth[j]] *= 1.0 + SPIKE_SIZE;
    } else {
        s->kind = DRIFT;
        s->param = DRIFT_TOTAL;
        for (size_t c = 0; c < COMMITS; c++)
            s->level[c] = BASE_LEVEL * (1.0 + DRIFT_TOTAL * (double)c / (COMMITS - 1));
    }
}

/* Per-process values of `commits` commits at the given levels. */
static void measure(double *values, size_t *counts, const double *level, size_t commits,
                    double cv, size_t processes)
{
    double sd = cv / sqrt(2.0);

    for (size_t c = 0; c < commits; c++) {
        double run = sd * normal();

        counts[c] = processes;
        for (size_t p = 0; p < processes; p++)
            values[c * processes + p] = level[c] * (1.0 + run + sd * normal());
    }
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (!(f = fopen(path, "w"))) {
        perror(path);
        exit(3);
    }
    return f;
}

static void fail(const char *what)
{
    fprintf(stderr, "changepoint_bench: %s: %s\n", what, btk_error_last()->message);
    exit(3);
}

/* ---- quality ---- */

static btk_changepoint_options opts = BTK_CHANGEPOINT_OPTIONS_INIT;
static size_t outliers; /* --outliers=N: up to N disturbed process values per series */
static double state_gap, state_stay = 0.5; /* --states=GAP,STAY */
static double level_gap;                   /* --levels=GAP */

/* Two clock states, the slower one state_gap slower, each commit in the previous one's
 * state with probability state_stay; from a generator state of their own. */
static void clock_states(double *values, size_t processes, size_t i, uint64_t seed)
{
    uint64_t saved = rng_state;
    bool slow;

    if (state_gap == 0.0)
        return;
    rng_state = seed ^ 0x636c6f636b737461u ^ ((uint64_t)i << 20);
    slow = uniform() < 0.5;
    for (size_t c = 0; c < COMMITS; c++) {
        if (c > 0 && uniform() >= state_stay)
            slow = !slow;
        for (size_t p = 0; slow && p < processes; p++)
            values[c * processes + p] *= 1.0 + state_gap;
    }
    rng_state = saved;
}

/* Two levels of each process's own, the higher one level_gap higher, each process value
 * at it with probability 1/2, independently (a core shared with a busy SMT sibling or
 * not, process by process); from a generator state of their own. */
static void process_levels(double *values, size_t processes, size_t i, uint64_t seed)
{
    uint64_t saved = rng_state;

    if (level_gap == 0.0)
        return;
    rng_state = seed ^ 0x6c6576656c730000u ^ ((uint64_t)i << 20);
    for (size_t v = 0; v < COMMITS * processes; v++)
        if (uniform() < 0.5)
            values[v] *= 1.0 + level_gap;
    rng_state = saved;
}

/* Multiply 1 to `outliers` random values of series i by 10 to 200, from a generator
 * state of their own (the main stream is left as it was). */
static void disturb(double *values, size_t processes, size_t i, uint64_t seed)
{
    uint64_t saved = rng_state;

    if (outliers == 0)
        return;
    rng_state = seed ^ 0x6f75746c69657273u ^ ((uint64_t)i << 20);
    for (size_t o = 0, count = 1 + below(outliers); o < count; o++) {
        size_t c = below(COMMITS), p = below(processes);

        values[c * processes + p] *= 10.0 + 190.0 * uniform();
    }
    rng_state = saved;
}

#define LATENCY_MAX 20

static void write_truth(FILE *f, size_t i, const series *s)
{
    fprintf(f, "%zu,%s,%g,", i, kind_names[s->kind], s->param);
    for (size_t j = 0; j < s->truths; j++)
        fprintf(f, "%s%zu", j ? " " : "", s->truth[j]);
    fputc('\n', f);
}

static bool has_point_near(const btk_changepoint_detector *det, size_t pos)
{
    size_t n;
    const btk_changepoint *pts = btk_changepoint_points(det, &n);

    for (size_t j = 0; j < n; j++)
        if (pts[j].index + 1 >= pos && pts[j].index <= pos + 1)
            return true;
    return false;
}

/* Detection latency of a step at pos: the fewest commits at the new level (1 to
 * LATENCY_MAX) after which a point lies within one commit of it, appending one commit at
 * a time to a detector holding the commits before; 0 when none. */
static size_t latency(const double *values, const size_t *counts, size_t processes,
                      size_t pos)
{
    btk_changepoint_detector *det;
    size_t k = 0;

    if (btk_changepoint_new(&det, &opts) < 0 ||
        btk_changepoint_append(det, values, counts, pos) < 0)
        fail("latency");
    for (size_t c = pos; c < COMMITS && c < pos + LATENCY_MAX; c++) {
        if (btk_changepoint_append(det, values + c * processes, counts + c, 1) < 0)
            fail("latency");
        if (has_point_near(det, pos)) {
            k = c + 1 - pos;
            break;
        }
    }
    btk_changepoint_free(det);
    return k;
}

static void run_ours(FILE *points, FILE *drift, size_t i, const double *values,
                     const size_t *counts)
{
    btk_changepoint_detector *det;
    btk_changepoint_cumulative d;
    const btk_changepoint *pts;
    size_t n;

    if (btk_changepoint_new(&det, &opts) < 0 ||
        btk_changepoint_append(det, values, counts, COMMITS) < 0)
        fail("detect");
    pts = btk_changepoint_points(det, &n);
    for (size_t j = 0; j < n; j++)
        fprintf(points, "%zu,%zu,%.6g,%.6g\n", i, pts[j].index, pts[j].p,
                pts[j].magnitude);
    if (btk_changepoint_drift(&d, det, 0, 0) < 0)
        fail("drift");
    fprintf(drift, "%zu,%.6f,%.6f,%.6f,%.6g\n", i, d.ratio, d.ci_low, d.ci_high, d.p);
    btk_changepoint_free(det);
}

static int quality(const char *dir, double cv, size_t processes, size_t total,
                   uint64_t seed)
{
    FILE *fs = open_out(dir, "series.csv"), *ft = open_out(dir, "truth.csv");
    FILE *fp = open_out(dir, "btk.csv"), *fd = open_out(dir, "btk-drift.csv");
    FILE *fl = open_out(dir, "btk-latency.csv");
    double *values = calloc(COMMITS * processes, sizeof(*values));
    size_t counts[COMMITS];
    series s;
    double ms = 0.0;

    rng_state = seed ^ (uint64_t)(cv * 1e6) ^ ((uint64_t)processes << 32);
    fprintf(fs, "series,commit,mean\n");
    fprintf(ft, "series,kind,param,truth\n");
    fprintf(fp, "series,index,p,magnitude\n");
    fprintf(fd, "series,ratio,ci_low,ci_high,p\n");
    fprintf(fl, "series,commits\n");
    for (size_t i = 0; i < total; i++) {
        make_series(&s, i, total);
        measure(values, counts, s.level, COMMITS, cv, processes);
        disturb(values, processes, i, seed);
        clock_states(values, processes, i, seed);
        process_levels(values, processes, i, seed);
        write_truth(ft, i, &s);
        for (size_t c = 0; c < COMMITS; c++) {
            double sum = 0.0;

            for (size_t p = 0; p < processes; p++)
                sum += values[c * processes + p];
            fprintf(fs, "%zu,%zu,%.17g\n", i, c, sum / (double)processes);
        }
        double t0 = now_ms();
        run_ours(fp, fd, i, values, counts);
        ms += now_ms() - t0;
        if (s.kind == STEP)
            fprintf(fl, "%zu,%zu\n", i, latency(values, counts, processes, s.truth[0]));
    }
    printf(
        "benchtrack: %zu series of %d commits (%zu processes each, CV %g) in %.0f ms\n",
        total, COMMITS, processes, cv, ms);
    fclose(fs);
    fclose(ft);
    fclose(fp);
    fclose(fd);
    fclose(fl);
    free(values);
    return 0;
}

/* ---- speed ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#define SPEED_PROCESSES 5
#define SPEED_REPEATS 11
#define SPEED_APPENDS 200

/* A long history: 1 % noise, a step of 2-10 % (either way) every 300-700 commits. */
static void long_series(double *level, size_t n)
{
    double lv = BASE_LEVEL;
    size_t next = 300 + below(401);

    for (size_t c = 0; c < n; c++) {
        if (c == next) {
            lv *= 1.0 + step_sizes[below(4)] * (next_u64() & 1 ? 1.0 : -1.0);
            next += 300 + below(401);
        }
        level[c] = lv;
    }
}

static int speed(const char *dir, size_t n)
{
    size_t total = n + SPEED_APPENDS;
    double *level = calloc(total, sizeof(*level));
    double *values = malloc(total * SPEED_PROCESSES * sizeof(*values));
    size_t *counts = malloc(total * sizeof(*counts));
    double full[SPEED_REPEATS], app[SPEED_APPENDS];
    btk_changepoint_detector *det;
    size_t np = 0;
    FILE *f = open_out(dir, "speed.csv");

    rng_state = 0x73706565;
    long_series(level, total);
    measure(values, counts, level, total, 0.01, SPEED_PROCESSES);
    fprintf(f, "commit,mean\n");
    for (size_t c = 0; c < total; c++) {
        double sum = 0.0;

        for (size_t p = 0; p < SPEED_PROCESSES; p++)
            sum += values[c * SPEED_PROCESSES + p];
        fprintf(f, "%zu,%.17g\n", c, sum / SPEED_PROCESSES);
    }
    fclose(f);
    for (int r = 0; r < SPEED_REPEATS; r++) {
        btk_changepoint *pts;
        double t0 = now_ms();

        if (btk_changepoint_detect(&pts, &np, values, counts, n, NULL) < 0)
            fail("detect");
        full[r] = now_ms() - t0;
        btk__free(pts);
    }
    if (btk_changepoint_new(&det, NULL) < 0 ||
        btk_changepoint_append(det, values, counts, n))
        fail("detect");
    for (size_t a = 0; a < SPEED_APPENDS; a++) {
        double t0 = now_ms();

        if (btk_changepoint_append(det, values + (n + a) * SPEED_PROCESSES,
                                   counts + n + a, 1) < 0)
            fail("append");
        app[a] = now_ms() - t0;
    }
    btk_changepoint_free(det);
    double full_median = median_of(full, SPEED_REPEATS);
    double app_median = median_of(app, SPEED_APPENDS);

    printf("benchtrack: whole detection over %zu commits (%d processes each, %zu change "
           "points): median %.2f ms (min %.2f, max %.2f over %d)   target < 50 ms\n",
           n, SPEED_PROCESSES, np, full_median, full[0], full[SPEED_REPEATS - 1],
           SPEED_REPEATS);
    printf(
        "benchtrack: append one commit to %zu: median %.3f ms (min %.3f, max %.3f over "
        "%d)   target < 1 ms\n",
        n, app_median, app[0], app[SPEED_APPENDS - 1], SPEED_APPENDS);
    free(level);
    free(values);
    free(counts);
    return 0;
}

/* "--name=value" options after the positional arguments. */
static int parse_options(int argc, char **argv, size_t *series_out, uint64_t *seed_out)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = strchr(a, '=');

        if (!v || strncmp(a, "--", 2) != 0)
            return -1;
        v++;
        if (strncmp(a, "--series=", 9) == 0)
            *series_out = strtoul(v, NULL, 10);
        else if (strncmp(a, "--seed=", 7) == 0)
            *seed_out = strtoull(v, NULL, 0);
        else if (strncmp(a, "--window=", 9) == 0)
            opts.window = strtoul(v, NULL, 10);
        else if (strncmp(a, "--min-segment=", 14) == 0)
            opts.min_segment = strtoul(v, NULL, 10);
        else if (strncmp(a, "--max-p=", 8) == 0)
            opts.max_p = strtod(v, NULL);
        else if (strncmp(a, "--min-magnitude=", 16) == 0)
            opts.min_magnitude = strtod(v, NULL);
        else if (strncmp(a, "--outliers=", 11) == 0)
            outliers = strtoul(v, NULL, 10);
        else if (strncmp(a, "--levels=", 9) == 0) {
            char *end;

            level_gap = strtod(v, &end);
            if (*end || !(level_gap >= 0.0))
                return -1;
        } else if (strncmp(a, "--states=", 9) == 0) {
            char *end;

            state_gap = strtod(v, &end);
            if (*end == ',')
                state_stay = strtod(end + 1, &end);
            if (*end || state_gap < 0.0 || state_stay < 0.0 || state_stay > 1.0)
                return -1;
        }
        else
            return -1;
    }
    return 0;
}

/* Replay a recorded series: lines "KEY VALUE" from stdin, consecutive lines of one KEY
 * being one commit's values (oldest commit first); prints each change point as
 * "INDEX MAGNITUDE P" (INDEX counts the commits read, from 0). With --max-p=0.5 it shows
 * how close the strongest false candidates came (bench/self/history-order.sh). */
static int points(void)
{
    size_t n = 0, cap = 0, commits = 0, *counts = NULL, count = 0;
    double *values = NULL, v;
    long long key, last = 0;
    btk_changepoint *cp = NULL;
    int status = 1;

    while (scanf("%lld %lf", &key, &v) == 2) {
        if (n == cap) { /* commits <= values: one capacity serves both */
            cap = cap ? 2 * cap : 256;
            double *grown = realloc(values, cap * sizeof(*values));
            if (grown == NULL)
                goto done;
            values = grown;
            size_t *more = realloc(counts, cap * sizeof(*counts));
            if (more == NULL)
                goto done;
            counts = more;
        }
        if (commits == 0 || key != last) {
            counts[commits++] = 0;
            last = key;
        }
        counts[commits - 1]++;
        values[n++] = v;
    }
    if (!feof(stdin)) {
        fprintf(stderr, "changepoint_bench points: expected lines \"KEY VALUE\"\n");
        goto done;
    }
    if (btk_changepoint_detect(&cp, &count, values, counts, commits, &opts) < 0) {
        fprintf(stderr, "changepoint_bench points: %s\n", btk_error_last()->message);
        goto done;
    }
    for (size_t i = 0; i < count; i++)
        printf("%zu %+.4f %.3g\n", cp[i].index, cp[i].magnitude, cp[i].p);
    status = 0;
done:
    btk__free(cp);
    free(values);
    free(counts);
    return status;
}

int main(int argc, char **argv)
{
    size_t total = 1000;
    uint64_t seed = 0x62746b63;

    if (argc >= 5 && strcmp(argv[1], "quality") == 0 &&
        parse_options(argc - 5, argv + 5, &total, &seed) == 0 && total >= 10)
        return quality(argv[2], strtod(argv[3], NULL), strtoul(argv[4], NULL, 10), total,
                       seed);
    if (argc >= 2 && strcmp(argv[1], "points") == 0 &&
        parse_options(argc - 2, argv + 2, &total, &seed) == 0)
        return points();
    if (argc >= 3 && strcmp(argv[1], "speed") == 0)
        return speed(argv[2], argc > 3 ? strtoul(argv[3], NULL, 10) : 10000);
    fprintf(stderr, "usage: changepoint_bench quality DIR CV PROCESSES [--series=N] "
                    "[--seed=S]\n"
                    "           [--window=W] [--min-segment=L] [--max-p=P] "
                    "[--min-magnitude=M] [--outliers=N] [--states=GAP,STAY] [--levels=GAP]\n"
                    "       changepoint_bench points [--max-p=P] [--min-magnitude=M] "
                    "< KEY-VALUE-LINES\n"
                    "       changepoint_bench speed DIR [COMMITS]\n");
    return 2;
}
