"""From a Telegram update to a flow step and back.

One path for every update of a private chat, pictures included (`process_private`):
its Bot API JSON → an `Event` (`event_from_payload`; pseudonymised: the clear Telegram id
stops here; a picture becomes the text read from it) → in one short database transaction,
run off the event loop: lock the person's conversation row, choose the locale once, run the
pure flow step, save the new state → only after the commit, the replies are sent, so a crash
never sends a reply for a state that was not stored.

Who calls it: the inbox worker (bot/web.py) with the stored JSON and its `Delivery`
(`process_inbox_update`); long polling through python-telegram-bot's handler chain
(`on_message`, `on_callback_query`), which hands the update's JSON over. Updates of groups
and channels keep python-telegram-bot's objects (`answer_in_group`): one short line at most.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session
from telegram import Bot, Update
from telegram.constants import ChatType, MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot import metrics
from bot.config import Settings
from bot.pictures import picture_in, read_picture
from bot.relay import on_staff_group_message
from bot.services import Services, get_services, services_of
from bot.telegram_http import LurecheckBot
from bot.threads import in_thread
from handlers.router import route
from handlers.types import (
    Conversation,
    Event,
    EventKind,
    Reply,
    decode_callback,
    encode_callback,
    replies_from_json,
    replies_to_json,
)
from locales.i18n import Translator, get_translator, normalise_locale, resolve_locale
from storage.conversations import lock_conversation_with_prefs, save_conversation
from storage.db import Database, StepTransaction, session_scope, step_scope
from storage.inbox import mark_all_done
from storage.jsoncodec import loads
from storage.prefs import get_prefs
from storage.pseudonym import pseudonymise
from storage.sealing import SealError, SealKeys, unseal
from storage.talk import open_case_of

log = logging.getLogger(__name__)

_MEDIA_KINDS = ("photo", "sticker", "voice", "video_note", "video", "audio", "document",
                "animation", "location", "contact", "poll", "dice")


# Transient Bot API failures (5xx, timeouts, 429 beyond the rate limiter's retries) are
# retried with backoff, so a burst or a Telegram hiccup never drops a reply.
SEND_ATTEMPTS = 6
SEND_BACKOFF_SECONDS = 0.5

# `Counter.labels` takes a lock and checks its labels on every call: the children of the
# updates counter are bound once per kind.
_UPDATES_OK = {kind: metrics.UPDATES.labels(kind=kind.value, outcome="ok") for kind in EventKind}


@dataclass
class Delivery:
    """How processing one inbox update went, read by the webhook worker; handed to
    `process_inbox_update` as a parameter (long polling has none: no inbox).

    `committed` becomes True once the step's new state is stored: from then on the update
    must not be processed again (its replies are retried instead)."""

    attempt: int = 1
    final_attempt: bool = True
    committed: bool = False
    failed: bool = False
    error: str | None = None
    # The webhook's HTTP answer already acknowledged a pressed button (bot/web.py).
    callback_answered: bool = False
    # Updates the worker finished earlier (replies sent), marked done in this update's step
    # transaction: no transaction of their own (bot/web.py, InboxWorker._done).
    mark_done: Sequence[int] = ()
    # The webhook's pseudonym of this update's chat, computed as it was stored here: (key,
    # Telegram id, pseudonym). In a private chat that id is the person's, and the event
    # reuses it instead of a second HMAC of the same id with the same key.
    pseudonym: tuple[bytes, int, str] | None = None


LAST_STEP_KEY = "_last_step"
# The replies kept for a re-delivery can quote what the person typed (an alert to staff with
# the number they chose to give, a report summary): never in clear. They are kept in the
# conversation's data, which `save_conversation` seals as a whole with the same keys. Rows
# written before sealed them once more on their own (a string): still opened.
LAST_STEP_PURPOSE = "last-step-replies"


def _opened_replies(kept: object, *, key: SealKeys) -> list[Reply] | None:
    """The kept replies, or None if they cannot be read (e.g. the key was rotated)."""
    try:
        if isinstance(kept, str):
            kept = loads(unseal(kept, key=key, purpose=LAST_STEP_PURPOSE))
        return replies_from_json(kept)  # type: ignore[arg-type]
    except (SealError, ValueError, TypeError, KeyError, AttributeError):
        return None


@dataclass
class StepResult:
    replies: list[Reply]
    version: int
    locale: str


class StepContext:
    """What a flow step gets (handlers.types.FlowContext). `sql` is the step's transaction for
    Core statements (a bare connection while no ORM session exists); `db`, an ORM session in
    the same transaction, is made only when a step asks for it (storage.db.StepTransaction):
    most steps never do."""

    __slots__ = ("_step", "now", "settings", "t")

    def __init__(self, *, t: Translator, step: StepTransaction, settings: Settings,
                 now: datetime) -> None:
        self.t, self._step, self.settings, self.now = t, step, settings, now

    @property
    def db(self) -> Session:
        return self._step.session

    @property
    def sql(self) -> Database:
        return self._step.core


def run_step(services: Services, event: Event, *, replayable: bool = False,
             mark_done: Sequence[int] = ()) -> StepResult:
    """One transaction: lock → decide locale → pure step → save. Runs in a worker thread.

    `replayable` (storage.db) only for updates from the durable inbox: a step undone by a
    power loss runs again from the stored update, whose "done" mark is undone with it.
    Polling has no inbox: those stay FULL. `mark_done`: inbox updates finished earlier, marked
    done in this transaction (storage.inbox.mark_all_done): committed with the step, or not
    at all."""
    settings = services.settings
    now = datetime.now(UTC)
    with step_scope(services.engine, replayable=replayable) as step:
        if mark_done:
            mark_all_done(step.core, update_ids=mark_done)
        # Drafts in the conversation are sealed at rest (storage.conversations).
        # Rotation: what the person owns under a retired key's pseudonym moves to this one.
        row, prefs = lock_conversation_with_prefs(step, user_key=event.user_key,
                                                  seal_key=settings.seal_keys,
                                                  former_user_keys=event.former_user_keys)
        stored = dict(row.data or {})
        last = stored.pop(LAST_STEP_KEY, None)
        kept = (_opened_replies(last.get("replies"), key=settings.seal_keys)
                if last and event.update_id is not None and last.get("update_id") == event.update_id
                else None)
        if kept is not None:
            # Re-delivered after its step was stored (a worker died before marking it done):
            # do not run the step twice; send its replies again instead.
            return StepResult(replies=kept, version=row.version,
                              locale=resolve_locale(chosen=prefs.locale if prefs else None,
                                                    telegram_code=event.telegram_language,
                                                    default=settings.default_locale))
        conversation = Conversation(
            flow=row.flow, state=row.state, data=stored, version=row.version,
            locale=prefs.locale if prefs else None, country=prefs.country if prefs else None,
        )
        locale = resolve_locale(chosen=conversation.locale, telegram_code=event.telegram_language,
                                default=settings.default_locale)
        ctx = StepContext(t=get_translator(locale), step=step, settings=settings, now=now)
        updated_at = row.updated_at
        if updated_at is not None and updated_at.tzinfo is None:
            updated_at = updated_at.replace(tzinfo=UTC)
        idle_for = now - updated_at if updated_at else None
        outcome = route(event, conversation, ctx, idle_for=idle_for)
        if outcome.forget:
            # The row was deleted with the rest of the person's data: not written back (the
            # save would find no row and raise; it never recreates one).
            return StepResult(replies=outcome.replies, version=0, locale=locale)
        new = outcome.conversation
        changed = (new.flow, new.state, new.data) != (row.flow, row.state, stored)
        version = row.version + 1 if changed else row.version
        data = dict(new.data)
        if event.update_id is not None:
            data[LAST_STEP_KEY] = {"update_id": event.update_id,
                                   "replies": replies_to_json(outcome.replies)}
        row.flow, row.state, row.data, row.version = new.flow, new.state, data, version
        row.updated_at = now
        save_conversation(step.core, row=row, seal_key=settings.seal_keys)
        # The locale may have just been chosen in this step (/language).
        final_locale = resolve_locale(chosen=new.locale, telegram_code=event.telegram_language,
                                      default=settings.default_locale)
        return StepResult(replies=outcome.replies, version=row.version, locale=final_locale)


def event_from_update(update: Update, *, key: bytes,
                      former_keys: Sequence[bytes] = ()) -> Event | None:
    return event_from_payload(update.to_dict(), key=key, former_keys=former_keys)


def event_from_payload(payload: Mapping[str, Any], *, key: bytes,
                       former_keys: Sequence[bytes] = (),
                       known: tuple[bytes, int, str] | None = None) -> Event | None:
    """The flow's event for one update as the Bot API sends it (JSON), or None when it has no
    person and private-or-group chat to answer. The clear Telegram id stops here.
    `former_keys`: retired pseudonym keys (rotation), whose pseudonyms of the person the step
    may adopt (`Event.former_user_keys`). `known`: a pseudonym already computed (key, id,
    pseudonym; `Delivery.pseudonym`), used when it is the person's under `key`."""
    query = _json_object(payload.get("callback_query"))
    message = (_json_object(payload.get("message")) if query is None
               else _json_object(query.get("message")))
    edited = False
    if query is None and message is None:
        message = _json_object(payload.get("edited_message"))
        edited = message is not None
    user = _json_object((query or message or {}).get("from"))
    chat = _json_object((message or {}).get("chat"))
    user_id = _json_int((user or {}).get("id"))
    chat_id = _json_int((chat or {}).get("id"))
    update_id = _json_int(payload.get("update_id"))
    if user is None or user_id is None or chat_id is None or message is None:
        return None
    user_key = (known[2] if known is not None and known[1] == user_id and known[0] == key
                else pseudonymise(user_id, key=key))
    former = tuple(pseudonymise(user_id, key=old) for old in former_keys)
    username, first, last = (_json_str(user.get(field)) for field in
                             ("username", "first_name", "last_name"))
    full_name = f"{first} {last}" if first and last else first
    identity = tuple(part for part in (f"@{username}" if username else "", full_name, first)
                     if len(part) >= 3)
    language = _json_str(user.get("language_code")) or None
    if query is not None:
        version, action = decode_callback(_json_str(query.get("data")))
        return Event(kind=EventKind.BUTTON, user_key=user_key, chat_id=chat_id, button=action,
                     button_version=version, telegram_language=language, update_id=update_id,
                     reporter_identity=identity, former_user_keys=former)
    message_text = _json_str(message.get("text"))
    if message_text.startswith("/"):
        command, _, rest = message_text[1:].partition(" ")
        return Event(kind=EventKind.COMMAND, user_key=user_key, chat_id=chat_id, text=rest.strip(),
                     command=command.split("@", 1)[0].lower(), telegram_language=language,
                     edited=edited, update_id=update_id, reporter_identity=identity, former_user_keys=former)
    text = message_text or _json_str(message.get("caption"))
    origin = _forward_origin_handle(message)
    media_kind = next((kind for kind in _MEDIA_KINDS if message.get(kind)), None)
    message_id = _json_int(message.get("message_id"))
    file_id = _file_id(message)
    document = _json_object(message.get("document")) or {}
    file_fields: dict[str, Any] = {}
    if document and file_id:
        file_fields = {"file_type": _json_str(document.get("mime_type")) or None,
                       "file_name": _json_str(document.get("file_name")) or None,
                       "file_size": _json_int(document.get("file_size"))}
    if text:
        return Event(kind=EventKind.TEXT, user_key=user_key, chat_id=chat_id, text=text,
                     forward_origin=origin, telegram_language=language, edited=edited,
                     media_kind=media_kind, update_id=update_id, reporter_identity=identity,
                     former_user_keys=former, message_id=message_id, file_id=file_id,
                     **file_fields)
    return Event(kind=EventKind.MEDIA, user_key=user_key, chat_id=chat_id,
                 media_kind=media_kind or "other", forward_origin=origin,
                 telegram_language=language, edited=edited, update_id=update_id,
                 reporter_identity=identity, former_user_keys=former,
                 message_id=message_id, file_id=file_id, **file_fields)


