"""Reports, indicators, staff actions, statistics, safelist, retention, erasure."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from storage import queue
from storage.changes import changes_since
from storage.conversations import lock_conversation
from storage.db import session_scope, step_scope
from storage.erasure import delete_user_data, purge_narratives, rename_pseudonym
from storage.inbox import claim_updates, enqueue_update, mark_done
from storage.indicators import (
    indicators_of_report,
    lookup_indicator,
    reports_sharing_indicators,
    top_indicators,
)
from storage.models import (
    ConversationRow,
    Indicator,
    Report,
    ReportKind,
    ReportStatus,
    StaffRole,
    StaffUser,
    UserPrefs,
)
from storage.prefs import set_prefs
from storage.pseudonym import pseudonymise
from storage.rate import allow_action
from storage.reports import (
    RECEIPT_ALPHABET,
    add_to_report,
    create_report,
    file_report,
    get_report_by_code,
    reports_awaiting_notification,
    take_notify_chat,
)
from storage.review_actions import (
    assign_report,
    block_reporter,
    review_history,
    set_indicator_confirmed,
    set_report_status,
)
from storage.safelist import add_safelist, is_safelisted
from storage.staff import create_staff_user
from storage.statistics import (
    counts_per_country,
    counts_per_day,
    counts_per_kind,
    counts_per_language,
    counts_per_risk,
)
from tests.storage.helpers import KEY, FakeContact, dump_all_tables

ALICE = pseudonymise(1001, key=KEY)
BOB = pseudonymise(1002, key=KEY)
CAROL = pseudonymise(1003, key=KEY)
SCAM_PHONE = FakeContact("phone", "+85512345678")
SCAM_HANDLE = FakeContact("telegram", "jobs_bkk_hr")
OTHER_HANDLE = FakeContact("telegram", "other_agent")


def _report(
    session: Session,
    reporter: str,
    *contacts: FakeContact,
    at: datetime | None = None,
    **fields: object,
) -> Report:
    values: dict[str, object] = {
        "kind": ReportKind.job_offer, "country": "kh", "language": "vi",
        "risk_level": "high", "flag_ids": ["too_good_salary"],
        "narrative": "They promised 2000 USD a month.",
    }
    values.update(fields)
    return create_report(session, reporter_key=reporter, contacts=list(contacts), now=at,
                         **values)  # type: ignore[arg-type]


def _staff(session: Session, name: str = "ngo_anna") -> StaffUser:
    return create_staff_user(session, username=name, password_hash="x", role=StaffRole.reviewer)


def test_create_report_stores_a_redacted_report_with_an_unguessable_receipt(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        report = create_report(
            session, reporter_key=ALICE, kind="contact", country="th", language="th",
            risk_level="very_high", flag_ids=["passport_held"],
            narrative="I am @alice_real, he is @jobs_bkk_hr. My passport no. AB1234567.",
            contacts=[SCAM_HANDLE], reporter_identifiers=["@alice_real"],
        )
        codes = {report.receipt_code}
        codes.update(_report(session, BOB).receipt_code for _ in range(20))
    assert len(codes) == 21
    assert all(re.fullmatch(f"[{RECEIPT_ALPHABET}]{{10}}", code) for code in codes)
    with session_scope(engine) as session:
        stored = get_report_by_code(session, receipt_code=report.receipt_code.lower())
        assert stored is not None
        assert stored.narrative == (
            "I am [username], he is @jobs_bkk_hr. My passport no. [passport]."
        )
        assert (stored.kind, stored.country, stored.status) == (
            ReportKind.contact, "TH", ReportStatus.new
        )
        assert stored.created_at.tzinfo is not None and stored.id is not None
        assert [(i.type, i.value) for i in indicators_of_report(session, report_id=stored.id)] == [
            ("telegram", "jobs_bkk_hr")
        ]


def test_a_taken_receipt_code_is_drawn_again_and_the_report_is_the_sessions(
    engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # create_report inserts its row with one Core statement that inserts nothing when the
    # code is taken (no savepoint); the object it returns is the session's, as if loaded.
    with session_scope(engine) as session:
        first = _report(session, ALICE, SCAM_PHONE)
    draws = iter([first.receipt_code, first.receipt_code, "23456789AB"])
    monkeypatch.setattr("storage.reports.new_receipt_code", lambda: next(draws))
    with session_scope(engine) as session:
        second = _report(session, BOB, SCAM_PHONE, offer_text="Salary 1500 USD in Bangkok, "
                         "free flight and visa, contact HR on Telegram today for the job")
        assert second.receipt_code == "23456789AB" and second.id not in (None, first.id)
        assert second in session and not session.dirty and not session.new
        assert session.get(Report, second.id) is second  # no second copy of the row
        second.status = ReportStatus.spam  # a later change is flushed as an UPDATE
    with session_scope(engine) as session:
        stored = get_report_by_code(session, receipt_code="23456789AB")
        assert stored is not None and stored.status == ReportStatus.spam
        assert (stored.reporter_key, stored.text_signature) == (BOB, second.text_signature)
        assert stored.text_signature and stored.created_at == second.created_at
        assert get_report_by_code(session, receipt_code=first.receipt_code).reporter_key == ALICE  # type: ignore[union-attr]
        assert [i.value for i in indicators_of_report(session, report_id=stored.id)] == [  # type: ignore[arg-type]
            SCAM_PHONE.value]


def _stored_rows(engine: Engine, report_id: int) -> dict[str, list[tuple[object, ...]]]:
    """A report's rows as the database holds them (no type processing), ids and codes left out."""
    with session_scope(engine, read_only=True) as session:
        def rows(sql: str) -> list[tuple[object, ...]]:
            return [tuple(row) for row in session.execute(text(sql), {"id": report_id})]
        return {
            "report": rows("SELECT created_at, updated_at, kind, country, language, risk_level, "
                           "flag_ids, narrative, happened, status, assignee_id, reporter_key, "
                           "notify_chat_sealed, offer_text, text_signature FROM report "
                           "WHERE id = :id"),
            "indicators": rows("SELECT indicator_id, channel FROM report_indicator "
                               "WHERE report_id = :id ORDER BY indicator_id"),
            "bands": rows("SELECT band_key FROM report_text_band WHERE report_id = :id "
                          "ORDER BY band_key"),
        }


