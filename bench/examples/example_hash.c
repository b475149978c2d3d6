/*
 * `hash/N`: FNV-1a over an N-byte buffer, for N = 64, 512, 4096, 32768 and 65536
 * (BTK_RANGE(64, 65536, 8): lo, lo*8, ... below hi, then hi itself). Demonstrates a parameter
 * range and byte throughput: btk_set_bytes makes the report show B/s next to ns/iteration.
 * The result goes to btk_do_not_optimize so the hash cannot be optimized away.
 */
#include <benchtrack.h>

static unsigned char buffer[65536];

static uint64_t fnv1a(const unsigned char *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

BTK_BENCH(hash, BTK_RANGE(64, 65536, 8))
{
    size_t len = (size_t)state->param, i;

    for (i = 0; i < len; i++) /* untimed: code before BTK_LOOP */
        buffer[i] = (unsigned char)(i * 131u + 7u);
    btk_set_bytes(state, len);
    BTK_LOOP(state) {
        btk_do_not_optimize(fnv1a(buffer, len));
    }
}
