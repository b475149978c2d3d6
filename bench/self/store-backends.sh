#!/usr/bin/env bash
# The store's figures side by side for SQLite and PostgreSQL (docs/figures/store-backends.md):
#   bench/self/store-backends.sh [BUILD_DIR]   (default: build)
# 1. store a run of 1,000 benchmarks x 100 samples (5 runs, median);
# 2. history of one benchmark over 10,000 commits with 500 benchmarks per run (5,000,000
#    results; the store is filled with bulk SQL, the same rows as benchtrack writes minus the
#    samples, which a history query never reads), 21 queries with a fresh open each;
# 3. benchtrack compare of two commits with 500 benchmarks x 10 processes x 50 samples
#    (tests/fixtures/compare/make_results.py), 5 times;
# 4. benchtrack push of 1,000 runs (20 benchmarks x 20 samples each): SQLite -> PostgreSQL,
#    PostgreSQL -> SQLite, and again (nothing new).
# PostgreSQL: the cluster at $BTK_TEST_PG, or a throwaway one (ci/pg-cluster.sh) started and
# stopped here. BTK_QUICK=1 uses 1,000 commits for the history. PARTS (default "store
# history compare push") and BACKENDS (default "sqlite postgresql") pick what is measured.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
cmake --build "$build" --target benchtrack store_backends -j2 >/dev/null
bt=$build/benchtrack sb=$build/bench/store_backends
n=10000
[ "${BTK_QUICK:-}" = 1 ] && n=1000
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-store-backends-XXXXXX")
pg_dir=""
cleanup() {
    [ -n "$pg_dir" ] && bash "$here/ci/pg-cluster.sh" stop "$pg_dir"
    rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${BTK_TEST_PG:-}" ]; then
    { read -r BTK_TEST_PG; read -r pg_dir; } < <(bash "$here/ci/pg-cluster.sh" start)
fi
newdb() { bash "$here/tests/support/pg-newdb.sh" "$BTK_TEST_PG" "$1"; }
parts=" ${PARTS:-store history compare push} " backends=" ${BACKENDS:-sqlite postgresql} "
want() { [[ $parts == *" $1 "* ]]; }
on() { [[ $backends == *" $1 "* ]]; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

echo "store backends ($(uname -n), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "sqlite $(sqlite3 --version | cut -d' ' -f1), $(psql --version | cut -d' ' -f2-))"

if want store; then
    echo "== 1. store"
    if on sqlite; then echo -n "sqlite:     "; "$sb" store "$work/store.db"; fi
    if on postgresql; then echo -n "postgresql: "; "$sb" store "$(newdb sb_store)"; fi
fi

# The history series: one tiny import creates the schema (and the machine) through
# benchtrack; bulk SQL then adds n commits, n runs of 500 benchmarks, 500 x n results.
cols="min, max, mean, median, stddev, mad, p50, p90, p95, p99, p999, ci_low, ci_high"
vals="m * 0.99, m * 1.02, m, m, 0.5, 0.3, m, m * 1.01, m * 1.01, m * 1.02, m * 1.02, m * 0.995, m * 1.005"
python3 "$here/tests/fixtures/compare/make_results.py" --seed 1 --benchmarks 1 --out "$work/one.json"
history_fill() { # LOCATION DIALECT
    "$bt" import "$work/one.json" --db "$1" --commit 0000000000000000000000000000000000000000 \
        --allow-unknown-commit >/dev/null 2>&1
    if [ "$2" = sqlite ]; then
        sqlite3 "$1" <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 499)
INSERT INTO benchmarks (name, family, has_param) SELECT printf('family_%d/%d', i / 10, i),
    printf('family_%d', i / 10), 0 FROM k;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
INSERT INTO commits (sha, known) SELECT printf('%040x', i), 0 FROM k;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
INSERT INTO runs (commit_sha, dirty, machine_id, format, stored_at, hypervisor, context_json,
    options_json, uid)
SELECT printf('%040x', i), 0, 1, 'benchtrack', i, 0, replace(hex(zeroblob(650)), '0', 'c'),
    replace(hex(zeroblob(100)), '0', 'o'), printf('%032x', i) FROM k;
INSERT INTO results (run_id, benchmark_id, seq, status, $cols, samples, iterations,
    outliers_low, outliers_high, mem_tracked)
SELECT r.id, b.id, b.id, 0, $vals, 100, 100000, 0, 0, 0
FROM runs r CROSS JOIN (SELECT id, 100.0 + id % 97 AS m FROM benchmarks
    WHERE name LIKE 'family%') b WHERE r.uid NOT NULL AND length(r.uid) = 32 AND r.stored_at <= $n;
COMMIT;
ANALYZE;
SQL
    else
        psql -q -v ON_ERROR_STOP=1 "$1" <<SQL
SET synchronous_commit = off;
INSERT INTO benchmarks (name, family, has_param) SELECT format('family_%s/%s', i / 10, i),
    format('family_%s', i / 10), 0 FROM generate_series(0, 499) i;
INSERT INTO commits (sha, known) SELECT lpad(to_hex(i), 40, '0'), 0 FROM generate_series(1, $n) i;
INSERT INTO runs (commit_sha, dirty, machine_id, format, stored_at, hypervisor, context_json,
    options_json, uid)
SELECT lpad(to_hex(i), 40, '0'), 0, 1, 'benchtrack', i, 0, repeat('c', 1300), repeat('o', 200),
    lpad(to_hex(i), 32, '0') FROM generate_series(1, $n) i;
INSERT INTO results (run_id, benchmark_id, seq, status, $cols, samples, iterations,
    outliers_low, outliers_high, mem_tracked)
SELECT r.id, b.id, b.id, 0, $vals, 100, 100000, 0, 0, 0
FROM runs r CROSS JOIN (SELECT id, 100.0 + id % 97 AS m FROM benchmarks
    WHERE name LIKE 'family%') b WHERE r.stored_at <= $n;
VACUUM ANALYZE;
SQL
    fi
}
if want history; then
    echo "== 2. history over $n commits, 500 benchmarks per run"
    if on sqlite; then
        t0=$(date +%s%N); history_fill "$work/history.db" sqlite >/dev/null
        echo "sqlite:     (filled in $(ms "$t0") ms, $(du -m "$work/history.db" | cut -f1) MB)"
        echo -n "sqlite:     "; "$sb" history "$work/history.db" "$n"
    fi
    if on postgresql; then
        pg=$(newdb sb_history)
        t0=$(date +%s%N); history_fill "$pg" pg
        echo "postgresql: (filled in $(ms "$t0") ms, $(psql -Atc "SELECT pg_database_size(current_database()) / 1048576" "$pg") MB)"
        echo -n "postgresql: "; "$sb" history "$pg" "$n"
    fi
