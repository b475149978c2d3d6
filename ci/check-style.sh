#!/usr/bin/env bash
# House-style checks that grep can make (docs/conventions.md): banned unsafe functions, and no
# system()/popen() anywhere (gnuplot and helpers are started with an argv via posix_spawn).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
# (a pathspec's * also matches /: harness/*.c covers harness/base/, compare/*.c every part)
files=$(git ls-files 'harness/*.c' 'harness/*.h' 'compare/*.c' 'compare/*.h' \
        'include/*.h' 2>/dev/null || true)
[ -n "$files" ] || files=$(find harness compare include -name '*.[ch]')
if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atof|atol|gets|system|popen)\(' $files \
    | grep -vE '\b(snprintf|vsnprintf)\('; then
    echo "check-style: banned function used (see docs/conventions.md)" >&2
    status=1
fi
exit $status
