"""Update delivery: getUpdates (offset, limit, long polling, allowed_updates) and webhooks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Conflict

from emulator import Emulator


async def test_offset_confirms_earlier_updates(bot: Bot, emulator: Emulator) -> None:
    user = emulator.user(42)
    for text in ("one", "two", "three"):
        await user.send_text(text)
    first = await bot.get_updates()
    assert [update.message.text for update in first if update.message] == ["one", "two",
                                                                           "three"]
    ids = [update.update_id for update in first]
    assert ids == sorted(ids) and len(set(ids)) == 3
    # Without a higher offset nothing is confirmed: the same updates come again.
    assert [u.update_id for u in await bot.get_updates()] == ids
    # offset = last + 1 confirms everything up to it.
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    assert emulator.pending_updates == []


async def test_limit_and_negative_offset(bot: Bot, emulator: Emulator) -> None:
    user = emulator.user(42)
    for number in range(5):
        await user.send_text(f"m{number}")
    assert len(await bot.get_updates(limit=2)) == 2
    # A negative offset keeps only the last -offset updates and forgets the rest.
    last_two = await bot.get_updates(offset=-2)
    assert [u.message.text for u in last_two if u.message] == ["m3", "m4"]
    assert len(emulator.pending_updates) == 2


async def test_long_poll_returns_as_soon_as_an_update_arrives(bot: Bot,
                                                              emulator: Emulator) -> None:
    user = emulator.user(42)
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await user.send_text("wake up")
    updates = await asyncio.wait_for(poll, timeout=5)
    assert [u.message.text for u in updates if u.message] == ["wake up"]
    assert emulator.was_delivered(updates[0].update_id)


async def test_a_second_poller_terminates_the_first(bot: Bot, emulator: Emulator) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(bot.get_updates(timeout=1))
    with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
        await asyncio.wait_for(first, timeout=5)
    assert await second == ()


async def test_allowed_updates_filter_new_updates(bot: Bot, emulator: Emulator) -> None:
    user = emulator.user(42)
    sent = await bot.send_message(42, "Pick", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("A", callback_data="a")]]))
    await bot.get_updates(allowed_updates=["callback_query"])
    await user.send_text("ignored: messages are not allowed")
    await user.press_button(sent, "A")
    updates = await bot.get_updates()
    assert [update.callback_query.data for update in updates if update.callback_query] == ["a"]
    assert len(updates) == 1


@dataclass
class WebhookReceiver:
    """A stand-in for the bot's webhook endpoint, answering a scripted list of statuses."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    # The JSON body of the 200 for an update, if any (a Bot API call in the webhook's answer).
    answer: Callable[[dict[str, Any]], dict[str, Any] | None] = lambda update: None


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    state = WebhookReceiver()

    async def handle(request: web.Request) -> web.Response:
        state.headers.append(dict(request.headers))
        state.received.append(json.loads(await request.read()))
        status = state.statuses.pop(0) if state.statuses else 200
        state.arrived.set()
        answer = state.answer(state.received[-1]) if status == 200 else None
        if answer is not None:
            return web.json_response(answer)
        return web.Response(status=status, text="ok")

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        yield state
    finally:
        await runner.cleanup()


async def wait_for(condition: Any, timeout: float = 5.0) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


async def test_webhook_delivery_carries_the_secret_header(
        bot: Bot, emulator: Emulator, receiver: WebhookReceiver) -> None:
    user = emulator.user(42, language_code="vi")
    assert await bot.set_webhook(receiver.url, secret_token="s3cret-Token_1") is True
    await user.send_command("/start")
    await wait_for(lambda: receiver.received)
    update = receiver.received[0]
    assert update["message"]["text"] == "/start"
    assert update["message"]["from"]["language_code"] == "vi"
    assert receiver.headers[0]["X-Telegram-Bot-Api-Secret-Token"] == "s3cret-Token_1"
    assert receiver.headers[0]["Content-Type"].startswith("application/json")
    await wait_for(lambda: not emulator.pending_updates)
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0


