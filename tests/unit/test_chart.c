/* gnuplot charts (compare/report/chart.c): scripts, a real gnuplot session, hostile names
 * that must not run anything, change-point markers and levels, unit scaling. */
#include "chart.h"
#include "changepoint.h"

#include "check.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

/* Hostile names: each would run `touch PWNED<n>` if it reached gnuplot unescaped. */
static const char *hostile[] = {
    "x\" . system(\"touch PWNED1\") . \"",
    "`touch PWNED2`",
    "x'\nsystem('touch PWNED3')\n'",
    "x'; system(\"touch PWNED4\"); print '",
    "@cmd `touch PWNED5` \\",
    "x\r! touch PWNED6\n",
    "x''`touch PWNED7`''",
    "EOD\n!touch PWNED8\n$x << EOD",
};

static bool have_gnuplot(void)
{
    btk_buf b = BTK_BUF_INIT;
    int rc = btk_chart_find_gnuplot(&b);

    btk_buf_free(&b);
    btk_error_clear();
    return rc == 0;
}

static bool file_nonempty(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

static void fill_trend(btk_trend_point *p, size_t n, const char *sha)
{
    size_t i;

    for (i = 0; i < n; i++) {
        double base = i < n / 2 ? 1500.0 : 1800.0;
        p[i].sha = sha;
        p[i].median = base * (1 + 0.01 * sin((double)i));
        p[i].ci_low = p[i].median * 0.98;
        p[i].ci_high = p[i].median * 1.02;
        p[i].step = i == n / 2 ? 1 : 0;
        p[i].level = i < n / 2 ? 1500.0 : 1800.0;
    }
}

static void fill_verdicts(btk_verdict *v, size_t n, const char *name)
{
    size_t i;

    memset(v, 0, n * sizeof(*v));
    for (i = 0; i < n; i++) {
        v[i].name = (char *)name;
        v[i].kind =
            (btk_verdict_kind)(i % 2 ? BTK_VERDICT_UNCHANGED : BTK_VERDICT_REGRESSED);
        v[i].ratio = 1 + 0.03 * (double)i;
        v[i].ci_low = v[i].ratio - 0.01;
        v[i].ci_high = v[i].ratio + 0.01;
        v[i].noise_band = 0.02;
    }
}

/* Draw every kind of chart with name in every untrusted position; paths "<tag>N.svg". */
static void draw_all(btk_chart *c, const char *name, int n, btk_chart_format fmt)
{
    btk_trend_point tp[12];
    btk_verdict v[3];
    double samples[50], spark[12];
    btk_dist_side sides[2] = {{name, samples, 50}, {name, samples, 25}};
    const char *ext = fmt == BTK_CHART_PNG ? "png" : "svg";
    char path[5][64];
    btk_chart_out out[5];
    static const double sizes[] = {8, 64, 512, 4096}, times[] = {10, 75, 610, 4900};
    btk_cx_fit fit;
    btk_size_chart size = {name, name, sizes, times, 4, &fit};
    int i;

    for (i = 0; i < 5; i++) {
        snprintf(path[i], sizeof(path[i]), "%s%d.%s",
                 (const char *[]){"trend", "cmp", "dist", "spark", "size"}[i], n, ext);
        out[i] = (btk_chart_out){path[i], fmt, 640, 360};
    }
    assert_int_equal(btk_complexity_fit(&fit, sizes, times, 4), 0);
    fill_trend(tp, 12, name);
    fill_verdicts(v, 3, name);
    for (i = 0; i < 50; i++)
        samples[i] = 1000 + 10 * i;
    for (i = 0; i < 12; i++)
        spark[i] = tp[i].median;
    assert_int_equal(btk_chart_trend(c, &out[0], name, tp, 12), 0);
    assert_int_equal(btk_chart_count_trend(c, &out[0], name, tp, 12), 0);
    assert_int_equal(btk_chart_compare(c, &out[1], name, v, 3), 0);
    assert_int_equal(btk_chart_dist(c, &out[2], name, sides, 2), 0);
    assert_int_equal(btk_chart_sparkline(c, &out[3], spark, 12), 0);
    assert_int_equal(btk_chart_size(c, &out[4], &size), 0);
}

/* Count directory entries whose name starts with PWNED. */
static int count_pwned(const char *dir)
{
    char *const argv[] = {"sh", "-c", "ls -a | grep -c '^PWNED' || true", NULL};
    char *output = NULL, cwd[4096];
    int n;

    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(test_run(argv, &output), 0);
    assert_int_equal(chdir(cwd), 0);
    n = atoi(output);
    free(output);
    return n;
}

static void chart__control_gnuplot_really_runs_commands(void **state)
{
    char *dir, *output = NULL, cwd[4096];
    char *const argv[] = {"gnuplot", "-e", "system('touch PWNED0')", NULL};

    (void)state;
    if (!have_gnuplot())
        skip();
    /* proves the PWNED check below can fail: unescaped text does run */
    dir = test_tmpdir("chart-ctl");
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(test_run(argv, &output), 0);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(count_pwned(dir), 1);
    free(output);
    test_rmtree(dir);
}

static void chart__hostile_names_run_nothing(void **state)
{
    char *dir, cwd[4096], path[64];
    btk_chart *c;
    size_t i;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("chart-hostile");
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(btk_chart_open(&c), 0);
    for (i = 0; i < BTK_ARRAY_SIZE(hostile); i++)
        draw_all(c, hostile[i], (int)i, i % 2 ? BTK_CHART_PNG : BTK_CHART_SVG);
    if (btk_chart_close(c) != 0)
        fail_msg("%s", btk_error_last()->message);
    for (i = 0; i < BTK_ARRAY_SIZE(hostile); i++) {
        snprintf(path, sizeof(path), "trend%zu.%s", i, i % 2 ? "png" : "svg");
        assert_true(file_nonempty(path));
        snprintf(path, sizeof(path), "dist%zu.%s", i, i % 2 ? "png" : "svg");
        assert_true(file_nonempty(path));
        snprintf(path, sizeof(path), "size%zu.%s", i, i % 2 ? "png" : "svg");
        assert_true(file_nonempty(path));
    }
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(count_pwned(dir), 0);
    test_rmtree(dir);
}

/* Outside single-quoted literals the script holds no quote, backquote, macro or name. */
static void check_script_line(const char *line, bool in_data)
{
    bool quoted = false;
    const char *p;

    if (in_data) { /* data blocks: numbers only */
        if (strspn(line, "0123456789abcdefxN.-+ ") != strlen(line))
            fail_msg("data line '%s'", line);
        return;
    }
    for (p = line; *p; p++) {
        if (*p == '\'') {
            quoted = !quoted;
            continue;
        }
        if (!quoted) {
            assert_null(strchr("\"`@!", *p));
            assert_true(*p != '\\' || p[1] == '\0'); /* only as line continuation */
            assert_true(strncmp(p, "PWNED", 5) != 0);
        }
    }
    assert_false(quoted); /* every literal closes on its own line */
}

static void chart__script_keeps_names_inside_single_quotes(void **state)
{
    char *script = NULL, *line, *save = NULL;
    size_t len = 0, i;
    FILE *f = open_memstream(&script, &len);
    btk_chart *c;
    bool in_data = false;

    (void)state;
    assert_non_null(f);
    assert_int_equal(btk_chart_open_script(&c, f), 0);
    for (i = 0; i < BTK_ARRAY_SIZE(hostile); i++)
        draw_all(c, hostile[i], (int)i, BTK_CHART_SVG);
    assert_int_equal(btk_chart_close(c), 0);
    fclose(f);
    assert_non_null(strstr(script, "noenhanced"));
    for (line = strtok_r(script, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!strcmp(line, "EOD")) {
            in_data = false;
            continue;
        }
        check_script_line(line, in_data);
        if (line[0] == '$' && strlen(line) > 7 &&
            !strcmp(line + strlen(line) - 7, " << EOD"))
            in_data = true;
    }
    free(script);
}

/* Where sample charts for people to look at go: $BTK_BUILD_DIR/chart-samples, else a
 * temporary directory removed at the end. */
static char *samples_dir(bool *keep)
{
    const char *build = getenv("BTK_BUILD_DIR");
    char *dir;

    *keep = build && *build;
    if (!*keep)
        return test_tmpdir("chart-samples");
    dir = malloc(strlen(build) + 32);
    assert_non_null(dir);
    snprintf(dir, strlen(build) + 32, "%s/chart-samples", build);
    mkdir(dir, 0777);
    return dir;
}

static void realistic_charts(btk_chart *c, const char *dir, btk_chart_format fmt)
{
    static char names[20][40];
    btk_trend_point tp[150];
    double med[150], a[300], b[300];
    char sha[150][41], path[4][512];
    btk_verdict v[20];
    btk_dist_side sides[2] = {{"base 1a2b3c4 (#12)", a, 300}, {"HEAD 9f8e7d6", b, 240}};
    size_t i;
    const char *ext = fmt == BTK_CHART_PNG ? "png" : "svg";
    btk_chart_out out[4];

    for (i = 0; i < 4; i++) {
        snprintf(path[i], sizeof(path[i]), "%s/%s.%s", dir,
                 (const char *[]){"trend", "compare", "dist", "spark"}[i], ext);
        out[i] = (btk_chart_out){path[i], fmt, 1000, i == 1 ? 120 + 26 * 20 : 420};
    }
    out[3].width = 160, out[3].height = 36;
    for (i = 0; i < 150; i++) {
        snprintf(sha[i], sizeof(sha[i]), "%07zx%s", 0xa11ce0 + i * 7919, "deadbeef");
        med[i] = (i < 60    ? 1.25e6
                  : i < 110 ? 1.40e6
                            : 1.18e6) *
                 (1 + 0.01 * sin(i * 1.7));
        if (i == 80)
            med[i] *= 1.5; /* one outlier: not a step */
        tp[i] = (btk_trend_point){sha[i], med[i], med[i] * 0.985, med[i] * 1.015, 0, NAN};
    }
    assert_int_equal(btk_chart_changes(NULL, NULL, tp, 150, NULL, NULL), 0);
    fill_verdicts(v, 20, "");
    for (i = 0; i < 20; i++) {
        snprintf(names[i], sizeof(names[i]), "%s/%d", i % 3 ? "hash/fnv1a" : "sort/qsort",
                 16 << i);
        v[i].name = names[i];
        v[i].ratio = 1 + 0.04 * sin(i * 2.1);
        v[i].ci_low = v[i].ratio - 0.004 * (double)(i % 5 + 1);
        v[i].ci_high = v[i].ratio + 0.004 * (double)(i % 5 + 1);
        v[i].kind = v[i].ci_low > 1.02    ? BTK_VERDICT_REGRESSED
                    : v[i].ci_high < 0.98 ? BTK_VERDICT_IMPROVED
                    : i % 7 == 3          ? BTK_VERDICT_INCONCLUSIVE
                                          : BTK_VERDICT_UNCHANGED;
    }
    for (i = 0; i < 300; i++) {
        a[i] = 850 + 40 * sin(i * 0.37) + (i % 17 == 0 ? 120 : 0);
        b[i] = 910 + 35 * cos(i * 0.41);
    }
    assert_int_equal(
        btk_chart_trend(c, &out[0], "sort/qsort/1048576 - main on build-01", tp, 150), 0);
    assert_int_equal(btk_chart_compare(c, &out[1], "main 1a2b3c4 vs HEAD 9f8e7d6", v, 20),
                     0);
    assert_int_equal(btk_chart_dist(c, &out[2], "hash/fnv1a/64: samples", sides, 2), 0);
    assert_int_equal(btk_chart_sparkline(c, &out[3], med, 150), 0);
}

static void chart__draws_png_and_svg(void **state)
{
    bool keep;
    char *dir, path[512], *data;
    size_t len;
    btk_chart *c;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = samples_dir(&keep);
    assert_int_equal(btk_chart_open(&c), 0);
    realistic_charts(c, dir, BTK_CHART_PNG);
    realistic_charts(c, dir, BTK_CHART_SVG);
    assert_int_equal(btk_chart_close(c), 0);
    snprintf(path, sizeof(path), "%s/trend.png", dir);
    assert_non_null(data = test_read_file(path, &len));
    assert_true(len > 1000 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8));
    free(data);
    snprintf(path, sizeof(path), "%s/compare.svg", dir);
    assert_non_null(data = test_read_file(path, &len));
    assert_non_null(strstr(data, "<svg"));
    assert_non_null(strstr(data, "hash/fnv1a/32"));
    free(data);
    if (keep)
        free(dir);
    else
        test_rmtree(dir);
}

