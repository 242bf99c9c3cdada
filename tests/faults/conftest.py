"""Fault tests: the real bot as separate worker processes (`bench/e2e_bench.py worker`, i.e.
`bot.web.create_web_app` as `python -m bot run` builds it) against the in-process emulator.

PostgreSQL comes from `LURECHECK_TEST_POSTGRES_URL`; without it PostgreSQL cases are skipped
locally and FAIL under CI (`CI` set), as in the storage suite.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from emulator import DEFAULT_TOKEN, Emulator
from storage.testing import migrated_schema, migrated_sqlite_file

os.environ.setdefault("PTB_TIMEDELTA", "1")

ROOT = Path(__file__).resolve().parents[2]
WORKER_SCRIPT = ROOT / "bench" / "e2e_bench.py"
# The same secret as the worker script uses (bench/e2e_bench.py BENCH_SECRET).
WEBHOOK_SECRET = "bench-webhook-secret_0123456789"
POSTGRES_URL_VARIABLE = "LURECHECK_TEST_POSTGRES_URL"


def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if url:
        return url
    message = (f"{POSTGRES_URL_VARIABLE} is not set; start PostgreSQL with "
               f'`export {POSTGRES_URL_VARIABLE}="$(scripts/postgres.sh start)"`')
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database shared by the worker processes: a SQLite file, or a fresh
    PostgreSQL schema."""
    if request.param == "sqlite":
        migrated_sqlite_file(tmp_path / "faults.sqlite3")
        yield f"sqlite:///{tmp_path / 'faults.sqlite3'}"
        return
    with migrated_schema(postgres_base_url(), prefix="faults") as url:
        yield url


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    # Telegram retries a webhook post that failed for a long time; so does this emulator here.
    emu = Emulator(webhook_max_attempts=100, webhook_retry_delay=0.05)
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


@dataclass
class WorkerProcess:
    process: asyncio.subprocess.Process
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


StartWorker = Callable[..., Awaitable[WorkerProcess]]


@pytest.fixture
async def start_worker(emulator: Emulator, tmp_path: Path) -> AsyncIterator[StartWorker]:
    """`await start_worker(database_url, stale_claim_seconds=…, staff_chat_id=…)`: one bot web
    process; the emulator's webhook points at the latest one started."""
    started: list[WorkerProcess] = []

    async def start(database_url: str, *, stale_claim_seconds: float | None = None,
                    staff_chat_id: int | None = None) -> WorkerProcess:
        log_path = tmp_path / f"worker{len(started)}.log"
        command = [sys.executable, str(WORKER_SCRIPT), "worker", "--database-url", database_url,
                   "--api-url", emulator.url, "--data-dir", str(tmp_path), "--unlimited-sends"]
        if stale_claim_seconds is not None:
            command += ["--stale-claim-seconds", str(stale_claim_seconds)]
        if staff_chat_id is not None:
            command += ["--staff-chat-id", str(staff_chat_id)]
        with log_path.open("ab") as log_file:
            process = await asyncio.create_subprocess_exec(
                *command, stdout=asyncio.subprocess.PIPE, stderr=log_file, cwd=ROOT)
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert line.startswith(b"ready "), log_path.read_text()[-3000:]
        worker = WorkerProcess(process, int(line.split()[1]), log_path)
        started.append(worker)
        await set_webhook(emulator, worker.url)
        return worker

    try:
        yield start
    finally:
        for worker in reversed(started):
            await worker.stop()


async def set_webhook(emulator: Emulator, url: str) -> None:
    body: dict[str, Any] = {"url": url, "secret_token": WEBHOOK_SECRET,
                            "allowed_updates": ["message", "edited_message", "callback_query"]}
    async with aiohttp.ClientSession() as session, session.post(
            f"{emulator.base_url}{DEFAULT_TOKEN}/setWebhook", json=body) as answer:
        payload = await answer.json()
    assert payload.get("ok"), payload
