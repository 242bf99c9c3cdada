"""The staff journeys in real headless Chromium (Debian's package, driven by Playwright):
log in, filter the queue, open a report, confirm a contact, see the bot's contact check answer
with it, export CSV. Screenshots of the queue, the report and the dashboard are written to
tests/artifacts/. One browser launch for the whole journey; skipped only if Chromium is absent
(the test command installs it through scripts/system-packages.sh)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import Settings
from handlers.contacts import contact_status, status_line
from locales.i18n import Translator, get_translator
from review.app import create_standalone_app
from screening.contacts import parse_contact
from storage.db import session_scope
from storage.indicators import lookup_indicator
from storage.models import ReviewEvent
from tests.review.conftest import ADMIN, Seeded

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None and not Path(CHROMIUM).exists(),
                                reason="Debian's chromium package is not installed")


class LiveServer:
    """The standalone review app on a loopback port, in its own thread and event loop
    (Playwright's sync API drives the browser from the test's thread)."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._runner: web.AppRunner | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self._ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    def __enter__(self) -> LiveServer:
        self._thread.start()
        assert self._ready.wait(10), "review app did not start"
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._runner is not None
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class BotContext:
    """What the bot's flows receive (`handlers.types.FlowContext`), for asking its contact check."""

    t: Translator
    db: Session
    settings: Settings
    now: datetime

    @property
    def sql(self) -> Session:
        """Where the flows' Core look-ups run (`FlowContext.sql`): here, the session itself."""
        return self.db


@pytest.fixture
def live(settings: Settings, engine: Engine, seeded: Seeded) -> Iterator[LiveServer]:
    with LiveServer(create_standalone_app(settings, engine=engine)) as server:
        yield server


