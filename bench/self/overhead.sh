#!/usr/bin/env bash
# Print the harness overhead figures (docs/figures/harness.md): the empty benchmark in ns and
# cycles per iteration, the timer read cost, the subtracted region/pause costs, and the cost
# allocation tracking adds to malloc+free. Builds bench/self/overhead.c in ./build if needed.
# Usage: bench/self/overhead.sh [runs]   (BUILD_DIR overrides ./build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build}
[ -d "$build" ] || cmake -S . -B "$build" >/dev/null
cmake --build "$build" --target btk_overhead -j2 >/dev/null
bin=$(find "$build" -name btk_overhead -type f -perm -u+x | head -n1)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs"
"$bin" "${1:-5}"
