"""SQLite durability settings per transaction (storage.db.session_scope), and statements run
on SQLite's driver (storage.db.run_fixed)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

import storage.db
from storage.db import connection_scope, create_db_engine, migrate, run_fixed, session_scope
from storage.models import InboxStatus

_NORMAL, _FULL = 1, 2  # what PRAGMA synchronous reports


def test_only_replayable_transactions_commit_without_their_own_sync(tmp_path: Path) -> None:
    # One pooled connection, so the setting must be switched back and forth on the same one.
    engine = create_db_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}", pool_size=1,
                              max_overflow=0)
    try:
        seen = []
        for replayable in (False, True, True, False, True):
            with session_scope(engine, replayable=replayable) as session:
                seen.append(session.execute(text("PRAGMA synchronous")).scalar_one())
        with session_scope(engine, read_only=True) as session:
            seen.append(session.execute(text("PRAGMA synchronous")).scalar_one())
        assert seen == [_FULL, _NORMAL, _NORMAL, _FULL, _NORMAL, _FULL]
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        engine.dispose()


def test_a_locked_database_fails_the_begin_with_sqlalchemys_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # BEGIN IMMEDIATE goes straight to the driver (storage.db._begin_sqlite); its failure must
    # still look like any other database error to the callers.
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "db.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        with session_scope(engine) as session:
            session.execute(text("CREATE TABLE t (x INTEGER)"))
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="locked"), session_scope(engine) as session:
            session.execute(text("INSERT INTO t VALUES (1)"))
        holder.execute("ROLLBACK")
        with session_scope(engine) as session:
            session.execute(text("INSERT INTO t VALUES (2)"))
        with session_scope(engine, read_only=True) as session:
            assert session.execute(text("SELECT x FROM t")).scalars().all() == [2]
    finally:
        holder.close()
        engine.dispose()


def _migrated_sqlite(path: Path) -> Engine:
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    return engine


def _raw_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(
            "SELECT * FROM inbound_update ORDER BY update_id").all())


def test_a_statement_on_sqlites_driver_stores_what_sqlalchemy_stores(tmp_path: Path) -> None:
    # storage.db.run_fixed: the same SQL and the same parameter processing (JSON, enum
    # values, UTC datetimes stored naive, the statement's literals) as Connection.execute.
    from storage import inbox

    when = datetime(2026, 12, 7, 3, 4, 5, 123456, tzinfo=UTC)
    through_sqlalchemy = _migrated_sqlite(tmp_path / "a.sqlite3")
    on_the_driver = _migrated_sqlite(tmp_path / "b.sqlite3")
    leased = {"chat_key": "c1", "payload": {"sealed": "x", "ünï": [1, None]},
              "received_at": when, "worker_id": "w1", "update_ids": "[]"}
    plain = {"update_id": 3, "chat_key": "c2", "payload": {"a": 1}, "status": InboxStatus.pending,
             "attempts": 0, "received_at": when, "locked_by": None, "locked_at": None,
             "last_error": None}
    try:
        with connection_scope(through_sqlalchemy) as connection:
            for update_id in (1, 2):  # the second is blocked by the first: pending
                connection.execute(inbox._enqueue_leased_statement_for("sqlite"),
                                   {**leased, "update_id": update_id})
            connection.execute(inbox._enqueue_statement_for("sqlite"), plain)
            connection.execute(inbox._mark_done_statement_for("sqlite"), {"update_ids": "[1]"})
        with connection_scope(on_the_driver) as connection:
            statuses = [run_fixed(connection, inbox._ENQUEUE_LEASED,
                                      {**leased, "update_id": update_id}) for update_id in (1, 2)]
            assert statuses == [[("processing",)], [("pending",)]]
            assert run_fixed(connection, inbox._ENQUEUE, plain) == [(3,)]
            assert run_fixed(connection, inbox._ENQUEUE, plain) == []  # a re-delivery
            run_fixed(connection, inbox._MARK_DONE, {"update_ids": "[1]"})
        rows = _raw_rows(on_the_driver)
        assert [row[0] for row in rows] == [1, 2, 3]
        assert rows == _raw_rows(through_sqlalchemy)
    finally:
        through_sqlalchemy.dispose()
        on_the_driver.dispose()


def test_a_statement_on_sqlites_driver_fails_with_sqlalchemys_error(tmp_path: Path) -> None:
    from storage import inbox

    engine = _migrated_sqlite(tmp_path / "db.sqlite3")
    try:
        with pytest.raises(IntegrityError), connection_scope(engine) as connection:
            run_fixed(connection, inbox._ENQUEUE, {
                "update_id": 1, "chat_key": None, "payload": {}, "status": InboxStatus.pending,
                "attempts": 0, "received_at": datetime.now(UTC), "locked_by": None,
                "locked_at": None, "last_error": None})
        assert _raw_rows(engine) == []
    finally:
        engine.dispose()
