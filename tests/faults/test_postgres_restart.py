"""PostgreSQL goes away and comes back while people are talking to the bot: nothing is lost
and nobody has to do anything.

The restart is done on a private, throwaway PostgreSQL cluster (same binaries as the one
`LURECHECK_TEST_POSTGRES_URL` points at), so other suites using the shared server at the same
time are not disturbed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator import Emulator
from emulator.users import SimulatedUser
from storage.db import create_db_engine, migrate, session_scope
from storage.inbox import status_counts
from storage.models import InboxStatus
from tests.faults.conftest import StartWorker, postgres_base_url
from tests.faults.test_worker_killed import LURE, step

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PEOPLE = 12


class PrivateCluster:
    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.port = port

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *arguments: str) -> None:
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off")
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-w",
                   "-l", str(self.directory / "server.log"), "-o", options, *arguments]
        subprocess.run(_as_postgres(command), check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{part}'" for part in command)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def private_cluster() -> Iterator[PrivateCluster]:
    postgres_base_url()  # PostgreSQL is expected here: fail under CI, skip locally if absent
    if not (PG_BIN / "initdb").exists():
        message = f"PostgreSQL binaries not found in {PG_BIN} (set PG_BIN)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    directory = Path(tempfile.mkdtemp(prefix="lurecheck-pg-restart-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(directory / "data"),
                                 "-U", "postgres", "--auth=trust", "-N"]),
                   check=True, capture_output=True, timeout=120)
    cluster = PrivateCluster(directory, _free_port())
    cluster.start()
    try:
        yield cluster
    finally:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(directory / "data"),
                                     "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)


async def walk(person: SimulatedUser) -> list[str]:
    replies = []
    for kind, content in (("command", "/start"), ("command", "/check"), ("text", LURE),
                          ("command", "/help")):
        reply = await step(person, kind, content)
        replies.append(reply.text)
    return replies


async def test_postgres_restart_under_load_loses_nothing(
        emulator: Emulator, start_worker: StartWorker, private_cluster: PrivateCluster) -> None:
    migrate(private_cluster.url)
    await start_worker(private_cluster.url)
    people = [emulator.user(8000 + number, language_code="en") for number in range(PEOPLE)]
    walks = [asyncio.create_task(walk(person)) for person in people]

    async def replies_so_far() -> int:
        return sum(len(person.messages) for person in people)

    while await replies_so_far() < PEOPLE:  # the load is under way
        await asyncio.sleep(0.02)
    await asyncio.to_thread(private_cluster.stop)
    # Updates keep arriving while the database is down (the webhook answers 503 and the
    # emulator, like Telegram, posts them again later).
    latecomers = [emulator.user(8500 + number, language_code="en") for number in range(4)]
    for person in latecomers:
        await person.send_command("/start")
    await asyncio.sleep(1.0)
    await asyncio.to_thread(private_cluster.start)

    transcripts = await asyncio.wait_for(asyncio.gather(*walks), 90)
    for person in latecomers:
        await person.wait_for_reply(timeout=30)
    assert all(len(transcript) == 4 for transcript in transcripts)
    for transcript in transcripts:
        assert transcript[2].startswith("🔴"), transcript[2][:80]
    assert not emulator.webhook_dropped
    # Every update was processed once; no "something went wrong" apology was needed.
    assert not any("something went wrong" in message.text for person in people + latecomers
                   for message in person.messages)
    engine = create_db_engine(private_cluster.url)
    try:
        # A reply goes out before its update is marked done: give the last ones a moment.
        for _ in range(100):
            with session_scope(engine, read_only=True) as db:
                statuses = status_counts(db)
            if set(statuses) == {InboxStatus.done}:
                break
            await asyncio.sleep(0.1)
    finally:
        engine.dispose()
    assert statuses == {InboxStatus.done.value: PEOPLE * 4 + 4}, statuses
