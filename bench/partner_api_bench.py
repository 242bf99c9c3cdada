"""Partner API benchmark: look-ups per second and latency (p50/p99), single values and batches
of 1,000, at 100,000 identities, on SQLite and PostgreSQL (issue 20; targets: single p99 ≤ 10 ms,
batch of 1,000 p99 ≤ 200 ms).

    .venv/bin/python bench/partner_api_bench.py                  # SQLite, + PostgreSQL if
                                                                 # LURECHECK_TEST_POSTGRES_URL is set
    .venv/bin/python bench/partner_api_bench.py --postgres "$(scripts/postgres.sh start)"
    .venv/bin/python bench/partner_api_bench.py --identities 20000 --singles 500 --batches 10

Two figures per case: over HTTP (the aiohttp API app with its key check, rate budget and
buffered audit, an in-process client sending one request at a time: the client's own CPU is
included, so this is conservative) and the storage query alone (`lookup_identities` in its own
read-only session). Half the values are known identities (phones, WhatsApp numbers, Telegram
handles, EVM wallets; 2% confirmed), half unknown valid numbers. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from review.api import create_api_app
from storage import partners
from storage.db import migrate, session_scope
from storage.identity import contact_identity
from storage.testing import POSTGRES_URL_VARIABLE, fresh_engine


class BenchSettings:
    instances = 1


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]




def identity_value(n: int) -> str:
    """How identity n is spelt by a partner (the loader stores the normalised form)."""
    match n % 10:
        case 6 | 7:
            return f"https://wa.me/669{n:08d}"
        case 8:
            return f"@TG_user{n:08d}"
        case 9:
            return f"0x{n:040d}"
        case _:
            return f"+66 8{n:08d}"


def load(engine: Engine, identities: int) -> None:
    """100k identities (60% phone, 20% WhatsApp, 10% Telegram, 10% wallets; 2% confirmed), one
    report each (3 countries, 4 statuses, 50,000 reporters), in plain SQL."""
    start = time.perf_counter()
    postgres = engine.dialect.name == "postgresql"

    def padded(expression: str, width: int) -> str:
        return (f"lpad(({expression})::text, {width}, '0')" if postgres
                else f"printf('%0{width}d', {expression})")

    numbers = ("SELECT n FROM generate_series(1, :count) AS n" if postgres else
               "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < :count) "
               "SELECT n FROM c")
    created = ("now() - (n % 365) * interval '1 day'" if postgres else
               "strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (n % 365) || ' days')")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO indicator (id, type, value, confirmed) SELECT n, "
            "CASE WHEN n % 10 IN (6, 7) THEN 'whatsapp' WHEN n % 10 = 8 THEN 'telegram' "
            "WHEN n % 10 = 9 THEN 'wallet_eth' ELSE 'phone' END, "
            f"CASE WHEN n % 10 IN (6, 7) THEN '+669' || {padded('n', 8)} "
            f"WHEN n % 10 = 8 THEN 'tg_user' || {padded('n', 8)} "
            f"WHEN n % 10 = 9 THEN '0x' || {padded('n', 40)} ELSE '+668' || {padded('n', 8)} END, "
            f"n % 50 = 0 FROM ({numbers}) AS numbers"), {"count": identities})
        connection.execute(text(
            "INSERT INTO report (id, receipt_code, created_at, updated_at, kind, country, language, "
            "risk_level, flag_ids, status, reporter_key) "
            f"SELECT n, 'B' || {padded('n', 9)}, {created}, {created}, 'job_offer', "
            "CASE n % 3 WHEN 0 THEN 'TH' WHEN 1 THEN 'KH' ELSE 'MM' END, 'vi', 'high', '[]', "
            "CASE n % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'in_review' ELSE 'confirmed' END, "
            f"'r' || {padded('n % 50000', 8)} FROM ({numbers}) AS numbers"), {"count": identities})
        connection.execute(text(
            "INSERT INTO report_indicator (indicator_id, report_id) "
            f"SELECT (n * 7919) % :count + 1, n FROM ({numbers}) AS numbers"), {"count": identities})
        if postgres:  # explicit ids: move the sequences past them
            for table in ("indicator", "report"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    print(f"  loaded {identities:,} identities with one report each in {time.perf_counter() - start:.1f} s")


def values(rng: random.Random, identities: int, count: int) -> list[str]:
    """Half known identities, half valid numbers nobody reported."""
    return [identity_value(rng.randint(1, identities)) if rng.random() < 0.5
            else f"+66 9{rng.randint(50_000_000, 99_999_999)}" for _ in range(count)]


def report(label: str, latencies: list[float], per_call: int) -> None:
    total = sum(latencies)
    print(f"  {label:<34} {len(latencies) * per_call / total:>9,.0f} look-ups/s   "
          f"p50 {percentile(latencies, 0.5) * 1000:7.2f} ms   "
          f"p99 {percentile(latencies, 0.99) * 1000:7.2f} ms")


def timed(calls: int, work: Callable[[int], None]) -> list[float]:
    latencies = []
    for index in range(calls):
        start = time.perf_counter()
        work(index)
        latencies.append(time.perf_counter() - start)
    return latencies


def bench_storage(engine: Engine, identities: int, singles: int, batches: int) -> None:
    rng = random.Random(11)
    single = [contact_identity(v) for v in values(rng, identities, singles)]
    batch = [[contact_identity(v) for v in values(rng, identities, 1000)] for _ in range(batches)]

    def one(index: int) -> None:
        with session_scope(engine, read_only=True) as session:
            partners.lookup_identities(session, identities=[single[index]])  # type: ignore[list-item]

    def many(index: int) -> None:
        with session_scope(engine, read_only=True) as session:
            partners.lookup_identities(session, identities=[i for i in batch[index] if i])

    report("storage, single", timed(singles, one), 1)
    report("storage, batch of 1,000", timed(batches, many), 1000)


async def bench_http(engine: Engine, identities: int, singles: int, batches: int) -> None:
    with session_scope(engine) as session:
        _partner, key = partners.add_partner(session, name=f"bench-{uuid.uuid4().hex[:8]}",
                                             scopes=["lookup"], actor="bench", rate_per_minute=1_000_000)
    root = web.Application()
    root.add_subapp("/api/v1", create_api_app(BenchSettings(), engine=engine))
    headers = {"Authorization": f"Bearer {key}"}
    rng = random.Random(13)
    single = values(rng, identities, singles)
    batch = [values(rng, identities, 1000) for _ in range(batches)]
    async with TestClient(TestServer(root, host="127.0.0.1")) as client:
        for value in single[:50]:  # warm up: connections, statement caches
            await client.get("/api/v1/lookup", params={"value": value}, headers=headers)
        latencies = []
        for value in single:
            start = time.perf_counter()
            response = await client.get("/api/v1/lookup", params={"value": value}, headers=headers)
            await response.read()
            latencies.append(time.perf_counter() - start)
            assert response.status == 200, response.status
        report("HTTP GET, single", latencies, 1)
        latencies = []
        for chunk in batch:
            start = time.perf_counter()
            response = await client.post("/api/v1/lookup", json={"values": chunk}, headers=headers)
            await response.read()
            latencies.append(time.perf_counter() - start)
            assert response.status == 200, response.status
        report("HTTP POST, batch of 1,000", latencies, 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--identities", type=int, default=100_000)
    parser.add_argument("--singles", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get(POSTGRES_URL_VARIABLE))
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    with tempfile.TemporaryDirectory() as workdir:
        for kind in kinds:
            print(f"{kind}:")
            with fresh_engine(kind, args.postgres, Path(workdir), prefix="pbench") as engine:
                migrate(engine)
                load(engine, args.identities)
                bench_storage(engine, args.identities, args.singles, args.batches)
                asyncio.run(bench_http(engine, args.identities, args.singles, args.batches))
    if not args.postgres:
        print(f"(PostgreSQL skipped: set {POSTGRES_URL_VARIABLE} or pass --postgres)")


if __name__ == "__main__":
    main()