/* A report of one commit has no base side: the distribution chart must still be a valid
 * gnuplot command (it once began "plot , ..."). */
static void chart__dist_with_an_empty_side_draws(void **state)
{
    char *dir = test_tmpdir("chart-dist"), path[512], *data;
    double b[5] = {10, 11, 12, 11, 10};
    btk_dist_side sides[2] = {{"base -", NULL, 0}, {"latest abc1234", b, 5}};
    btk_chart_out out = {path, BTK_CHART_SVG, 600, 300};
    btk_chart *c;
    size_t len;

    (void)state;
    if (!have_gnuplot()) {
        test_rmtree(dir);
        skip();
    }
    snprintf(path, sizeof(path), "%s/dist.svg", dir);
    assert_int_equal(btk_chart_open(&c), 0);
    assert_int_equal(btk_chart_dist(c, &out, "one side", sides, 2), 0);
    assert_int_equal(btk_chart_close(c), 0);
    assert_non_null(data = test_read_file(path, &len));
    assert_non_null(strstr(data, "<svg"));
    free(data);
    test_rmtree(dir);
}

static void chart__gnuplot_error_is_reported(void **state)
{
    btk_chart *c;
    btk_chart_out out = {"/nonexistent-dir/x/trend.svg", BTK_CHART_SVG, 400, 300};
    double v[3] = {1, 2, 3};

    (void)state;
    if (!have_gnuplot())
        skip();
    assert_int_equal(btk_chart_open(&c), 0);
    assert_int_equal(btk_chart_sparkline(c, &out, v, 3), 0);
    assert_int_equal(btk_chart_close(c), BTK_EIO); /* gnuplot drew, the copy failed */
    assert_string_equal(btk_error_last()->message,
                        "cannot write '/nonexistent-dir/x/trend.svg': No such file or "
                        "directory");
}

