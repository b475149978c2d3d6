#!/usr/bin/env bash
# Time `benchtrack compare` of two commits whose runs hold NBENCH benchmarks of 10
# processes x NSAMPLES samples each (default 500 x 50), in a throwaway git repository. The
# runs come from tests/fixtures/compare/make_results.py; one benchmark is 50% slower (two
# single runs in a fresh store: compare assumes a 5 % run-to-run noise, docs/statistics.md
# §8, so a 10 % change reads inconclusive among 500).
# Prints the median wall time of 5 compares (the bar: < 100 ms, ARCHITECTURE.md).
# usage: bench/self/compare-speed.sh [BUILD_DIR] [NBENCH] [NSAMPLES]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
nbench=${2:-500}
nsamples=${3:-50}
bt=$build/benchtrack
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-compare-speed-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q -b main .
git -c user.name=bench -c user.email=bench@example.invalid commit -q --allow-empty -m base
git -c user.name=bench -c user.email=bench@example.invalid commit -q --allow-empty -m head
gen="python3 $here/tests/fixtures/compare/make_results.py --benchmarks $nbench --processes 10"
$gen --samples "$nsamples" --seed 1 --out base.json
$gen --samples "$nsamples" --seed 2 --slow bench7:1.5 --out head.json
"$bt" import base.json --commit HEAD~1 --db c.db 2>/dev/null
"$bt" import head.json --db c.db 2>/dev/null
times=()
for _ in 1 2 3 4 5; do
    t0=$(date +%s%N)
    rc=0
    "$bt" compare HEAD~1 HEAD --db c.db --format json --out r.json || rc=$?
    t1=$(date +%s%N)
    [ "$rc" = 1 ] || { echo "compare exited $rc, expected 1 (bench7 regressed)" >&2; exit 3; }
    times+=($(( (t1 - t0) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "compare of two commits, $nbench benchmarks x 10 processes x $nsamples samples a side" \
     "($(uname -n), $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg))"
echo "wall ms over 5 runs (sorted): $sorted -> median $(echo "$sorted" | cut -d' ' -f3) ms" \
     "  bar < 100 ms"
python3 -c "import json; d=json.load(open('r.json')); print('verdicts:', d['comparison'])"
