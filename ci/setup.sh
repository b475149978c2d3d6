#!/usr/bin/env bash
# Install the Debian 12 packages benchtrack needs to build, test and draw charts
# (pandoc builds the man pages from docs/; clang and its runtime libraries, libFuzzer
# among them, build the fuzz targets of ci/fuzz.sh; libpq-dev builds the PostgreSQL store
# backend, and postgresql gives the server binaries whose throwaway cluster
# (ci/pg-cluster.sh) the store tests use).
# Idempotent: packages already present are left alone and apt is not touched.
# Runs as root (CI) or through sudo when available.
set -euo pipefail

pkgs=(build-essential cmake pkg-config git
      libcmocka-dev libsqlite3-dev sqlite3 libgit2-dev libjansson-dev
      gnuplot-nox libbenchmark-dev valgrind python3 bc g++
      pandoc man-db clang libclang-rt-dev libpq-dev postgresql)
if [ "${BTK_SETUP_BROWSER:-0}" = 1 ]; then
    pkgs+=(chromium)
fi

# promtool (Prometheus's checker, for the export test) is taken out of Debian's prometheus
# package without installing it, so no Prometheus service is set up or started.
install_promtool() {
    command -v promtool >/dev/null && return 0
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && $sudo apt-get download -qq prometheus >/dev/null &&
        dpkg-deb -x prometheus_*.deb x && $sudo install -m 755 x/usr/bin/promtool \
        /usr/local/bin/promtool) || echo "setup: promtool unavailable (export test skipped)"
    rm -rf "$tmp"
}

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$p")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all packages present"
    install_promtool
    exit 0
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_promtool
