"""On SQLite a process's writers take turns on a lock of their own before asking SQLite for its
write lock (`storage.db._take_turn`): a thread that finds another writing waits for it and is
woken when it is done, instead of polling in SQLite's busy handler, which sleeps 1, 2, 5, 10 …
ms between tries (most of a step's wall time under load; bench/RESULTS.md, issue 21).

With SQLite's busy timeout at zero, a second writer that reached SQLite while the first held
its lock would fail at once ("database is locked"): these tests pass only if the second one
waited for its turn before SQLite saw it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

import storage.db
from storage.db import (
    connection_scope,
    create_db_engine,
    migrate,
    statement_scope,
    statements_scope,
    step_scope,
)
from storage.inbox import enqueue_update


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'writers.sqlite3'}")
    migrate(engine)
    engine.dispose()  # the pool's connections are made again with the busy timeout below
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 0)
    engine = create_db_engine(f"sqlite:///{tmp_path / 'writers.sqlite3'}")
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _step(engine: Engine) -> Iterator[Any]:
    with step_scope(engine, replayable=True) as step:
        yield step.core


def _claim_like(engine: Engine) -> AbstractContextManager[Any]:
    return connection_scope(engine, replayable=True, single_statement=True)


def _store(engine: Engine) -> AbstractContextManager[Any]:
    return statement_scope(engine)


def _batch(engine: Engine) -> AbstractContextManager[Any]:
    return statements_scope(engine, 2)


def _write(db: Any, update_id: int) -> None:
    enqueue_update(db, update_id=update_id, chat_key=f"chat-{update_id}",
                   payload={"update_id": update_id})


SCOPES: dict[str, Callable[[Engine], AbstractContextManager[Any]]] = {
    "step": _step, "claim": _claim_like, "store": _store, "batch": _batch}


@pytest.mark.parametrize("second", sorted(SCOPES))
@pytest.mark.parametrize("first", sorted(SCOPES))
def test_a_second_writer_waits_for_the_first_instead_of_meeting_sqlites_lock(
        engine: Engine, first: str, second: str) -> None:
    inside = threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with SCOPES[first](engine) as db:
                _write(db, 1)  # the write lock is SQLite's from here to the scope's end
                inside.set()
                time.sleep(0.2)
        except BaseException as error:  # reported below
            errors.append(error)
            inside.set()

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(5)
    started = time.monotonic()
    with SCOPES[second](engine) as db:  # busy timeout 0: fails here unless it waited its turn
        _write(db, 2)
    waited = time.monotonic() - started
    holder.join(5)
    assert not errors
    assert waited > 0.1  # it did wait for the first writer's end
    with engine.connect() as connection:
        ids = connection.execute(text("SELECT update_id FROM inbound_update ORDER BY 1")).scalars()
        assert list(ids) == [1, 2]


def test_a_writer_waits_at_most_sqlites_busy_timeout_then_fails_as_a_locked_database(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage.db, "SQLITE_TURN_TIMEOUT_SECONDS", 0.1)
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with step_scope(engine) as step:
            _write(step.core, 1)
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(5)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"), step_scope(engine):
            pass
        assert 0.09 < time.monotonic() - started < 2
    finally:
        release.set()
        holder.join(5)
    with step_scope(engine) as step:  # the turn is free again after the failure
        _write(step.core, 2)


def test_a_writer_nested_in_the_same_thread_keeps_its_turn(engine: Engine) -> None:
    """The turn is reentrant: a scope opened inside another in the same thread is not blocked
    by its own thread (SQLite, not this lock, decides what it may do there, as before)."""
    done = threading.Event()

    def nested() -> None:
        with step_scope(engine) as step:
            _write(step.core, 1)
            # SQLite's own lock, held by the outer scope, refuses it (busy timeout 0).
            with pytest.raises(OperationalError, match="database is locked"), \
                    statement_scope(engine) as db:
                _write(db, 2)
        done.set()

    thread = threading.Thread(target=nested)
    thread.start()
    thread.join(5)
    assert done.is_set()


def test_postgresql_engines_have_no_turns() -> None:
    engine = create_db_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        assert storage.db._writer_of(engine) is None
        assert storage.db._writer_of(create_db_engine("sqlite://")) is not None
    finally:
        engine.dispose()


def test_a_failed_step_hands_its_turn_on(engine: Engine) -> None:
    with pytest.raises(RuntimeError), step_scope(engine) as step:
        _write(step.core, 1)
        raise RuntimeError("the step failed")
    result: list[bool] = []
    thread = threading.Thread(target=lambda: result.append(_one_step(engine)))
    thread.start()
    thread.join(5)
    assert result == [True]


def _one_step(engine: Engine) -> bool:
    with step_scope(engine) as step:
        _write(step.core, 3)
    return True