def _file_id(message: Mapping[str, Any]) -> str | None:
    """The largest size of a photo, or a file sent as a document (relayed by /talk when it is
    a kind that can be cleaned)."""
    photo = message.get("photo")
    if isinstance(photo, list) and photo:
        return _json_str((_json_object(photo[-1]) or {}).get("file_id")) or None
    document = _json_object(message.get("document")) or {}
    return _json_str(document.get("file_id")) or None


def _json_object(value: object) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _json_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _json_str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _forward_origin_handle(message: Mapping[str, Any]) -> str | None:
    """The public handle of whoever wrote a forwarded message, if Telegram tells us."""
    origin = _json_object(message.get("forward_origin")) or {}
    source = {"user": "sender_user", "chat": "sender_chat", "channel": "chat"}.get(
        _json_str(origin.get("type")))
    username = _json_str((_json_object(origin.get(source)) or {}).get("username")) if source else ""
    return "@" + username if username else None


def is_private(payload: Mapping[str, Any]) -> bool:
    """The update is a message, edit or pressed button in a private chat: `process_private`
    takes it. Anything else (groups, channels, junk) keeps python-telegram-bot's objects."""
    query = _json_object(payload.get("callback_query"))
    message = (_json_object(query.get("message")) if query is not None else
               _json_object(payload.get("message")) or _json_object(payload.get("edited_message")))
    return message is not None and (_json_object(message.get("chat")) or {}).get("type") == "private"


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split on paragraph, then line, then hard boundaries so every part fits Telegram."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def keyboard(reply: Reply, version: int) -> dict[str, Any] | None:
    """The reply's buttons as the Bot API's `InlineKeyboardMarkup` JSON. Built as plain dicts:
    PTB's button objects cost ~10× more to build and serialise (~55 µs per keyboard)."""
    if not reply.buttons:
        return None
    return {"inline_keyboard": [
        [{"text": b.text, "url": b.url} if b.url else
         {"text": b.text, "callback_data": encode_callback(version, b.action)}
         for b in row]
        for row in reply.buttons
    ]}


