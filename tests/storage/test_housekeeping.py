"""Scheduled privacy housekeeping (issue 17): retention, abandoned drafts, old inbox rows,
run once per period however many instances call it."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine, select, update
from sqlmodel import col

from storage.conversations import (
    lock_conversation_with_prefs,
    open_conversation_data,
    save_conversation,
)
from storage.db import create_db_engine, session_scope
from storage.housekeeping import DEFAULT_EVERY, DRAFT_TTL, run_housekeeping
from storage.models import ConversationRow, Report, utcnow
from storage.partners import recent_calls, record_calls
from storage.reports import create_report
from tests.storage.helpers import KEY, dump_text

DRAFT = "my own number is +84 912 345 678, passport C1234567"


def _report(engine: Engine, *, days_ago: int) -> int:
    with session_scope(engine) as session:
        report = create_report(session, reporter_key="a" * 64, kind="job_offer", contacts=[],
                               flag_ids=[], narrative="they took my passport at the border",
                               country="TH", language="en", risk_level="high")
        report.created_at = utcnow() - timedelta(days=days_ago)
        session.add(report)
        session.flush()
        assert report.id is not None
        return report.id


def _narrative(engine: Engine, report_id: int) -> str | None:
    with session_scope(engine, read_only=True) as session:
        return session.execute(select(Report.narrative).where(col(Report.id) == report_id)).scalar()


def test_retention_purges_backdated_narratives_once_per_period(engine: Engine) -> None:
    old, fresh = _report(engine, days_ago=40), _report(engine, days_ago=1)
    result = run_housekeeping(engine, retention_days=30, holder="one")
    assert result is not None and result.narratives_purged == 1
    assert _narrative(engine, old) is None
    assert _narrative(engine, fresh) is not None
    # Within the period nobody runs it again, however many instances try.
    assert run_housekeeping(engine, retention_days=30, holder="two") is None
    # After the period the next caller does.
    later = utcnow() + DEFAULT_EVERY + timedelta(seconds=1)
    assert run_housekeeping(engine, retention_days=30, holder="two", now=later) is not None


def test_concurrent_instances_run_it_once(db_url: str, engine: Engine) -> None:
    engines = [create_db_engine(db_url) for _ in range(4)]
    results: list[object] = []
    barrier = threading.Barrier(len(engines))

    def instance(index: int) -> None:
        barrier.wait()
        results.append(run_housekeeping(engines[index], retention_days=30, holder=f"i{index}"))

    threads = [threading.Thread(target=instance, args=(i,)) for i in range(len(engines))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in engines:
        other.dispose()
    assert sum(result is not None for result in results) == 1


def test_drafts_are_sealed_at_rest_and_abandoned_ones_purged(engine: Engine) -> None:
    user_key = "b" * 64
    with session_scope(engine) as session:
        row, _ = lock_conversation_with_prefs(session, user_key=user_key, seal_key=KEY)
        row.flow, row.state, row.data = "report", "narrative", {"draft": {"narrative": DRAFT}}
        save_conversation(session, row=row, seal_key=KEY)
    assert "912 345 678" not in dump_text(engine)
    assert "C1234567" not in dump_text(engine)
    with session_scope(engine) as session:
        row, _ = lock_conversation_with_prefs(session, user_key=user_key, seal_key=KEY)
        assert row.data == {"draft": {"narrative": DRAFT}}

    # Not yet abandoned: kept.
    assert run_housekeeping(engine, retention_days=None, holder="x").drafts_purged == 0  # type: ignore[union-attr]
    with session_scope(engine) as session:
        session.execute(update(ConversationRow).values(
            updated_at=utcnow() - DRAFT_TTL - timedelta(minutes=1)))
    later = utcnow() + DEFAULT_EVERY + timedelta(seconds=1)
    result = run_housekeeping(engine, retention_days=None, holder="x", now=later)
    assert result is not None and result.drafts_purged == 1
    with session_scope(engine, read_only=True) as session:
        stored = session.get(ConversationRow, user_key)
        assert stored is not None
        assert (stored.flow, stored.state, stored.data) == ("menu", "idle", {})
        assert stored.version == 1  # buttons of the abandoned draft are stale
    assert open_conversation_data({}, seal_key=KEY) == {}
    # Nothing left to purge: the next period touches no row.
    much_later = later + DEFAULT_EVERY + timedelta(seconds=1)
    result = run_housekeeping(engine, retention_days=None, holder="x", now=much_later)
    assert result is not None and result.drafts_purged == 0


def test_a_conversation_sealed_under_a_lost_key_starts_afresh(engine: Engine) -> None:
    user_key = "c" * 64
    with session_scope(engine) as session:
        row, _ = lock_conversation_with_prefs(session, user_key=user_key, seal_key=KEY)
        row.data = {"draft": DRAFT}
        save_conversation(session, row=row, seal_key=KEY)
    with session_scope(engine) as session:
        row, _ = lock_conversation_with_prefs(session, user_key=user_key, seal_key=b"x" * 32)
        assert row.data == {}


def test_the_partner_call_audit_is_pruned_after_its_retention(engine: Engine) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        record_calls(session, calls=[
            {"partner_id": 1, "at": now - timedelta(days=days), "endpoint": "lookup",
             "status": 200, "value_count": 1, "match_count": 0}
            for days in (400, 366, 364, 1)])
    result = run_housekeeping(engine, retention_days=None, holder="one", partner_call_days=365)
    assert result is not None and result.partner_calls_pruned == 2
    with session_scope(engine, read_only=True) as session:
        kept = sorted((now - call.at).days for call in recent_calls(session))
    assert kept == [1, 364]
