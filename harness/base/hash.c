/*
 * The one FNV-1a (64-bit) of the code base: the machine fingerprint, the seeds of the
 * per-benchmark bootstrap and the hash suffix of report file names all use it. It is an
 * identifier and a seed, not a defence against crafted collisions. btk__file_id names a
 * benchmark binary by its content (docs/json-format.md, `executable_id`).
 */
#include "internal.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

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

int btk__file_id(char out[BTK_FILE_ID_LEN], const char *path)
{
    unsigned char chunk[65536];
    uint64_t h = BTK_FNV1A_INIT;
    ssize_t got;
    int fd;

    out[0] = '\0';
    do
        fd = open(path, O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return btk_error_set(BTK_EIO, "cannot open '%s': %s", path, strerror(errno));
    for (;;) {
        got = read(fd, chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        h = btk__fnv1a(h, chunk, (size_t)got);
    }
    if (got < 0) {
        int e = errno;

        close(fd);
        return btk_error_set(BTK_EIO, "cannot read '%s': %s", path, strerror(e));
    }
    close(fd);
    snprintf(out, BTK_FILE_ID_LEN, "fnv1a64:%016llx", (unsigned long long)h);
    return 0;
}
