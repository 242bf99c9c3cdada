"""Sends the alerts for the staff chat (`STAFF_CHAT_ID`) that flows stored (`storage/alerts.py`).

Every instance runs one sender (`bot.app.start_background_jobs`), beside the review notifier
(`bot/notifier.py`, which tells reporters) and the /talk relay (`bot/relay.py`). Each round it
takes the alerts that are due, one at a time with a lease, sends each to the staff chat
configured now, and deletes it once Telegram took it. Any failure (no connection, a 5xx, a
flood wait, a staff chat that does not exist or that the bot was removed from) puts it back
with a growing delay (`storage.alerts.retry_delay`), for ever: the alert also shows, as
waiting, at the top of the staff app's queue until it is delivered.

At least once, and once as far as the Bot API lets us know (`storage/alerts.py` says why):
- a stop (`stop`: a deploy, SIGTERM) lets the alert being sent finish, sent and recorded, before
  the sender ends (cancelled only after `STOP_GRACE`);
- a record that fails after Telegram took the alert (the database went away) is kept here and
  written in the next rounds; this sender never sends that alert again;
- a failure that leaves the outcome unknown (a timeout, a connection broken after the request
  went out) and a claim after a sender that died between its send and its record mark the
  alert: its next send opens with a line saying it may repeat one already in the chat.
What remains: a process killed inside the HTTP call, or after it and before the record commits,
means one alert twice in the staff chat, the second marked. The person who asked for help
was answered by the flow already; nothing here writes to them.

Without a staff chat nothing is queued (the flows check), and whatever waited from before
the setting was removed stays waiting, shown in the staff app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.config import Settings
from locales.i18n import get_translator
from storage import alerts as store
from storage.db import session_scope

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# How long a stop waits for the alert being sent (the Bot API's own timeouts are 5 s each;
# docker stops a container with SIGKILL 10 s after SIGTERM).
STOP_GRACE = 6.0
# bot/telegram_http.py words a connection that was never made so: nothing reached Telegram.
_NOT_CONNECTED = ("aiohttp.ClientConnector", "aiohttp.ClientProxyConnectionError")


def outcome_unknown(error: BaseException) -> bool:
    """Whether Telegram may have taken a message whose send raised `error`: yes, unless the
    error says it did not (a refusal, a flood wait, a connection never made)."""
    if isinstance(error, BadRequest):
        return False
    if isinstance(error, NetworkError):  # TimedOut, a broken connection, Telegram's 5xx
        return not str(error).startswith(_NOT_CONNECTED)
    return not isinstance(error, TelegramError)  # Forbidden, RetryAfter…: refused


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
        self._stopping = asyncio.Event()
        # Alerts Telegram took whose `delivered` record failed: written in the next rounds.
        self._unrecorded: set[int] = set()

    def _now(self) -> datetime:
        return datetime.now(UTC)

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.run_once()
            except Exception as error:  # the sender must outlive any one failure
                log.warning("staff alert round failed: %s", type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.poll_seconds)

    async def stop(self, task: asyncio.Task[None], *, grace: float = STOP_GRACE) -> None:
        """End `task` (running `run`): the alert being sent is sent and recorded first, no new
        one is taken; cancelled if that takes longer than `grace` (a hung connection)."""
        self._stopping.set()
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(task, grace)

    async def run_once(self) -> int:
        """Send what is due; returns how many alerts Telegram took."""
        chat = self.settings.staff_chat_id
        if self._unrecorded:
            await asyncio.to_thread(self._record_unrecorded)
        if chat is None:
            return 0
        sent = 0
        for alert_id in await asyncio.to_thread(self._due):
            if self._stopping.is_set():
                break
            if alert_id in self._unrecorded:
                continue  # taken by Telegram already: only its record is missing
            claim = await asyncio.to_thread(self._claim, alert_id)
            if claim is None:
                continue  # another instance has it, or it is gone
            text = claim.text
            if claim.maybe_sent:
                staff = get_translator(self.settings.default_locale)
                text = "\n\n".join((staff.gettext(
                    "⚠️ Possibly a repeat: an earlier attempt to send this alert was cut off "
                    "before Telegram confirmed it, so it may be in this chat already."), text))
            try:
                await self.bot.send_message(chat, text, parse_mode=ParseMode.HTML)
            except Exception as error:  # any failure: kept and retried, never dropped
                wait = timedelta(seconds=_seconds(error.retry_after)) \
                    if isinstance(error, RetryAfter) else timedelta(0)
                log.warning("staff alert not delivered, will retry: %s", type(error).__name__,
                            extra={"alert_id": alert_id})
                await asyncio.to_thread(self._retry_later, alert_id, type(error).__name__, wait,
                                        outcome_unknown(error))
                continue
            sent += 1
            try:
                await asyncio.to_thread(self._delivered, alert_id)
            except Exception as error:  # Telegram has it: never sent again from here
                self._unrecorded.add(alert_id)
                log.warning("staff alert delivered, its record failed: %s", type(error).__name__,
                            extra={"alert_id": alert_id})
                continue
            log.info("staff alert delivered", extra={"alert_id": alert_id})
        return sent

    def _record_unrecorded(self) -> None:
        for alert_id in sorted(self._unrecorded):
            self._delivered(alert_id)  # raises while the database is away: the round waits
            self._unrecorded.discard(alert_id)
            log.info("staff alert delivered (recorded late)", extra={"alert_id": alert_id})

    def _due(self) -> list[int]:
        with session_scope(self.engine, read_only=True) as db:
            return store.due_alerts(db, now=self._now())

    def _claim(self, alert_id: int) -> store.Claim | None:
        with session_scope(self.engine) as db:
            return store.claim_alert(db, alert_id=alert_id, sender=self.sender, now=self._now(),
                                     seal_key=self.settings.seal_keys, lease=self.lease)

    def _delivered(self, alert_id: int) -> None:
        with session_scope(self.engine) as db:
            store.delivered(db, alert_id=alert_id)

    def _retry_later(self, alert_id: int, error: str, wait: timedelta, unknown: bool) -> None:
        with session_scope(self.engine) as db:
            store.retry_later(db, alert_id=alert_id, sender=self.sender, now=self._now(),
                              error=error, at_least=wait, outcome_unknown=unknown)


def _seconds(value: object) -> float:
    total_seconds = getattr(value, "total_seconds", None)
    return float(total_seconds()) if callable(total_seconds) else float(value)  # type: ignore[arg-type]



ALERTS_KEY = "staff_alerts"
