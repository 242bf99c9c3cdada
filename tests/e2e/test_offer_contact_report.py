"""Check an offer, report the recruiter, check the contact: the real bot through the emulator,
in English, Thai and Khmer (non-Latin scripts: replies must survive HTML parsing)."""

from __future__ import annotations

import html
import re
import time
from typing import Any

import pytest
from sqlmodel import select

from bot.config import Settings
from bot.ratelimit import TelegramRateLimiter
from emulator import Emulator
from emulator.models import SentMessage
from emulator.users import SimulatedUser
from handlers import check_offer
from handlers.contacts import phone_region
from handlers.types import decode_callback
from locales.i18n import get_translator
from screening.assess import assess_text
from storage.db import create_db_engine, session_scope
from storage.indicators import lookup_indicator
from storage.models import Report
from tests.e2e.conftest import BotAppFactory

LURE = ("URGENT hiring customer service staff in Bangkok! Salary 1500 USD per month, no experience "
        "needed. Free flight ticket, free accommodation and food. Travel on a tourist visa, we "
        "arrange the work permit later. Call +855 12 345 678")


@pytest.fixture(autouse=True)
def quick_chat_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    """One message a second per chat (Telegram's limit, tested with the limiter itself) would
    make each walk here take ~10 s; the order and content of replies is what is tested."""
    original = TelegramRateLimiter.__init__

    def init(self: TelegramRateLimiter, **kwargs: Any) -> None:
        kwargs["chat_per_second"] = 100.0
        original(self, **kwargs)

    monkeypatch.setattr(TelegramRateLimiter, "__init__", init)


def plain(text_html: str) -> str:
    """What a person reads of one of our HTML strings."""
    return html.unescape(re.sub(r"<[^>]+>", "", text_html))


async def settle(user: SimulatedUser, before: int, count: int) -> list[SentMessage]:
    """The bot's `count` replies to one step (the outgoing limiter spaces the messages of one
    chat, so waiting for a quiet moment is not enough)."""
    deadline = time.monotonic() + 10
    while len(user.messages) < before + count and time.monotonic() < deadline:
        await user.wait_until_settled(quiet=0.1, first_reply_timeout=0.5)
    return user.messages[before:]


async def say(user: SimulatedUser, text: str, *, replies: int = 1) -> list[SentMessage]:
    before = len(user.messages)
    if text.startswith("/"):
        await user.send_command(text)
    else:
        await user.send_text(text)
    return await settle(user, before, replies)


async def press(user: SimulatedUser, action: str, *, replies: int = 1) -> list[SentMessage]:
    """Press the button with this action on the newest message that has it."""
    before = len(user.messages)
    await user.press_newest(lambda data: decode_callback(data)[1] == action)
    return await settle(user, before, replies)


def actions(message: SentMessage) -> list[str]:
    return [button.callback_data.split("|", 1)[1] for button in message.flat_buttons
            if button.callback_data]


async def report_contact(user: SimulatedUser, contact: str, *, story: str | None = None,
                         when: str = "w:today", country: str = "KH", replies: int = 2) -> None:
    """/report a scam contact, the shortest way through the questions (`finish_report`)."""
    await say(user, "/report")
    await press(user, "k:contact")
    await say(user, contact)
    await finish_report(user, story=story, when=when, country=country, replies=replies)


async def finish_report(user: SimulatedUser, *, story: str | None = None, when: str = "w:today",
                        country: str = "KH", replies: int = 2) -> None:
    """A report's questions once its contacts are listed: the story (told when given, else
    skipped), when it happened (`when`, a button: "skip" for no answer), the scam's country, no
    updates, and consent (`replies`: the bot's answers to it)."""
    await press(user, "done")
    if story is None:
        await press(user, "skip")
    else:
        await say(user, story)
        await press(user, "done")
    await press(user, when)
    await press(user, f"cc:{country}")
    await press(user, "ok")
    await press(user, "no_notify")
    await press(user, "agree", replies=replies)


