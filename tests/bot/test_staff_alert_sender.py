"""bot/alerts.py in process, with the flows: a relative's urgent report whose staff chat is
unreachable. The person's reply is the thank-you with the code (the report is stored) and
nothing of it waits for the staff chat; the alert waits, retried with a growing delay, and
arrives once when the chat is reachable again, also from a sender that started afresh."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.alerts import AlertSender
from bot.services import Services
from handlers import help_now
from locales.i18n import get_translator
from storage import alerts
from storage.db import create_db_engine, migrate, session_scope
from storage.models import Report, StaffAlert
from tests.handlers.conftest import Harness, make_settings

STAFF_CHAT = -100777


class StaffChat:
    """Stands for the Bot API: `failure` set, every send to it raises that."""

    def __init__(self) -> None:
        self.failure: Exception | None = None
        self.received: list[tuple[int, str]] = []
        self.calls = 0

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        self.calls += 1
        if self.failure is not None:
            raise self.failure
        self.received.append((chat_id, text))


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    settings = make_settings(tmp_path, staff_chat_id=STAFF_CHAT)
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    yield Harness(Services(settings=settings, engine=engine))
    engine.dispose()


def sender_for(harness: Harness, chat: StaffChat, clock: Clock, name: str) -> AlertSender:
    sender = AlertSender(chat, harness.engine, harness.services.settings,  # type: ignore[arg-type]
                         sender_id=name)
    sender._now = clock  # type: ignore[method-assign]
    return sender


def waiting(harness: Harness) -> list[StaffAlert]:
    with session_scope(harness.engine, read_only=True) as db:
        return list(db.execute(select(StaffAlert)).scalars())


async def test_unreachable_staff_chat_keeps_the_alert_and_the_person_is_told_the_truth(
        harness: Harness) -> None:
    person = harness.person(language_code="th")
    person.send("/help_now")
    person.press(help_now.WHO_OTHER)
    for action in ("cc:VN", "cc:KH"):
        person.press(action)
    person.send("Sihanoukville, the blue compound")
    person.press("docs:both")
    person.press("last:week")
    person.press(help_now.ALERT_YES)
    done = person.send("reach me on LINE: auntie_mai")
    with session_scope(harness.engine, read_only=True) as db:
        [report] = db.execute(select(Report)).scalars().all()
    t = get_translator("th")
    # The step's replies are the person's only: nothing in them can fail on the staff chat.
    assert [reply.chat_id for reply in done] == [None] * len(done)
    assert done[0].text == t.gettext(
        "Thank you. The team has it under the code {code}. Keep this code if you want to add "
        "something later. The contacts above stay in this chat.",
        code=f"<code>{report.receipt_code}</code>")

    chat, clock = StaffChat(), Clock()
    chat.failure = BadRequest("Chat not found")  # a wrong STAFF_CHAT_ID, the bot removed
    sender = sender_for(harness, chat, clock, "first")
    assert await sender.run_once() == 0
    [alert] = waiting(harness)
    assert (alert.attempts, alert.last_error, alert.report_id) == (1, "BadRequest", report.id)
    assert alert.next_attempt_at >= clock.now + timedelta(seconds=5) - timedelta(seconds=1)
    assert await sender.run_once() == 0 and chat.calls == 1  # not before its delay

    clock.now += timedelta(seconds=6)
    chat.failure = NetworkError("ConnectError: no route")  # Telegram unreachable
    assert await sender.run_once() == 0
    [alert] = waiting(harness)
    assert (alert.attempts, alert.last_error) == (2, "NetworkError")

    clock.now += timedelta(seconds=11)
    chat.failure = RetryAfter(30)  # a flood wait is waited out whole
    assert await sender.run_once() == 0
    [alert] = waiting(harness)
    assert alert.next_attempt_at >= clock.now + timedelta(seconds=29)

    # A restart: a new sender (another process) finds what waited, and the chat is back.
    clock.now += timedelta(seconds=31)
    chat.failure = None
    restarted = sender_for(harness, chat, clock, "after-restart")
    assert await restarted.run_once() == 1
    [(chat_id, text)] = chat.received
    assert chat_id == STAFF_CHAT
    staff = get_translator("en")
    assert staff.gettext("🆘 Urgent report {code}: someone is held.",
                         code=report.receipt_code) in text
    assert "reach me on LINE: auntie_mai" in text
    assert waiting(harness) == []
    clock.now += timedelta(hours=1)
    assert await restarted.run_once() == 0 and await sender.run_once() == 0
    assert len(chat.received) == 1  # once


async def test_a_sender_killed_mid_send_leaves_it_to_the_next_after_its_lease(
        harness: Harness) -> None:
    """Store, then a crash between taking the alert and recording the send: the alert is
    sent by the next sender once the lease ran out (at least once)."""
    person = harness.person()
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    person.press("cc:TH")
    person.press("cc:TH")
    person.press(help_now.ALERT_YES)
    person.send("Signal +66 81 999 0000 after 22:00")
    clock = Clock()
    with session_scope(harness.engine) as db:
        [alert_id] = alerts.due_alerts(db, now=clock.now)
        assert alerts.claim_alert(db, alert_id=alert_id, sender="killed", now=clock.now,
                                  seal_key=harness.services.settings.seal_keys)
    chat = StaffChat()
    restarted = sender_for(harness, chat, clock, "after-restart")
    assert await restarted.run_once() == 0  # still leased to the killed one
    clock.now += alerts.LEASE + timedelta(seconds=1)
    assert await restarted.run_once() == 1
    [(_chat, text)] = chat.received
    assert "Signal +66 81 999 0000 after 22:00" in text
    assert waiting(harness) == []


async def test_without_a_staff_chat_nothing_is_queued_nor_sent(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    harness = Harness(Services(settings=settings, engine=engine))
    try:
        person = harness.person()
        person.send("/help_now")
        person.press(help_now.WHO_OTHER)
        for action in ("cc:VN", "cc:KH", "skip", "docs:both", "last:week"):
            person.press(action)
        replies = person.press(help_now.ALERT_YES)  # stored at once: no contact asked for
        with session_scope(engine, read_only=True) as db:
            [report] = db.execute(select(Report)).scalars().all()
        assert report.receipt_code in replies[0].text  # in the staff app's queue
        assert waiting(harness) == []
        chat = StaffChat()
        assert await sender_for(harness, chat, Clock(), "s").run_once() == 0 and chat.calls == 0
    finally:
        engine.dispose()


async def test_any_failure_of_the_send_keeps_the_alert(harness: Harness) -> None:
    """Not only the Bot API's errors: whatever breaks the send leaves the alert waiting."""
    person = harness.person()
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    person.press("cc:TH")
    person.press("cc:TH")
    person.press(help_now.ALERT_YES)
    person.send("call me at noon")
    chat, clock = StaffChat(), Clock()
    chat.failure = ConnectionResetError("peer went away")
    assert await sender_for(harness, chat, clock, "s").run_once() == 0
    [alert] = waiting(harness)
    assert (alert.attempts, alert.last_error, alert.sender) == (1, "ConnectionResetError", None)
