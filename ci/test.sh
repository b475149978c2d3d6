#!/usr/bin/env bash
# The whole test suite: install what is needed, build with warnings as errors, run every
# cmocka test through ctest; then again under AddressSanitizer+UndefinedBehaviorSanitizer,
# and the unit tests under valgrind; then each libFuzzer target for 45 s (ci/fuzz.sh). The
# store tests run against SQLite and against a throwaway PostgreSQL cluster (ci/pg-cluster.sh).
# BTK_TEST_STAGES picks stages (default: "main asan valgrind fuzz").
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium too: the report test opens the generated site in headless Chromium.
BTK_SETUP_BROWSER=1 bash ci/setup.sh
bash ci/check-style.sh
python3 ci/check-deps.py

stages=${BTK_TEST_STAGES:-main asan valgrind fuzz}
jobs=$(nproc)

# A throwaway PostgreSQL cluster for the store tests of every stage (their PostgreSQL half
# runs only when BTK_TEST_PG is set); stopped and removed on exit, also when a test fails.
# BTK_TEST_PG_DIR lets the reliability tests stop and restart it.
pg_dir=""
stop_pg() { if [ -n "$pg_dir" ]; then bash ci/pg-cluster.sh stop "$pg_dir" || true; fi; }
trap stop_pg EXIT
{ read -r BTK_TEST_PG; read -r pg_dir; } < <(bash ci/pg-cluster.sh start)
[ -n "$pg_dir" ] || { echo "test: the PostgreSQL cluster did not start" >&2; exit 3; }
export BTK_TEST_PG BTK_TEST_PG_DIR=$pg_dir
echo "test: PostgreSQL store tests on $BTK_TEST_PG ($pg_dir)"

for stage in $stages; do
    echo "=== test stage: $stage"
    case $stage in
    main)
        cmake -S . -B build -DBTK_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
        cmake --build build -j"$jobs"
        (cd build && ctest --output-on-failure)
        # The Debian package installs, runs and removes cleanly (needs root: CI is).
        if [ "$(id -u)" -eq 0 ]; then bash ci/check-package.sh build-pkg; fi
        ;;
    asan)
        cmake -S . -B build-asan -DBTK_WERROR=ON -DBTK_SANITIZE=ON \
              -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
        cmake --build build-asan -j"$jobs"
        (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            ctest --output-on-failure -LE no-sanitize)
        ;;
    valgrind)
        # valgrind over the unit tests (the end-to-end tests drive many processes and are
        # covered by the sanitizer stage).
        (cd build && BTK_QUICK=1 ctest --output-on-failure -R '^unit\.' -LE no-valgrind \
            -T memcheck --overwrite MemoryCheckCommandOptions="--leak-check=full \
            --error-exitcode=99 --trace-children=no --errors-for-leak-kinds=definite" \
            ) | tee build/valgrind.log
        if grep -q 'Defects:' build/valgrind.log; then
            echo "valgrind found defects:"; grep -A20 'Defects:' build/valgrind.log
            exit 1
        fi
        ;;
    fuzz)
        # clang + libFuzzer, ASan+UBSan; fails on a crash (BTK_FUZZ_SECONDS per target)
        bash ci/fuzz.sh
        ;;
    *) echo "unknown stage '$stage'" >&2; exit 2 ;;
    esac
done
