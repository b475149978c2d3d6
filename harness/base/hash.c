/*
 * The one FNV-1a (64-bit) of the code base: the machine fingerprint, the seeds of the
 * per-benchmark bootstrap and the hash suffix of report file names all use it. It is an
 * identifier and a seed, not a defence against crafted collisions.
 */
#include "internal.h"

uint64_t btk__fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= BTK_FNV1A_PRIME;
    }
    return h;
}
