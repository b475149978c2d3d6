/*
 * The git repository through libgit2: open (searching upward), resolve refs, commit
 * details, branch and dirty state of HEAD, merge-base, first-parent order. libgit2 errors
 * become BTK_ENOTFOUND / BTK_EIO here, with one line naming the ref or path.
 */
#include "git.h"

#include <git2.h>

struct btk_git {
    git_repository *repo;
};

/* Translate the last libgit2 error: unknown things -> BTK_ENOTFOUND, else BTK_EIO. */
static int fail(int rc, const char *what, const char *name)
{
    const git_error *e = git_error_last();
    char quoted[200];
    int code = (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC ||
                rc == GIT_EUNBORNBRANCH)
                   ? BTK_ENOTFOUND
                   : BTK_EIO;

    return btk_error_set(code, "%s '%s': %s", what,
                         btk_error_quote(quoted, sizeof(quoted), name ? name : ""),
                         e && e->message ? e->message : "unknown git error");
}

/* True when path is inside a repository that libgit2 refused to open because another
 * user owns it (libgit2 1.5 reports that as "not found", later versions as GIT_EOWNER):
 * the same open with the ownership check off succeeds. Never opens it for use. */
static bool owned_by_other(const char *path)
{
    git_repository *repo = NULL;
    int on = 0, rc;

    if (git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &on) < 0 || !on)
        return false;
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    rc = git_repository_open_ext(&repo, path, 0, NULL);
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 1);
    git_repository_free(repo);
    return rc == 0;
}

int btk_git_open(btk_git **out, const char *path)
{
    btk_git *git;
    char quoted[200];
    int rc;

    *out = NULL;
    if ((git = btk__calloc(1, sizeof(*git))) == NULL)
        return BTK_ENOMEM;
    git_libgit2_init();
    rc = git_repository_open_ext(&git->repo, path ? path : ".", 0, NULL);
    if ((rc == GIT_ENOTFOUND || rc == GIT_EOWNER) && owned_by_other(path ? path : ".")) {
        btk__free(git);
        git_libgit2_shutdown();
        return btk_error_set(BTK_EIO, "the git repository at '%s' is owned by another user "
                             "(git's dubious ownership): list it in git's safe.directory",
                             btk_error_quote(quoted, sizeof(quoted), path ? path : "."));
    }
    if (rc < 0) {
        int error = rc == GIT_ENOTFOUND
                        ? btk_error_set(BTK_ENOTFOUND, "not in a git repository: '%s'",
                                        btk_error_quote(quoted, sizeof(quoted),
                                                        path ? path : "."))
                        : fail(rc, "cannot open git repository", path ? path : ".");
        btk__free(git);
        git_libgit2_shutdown();
        return error;
    }
    *out = git;
    return 0;
}

void btk_git_close(btk_git *git)
{
    if (git == NULL)
        return;
    git_repository_free(git->repo);
    btk__free(git);
    git_libgit2_shutdown();
}

const char *btk_git_workdir(const btk_git *git)
{
    return git ? git_repository_workdir(git->repo) : NULL;
}

int btk_git_resolve(char sha_out[41], btk_git *git, const char *ref)
{
    git_object *obj = NULL, *commit = NULL;
    int rc;

    sha_out[0] = '\0';
    if ((rc = git_revparse_single(&obj, git->repo, ref)) < 0)
        return fail(rc, "unknown revision", ref);
    rc = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
    git_object_free(obj);
    if (rc < 0)
        return fail(GIT_ENOTFOUND, "not a commit", ref);
    git_oid_tostr(sha_out, 41, git_object_id(commit));
    git_object_free(commit);
    return 0;
}

static int dup_into(char **dst, const char *src)
{
    btk__free(*dst);
    *dst = src ? btk__strdup(src) : NULL;
    return (src && *dst == NULL) ? BTK_ENOMEM : 0;
}

