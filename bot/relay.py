"""The relay of "talk to a person" (handlers/talk.py, storage/talk.py): sends what the person
wrote to the staff group, and what staff answered (web app or staff group) to the person.

Every instance runs one relay. A case is taken with a lease (`storage.talk.claim_case`), so
one instance at a time sends its messages, in id order. Delivery is record-then-send, at most
once: each delivery is taken in the database (pending → sending, only by the lease holder)
before the Bot API call and recorded after it; one interrupted in between (a crash, a timeout)
becomes `unsure` and is not sent again, since Telegram has no idempotency key and a resend
could be a duplicate. The message itself stays in the web thread, marked "may not have
arrived". Only errors after which Telegram surely did not take it (a flood wait, no
connection) put it back to pending for a retry.

Messages go by `copyMessage`, never `forwardMessage` (a forward shows the sender's name); a
picture sent as a file keeps its metadata (EXIF, GPS), so it is re-encoded here first. Staff
in the group are one forum topic per case, named by case number only.

The person's chat id is opened from its seal only here, only while the case has something
to send, and never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, ClassVar

from sqlalchemy.engine import Engine
from telegram import Bot, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application

from bot.config import Settings
from bot.services import services_of
from handlers.talk import notice_text
from locales.i18n import get_translator, resolve_locale
from storage import documents
from storage import talk as store
from storage.db import session_scope
from storage.models import TalkStatus

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
POLL_SECONDS = 1.0
QUIET_CHECK_SECONDS = 60.0
GROUP_ACTOR_PREFIX = "group:"

# Everything the bot itself writes in the staff group, in one place. In English, not through
# gettext: it is read by staff (like the web app, which is in English), never by the person, who
# only ever gets messages worded in their own language (handlers/talk.py). Keep staff-group
# wording here, not as literals further down.
class StaffGroupText:
    TOPIC_NAME = "Case {case}"
    # After an interrupted creation (storage.talk.begin_topic): an older "Case N" may exist.
    TOPIC_NAME_AGAIN = "Case {case} (topic made again)"
    TOPIC_AGAIN = ("The bot stopped while making this case's topic, so it was made again: an "
                   "older topic named “Case {case}” may exist in this group. It is no longer "
                   "used; answer here.")
    NOTES: ClassVar[Mapping[str, str]] = MappingProxyType({
        store.NOTE_OPENED: "Case {case} opened by the person. Reply in this topic; /close ends it, "
                           "/urgent marks it urgent.",
        store.NOTE_REOPENED: "Case {case} reopened by the person.",
        store.NOTE_CLOSED_BY_PERSON: "Case {case} closed by the person.",
        store.NOTICE_CLOSED_BY_STAFF: "Case {case} closed by staff.",
        store.NOTICE_CLOSED_QUIET: "Case {case} closed after the quiet period.",
        store.NOTE_URGENT: "Case {case} marked urgent.",
        store.NOTE_FILE_REFUSED: "That file was not sent to the person: it could not be cleaned "
                                 "of its metadata (not a readable picture, PDF or text file, or "
                                 "encrypted, or too large).",
    })
    UNKNOWN_NOTE = "Case {case}: {code}"
    BY_AUTHOR = " ({author})"
    WEB_ANSWER_PREFIX = "↪ {author} (web): "
    ONLY_TEXT_AND_PHOTOS = (f"Only text, photos, pictures, PDFs and .txt files of up to "
                            f"{documents.MAX_MEGABYTES} MB are relayed to the person (cleaned of "
                            "their metadata, under a neutral name); other files can carry names "
                            "and are not sent.")
    CLOSED = "Closed. The person was told; only they can open it again."
    MARKED_URGENT = "Marked urgent."
    COMMANDS = "Commands here: /close, /urgent. Anything else is sent to the person."
    CASE_CLOSED_NOTHING_SENT = ("This case is closed: nothing was sent. Only the person can open "
                                "it again.")


class _LeaseLost(Exception):
    """The case's lease went to another instance: stop sending its messages."""


