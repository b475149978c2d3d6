#!/usr/bin/env bash
# False change points of a recorded range by the order of its walks (run --commits
# --order; docs/figures/changepoint.md, "Walk order"):
#
#   bench/self/history-order.sh [BUILD_DIR]      (default: build)
#
# The range of e2e.history.proof: COMMITS (default 40) commits of a CPU-bound loop that
# does 25 % more work from commit 23 on (the step; 60 % of the way in when COMMITS < 31).
# It is recorded TRIALS times (default 10) each way,
# alternately: `--processes 1 --passes 3 --order oldest` and the same with `--order random`
# (the default). Every change point other than the step is false. Prints per trial and way:
#  - the false points `regressions --improvements` reports (the default thresholds);
#  - the smallest p of a false candidate when the detector is let through up to p 0.5 and
#    any magnitude (changepoint_bench points): how near the noise came to a false point;
# then the totals, and a resampling over all the walks recorded each way: RESAMPLES
# (default 400) ranges of one walk and of three walks drawn from all of them (a commit's
# k-th run is from its k-th walk), each detected with the default thresholds; the share
# with a false point, or without exactly the step, estimates the chance that one
# recording goes wrong.
# Takes about 40 s per trial and way. KEEP=DIR keeps the databases and the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD
build=$(cd "${1:-build}" && pwd)
commits=${COMMITS:-40}
step=$(( commits > 30 ? 23 : commits * 3 / 5 ))  # commit 23 of 40; 60 % in on a shorter range
trials=${TRIALS:-10}
resamples=${RESAMPLES:-400}
bt=$build/benchtrack points=$build/bench/changepoint_bench
[ -x "$points" ] || { echo "history-order: build changepoint_bench first (cmake --build $1)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/btk-order-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" && . "$src/bench/self/range-repo.sh" && range_repo "$src" "$build" $((commits - 1)) $step
[ -z "${KEEP:-}" ] || cp -r "$tmp/repo" "$KEEP/repo"
git rev-list --reverse --first-parent main | tail -n +2 >"$tmp/shas"  # commits 1.., recorded
# one line per run: commit position (1..), the run's median; runs of a commit by run id
series() {
    sqlite3 "$1" "SELECT r.commit_sha, s.median FROM runs r JOIN results s ON s.run_id = r.id
                  ORDER BY r.id" |
        awk -F'|' 'NR == FNR { pos[$1] = FNR; next } { print pos[$1], $2 }' "$tmp/shas" - |
        sort -s -n -k1,1
}
echo "false change points of $commits commits with a +25 % step at commit $step, three walks" \
     "($(uname -n), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg))"
for t in $(seq 1 "$trials"); do
    line="trial $t:"
    for order in oldest random; do
        db=$tmp/$order-$t.db
        "$bt" run --db "$db" --build "$buildcmd" --binary bench --processes 1 --passes 3 \
            --order $order --quiet --commits "main~$((commits - 1))..main" \
            -- --time-budget 250 >/dev/null 2>&1
        series "$db" >"$tmp/$order-$t.txt"
        false=$({ "$bt" regressions --db "$db" --branch main --improvements --format json || true; } |
            python3 -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin)["change_points"] if not c["subject"].endswith(" '$step'")))')
        near=$("$points" points --max-p=0.5 --min-magnitude=0 <"$tmp/$order-$t.txt" |
            awk -v s=$((step - 1)) '$1 != s && (m == "" || $3 < m) { m = $3 } END { print m == "" ? "-" : m }')
        line="$line $order: $false false, nearest p $near;"
        echo "$t $false $near" >>"$tmp/$order.sum"
    done
    echo "$line"
    [ -z "${KEEP:-}" ] || cp "$tmp"/*-"$t".db "$KEEP"/
done
for order in oldest random; do
    awk -v o=$order '{ f += $2; if ($3 != "-" && $3 < 0.01) n1++; if ($3 != "-" && $3 < 0.05) n5++ }
        END { printf "%s: %d false point(s) in %d trials; a false candidate below p 0.01 in %d, below 0.05 in %d\n", o, f, NR, n1, n5 }' \
        "$tmp/$order.sum"
done
python3 - "$tmp" "$points" "$trials" "$resamples" $((step - 1)) <<'PY'
import collections, random, subprocess, sys
tmp, points, trials, resamples, step = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = random.Random(1)
for order in ("oldest", "random"):
    walks = []  # per trial and walk: the value of each commit
    for t in range(1, trials + 1):
        runs = collections.defaultdict(list)
        for line in open(f"{tmp}/{order}-{t}.txt"):
            pos, v = line.split()
            runs[int(pos)].append(v)
        if any(len(v) != 3 for v in runs.values()):
            continue  # a commit failed: leave the trial out
        walks += [[runs[p][k] for p in sorted(runs)] for k in range(3)]
    if len(walks) < 6:
        print(f"{order}: too few walks to resample")
        continue
    for count in (1, 3):
        wrong = 0
        for _ in range(resamples):
            pick = rng.sample(range(len(walks)), count)
            text = "".join(f"{c} {walks[w][c]}\n" for c in range(len(walks[0])) for w in pick)
            out = subprocess.run([points, "points"], input=text, capture_output=True,
                                 text=True, check=True).stdout
            wrong += [l.split()[0] for l in out.splitlines()] != [step]
        print(f"{order}, {count} walk(s): {wrong} of {resamples} resampled ranges "
              f"({100 * wrong / resamples:.1f} %) wrong (a false point, or the step missed or "
              f"misplaced), from {len(walks)} walks")
PY
