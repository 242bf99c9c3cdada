"""Offer matching (screening.similarity + storage.matching): look-up latency at 10k and 100k
stored reports on SQLite and PostgreSQL, memory, and the precision of the "very similar" tier
on pairs built from the real ads of tests/corpus/real/*.jsonl.

    .venv/bin/python bench/similarity_bench.py [--sizes 10000 100000] [--lookups 300]

Stored reports: every real ad of the corpus (and a reworded copy of each) with its real
signature, filled up with reports carrying random signatures (their band keys are as spread
as distinct ads'). Look-ups are real ads with a new handle and amount, timed end to end
(fingerprint + candidate query + scoring) in a read-only session each; beside the wall-clock
figures, the CPU time of this process per look-up (steadier on a busy machine; on PostgreSQL
it leaves out the server's work) and the load average when they were taken.

Pairs for precision: positive = an ad and the same ad with a new handle, number and amount
(what rings do); negative = two different ads of the same language (hardest case: same topic,
same words). Precision = positives among the pairs the tier calls "very similar".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import insert

from screening.similarity import HASHES, VERY_SIMILAR, Fingerprint, fingerprint, similarity
from storage.db import create_db_engine, migrate, session_scope
from storage.matching import match_offer
from storage.models import Report, ReportKind, ReportTextBand
from storage.testing import POSTGRES_URL_VARIABLE, temporary_schema

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "real"


def ads() -> list[tuple[str, str]]:
    rows = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if len(row["text"]) >= 60:
                rows.append((row["lang"], row["text"]))
    return rows


def variant(text: str, rng: random.Random) -> str:
    """The same ad with a new amount (every number changed) and a new handle appended."""
    changed = re.sub(r"\d+", lambda m: str(int(m.group()) * 2 + rng.randint(1, 9)), text)
    return f"{changed} Telegram @hr_{rng.randint(1000, 9999)}_job"


def precision(rows: list[tuple[str, str]]) -> tuple[float, float, int, int]:
    rng = random.Random(7)
    prints = [fingerprint(text) for _lang, text in rows]
    positives = [similarity(p.signature, fingerprint(variant(text, rng)).signature)
                 for p, (_l, text) in zip(prints, rows, strict=True)]
    negatives = [similarity(prints[i].signature, prints[j].signature)
                 for i in range(len(rows)) for j in range(i + 1, len(rows))
                 if rows[i][0] == rows[j][0]]
    tp = sum(score >= VERY_SIMILAR for score in positives)
    fp = sum(score >= VERY_SIMILAR for score in negatives)
    return tp / max(1, tp + fp), tp / len(positives), len(positives), len(negatives)


def fill(engine, rows: list[tuple[str, str]], size: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(size)
    signatures = [fingerprint(text) for _lang, text in rows]
    while len(signatures) < size:
        signatures.append(Fingerprint(tuple(rng.getrandbits(32) for _ in range(HASHES)), False))
    batch = 2000
    with session_scope(engine) as session:
        for start in range(0, size, batch):
            chunk = signatures[start:start + batch]
            result = session.execute(insert(Report).returning(Report.id), [  # type: ignore[arg-type]
                {"receipt_code": f"B{start + i:09d}", "kind": ReportKind.job_offer,
                 "reporter_key": f"{(start + i) % 9973:064x}", "flag_ids": [],
                 "text_signature": fp.encoded()} for i, fp in enumerate(chunk)])
            ids = [row[0] for row in result]
            session.execute(insert(ReportTextBand), [
                {"band_key": key, "report_id": report_id}
                for report_id, fp in zip(ids, chunk, strict=True) for key in set(fp.bands())])


def measure(url: str, rows: list[tuple[str, str]], size: int, lookups: int) -> str:
    engine = create_db_engine(url)
    try:
        migrate(engine)
        started = time.perf_counter()
        fill(engine, rows, size)
        filled = time.perf_counter() - started
        # Fresh statistics, as a live database has them (autovacuum's job): right after a bulk
        # fill PostgreSQL plans the candidate query blind (p50 ~22 ms instead of ~3 ms).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
        rng = random.Random(1)
        samples, cpu, found = [], [], 0
        for index in range(lookups):
            offer = variant(rows[index % len(rows)][1], rng)
            began, began_cpu = time.perf_counter(), time.process_time()
            with session_scope(engine, read_only=True) as session:
                matches = match_offer(session, text=offer)
            samples.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
            found += matches.very is not None
        tracemalloc.start()  # memory of one look-up, measured apart (tracemalloc slows Python)
        with session_scope(engine, read_only=True) as session:
            match_offer(session, text=variant(rows[0][1], rng))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        samples.sort()
        cpu.sort()
        p50 = samples[len(samples) // 2] * 1000
        p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000
        cpu50, cpu99 = cpu[len(cpu) // 2] * 1000, cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))] * 1000
        load = os.getloadavg()[0]
        return (f"{engine.dialect.name:10} {size:>7} reports  fill {filled:5.1f}s  look-up p50 "
                f"{p50:5.2f} ms  p99 {p99:5.2f} ms (this process's CPU p50 {cpu50:4.2f} p99 "
                f"{cpu99:4.2f} ms; load average {load:.1f})  very-similar found {found}/{lookups}  "
                f"peak Python memory of one look-up {peak / 1024:.0f} KiB")
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()
    rows = ads()
    started = time.perf_counter()
    value, recall, positives, negatives = precision(rows)
    print(f"real ads: {len(rows)}; 'very similar' (>= {VERY_SIMILAR}) precision {value:.3f}, "
          f"recall {recall:.3f} on {positives} positive and {negatives} same-language negative "
          f"pairs ({time.perf_counter() - started:.1f}s)")
    postgres = os.environ.get(POSTGRES_URL_VARIABLE)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as workdir:
            print(measure(f"sqlite:///{workdir}/bench.sqlite3", rows, size, args.lookups))
        if postgres:
            with temporary_schema(postgres, prefix="simbench") as url:
                print(measure(url, rows, size, args.lookups))
    print(f"max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
