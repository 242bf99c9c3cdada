"""CPU of one update in process: the worker's whole path without its HTTP server and client.

    .venv/bin/python bench/update_cost_bench.py [--users 40] [--rounds 3] [--flows offer,report]

The real `bot.web.create_web_app` (webhook route, durable inbox, worker, flows, limiter) runs
in this process on SQLite in /dev/shm; simulated people walk `e2e_bench.py`'s flows, each
waiting for its replies. What is left out is what `e2e_bench.py` measures on top: aiohttp's
HTTP server (the webhook route's handler is called with the body) and the Bot API's HTTP
client (`AiohttpRequest.do_request` answers at once, as `e2e_bench.py memory` does), plus the
fsync of a disk. On a shared machine the spread between runs is a few percent, not ±30%:
compare changes with this, then confirm end to end.

Prints CPU per update (process total, and the share of the event loop's thread; the rest is
the database threads of `asyncio.to_thread`), for each flow and round.

Instruction counts, which do not depend on the machine's load (A/B of a change):

    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/update_cost_bench.py \
        --callgrind --users 20 --rounds 1 --flows offer

`--callgrind` switches instrumentation on (`callgrind_control -i on`) for the measured walks
only, so valgrind's "Collected" count divided by the updates printed is instructions per update.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from aiohttp import web  # noqa: E402 (after the sys.path line)
from e2e_bench import (  # noqa: E402 (after the sys.path line)
    BENCH_PSEUDONYM_KEY,
    BENCH_SECRET,
    FLOWS,
    REPORT_FLOW,
    Step,
)

import bot.app  # noqa: E402 (after the sys.path line)
from bot.config import Settings  # noqa: E402 (after the sys.path line)
from bot.ratelimit import TelegramRateLimiter  # noqa: E402 (after the sys.path line)
from bot.telegram_http import AiohttpRequest  # noqa: E402 (after the sys.path line)
from bot.web import create_web_app, webhook_path  # noqa: E402 (after the sys.path line)
from emulator import DEFAULT_TOKEN  # noqa: E402 (after the sys.path line)
from handlers.types import decode_callback  # noqa: E402 (after the sys.path line)
from storage.db import create_db_engine, migrate  # noqa: E402 (after the sys.path line)


class Unlimited(TelegramRateLimiter):
    """The limiter's code runs, but lets everything through (as `e2e_bench.py throughput`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(overall_per_second=1e9, chat_per_second=1e9, chat_burst=1e9)
        super().__init__(**kwargs)


class BotApi:
    """Answers the bot's Bot API calls at once and records what each chat was sent."""

    def __init__(self) -> None:
        self.sent: dict[int, int] = defaultdict(int)
        self.buttons: dict[int, list[str]] = {}
        self.waiters: dict[int, tuple[int, asyncio.Future[None]]] = {}
        self.message_id = 0

    def answer(self, method: str, body: dict[str, Any]) -> bytes:
        result: Any = True
        if method == "getMe":
            result = {"id": 42, "is_bot": True, "first_name": "LureCheck",
                      "username": "lurecheck_test_bot"}
        elif method == "sendMessage":
            chat_id = int(body["chat_id"])
            self.message_id += 1
            markup = body.get("reply_markup")
            if isinstance(markup, str):
                markup = json.loads(markup)
            if markup:
                self.buttons[chat_id] = [button["callback_data"] for row in
                                         markup["inline_keyboard"] for button in row
                                         if "callback_data" in button]
            self.sent[chat_id] += 1
            waiter = self.waiters.get(chat_id)
            if waiter is not None and self.sent[chat_id] >= waiter[0] and not waiter[1].done():
                waiter[1].set_result(None)
            result = {"message_id": self.message_id, "date": 0, "text": "",
                      "chat": {"id": chat_id, "type": "private"}}
        return json.dumps({"ok": True, "result": result}).encode()

    async def wait_for(self, chat_id: int, count: int) -> None:
        if self.sent[chat_id] >= count:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters[chat_id] = (count, future)
        try:
            await asyncio.wait_for(future, 30)
        finally:
            self.waiters.pop(chat_id, None)


class Request:
    """What the webhook route reads of an aiohttp request."""

    def __init__(self, body: bytes) -> None:
        self.headers = {"X-Telegram-Bot-Api-Secret-Token": BENCH_SECRET}
        self._body = body

    async def read(self) -> bytes:
        return self._body


