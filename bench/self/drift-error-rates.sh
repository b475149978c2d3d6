#!/usr/bin/env bash
# False alarms and power of the gate when the two sides were recorded at DIFFERENT TIMES on a
# loaded machine (docs/statistics.md §8, docs/figures/compare.md). The other CPU is kept
# busy by a `yes` pinned to it (started here, ended here by its PID); the benchmarks are
# pinned to CPU 0.
#
# Steps (env STEPS, default "record decide ab"):
#  record  first HISTORY (default 5) runs of `examples` -> h<i>.json: the target branch's
#          history a CI store holds before a pull request is compared (compare learns each
#          benchmark's run-to-run noise from it; with fewer than 5 stored runs it can only
#          put a cautious stand-in). Then PAIRS times: run `examples` (whole suite, K processes) -> a<i>.json; then
#          `examples_cpu_plus5 --filter cpu` -> b<i>.json; then `examples` again ->
#          c<i>.json. So a<i> and c<i> are an A/A pair recorded about a minute apart, and
#          a<i>/b<i> an A/B pair (cpu 5% slower). Kept in OUT (default: a temporary dir).
#  decide  import the runs in recording order into two stores (aa.db: the h runs, then the
#          a and c runs; ab.db: the h runs, then the a and b runs) and `benchtrack compare` each pair by run id, the way
#          a user compares two stored runs: each compare sees only what was stored before
#          its contender (earlier pairs are the benchmark's history). With CONFIRM=1 (the
#          default) each pair is compared again with --confirm-base/--confirm-new (the
#          binaries that recorded the sides): what the stored runs flag is re-measured,
#          interleaved, with the other CPU loaded as when recording -> OUT/aac-*, abc-*.
#  ab      `benchtrack ab examples copy-of-examples` (whole suite) and
#          `benchtrack ab examples examples_cpu_plus5 --filter cpu`, PAIRS times each. With
#          AB_SCHEDULES="step whole" each pair also runs both again through wrappers whose
#          --help hides --step-fd, so ab runs whole invocations (the schedule before the step
#          protocol), alternating with the stepped ones: OUT/abaa_whole-*, abab_whole-*.
# Metrics: decide compares every pair once per metric of METRICS (default "wall cycles":
# wall time, and estimated core cycles, docs/statistics.md); ab runs the A/A suite once per
# metric of ABAA_METRICS and the A/B once per metric of ABAB_METRICS (both default to
# METRICS). Results go to OUT/<kind>-<metric>-<i>.csv.
# Targets: at most 1 A/A suite comparison with any false verdict (regressed, improved,
# budget, failed); cpu found regressed in >= 95 % of the A/B pairs.
# usage: bench/self/drift-error-rates.sh [BUILD_DIR]
#   env: PAIRS (20), HISTORY (5), K (10), BUDGET (time budget per process, ms: 100), OUT, STEPS,
#        CONFIRM (1: also compare with --confirm-*; 0: not),
#        METRICS, ABAA_METRICS, ABAB_METRICS, AB_SCHEDULES ("step"),
#        BIN_DIR (where examples and examples_cpu_plus5 are; default BUILD_DIR/bench)
set -euo pipefail
BUILD=${1:-${BTK_BUILD_DIR:-build}}
BT=$BUILD/benchtrack
BIN_DIR=${BIN_DIR:-$BUILD/bench}
A=$BIN_DIR/examples
B=$BIN_DIR/examples_cpu_plus5
PAIRS=${PAIRS:-20}
HISTORY=${HISTORY:-5}
K=${K:-10}
BUDGET=${BUDGET:-100}
STEPS=${STEPS:-record decide ab}
CONFIRM=${CONFIRM:-1}
METRICS=${METRICS:-wall cycles}
ABAA_METRICS=${ABAA_METRICS:-$METRICS}
ABAB_METRICS=${ABAB_METRICS:-$METRICS}
AB_SCHEDULES=${AB_SCHEDULES:-step}
OUT=${OUT:-}
if [ -z "$OUT" ]; then
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/btk-drift.XXXXXX")
    trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT"
