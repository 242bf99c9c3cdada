"""SQLite durability settings per transaction (storage.db.session_scope)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

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
