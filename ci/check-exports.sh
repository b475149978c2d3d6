#!/usr/bin/env bash
# The shared library exports exactly docs/api-exports.txt (the public API cannot grow by
# accident, after jansson), and every global symbol defined in the static archive starts with
# btk_; neither defines an allocation function (malloc & co. are interposed only by the
# separate counting allocator, docs/timer.md#memory-tracking, so the timed samples never run
# through an interposer). Neither library defines main: libbenchtrack_main.a (third argument) defines main and nothing else.
set -euo pipefail
so=$1 ar=$2 mainar=${3:-}
here=$(cd "$(dirname "$0")/.." && pwd)
expected="$here/docs/api-exports.txt"
actual=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRV]$/ {print $3}' | sort -u)
allowed_extra='^$' # nothing besides the API and btk_ symbols
status=0
if ! diff -u <(grep -v '^#' "$expected" | sed '/^$/d' | sort -u) \
        <(echo "$actual" | grep -vE "$allowed_extra"); then
    echo "check-exports: the shared library's exports differ from docs/api-exports.txt" >&2
    status=1
fi
bad=$(nm --defined-only "$ar" 2>/dev/null | awk '$2 ~ /^[TDBRVGS]$/ {print $3}' |
      grep -v '^btk_' | grep -vE "$allowed_extra" || true)
if [ -n "$bad" ]; then
    echo "check-exports: global symbols without the btk_ prefix in $ar:" >&2
    echo "$bad" >&2
    status=1
fi
if [ -n "$mainar" ]; then
    defs=$(nm --defined-only "$mainar" | awk '$2 ~ /^[TDBRVGS]$/ {print $3}' | sort -u)
    if [ "$defs" != "main" ]; then
        echo "check-exports: $mainar should define main only, defines: $defs" >&2
        status=1
    fi
fi
[ $status -eq 0 ] && echo "check-exports: ok"
exit $status
