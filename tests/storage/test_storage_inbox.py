"""Durable inbox: duplicates, per-chat order, crashed workers, privacy of payloads."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.db import create_db_engine, session_scope
from storage.inbox import (
    claim_updates,
    enqueue_leased,
    enqueue_update,
    mark_done,
    mark_failed,
    pending_count,
    prune_done,
    release_stale,
    status_counts,
)
from storage.models import InboundUpdate, InboxStatus
from tests.storage.helpers import KEY, dump_text

REPO_ROOT = Path(__file__).resolve().parents[2]


def _enqueue(engine: Engine, update_id: int, chat_key: str, **kwargs: object) -> bool:
    with session_scope(engine) as session:
        return enqueue_update(session, update_id=update_id, chat_key=chat_key,
                              payload={"update_id": update_id, "text": f"m{update_id}"},
                              **kwargs)  # type: ignore[arg-type]


def _claim(engine: Engine, worker: str = "w1", limit: int = 10) -> list[int]:
    with session_scope(engine) as session:
        return [u.update_id for u in claim_updates(session, worker_id=worker, limit=limit)]


def test_duplicate_update_ids_are_stored_once(engine: Engine) -> None:
    assert _enqueue(engine, 1, "chat-a") is True
    assert _enqueue(engine, 1, "chat-a") is False
    assert _claim(engine) == [1]
    with session_scope(engine) as session:
        mark_done(session, update_id=1)
    assert _enqueue(engine, 1, "chat-a") is False  # a late re-delivery after processing
    assert _claim(engine) == []


def test_claims_take_one_update_per_chat_in_update_id_order(engine: Engine) -> None:
    for update_id, chat in [(10, "a"), (11, "b"), (12, "a"), (13, "a"), (14, "c")]:
        _enqueue(engine, update_id, chat)
    assert _claim(engine, "w1") == [10, 11, 14]
    assert _claim(engine, "w2") == []  # 12 waits for 10, still processing
    with session_scope(engine) as session:
        mark_done(session, update_id=10)
    assert _claim(engine, "w2") == [12]
    with session_scope(engine) as session:
        assert pending_count(session) == 4  # 11, 14, 12 processing; 13 pending


def _lease(engine: Engine, update_id: int, chat_key: str, worker: str = "w1",
           finished: tuple[int, ...] = ()) -> InboxStatus | None:
    with session_scope(engine, single_statement=True) as session:
        return enqueue_leased(session, update_id=update_id, chat_key=chat_key,
                              payload={"update_id": update_id}, worker_id=worker,
                              finished=finished)


def test_an_update_is_stored_leased_only_when_its_chat_has_nothing_else_unfinished(
        engine: Engine) -> None:
    # A free chat: stored claimed by the worker (processing, attempts 1), nothing to claim.
    assert _lease(engine, 20, "a") == InboxStatus.processing
    assert _claim(engine, "w2") == []
    with session_scope(engine) as session:
        row = session.get(InboundUpdate, 20)
        assert row is not None
        assert (row.locked_by, row.attempts, row.locked_at is not None) == ("w1", 1, True)
    # The same chat while 20 is processing: pending, claimable only once 20 is done.
    assert _lease(engine, 21, "a") == InboxStatus.pending
    assert _lease(engine, 21, "a") is None  # a re-delivery
    assert _claim(engine, "w2") == []
    # 20 finished by w1 but not yet marked done: its next update is leased to w1 only if w1
    # says so (`finished`); a pending one (21) still comes first.
    assert _lease(engine, 22, "a", finished=(20,)) == InboxStatus.pending
    _enqueue(engine, 30, "b")
    assert _lease(engine, 31, "b") == InboxStatus.pending  # behind a pending update
    _lease(engine, 40, "c")
    assert _lease(engine, 41, "c", finished=(40,)) == InboxStatus.processing
    # Another worker's processing update blocks, whatever `finished` says of other ids.
    _lease(engine, 50, "d", worker="w2")
    assert _lease(engine, 51, "d", finished=(40, 41)) == InboxStatus.pending


def test_a_leased_update_of_a_crashed_worker_is_processed_again_after_release(
        engine: Engine) -> None:
    assert _lease(engine, 60, "a", worker="dead") == InboxStatus.processing
    with session_scope(engine) as session:
        assert release_stale(session, older_than=timedelta(0),
                             now=datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert _claim(engine, "w2") == [60]


def test_a_crashed_workers_claim_is_processed_again_after_release(engine: Engine) -> None:
    _enqueue(engine, 5, "a")
    _enqueue(engine, 6, "a")
    assert _claim(engine, "dies") == [5]
    # The worker dies without mark_done: nothing is claimable until its claim is released.
    assert _claim(engine, "survivor") == []
    with session_scope(engine) as session:
        assert release_stale(session, older_than=timedelta(minutes=5)) == 0  # not stale yet
        later = datetime.now(UTC) + timedelta(minutes=6)
        assert release_stale(session, older_than=timedelta(minutes=5), now=later) == 1
    with session_scope(engine) as session:
        claimed = claim_updates(session, worker_id="survivor", limit=10)
    assert [(u.update_id, u.attempts) for u in claimed] == [(5, 2)]
    assert claimed[0].payload == {"update_id": 5, "text": "m5"}


_WORKER_SCRIPT = """
import sys, time
from storage.db import create_db_engine, session_scope
from storage.inbox import claim_updates
engine = create_db_engine(sys.argv[1])
with session_scope(engine) as session:
    claimed = claim_updates(session, worker_id="doomed", limit=1)
