"""`kill -9` of a worker in the middle of an update: after a restart the update is finished,
and the report it created is stored exactly once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select

from emulator import Emulator
from emulator.models import SentMessage
from emulator.users import SimulatedUser
from handlers.types import decode_callback
from storage.db import create_db_engine, session_scope
from storage.inbox import status_counts
from storage.models import InboxStatus, Report
from tests.faults.conftest import StartWorker

LURE = ("URGENT hiring customer service staff in Bangkok! Salary 1500 USD per month, no experience "
        "needed. Free flight ticket, free accommodation and food. Travel on a tourist visa, we "
        "arrange the work permit later. Call +855 12 345 678")

# The report walk up to the consent question; "agree" stores the report.
WALK = [("command", "/check"), ("text", LURE), ("button", "report"), ("button", "done"),
        ("button", "skip"), ("button", "w:month"), ("button", "cc:KH"), ("button", "ok"),
        ("button", "notify")]


async def step(user: SimulatedUser, kind: str, content: str) -> SentMessage:
    if kind == "command":
        await user.send_command(content)
    elif kind == "text":
        await user.send_text(content)
    else:
        await press(user, content)
    return await user.wait_for_reply(timeout=20)


async def press(user: SimulatedUser, action: str) -> None:
    await user.press_newest(lambda data: decode_callback(data)[1] == action)


def count(database_url: str, what: Any) -> int:
    engine = create_db_engine(database_url)
    try:
        with session_scope(engine, read_only=True) as db:
            return int(db.execute(select(func.count()).select_from(what)).scalar_one())
    finally:
        engine.dispose()


def inbox_statuses(database_url: str) -> dict[str, int]:
    engine = create_db_engine(database_url)
    try:
        with session_scope(engine, read_only=True) as db:
            return status_counts(db)
    finally:
        engine.dispose()


async def wait_until(condition: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def test_worker_killed_after_storing_a_report_before_replying(
        emulator: Emulator, start_worker: StartWorker, database_url: str) -> None:
    first = await start_worker(database_url)
    person = emulator.user(7001, language_code="en")
    await step(person, "command", "/start")
    for kind, content in WALK:
        await step(person, kind, content)

    # Hold every sendMessage: the worker commits the step (the report) and then hangs.
    release = asyncio.Event()
    send_message = emulator._methods["sendmessage"]

    async def held(call: Any) -> Any:
        await release.wait()
        return await send_message(call)

    emulator._methods["sendmessage"] = held
    await press(person, "agree")

    async def report_stored() -> bool:
        return await asyncio.to_thread(count, database_url, Report) == 1

    await wait_until(report_stored, 20, "the report to be stored")
    first.kill()
    await first.process.wait()
    emulator._methods["sendmessage"] = send_message
    release.set()
    assert inbox_statuses(database_url).get(InboxStatus.processing.value) == 1

    # A short stale-claim age stands in for the production two minutes (bot.web.STALE_CLAIM):
    # the new worker hands the dead one's claim back to the queue once it is that old. (Only
    # here: a live worker's own claims that take longer than this would be handed out too.)
    await start_worker(database_url, stale_claim_seconds=2.0)
    receipt, menu, offer = await person.wait_for_replies(3, timeout=20)
    assert "Your receipt code" in receipt.text
    assert any(button.callback_data and button.callback_data.endswith("go:check")
               for button in menu.flat_buttons)
    assert any(button.callback_data and button.callback_data.endswith("go:talk")
               for button in offer.flat_buttons)  # a person from the team, if they want
    await person.wait_until_settled(quiet=0.5)
    assert count(database_url, Report) == 1

    # The worker records "done" in its next claim transaction, a moment after the replies.
    async def all_done() -> bool:
        return set(await asyncio.to_thread(inbox_statuses, database_url)) == {InboxStatus.done.value}

    await wait_until(all_done, 10, "every update to be marked done")
    engine = create_db_engine(database_url)
    try:
        with session_scope(engine, read_only=True) as db:
            [report] = db.execute(select(Report)).scalars().all()
            assert report.receipt_code in receipt.text
    finally:
        engine.dispose()
