/* The HTML report (compare/report/report.c, html*.c): pages, charts and links on a synthetic
 * store with hostile names, and the pages as headless Chromium sees them. */
#include "report.h"
#include "escape.h"
#include "report_synth.h"
#include "store.h"

#include "check.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#define COMMITS 12
#define BENCHES 5

static const char *const names[BENCHES] = {
    "sort/1024",
    "<img src=x onerror=alert(1)>",
    "../../etc/passwd",
    "x\" . system(\"touch PWNED1\") . \"",
    "`touch PWNED2`'\nsystem('touch PWNED3')",
};

/* A store with two machines (other CPUs; one with a hostile host name) and COMMITS commits; sort/1024
 * slows down by 20% from commit 6 on, names[1] by 30% on the newest commit. shas[0] is
 * the newest. */
static void make_store(const char *db_path, char shas[COMMITS][41])
{
    static const char *hosts[] = {"alpha", "<b>beta</b>"};
    double levels[BENCHES];
    btk_store *db;
    btk_run *run;
    int64_t id;
    size_t c, h, k;

    assert_int_equal(btk_store_open(&db, db_path, 0), 0);
    for (c = 0; c < COMMITS; c++) /* c = 0 is the oldest */
        snprintf(shas[COMMITS - 1 - c], 41, "%040zx", 0xabc000 + c);
    for (h = 0; h < 2; h++)
        for (c = 0; c < COMMITS; c++) {
            synth_spec sp = {shas[COMMITS - 1 - c],
                             "main",
                             "<script>alert(1)</script>",
                             hosts[h],
                             1700000000 + (int64_t)c,
                             names,
                             levels,
                             BENCHES,
                             3,
                             20,
                             7 + c + 100 * h};
            for (k = 0; k < BENCHES; k++)
                levels[k] = 1000.0 * (double)(k + 1) * (k == 0 && c >= 6 ? 1.2 : 1.0) *
                            (k == 1 && c == COMMITS - 1 ? 1.3 : 1.0);
            assert_int_equal(synth_run(&run, &sp), 0);
            if (h == 1) { /* other hardware: a machine of its own (the host name is not) */
                btk__free(run->machine.cpu_model);
                run->machine.cpu_model = btk__strdup("Other CPU");
                assert_int_equal(btk_machine_fingerprint(&run->machine), 0);
            }
            assert_int_equal(btk_store_add_run(db, run, &id), 0);
            btk_run_free(run);
        }
    btk_store_close(db);
}

/* Make a store and a report in dir/out; returns the index path (malloc'd). */
static char *make_report(const char *dir, btk_chart_format fmt)
{
    btk_report_options o = BTK_REPORT_OPTIONS_INIT;
    btk_buf index = BTK_BUF_INIT, path = BTK_BUF_INIT, out = BTK_BUF_INIT;
    char shas[COMMITS][41], cwd[4096];
    btk_store *db;

    assert_int_equal(btk_buf_printf(&path, "%s/r.db", dir), 0);
    assert_int_equal(btk_buf_printf(&out, "%s/out", dir), 0);
    make_store(path.ptr, shas);
    assert_int_equal(btk_store_open(&db, path.ptr, BTK_STORE_READONLY), 0);
    o.out_dir = out.ptr;
    o.branch = "main\"><script>alert(2)</script>";
    o.shas = (const char(*)[41])shas;
    o.sha_count = COMMITS;
    o.format = fmt;
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0); /* gnuplot's cwd: where PWNED files would appear */
    if (btk_report_write(db, &o, &index) != 0)
        fail_msg("report: %s", btk_error_last()->message);
    assert_int_equal(chdir(cwd), 0);
    btk_store_close(db);
    btk_buf_free(&path);
    btk_buf_free(&out);
    return btk_buf_detach(&index);
}

static bool have_gnuplot(void)
{
    btk_buf b = BTK_BUF_INIT;
    int rc = btk_chart_find_gnuplot(&b);

    btk_buf_free(&b);
    btk_error_clear();
    return rc == 0;
}

static bool nonempty_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

