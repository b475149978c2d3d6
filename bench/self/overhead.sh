#!/usr/bin/env bash
# Print the harness overhead figures (docs/figures/harness.md): the empty benchmark in ns and
# cycles per iteration, the timer read cost, the subtracted region/pause costs, and the cost
# the counting allocator adds to malloc+free. Builds bench/self/overhead.c in ./build if needed.
# Usage: bench/self/overhead.sh [runs]   (BUILD_DIR overrides ./build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build}
[ -d "$build" ] || cmake -S . -B "$build" >/dev/null
cmake --build "$build" --target btk_overhead -j2 >/dev/null
bin=$(find "$build" -name btk_overhead -type f -perm -u+x | head -n1)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs"
# With the counting allocator preloaded, so malloc_free goes through its interposers (the
# timed samples of a normal run do not: docs/timer.md#memory-tracking).
so=$(find "$build" -name libbenchtrack_memtrack.so -type f | head -n1)
LD_PRELOAD=${so:-} "$bin" "${1:-5}"

# Google Benchmark's empty loop on the same machine, when its library is installed.
if command -v g++ >/dev/null && [ -f /usr/include/benchmark/benchmark.h ]; then
    gb="$build/btk_overhead_gbench"
    g++ -O2 -std=c++17 bench/self/overhead_gbench.cc -o "$gb" -lbenchmark -lpthread
    gbcpu=$(taskset -p "$$" >/dev/null 2>&1 && echo "$(( $(nproc) - 1 ))" || echo "")
    for i in 1 2 3 4 5; do
        ${gbcpu:+taskset -c "$gbcpu"} "$gb" --benchmark_format=csv 2>/dev/null | grep '^"'
    done | python3 -c '
import sys, statistics, collections
t = collections.defaultdict(list)
for l in sys.stdin:
    f = l.split(",")
    t[f[0].strip(chr(34))].append(float(f[2]))
for name, v in t.items():
    print("google benchmark %-8s %10.3g ns/iter (median of %d runs, real_time)"
          % (name, statistics.median(v), len(v)))'
else
    echo "google benchmark: not installed (libbenchmark-dev), comparison skipped"
fi
