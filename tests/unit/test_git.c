/* Tests of the libgit2 layer on throwaway repositories built with the git CLI: first-parent
 * order that differs from timestamp order, ref resolution, detached HEAD, dirty state,
 * shallow clones, merge-base and the default branch. */
#include "check.h"
#include "git.h"

#include <unistd.h>

static char *repo_dir;
static char shas[5][41]; /* c1, c2, s1 (side branch), c3, merge */

/* Run git -C repo_dir args... with the given commit date; assert success; return output. */
static char *git5(const char *date, const char *a1, const char *a2, const char *a3,
                  const char *a4, const char *a5)
{
    char *argv[] = {"git", "-C", repo_dir, (char *)a1, (char *)a2, (char *)a3, (char *)a4,
                    (char *)a5, NULL};
    char *out = NULL;
    int status;

    setenv("GIT_COMMITTER_DATE", date, 1);
    setenv("GIT_AUTHOR_DATE", date, 1);
    status = test_run(argv, &out);
    if (status != 0)
        print_error("git %s failed: %s\n", a1, out ? out : "");
    assert_int_equal(status, 0);
    return out;
}

static char *git_at(const char *date, const char *a1, const char *a2, const char *a3,
                    const char *a4)
{
    return git5(date, a1, a2, a3, a4, NULL);
}

static void commit_as(int slot, const char *date, const char *msg)
{
    char *out;

    free(git5(date, "commit", "-q", "--allow-empty", "-m", msg));
    out = git_at(date, "rev-parse", "HEAD", NULL, NULL);
    snprintf(shas[slot], 41, "%.40s", out);
    free(out);
}

static int make_repo(void **state)
{
    (void)state;
    repo_dir = test_tmpdir("git");
    setenv("GIT_AUTHOR_NAME", "Tester", 1);
    setenv("GIT_AUTHOR_EMAIL", "t@example.com", 1);
    setenv("GIT_COMMITTER_NAME", "Tester", 1);
    setenv("GIT_COMMITTER_EMAIL", "t@example.com", 1);
    free(git_at("2020-01-01T00:00:00Z", "init", "-q", "-b", "main"));
    commit_as(0, "2020-01-01T00:00:00Z", "c1");
    commit_as(1, "2020-01-02T00:00:00Z", "c2");
    free(git_at("2020-01-02T00:00:00Z", "checkout", "-q", "-b", "side"));
    commit_as(2, "2020-01-10T00:00:00Z", "s1"); /* newer than everything on main */
    free(git_at("2020-01-02T00:00:00Z", "checkout", "-q", "main", NULL));
    commit_as(3, "2019-06-01T00:00:00Z", "c3"); /* mainline commit with an older date */
    free(git5("2020-01-11T00:00:00Z", "merge", "--no-ff", "-m", "merge side", "side"));
    {
        char *out = git_at("2020-01-11T00:00:00Z", "rev-parse", "HEAD", NULL, NULL);
        snprintf(shas[4], 41, "%.40s", out);
        free(out);
    }
    return 0;
}

static int drop_repo(void **state)
{
    (void)state;
    test_rmtree(repo_dir);
    return 0;
}

static void git__first_parent_follows_parents_not_dates(void **state)
{
    btk_git *git = NULL;
    char(*list)[41] = NULL;
    size_t count = 0;

    (void)state;
    assert_int_equal(btk_git_open(&git, repo_dir), 0);
    assert_int_equal(btk_git_first_parent(&list, &count, git, "main", 0), 0);
    /* merge, c3, c2, c1: the side commit s1 is not on the first-parent line even though it
     * is newer, and c3 comes second although its date is the oldest of all. */
    assert_int_equal(count, 4);
    assert_string_equal(list[0], shas[4]);
    assert_string_equal(list[1], shas[3]);
    assert_string_equal(list[2], shas[1]);
    assert_string_equal(list[3], shas[0]);
    btk__free(list);
    assert_int_equal(btk_git_first_parent(&list, &count, git, "main", 2), 0);
    assert_int_equal(count, 2);
    btk__free(list);
    btk_git_close(git);
}

static void git__resolve_accepts_what_rev_parse_does(void **state)
{
    btk_git *git = NULL;
    char sha[41], prefix[9];

    (void)state;
    assert_int_equal(btk_git_open(&git, repo_dir), 0);
    assert_int_equal(btk_git_resolve(sha, git, "HEAD~2"), 0);
    assert_string_equal(sha, shas[1]);
    assert_int_equal(btk_git_resolve(sha, git, "side"), 0);
    assert_string_equal(sha, shas[2]);
    snprintf(prefix, sizeof(prefix), "%.8s", shas[3]);
    assert_int_equal(btk_git_resolve(sha, git, prefix), 0);
    assert_string_equal(sha, shas[3]);
    assert_int_equal(btk_git_resolve(sha, git, "no-such-branch"), BTK_ENOTFOUND);
    assert_non_null(strstr(btk_error_last()->message, "'no-such-branch'"));
    assert_int_equal(btk_git_merge_base(sha, git, shas[2], shas[3]), 0);
    assert_string_equal(sha, shas[1]);
    assert_int_equal(btk_git_default_branch(sha, sizeof(sha), git), 0);
    assert_string_equal(sha, "main");
    btk_git_close(git);
}

