"""Issue 18 at 100,000 reports: the queue's "next"/"previous" links seek by a cursor and find
exactly the pages an offset finds; every sort is served by its index (migration 0014); counts
beyond storage.queue.EXACT_COUNT_LIMIT are an estimate or a floor, and the page says so.
Speed is measured by bench/review_bench.py, not asserted here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from storage import queue
from storage.db import create_db_engine, session_scope
from storage.models import Report
from storage.testing import migrate_schema, temporary_schema
from tests.review.conftest import ADMIN, log_in, seed
from tests.storage.conftest import postgres_base_url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Engine]:
    if request.param == "sqlite":
        seed(engine)
        yield engine
        return
    with temporary_schema(postgres_base_url(), prefix="paging") as url:
        pg = create_db_engine(url)
        migrate_schema(pg, postgres_base_url())
        seed(pg)
        yield pg
        pg.dispose()


def _spread_risks_and_updates(engine: Engine) -> None:
    """Ties in every sort key (same risk, same instant), so the id must break them."""
    with session_scope(engine) as session:
        ids = [int(i or 0) for i in session.exec(select(Report.id).order_by(col(Report.id))).all()]
        for position, report_id in enumerate(ids):
            session.execute(update(Report).where(col(Report.id) == report_id).values(
                risk_level=[None, "low", "medium", "high", "very_high", "unknown"][position % 6]))
        first = session.get_one(Report, ids[0])
        session.execute(update(Report).where(col(Report.id).in_(ids[::3])).values(
            created_at=first.created_at, updated_at=first.created_at))


def _page(engine: Engine, **query: str) -> queue.QueuePage:
    with session_scope(engine, read_only=True) as session:
        return queue.queue_page(session, filters=queue.parse_queue_filter(query), staff_id=None)


@pytest.mark.parametrize("sort", queue.SORTS)
def test_next_and_previous_by_cursor_find_the_pages_offsets_find(any_engine: Engine, sort: str) -> None:
    _spread_risks_and_updates(any_engine)
    by_offset = [[row.id for row in _page(any_engine, sort=sort, per_page="25", page=str(n)).rows]
                 for n in (1, 2, 3)]
    assert sum(len(rows) for rows in by_offset) == 64 and len({i for rows in by_offset for i in rows}) == 64
    page = _page(any_engine, sort=sort, per_page="25")
    walked = [[row.id for row in page.rows]]
    while page.next_cursor:
        page = _page(any_engine, sort=sort, per_page="25", page=str(page.page + 1), after=page.next_cursor)
        walked.append([row.id for row in page.rows])
    assert walked == by_offset
    assert not page.has_next
    assert page.previous_cursor is not None  # page 3: "previous" seeks back
    back = _page(any_engine, sort=sort, per_page="25", page="2", before=page.previous_cursor)
    assert [row.id for row in back.rows] == by_offset[1] and back.has_next


def test_a_cursor_of_another_sort_or_a_forged_one_falls_back_to_the_offset(any_engine: Engine) -> None:
    second = [row.id for row in _page(any_engine, sort="risk", page="2").rows]
    newest = _page(any_engine)
    assert newest.next_cursor and newest.next_cursor.count("_") == 1
    mixed = _page(any_engine, sort="risk", page="2", after=newest.next_cursor)
    assert [row.id for row in mixed.rows] == second
    assert queue.parse_queue_filter({"after": "1_2'; drop table report"}).after is None
    second_newest = [row.id for row in _page(any_engine, page="2").rows]
    for forged in (f"{10 ** 19}_5", f"1765061757679244_{10 ** 12}"):  # beyond any date, any id
        assert [row.id for row in _page(any_engine, page="2", after=forged).rows] == second_newest
    assert queue.parse_queue_filter({"before": "17_3_9"}).before == "17_3_9"


def _plan(engine: Engine, sort: str) -> str:
    statement = queue.ordered(select(Report.id), sort).limit(51).compile(
        dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return " ".join(str(row) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {statement}")))
        # A few rows would be sorted in memory; with sorting priced out, the plan shows whether
        # the index can give this order at all (the risk order only if its SQL text matches).
        connection.execute(text("SET enable_sort = off"))
        return " ".join(str(row) for row in connection.execute(text(f"EXPLAIN {statement}")))


@pytest.mark.parametrize(("sort", "index"), [("risk", "ix_report_risk_score_created"),
                                             ("updated", "ix_report_updated_id"),
                                             ("oldest", "ix_report_created")])
def test_every_sort_reads_its_index_without_sorting(any_engine: Engine, sort: str, index: str) -> None:
    plan = _plan(any_engine, sort)
    assert index in plan and "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_counts_beyond_the_limit_say_what_they_are(any_engine: Engine,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue, "EXACT_COUNT_LIMIT", 10)
    assert (_page(any_engine, country="KH").total, _page(any_engine, country="KH").count) == (1, "exact")
    every = _page(any_engine)
    words = _page(any_engine, q="filler")
    if any_engine.dialect.name == "postgresql":
        # The planner's estimate, rounded; never below what was counted.
        assert every.count == words.count == "about" and every.total >= 11 and words.total >= 11
    else:
        assert (every.count, every.total, words.count, words.total) == ("more", 10, "more", 10)
    assert every.has_next and every.next_cursor


async def test_the_queue_page_says_the_count_is_not_exact(client: TestClient,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue, "EXACT_COUNT_LIMIT", 10)
    await log_in(client, *ADMIN)
    body = await (await client.get("/review/?per_page=25")).text()
    assert "(more than 10 reports)" in body and "page 1 of" not in body
    assert 'rel="next"' in body and "after=" in body
    exact = await (await client.get("/review/?country=KH")).text()
    assert "(1 report)" in exact and "page 1 of 1" in exact


def test_shared_contacts_are_exact_below_the_limit_and_a_floor_above(
        any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seeded phone number is named by three reports: two others for each of them."""
    def shares(limit: int) -> dict[int, tuple[int, bool]]:
        monkeypatch.setattr(queue, "SHARES_EXACT_LIMIT", limit)
        page = _page(any_engine, country="TH")  # the two TH reports name only that number
        return {row.id: (row.shares, row.shares_capped) for row in page.rows}

    assert set(shares(2).values()) == {(2, False)}
    assert set(shares(1).values()) == {(1, True)}  # "1+": counting stopped at the limit
    assert set(shares(500).values()) == {(2, False)}
