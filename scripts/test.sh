#!/usr/bin/env bash
# Sets everything up and runs the whole test suite, on SQLite and on a real PostgreSQL 15
# that this script starts itself (as the postgres user: initdb refuses root).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/screening -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
    echo "test: PostgreSQL 15 is missing; installing it" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null; }
fi
LURECHECK_TEST_POSTGRES_URL="$(scripts/postgres.sh start)"
export LURECHECK_TEST_POSTGRES_URL
export PTB_TIMEDELTA=1
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "test: no tests were collected" >&2
fi
exit "$status"
