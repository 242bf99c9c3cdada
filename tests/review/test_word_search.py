"""Issue 18: word search finds exactly what the plain `ILIKE` scan found, now through a
trigram index (FTS5 on SQLite, kept in step with inserts, edits, purges and deletes; pg_trgm on
PostgreSQL). Speed is measured by bench/review_bench.py, not asserted here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from storage import queue
from storage.db import create_db_engine, session_scope
from storage.models import Report
from storage.testing import migrate_schema, temporary_schema
from tests.review.conftest import Seeded, seed
from tests.storage.conftest import postgres_base_url


def _searched(engine: Engine, words: str, **extra: str) -> list[int]:
    with session_scope(engine, read_only=True) as session:
        page = queue.queue_page(session, filters=queue.parse_queue_filter(
            {"q": words, "per_page": "200", **extra}), staff_id=None)
        assert page.searched_as == "text"
        return sorted(row.id for row in page.rows)


def _scanned(engine: Engine, words: str) -> list[int]:
    """What the plain scan (before the index) finds."""
    escaped = re.sub(r"([\\%_])", r"\\\1", words)
    with session_scope(engine, read_only=True) as session:
        return sorted(int(i or 0) for i in session.exec(select(Report.id).where(
            col(Report.narrative).ilike(f"%{escaped}%", escape="\\"))).all())


WORDS = ["passport", "PASSPORT kept", "Sihanoukville", "filler 1", "filler 42", "%", "a_b", "zz",
         'say "hi', "TABLE report", "that number", "ព្រះសីហនុ", "nothing like this"]


def _exercise_word_search(engine: Engine) -> None:
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        for index, narrative in enumerate(["they KEPT my Passport kept there", "100% a_b say \"hi",
                                           "ទៅក្រុងព្រះសីហនុ ហើយ", "abzz"]):
            session.add(Report(receipt_code=f"WORD{index:06d}", kind="other", narrative=narrative,
                               reporter_key="e" * 64, created_at=now - timedelta(days=20)))
    for words in WORDS:
        assert _searched(engine, words) == _scanned(engine, words), words
    assert _searched(engine, "passport") and _searched(engine, "ព្រះសីហនុ")
    # Edits and purges reach the index: nothing stale is found, new text is.
    with session_scope(engine) as session:
        session.execute(update(Report).where(col(Report.narrative).like("they KEPT%"))
                        .values(narrative="renamed narrative xyzzy"))
        session.execute(update(Report).where(col(Report.narrative) == "abzz").values(narrative=None))
        session.execute(delete(Report).where(col(Report.receipt_code) == "WORD000001"))
    assert _searched(engine, "xyzzy") == _scanned(engine, "xyzzy") != []
    for words in WORDS:
        assert _searched(engine, words) == _scanned(engine, words), words
    status_new = _searched(engine, "filler", status="new")
    assert status_new and len(status_new) == len(_scanned(engine, "filler"))


def test_word_search_through_the_index_on_sqlite(engine: Engine, seeded: Seeded) -> None:
    with engine.connect() as connection:
        plan = " ".join(str(row) for row in connection.execute(text(
            f"EXPLAIN QUERY PLAN SELECT rowid FROM {queue.WORDS_TABLE} WHERE {queue.WORDS_TABLE} "
            "MATCH '\"passport\"'")))
        assert "VIRTUAL TABLE INDEX" in plan
    _exercise_word_search(engine)


def test_a_common_phrase_is_read_in_page_order_with_the_same_results(
        engine: Engine, seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    """A phrase in thousands of narratives skips the index (it would list them all before the
    page is picked): with the threshold lowered, every search still finds what the scan finds."""
    monkeypatch.setattr(queue, "COMMON_PHRASE_MATCHES", 2)
    with session_scope(engine, read_only=True) as session:
        assert "report_words" not in str(queue.read_search(session, text="filler", country=None).condition)
        assert "report_words" in str(queue.read_search(session, text="nothing like this",
                                                       country=None).condition)
    _exercise_word_search(engine)


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    with temporary_schema(postgres_base_url(), prefix="words") as url:
        engine = create_db_engine(url)
        migrate_schema(engine, postgres_base_url())
        yield engine
        engine.dispose()


def test_word_search_through_the_index_on_postgresql(pg_engine: Engine) -> None:
    seed(pg_engine)
    with pg_engine.connect() as connection:
        definition = connection.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_report_narrative_trgm'")).scalar()
        assert definition and "gin_trgm_ops" in definition
    _exercise_word_search(pg_engine)