async def send_replies(bot: LurecheckBot, chat_id: int, result: StepResult) -> None:
    for reply in result.replies:
        target = reply.chat_id if reply.chat_id is not None else chat_id
        parts = split_text(reply.text)
        for index, part in enumerate(parts):
            markup = keyboard(reply, result.version) if index == len(parts) - 1 else None
            await _send_with_retry(bot, target, part, markup)


async def _send_with_retry(bot: LurecheckBot, chat_id: int, text: str,
                           markup: dict[str, Any] | None) -> None:
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            await bot.send_html_message(chat_id, text, reply_markup=markup)
            metrics.REPLIES.inc()
            return
        except Forbidden:
            log.info("person blocked the bot; reply dropped")
            return
        except RetryAfter as error:
            if attempt == SEND_ATTEMPTS:
                raise
            metrics.SEND_RETRIES.inc()
            await asyncio.sleep(_seconds(error.retry_after) + 0.1)
        except BadRequest:
            raise
        except NetworkError:
            if attempt == SEND_ATTEMPTS:
                raise
            metrics.SEND_RETRIES.inc()
            await asyncio.sleep(SEND_BACKOFF_SECONDS * 2 ** (attempt - 1))


def _reply_bot(bot: object) -> LurecheckBot:
    assert isinstance(bot, LurecheckBot), "bot.app.build_application makes a LurecheckBot"
    return bot


