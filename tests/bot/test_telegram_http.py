"""bot.telegram_http: python-telegram-bot's calls, answers and errors over aiohttp, and
LurecheckBot's replies, against the project's Bot API emulator."""

from __future__ import annotations

import asyncio
import base64
import io
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.ratelimit import TelegramRateLimiter
from bot.telegram_http import AiohttpRequest, LurecheckBot
from emulator import DEFAULT_TOKEN, Emulator

os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator()
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


def _bot(base_url: str, base_file_url: str, read_timeout: float = 5.0) -> Bot:
    return Bot(DEFAULT_TOKEN, base_url=base_url, base_file_url=base_file_url,
               request=AiohttpRequest(trust_env=False, read_timeout=read_timeout),
               get_updates_request=AiohttpRequest(trust_env=False, connection_pool_size=1))


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    async with _bot(emulator.base_url, emulator.base_file_url) as ptb_bot:
        yield ptb_bot


async def test_send_message_with_html_and_buttons_round_trips(emulator: Emulator, bot: Bot) -> None:
    person = emulator.user(501, first_name="Mai")
    await person.send_text("hi")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes ✓", callback_data="1:ok"),
                                    InlineKeyboardButton("Help", url="https://example.org/h")]])

    sent = await bot.send_message(person.chat_id, "<b>Bạn</b> có chắc không? 🙂",
                                  parse_mode="HTML", reply_markup=markup)

    assert sent.text == "Bạn có chắc không? 🙂"
    assert sent.reply_markup == markup
    [message] = person.messages
    assert message.source == "<b>Bạn</b> có chắc không? 🙂"
    assert message.raw["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "1:ok"


async def test_uploads_go_as_multipart_and_downloads_as_get(emulator: Emulator, bot: Bot) -> None:
    person = emulator.user(502)
    await person.send_text("hi")
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(buffer, format="PNG")

    sent = await bot.send_photo(person.chat_id, buffer.getvalue(), caption="a <i>photo</i>",
                                parse_mode="HTML")

    assert sent.caption == "a photo"
    file = await bot.get_file(sent.photo[-1].file_id)
    downloaded = bytes(await file.download_as_bytearray())
    # Telegram (and the emulator) keep photos re-encoded as JPEG.
    assert Image.open(io.BytesIO(downloaded)).size == (32, 24)
    assert downloaded == emulator.files[file.file_id].data


async def test_bot_api_errors_keep_their_ptb_classes(emulator: Emulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"[Cc]hat not found"):
        await bot.send_message(999_999, "nobody there")

    person = emulator.user(503)
    await person.send_text("hi")
    emulator.faults.configure({"retry_after_next": 1, "retry_after_seconds": 7})
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(person.chat_id, "too fast")
    assert raised.value.retry_after in (7, 7.0) or getattr(raised.value.retry_after, "seconds", 0) == 7


async def test_a_slow_answer_is_a_timeout(emulator: Emulator) -> None:
    person = emulator.user(504)
    await person.send_text("hi")
    async with _bot(emulator.base_url, emulator.base_file_url, read_timeout=0.2) as slow:
        await slow.send_message(person.chat_id, "fast enough")
        emulator.faults.latency = 1.0
        with pytest.raises(TimedOut):
            await slow.send_message(person.chat_id, "too slow")


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again at once: nothing listens there
    request = AiohttpRequest(trust_env=False, connect_timeout=2)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{DEFAULT_TOKEN}/getMe")
        assert not isinstance(raised.value, TimedOut)
    finally:
        await request.shutdown()


async def test_requests_need_initialize_and_shutdown_is_idempotent() -> None:
    request = AiohttpRequest(trust_env=False)
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:1/", "GET")
    await request.initialize()
    await request.shutdown()
    await request.shutdown()
    assert request.read_timeout == 5.0


class CountingLimiter(TelegramRateLimiter):
    def __init__(self) -> None:
        super().__init__(overall_per_second=1000, chat_per_second=1000)
        self.endpoints: list[str] = []

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):  # type: ignore[no-untyped-def]
        self.endpoints.append(endpoint)
        return await super().process_request(callback, args, kwargs, endpoint, data,
                                              rate_limit_args)