static int fill_commit(btk_commit *out, git_commit *c)
{
    const git_signature *author = git_commit_author(c);
    unsigned i, n = git_commit_parentcount(c);
    int error;

    git_oid_tostr(out->sha, sizeof(out->sha), git_commit_id(c));
    out->time = (int64_t)git_commit_time(c);
    if ((error = dup_into(&out->author, author ? author->name : NULL)) < 0 ||
        (error = dup_into(&out->subject, git_commit_summary(c))) < 0)
        return error;
    btk__free(out->parents);
    out->parent_count = 0;
    if ((out->parents = btk__calloc(n + 1, sizeof(*out->parents))) == NULL)
        return BTK_ENOMEM;
    /* Parent ids are in the commit object itself, so they are known in a shallow clone
     * even when the parent commits are not. */
    for (i = 0; i < n; i++)
        git_oid_tostr(out->parents[i], 41, git_commit_parent_id(c, i));
    out->parent_count = n;
    return 0;
}

int btk_git_commit_info(btk_commit *out, btk_git *git, const char *sha)
{
    git_oid oid;
    git_commit *c = NULL;
    int rc, error;

    if ((rc = git_oid_fromstr(&oid, sha)) < 0 ||
        (rc = git_commit_lookup(&c, git->repo, &oid)) < 0)
        return fail(rc == GIT_ENOTFOUND ? rc : GIT_ENOTFOUND, "unknown commit", sha);
    error = fill_commit(out, c);
    git_commit_free(c);
    return error;
}

/* True when tracked files differ from HEAD (index or work tree); untracked files and
 * submodules are ignored, so the results database itself never makes a tree dirty. */
static int is_dirty(bool *out, btk_git *git)
{
    git_status_options opts;
    git_status_list *list = NULL;
    int rc;

    git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
    opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    if ((rc = git_status_list_new(&list, git->repo, &opts)) < 0)
        return fail(rc, "cannot read the status of", git_repository_path(git->repo));
    *out = git_status_list_entrycount(list) > 0;
    git_status_list_free(list);
    return 0;
}

int btk_git_head_info(btk_commit *out, btk_git *git)
{
    git_reference *head = NULL;
    char sha[41];
    int rc, error;

    if ((rc = git_repository_head(&head, git->repo)) < 0)
        return rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND
                   ? btk_error_set(BTK_ENOTFOUND, "the repository has no commits yet")
                   : fail(rc, "cannot read HEAD of", git_repository_path(git->repo));
    error = dup_into(&out->branch, git_repository_head_detached(git->repo)
                                       ? NULL
                                       : git_reference_shorthand(head));
    git_oid_tostr(sha, sizeof(sha), git_reference_target(head));
    git_reference_free(head);
    if (error < 0 || (error = btk_git_commit_info(out, git, sha)) < 0)
        return error;
    return is_dirty(&out->dirty, git);
}

void btk_commit_clear(btk_commit *c)
{
    if (c == NULL)
        return;
    btk__free(c->branch);
    btk__free(c->author);
    btk__free(c->subject);
    btk__free(c->parents);
    memset(c, 0, sizeof(*c));
}

int btk_git_merge_base(char sha_out[41], btk_git *git, const char *sha_a, const char *sha_b)
{
    git_oid a, b, base;
    int rc;

    sha_out[0] = '\0';
    if (git_oid_fromstr(&a, sha_a) < 0)
        return fail(GIT_ENOTFOUND, "not a commit id", sha_a);
    if (git_oid_fromstr(&b, sha_b) < 0)
        return fail(GIT_ENOTFOUND, "not a commit id", sha_b);
    if ((rc = git_merge_base(&base, git->repo, &a, &b)) < 0)
        return fail(rc, "no merge base with", sha_b);
    git_oid_tostr(sha_out, 41, &base);
    return 0;
}

