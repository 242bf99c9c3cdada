"""Staff authentication: argon2 password hashes, signed session tokens, CSRF tokens, login throttling.

Sessions are *signed tokens* in a cookie, not server-side state, so every instance of the webhook
server accepts a session created by another one. A token holds the staff id, a random session id,
its issue and last-activity times, and a fingerprint of the password hash; it is signed with
HMAC-SHA256 under the `sessions` key derived from `PSEUDONYM_KEY` by HKDF (storage/keys.py; CSRF
tokens under the `csrf` key). Consequences, by design:
- resetting a password (new hash) or disabling an account ends every session at once, because each
  request re-reads the staff row and compares the fingerprint;
- a token expires after `IDLE_TIMEOUT` without activity (the cookie is re-issued as people work)
  and after `ABSOLUTE_TIMEOUT` whatever happens;
- logout, `staff disable` and `staff enable` set the account's `sessions_valid_after` in the
  database (storage.staff.end_sessions): every token issued before is refused by every instance,
  also after a restart (logout ends that person's sessions on all their devices).
The CSRF token of a form is an HMAC of the session id: no storage needed, and it dies with the session.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

IDLE_TIMEOUT = 60 * 60  # seconds
ABSOLUTE_TIMEOUT = 12 * 60 * 60
REFRESH_AFTER = 5 * 60  # re-issue the cookie at most this often, to slide the idle timeout
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW = 15 * 60

_password_hasher = PasswordHasher()
# A hash of a random password, verified when the username is unknown, so that a wrong username
# costs as much time as a wrong password and does not reveal which usernames exist.
_DUMMY_HASH = _password_hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _password_hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def password_fingerprint(password_hash: str) -> str:
    # Short and not reversible; only compared for equality with the current hash's fingerprint.
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SessionToken:
    staff_id: int
    session_id: str
    issued_at: float  # with sub-second precision: compared with the account's logout moment
    last_seen: int
    fingerprint: str


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Signs and checks session cookies and CSRF tokens."""

    def __init__(self, session_key: bytes, csrf_key: bytes) -> None:
        # Each its own key, derived from the one secret by the composition root (storage.keys).
        self._session_key = session_key
        self._csrf_key = csrf_key
        self._revoked: dict[str, int] = {}  # session id -> time its token would expire anyway
        self._lock = threading.Lock()

    def new_session(self, *, staff_id: int, password_hash: str, now: float | None = None) -> SessionToken:
        moment = time.time() if now is None else now
        return SessionToken(staff_id=staff_id, session_id=secrets.token_urlsafe(18), issued_at=moment,
                            last_seen=int(moment), fingerprint=password_fingerprint(password_hash))

    def touched(self, token: SessionToken, *, now: float | None = None) -> SessionToken:
        moment = int(time.time() if now is None else now)
        return SessionToken(token.staff_id, token.session_id, token.issued_at, moment, token.fingerprint)

    def dumps(self, token: SessionToken) -> str:
        payload = _b64encode(json.dumps(
            [token.staff_id, token.session_id, token.issued_at, token.last_seen, token.fingerprint],
            separators=(",", ":")).encode())
        signature = _b64encode(hmac.new(self._session_key, payload.encode(), hashlib.sha256).digest())
        return f"{payload}.{signature}"

    def loads(self, cookie: str | None, *, now: float | None = None) -> SessionToken | None:
        """The token in a cookie if its signature is right and it has not expired or been revoked."""
        if not cookie or cookie.count(".") != 1:
            return None
        payload, signature = cookie.split(".")
        expected = _b64encode(hmac.new(self._session_key, payload.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(signature, expected):
            return None
        try:
            staff_id, session_id, issued_at, last_seen, fingerprint = json.loads(_b64decode(payload))
        except (ValueError, TypeError, binascii.Error):
            return None
        moment = time.time() if now is None else now
        if moment - issued_at > ABSOLUTE_TIMEOUT or moment - last_seen > IDLE_TIMEOUT:
            return None
        with self._lock:
            if session_id in self._revoked:
                return None
        return SessionToken(int(staff_id), str(session_id), float(issued_at), int(last_seen),
                            str(fingerprint))

    def revoke(self, token: SessionToken, *, now: float | None = None) -> None:
        moment = time.time() if now is None else now
        with self._lock:
            # Forget revocations whose tokens have expired anyway, so the set stays small.
            for session_id, expires in list(self._revoked.items()):
                if expires < moment:
                    del self._revoked[session_id]
            self._revoked[token.session_id] = int(token.issued_at) + ABSOLUTE_TIMEOUT

    def csrf_token(self, token: SessionToken) -> str:
        return _b64encode(hmac.new(self._csrf_key, token.session_id.encode(), hashlib.sha256).digest())

    def csrf_ok(self, token: SessionToken, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(self.csrf_token(token), submitted or "")


class LoginThrottle:
    """At most `limit` failed logins per (username, client address) in a sliding `window`.

    Per process, in memory: enough to make password guessing against one instance slow; the
    limit is per username *and* address so one attacker cannot lock a colleague out from elsewhere.
    """

    def __init__(self, *, limit: int = LOGIN_FAILURE_LIMIT, window: float = LOGIN_FAILURE_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], moment: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and moment - failures[0] > self.window:
            failures.popleft()
        return failures

    def retry_after(self, *, username: str, address: str, now: float | None = None) -> float:
        """Seconds until another attempt is allowed (0: allowed now)."""
        moment = time.time() if now is None else now
        key = (username.casefold(), address)
        with self._lock:
            failures = self._recent(key, moment)
            if len(failures) < self.limit:
                return 0.0
            return max(0.0, self.window - (moment - failures[-self.limit]))

    def record_failure(self, *, username: str, address: str, now: float | None = None) -> None:
        moment = time.time() if now is None else now
        key = (username.casefold(), address)
        with self._lock:
            self._recent(key, moment).append(moment)
            if len(self._failures) > 10_000:
                # Bound memory under a spray of usernames: drop the keys with no recent failure.
                for other in [k for k, v in self._failures.items() if not v or moment - v[-1] > self.window]:
                    del self._failures[other]

    def record_success(self, *, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop((username.casefold(), address), None)


LOGIN_RATE_PER_MINUTE = 30.0  # hashed logins per minute per process, all usernames together
LOGIN_BURST = 5  # at most this many at once after a quiet spell
LOGIN_HASH_WORKERS = 2  # argon2 runs in this many threads at most (64 MiB each)
LOGIN_MAX_WAITING = 8  # logins queued for a hashing thread beyond these are refused at once


HASH_THREAD_NICENESS = 19


def _lowest_cpu_priority() -> None:
    """Run this thread (and the threads argon2 starts for its lanes, which inherit it) at the
    lowest CPU priority: on Linux niceness is per thread, so the event loop serving the webhook
    keeps its share of the CPU while a password is hashed. Elsewhere: nothing."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_THREAD_NICENESS)


class LoginGate:
    """The global brake on logins, beside the per-(username, address) `LoginThrottle`.

    A flood of logins with different usernames (or from many addresses) passes that throttle; each
    one costs an argon2 hash (64 MiB, tens of ms of CPU on every core it gets). The gate admits
    hashes from a token bucket (`per_minute`, at most `burst` at once) and runs them in a private
    pool of `workers` threads with at most `max_waiting` queued; beyond either bound a login is
    refused (HTTP 429) without hashing, and before its body is read (`wait`). The default thread
    pool (database work, the webhook's inbox writes) is never taken by argon2, and memory stays
    at `workers` × 64 MiB whatever arrives. Per process: N instances admit N × `per_minute`.
    """

    def __init__(self, *, per_minute: float = LOGIN_RATE_PER_MINUTE, burst: int = LOGIN_BURST,
                 workers: int = LOGIN_HASH_WORKERS, max_waiting: int = LOGIN_MAX_WAITING) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.capacity = workers + max_waiting
        self._tokens = float(burst)
        self._updated: float | None = None
        self._in_flight = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2",
                                        initializer=_lowest_cpu_priority)
        self.refused = 0  # logins turned away by the gate

    def _refill(self, moment: float) -> None:
        elapsed = 0.0 if self._updated is None else max(0.0, moment - self._updated)
        self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
        self._updated = moment

    def wait(self, *, now: float | None = None) -> float:
        """Seconds before a login could be admitted (0: now); takes nothing."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            self._refill(moment)
            if self._tokens < 1:
                return max(1.0, (1 - self._tokens) / self.rate)
            return 5.0 if self._in_flight >= self.capacity else 0.0

    def admit(self, *, now: float | None = None) -> float:
        """0 and a slot taken (give it back with `release`), or the seconds to wait before retrying."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            self._refill(moment)
            if self._tokens < 1:
                self.refused += 1
                return max(1.0, (1 - self._tokens) / self.rate)
            if self._in_flight >= self.capacity:
                self.refused += 1
                return 5.0
            self._tokens -= 1
            self._in_flight += 1
            return 0.0

    def release(self) -> None:
        with self._lock:
            self._in_flight -= 1

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """`verify_password` in the gate's pool (call after a successful `admit`)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, verify_password, password_hash, password)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
