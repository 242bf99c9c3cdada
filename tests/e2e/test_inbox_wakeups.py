"""When the inbox worker claims: at once for a new update, and for a chat's next update as soon
as the previous one is finished, without waiting for the idle poll (set here to far longer than
the test may take, so a missed wake-up fails the test instead of slowing it down)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import bot.web
from emulator import Emulator
from storage.db import session_scope
from storage.inbox import claim_updates, enqueue_update, mark_all_done, status_counts
from storage.pseudonym import pseudonymise
from tests.e2e.conftest import WebhookBotFactory


@pytest.fixture
def no_idle_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.web, "IDLE_POLL_SECONDS", 60.0)


async def test_a_chats_next_update_is_claimed_when_its_previous_one_finishes(
        emulator: Emulator, webhook_bot: WebhookBotFactory, no_idle_poll: None) -> None:
    await webhook_bot()
    person = emulator.user(7101, language_code="en")
    await person.send_command("/start")
    await person.wait_for_reply(timeout=10)
    # How many messages each command answers with, one at a time.
    counts = {}
    for command in ("/help", "/privacy"):
        await person.wait_until_settled(quiet=0.3)
        before = len(person.messages)
        await person.send_command(command)
        await person.wait_for_reply(timeout=10)
        await person.wait_until_settled(quiet=0.3)
        counts[command] = len(person.messages) - before

    send_message = emulator._methods["sendmessage"]
    first_reply_held = asyncio.Event()
    release = asyncio.Event()

    async def hold_first_send(call: Any) -> Any:
        if not first_reply_held.is_set():
            first_reply_held.set()
            await release.wait()
        return await send_message(call)

    emulator._methods["sendmessage"] = hold_first_send
    before = len(person.messages)
    await person.send_command("/help")
    await asyncio.wait_for(first_reply_held.wait(), 10)
    # /privacy reaches the webhook and is stored while /help is still being answered: the
    # claim made for it skips the busy chat.
    await person.send_command("/privacy")
    await asyncio.sleep(0.3)
    release.set()
    expected = counts["/help"] + counts["/privacy"]

    async def all_answered() -> None:
        while len(person.messages) - before < expected:
            await asyncio.sleep(0.05)

    await asyncio.wait_for(all_answered(), 10)


async def test_updates_beyond_the_concurrency_are_claimed_as_others_finish(
        emulator: Emulator, webhook_bot: WebhookBotFactory, no_idle_poll: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    original = bot.web.InboxWorker.__init__

    def two_at_a_time(self: bot.web.InboxWorker, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.concurrency = 2

    monkeypatch.setattr(bot.web.InboxWorker, "__init__", two_at_a_time)
    await webhook_bot()
    send_message = emulator._methods["sendmessage"]
    release = asyncio.Event()

    async def held_send(call: Any) -> Any:
        await release.wait()
        return await send_message(call)

    emulator._methods["sendmessage"] = held_send
    people = [emulator.user(7200 + number, language_code="en") for number in range(8)]
    await asyncio.gather(*(person.send_command("/start") for person in people))

    async def all_stored() -> None:
        while emulator.pending_updates:
            await asyncio.sleep(0.05)

    # Every update is in the inbox while the first two are still being answered; no more
    # arrive after that, so only finishing updates can lead to the other six being claimed.
    await asyncio.wait_for(all_stored(), 10)
    await asyncio.sleep(0.3)
    release.set()
    for person in people:
        await person.wait_for_reply(timeout=10)


async def test_with_several_instances_a_chat_blocked_elsewhere_is_claimed_soon(
        emulator: Emulator, webhook_bot: WebhookBotFactory, no_idle_poll: None) -> None:
    """Instance A holds a chat's update (simulated in the database); this instance stores the
    chat's next one, cannot claim it yet, and claims it soon after A marks its update done,
    without waiting for the idle poll. This instance, too, marks its finished updates done at
    once, since A may be waiting for that mark."""
    started = await webhook_bot(instances=2)
    key = started.application.bot_data["services"].settings.pseudonym_key
    seal_keys = started.application.bot_data["services"].settings.seal_keys
    person = emulator.user(7301, language_code="en")
    await person.send_command("/start")
    await person.wait_for_reply(timeout=10)
    chat_key = pseudonymise(person.chat_id, key=key)

    async def inbox() -> dict[str, int]:
        def read() -> dict[str, int]:
            with session_scope(started.engine, read_only=True) as db:
                return status_counts(db)
        return await asyncio.to_thread(read)

    async def until(condition: Any) -> None:
        while not condition(await inbox()):
            await asyncio.sleep(0.05)

    await asyncio.wait_for(until(lambda counts: counts.get("processing", 0) == 0), 10)

    held = {"update_id": 880001, "message": {
        "message_id": 90, "date": 1_700_000_000, "text": "held elsewhere",
        "chat": {"id": person.chat_id, "type": "private", "first_name": "T"},
        "from": {"id": person.id, "is_bot": False, "first_name": "T", "language_code": "en"}}}

    def other_instance_claims() -> None:
        with session_scope(started.engine) as db:
            enqueue_update(db, update_id=880001, chat_key=chat_key, payload=held, seal_key=seal_keys)
        with session_scope(started.engine) as db:
            claimed = claim_updates(db, worker_id="instance-a", seal_key=seal_keys)
        assert [item.update_id for item in claimed] == [880001]

    await asyncio.to_thread(other_instance_claims)
    before = len(person.messages)
    await person.send_command("/help")
    await asyncio.sleep(0.5)
    assert len(person.messages) == before  # waits behind the update instance A holds

    def other_instance_finishes() -> None:
        with session_scope(started.engine) as db:
            mark_all_done(db, update_ids=[880001])

    await asyncio.to_thread(other_instance_finishes)
    await person.wait_for_reply(timeout=10)
    await asyncio.wait_for(until(lambda counts: counts.get("processing", 0) == 0), 10)


async def test_a_chats_updates_are_leased_by_the_instance_that_stores_them_not_claimed(
        emulator: Emulator, webhook_bot: WebhookBotFactory, no_idle_poll: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """One person talking to one instance: every update is stored already claimed by its
    worker and processed from memory (storage.inbox.enqueue_leased), none by a claim; each
    finished update is marked done in the next update's step transaction."""
    claimed: list[int] = []
    original = bot.web.claim_updates

    def counting(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        claimed.extend(item.update_id for item in found)
        return found

    monkeypatch.setattr(bot.web, "claim_updates", counting)
    started = await webhook_bot()
    person = emulator.user(7401, language_code="en")
    for command in ("/start", "/help", "/privacy"):
        await person.wait_until_settled(quiet=0.3)
        await person.send_command(command)
        await person.wait_for_reply(timeout=10)
    await person.wait_until_settled(quiet=0.3)
    assert claimed == []

    def inbox() -> dict[str, int]:
        with session_scope(started.engine, read_only=True) as db:
            return status_counts(db)

    # The last one's done mark waits for the next step, or the idle poll's claim.
    assert await asyncio.to_thread(inbox) == {"done": 2, "processing": 1}
