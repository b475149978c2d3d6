#!/usr/bin/env bash
# How the sample length changes what a disturbance does to a process's median
# (docs/timer.md#sample-length, docs/figures/harness.md): for each length of LENGTHS (µs,
# default "1000 200 50"), ROUNDS (default 2) runs of the example binary, `--filter KERNELS
# --processes 10 --time-budget 100 --sample-time L`, pinned to CPU (default: the last).
# Prints per kernel and run: the median share over processes of samples more than 1 %
# above their process's 10th percentile (samples that held a disturbance, for a kernel
# whose own samples vary less than that), the spread of the ten process medians
# (largest / smallest - 1), the median number of samples per process and the run's median.
# usage: bench/self/sample-length.sh [BUILD_DIR]
#   env: LENGTHS, ROUNDS, KERNELS (default cpu,hash/4096,alloc/1,lookup/100000), CPU
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
ex=$build/bench/examples
[ -x "$ex" ] || { echo "missing $ex: build first" >&2; exit 2; }
lengths=${LENGTHS:-1000 200 50}
rounds=${ROUNDS:-2}
kernels=${KERNELS:-cpu,hash/4096,alloc/1,lookup/100000}
cpu=${CPU:-$(( $(nproc) - 1 ))}
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-samplelen-XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "sample length ($(uname -n), $(nproc) cpus, CPU $cpu, load $(cut -d' ' -f1-3 /proc/loadavg));" \
     "examples --filter $kernels --processes 10 --time-budget 100"
for len in $lengths; do
    for r in $(seq 1 "$rounds"); do
        "$ex" --filter "$kernels" --processes 10 --time-budget 100 --cpu "$cpu" \
            --sample-time "$len" --out "$work/r.json" >/dev/null 2>&1
        python3 - "$work/r.json" "$len" "$r" <<'PY'
import json, statistics, sys
path, length, rnd = sys.argv[1], sys.argv[2], sys.argv[3]
for b in json.load(open(path))["benchmarks"]:
    shares, medians, counts = [], [], []
    for p in b["processes"]:
        s = sorted(p["samples"])
        q10 = s[len(s) // 10]
        shares.append(sum(x > q10 * 1.01 for x in s) / len(s))
        medians.append(statistics.median(s))
        counts.append(len(s))
    print(f"{length:>6} us run {rnd}  {b['name']:14} disturbed {statistics.median(shares) * 100:4.0f} %"
          f"  process medians spread {(max(medians) / min(medians) - 1) * 100:6.2f} %"
          f"  samples/process {statistics.median(counts):5.0f}  median {b['stats']['median']:9.2f} ns")
PY
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