ARGS=(--processes "$K" --cpu 0 --time-budget "$BUDGET")
has() { case " $STEPS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

YES_PID=
load_start() {
    taskset -c 1 yes >/dev/null &
    YES_PID=$!
    echo "load: yes pinned to CPU 1, pid $YES_PID"
}
load_stop() {
    [ -n "$YES_PID" ] && kill "$YES_PID" 2>/dev/null && wait "$YES_PID" 2>/dev/null || true
    YES_PID=
}
trap 'load_stop; exit 130' INT TERM
echo "machine: $(uname -n), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "uptime: $(uptime)"
echo "settings: PAIRS=$PAIRS HISTORY=$HISTORY K=$K processes, time budget ${BUDGET} ms per process, benchmarks on CPU 0"

if has record; then
    for f in "$A" "$B"; do [ -x "$f" ] || { echo "missing $f" >&2; exit 2; }; done
    load_start
    t0=$(date +%s)
    for i in $(seq 1 "$HISTORY"); do
        "$A" "${ARGS[@]}" --out "$OUT/h$i.json" >/dev/null 2>"$OUT/h$i.err"
        echo "  recorded history run $i at $(date -u +%T) ($(( $(date +%s) - t0 )) s)"
    done
    for i in $(seq 1 "$PAIRS"); do
        "$A" "${ARGS[@]}" --out "$OUT/a$i.json" >/dev/null 2>"$OUT/a$i.err"
        "$B" "${ARGS[@]}" --filter cpu --out "$OUT/b$i.json" >/dev/null 2>"$OUT/b$i.err"
        "$A" "${ARGS[@]}" --out "$OUT/c$i.json" >/dev/null 2>"$OUT/c$i.err"
        echo "  recorded pair $i at $(date -u +%T) ($(( $(date +%s) - t0 )) s), load $(cut -d' ' -f1-3 /proc/loadavg)"
    done
    load_stop
fi

# Store the runs in recording order and compare each pair by run id, once per metric. The
# verdicts go to OUT/<db>-<metric>-<i>.csv.
decide() { # db first second second's-binary
    local db=$OUT/$1.db first=$2 second=$3 rc
    rm -f "$db"
    for i in $(seq 1 "$HISTORY"); do
        "$BT" import "$OUT/h$i.json" --db "$db" --commit 3333333333333333333333333333333333333333 \
            --allow-unknown-commit >/dev/null
    done
    for i in $(seq 1 "$PAIRS"); do
        "$BT" import "$OUT/$first$i.json" --db "$db" --commit 1111111111111111111111111111111111111111 \
            --allow-unknown-commit >/dev/null
        "$BT" import "$OUT/$second$i.json" --db "$db" --commit 2222222222222222222222222222222222222222 \
            --allow-unknown-commit >/dev/null
        for m in $METRICS; do
            rc=0
            "$BT" compare "#$((HISTORY + 2 * i - 1))" "#$((HISTORY + 2 * i))" --db "$db" \
                --metric "$m" --format csv --out "$OUT/$1-$m-$i.csv" 2>"$OUT/$1-$m-$i.err" || rc=$?
            [ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "compare failed ($rc):"; cat "$OUT/$1-$m-$i.err"; exit 3; }
            [ "$CONFIRM" = 1 ] || continue
            # the same comparison, re-measuring what it flags with the two binaries that
            # recorded the sides, interleaved, under the same load (docs/cli/compare.md)
            rc=0
            "$BT" compare "#$((HISTORY + 2 * i - 1))" "#$((HISTORY + 2 * i))" --db "$db" \
                --metric "$m" --format csv --out "$OUT/${1}c-$m-$i.csv" --quiet \
                --confirm-base "$A" --confirm-new "$4" --confirm-processes "$K" \
                -- --cpu 0 --time-budget "$BUDGET" 2>"$OUT/${1}c-$m-$i.err" || rc=$?
            [ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "compare --confirm failed ($rc):"; cat "$OUT/${1}c-$m-$i.err"; load_stop; exit 3; }
        done
    done
}
time_verdict() { # csv name -> the time_verdict cell of that benchmark's row
    python3 -c "import csv,sys; r=[x for x in csv.DictReader(open(sys.argv[1],newline='')) if x['benchmark']==sys.argv[2]]; print(r[0]['time_verdict'] if r else 'absent')" "$1" "$2"
}
falses() { grep -cE '^(regressed|improved|budget|failed),' "$1" || true; }

summary() { # label prefix (kind-metric)
    local runs=0 verdicts=0 f n found=0 total=0
    case "$2" in aa-*|aac-*|abaa*) local aa=1 ;; *) local aa= ;; esac
    for i in $(seq 1 "$PAIRS"); do
        f=$OUT/$2-$i.csv
        if [ -n "$aa" ]; then
            n=$(falses "$f")
            total=$((total + $(tail -n +2 "$f" | wc -l)))
            if [ "$n" != 0 ]; then
                runs=$((runs + 1)); verdicts=$((verdicts + n))
                echo "  pair $i: $(grep -E '^(regressed|improved|budget|failed),' "$f" | cut -d, -f1,2,5 | tr '\r\n' '  ')"
            fi
        else
            # the time verdict of cpu (column time_verdict): the b runs measured only cpu,
            # so their processes' peak RSS differs from the whole suite's (the parent holds
            # fewer results when it forks); the memory verdict is reported, not scored
            if [ "$(time_verdict "$f" cpu)" = regressed ]; then found=$((found + 1)); else
                echo "  pair $i: missed: $(grep ',cpu,' "$f" | cut -d, -f1,5,6,7,9 | tr -d '\r')," \
                     "time $(time_verdict "$f" cpu)"; fi
            n=$(grep -E '^(regressed|improved|budget|failed),' "$f" | grep -vc ',cpu,' || true)
            verdicts=$((verdicts + n))
        fi
    done
    if [ -n "$aa" ]; then
        echo "$1: suite comparisons with any false verdict: $runs / $PAIRS ($verdicts of $total verdicts)"
        echo "$1: verdicts: $(tail -q -n +2 "$OUT"/"$2"-*.csv | cut -d, -f1 | sort | uniq -c | tr -s ' \n' ' ')"
        echo "$1: |ratio - 1| over all verdicts, median / 90th percentile: $(python3 -c '
