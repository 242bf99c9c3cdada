"""bot.web.webhook_runner: aiohttp's access log keeps every line except a stored update's."""

from __future__ import annotations

import logging
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.config import Settings
from bot.web import webhook_runner


def _app(path: str) -> web.Application:
    app = web.Application()

    async def telegram(request: web.Request) -> web.Response:
        status = 200 if request.headers.get("X-Ok") else 401
        return web.Response(status=status, text="ok")

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_post(path, telegram)
    app.router.add_get("/healthz", healthz)
    return app


async def test_stored_updates_are_not_access_logged_and_the_rest_is(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(telegram_bot_token=None, database_url="sqlite://", secret_key=b"k" * 32,
                        data_dir=tmp_path, webhook_url="https://bot.example/hook/abc")
    runner = webhook_runner(_app("/hook/abc"), settings)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    base = f"http://127.0.0.1:{port}"
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(3):
                async with session.post(f"{base}/hook/abc", headers={"X-Ok": "1"}) as answer:
                    assert answer.status == 200
            async with session.post(f"{base}/hook/abc") as answer:
                assert answer.status == 401
            async with session.get(f"{base}/healthz") as answer:
                assert answer.status == 200
    finally:
        await runner.cleanup()
    lines = [record.getMessage() for record in caplog.records if record.name == "aiohttp.access"]
    assert len(lines) == 2, lines
    assert '"POST /hook/abc HTTP/1.1" 401' in lines[0]
    assert '"GET /healthz HTTP/1.1" 200' in lines[1]
