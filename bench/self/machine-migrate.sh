#!/usr/bin/env bash
# Migration v2 -> v3 at CI scale (docs/figures/machine.md): a v2 database in which every
# ephemeral CI runner was a machine of its own (v2 keyed machines by host name), MACHINES
# machine rows over 4 kinds of hardware, RUNS runs with a 1.3 KB context each; prints the
# wall time of the first writing command (`benchtrack import` of a one-benchmark file),
# which migrates it, next to the same import into the migrated file, and the machines left.
# usage: bench/self/machine-migrate.sh [BUILD_DIR] [MACHINES] [RUNS] [REPEATS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
machines=${2:-2000}
runs=${3:-10000}
repeats=${4:-5}
here=$(cd "$(dirname "$0")" && pwd)
bt=$build/benchtrack
[ -x "$bt" ] || { echo "missing $bt: build first" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/btk-machine-migrate-XXXXXX")
trap 'rm -rf "$work"' EXIT
# the v2 schema, from the v2 dump made by benchtrack before v3
python3 - "$here/../../tests/data/db/v2.sql" "$work/v2.db" "$machines" "$runs" <<'PY'
import random, sqlite3, sys
dump, path, machines, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ddl = [l for l in open(dump) if l.startswith(("CREATE", "PRAGMA user_version"))]
c = sqlite3.connect(path)
c.executescript("".join(ddl))
cpus = ["EPYC 7763", "Xeon 8370C", "Xeon 8272CL", "EPYC 9V74"]
c.executemany("INSERT INTO machines VALUES (?,?,?,?,?,?)",
              [(i + 1, "%032x" % random.getrandbits(128), "runner-%d" % i, "x86_64",
                cpus[i % 4], 4) for i in range(machines)])
ctx = '{"host":{"hostname":"runner"},"pad":"%s"}' % ("x" * 1300)
c.executemany("INSERT INTO runs (id, commit_sha, dirty, machine_id, format, stored_at,"
              " hypervisor, context_json) VALUES (?, NULL, 0, ?, 'benchtrack', 0, 1, ?)",
              [(i + 1, i % machines + 1, ctx) for i in range(runs)])
c.commit()
c.execute("PRAGMA journal_mode=WAL")
c.close()
PY
python3 "$here/../../tests/fixtures/compare/make_results.py" --benchmarks 1 --samples 3 \
    --processes 1 --out "$work/one.json"
# wall and CPU (user + system) seconds of one import into $1, as "wall cpu"
timed_import() {
    BENCHTRACK_DB=$1 /usr/bin/time -f '%e %U %S' -o "$work/time" "$bt" import "$work/one.json" \
        --commit 1111111111111111111111111111111111111111 --allow-unknown-commit 2>/dev/null
    awk '{ printf "%.0f ms (CPU %.0f ms)", $1 * 1000, ($2 + $3) * 1000 }' "$work/time"
}
printf '| machines | runs | migrating import | import into v3 | machines after | load |\n'
printf '|---|---|---|---|---|---|\n'
for r in $(seq "$repeats"); do
    cp "$work/v2.db" "$work/t.db"
    first=$(timed_import "$work/t.db")
    second=$(timed_import "$work/t.db")
    left=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(
        'SELECT count(*) FROM machines').fetchone()[0])" "$work/t.db")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$machines" "$runs" "$first" "$second" "$left" \
        "$(cut -d' ' -f1 /proc/loadavg)"
done