def test_file_report_stores_what_create_report_stores_without_an_orm_session(
    engine: Engine,
) -> None:
    # A flow step files its report with Core statements only (file_report on the step's
    # transaction): the same stored values as create_report's, a confirmed contact's change
    # recorded in the partner feed, and no ORM session made.
    with session_scope(engine) as session:
        seeded = _report(session, CAROL, SCAM_HANDLE)
        staff = _staff(session)
        assert seeded.id is not None
        indicator_id = indicators_of_report(session, report_id=seeded.id)[0].id
        assert indicator_id is not None
        set_indicator_confirmed(session, actor=staff, indicator_id=indicator_id, confirmed=True)
    at = datetime(2026, 12, 7, 13, 0, 5, 123456, tzinfo=UTC)
    fields: dict[str, Any] = {
        "kind": "job_offer", "country": "th", "language": "en", "risk_level": "very_high",
        "flag_ids": ["too_good_salary", "passport_held"], "happened": "week",
        "narrative": "I am @alice_real; the agent @jobs_bkk_hr said call +855 12 345 678.",
        "offer_text": "Salary 1500 USD in Bangkok, free flight and visa, contact HR on "
                      "Telegram @jobs_bkk_hr today for the job",
        "contacts": [SCAM_HANDLE, SCAM_PHONE, OTHER_HANDLE],
        "reporter_identifiers": ["@alice_real"], "now": at,
    }
    with session_scope(engine) as session:
        made = create_report(session, reporter_key=ALICE, **fields)
        assert made.id is not None
    with step_scope(engine) as step:
        filed = file_report(step.core, reporter_key=ALICE, **fields)
        assert not step.orm_in_use
    assert _stored_rows(engine, filed.id) == _stored_rows(engine, made.id)
    assert _stored_rows(engine, filed.id)["bands"]
    assert (filed.kind, filed.risk_level, filed.country, filed.language) == (
        ReportKind.job_offer, "very_high", "TH", "en")
    with session_scope(engine, read_only=True) as session:
        stored = get_report_by_code(session, receipt_code=filed.receipt_code)
        assert stored is not None and stored.id == filed.id and stored.id != made.id
        # The columns no caller gives hold the model's defaults, as a `Report(...)` had them.
        fresh = Report(receipt_code="X", kind=ReportKind.job_offer, reporter_key=ALICE)
        assert (stored.status, stored.assignee_id, stored.notify_chat_sealed) == (
            fresh.status, fresh.assignee_id, fresh.notify_chat_sealed)
        assert (stored.created_at, stored.updated_at, stored.happened) == (at, at, "week")
        # Each filing named the confirmed contact: one change each, numbered in order.
        feed = changes_since(session, since=0, limit=10)
        assert [(c.kind, c.key, c.event) for c in feed][-2:] == [
            ("telegram", "jobs_bkk_hr", "updated")] * 2
        assert [c.seq for c in feed] == list(range(1, len(feed) + 1))


