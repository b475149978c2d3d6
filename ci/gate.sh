#!/usr/bin/env bash
# Performance regression gate for a pull request (docs/ci.md): builds the base ref and the
# head into two build directories (the base from a git worktree), runs `benchtrack ab` on
# the two benchmark binaries (interleaved fresh processes), writes the markdown summary to
# $GITHUB_STEP_SUMMARY when set (else to $BTK_GATE_SUMMARY or gate-summary.md) and exits
# with ab's status: 0 no regression, 1 regression or broken budget, 2 usage/data error,
# 3 runtime failure.
#
# usage: ci/gate.sh BASE_REF BENCH_TARGET [-- ARGS FOR THE BENCHMARK BINARY]
#   BASE_REF      e.g. origin/main (the gate uses its merge-base with HEAD)
#   BENCH_TARGET  the CMake target of the benchmark binary, e.g. my_benches
# environment: BTK_GATE_PROCESSES (default 10), BTK_GATE_CMAKE_ARGS (extra configure
#   arguments), BENCHTRACK (the benchtrack binary; default: benchtrack on PATH),
#   BTK_GATE_BIN_PATH (path of the binary inside a build dir; default BENCH_TARGET),
#   BTK_GATE_DB (a results database: both runs are stored in it, the base under its
#   merge-base commit and the head under HEAD; default: nothing stored)
set -euo pipefail
if [ $# -lt 2 ]; then
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
base_ref=$1
target=$2
shift 2
[ "${1:-}" = "--" ] && shift
bt=${BENCHTRACK:-benchtrack}
processes=${BTK_GATE_PROCESSES:-10}
bin_path=${BTK_GATE_BIN_PATH:-$target}
root=$(git rev-parse --show-toplevel) || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-gate.XXXXXX")
cleanup() {
    git -C "$root" worktree remove --force "$work/base-src" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

base_sha=$(git -C "$root" merge-base "$base_ref" HEAD) || {
    echo "gate: cannot find the merge-base of '$base_ref' and HEAD (fetch with depth 0?)" >&2
    exit 2
}
echo "gate: base $(git -C "$root" rev-parse --short "$base_sha") (merge-base with $base_ref)," \
     "head $(git -C "$root" rev-parse --short HEAD)" >&2
git -C "$root" worktree add --detach "$work/base-src" "$base_sha" >/dev/null

build() { # source dir, build dir
    # shellcheck disable=SC2086
    cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release ${BTK_GATE_CMAKE_ARGS:-} >/dev/null &&
        cmake --build "$2" --target "$target" -j"$(nproc)" >/dev/null
}
build "$work/base-src" "$work/base-build" || { echo "gate: base build failed" >&2; exit 3; }
build "$root" "$work/head-build" || { echo "gate: head build failed" >&2; exit 3; }

summary=${GITHUB_STEP_SUMMARY:-${BTK_GATE_SUMMARY:-gate-summary.md}}
store=()
[ -n "${BTK_GATE_DB:-}" ] && store=(--db "$BTK_GATE_DB" --base-commit "$base_sha" --repo "$root")
rc=0
"$bt" ab "$work/base-build/$bin_path" "$work/head-build/$bin_path" "${store[@]}" \
    --processes "$processes" --format markdown --out "$work/summary.md" -- "$@" || rc=$?
if [ -f "$work/summary.md" ]; then
    cat "$work/summary.md" >> "$summary"
    cat "$work/summary.md"
fi
echo "gate: benchtrack ab exited $rc (summary in $summary)" >&2
exit $rc
