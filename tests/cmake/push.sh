#!/usr/bin/env bash
# benchtrack push end to end: SQLite -> PostgreSQL -> SQLite and back, idempotent (a second
# push stores nothing; runs keep their uid through every copy), the copied runs print the
# same (show), a run's core clock (clock_samples) and its processes' branch ratios
# (samples.branch_ratio) travel with it, and runs stored before
# uids existed (tests/data/db/v1.sql) get the same uid whether a copy of the file is read
# as it is or migrated. The PostgreSQL legs need
# $BTK_TEST_PG (ci/pg-cluster.sh); without it only the SQLite legs run, and it says so.
#   push.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
SRC=$(cd "$1" && pwd) BT=$(cd "$2" && pwd)/benchtrack
TMP=$(mktemp -d "${TMPDIR:-/tmp}/btk-push.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
export NO_COLOR=1 GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
fail() { echo "FAIL: $*"; exit 1; }
expect() { # WANT_PUSHED WANT_PRESENT SRC DST
    out=$("$BT" push "$3" "$4") || fail "push $3 -> $4 exited $?"
    echo "$out"
    echo "$out" | grep -q "^pushed $1 runs\? from .* ($2 already there)$" ||
        fail "push $3 -> $4: wanted $1 pushed, $2 already there"
}
shows() { # DB: every run's show, in log order
    for id in $("$BT" log --db "$1" | awk 'NR > 1 {print $1}'); do "$BT" show "#$id" --db "$1"; done
}

git init -q -b main repo && cd repo && git config user.email t@e && git config user.name T
for i in 1 2 3; do
    git commit -q --allow-empty -m "commit $i"
    python3 "$SRC/tests/fixtures/compare/make_results.py" --seed "$i" --benchmarks 3 \
        --out "$TMP/r$i.json"
    # run 2 carries a core clock (clock_ghz): its clock_samples travel with it
    [ "$i" = 2 ] && { python3 "$SRC/tests/fixtures/metrics/variant.py" "$TMP/r2.json" \
        "$TMP/r2c.json" --clock-all 3.1 && mv "$TMP/r2c.json" "$TMP/r2.json"; }
    # run 3 carries branch ratios: 2.0 for 3 processes of bench1 (set aside), else 1.0
    [ "$i" = 3 ] && { python3 "$SRC/tests/fixtures/compare/make_results.py" --seed 3 \
        --benchmarks 3 --shared bench1:3:1.8 --out "$TMP/r3.json" || fail "r3.json"; }
    "$BT" import "$TMP/r$i.json" --db "$TMP/a.db" >/dev/null 2>&1 || fail "import $i"
done

has_pg=1
if [[ $("$BT" log --db postgresql://127.0.0.1:1/x 2>&1) == *"built without PostgreSQL"* ]]; then
    echo "SKIPPED (PostgreSQL legs): this build has no PostgreSQL backend"
    has_pg=0 BTK_TEST_PG=""
fi
if [ -n "${BTK_TEST_PG:-}" ]; then
    PG=$(bash "$SRC/tests/support/pg-newdb.sh" "$BTK_TEST_PG" push) || fail "new database"
    expect 3 0 "$TMP/a.db" "$PG"
    expect 0 3 "$TMP/a.db" "$PG"
    expect 3 0 "$PG" "$TMP/b.db"
    expect 0 3 "$TMP/b.db" "$PG"
    "$BT" import "$TMP/r1.json" --db "$TMP/b.db" >/dev/null 2>&1 || fail "import into b"
    expect 1 3 "$TMP/b.db" "$PG"   # only the new run travels
    expect 1 3 "$PG" "$TMP/a.db"
    [ "$(shows "$TMP/a.db")" = "$(shows "$PG")" ] || fail "a.db and PostgreSQL show differently"
else
    echo "SKIPPED (PostgreSQL legs): BTK_TEST_PG is not set; SQLite legs only"
    expect 3 0 "$TMP/a.db" "$TMP/b.db"
    expect 0 3 "$TMP/a.db" "$TMP/b.db"
fi
expect 0 "$(sqlite3 "$TMP/a.db" 'SELECT count(*) FROM runs')" "$TMP/a.db" "$TMP/a.db"
# the clock of run 2 (3 benchmarks x 10 processes x 20 samples x 8 bytes) arrived in b.db (through PostgreSQL
# when it ran), as stored in a.db, with its core-cycle statistics
clocks="SELECT count(*), sum(length(clock)) FROM clock_samples"
cores="SELECT count(core_median) FROM result_metrics"
[ "$(sqlite3 "$TMP/a.db" "$clocks")" = "30|4800" ] || fail "a.db clock_samples"
[ "$(sqlite3 "$TMP/b.db" "$clocks")" = "30|4800" ] || fail "clock_samples not pushed"
[ "$(sqlite3 "$TMP/b.db" "$cores")" = 3 ] || fail "core-cycle statistics not pushed"
# the branch ratios of run 3 (3 benchmarks x 10 processes: 3 of 2.0, 27 of 1.0) too
ratios="SELECT count(branch_ratio), sum(branch_ratio) FROM samples"
[ "$(sqlite3 "$TMP/a.db" "$ratios")" = "30|33.0" ] || fail "a.db branch_ratio"
[ "$(sqlite3 "$TMP/b.db" "$ratios")" = "30|33.0" ] || fail "branch_ratio not pushed"

# Old runs: one v1 file copied twice; the first copy read as it is (push opens SRC
# read-only: uids from the content), the second migrated to v3 by an import first.
sqlite3 "$TMP/old1.db" <"$SRC/tests/data/db/v1.sql" || fail "load v1.sql"
cp "$TMP/old1.db" "$TMP/old2.db"
"$BT" import "$TMP/r3.json" --db "$TMP/old2.db" >/dev/null 2>&1 || fail "migrate old2"
[ "$(sqlite3 "$TMP/old2.db" 'PRAGMA user_version')" -ge 3 ] || fail "old2 not migrated"
[ "$(sqlite3 "$TMP/old2.db" 'SELECT count(*) FROM runs WHERE length(uid) = 32')" = 3 ] ||
    fail "old runs without a uid after migrating"
expect 2 0 "$TMP/old1.db" "$TMP/c.db"
expect 1 2 "$TMP/old2.db" "$TMP/c.db"
# copy the other way: the migrated file's old runs are the ones c.db has
expect 0 3 "$TMP/c.db" "$TMP/old2.db"

out=$("$BT" push "$TMP/nosuch.db" "$TMP/c.db" 2>&1); st=$?
[ $st -eq 2 ] && echo "$out" | grep -q "no results database at" || fail "missing SRC: $st $out"
out=$("$BT" push "postgresql://btk:Secr3tPw@127.0.0.1:1/x" "$TMP/c.db" 2>&1); st=$?
[ $st -eq $((has_pg ? 3 : 2)) ] || fail "unreachable server: exit $st"
echo "$out" | grep -q "Secr3tPw" && fail "password printed: $out"
[ $has_pg = 0 ] || echo "$out" | grep -q "btk:\*\*\*@" || fail "location not named: $out"
echo "push: all checks passed"
