"""Pictures sent to the bot: downloaded into memory, read (OCR + QR), then screened as text.

The picture itself is never stored or logged; only the text read from it goes on, and that
text is redacted like any narrative before a report stores it.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from dataclasses import dataclass

from telegram import Message
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.router import TOO_MANY_PICTURES
from screening.ocr import MAX_IMAGE_BYTES, ImageError, read_image_async

# Per person and instance: OCR is the most expensive thing the bot does.
PICTURES_PER_MINUTE = 5

_recent: dict[str, deque[float]] = {}


@dataclass(frozen=True)
class PictureText:
    text: str  # caption, text read from the picture and QR payloads, one per line
    error: str | None = None  # an ImageError value or TOO_MANY_PICTURES
    read: str = ""  # what was read from the picture itself (OCR text and QR payloads)


def picture_of(message: Message) -> tuple[str, int | None] | None:
    """(file_id, size) of the picture in a message: the largest photo size, or an image file."""
    if message.photo:
        largest = message.photo[-1]
        return largest.file_id, largest.file_size
    document = message.document
    if document is not None and (document.mime_type or "").startswith("image/"):
        return document.file_id, document.file_size
    return None


def _allow(user_key: str, now: float) -> bool:
    recent = _recent.setdefault(user_key, deque())
    while recent and now - recent[0] > 60:
        recent.popleft()
    if len(recent) >= PICTURES_PER_MINUTE:
        return False
    recent.append(now)
    if len(_recent) > 10_000:  # forget idle people so the map stays small
        for key in [k for k, v in _recent.items() if not v or now - v[-1] > 60]:
            del _recent[key]
    return True


async def read_picture(context: ContextTypes.DEFAULT_TYPE, message: Message, *, user_key: str,
                       locale_hint: str | None) -> PictureText | None:
    found = picture_of(message)
    if found is None:
        return None
    if not _allow(user_key, time.monotonic()):
        return PictureText("", TOO_MANY_PICTURES)
    file_id, size = found
    if size is not None and size > MAX_IMAGE_BYTES:
        return PictureText("", ImageError.TOO_LARGE.value)
    # "typing…" while the picture is read (OCR takes seconds); only an indicator: reading goes
    # on without it.
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    telegram_file = await context.bot.get_file(file_id)
    data = bytes(await telegram_file.download_as_bytearray())
    reading = await read_image_async(data, locale_hint=locale_hint)
    if reading.error is not None:
        return PictureText("", reading.error)
    read = "\n".join(part for part in (reading.text, *reading.qr_payloads) if part.strip())
    text = "\n".join(part for part in (message.caption or "", read) if part.strip())
    if not text.strip():
        return PictureText("", ImageError.UNREADABLE.value)
    return PictureText(text, read=read)
