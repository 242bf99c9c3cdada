"""Fault injection: flood limits with retry_after, server errors, latency; Python and HTTP."""

from __future__ import annotations

import time
from datetime import timedelta

import aiohttp
import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter
from telegram.ext import AIORateLimiter, ExtBot

from emulator import DEFAULT_TOKEN, Emulator
from tests.emulator.conftest import loopback_request


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(emulator: Emulator) -> FakeClock:
    fake = FakeClock()
    emulator.faults.clock = fake
    return fake


async def test_forced_429_becomes_retry_after(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    emulator.faults.configure({"retry_after_next": 1, "retry_after_seconds": 2})
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(42, "hello")
    assert error.value.retry_after == timedelta(seconds=2)
    assert (await bot.send_message(42, "hello")).text == "hello"
    refused = emulator.api_errors[-1]
    assert refused.status == 429 and refused.method == "sendMessage"


async def test_ptb_rate_limiter_retries_and_recovers(emulator: Emulator) -> None:
    emulator.user(42)
    emulator.faults.retry_after_next = 1
    limited = ExtBot(DEFAULT_TOKEN, base_url=emulator.base_url, request=loopback_request(),
                     rate_limiter=AIORateLimiter(max_retries=1))
    async with limited:
        message = await limited.send_message(42, "after one retry")
    assert message.text == "after one retry"
    assert [call.status for call in emulator.calls_to("sendMessage")] == [429, 200]


async def test_private_chat_limit_allows_a_small_burst(bot: Bot, emulator: Emulator,
                                                       clock: FakeClock) -> None:
    emulator.user(42)
    emulator.faults.rate_limits = True
    for number in range(emulator.faults.per_chat_burst):
        await bot.send_message(42, f"burst {number}")
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(42, "one too many")
    assert error.value.retry_after == timedelta(seconds=1)
    clock.now += 1.0
    await bot.send_message(42, "one per second again")
    with pytest.raises(RetryAfter):
        await bot.send_message(42, "still too fast")


async def test_overall_limit_is_30_per_second(bot: Bot, emulator: Emulator,
                                              clock: FakeClock) -> None:
    emulator.faults.rate_limits = True
    for user_id in range(1, 32):
        emulator.user(user_id)
    for user_id in range(1, 31):
        await bot.send_message(user_id, "broadcast")
    with pytest.raises(RetryAfter):
        await bot.send_message(31, "the 31st within a second")
    clock.now += 0.1  # 3 tokens back
    await bot.send_message(31, "now fine")


async def test_group_limit_is_20_per_minute(bot: Bot, emulator: Emulator,
                                            clock: FakeClock) -> None:
    emulator.faults.rate_limits = True
    emulator.group(-100123, title="Volunteers")
    for number in range(20):
        clock.now += 0.05  # the overall and per-second limits are not what is tested
        await bot.send_message(-100123, f"alert {number}")
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(-100123, "the 21st this minute")
    # 0.95 s since the first message gave back 0.32 of a token (one per 3 s): the rest of
    # the token takes 2.05 s, rounded up to whole seconds as Telegram does.
    assert error.value.retry_after == timedelta(seconds=3)
    clock.now += 3.0  # one message every 3 seconds
    await bot.send_message(-100123, "fine again")


async def test_server_errors_next_n_and_fraction(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    emulator.faults.fail_next = 2
    emulator.faults.fail_status = 502
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(42, "lost")
    await bot.send_message(42, "through")
    emulator.faults.configure({"fail_fraction": 1.0, "fail_methods": ["getMe"],
                               "fail_status": 500})
    with pytest.raises(NetworkError):
        await bot.get_me()
    await bot.send_message(42, "other methods unaffected")


async def test_latency_is_added_to_every_call(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    emulator.faults.latency = 0.2
    started = time.perf_counter()
    await bot.send_message(42, "slow")
    assert time.perf_counter() - started >= 0.2


async def test_faults_over_http(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{emulator.url}/_emulator/faults",
                                json={"fail_next": 1, "latency": 0.01}) as response:
            settings = await response.json()
        assert settings["fail_next"] == 1 and settings["latency"] == 0.01
        async with session.post(f"{emulator.url}/_emulator/faults",
                                json={"no_such_fault": 1}) as response:
            assert response.status == 400
    with pytest.raises(NetworkError):
        await bot.send_message(42, "fails once")
    await bot.send_message(42, "then works")
