"""The review app's queries and pages on PostgreSQL (production's engine), not only SQLite.

Uses the database `scripts/test.sh` starts (`LURECHECK_TEST_POSTGRES_URL`), in a fresh schema
per test; skipped locally without it, a failure under CI (see tests/storage/conftest.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.config import Settings
from review import queries
from review.app import create_standalone_app
from storage import queue
from storage.db import create_db_engine, session_scope
from storage.indicators import lookup_indicator
from storage.models import Indicator, Report, StaffUser
from storage.testing import migrate_schema, temporary_schema
from tests.review.conftest import ADMIN, TEST_KEY, Seeded, log_in, seed
from tests.storage.conftest import postgres_base_url


@pytest.fixture
def pg_url() -> Iterator[str]:
    with temporary_schema(postgres_base_url(), prefix="review") as url:
        yield url


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = create_db_engine(pg_url)
    migrate_schema(engine, postgres_base_url())
    yield engine
    engine.dispose()


@pytest.fixture
def pg_seeded(pg_engine: Engine) -> Seeded:
    return seed(pg_engine)


@pytest.fixture
async def pg_client(pg_url: str, pg_engine: Engine, pg_seeded: Seeded, tmp_path: Path
                    ) -> AsyncIterator[TestClient]:
    settings = Settings(telegram_bot_token=None, database_url=pg_url, secret_key=TEST_KEY,
                        data_dir=tmp_path)
    async with TestClient(TestServer(create_standalone_app(settings, engine=pg_engine),
                                     host="127.0.0.1")) as client:
        yield client


def test_queries_on_postgresql(pg_engine: Engine, pg_seeded: Seeded) -> None:
    today = datetime.now(UTC).date()
    with session_scope(pg_engine) as session:
        def ids(**filters: object) -> list[int]:
            page = queue.queue_page(session, filters=queue.QueueFilter(**filters),  # type: ignore[arg-type]
                                      staff_id=None)
            return [row.id for row in page.rows]

        assert ids(country="KH") == [pg_seeded.scam_report_id]
        assert set(ids(contact="+855 12 345 678")) == {pg_seeded.scam_report_id, pg_seeded.xss_report_id, 3}
        assert ids(sort="risk")[:2] == [pg_seeded.scam_report_id, pg_seeded.xss_report_id]
        assert set(ids(date_from=today - timedelta(days=2), date_to=today)) == {
            pg_seeded.scam_report_id, pg_seeded.xss_report_id}
        assert len(ids(page=2)) == 14
        per_day = dict(queries.reports_per_day(session, days=30))
        assert per_day[today - timedelta(days=1)] == 1 and per_day[today - timedelta(days=10)] == 60
        top = queries.top_contacts(session, limit=3)
        assert (top[0].value, top[0].independent_reporters) == (pg_seeded.shared_phone, 2)
        clusters = queries.contact_clusters(session)
        assert [c.reports for c in clusters] == [[pg_seeded.scam_report_id, pg_seeded.xss_report_id, 3]]
        # The cluster walk passes ids as one array parameter on PostgreSQL.
        view = queries.cluster_of(session, report_id=pg_seeded.scam_report_id)
        assert view is not None and sorted(r.id for r in view.reports) == sorted(clusters[0].reports)
        assert [c.key for c in view.contacts] == [f"phone:{pg_seeded.shared_phone}"]
        phone = queries.contact_view(session, indicator_id=view.contacts[0].indicator_id)
        assert phone is not None and phone.total == 3 and phone.first_seen and phone.last_seen
        assert queries.count_by(session, column=col(Report.status)) == [("new", 64)]
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        assert queries.block_reporter_of(session, report_id=pg_seeded.xss_report_id, staff=admin,
                                         note="floods the bot") == 2
        rows = queries.export_rows(session, filters=queue.QueueFilter(status="spam"), staff_id=None)
        assert sorted(r["id"] for r in rows) == [pg_seeded.xss_report_id, 3]
    with session_scope(pg_engine, read_only=True) as session:
        assert lookup_indicator(session, type="phone",
                                            value=pg_seeded.shared_phone).independent_reporters == 1


async def test_pages_on_postgresql(pg_client: TestClient, pg_seeded: Seeded) -> None:
    await log_in(pg_client, *ADMIN)
    for path in ("/review/?sort=risk&country=TH", f"/review/reports/{pg_seeded.scam_report_id}",
                 "/review/dashboard", "/review/networks", "/review/audit", "/review/export/stix.json"):
        response = await pg_client.get(path)
        assert response.status == 200, (path, await response.text())
    exported = await (await pg_client.get("/review/export.csv", params={"contact": "012345678",
                                                                         "country": "KH"})).text()
    assert [row["id"] for row in csv.DictReader(io.StringIO(exported))] == [str(pg_seeded.scam_report_id)]


def test_unblock_and_revoked_contacts_on_postgresql(pg_engine: Engine, pg_seeded: Seeded) -> None:
    """Issue 17's queries on PostgreSQL: unblocking restores statuses; a confirmed then rejected
    contact is listed for the STIX export as revoked."""
    with session_scope(pg_engine) as session:
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        assert queries.block_reporter_of(session, report_id=pg_seeded.xss_report_id, staff=admin,
                                         note="floods the bot") == 2
    with session_scope(pg_engine) as session:
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        assert queries.unblock_reporter_of(session, report_id=pg_seeded.xss_report_id, staff=admin,
                                           note="mistake") == 2
        phone = session.exec(select(Indicator).where(Indicator.value == pg_seeded.shared_phone)).one()
        assert phone.id is not None
        queries.set_indicator_decision(session, indicator_id=phone.id, confirmed=True, staff=admin)
    with session_scope(pg_engine) as session:
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        queries.set_indicator_decision(session, indicator_id=phone.id, confirmed=False, staff=admin)
    with session_scope(pg_engine, read_only=True) as session:
        assert queries.is_reporter_blocked(session, reporter_key="b" * 64) is False
        [(revoked, first, last)] = queries.revoked_indicators(session)
        assert revoked.value == pg_seeded.shared_phone and first <= last