@pytest.mark.parametrize("locale", ["en", "th", "km"])
async def test_check_forwarded_offer_report_recruiter_then_check_contact(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings, locale: str) -> None:
    await bot_app()
    t = get_translator(locale)
    recruiter = emulator.user(9001, first_name="Amy", username="HR_Amy_KK", language_code="en")
    # A long id: a short one ("9100") turned up inside a stored timestamp (09:47:35.910042).
    person = emulator.user(7310492865, first_name="Dara", language_code=locale)

    await say(person, "/check")
    before = len(person.messages)
    await person.forward_text(LURE, from_user=recruiter)
    [result] = await settle(person, before, 1)
    # The flow reads the offer with the region its local numbers are read with (the person's
    # country, else their language's), which is also the person's origin for the pay check.
    expected = assess_text(LURE, lang=locale, country=phone_region(LURE, None, locale))
    assert result.text.startswith(plain(t.gettext(check_offer.RISK_HEADLINES[expected.risk])))
    for line in expected.warning_signs().lines:
        assert plain(t.gettext(line)) in result.text
    assert "@hr_amy_kk" in result.text and "+855 12 345 678" in result.text
    assert actions(result) == ["report", "again", "menu"]
    assert result.button_texts[0] == t.gettext("📝 Report this recruiter")

    [contacts] = await press(person, "report")
    assert "@hr_amy_kk" in contacts.text
    assert {"rm:0", "rm:1", "done"} <= set(actions(contacts))
    await press(person, "done")
    await say(person, "They want me to go to Mae Sot by car after landing in Bangkok.")
    await press(person, "done")
    await press(person, "w:month")
    [summary] = await press(person, "cc:KH")
    assert plain(t.gettext("<b>Please check your report:</b>")) in summary.text
    await press(person, "ok")
    [consent] = await press(person, "notify")
    assert plain(t.gettext("I agree to store this report without my name or number.")) in consent.text
    receipt, menu, offer = await press(person, "agree", replies=3)
    assert "go:check" in actions(menu)
    # Last, a person from the team offered (handlers/common.talk_offer); only the person starts it.
    assert offer.text == plain(t.gettext("A person from our team can write to you here, if you want."))
    assert actions(offer) == ["go:talk"]

    engine = create_db_engine(e2e_settings.database_url)
    try:
        with session_scope(engine) as db:
            [report] = db.exec(select(Report)).all()
            assert report.receipt_code in receipt.text
            assert (report.kind, report.country) == ("job_offer", "KH")
            assert report.risk_level == expected.risk.value and report.flag_ids == expected.flag_ids
            assert report.notify_chat_sealed is not None
            assert "Mae Sot" in (report.narrative or "")
            summary_of_handle = lookup_indicator(db, type="telegram", value="hr_amy_kk")
            assert summary_of_handle.independent_reporters == 1 and not summary_of_handle.confirmed
        with engine.connect() as connection:
            everything = repr(connection.exec_driver_sql("SELECT * FROM report").fetchall())
            everything += repr(connection.exec_driver_sql("SELECT * FROM conversation").fetchall())
        assert "7310492865" not in everything and "Dara" not in everything
    finally:
        engine.dispose()

    # Someone else now checks the recruiter's handle: one unverified report, nothing more.
    other = emulator.user(9200, first_name="Nok", language_code=locale)
    await say(other, "/contact")
    [answer] = await say(other, "https://t.me/HR_Amy_KK")
    reported = t.ngettext(
        "⚠️ {contact}: reported by {n} person, not yet verified by our staff. Be very careful.",
        "⚠️ {contact}: reported by {n} people, not yet verified by our staff. Be very careful.",
        1, contact="<b>@hr_amy_kk</b>")
    assert plain(reported) in answer.text
    assert "Mae Sot" not in answer.text and "KH" not in answer.text
    assert not emulator.api_errors, emulator.api_errors


async def test_unreadable_contact_and_cancel_mid_report(emulator: Emulator, bot_app: BotAppFactory,
                                                        e2e_settings: Settings) -> None:
    await bot_app()
    person = emulator.user(9300, first_name="Lan", language_code="vi")
    t = get_translator("vi")
    await say(person, "/contact")
    [error] = await say(person, "?? 12")
    assert error.text.startswith(plain(t.gettext(
        "I could not read a phone number, username, link or wallet in that. Try one of these forms:")))
    [answer] = await say(person, "+855 12 999 888")
    assert "report" in actions(answer)

    await press(person, "report")
    await say(person, "@another_recruiter")
    [stopped] = await say(person, "/cancel")
    assert stopped.text == plain(t.gettext("Stopped. Nothing from that step was kept. What next?"))
    engine = create_db_engine(e2e_settings.database_url)
    try:
        with session_scope(engine) as db:
            assert db.exec(select(Report)).all() == []
    finally:
        engine.dispose()
    assert not emulator.api_errors, emulator.api_errors


async def test_guided_questions_end_to_end(emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    person = emulator.user(9400, first_name="Mya", language_code="my")
    await say(person, "/check")
    [question] = await press(person, "quiz")
    assert actions(question)[:3] == ["a:yes", "a:no", "a:unsure"]
    for _ in range(12):  # more presses than questions: stops at the result
        latest = person.messages[-1]
        if "report" in actions(latest):
            break
        await press(person, "a:yes")
    result = person.messages[-1]
    assert actions(result) == ["report", "again", "menu"]
    assert not emulator.api_errors, emulator.api_errors