/* Percent-decode s in place. */
static void url_decode(char *s)
{
    char *w = s;
    unsigned v;

    for (; *s; s++, w++) {
        if (s[0] == '%' && sscanf(s + 1, "%2x", &v) == 1)
            *w = (char)v, s += 2;
        else
            *w = *s;
    }
    *w = '\0';
}

/* Every href="..." and src="..." in html resolves to a non-empty file under dir (anchors
 * within the page and fragments are allowed; no scheme, no absolute path, no "..").
 * Returns the number of links checked. */
static size_t check_links(const char *dir, const char *html)
{
    static const char *attrs[] = {"href=\"", "src=\""};
    char target[1024], path[2048];
    const char *p, *end;
    size_t a, n = 0, len;

    for (a = 0; a < 2; a++)
        for (p = strstr(html, attrs[a]); p; p = strstr(end, attrs[a])) {
            p += strlen(attrs[a]);
            end = strchr(p, '"');
            assert_non_null(end);
            len = (size_t)(end - p) < sizeof(target) - 1 ? (size_t)(end - p)
                                                         : sizeof(target) - 1;
            memcpy(target, p, len);
            target[len] = '\0';
            target[strcspn(target, "#")] = '\0';
            if (target[0] == '\0')
                continue; /* "#m1": an anchor in the same page */
            assert_null(strchr(target, ':'));
            assert_true(target[0] != '/');
            url_decode(target);
            assert_null(strstr(target, "../")); /* no parent segment */
            snprintf(path, sizeof(path), "%s/%s", dir, target);
            if (!nonempty_file(path))
                fail_msg("broken link '%s'", target);
            n++;
        }
    return n;
}

/* Every file under dir (and dir/img) has a safe name; returns the number of html files.
 */
static size_t check_tree(const char *dir, bool top)
{
    char sub[2048];
    struct dirent *e;
    DIR *d = opendir(dir);
    size_t html = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        assert_true(strspn(e->d_name,
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789._-") == strlen(e->d_name));
        if (top && !strcmp(e->d_name, "img")) {
            snprintf(sub, sizeof(sub), "%s/img", dir);
            check_tree(sub, false);
            continue;
        }
        html += strstr(e->d_name, ".html") != NULL;
    }
    closedir(d);
    return html;
}

/* Entries of dir (not recursive) named PWNED* */
static int count_pwned(const char *dir)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += !strncmp(e->d_name, "PWNED", 5);
    closedir(d);
    return n;
}

