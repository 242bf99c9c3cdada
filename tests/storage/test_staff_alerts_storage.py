"""storage/alerts.py: the outbox of staff-chat alerts. Backoff (pure), one sender at a time,
at least once after an interrupted send, and gone with the person (/delete), the report,
retention and a delivery; nothing readable at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlmodel import col

from storage import alerts, talk
from storage.db import session_scope
from storage.erasure import delete_user_data, rename_pseudonym
from storage.housekeeping import run_housekeeping
from storage.models import Report, ReviewEvent, StaffAlert
from storage.reports import create_report
from tests.storage.helpers import KEY, dump_all_tables

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
PERSON = "a" * 64
TEXT = "🆘 Urgent report ABC: someone is held.\nHow to reach: LINE auntie_mai_77"


def test_retry_delay_doubles_from_five_seconds_to_a_quarter_hour() -> None:
    assert [alerts.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert alerts.retry_delay(8) == timedelta(seconds=640)
    assert alerts.retry_delay(9) == alerts.retry_delay(10_000) == timedelta(minutes=15)
    assert alerts.retry_delay(0) == timedelta(0)


def _report(engine: Engine) -> int:
    with session_scope(engine) as db:
        report = create_report(db, reporter_key=PERSON, kind="urgent_help", country="KH",
                               language="en", risk_level=None, flag_ids=[], narrative="held",
                               contacts=[], now=NOW)
        assert report.id is not None
        alerts.add_alert(db, text=TEXT, seal_key=KEY, report_id=report.id, reporter_key=PERSON,
                         now=NOW)
        return report.id


def _rows(engine: Engine) -> list[StaffAlert]:
    with session_scope(engine, read_only=True) as db:
        return list(db.execute(select(StaffAlert)).scalars())


def test_sealed_at_rest_and_taken_by_one_sender_at_a_time(engine: Engine) -> None:
    report_id = _report(engine)
    assert "auntie_mai" not in repr(dump_all_tables(engine))
    with session_scope(engine) as db:
        [alert_id] = alerts.due_alerts(db, now=NOW)
        assert alerts.claim_alert(db, alert_id=alert_id, sender="a", now=NOW,
                                  seal_key=KEY) == alerts.Claim(TEXT, maybe_sent=False)
    with session_scope(engine) as db:  # held: no other sender gets it, nor sees it due
        assert alerts.due_alerts(db, now=NOW + timedelta(seconds=30)) == []
        assert alerts.claim_alert(db, alert_id=alert_id, sender="b",
                                  now=NOW + timedelta(seconds=30), seal_key=KEY) is None
    # Sender "a" failed: back with a delay, the error kept for the staff app.
    with session_scope(engine) as db:
        alerts.retry_later(db, alert_id=alert_id, sender="a", now=NOW, error="BadRequest")
    with session_scope(engine) as db:
        assert alerts.due_alerts(db, now=NOW + timedelta(seconds=4)) == []
        assert alerts.due_alerts(db, now=NOW + timedelta(seconds=5)) == [alert_id]
        [waiting] = alerts.undelivered_alerts(db)
        assert (waiting.report_id, waiting.attempts, waiting.last_error) == (report_id, 1, "BadRequest")
        with session_scope(engine, read_only=True) as read:
            code = read.get_one(Report, report_id).receipt_code
        assert waiting.receipt_code == code


def test_an_interrupted_send_is_sent_again_after_the_lease_marked(engine: Engine) -> None:
    """At least once: a sender that took an alert and died (no delivered, no retry_later)
    leaves it to the next one once the lease has run out; that one learns, from the claim
    recorded before the send, that the alert may be in the staff chat already."""
    _report(engine)
    with session_scope(engine) as db:
        [alert_id] = alerts.due_alerts(db, now=NOW)
        assert alerts.claim_alert(db, alert_id=alert_id, sender="dead", now=NOW, seal_key=KEY)
    later = NOW + alerts.LEASE + timedelta(seconds=1)
    with session_scope(engine) as db:
        # The dead sender's late retry_later changes nothing once the lease went elsewhere.
        assert alerts.claim_alert(db, alert_id=alert_id, sender="next", now=later,
                                  seal_key=KEY) == alerts.Claim(TEXT, maybe_sent=True)
        alerts.retry_later(db, alert_id=alert_id, sender="dead", now=later, error="TimedOut")
    with session_scope(engine) as db:
        row = db.get_one(StaffAlert, alert_id)
        assert (row.sender, row.unconfirmed_at) == ("next", later)
        [waiting] = alerts.undelivered_alerts(db)
        assert waiting.maybe_sent
        alerts.delivered(db, alert_id=alert_id)
    assert _rows(engine) == []


def test_gone_with_the_person_the_report_and_retention(engine: Engine) -> None:
    report_id = _report(engine)
    with session_scope(engine) as db:  # an alert of a person in danger: no report
        alerts.add_alert(db, text="Signal +95 9 123", seal_key=KEY, reporter_key=PERSON, now=NOW)
        alerts.add_alert(db, text="someone else's", seal_key=KEY, reporter_key="b" * 64, now=NOW)
    with session_scope(engine) as db:
        summary = delete_user_data(db, user_key=PERSON)
    assert summary.staff_alerts == 2 and summary.reports == 1
    assert [row.reporter_key for row in _rows(engine)] == ["b" * 64]

    # The report's row going takes its alert with it (ON DELETE CASCADE), whoever deletes it.
    report_id = _report(engine)
    with session_scope(engine) as db:
        db.execute(delete(Report).where(col(Report.id) == report_id))
    assert [row.reporter_key for row in _rows(engine)] == ["b" * 64]

    # Key rotation: a waiting alert follows its person, so /delete still finds it.
    with session_scope(engine) as db:
        rename_pseudonym(db, old_key="b" * 64, new_key="c" * 64)
    assert [row.reporter_key for row in _rows(engine)] == ["c" * 64]

    # Retention: waiting longer than RETENTION_DAYS, it goes with the narratives.
    assert run_housekeeping(engine, retention_days=30, holder="t",
                            now=NOW + timedelta(days=29)) is not None
    assert len(_rows(engine)) == 1
    assert run_housekeeping(engine, retention_days=30, holder="t",
                            now=NOW + timedelta(days=31)) is not None
    assert _rows(engine) == []


def test_a_seal_that_no_longer_opens_is_dropped_not_retried(engine: Engine) -> None:
    _report(engine)
    with session_scope(engine) as db:
        [alert_id] = alerts.due_alerts(db, now=NOW)
        assert alerts.claim_alert(db, alert_id=alert_id, sender="a", now=NOW,
                                  seal_key=b"another-key-entirely-32-bytes-xx") is None
    assert _rows(engine) == []


def test_only_an_unknown_outcome_marks_the_alert(engine: Engine) -> None:
    """A failure that says Telegram did not take it (a refusal, a flood wait) retries plainly;
    one that leaves it unknown (a timeout) marks every later send, even after plain failures."""
    _report(engine)
    moment = NOW
    with session_scope(engine) as db:
        [alert_id] = alerts.due_alerts(db, now=moment)
    for unknown, marked in ((False, False), (True, True), (False, True)):
        with session_scope(engine) as db:
            claim = alerts.claim_alert(db, alert_id=alert_id, sender="a", now=moment, seal_key=KEY)
            assert claim is not None and claim.maybe_sent is (marked and not unknown)
            alerts.retry_later(db, alert_id=alert_id, sender="a", now=moment, error="E",
                               outcome_unknown=unknown)
        with session_scope(engine, read_only=True) as db:
            assert (db.get_one(StaffAlert, alert_id).unconfirmed_at is not None) is marked
        moment += alerts.LONGEST_RETRY
    with session_scope(engine) as db:
        claim = alerts.claim_alert(db, alert_id=alert_id, sender="b", now=moment, seal_key=KEY)
        assert claim == alerts.Claim(TEXT, maybe_sent=True)


def test_what_the_staff_app_reads_of_waiting_alerts_and_send_now(engine: Engine) -> None:
    """An alert without a report: its language and country; a report's: the report's. The
    person's open /talk case (same pseudonym), not a closed one nor someone else's. "Try again
    now" makes it due at once, audited; nothing when it is gone."""
    report_id = _report(engine)
    with session_scope(engine) as db:
        alone = alerts.add_alert(db, text="Signal +95 9 1", seal_key=KEY, reporter_key="b" * 64,
                                 language="my", country="MM", now=NOW + timedelta(seconds=1))
        talk.open_case(db, user_key="b" * 64, chat_id=1, seal_key=KEY, locale="my",
                       to_group=False, now=NOW)
        closed, _ = talk.open_case(db, user_key=PERSON, chat_id=2, seal_key=KEY, locale="en",
                                   to_group=False, now=NOW)
        assert closed.id is not None and alone.id is not None
        talk.close_case(db, case_id=closed.id, actor="staff", to_group=False, now=NOW)
        open_case = talk.open_case_of(db, user_key="b" * 64)
        assert open_case is not None
        alone_id, case_id = alone.id, open_case.id
    with session_scope(engine) as db:
        first, second = alerts.undelivered_alerts(db)
        assert (first.report_id, first.language, first.country, first.talk_case_id) == \
            (report_id, "en", "KH", None)
        assert (second.report_id, second.language, second.country, second.talk_case_id) == \
            (None, "my", "MM", case_id)
    later = NOW + timedelta(seconds=2)
    with session_scope(engine) as db:
        claim = alerts.claim_alert(db, alert_id=alone_id, sender="s", now=later, seal_key=KEY)
        assert claim is not None
    with session_scope(engine) as db:
        alerts.retry_later(db, alert_id=alone_id, sender="s", now=later, error="BadRequest")
    with session_scope(engine) as db:
        assert alerts.due_alerts(db, now=later) == [first.alert_id]  # 5 s to wait
        assert alerts.send_now(db, alert_id=alone_id, actor="ana", now=later)
    with session_scope(engine) as db:
        assert alerts.due_alerts(db, now=later) == [first.alert_id, alone_id]
        [event] = db.execute(select(ReviewEvent).where(
            col(ReviewEvent.action) == "alert_send_now")).scalars().all()
        assert (event.actor, event.note) == ("ana", f"staff alert {alone_id}")
        alerts.delivered(db, alert_id=alone_id)
    with session_scope(engine) as db:
        assert not alerts.send_now(db, alert_id=alone_id, actor="ana")
