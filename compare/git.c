/* Placeholder until the store issue lands. */
#include "git.h"

int btk_git_open(btk_git **out, const char *path)
{
    BTK_UNUSED(path);
    *out = NULL;
    return btk_error_set(BTK_EUNSUPPORTED, "git support is not implemented yet");
}

int btk_git_resolve(char sha_out[41], btk_git *git, const char *ref)
{
    BTK_UNUSED(git);
    BTK_UNUSED(ref);
    sha_out[0] = '\0';
    return btk_error_set(BTK_EUNSUPPORTED, "git support is not implemented yet");
}

const char *btk_git_workdir(const btk_git *git)
{
    BTK_UNUSED(git);
    return NULL;
}