static void report__pages_escape_names_and_links_resolve(void **state)
{
    char *dir, *index, *html, path[2048];
    struct dirent *e;
    size_t links = 0, pages;
    DIR *d;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("report");
    index = make_report(dir, BTK_CHART_SVG);
    assert_non_null(strstr(index, "/out/index.html"));
    html = test_read_file(index, NULL);
    assert_non_null(html);
    /* hostile text appears escaped, never as markup */
    assert_non_null(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
    assert_null(strstr(html, "<img src=x"));
    assert_null(strstr(html, "<script>alert"));
    assert_null(strstr(html, "<b>beta"));
    assert_non_null(strstr(html, "&lt;b&gt;beta&lt;/b&gt;"));
    assert_non_null(strstr(html, "main&quot;&gt;&lt;script&gt;"));
    /* machines kept apart: one section each; the slowed benchmark is listed first */
    assert_non_null(strstr(html, "id=\"m1\""));
    assert_non_null(strstr(html, "id=\"m2\""));
    assert_null(strstr(html, "id=\"m3\""));
    free(html);
    snprintf(path, sizeof(path), "%s/out", dir);
    pages = check_tree(path, true);
    assert_int_equal(pages, 1 + 2 * BENCHES);
    assert_non_null(d = opendir(path));
    while ((e = readdir(d)) != NULL) {
        char page[2400];
        if (!strstr(e->d_name, ".html"))
            continue;
        snprintf(page, sizeof(page), "%s/%s", path, e->d_name);
        assert_non_null(html = test_read_file(page, NULL));
        assert_null(strstr(html, "<script>alert"));
        links += check_links(path, html);
        free(html);
    }
    closedir(d);
    /* index: 2 x (compare chart + 5 x (page + sparkline)); pages: back link, trend, dist
     */
    assert_true(links >= 2 * (1 + 2 * BENCHES) + 2 * BENCHES * 3);
    assert_int_equal(count_pwned(dir), 0);
    free(index);
    test_rmtree(dir);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;

    for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
        n++;
    return n;
}

static char *read_page(const char *dir, int machine, const char *name)
{
    btk_buf p = BTK_BUF_INIT;
    char *html;

    assert_int_equal(btk_buf_printf(&p, "%s/out/m%d-", dir, machine), 0);
    assert_int_equal(btk_escape_filename(&p, name), 0);
    assert_int_equal(btk_buf_puts(&p, ".html"), 0);
    html = test_read_file(p.ptr, NULL);
    if (html == NULL)
        fail_msg("no page '%s'", p.ptr);
    btk_buf_free(&p);
    return html;
}

static void report__steps_and_verdicts_shown(void **state)
{
    char *dir, *index, *html;
    const char *first_row;
    int m;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("report-step");
    index = make_report(dir, BTK_CHART_PNG);
    html = test_read_file(index, NULL);
    /* per machine, the regressed benchmark is the first row, marked regressed */
    first_row = strstr(html, "<tbody>");
    assert_non_null(first_row);
    assert_true(strstr(first_row, "onerror") < strstr(first_row, "sort/1024"));
    assert_int_equal(count_of(html, "class=\"v-regressed\""), 2);
    assert_true(strstr(html, ".png\"") != NULL && strstr(html, ".svg\"") == NULL);
    free(html);
    for (m = 1; m <= 2; m++) {
        html = read_page(dir, m, "sort/1024"); /* the 20% step: one marker, up */
        assert_int_equal(count_of(html, "class=\"step-up\""), 1);
        assert_int_equal(count_of(html, "class=\"step-down\""), 0);
        assert_non_null(strstr(html, "Verdict: <span class=\"v-unchanged\">"));
        free(html);
        html = read_page(dir, m, names[2]);
        assert_int_equal(count_of(html, "class=\"step-"), 0);
        free(html);
    }
    free(index);
    test_rmtree(dir);
}

/* ---- what a baseline takes (dirty runs, builds), failed results, commit counting ---- */

#define TCOMMITS 6

typedef struct trun {
    size_t commit;    /* 0 = oldest of TCOMMITS */
    double level;     /* median ns of "parse" */
    bool dirty;
    const char *flags;  /* NULL: "-O2" */
    bool failed;        /* "parse" failed */
    const char *warning;
} trun;

/* A store of runs of one benchmark "parse" (plus "copy", with throughput) on the commits
 * shas (newest first) of TCOMMITS; report it with o's options into dir/out. Returns the
 * index html (malloc'd). */
static char *trust_report(const char *dir, const trun *runs, size_t n,
                          btk_report_options *o, char shas[TCOMMITS][41])
{
    static const char *const tnames[] = {"parse", "copy"};
    btk_buf path = BTK_BUF_INIT, out = BTK_BUF_INIT, index = BTK_BUF_INIT;
    double levels[2];
    btk_store *db;
    btk_run *run;
    int64_t id;
    char cwd[4096], *html;

    for (size_t c = 0; c < TCOMMITS; c++)
        snprintf(shas[TCOMMITS - 1 - c], 41, "%040zx", 0xdef000 + c);
    assert_int_equal(btk_buf_printf(&path, "%s/t.db", dir), 0);
    assert_int_equal(btk_buf_printf(&out, "%s/out", dir), 0);
    assert_int_equal(btk_store_open(&db, path.ptr, 0), 0);
    for (size_t i = 0; i < n; i++) {
        synth_spec sp = {shas[TCOMMITS - 1 - runs[i].commit], "main", "subject", "host",
                         1700000000 + (int64_t)runs[i].commit, tnames, levels, 2, 4, 20,
                         11 + i};
        levels[0] = runs[i].level, levels[1] = 500;
        assert_int_equal(synth_run(&run, &sp), 0);
        run->commit.dirty = runs[i].dirty;
        run->results[1].bytes_per_iter = 1000; /* 1000 B per 500 ns: 2 GB/s */
        run->results[1].items_per_iter = 4;    /* 8 M items/s */
        if (runs[i].flags) {
            btk__free(run->flags);
            run->flags = btk__strdup(runs[i].flags);
        }
        if (runs[i].failed) {
            btk_result *r = &run->results[0];
            for (size_t k = 0; k < r->proc_count; k++)
                btk__free(r->procs[k].ns), btk__free(r->procs[k].batch);
            btk__free(r->procs);
            r->procs = NULL, r->proc_count = 0;
            r->status = BTK_RESULT_FAILED;
            r->error_kind = btk__strdup("signal");
            r->error_message = btk__strdup("killed by signal SIGSEGV");
            btk_stats_init(&r->stats);
        }
        if (runs[i].warning) {
            run->warnings = btk__calloc(1, sizeof(char *));
            run->warnings[0] = btk__strdup(runs[i].warning);
            run->warning_count = 1;
        }
        assert_int_equal(btk_store_add_run(db, run, &id), 0);
        btk_run_free(run);
    }
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, path.ptr, BTK_STORE_READONLY), 0);
    o->out_dir = out.ptr;
    o->shas = (const char(*)[41])shas;
    o->sha_count = TCOMMITS;
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    if (btk_report_write(db, o, &index) != 0)
        fail_msg("report: %s", btk_error_last()->message);
    assert_int_equal(chdir(cwd), 0);
    btk_store_close(db);
    html = test_read_file(index.ptr, NULL);
    assert_non_null(html);
    btk_buf_free(&index);
    btk_buf_free(&path);
    btk_buf_free(&out);
    return html;
}

