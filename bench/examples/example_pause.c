/*
 * `pause`: timing part of an iteration. btk_pause/btk_resume stop and restart the clock
 * inside BTK_LOOP; the harness measures the cost of a pause+resume pair at start and
 * subtracts it per pair (two timer reads, tens of ns: see docs/writing-benchmarks.md). Use it
 * only when the timed part is much longer than that; batched setup (see example_sort.c) is
 * the better tool for preparing inputs.
 */
#include <benchtrack.h>

#include <string.h>

static unsigned char block[16384];

BTK_BENCH(pause)
{
    unsigned sum = 0;
    size_t i;

    BTK_LOOP_INDEX(state, it) {
        btk_pause(state); /* untimed: refill the block */
        memset(block, (int)(it & 0xff), sizeof(block));
        btk_resume(state);
        for (i = 0; i < sizeof(block); i += 64) /* timed: read one byte per cache line */
            sum += block[i];
        btk_do_not_optimize(sum);
    }
}
