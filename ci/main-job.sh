#!/usr/bin/env bash
# The main job (the README's first command): install what is needed, build, run the example
# benchmarks and store them for the current commit, compare with the base where one has
# results, and write the HTML report. Exits 1 when the comparison found a regression (so a CI
# job fails), 0 otherwise; 2/3 on bad input or failures (docs/exit-codes.md).
# BTK_DB overrides the database (default: benchtrack.db at the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

bt=build/benchtrack
db_args=()
[ -n "${BTK_DB:-}" ] && db_args=(--db "$BTK_DB")

echo "== run: the example benchmarks, stored for $(git rev-parse --short HEAD)"
"$bt" run "${db_args[@]}" -- build/bench/examples

echo "== compare: with the base (the merge-base on the default branch, or the parent on it)"
set +e
"$bt" compare "${db_args[@]}" --out build/compare.md --format markdown 2>build/compare.err
cmp=$?
set -e
if [ $cmp -le 1 ]; then
    "$bt" compare "${db_args[@]}" 2>/dev/null || true
else
    echo "no comparison: $(cat build/compare.err)"
fi

echo "== report"
"$bt" report "${db_args[@]}" -o build/report | tail -n 1
[ $cmp -eq 1 ] && { echo "a regression was found (see above)"; exit 1; }
exit 0
