#!/usr/bin/env bash
# Counting mode's figures (docs/figures/counting.md), every comparison made by the tool:
# each run is recorded with `benchtrack run` into a temporary database (a temporary git
# repository with one commit) and compared with `benchtrack compare '#A' '#B' --format json`.
#  - A/A: N+1 counting runs of the example suite (`--measure instructions`) with the other
#    core loaded (a busy loop pinned with taskset to CPU 0, killed by PID on exit);
#    consecutive runs are compared (N comparisons). Expected: 0 changed benchmarks.
#  - A/B: N_AB counting runs of the suite with 1 % more work in the CPU-bound example
#    (examples_cpu_plus1, `--filter cpu`), each compared with A/A run i (wrapping).
#    Expected: `cpu` regressed every time.
#  - Wall time: a timed run of the suite (the binary itself, default options: 1 process)
#    right before each counting run; factor = counting / timed, per pair.
#  - Progress: the counting runs' stderr lines `benchtrack: counting [i/n] ...`.
#  - Nondeterministic counts: two counting runs of tests' btk_fixture_count clock_work (its
#    work follows the clock), compared: how compare decides such a benchmark.
# usage: bench/self/counting.sh [BUILD_DIR] [N] [N_AB]   (default build, 20, N)
set -euo pipefail
build=${1:-build}
n=${2:-20}
nab=${3:-$n}
bt=$build/benchtrack
ex=$build/bench/examples
plus1=$build/bench/examples_cpu_plus1
fixture=$build/tests/btk_fixture_count
for f in "$bt" "$ex" "$plus1"; do
    [ -x "$f" ] || { echo "counting.sh: $f not built" >&2; exit 2; }