static char *trust_page(const char *dir, const char *name)
{
    btk_buf p = BTK_BUF_INIT;
    char *html;

    assert_int_equal(btk_buf_printf(&p, "%s/out/m1-", dir), 0);
    assert_int_equal(btk_escape_filename(&p, name), 0);
    assert_int_equal(btk_buf_puts(&p, ".html"), 0);
    html = test_read_file(p.ptr, NULL);
    if (html == NULL)
        fail_msg("no page '%s'", p.ptr);
    btk_buf_free(&p);
    return html;
}

/* The report's verdicts use the run-to-run noise model of `compare` of stored runs
 * (statistics.md §8): the latest commit 8 % slower in one run against one base run and
 * nothing stored before reads inconclusive (the stand-in noise, 5 %, makes the CI about
 * +-14 %), where the processes alone (the report before) said regressed; with five earlier
 * runs at a steady level stored, the noise is learned (tiny here) and the 8 % is found. */
static void report__verdicts_use_run_noise(void **state)
{
    const trun alone[] = {{4, 1000, false, NULL, false, NULL},
                          {5, 1080, false, NULL, false, NULL}};
    const trun stored[] = {{0, 1000, false, NULL, false, NULL},
                           {1, 1000, false, NULL, false, NULL},
                           {2, 1000, false, NULL, false, NULL},
                           {3, 1000, false, NULL, false, NULL},
                           {4, 1000, false, NULL, false, NULL},
                           {5, 1080, false, NULL, false, NULL}};
    btk_report_options o = BTK_REPORT_OPTIONS_INIT;
    char shas[TCOMMITS][41], *dir, *html;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("report-noise");
    free(trust_report(dir, alone, 2, &o, shas));
    html = trust_page(dir, "parse");
    assert_non_null(strstr(html, "Verdict: <span class=\"v-inconclusive\">"));
    free(html);
    test_rmtree(dir);
    dir = test_tmpdir("report-noise2");
    o = (btk_report_options)BTK_REPORT_OPTIONS_INIT;
    free(trust_report(dir, stored, 6, &o, shas));
    html = trust_page(dir, "parse");
    assert_non_null(strstr(html, "Verdict: <span class=\"v-regressed\">"));
    free(html);
    test_rmtree(dir);
}

/* Clean runs 35 % slower on the newest commit and two newer dirty fast runs there: the
 * report leaves the dirty ones out (and says so), flags the regression, and marks dirty
 * points only when asked to include them. 35 %: one stored run a side and no history carry
 * the stand-in run-to-run noise, as in `compare` (statistics.md §8; the e2e dirty case). */
