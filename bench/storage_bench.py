"""Storage benchmark: reports stored per second, indicator look-up latency at 1,000,000
indicators, queue page latency, and one-insert-per-update inline vs `asyncio.to_thread`.

    .venv/bin/python bench/storage_bench.py                       # SQLite, + PostgreSQL if
                                                                  # LURECHECK_TEST_POSTGRES_URL is set
    .venv/bin/python bench/storage_bench.py --postgres "$(scripts/postgres.sh start)"
    .venv/bin/python bench/storage_bench.py --indicators 100000 --reports 500   # quick run

Prints figures only; it asserts nothing. Every engine gets a fresh database (a temporary SQLite
file; a temporary PostgreSQL schema, dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from storage.db import migrate, session_scope
from storage.inbox import enqueue_update
from storage.indicators import lookup_indicator
from storage.models import ReportKind
from storage.pseudonym import pseudonymise
from storage.queue import QueueFilter, queue_page
from storage.reports import create_report
from storage.testing import POSTGRES_URL_VARIABLE, fresh_engine

KEY = b"benchmark-pseudonym-key-32-bytes"


@dataclass(frozen=True)
class Contact:
    type: str
    value: str


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"




def bench_report_writes(engine: Engine, count: int) -> None:
    """One transaction per report, as the bot does: redaction, receipt code, 2 indicators."""
    narrative = ("They offered 1500 USD a month in Bangkok, no experience needed, and told me "
                 "to contact @recruiter_{n} or +85512{n:06d}. My name is Lan, call 0912345678.")
    start = time.perf_counter()
    for n in range(count):
        with session_scope(engine) as session:
            create_report(
                session, reporter_key=pseudonymise(n % 500, key=KEY), kind=ReportKind.job_offer,
                country="VN", language="vi", risk_level="high", flag_ids=["too_good_salary"],
                narrative=narrative.format(n=n), reporter_identifiers=["Lan", "+84912345678"],
                contacts=[Contact("telegram", f"recruiter_{n % 300}"),
                          Contact("phone", f"+85512{n % 300:06d}")],
            )
    elapsed = time.perf_counter() - start
    print(f"  reports stored: {count} in {elapsed:.2f} s = {count / elapsed:.0f} reports/s "
          f"({ms(elapsed / count)} each, one transaction per report)")


def load_indicators(engine: Engine, indicators: int, reports: int) -> None:
    """Bulk-load synthetic indicators (2% confirmed), reports over the last year, and one
    indicator link per report, in plain SQL (the ORM would take minutes)."""
    start = time.perf_counter()
    postgres = engine.dialect.name == "postgresql"

    def padded(expression: str, width: int) -> str:
        if postgres:
            return f"lpad(({expression})::text, {width}, '0')"
        return f"printf('%0{width}d', {expression})"

    numbers = (
        "SELECT n FROM generate_series(1, :count) AS n" if postgres else
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < :count) "
        "SELECT n FROM c"
    )
    created = (
        "now() - (n % 365) * interval '1 day'" if postgres else
        "strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (n % 365) || ' days')"
    )
    with engine.begin() as connection:
        connection.execute(text(
            f"INSERT INTO indicator (type, value, confirmed) SELECT 'phone', "
            f"'+66' || {padded('n', 8)}, n % 50 = 0 FROM ({numbers}) AS numbers"
        ), {"count": indicators})
        connection.execute(text(
            "INSERT INTO report (receipt_code, created_at, updated_at, kind, country, language, "
            "risk_level, flag_ids, status, reporter_key) "
            f"SELECT 'B' || {padded('n', 9)}, {created}, {created}, 'job_offer', "
            "CASE n % 3 WHEN 0 THEN 'TH' WHEN 1 THEN 'KH' ELSE 'MM' END, 'vi', 'high', '[]', "
            "CASE n % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'in_review' ELSE 'confirmed' END, "
            f"'r' || {padded('n % 50000', 8)} FROM ({numbers}) AS numbers"
        ), {"count": reports})
        connection.execute(text(
            # Ids have gaps (upserts consume sequence values): link by value, spread evenly.
            "INSERT INTO report_indicator (indicator_id, report_id) SELECT i.id, r.id "
            # CROSS JOIN: SQLite then keeps `report` as the outer loop and probes the index.
            "FROM report r CROSS JOIN indicator i WHERE r.receipt_code LIKE 'B%' "
            "AND i.type = 'phone' AND i.value = '+66' || "
            f"{padded('(r.id * 7919) % :indicators + 1', 8)}"
        ), {"indicators": indicators})
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    print(f"  loaded {indicators:,} indicators, {reports:,} reports with links in "
          f"{time.perf_counter() - start:.1f} s")


def bench_lookups(engine: Engine, indicators: int, count: int) -> None:
    """One read-only session per look-up, as a /check would do; half hit, half miss."""
    rng = random.Random(7)
    values = [f"+66{rng.randint(1, indicators):08d}" if n % 2 else f"+67{n:08d}"
              for n in range(count)]
    samples: list[float] = []
    hits = 0
    for value in values:
        start = time.perf_counter()
        with session_scope(engine, read_only=True) as session:
            summary = lookup_indicator(session, type="phone", value=value)
        samples.append(time.perf_counter() - start)
        hits += summary.indicator_id is not None
    print(f"  indicator look-up ({count} look-ups, {hits} hits): p50 {ms(percentile(samples, 0.5))}"
          f", p99 {ms(percentile(samples, 0.99))}")


def bench_queue(engine: Engine, count: int = 50) -> None:
    samples: list[float] = []
    for n in range(count):
        start = time.perf_counter()
        with session_scope(engine, read_only=True) as session:
            queue_page(session, filters=QueueFilter(status="new", country="TH" if n % 2 else None,
                                                    page=1 + n % 5), staff_id=None)
        samples.append(time.perf_counter() - start)
    print(f"  queue page (status=new[, country], 50 rows, with total): "
          f"p50 {ms(percentile(samples, 0.5))}, p99 {ms(percentile(samples, 0.99))}")


async def _loop_stall_probe(stop: asyncio.Event, lateness: list[float]) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.001)
        lateness.append(time.perf_counter() - start - 0.001)


async def _run_updates(
    engine: Engine, updates: int, concurrency: int, offload: bool, first_id: int
) -> tuple[float, list[float], list[float]]:
    def insert(update_id: int) -> None:
        with session_scope(engine) as session:
            enqueue_update(session, update_id=update_id, chat_key=f"c{update_id % 100}",
                           payload={"update_id": update_id, "message": {"text": "hello"}})

    latencies: list[float] = []
    lateness: list[float] = []
    stop = asyncio.Event()
    probe = asyncio.create_task(_loop_stall_probe(stop, lateness))
    semaphore = asyncio.Semaphore(concurrency)

    async def one(update_id: int) -> None:
        async with semaphore:
            start = time.perf_counter()
            if offload:
                await asyncio.to_thread(insert, update_id)
            else:
                insert(update_id)
                await asyncio.sleep(0)
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(one(first_id + n) for n in range(updates)))
    elapsed = time.perf_counter() - start
    stop.set()
    await probe
    return elapsed, latencies, lateness


def bench_inline_vs_thread(engine: Engine, updates: int) -> None:
    """What the event loop sees when every update does one insert+commit."""
    runs = [
        ("inline (blocks the loop)", False, 10_000_000),
        ("asyncio.to_thread, 16 at a time", True, 20_000_000),
    ]
    for label, offload, first_id in runs:
        elapsed, latencies, lateness = asyncio.run(
            _run_updates(engine, updates, 16, offload=offload, first_id=first_id)
        )
        print(f"  one insert per update, {label}: {updates / elapsed:.0f} updates/s, "
              f"insert p50 {ms(percentile(latencies, 0.5))} p99 {ms(percentile(latencies, 0.99))}, "
              f"loop stall p99 {ms(percentile(lateness, 0.99))} max {ms(max(lateness))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get(POSTGRES_URL_VARIABLE),
                        help="SQLAlchemy URL of a PostgreSQL database (default: "
                             "$LURECHECK_TEST_POSTGRES_URL); omitted: SQLite only")
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--link-reports", type=int, default=200_000,
                        help="synthetic reports, each linked to one indicator")
    parser.add_argument("--reports", type=int, default=2_000, help="reports written one by one")
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--updates", type=int, default=2_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()

    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    if args.only:
        kinds = [args.only]
    with tempfile.TemporaryDirectory(prefix="lurecheck-bench-") as workdir:
        for kind in kinds:
            print(f"{kind}:")
            with fresh_engine(kind, args.postgres, Path(workdir), prefix="bench") as engine:
                migrate(engine)
                bench_report_writes(engine, args.reports)
                load_indicators(engine, args.indicators, args.link_reports)
                bench_lookups(engine, args.indicators, args.lookups)
                bench_queue(engine)
                bench_inline_vs_thread(engine, args.updates)


if __name__ == "__main__":
    main()