def _surely_not_sent(error: TelegramError) -> bool:
    """Errors after which Telegram certainly did not deliver: a flood wait, or no connection
    made at all (PTB reports httpx's ConnectError as a NetworkError naming it)."""
    if isinstance(error, RetryAfter):
        return True
    return (isinstance(error, NetworkError) and not isinstance(error, TimedOut)
            and "ConnectError" in str(error))


@dataclass(frozen=True)
class _Work:
    case_id: int
    status: TalkStatus
    topic_id: int | None
    locale: str | None
    chat_id: int | None
    messages: list[Any]


class Relay:
    def __init__(self, bot: Bot, engine: Engine, settings: Settings, *,
                 worker_id: str | None = None, poll_seconds: float = POLL_SECONDS) -> None:
        self.bot = bot
        self.engine = engine
        self.settings = settings
        self.worker = worker_id or f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        last_quiet_check = 0.0
        loop = asyncio.get_running_loop()
        while True:
            # Cleared before the round, not after: a wake-up during the round starts the next.
            self._wake.clear()
            try:
                if loop.time() - last_quiet_check > QUIET_CHECK_SECONDS:
                    last_quiet_check = loop.time()
                    await asyncio.to_thread(self._close_quiet)
                await self.run_once()
            except Exception as error:  # the relay must outlive any one failure
                log.warning("talk relay round failed: %s", type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    def _now(self) -> datetime:
        return datetime.now(UTC)

    def _close_quiet(self) -> int:
        with session_scope(self.engine) as db:
            return store.close_quiet_cases(
                db, quiet_for=timedelta(hours=self.settings.talk_quiet_hours),
                to_group=self.settings.talk_chat_id is not None, now=self._now())

    async def run_once(self) -> int:
        """Relay what is pending; returns how many cases were handled."""
        handled = 0
        for case_id in await asyncio.to_thread(self._cases):
            if not await asyncio.to_thread(self._claim, case_id):
                continue  # another instance has it
            try:
                await self._relay_case(case_id)
                handled += 1
            finally:
                await asyncio.to_thread(self._release, case_id)
        return handled

    def _cases(self) -> list[int]:
        with session_scope(self.engine, read_only=True) as db:
            return store.cases_with_work(db, now=self._now())

    def _claim(self, case_id: int) -> bool:
        with session_scope(self.engine) as db:
            return store.claim_case(db, case_id=case_id, worker=self.worker, now=self._now(),
                                    lease=LEASE)

    def _release(self, case_id: int) -> None:
        with session_scope(self.engine) as db:
            store.release_case(db, case_id=case_id, worker=self.worker)

    def _load(self, case_id: int) -> _Work | None:
        with session_scope(self.engine, read_only=True) as db:
            case = db.get(store.TalkCase, case_id)
            if case is None:
                return None
            return _Work(case_id, case.status, case.topic_id, case.locale,
                         store.case_chat(db, case_id=case_id, seal_key=self.settings.seal_keys),
                         store.pending_messages(db, case_id=case_id))

    def _mark(self, message_id: int, **states: Any) -> None:
        with session_scope(self.engine) as db:
            store.mark_message(db, message_id=message_id, worker=self.worker, now=self._now(),
                               lease=LEASE, **states)

    def _begin(self, message_id: int, target: str) -> bool:
        with session_scope(self.engine) as db:
            return store.begin_delivery(db, message_id=message_id, target=target,
                                        worker=self.worker, now=self._now())

    def _settle(self, case_id: int) -> int:
        with session_scope(self.engine) as db:
            return store.settle_interrupted(db, case_id=case_id)

    async def _deliver(self, message: Any, target: str,
                       send: Callable[[], Awaitable[bool]]) -> None:
        """Record, then send: the delivery is taken (pending → sending, committed) before the
        Bot API call and recorded after it. A relay that dies in between leaves it `sending`,
        which the next lease holder settles as `unsure` instead of sending it again."""
        if not await asyncio.to_thread(self._begin, message.id, target):
            raise _LeaseLost
        try:
            sent = await send()
        except (Forbidden, BadRequest):
            await asyncio.to_thread(self._mark, message.id, **{target: store.FAILED})
            raise
        except TelegramError as error:
            # Telegram surely did not take it (flood wait, no connection): try again later.
            # Otherwise (a timeout, a 5xx) it may have: not sent again.
            await asyncio.to_thread(self._mark, message.id, **{
                target: store.PENDING if _surely_not_sent(error) else store.UNSURE})
            raise
        # Cancelled (shutdown) mid-call: the outcome is unknown; it stays `sending` and the
        # next lease holder settles it as `unsure`.
        await asyncio.to_thread(self._mark, message.id,
                                **{target: store.SENT if sent else store.FAILED})

    async def _relay_case(self, case_id: int) -> None:
        await asyncio.to_thread(self._settle, case_id)
        work = await asyncio.to_thread(self._load, case_id)
        if work is None:
            return
        group = self.settings.talk_chat_id
        if work.status == TalkStatus.erased:
            # /delete: the copies in the staff group go with the topic.
            if work.topic_id is not None and group is not None:
                with contextlib.suppress(TelegramError):
                    await self.bot.delete_forum_topic(group, work.topic_id)
            await asyncio.to_thread(self._drop_erased, case_id)
            return
        topic = work.topic_id
        for message in work.messages:
            try:
                if message.file_state == store.PENDING:
                    # Fetching a file twice is harmless: no record-then-send needed.
                    data = await self._fetch_file(message.kind, message.file_id)
                    if data is None:
                        # Not cleanable (or too large): nothing of it goes on; its sender is told.
                        await asyncio.to_thread(self._refuse_file, message.id)
                        continue
                    message.file_data = data
                    await asyncio.to_thread(self._mark, message.id, file_state=store.SENT,
                                            file_data=data)
                if message.group_state == store.PENDING:
                    if group is None:
                        await asyncio.to_thread(self._mark, message.id, group_state=store.FAILED)
                    else:
                        if topic is None:
                            topic = await self._create_topic(case_id, group)

                        async def to_group(topic: int = topic, message: Any = message) -> bool:
                            await self._to_group(group, topic, work, message)
                            return True
                        await self._deliver(message, "group_state", to_group)
                if message.person_state == store.PENDING:
                    async def to_person(message: Any = message) -> bool:
                        return await self._to_person(work, message)
                    await self._deliver(message, "person_state", to_person)
            except _LeaseLost:
                log.info("talk relay lost its lease: another instance has the case")
                return
            except (Forbidden, BadRequest) as error:
                # Will not work on a retry (the person blocked the bot, a message is gone).
                log.info("talk message not relayed: %s", type(error).__name__)
                await asyncio.to_thread(self._mark, message.id,
                                        **{state: store.FAILED for state in
                                           ("person_state", "group_state", "file_state")
                                           if getattr(message, state) == store.PENDING})
            except TelegramError as error:
                # Stop here so later messages never overtake this one.
                log.info("talk relay paused: %s", type(error).__name__)
                return

    def _drop_erased(self, case_id: int) -> None:
        with session_scope(self.engine) as db:
            store.drop_erased(db, case_id=case_id)

    async def _fetch_file(self, kind: str, file_id: str | None) -> bytes | None:
        """The file fetched and cleaned of its metadata (storage.documents); None when it is
        too large or cannot be cleaned."""
        if not file_id:
            return None
        telegram_file = await self.bot.get_file(file_id)
        if telegram_file.file_size and telegram_file.file_size > documents.MAX_BYTES:
            return None
        raw = bytes(await telegram_file.download_as_bytearray())
        try:
            return await asyncio.to_thread(documents.clean, kind, raw)
        except documents.DocumentRefused:
            return None

    def _refuse_file(self, message_id: int) -> None:
        with session_scope(self.engine) as db:
            store.refuse_file(db, message_id=message_id,
                              to_group=self.settings.talk_chat_id is not None, now=self._now())

    async def _create_topic(self, case_id: int, group: int) -> int:
        """Record-then-act (storage.talk.begin_topic): the creation is marked before the call,
        so a crash in between is noticed by the next relay, which makes the topic once more
        under a name staff can tell apart and says so in it."""
        mark = await asyncio.to_thread(self._begin_topic, case_id)
        if mark is None:
            raise _LeaseLost
        again = mark == store.TOPIC_RETRYING
        name = StaffGroupText.TOPIC_NAME_AGAIN if again else StaffGroupText.TOPIC_NAME
        try:
            topic = await self.bot.create_forum_topic(group, name.format(case=case_id))
        except TelegramError as error:
            if isinstance(error, (Forbidden, BadRequest)) or _surely_not_sent(error):
                await asyncio.to_thread(self._abandon_topic, case_id, mark)
            raise
        thread = topic.message_thread_id
        if not await asyncio.to_thread(self._set_topic, case_id, thread, mark):
            raise _LeaseLost
        if again:
            with contextlib.suppress(TelegramError):  # the web thread says it too
                await self.bot.send_message(group, html.escape(
                    StaffGroupText.TOPIC_AGAIN.format(case=case_id)), message_thread_id=thread,
                    parse_mode=ParseMode.HTML)
        return thread

    def _begin_topic(self, case_id: int) -> str | None:
        with session_scope(self.engine) as db:
            return store.begin_topic(db, case_id=case_id, worker=self.worker, now=self._now())

    def _abandon_topic(self, case_id: int, mark: str) -> None:
        with session_scope(self.engine) as db:
            store.abandon_topic(db, case_id=case_id, mark=mark)

    def _set_topic(self, case_id: int, topic_id: int, mark: str) -> bool:
        with session_scope(self.engine) as db:
            return store.set_topic(db, case_id=case_id, topic_id=topic_id, mark=mark)

    async def _to_group(self, group: int, topic: int, work: _Work, message: Any) -> None:
        if message.direction == store.NOTE:
            text = StaffGroupText.NOTES.get(message.text or "", StaffGroupText.UNKNOWN_NOTE).format(
                case=work.case_id, code=message.text)
            if message.author:
                text += StaffGroupText.BY_AUTHOR.format(author=message.author)
            await self.bot.send_message(group, html.escape(text), message_thread_id=topic,
                                        parse_mode=ParseMode.HTML)
            return
        if message.direction == store.IN and message.source == "person":
            if work.chat_id is None:
                raise BadRequest("the person's chat is no longer known")
            await self.bot.copy_message(group, work.chat_id, message.source_message_id,
                                        message_thread_id=topic)
            return
        prefix = "" if message.direction == store.IN else StaffGroupText.WEB_ANSWER_PREFIX.format(
            author=message.author)
        if message.kind in documents.CONTENT_TYPES:
            if message.file_data is None:
                raise BadRequest("file could not be cleaned")
            await self._send_file(group, message, caption=prefix + (message.text or ""),
                                  message_thread_id=topic)
        else:
            await self.bot.send_message(group, html.escape(prefix + (message.text or "")),
                                        message_thread_id=topic, parse_mode=ParseMode.HTML)

    async def _send_file(self, chat_id: int, message: Any, *, caption: str,
                         message_thread_id: int | None = None) -> None:
        """A cleaned picture as a photo, a cleaned document under a neutral name."""
        caption = caption[:1000] or ""
        if message.kind == documents.PHOTO:
            await self.bot.send_photo(chat_id, message.file_data, caption=caption or None,
                                      message_thread_id=message_thread_id)
            return
        await self.bot.send_document(
            chat_id, InputFile(message.file_data,
                               filename=documents.neutral_name(message.kind, message.id)),
            caption=caption or None, message_thread_id=message_thread_id)

    async def _to_person(self, work: _Work, message: Any) -> bool:
        if work.chat_id is None:
            return False
        if message.direction == store.NOTE:
            locale = resolve_locale(chosen=work.locale, telegram_code=None,
                                    default=self.settings.default_locale)
            text = notice_text(get_translator(locale), message.text or "", self.settings)
            if text is None:
                return False
            await self.bot.send_message(work.chat_id, text, parse_mode=ParseMode.HTML)
            return True
        if message.kind in documents.CONTENT_TYPES and message.file_data is not None:
            # A cleaned copy, never the original (a file keeps its metadata and its name).
            await self._send_file(work.chat_id, message, caption=message.text or "")
        elif message.source == "group":
            if self.settings.talk_chat_id is None:
                return False
            await self.bot.copy_message(work.chat_id, self.settings.talk_chat_id,
                                        message.source_message_id)
        else:
            # Escaped for HTML and sent as HTML: the person reads exactly what staff wrote.
            await self.bot.send_message(work.chat_id, html.escape(message.text or ""),
                                        parse_mode=ParseMode.HTML)
        return True


# --- the staff group: answers written in a case's topic ---------------------------------------

async def on_staff_group_message(application: Application, update: Update) -> None:  # type: ignore[type-arg]
    """A message in the staff group: in a case's topic it is an answer to the person (or
    /close, /urgent); anywhere else it is ignored."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or user.is_bot or message.message_thread_id is None:
        return
    services = services_of(application)
    text = message.text or message.caption or ""
    command = text.split(maxsplit=1)[0].split("@", 1)[0].lower() if text.startswith("/") else None
    is_photo = bool(message.photo)
    document = message.document
    file_kind = documents.kind_of(mime_type=document.mime_type, file_name=document.file_name) \
        if document is not None else None
    too_large = bool(document and document.file_size
                     and document.file_size > documents.MAX_BYTES)
    if command is None and not is_photo and (file_kind is None or too_large) and (
            document is not None or not message.text):
        await message.reply_text(StaffGroupText.ONLY_TEXT_AND_PHOTOS)
        return
    actor = GROUP_ACTOR_PREFIX + (user.username or str(user.id))

    def work() -> str | None:
        now = datetime.now(UTC)
        with session_scope(services.engine) as db:
            case = store.case_by_topic(db, topic_id=message.message_thread_id or 0)
            if case is None or case.id is None:
                return None
            try:
                if command == "/close":
                    store.close_case(db, case_id=case.id, actor=actor, to_group=False, now=now)
                    return StaffGroupText.CLOSED
                if command == "/urgent":
                    store.set_urgent(db, case_id=case.id, urgent=True, actor=actor, to_group=False,
                                     now=now)
                    return StaffGroupText.MARKED_URGENT
                if command is not None:
                    return StaffGroupText.COMMANDS
                # A photo is copied as Telegram compressed it (no metadata); a file is fetched
                # and cleaned by the relay (storage.documents), never copied as it is.
                store.add_staff_message(db, case_id=case.id, author=actor,
                                        kind=file_kind or ("photo" if is_photo else "text"),
                                        text=text or None, source="group",
                                        source_message_id=message.message_id,
                                        file_id=document.file_id if file_kind and document
                                        else None, to_group=False, now=now)
                return ""
            except store.TalkClosed:
                return StaffGroupText.CASE_CLOSED_NOTHING_SENT

    answer = await asyncio.to_thread(work)
    relay = application.bot_data.get(RELAY_KEY)
    if isinstance(relay, Relay):
        relay.wake()
    if answer:
        await message.reply_text(answer)


RELAY_KEY = "talk_relay"