print(",".join(str(u.update_id) for u in claimed), flush=True)
time.sleep(60)  # "processing" until killed
"""


def test_worker_killed_with_sigkill_mid_update_loses_nothing(engine: Engine, db_url: str) -> None:
    _enqueue(engine, 42, "a")
    worker = subprocess.Popen(
        [sys.executable, "-c", _WORKER_SCRIPT, db_url],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "42"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    assert _claim(engine, "restarted") == []  # still held by the dead worker's claim
    with session_scope(engine) as session:
        released = release_stale(session, older_than=timedelta(0),
                                 now=datetime.now(UTC) + timedelta(seconds=1))
    assert released == 1
    assert _claim(engine, "restarted") == [42]


def test_failed_updates_retry_then_park_so_the_chat_goes_on(engine: Engine) -> None:
    _enqueue(engine, 1, "a")
    _enqueue(engine, 2, "a")
    for attempt in range(1, 4):
        assert _claim(engine) == [1]
        with session_scope(engine) as session:
            parked = mark_failed(session, update_id=1, error="ValueError: bad", max_attempts=3)
        assert parked is (attempt == 3)
    assert _claim(engine) == [2]
    with session_scope(engine) as session:
        row = session.get_one(InboundUpdate, 1)
        assert (row.status, row.attempts, row.last_error) == (
            InboxStatus.failed, 3, "ValueError: bad"
        )


def test_done_updates_lose_their_payload_and_are_pruned_after_a_week(engine: Engine) -> None:
    old = datetime.now(UTC) - timedelta(days=8)
    _enqueue(engine, 1, "a", now=old)
    _enqueue(engine, 2, "b")
    _claim(engine)
    with session_scope(engine) as session:
        mark_done(session, update_id=1)
        mark_done(session, update_id=2)
    with session_scope(engine) as session:
        assert session.get_one(InboundUpdate, 2).payload is None
        assert prune_done(session, older_than_days=7) == 1
    assert _enqueue(engine, 1, "a") is True  # Telegram may reuse ids after a quiet week


def test_sealed_payloads_are_unreadable_at_rest_and_open_on_claim(engine: Engine) -> None:
    payload = {"message": {"from": {"id": 555000111, "username": "secret_person"}}}
    with session_scope(engine) as session:
        enqueue_update(session, update_id=9, chat_key="a", payload=payload, seal_key=KEY)
    stored = dump_text(engine)
    assert "555000111" not in stored and "secret_person" not in stored
    with pytest.raises(ValueError, match="sealed"), session_scope(engine) as session:
        claim_updates(session, worker_id="w", limit=1)
    with session_scope(engine) as session:
        (claimed,) = claim_updates(session, worker_id="w", limit=1, seal_key=KEY)
    assert claimed.payload == payload


# How the worker records a finished update: at once in its own transaction, or (as
# bot/web.py does) with its next claim, a single statement on PostgreSQL.
@pytest.mark.parametrize("done_with_next_claim", [False, True], ids=["mark-done", "next-claim"])
def test_concurrent_workers_keep_per_chat_order_and_process_each_update_once(
    engine: Engine, db_url: str, done_with_next_claim: bool
) -> None:
    chats = [f"chat-{n}" for n in range(3)]  # few chats, many in flight: order is at risk
    expected: dict[str, list[int]] = {chat: [] for chat in chats}
    for update_id in range(1, 121):
        chat = chats[update_id % len(chats)]
        expected[chat].append(update_id)
        _enqueue(engine, update_id, chat)

    lock = threading.Lock()
    log: list[tuple[str, str, int]] = []  # (event, chat, update_id)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        own_engine = create_db_engine(db_url)  # a separate pool, like a separate process
        try:
            idle_rounds, done = 0, []
            while idle_rounds < 20:
                with session_scope(own_engine, replayable=done_with_next_claim,
                                   single_statement=done_with_next_claim) as session:
                    claimed = claim_updates(session, worker_id=name, limit=3, done=done)
                done = []
                if not claimed:
                    idle_rounds += 1
                    time.sleep(0.01)
                    continue
                idle_rounds = 0
                for update in claimed:
                    with lock:
                        log.append(("start", update.chat_key, update.update_id))
                    time.sleep(0.002)
                    with lock:
                        log.append(("end", update.chat_key, update.update_id))
                    if done_with_next_claim:
                        done.append(update.update_id)
                    else:
                        with session_scope(own_engine) as session:
                            mark_done(session, update_id=update.update_id)
        except BaseException as error:  # surfaced in the main thread
            errors.append(error)
        finally:
            own_engine.dispose()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    for chat in chats:
        events = [(event, update_id) for event, c, update_id in log if c == chat]
        # Strictly sequential per chat: start n, end n, start n+1, end n+1 …
        assert events == [
            (event, update_id) for update_id in expected[chat] for event in ("start", "end")
        ]
    with session_scope(engine, read_only=True) as session:
        assert status_counts(session) == {"done": 120}