def test_only_the_same_reporter_may_add_to_a_report(engine: Engine) -> None:
    with session_scope(engine) as session:
        code = _report(session, ALICE, SCAM_PHONE).receipt_code
    with session_scope(engine) as session:
        assert add_to_report(session, receipt_code=code, reporter_key=BOB,
                             narrative="not mine", contacts=[OTHER_HANDLE]) is None
        assert add_to_report(session, receipt_code="ZZZZZZZZZZ", reporter_key=ALICE,
                             narrative="x", contacts=[]) is None
        updated = add_to_report(session, receipt_code=code, reporter_key=ALICE,
                                narrative="He also uses @other_agent.", contacts=[OTHER_HANDLE])
        assert updated is not None
    with session_scope(engine) as session:
        report = get_report_by_code(session, receipt_code=code)
        assert report is not None and report.id is not None
        assert report.narrative == "They promised 2000 USD a month.\n\nHe also uses @other_agent."
        assert {i.value for i in indicators_of_report(session, report_id=report.id)} == {
            SCAM_PHONE.value, OTHER_HANDLE.value
        }
        assert [e.action for e in review_history(session, report_id=report.id)] == ["addition"]
        assert lookup_indicator(session, type="telegram", value="other_agent").report_count == 1


def test_lookup_counts_independent_reporters_and_ignores_spam_and_blocked(engine: Engine) -> None:
    day1 = datetime(2026, 3, 1, 8, tzinfo=UTC)
    day5 = datetime(2026, 3, 5, 20, tzinfo=UTC)
    with session_scope(engine) as session:
        _report(session, ALICE, SCAM_PHONE, at=day1)
        _report(session, ALICE, SCAM_PHONE, at=day1 + timedelta(hours=1))
        _report(session, BOB, SCAM_PHONE, SCAM_HANDLE, at=day5)
        spam = _report(session, CAROL, SCAM_PHONE, at=day5 + timedelta(days=1))
        staff = _staff(session)
        set_report_status(session, actor=staff, report_id=spam.id or 0, status="spam")
    with session_scope(engine) as session:
        summary = lookup_indicator(session, type="phone", value=SCAM_PHONE.value)
        assert (summary.confirmed, summary.report_count, summary.independent_reporters) == (
            False, 3, 2
        )
        assert (summary.first_seen, summary.last_seen) == (day1, day5)
        unknown = lookup_indicator(session, type="phone", value="+10000000000")
        assert (unknown.report_count, unknown.first_seen, unknown.indicator_id) == (0, None, None)
        # Blocking Bob: his report no longer counts (it becomes spam, and he is blocked).
        assert block_reporter(session, actor=staff, user_key=BOB) == 1
    with session_scope(engine) as session:
        summary = lookup_indicator(session, type="phone", value=SCAM_PHONE.value)
        assert (summary.report_count, summary.independent_reporters) == (2, 1)
        assert session.get_one(UserPrefs, BOB).blocked is True
        assert lookup_indicator(session, type="telegram", value="jobs_bkk_hr").report_count == 0


