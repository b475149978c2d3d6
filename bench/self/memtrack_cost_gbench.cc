// The kernel of bench/self/memtrack_cost.c (100 malloc(64)+free pairs per iteration) for
// Google Benchmark, for bench/self/memtrack-cost.sh.
#include <benchmark/benchmark.h>

#include <cstdlib>

static void malloc_free_100(benchmark::State &state)
{
    for (auto _ : state)
        for (int i = 0; i < 100; i++) {
            void *p = std::malloc(64);
            benchmark::DoNotOptimize(p);
            std::free(p);
        }
}
BENCHMARK(malloc_free_100);

BENCHMARK_MAIN();
