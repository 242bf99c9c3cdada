#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the storage tests.
#   scripts/postgres.sh start   start it (idempotent), create role+db lurecheck_test, print the URL
#   scripts/postgres.sh url     print the SQLAlchemy URL
#   scripts/postgres.sh stop    stop it
# Uses Debian's cluster (pg_ctlcluster 15 main) when it exists; otherwise initdb's a private
# cluster in $LURECHECK_PG_DIR (default /tmp/lurecheck-pg) on a free port. initdb refuses to run as
# root, so the server always runs as the `postgres` user. LURECHECK_PG_PRIVATE=1 forces the
# private cluster even where Debian's exists.
# Usage in tests: export LURECHECK_TEST_POSTGRES_URL="$(scripts/postgres.sh start)"
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"
PRIVATE_DIR="${LURECHECK_PG_DIR:-/tmp/lurecheck-pg}"
ROLE=lurecheck_test
PASSWORD=lurecheck_test
DATABASE=lurecheck_test

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; fi
}

use_debian_cluster() {
    [ "${LURECHECK_PG_PRIVATE:-0}" != 1 ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d "/etc/postgresql/${PG_VERSION}/main" ]
}

port() {
    if use_debian_cluster; then
        pg_lsclusters --no-header | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" {print $3}'
    else
        cat "$PRIVATE_DIR/port"
    fi
}

url() {
    echo "postgresql+psycopg://${ROLE}:${PASSWORD}@127.0.0.1:$(port)/${DATABASE}"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server() {
    if use_debian_cluster; then
        if ! pg_lsclusters --no-header | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"' | grep -q online; then
            pg_ctlcluster "$PG_VERSION" main start >&2
        fi
        return
    fi
    if [ ! -f "$PRIVATE_DIR/data/PG_VERSION" ]; then
        mkdir -p "$PRIVATE_DIR"
        chown postgres: "$PRIVATE_DIR"
        free_port > "$PRIVATE_DIR/port"
        as_postgres "$PG_BIN/initdb" -D "$PRIVATE_DIR/data" -U postgres --auth-local=trust \
            --auth-host=scram-sha-256 >&2
    fi
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$PRIVATE_DIR/data" status >/dev/null 2>&1; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PRIVATE_DIR/data" -l "$PRIVATE_DIR/server.log" -w \
            -o "-p $(port) -k $PRIVATE_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
    fi
}

psql_admin() {
    if use_debian_cluster; then
        as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$(port)" -d postgres "$@"
    else
        as_postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PRIVATE_DIR" -p "$(port)" -d postgres "$@"
    fi
}

create_test_database() {
    for _ in $(seq 1 30); do
        psql_admin -c 'select 1' >/dev/null 2>&1 && break
        sleep 0.5
    done
    psql_admin -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ROLE}') THEN
            CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}';
        END IF; END \$\$;" >&2
    if [ -z "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'")" ]; then
        psql_admin -c "CREATE DATABASE ${DATABASE} OWNER ${ROLE}" >&2
    fi
}

case "${1:-}" in
    start) start_server; create_test_database; url ;;
    url) url ;;
    stop)
        if use_debian_cluster; then
            pg_ctlcluster "$PG_VERSION" main stop >&2 || true
        elif [ -d "$PRIVATE_DIR/data" ]; then
            as_postgres "$PG_BIN/pg_ctl" -D "$PRIVATE_DIR/data" -m fast stop >&2 || true
        fi
        ;;
    *) echo "usage: $0 start|url|stop" >&2; exit 2 ;;
esac