static void chart__bad_output_path_refused(void **state)
{
    btk_chart *c;
    btk_chart_out out = {"a\nb.svg", BTK_CHART_SVG, 400, 300};
    double v[1] = {1};
    FILE *f = tmpfile();

    (void)state;
    assert_int_equal(btk_chart_open_script(&c, f), 0);
    assert_int_equal(btk_chart_sparkline(c, &out, v, 1), BTK_EINVAL);
    assert_non_null(strstr(btk_error_last()->message, "'a\\nb.svg'"));
    out.path = "~/x.svg";
    assert_int_equal(btk_chart_sparkline(c, &out, v, 1), BTK_EINVAL);
    assert_int_equal(btk_chart_close(c), 0);
    assert_int_equal(ftell(f), 0);
    fclose(f);
}

static void chart__missing_gnuplot_names_the_package(void **state)
{
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL,
         *dir = test_tmpdir("nogp");
    btk_chart *c = (btk_chart *)&c;

    (void)state;
    setenv("PATH", dir, 1);
    assert_int_equal(btk_chart_open(&c), BTK_EUNSUPPORTED);
    assert_null(c);
    assert_non_null(strstr(btk_error_last()->message, "gnuplot-nox"));
    if (old)
        setenv("PATH", old, 1);
    free(old);
    test_rmtree(dir);
}

