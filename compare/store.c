/* Placeholder until the store issue lands. */
#include "store.h"

int btk_store_open(btk_store **out, const char *path, unsigned flags)
{
    BTK_UNUSED(path);
    BTK_UNUSED(flags);
    *out = NULL;
    return btk_error_set(BTK_EUNSUPPORTED, "the results database is not implemented yet");
}