static int push_sha(char (**list)[41], size_t *count, size_t *cap, const git_oid *oid)
{
    if (*count == *cap) {
        size_t n = *cap ? *cap * 2 : 64;
        char(*grown)[41] = btk__realloc(*list, n * sizeof(**list));
        if (grown == NULL)
            return BTK_ENOMEM;
        *list = grown;
        *cap = n;
    }
    git_oid_tostr((*list)[(*count)++], 41, oid);
    return 0;
}

/* First parents by hand, stopping quietly at a commit the (shallow) clone lacks. libgit2
 * 1.5's revwalk fails outright when the walk reaches a missing parent. */
static int walk_by_hand(char (**list)[41], size_t *count, git_repository *repo,
                        const git_oid *start, size_t limit)
{
    git_commit *c = NULL, *parent = NULL;
    size_t cap = 0;
    int rc, error = 0;

    if ((rc = git_commit_lookup(&c, repo, start)) < 0)
        return fail(rc, "cannot read commit", "HEAD");
    while (c && (limit == 0 || *count < limit)) {
        if ((error = push_sha(list, count, &cap, git_commit_id(c))) < 0)
            break;
        parent = NULL;
        if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) < 0)
            parent = NULL; /* beyond the shallow boundary */
        git_commit_free(c);
        c = parent;
    }
    git_commit_free(c);
    git_error_clear();
    return error;
}

int btk_git_first_parent(char (**shas_out)[41], size_t *count_out, btk_git *git,
                         const char *ref, size_t limit)
{
    git_revwalk *walk = NULL;
    git_oid start, oid;
    char sha[41];
    char(*list)[41] = NULL;
    size_t count = 0, cap = 0;
    int rc, error;

    *shas_out = NULL;
    *count_out = 0;
    if ((error = btk_git_resolve(sha, git, ref)) < 0)
        return error;
    git_oid_fromstr(&start, sha);
    if (git_repository_is_shallow(git->repo) == 1) {
        if ((error = walk_by_hand(&list, &count, git->repo, &start, limit)) < 0) {
            btk__free(list);
            return error;
        }
        *shas_out = list;
        *count_out = count;
        return 0;
    }
    if ((rc = git_revwalk_new(&walk, git->repo)) < 0 ||
        (rc = git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL)) < 0 ||
        (rc = git_revwalk_simplify_first_parent(walk)) < 0 ||
        (rc = git_revwalk_push(walk, &start)) < 0) {
        git_revwalk_free(walk);
        return fail(rc, "cannot walk the history of", ref);
    }
    while ((limit == 0 || count < limit) && (rc = git_revwalk_next(&oid, walk)) == 0)
        if ((error = push_sha(&list, &count, &cap, &oid)) < 0)
            break;
    git_revwalk_free(walk);
    if (error == 0 && rc < 0 && rc != GIT_ITEROVER)
        error = fail(rc, "cannot walk the history of", ref);
    if (error < 0) {
        btk__free(list);
        return error;
    }
    *shas_out = list;
    *count_out = count;
    return 0;
}

int btk_git_default_branch(char *out, size_t len, btk_git *git)
{
    static const char *const candidates[] = {"main", "master"};
    git_reference *ref = NULL;
    const char *target;
    size_t i;

    if (git_reference_lookup(&ref, git->repo, "refs/remotes/origin/HEAD") == 0) {
        target = git_reference_symbolic_target(ref);
        if (target && !strncmp(target, "refs/remotes/", 13)) {
            snprintf(out, len, "%s", target + 13);
            git_reference_free(ref);
            return 0;
        }
        git_reference_free(ref);
    }
    for (i = 0; i < BTK_ARRAY_SIZE(candidates); i++)
        if (git_branch_lookup(&ref, git->repo, candidates[i], GIT_BRANCH_LOCAL) == 0) {
            git_reference_free(ref);
            snprintf(out, len, "%s", candidates[i]);
            return 0;
        }
    if (len)
        out[0] = '\0';
    return btk_error_set(BTK_ENOTFOUND, "no default branch (no origin/HEAD, main or master)");
}