/* A series in µs (ns stored) with `procs` per-process values per commit around each
 * commit's level: +-0.6 % in a fixed pattern, so the test is deterministic. */
static void fill_procs(double *values, size_t *counts, btk_trend_point *tp,
                       const double *level_us, size_t n, size_t procs)
{
    static const double wobble[] = {-0.006, 0.004, 0.0, -0.002, 0.006, 0.002, -0.004};
    size_t i, j, v = 0;

    for (i = 0; i < n; i++) {
        counts[i] = procs;
        for (j = 0; j < procs; j++)
            values[v++] = level_us[i] * 1e3 * (1 + wobble[(i + j) % 7]);
        tp[i] = (btk_trend_point){"abcdef0", level_us[i] * 1e3, level_us[i] * 990,
                                  level_us[i] * 1010, 0, NAN};
    }
}

/* The example, 302 298 314 312 365 366 us, made long enough for the detector's
 * minimum segment (5 commits on each side): one change point, on the commit that went to
 * 365, slower, and the segment levels are the means of each side. */
static void changes__marker_on_the_commit_that_went_to_365(void **state)
{
    const double us[] = {302, 298, 314, 312, 305, 300, 365, 366, 362, 368, 364};
    double values[11 * 5], before = 0, after = 0;
    size_t counts[11], n = 0, i;
    btk_trend_point tp[11];
    btk_changepoint *cp = NULL;

    (void)state;
    fill_procs(values, counts, tp, us, 11, 5);
    assert_int_equal(btk_chart_changes(&cp, &n, tp, 11, values, counts), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].index, 6);
    assert_true(cp[0].magnitude > 0.17 && cp[0].magnitude < 0.22);
    for (i = 0; i < 11; i++) {
        assert_int_equal(tp[i].step, i == 6 ? 1 : 0);
        *(i < 6 ? &before : &after) += us[i] * 1e3 / (i < 6 ? 6 : 5);
    }
    for (i = 0; i < 11; i++)
        check_near(tp[i].level, i < 6 ? before : after, 1e-3);
    btk__free(cp);
}

