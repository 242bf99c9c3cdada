"""End-to-end harness: the real bot (`bot.app.build_application`) against the Bot API emulator.

Fixtures:
    emulator      an `Emulator` serving on a free loopback port
    e2e_settings  `Settings` for the bot: temp SQLite database (migrated), the emulator's URL
    bot_app       `await bot_app()` starts the bot with long polling; returns the Application
    webhook_bot   `await webhook_bot()` starts the bot behind `bot.web.create_web_app` on a free
                  port and points the emulator's webhook at it (secret token included)

Both pace messages to a chat at `E2E_CHAT_PER_SECOND`, not Telegram's 1 per second (the
emulator enforces no flood limit unless a test switches it on): the pace itself is tested with
the limiter (tests/bot/test_ratelimit.py), and here it only made each walk wait about a second
per extra message. A test about the pace passes `chat_per_second=1.0`.

Typical test::

    async def test_greets(emulator, bot_app):
        await bot_app()
        user = emulator.user(5, language_code="th")
        await user.send_command("/start")
        reply = await user.wait_for_reply()

Everything the fixtures start is stopped at teardown, in reverse order.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy.engine import Engine
from telegram.ext import Application

from bot.config import Settings
from emulator import DEFAULT_TOKEN, Emulator
from storage.db import create_db_engine
from storage.testing import migrated_sqlite_file

os.environ.setdefault("PTB_TIMEDELTA", "1")

E2E_PSEUDONYM_KEY = b"e2e-pseudonym-key-for-tests-only-0123456789"
E2E_WEBHOOK_SECRET = "e2e-webhook-secret_0123456789"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
E2E_CHAT_PER_SECOND = 100.0


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator(webhook_retry_delay=0.05)
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
def e2e_settings(tmp_path: Path, emulator: Emulator) -> Settings:
    database_url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    migrated_sqlite_file(tmp_path / "e2e.sqlite3")
    return Settings(
        telegram_bot_token=DEFAULT_TOKEN,
        database_url=database_url,
        secret_key=E2E_PSEUDONYM_KEY,
        data_dir=tmp_path,
        telegram_api_url=emulator.url,
    )


BotAppFactory = Callable[..., Awaitable[Application]]


@pytest.fixture
async def bot_app(e2e_settings: Settings, emulator: Emulator) -> AsyncIterator[BotAppFactory]:
    """Start the real bot with long polling; keyword arguments override settings. The emulator
    is told when the bot is idle (`Emulator.bot_idle`), so settling waits no quiet moment."""
    from bot.app import build_application

    started: list[Application] = []

    async def start(*, chat_per_second: float = E2E_CHAT_PER_SECOND,
                    **overrides: object) -> Application:
        settings = e2e_settings.with_overrides(**overrides) if overrides else e2e_settings
        application = build_application(settings, chat_per_second=chat_per_second)
        await application.initialize()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await application.start()
        started.append(application)
        return application

    async def idle(timeout: float) -> bool:
        # PTB counts an update unfinished from the moment the updater queues it (before it
        # confirms it by the next getUpdates) until every handler has returned; the bot's
        # replies are awaited inside its handlers.
        try:
            async with asyncio.timeout(timeout):
                for application in started:
                    await application.update_queue.join()
        except TimeoutError:
            return False
        return True

    emulator.bot_idle = idle
    try:
        yield start
    finally:
        emulator.bot_idle = None
        for application in reversed(started):
            assert application.updater is not None
            await application.updater.stop()
            await application.stop()
            await application.shutdown()


@dataclass
class WebhookBot:
    application: Application
    engine: Engine
    url: str  # what the emulator posts to


WebhookBotFactory = Callable[..., Awaitable[WebhookBot]]


@pytest.fixture
async def webhook_bot(e2e_settings: Settings, emulator: Emulator
                      ) -> AsyncIterator[WebhookBotFactory]:
    """Start the real bot behind its webhook server (`bot.web.create_web_app`), with the
    emulator delivering updates to it by POST with the secret token header."""
    from bot.app import build_application
    from bot.web import create_web_app, webhook_path

    runners: list[web.AppRunner] = []

    async def start(*, chat_per_second: float = E2E_CHAT_PER_SECOND,
                    **overrides: object) -> WebhookBot:
        # The route comes from WEBHOOK_URL's path; the port is only known once bound.
        settings = e2e_settings.with_overrides(
            webhook_url="http://127.0.0.1/telegram", webhook_secret=E2E_WEBHOOK_SECRET,
            **overrides)
        engine = create_db_engine(settings.database_url)
        application = build_application(settings, engine=engine, polling=False,
                                        chat_per_second=chat_per_second)
        runner = web.AppRunner(create_web_app(settings, application, engine=engine),
                               access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        url = f"http://127.0.0.1:{runner.addresses[0][1]}{webhook_path(settings)}"
        await application.bot.set_webhook(url, secret_token=E2E_WEBHOOK_SECRET,
                                          allowed_updates=ALLOWED_UPDATES)
        return WebhookBot(application, engine, url)

    try:
        yield start
    finally:
        for runner in reversed(runners):
            await runner.cleanup()
