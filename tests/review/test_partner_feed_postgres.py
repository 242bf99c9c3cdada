"""The change feed on PostgreSQL with two instances: writers on both commit out of order on
purpose (a pause between drawing their sequence numbers and committing) while a partner pages
through the feed, alternating between the instances; it must see every change exactly once."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from review.api import create_api_app
from storage import partners, reports
from storage.db import create_db_engine, session_scope
from storage.models import Indicator, StaffRole, StaffUser
from storage.review_actions import set_indicator_confirmed
from storage.staff import create_staff_user
from storage.testing import migrate_schema, temporary_schema
from tests.review.conftest import TEST_KEY, contacts_of
from tests.storage.conftest import postgres_base_url

NUMBERS = [f"+8551234{index:04d}" for index in range(40)]
TOGGLES_PER_WRITER = 40


@pytest.fixture
def pg_url() -> Iterator[str]:
    with temporary_schema(postgres_base_url(), prefix="feed") as url:
        yield url


def _writer(engine: Engine, seed: int, done: list[tuple[str, str]], lock: threading.Lock) -> None:
    chance = random.Random(seed)
    for _ in range(TOGGLES_PER_WRITER):
        value = chance.choice(NUMBERS)
        with session_scope(engine) as session:
            staff = session.exec(select(StaffUser)).first()
            indicator = session.exec(select(Indicator).where(Indicator.value == value)
                                     .with_for_update()).one()
            assert staff is not None and indicator.id is not None
            confirmed = not indicator.confirmed
            set_indicator_confirmed(session, actor=staff, indicator_id=indicator.id,
                                            confirmed=confirmed)
            time.sleep(chance.uniform(0, 0.02))  # hold the transaction: commits interleave
        with lock:
            done.append(("confirmed" if confirmed else "revoked", value))


async def test_feed_has_no_gaps_or_repeats_across_two_instances(pg_url: str, tmp_path: Path) -> None:
    engines = [create_db_engine(pg_url), create_db_engine(pg_url)]
    try:
        migrate_schema(engines[0], postgres_base_url())
        with session_scope(engines[0]) as session:
            create_staff_user(session, username="ana", password_hash="x", role=StaffRole.admin)
            for index, number in enumerate(NUMBERS):
                reports.create_report(session, reporter_key=f"{index:064d}", kind="contact", country="KH",
                                      language="km", risk_level="high", flag_ids=[], narrative=None,
                                      contacts=contacts_of(number))
            _partner, key = partners.add_partner(session, name="Bank", scopes=["feed"], actor="test",
                                                 rate_per_minute=1_000_000)
        settings = Settings(telegram_bot_token=None, database_url=pg_url, secret_key=TEST_KEY,
                            data_dir=tmp_path, instances=2)
        clients = []
        for engine in engines:
            root = web.Application()
            root.add_subapp("/api/v1", create_api_app(settings, engine=engine))
            clients.append(TestClient(TestServer(root, host="127.0.0.1")))
        for client in clients:
            await client.start_server()
        done: list[tuple[str, str]] = []
        lock = threading.Lock()
        writers = [threading.Thread(target=_writer, args=(engines[i % 2], i, done, lock)) for i in range(4)]
        for writer in writers:
            writer.start()
        seen: list[dict[str, object]] = []
        since, turn = "0", 0
        headers = {"Authorization": f"Bearer {key}"}
        while True:
            writing = any(writer.is_alive() for writer in writers)
            page = await clients[turn % 2].get("/api/v1/changes", params={"since": since, "limit": "7"},
                                               headers=headers)
            assert page.status == 200
            seen += [json.loads(line) for line in (await page.text()).splitlines()]
            since, turn = page.headers["X-Next-Cursor"], turn + 1
            if not writing and page.headers["X-Has-More"] == "false":
                break
            await asyncio.sleep(0.005)
        for writer in writers:
            writer.join()
        for client in clients:
            await client.close()
        assert len(done) == 4 * TOGGLES_PER_WRITER
        assert [int(str(line["cursor"])) for line in seen] == list(range(1, len(done) + 1))
        assert Counter((str(line["event"]), line["identity"]["key"]) for line in seen  # type: ignore[index]
                       ) == Counter(done)
    finally:
        for engine in engines:
            engine.dispose()