def test_staff_actions_are_audited(engine: Engine) -> None:
    with session_scope(engine) as session:
        report = _report(session, ALICE, SCAM_HANDLE)
        staff = _staff(session)
        assert report.id is not None and staff.id is not None
        set_report_status(session, actor=staff, report_id=report.id, status="in_review")
        assign_report(session, actor=staff, report_id=report.id, assignee_id=staff.id)
        set_report_status(session, actor=staff, report_id=report.id,
                          status=ReportStatus.confirmed, note="matches 3 other reports")
        indicator_id = indicators_of_report(session, report_id=report.id)[0].id
        assert indicator_id is not None
        set_indicator_confirmed(session, actor=staff, indicator_id=indicator_id, confirmed=True)
        with pytest.raises(LookupError):
            set_report_status(session, actor=staff, report_id=999_999, status="spam")
    with session_scope(engine) as session:
        history = [(e.actor, e.action, e.old, e.new, e.note)
                   for e in review_history(session, report_id=report.id)]
        assert history == [
            ("ngo_anna", "status", "new", "in_review", None),
            ("ngo_anna", "assign", None, str(staff.id), None),
            ("ngo_anna", "status", "in_review", "confirmed", "matches 3 other reports"),
        ]
        indicator = session.get_one(Indicator, indicator_id)
        assert (indicator.confirmed, indicator.confirmed_by) == (True, staff.id)
        assert indicator.confirmed_at is not None
        assert lookup_indicator(session, type="telegram", value="jobs_bkk_hr").confirmed is True


def test_reports_sharing_indicators_rank_by_shared_contacts(engine: Engine) -> None:
    with session_scope(engine) as session:
        base = _report(session, ALICE, SCAM_PHONE, SCAM_HANDLE)
        both = _report(session, BOB, SCAM_PHONE, SCAM_HANDLE)
        one = _report(session, CAROL, SCAM_HANDLE)
        _report(session, CAROL, OTHER_HANDLE)
        shared = reports_sharing_indicators(session, report_id=base.id or 0)
    assert [(s.report.id, s.shared_indicators) for s in shared] == [(both.id, 2), (one.id, 1)]


def test_queue_pages_filter_sort_and_count(engine: Engine) -> None:
    start = datetime(2026, 4, 1, tzinfo=UTC)
    with session_scope(engine) as session:
        for n in range(7):
            _report(session, ALICE, at=start + timedelta(days=n), country="th" if n % 2 else "kh",
                    risk_level=["low", "medium", "high", "very_high"][n % 4])
        _report(session, BOB, SCAM_PHONE, at=start, kind=ReportKind.urgent_help)

    def page(**filters: object) -> queue.QueuePage:
        return queue.queue_page(session, filters=queue.QueueFilter(**filters), staff_id=None)  # type: ignore[arg-type]

    with session_scope(engine, read_only=True) as session:
        first = page(status="new", page=1, per_page=3)
        assert (first.total, first.pages, len(first.rows)) == (8, 3, 3)
        assert first.rows[0].created_at == start + timedelta(days=6)
        assert len(page(status="new", page=3, per_page=3).rows) == 2
        assert page(country="TH").total == 3
        assert page(kind="urgent_help").total == 1
        assert page(status="confirmed").total == 0
        assert page(date_from=date(2026, 4, 3), date_to=date(2026, 4, 4)).total == 2
        assert page(sort="oldest", per_page=1).rows[0].created_at == start
        assert [r.risk_level for r in page(sort="risk", per_page=8).rows] == [
            "very_high", "high", "high", "high", "medium", "medium", "low", "low"
        ]
        by_contact = page(contact="+855 12 345 678")
        assert by_contact.total == 1 and by_contact.rows[0].kind == "urgent_help"


