"""Issue 17: header, body and idle deadlines cut slow clients off (review/server.py), in the
standalone staff app and in the webhook server (bot/web.py)."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.config import Settings
from review import server as server_limits
from review.app import create_standalone_app
from review.server import ServerLimits, start_server
from tests.review.conftest import Seeded

FAST = ServerLimits(idle=0.4, headers=0.4, body=0.4)


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """True when the server closes the connection within `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(65536):
                pass
        return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner, _site = await start_server(app, host="127.0.0.1", port=0, limits=FAST)
    port = runner.addresses[0][1]
    return runner, port


def _echo_app() -> web.Application:
    app = web.Application()
    server_limits.install(app, FAST)

    async def echo(request: web.Request) -> web.Response:
        return web.Response(text=str(len(await request.read())))

    app.router.add_route("*", "/", echo)
    return app


async def test_idle_trickling_headers_and_trickling_bodies_are_cut_off() -> None:
    runner, port = await _serve(_echo_app())
    try:
        # Idle: connects and says nothing.
        idle_reader, idle_writer = await asyncio.open_connection("127.0.0.1", port)
        # Headers: a byte at a time, never finishing.
        head_reader, head_writer = await asyncio.open_connection("127.0.0.1", port)
        head_writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
        # Body: complete headers, then a body that never arrives in full.
        body_reader, body_writer = await asyncio.open_connection("127.0.0.1", port)
        body_writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nab")

        async def trickle() -> None:
            for _ in range(20):
                await asyncio.sleep(0.1)
                for writer in (head_writer, body_writer):
                    if not writer.is_closing():
                        writer.write(b"X")

        trickling = asyncio.create_task(trickle())
        started = time.monotonic()
        assert await _closed_within(idle_reader, 2.0)
        assert await _closed_within(head_reader, 2.0)
        assert await _closed_within(body_reader, 2.0)
        assert time.monotonic() - started < 2.0
        trickling.cancel()
        for writer in (idle_writer, head_writer, body_writer):
            writer.close()

        # A prompt client is served, twice on one keep-alive connection, then cut when idle.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(2):
            writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200")
            assert await reader.readexactly(1) == b"3"
        assert await _closed_within(reader, 2.0)
        writer.close()
    finally:
        await runner.cleanup()


async def test_two_hundred_slow_clients_are_all_cut_off() -> None:
    runner, port = await _serve(_echo_app())
    try:
        connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(200)]
        for index, (_reader, writer) in enumerate(connections):
            if index % 2:
                writer.write(b"GET / HTTP/1.1\r\nHo")
        closed = await asyncio.gather(*(_closed_within(reader, 3.0) for reader, _writer in connections))
        assert all(closed)
        for _reader, writer in connections:
            writer.close()
    finally:
        await runner.cleanup()


async def test_the_standalone_staff_app_cuts_a_trickling_login(settings: Settings, engine: Engine,
                                                               seeded: Seeded) -> None:
    runner, port = await _serve(create_standalone_app(settings, engine=engine))
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /review/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-"
                     b"urlencoded\r\nContent-Length: 5000\r\n\r\nusername=a")
        assert await _closed_within(reader, 2.0)
        writer.close()
    finally:
        await runner.cleanup()


async def test_the_webhook_server_cuts_slow_clients(settings: Settings, engine: Engine) -> None:
    from bot.app import build_application
    from bot.web import create_web_app

    settings = settings.with_overrides(telegram_bot_token="123456:TEST-token-for-the-emulator-only",
                                       webhook_url="http://127.0.0.1/telegram", webhook_secret="s3cret")
    application = build_application(settings, engine=engine, polling=False)
    app = create_web_app(settings, application, engine=engine, start_application=False)
    runner, port = await _serve(app)
    try:
        idle_reader, idle_writer = await asyncio.open_connection("127.0.0.1", port)
        body_reader, body_writer = await asyncio.open_connection("127.0.0.1", port)
        body_writer.write(b"POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: s3cret\r\n"
                          b"Content-Length: 500\r\n\r\n{\"update_id\"")
        assert await _closed_within(idle_reader, 2.0)
        assert await _closed_within(body_reader, 2.0)
        idle_writer.close()
        body_writer.close()
    finally:
        await runner.cleanup()
