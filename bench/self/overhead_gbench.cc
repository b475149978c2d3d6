// Google Benchmark's empty loop, for the overhead comparison in bench/self/overhead.sh
// (the quality bar: benchtrack's empty benchmark costs at most this per iteration).
#include <benchmark/benchmark.h>

static void empty(benchmark::State &state)
{
    for (auto _ : state) {
    }
}
BENCHMARK(empty);

// The same with a compiler barrier per iteration: GB's empty loop above is removed by the
// optimizer (its iteration count is known), this one is not; compare with btk's `clobber`.
static void clobber(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::ClobberMemory();
}
BENCHMARK(clobber);
BENCHMARK_MAIN();
