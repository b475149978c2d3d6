#!/usr/bin/env bash
# Stability across fresh runs (docs/figures/harness.md; the quality bar of ARCHITECTURE.md:
# benchtrack's reported median of an example benchmark varies less across 10 fresh runs
# than Google Benchmark's figure for the same kernel). RUNS times, alternately: the
# `examples` binary (its defaults, one process, its own pinning) for cpu, hash/4096,
# memcpy/4096 and chase/8388608, and bench/self/stability_gbench.cc (the same kernels; Google Benchmark's
# defaults, pinned with taskset to the same CPU). Prints, per kernel and tool, the
# coefficient of variation (stddev/mean) and the spread ((max-min)/median) of the figure
# each run reports: benchtrack's median, Google Benchmark's real_time per iteration.
# usage: bench/self/stability.sh [BUILD_DIR] [RUNS] [-- EXTRA ARGS FOR examples]
#   e.g. -- --precision 0.001 (sample for the whole time budget instead of stopping at the
#   default 1 % precision). Needs libbenchmark-dev and g++.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
runs=${2:-10}
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
extra=("$@")
ex=$build/bench/examples
[ -x "$ex" ] || { echo "missing $ex: build first" >&2; exit 2; }
[ -f /usr/include/benchmark/benchmark.h ] || { echo "needs libbenchmark-dev" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-stability-XXXXXX")
trap 'rm -rf "$work"' EXIT
g++ -O2 -std=c++17 "$here/bench/self/stability_gbench.cc" -o "$work/gb" -lbenchmark -lpthread
cpu=$(( $(nproc) - 1 ))
echo "stability over $runs fresh runs ($(uname -n), $(nproc) cpus, load" \
     "$(cut -d' ' -f1-3 /proc/loadavg)); Google Benchmark pinned to CPU $cpu;" \
     "examples args: ${extra[*]:-(defaults)}"
for i in $(seq 1 "$runs"); do
    "$ex" --filter 'cpu,hash/4096,memcpy/4096,chase/8388608' --out "$work/btk$i.json" ${extra[@]+"${extra[@]}"} \
        >/dev/null 2>&1
    taskset -c "$cpu" "$work/gb" --benchmark_filter='^(cpu|hash/4096|memcpy/4096|chase/8388608)$' \
        --benchmark_format=json --benchmark_out="$work/gb$i.json" \
        >/dev/null 2>&1
done
python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
names = ["cpu", "hash/4096", "memcpy/4096", "chase/8388608"]
figs = {("benchtrack", n): [] for n in names}
figs.update({("google benchmark", n): [] for n in names})
for i in range(1, runs + 1):
    for b in json.load(open(f"{work}/btk{i}.json"))["benchmarks"]:
        figs[("benchtrack", b["name"])].append(b["stats"]["median"])
    for b in json.load(open(f"{work}/gb{i}.json"))["benchmarks"]:
        if b["name"] not in names:
            continue
        scale = {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
        figs[("google benchmark", b["name"])].append(b["real_time"] * scale)
print(f"{'kernel':12} {'tool':17} {'median ns':>10} {'CV %':>7} {'spread %':>9}")
for n in names:
    cvs = {}
    for tool in ("benchtrack", "google benchmark"):
        v = figs[(tool, n)]
        med = statistics.median(v)
        cvs[tool] = statistics.stdev(v) / statistics.mean(v) * 100
        spread = (max(v) - min(v)) / med * 100
        print(f"{n:12} {tool:17} {med:10.2f} {cvs[tool]:7.2f} {spread:9.2f}")
    print(f"{'':12} steadier (lower CV): "
          f"{'benchtrack' if cvs['benchtrack'] < cvs['google benchmark'] else 'google benchmark'}")
PY
