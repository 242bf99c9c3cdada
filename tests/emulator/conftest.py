"""Fixtures for the emulator's own tests: a running emulator, a PTB `Bot` wired to it, and a
tiny echo `Application` that exercises it the way the real bot does (polling, handlers)."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import AsyncIterator

import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from emulator import DEFAULT_TOKEN, Emulator

os.environ.setdefault("PTB_TIMEDELTA", "1")


def loopback_request() -> HTTPXRequest:
    # Proxies from the environment must never see loopback test traffic.
    return HTTPXRequest(httpx_kwargs={"trust_env": False})


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator(webhook_retry_delay=0.01)
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


def make_bot(emulator: Emulator, token: str = DEFAULT_TOKEN) -> Bot:
    return Bot(token, base_url=emulator.base_url, base_file_url=emulator.base_file_url,
               request=loopback_request(), get_updates_request=loopback_request())


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    async with make_bot(emulator) as ptb_bot:
        yield ptb_bot


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    keyboard = InlineKeyboardMarkup([
        [InlineKeyboardButton("Check a job offer", callback_data="1|check"),
         InlineKeyboardButton("Report", callback_data="1|report")],
        [InlineKeyboardButton("Hotline", url="https://example.org/help")],
    ])
    await update.effective_message.reply_html(
        f"<b>Welcome</b>, language {update.effective_user.language_code}",
        reply_markup=keyboard)


async def _button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(text=f"got {query.data}")
    await query.edit_message_text(f"You chose <i>{query.data}</i>", parse_mode="HTML")


async def _photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.photo
    picture = await message.photo[-1].get_file()
    data = await picture.download_as_bytearray()
    await message.reply_text(f"photo of {len(data)} bytes, caption {message.caption!r}")


async def _text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    origin = message.forward_origin
    if origin is not None:
        await message.reply_text(f"forwarded ({origin.type}): {message.text}")
    elif update.edited_message is not None:
        await message.reply_text(f"edited: {message.text}")
    else:
        await message.reply_text(f"echo: {message.text}")


async def _two_parts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Two messages with a pause between them longer than a quiet moment: a slow step."""
    message = update.effective_message
    assert message is not None
    await message.reply_text("part one")
    await asyncio.sleep(0.5)
    await message.reply_text("part two")


def build_echo_app(emulator: Emulator) -> Application:
    application = (
        Application.builder().token(DEFAULT_TOKEN).base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url).request(loopback_request())
        .get_updates_request(loopback_request()).build()
    )
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(CommandHandler("two", _two_parts))
    application.add_handler(CallbackQueryHandler(_button))
    application.add_handler(MessageHandler(filters.PHOTO, _photo))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _text))
    return application


@pytest.fixture
async def echo_app(emulator: Emulator) -> AsyncIterator[Application]:
    """The echo bot, polling the emulator."""
    application = build_echo_app(emulator)
    async with application:
        assert application.updater is not None
        await application.updater.start_polling(
            allowed_updates=["message", "edited_message", "callback_query"])
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