def _seconds(value: object) -> float:
    total_seconds = getattr(value, "total_seconds", None)
    return float(total_seconds()) if callable(total_seconds) else float(value)  # type: ignore[arg-type]


# --- the one path of a private update ---------------------------------------------------------

async def process_private(bot: Bot, services: Services, payload: Mapping[str, Any], *,
                          delivery: Delivery | None = None) -> None:
    """JSON → Event (a picture read into text) → step → send, for one update of a private
    chat (`is_private`). Failures are handled here (`_handle_failure`): with a `delivery`
    (the inbox), one before the step's state was stored marks it failed for a retry."""
    event = event_from_payload(payload, key=services.settings.pseudonym_key,
                               former_keys=services.settings.former_pseudonym_keys,
                               known=delivery.pseudonym if delivery is not None else None)
    query_id = _json_str((_json_object(payload.get("callback_query")) or {}).get("id"))
    if query_id and (delivery is None or not delivery.callback_answered):
        # Acknowledge first: the person's app shows a spinner until we do.
        await _answer_callback_query(bot, query_id, update_id=_json_int(payload.get("update_id")))
    if event is None:
        log.info("skipped update without a person or a message",
                 extra={"update_id": _json_int(payload.get("update_id"))})
        return
    try:
        picture = None if query_id or event.edited else picture_in(
            _json_object(payload.get("message")) or {})
        # In an open conversation with our team a picture is for them, not to be read by OCR.
        if picture is not None and not await asyncio.to_thread(_talking, services, event.user_key):
            event = await _with_picture_text(bot, services, event, picture)
        await _process(bot, services, event, delivery)
    except Exception as error:
        await _handle_failure(bot, error, update_id=event.update_id, private_chat_id=event.chat_id,
                              language=event.telegram_language, delivery=delivery)


