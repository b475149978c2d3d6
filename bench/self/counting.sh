#!/usr/bin/env bash
# Counting mode's figures (docs/figures/counting.md): N A/A comparisons of the example suite
# counted under callgrind with the other core loaded (a busy loop pinned to CPU 0), N A/B
# comparisons against the suite with 1% more work in the CPU-bound example, and the wall
# time of a counting run against a timed run. Until `benchtrack compare` reads counts, the
# comparison is done here: a benchmark is "changed" when its instructions per iteration
# differ between the two runs, or when either run calls it nondeterministic.
# usage: bench/self/counting.sh [BUILD_DIR] [N]   (default build, 20)
set -euo pipefail
build=${1:-build}
n=${2:-20}
ex=$build/bench/examples
plus1=$build/bench/examples_cpu_plus1
work=$(mktemp -d)
loader=""
cleanup() { [ -n "$loader" ] && kill "$loader" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

taskset -c 0 sh -c 'while :; do :; done' &
loader=$!
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

t0=$(date +%s.%N)
"$ex" --out "$work/timed.json" >/dev/null 2>&1
t1=$(date +%s.%N)
timed=$(echo "$t1 - $t0" | bc)

for i in $(seq 0 "$n"); do
    s=$(date +%s.%N)
    "$ex" --measure instructions --out "$work/a$i.json" >/dev/null 2>&1
    e=$(date +%s.%N)
    echo "$(echo "$e - $s" | bc)" >> "$work/count_wall"
done
for i in $(seq 1 "$n"); do
    "$plus1" --measure instructions --filter cpu --out "$work/b$i.json" >/dev/null 2>&1
done

python3 - "$work" "$n" "$timed" <<'PY'
import json, sys, statistics
work, n, timed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def load(p):
    return {b["name"]: b for b in json.load(open(p))["benchmarks"]}
def per(b):
    return b["count"]["instructions_per_iter"]
def changed(x, y):
    return [k for k in x if not (x[k]["status"] == y[k]["status"] == "ok" and
            x[k]["count"]["deterministic"] and y[k]["count"]["deterministic"] and
            per(x[k]) == per(y[k]))]
runs = [load("%s/a%d.json" % (work, i)) for i in range(n + 1)]
aa = [changed(runs[i], runs[i + 1]) for i in range(n)]
print("A/A: %d comparisons of %d benchmarks; changed benchmarks: %d %s" %
      (n, len(runs[0]), sum(len(c) for c in aa), sorted({k for c in aa for k in c})))
found = 0
ratios = []
for i in range(1, n + 1):
    b = load("%s/b%d.json" % (work, i))["cpu"]
    a = runs[i]["cpu"]
    ok = b["count"]["deterministic"] and a["count"]["deterministic"] and per(b) != per(a)
    found += ok
    ratios.append(per(b) / per(a))
print("A/B (+1%% work in cpu): found in %d of %d; instructions ratio %s" %
      (found, n, sorted(set("%.6f" % r for r in ratios))))
walls = [float(l) for l in open("%s/count_wall" % work)]
print("wall time: timed run %.1f s; counting runs median %.1f s (min %.1f, max %.1f); "
      "factor %.1f" % (timed, statistics.median(walls), min(walls), max(walls),
                       statistics.median(walls) / timed))
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
