#!/usr/bin/env bash
# What a benchmark binary's wall time is made of (docs/timer.md#time-budget,
# docs/figures/harness.md): the example kernel `cpu`, sampling for its whole budget
# (--precision 0.000001), run with --processes 1 and --processes P for several budgets B, each
# pair alternately, REPEAT times (the medians are printed). From
#   wall(P) = start-up + P * (B + per-process cost)
# it prints the per-process wall time beyond the budget ((wall(P) - wall(1)) / (P - 1) - B:
# fork, pinning, the result frame, the teardown, and any overrun of the budget) and the
# binary's start-up (wall(1) - B - per-process cost: loading, timer calibration, environment
# checks). With allocation counting on (the default) the counting process is inside B.
# usage: bench/self/budget-wall.sh [BUILD_DIR] [P] [REPEAT]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
procs=${2:-20}
repeat=${3:-5}
ex=$build/bench/examples
[ -x "$ex" ] || { echo "missing $ex: build first" >&2; exit 2; }
wall() {
    local s e
    s=$(date +%s.%N)
    "$ex" --filter cpu --precision 0.000001 --time-budget "$1" --processes "$2" \
        --out /dev/null >/dev/null 2>&1
    e=$(date +%s.%N)
    echo "($e - $s) * 1000" | bc -l
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
echo "budget accounting ($(uname -n), $(nproc) cpus, load before:" \
     "$(cut -d' ' -f1-3 /proc/loadavg)); $procs processes vs 1, median of $repeat"
printf '%9s %12s %12s %18s %12s\n' "budget ms" "wall(1) ms" "wall($procs) ms" \
    "per process +ms" "start-up ms"
for b in 5 20 100; do
    : >/tmp/btk-bw1.$$; : >/tmp/btk-bwp.$$
    for i in $(seq 1 "$repeat"); do
        wall "$b" 1 >>/tmp/btk-bw1.$$
        wall "$b" "$procs" >>/tmp/btk-bwp.$$
    done
    w1=$(median </tmp/btk-bw1.$$)
    wp=$(median </tmp/btk-bwp.$$)
    per=$(echo "($wp - $w1) / ($procs - 1) - $b" | bc -l)
    start=$(echo "$w1 - $b - $per" | bc -l)
    printf '%9s %12.1f %12.1f %18.2f %12.1f\n' "$b" "$w1" "$wp" "$per" "$start"
done
rm -f /tmp/btk-bw1.$$ /tmp/btk-bwp.$$
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
