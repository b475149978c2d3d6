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
#   BTK_GATE_BUILD (a build command for a project that does not build with CMake: run by
#   sh in each source tree, base and head; BTK_GATE_BIN_PATH is then relative to the
#   source tree), BTK_GATE_DB (a results database: both runs are stored in it, the base
#   under its merge-base commit and the head under HEAD; default: nothing stored),
#   BTK_GATE_METRIC (auto, the default: each benchmark by wall time or by estimated core
#   cycles, whichever is steadier; or wall, cpu, cycles: what ab compares time runs by,
#   docs/ci.md)
# When the base has no such target (the pull request adds the benchmarks), the head's
# benchmarks are run, reported as new, and the gate passes unless one of them fails.
set -euo pipefail
if [ $# -lt 2 ]; then
    sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
base_ref=$1
target=$2
shift 2
[ "${1:-}" = "--" ] && shift
bt=${BENCHTRACK:-benchtrack}
processes=${BTK_GATE_PROCESSES:-10}
metric=${BTK_GATE_METRIC:-auto}
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

base_short=$(git -C "$root" rev-parse --short "$base_sha")
head_short=$(git -C "$root" rev-parse --short HEAD)

# build SOURCE_DIR BUILD_DIR: prints the binary's path; exit 3 when the build fails, 4 when
# the tree has no such target: CMake has no such target (or the tree no CMakeLists.txt); a
# build command failed saying its target does not exist (make, ninja), or succeeded and
# left no binary at BTK_GATE_BIN_PATH.
no_target='No rule to make target|unknown target|does not appear to contain CMakeLists.txt'
build() {
    local log=$2.log
    mkdir -p "$(dirname "$log")"
    if [ -n "${BTK_GATE_BUILD:-}" ]; then
        if ! (cd "$1" && sh -c "$BTK_GATE_BUILD") >"$log" 2>&1; then
            cat "$log" >&2
            grep -qE "$no_target" "$log" && return 4
            return 3
        fi
        [ -x "$1/$bin_path" ] || return 4
        echo "$1/$bin_path"
        return 0
    fi
    # shellcheck disable=SC2086
    if ! cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release ${BTK_GATE_CMAKE_ARGS:-} \
            >"$log" 2>&1; then
        cat "$log" >&2
        grep -qE "$no_target" "$log" && return 4
        return 3
    fi
    cmake --build "$2" --target help 2>/dev/null | sed -e 's/^\.\.\. //' -e 's/[: ].*//' |
        grep -qxF "$target" || return 4
    cmake --build "$2" --target "$target" -j"$(nproc)" >"$log" 2>&1 ||
        { cat "$log" >&2; return 3; }
    echo "$2/$bin_path"
}
brc=0
base_bin=$(build "$work/base-src" "$work/base-build") || brc=$?
case $brc in
0|4) ;;
*) echo "gate: base build failed" >&2; exit 3 ;;
esac
hrc=0
head_bin=$(build "$root" "$work/head-build") || hrc=$?
case $hrc in
0) ;;
4) echo "gate: the head has no benchmark target '$target'" >&2; exit 2 ;;
*) echo "gate: head build failed" >&2; exit 3 ;;
esac

summary=${GITHUB_STEP_SUMMARY:-${BTK_GATE_SUMMARY:-gate-summary.md}}
if [ $brc -eq 4 ]; then
    # The pull request adds the benchmarks: nothing to compare them with. Run them (a
    # failing benchmark still fails the gate) and list them as new.
    echo "gate: the base $base_short has no benchmark target '$target': its benchmarks are new" >&2
    rc=0
    "$head_bin" --processes "$processes" --out "$work/head.json" "$@" >&2 || rc=$?
    if [ -n "${BTK_GATE_DB:-}" ] && [ -f "$work/head.json" ]; then
        "$bt" import "$work/head.json" --db "$BTK_GATE_DB" --repo "$root" >&2 || rc=3
    fi
    names=$("$head_bin" --list "$@" 2>/dev/null || true)
    {
        echo "### benchtrack gate: $(echo "$names" | grep -c .) new benchmarks"
        echo
        echo "The base \`$base_short\` (merge-base with \`$base_ref\`) has no benchmark target;"
        echo "the head \`$head_short\` adds these, so there is nothing to compare them with yet."
        echo
        echo "| verdict | benchmark |"
        echo "|---|---|"
        echo "$names" | sed -e '/^$/d' -e 's/[|\\`<>]/\\&/g' -e 's/^/| new | /' -e 's/$/ |/'
        if [ $rc -ne 0 ]; then
            echo
            echo "**A benchmark failed or the results could not be stored (exit $rc).**"
        fi
    } >"$work/summary.md"
    cat "$work/summary.md" >>"$summary"
    cat "$work/summary.md"
    echo "gate: exit $rc (summary in $summary)" >&2
    exit $rc
fi

store=()
[ -n "${BTK_GATE_DB:-}" ] && store=(--db "$BTK_GATE_DB" --base-commit "$base_sha" --repo "$root")
rc=0
"$bt" ab "$base_bin" "$head_bin" "${store[@]}" \
    --base-label "base $base_short (merge-base with $base_ref)" --label "head $head_short" \
    --processes "$processes" --metric "$metric" --format markdown --out "$work/summary.md" \
    -- "$@" || rc=$?
if [ -f "$work/summary.md" ]; then
    cat "$work/summary.md" >> "$summary"
    cat "$work/summary.md"
fi
echo "gate: benchtrack ab exited $rc (summary in $summary)" >&2
exit $rc
