"""Queue filters, staff actions and the signals staff rely on (independent reporters, blocking,
safelist), through the query layer and, where it matters, the HTTP app."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient
from multidict import MultiDict
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from review import queries
from storage import queue
from storage.db import session_scope
from storage.indicators import lookup_indicator
from storage.models import Indicator, Report, ReportStatus, ReviewEvent, StaffUser, UserPrefs
from storage.reports import create_report
from tests.review.conftest import ADMIN, REVIEWER, Seeded, contacts_of, log_in


def _ids(engine: Engine, **filters: object) -> list[int]:
    with session_scope(engine, read_only=True) as session:
        page = queue.queue_page(session, filters=queue.QueueFilter(**filters),  # type: ignore[arg-type]
                                  staff_id=1)
        return [row.id for row in page.rows]


def test_queue_filters(engine: Engine, seeded: Seeded) -> None:
    network = {seeded.scam_report_id, seeded.xss_report_id, 3}
    assert _ids(engine, country="KH") == [seeded.scam_report_id]
    assert set(_ids(engine, country="TH")) == {seeded.xss_report_id, 3}
    assert _ids(engine, kind="job_offer") == [seeded.scam_report_id]
    assert _ids(engine, risk="very_high") == [seeded.scam_report_id]
    assert _ids(engine, language="tl") == [seeded.other_report_id]
    today = datetime.now(UTC).date()
    assert set(_ids(engine, date_from=today - timedelta(days=2), date_to=today)) == {
        seeded.scam_report_id, seeded.xss_report_id}
    # The same number however it is typed; a local spelling needs the country to be read.
    for spelling in ("+855 12 345 678", "+855-12-345-678", "00855 12345678", "85512345678"):
        assert set(_ids(engine, contact=spelling)) == network, spelling
    assert set(_ids(engine, contact="012 345 678", country="KH")) == {seeded.scam_report_id}
    assert _ids(engine, contact="t.me/FAST_JOBS_KH") == [seeded.scam_report_id]
    assert _ids(engine, contact="https://www.jobs.example-agency.ph/apply/") == [seeded.other_report_id]
    assert _ids(engine, contact="nobody-knows-this") == []
    assert _ids(engine, sort="risk")[:4] == [seeded.scam_report_id, seeded.xss_report_id, 3,
                                             seeded.other_report_id]
    assert _ids(engine, sort="oldest")[0] > seeded.other_report_id  # a filler, ten days old


def test_pagination_and_counts(engine: Engine, seeded: Seeded) -> None:
    with session_scope(engine, read_only=True) as session:
        first = queue.queue_page(session, filters=queue.QueueFilter(), staff_id=None)
        second = queue.queue_page(session, filters=queue.QueueFilter(page=2), staff_id=None)
        beyond = queue.queue_page(session, filters=queue.QueueFilter(page=99), staff_id=None)
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (64, 2, 50, 14)
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}
    assert beyond.page == 2


def test_filter_parsing_drops_what_it_does_not_know() -> None:
    parsed = queue.parse_queue_filter(MultiDict({
        "status": "deleted", "kind": "job_offer", "country": "kh", "risk": "extreme", "sort": "random",
        "date_from": "2026-13-01", "date_to": "2026-11-20", "page": "-3", "assignee": "1; drop"}))
    assert parsed == queue.QueueFilter(kind="job_offer", country="KH", date_to=date(2026, 11, 20))
    assert parsed.as_query() == {"kind": "job_offer", "country": "KH", "date_to": "2026-11-20"}


def test_independent_reporters_and_blocking(engine: Engine, seeded: Seeded) -> None:
    with session_scope(engine, read_only=True) as session:
        phone = lookup_indicator(session, type="phone", value=seeded.shared_phone)
        assert (phone.independent_reporters, phone.report_count) == (2, 3)
        signals = {s.indicator.value: s for s in queries.report_contacts(session,
                                                                          report_id=seeded.xss_report_id)}
        assert (signals[seeded.shared_phone].independent_reporters,
                signals[seeded.shared_phone].report_count) == (2, 3)
    with session_scope(engine) as session:
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        assert queries.block_reporter_of(session, report_id=seeded.xss_report_id, staff=admin,
                                         note="floods the bot") == 2
    with session_scope(engine) as session:
        blocked_reports = session.exec(select(Report).where(Report.reporter_key == "b" * 64)).all()
        assert {r.status for r in blocked_reports} == {ReportStatus.spam}
        prefs = session.get(UserPrefs, "b" * 64)
        assert prefs is not None and prefs.blocked
        # A later report from the blocked pseudonym does not count either.
        create_report(session, reporter_key="b" * 64, kind="contact", country="TH", language="th",
                      risk_level="high", flag_ids=[], narrative="once more",
                      contacts=contacts_of(seeded.shared_phone))
    with session_scope(engine, read_only=True) as session:
        phone = lookup_indicator(session, type="phone", value=seeded.shared_phone)
        assert (phone.independent_reporters, phone.report_count) == (1, 1)
        signals = {s.indicator.value: s for s in queries.report_contacts(session,
                                                                          report_id=seeded.scam_report_id)}
        assert signals[seeded.shared_phone].independent_reporters == 1
        events = session.exec(select(ReviewEvent).where(ReviewEvent.action == "block_reporter")).all()
        assert [(e.report_id, e.note) for e in events] == [(seeded.xss_report_id, "floods the bot")]
        assert all("b" * 64 not in (e.new or "") + (e.note or "") for e in session.exec(select(ReviewEvent)))
        # Blocked reports drop out of the networks too.
        clusters = queries.contact_clusters(session)
        assert all(seeded.xss_report_id not in c.reports for c in clusters)


def test_safelisted_contacts_cannot_be_confirmed(engine: Engine, seeded: Seeded) -> None:
    with session_scope(engine) as session:
        queries.add_safelist_entry(session, raw="+855 12 345 678", label="KH hotline (test)",
                                   source="test fixture", actor="ana")
    with session_scope(engine) as session:
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        indicator = session.exec(select(Indicator).where(Indicator.value == seeded.shared_phone)).one()
        assert indicator.id is not None
        with pytest.raises(queries.ReviewError, match="safelist"):
            queries.set_indicator_decision(session, indicator_id=indicator.id, confirmed=True, staff=admin)
    with session_scope(engine, read_only=True) as session:
        signals = queries.report_contacts(session, report_id=seeded.scam_report_id)
        assert [s.safelisted for s in signals if s.indicator.type == "phone"] == [True]
        assert queries.contact_clusters(session) == []  # the only shared contact is official


async def test_review_actions_are_audited(client: TestClient, seeded: Seeded, engine: Engine) -> None:
    csrf = await log_in(client, *REVIEWER)
    base = f"/review/reports/{seeded.scam_report_id}"
    assert (await client.post(f"{base}/claim", data={"csrf": csrf})).status == 200
    assert (await client.post(f"{base}/status", data={"csrf": csrf, "status": "confirmed",
                                                       "note": "matches 3 other reports"})).status == 200
    assert (await client.post(f"{base}/status", data={"csrf": csrf, "status": "confirmed",
                                                       "note": "called the embassy"})).status == 200
    nothing = await client.post(f"{base}/status", data={"csrf": csrf, "status": "confirmed"})
    assert nothing.status == 400
    with session_scope(engine, read_only=True) as session:
        indicator = session.exec(select(Indicator).where(Indicator.value == "fast_jobs_kh")).one()
    rejected = await client.post(f"{base}/contacts/{indicator.id}", data={"csrf": csrf, "decision": "reject"})
    assert rejected.status == 200
    page = await (await client.get(base)).text()
    for fragment in ("matches 3 other reports", "called the embassy", "status In review → Confirmed", "rui"):
        assert fragment in page
    with session_scope(engine, read_only=True) as session:
        report = session.get(Report, seeded.scam_report_id)
        assert report is not None and report.status == ReportStatus.confirmed
        reviewer = session.exec(select(StaffUser).where(StaffUser.username == REVIEWER[0])).one()
        assert report.assignee_id == reviewer.id
        actions = [e.action for e in session.exec(select(ReviewEvent).where(ReviewEvent.actor == REVIEWER[0])
                                                  .order_by(col(ReviewEvent.id)))]
        # Claim = assign + new → in_review; then a status change, a note, a contact decision.
        assert actions == ["login", "assign", "status", "status", "note", "confirm"]


async def test_admin_assigns_and_unassigns(client: TestClient, seeded: Seeded, engine: Engine) -> None:
    csrf = await log_in(client, *ADMIN)
    with session_scope(engine, read_only=True) as session:
        reviewer = session.exec(select(StaffUser).where(StaffUser.username == REVIEWER[0])).one()
    base = f"/review/reports/{seeded.other_report_id}"
    assigned = await client.post(f"{base}/assign", data={"csrf": csrf, "assignee": str(reviewer.id)})
    assert assigned.status == 200
    assert _ids(engine, assignee=str(reviewer.id)) == [seeded.other_report_id]
    assert seeded.other_report_id not in _ids(engine, assignee="none")
    assert (await client.post(f"{base}/assign", data={"csrf": csrf, "assignee": ""})).status == 200
    assert seeded.other_report_id in _ids(engine, assignee="none")


def test_hotline_numbers_are_protected_without_seeding(engine: Engine) -> None:
    from screening.hotlines import official_contacts

    hotline = next(c for c in official_contacts() if c.type == "phone")
    with session_scope(engine) as session:
        report = create_report(session, reporter_key="h" * 64, kind="contact", country=None, language="en",
                               risk_level="low", flag_ids=[], narrative=f"they called from {hotline.value}",
                               contacts=contacts_of(hotline.value))
        assert report.id is not None
        signals = queries.report_contacts(session, report_id=report.id)
        assert [s.safelisted for s in signals] == [True]
        assert signals[0].indicator.id is not None
        staff = StaffUser(username="x", password_hash="x")
        with pytest.raises(queries.ReviewError, match="safelist"):
            queries.set_indicator_decision(session, indicator_id=signals[0].indicator.id, confirmed=True,
                                           staff=staff)
