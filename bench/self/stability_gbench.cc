// The same kernels as nine of benchtrack's examples (bench/examples: cpu, hash/64,
// hash/4096, memcpy/64, memcpy/4096, chase/8388608, alloc/1, alloc/16, lookup/100000),
// written for Google Benchmark, for the stability comparison in
// bench/self/stability.sh (the quality bar: benchtrack's reported median varies less across
// fresh runs than Google Benchmark's figure does for the same kernel).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

static uint64_t kernel(uint64_t x)
{
    for (int i = 0; i < 1000; i++) { // BTK_EXAMPLE_WORK's default
        x ^= x >> 31;
        x *= 0x9e3779b97f4a7c15u;
    }
    return x;
}

static void cpu(benchmark::State &state)
{
    uint64_t i = 0;

    for (auto _ : state)
        benchmark::DoNotOptimize(kernel(++i));
}
BENCHMARK(cpu);

static unsigned char buffer[65536];

static uint64_t fnv1a(const unsigned char *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

static void hash(benchmark::State &state)
{
    size_t len = static_cast<size_t>(state.range(0));

    for (size_t i = 0; i < len; i++)
        buffer[i] = static_cast<unsigned char>(i * 131u + 7u);
    for (auto _ : state)
        benchmark::DoNotOptimize(fnv1a(buffer, len));
}
BENCHMARK(hash)->Arg(64)->Arg(4096);

static char src[1 << 20], dst[1 << 20];

static void copy(benchmark::State &state)
{
    size_t len = static_cast<size_t>(state.range(0));

    std::memset(src, 'x', len);
    for (auto _ : state) {
        std::memcpy(dst, src, len);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(copy)->Name("memcpy")->Arg(64)->Arg(4096);

// chase/BYTES: one random cycle through every slot of a table of BYTES (Sattolo's
// algorithm, the same xorshift and seed as bench/examples/example_chase.c), one dependent
// load per iteration; the walk continues across Google Benchmark's batches.
static void chase(benchmark::State &state)
{
    size_t n = static_cast<size_t>(state.range(0)) / sizeof(size_t);
    std::vector<size_t> next(n);
    uint64_t x = 0x9e3779b97f4a7c15u;

    for (size_t i = 0; i < n; i++)
        next[i] = i;
    for (size_t i = n - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        std::swap(next[i], next[static_cast<size_t>(x % i)]);
    }
    size_t p = 0;
    for (auto _ : state) {
        p = next[p];
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(chase)->Arg(8 << 20);

// alloc/N: malloc and free of N 64-byte blocks per iteration (example_alloc.c).
static void alloc(benchmark::State &state)
{
    size_t n = static_cast<size_t>(state.range(0));
    std::vector<void *> blocks(n);

    for (auto _ : state) {
        for (size_t i = 0; i < n; i++) {
            blocks[i] = std::malloc(64);
            benchmark::DoNotOptimize(blocks[i]);
        }
        for (size_t i = 0; i < n; i++)
            std::free(blocks[i]);
    }
}
BENCHMARK(alloc)->Arg(1)->Arg(16);

// lookup/N: binary search of keys 0, 3, 6, ... for the key (i * 2654435761) % (3N) of
// iteration i (example_fixture.c).
static void lookup(benchmark::State &state)
{
    size_t n = static_cast<size_t>(state.range(0));
    std::vector<uint64_t> keys(n);
    uint64_t i = 0;

    for (size_t k = 0; k < n; k++)
        keys[k] = static_cast<uint64_t>(k) * 3;
    for (auto _ : state) {
        uint64_t key = (i++ * 2654435761u) % (n * 3);
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (keys[mid] < key)
                lo = mid + 1;
            else
                hi = mid;
        }
        benchmark::DoNotOptimize(lo);
    }
}
BENCHMARK(lookup)->Arg(100000);

BENCHMARK_MAIN();
