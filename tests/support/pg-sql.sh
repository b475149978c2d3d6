#!/usr/bin/env bash
# Run one SQL command on a PostgreSQL location (tests): pg-sql.sh URL SQL
set -euo pipefail
psql -q -v ON_ERROR_STOP=1 "$1" -c "$2" >/dev/null
