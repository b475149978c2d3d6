#!/usr/bin/env bash
# Do complexity verdicts repeat? (docs/figures/complexity.md.) Runs the complexity
# examples (bench/examples/example_complexity.c) ROUNDS times, each run a fresh binary
# with --processes PROCS, and counts per series how often each verdict (the JSON's
# "summary") came out, with the range of the fitted exponent k and of its interval.
# A fit that picked its class by noise would show several single-class verdicts for one
# series; "cannot tell" next to a class is the honest alternative. For comparison, the
# class Google Benchmark's rule (plain least squares, least rms) picks from the same
# medians is counted too.
# usage: bench/self/complexity-verdicts.sh [BUILD_DIR] [ROUNDS] [PROCS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
rounds=${2:-10}
procs=${3:-1}
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-cx-XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "complexity verdicts ($(uname -n), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "$rounds runs of 'complexity_*', --processes $procs"
for r in $(seq 1 "$rounds"); do
    "$build/bench/examples" --filter 'complexity_*' --processes "$procs" \
        --out "$work/r$r.json" >/dev/null 2>&1
done
python3 - "$work" <<'PY'
import collections, fnmatch, glob, json, math, sys
verdicts = collections.defaultdict(collections.Counter)
least_rms = collections.defaultdict(collections.Counter)
ks = collections.defaultdict(list)
G = [("O(1)", lambda n: 1.0), ("O(log n)", lambda n: math.log2(n)), ("O(n)", lambda n: n),
     ("O(n log n)", lambda n: n * math.log2(n)), ("O(n^2)", lambda n: n * n),
     ("O(n^3)", lambda n: n ** 3)]


def google_pick(points):
    """Google Benchmark's rule, for comparison: plain least squares of t = c g(n) per
    class, the class with the least rms."""
    best = None
    for name, g in G:
        c = sum(t * g(n) for n, t in points) / sum(g(n) ** 2 for n, t in points)
        rms = math.sqrt(sum((t - c * g(n)) ** 2 for n, t in points) / len(points))
        if best is None or rms < best[0]:
            best = (rms, name)
    return best[1]


for f in sorted(glob.glob(sys.argv[1] + "/r*.json")):
    doc = json.load(open(f))
    for c in doc.get("complexity", []):
        verdicts[c["name"]][c["summary"]] += 1
        if c["power_law"]:
            p = c["power_law"]
            ks[c["name"]].append((p["exponent"], p["ci_low"], p["ci_high"]))
        points = []
        for b in doc["benchmarks"]:
            if b["status"] != "ok":
                continue
            if c["param"] is None and b["family"] == c["name"] and b["param"] is not None:
                points.append((b["param"], b["stats"]["median"]))
            elif c["param"] is not None and fnmatch.fnmatchcase(b["name"], c["name"]):
                points.append((b["params"][c["param"]], b["stats"]["median"]))
        if len(points) >= 2:
            least_rms[c["name"]][google_pick(points)] += 1
print()
print("| series | verdicts (runs) | least rms, plain least squares (runs) | k min..max | "
      "interval width min..max |")
print("|---|---|---|---|---|")
for name, counter in verdicts.items():
    v = ", ".join("%s (%d)" % (s, n) for s, n in counter.most_common())
    g = ", ".join("%s (%d)" % (s, n) for s, n in least_rms[name].most_common())
    k = ks[name]
    kr = "%.3f..%.3f" % (min(x[0] for x in k), max(x[0] for x in k)) if k else "-"
    wr = "%.3f..%.3f" % (min(x[2] - x[1] for x in k), max(x[2] - x[1] for x in k)) if k else "-"
    print("| `%s` | %s | %s | %s | %s |" % (name, v, g, kr, wr))
PY
