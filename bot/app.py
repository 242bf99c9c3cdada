"""python-telegram-bot wiring: one `Application`, three catch-all handlers, no PTB persistence.

Conversation state lives in the database (see `bot/dispatch.py`), so any instance can
serve any update and a restart continues every conversation where it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy.engine import Engine
from telegram import BotCommand
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    Job,
    MessageHandler,
    filters,
)

import screening
from bot.alerts import ALERTS_KEY, AlertSender
from bot.config import Settings
from bot.dispatch import on_callback_query, on_error, on_message
from bot.housekeeping import run_housekeeping_loop
from bot.notifier import run_notifier
from bot.ratelimit import TELEGRAM_OVERALL_PER_SECOND, TelegramRateLimiter
from bot.relay import RELAY_KEY, Relay
from bot.services import SERVICES_KEY, Services, services_of
from bot.telegram_http import AiohttpRequest, LurecheckBot
from handlers.registry import COMMANDS
from locales.i18n import SUPPORTED_LOCALES, get_translator
from storage.db import create_db_engine

log = logging.getLogger(__name__)

# Concurrency: updates of different people are processed in parallel; one person's
# updates are serialised by the row lock on their conversation. Bot API calls go through
# aiohttp (bot/telegram_http.py: a fifth of httpx's CPU per call here) on a small pool.
CONCURRENT_UPDATES = 16
CONNECTION_POOL_SIZE = 16
# How often the talk relay looks for answers written in the web app (bot/relay.py).
RELAY_POLL_SECONDS = 1.0


class LurecheckApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's `Application` without the persistence bookkeeping that nothing here reads.

    After each update it handles, PTB adds the update's chat id and user id to two sets that
    only `update_persistence` empties, and that returns at once when there is no persistence
    (conversations live in the database, see the module docstring). Without this, the sets
    keep one entry per distinct chat and person for the life of the process: ~11 MB at
    100,000 people in `bench/e2e_bench.py memory`, with a jump when a set's table doubles."""

    __slots__ = ()

    def _mark_for_persistence_update(self, *, update: object | None = None,
                                     job: Job[Any] | None = None) -> None:
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)


def build_application(settings: Settings, *, engine: Engine | None = None,
                      polling: bool = True, rate_limit_retries: int = 3,
                      chat_per_second: float = 1.0) -> Application:
    """The bot, talking to `settings.telegram_api_url` (Telegram, or the emulator).

    `chat_per_second` paces messages to one chat as Telegram asks; only the local sandbox,
    where no Telegram is involved, raises it so a scripted chat does not wait."""
    if settings.telegram_bot_token is None:
        raise ValueError("build_application needs a TELEGRAM_BOT_TOKEN (the sandbox makes one up)")
    engine = engine or create_db_engine(settings.database_url)
    # Rules, language profiles and questions load once here, not on the first person's message.
    screening.warm_up()
    # Proxy variables apply to Telegram, never to a local emulator.
    trust_env = not settings.telegram_api_url.startswith(("http://127.", "http://localhost"))
    bot = LurecheckBot(
        settings.telegram_bot_token,
        base_url=settings.bot_api_base_url,
        base_file_url=settings.bot_api_file_url,
        request=AiohttpRequest(connection_pool_size=CONNECTION_POOL_SIZE, trust_env=trust_env),
        get_updates_request=AiohttpRequest(connection_pool_size=1, read_timeout=40,
                                           trust_env=trust_env),
        rate_limiter=TelegramRateLimiter(
            overall_per_second=TELEGRAM_OVERALL_PER_SECOND / settings.instances,
            chat_per_second=chat_per_second, max_retries=rate_limit_retries),
    )
    builder: ApplicationBuilder = (
        Application.builder()
        .application_class(LurecheckApplication)
        .bot(bot)
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data[SERVICES_KEY] = Services(settings=settings, engine=engine)
    application.add_handler(CallbackQueryHandler(on_callback_query))
    application.add_handler(MessageHandler(filters.ALL, on_message))
    application.add_error_handler(on_error)
    return application


async def _post_init(application: Application) -> None:
    """Long-polling start (run_polling); the webhook server does the same in bot/web.py."""
    await publish_commands(application)
    start_background_jobs(application)


async def _post_shutdown(application: Application) -> None:
    await stop_background_jobs(application)


def start_background_jobs(application: Application) -> None:
    services = services_of(application)
    application.bot_data["notifier"] = asyncio.create_task(
        run_notifier(application, services.engine, services.settings), name="review-notifier")
    # Retention, abandoned drafts, old inbox rows: in every instance, run once per period.
    application.bot_data["housekeeping"] = asyncio.create_task(
        run_housekeeping_loop(services.engine, services.settings), name="housekeeping")
    relay = Relay(application.bot, services.engine, services.settings,
                  poll_seconds=RELAY_POLL_SECONDS)
    application.bot_data[RELAY_KEY] = relay
    application.bot_data["relay_task"] = asyncio.create_task(relay.run(), name="talk-relay")
    # Alerts for the staff chat that flows stored (urgent help): sent, retried, never lost.
    sender = AlertSender(application.bot, services.engine, services.settings)
    application.bot_data[ALERTS_KEY] = sender
    application.bot_data["alerts_task"] = asyncio.create_task(sender.run(), name="staff-alerts")


async def stop_background_jobs(application: Application) -> None:
    application.bot_data.pop(RELAY_KEY, None)
    sender = application.bot_data.pop(ALERTS_KEY, None)
    alerts_task = application.bot_data.get("alerts_task")
    if isinstance(sender, AlertSender) and alerts_task is not None:
        # First, and not cancelled mid-send: an alert sent but not recorded would go twice.
        await sender.stop(alerts_task)
    for name in ("notifier", "housekeeping", "relay_task", "alerts_task"):
        task = application.bot_data.pop(name, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def publish_commands(application: Application) -> None:
    """Localised command menus: Telegram shows each user the list for their app language."""
    for locale in SUPPORTED_LOCALES:
        if locale == "zh_Hant":
            continue  # Telegram keys lists by ISO 639-1 code: one "zh" list, Simplified
        t = get_translator(locale)
        commands = [BotCommand(name, t.gettext(description)) for name, description in COMMANDS]
        language_code = None if locale == "en" else locale.split("_")[0]
        await application.bot.set_my_commands(commands, language_code=language_code)

