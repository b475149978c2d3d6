#!/usr/bin/env bash
# Quality and speed of change-point detection (compare/stats/changepoint.c) on synthetic
# series, beside Apache Otava on the same series (docs/figures/history.md):
#
#   bench/self/changepoint-quality.sh [BUILD_DIR [OTAVA_DIR]]     (default: build, no Otava)
#
# OTAVA_DIR is a checkout of https://github.com/apache/otava: a directory holding
# otava/analysis.py, or a git repository (even a bare one) whose HEAD is exported to a
# temporary directory. Otava's code is only imported from there, never copied here. It
# runs under $BTK_PYTHON (default /usr/bin/python3, Debian's, with python3-numpy and
# python3-scipy). SEED=N changes the series, SERIES=N their number per configuration
# (default 1000); OUTLIERS=N disturbs 1 to N process values per series (x10 to x200 each,
# changepoint_bench --outliers; docs/figures/changepoint.md); STATES=GAP,STAY puts each
# commit in one of two core clock states GAP apart, kept from commit to commit with
# probability STAY (changepoint_bench --states; docs/figures/changepoint.md); LEVELS=GAP
# puts each process value at a level GAP higher with chance 1/2 (changepoint_bench
# --levels). Takes under a minute on 2 CPUs (about 4 with SERIES=5000).
#
# For each noise level (CV 1 % and 3 % per process value) and processes per commit (5 and
# 1): 1,000 series of 200 commits (40 % with one step of 2, 3, 5 or 10 %, 20 % flat, 20 %
# with four one-run spikes of +10 %, 20 % drifting +5 %), scored by changepoint_score.py;
# then the speed over 10,000 commits.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
otava=${2:-}
python=${BTK_PYTHON:-/usr/bin/python3}
seed=${SEED:-0x68697374}
series=${SERIES:-1000}
outliers=${OUTLIERS:-0}
states=${STATES:-0,0.5}
levels=${LEVELS:-0}
cmake --build "$build" --target changepoint_bench -j2 >/dev/null
dir=$(mktemp -d "${TMPDIR:-/tmp}/btk-changepoint-XXXXXX")
trap 'rm -rf "$dir"' EXIT

if [ -n "$otava" ]; then
    if [ -f "$otava/otava/analysis.py" ]; then
        otava_rev=$(git -C "$otava" rev-parse --short HEAD 2>/dev/null || echo "unknown")
    elif otava_rev=$(git -C "$otava" rev-parse --short HEAD 2>/dev/null); then
        mkdir "$dir/otava"
        git -C "$otava" archive HEAD otava | tar -x -C "$dir/otava"
        otava="$dir/otava"
    else
        echo "changepoint-quality: '$otava' holds no otava/analysis.py" >&2
        exit 2
    fi
    if ! "$python" -c "import numpy, scipy" 2>/dev/null; then
        echo "changepoint-quality: $python lacks numpy/scipy; Otava is not run" >&2
        otava=""
    fi
fi

echo "change points ($(uname -n), $(nproc) cpus, seed $seed, $series series each${otava:+, Otava $otava_rev}, up to $outliers disturbed values per series, clock states $states, process levels $levels)"
for cv in 0.01 0.03; do
    for k in 5 1; do
        d="$dir/cv$cv-k$k"
        mkdir -p "$d"
        echo
        echo "== noise CV $cv per process value, $k process(es) per commit =="
        "$build/bench/changepoint_bench" quality "$d" "$cv" "$k" --seed="$seed" \
            --series="$series" --outliers="$outliers" --states="$states" --levels="$levels"
        scores=("benchtrack=$d/btk.csv")
        if [ -n "$otava" ]; then
            "$python" bench/self/changepoint_otava.py "$otava" quality "$d" --latency
            scores+=("otava=$d/otava.csv")
        fi
        python3 bench/self/changepoint_score.py "$d" "${scores[@]}"
    done
done

echo
echo "== speed =="
"$build/bench/changepoint_bench" speed "$dir" 10000
if [ -n "$otava" ]; then
    "$python" bench/self/changepoint_otava.py "$otava" speed "$dir" 10000
fi
