#!/usr/bin/env bash
# The main job: install, build, run the example benchmarks. (Grows with the store, compare
# and report issues.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
for b in build/bench/examples; do
    [ -x "$b" ] && "$b"
done
