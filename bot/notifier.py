"""Sends the opt-in "your report was reviewed" messages, in the reporter's language.

Runs in every instance; `take_notify_chat` locks the report and erases the sealed chat id in
the same step, so each person gets one message whatever the number of instances.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.engine import Engine
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.config import Settings
from handlers.review_updates import review_update_text
from locales.i18n import get_translator, resolve_locale
from storage.db import session_scope
from storage.indicators import indicators_of_report
from storage.prefs import get_prefs
from storage.reports import reports_awaiting_notification, take_notify_chat

log = logging.getLogger(__name__)

POLL_SECONDS = 30.0


def _take_due(engine: Engine, settings: Settings) -> list[tuple[int, str]]:
    """(chat id, message) for every reviewed report whose reporter asked to be told."""
    due: list[tuple[int, str]] = []
    with session_scope(engine) as db:
        for report in reports_awaiting_notification(db):
            assert report.id is not None
            chat_id = take_notify_chat(db, report_id=report.id, seal_key=settings.seal_keys)
            if chat_id is None:
                continue
            prefs = get_prefs(db, user_key=report.reporter_key)
            locale = resolve_locale(chosen=prefs.locale if prefs else None, telegram_code=report.language,
                                    default=settings.default_locale)
            indicators = indicators_of_report(db, report_id=report.id)
            due.append((chat_id, review_update_text(
                get_translator(locale), receipt_code=report.receipt_code, status=report.status,
                contacts=len(indicators),
                confirmed_contacts=sum(1 for indicator in indicators if indicator.confirmed))))
    return due


async def send_due_notifications(application: Application, engine: Engine, settings: Settings) -> int:
    sent = 0
    for chat_id, text in await asyncio.to_thread(_take_due, engine, settings):
        try:
            await application.bot.send_message(chat_id, text)
            sent += 1
        except Forbidden:
            log.info("reporter blocked the bot; review notification dropped")
        except TelegramError as error:
            log.warning("review notification not sent: %s", type(error).__name__)
    return sent


async def run_notifier(application: Application, engine: Engine, settings: Settings,
                       *, every: float = POLL_SECONDS) -> None:
    while True:
        with contextlib.suppress(Exception):
            await send_due_notifications(application, engine, settings)
        await asyncio.sleep(every)