async def test_lurecheck_bot_sends_html_replies_through_the_rate_limiter(emulator: Emulator) -> None:
    person = emulator.user(505, first_name="Ana")
    await person.send_text("hi")
    limiter = CountingLimiter()
    bot = LurecheckBot(DEFAULT_TOKEN, base_url=emulator.base_url,
                       base_file_url=emulator.base_file_url,
                       request=AiohttpRequest(trust_env=False), rate_limiter=limiter)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Report", callback_data="3:report")]])
    async with bot:
        await bot.send_html_message(person.chat_id, "<b>High risk</b> · see https://example.org",
                                    reply_markup=markup)
        # Non-ASCII (Thai, an emoji beyond the BMP) goes as JSON escapes and arrives as sent.
        await bot.send_html_message(person.chat_id, "plain งานต่างประเทศ 💼 \"q\" \\ é")
        await bot.send_html_message(person.chat_id, "as JSON", reply_markup={
            "inline_keyboard": [[{"text": "Done", "callback_data": "3:done"}]]})
        person.block_bot()
        with pytest.raises(Forbidden):
            await bot.send_html_message(person.chat_id, "not delivered")

    assert limiter.endpoints[-4:] == ["sendMessage"] * 4
    first, second, third = person.messages
    assert first.source == "<b>High risk</b> · see https://example.org"
    assert first.parse_mode == "HTML"
    assert first.raw["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "3:report"
    assert "reply_markup" not in second.raw
    assert second.source == "plain งานต่างประเทศ 💼 \"q\" \\ é"
    assert third.raw["reply_markup"] == {"inline_keyboard": [[{"text": "Done",
                                                               "callback_data": "3:done"}]]}
    [call, *_] = emulator.calls_to("sendMessage")[-4:]
    assert "is_disabled" in str(call.params)


async def test_lurecheck_bot_replies_fail_with_ptbs_error_classes(emulator: Emulator) -> None:
    """Replies are posted without PTB's request path (bot/telegram_http.py), but an error
    answer still becomes the exception PTB raises for it."""
    person = emulator.user(506)
    await person.send_text("hi")
    bot = LurecheckBot(DEFAULT_TOKEN, base_url=emulator.base_url,
                       base_file_url=emulator.base_file_url, request=AiohttpRequest(trust_env=False))
    async with bot:
        with pytest.raises(BadRequest, match=r"[Cc]hat not found"):
            await bot.send_html_message(999_999, "nobody there")
        emulator.faults.configure({"retry_after_next": 1, "retry_after_seconds": 7})
        with pytest.raises(RetryAfter) as raised:
            await bot.send_html_message(person.chat_id, "too fast")
        assert raised.value.retry_after in (7, 7.0) or getattr(raised.value.retry_after,
                                                               "seconds", 0) == 7
        await bot.send_html_message(person.chat_id, "Ünïcode <b>ok</b> 🙂")
    assert [message.source for message in person.messages] == ["Ünïcode <b>ok</b> 🙂"]


class _Proxy:
    """A plain HTTP proxy stand-in: records each request's line and headers, answers ok."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.server: asyncio.base_events.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while head := await reader.readuntil(b"\r\n\r\n"):
            line, *fields = head.decode().split("\r\n")
            headers = {name.lower(): value.strip() for name, _, value in
                       (field.partition(":") for field in fields if field)}
            await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append((line, headers))
            body = b'{"ok":true,"result":true}'
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()


async def test_trust_env_reads_proxy_and_netrc_once_per_origin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With trust_env, calls go through the proxy of HTTP_PROXY with the `.netrc` credentials
    of the Bot API's host, as aiohttp's own trust_env sends them; read once per origin (a
    change of the variables afterwards is not seen), not on every call."""
    proxy = _Proxy()
    proxy_url = await proxy.start()
    netrc = tmp_path / "netrc"
    netrc.write_text("machine api.example.org login bot password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    request = AiohttpRequest(trust_env=True)
    await request.initialize()
    try:
        url = f"http://api.example.org/bot{DEFAULT_TOKEN}/sendMessage"
        assert await request.post_json(url, b'{"chat_id": 1, "text": "hi"}') == (
            200, b'{"ok":true,"result":true}')
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:1")  # nothing listens there
        netrc.write_text("machine api.example.org login other password changed\n")
        await request.post_json(url, b'{"chat_id": 1, "text": "again"}')
        status, _ = await request.do_request(f"http://api.example.org/bot{DEFAULT_TOKEN}/getMe",
                                             "POST")
        assert status == 200
    finally:
        await request.shutdown()
        await proxy.stop()
    assert [line for line, _ in proxy.requests] == [
        f"POST http://api.example.org/bot{DEFAULT_TOKEN}/sendMessage HTTP/1.1",
        f"POST http://api.example.org/bot{DEFAULT_TOKEN}/sendMessage HTTP/1.1",
        f"POST http://api.example.org/bot{DEFAULT_TOKEN}/getMe HTTP/1.1"]
    expected = "Basic " + base64.b64encode(b"bot:s3cret").decode()
    assert all(headers.get("authorization") == expected for _, headers in proxy.requests)


async def test_without_trust_env_the_environment_is_ignored(
        emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:1")  # would refuse every call
    person = emulator.user(507)
    await person.send_text("hi")
    bot = LurecheckBot(DEFAULT_TOKEN, base_url=emulator.base_url,
                       base_file_url=emulator.base_file_url, request=AiohttpRequest(trust_env=False))
    async with bot:
        await bot.send_html_message(person.chat_id, "direct")
    assert [message.source for message in person.messages] == ["direct"]
