/*
 * Counting-mode backend for other systems: POSIX has no way to turn address-space
 * randomization off for a child, so counted processes run with whatever the system does;
 * the determinism check across processes still catches counts that follow addresses.
 */
#include "count.h"

bool btk_count__no_aslr(char *why, size_t len)
{
    snprintf(why, len, "cannot turn address-space randomization off on this system");
    return false;
}

bool btk_count__aslr_is_off(void)
{
    return false;
}

int btk_count__program(char *buf, size_t len)
{
    BTK_UNUSED(buf);
    BTK_UNUSED(len);
    return btk_error_set(BTK_EUNSUPPORTED, "counting mode cannot find this program's file "
                                           "on this system");
}
