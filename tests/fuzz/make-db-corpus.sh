#!/usr/bin/env bash
# Write crafted results databases into OUTDIR: what `benchtrack` must refuse untouched (a
# negative or newer user_version, another program's tables, benchtrack's tables with other
# columns, a missing index, a trigger, a truncated file, garbage after a valid header, a
# text file) and what it must read (the v1 fixture, a current v2 database, the same in WAL
# mode, a v2 database with an extra table of the user's, an empty file). Pages are 512
# bytes to keep the files small. They seed the store fuzzer (tests/fuzz/corpus/store/) and are what the
# end-to-end test tests/fuzz/crafted-db-cli.sh runs `benchtrack log`/`import` on.
# usage: make-db-corpus.sh OUTDIR
set -euo pipefail
out=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
cd "$out"
rm -f -- *.db

# mk NAME SQL: a fresh 512-byte-page database from SQL.
mk() { (echo "PRAGMA page_size=512;"; echo "$2") | sqlite3 "$1"; }

mk v1.db "$(cat "$src/tests/data/db/v1.sql")"
# v2: the v1 fixture with the v1 -> v2 migration of compare/store/store.c applied.
mk v2.db "$(cat "$src/tests/data/db/v1.sql")
CREATE INDEX results_history ON results(benchmark_id, run_id, status, min, max, mean, median, stddev, mad, p50, p90, p95, p99, p999, ci_low, ci_high, samples, iterations, outliers_low, outliers_high, cycles_median, mem_tracked, allocs_per_iter, frees_per_iter, alloc_bytes_per_iter, peak_rss_bytes, minor_faults, major_faults);
DROP INDEX results_by_benchmark;
CREATE INDEX runs_lookup ON runs(id, machine_id, commit_sha);
PRAGMA user_version=2;"
cp v2.db v2-extra-table.db
sqlite3 v2-extra-table.db "CREATE TABLE my_notes(run_id INTEGER, note TEXT)"
: > empty.db
cp v2.db v2-wal.db
sqlite3 v2-wal.db "PRAGMA journal_mode=WAL" >/dev/null

mk version-neg100.db "CREATE TABLE t(x); PRAGMA user_version=-100;"
mk version-neg2.db "CREATE TABLE t(x); PRAGMA user_version=-2;"
mk version-newer.db "CREATE TABLE future(x); PRAGMA user_version=99;"
mk foreign.db "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace');"
mk foreign-version1.db "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);
PRAGMA user_version=1;"
cp v2.db wrong-columns.db
sqlite3 wrong-columns.db "ALTER TABLE runs RENAME COLUMN branch TO brunch"
cp v2.db missing-index.db
sqlite3 missing-index.db "DROP INDEX runs_lookup"
cp v2.db trigger.db
sqlite3 trigger.db "CREATE TRIGGER wipe AFTER INSERT ON runs BEGIN DELETE FROM runs; END"
head -c 3000 v2.db > truncated.db
{ head -c 100 v2.db; head -c 4000 /dev/zero | tr '\0' '\245'; } > garbage.db
printf 'this is a text file, not a database\n' > text.db
