#!/usr/bin/env bash
# Print the results database's speed figures (docs/figures/store.md):
#   bench/self/store-speed.sh [BUILD_DIR]   (default: build)
#   env BTK_HISTORY_WIDTH=N also times the history with N benchmarks per run (slow to build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cmake --build "$build" --target store_speed -j2 >/dev/null
dir=$(mktemp -d "${TMPDIR:-/tmp}/btk-store-speed-XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "store speed ($(uname -n), $(nproc) cpus, sqlite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1))"
"$build/bench/store_speed" "$dir"