static void report__dirty_runs_left_out_and_marked(void **state)
{
    const trun runs[] = {{4, 1000, false, NULL, false, NULL},
                         {5, 1350, false, NULL, false, NULL},
                         {5, 1000, true, NULL, false, NULL},
                         {5, 1000, true, NULL, false, NULL}};
    btk_report_options o = BTK_REPORT_OPTIONS_INIT;
    char shas[TCOMMITS][41], *dir, *html;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("report-dirty");
    html = trust_report(dir, runs, 4, &o, shas);
    assert_non_null(strstr(html, "Left out: 2 dirty runs of "));
    assert_non_null(strstr(html, "class=\"v-regressed\""));
    free(html);
    html = trust_page(dir, "parse");
    assert_null(strstr(html, "(dirty run)"));
    free(html);
    test_rmtree(dir);
    dir = test_tmpdir("report-dirty2");
    o = (btk_report_options)BTK_REPORT_OPTIONS_INIT;
    o.include_dirty = true;
    html = trust_report(dir, runs, 4, &o, shas);
    assert_null(strstr(html, "Left out"));
    assert_null(strstr(html, "class=\"v-regressed\"")); /* pooled: what the issue saw */
    free(html);
    html = trust_page(dir, "parse");
    assert_non_null(strstr(html, "<span class=\"dirty\">(dirty run)</span>"));
    free(html);
    test_rmtree(dir);
}

/* An -O0 latest against an -O2 base: no verdict, a loud warning naming both builds, and
 * the run's recorded environment warning shown. */
static void report__different_builds_not_compared(void **state)
{
    const trun runs[] = {{4, 1000, false, NULL, false, NULL},
                         {5, 1300, false, "-O0", false, "unoptimized: built without -O"}};
    btk_report_options o = BTK_REPORT_OPTIONS_INIT;
    char shas[TCOMMITS][41], *dir, *html;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("report-builds");
    html = trust_report(dir, runs, 2, &o, shas);
    assert_non_null(strstr(html, "WARNING: different builds, not compared:</b> the base was "
                                 "built with &#39;GCC 12.2.0 -O2&#39;, the latest with "
                                 "&#39;GCC 12.2.0 -O0&#39;"));
    assert_null(strstr(html, "class=\"v-regressed\""));
    assert_non_null(strstr(html, "run #2: unoptimized: built without -O"));
    free(html);
    /* the history marks the point whose build differs from the one before, and only it */
    html = trust_page(dir, "parse");
    assert_non_null(strstr(html, "<span class=\"dirty\">(build changed)</span>"));
    assert_null(strstr(strstr(html, "(build changed)") + 1, "(build changed)"));
    free(html);
    test_rmtree(dir);
    /* the same build at three commits: nothing marked */
    {
        const trun same[] = {{3, 1000, false, "-O0", false, NULL},
                             {4, 1000, false, "-O0", false, NULL},
                             {5, 1000, false, "-O0", false, NULL}};

        dir = test_tmpdir("report-builds2");
        o = (btk_report_options)BTK_REPORT_OPTIONS_INIT;
        free(trust_report(dir, same, 3, &o, shas));
        html = trust_page(dir, "parse");
        assert_null(strstr(html, "(build changed)"));
        free(html);
        test_rmtree(dir);
    }
}

/* A benchmark that failed on every commit: no "nan", no empty charts; throughput shown. */
static void report__failed_benchmark_page_and_throughput(void **state)
{
    const trun runs[] = {{4, 1000, false, NULL, true, NULL}, {5, 1000, false, NULL, true, NULL}};
    btk_report_options o = BTK_REPORT_OPTIONS_INIT;
    char shas[TCOMMITS][41], *dir, *html;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("report-failed");
    free(trust_report(dir, runs, 2, &o, shas));
    html = trust_page(dir, "parse");
    assert_null(strstr(html, "nan"));
    assert_null(strstr(html, "-trend."));
    assert_null(strstr(html, "-dist."));
    assert_non_null(strstr(html, "No successful result on these commits."));
    assert_non_null(strstr(html, "Failed: signal: killed by signal SIGSEGV"));
    free(html);
    html = trust_page(dir, "copy");
    assert_non_null(strstr(html, "<tr><th>throughput (bytes / second)</th><td class=\"num\">"
                                 "1.9 GiB</td></tr>"));
    assert_non_null(strstr(html, "<tr><th>throughput (items / second)</th><td class=\"num\">"
                                 "8.00 M</td></tr>"));
    free(html);
    test_rmtree(dir);
}

