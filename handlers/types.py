"""The vocabulary every flow speaks: what came in (`Event`), where the person is
(`Conversation`), what to send back (`Reply`) and the result of one step (`Outcome`).

A flow step is a plain function `(event, conversation, ctx) -> Outcome`; it knows
nothing of python-telegram-bot, so it is tested without Telegram objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlmodel import Session

    from locales.i18n import Translator
    from storage.db import Database

CALLBACK_DATA_MAX_BYTES = 64


class EventKind(StrEnum):
    COMMAND = "command"
    TEXT = "text"
    BUTTON = "button"
    MEDIA = "media"  # sticker, voice, photo without caption…


@dataclass(frozen=True)
class Event:
    kind: EventKind
    user_key: str  # keyed pseudonym of the Telegram user; never the clear id
    chat_id: int
    text: str = ""
    command: str | None = None  # without the slash, lower case
    button: str | None = None  # action part of a pressed button
    button_version: int | None = None
    forward_origin: str | None = None  # "@handle" of a forwarded message's sender, if public
    media_kind: str | None = None
    telegram_language: str | None = None
    edited: bool = False
    update_id: int | None = None  # Telegram's; lets a re-delivered update be recognised
    image_error: str | None = None  # a picture could not be read (screening.ocr.ImageError value)
    # What OCR and QR codes read from a picture (no caption): shown back so it can be corrected.
    read_from_picture: str = ""
    # The message's id in the person's chat and its picture (largest photo size) or file (a
    # document: `media_kind` "document"), for relaying it to staff (handlers/talk.py).
    message_id: int | None = None
    file_id: str | None = None
    # A file sent as a document (any kind; /talk decides what it relays, storage.documents):
    # its MIME type and name as the app gives them, and its size. The name is read only for
    # its suffix and never stored.
    file_type: str | None = None
    file_name: str | None = field(default=None, repr=False)
    file_size: int | None = None
    # The person's own @username and names, only to redact them from what they write and to
    # keep them from becoming a "scam contact"; an Event is never stored.
    reporter_identity: tuple[str, ...] = field(default=(), repr=False)
    # The person's pseudonyms under retired keys (key rotation): data they own there moves to
    # `user_key` on their first update under the new key.
    former_user_keys: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Button:
    text: str
    action: str  # flow-specific action; the dispatcher prefixes the conversation version
    url: str | None = None


@dataclass(frozen=True)
class Reply:
    text: str  # HTML; user-supplied text must already be escaped with html.escape
    buttons: tuple[tuple[Button, ...], ...] = ()
    chat_id: int | None = None  # None: the person's own chat; else e.g. the staff chat


@dataclass
class Conversation:
    flow: str = "menu"
    state: str = "idle"
    data: dict[str, Any] = field(default_factory=dict)
    version: int = 0
    locale: str | None = None
    country: str | None = None

    def at(self, flow: str, state: str, data: dict[str, Any] | None = None) -> Conversation:
        """The one way a step moves the person on: the same person (version, language and
        country kept) at `state` of `flow`, with that step's `data` (default: none; never
        this conversation's dict, which the dispatcher compares against)."""
        return Conversation(flow=flow, state=state, data={} if data is None else data,
                            version=self.version, locale=self.locale, country=self.country)


@dataclass
class Outcome:
    conversation: Conversation
    replies: list[Reply] = field(default_factory=list)
    # The step erased everything about the person (/delete), their conversation row included:
    # the dispatcher must not write that row back.
    forget: bool = False


class FlowSettings(Protocol):
    """The settings flows read. The composition root (`bot`) hands its `Settings` down; flows
    never import it, so they depend on what they use, not on the bot package."""

    @property
    def staff_chat_id(self) -> int | None: ...
    @property
    def default_locale(self) -> str: ...
    @property
    def seal_keys(self) -> tuple[bytes, ...]: ...
    @property
    def retention_days(self) -> int | None: ...
    @property
    def public_base_url(self) -> str: ...
    # Talk to a person (handlers/talk.py; bot/config.py says what each means).
    @property
    def talk_chat_id(self) -> int | None: ...
    @property
    def talk_quiet_hours(self) -> int: ...
    @property
    def talk_answer_hours(self) -> int: ...
    @property
    def talk_open_days(self) -> tuple[int, ...]: ...
    @property
    def talk_open_from(self) -> time | None: ...
    @property
    def talk_open_until(self) -> time | None: ...
    @property
    def talk_timezone(self) -> str: ...


class FlowContext(Protocol):
    t: Translator
    now: datetime

    @property
    def settings(self) -> FlowSettings: ...

    @property
    def db(self) -> Session:
        """An ORM session in the step's transaction (made on first use: ask only when needed)."""

    @property
    def sql(self) -> Database:
        """The step's transaction for Core statements (`storage.db.run_fixed` and the like):
        cheaper than `db` while the step has not made its session."""


def encode_callback(version: int, action: str) -> str:
    data = f"{version}|{action}"
    if len(data.encode()) > CALLBACK_DATA_MAX_BYTES:
        raise ValueError(f"callback data over {CALLBACK_DATA_MAX_BYTES} bytes: {data!r}")
    return data


def decode_callback(data: str) -> tuple[int | None, str]:
    version, sep, action = data.partition("|")
    if not sep or not version.isdigit():
        return None, data
    return int(version), action


def replies_to_json(replies: list[Reply]) -> list[dict[str, Any]]:
    return [{"text": r.text, "chat_id": r.chat_id,
             "buttons": [[[b.text, b.action, b.url] for b in row] for row in r.buttons]}
            for r in replies]


def replies_from_json(data: list[dict[str, Any]]) -> list[Reply]:
    return [Reply(text=item["text"], chat_id=item.get("chat_id"),
                  buttons=tuple(tuple(Button(text, action, url) for text, action, url in row)
                                for row in item.get("buttons", [])))
            for item in data]