done
work=$(mktemp -d)
loader=""
cleanup() {
    if [ -n "$loader" ]; then kill "$loader" 2>/dev/null || true; wait "$loader" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

repo=$work/repo
db=$work/db.sqlite
git -C "$work" init -q repo
git -C "$repo" -c user.name=counting -c user.email=counting@localhost \
    commit -q --allow-empty -m "counting.sh"
rec() { # rec TAG -- BINARY ARGS...: record one run, print its id; stderr kept in $work/TAG.err
    local tag=$1; shift; shift
    "$bt" run --db "$db" --repo "$repo" -- "$@" >"$work/$tag.out" 2>"$work/$tag.err" || true
    sed -n 's/^benchtrack: stored run #\([0-9]*\).*/\1/p' "$work/$tag.err" | tail -1
}
now() { date +%s.%N; }

taskset -c 0 sh -c 'while :; do :; done' &
loader=$!
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "loader: busy loop PID $loader pinned to CPU 0; N=$n (A/A), N_AB=$nab"

: >"$work/walls"
for i in $(seq 0 "$n"); do
    s=$(now); "$ex" --out /dev/null >/dev/null 2>&1 || true; m=$(now)
    cid=$(rec "a$i" -- "$ex" --measure instructions); e=$(now)
    [ -n "$cid" ] || { echo "counting run $i not stored:"; cat "$work/a$i.err"; exit 1; }
    echo "$cid $(echo "$m - $s" | bc) $(echo "$e - $m" | bc)" >>"$work/walls"
done
: >"$work/ab"
for i in $(seq 1 "$nab"); do
    bid=$(rec "b$i" -- "$plus1" --measure instructions --filter cpu)
    [ -n "$bid" ] || { echo "+1% run $i not stored:"; cat "$work/b$i.err"; exit 1; }
    echo "$bid" >>"$work/ab"
done
cmp() { # cmp BASE_ID NEW_ID OUT: compare two runs, JSON to OUT, exit status appended
    local rc=0
    "$bt" compare "#$1" "#$2" --db "$db" --repo "$repo" --format json >"$3" 2>"$3.err" || rc=$?
    echo "$rc" >"$3.rc"
}
mapfile -t aid < <(cut -d' ' -f1 "$work/walls")
mapfile -t bid < <(cat "$work/ab")
for i in $(seq 0 $((n - 1))); do cmp "${aid[$i]}" "${aid[$((i + 1))]}" "$work/aa$i.json"; done
for i in $(seq 1 "$nab"); do cmp "${aid[$(((i - 1) % n + 1))]}" "${bid[$((i - 1))]}" "$work/ab$i.json"; done

nd=none
if [ -x "$fixture" ]; then
    x=$(rec nd1 -- "$fixture" --measure instructions --filter clock_work)
    y=$(rec nd2 -- "$fixture" --measure instructions --filter clock_work)
    if [ -n "$x" ] && [ -n "$y" ]; then cmp "$x" "$y" "$work/nd.json"; nd=$work/nd.json; fi
fi

python3 - "$work" "$n" "$nab" "$nd" <<'PY'
import json, re, statistics, sys
work, n, nab, nd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def load(p):
    d = json.load(open(p))
    return d, int(open(p + ".rc").read())
print()
print("| comparison (benchtrack compare --format json) | figure |")
print("|---|---|")
verdicts, changed, inconcl, rcs, nbench = {}, set(), {}, [], set()
for i in range(n):
    d, rc = load("%s/aa%d.json" % (work, i))
    rcs.append(rc)
    for r in d["results"]:
        nbench.add(r["name"])
        verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
        if r["verdict"] != "unchanged":
            changed.add(r["name"])
        if r["verdict"] == "inconclusive":
            inconcl.setdefault(r["name"], r["reason"])
print("| A/A: comparisons x benchmarks | %d x %d |" % (n, len(nbench)))
print("| A/A: verdicts | %s |" % ", ".join("%s %d" % kv for kv in sorted(verdicts.items())))
print("| A/A: comparisons with a changed benchmark | %d of %d (%s) |" %
      (sum(1 for i in range(n) if any(r["verdict"] != "unchanged" for r in
           load("%s/aa%d.json" % (work, i))[0]["results"])), n,
       ", ".join(sorted(changed)) or "none"))
print("| A/A: compare exit status | %s |" % ", ".join("%d x%d" % (c, rcs.count(c))
                                                    for c in sorted(set(rcs))))
for name, reason in sorted(inconcl.items()):
    print("| A/A inconclusive: %s | %s |" % (name, reason))
found, ratios, rcs, others = 0, set(), [], {}
for i in range(1, nab + 1):
    d, rc = load("%s/ab%d.json" % (work, i))
    rcs.append(rc)
    for r in d["results"]:
        if r["name"] == "cpu":
            found += r["verdict"] == "regressed"
            ratios.add("%.6f" % r["count_ratio"])
            reason = r["reason"]
        else:
            others[r["verdict"]] = others.get(r["verdict"], 0) + 1
print("| A/B +1 %% work in `cpu`: found (regressed) | %d of %d |" % (found, nab))
print("| A/B: count ratio of `cpu` | %s |" % ", ".join(sorted(ratios)))
print("| A/B: reason (last) | %s |" % reason)
print("| A/B: other benchmarks (not in the +1 %% runs) | %s |" %
      ", ".join("%s %d" % kv for kv in sorted(others.items())))
print("| A/B: compare exit status | %s |" % ", ".join("%d x%d" % (c, rcs.count(c))
                                                    for c in sorted(set(rcs))))
walls = [l.split() for l in open(work + "/walls")]
timed = [float(w[1]) for w in walls]
count = [float(w[2]) for w in walls]
fac = [c / t for t, c in zip(timed, count)]
print("| wall: timed runs (`examples`, default options), %d | median %.1f s (%.1f-%.1f) |" %
      (len(timed), statistics.median(timed), min(timed), max(timed)))
print("| wall: counting runs (`benchtrack run -- examples --measure instructions`), %d | median %.1f s (%.1f-%.1f) |" %
      (len(count), statistics.median(count), min(count), max(count)))
print("| wall: factor counting/timed, per pair | median %.1f (%.1f-%.1f) |" %
      (statistics.median(fac), min(fac), max(fac)))
prog = [l.rstrip("\n") for l in open(work + "/a0.err") if l.startswith("benchtrack: counting [")]
print("| progress lines on stderr, first counting run | %d%s |" %
      (len(prog), (": `%s` ... `%s`" % (prog[0], prog[-1])) if prog else " (none)"))
if nd != "none":
    d, rc = load(nd)
    r = d["results"][0]
    print("| nondeterministic (fixture clock_work, 2 runs) | %s, exit %d: %s |" %
          (r["verdict"], rc, r["reason"]))
else:
    print("| nondeterministic (fixture clock_work) | not run (%s/tests/btk_fixture_count missing) |"
          % "BUILD")
PY
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
