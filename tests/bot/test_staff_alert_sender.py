"""bot/alerts.py in process, with the flows: a relative's urgent report whose staff chat is
unreachable. The person's reply is the thank-you with the code (the report is stored) and
nothing of it waits for the staff chat; the alert waits, retried with a growing delay, and
arrives once when the chat is reachable again, also from a sender that started afresh."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.alerts import AlertSender
from bot.services import Services
from handlers import help_now
from locales.i18n import get_translator
from storage import alerts
from storage.db import create_db_engine, migrate, session_scope
from storage.models import Report, StaffAlert
from tests.handlers.conftest import Harness, make_settings

STAFF_CHAT = -100777
REPEAT_NOTE = get_translator("en").gettext(
    "⚠️ Possibly a repeat: an earlier attempt to send this alert was cut off before Telegram "
    "confirmed it, so it may be in this chat already.")


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
    # Telegram unreachable (bot/telegram_http.py's words): nothing was sent
    chat.failure = NetworkError("aiohttp.ClientConnectorError: Cannot connect to host")
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
    assert REPEAT_NOTE not in text  # no attempt could have reached the chat
    assert waiting(harness) == []
    clock.now += timedelta(hours=1)
    assert await restarted.run_once() == 0 and await sender.run_once() == 0
    assert len(chat.received) == 1  # once


async def test_a_sender_killed_mid_send_leaves_it_to_the_next_after_its_lease(
        harness: Harness) -> None:
    """Store, then a crash between taking the alert and recording the send: the alert is
    sent by the next sender once the lease ran out (at least once), saying it may be a repeat
    (the claim, recorded before the send, was never resolved)."""
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
    assert text.startswith(REPEAT_NOTE + "\n\n")
    assert waiting(harness) == []


def _in_danger(harness: Harness, typed: str) -> None:
    person = harness.person(language_code="my")
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    person.press("cc:MM")
    person.press("cc:MM")
    person.press(help_now.ALERT_YES)
    person.send(typed)


@pytest.mark.parametrize(("failure", "marked"), [
    (TimedOut(), True),  # the request may have reached Telegram
    (NetworkError("aiohttp.ServerDisconnectedError: Server disconnected"), True),
    (NetworkError("Bad Gateway"), True),  # Telegram's front may have passed it on
    (ConnectionResetError("peer went away"), True),
    (NetworkError("aiohttp.ClientConnectorError: Cannot connect to host"), False),
    (BadRequest("Chat not found"), False),
    (Forbidden("Forbidden: bot was kicked from the group chat"), False),
    (RetryAfter(3), False),
])
async def test_a_send_whose_outcome_is_unknown_is_resent_marked(
        harness: Harness, failure: Exception, marked: bool) -> None:
    _in_danger(harness, "Viber 09 555 0101")
    chat, clock = StaffChat(), Clock()
    chat.failure = failure
    sender = sender_for(harness, chat, clock, "s")
    assert await sender.run_once() == 0
    chat.failure = None
    clock.now += timedelta(seconds=10)
    assert await sender.run_once() == 1
    [(_chat, text)] = chat.received
    assert "Viber 09 555 0101" in text
    assert text.startswith(REPEAT_NOTE) is marked


class FlakyDatabase:
    """`_delivered` fails `times` times (the database went away right after the send)."""

    def __init__(self, sender: AlertSender, times: int) -> None:
        self.original, self.left, self.calls = sender._delivered, times, 0
        sender._delivered = self  # type: ignore[method-assign]

    def __call__(self, alert_id: int) -> None:
        self.calls += 1
        if self.left > 0:
            self.left -= 1
            raise OperationalError("DELETE", {}, Exception("server closed the connection"))
        self.original(alert_id)


async def test_a_record_that_fails_after_the_send_is_written_later_not_sent_again(
        harness: Harness) -> None:
    _in_danger(harness, "Line: ko_aung")
    chat, clock = StaffChat(), Clock()
    sender = sender_for(harness, chat, clock, "s")
    database = FlakyDatabase(sender, times=2)
    assert await sender.run_once() == 1  # Telegram took it; its record failed
    [alert] = waiting(harness)
    assert alert.sender == "s"  # still leased: nothing recorded
    clock.now += alerts.LEASE + timedelta(seconds=1)  # even once the lease ran out
    with pytest.raises(OperationalError):
        await sender.run_once()  # the database still away: the round waits, sends nothing
    assert len(chat.received) == 1
    assert await sender.run_once() == 0  # recorded now, first thing of the round
    assert waiting(harness) == [] and database.calls == 3
    assert len(chat.received) == 1


class SlowChat(StaffChat):
    """Telegram answering after `delay` seconds; `started` is set when a send begins."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay
        self.started = asyncio.Event()

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        self.started.set()
        await asyncio.sleep(self.delay)
        await super().send_message(chat_id, text, **kwargs)


async def test_a_stop_mid_send_lets_the_alert_finish_and_be_recorded(harness: Harness) -> None:
    """A deploy's SIGTERM while an alert is on its way: sent once, recorded, not sent again by
    the next process (before: cancelled between the send and its record, it went twice)."""
    _in_danger(harness, "WhatsApp +95 9 777 1234")
    chat, clock = SlowChat(delay=0.3), Clock()
    sender = sender_for(harness, chat, clock, "stopping")
    task = asyncio.create_task(sender.run())
    await asyncio.wait_for(chat.started.wait(), 10)
    await sender.stop(task)
    assert task.done() and len(chat.received) == 1
    assert waiting(harness) == []
    clock.now += alerts.LEASE + timedelta(hours=1)
    assert await sender_for(harness, chat, clock, "next-process").run_once() == 0
    assert len(chat.received) == 1


async def test_a_stop_gives_up_on_a_send_that_hangs(harness: Harness) -> None:
    """A hung connection does not hold a stop past its grace: cancelled, and the alert is left
    to the lease (then resent, marked)."""
    _in_danger(harness, "Signal 09 1")
    chat, clock = SlowChat(delay=60), Clock()
    sender = sender_for(harness, chat, clock, "hung")
    task = asyncio.create_task(sender.run())
    await asyncio.wait_for(chat.started.wait(), 10)
    await sender.stop(task, grace=0.2)
    assert task.done() and chat.received == []
    [alert] = waiting(harness)
    assert alert.sender == "hung"
    clock.now += alerts.LEASE + timedelta(seconds=1)
    chat.delay = 0
    assert await sender_for(harness, chat, clock, "next").run_once() == 1
    [(_chat, text)] = chat.received
    assert text.startswith(REPEAT_NOTE)


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
