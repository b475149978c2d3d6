#!/usr/bin/env bash
# The regression gate's error rates on this machine, on the REAL example suite, through the
# real `benchtrack ab` (docs/figures/compare.md):
#  - A/A: the `examples` binary against a byte-identical copy of it, REPEATS times, the
#    whole suite each time: share of suite runs with any false regression (target <= 1 in
#    20, goal 0);
#  - A/B: `examples` against `examples_cpu_plus5` (the same suite with the CPU-bound
#    example doing 5% more work, bench/self/gate.cmake), TRIALS times: share of trials in
#    which `cpu` is flagged regressed (target >= 95%). To save time each trial runs only
#    `cpu` (--filter cpu) unless AB_FILTER is set to something else ("" = whole suite);
#  - the wall time of one `ab` run of the whole suite.
# Benchmarks run with the binary's defaults (time budget, precision): what a user gets.
# usage: bench/self/gate-error-rates.sh [BUILD_DIR]
#   env: K (processes per side, default 10), REPEATS (20), TRIALS (20), AB_FILTER (cpu)
set -euo pipefail
BUILD=${1:-${BTK_BUILD_DIR:-build}}
BT=$BUILD/benchtrack
A=$BUILD/bench/examples
B=$BUILD/bench/examples_cpu_plus5
K=${K:-10}
REPEATS=${REPEATS:-20}
TRIALS=${TRIALS:-20}
AB_FILTER=${AB_FILTER-cpu}
for f in "$BT" "$A" "$B"; do
    [ -x "$f" ] || { echo "missing $f: build first (cmake --build $BUILD)" >&2; exit 2; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/btk-gate-rates.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cp "$A" "$TMP/examples_copy"
cmp -s "$A" "$TMP/examples_copy" || { echo "copy differs" >&2; exit 3; }
benchmarks=$("$A" --list | wc -l)
start=$(date +%s)
echo "settings: K=$K interleaved processes per side, the binaries' default budgets" \
     "(docs/benchmark-binary.md), alpha 0.05 (BH), default noise band;" \
     "$REPEATS A/A suite runs ($benchmarks benchmarks), $TRIALS A/B trials" \
     "(filter: '${AB_FILTER:-whole suite}')"
echo "machine: $(uname -n), $(nproc) cpus, load at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "uptime: $(uptime) ($(date -u +%FT%TZ))"

run_ab() { # old new out [args...] -> prints the exit status
    local old=$1 new=$2 out=$3 rc=0
    shift 3
    "$BT" ab "$old" "$new" --processes "$K" --quiet --format csv --out "$out" \
        ${1+-- "$@"} >/dev/null 2>"$out.err" || rc=$?
    echo $rc
}
check_rc() { # rc csv
    [ "$1" = 0 ] || [ "$1" = 1 ] || { echo "ab failed ($1):"; cat "$2.err"; exit 3; }
}

false_runs=0; false_benchmarks=0; ab_secs=0
for i in $(seq 1 "$REPEATS"); do
    t0=$(date +%s.%N)
    rc=$(run_ab "$A" "$TMP/examples_copy" "$TMP/aa$i.csv")
    t1=$(date +%s.%N)
    ab_secs=$(echo "$ab_secs + $t1 - $t0" | bc)
    check_rc "$rc" "$TMP/aa$i.csv"
    flagged=$(grep -cE '^(regressed|budget|failed),' "$TMP/aa$i.csv" || true)
    if [ "$rc" = 1 ] || [ "$flagged" != 0 ]; then
        false_runs=$((false_runs + 1))
        false_benchmarks=$((false_benchmarks + flagged))
        echo "  A/A run $i: false alarm: $(grep -E '^(regressed|budget|failed),' "$TMP/aa$i.csv" \
            | cut -d, -f1,2,5 | tr '\r\n' '  ')"
    fi
done
aa_units=$(cut -d, -f11 "$TMP/aa1.csv" | tail -n +2 | sort | uniq -c | tr -s ' \n' ' ')

filter=()
[ -n "$AB_FILTER" ] && filter=(--filter "$AB_FILTER")
detected=0; others_flagged=0
for i in $(seq 1 "$TRIALS"); do
    rc=$(run_ab "$A" "$B" "$TMP/ab$i.csv" "${filter[@]}")
    check_rc "$rc" "$TMP/ab$i.csv"
    if grep -q '^regressed,cpu,' "$TMP/ab$i.csv"; then
        detected=$((detected + 1))
    else
        echo "  A/B trial $i: missed: $(grep ',cpu,' "$TMP/ab$i.csv" | cut -d, -f1,5,6,7,9 | tr -d '\r')"
    fi
    others=$(grep -E '^(regressed|budget|failed),' "$TMP/ab$i.csv" | grep -vc '^regressed,cpu,' || true)
    others_flagged=$((others_flagged + others))
done
ratios=$(for i in $(seq 1 "$TRIALS"); do grep ',cpu,' "$TMP/ab$i.csv" | cut -d, -f5; done \
         | sort -n | awk '{a[NR]=$1} END {printf "%.4f / %.4f / %.4f", a[1], a[int((NR+1)/2)], a[NR]}')
echo
echo "A/A suite runs with any false regression:  $false_runs / $REPEATS" \
     "($false_benchmarks of $((REPEATS * benchmarks)) benchmark verdicts)"
echo "A/A units of the verdicts (run 1):         $aa_units"
echo "A/B 5% slowdown of cpu detected:           $detected / $TRIALS"
echo "A/B other benchmarks flagged:              $others_flagged"
echo "A/B measured ratio of cpu (min/median/max): $ratios"
printf "wall time of one ab run of the suite:      %.1f s (mean of the A/A runs, K=%s)\n" \
    "$(echo "$ab_secs / $REPEATS" | bc -l)" "$K"
echo "total time of this script:                 $(( $(date +%s) - start )) s;" \
     "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "uptime: $(uptime) ($(date -u +%FT%TZ))"
