"""Outgoing rate limits that hold Telegram's documented limits, across instances.

python-telegram-bot's `AIORateLimiter` applies no per-chat limit to private chats and is per
process. This limiter throttles every message-sending call with token buckets:
- overall: `overall_per_second` — set to 30 / number of instances (`WEB_CONCURRENCY`), so N
  instances together stay under Telegram's ~30 messages/s;
- per private chat: 1 message/s, with a small burst (a reply is often 2-3 messages);
- per group: 20 messages/minute.
A 429 `RetryAfter` pauses all sending of this instance for the time Telegram asks, then retries.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

TELEGRAM_OVERALL_PER_SECOND = 30.0
# Calls that deliver a message into a chat; the rest (getUpdates, answerCallbackQuery…) pass.
THROTTLED_ENDPOINTS = frozenset({
    "sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument",
    "copyMessage", "forwardMessage", "sendChatAction",
})
# How often the buckets of chats that have refilled are forgotten. A forgotten bucket comes back
# full, as it would be: forgetting changes no delay. Private chats refill in 3 s, groups in 9 s,
# so the buckets kept are those of the last few seconds' chats, not of every chat for minutes.
PRUNE_SECONDS = 10.0


@dataclass(slots=True)
class TokenBucket:
    rate: float  # tokens per second
    capacity: float
    tokens: float = field(default=-1.0)
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.capacity

    def is_full(self, now: float) -> bool:
        """Whether the bucket has refilled to its capacity by `now`."""
        return self.tokens + (now - self.updated) * self.rate >= self.capacity

    def delay(self, now: float) -> float:
        """Take a token if there is one (0.0), else how long until there will be."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class TelegramRateLimiter(BaseRateLimiter[int]):
    def __init__(self, *, overall_per_second: float = TELEGRAM_OVERALL_PER_SECOND,
                 chat_per_second: float = 1.0, chat_burst: float = 3.0,
                 group_per_minute: float = 20.0, max_retries: int = 5) -> None:
        self.overall = TokenBucket(overall_per_second, max(1.0, overall_per_second))
        self.chat_per_second = chat_per_second
        self.chat_burst = chat_burst
        self.group_per_second = group_per_minute / 60.0
        self.max_retries = max_retries
        self._chats: dict[str | int, TokenBucket] = {}
        self._paused_until = 0.0
        self._last_prune = time.monotonic()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        self._chats.clear()

    def _chat_bucket(self, chat_id: str | int) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            group = isinstance(chat_id, str) or chat_id < 0
            rate = self.group_per_second if group else self.chat_per_second
            bucket = self._chats[chat_id] = TokenBucket(rate, self.chat_burst)
        return bucket

    def _prune(self, now: float) -> None:
        # Buckets that are full again would be made afresh just the same: forgetting them
        # changes nothing, and keeps one bucket per recent chat instead of per chat seen.
        if now - self._last_prune < PRUNE_SECONDS:
            return
        self._last_prune = now
        for chat_id in [c for c, b in self._chats.items() if b.is_full(now)]:
            del self._chats[chat_id]

    def _take_turn(self, chat_id: str | int | None) -> float:
        """Take this call's tokens now (0.0), or say how long to wait before trying again."""
        now = time.monotonic()
        if now < self._paused_until:
            return self._paused_until - now
        if chat_id is not None:
            wait = self._chat_bucket(chat_id).delay(now)
            if wait:
                return wait
        wait = self.overall.delay(now)
        if wait:
            # Give the chat's token back: we wait for the overall one.
            if chat_id is not None:
                self._chat_bucket(chat_id).tokens += 1
            return wait
        self._prune(now)
        return 0.0

    async def _wait_turn(self, chat_id: str | int | None) -> None:
        # Nearly every call gets its turn at once: `process_request` tries `_take_turn` itself
        # and comes here only to wait (no coroutine per reply on the event loop otherwise).
        while wait := self._take_turn(chat_id):
            await asyncio.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        throttled = endpoint in THROTTLED_ENDPOINTS
        chat_id = data.get("chat_id") if throttled else None
        for attempt in range(self.max_retries + 1):
            if throttled and (wait := self._take_turn(chat_id)):
                await asyncio.sleep(wait)
                await self._wait_turn(chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self.max_retries:
                    raise
                retry_after = error.retry_after
                seconds = retry_after.total_seconds() if hasattr(retry_after, "total_seconds") \
                    else float(retry_after)
                log.warning("Telegram asked to slow down", extra={"retry_after": seconds})
                self._paused_until = max(self._paused_until, time.monotonic() + seconds + 0.1)
        raise AssertionError("unreachable")