static void git__head_info_branch_parents_dirty_detached(void **state)
{
    btk_git *git = NULL;
    btk_commit c;
    char path[4096];
    FILE *f;

    (void)state;
    memset(&c, 0, sizeof(c));
    assert_int_equal(btk_git_open(&git, repo_dir), 0);
    assert_int_equal(btk_git_head_info(&c, git), 0);
    assert_string_equal(c.sha, shas[4]);
    assert_string_equal(c.branch, "main");
    assert_false(c.dirty);
    assert_string_equal(c.subject, "merge side");
    assert_string_equal(c.author, "Tester");
    assert_int_equal(c.parent_count, 2);
    assert_string_equal(c.parents[0], shas[3]);
    assert_string_equal(c.parents[1], shas[2]);
    btk_commit_clear(&c);
    btk_git_close(git);
    /* a tracked file changed -> dirty; an untracked file alone is not */
    snprintf(path, sizeof(path), "%s/untracked.db", repo_dir);
    assert_non_null(f = fopen(path, "w"));
    fclose(f);
    free(git_at("2020-01-11T00:00:00Z", "checkout", "-q", "--detach", "HEAD~1"));
    assert_int_equal(btk_git_open(&git, repo_dir), 0);
    assert_int_equal(btk_git_head_info(&c, git), 0);
    assert_null(c.branch);
    assert_string_equal(c.sha, shas[3]);
    assert_false(c.dirty);
    btk_commit_clear(&c);
    btk_git_close(git);
    free(git_at("2020-01-11T00:00:00Z", "add", "untracked.db", NULL, NULL));
    assert_int_equal(btk_git_open(&git, repo_dir), 0);
    assert_int_equal(btk_git_head_info(&c, git), 0);
    assert_true(c.dirty);
    btk_commit_clear(&c);
    btk_git_close(git);
    free(git_at("2020-01-11T00:00:00Z", "rm", "-q", "--cached", "untracked.db"));
    free(git_at("2020-01-11T00:00:00Z", "checkout", "-q", "main", NULL));
    unlink(path);
}

static void git__shallow_clone_walks_what_it_has(void **state)
{
    char *clone = test_tmpdir("shallow"), url[4200], dst[4200], *out = NULL;
    char *argv[] = {"git", "clone", "-q", "--depth", "2", url, dst, NULL};
    btk_git *git = NULL;
    btk_commit c;
    char(*list)[41] = NULL;
    size_t count = 0;

    (void)state;
    memset(&c, 0, sizeof(c));
    snprintf(url, sizeof(url), "file://%s", repo_dir);
    snprintf(dst, sizeof(dst), "%s/c", clone);
    assert_int_equal(test_run(argv, &out), 0);
    free(out);
    {
        char marker[4300]; /* git marks a shallow clone with .git/shallow */
        snprintf(marker, sizeof(marker), "%s/.git/shallow", dst);
        assert_int_equal(access(marker, F_OK), 0);
    }
    assert_int_equal(btk_git_open(&git, dst), 0);
    assert_int_equal(btk_git_head_info(&c, git), 0);
    assert_string_equal(c.sha, shas[4]);
    assert_int_equal(c.parent_count, 2); /* ids known even where commits are missing */
    assert_int_equal(btk_git_first_parent(&list, &count, git, "HEAD", 0), 0);
    assert_true(count >= 1 && count <= 2);
    assert_string_equal(list[0], shas[4]);
    btk__free(list);
    btk_commit_clear(&c);
    btk_git_close(git);
    test_rmtree(clone);
}

static void git__outside_a_repository_is_not_found(void **state)
{
    char *dir = test_tmpdir("norepo");
    btk_git *git = (btk_git *)1;

    (void)state;
    assert_int_equal(btk_git_open(&git, dir), BTK_ENOTFOUND);
    assert_null(git);
    assert_non_null(strstr(btk_error_last()->message, "not in a git repository"));
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(git__first_parent_follows_parents_not_dates),
        cmocka_unit_test(git__resolve_accepts_what_rev_parse_does),
        cmocka_unit_test(git__head_info_branch_parents_dirty_detached),
        cmocka_unit_test(git__shallow_clone_walks_what_it_has),
        cmocka_unit_test(git__outside_a_repository_is_not_found),
    };
    return cmocka_run_group_tests(tests, make_repo, drop_repo);
}
