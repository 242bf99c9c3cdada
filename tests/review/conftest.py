"""Fixtures for the review app: a migrated SQLite database with staff and reports, and an
aiohttp test client (loopback only) that can log in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine

from bot.config import Settings
from review.app import create_standalone_app
from review.auth import LoginGate, hash_password
from screening.contacts import Contact, parse_contact
from storage.db import create_db_engine, session_scope
from storage.models import Report, ReportKind, StaffRole
from storage.reports import create_report
from storage.staff import create_staff_user
from storage.testing import migrated_sqlite_file

TEST_KEY = b"r" * 32
ADMIN = ("ana", "correct horse battery staple")
REVIEWER = ("rui", "another long passphrase 42")
XSS_NARRATIVE = ("Boss said <script>alert('pwned')</script> and "
                 "'; DROP TABLE report; -- call +855 12 345 678")


@cache
def password_hash(password: str) -> str:
    # argon2 is slow on purpose; hash each test password once per run, not once per test.
    return hash_password(password)


def make_settings(tmp_path: Path) -> Settings:
    return Settings(telegram_bot_token=None, database_url=f"sqlite:///{tmp_path / 'review.sqlite3'}",
                    secret_key=TEST_KEY, data_dir=tmp_path)


def contacts_of(*raw: str, region: str = "KH") -> list[Contact]:
    found = [parse_contact(item, default_region=region) for item in raw]
    return [contact for contact in found if contact is not None]


@dataclass
class Seeded:
    scam_report_id: int
    xss_report_id: int
    other_report_id: int
    shared_phone: str = "+85512345678"


def seed(engine: Engine) -> Seeded:
    """Two staff accounts and a small network: three reporters name one phone number."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        create_staff_user(session, username=ADMIN[0], password_hash=password_hash(ADMIN[1]),
                          role=StaffRole.admin)
        create_staff_user(session, username=REVIEWER[0], password_hash=password_hash(REVIEWER[1]),
                          role=StaffRole.reviewer)
        scam = create_report(session, reporter_key="a" * 64, kind="job_offer", country="KH", language="en",
                             risk_level="very_high", flag_ids=["passport_held"],
                             narrative="Offer of $3000/month in Sihanoukville, contact +855 12 345 678 "
                                       "or @fast_jobs_kh",
                             contacts=contacts_of("+85512345678", "@fast_jobs_kh"),
                             now=now - timedelta(days=1))
        xss = create_report(session, reporter_key="b" * 64, kind="contact", country="TH", language="th",
                            risk_level="high", flag_ids=[], narrative=XSS_NARRATIVE,
                            contacts=contacts_of("+85512345678"), now=now - timedelta(days=2))
        # The same reporter twice: one independent reporter, two rows.
        create_report(session, reporter_key="b" * 64, kind="contact", country="TH", language="th",
                      risk_level="medium", flag_ids=[], narrative="again that number",
                      contacts=contacts_of("+85512345678"), now=now - timedelta(days=3))
        other = create_report(session, reporter_key="c" * 64, kind="other", country="PH", language="tl",
                              risk_level="low", flag_ids=[], narrative="unrelated question",
                              contacts=contacts_of("https://jobs.example-agency.ph/apply", region="PH"),
                              now=now - timedelta(days=4))
        # The fillers sit before noon of one calendar day ten days ago, whatever the hour: spread
        # back from `now`, those seeded just after midnight fell on the day before and the
        # per-day count failed between 00:00 and 00:59 UTC.
        ten_days_ago_noon = (now - timedelta(days=10)).replace(hour=12, minute=0, second=0, microsecond=0)
        for index in range(60):  # enough for a second queue page
            session.add(Report(receipt_code=f"FILL{index:06d}", kind=ReportKind.other, country="VN",
                               language="vi", risk_level="low", narrative=f"filler {index}",
                               reporter_key="d" * 64,
                               created_at=ten_days_ago_noon - timedelta(minutes=index)))
        assert scam.id and xss.id and other.id
        return Seeded(scam.id, xss.id, other.id)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    migrated_sqlite_file(settings.data_dir / "review.sqlite3")
    engine = create_db_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    return seed(engine)


@pytest.fixture
async def client(settings: Settings, engine: Engine, seeded: Seeded) -> AsyncIterator[TestClient]:
    # A roomy global login gate: these tests log in many times in a second; the gate's own
    # limits are tested in test_login_flood.py.
    server = TestServer(create_standalone_app(settings, engine=engine,
                                              gate=LoginGate(per_minute=60_000, burst=1_000)),
                        host="127.0.0.1")
    async with TestClient(server) as test_client:
        yield test_client


def hidden_field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


async def log_in(client: TestClient, username: str, password: str) -> str:
    """Log in through the form; returns the CSRF token of the new session."""
    page = await client.get("/review/login")
    token = hidden_field(await page.text(), "login_token")
    response = await client.post("/review/login", data={"login_token": token, "username": username,
                                                        "password": password}, allow_redirects=False)
    assert response.status == 303, await response.text()
    queue = await client.get("/review/")
    assert queue.status == 200
    return hidden_field(await queue.text(), "csrf")
