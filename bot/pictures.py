"""Pictures sent to the bot: downloaded into memory, read (OCR + QR), then screened as text.

The picture itself is never stored or logged; only the text read from it goes on, and that
text is redacted like any narrative before a report stores it.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import TelegramError

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


def picture_in(message: Mapping[str, Any]) -> tuple[str, int | None] | None:
    """(file_id, size) of the picture in a message's Bot API JSON: the largest photo size, or
    an image file. None when there is none (or the fields are not what Telegram sends)."""
    photo = message.get("photo")
    if isinstance(photo, list) and photo:
        return _file(photo[-1])
    document = message.get("document")
    if isinstance(document, Mapping) and str(document.get("mime_type") or "").startswith("image/"):
        return _file(document)
    return None


def _file(item: object) -> tuple[str, int | None] | None:
    if not isinstance(item, Mapping) or not isinstance(item.get("file_id"), str):
        return None
    size = item.get("file_size")
    return item["file_id"], size if isinstance(size, int) and not isinstance(size, bool) else None


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


async def read_picture(bot: Bot, picture: tuple[str, int | None], *, caption: str, chat_id: int,
                       user_key: str, locale_hint: str | None) -> PictureText:
    """The text of `picture` (`picture_in`) with its caption, or why it could not be read."""
    if not _allow(user_key, time.monotonic()):
        return PictureText("", TOO_MANY_PICTURES)
    file_id, size = picture
    if size is not None and size > MAX_IMAGE_BYTES:
        return PictureText("", ImageError.TOO_LARGE.value)
    # "typing…" while the picture is read (OCR takes seconds); only an indicator: reading goes
    # on without it.
    with contextlib.suppress(TelegramError):
        await bot.send_chat_action(chat_id, ChatAction.TYPING)
    telegram_file = await bot.get_file(file_id)
    data = bytes(await telegram_file.download_as_bytearray())
    reading = await read_image_async(data, locale_hint=locale_hint)
    if reading.error is not None:
        return PictureText("", reading.error)
    read = "\n".join(part for part in (reading.text, *reading.qr_payloads) if part.strip())
    text = "\n".join(part for part in (caption, read) if part.strip())
    if not text.strip():
        return PictureText("", ImageError.UNREADABLE.value)
    return PictureText(text, read=read)
