#!/usr/bin/env bash
# End to end: `benchtrack log --db F` and `benchtrack import JSON --db F` on crafted files
# (tests/fuzz/make-db-corpus.sh), a FIFO, /dev/null and a directory. Each refused file gives
# exit 2 and one line naming the problem, and is left as it was: same checksum, no
# -wal/-shm/-journal/-lock created beside it. The v1, v2 and v2-with-a-user-table databases
# are read. ctest: store.crafted_databases_refused_untouched.
# usage: crafted-db-cli.sh BENCHTRACK
set -uo pipefail
bt=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$src/tests/fuzz/make-db-corpus.sh" "$work/db" || exit 1
json=$src/tests/data/json/valid/full.json
sha=0123456789abcdef0123456789abcdef01234567
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# A regular file's checksum; the type and size of anything else (reading a FIFO blocks).
sum_of() { if [ -f "$1" ]; then md5sum < "$1"; else stat -c '%F %s' "$1"; fi; }

# refused FILE REGEX: both commands exit 2 with REGEX on stderr, the file unchanged.
refused() {
    local f=$1 want=$2 before after cmd out rc
    before=$(sum_of "$f")
    for cmd in log import; do
        if [ $cmd = log ]; then
            out=$(timeout 20 "$bt" log --db "$f" 2>&1 >/dev/null); rc=$?
        else
            out=$(timeout 20 "$bt" import "$json" --db "$f" --allow-unknown-commit \
                  --commit $sha 2>&1 >/dev/null | grep -v 'warning: not in a git'); rc=${PIPESTATUS[0]}
        fi
        [ $rc -eq 2 ] || fail "$cmd --db $(basename "$f"): exit $rc, want 2 ($out)"
        [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$cmd $(basename "$f"): not one line: $out"
        printf '%s\n' "$out" | grep -Eq "^benchtrack: $want" ||
            fail "$cmd $(basename "$f"): message '$out' does not match '$want'"
    done
    after=$(sum_of "$f")
    [ "$before" = "$after" ] || fail "$(basename "$f") was modified"
    for s in -wal -shm -journal -lock; do
        [ ! -e "$f$s" ] || fail "$(basename "$f")$s was created"
    done
}

d=$work/db
refused "$d/version-neg100.db" "results database '.*' is not a benchtrack database: its schema version -100 is invalid"
refused "$d/version-neg2.db" "results database '.*' is not a benchtrack database: its schema version -2 is invalid"
refused "$d/version-newer.db" "results database '.*' has schema version 99, newer than this benchtrack"
refused "$d/foreign.db" "results database '.*' is not a benchtrack database: it holds another program's 'customers'"
refused "$d/foreign-version1.db" "results database '.*' is not a benchtrack database of schema version 1: table '[a-z_]+' is missing"
refused "$d/wrong-columns.db" "results database '.*' is not a benchtrack database of schema version 2: table 'runs' is not benchtrack's"
refused "$d/missing-index.db" "results database '.*' is not a benchtrack database of schema version 2: index 'runs_lookup' is missing"
refused "$d/trigger.db" "results database '.*' is not a benchtrack database: it holds a trigger 'wipe'"
refused "$d/truncated.db" "results database '.*' is not a valid benchtrack database: "
refused "$d/garbage.db" "results database '.*' is not a valid benchtrack database: "
refused "$d/text.db" "results database '.*' is not a valid benchtrack database: file is not a database"
mkfifo "$work/fifo"
refused "$work/fifo" "results database '.*fifo' is not a regular file \(a FIFO, device or socket\)"
mkdir "$work/dir.db"
refused "$work/dir.db" "results database '.*dir\.db' is a directory, not a database file"
# /dev/null: refused and nothing created beside it (checked only when absent before).
had=$(ls /dev/null-* 2>/dev/null)
out=$("$bt" log --db /dev/null 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s' "$out" | grep -q "is not a regular file" || fail "/dev/null: $rc $out"
out=$("$bt" import "$json" --db /dev/null --allow-unknown-commit --commit $sha 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s' "$out" | grep -q "is not a regular file" || fail "/dev/null import: $rc $out"
[ "$(ls /dev/null-* 2>/dev/null)" = "$had" ] || fail "files created beside /dev/null"

for f in v1 v2 v2-wal v2-extra-table; do
    out=$("$bt" log --db "$d/$f.db" 2>&1); rc=$?
    [ $rc -eq 0 ] && printf '%s' "$out" | grep -q '^ *2 ' || fail "log $f.db: exit $rc: $out"
done
# ... and a writing command migrates v1 and keeps the user's table in v2-extra-table
for f in v1 v2-extra-table; do
    "$bt" import "$json" --db "$d/$f.db" --allow-unknown-commit --commit $sha >/dev/null 2>&1 ||
        fail "import into $f.db"
done
[ "$(sqlite3 "$d/v1.db" 'PRAGMA user_version')" = 4 ] || fail "v1.db not migrated"
[ "$(sqlite3 "$d/v2-extra-table.db" "SELECT count(*) FROM sqlite_master WHERE name='my_notes'")" = 1 ] ||
    fail "the user's table was lost"

[ $failures -eq 0 ] && echo "crafted databases: all refused untouched, valid ones read"
exit $((failures != 0))
