"""Latency of the staff review app's queue, search and cluster pages with many reports.

    .venv/bin/python bench/review_bench.py [--reports 100000] [--runs 30] [--database-url URL]

Fills a fresh database (default: a temporary SQLite file) with `--reports` reports spread over a
year, 12 countries, every kind, language and risk, about 1.7 contacts per report drawn so that a
few contacts recur in many reports (as scam numbers do), then serves the review app on a
loopback port and times complete HTTP GETs of the queue — session check, filter, count, page
of 50, template — as a logged-in admin would see them. Prints median and 95th percentile of the
wall-clock time per scenario (p50, p99), and the CPU milliseconds per request of this process
(server and client together; steadier than wall time on a busy machine; on PostgreSQL it leaves
out the database server's own work). The target (issue 18) is p99 ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp import web
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bot.config import Settings
from review.app import create_standalone_app
from review.auth import hash_password
from storage.db import create_db_engine, migrate, session_scope
from storage.models import Indicator, Report, ReportIndicator, StaffRole
from storage.reports import RECEIPT_ALPHABET
from storage.staff import create_staff_user

COUNTRIES = ["KH", "TH", "MM", "LA", "VN", "PH", "ID", "MY", "CN", "IN", "KR", "NP"]
LANGUAGES = ["en", "zh_Hans", "vi", "th", "id", "ms", "tl", "km", "lo", "my", "ko", "hi"]
KINDS = ["job_offer", "contact", "romance_investment", "urgent_help", "other"]
RISKS = ["low", "medium", "high", "very_high"]
STATUSES = ["new"] * 6 + ["in_review", "confirmed", "false_report", "duplicate", "referred", "spam"]
PASSWORD = "benchmark passphrase 1"


def receipt_code(number: int) -> str:
    """A deterministic receipt code in the real alphabet (so the search reads it as one)."""
    digits = []
    for _ in range(10):
        number, digit = divmod(number, len(RECEIPT_ALPHABET))
        digits.append(RECEIPT_ALPHABET[digit])
    return "".join(reversed(digits))


def fill(engine: Engine, *, reports: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    indicator_count = max(10, reports // 3)
    with session_scope(engine) as session:
        create_staff_user(session, username="bench", password_hash=hash_password(PASSWORD),
                          role=StaffRole.admin)
        session.execute(insert(Indicator), [
            {"type": "phone", "value": f"+85512{i:06d}", "confirmed": False} for i in range(indicator_count)])
        batch: list[dict[str, object]] = []
        for number in range(reports):
            created = now - timedelta(seconds=rng.randrange(365 * 86400))
            batch.append({
                "receipt_code": receipt_code(number), "created_at": created, "updated_at": created,
                "kind": rng.choice(KINDS), "country": rng.choice(COUNTRIES),
                "language": rng.choice(LANGUAGES),
                "risk_level": rng.choice(RISKS), "flag_ids": ["upfront_fee"], "status": rng.choice(STATUSES),
                "narrative": f"Offer {number}: high salary abroad, contact +855 12 {number % 1_000_000:06d} "
                             "on Telegram, passport kept by employer. " * 3,
                "reporter_key": f"{rng.randrange(reports // 2):064x}",
            })
            if len(batch) == 5000:
                session.execute(insert(Report), batch)
                batch.clear()
        if batch:
            session.execute(insert(Report), batch)
        links: set[tuple[int, int]] = set()
        for report_id in range(1, reports + 1):
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                # Pareto-ish: low indicator ids recur in many reports.
                indicator_id = min(indicator_count, int(rng.paretovariate(1.2))) if rng.random() < 0.3 \
                    else rng.randrange(1, indicator_count + 1)
                links.add((indicator_id, report_id))
        session.execute(insert(ReportIndicator),
                        [{"indicator_id": i, "report_id": r} for i, r in sorted(links)])
    # Fresh statistics, as a live database would have; on PostgreSQL also the visibility map
    # (autovacuum's job in production) that index-only scans need.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    print(f"filled: {reports} reports, {indicator_count} contacts, {len(links)} report-contact links")


SCENARIOS = [
    ("queue: newest first, page 1", "/review/"),
    ("queue: 200 per page", "/review/?per_page=200"),
    ("status=new", "/review/?status=new"),
    ("country=KH, sort=risk", "/review/?country=KH&sort=risk"),
    ("risk=very_high, kind=urgent_help", "/review/?risk=very_high&kind=urgent_help"),
    ("last 7 days", "/review/?date_from={week_ago}"),
    ("language=km + status=new + date range", "/review/?language=km&status=new&date_from={month_ago}"),
    ("contact search (shared number)", "/review/?contact=%2B855+12+000+001"),
    ("contact search (local spelling)", "/review/?contact=012000002&country=KH"),
    ("unassigned, oldest first", "/review/?assignee=none&sort=oldest"),
    ("sort=risk, all", "/review/?sort=risk"),
    ("page 200", "/review/?page=200"),
    ("page 2000 (deep offset)", "/review/?page=2000"),
    # What a person paging through gets: page 1999's "next" link seeks by a cursor.
    ("page 2000 by 'next' from 1999 (seek)", "next-of:/review/?page=1999"),
    ("sort=risk, page 500 by 'next' (seek)", "next-of:/review/?sort=risk&page=499"),
    ("search: receipt code", "/review/?q={receipt}"),
    ("search: report number", "/review/?q=%2354321"),
    ("search: contact (hub number)", "/review/?q=%2B855+12+000+001"),
    ("search: contact (rare number)", "/review/?q=%2B855+12+020+000"),
    ("search: words (full scan)", "/review/?q=passport+kept"),
    ("search: words + status=new", "/review/?q=Offer+4242&status=new"),
    ("cluster page (report 1)", "/review/networks/cluster/1"),
    ("cluster page (report 777)", "/review/networks/cluster/777"),
    ("cluster page (report 55555)", "/review/networks/cluster/55555"),
    # The page keeps a walk for a minute: a new seed report on each request is never kept.
    ("cluster page (a new seed each time: no cache)", "/review/networks/cluster/{seed}"),
    ("contact page (hub number)", "/review/networks/contact/1"),
]


async def measure(settings: Settings, engine: Engine, *, runs: int) -> None:
    runner = web.AppRunner(create_standalone_app(settings, engine=engine))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    today = datetime.now(UTC).date()
    week_ago, month_ago = today - timedelta(days=7), today - timedelta(days=30)
    try:
        # unsafe=True: the jar would otherwise refuse cookies from an IP address like 127.0.0.1.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
            login = await (await client.get(f"{base}/review/login")).text()
            token = re.search(r'name="login_token" value="([^"]+)"', login)
            assert token
            response = await client.post(f"{base}/review/login", data={
                "login_token": token.group(1), "username": "bench", "password": PASSWORD})
            assert response.status == 200 and "Queue" in await response.text()
            print(f"{'scenario':45} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>7} {'rows':>17}")
            for label, path in SCENARIOS:
                url = base + path.format(week_ago=week_ago, month_ago=month_ago, seed="{seed}",
                                         receipt=receipt_code(54321).lower())
                if path.startswith("next-of:"):
                    previous = await (await client.get(base + path.removeprefix("next-of:"))).text()
                    link = re.search(r'<a href="([^"]+)" rel="next">', previous)
                    if link is None:
                        print(f"{label:45} no 'next' link")
                        continue
                    url = f"{base}/review/{html.unescape(link.group(1))}"
                timings = []
                body = ""
                cpu_started = 0.0
                for run in range(runs + 2):
                    if run == 2:
                        cpu_started = time.process_time()
                    if "{seed}" in path:
                        url = base + path.format(seed=20_000 + run)
                    started = time.perf_counter()
                    async with client.get(url) as page:
                        body = await page.text()
                        assert page.status == 200, (url, page.status)
                    timings.append((time.perf_counter() - started) * 1000)
                cpu_ms = (time.process_time() - cpu_started) * 1000 / runs
                timings = sorted(timings[2:])  # the first two warm caches
                total = re.search(r"\(((?:about |more than )?[\d,]+) reports?\)", body)
                p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
                print(f"{label:45} {statistics.median(timings):8.1f} {p99:8.1f} {cpu_ms:7.1f} "
                      f"{total.group(1) if total else '?':>17}")
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="an empty database (default: temp SQLite)")
    parser.add_argument("--reuse", action="store_true",
                        help="the database at --database-url was filled by an earlier run: skip the fill")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'review-bench.sqlite3'}"
        settings = Settings(telegram_bot_token=None, database_url=url, secret_key=b"b" * 32,
                            data_dir=Path(tmp))
        engine = create_db_engine(url)
        migrate(engine)
        if not args.reuse:
            started = time.perf_counter()
            fill(engine, reports=args.reports)
            print(f"fill took {time.perf_counter() - started:.1f} s ({engine.dialect.name})")
        asyncio.run(measure(settings, engine, runs=args.runs))
        engine.dispose()


if __name__ == "__main__":
    main()
