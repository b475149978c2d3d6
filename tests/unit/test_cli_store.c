/* End-to-end tests of `benchtrack run/import/history/log/show`, and of the options every
 * command parses alike: the real binary in temporary git repositories, with a fake
 * benchmark binary (a shell script that prints its arguments, copies a JSON file to the
 * path after --out and exits with $FAKE_EXIT). */
#include "check.h"
#include "internal.h"

#include <sys/stat.h>
#include <unistd.h>

static char *repo, *bin, *fake, *json, *db;

static const char *src_path(const char *rel)
{
    static char buf[4096];
    const char *src = getenv("BTK_SOURCE_DIR");

    snprintf(buf, sizeof(buf), "%s/%s", src ? src : "..", rel);
    return buf;
}

/* Run argv in the repository directory; returns status, output in *out (caller frees). */
static int in_repo(char **out, char *const argv[])
{
    char cwd[4096];
    int status;

    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(repo), 0);
    status = test_run(argv, out);
    assert_int_equal(chdir(cwd), 0);
    return status;
}

static void git(const char *a1, const char *a2, const char *a3, const char *a4,
                const char *a5)
{
    char *argv[] = {"git", (char *)a1, (char *)a2, (char *)a3, (char *)a4, (char *)a5, NULL};
    char *out = NULL;
    int st = in_repo(&out, argv);

    if (st)
        print_error("git %s: %s\n", a1, out);
    assert_int_equal(st, 0);
    free(out);
}

static int bt6(char **out, const char *a1, const char *a2, const char *a3, const char *a4,
               const char *a5, const char *a6)
{
    char *argv[] = {bin, (char *)a1, (char *)a2, (char *)a3, (char *)a4, (char *)a5,
                    (char *)a6, NULL};
    char *discard = NULL;
    int st = in_repo(out ? out : &discard, argv);

    free(discard);
    return st;
}

static int bt(char **out, const char *a1, const char *a2, const char *a3, const char *a4,
              const char *a5)
{
    return bt6(out, a1, a2, a3, a4, a5, NULL);
}

