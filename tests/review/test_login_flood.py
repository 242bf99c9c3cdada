"""Issue 17: a login flood is braked globally, argon2 runs in a bounded pool, failed logins are
audited, and the login route refuses a big body before reading it."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from review import auth
from review.app import create_review_app, create_standalone_app
from review.auth import LoginGate
from storage.db import session_scope
from storage.models import ReviewEvent
from tests.review.conftest import ADMIN, Seeded, hidden_field


async def _try_login(client: TestClient, username: str, password: str) -> int:
    page = await client.get("/review/login")
    token = hidden_field(await page.text(), "login_token")
    response = await client.post("/review/login", allow_redirects=False,
                                 data={"login_token": token, "username": username, "password": password})
    return response.status


@pytest.fixture
async def gated_client(settings: Settings, engine: Engine, seeded: Seeded) -> AsyncIterator[TestClient]:
    root = web.Application()
    gate = LoginGate(per_minute=1, burst=3)
    root.add_subapp("/review", create_review_app(settings, engine=engine, gate=gate))
    async with TestClient(TestServer(root, host="127.0.0.1")) as test_client:
        yield test_client


async def test_login_flood_with_different_usernames_is_refused_before_hashing(
        gated_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    hashed: list[str] = []
    real_verify = auth.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        hashed.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    statuses = [await _try_login(gated_client, f"sprayed{index}", f"guess{index}") for index in range(6)]
    # Each username is new, so the per-username throttle never trips: only the global gate does.
    assert statuses == [401, 401, 401, 429, 429, 429]
    assert len(hashed) == 3


async def test_failed_logins_are_audited(client: TestClient, engine: Engine) -> None:
    assert await _try_login(client, ADMIN[0], "not the password") == 401
    assert await _try_login(client, "nobody-here", "whatever") == 401
    with session_scope(engine, read_only=True) as session:
        events = session.exec(select(ReviewEvent).where(ReviewEvent.action == "login_failed")).all()
        assert sorted((event.actor, event.note) for event in events) == [
            (ADMIN[0], "wrong password"), ("nobody-here", "no such account")]
        assert all("not the password" not in str(event.model_dump()) for event in events)


async def test_argon2_runs_in_a_bounded_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    running, peak = 0, 0
    lock = threading.Lock()

    def slow_verify(_password_hash: str | None, _password: str) -> bool:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return False

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    gate = LoginGate(per_minute=60_000, burst=1000, workers=2, max_waiting=6)

    async def one() -> str:
        if gate.admit() > 0:
            return "refused"
        try:
            await gate.verify(None, "x")
        finally:
            gate.release()
        return "hashed"

    outcomes = await asyncio.gather(*(one() for _ in range(20)))
    gate.close()
    assert gate.refused == 12
    assert peak == 2
    # 2 hashing + 6 waiting admitted at once; the other 12 refused without queueing.
    assert outcomes.count("hashed") == 8 and outcomes.count("refused") == 12


def test_gate_is_a_token_bucket() -> None:
    gate = LoginGate(per_minute=60, burst=2)
    assert [gate.admit(now=0.0) for _ in range(3)][:2] == [0.0, 0.0]
    gate.release()
    gate.release()
    assert gate.wait(now=0.0) >= 1.0  # the third was refused: no token left
    assert gate.wait(now=1.0) == 0.0  # one a second comes back
    assert gate.admit(now=1.0) == 0.0 and gate.admit(now=1.0) > 0
    gate.close()


async def test_login_refuses_a_big_body_before_reading_it(settings: Settings, engine: Engine,
                                                         seeded: Seeded) -> None:
    server = TestServer(create_standalone_app(settings, engine=engine), host="127.0.0.1")
    async with TestClient(server) as client:
        big = await client.post("/review/login", data=b"username=" + b"a" * 200_000,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert big.status == 413

        async def chunked() -> AsyncIterator[bytes]:
            for _ in range(50):
                yield b"a" * 10_000

        streamed = await client.post("/review/login", data=chunked(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert streamed.status == 413


async def test_argon2_threads_run_at_the_lowest_cpu_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def niceness(_password_hash: str | None, _password: str) -> bool:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == auth.HASH_THREAD_NICENESS

    monkeypatch.setattr(auth, "verify_password", niceness)
    gate = LoginGate()
    try:
        assert await gate.verify(None, "x")
    finally:
        gate.close()
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) != auth.HASH_THREAD_NICENESS


async def test_a_refused_login_is_answered_late_and_plainly(gated_client: TestClient) -> None:
    for index in range(3):
        assert await _try_login(gated_client, f"user{index}", "guess") == 401
    started = time.monotonic()
    refused = await gated_client.post("/review/login", data={"username": "x", "password": "y"})
    assert refused.status == 429 and int(refused.headers["Retry-After"]) > 0
    assert time.monotonic() - started >= 0.9  # tarpitted: a flood tool gets one answer a second