class Person:
    def __init__(self, number: int, api: BotApi, post: Any) -> None:
        self.id = number
        self.api = api
        self.post = post
        self.message_id = 0

    def _update(self, **fields: Any) -> dict[str, Any]:
        Person.update_id += 1
        return {"update_id": Person.update_id, **fields}

    update_id = 1000

    def _message(self, text: str) -> dict[str, Any]:
        self.message_id += 1
        message: dict[str, Any] = {
            "message_id": self.message_id, "date": int(time.time()), "text": text,
            "chat": {"id": self.id, "type": "private", "first_name": "P"},
            "from": {"id": self.id, "is_bot": False, "first_name": "P", "language_code": "en"}}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        return message

    async def walk(self, steps: list[Step]) -> int:
        for kind, content, replies in steps:
            # A person's next update comes after a network round trip, not in the same turn of
            # the event loop as the reply: by then the worker has finished the previous one.
            await asyncio.sleep(0.001)
            before = self.api.sent[self.id]
            if kind == "button":
                data = next(data for data in reversed(self.api.buttons.get(self.id, []))
                            if decode_callback(data)[1] == content)
                update = self._update(callback_query={
                    "id": f"q{Person.update_id}", "data": data, "chat_instance": "1",
                    "from": {"id": self.id, "is_bot": False, "first_name": "P",
                             "language_code": "en"},
                    "message": {"message_id": self.message_id, "date": 0,
                                "chat": {"id": self.id, "type": "private", "first_name": "P"}}})
            else:
                update = self._update(message=self._message(content))
            response = await self.post(Request(json.dumps(update).encode()))
            assert response.status == 200, response.status
            await self.api.wait_for(self.id, before + replies)
        return len(steps)


async def run(args: argparse.Namespace) -> None:
    api = BotApi()

    async def do_request(self: AiohttpRequest, url: str, method: str, request_data: Any = None,
                         *_: Any, **__: Any) -> tuple[int, bytes]:
        body = request_data.json_parameters if request_data is not None else {}
        return 200, api.answer(url.rsplit("/", 1)[1], body)

    async def post_json(self: AiohttpRequest, url: str, body: bytes) -> tuple[int, bytes]:
        return 200, api.answer(url.rsplit("/", 1)[1], json.loads(body))

    AiohttpRequest.do_request = do_request  # type: ignore[assignment,method-assign]
    if hasattr(AiohttpRequest, "post_json"):  # LurecheckBot's replies (bot/telegram_http.py)
        AiohttpRequest.post_json = post_json  # type: ignore[method-assign]
    bot.app.TelegramRateLimiter = Unlimited  # type: ignore[misc]
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None
                                     ) as directory:
        database_url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        migrate(database_url)
        settings = Settings(telegram_bot_token=DEFAULT_TOKEN, database_url=database_url,
                            secret_key=BENCH_PSEUDONYM_KEY, data_dir=Path(directory),
                            telegram_api_url="http://127.0.0.1:9", webhook_secret=BENCH_SECRET,
                            webhook_url="http://127.0.0.1/telegram")
        engine = create_db_engine(database_url)
        application = bot.app.build_application(settings, engine=engine, polling=False)
        app = create_web_app(settings, application, engine=engine)
        route = next(route for route in app.router.routes()
                     if route.method == "POST"
                     and route.resource is not None
                     and route.resource.canonical == webhook_path(settings))
        runner = web.AppRunner(app)
        await runner.setup()
        try:
            base = 10_000
            warm = Person(base - 1, api, route.handler)
            await warm.walk([("command", "/start", 1), *REPORT_FLOW])
            for round_ in range(args.rounds):
                for flow in args.flows.split(","):
                    people = [Person(base + number, api, route.handler)
                              for number in range(args.users)]
                    base += args.users
                    await asyncio.gather(*(person.walk([("command", "/start", 1)])
                                           for person in people))
                    await asyncio.sleep(0.6)  # stragglers, done marks
                    gc.collect()
                    _instrument(args.callgrind, on=True)
                    cpu, loop_cpu, wall = time.process_time(), time.thread_time(), time.perf_counter()
                    counts = await asyncio.gather(*(person.walk(FLOWS[flow]) for person in people))
                    cpu, loop_cpu = time.process_time() - cpu, time.thread_time() - loop_cpu
                    _instrument(args.callgrind, on=False)
                    wall = time.perf_counter() - wall
                    updates = sum(counts)
                    print(f"round {round_ + 1} {flow:<6} {updates:5} updates  "
                          f"CPU {cpu / updates * 1e6:6.0f} us/update "
                          f"(event loop {loop_cpu / updates * 1e6:4.0f}, threads "
                          f"{(cpu - loop_cpu) / updates * 1e6:4.0f})  "
                          f"{updates / wall:5.0f} updates/s  load {os.getloadavg()[0]:.1f}",
                          flush=True)
        finally:
            await runner.cleanup()
            engine.dispose()


def _instrument(callgrind: bool, *, on: bool) -> None:
    """Callgrind's instrumentation on or off for this process (run under
    `valgrind --tool=callgrind --instr-atstart=no`)."""
    if callgrind:
        subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())],
                       check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flows", default="offer,report")
    parser.add_argument("--callgrind", action="store_true",
                        help="count instructions of the measured walks only (see above)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
