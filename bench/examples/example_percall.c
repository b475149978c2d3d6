/*
 * `percall_flush`: per-call mode (.per_call = true) for latency percentiles. The body models
 * a buffered writer: a call appends a record (about 1.5 us of work here) and every 32nd call
 * also flushes the buffer (about 20x longer). Timed in batches, every sample averages over
 * its calls and the flushes vanish into the mean; timed call by call, p50 is an append and
 * p99 a flush, the figures a latency budget such as "p99 < 2ms" speaks of
 * (docs/writing-benchmarks.md, "Per-call mode"; docs/config.md).
 */
#include <benchtrack.h>

static uint64_t calls;

/* A dependent chain of steps (cannot be vectorized or folded). */
static uint64_t work(uint64_t x, unsigned steps)
{
    unsigned i;

    for (i = 0; i < steps; i++) {
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9u;
    }
    return x;
}

BTK_BENCH(percall_flush, .per_call = true)
{
    BTK_LOOP(state) {
        unsigned steps = ++calls % 32 == 0 ? 20000 : 1000; /* a flush, or an append */

        btk_do_not_optimize(work(calls, steps));
    }
}
