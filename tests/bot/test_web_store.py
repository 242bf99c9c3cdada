"""bot.web.InboxStore: the webhook's group commit. Updates posted while a store is in progress
are stored together in one transaction, each answered only once it is committed; a failed batch
is stored again one update at a time, so only an update that cannot be stored fails; duplicates
and a chat's order inside a batch behave as when stored one by one. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

import bot.web
from bot.config import Settings
from bot.web import InboxStore
from storage.db import Database, create_db_engine, session_scope
from storage.models import InboundUpdate, InboxStatus
from storage.testing import migrated_schema, migrated_sqlite_file
from tests.storage.conftest import postgres_base_url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        migrated_sqlite_file(tmp_path / "store.sqlite3")
        url_scope: Any = _just(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    else:
        url_scope = migrated_schema(postgres_base_url(), prefix="store")
    with url_scope as url:
        engine = create_db_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def _just(url: str) -> Iterator[str]:
    yield url


@pytest.fixture
def store(engine: Engine, tmp_path: Path) -> InboxStore:
    settings = Settings(telegram_bot_token=None, database_url="sqlite://", secret_key=b"k" * 32,
                        data_dir=tmp_path)
    return InboxStore(engine, settings, "worker-1")


class Gate:
    """Holds each batch's transaction open after its inserts, before its commit (a lone
    statement has committed by then: it is its own transaction), until let go; records the
    size of each batch."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sizes: list[int] = []
        self.holding = threading.Event()
        self._permits = threading.Semaphore(0)
        real = bot.web.statements_scope

        @contextmanager
        def held(engine: Engine, count: int) -> Iterator[Database]:
            with real(engine, count) as db:
                yield db
                self.sizes.append(count)
                self.holding.set()
                assert self._permits.acquire(timeout=10)

        monkeypatch.setattr(bot.web, "statements_scope", held)

    async def wait_holding(self) -> None:
        for _ in range(500):
            if self.holding.is_set():
                self.holding.clear()
                return
            await asyncio.sleep(0.01)
        raise AssertionError("no batch reached its commit")

    def let_go(self, batches: int = 1) -> None:
        self._permits.release(batches)


def _rows(engine: Engine) -> dict[int, tuple[str, str | None]]:
    """update_id -> (status, claimed by)."""
    table = InboundUpdate.__table__  # type: ignore[attr-defined]
    with session_scope(engine, read_only=True) as session:
        found = session.execute(select(table.c.update_id, table.c.status, table.c.locked_by))
        return {row.update_id: (str(row.status), row.locked_by) for row in found}


def _store(store: InboxStore, update_id: int, chat_key: str, *,
           lease: bool = False) -> asyncio.Task[bool]:
    return asyncio.create_task(store.store(update_id, chat_key, {"update_id": update_id},
                                           finished=[] if lease else None))


async def test_updates_posted_during_a_store_are_committed_together_and_answered_after(
        store: InboxStore, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch)
    first = _store(store, 1, "a", lease=True)
    await gate.wait_holding()
    others = [_store(store, update_id, f"chat-{update_id}") for update_id in (2, 3, 4)]
    await asyncio.sleep(0.1)
    assert not first.done() and not any(task.done() for task in others)
    gate.let_go()
    assert await first is True  # leased to the worker: its chat had nothing else
    # The three that came meanwhile: one transaction, inserted but not committed yet, so not
    # answered (no 200) and not visible to another connection.
    await gate.wait_holding()
    await asyncio.sleep(0.1)
    assert not any(task.done() for task in others)
    assert set(_rows(engine)) == {1}
    gate.let_go()
    assert await asyncio.gather(*others) == [False, False, False]
    assert gate.sizes == [1, 3]
    assert _rows(engine) == {1: (InboxStatus.processing, "worker-1"),
                             2: (InboxStatus.pending, None), 3: (InboxStatus.pending, None),
                             4: (InboxStatus.pending, None)}
    await store.stop()


