#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` from a release build, installed with dpkg, its binaries
# run (benchtrack --version, a benchmark built against the installed headers and
# pkg-config file, man benchtrack-compare), then removed and purged, leaving none of its files.
# Needs root (dpkg -i); ci/test.sh runs it on CI's throwaway machine.
#   bash ci/check-package.sh [BUILD_DIR]   (default build-pkg)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build=${1:-build-pkg}
[ "$(id -u)" -eq 0 ] || { echo "check-package: needs root (dpkg -i)" >&2; exit 2; }
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBTK_TESTS=OFF \
      -DBTK_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
(cd "$build" && rm -f ./*.deb && cpack -G DEB >/dev/null)
deb=$(ls "$build"/benchtrack_*.deb)
echo "check-package: built $deb"
dpkg-deb --contents "$deb" | awk '{print $6}' >"$build/deb-files.txt"
for f in ./usr/bin/benchtrack ./usr/include/benchtrack.h ./usr/share/man/man1/benchtrack-compare.1; do
    grep -qx "$f" "$build/deb-files.txt" || { echo "check-package: $f missing" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; dpkg -P benchtrack >/dev/null 2>&1 || true' EXIT
dpkg -i "$deb" >/dev/null
benchtrack --version
cc -O2 "$src/tests/fixtures/consumer/bench.c" $(pkg-config --cflags --libs benchtrack) \
   -o "$tmp/consumer"
"$tmp/consumer" --processes 1 --time-budget 20 --format json >"$tmp/r.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['benchmarks'][0]['status']=='ok'" "$tmp/r.json"
man -w benchtrack-compare >/dev/null
dpkg -P benchtrack >/dev/null
dpkg -s benchtrack >/dev/null 2>&1 && { echo "check-package: still registered with dpkg" >&2; exit 1; }
left=0
while read -r f; do
    f=${f#.}
    [ -f "$f" ] && { echo "check-package: left behind after removal: $f" >&2; left=1; }
done <"$build/deb-files.txt"
[ $left -eq 0 ] || exit 1
hash -r; command -v benchtrack >/dev/null && { echo "check-package: benchtrack still on PATH" >&2; exit 1; }
echo "check-package: the .deb installs, runs and removes cleanly"
