"""`storage.db.step_scope`: a flow step's transaction on a bare connection, with an ORM session
made in the same transaction only when asked for (`StepTransaction.session`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

import storage.db
from storage.conversations import lock_conversation_with_prefs, save_conversation
from storage.db import (
    SqliteTransaction,
    create_db_engine,
    migrate,
    session_scope,
    statement_scope,
    step_scope,
)
from storage.models import ConversationRow, RateEvent, SafelistEntry
from storage.rate import allow_action
from storage.safelist import add_safelist, is_safelisted

USER = "u" * 64
WINDOW = timedelta(hours=1)
_NORMAL, _FULL = 1, 2  # what PRAGMA synchronous reports


def _counts(engine: Engine) -> tuple[int, int]:
    """(rate events, safelist entries) as stored."""
    with session_scope(engine, read_only=True) as session:
        events = session.execute(select(func.count()).select_from(RateEvent)).scalar_one()
        entries = session.execute(select(func.count()).select_from(SafelistEntry)).scalar_one()
    return int(events), int(entries)


def _allow(db: object) -> bool:
    return allow_action(db, user_key=USER, action="check", limit=5,  # type: ignore[arg-type]
                        window=WINDOW, now=datetime.now(UTC))


def test_a_step_without_the_orm_makes_no_session_and_commits(engine: Engine) -> None:
    with step_scope(engine, replayable=True) as step:
        assert _allow(step.core)
        assert not step.orm_in_use
    assert _counts(engine) == (1, 0)


def test_a_session_made_later_joins_the_transaction_and_is_flushed_before_core(
        engine: Engine) -> None:
    with step_scope(engine) as step:
        assert _allow(step.core)
        session = step.session
        assert isinstance(session, Session) and step.session is session
        add_safelist(session, type="phone", value="+6621301300", label="hotline", source="test")
        # From now on Core statements go through the session, which flushes what it holds first.
        assert step.core is session
        assert is_safelisted(step.core, type="phone", value="+6621301300")
        # Another connection does not see the step's rows before its commit (SQLite: a reader
        # reads the last commit; PostgreSQL: read committed).
        assert _counts(engine) == (0, 0)
    assert _counts(engine) == (1, 1)


def test_a_failed_step_rolls_back_both_its_core_and_its_orm_work(engine: Engine) -> None:
    with pytest.raises(RuntimeError), step_scope(engine) as step:
        assert _allow(step.core)
        add_safelist(step.session, type="phone", value="+6621301300", label="x", source="test")
        step.session.flush()
        raise RuntimeError("the step failed")
    assert _counts(engine) == (0, 0)
    # The connection went back to the pool clean: the next step works.
    with step_scope(engine) as step:
        assert _allow(step.core)
    assert _counts(engine) == (1, 0)


def test_the_lock_makes_a_session_only_for_a_person_without_a_row(engine: Engine) -> None:
    with step_scope(engine) as step:
        row, prefs = lock_conversation_with_prefs(step, user_key=USER)
        assert step.orm_in_use  # the insert of a new row took the ORM
        assert prefs is None and row.version == 0
    with step_scope(engine) as step:
        row, _prefs = lock_conversation_with_prefs(step, user_key=USER)
        row.state, row.version = "asked", row.version + 1
        save_conversation(step.core, row=row)
        assert not step.orm_in_use  # a known person's lock and save: no session
    with session_scope(engine, read_only=True) as session:
        stored = session.get(ConversationRow, USER)
        assert stored is not None and (stored.state, stored.version) == ("asked", 1)


@dataclass
class OneConnectionSqlite:
    """A SQLite engine with one pooled connection (a short busy timeout) and a plain sqlite3
    connection to the same file that can hold the write lock."""

    engine: Engine
    holder: sqlite3.Connection


@pytest.fixture
def one_connection_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                          ) -> Iterator[OneConnectionSqlite]:
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "db.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}", pool_size=1, max_overflow=0, pool_timeout=1)
    migrate(engine)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        yield OneConnectionSqlite(engine, holder)
    finally:
        holder.close()
        engine.dispose()


def test_on_sqlite_the_step_runs_on_the_driver_with_the_inbox_sync_rule(
        one_connection_sqlite: OneConnectionSqlite) -> None:
    """SQLite: begun and ended on the pooled driver connection itself; a replayable step commits
    with synchronous=NORMAL, any other with FULL; a locked database fails the BEGIN with
    SQLAlchemy's error and the connection goes back to the pool (one connection only here)."""
    engine, holder = one_connection_sqlite.engine, one_connection_sqlite.holder
    seen = []
    for replayable in (True, False, True):
        with step_scope(engine, replayable=replayable) as step:
            core = step.core
            assert isinstance(core, SqliteTransaction)
            assert core.driver.in_transaction
            seen.append(core.driver.execute("PRAGMA synchronous").fetchone()[0])
            assert _allow(core)
    assert seen == [_NORMAL, _FULL, _NORMAL]
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError, match="locked"), step_scope(engine) as step:
        pytest.fail("the step must not start while another holds the write lock")
    holder.execute("ROLLBACK")
    with step_scope(engine) as step:  # the one pooled connection was handed back
        assert _allow(step.core)
        add_safelist(step.session, type="phone", value="+6621301300", label="x", source="t")
    assert _counts(engine) == (4, 1)


def test_on_sqlite_a_lone_statement_runs_on_the_driver_as_its_own_durable_transaction(
        one_connection_sqlite: OneConnectionSqlite) -> None:
    """`statement_scope` (the webhook's store): no BEGIN, synchronous=FULL, committed at the
    statement's end; a locked database fails the statement with SQLAlchemy's error and the
    connection goes back to the pool."""
    engine, holder = one_connection_sqlite.engine, one_connection_sqlite.holder
    with step_scope(engine, replayable=True):  # leaves the pooled connection at NORMAL
        pass
    with statement_scope(engine) as db:
        assert isinstance(db, SqliteTransaction)
        assert db.driver.execute("PRAGMA synchronous").fetchone()[0] == _FULL
        assert _allow(db)
        assert not db.driver.in_transaction  # committed at the statement's end
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError, match="locked"), statement_scope(engine) as db:
        _allow(db)
    holder.execute("ROLLBACK")
    with statement_scope(engine) as db:
        assert _allow(db)
    assert _counts(engine) == (2, 0)


def test_a_session_whose_flush_fails_at_the_end_commits_nothing(engine: Engine) -> None:
    """The session's flush runs when the step ends; if it fails (here a duplicate primary key
    left unflushed), the step's Core work before it is rolled back too, never committed."""
    with session_scope(engine) as session:
        add_safelist(session, type="phone", value="+6621301300", label="x", source="test")
    with session_scope(engine, read_only=True) as session:
        entry_id = session.execute(select(SafelistEntry.id)).scalar_one()
    with pytest.raises(IntegrityError), step_scope(engine) as step:
        assert _allow(step.core)
        step.session.add(SafelistEntry(id=entry_id, type="phone", value="+855", label="y",
                                       source="test"))
    assert _counts(engine) == (0, 1)