/* Data on 3 of 6 commits: the header counts those, and --limit 2 keeps the two newest
 * commits with data, not the two newest commits walked (which have one). */
static void report__counts_and_limits_commits_with_data(void **state)
{
    const trun runs[] = {{0, 1000, false, NULL, false, NULL},
                         {1, 1000, false, NULL, false, NULL},
                         {5, 1000, false, NULL, false, NULL}};
    btk_report_options o = BTK_REPORT_OPTIONS_INIT;
    char shas[TCOMMITS][41], *dir, *html;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("report-limit");
    html = trust_report(dir, runs, 3, &o, shas);
    assert_non_null(strstr(html, "3 commit(s) with results in first-parent order"));
    assert_non_null(strstr(html, "6 commits walked"));
    /* a long name wraps in its cell */
    assert_non_null(strstr(html, "td.name{max-width:28em;overflow-wrap:anywhere"));
    assert_non_null(strstr(html, "<tr><td class=\"name\"><a href="));
    free(html);
    test_rmtree(dir);
    dir = test_tmpdir("report-limit2");
    o = (btk_report_options)BTK_REPORT_OPTIONS_INIT;
    o.limit = 2;
    html = trust_report(dir, runs, 3, &o, shas);
    assert_non_null(strstr(html, "2 commit(s) with results in first-parent order"));
    free(html);
    html = trust_page(dir, "parse"); /* history: commits 5 and 1 */
    assert_int_equal(count_of(html, "<tr><td><code>"), 2);
    free(html);
    test_rmtree(dir);
}

/* The Chromium binary in PATH (chromium, chromium-browser, google-chrome), or NULL. */
static const char *find_chromium(void)
{
    static const char *browsers[] = {"chromium", "chromium-browser", "google-chrome"};
    static char found[4096];
    const char *path = getenv("PATH"), *p, *end;
    size_t i;

    for (i = 0; i < BTK_ARRAY_SIZE(browsers); i++)
        for (p = path ? path : ""; *p; p = *end ? end + 1 : end) {
            end = strchr(p, ':');
            end = end ? end : p + strlen(p);
            snprintf(found, sizeof(found), "%.*s/%s", (int)(end - p), p, browsers[i]);
            if (access(found, X_OK) == 0)
                return found;
        }
    return NULL;
}

/* Run headless Chromium on url with one extra flag (dump or screenshot); returns output.
 */
static char *chromium(const char *exe, const char *profile, const char *extra,
                      const char *url)
{
    char user_dir[2100];
    char *argv[] = {(char *)exe,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    user_dir,
                    "--window-size=1280,2000",
                    (char *)extra,
                    (char *)url,
                    NULL};
    char *output = NULL;
    int rc;

    snprintf(user_dir, sizeof(user_dir), "--user-data-dir=%s", profile);
    rc = test_run(argv, &output);
    if (rc != 0)
        fail_msg("chromium exited %d: %.2000s", rc, output ? output : "");
    return output;
}