def test_staff_journey_in_chromium(live: LiveServer, settings: Settings, engine: Engine,
                                   seeded: Seeded) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.set_default_timeout(10_000)

            # Log in (anonymous visitors are sent to the login form first).
            page.goto(f"{live.url}/review/")
            assert "/review/login" in page.url
            page.fill("input[name=username]", ADMIN[0])
            page.fill("input[name=password]", ADMIN[1])
            page.click("button[type=submit]")
            page.wait_for_url(f"{live.url}/review/")

            # Filter the queue: Cambodia only, then by the phone number as a person would type it.
            page.select_option("select[name=country]", "KH")
            page.click("#apply-filters")
            page.wait_for_url("**country=KH**")
            assert page.locator("a.report-link").all_inner_texts() == [str(seeded.scam_report_id)]
            page.select_option("select[name=country]", "")
            page.fill("input[name=contact]", "+855 (12) 345-678")
            page.click("#apply-filters")
            page.wait_for_url("**contact=**")
            found = sorted(int(text) for text in page.locator("a.report-link").all_inner_texts())
            assert seeded.scam_report_id in found and seeded.xss_report_id in found and len(found) == 3
            page.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)

            # Open the report; the hostile narrative of its neighbour is not involved here.
            page.click(f"a.report-link:text-is('{seeded.scam_report_id}')")
            page.wait_for_url(f"**/review/reports/{seeded.scam_report_id}?**")
            row = page.locator("tr[data-contact='phone:+85512345678']")
            assert row.locator("td").nth(2).inner_text() == "2"  # a + b: b's two reports count once
            row.locator("button.confirm").click()
            page.wait_for_url("**done=confirmed**")
            assert "confirmed" in row.locator(".contact-state").inner_text()
            assert page.locator("#status").get_attribute("data-status") == "new"
            page.screenshot(path=str(ARTIFACTS / "review-report.png"), full_page=True)

            # The bot's public look-up now answers with the confirmation.
            contact = parse_contact("012 345 678", default_region="KH")
            assert contact is not None
            with session_scope(engine, read_only=True) as session:
                summary = lookup_indicator(session, type=contact.type.value, value=contact.value)
                assert summary.confirmed and summary.independent_reporters == 2
                bot = BotContext(t=get_translator("en"), db=session, settings=settings, now=datetime.now(UTC))
                line = status_line(bot, contact_status(bot, contact))
            assert "confirmed this as a scam contact" in line

            # Export the filtered queue as CSV.
            page.goto(f"{live.url}/review/?country=KH")
            with page.expect_download() as download_info:
                page.click("#export-csv")
            download = download_info.value
            rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
            assert [int(r["id"]) for r in rows] == [seeded.scam_report_id]
            assert "phone:+85512345678" in rows[0]["contacts"]

            page.goto(f"{live.url}/review/dashboard")
            assert page.locator("svg.chart").count() >= 5
            page.screenshot(path=str(ARTIFACTS / "review-dashboard.png"), full_page=True)
        finally:
            browser.close()

    with session_scope(engine, read_only=True) as session:
        actions = set(session.exec(select(ReviewEvent.action)).all())
        assert {"login", "export"} <= actions
        confirm = session.exec(select(ReviewEvent).where(col(ReviewEvent.action) == "confirm")).one()
        assert (confirm.actor, confirm.new) == (ADMIN[0], "true")
    for name in ("review-queue.png", "review-report.png", "review-dashboard.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000


def test_triage_session_in_chromium(live: LiveServer, engine: Engine, seeded: Seeded) -> None:
    """Issue 18's session: search by receipt code, open, decide, save and next, bulk-close five
    spam reports, open a cluster page and export it."""
    from playwright.sync_api import sync_playwright

    from storage.models import Report
    from storage.reports import create_report

    with session_scope(engine) as session:
        for n in range(5):
            create_report(session, reporter_key=f"{n:064x}", kind="other", country="MY", language="ms",
                          risk_level="low", flag_ids=[], narrative=f"Win a FREE iPhone now!!! {n}",
                          contacts=[])
        receipt = session.get(Report, seeded.scam_report_id).receipt_code  # type: ignore[union-attr]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.set_default_timeout(10_000)
            page.goto(f"{live.url}/review/login")
            page.fill("input[name=username]", ADMIN[0])
            page.fill("input[name=password]", ADMIN[1])
            page.click("button[type=submit]")
            page.wait_for_url(f"{live.url}/review/")

            # Search by receipt code, typed as a reporter reads it out (lower case, a dash).
            page.fill("#search", f"{receipt[:4].lower()}-{receipt[4:]}")
            page.click("#search-button")
            page.wait_for_url("**q=**")
            assert page.locator("a.report-link").all_inner_texts() == [str(seeded.scam_report_id)]
            assert "receipt code" in page.locator("#searched-as").inner_text()
            row = page.locator(f"tr[data-report='{seeded.scam_report_id}']")
            assert "Job offer" in row.inner_text() and "Very high" in row.inner_text()
            assert "shares contacts with 2 reports" in row.inner_text()

            # Open it and decide.
            page.click("a.report-link")
            page.wait_for_url(f"**/review/reports/{seeded.scam_report_id}?**")
            page.locator("tr[data-contact='phone:+85512345678'] button.confirm").click()
            page.wait_for_url("**done=confirmed**")
            page.select_option("#status-form select[name=status]", "confirmed")
            page.fill("#status-form textarea[name=note]", "same number as two other reports")
            page.click("#save")
            page.wait_for_url("**done=status**")
            assert page.locator("#status").inner_text() == "Confirmed"
            assert "confirmed contact Phone +85512345678" in page.locator("table.history").inner_text()
            assert "status New → Confirmed" in page.locator("table.history").inner_text()

            # Save and next: Thailand's queue, newest first, has two reports.
            page.goto(f"{live.url}/review/?country=TH")
            first, second = [int(t) for t in page.locator("a.report-link").all_inner_texts()]
            page.click(f"a.report-link:text-is('{first}')")
            page.wait_for_url(f"**/review/reports/{first}?**")
            page.select_option("#status-form select[name=status]", "duplicate")
            page.click("#save-next")
            page.wait_for_url(f"**/review/reports/{second}?**")
            page.select_option("#status-form select[name=status]", "in_review")
            page.click("#save-next")
            page.wait_for_url("**done=last**")  # the end of that queue: back to it

            # Bulk-close five spam reports found by words of their text.
            page.goto(f"{live.url}/review/")
            page.fill("#search", "free iphone")
            page.click("#search-button")
            page.wait_for_url("**q=free+iphone**")
            boxes = page.locator("input[name=ids]")
            assert boxes.count() == 5
            for index in range(5):
                boxes.nth(index).check()
            page.select_option("#bulk-action", "status:spam")
            page.click("#bulk-apply")
            page.wait_for_url("**done=bulk**")
            assert page.locator("td.status").all_inner_texts() == ["Spam"] * 5

            # The cluster of the first report, and its export for a partner.
            page.goto(f"{live.url}/review/reports/{seeded.scam_report_id}")
            page.click("#cluster-link")
            page.wait_for_url(f"**/networks/cluster/{seeded.scam_report_id}")
            members = {int(t) for t in page.locator("a.cluster-report").all_inner_texts()}
            assert members == {seeded.scam_report_id, seeded.xss_report_id, 3}
            assert "KH" in page.locator("#cluster-facts").inner_text()
            with page.expect_download() as download_info:
                page.click("#export-cluster")
            exported = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
            assert {r["id"] for r in exported["reports"]} == members
            assert "narrative" not in exported["reports"][0]
            assert [c["value"] for c in exported["contacts"]] == ["+85512345678"]
        finally:
            browser.close()

    with session_scope(engine, read_only=True) as session:
        spam = session.exec(select(ReviewEvent).where(col(ReviewEvent.action) == "status",
                                                      col(ReviewEvent.new) == "spam")).all()
        assert len(spam) == 5 and {event.actor for event in spam} == {ADMIN[0]}
        exports = session.exec(select(ReviewEvent).where(col(ReviewEvent.action) == "export")).all()
        assert any((event.new or "").startswith("cluster: 3 reports") for event in exports)