async def test_getupdates_conflicts_while_a_webhook_is_set(
        bot: Bot, emulator: Emulator, receiver: WebhookReceiver) -> None:
    await bot.set_webhook(receiver.url, secret_token="abc")
    with pytest.raises(Conflict, match=r"(?i)webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_webhook_retries_non_2xx_then_gives_up(
        bot: Bot, emulator: Emulator, receiver: WebhookReceiver) -> None:
    user = emulator.user(42)
    receiver.statuses = [500, 503]  # two failures, then 200
    await bot.set_webhook(receiver.url, secret_token="abc")
    await user.send_text("persist me")
    await wait_for(lambda: len(receiver.received) == 3)
    assert {update["update_id"] for update in receiver.received} == {
        receiver.received[0]["update_id"]}
    await wait_for(lambda: not emulator.pending_updates)
    info = await bot.get_webhook_info()
    assert info.last_error_message is not None and "503" in info.last_error_message

    receiver.statuses = [500] * emulator.webhook_max_attempts
    await user.send_text("never accepted")
    await wait_for(lambda: emulator.webhook_dropped)
    assert emulator.webhook_dropped[0]["message"]["text"] == "never accepted"
    assert len(receiver.received) == 3 + emulator.webhook_max_attempts


async def test_webhook_keeps_each_chats_order(
        bot: Bot, emulator: Emulator, receiver: WebhookReceiver) -> None:
    await bot.set_webhook(receiver.url, secret_token="abc", max_connections=8)
    alice, bob = emulator.user(1), emulator.user(2)
    for number in range(5):
        await alice.send_text(f"a{number}")
        await bob.send_text(f"b{number}")
    await wait_for(lambda: len(receiver.received) == 10)
    for prefix, user_id in (("a", 1), ("b", 2)):
        texts = [update["message"]["text"] for update in receiver.received
                 if update["message"]["chat"]["id"] == user_id]
        assert texts == [f"{prefix}{number}" for number in range(5)]


async def test_set_webhook_validates_the_secret(bot: Bot, receiver: WebhookReceiver) -> None:
    from telegram.error import BadRequest

    with pytest.raises(BadRequest, match=r"(?i)secret token"):
        await bot.set_webhook(receiver.url, secret_token="no spaces allowed")


async def test_a_method_in_the_webhook_answer_is_run_without_a_round_trip(
        bot: Bot, emulator: Emulator, receiver: WebhookReceiver) -> None:
    """Telegram runs one Bot API call put in the webhook's answer: the bot acknowledges a
    button without a request of its own (bot/web.py does this for callback queries)."""
    answers: list[str] = []

    def acknowledge(update: dict[str, Any]) -> dict[str, Any] | None:
        if "callback_query" not in update:
            return None
        answers.append(update["callback_query"]["id"])
        return {"method": "answerCallbackQuery", "callback_query_id": answers[-1]}

    receiver.answer = acknowledge
    user = emulator.user(43)
    await user.send_text("hi")
    sent = await bot.send_message(user.chat_id, "Sure?", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("Yes", callback_data="yes")]]))
    await bot.set_webhook(receiver.url)
    emulator.faults.latency = 0.5  # a bot's own calls would wait this long
    started = asyncio.get_running_loop().time()
    await user.press_button(sent.message_id, "Yes")
    await wait_for(lambda: answers and answers[0] in emulator.callback_answers)
    assert asyncio.get_running_loop().time() - started < 0.5
    assert [call.status for call in emulator.calls_to("answerCallbackQuery")] == [200]
    # Telegram reports nothing back to the bot, failures included: a second answer to the
    # same query fails quietly and delivery goes on.
    emulator.faults.latency = 0
    await emulator._run_webhook_answer("application/json", json.dumps(
        {"method": "answerCallbackQuery", "callback_query_id": answers[0]}).encode())
    assert [call.status for call in emulator.calls_to("answerCallbackQuery")] == [200, 400]
    await bot.delete_webhook()
