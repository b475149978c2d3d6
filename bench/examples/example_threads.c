/*
 * `threads_private` and `threads_shared`: threaded benchmarks over a thread range (1, 2, 4,
 * ... up to the CPUs the process may use, instances `name/threads:N`). Every thread runs the
 * same batch; an iteration is one pass of every thread, so the wall time per iteration stays
 * flat when the threads do not get in each other's way and grows when they do, while the
 * CPU time per iteration (all threads) grows with N in both (docs/writing-benchmarks.md,
 * "Threads"). `threads_private` increments a counter on a cache line of its own per thread:
 * it scales. `threads_shared` increments one atomic counter from every thread: the cache
 * line moves between the cores on every increment, and it does not.
 */
#include <benchtrack.h>

#include <stdatomic.h>

#define MAX_SLOTS 64

static struct {
    _Alignas(64) uint64_t count;
} slots[MAX_SLOTS];

static _Alignas(64) atomic_uint_fast64_t shared;

BTK_BENCH(threads_private, BTK_THREAD_RANGE(1, BTK_THREADS_CPUS))
{
    uint64_t *mine = &slots[state->thread_index % MAX_SLOTS].count;

    BTK_LOOP(state) {
        *mine += 1;
        btk_clobber_memory();
    }
}

BTK_BENCH(threads_shared, BTK_THREAD_RANGE(1, BTK_THREADS_CPUS))
{
    BTK_LOOP(state) {
        atomic_fetch_add_explicit(&shared, 1, memory_order_relaxed);
    }
}
