#!/usr/bin/env bash
# Create a new, empty database in the cluster of URL (postgresql://user@host:port/db, as
# ci/pg-cluster.sh prints it) and print its URL: pg-newdb.sh URL PREFIX. The name is
# PREFIX_<pid>_<random>, so parallel tests never share one.
set -euo pipefail
url=$1 prefix=$2
name="${prefix}_$$_${RANDOM}${RANDOM}"
psql -q -v ON_ERROR_STOP=1 "$url" -c "CREATE DATABASE $name" >/dev/null
echo "${url%/*}/$name"
