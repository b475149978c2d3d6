#!/usr/bin/env bash
# What allocation counting costs the timed samples (docs/figures/harness.md, docs/timer.md
# "Memory tracking"): bench/self/memtrack_cost.c (100 malloc(64)+free per iteration) timed
#   on     benchtrack, allocation counting on (the default; counted in a separate process)
#   off    benchtrack --no-memtrack
#   interp benchtrack with the counting allocator preloaded into the timed process too
#          (LD_PRELOAD=libbenchtrack_memtrack.so): every malloc of the samples goes through
#          the interposer, as when the interposers were linked into libbenchtrack
#   gb     bench/self/memtrack_cost_gbench.cc, Google Benchmark, pinned by taskset to the
#          CPU benchtrack pins to
# RUNS rounds, each running the four alternately (on off interp gb), so all see the same
# load. Prints per variant the median over the runs of the reported time per iteration
# (benchtrack's median, Google Benchmark's real_time) and its min..max, and checks that the
# benchmark binary defines no malloc of its own.
# usage: bench/self/memtrack-cost.sh [BUILD_DIR] [RUNS]   (needs libbenchmark-dev, g++)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
runs=${2:-10}
so=$build/preload/libbenchtrack_memtrack.so
[ -f "$build/libbenchtrack.a" ] && [ -f "$so" ] || { echo "build $build first" >&2; exit 2; }
[ -f /usr/include/benchmark/benchmark.h ] || { echo "needs libbenchmark-dev" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-memcost-XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -std=c11 -I"$here/include" "$here/bench/self/memtrack_cost.c" \
    "$build/libbenchtrack.a" "$build/libbenchtrack_main.a" "$build/libbenchtrack.a" \
    -ljansson -lm -ldl -o "$work/btk"
g++ -O2 -std=c++17 "$here/bench/self/memtrack_cost_gbench.cc" -o "$work/gb" -lbenchmark -lpthread
if nm "$work/btk" | grep -qE ' T (malloc|free)$'; then
    echo "the benchmark binary defines malloc/free itself" >&2; exit 1
fi
cpu=$(( $(nproc) - 1 ))
echo "memtrack cost over $runs rounds ($(uname -n), $(nproc) cpus, load before:" \
     "$(cut -d' ' -f1-3 /proc/loadavg)); benchmark binary defines no malloc/free: yes"
for i in $(seq 1 "$runs"); do
    "$work/btk" --out "$work/on$i.json" >/dev/null 2>&1
    "$work/btk" --no-memtrack --out "$work/off$i.json" >/dev/null 2>&1
    LD_PRELOAD=$so "$work/btk" --out "$work/interp$i.json" >/dev/null 2>&1
    taskset -c "$cpu" "$work/gb" --benchmark_format=json --benchmark_out="$work/gb$i.json" \
        >/dev/null 2>&1
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
label = {"on": "benchtrack, counting on", "off": "benchtrack --no-memtrack",
         "interp": "benchtrack, interposer in the timed process",
         "gb": "google benchmark"}
med = {}
for v in label:
    xs = []
    for i in range(1, runs + 1):
        b = json.load(open(f"{work}/{v}{i}.json"))["benchmarks"][0]
        if v == "gb":
            xs.append(b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]])
        else:
            xs.append(b["stats"]["median"])
            if v == "on" and i == 1:
                allocs = b["memory"]["allocs_per_iter"]
    med[v] = statistics.median(xs)
    print(f"{label[v]:45} {med[v]:8.1f} ns/iter  ({min(xs):.1f}..{max(xs):.1f})")
print(f"counted allocs/iter (counting on): {allocs:.2f}")
for v in ("on", "interp", "gb"):
    print(f"{label[v]:45} {100 * (med[v] / med['off'] - 1):+6.1f} % vs --no-memtrack")
PY
