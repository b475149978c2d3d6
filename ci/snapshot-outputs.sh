#!/usr/bin/env bash
# Write what benchtrack prints for fixed inputs into OUTDIR, so a change meant to keep
# behaviour (a move, a refactoring) can be checked with `diff -r BEFORE AFTER`.
#   bash ci/snapshot-outputs.sh BUILD_DIR OUTDIR
# Two parts:
#  - a fixed store: synthetic runs (tests/fixtures/compare/make_results.py, fixed seeds)
#    imported under fixed commits of a temporary repository with fixed dates; then log,
#    show, history, compare in every format, chart scripts and the HTML report. These are
#    byte-for-byte outputs (paths of the temporary folder replaced by TMP).
#  - the example suite, run once: console table and JSON with every number replaced by N
#    (timings differ run to run; names, columns, keys and units must not).
set -uo pipefail
BUILD=$(cd "$1" && pwd)
OUT=$2
SRC=$(cd "$(dirname "$0")/.." && pwd)
BT=$BUILD/benchtrack
GEN="python3 $SRC/tests/fixtures/compare/make_results.py"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/btk-snapshot.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 2

export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
# BTK_SNAPSHOT_DB: the store to fill (default a new SQLite file; an empty PostgreSQL
# database gives the same outputs, tests/cmake/pg_same_output.sh); BTK_SNAPSHOT_STORE_ONLY=1
# skips the example suite.
export NO_COLOR=1 BENCHTRACK_DB="${BTK_SNAPSHOT_DB:-$TMP/bt.db}"
git init -q -b main repo && cd repo || exit 2
git config user.email t@example.com && git config user.name "T Tester"
for i in 1 2 3 4 5; do
    git commit -q --allow-empty -m "commit $i <&'\"> subject"
    slow=""
    [ "$i" -ge 4 ] && slow="--slow bench1:1.15"
    # shellcheck disable=SC2086
    $GEN --seed "$i" --benchmarks 3 $slow --out "$TMP/r$i.json"
    "$BT" import "$TMP/r$i.json" >/dev/null 2>&1 || { echo "import $i failed"; exit 1; }
done

norm() { sed -e "s#$TMP#TMP#g" -e 's/Generated [0-9-]* [0-9:]* UTC/Generated DATE UTC/'; }
snap() { # NAME CMD...: stdout+stderr and exit status
    local name=$1; shift
    "$@" >"$OUT/$name.out" 2>&1
    echo "exit $?" >>"$OUT/$name.out"
    norm <"$OUT/$name.out" >"$OUT/$name.tmp" && mv "$OUT/$name.tmp" "$OUT/$name.out"
}
snap log "$BT" log
snap show "$BT" show
snap history "$BT" history bench1
snap history-missing "$BT" history nosuch
for f in table markdown json junit csv; do
    snap "compare-$f" "$BT" compare HEAD~2 HEAD --format "$f"
done
snap compare-runs "$BT" compare '#1' '#5'
snap usage-compare "$BT" compare --bogus
snap usage-top "$BT" --help
for c in run import history log show compare ab chart report; do
    snap "help-$c" "$BT" "$c" --help
done
snap report "$BT" report -o "$TMP/site"
for f in $(cd "$TMP/site" && find . -name '*.html' | sort); do
    mkdir -p "$OUT/site/$(dirname "$f")"
    norm <"$TMP/site/$f" >"$OUT/site/$f"
done
(cd "$TMP/site" && find . -type f ! -name '*.html' | sort | xargs sha256sum) \
    >"$OUT/report-files.txt"

if [ -n "${BTK_SNAPSHOT_STORE_ONLY:-}" ]; then echo "snapshot written to $OUT"; exit 0; fi
numbers() { sed -E -e 's/[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/N/g' -e 's/ +/ /g'; }
EX=$BUILD/bench/examples
"$EX" --list >"$OUT/examples-list.out" 2>&1
"$EX" --time-budget 5 --warmup 1 --out "$TMP/ex.json" 2>"$OUT/examples-stderr.out" |
    numbers >"$OUT/examples-console.out"
python3 - "$TMP/ex.json" >"$OUT/examples-json.out" <<'PY'
import json, sys
def shape(v):  # numbers become "N", lists of numbers one "[N]": sample counts vary;
    # the stop reason, the date and the path vary too
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return "N"
    if isinstance(v, list):
        if v and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
            return "[N]"
        return [shape(x) for x in v]
    if v.get("code") == "load":  # depends on what else the machine does
        return "load warning"
    return {k: ("X" if k in ("stop_reason", "date", "executable") else shape(x)) for k, x in v.items()}
print(json.dumps(shape(json.load(open(sys.argv[1]))), indent=1, sort_keys=True))
PY
grep -v 'load average' "$OUT/examples-stderr.out" | numbers >"$OUT/examples-stderr.tmp" &&
    mv "$OUT/examples-stderr.tmp" "$OUT/examples-stderr.out"
echo "snapshot written to $OUT"
