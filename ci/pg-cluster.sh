#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (docs/ci.md).
#   ci/pg-cluster.sh start        initdb + start; prints two lines: the connection string
#                                 (postgresql://btk@127.0.0.1:PORT/btk) and the folder
#   ci/pg-cluster.sh stop DIR     immediate stop, then the folder is removed
#   ci/pg-cluster.sh halt DIR     immediate stop, the folder kept (a lost server, in tests)
#   ci/pg-cluster.sh resume DIR   start a halted cluster again on its port
# The cluster lives in a mktemp -d folder: initdb runs as the postgres user when we are root
# (PostgreSQL refuses to run as root), else as ourselves; user btk with trust
# authentication, listening on 127.0.0.1 on a free port and on a unix socket in the folder,
# fsync off (it holds nothing worth keeping). PGBIN overrides where the binaries are.
set -euo pipefail

pgbin() {
    if [ -n "${PGBIN:-}" ]; then echo "$PGBIN"; return; fi
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$d" ] || d=$(dirname "$(command -v pg_ctl)")
    echo "$d"
}
BIN=$(pgbin)
[ -x "$BIN/initdb" ] || { echo "pg-cluster: no PostgreSQL binaries (PGBIN='$BIN')" >&2; exit 2; }

as_owner() { # run as the cluster's owner, from / (the caller's folder may be one the
    # owner cannot enter, e.g. a build tree under a private mktemp folder: initdb and
    # pg_ctl then print "could not change directory", which a caller may read as output)
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server() { # DIR PORT
    as_owner "$BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 -o \
        "-c listen_addresses=127.0.0.1 -p $2 -k $1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
}

case "${1:-}" in
start)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/btk-pg.XXXXXX")
    chmod 755 "$dir" # the postgres user traverses it (and owns it, below)
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    as_owner "$BIN/initdb" -D "$dir/data" -U btk --auth=trust -E UTF8 --locale=C \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 3; }
    port=$(free_port)
    echo "$port" >"$dir/port"
    start_server "$dir" "$port" || { cat "$dir/server.log" >&2; rm -rf "$dir"; exit 3; }
    as_owner "$BIN/createdb" -h 127.0.0.1 -p "$port" -U btk btk
    echo "postgresql://btk@127.0.0.1:$port/btk"
    echo "$dir"
    ;;
stop | halt)
    dir=${2:?usage: pg-cluster.sh $1 DIR}
    [ -f "$dir/data/PG_VERSION" ] || { echo "pg-cluster: no cluster in '$dir'" >&2; exit 2; }
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    if [ "$1" = stop ]; then rm -rf "$dir"; fi
    ;;
resume)
    dir=${2:?usage: pg-cluster.sh resume DIR}
    start_server "$dir" "$(cat "$dir/port")"
    ;;
*)
    echo "usage: pg-cluster.sh start | stop DIR | halt DIR | resume DIR" >&2
    exit 2
    ;;
esac
