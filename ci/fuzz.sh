#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz/, clang, ASan+UBSan) in build-fuzz and run each
# for BTK_FUZZ_SECONDS seconds (default 45) from its seed corpora. Fails when a target
# crashes, leaks, times out on one input or runs out of memory; the input that did it is
# kept as build-fuzz/artifacts/<target>-crash-* (add it to tests/fuzz/corpus/<target>/
# with the fix). A longer campaign is the same command: BTK_FUZZ_SECONDS=600 bash ci/fuzz.sh
# (docs/figures/fuzz.md). BTK_FUZZ_TARGETS picks targets (default: import config store
# cli_opt). Prints each target's executions, coverage (cov/ft) and crashes at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BTK_FUZZ_SECONDS:-45}
targets=${BTK_FUZZ_TARGETS:-import config store cli_opt}
out=build-fuzz

CC=clang CXX=clang++ cmake -S . -B $out -DBTK_FUZZ=ON -DBTK_TESTS=OFF -DBTK_EXAMPLES=OFF \
    -DBTK_INSTALL=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build $out -j"$(nproc)" >/dev/null

# Seed corpora per target: read-only inputs; what a run finds goes to $out/corpus/<target>.
seeds() {
    case $1 in
    import) echo tests/data/json/valid tests/data/json/invalid tests/data/gbench \
                 tests/fuzz/corpus/import ;;
    config) echo tests/data/config/valid tests/data/config/invalid tests/fuzz/corpus/config ;;
    *) echo "tests/fuzz/corpus/$1" ;;
    esac
}

summary=()
status=0
mkdir -p $out/artifacts
for t in $targets; do
    mkdir -p "$out/corpus/$t" "tests/fuzz/corpus/$t"
    log=$out/fuzz-$t.log
    echo "=== fuzz $t: ${seconds}s"
    # shellcheck disable=SC2046
    if "$out/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=60 -print_final_stats=1 \
        -artifact_prefix="$out/artifacts/$t-" "$out/corpus/$t" $(seeds "$t") >"$log" 2>&1; then
        crashes=none
    else
        crashes="FOUND (see $log and $out/artifacts/$t-*)"
        status=1
        tail -40 "$log"
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    summary+=("$(printf '%-8s %6ss  execs %-10s %-22s crashes: %s' "$t" "$seconds" \
        "${execs:-?}" "${cov:-cov: ?}" "$crashes")")
done
echo "=== fuzz summary"
printf '%s\n' "${summary[@]}"
exit $status
