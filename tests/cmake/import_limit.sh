#!/usr/bin/env bash
# One over-limit input through `benchtrack import`: expects exit 2 and exactly one stderr
# line matching the documented message (docs/json-format.md, "Limits").
# usage: import_limit.sh BENCHTRACK CASE SOURCE_DIR
set -u
bt=$1 case=$2 src=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-import-limit-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
head='{"format":"benchtrack","schema_version":1,"context":{},"benchmarks":['
case $case in
dev_zero) input=/dev/zero
    want='^benchtrack: /dev/zero: larger than 268435456 bytes \(the import limit\)$' ;;
long_name) input=$work/long.json
    printf '%s{"name":"%s","status":"failed"}]}' "$head" "$(printf 'n%.0s' $(seq 1025))" >"$input"
    want=': benchmarks\[0\]\.name: longer than 1024 bytes \(the import limit\)$' ;;
many_benchmarks) input=$work/many.json
    python3 -c "import sys; sys.stdout.write('$head' + ','.join(['0'] * 1000001) + ']}')" >"$input"
    want=': benchmarks: more than 1000000 benchmarks \(the import limit\)$' ;;
duplicate) input=$src/tests/data/json/invalid/duplicate_name.json
    want=': benchmarks\[1\]\.name: duplicate benchmark name$' ;;
*) echo "unknown case $case"; exit 1 ;;
esac
start=$(date +%s)
"$bt" import "$input" --db "$work/r.db" 2>"$work/err" >/dev/null
rc=$?
secs=$(( $(date +%s) - start ))
echo "exit $rc after ${secs}s; stderr:"; cat "$work/err"
[ "$rc" -eq 2 ] || { echo "FAIL: expected exit 2"; exit 1; }
[ "$(wc -l <"$work/err")" -eq 1 ] || { echo "FAIL: expected one line"; exit 1; }
grep -Eq "$want" "$work/err" || { echo "FAIL: message does not match $want"; exit 1; }
[ ! -e "$work/r.db" ] || { echo "FAIL: a database was written"; exit 1; }
echo ok