async def test_a_failed_batch_is_stored_again_one_by_one_so_only_the_bad_update_fails(
        store: InboxStore, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch)
    real_insert = InboxStore._insert

    def insert(self: InboxStore, db: Database, request: bot.web.StoreRequest) -> bool:
        if request.update_id == 3:
            raise RuntimeError("this update cannot be stored")
        return real_insert(self, db, request)

    monkeypatch.setattr(InboxStore, "_insert", insert)
    first = _store(store, 1, "a")
    await gate.wait_holding()
    batch = [_store(store, update_id, f"chat-{update_id}") for update_id in (2, 3, 4)]
    await asyncio.sleep(0.1)
    # The first store, the batch of three (it fails before its commit), then 2 and 4 alone
    # (3 alone fails before its commit too).
    gate.let_go(4)
    assert await first is False
    results = await asyncio.gather(*batch, return_exceptions=True)
    assert results[0] is False and results[2] is False, results
    assert isinstance(results[1], RuntimeError), results  # 503: Telegram posts it again
    assert set(_rows(engine)) == {1, 2, 4}
    assert gate.sizes == [1, 1, 1]  # the batch of three never reached its commit
    # The store goes on: the next post is stored.
    gate.let_go()
    assert await _store(store, 5, "chat-5") is False
    assert set(_rows(engine)) == {1, 2, 4, 5}
    await store.stop()


async def test_a_batch_that_fails_as_a_whole_fails_each_request_alone_too(
        store: InboxStore, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch)
    first = _store(store, 1, "a")
    await gate.wait_holding()
    failing = {"on": True}
    real_insert = InboxStore._insert

    def insert(self: InboxStore, db: Database, request: bot.web.StoreRequest) -> bool:
        if failing["on"]:
            raise RuntimeError("the disk is full")
        return real_insert(self, db, request)

    monkeypatch.setattr(InboxStore, "_insert", insert)
    batch = [_store(store, update_id, f"chat-{update_id}") for update_id in (2, 3, 4)]
    await asyncio.sleep(0.1)
    gate.let_go(5)
    assert await first is False
    results = await asyncio.gather(*batch, return_exceptions=True)
    assert all(isinstance(result, RuntimeError) for result in results), results
    assert set(_rows(engine)) == {1}  # none stored: Telegram posts them again
    failing["on"] = False
    gate.let_go()
    assert await _store(store, 5, "chat-5") is False
    assert set(_rows(engine)) == {1, 5}
    await store.stop()


async def test_a_duplicate_in_a_batch_is_stored_once_and_not_leased_twice(
        store: InboxStore, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch)
    first = _store(store, 1, "a")
    await gate.wait_holding()
    batch = [_store(store, 2, "b", lease=True), _store(store, 2, "b", lease=True),
             _store(store, 3, "c"), _store(store, 3, "c")]
    await asyncio.sleep(0.1)
    gate.let_go(2)
    assert await first is False
    assert await asyncio.gather(*batch) == [True, False, False, False]
    assert gate.sizes == [1, 4]
    assert _rows(engine) == {1: (InboxStatus.pending, None),
                             2: (InboxStatus.processing, "worker-1"),
                             3: (InboxStatus.pending, None)}
    await store.stop()


async def test_a_batch_is_stored_in_arrival_order_so_a_chats_later_update_is_not_leased(
        store: InboxStore, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # Chat "a"'s update 2 came while the chat was busy (stored pending); its update 3 came
    # after the chat was free (to be leased). Stored after 2 in the same transaction, 3 sees
    # 2 unfinished and stays pending for a claim, which takes 2 first.
    gate = Gate(monkeypatch)
    first = _store(store, 1, "z")
    await gate.wait_holding()
    batch = [_store(store, 2, "a"), _store(store, 3, "a", lease=True),
             _store(store, 4, "b", lease=True)]
    await asyncio.sleep(0.1)
    gate.let_go(2)
    await first
    assert await asyncio.gather(*batch) == [False, False, True]
    assert _rows(engine) == {1: (InboxStatus.pending, None), 2: (InboxStatus.pending, None),
                             3: (InboxStatus.pending, None),
                             4: (InboxStatus.processing, "worker-1")}
    await store.stop()


async def test_stopping_fails_the_requests_still_waiting(
        store: InboxStore, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch)
    first = _store(store, 1, "a")
    await gate.wait_holding()
    waiting = _store(store, 2, "b")
    await asyncio.sleep(0.05)
    await store.stop()
    for task in (first, waiting):
        with pytest.raises(ConnectionResetError):
            await task
    gate.let_go()