static int setup(void **state)
{
    char path[4200];
    FILE *f;

    (void)state;
    repo = test_tmpdir("cli");
    bin = malloc(4200);
    snprintf(bin, 4200, "%s/benchtrack", getenv("BTK_BUILD_DIR") ? getenv("BTK_BUILD_DIR")
                                                                  : ".");
    json = strdup(src_path("tests/data/json/valid/full.json"));
    snprintf(path, sizeof(path), "%s/.fake-bench", repo);
    fake = strdup(path);
    assert_non_null(f = fopen(fake, "w"));
    fprintf(
        f,
        "#!/bin/sh\necho 'fake table row'\necho \"args: $*\"\nwhile [ $# -gt 0 ]; do\n"
        "  [ \"$1\" = --out ] && cp '%s' \"$2\"\n  shift\ndone\nexit ${FAKE_EXIT:-0}\n",
        json);
    fclose(f);
    chmod(fake, 0755);
    snprintf(path, sizeof(path), "%s/benchtrack.db", repo);
    db = strdup(path);
    setenv("GIT_AUTHOR_NAME", "T", 1);
    setenv("GIT_AUTHOR_EMAIL", "t@e", 1);
    setenv("GIT_COMMITTER_NAME", "T", 1);
    setenv("GIT_COMMITTER_EMAIL", "t@e", 1);
    unsetenv("BENCHTRACK_DB");
    git("init", "-q", "-b", "main", NULL);
    snprintf(path, sizeof(path), "%s/.gitignore", repo);
    assert_non_null(f = fopen(path, "w"));
    fprintf(f, ".fake-bench\nbenchtrack.db*\n");
    fclose(f);
    git("add", ".gitignore", NULL, NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_rmtree(repo);
    free(bin);
    free(fake);
    free(json);
    free(db);
    return 0;
}

static void commit(const char *msg, const char *date)
{
    setenv("GIT_COMMITTER_DATE", date, 1);
    git("commit", "-q", "--allow-empty", "-m", msg);
}

static int count_lines_with(const char *text, const char *needle)
{
    int n = 0;
    const char *p = text;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* log's table: the "results" column starts at the same offset on every line (the header's
 * word, then each run's benchmark count); returns the number of data lines checked. The
 * lines here are ASCII, so bytes are columns. */
static int check_log_aligned(const char *text)
{
    const char *line = text, *nl, *hit = strstr(text, "results");
    size_t at;
    int rows = 0;

    assert_non_null(hit);
    at = (size_t)(hit - text);
    assert_true(strchr(text, '\n') > hit); /* the word is in the header line */
    while ((nl = strchr(line, '\n')) != NULL && *(line = nl + 1) != '\0') {
        nl = strchr(line, '\n');
        assert_true(nl != NULL && (size_t)(nl - line) > at);
        assert_true(line[at] >= '0' && line[at] <= '9');
        assert_int_equal(strncmp(line + at - 2, "  ", 2), 0);
        rows++;
    }
    return rows;
}

/* Runs at commits whose dates disagree with their order, then history/log/show. */
static void cli__run_history_log_show_across_commits(void **state)
{
    char *out = NULL, *p1, *p2, *p3;

    (void)state;
    commit("c1", "2021-01-01T00:00:00Z");
    assert_int_equal(bt(&out, "run", "--", fake, NULL, NULL), 0);
    assert_non_null(strstr(out, "fake table row")); /* the binary's table reaches the user */
    assert_non_null(strstr(out, "stored run #1"));
    free(out);
    commit("c2 has the oldest date", "2019-01-01T00:00:00Z");
    assert_int_equal(bt(NULL, "run", "--", fake, NULL, NULL), 0);
    commit("c3", "2021-01-03T00:00:00Z");
    setenv("FAKE_EXIT", "3", 1); /* a benchmark failed: stored, exit 3 */
    assert_int_equal(bt(&out, "run", "--", fake, NULL, NULL), 3);
    unsetenv("FAKE_EXIT");
    assert_non_null(strstr(out, "stored run #3"));
    free(out);
    setenv("FAKE_EXIT", "2", 1); /* bad arguments: exit 2, nothing stored */
    assert_int_equal(bt(&out, "run", "--", fake, NULL, NULL), 2);
    unsetenv("FAKE_EXIT");
    assert_non_null(strstr(out, "rejected its arguments (exit 2): nothing stored"));
    free(out);
    assert_int_equal(bt(&out, "history", "sort/1024", "--format", "csv", NULL), 0);
    /* first-parent order c3, c2, c1 although c2's date is the oldest */
    p3 = strstr(out, "\"c3\"");
    p2 = strstr(out, "\"c2 has the oldest date\"");
    p1 = strstr(out, "\"c1\"");
    assert_true(p3 != NULL && p2 != NULL && p1 != NULL);
    assert_true(p3 - out < p2 - out && p2 - out < p1 - out);
    free(out);
    assert_int_equal(bt(&out, "history", "sort/1024", "--format", "json", "--limit"), 2);
    assert_non_null(strstr(out, "--limit"));
    free(out);
    assert_int_equal(bt(&out, "log", NULL, NULL, NULL, NULL), 0);
    assert_int_equal(count_lines_with(out, " benchmarks"), 3);
    assert_int_equal(count_lines_with(out, "1 failed"), 3);
    assert_int_equal(check_log_aligned(out), 3);
    free(out);
    assert_int_equal(bt(&out, "show", "HEAD~1", NULL, NULL, NULL), 0);
    assert_non_null(strstr(out, "run #2"));
    assert_non_null(strstr(out, "sort/1024"));
    free(out);
    assert_int_equal(bt(&out, "show", "#3", NULL, NULL, NULL), 0);
    assert_non_null(strstr(out, "FAILED"));
    free(out);
}

static void cli__commit_overrides_detached_and_dirty(void **state)
{
    char *out = NULL, path[4200];
    FILE *f;

    (void)state;
    assert_int_equal(bt6(&out, "run", "--commit", "0123456789", "--", fake, NULL), 2);
    assert_non_null(strstr(out, "commit '0123456789' is not in the repository (pass "
                                "--allow-unknown-commit"));
    free(out);
    assert_int_equal(bt(&out, "import", json, "--commit",
                        "0123456789abcdef0123456789abcdef01234567", "--allow-unknown-commit"),
                     0);
    free(out);
    git("checkout", "-q", "--detach", "HEAD~1", NULL);
    assert_int_equal(bt(&out, "import", json, NULL, NULL, NULL), 0);
    free(out);
    assert_int_equal(bt(&out, "import", json, "--branch", "ci-branch", NULL), 0);
    free(out);
    assert_int_equal(bt(&out, "log", "--limit", "2", NULL, NULL), 0);
    assert_int_equal(check_log_aligned(out), 2); /* branches "-" and "ci-branch" */
    assert_non_null(strstr(out, "ci-branch"));
    assert_non_null(strstr(out, "  -  ")); /* the detached run has no branch */
    free(out);
    git("checkout", "-q", "main", NULL, NULL);
    snprintf(path, sizeof(path), "%s/.gitignore", repo);
    assert_non_null(f = fopen(path, "a"));
    fputs("x\n", f);
    fclose(f);
    assert_int_equal(bt(&out, "import", json, NULL, NULL, NULL), 0);
    assert_non_null(strstr(out, "uncommitted changes"));
    assert_non_null(strstr(out, ", dirty)"));
    free(out);
    git("checkout", "-q", "--", ".gitignore", NULL);
}

static void cli__bad_input_is_exit_2_and_writes_nothing(void **state)
{
    char *out = NULL, bad[4200];

    (void)state;
    assert_int_equal(bt(&out, "log", NULL, NULL, NULL, NULL), 0);
    {
        int before = count_lines_with(out, " benchmarks");
        free(out);
        snprintf(bad, sizeof(bad), "%s", src_path("tests/data/json/invalid/median_string.json"));
        assert_int_equal(bt(&out, "import", bad, NULL, NULL, NULL), 2);
        assert_non_null(strstr(out, "median_string.json: benchmarks[0].stats.median: "
                                    "expected a number"));
        free(out);
        assert_int_equal(bt(&out, "log", NULL, NULL, NULL, NULL), 0);
        assert_int_equal(count_lines_with(out, " benchmarks"), before);
        free(out);
    }
    assert_int_equal(bt(&out, "history", "sort/1024", "--format", "xml", NULL), 2);
    assert_non_null(strstr(out, "--format: expected table, json or csv"));
    free(out);
    assert_int_equal(bt(&out, "show", "no-such-ref", NULL, NULL, NULL), 2);
    assert_non_null(strstr(out, "'no-such-ref'"));
    free(out);
}

static void cli__outside_a_repository_stores_without_commit(void **state)
{
    char *dir = test_tmpdir("norepo"), dbp[4200], *out = NULL, cwd[4096];
    char *argv[] = {bin, "import", json, "--db", dbp, NULL};
    char *argv2[] = {bin, "run", "--db", dbp, "--commit", "abc", "--", fake, NULL};

    (void)state;
    snprintf(dbp, sizeof(dbp), "%s/x.db", dir);
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(test_run(argv, &out), 0);
    assert_non_null(strstr(out, "not in a git repository"));
    assert_non_null(strstr(out, "commit none"));
    free(out);
    assert_int_equal(test_run(argv2, &out), 2);
    assert_non_null(strstr(out, "not known: not in a git repository"));
    free(out);
    assert_int_equal(chdir(cwd), 0);
    test_rmtree(dir);
}

static void cli__history_machine_selection(void **state)
{
    char *out = NULL;

    (void)state;
    /* all runs so far come from full.json's machine bench-host; a gbench import from this
     * host adds a second machine */
    assert_int_equal(bt(&out, "import", src_path("tests/data/gbench/tiny.json"), NULL, NULL,
                        NULL), 0);
    free(out);
    assert_int_equal(bt(&out, "history", "sort/1024", "--machine", "bench-host", NULL), 0);
    assert_non_null(strstr(out, "sort/1024"));
    free(out);
    assert_int_equal(bt(&out, "history", "sort/1024", "--machine", "nosuchhost", NULL), 2);
    assert_non_null(strstr(out, "no data for machine 'nosuchhost' (machines: "));
    assert_non_null(strstr(out, "'bench-host'"));
    free(out);
}

/* The real harness: the examples binary at three more commits, tiny budget. */
static void cli__examples_binary_at_each_commit(void **state)
{
    char ex[4200], *out = NULL;
    int i, before;

    (void)state;
    snprintf(ex, sizeof(ex), "%s/bench/examples", getenv("BTK_BUILD_DIR") ? getenv(
                                                        "BTK_BUILD_DIR") : ".");
    if (access(ex, X_OK) != 0)
        skip();
    /* no result of "empty" yet: an unknown benchmark is exit 2, naming it */
    assert_int_equal(bt(&out, "history", "empty", "--format", "csv", NULL), 2);
    assert_non_null(strstr(out, "benchtrack: no benchmark 'empty' on machine "));
    before = 0;
    free(out);
    for (i = 0; i < 3; i++) {
        char msg[32];
        snprintf(msg, sizeof(msg), "examples %d", i);
        commit(msg, "2022-01-01T00:00:00Z");
        assert_int_equal(bt6(&out, "run", "--", ex, "--filter", "empty,hash/64",
                             "--time-budget=5"), 0);
        assert_non_null(strstr(out, "stored run"));
        free(out);
    }
    assert_int_equal(bt(&out, "history", "empty", "--format", "csv", NULL), 0);
    assert_int_equal(count_lines_with(out, "\n") - 1, before + 3);
    assert_non_null(strstr(out, "\"examples 2\""));
    free(out);
    assert_int_equal(bt(&out, "show", "HEAD", NULL, NULL, NULL), 0);
    assert_non_null(strstr(out, "hash/64"));
    assert_non_null(strstr(out, "empty"));
    free(out);
}

/* One parser for every command: the same messages, the usage after a mistake, --help
 * anywhere before "--". */
static void cli__every_command_parses_options_alike(void **state)
{
    static const char *const cmds[] = {"run",     "import", "history", "log",   "show",
                                       "compare", "ab",     "chart",   "report"};
    char *out = NULL, expect[200];

    (void)state;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        assert_int_equal(bt(&out, cmds[i], "--bogus", NULL, NULL, NULL), 2);
        snprintf(expect, sizeof(expect),
                 "benchtrack: unknown option '--bogus' for '%s'\n"
                 "usage: benchtrack %s ",
                 cmds[i], cmds[i]);
        assert_non_null(strstr(out, expect));
        free(out);
        assert_int_equal(bt(&out, cmds[i], "--db", NULL, NULL, NULL), 2);
        assert_non_null(strstr(out, "benchtrack: option '--db' needs a value\n"));
        free(out);
        assert_int_equal(bt(&out, cmds[i], "--db", "x.db", "--bogus", "--help"), 0);
        snprintf(expect, sizeof(expect), "usage: benchtrack %s ", cmds[i]);
        assert_int_equal(strncmp(out, expect, strlen(expect)), 0);
        assert_non_null(strstr(out, "\n  --db PATH "));
        assert_non_null(strstr(out, "\n  -h, --help "));
        free(out);
    }
}

/* run: --processes in both forms reaches the binary; after "--" even --help is the
 * binary's. */
static void cli__run_passes_processes_and_tail(void **state)
{
    char *out = NULL;

    (void)state;
    assert_int_equal(bt(&out, "run", "--processes=3", "--", fake, "--help"), 0);
    assert_non_null(strstr(out, "args: --help --processes 3 --out "));
    free(out);
    assert_int_equal(bt6(&out, "run", "--processes", "4", "--", fake, "--processes=2"),
                     0);
    assert_non_null(
        strstr(out, "args: --processes=2 --out ")); /* the binary's own choice */
    free(out);
    assert_int_equal(bt(&out, "run", "--processes", "1001", "--", fake), 2);
    assert_non_null(
        strstr(out, "--processes: expected an integer from 1 to 1000, got '1001'"));
    free(out);
    assert_int_equal(bt(&out, "run", fake, NULL, NULL, NULL), 2);
    assert_non_null(strstr(out, "put ./bench_binary [args] after '--'"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli__run_history_log_show_across_commits),
        cmocka_unit_test(cli__commit_overrides_detached_and_dirty),
        cmocka_unit_test(cli__bad_input_is_exit_2_and_writes_nothing),
        cmocka_unit_test(cli__outside_a_repository_stores_without_commit),
        cmocka_unit_test(cli__history_machine_selection),
        cmocka_unit_test(cli__examples_binary_at_each_commit),
        cmocka_unit_test(cli__every_command_parses_options_alike),
        cmocka_unit_test(cli__run_passes_processes_and_tail),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
