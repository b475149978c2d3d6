#!/usr/bin/env bash
# Import at scale (docs/figures/store.md, "Import at scale"): `benchtrack import` of
# generated documents of 1k, 10k and 100k benchmarks, in our format (one process of 10
# samples each) and in Google Benchmark's (3 repetitions each), into a fresh database;
# prints the wall time and peak RSS of each import (/usr/bin/time). With a second
# benchtrack (e.g. one built from an older commit) both are run, alternately, for the same
# files. Also: /dev/zero must stop at the input limit.
# usage: bench/self/import-scale.sh [BUILD_DIR] [OTHER_BENCHTRACK] [SIZES...]
#   e.g. bench/self/import-scale.sh build /tmp/old-benchtrack 1000 10000 100000
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
other=${2:-}
shift $(( $# > 2 ? 2 : $# ))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
bt=$build/benchtrack
[ -x "$bt" ] || { echo "missing $bt: build first" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-import-scale-XXXXXX")
trap 'rm -rf "$work"' EXIT
gen() { # gen FORMAT N FILE
    python3 - "$1" "$2" "$3" <<'PY'
import json, random, sys
fmt, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rnd = random.Random(n)
if fmt == "ours":
    benches = []
    for i in range(n):
        s = [round(100 + rnd.random() * 5, 3) for _ in range(10)]
        benches.append({"name": f"fam{i % 97}/{i}", "family": f"fam{i % 97}", "param": i,
                        "status": "ok", "stop_reason": "precision", "iterations": 10000,
                        "stats": {"median": sorted(s)[5], "min": min(s), "max": max(s)},
                        "processes": [{"index": 0, "samples": s, "batch": [1000] * 10}],
                        "counters": {"c": 1.5}})
    doc = {"format": "benchtrack", "schema_version": 1, "context": {}, "benchmarks": benches}
else:
    benches = []
    for r in range(3):
        for i in range(n):
            benches.append({"name": f"BM_x/{i}", "run_name": f"BM_x/{i}",
                            "run_type": "iteration", "repetitions": 3,
                            "repetition_index": r, "iterations": 1000,
                            "real_time": 100 + rnd.random(), "cpu_time": 100.0,
                            "time_unit": "ns"})
    doc = {"context": {"host_name": "gen", "num_cpus": 2}, "benchmarks": benches}
json.dump(doc, open(path, "w"))
PY
}
measure() { # measure BENCHTRACK FILE -> "seconds peak_kib exit"
    rm -f "$work/db"*
    /usr/bin/time -f "%e %M" -o "$work/time" "$1" import "$2" --db "$work/db" \
        >/dev/null 2>"$work/err" && rc=0 || rc=$?
    echo "$(cat "$work/time" | tail -1) $rc"
}
echo "import at scale ($(uname -n), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-7s %8s %9s  %-12s %9s %10s %4s\n' format benches file_MB binary seconds peak_MiB exit
for fmt in ours gbench; do
    for n in "${sizes[@]}"; do
        f=$work/$fmt-$n.json
        gen "$fmt" "$n" "$f"
        mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1048576 }')
        for which in this ${other:+other}; do
            b=$bt; [ "$which" = other ] && b=$other
            read -r secs kib rc <<<"$(measure "$b" "$f")"
            printf '%-7s %8s %9s  %-12s %9s %10.0f %4s\n' "$fmt" "$n" "$mb" "$which" "$secs" \
                "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')" "$rc"
        done
    done
done
start=$(date +%s.%N)
"$bt" import /dev/zero --db "$work/zdb" 2>"$work/err" >/dev/null && rc=0 || rc=$?
echo "/dev/zero: exit $rc after $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }') s: $(cat "$work/err")"
