#!/usr/bin/env bash
# Threads, CPU time, disturbance and per-call figures (docs/figures/harness.md, "Threads,
# CPU time, per-call"): runs the example binary's threaded and per-call benchmarks RUNS
# times (one process each) and prints, per benchmark, the median over the runs of the wall
# time per iteration, the CPU time per iteration (all threads), the throughput relative to
# one thread, the per-call p50/p99 and the share of disturbed samples, plus the harness's
# own CPU-time overheads (timer.cpu_overhead_ns, timer.cpu_pause_ns).
# usage: bench/self/threads.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
runs=${2:-5}
ex=$build/bench/examples
[ -x "$ex" ] || { echo "build $build first (bench/examples)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-threads-XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "threads/per-call over $runs runs ($(uname -n), $(nproc) cpus, load before:" \
     "$(cut -d' ' -f1-3 /proc/loadavg))"
for i in $(seq 1 "$runs"); do
    "$ex" --filter 'threads_*,percall*,empty' --out "$work/r$i.json" >/dev/null 2>&1 || true
done
python3 - "$work"/r*.json <<'PY'
import json, statistics, sys
runs = [json.load(open(f)) for f in sys.argv[1:]]
rows = {}
for d in runs:
    for b in d["benchmarks"]:
        if b.get("status") != "ok":
            continue
        r = rows.setdefault(b["name"], {"wall": [], "cpu": [], "thr": b.get("threads", 1),
                                        "p50": [], "p99": [], "dist": []})
        r["wall"].append(b["stats"]["median"])
        r["cpu"].append(b["cpu_stats"]["median"])
        r["dist"].append(b["disturbance"]["share"])
        if b.get("percentiles") == "calls":
            r["p50"].append(b["call_stats"]["p50"])
            r["p99"].append(b["call_stats"]["p99"])
med = statistics.median
print("| benchmark | threads | wall/it | cpu/it | throughput vs 1 thread | call p50 | call p99 | disturbed |")
print("|---|---|---|---|---|---|---|---|")
for name, r in rows.items():
    base = rows.get(name.split("/threads:")[0] + "/threads:1")
    speed = "-"
    if base and "/threads:" in name:
        speed = "x%.2f" % (r["thr"] * med(base["wall"]) / med(r["wall"]))
    p50 = "%.0f ns" % med(r["p50"]) if r["p50"] else "-"
    p99 = "%.0f ns" % med(r["p99"]) if r["p99"] else "-"
    print("| %s | %d | %.2f ns | %.2f ns | %s | %s | %s | %.0f %% |" % (
        name, r["thr"], med(r["wall"]), med(r["cpu"]), speed, p50, p99,
        100 * med(r["dist"])))
t = [d["context"]["timer"] for d in runs]
print("\ntimer.cpu_overhead_ns median %.0f, timer.cpu_pause_ns median %.0f, timer.overhead_ns"
      " median %.1f" % (med(x["cpu_overhead_ns"] for x in t), med(x["cpu_pause_ns"] for x in t),
                         med(x["overhead_ns"] for x in t)))
PY
