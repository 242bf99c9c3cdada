"""An update that takes longer than the stale-claim age (here 1 s instead of the production two
minutes) is not handed out again while its worker is alive: the person gets one reply."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from emulator import Emulator
from storage.db import migrate
from tests.faults.conftest import StartWorker
from tests.faults.test_bot_api_faults import drained
from tests.faults.test_worker_killed import step


async def test_a_slow_update_is_not_processed_twice(emulator: Emulator, start_worker: StartWorker,
                                                    tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'slow.sqlite3'}"
    migrate(database_url)
    await start_worker(database_url, stale_claim_seconds=1.0)
    person = emulator.user(6300, language_code="en")
    await step(person, "command", "/start")
    before = len(person.messages)

    send_message = emulator._methods["sendmessage"]
    held: list[bool] = []

    async def slow_first_send(call: Any) -> Any:
        if not held:
            held.append(True)
            await asyncio.sleep(3.0)  # three stale-claim ages; under PTB's 5 s read timeout
        return await send_message(call)

    emulator._methods["sendmessage"] = slow_first_send
    await person.send_command("/help")
    await person.wait_for_reply(timeout=20)
    assert await drained(database_url) == {"done": 2}
    await person.wait_until_settled(quiet=2.0)  # a second processing would show up by now
    replies = [message.text for message in person.messages[before:]]
    assert replies and len(set(replies)) == len(replies), [text[:60] for text in replies]