import csv, sys
d = sorted(abs(float(r["ratio"]) - 1) * 100 for f in sys.argv[1:]
           for r in csv.DictReader(open(f, newline="")) if r["ratio"])
print("%.2f %% / %.2f %%" % (d[len(d) // 2], d[int(len(d) * 0.9)]))' "$OUT"/"$2"-*.csv)"
    else
        echo "$1: cpu 5% slowdown found (time verdict regressed): $found / $PAIRS; other benchmarks flagged: $verdicts"
        echo "$1: cpu verdicts (combined): $(for i in $(seq 1 "$PAIRS"); do grep ',cpu,' "$OUT/$2-$i.csv" | cut -d, -f1; done | sort | uniq -c | tr -s ' \n' ' ')"
        echo "$1: cpu ratio min/median/max: $(for i in $(seq 1 "$PAIRS"); do grep ',cpu,' "$OUT/$2-$i.csv" | cut -d, -f5; done \
            | sort -n | awk '{a[NR]=$1} END {printf "%.4f / %.4f / %.4f", a[1], a[int((NR+1)/2)], a[NR]}')"
    fi
}

if has decide; then
    [ -x "$BT" ] || { echo "missing $BT" >&2; exit 2; }
    [ "$CONFIRM" = 1 ] && load_start
    decide aa a c "$A"
    decide ab a b "$B"
    load_stop
    for m in $METRICS; do
        summary "compare A/A (separate recordings), --metric $m" "aa-$m"
        summary "compare A/B (separate recordings), --metric $m" "ab-$m"
        if [ "$CONFIRM" = 1 ]; then
            summary "compare --confirm-* A/A (separate recordings), --metric $m" "aac-$m"
            summary "compare --confirm-* A/B (separate recordings), --metric $m" "abc-$m"
        fi
    done
fi

if has ab; then
    [ -x "$BT" ] || { echo "missing $BT" >&2; exit 2; }
    cp "$A" "$OUT/examples_copy"
    cmp -s "$A" "$OUT/examples_copy" || { echo "copy differs" >&2; exit 3; }
    # whole_<name>: runs <binary> but hides --step-fd from ab (its --help says nothing)
    for f in "$A" "$OUT/examples_copy" "$B"; do
        printf '#!/bin/sh\n[ "$1" = --help ] && { echo "usage"; exit 0; }\nexec %s "$@"\n' \
            "$f" > "$OUT/whole_$(basename "$f")" && chmod +x "$OUT/whole_$(basename "$f")"
    done
    load_start
    t0=$(date +%s)
    for i in $(seq 1 "$PAIRS"); do
        for sched in $AB_SCHEDULES; do
            for kind in abaa abab; do
                old=$A new=$OUT/examples_copy; filter=(); metrics=$ABAA_METRICS
                [ "$kind" = abab ] && { new=$B; filter=(--filter cpu); metrics=$ABAB_METRICS; }
                tag=$kind
                if [ "$sched" = whole ]; then
                    old=$OUT/whole_$(basename "$old"); new=$OUT/whole_$(basename "$new")
                    tag=${kind}_whole
                fi
                for m in $metrics; do
                    rc=0
                    "$BT" ab "$old" "$new" --processes "$K" --metric "$m" --quiet --format csv \
                        --out "$OUT/$tag-$m-$i.csv" -- --cpu 0 --time-budget "$BUDGET" "${filter[@]}" \
                        >/dev/null 2>"$OUT/$tag-$m-$i.err" || rc=$?
                    [ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "ab failed ($rc):"; cat "$OUT/$tag-$m-$i.err"; load_stop; exit 3; }
                done
            done
        done
        echo "  ab pair $i done at $(date -u +%T) ($(( $(date +%s) - t0 )) s), load $(cut -d' ' -f1-3 /proc/loadavg)"
    done
    load_stop
    for sched in $AB_SCHEDULES; do
        sfx=; label=; [ "$sched" = whole ] && { sfx=_whole; label=" (whole invocations)"; }
        for m in $ABAA_METRICS; do summary "ab A/A$label, --metric $m" "abaa$sfx-$m"; done
        for m in $ABAB_METRICS; do summary "ab A/B$label, --metric $m" "abab$sfx-$m"; done
    done
fi
echo "uptime: $(uptime)"
echo "end: load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
