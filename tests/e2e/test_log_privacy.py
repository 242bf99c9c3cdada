"""Issue 17, done means: after a report filed by a person with a Telegram id, a first name, a
username and their own phone in three formats, neither the database nor any log line, at any
level and of any logger (python-telegram-bot, aiohttp, the HTTP client, SQLAlchemy with
parameters), holds them; nor does any log line hold the narrative, the webhook secret, the bot
token or the key secret. Run in both deployment shapes: long polling and the webhook server."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.logs import PrivacyFilter, configure_logging
from emulator import DEFAULT_TOKEN, Emulator
from storage.db import create_db_engine
from tests.e2e.conftest import E2E_PSEUDONYM_KEY, E2E_WEBHOOK_SECRET, BotAppFactory, WebhookBotFactory
from tests.e2e.test_offer_contact_report import press, say
from tests.storage.helpers import dump_text

USER_ID = 6_987_654_321
FIRST, LAST, USERNAME = "Sokunthea", "Prakvathana", "sokunthea_pp88"
PHONES = ("+66 81 234 5678", "+66812345678", "081-234-5678")
STORY = "They drove us from Mae Sot across the river at night"
# What must be nowhere: the id, the names, the username and every spelling of the phone.
IDENTITY = (str(USER_ID), FIRST, LAST, USERNAME, "812345678", "81 234 5678", "234-5678",
            "234 5678")
SECRETS = (DEFAULT_TOKEN, DEFAULT_TOKEN.split(":", 1)[1], E2E_WEBHOOK_SECRET,
           E2E_PSEUDONYM_KEY.decode())


def _found(needles: tuple[str, ...], haystack: str) -> list[str]:
    return [n for n in needles if re.search(re.escape(n), haystack, re.IGNORECASE)]


@pytest.fixture
def debug_logs() -> Iterator[io.StringIO]:
    """Every logger at DEBUG into one buffer through the bot's own root handler and filter."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    buffer = io.StringIO()
    configure_logging("DEBUG", secrets=(DEFAULT_TOKEN, E2E_WEBHOOK_SECRET, E2E_PSEUDONYM_KEY),
                      stream=buffer)
    noisy = ("httpx", "httpcore", "sqlalchemy.engine", "aiohttp", "telegram", "asyncio")
    saved = {name: logging.getLogger(name).level for name in noisy}
    for name in noisy:
        logging.getLogger(name).setLevel(logging.DEBUG)  # the most the libraries ever say
    try:
        yield buffer
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)


async def _file_report(emulator: Emulator) -> None:
    person = emulator.user(USER_ID, first_name=FIRST, last_name=LAST, username=USERNAME,
                           language_code="en")
    await say(person, "/start", replies=1)
    await say(person, "/report")
    await press(person, "k:job_offer")
    await say(person, "The recruiter is @hr_amy_kk, +855 12 345 678")
    await press(person, "done")
    await say(person, f"{STORY}. I am {FIRST} {LAST} (@{USERNAME}), call me on {PHONES[0]}, "
                      f"WhatsApp {PHONES[1]} or at home {PHONES[2]}.")
    await press(person, "done")
    await press(person, "w:week")
    await press(person, "cc:TH")
    await press(person, "ok")
    await press(person, "notify")
    await press(person, "agree", replies=2)
    await person.wait_until_settled(quiet=0.5)


def _check(settings: Settings, logs: str) -> None:
    assert len(logs.splitlines()) > 50, "the flows should have logged at DEBUG"
    assert _found(IDENTITY, logs) == []
    assert _found(SECRETS, logs) == []
    assert _found((STORY, "Mae Sot", "hr_amy_kk"), logs) == []
    engine = create_db_engine(settings.database_url)
    try:
        dump = dump_text(engine)
    finally:
        engine.dispose()
    assert "Mae Sot" in dump, "the report was stored"
    assert _found(IDENTITY, dump) == []


async def test_polling_logs_and_database_hold_no_identity(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings,
        debug_logs: io.StringIO) -> None:
    await bot_app()
    await _file_report(emulator)
    _check(e2e_settings, debug_logs.getvalue())


async def test_webhook_logs_and_database_hold_no_identity(
        emulator: Emulator, webhook_bot: WebhookBotFactory, e2e_settings: Settings,
        debug_logs: io.StringIO) -> None:
    await webhook_bot()
    await _file_report(emulator)
    _check(e2e_settings, debug_logs.getvalue())


def test_the_filter_withholds_library_arguments_exception_texts_and_secrets() -> None:
    privacy = PrivacyFilter(["hunter2-webhook-secret"])

    def record(name: str, msg: str, *args: object, exc: BaseException | None = None) -> str:
        entry = logging.LogRecord(name, logging.DEBUG, __file__, 1, msg, args or None,
                                  (type(exc), exc, exc.__traceback__) if exc else None)
        privacy.filter(entry)
        return entry.getMessage() + (entry.exc_text or "")

    line = record("telegram.Bot", "Calling Bot API endpoint `%s` with parameters `%s`",
                  "sendMessage", {"chat_id": USER_ID, "text": FIRST})
    assert str(USER_ID) not in line and FIRST not in line and "sendMessage" not in line
    assert "https://x/bot[secret]/getMe" in record(
        "httpx", f"HTTP Request: POST https://x/bot{DEFAULT_TOKEN}/getMe")
    assert "@[handle]" in record("aiohttp.access", f"GET /review?u=@{USERNAME}")
    try:
        raise ValueError(f"bad name {FIRST}")
    except ValueError as error:
        line = record("bot.dispatch", "update failed: %s", "ValueError", exc=error)
    assert FIRST not in line and "ValueError: [message withheld]" in line
    assert "[secret]" in record("bot.web", "secret was %s", "hunter2-webhook-secret")
