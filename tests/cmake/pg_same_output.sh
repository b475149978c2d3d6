#!/usr/bin/env bash
# Every command that reads or writes results prints the same on both store backends: the
# fixed-store part of ci/snapshot-outputs.sh (import, log, show, history, compare in every
# format, report) run once on a new SQLite file and once on a new, empty PostgreSQL database
# of the cluster at $BTK_TEST_PG, then diff -r. Skipped (exit 77) without $BTK_TEST_PG.
#   pg_same_output.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
SRC=$1 BUILD=$2
if [ -z "${BTK_TEST_PG:-}" ]; then
    echo "SKIPPED: BTK_TEST_PG is not set (ci/pg-cluster.sh start gives one)"
    exit 77
fi
probe=$("$BUILD/benchtrack" log --db "$BTK_TEST_PG" 2>&1)
if [[ $probe == *"built without PostgreSQL"* ]]; then
    echo "SKIPPED: this build has no PostgreSQL backend"
    exit 77
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/btk-pgsame.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
URL=$(bash "$SRC/tests/support/pg-newdb.sh" "$BTK_TEST_PG" same_output) || exit 1
BTK_SNAPSHOT_STORE_ONLY=1 bash "$SRC/ci/snapshot-outputs.sh" "$BUILD" "$TMP/sqlite" >/dev/null || exit 1
BTK_SNAPSHOT_STORE_ONLY=1 BTK_SNAPSHOT_DB="$URL" bash "$SRC/ci/snapshot-outputs.sh" "$BUILD" \
    "$TMP/pg" >/dev/null || exit 1
n=$(find "$TMP/pg" -type f | wc -l)
[ "$n" -ge 20 ] || { echo "only $n outputs"; exit 1; }
diff -r "$TMP/sqlite" "$TMP/pg" || { echo "FAIL: outputs differ between backends"; exit 1; }
echo "same output on both backends ($n files)"
