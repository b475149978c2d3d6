#!/usr/bin/env bash
# Do complexity verdicts repeat? (docs/figures/complexity.md.) Runs the complexity
# examples (bench/examples/example_complexity.c) ROUNDS times, each run a fresh binary
# with --processes PROCS, and counts per series how often each verdict (the JSON's
# "summary") came out, with the range of the fitted exponent k and of its interval.
# A fit that picked its class by noise would show several single-class verdicts for one
# series; "cannot tell" next to a class is the honest alternative.
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
import collections, glob, json, sys
verdicts = collections.defaultdict(collections.Counter)
ks = collections.defaultdict(list)
for f in sorted(glob.glob(sys.argv[1] + "/r*.json")):
    for c in json.load(open(f)).get("complexity", []):
        verdicts[c["name"]][c["summary"]] += 1
        if c["power_law"]:
            p = c["power_law"]
            ks[c["name"]].append((p["exponent"], p["ci_low"], p["ci_high"]))
print()
print("| series | verdicts (runs) | k min..max | interval width min..max |")
print("|---|---|---|---|")
for name, counter in verdicts.items():
    v = ", ".join("%s (%d)" % (s, n) for s, n in counter.most_common())
    k = ks[name]
    kr = "%.3f..%.3f" % (min(x[0] for x in k), max(x[0] for x in k)) if k else "-"
    wr = "%.3f..%.3f" % (min(x[2] - x[1] for x in k), max(x[2] - x[1] for x in k)) if k else "-"
    print("| `%s` | %s | %s | %s |" % (name, v, kr, wr))
PY
