/*
 * `memcpy/N`: copying N bytes, for N = 64, 4096 and 1 MiB (an explicit parameter list,
 * BTK_PARAMS). Demonstrates byte throughput and a named custom counter (cache lines moved
 * per iteration). btk_clobber_memory() makes the compiler assume the destination is read,
 * so the copy is not removed as a dead store.
 */
#include <benchtrack.h>

#include <string.h>

static char src[1 << 20], dst[1 << 20];

BTK_BENCH(memcpy, BTK_PARAMS(64, 4096, 1 << 20))
{
    size_t len = (size_t)state->param;

    memset(src, 'x', len);
    btk_set_bytes(state, len);
    btk_counter(state, "cache_lines", (double)len / 64);
    BTK_LOOP(state) {
        memcpy(dst, src, len);
        btk_clobber_memory();
    }
}
