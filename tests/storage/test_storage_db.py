"""SQLite durability settings per transaction (storage.db.session_scope)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

import storage.db
from storage.db import create_db_engine, session_scope

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
