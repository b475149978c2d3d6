#!/usr/bin/env bash
# False change points of a recorded range on this machine, recorded in one walk or in
# several (run --commits --passes; docs/figures/changepoint.md, "Clock states"):
#
#   bench/self/history-passes.sh [BUILD_DIR]      (default: build)
#
# A temporary repository of COMMITS (default 40) commits whose benchmark never changes (a
# CPU-bound loop, as in e2e.history.proof) is recorded TRIALS times (default 5) each way,
# alternately: `--processes 3` in one walk, and `--processes 1 --passes 3` (the same three
# values per commit, from three walks), both walked oldest first (`--order oldest`;
# bench/self/history-order.sh compares that with the default random order). Every change
# point `regressions --improvements` then reports is false. Prints per trial the points
# of each way and the spread of the commit means, then the totals. KEEP=DIR copies each trial's two databases there
# (one-T.db, passes-T.db) and the repository (repo/), for `regressions --repo DIR/repo`
# with another build. Takes about 70 s per trial.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD
build=$(cd "${1:-build}" && pwd)
commits=${COMMITS:-40}
trials=${TRIALS:-5}
bt=$build/benchtrack
tmp=$(mktemp -d "${TMPDIR:-/tmp}/btk-passes-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" && . "$src/bench/self/range-repo.sh" && range_repo "$src" "$build" "$commits"
[ -z "${KEEP:-}" ] || cp -r "$tmp/repo" "$KEEP/repo"
echo "false change points over $commits flat commits ($(uname -n), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg))"
spread() { # CV of the commit means (each the mean of its runs' medians)
    sqlite3 "$1" "SELECT r.commit_sha, s.median FROM runs r JOIN results s ON s.run_id = r.id" |
        python3 -c '
import sys, statistics as st, collections
c = collections.defaultdict(list)
for line in sys.stdin:
    sha, v = line.strip().split("|"); c[sha].append(float(v))
means = [st.mean(v) for v in c.values()]
print("%.1f %%" % (100 * st.pstdev(means) / st.mean(means)) if len(means) > 1 else "-")'
}
total_one=0 total_passes=0
for t in $(seq 1 "$trials"); do
    line="trial $t:"
    for way in one passes; do
        db=$tmp/$way-$t.db
        if [ $way = one ]; then opts=(--processes 3); else opts=(--processes 1 --passes 3); fi
        opts+=(--order oldest) # as recorded for figures/changepoint.md; history-order.sh compares orders
        "$bt" run --db "$db" --build "$buildcmd" --binary bench "${opts[@]}" --quiet \
            --commits "main~$commits..main" -- --time-budget 250 >/dev/null 2>&1
        n=$({ "$bt" regressions --db "$db" --branch main --improvements --format json || true; } |
            python3 -c 'import json,sys; print(len(json.load(sys.stdin)["change_points"]))')
        line="$line $way: $n point(s) (commit means CV $(spread "$db"))"
        if [ $way = one ]; then total_one=$((total_one + n)); else total_passes=$((total_passes + n)); fi
    done
    echo "$line"
    [ -z "${KEEP:-}" ] || cp "$tmp"/*-"$t".db "$KEEP"/
done
echo "total over $trials trials of $commits commits: one walk $total_one, three passes $total_passes"
