"""Sends the alerts for the staff chat (`STAFF_CHAT_ID`) that flows stored (`storage/alerts.py`).

Every instance runs one sender (`bot.app.start_background_jobs`), beside the review notifier
(`bot/notifier.py`, which tells reporters) and the /talk relay (`bot/relay.py`). Each round it
takes the alerts that are due, one at a time with a lease, sends each to the staff chat
configured now, and deletes it once Telegram took it. Any failure (no connection, a 5xx, a
flood wait, a staff chat that does not exist or that the bot was removed from) puts it back
with a growing delay (`storage.alerts.retry_delay`), for ever: the alert also shows, as
waiting, at the top of the staff app's queue until it is delivered.

At least once (`storage/alerts.py` says why): an alert whose send was interrupted before its
row was deleted is sent again once its lease runs out. The person who asked for help was
answered by the flow already; nothing here writes to them.

Without a staff chat nothing is queued (the flows check), and whatever waited from before
the setting was removed stays waiting, shown in the staff app.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import RetryAfter

from bot.config import Settings
from storage import alerts as store
from storage.db import session_scope

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


class AlertSender:
    def __init__(self, bot: Bot, engine: Engine, settings: Settings, *,
                 sender_id: str | None = None, poll_seconds: float = POLL_SECONDS,
                 lease: timedelta = store.LEASE) -> None:
        self.bot = bot
        self.engine = engine
        self.settings = settings
        self.sender = sender_id or f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.poll_seconds = poll_seconds
        self.lease = lease

    def _now(self) -> datetime:
        return datetime.now(UTC)

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception as error:  # the sender must outlive any one failure
                log.warning("staff alert round failed: %s", type(error).__name__)
            await asyncio.sleep(self.poll_seconds)

    async def run_once(self) -> int:
        """Send what is due; returns how many alerts Telegram took."""
        chat = self.settings.staff_chat_id
        if chat is None:
            return 0
        sent = 0
        for alert_id in await asyncio.to_thread(self._due):
            text = await asyncio.to_thread(self._claim, alert_id)
            if text is None:
                continue  # another instance has it, or it is gone
            try:
                await self.bot.send_message(chat, text, parse_mode=ParseMode.HTML)
            except Exception as error:  # any failure: kept and retried, never dropped
                wait = timedelta(seconds=_seconds(error.retry_after)) \
                    if isinstance(error, RetryAfter) else timedelta(0)
                log.warning("staff alert not delivered, will retry: %s", type(error).__name__,
                            extra={"alert_id": alert_id})
                await asyncio.to_thread(self._retry_later, alert_id, type(error).__name__, wait)
                continue
            # Cancelled (shutdown) or killed before this: the lease runs out and it goes again.
            await asyncio.to_thread(self._delivered, alert_id)
            sent += 1
            log.info("staff alert delivered", extra={"alert_id": alert_id})
        return sent

    def _due(self) -> list[int]:
        with session_scope(self.engine, read_only=True) as db:
            return store.due_alerts(db, now=self._now())

    def _claim(self, alert_id: int) -> str | None:
        with session_scope(self.engine) as db:
            return store.claim_alert(db, alert_id=alert_id, sender=self.sender, now=self._now(),
                                     seal_key=self.settings.seal_keys, lease=self.lease)

    def _delivered(self, alert_id: int) -> None:
        with session_scope(self.engine) as db:
            store.delivered(db, alert_id=alert_id)

    def _retry_later(self, alert_id: int, error: str, wait: timedelta) -> None:
        with session_scope(self.engine) as db:
            store.retry_later(db, alert_id=alert_id, sender=self.sender, now=self._now(),
                              error=error, at_least=wait)


def _seconds(value: object) -> float:
    total_seconds = getattr(value, "total_seconds", None)
    return float(total_seconds()) if callable(total_seconds) else float(value)  # type: ignore[arg-type]



ALERTS_KEY = "staff_alerts"
