"""Staff actions on reports and contacts, each written to the review audit log (`ReviewEvent`)
in the caller's transaction: status, assignment, notes, confirmation, blocking a reporter.

Every function takes the session first and everything else by keyword; functions flush but
never commit.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import Session, col

from storage import changes
from storage.identity import identity_of
from storage.models import (
    Indicator,
    Report,
    ReportStatus,
    ReviewEvent,
    StaffUser,
    UserPrefs,
    utcnow,
)
from storage.reports import NOT_COUNTED


def _report_or_raise(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id, with_for_update=True)
    if report is None:
        raise LookupError(f"no report {report_id}")
    return report


def set_report_status(
    session: Session,
    *,
    actor: StaffUser,
    report_id: int,
    status: ReportStatus | str,
    note: str | None = None,
) -> Report:
    report = _report_or_raise(session, report_id)
    new_status = ReportStatus(status)
    session.add(ReviewEvent(actor=actor.username, report_id=report_id, action="status",
                            old=report.status.value, new=new_status.value, note=note))
    counted_before = report.status not in NOT_COUNTED
    report.status = new_status
    report.updated_at = utcnow()
    session.add(report)
    session.flush()
    if counted_before != (new_status not in NOT_COUNTED):  # the contacts' counts moved
        changes.record_report_changes(session, report_ids=[report_id])
    return report


def assign_report(
    session: Session, *, actor: StaffUser, report_id: int, assignee_id: int | None
) -> Report:
    report = _report_or_raise(session, report_id)
    session.add(ReviewEvent(
        actor=actor.username, report_id=report_id, action="assign",
        old=None if report.assignee_id is None else str(report.assignee_id),
        new=None if assignee_id is None else str(assignee_id),
    ))
    report.assignee_id = assignee_id
    report.updated_at = utcnow()
    session.add(report)
    session.flush()
    return report


def add_review_note(session: Session, *, actor: StaffUser, report_id: int, note: str) -> None:
    _report_or_raise(session, report_id)
    session.add(ReviewEvent(actor=actor.username, report_id=report_id, action="note", note=note))
    session.flush()


def review_history(session: Session, *, report_id: int) -> list[ReviewEvent]:
    statement = (
        select(ReviewEvent)
        .where(col(ReviewEvent.report_id) == report_id)
        .order_by(col(ReviewEvent.at), col(ReviewEvent.id))
    )
    return list(session.execute(statement).scalars())


def set_indicator_confirmed(
    session: Session,
    *,
    actor: StaffUser,
    indicator_id: int,
    confirmed: bool,
    note: str | None = None,
) -> Indicator:
    """Staff confirm (or withdraw) an indicator; confirmed indicators are what public look-ups
    present as known scam contacts."""
    indicator = session.get(Indicator, indicator_id, with_for_update=True)
    if indicator is None:
        raise LookupError(f"no indicator {indicator_id}")
    # One instant for the audit event and the contact: the STIX export reads `created` from
    # either (confirmed: the contact; revoked: the first confirm event) and they must agree.
    now = utcnow()
    session.add(ReviewEvent(actor=actor.username, indicator_id=indicator_id, action="confirm",
                            old=str(indicator.confirmed).lower(), new=str(confirmed).lower(),
                            note=note, at=now))
    was_confirmed = indicator.confirmed
    indicator.confirmed = confirmed
    if not confirmed:
        indicator.confirmed_at = None
    elif not was_confirmed:
        indicator.confirmed_at = now
    indicator.confirmed_by = actor.id if confirmed else None
    session.add(indicator)
    session.flush()
    if was_confirmed != confirmed:
        changes.record_changes(session, identities=[identity_of(indicator.type, indicator.value)],
                               event=changes.CONFIRMED if confirmed else changes.REVOKED)
    return indicator


def block_reporter(session: Session, *, actor: StaffUser, user_key: str) -> int:
    """Block an abusive reporter: their reports become spam (audited); returns how many."""
    prefs = session.get(UserPrefs, user_key) or UserPrefs(user_key=user_key)
    prefs.blocked = True
    prefs.updated_at = utcnow()
    session.add(prefs)
    report_ids = list(session.execute(
        select(col(Report.id), col(Report.status)).where(
            col(Report.reporter_key) == user_key, col(Report.status) != ReportStatus.spam
        )
    ).all())
    for report_id, old_status in report_ids:
        session.add(ReviewEvent(actor=actor.username, report_id=report_id, action="status",
                                old=ReportStatus(old_status).value, new=ReportStatus.spam.value,
                                note="reporter blocked"))
    session.execute(
        update(Report)
        .where(col(Report.reporter_key) == user_key, col(Report.status) != ReportStatus.spam)
        .values(status=ReportStatus.spam, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    changes.record_report_changes(session, report_ids=[report_id for report_id, _ in report_ids])
    return len(report_ids)


def unblock_reporter(session: Session, *, actor: StaffUser, user_key: str) -> int:
    """Undo `block_reporter`: the person's reports that the block made spam get back the status
    they had (read from the audit log; reports made spam for another reason stay spam).
    Returns how many reports changed."""
    prefs = session.get(UserPrefs, user_key)
    if prefs is None or not prefs.blocked:
        return 0
    prefs.blocked = False
    prefs.updated_at = utcnow()
    session.add(prefs)
    spam_ids = list(session.execute(
        select(col(Report.id)).where(col(Report.reporter_key) == user_key,
                                     col(Report.status) == ReportStatus.spam)
    ).scalars())
    restored: list[int] = []
    for report_id in spam_ids:
        last = session.execute(
            select(ReviewEvent)
            .where(col(ReviewEvent.report_id) == report_id, col(ReviewEvent.action) == "status")
            .order_by(col(ReviewEvent.at).desc(), col(ReviewEvent.id).desc())
        ).scalars().first()
        if last is None or last.note != "reporter blocked" or not last.old:
            continue
        report = session.get(Report, report_id)
        if report is None:
            continue
        report.status = ReportStatus(last.old)
        report.updated_at = utcnow()
        session.add(report)
        session.add(ReviewEvent(actor=actor.username, report_id=report_id, action="status",
                                old=ReportStatus.spam.value, new=last.old, note="reporter unblocked"))
        restored.append(report_id)
    session.flush()
    changes.record_report_changes(session, report_ids=restored)
    return len(restored)