static void report__opens_in_headless_chromium(void **state)
{
    const char *exe = find_chromium(), *build = getenv("BTK_BUILD_DIR");
    char *dir, *index, *dom, url[2200], shot[2200], profile[2100], page[2200], out[2100];
    btk_buf name = BTK_BUF_INIT;

    (void)state;
    if (exe == NULL) {
        print_message("chromium not found in PATH: install the Debian package 'chromium' "
                      "(CI: BTK_SETUP_BROWSER=1 ci/setup.sh)\n");
        skip();
    }
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("report-browser");
    index = make_report(dir, BTK_CHART_SVG);
    snprintf(profile, sizeof(profile), "%s/profile", dir);
    snprintf(out, sizeof(out), "%s/out", dir);
    snprintf(url, sizeof(url), "file://%s", index);
    dom = chromium(exe, profile, "--dump-dom", url);
    assert_non_null(strstr(dom, "<h1>benchtrack report</h1>"));
    assert_non_null(
        strstr(dom, "&lt;img src=x onerror=alert(1)&gt;")); /* text, not a tag */
    assert_null(strstr(dom, "<img src=\"x\""));
    assert_null(strstr(dom, "onerror=\"alert"));
    assert_true(check_links(out, strstr(dom, "<body")) >= 2 * (1 + 2 * BENCHES));
    free(dom);
    /* one benchmark page: the hostile one */
    assert_int_equal(btk_buf_puts(&name, "m1-"), 0);
    assert_int_equal(btk_escape_filename(&name, names[1]), 0);
    snprintf(page, sizeof(page), "file://%s/%s.html", out, name.ptr);
    dom = chromium(exe, profile, "--dump-dom", page);
    assert_non_null(strstr(dom, "<h1>&lt;img src=x onerror=alert(1)&gt;</h1>"));
    assert_true(check_links(out, strstr(dom, "<body")) >= 3);
    free(dom);
    /* screenshots, kept in the build folder for people to look at */
    snprintf(shot, sizeof(shot), "--screenshot=%s/report-index.png", build ? build : dir);
    free(chromium(exe, profile, shot, url));
    snprintf(url, sizeof(url), "%s/report-index.png", build ? build : dir);
    assert_true(nonempty_file(url));
    snprintf(shot, sizeof(shot), "--screenshot=%s/report-page.png", build ? build : dir);
    free(chromium(exe, profile, shot, page));
    btk_buf_free(&name);
    free(index);
    test_rmtree(dir);
}

/* ---- change points and the Regressions section ---- */

#define RCOMMITS 12

/* The issue's series made long enough for the detector: "parse" at 302 298 314 312 305
 * 300 us, then 365 366 362 368 364 363 us from commit 6 on; "copy" flat at 500 ns but
 * for one commit (8) at +50 %, a spike. Commit 6's subject is hostile HTML. Returns the
 * index html (malloc'd); shas[0] is the newest. */
static char *history_report(const char *dir, char shas[RCOMMITS][41])
{
    static const char *const rnames[] = {"parse", "copy", "ramp"};
    static const double parse_us[RCOMMITS] = {302, 298, 314, 312, 305, 300,
                                              365, 366, 362, 368, 364, 363};
    static const double ramp_ns[RCOMMITS] = {1000, 980, 1020, 990, 1010, 1030,
                                             1040, 1050, 1070, 1110, 1080, 1100};
    btk_report_options o = BTK_REPORT_OPTIONS_INIT;
    btk_buf path = BTK_BUF_INIT, out = BTK_BUF_INIT, index = BTK_BUF_INIT;
    double levels[3];
    btk_store *db;
    btk_run *run;
    int64_t id;
    char cwd[4096], *html;

    for (size_t c = 0; c < RCOMMITS; c++)
        snprintf(shas[RCOMMITS - 1 - c], 41, "%010zx%030d", 0x5eed000 + c, 0);
    assert_int_equal(btk_buf_printf(&path, "%s/h.db", dir), 0);
    assert_int_equal(btk_buf_printf(&out, "%s/out", dir), 0);
    assert_int_equal(btk_store_open(&db, path.ptr, 0), 0);
    for (size_t c = 0; c < RCOMMITS; c++) {
        synth_spec sp = {shas[RCOMMITS - 1 - c], "main",
                         c == 6 ? "<script>alert(\"cp\")</script> & 'q'" : "plain subject",
                         "host", 1700000000 + (int64_t)c, rnames, levels, 3, 5, 20,
                         31 + c};
        levels[0] = parse_us[c] * 1e3, levels[1] = c == 8 ? 750 : 500;
        levels[2] = ramp_ns[c];
        assert_int_equal(synth_run(&run, &sp), 0);
        assert_int_equal(btk_store_add_run(db, run, &id), 0);
        btk_run_free(run);
    }
    btk_store_close(db);
    assert_int_equal(btk_store_open(&db, path.ptr, BTK_STORE_READONLY), 0);
    o.out_dir = out.ptr;
    o.shas = (const char(*)[41])shas;
    o.sha_count = RCOMMITS;
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    if (btk_report_write(db, &o, &index) != 0)
        fail_msg("report: %s", btk_error_last()->message);
    assert_int_equal(chdir(cwd), 0);
    btk_store_close(db);
    html = test_read_file(index.ptr, NULL);
    assert_non_null(html);
    btk_buf_free(&index);
    btk_buf_free(&path);
    btk_buf_free(&out);
    return html;
}

