"""The outbox of alerts to the staff chat (`STAFF_CHAT_ID`), delivered by `bot/alerts.py`.

An alert is stored (`add_alert`) in the transaction that stores what it is about: the urgent
report of a relative (`handlers/help_now.py`), a report that needs a look at once
(`handlers/staff_alerts.py`), or the message of a person in danger. So it exists exactly when
that exists: a step that fails stores neither, and a re-delivered update replays its kept
replies without storing the alert again. Nothing about the person's own reply waits for it.

Delivery is **at least once, and once wherever the Bot API lets us know**. A sender takes an
alert with a lease (`claim_alert`: one conditional UPDATE, atomic on both engines, so of several
instances one sends it), committed before the Bot API call: the record of the intent. It sends
it, and deletes it (`delivered`). A failure that says Telegram did not take it (a refusal, a
flood wait, no connection made) puts it back with a growing delay (`retry_delay`: 5 s doubling
to 15 min, for ever: a wrong STAFF_CHAT_ID or a bot removed from the group is fixed by a person,
and what waited is then delivered). The Bot API has no idempotency key and no way to read the
chat back, so when the outcome is unknown the alert is sent again, marked: `unconfirmed_at`
is set, and `bot/alerts.py` opens the resend with a line saying it may repeat one already in
the chat. The outcome is unknown when an attempt timed out or its connection broke after the
request went out (`retry_later(outcome_unknown=True)`), or when a claim finds the lease of an
earlier sender that ran out with neither a `delivered` nor a `retry_later` (a crash between the
send and its record: the intent was recorded, its end was not). `bot/alerts.py` narrows that
window: a stop lets the alert being sent finish and be recorded, and a record that fails after
Telegram took the alert is kept and written later, not sent again. What remains is a process
killed inside the HTTP call or before the record commits: staff then see the alert twice, the
second one marked, never none. Unlike the person's messages in /talk (`storage/talk.py`, at
most once), a duplicate here costs a glance (the same receipt code twice) and a lost one can
cost someone held in a compound their one call.

Privacy: the text (what the staff chat will read, the contact a person typed included) is
sealed; the row holds the pseudonym only, and goes with the report (ON DELETE CASCADE), with
/delete (`erase_alerts`), at retention (`purge_alerts`) and once delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, or_, select, update
from sqlmodel import Session, col

from storage.models import Report, ReviewEvent, StaffAlert, TalkCase, TalkStatus, utcnow
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
              reporter_key: str | None = None, language: str | None = None,
              country: str | None = None, now: datetime | None = None) -> StaffAlert:
    """Store an alert (HTML for the staff chat) for the sender; flushes, never commits.
    `language` and `country` (an alert without a report): what the staff app shows of it."""
    moment = now or utcnow()
    alert = StaffAlert(created_at=moment, next_attempt_at=moment, report_id=report_id,
                       reporter_key=reporter_key, language=language, country=country,
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


@dataclass(frozen=True)
class Claim:
    """An alert taken for sending: its text, and whether an earlier attempt may have reached
    the staff chat already (then the send says it may be a repeat)."""

    text: str
    maybe_sent: bool


def claim_alert(session: Session, *, alert_id: int, sender: str, now: datetime,
                seal_key: SealKeys, lease: timedelta = LEASE) -> Claim | None:
    """Take the alert for `lease` and return it, or None: another sender has it, it is gone, or
    its seal no longer opens (the key was lost: it is deleted, its report stays in the staff
    app's queue). Taking an alert whose earlier lease ran out unresolved (`sender` still set:
    that sender stopped between its send and its record) marks it unconfirmed, in the same
    UPDATE (its right-hand sides read the row as it was)."""
    free = or_(col(StaffAlert.sending_until).is_(None), col(StaffAlert.sending_until) < now)
    taken = session.execute(update(StaffAlert).where(
        col(StaffAlert.id) == alert_id, col(StaffAlert.next_attempt_at) <= now, free)
        .values(sender=sender[:64], sending_until=now + lease,
                unconfirmed_at=case((col(StaffAlert.sender).is_not(None),
                                     func.coalesce(col(StaffAlert.unconfirmed_at), now)),
                                    else_=col(StaffAlert.unconfirmed_at)))
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    if not taken:
        return None
    sealed, unconfirmed_at = session.execute(
        select(col(StaffAlert.text_sealed), col(StaffAlert.unconfirmed_at))
        .where(col(StaffAlert.id) == alert_id)).one()
    try:
        text = unseal(sealed, key=seal_key, purpose=STAFF_ALERT).decode("utf-8")
    except SealError:
        session.execute(delete(StaffAlert).where(col(StaffAlert.id) == alert_id))
        return None
    return Claim(text=text, maybe_sent=unconfirmed_at is not None)


def delivered(session: Session, *, alert_id: int) -> None:
    """Telegram took it: the alert and its text go."""
    session.execute(delete(StaffAlert).where(col(StaffAlert.id) == alert_id))


def retry_later(session: Session, *, alert_id: int, sender: str, now: datetime, error: str,
                at_least: timedelta = timedelta(0), outcome_unknown: bool = False) -> None:
    """The attempt failed: try again after `retry_delay` (or `at_least`, a flood wait), lease
    given back. Only by the sender holding it, so a sender that lost its lease changes nothing.
    `outcome_unknown`: the failure came after the request may have reached Telegram (a timeout,
    a broken connection), so the alert may be in the staff chat: marked unconfirmed."""
    alert = session.get(StaffAlert, alert_id)
    if alert is None or alert.sender != sender[:64]:
        return
    if outcome_unknown and alert.unconfirmed_at is None:
        alert.unconfirmed_at = now
    alert.attempts += 1
    alert.next_attempt_at = now + max(retry_delay(alert.attempts), at_least)
    alert.last_error = error[:64]
    alert.sender = alert.sending_until = None
    session.add(alert)
    session.flush()


@dataclass(frozen=True)
class Undelivered:
    """An alert the staff chat has not received yet (as far as the bot knows), as the staff app
    shows it. Not its text: it is sealed, and the staff app has no sealing key. For an alert
    without a report (a person in danger), the person's language and country, and their open
    conversation if they started one (/talk): where staff can write to them meanwhile. Never
    who the person is (not even the pseudonym)."""

    alert_id: int
    created_at: datetime
    attempts: int
    last_error: str | None
    report_id: int | None
    receipt_code: str | None
    language: str | None = None
    country: str | None = None
    # An attempt may have reached the staff chat (its outcome is unknown).
    maybe_sent: bool = False
    # The person's newest open /talk case (same pseudonym), if any.
    talk_case_id: int | None = None


def undelivered_alerts(session: Session, *, limit: int = 50) -> list[Undelivered]:
    """Alerts waiting for the staff chat, oldest first, with their report's receipt code."""
    case_of_person = (
        select(func.max(col(TalkCase.id)))
        .where(col(TalkCase.user_key) == col(StaffAlert.reporter_key),
               col(TalkCase.status) == TalkStatus.open)
        .correlate(StaffAlert).scalar_subquery())
    rows = session.execute(
        select(col(StaffAlert.id), col(StaffAlert.created_at), col(StaffAlert.attempts),
               col(StaffAlert.last_error), col(StaffAlert.report_id), col(Report.receipt_code),
               func.coalesce(col(StaffAlert.language), col(Report.language)),
               func.coalesce(col(StaffAlert.country), col(Report.country)),
               col(StaffAlert.unconfirmed_at), case_of_person)
        .outerjoin(Report, col(Report.id) == col(StaffAlert.report_id))
        .order_by(col(StaffAlert.created_at), col(StaffAlert.id)).limit(limit)).all()
    return [Undelivered(int(alert_id), created_at, int(attempts), last_error, report_id, code,
                        language, country, unconfirmed_at is not None,
                        None if case_id is None else int(case_id))
            for (alert_id, created_at, attempts, last_error, report_id, code, language, country,
                 unconfirmed_at, case_id) in rows]


def send_now(session: Session, *, alert_id: int, actor: str, now: datetime | None = None) -> bool:
    """Staff asked (once STAFF_CHAT_ID or the bot's place in the chat is fixed): the waiting
    alert is due now instead of after its growing delay (up to 15 min). Audited. False: it was
    delivered or erased meanwhile."""
    moment = now or utcnow()
    alert = session.get(StaffAlert, alert_id)
    if alert is None:
        return False
    if alert.next_attempt_at > moment:
        alert.next_attempt_at = moment
        session.add(alert)
    session.add(ReviewEvent(actor=actor[:64], report_id=alert.report_id, action="alert_send_now",
                            note=f"staff alert {alert_id}", at=moment))
    session.flush()
    return True


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