fi

want compare && echo "== 3. compare of two commits, 500 benchmarks x 10 processes x 50 samples a side"
want compare && (
    cd "$work" && git init -q -b main repo && cd repo
    git -c user.name=b -c user.email=b@e commit -q --allow-empty -m base
    git -c user.name=b -c user.email=b@e commit -q --allow-empty -m head
    gen="python3 $here/tests/fixtures/compare/make_results.py --benchmarks 500 --processes 10"
    $gen --samples 50 --seed 1 --out "$work/base.json"
    $gen --samples 50 --seed 2 --slow bench7:1.5 --out "$work/head.json"
    locs=()
    on sqlite && locs+=("$work/c.db")
    on postgresql && locs+=("$(newdb sb_compare)")
    for loc in "${locs[@]}"; do
        "$bt" import "$work/base.json" --commit HEAD~1 --db "$loc" 2>/dev/null
        "$bt" import "$work/head.json" --db "$loc" 2>/dev/null
        times=()
        for _ in 1 2 3 4 5; do
            t0=$(date +%s%N); rc=0
            "$bt" compare HEAD~1 HEAD --db "$loc" --format json --out "$work/r.json" || rc=$?
            times+=("$(ms "$t0")")
            [ "$rc" = 1 ] || { echo "compare exited $rc, expected 1" >&2; exit 3; }
        done
        sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
        name=sqlite; case $loc in postgres*) name=postgresql ;; esac
        printf '%-11s wall ms over 5 (sorted): %s-> median %s ms\n' "$name:" "$sorted" \
            "$(echo "$sorted" | cut -d' ' -f3)"
    done
)

want push || exit 0
echo "== 4. push of 1,000 runs (20 benchmarks x 20 samples each)"
"$sb" fill "$work/push.db" 1000 20
pg=$(newdb sb_push)
t0=$(date +%s%N); "$bt" push "$work/push.db" "$pg" >/dev/null
echo "sqlite -> postgresql:          $(ms "$t0") ms"
t0=$(date +%s%N); "$bt" push "$pg" "$work/back.db" >/dev/null
echo "postgresql -> sqlite:          $(ms "$t0") ms"
t0=$(date +%s%N); "$bt" push "$work/push.db" "$work/copy.db" >/dev/null
echo "sqlite -> sqlite:              $(ms "$t0") ms"
t0=$(date +%s%N); out=$("$bt" push "$work/push.db" "$pg")
echo "sqlite -> postgresql again:    $(ms "$t0") ms ($out)"