/* The Regressions section lists the one change point of "parse", on the commit that went
 * to 365 us, with its subject escaped; the spike of "copy" is not listed; the page of
 * "parse" marks that commit and no other. */
static void report__regressions_section_lists_the_change_point(void **state)
{
    char shas[RCOMMITS][41], row[64], *dir, *html, *section, *at;

    (void)state;
    if (!have_gnuplot())
        skip();
    dir = test_tmpdir("report-regressions");
    html = history_report(dir, shas);
    section = strstr(html, "<h3>Regressions</h3>");
    assert_non_null(section);
    assert_non_null(strstr(section, "2 change point(s) to a slower level"));
    assert_int_equal(count_of(section, "<tr><td><code>"), 2);
    snprintf(row, sizeof(row), "<tr><td><code>%.10s</code></td><td>", shas[RCOMMITS - 1 - 6]);
    at = strstr(section, row); /* parse's step is plain: one commit, no range */
    assert_non_null(at);
    assert_non_null(strstr(at, "&lt;script&gt;alert(&quot;cp&quot;)&lt;/script&gt; &amp; "
                               "&#39;q&#39;</td><td><a href=\"m1-parse-"));
    assert_null(strstr(html, "<script>alert("));
    assert_null(strstr(section, ">copy</a>"));
    {
        /* ramp's step of about 7 % over a noisy rise may lie at several commits: its row
         * names the range, first and last around the row's commit, the count their
         * distance (every commit here has results; shas encode the commit number) */
        const char *w = strstr(section, "<small class=\"where\">where: <code>"), *r, *next;
        const char *row_at;
        unsigned long first, last, atc;
        long cnt;

        assert_non_null(w);
        r = strstr(section, ">ramp</a>");
        assert_non_null(r);
        next = strstr(w, "<tr>"); /* the range is in ramp's row */
        assert_true(w < r && (next == NULL || next > r));
        assert_int_equal(sscanf(w, "<small class=\"where\">where: <code>%lx</code> … "
                                   "<code>%lx</code>, %ld commits with results</small>",
                                &first, &last, &cnt), 3);
        for (row_at = section; strstr(row_at + 1, "<tr><td><code>") &&
                               strstr(row_at + 1, "<tr><td><code>") < w;)
            row_at = strstr(row_at + 1, "<tr><td><code>");
        assert_int_equal(sscanf(row_at, "<tr><td><code>%lx</code>", &atc), 1);
        assert_true(first >= 0x5eed000 && last < 0x5eed000 + RCOMMITS);
        assert_true(first < last && first <= atc && atc <= last);
        assert_int_equal(cnt, (long)(last - first + 1));
        assert_non_null(strstr(r, "step-up")); /* a slower level */
    }
    free(html);
    html = trust_page(dir, "parse");
    assert_int_equal(count_of(html, "class=\"step-up\""), 1);
    assert_int_equal(count_of(html, "class=\"step-down\""), 0);
    snprintf(row, sizeof(row), "<code>%.10s</code>", shas[RCOMMITS - 1 - 6]);
    at = strstr(html, row);
    assert_non_null(at);
    assert_true(strstr(at, "class=\"step-up\"") < strstr(at, "</tr>"));
    free(html);
    html = trust_page(dir, "copy");
    assert_int_equal(count_of(html, "class=\"step-"), 0);
    free(html);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report__pages_escape_names_and_links_resolve),
        cmocka_unit_test(report__steps_and_verdicts_shown),
        cmocka_unit_test(report__regressions_section_lists_the_change_point),
        cmocka_unit_test(report__verdicts_use_run_noise),
        cmocka_unit_test(report__dirty_runs_left_out_and_marked),
        cmocka_unit_test(report__different_builds_not_compared),
        cmocka_unit_test(report__failed_benchmark_page_and_throughput),
        cmocka_unit_test(report__counts_and_limits_commits_with_data),
        cmocka_unit_test(report__opens_in_headless_chromium),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
