/*
 * The git repository (libgit2): commit, branch, dirty state, refs, merge-base and
 * first-parent order. git2.h is confined to git.c; errors become BTK_ENOTFOUND (unknown ref,
 * not a repository) or BTK_EIO with one line naming the ref or path.
 */
#ifndef BTK_GIT_H
#define BTK_GIT_H

#include "model.h"

typedef struct btk_git btk_git;

/* Open the repository containing path (NULL: the current directory), searching upward.
 * Not a repository: BTK_ENOTFOUND. */
int btk_git_open(btk_git **out, const char *path);
void btk_git_close(btk_git *git);
/* The working directory root (with a trailing '/'), borrowed; NULL for a bare repository. */
const char *btk_git_workdir(const btk_git *git);

/* Resolve anything `git rev-parse` accepts (branch, tag, sha prefix, HEAD~2) to a commit. */
int btk_git_resolve(char sha_out[41], btk_git *git, const char *ref);
/* Fill commit (sha, time, author, subject, parents) for a resolved sha; the branch and dirty
 * fields are left alone. The caller clears the strings it owns via btk_commit_clear. */
int btk_git_commit_info(btk_commit *out, btk_git *git, const char *sha);
/* HEAD's commit info plus branch (NULL when detached) and dirty (tracked files changed). */
int btk_git_head_info(btk_commit *out, btk_git *git);
void btk_commit_clear(btk_commit *commit);

int btk_git_merge_base(char sha_out[41], btk_git *git, const char *sha_a, const char *sha_b);
/* Commits from ref back along first parents, newest first, at most limit (0: all). Free
 * *shas_out with btk__free. */
int btk_git_first_parent(char (**shas_out)[41], size_t *count_out, btk_git *git,
                         const char *ref, size_t limit);
/* The default branch: refs/remotes/origin/HEAD's target, else "main", else "master";
 * written to a caller buffer. BTK_ENOTFOUND when none exists. */
int btk_git_default_branch(char *out, size_t len, btk_git *git);

#endif
