#!/usr/bin/env bash
# Sets everything up and runs the whole test suite, on SQLite and on a real PostgreSQL 15
# that this script starts itself (as the postgres user: initdb refuses root).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/screening -x
# The tests run in one pytest-xdist worker per core (LURECHECK_TEST_WORKERS: another number; 0
# runs them in this process): most of the suite's time is spent waiting on bots, worker
# processes and PostgreSQL, so two workers on CI's two cores take about two thirds of the time
# of one (tests/e2e 131 -> 84 s, the other parts 262 -> 168 s, measured alternately). Every test
# already has its own databases (a SQLite file, a PostgreSQL schema of its own), so workers
# never share one. worksteal: an idle worker takes tests queued for a busy one, so the
# long fault and end-to-end tests do not leave one worker waiting for the other at the end.
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
.venv/bin/python -m pytest -n "${LURECHECK_TEST_WORKERS:-auto}" --dist worksteal "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "test: no tests were collected" >&2
fi
exit "$status"
