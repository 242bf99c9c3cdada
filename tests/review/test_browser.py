"""The staff journey in real headless Chromium (Debian's package, driven by Playwright):
log in, filter the queue, open a report, confirm a contact, see the bot's contact check answer
with it, export CSV. Screenshots of the queue, the report and the dashboard are written to
tests/artifacts/. One browser launch for the whole journey; skipped only if Chromium is absent
(the test command installs it through scripts/system-packages.sh)."""

from __future__ import annotations

import asyncio
import csv
import io
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
from storage.models import ReviewEvent
from storage.reports import lookup_indicator
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
            page.wait_for_url(f"**/review/reports/{seeded.scam_report_id}")
            row = page.locator("tr[data-contact='phone:+85512345678']")
            assert row.locator("td").nth(2).inner_text() == "2"  # a + b: b's two reports count once
            row.locator("button.confirm").click()
            page.wait_for_url("**done=confirmed**")
            assert "confirmed" in row.locator(".contact-state").inner_text()
            assert page.locator("#status").inner_text() == "new"
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
