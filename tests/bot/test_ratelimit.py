"""Outgoing rate limiter: bucket arithmetic and 429 handling, without wall-clock assertions."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import PRUNE_SECONDS, TelegramRateLimiter, TokenBucket


def test_bucket_allows_a_burst_then_spaces_tokens() -> None:
    bucket = TokenBucket(rate=1.0, capacity=3.0, updated=100.0)
    assert [bucket.delay(100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.delay(100.0) == pytest.approx(1.0)
    assert bucket.delay(100.5) == pytest.approx(0.5)
    assert bucket.delay(101.0) == 0.0


def test_bucket_never_holds_more_than_its_capacity() -> None:
    bucket = TokenBucket(rate=30.0, capacity=30.0, updated=0.0)
    bucket.delay(1_000.0)
    assert bucket.tokens == pytest.approx(29.0)


def test_refilled_buckets_are_forgotten_and_the_others_kept() -> None:
    limiter = TelegramRateLimiter(chat_per_second=1.0, chat_burst=3.0, group_per_minute=20.0)
    start = limiter._last_prune
    for chat_id in (1, 2, -100):
        limiter._chat_bucket(chat_id).updated = start
    limiter._chat_bucket(1).delay(start)  # 2 tokens left: full again 1 s later
    for _ in range(3):
        limiter._chat_bucket(2).delay(start + PRUNE_SECONDS - 1)  # empty 1 s before the prune
    limiter._chat_bucket(-100).delay(start)  # a group: 1/3 token per second, full after 3 s
    limiter._prune(start + PRUNE_SECONDS)
    assert sorted(limiter._chats) == [2]
    # Forgetting changed nothing: a chat's next bucket starts full, as the old one had become.
    assert limiter._chat_bucket(1).tokens == 3.0
    assert [limiter._chat_bucket(1).delay(start + PRUNE_SECONDS) for _ in range(4)] \
        == [0.0, 0.0, 0.0, pytest.approx(1.0)]


def test_buckets_are_pruned_once_per_period_only() -> None:
    limiter = TelegramRateLimiter()
    start = limiter._last_prune
    limiter._chat_bucket(1).updated = start
    limiter._prune(start + PRUNE_SECONDS / 2)
    assert list(limiter._chats) == [1]


def test_private_and_group_chats_get_their_own_rates() -> None:
    limiter = TelegramRateLimiter(chat_per_second=1.0, group_per_minute=20.0)
    assert limiter._chat_bucket(12345).rate == 1.0
    assert limiter._chat_bucket(-100123).rate == pytest.approx(20 / 60)
    assert limiter._chat_bucket("@somechannel").rate == pytest.approx(20 / 60)


async def test_retry_after_is_retried_then_succeeds() -> None:
    limiter = TelegramRateLimiter(max_retries=2)
    calls: list[int] = []

    async def flaky(**_: Any) -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise RetryAfter(timedelta(seconds=0))
        return True

    result = await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert result is True
    assert len(calls) == 2


async def test_retry_after_gives_up_after_max_retries() -> None:
    limiter = TelegramRateLimiter(max_retries=1)

    async def always_429(**_: Any) -> bool:
        raise RetryAfter(timedelta(seconds=0))

    with pytest.raises(RetryAfter):
        await limiter.process_request(always_429, (), {}, "sendMessage", {"chat_id": 1}, None)


async def test_calls_that_send_nothing_are_not_throttled() -> None:
    limiter = TelegramRateLimiter(chat_per_second=0.001, chat_burst=1)

    async def ok(**_: Any) -> bool:
        return True

    for _ in range(5):  # would wait ~1000 s each if throttled
        assert await limiter.process_request(ok, (), {}, "answerCallbackQuery", {"chat_id": 1}, None)


async def test_a_call_without_a_token_waits_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The waits asked of asyncio.sleep, on a clock that only sleeping moves."""
    limiter = TelegramRateLimiter(overall_per_second=1.0, chat_per_second=0.5, chat_burst=1)
    # Ahead of the real clock, which stamps new buckets (they start full either way).
    clock = [time.monotonic() + 100.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))
        clock[0] += seconds

    monkeypatch.setattr("bot.ratelimit.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("bot.ratelimit.asyncio.sleep", sleep)

    async def ok(**_: Any) -> bool:
        return True

    async def send(chat_id: int) -> None:
        assert await limiter.process_request(ok, (), {}, "sendMessage", {"chat_id": chat_id}, None)

    await send(1)  # the overall and chat 1's tokens: no wait
    assert waits == []
    await send(2)  # chat 2's token, but the overall one comes back 1 s later
    assert waits == [1.0]
    await send(1)  # chat 1's bucket (0.5/s) refilled only halfway in that second
    assert waits == [1.0, 1.0]
    assert limiter._chat_bucket(2).tokens == 0  # its token given back while waiting, then taken
    limiter._paused_until = clock[0] + 5  # a 429's pause holds every chat
    await send(3)
    assert waits == [1.0, 1.0, 5.0]
