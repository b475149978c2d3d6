#!/usr/bin/env bash
# Time `benchtrack report` on a synthetic store of NBENCH benchmarks x NCOMMITS commits
# (default 200 x 100) in a throwaway git repository. Prints the figures; the target is
# under 60 s on the project machine (docs/figures/report.md).
# usage: bench/self/report-speed.sh [BUILD_DIR] [NBENCH] [NCOMMITS] [svg|png]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
nbench=${2:-200}
ncommits=${3:-100}
format=${4:-svg}
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-report-speed-XXXXXX")
trap 'rm -rf "$work"' EXIT

git init -q "$work/repo"
for i in $(seq 1 "$ncommits"); do
    git -C "$work/repo" -c user.name=bench -c user.email=bench@example.invalid \
        commit -q --allow-empty -m "commit $i"
done
git -C "$work/repo" rev-list --first-parent HEAD > "$work/shas"

t0=$(date +%s.%N)
"$build/bench/report-gen" "$work/db" "$nbench" < "$work/shas"
t1=$(date +%s.%N)
index=$("$build/benchtrack" report -o "$work/out" --db "$work/db" --repo "$work/repo" \
        --limit "$ncommits" --format "$format" | tail -n 1)
t2=$(date +%s.%N)

charts=$(find "$work/out/img" -type f | wc -l)
pages=$(find "$work/out" -maxdepth 1 -name '*.html' | wc -l)
bytes=$(du -sk "$work/out" | cut -f1)
echo "report-speed: $nbench benchmarks x $ncommits commits, format $format"
echo "  store generation: $(echo "$t1 - $t0" | bc) s"
echo "  benchtrack report: $(echo "$t2 - $t1" | bc) s  ($pages pages, $charts charts, ${bytes} KiB)"
echo "  index: ${index#"$work"/}"
