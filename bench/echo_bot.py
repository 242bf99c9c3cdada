"""The reference for bench/e2e_bench.py: a bare python-telegram-bot echo bot behind a webhook.

    .venv/bin/python bench/echo_bot.py --api-url http://127.0.0.1:PORT [--port 0]
                                       [--transport httpx|aiohttp]

It answers every text message with the same text and does nothing else: no database, no
rate limiter. The webhook is PTB's "custom webhook" pattern (aiohttp hands the update to
`application.update_queue`), with the same concurrency as lurecheck (16 concurrent updates,
a 16-connection pool; shared/engineering-notes.md §4 explains why not the defaults), so the
comparison is about what lurecheck does per update, not about tuning. `--transport httpx`
(the default) is python-telegram-bot as it comes, the issue's reference; `--transport aiohttp`
gives it lurecheck's own Bot API transport (bot/telegram_http.py), the second reference
e2e_bench.py prints so the transport's share of the gap is visible. Prints
`ready <port>` once it accepts updates; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from aiohttp import web
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from bot.telegram_http import AiohttpRequest
from emulator import DEFAULT_TOKEN

CONCURRENT_UPDATES = 16
CONNECTION_POOL_SIZE = 16


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


async def run(api_url: str, port: int, transport: str) -> None:
    request = (AiohttpRequest(connection_pool_size=CONNECTION_POOL_SIZE, trust_env=False)
               if transport == "aiohttp" else
               HTTPXRequest(connection_pool_size=CONNECTION_POOL_SIZE,
                            httpx_kwargs={"trust_env": False}))
    application = (Application.builder().token(DEFAULT_TOKEN)
                   .base_url(api_url.rstrip("/") + "/bot")
                   .request(request).updater(None)
                   .concurrent_updates(CONCURRENT_UPDATES).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))

    async def webhook(request: web.Request) -> web.Response:
        update = Update.de_json(json.loads(await request.read()), application.bot)
        await application.update_queue.put(update)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/telegram", webhook)
    runner = web.AppRunner(app, access_log=None)
    async with application:
        await application.start()
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        print(f"ready {runner.addresses[0][1]}", flush=True)
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        await stop.wait()
        await runner.cleanup()
        await application.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--transport", choices=("httpx", "aiohttp"), default="httpx")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(args.api_url, args.port, args.transport))


if __name__ == "__main__":
    main()
