"""Switchable fault injection: Telegram's flood limits, server errors and slow responses.

Everything is off by default so functional tests are deterministic; a test or a separate
process (through `/_emulator/faults`) switches on what it wants to exercise.

Flood limits (Telegram documents them only loosely: FAQ "Hitting limits", PTB
`constants.FloodLimit`) are token buckets, counted for the methods that post or change a
message (`THROTTLED_METHODS`):

* overall: 30 messages per second, bucket of 30 (one second's worth of burst);
* private chat: 1 message per second per chat, with a burst of `per_chat_burst` (3 by default,
  because Telegram tolerates "short bursts" before answering 429);
* group or channel chat (negative id): 20 messages per minute, bucket of 20.

When a bucket is empty the call fails with 429 and `parameters.retry_after` = whole seconds
until a token is back (at least 1), exactly what PTB turns into `telegram.error.RetryAfter`.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.errors import ApiError, too_many_requests

THROTTLED_METHODS = frozenset({
    "sendmessage", "sendphoto", "senddocument", "sendmediagroup", "sendsticker", "sendvoice",
    "sendvideo", "sendaudio", "sendanimation", "sendlocation", "sendcontact", "sendpoll",
    "forwardmessage", "copymessage", "editmessagetext", "editmessagecaption",
    "editmessagereplymarkup", "editmessagemedia",
})

_SERVER_ERROR_TEXT = {500: "Internal Server Error", 502: "Bad Gateway",
                      503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass
class TokenBucket:
    capacity: float
    refill_per_second: float
    tokens: float
    updated: float

    @classmethod
    def full(cls, capacity: float, refill_per_second: float, now: float) -> TokenBucket:
        return cls(capacity, refill_per_second, capacity, now)

    def wait_needed(self, now: float) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        self.tokens = min(self.capacity,
                          self.tokens + (now - self.updated) * self.refill_per_second)
        self.updated = now
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.refill_per_second

    def take(self) -> None:
        self.tokens -= 1


@dataclass
class Faults:
    """The fault settings and the state they need; one per emulator."""

    rate_limits: bool = False
    overall_per_second: float = 30
    per_chat_per_second: float = 1
    per_chat_burst: int = 3
    per_group_per_minute: float = 20
    latency: float = 0.0  # seconds added before answering every Bot API call
    fail_next: int = 0  # the next N calls (see `fail_methods`) answer `fail_status`
    fail_fraction: float = 0.0  # probability of `fail_status` on every eligible call
    fail_status: int = 500
    fail_methods: frozenset[str] | None = None  # None: every method except getUpdates
    retry_after_next: int = 0  # the next N throttled calls answer 429 regardless of rate
    retry_after_seconds: int = 1
    seed: int = 0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    _random: random.Random = field(init=False, repr=False)
    _overall: TokenBucket | None = field(default=None, init=False, repr=False)
    _chats: dict[int | str, TokenBucket] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def reset(self) -> None:
        fresh = Faults(clock=self.clock)
        for name in _SETTINGS:
            setattr(self, name, getattr(fresh, name))
        self._random = random.Random(self.seed)
        self._overall = None
        self._chats.clear()

    # ----- configuration, also used by the HTTP control endpoint -----
    def to_dict(self) -> dict[str, Any]:
        settings = {name: getattr(self, name) for name in _SETTINGS}
        settings["fail_methods"] = sorted(self.fail_methods) if self.fail_methods else None
        return settings

    def configure(self, changes: Mapping[str, Any]) -> None:
        """Apply settings by name; unknown names or wrong types raise ValueError."""
        for name, value in changes.items():
            if name not in _SETTINGS:
                raise ValueError(f"unknown fault setting {name!r}; known: {sorted(_SETTINGS)}")
            expected = _SETTINGS[name]
            if name == "fail_methods":
                value = None if value is None else frozenset(str(m).lower() for m in value)
            elif expected is bool:
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
            elif not isinstance(value, int | float) or isinstance(value, bool):
                raise ValueError(f"{name} must be a number")
            else:
                value = expected(value)
            setattr(self, name, value)
        if "seed" in changes:
            self._random = random.Random(self.seed)
        if {"overall_per_second", "per_chat_per_second", "per_chat_burst",
                "per_group_per_minute", "rate_limits"} & set(changes):
            self._overall = None
            self._chats.clear()

    # ----- the checks, in the order the server applies them -----
    def check_server_error(self, method: str) -> None:
        eligible = method != "getupdates" if self.fail_methods is None \
            else method in self.fail_methods
        if not eligible:
            return
        fail = False
        if self.fail_next > 0:
            self.fail_next -= 1
            fail = True
        elif self.fail_fraction > 0 and self._random.random() < self.fail_fraction:
            fail = True
        if fail:
            status = self.fail_status
            raise ApiError(status, _SERVER_ERROR_TEXT.get(status, "Internal Server Error"))

    def check_flood(self, method: str, chat_id: int | str | None) -> None:
        if method not in THROTTLED_METHODS:
            return
        if self.retry_after_next > 0:
            self.retry_after_next -= 1
            raise too_many_requests(self.retry_after_seconds)
        if not self.rate_limits:
            return
        now = self.clock()
        if self._overall is None:
            self._overall = TokenBucket.full(self.overall_per_second, self.overall_per_second, now)
        buckets = [self._overall]
        if chat_id is not None:
            bucket = self._chats.get(chat_id)
            if bucket is None:
                is_group = isinstance(chat_id, str) or chat_id < 0
                bucket = TokenBucket.full(self.per_group_per_minute,
                                          self.per_group_per_minute / 60, now) if is_group \
                    else TokenBucket.full(self.per_chat_burst, self.per_chat_per_second, now)
                self._chats[chat_id] = bucket
            buckets.append(bucket)
        wait = max(bucket.wait_needed(now) for bucket in buckets)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        for bucket in buckets:
            bucket.take()


_SETTINGS: dict[str, type] = {
    "rate_limits": bool, "overall_per_second": float, "per_chat_per_second": float,
    "per_chat_burst": int, "per_group_per_minute": float, "latency": float, "fail_next": int,
    "fail_fraction": float, "fail_status": int, "fail_methods": frozenset,
    "retry_after_next": int, "retry_after_seconds": int, "seed": int,
}