/* The count trend (report, counting runs): counts drawn unscaled (no time unit), a
 * nondeterministic point's range in columns 3-4, the change points' steps in column 5. */
static void count_trend__data_holds_counts_ranges_and_steps(void **state)
{
    btk_trend_point tp[4] = {{"aaaaaaa", 1000, NAN, NAN, 0, NAN},
                             {"bbbbbbb", 1000.5, NAN, NAN, 0, NAN},
                             {"ccccccc", 1010, 990, 1111, 0, NAN},
                             {"ddddddd", 1010, NAN, NAN, 1, NAN}};
    btk_chart_out out = {"count.svg", BTK_CHART_SVG, 640, 360};
    char *script = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&script, &len);
    btk_chart *c;

    (void)state;
    assert_non_null(f);
    assert_int_equal(btk_chart_open_script(&c, f), 0);
    assert_int_equal(btk_chart_count_trend(c, &out, "b", tp, 4), 0);
    assert_int_equal(btk_chart_close(c), 0);
    fclose(f);
    assert_non_null(strstr(script, "set ylabel 'instructions per iteration'"));
    assert_non_null(strstr(script, "0 1000 NaN NaN 0 NaN\n1 1000.5 NaN NaN 0 NaN\n"
                                   "2 1010 990 1111 0 NaN\n3 1010 NaN NaN 1 NaN\nEOD"));
    assert_non_null(strstr(script, "title 'count regression'"));
    free(script);
}

/* How many commits after a step the report needs: with 4 commits at the new level the
 * step is not marked yet (the detector's min_segment is 5), with 5 it is. The six
 * commits (2 after the step) are therefore not marked. */
static void changes__a_step_is_marked_once_five_commits_show_it(void **state)
{
    const double us[] = {302, 298, 314, 312, 305, 300, 365, 366, 362, 368, 364};
    double values[11 * 5];
    size_t counts[11], n = 0, i;
    btk_trend_point tp[11];

    (void)state;
    fill_procs(values, counts, tp, us, 11, 5);
    assert_int_equal(btk_chart_changes(NULL, NULL, tp, 10, values, counts), 0);
    for (i = 0; i < 10; i++)
        assert_int_equal(tp[i].step, 0);
    fill_procs(values, counts, tp, (const double[]){302, 298, 314, 312, 365, 366}, 6, 5);
    assert_int_equal(btk_chart_changes(NULL, NULL, tp, 6, values, counts), 0);
    for (i = 0; i < 6; i++)
        n += tp[i].step != 0;
    assert_int_equal(n, 0);
}

/* A single slow commit (a spike of +50 %) in a flat series is not a change point. */
static void changes__a_spike_is_not_marked(void **state)
{
    double us[16], values[16 * 5], mean = 0;
    size_t counts[16], n = 99, i;
    btk_trend_point tp[16];
    btk_changepoint *cp = NULL;

    (void)state;
    for (i = 0; i < 16; i++) {
        us[i] = i == 8 ? 450 : 300 + (double)(i % 3);
        mean += us[i] * 1e3 / 16;
    }
    fill_procs(values, counts, tp, us, 16, 5);
    assert_int_equal(btk_chart_changes(&cp, &n, tp, 16, values, counts), 0);
    assert_int_equal(n, 0);
    assert_null(cp);
    for (i = 0; i < 16; i++) {
        assert_int_equal(tp[i].step, 0);
        check_near(tp[i].level, mean, 3e-3); /* one level: the spike is inside it */
    }
}

/* Points without values (failed commits) are skipped by the detector but keep their
 * place: the marker lands on the right point and they get no level. Without values
 * (`benchtrack chart`) each point's median is its one value. */
