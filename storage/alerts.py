"""The outbox of alerts to the staff chat (`STAFF_CHAT_ID`), delivered by `bot/alerts.py`.

An alert is stored (`add_alert`) in the transaction that stores what it is about: the urgent
report of a relative (`handlers/help_now.py`), a report that needs a look at once
(`handlers/staff_alerts.py`), or the message of a person in danger. So it exists exactly when
that exists: a step that fails stores neither, and a re-delivered update replays its kept
replies without storing the alert again. Nothing about the person's own reply waits for it.

Delivery is **at least once**. A sender takes an alert with a lease (`claim_alert`: one
conditional UPDATE, atomic on both engines, so of several instances one sends it), sends it,
and deletes it (`delivered`). A failure puts it back with a growing delay (`retry_delay`:
5 s doubling to 15 min, for ever: a wrong STAFF_CHAT_ID or a bot removed from the group is
fixed by a person, and what waited is then delivered). A sender that stops between the send
and the delete (a crash, a timeout whose answer never came) leaves the lease to run out, and
the alert is sent again: staff may see one alert twice, never none. Unlike the person's
messages in /talk (`storage/talk.py`, at most once), a duplicate here costs a glance (the
same receipt code twice) and a lost one can cost someone held in a compound their one call.

Privacy: the text (what the staff chat will read, the contact a person typed included) is
sealed; the row holds the pseudonym only, and goes with the report (ON DELETE CASCADE), with
/delete (`erase_alerts`), at retention (`purge_alerts`) and once delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlmodel import Session, col

from storage.models import Report, StaffAlert, utcnow
from storage.sealing import SealError, SealKeys, seal, unseal

STAFF_ALERT = "staff-alert"
FIRST_RETRY = timedelta(seconds=5)
LONGEST_RETRY = timedelta(minutes=15)
LEASE = timedelta(seconds=60)


def retry_delay(attempts: int, *, first: timedelta = FIRST_RETRY,
                longest: timedelta = LONGEST_RETRY) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1, 2, …): `first`, doubling,
    never more than `longest`."""
    if attempts < 1:
        return timedelta(0)
    return min(longest, first * 2 ** min(attempts - 1, 30))


def add_alert(session: Session, *, text: str, seal_key: SealKeys, report_id: int | None = None,
              reporter_key: str | None = None, now: datetime | None = None) -> StaffAlert:
    """Store an alert (HTML for the staff chat) for the sender; flushes, never commits."""
    moment = now or utcnow()
    alert = StaffAlert(created_at=moment, next_attempt_at=moment, report_id=report_id,
                       reporter_key=reporter_key,
                       text_sealed=seal(text.encode("utf-8"), key=seal_key, purpose=STAFF_ALERT))
    session.add(alert)
    session.flush()
    return alert


def due_alerts(session: Session, *, now: datetime, limit: int = 16) -> list[int]:
    """Alerts to try now whose lease is free, oldest first."""
    return [int(alert_id) for alert_id in session.execute(
        select(col(StaffAlert.id)).where(
            col(StaffAlert.next_attempt_at) <= now,
            or_(col(StaffAlert.sending_until).is_(None), col(StaffAlert.sending_until) < now))
        .order_by(col(StaffAlert.next_attempt_at), col(StaffAlert.id)).limit(limit)).scalars()]


def claim_alert(session: Session, *, alert_id: int, sender: str, now: datetime,
                seal_key: SealKeys, lease: timedelta = LEASE) -> str | None:
    """Take the alert for `lease` and return its text, or None: another sender has it, it is
    gone, or its seal no longer opens (the key was lost: it is deleted, its report stays in the
    staff app's queue)."""
    taken = session.execute(update(StaffAlert).where(
        col(StaffAlert.id) == alert_id, col(StaffAlert.next_attempt_at) <= now,
        or_(col(StaffAlert.sending_until).is_(None), col(StaffAlert.sending_until) < now))
        .values(sender=sender[:64], sending_until=now + lease)
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    if not taken:
        return None
    sealed = session.execute(select(col(StaffAlert.text_sealed))
                             .where(col(StaffAlert.id) == alert_id)).scalar_one()
    try:
        return unseal(sealed, key=seal_key, purpose=STAFF_ALERT).decode("utf-8")
    except SealError:
        session.execute(delete(StaffAlert).where(col(StaffAlert.id) == alert_id))
        return None


def delivered(session: Session, *, alert_id: int) -> None:
    """Telegram took it: the alert and its text go."""
    session.execute(delete(StaffAlert).where(col(StaffAlert.id) == alert_id))


def retry_later(session: Session, *, alert_id: int, sender: str, now: datetime, error: str,
                at_least: timedelta = timedelta(0)) -> None:
    """The attempt failed: try again after `retry_delay` (or `at_least`, a flood wait), lease
    given back. Only by the sender holding it, so a sender that lost its lease changes nothing."""
    alert = session.get(StaffAlert, alert_id)
    if alert is None or alert.sender != sender[:64]:
        return
    alert.attempts += 1
    alert.next_attempt_at = now + max(retry_delay(alert.attempts), at_least)
    alert.last_error = error[:64]
    alert.sender = alert.sending_until = None
    session.add(alert)
    session.flush()


@dataclass(frozen=True)
class Undelivered:
    """An alert the staff chat has not received yet, as the staff app shows it (no text: it is
    sealed, and the staff app has no sealing key)."""

    alert_id: int
    created_at: datetime
    attempts: int
    last_error: str | None
    report_id: int | None
    receipt_code: str | None


def undelivered_alerts(session: Session, *, limit: int = 50) -> list[Undelivered]:
    """Alerts waiting for the staff chat, oldest first, with their report's receipt code."""
    rows = session.execute(
        select(col(StaffAlert.id), col(StaffAlert.created_at), col(StaffAlert.attempts),
               col(StaffAlert.last_error), col(StaffAlert.report_id), col(Report.receipt_code))
        .outerjoin(Report, col(Report.id) == col(StaffAlert.report_id))
        .order_by(col(StaffAlert.created_at), col(StaffAlert.id)).limit(limit)).all()
    return [Undelivered(int(alert_id), created_at, int(attempts), last_error, report_id, code)
            for alert_id, created_at, attempts, last_error, report_id, code in rows]


def erase_alerts(session: Session, *, user_key: str) -> int:
    """/delete: the person's alerts not yet sent are never sent (those of their reports go with
    the reports too)."""
    return int(session.execute(delete(StaffAlert).where(
        col(StaffAlert.reporter_key) == user_key)).rowcount)  # type: ignore[attr-defined]


def rename_alerts(session: Session, *, old_key: str, new_key: str) -> None:
    """Key rotation: waiting alerts follow their person's new pseudonym (so /delete finds them)."""
    session.execute(update(StaffAlert).where(col(StaffAlert.reporter_key) == old_key)
                    .values(reporter_key=new_key).execution_options(synchronize_session=False))


def purge_alerts(session: Session, *, older_than_days: int, now: datetime | None = None) -> int:
    """Retention (RETENTION_DAYS): an alert still waiting when its report's narrative is purged
    goes too; what it says is no longer kept anywhere else."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    return int(session.execute(delete(StaffAlert).where(
        col(StaffAlert.created_at) < cutoff)).rowcount)  # type: ignore[attr-defined]