async def _answer_callback_query(bot: Bot, query_id: str, *, update_id: int | None) -> None:
    try:
        await bot.answer_callback_query(query_id)
    except BadRequest:
        log.info("callback query too old to answer", extra={"update_id": update_id})


async def _process(bot: Bot, services: Services, event: Event, delivery: Delivery | None) -> None:
    started = time.perf_counter()
    result = await in_thread(run_step, services, event, replayable=delivery is not None,
                             mark_done=delivery.mark_done if delivery else ())
    if delivery is not None:
        delivery.committed = True
    await send_replies(_reply_bot(bot), event.chat_id, result)
    _UPDATES_OK[event.kind].inc()
    metrics.UPDATE_SECONDS.observe(time.perf_counter() - started)


async def _with_picture_text(bot: Bot, services: Services, event: Event,
                             picture: tuple[str, int | None]) -> Event:
    """A picture becomes the text read from it, or an event that says why it could not be read."""
    locale_hint = await asyncio.to_thread(_chosen_locale, services, event.user_key)
    read = await read_picture(bot, picture, caption=event.text, chat_id=event.chat_id,
                              user_key=event.user_key,
                              locale_hint=locale_hint or normalise_locale(event.telegram_language))
    if read.error is not None:
        return replace(event, kind=EventKind.MEDIA, text="", media_kind="photo",
                       image_error=read.error)
    return replace(event, kind=EventKind.TEXT, text=read.text, media_kind="photo",
                   read_from_picture=read.read)


def _talking(services: Services, user_key: str) -> bool:
    """A conversation with our team is open: a picture is for them, not to be read by OCR."""
    with session_scope(services.engine, read_only=True) as db:
        return open_case_of(db, user_key=user_key) is not None


def _chosen_locale(services: Services, user_key: str) -> str | None:
    with session_scope(services.engine, read_only=True) as db:
        prefs = get_prefs(db, user_key=user_key)
        return prefs.locale if prefs else None


