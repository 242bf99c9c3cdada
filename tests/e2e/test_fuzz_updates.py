"""Input hardening: malformed and unknown updates (hypothesis) are logged and skipped; they
never crash a worker or block the queue, and a normal update afterwards is still answered.

Two paths: POSTed to the real webhook server (secret token, persist-then-ack, inbox worker),
and handed straight to the inbox worker's processing step (as after a claim).

The bot and the emulator run on an event loop in a background thread for the whole module,
so hypothesis can drive plain synchronous test functions (its examples cannot share one
async fixture otherwise); example counts are bounded so the module runs in seconds.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import pytest
from aiohttp import web
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram.ext import Application

from bot.config import Settings
from bot.web import WORKER_KEY, InboxWorker, create_web_app, webhook_path
from emulator import DEFAULT_TOKEN, Emulator
from storage.db import create_db_engine, migrate
from storage.inbox import ClaimedUpdate
from storage.models import InboxStatus
from tests.e2e.conftest import ALLOWED_UPDATES, E2E_PSEUDONYM_KEY, E2E_WEBHOOK_SECRET
from tests.faults.test_worker_killed import inbox_statuses

T = TypeVar("T")
# The emulator numbers its updates from 100,000,001: fuzzed ids stay below, so a normal update
# is never mistaken for a re-delivery of a fuzzed one.
FUZZ_IDS = st.integers(min_value=1, max_value=99_999_999)


@dataclass
class LiveBot:
    loop: asyncio.AbstractEventLoop
    emulator: Emulator
    application: Application
    worker: InboxWorker
    url: str
    database_url: str

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


@pytest.fixture(scope="module")
def live_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    from bot.app import build_application

    data_dir = tmp_path_factory.mktemp("fuzz")
    database_url = f"sqlite:///{data_dir / 'fuzz.sqlite3'}"
    migrate(database_url)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="fuzz-bot-loop", daemon=True)
    thread.start()
    runner: web.AppRunner | None = None

    async def start() -> LiveBot:
        nonlocal runner
        emulator = Emulator(webhook_retry_delay=0.05)
        await emulator.start()
        settings = Settings(telegram_bot_token=DEFAULT_TOKEN, database_url=database_url,
                            secret_key=E2E_PSEUDONYM_KEY, data_dir=Path(data_dir),
                            telegram_api_url=emulator.url,
                            webhook_url="http://127.0.0.1/telegram",
                            webhook_secret=E2E_WEBHOOK_SECRET)
        engine = create_db_engine(database_url)
        application = build_application(settings, engine=engine, polling=False)
        app = create_web_app(settings, application, engine=engine)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}{webhook_path(settings)}"
        await application.bot.set_webhook(url, secret_token=E2E_WEBHOOK_SECRET,
                                          allowed_updates=ALLOWED_UPDATES)
        return LiveBot(loop, emulator, application, app[WORKER_KEY], url, database_url)

    bot = asyncio.run_coroutine_threadsafe(start(), loop).result(60)
    try:
        yield bot
    finally:
        async def stop() -> None:
            if runner is not None:
                await runner.cleanup()
            await bot.emulator.stop()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


# ---------------------------------------------------------------------------- strategies
ODD_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["Mn", "Me", "Cf", "Co", "Zl", "Zp", "So"]),
            max_size=200),
    st.sampled_from(["\u202e\u0644\u200d", "\x00", "\ufeff/start", "/start@\u0000", "🏴‍☠️" * 50,
                     "\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1", "\ud800".encode(
                         "utf-8", "surrogatepass").decode("utf-8", "replace"), "/", "/@", "/ "]),
    st.integers(min_value=4000, max_value=60_000).map(lambda n: ("Free visa! " * n)[:n]),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | ODD_TEXT,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
USER_IDS = st.one_of(st.integers(min_value=1, max_value=2**40), st.integers(), JSON_VALUES)
USER = st.fixed_dictionaries(
    {"id": USER_IDS, "is_bot": st.booleans(), "first_name": ODD_TEXT},
    optional={"language_code": st.one_of(st.sampled_from(["en", "th", "zz", "", "x" * 300]),
                                         JSON_VALUES),
              "username": ODD_TEXT})
CHAT = st.fixed_dictionaries(
    {"id": USER_IDS, "type": st.sampled_from(["private", "group", "supergroup", "channel",
                                              "secret", ""])},
    optional={"title": ODD_TEXT, "first_name": ODD_TEXT})
ENTITY = st.fixed_dictionaries(
    {"type": st.sampled_from(["bot_command", "url", "bold", "mystery"]),
     "offset": st.integers(-5, 100), "length": st.integers(-5, 100)})
MESSAGE = st.fixed_dictionaries(
    {"message_id": st.integers(min_value=1, max_value=2**31), "date": st.integers(0, 2**32)},
    optional={"chat": CHAT, "from": USER, "text": ODD_TEXT, "caption": ODD_TEXT,
              "entities": st.lists(ENTITY, max_size=3),
              "photo": st.lists(st.fixed_dictionaries(
                  {"file_id": ODD_TEXT, "file_unique_id": ODD_TEXT, "width": st.integers(),
                   "height": st.integers()}), max_size=2),
              "forward_origin": st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=3),
              "reply_to_message": st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=3),
              "sticker": JSON_VALUES, "new_chat_members": JSON_VALUES})
CALLBACK = st.fixed_dictionaries(
    {"id": ODD_TEXT, "from": USER, "chat_instance": ODD_TEXT},
    optional={"data": st.one_of(ODD_TEXT, st.sampled_from(["1|report", "x|y|z", "|", "99|agree"])),
              "message": MESSAGE})


@st.composite
def broken(draw: st.DrawFn, payload: dict[str, Any]) -> dict[str, Any]:
    """Drop a field or give one a value of the wrong type."""
    if not payload:
        return payload
    key = draw(st.sampled_from(sorted(payload)))
    changed = dict(payload)
    if draw(st.booleans()):
        del changed[key]
    else:
        changed[key] = draw(JSON_VALUES)
    return changed


KNOWN_KINDS = ["message", "edited_message", "channel_post", "edited_channel_post",
               "business_message"]
UNKNOWN_KINDS = ["my_chat_member", "chat_member", "poll", "poll_answer", "message_reaction",
                 "chat_boost", "purchased_paid_media", "from_the_future_2031"]


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    update: dict[str, Any] = {"update_id": draw(FUZZ_IDS)}
    choice = draw(st.integers(0, 3))
    if choice == 0:
        update[draw(st.sampled_from(KNOWN_KINDS))] = draw(MESSAGE.flatmap(broken)
                                                          if draw(st.booleans()) else MESSAGE)
    elif choice == 1:
        update["callback_query"] = draw(CALLBACK.flatmap(broken)
                                        if draw(st.booleans()) else CALLBACK)
    elif choice == 2:
        update[draw(st.sampled_from(UNKNOWN_KINDS))] = draw(JSON_VALUES)
    else:
        update.update(draw(st.dictionaries(st.text(max_size=20), JSON_VALUES, max_size=3)))
    return update


BODIES = st.one_of(
    updates().map(lambda update: json.dumps(update).encode()),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    st.fixed_dictionaries({"update_id": st.one_of(st.integers(min_value=2**63),
                                                  st.integers(max_value=-1), JSON_VALUES)})
    .map(lambda update: json.dumps(update).encode()),
)

FUZZ_SETTINGS = settings(max_examples=80, deadline=None, database=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow,
                                                HealthCheck.data_too_large])


# ---------------------------------------------------------------------------- tests
async def post(url: str, body: bytes) -> int:
    async with aiohttp.ClientSession() as session, session.post(
            url, data=body, headers={"X-Telegram-Bot-Api-Secret-Token": E2E_WEBHOOK_SECRET,
                                     "Content-Type": "application/json"}) as answer:
        await answer.read()
        return answer.status


def worker_alive(bot: LiveBot) -> bool:
    task = bot.worker._loop_task
    return task is not None and not task.done()


@FUZZ_SETTINGS
@given(body=BODIES)
# Found by hypothesis: a field holding a bool or a list where an object belongs was a 500.
@example(body=b'{"update_id": 1, "callback_query": {"id": "", "from": true, "chat_instance": ""}}')
@example(body=b'{"update_id": 2, "message": true}')
@example(body=b'{"update_id": 3, "edited_message": {"chat": 5}, "poll": {"from": []}}')
def test_webhook_takes_or_refuses_junk_without_a_crash(live_bot: LiveBot, body: bytes) -> None:
    status = live_bot.run(post(live_bot.url, body))
    # Stored (200) or refused as not an update (400); never a server error, which would make
    # Telegram post the same junk again and again.
    assert status in (200, 400), status
    assert worker_alive(live_bot)


@FUZZ_SETTINGS
@given(update=updates())
def test_worker_skips_junk_without_raising(live_bot: LiveBot, update: dict[str, Any]) -> None:
    # What an inbox worker does with a claimed update: process it through the handler chain
    # and record the outcome. Nothing may escape, whatever the payload.
    item = ClaimedUpdate(update_id=update["update_id"], chat_key="fuzz", payload=update,
                         attempts=1)
    live_bot.run(live_bot.worker._process(item))
    assert worker_alive(live_bot)


def test_after_the_junk_the_queue_drains_and_a_person_is_answered(live_bot: LiveBot) -> None:
    # Runs after the fuzz tests (file order): whatever they left must not hold anything up.
    deadline = time.monotonic() + 60
    while True:
        statuses = inbox_statuses(live_bot.database_url)
        if not {InboxStatus.pending.value, InboxStatus.processing.value} & set(statuses):
            break
        assert time.monotonic() < deadline, f"the inbox did not drain: {statuses}"
        time.sleep(0.1)
    assert worker_alive(live_bot)

    async def talk() -> str:
        person = live_bot.emulator.user(4242, language_code="en")
        await person.send_command("/start")
        return (await person.wait_for_reply(timeout=20)).text

    assert "Hello" in live_bot.run(talk())
