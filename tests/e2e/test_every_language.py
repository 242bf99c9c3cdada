"""Issue 7: a person of each language checks an offer and reports the recruiter entirely in
that language — no English message text left in any reply (contacts and codes aside)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from sqlmodel import select

from bot.ratelimit import TelegramRateLimiter
from emulator import Emulator, SentMessage, SimulatedUser
from handlers.types import decode_callback
from locales.i18n import LOCALES_DIR, SUPPORTED_LOCALES
from storage.db import create_db_engine, session_scope
from storage.models import Report
from tests.e2e.conftest import BotAppFactory

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "offers.jsonl"
RECRUITER = "@hr_asia_jobs_2026"
# The walk from a checked offer to a stored report, by button action (see handlers/report.py).
REPORT_WALK = ("report", "done", "skip", "skip", "skip", "ok", "no_notify", "agree")
TELEGRAM_LANGUAGE_CODE = {"zh_Hans": "zh-hans", "zh_Hant": "zh-hant", "tl": "fil"}


@pytest.fixture(autouse=True)
def quick_chat_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram's 1 message/s per chat and 30/s overall are tested with the limiter itself
    (tests/bot/test_ratelimit.py); here they would only make each walk slow (13 people walking
    at once send ~1,000 messages: half a minute at 30/s)."""
    original = TelegramRateLimiter.__init__

    def init(self: TelegramRateLimiter, **kwargs: Any) -> None:
        kwargs["chat_per_second"] = 100.0
        kwargs["overall_per_second"] = 1000.0
        original(self, **kwargs)

    monkeypatch.setattr(TelegramRateLimiter, "__init__", init)


def _english_fragments() -> set[str]:
    """Pieces of English source text long enough that they can only be untranslated messages."""
    with (LOCALES_DIR / "messages.pot").open("rb") as fp:
        template = read_po(fp)
    fragments: set[str] = set()
    for message in template:
        for source in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in re.split(r"\{\w*\}|<[^>]+>|\n", source or ""):
                piece = piece.strip(" .,:;!?–-•")
                # Three English words at least: an example number ("+66 81 234 5678") is
                # shown as it is in every language.
                if len(piece) >= 14 and len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3:
                    fragments.add(piece)
    return fragments


ENGLISH = _english_fragments()


def _scam_offer(locale: str) -> str:
    for line in CORPUS.read_text().splitlines():
        item = json.loads(line)
        if item["lang"] == locale and item["label"] == "scam":
            return f"{item['text']}\n{RECRUITER}"
    raise AssertionError(f"no scam offer for {locale} in the corpus")


async def _settled(user: SimulatedUser, before: int | None = None) -> None:
    """Wait for the answer to the last action: at least one new message, then a quiet moment."""
    if before is not None:
        deadline = time.monotonic() + 10
        while len(user.messages) <= before and time.monotonic() < deadline:
            await user.emulator.changed.wait(0.1)  # woken by the bot's next message
    await user.wait_until_settled(quiet=0.3, first_reply_timeout=5)


async def _press(user: SimulatedUser, action: str) -> None:
    before = len(user.messages)
    await user.press_newest(lambda data: decode_callback(data)[1] == action)
    await _settled(user, before)


def _english_in(messages: list[SentMessage]) -> list[str]:
    shown = "\n".join([m.text for m in messages] + [b.text for m in messages for b in m.flat_buttons])
    return sorted(fragment for fragment in ENGLISH if fragment in shown)


async def _check_and_report(locale: str, user: SimulatedUser) -> None:
    await user.send_command("/start")
    await _settled(user, 0)
    await _press(user, "keep")
    await _press(user, "skip")
    before = len(user.messages)
    await user.send_command("/check")
    await _settled(user, before)
    before = len(user.messages)
    await user.send_text(_scam_offer(locale))
    await _settled(user, before)
    for action in REPORT_WALK:
        await _press(user, action)


async def test_offer_check_and_report_entirely_in_the_language(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    """The 13 people walk at the same time, one bot as in production (13 walks one after the
    other cost a minute of quiet waits)."""
    application = await bot_app()
    users = {locale: emulator.user(9000 + index,
                                   language_code=TELEGRAM_LANGUAGE_CODE.get(locale, locale))
             for index, locale in enumerate(SUPPORTED_LOCALES)}
    await asyncio.gather(*(_check_and_report(locale, user) for locale, user in users.items()))

    engine = create_db_engine(application.bot_data["services"].settings.database_url)
    with session_scope(engine) as db:
        codes = [report.receipt_code for report in db.exec(select(Report)).all()]
    assert len(codes) == len(SUPPORTED_LOCALES), codes
    english_left: dict[str, list[str]] = {}
    for locale, user in users.items():
        # The receipt (their own, and only theirs), the menu, and last the offer of a person
        # from the team (handlers/common.py).
        tail = "".join(m.text for m in user.messages[-3:-1])
        assert sum(code in tail for code in codes) == 1, (locale, [m.text for m in user.messages[-3:]])
        assert any(b.callback_data and b.callback_data.endswith("go:talk")
                   for row in user.messages[-1].buttons for b in row), locale
        english_left[locale] = _english_in(user.messages)
    assert len(english_left.pop("en")) > 10  # the detector sees English when it is there
    assert {locale: left for locale, left in english_left.items() if left} == {}