# --- entries: the inbox, and python-telegram-bot's handler chain (long polling) --------------

async def process_inbox_update(application: Application, payload: Mapping[str, Any], *,
                               delivery: Delivery) -> None:
    """One update from the durable inbox (bot/web.py). A private chat's goes the one path;
    anything else becomes python-telegram-bot's `Update` (raising here if it cannot: the
    worker parks a malformed update) and is answered as the handler chain would."""
    services = services_of(application)
    if is_private(payload):
        await process_private(application.bot, services, payload, delivery=delivery)
        return
    update = Update.de_json(dict(payload), application.bot)
    try:
        await _answer_non_private(application, update, query_answered=delivery.callback_answered)
    except Exception as error:
        await _handle_failure(application.bot, error, update_id=update.update_id,
                              private_chat_id=None, language=None, delivery=delivery)


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """python-telegram-bot's handler (long polling): a private chat's message goes the one path."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        await process_private(context.bot, get_services(context), update.to_dict())
    else:
        await _answer_non_private(context.application, update)


async def on_callback_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """python-telegram-bot's handler (long polling) for pressed buttons."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        await process_private(context.bot, get_services(context), update.to_dict())
    else:
        await _answer_non_private(context.application, update)


async def _answer_non_private(application: Application, update: Update, *,  # type: ignore[type-arg]
                              query_answered: bool = False) -> None:
    """The staff group of "talk to a person" relays to the person; any other chat is answered
    as a group."""
    chat = update.effective_chat
    talk_chat_id = services_of(application).settings.talk_chat_id
    if chat is not None and talk_chat_id is not None and chat.id == talk_chat_id \
            and update.callback_query is None:
        await on_staff_group_message(application, update)
        return
    await answer_other(application.bot, update, query_answered=query_answered)


async def answer_other(bot: Bot, update: Update, *, query_answered: bool = False) -> None:
    """Updates outside private chats: a button's spinner stopped (unless the webhook's answer
    did, `query_answered`); in groups, one short line for commands only, so the bot never
    spams a group."""
    query = update.callback_query
    if query is not None:
        if not query_answered:
            await _answer_callback_query(bot, query.id, update_id=update.update_id)
        return
    message = update.effective_message
    if message is None or not (message.text or "").startswith("/"):
        return
    user = update.effective_user
    t = get_translator(normalise_locale(user.language_code if user else None) or "en")
    me = await bot.get_me()
    await message.reply_text(t.gettext(
        "To keep you safe, I only talk in a private chat. Open @{bot} and press Start.",
        bot=me.username))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    update_id = private_chat_id = language = None
    if isinstance(update, Update):
        update_id = update.update_id
        chat, user = update.effective_chat, update.effective_user
        private_chat_id = chat.id if chat is not None and chat.type == ChatType.PRIVATE else None
        language = user.language_code if user is not None else None
    await _handle_failure(context.bot, context.error, update_id=update_id,
                          private_chat_id=private_chat_id, language=language, delivery=None)


async def _handle_failure(bot: Bot, error: BaseException | None, *, update_id: int | None,
                          private_chat_id: int | None, language: str | None,
                          delivery: Delivery | None) -> None:
    # Log the failure without content: messages may identify the person.
    error_name = type(error).__name__
    metrics.ERRORS.labels(error=error_name).inc()
    log.error("update failed: %s", error_name, extra={"update_id": update_id}, exc_info=error)
    if delivery is not None and not delivery.committed:
        # Nothing was stored: the inbox will hand this update out again.
        delivery.failed = True
        delivery.error = error_name
        if not delivery.final_attempt:
            return
    if private_chat_id is not None:
        t = get_translator(normalise_locale(language) or "en")
        try:
            await bot.send_message(private_chat_id, t.gettext(
                "Sorry, something went wrong on our side. What you sent before is kept; "
                "please try again in a moment."))
        except TelegramError:
            log.warning("could not tell the person about the failure")
