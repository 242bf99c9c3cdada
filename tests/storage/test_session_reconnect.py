"""A PostgreSQL connection that died in the pool is replaced by the next session_scope, with no
manual action and without a ping round trip on every checkout (storage.db)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

import storage.db
from storage.db import create_db_engine, session_scope
from tests.storage.conftest import postgres_base_url


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """One pooled connection, so every session_scope gets the same one back."""
    engine = create_db_engine(postgres_base_url(), pool_size=1, max_overflow=0)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def pings(pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the liveness round trips the pool makes."""
    made: list[int] = []
    dialect = pg_engine.dialect
    real_ping = type(dialect).do_ping

    def counting_ping(dbapi_connection: Any) -> bool:
        made.append(1)
        return real_ping(dialect, dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counting_ping)
    return made


def _backend_pid(engine: Engine) -> int:
    with session_scope(engine, replayable=True) as db:
        return int(db.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(pid: int) -> None:
    """Ends a backend from another connection, as a restart or an admin would, and waits until
    it is gone."""
    other = create_db_engine(postgres_base_url(), poolclass=storage.db.StaticPool)
    try:
        with other.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                                      {"pid": pid}).scalar_one()
            for _ in range(200):
                alive = connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": pid}).scalar_one()
                connection.rollback()
                if not alive:
                    break
                time.sleep(0.01)
            else:
                pytest.fail(f"backend {pid} did not end")
    finally:
        other.dispose()
    time.sleep(0.05)  # the FATAL message and the close reach our socket


def test_busy_connections_are_not_pinged(pg_engine: Engine, pings: list[int]) -> None:
    pid = _backend_pid(pg_engine)
    assert [_backend_pid(pg_engine) for _ in range(20)] == [pid] * 20
    assert pings == []


def test_a_terminated_backend_is_replaced_at_the_next_checkout(
        pg_engine: Engine, pings: list[int]) -> None:
    pid = _backend_pid(pg_engine)
    _terminate(pid)
    # No error reaches the caller: the dead connection is found before it is handed out.
    new_pid = _backend_pid(pg_engine)
    assert new_pid != pid
    assert pings == [1]
    assert _backend_pid(pg_engine) == new_pid
    assert pings == [1]


def test_a_connection_with_pending_input_that_is_alive_is_kept(
        pg_engine: Engine, pings: list[int]) -> None:
    with session_scope(pg_engine) as db:
        pid = int(db.execute(text("SELECT pg_backend_pid()")).scalar_one())
        db.execute(text("LISTEN lurecheck_test_channel"))
    other = create_db_engine(postgres_base_url())
    try:
        with other.begin() as connection:
            connection.execute(text("NOTIFY lurecheck_test_channel"))
    finally:
        other.dispose()
    time.sleep(0.05)
    # The notification made the socket readable: the connection is pinged, and kept.
    assert _backend_pid(pg_engine) == pid
    assert pings == [1]
    with session_scope(pg_engine) as db:
        db.execute(text("UNLISTEN *"))


def test_a_long_idle_connection_is_pinged(pg_engine: Engine, pings: list[int],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    pid = _backend_pid(pg_engine)
    monkeypatch.setattr(storage.db, "POSTGRES_PING_IDLE_SECONDS", 0.0)
    time.sleep(0.01)
    assert _backend_pid(pg_engine) == pid
    assert pings == [1]


def test_a_backend_dying_after_the_check_fails_once_then_the_pool_reconnects(
        pg_engine: Engine, pings: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    # The race the check cannot close: the backend ends between checkout and the first
    # statement. That statement fails (the callers retry it: webhook 503 → Telegram posts again,
    # the inbox worker claims again, a failed step goes back to the inbox); SQLAlchemy sees a
    # disconnect and invalidates the pool, so the very next session_scope works.
    pid = _backend_pid(pg_engine)
    _terminate(pid)
    monkeypatch.setattr(storage.db, "_has_input", lambda dbapi_connection: False)
    with pytest.raises(DBAPIError) as failure:
        _backend_pid(pg_engine)
    assert failure.value.connection_invalidated
    assert _backend_pid(pg_engine) != pid
    assert pings == []
