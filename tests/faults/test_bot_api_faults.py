"""The Bot API answering 5xx or not answering in time: replies are retried, nothing is lost,
nothing is sent twice. Each person's transcript is compared with that of a person who said
the same things while the Bot API was healthy.

The bot runs in this process behind its webhook server (tests/e2e `webhook_bot`): what is
under test is the Bot API side, and a worker process would only add start-up time."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bot.config import Settings
from bot.ratelimit import TelegramRateLimiter
from emulator import Emulator
from emulator.users import SimulatedUser
from tests.e2e.conftest import WebhookBotFactory, e2e_settings, webhook_bot
from tests.faults.test_worker_killed import inbox_statuses

__all__ = ["e2e_settings", "webhook_bot"]  # fixtures, used by name

COMMANDS = ("/start", "/help", "/check")


@pytest.fixture(autouse=True)
def quick_chat_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram's 1 message/s per chat (tested with the limiter itself) would only slow the
    walks down here."""
    original = TelegramRateLimiter.__init__

    def init(self: TelegramRateLimiter, **kwargs: Any) -> None:
        kwargs["chat_per_second"] = 100.0
        original(self, **kwargs)

    monkeypatch.setattr(TelegramRateLimiter, "__init__", init)


async def say_all(person: SimulatedUser) -> None:
    """The commands one after the other, each once the bot has answered the previous one."""
    for command in COMMANDS:
        before = len(person.messages)
        await person.send_command(command)
        deadline = time.monotonic() + 30
        while len(person.messages) == before:
            assert time.monotonic() < deadline, f"no reply to {command}"
            await person.wait_until_settled(quiet=0.05, first_reply_timeout=0.5)


async def transcript(person: SimulatedUser, *, length: int, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while len(person.messages) < length and time.monotonic() < deadline:
        await person.wait_until_settled(quiet=0.1, first_reply_timeout=0.5)
    await person.wait_until_settled(quiet=0.5)  # anything sent twice would show up now
    return [message.text for message in person.messages]


async def drained(database_url: str, *, timeout: float = 10.0) -> dict[str, int]:
    """Inbox statuses once nothing is pending or in progress (a reply goes out just before
    its update is marked done)."""
    deadline = time.monotonic() + timeout
    while True:
        statuses = await asyncio.to_thread(inbox_statuses, database_url)
        if set(statuses) <= {"done", "failed"} or time.monotonic() > deadline:
            return statuses
        await asyncio.sleep(0.05)


async def healthy_transcript(emulator: Emulator) -> list[str]:
    control = emulator.user(6000, language_code="en")
    await say_all(control)
    return await transcript(control, length=0)


async def test_server_errors_on_send_are_retried(emulator: Emulator, webhook_bot: WebhookBotFactory,
                                                 e2e_settings: Settings) -> None:
    database_url = e2e_settings.database_url
    await webhook_bot()
    expected = await healthy_transcript(emulator)

    # The next 8 sendMessage calls fail: every person's first reply and some of the retries.
    emulator.faults.configure({"fail_next": 8, "fail_status": 502,
                               "fail_methods": ["sendMessage"]})
    people = [emulator.user(6100 + number, language_code="en") for number in range(5)]
    await asyncio.gather(*(say_all(person) for person in people))

    transcripts = await asyncio.gather(*(transcript(person, length=len(expected))
                                         for person in people))
    assert transcripts == [expected] * len(transcripts)
    assert len([call for call in emulator.api_errors if call.status == 502]) == 8
    assert await drained(database_url) == {"done": len(COMMANDS) * 6}


async def test_a_send_that_times_out_is_sent_again(emulator: Emulator,
                                                   webhook_bot: WebhookBotFactory,
                                                   e2e_settings: Settings) -> None:
    database_url = e2e_settings.database_url
    await webhook_bot()
    expected = await healthy_transcript(emulator)

    send_message = emulator._methods["sendmessage"]
    stalled: list[float] = []

    async def first_one_never_answers(call: Any) -> Any:
        if not stalled:
            stalled.append(time.monotonic())
            # Longer than the bot's read timeout (PTB's 5 s): the bot gives up on this
            # request, which delivers nothing (as when Telegram's gateway times out).
            await asyncio.sleep(30)
        return await send_message(call)

    emulator._methods["sendmessage"] = first_one_never_answers
    person = emulator.user(6200, language_code="en")
    await say_all(person)
    assert await transcript(person, length=len(expected)) == expected
    assert stalled, "the stalled call never happened"
    assert await drained(database_url) == {"done": len(COMMANDS) * 2}
