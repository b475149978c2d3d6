#!/usr/bin/env bash
# Does the shared-core reading (docs/timer.md#shared-core) name the state that slows the
# benchmarks? RUNS (default 150) runs of the example binary, one every PAUSE seconds
# (default 2), `--filter KERNELS --processes 2 --time-budget 50`, pinned to CPU (default 0).
# A run "reads shared" for a kernel when at least half its processes' branch_ratio is 1.5
# or more (the harness's rule); it "is slow" when its median is above 1.3 times the smallest
# of that kernel's medians over all runs. Prints per kernel: the runs read
# shared, the median in those and in the others, and the slow runs among the shared and
# among the others. The state comes and goes with the host (another tenant on the core's
# SMT sibling): on a host without it, every run reads 1.0 and the table says so.
# usage: bench/self/shared-core.sh [BUILD_DIR]
#   env: RUNS, PAUSE, KERNELS (default empty,alloc/1,cpu), CPU
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
ex=$build/bench/examples
[ -x "$ex" ] || { echo "missing $ex: build first" >&2; exit 2; }
runs=${RUNS:-150}
pause=${PAUSE:-2}
kernels=${KERNELS:-empty,alloc/1,cpu}
cpu=${CPU:-0}
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-shared-XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "shared core ($(uname -n), $(nproc) cpus, CPU $cpu, load $(cut -d' ' -f1-3 /proc/loadavg)," \
     "$(date -u +%FT%TZ)); $runs runs of examples --filter $kernels --processes 2 --time-budget 50"
for r in $(seq 1 "$runs"); do
    "$ex" --filter "$kernels" --processes 2 --time-budget 50 --cpu "$cpu" \
        --out "$work/$r.json" >/dev/null 2>&1 || { echo "run $r failed" >&2; exit 3; }
    sleep "$pause"
done
python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
by = {}
for r in range(1, runs + 1):
    for b in json.load(open(f"{work}/{r}.json"))["benchmarks"]:
        if "stats" not in b:
            continue
        ratios = [p["branch_ratio"] for p in b["processes"] if "branch_ratio" in p]
        shared = bool(ratios) and 2 * sum(x >= 1.5 for x in ratios) >= len(ratios)
        by.setdefault(b["name"], []).append((b["stats"]["median"], shared))
print("kernel            read shared   median shared / other      slow: shared / other")
for name, v in by.items():
    low = min(m for m, _ in v)
    sh = [m for m, s in v if s]
    ot = [m for m, s in v if not s]
    slow_sh = sum(m > 1.3 * low for m in sh)
    slow_ot = sum(m > 1.3 * low for m in ot)
    fmt = lambda x: f"{statistics.median(x):.4g}" if x else "-"
    print(f"{name:<16} {len(sh):>4} of {len(v):<4}   {fmt(sh):>10} / {fmt(ot):<10}"
          f"   {slow_sh:>4} / {slow_ot}")
PY
echo "end: load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
