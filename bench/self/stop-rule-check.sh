#!/usr/bin/env bash
# Does "stop_reason": "precision" mean what it says? (docs/figures/harness.md, "Stability
# after the stop-rule fix".) Runs the `examples` binary ROUNDS times with --processes 10 on
# cpu, hash/4096 and memcpy/4096 and, for every process that stopped for precision,
# recomputes the relative half-width of its median's CI by sorting its samples (ranks:
# exact binomial up to 1000 samples, the normal approximation above, as
# btk_stats_median_ci_ranks). Prints how many such processes really were within the
# target. With a second build directory both binaries run, alternately.
# usage: bench/self/stop-rule-check.sh [BUILD_DIR] [OTHER_BUILD_DIR] [ROUNDS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
other=${2:-}
rounds=${3:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-stoprule-XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "stop rule check ($(uname -n), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg))"
for r in $(seq 1 "$rounds"); do
    for which in this ${other:+other}; do
        b=$build; [ "$which" = other ] && b=$(cd "$other" && pwd)
        "$b/bench/examples" --filter 'cpu,hash/4096,memcpy/4096' --processes 10 \
            --out "$work/$which-$r.json" >/dev/null 2>&1
    done
done
python3 - "$work" <<'PY'
import glob, json, math, os, sys
def lo_rank(n):
    if n <= 1000:
        cdf = 0.0
        for k in range(n):
            cdf += math.comb(n, k) / 2.0 ** n
            if cdf > 0.025:
                return max(k, 1)
        return 1
    return max(int(math.floor(n / 2 - 1.959963984540054 * math.sqrt(n) / 2)), 1)
for which in ("this", "other"):
    files = sorted(glob.glob(os.path.join(sys.argv[1], which + "-*.json")))
    if not files:
        continue
    stopped = bad = 0
    worst = 0.0
    for f in files:
        doc = json.load(open(f))
        target = doc["context"]["options"]["precision"]
        for b in doc["benchmarks"]:
            for p in b.get("processes", []):
                if p["stop_reason"] != "precision":
                    continue
                s = sorted(p["samples"])
                n = len(s)
                lo = lo_rank(n) if n >= 6 else 1
                med = (s[(n - 1) // 2] + s[n // 2]) / 2
                rel = (s[n - lo] - s[lo - 1]) / 2 / med
                stopped += 1
                bad += rel > target * (1 + 1e-12)
                worst = max(worst, rel)
    print(f"{which}: {len(files)} runs; {stopped} processes stopped for precision "
          f"(target {target * 100:g} %); {bad} of them had a true half-width above it; "
          f"largest {worst * 100:.2f} %")
PY
