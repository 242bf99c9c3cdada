"""Screenshots of every staff page at 1280 px and 390 px wide, for a person to look at.

    .venv/bin/python scripts/review_screenshots.py [--out tests/artifacts/screens] [--reports 400]

Builds a throwaway SQLite database with a few hundred reports (clusters, a hub number, spam,
decisions in the audit log), serves the standalone review app on a loopback port and drives
Debian's Chromium (headless, through Playwright) as an admin: queue, search, report, dashboard,
networks, a cluster, a contact, audit log, safelist, agencies. Writes `<page>-1280.png` and
`<page>-390.png` (full page).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings
from review.app import create_standalone_app
from review.auth import hash_password
from screening.contacts import parse_contact
from storage.db import create_db_engine, migrate, session_scope
from storage.models import StaffRole, StaffUser
from storage.reports import create_report
from storage.review_actions import set_indicator_confirmed, set_report_status
from storage.staff import create_staff_user
from tests.review.test_browser import CHROMIUM, CHROMIUM_ARGS, LiveServer

PASSWORD = "screenshot passphrase 1"
NARRATIVES = [
    "They offered a customer service job in Bangkok, 35,000 baht a month, flight paid. Then they said "
    "the office moved to Myawaddy and asked me to cross the river at night.",
    "Recruiter on Telegram promised data entry work in Sihanoukville, no experience needed. They want "
    "my passport photo before the interview.",
    "A woman I met online showed me her crypto profits and asked me to invest on a trading site.",
    "My brother is in a compound near the border and they took his phone. He messaged once asking for help.",
    "Typing job abroad, high salary, visa free; the agent keeps asking for a fee of 500 USD.",
]


def fill(engine: object, *, reports: int) -> int:
    rng = random.Random(5)
    now = datetime.now(UTC)
    hub = parse_contact("+855 97 000 0001")
    with session_scope(engine) as session:  # type: ignore[arg-type]
        admin = create_staff_user(session, username="ana", password_hash=hash_password(PASSWORD),
                                  role=StaffRole.admin)
        create_staff_user(session, username="rui", password_hash=hash_password(PASSWORD),
                          role=StaffRole.reviewer)
        first = 0
        for n in range(reports):
            contacts = []
            group = n % 37
            phone = parse_contact(f"+855 12 {group:03d} {rng.randrange(1000):03d}" if n % 3 else
                                  f"+66 81 {group:03d} 1234")
            if phone:
                contacts.append(phone)
            handle = parse_contact(f"@hr_recruit_{group % 11}")
            if handle and n % 2:
                contacts.append(handle)
            if hub and n % 9 == 0:
                contacts.append(hub)
            if n % 13 == 0:
                site = parse_contact(f"https://jobs-{group % 5}.example-careers.com/apply")
                if site:
                    contacts.append(site)
            report = create_report(
                session, reporter_key=f"{rng.randrange(reports):064x}",
                kind=rng.choice(["job_offer", "job_offer", "contact", "romance_investment", "urgent_help",
                                 "other"]),
                country=rng.choice(["KH", "TH", "MM", "LA", "VN", "PH", "ID", "MY"]),
                language=rng.choice(["en", "vi", "th", "id", "tl", "km"]),
                risk_level=rng.choice(["low", "medium", "high", "very_high"]), flag_ids=["upfront_fee"],
                narrative=rng.choice(NARRATIVES), contacts=contacts,
                happened=rng.choice(["today", "week", "month", "earlier", None]),
                now=now - timedelta(minutes=rng.randrange(60 * 24 * 60)))
            first = first or (report.id or 0)
            if n % 5 == 0:
                set_report_status(session, actor=admin, report_id=report.id or 0,
                                  status=rng.choice(["confirmed", "spam", "in_review", "false_report"]))
        if hub:
            set_indicator_confirmed(session, actor=admin, indicator_id=1, confirmed=True)
        return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="tests/artifacts/screens")
    parser.add_argument("--reports", type=int, default=400)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'screens.sqlite3'}"
        settings = Settings(telegram_bot_token=None, database_url=url, secret_key=b"s" * 32,
                            data_dir=Path(tmp))
        engine = create_db_engine(url)
        migrate(engine)
        first = fill(engine, reports=args.reports)
        with session_scope(engine, read_only=True) as session:
            assert session.get(StaffUser, 1) is not None
        pages = {
            "queue": "/review/",
            "queue-search": "/review/?q=%2B855+97+000+0001",
            "report": f"/review/reports/{first + 9}",
            "dashboard": "/review/dashboard",
            "networks": "/review/networks",
            "cluster": f"/review/networks/cluster/{first + 1}",
            "contact": "/review/networks/contact/1",
            "audit": "/review/audit",
            "safelist": "/review/safelist",
            "agencies": "/review/agencies",
        }
        with LiveServer(create_standalone_app(settings, engine=engine)) as live, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for width, height in ((1280, 900), (390, 844)):
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    page.goto(f"{live.url}/review/login")
                    page.screenshot(path=str(out / f"login-{width}.png"), full_page=True)
                    page.fill("input[name=username]", "ana")
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_url(f"{live.url}/review/")
                    for name, path in pages.items():
                        page.goto(live.url + path)
                        target = out / f"{name}-{width}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target)
                    context.close()
            finally:
                browser.close()
        engine.dispose()


if __name__ == "__main__":
    main()
