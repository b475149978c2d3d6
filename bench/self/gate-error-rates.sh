#!/usr/bin/env bash
# The regression gate's error rates on this machine, through the real `benchtrack ab`:
#  - A/A: identical binaries, REPEATS times: share of suite runs with any false regression
#    (target <= 1 in 20, goal 0);
#  - A/B: benchmark `work` made 5% slower at compile time (BTK_FIXTURE_WORK 100 -> 105),
#    TRIALS times: share of trials in which it is flagged regressed (target >= 95%);
#  - the wall time of one `ab` run.
# The binaries are tests/fixtures/compare/work_bench.c built by tests/cmake/compare.cmake
# (fixture_work_100/105), two CPU-bound benchmarks each.
# usage: bench/self/gate-error-rates.sh [BUILD_DIR]   (env: K, BUDGET_MS, REPEATS, TRIALS)
set -euo pipefail
BUILD=${1:-${BTK_BUILD_DIR:-build}}
BT=$BUILD/benchtrack
A=$BUILD/tests/fixture_work_100
B=$BUILD/tests/fixture_work_105
K=${K:-10}
BUDGET_MS=${BUDGET_MS:-30}
REPEATS=${REPEATS:-20}
TRIALS=${TRIALS:-20}
for f in "$BT" "$A" "$B"; do
    [ -x "$f" ] || { echo "missing $f: build first (cmake --build $BUILD)" >&2; exit 2; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/btk-gate-rates.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
echo "settings: K=$K interleaved processes per side, --time-budget $BUDGET_MS ms," \
     "warm-up 5 ms, alpha 0.05 (BH), noise band 2%, $REPEATS A/A runs, $TRIALS A/B trials"
echo "machine: $(uname -n), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"

run_ab() { # old new out -> exit status
    local rc=0
    "$BT" ab "$1" "$2" --processes "$K" --quiet --format csv --out "$3" \
        -- --time-budget "$BUDGET_MS" --warmup 5 >/dev/null 2>"$3.err" || rc=$?
    echo $rc
}

false_runs=0; secs_total=0
for i in $(seq 1 "$REPEATS"); do
    t0=$(date +%s.%N)
    rc=$(run_ab "$A" "$A" "$TMP/aa$i.csv")
    t1=$(date +%s.%N)
    secs_total=$(echo "$secs_total + $t1 - $t0" | bc)
    [ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "ab failed ($rc):"; cat "$TMP/aa$i.csv.err"; exit 3; }
    if [ "$rc" = 1 ]; then
        false_runs=$((false_runs + 1))
        echo "  A/A run $i: false alarm: $(grep -E '^(regressed|budget|failed)' "$TMP/aa$i.csv" | cut -d, -f1,2,5 | tr '\r\n' '  ')"
    fi
done
detected=0
for i in $(seq 1 "$TRIALS"); do
    rc=$(run_ab "$A" "$B" "$TMP/ab$i.csv")
    [ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "ab failed ($rc):"; cat "$TMP/ab$i.csv.err"; exit 3; }
    if grep -q '^regressed,work,' "$TMP/ab$i.csv"; then
        detected=$((detected + 1))
    else
        echo "  A/B trial $i: missed: $(grep ',work,' "$TMP/ab$i.csv" | cut -d, -f1,5,6,7,9 | tr -d '\r')"
    fi
    grep -E '^regressed,steady,' "$TMP/ab$i.csv" >/dev/null && echo "  A/B trial $i: steady falsely flagged"
done
ratios=$(for i in $(seq 1 "$TRIALS"); do grep ',work,' "$TMP/ab$i.csv" | cut -d, -f5; done \
         | sort -n | awk '{a[NR]=$1} END {printf "%.4f / %.4f / %.4f", a[1], a[int((NR+1)/2)], a[NR]}')
echo
echo "A/A false-alarm runs:     $false_runs / $REPEATS"
echo "A/B 5% slowdown detected: $detected / $TRIALS"
echo "A/B measured ratio (min / median / max over trials): $ratios"
printf "wall time of one ab run:  %.1f s (mean of the A/A runs)\n" "$(echo "$secs_total / $REPEATS" | bc -l)"
