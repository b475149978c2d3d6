// Source of tests/data/gbench/tiny.json: built with
//   g++ -O2 gbench_tiny.cc -lbenchmark -lpthread -o gbench_tiny
//   ./gbench_tiny --benchmark_repetitions=3 --benchmark_format=json --benchmark_min_time=0.01 > tiny.json
#include <benchmark/benchmark.h>
#include <vector>
#include <algorithm>

static void BM_sort(benchmark::State &state)
{
    std::vector<int> v(state.range(0));
    for (auto _ : state) {
        for (size_t i = 0; i < v.size(); i++)
            v[i] = (int)((i * 2654435761u) % 1000);
        std::sort(v.begin(), v.end());
        benchmark::DoNotOptimize(v.data());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_sort)->Arg(64)->Arg(1024)->Unit(benchmark::kMicrosecond);

static void BM_fails(benchmark::State &state)
{
    for (auto _ : state)
        state.SkipWithError("deliberate failure");
}
BENCHMARK(BM_fails);

BENCHMARK_MAIN();
