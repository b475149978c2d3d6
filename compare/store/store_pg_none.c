/*
 * The server backend of a build without PostgreSQL (cmake -DBTK_POSTGRESQL=OFF): a server
 * location is refused, without naming it (it may hold a password).
 */
#include "store.h"

#include "store_backend.h"

const bool btk_store__has_server = false;

int btk_store__open_server(btk_store **out, const char *location, unsigned flags)
{
    BTK_UNUSED(location);
    BTK_UNUSED(flags);
    *out = NULL;
    return btk_error_set(BTK_EUNSUPPORTED, "this benchtrack was built without PostgreSQL "
                         "support: a postgresql:// results database cannot be opened");
}