def test_counts_and_top_indicators_exclude_spam(engine: Engine) -> None:
    day = datetime(2026, 5, 1, 23, 30, tzinfo=UTC)
    with session_scope(engine) as session:
        _report(session, ALICE, SCAM_PHONE, at=day, country="th", language="th")
        _report(session, BOB, SCAM_PHONE, at=day + timedelta(hours=1), country="kh",
                language="km", risk_level="low")
        _report(session, CAROL, SCAM_HANDLE, at=day + timedelta(hours=2), country="kh",
                kind=ReportKind.romance_investment)
        spam = _report(session, CAROL, SCAM_HANDLE, at=day, country="mm")
        set_report_status(session, actor=_staff(session), report_id=spam.id or 0, status="spam")
    with session_scope(engine, read_only=True) as session:
        assert counts_per_day(session) == [(date(2026, 5, 1), 1), (date(2026, 5, 2), 2)]
        assert counts_per_country(session) == [("KH", 2), ("TH", 1)]
        assert counts_per_language(session) == [("km", 1), ("th", 1), ("vi", 1)]
        assert counts_per_kind(session) == [("job_offer", 2), ("romance_investment", 1)]
        assert counts_per_risk(session) == [("high", 2), ("low", 1)]
        assert counts_per_country(session, since=day + timedelta(hours=2)) == [("KH", 1)]
        top = [(i.value, n) for i, n in top_indicators(session, limit=5)]
        assert top == [(SCAM_PHONE.value, 2), (SCAM_HANDLE.value, 1)]


def test_safelisted_contacts_never_become_indicators(engine: Engine) -> None:
    hotline = FakeContact("phone", "+6621234567")
    with session_scope(engine) as session:
        entry = add_safelist(session, type="phone", value=hotline.value,
                             label="Embassy hotline", source="https://example.org/hotlines")
        again = add_safelist(session, type="phone", value=hotline.value,
                             label="Embassy 24h hotline", source="https://example.org/v2")
        assert entry.id == again.id and again.label == "Embassy 24h hotline"
        report = _report(session, ALICE, hotline, SCAM_PHONE)
        assert is_safelisted(session, type="phone", value=hotline.value)
        assert not is_safelisted(session, type="phone", value=SCAM_PHONE.value)
        assert [i.value for i in indicators_of_report(session, report_id=report.id or 0)] == [
            SCAM_PHONE.value
        ]
        assert lookup_indicator(session, type="phone", value=hotline.value).report_count == 0


def test_retention_purges_old_narratives_but_keeps_counts(engine: Engine) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with session_scope(engine) as session:
        old = _report(session, ALICE, SCAM_PHONE, at=now - timedelta(days=100))
        recent = _report(session, BOB, SCAM_PHONE, at=now - timedelta(days=10))
        assert purge_narratives(session, older_than_days=90, now=now) == 1
    with session_scope(engine) as session:
        assert session.get_one(Report, old.id).narrative is None
        assert session.get_one(Report, recent.id).narrative is not None
        assert lookup_indicator(session, type="phone", value=SCAM_PHONE.value).report_count == 2


def test_notification_chat_is_sealed_and_erased_once_taken(engine: Engine) -> None:
    chat_id = 731_000_123
    with session_scope(engine) as session:
        report = _report(session, ALICE, notify_chat_id=chat_id, seal_key=KEY)
        with pytest.raises(ValueError, match="seal_key"):
            _report(session, ALICE, notify_chat_id=chat_id)
        assert reports_awaiting_notification(session) == []
        set_report_status(session, actor=_staff(session), report_id=report.id or 0,
                          status="confirmed")
    assert str(chat_id) not in repr(dump_all_tables(engine))
    with session_scope(engine) as session:
        assert [r.id for r in reports_awaiting_notification(session)] == [report.id]
        assert take_notify_chat(session, report_id=report.id or 0, seal_key=KEY) == chat_id
    with session_scope(engine) as session:
        assert take_notify_chat(session, report_id=report.id or 0, seal_key=KEY) is None
        assert reports_awaiting_notification(session) == []


