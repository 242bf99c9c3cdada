"""The staff chat unreachable when a relative files an urgent report, then the worker killed
(`kill -9`) before the alert went out, then the chat reachable and a new worker started: the
person was thanked with the report's code at once, and the alert reaches the staff chat once.

Real worker processes (`bench/e2e_bench.py worker`, i.e. `python -m bot run` behind its
webhook) against the in-process emulator, on SQLite and PostgreSQL. "Unreachable" is the
emulator's answer for a chat that does not exist ("Bad Request: chat not found"), what a wrong
STAFF_CHAT_ID or a deleted group gets from Telegram."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select

from emulator import Emulator
from handlers import help_now
from locales.i18n import get_translator
from storage.db import create_db_engine, session_scope
from storage.models import Report, StaffAlert
from tests.e2e.test_offer_contact_report import plain, press, say
from tests.faults.conftest import StartWorker

STAFF_CHAT = -100888


def waiting_alerts(database_url: str) -> list[tuple[int, str | None]]:
    engine = create_db_engine(database_url)
    try:
        with session_scope(engine, read_only=True) as db:
            return [(row.attempts, row.last_error)
                    for row in db.execute(select(StaffAlert)).scalars()]
    finally:
        engine.dispose()


def receipt_codes(database_url: str) -> list[str]:
    engine = create_db_engine(database_url)
    try:
        with session_scope(engine, read_only=True) as db:
            return [row.receipt_code for row in db.execute(select(Report)).scalars()]
    finally:
        engine.dispose()


async def eventually(check, *, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)


async def test_alert_survives_an_unreachable_staff_chat_and_a_killed_worker(
        emulator: Emulator, start_worker: StartWorker, database_url: str) -> None:
    worker = await start_worker(database_url, staff_chat_id=STAFF_CHAT)
    t = get_translator("vi")
    person = emulator.user(8100, first_name="Lan", username="lan_hn", language_code="vi")
    await say(person, "/help_now")
    await press(person, help_now.WHO_OTHER)
    await press(person, "cc:VN")
    await press(person, "cc:MM")
    await say(person, "Myawaddy, KK Park")
    await press(person, "docs:passport")
    await press(person, "last:today")
    await press(person, help_now.ALERT_YES)
    thanks, offer = await say(person, "reach me on Zalo: co_lan_77", replies=2)
    [code] = receipt_codes(database_url)
    assert thanks.text == plain(t.gettext(
        "Thank you. The team has it under the code {code}. Keep this code if you want to add "
        "something later. The contacts above stay in this chat.", code=f"<code>{code}</code>"))

    async def failed_once() -> bool:
        alerts = await asyncio.to_thread(waiting_alerts, database_url)
        return bool(alerts) and alerts[0][0] >= 1
    await eventually(failed_once, timeout=15, what="the sender never tried the staff chat")
    [(_attempts, error)] = await asyncio.to_thread(waiting_alerts, database_url)
    assert error == "BadRequest"  # chat not found: kept, not dropped
    worker.kill()
    await worker.process.wait()

    staff_group = emulator.group(STAFF_CHAT, title="lurecheck staff")  # reachable again
    await start_worker(database_url, staff_chat_id=STAFF_CHAT)

    async def arrived() -> bool:
        return bool(staff_group.messages)
    await eventually(arrived, timeout=30, what="the alert never reached the staff chat")
    await asyncio.sleep(1.5)  # a second copy would come within a sender round or two
    [alert] = staff_group.messages
    assert code in alert.text and "co_lan_77" in alert.text
    assert "8100" not in alert.text and "lan_hn" not in alert.text and "Lan" not in alert.text
    assert await asyncio.to_thread(waiting_alerts, database_url) == []
    # The person was told nothing more: two replies, the thank-you and the offer to talk.
    assert person.messages[-2:] == [thanks, offer]


def leased_alerts(database_url: str) -> list[str | None]:
    engine = create_db_engine(database_url)
    try:
        with session_scope(engine, read_only=True) as db:
            return [row.sender for row in db.execute(select(StaffAlert)).scalars()]
    finally:
        engine.dispose()


async def test_a_worker_stopped_while_an_alert_is_on_its_way_delivers_it_once(
        emulator: Emulator, start_worker: StartWorker, database_url: str) -> None:
    """A deploy's SIGTERM lands while the staff alert of a person in danger is inside its Bot
    API call (Telegram answering slowly): the worker finishes the send and records it before
    it exits, so the next worker has nothing to send again (before: the send was cancelled
    mid-call, the alert stayed taken, and went out a second time once its lease ran out)."""
    worker = await start_worker(database_url, staff_chat_id=STAFF_CHAT)  # no such chat yet
    person = emulator.user(8200, first_name="Aung", username="aung_ygn", language_code="my")
    await say(person, "/help_now")
    await press(person, help_now.WHO_SELF)
    await press(person, "cc:MM")
    await press(person, "cc:MM")
    await press(person, help_now.ALERT_YES)
    await say(person, "Viber 09 555 0101 after dark", replies=2)

    async def failed_once() -> bool:
        alerts = await asyncio.to_thread(waiting_alerts, database_url)
        return bool(alerts) and alerts[0][0] >= 1
    await eventually(failed_once, timeout=15, what="the sender never tried the staff chat")

    staff_group = emulator.group(STAFF_CHAT, title="lurecheck staff")
    emulator.faults.configure({"latency": 2.5})  # every Bot API call answered 2.5 s late

    async def taken() -> bool:  # the claim is recorded right before the Bot API call
        return any(await asyncio.to_thread(leased_alerts, database_url))
    await eventually(taken, timeout=20, what="the sender never took the alert again")
    await asyncio.sleep(0.5)  # inside the call now
    assert staff_group.messages == []
    await worker.stop()  # SIGTERM, as a deploy sends it
    assert worker.process.returncode == 0
    [alert] = staff_group.messages
    assert "Viber 09 555 0101 after dark" in alert.text
    assert "8200" not in alert.text and "aung_ygn" not in alert.text
    assert await asyncio.to_thread(waiting_alerts, database_url) == []  # recorded

    emulator.faults.configure({"latency": 0})
    await start_worker(database_url, staff_chat_id=STAFF_CHAT)
    await asyncio.sleep(2.5)  # a second copy would come within a sender round or two
    assert len(staff_group.messages) == 1
