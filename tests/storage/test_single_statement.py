"""`session_scope(single_statement=True)`: a lone statement as its own transaction (no BEGIN or
COMMIT), and the PostgreSQL inbox claim that marks done and claims in one statement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text

from storage.db import create_db_engine, is_sqlite, session_scope
from storage.inbox import ClaimedUpdate, claim_updates, enqueue_update, status_counts
from storage.models import InboundUpdate, InboxStatus

_NORMAL, _FULL = 1, 2  # what PRAGMA synchronous reports


def _enqueue(engine: Engine, update_id: int, chat_key: str) -> bool:
    with session_scope(engine, single_statement=True) as session:
        return enqueue_update(session, update_id=update_id, chat_key=chat_key,
                              payload={"update_id": update_id})


def _claim(engine: Engine, done: list[int], worker: str = "w1",
           limit: int = 10) -> list[ClaimedUpdate]:
    with session_scope(engine, replayable=True, single_statement=True) as session:
        return claim_updates(session, worker_id=worker, limit=limit, done=done)


def _statuses(engine: Engine) -> dict[int, tuple[str, bool]]:
    """update_id -> (status, payload kept)."""
    with session_scope(engine, read_only=True) as session:
        rows = session.execute(select(InboundUpdate.__table__)).all()  # type: ignore[attr-defined]
    return {row.update_id: (str(row.status), row.payload is not None) for row in rows}


def _statements(engine: Engine) -> list[str]:
    """The SQL statements run from now on. SQLite: as its driver runs them (some go to it
    directly, storage.db.run_fixed), without the transaction and pragma statements."""
    seen: list[str] = []

    if is_sqlite(engine):
        def _traced(statement: str) -> None:
            if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
                seen.append(statement)

        @event.listens_for(engine, "checkout")
        def _trace(dbapi_connection: Any, *args: object) -> None:
            dbapi_connection.set_trace_callback(_traced)

        return seen

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    return seen


def test_a_lone_insert_is_committed_by_itself_and_a_redelivery_is_refused(
        engine: Engine) -> None:
    assert _enqueue(engine, 1, "chat-a") is True
    assert _enqueue(engine, 1, "chat-a") is False
    assert _statuses(engine) == {1: (InboxStatus.pending, True)}


def test_the_statement_is_visible_to_others_before_the_scope_ends(engine: Engine) -> None:
    # Autocommit: committed when the statement ends, not at the scope's commit.
    with session_scope(engine, single_statement=True) as session:
        enqueue_update(session, update_id=7, chat_key="c", payload={"update_id": 7})
        assert _statuses(engine) == {7: (InboxStatus.pending, True)}


def test_ordinary_transactions_on_the_same_pooled_connection_still_roll_back(
        db_url: str) -> None:
    # One pooled connection, used in autocommit and then in a transaction: the isolation level
    # (PostgreSQL) or the skipped BEGIN (SQLite) must not stick to the connection.
    from storage.db import migrate

    engine = create_db_engine(db_url, pool_size=1, max_overflow=0)
    try:
        migrate(engine)
        for round_ in range(2):
            _enqueue(engine, 100 + round_, "c")
            with pytest.raises(RuntimeError), session_scope(engine) as session:
                enqueue_update(session, update_id=200 + round_, chat_key="c",
                               payload={"update_id": 200 + round_})
                raise RuntimeError("roll back")
        assert sorted(_statuses(engine)) == [100, 101]
    finally:
        engine.dispose()


def test_sqlite_sends_no_begin_and_keeps_the_synchronous_rule(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}", pool_size=1,
                              max_overflow=0)
    try:
        from storage.db import migrate

        migrate(engine)
        seen = []
        for replayable in (False, True, False):
            with session_scope(engine, single_statement=True, replayable=replayable) as session:
                driver = session.connection().connection.dbapi_connection
                assert driver is not None
                assert not driver.in_transaction  # no BEGIN IMMEDIATE was sent
                seen.append(session.execute(text("PRAGMA synchronous")).scalar_one())
        # The webhook's insert keeps FULL: durable when Telegram gets its 200.
        assert seen == [_FULL, _NORMAL, _FULL]
        with session_scope(engine) as session:
            driver = session.connection().connection.dbapi_connection
            assert driver is not None
            assert driver.in_transaction  # an ordinary scope still begins
    finally:
        engine.dispose()


def test_finished_updates_are_marked_done_and_the_chats_next_is_claimed_at_once(
        engine: Engine) -> None:
    for update_id, chat in [(1, "a"), (2, "a"), (3, "b"), (4, "a"), (5, "b")]:
        _enqueue(engine, update_id, chat)
    assert [u.update_id for u in _claim(engine, done=[])] == [1, 3]
    statements = _statements(engine)
    claimed = _claim(engine, done=[1, 3])
    assert [(u.update_id, u.attempts, u.payload) for u in claimed] == [
        (2, 1, {"update_id": 2}), (5, 1, {"update_id": 5})]
    # PostgreSQL: one statement, one round trip; SQLite: mark done, then claim.
    assert len(statements) == (2 if is_sqlite(engine) else 1)
    assert _statuses(engine) == {
        1: (InboxStatus.done, False), 2: (InboxStatus.processing, True),
        3: (InboxStatus.done, False), 4: (InboxStatus.pending, True),
        5: (InboxStatus.processing, True),
    }
    # Nothing new finished: 4 waits for 2.
    assert _claim(engine, done=[]) == []
    assert [u.update_id for u in _claim(engine, done=[2])] == [4]
    assert [u.update_id for u in _claim(engine, done=[4, 5])] == []
    with session_scope(engine, read_only=True) as session:
        assert status_counts(session) == {"done": 5}


def test_a_done_update_that_went_back_to_pending_is_marked_done_not_claimed_again(
        engine: Engine) -> None:
    # A claim handed back as stale (its worker seemed dead) whose worker then finished it.
    _enqueue(engine, 1, "a")
    _enqueue(engine, 2, "a")
    assert [u.update_id for u in _claim(engine, done=[])] == [1]
    with session_scope(engine) as session:
        session.execute(InboundUpdate.__table__.update()  # type: ignore[attr-defined]
                        .values(status=InboxStatus.pending, locked_by=None, locked_at=None))
    assert [u.update_id for u in _claim(engine, done=[1])] == [2]
    assert _statuses(engine) == {1: (InboxStatus.done, False),
                                 2: (InboxStatus.processing, True)}


def test_a_failed_claim_statement_marks_nothing_done_on_postgresql(engine: Engine) -> None:
    if is_sqlite(engine):
        pytest.skip("two statements on SQLite: the done marks are their own transaction")
    _enqueue(engine, 1, "a")
    _claim(engine, done=[])
    with pytest.raises(Exception, match=r"(?i)limit"):
        _claim(engine, done=[1], limit=-1)  # LIMIT must not be negative: the statement fails
    assert _statuses(engine) == {1: (InboxStatus.processing, True)}


def test_a_payload_that_cannot_be_opened_hands_the_autocommitted_claim_back(
        engine: Engine) -> None:
    from tests.storage.helpers import KEY

    _enqueue(engine, 1, "a")
    with session_scope(engine, single_statement=True) as session:
        enqueue_update(session, update_id=2, chat_key="b", payload={"update_id": 2},
                       seal_key=KEY)
    assert [u.update_id for u in _claim(engine, done=[], limit=1)] == [1]
    with pytest.raises(ValueError, match="sealed"):
        _claim(engine, done=[1])  # no seal_key: 2 cannot be opened
    # The done mark stays; the claim of 2 is undone as if it never happened.
    assert _statuses(engine) == {1: (InboxStatus.done, False), 2: (InboxStatus.pending, True)}
    with session_scope(engine, read_only=True) as session:
        row = session.get(InboundUpdate, 2)
        assert row is not None
        assert (row.attempts, row.locked_by, row.locked_at) == (0, None, None)
    with session_scope(engine, replayable=True, single_statement=True) as session:
        (claimed,) = claim_updates(session, worker_id="w1", seal_key=KEY)
    assert (claimed.update_id, claimed.attempts, claimed.payload) == (2, 1, {"update_id": 2})