static void changes__failed_points_keep_positions(void **state)
{
    double us[14], values[14 * 3];
    size_t counts[14], n = 0, i;
    btk_trend_point tp[14];
    btk_changepoint *cp = NULL;

    (void)state;
    for (i = 0; i < 14; i++)
        us[i] = i < 7 ? 100 : 130;
    fill_procs(values, counts, tp, us, 14, 3);
    counts[2] = 0; /* commit 2 failed: its values are dropped, the rest shift down */
    memmove(&values[6], &values[9], (14 - 3) * 3 * sizeof(double));
    tp[2].median = NAN;
    assert_int_equal(btk_chart_changes(&cp, &n, tp, 14, values, counts), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].index, 7);
    assert_int_equal(tp[7].step, 1);
    assert_true(isnan(tp[2].level));
    btk__free(cp);
    for (i = 0; i < 14; i++)
        tp[i].step = 9;
    assert_int_equal(btk_chart_changes(NULL, NULL, tp, 14, NULL, NULL), 0);
    for (i = 0; i < 14; i++)
        assert_int_equal(tp[i].step, i == 7 ? 1 : 0);
}

/* Where a change may lie (first..last, docs/statistics.md "Where a point lies") is given
 * as positions in the points, like index. Here the step from about 100 to 110 may lie at
 * any of several commits around it, and one of them failed (no value). The reference:
 * the detector run directly over the 14 values, its series positions moved past the
 * failed point by hand. Before the positions were rewritten, the report read first and
 * last as positions and named the commit one before the range's last (a wrong sha). */
static void changes__where_a_change_may_lie_is_in_positions(void **state)
{
    const double m[15] = {100, 98, 102, 99, 101, 103, 104, NAN, 105, 107, 111, 108, 110,
                          112, 109};
    double series[14];
    size_t ones[14], n = 0, rn = 0, k = 0;
    btk_trend_point tp[15];
    btk_changepoint *cp = NULL, *ref = NULL;

    (void)state;
    for (size_t i = 0; i < 15; i++) {
        tp[i] = (btk_trend_point){"abcdef0", m[i], NAN, NAN, 0, NAN};
        if (!isnan(m[i]))
            series[k] = m[i], ones[k++] = 1;
    }
    assert_int_equal(btk_chart_changes(&cp, &n, tp, 15, NULL, NULL), 0);
    assert_int_equal(btk_changepoint_detect(&ref, &rn, series, ones, 14, NULL), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rn, 1);
    assert_true(ref[0].last > ref[0].first); /* a range of several commits */
    assert_true(ref[0].first < 7 && ref[0].last >= 7); /* across the failed point */
    assert_int_equal(cp[0].index, ref[0].index + (ref[0].index >= 7));
    assert_int_equal(cp[0].first, ref[0].first + (ref[0].first >= 7));
    assert_int_equal(cp[0].last, ref[0].last + (ref[0].last >= 7));
    btk__free(cp);
    btk__free(ref);
}

static void unit__scales_to_readable_units(void **state)
{
    double s;

    (void)state;
    assert_string_equal(btk_chart_unit(999, &s), "ns");
    check_near(s, 1, 0);
    assert_string_equal(btk_chart_unit(1500, &s), "µs");
    check_near(s, 1e3, 0);
    assert_string_equal(btk_chart_unit(2.5e8, &s), "ms");
    assert_string_equal(btk_chart_unit(3e9, &s), "s");
    assert_string_equal(btk_chart_unit(NAN, &s), "ns");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chart__control_gnuplot_really_runs_commands),
        cmocka_unit_test(changes__where_a_change_may_lie_is_in_positions),
        cmocka_unit_test(chart__hostile_names_run_nothing),
        cmocka_unit_test(chart__script_keeps_names_inside_single_quotes),
        cmocka_unit_test(chart__draws_png_and_svg),
        cmocka_unit_test(chart__dist_with_an_empty_side_draws),
        cmocka_unit_test(chart__gnuplot_error_is_reported),
        cmocka_unit_test(chart__bad_output_path_refused),
        cmocka_unit_test(chart__missing_gnuplot_names_the_package),
        cmocka_unit_test(changes__marker_on_the_commit_that_went_to_365),
        cmocka_unit_test(changes__a_step_is_marked_once_five_commits_show_it),
        cmocka_unit_test(changes__a_spike_is_not_marked),
        cmocka_unit_test(count_trend__data_holds_counts_ranges_and_steps),
        cmocka_unit_test(changes__failed_points_keep_positions),
        cmocka_unit_test(unit__scales_to_readable_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