def test_delete_user_data_leaves_no_row_of_the_person(engine: Engine) -> None:
    shared = FakeContact("phone", "+85599000111")
    only_alice = FakeContact("telegram", "alice_only_scammer")
    confirmed = FakeContact("telegram", "well_known_scammer")
    with session_scope(engine) as session:
        staff = _staff(session)
        first = _report(session, ALICE, shared, only_alice, confirmed,
                        narrative="Alice's story", notify_chat_id=5, seal_key=KEY)
        _report(session, ALICE, only_alice)
        bob_report = _report(session, BOB, shared)
        set_report_status(session, actor=staff, report_id=first.id or 0, status="in_review",
                          note="quote: Alice's story")
        confirmed_id = next(i.id for i in indicators_of_report(session, report_id=first.id or 0)
                            if i.value == confirmed.value)
        set_indicator_confirmed(session, actor=staff, indicator_id=confirmed_id or 0,
                                confirmed=True)
        set_prefs(session, user_key=ALICE, locale="vi", country="vn", consent_notify=True)
        lock_conversation(session, user_key=ALICE).data = {"draft": "Alice's draft"}
        assert allow_action(session, user_key=ALICE, action="report", limit=5,
                            window=timedelta(hours=1))
        enqueue_update(session, update_id=77, chat_key=ALICE, payload={"x": 1})
        claim_updates(session, worker_id="w", limit=5)
        mark_done(session, update_id=77)
    with session_scope(engine) as session:
        summary = delete_user_data(session, user_key=ALICE)
    assert (summary.reports, summary.indicators, summary.prefs, summary.conversations,
            summary.rate_events, summary.inbox_updates) == (2, 1, 1, 1, 1, 1)

    dump = repr(dump_all_tables(engine))
    assert ALICE not in dump
    assert "Alice" not in dump  # narrative, staff note quoting it, conversation draft
    with session_scope(engine) as session:
        assert lookup_indicator(session, type="phone", value=shared.value).report_count == 1
        assert lookup_indicator(session, type="telegram", value=confirmed.value).confirmed
        assert lookup_indicator(session, type="telegram",
                                value=only_alice.value).indicator_id is None
        assert session.get(Report, bob_report.id) is not None
        # The audit trail keeps that a review happened, without its note.
        assert [(e.action, e.note) for e in review_history(session, report_id=first.id or 0)] \
            == [("status", None)]


def test_a_blocked_person_cannot_delete_their_way_out_of_the_block(engine: Engine) -> None:
    with session_scope(engine) as session:
        _report(session, CAROL)
        block_reporter(session, actor=_staff(session), user_key=CAROL)
    with session_scope(engine) as session:
        delete_user_data(session, user_key=CAROL)
    with session_scope(engine) as session:
        prefs = session.get_one(UserPrefs, CAROL)
        assert prefs.blocked and prefs.locale is None
        assert session.get(Report, 1) is None


def test_rate_limit_counts_per_person_and_window(engine: Engine) -> None:
    now = datetime(2026, 7, 1, tzinfo=UTC)
    window = timedelta(minutes=10)
    with session_scope(engine) as session:
        results = [allow_action(session, user_key=ALICE, action="report", limit=2,
                                window=window, now=now + timedelta(minutes=m)) for m in (0, 1, 2)]
        assert results == [True, True, False]
        assert allow_action(session, user_key=BOB, action="report", limit=2, window=window,
                            now=now)
        assert allow_action(session, user_key=ALICE, action="report", limit=2, window=window,
                            now=now + timedelta(minutes=10, seconds=30))


def test_key_rotation_moves_a_persons_rows_to_their_new_pseudonym(engine: Engine) -> None:
    new_key = b"the-rotated-pseudonym-key-32byte"
    old_alice, new_alice = ALICE, pseudonymise(1001, key=new_key)
    with session_scope(engine) as session:
        code = _report(session, old_alice, SCAM_PHONE).receipt_code
        set_prefs(session, user_key=old_alice, locale="th")
        lock_conversation(session, user_key=old_alice).state = "menu:idle"
        set_prefs(session, user_key=new_alice, locale="en")  # wrote once since the rotation
    with session_scope(engine) as session:
        assert rename_pseudonym(session, old_key=old_alice, new_key=new_alice) == 1
    with session_scope(engine) as session:
        assert add_to_report(session, receipt_code=code, reporter_key=new_alice,
                             narrative="more", contacts=[]) is not None
        assert session.get(UserPrefs, old_alice) is None
        assert session.get_one(UserPrefs, new_alice).locale == "en"
        assert session.get(ConversationRow, old_alice) is None
        assert session.get_one(ConversationRow, new_alice).state == "menu:idle"
    assert old_alice not in repr(dump_all_tables(engine))
