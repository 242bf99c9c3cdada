"""Reports, indicators, the review audit log, the safelist and data erasure.

Every function takes the session first and everything else by keyword. Functions flush but
never commit: the caller's `session_scope` decides the transaction.

Counting rule used everywhere (look-ups, statistics, top indicators): a report counts unless it
is `spam`, a `false_report` or a `duplicate`, or its reporter is blocked.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, and_, bindparam, cast, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from screening.contacts import ContactType
from screening.identity import identity
from storage import changes
from storage.db import dialect_insert
from storage.identity import identity_of
from storage.matching import index_report_text
from storage.models import (
    HAPPENED,
    RECEIPT_CODE_LENGTH,
    ConversationRow,
    InboundUpdate,
    InboxStatus,
    Indicator,
    RateEvent,
    Report,
    ReportIndicator,
    ReportKind,
    ReportStatus,
    ReviewEvent,
    SafelistEntry,
    StaffUser,
    TalkCase,
    UserPrefs,
    utcnow,
)
from storage.redact import ContactLike, redact_narrative
from storage.sealing import SealError, SealKeys, open_chat_id, seal_chat_id

CONTACT_TYPES = frozenset(contact_type.value for contact_type in ContactType)

# No 0/O, 1/I/L: read aloud or copied by hand without mistakes. 31**10 ≈ 8·10^14 codes.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NOT_COUNTED = (ReportStatus.spam, ReportStatus.false_report, ReportStatus.duplicate)
REVIEWED = (
    ReportStatus.confirmed,
    ReportStatus.false_report,
    ReportStatus.duplicate,
    ReportStatus.referred,
)
SYSTEM_ACTOR = "system"
REPORTER_ACTOR = "reporter"


@dataclass(frozen=True)
class IndicatorSummary:
    confirmed: bool
    report_count: int
    independent_reporters: int
    first_seen: datetime | None
    last_seen: datetime | None
    indicator_id: int | None = None


@dataclass(frozen=True)
class SharedReport:
    report: Report
    shared_indicators: int


@dataclass(frozen=True)
class DeletionSummary:
    reports: int
    indicators: int
    prefs: int
    conversations: int
    rate_events: int
    inbox_updates: int


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_CODE_LENGTH))


def normalise_receipt_code(code: str) -> str:
    """What a person types back ("abcd-efgh 23") in the stored form."""
    return re.sub(r"[\s-]", "", code).upper()


def _counted_report() -> ColumnElement[bool]:
    blocked = exists().where(
        col(UserPrefs.user_key) == col(Report.reporter_key), col(UserPrefs.blocked).is_(True)
    )
    return and_(col(Report.status).not_in(NOT_COUNTED), ~blocked)


# --- indicators -------------------------------------------------------------------------------


def _identities(contacts: Iterable[ContactLike]) -> dict[tuple[str, str], str | None]:
    """Each contact's identity (kind, value) once, with the channel of its first sighting."""
    found: dict[tuple[str, str], str | None] = {}
    for contact in contacts:
        key = identity(str(contact.type), contact.value)
        channel = getattr(contact, "channel", None)
        if key[0] == "phone" and channel is None:
            channel = str(contact.type)  # "phone" or "whatsapp"
        if key not in found or (found[key] in (None, "phone") and channel not in (None, "phone")):
            found[key] = channel
    return found


def _indicator_ids(
    session: Session, contacts: Iterable[ContactLike]
) -> dict[int, str | None]:
    """Ids of the indicators (contact identities) for `contacts`, created if new, with the
    channel each was sighted through; safelisted contacts are skipped (an embassy hotline a
    victim mentions must never look like a scam number)."""
    identities = _identities(contacts)
    safe = safelisted_contacts(session, contacts=identities)
    wanted = sorted(key for key in identities if key not in safe)
    if not wanted:
        return {}
    session.execute(
        dialect_insert(session)(Indicator)
        .values([{"type": t, "value": v, "confirmed": False} for t, v in wanted])
        .on_conflict_do_nothing(index_elements=["type", "value"])
    )
    conditions = [
        and_(col(Indicator.type) == t, col(Indicator.value) == v) for t, v in wanted
    ]
    rows = session.execute(
        select(col(Indicator.id), col(Indicator.type), col(Indicator.value)).where(or_(*conditions))
    )
    return {int(id_): identities[(type_, value)] for id_, type_, value in rows}


def _link_indicators(session: Session, *, report_id: int,
                     indicator_ids: dict[int, str | None]) -> None:
    if not indicator_ids:
        return
    session.execute(
        dialect_insert(session)(ReportIndicator)
        .values([{"report_id": report_id, "indicator_id": i, "channel": channel}
                 for i, channel in indicator_ids.items()])
        .on_conflict_do_nothing(index_elements=["indicator_id", "report_id"])
    )


# The look-ups run on every contact check (/check, /contact): built once, on the tables rather
# than the ORM entities, so a call costs one cached Core query and no object loading.
_INDICATOR = Indicator.__table__  # type: ignore[attr-defined]
_REPORT = Report.__table__  # type: ignore[attr-defined]
_REPORT_INDICATOR = ReportIndicator.__table__  # type: ignore[attr-defined]
_USER_PREFS = UserPrefs.__table__  # type: ignore[attr-defined]
_SAFELIST = SafelistEntry.__table__  # type: ignore[attr-defined]

# Every indicator whose value is asked for (the type is matched in Python: the value index
# serves the query), with its counted reports (`_counted_report` on the tables) joined
# outside, so an indicator no counted report names still comes back, with zero counts.
_LOOKUP_INDICATORS = (
    select(
        _INDICATOR.c.type,
        _INDICATOR.c.value,
        _INDICATOR.c.id,
        _INDICATOR.c.confirmed,
        func.count(_REPORT.c.id),
        func.count(func.distinct(_REPORT.c.reporter_key)),
        func.min(_REPORT.c.created_at),
        func.max(_REPORT.c.created_at),
    )
    .select_from(
        _INDICATOR.outerjoin(
            _REPORT_INDICATOR, _REPORT_INDICATOR.c.indicator_id == _INDICATOR.c.id
        ).outerjoin(
            _REPORT,
            and_(
                _REPORT.c.id == _REPORT_INDICATOR.c.report_id,
                _REPORT.c.status.not_in(NOT_COUNTED),
                ~exists().where(
                    _USER_PREFS.c.user_key == _REPORT.c.reporter_key,
                    _USER_PREFS.c.blocked.is_(True),
                ),
            ),
        )
    )
    .where(_INDICATOR.c.value.in_(bindparam("values", expanding=True)))
    .group_by(_INDICATOR.c.id, _INDICATOR.c.type, _INDICATOR.c.value, _INDICATOR.c.confirmed)
)
_UNKNOWN_INDICATOR = IndicatorSummary(False, 0, 0, None, None)


def lookup_indicators(
    session: Session, *, contacts: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], IndicatorSummary]:
    """What the database knows about each contact (type, normalised value), in one query.

    Every contact asked for is a key of the answer; one unknown to the database has no
    reports, is not confirmed and has no `indicator_id` (as `lookup_indicator`)."""
    asked = {(str(type_), value) for type_, value in contacts}
    found = dict.fromkeys(asked, _UNKNOWN_INDICATOR)
    if not asked:
        return found
    # Every spelling and channel of a contact is one identity (screening.identity).
    keys_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for pair in asked:
        keys_of.setdefault(identity(*pair), []).append(pair)
    rows = session.execute(
        _LOOKUP_INDICATORS, {"values": sorted({value for _type, value in keys_of})}
    )
    for type_, value, indicator_id, confirmed, reports, reporters, first, last in rows:
        for pair in keys_of.get((type_, value), ()):
            # min/max keep the column type: aware UTC datetimes on both engines.
            found[pair] = IndicatorSummary(
                confirmed=bool(confirmed),
                report_count=int(reports),
                independent_reporters=int(reporters),
                first_seen=first,
                last_seen=last,
                indicator_id=indicator_id,
            )
    return found


def lookup_indicator(session: Session, *, type: str, value: str) -> IndicatorSummary:
    """What the database knows about one contact (type + normalised value)."""
    return lookup_indicators(session, contacts=[(type, value)])[(str(type), value)]


def indicators_of_report(session: Session, *, report_id: int) -> list[Indicator]:
    statement = (
        select(Indicator)
        .join(ReportIndicator, col(ReportIndicator.indicator_id) == col(Indicator.id))
        .where(col(ReportIndicator.report_id) == report_id)
        .order_by(col(Indicator.type), col(Indicator.value))
    )
    return list(session.execute(statement).scalars())


def reports_sharing_indicators(
    session: Session, *, report_id: int, limit: int = 50
) -> list[SharedReport]:
    """Other reports naming at least one contact of this report, most shared contacts first."""
    mine = select(col(ReportIndicator.indicator_id)).where(
        col(ReportIndicator.report_id) == report_id
    )
    shared = func.count(col(ReportIndicator.indicator_id)).label("shared")
    statement = (
        select(Report, shared)
        .join(ReportIndicator, col(ReportIndicator.report_id) == col(Report.id))
        .where(col(ReportIndicator.indicator_id).in_(mine), col(Report.id) != report_id)
        .group_by(col(Report.id))
        .order_by(shared.desc(), col(Report.created_at).desc())
        .limit(limit)
    )
    return [SharedReport(report, int(count)) for report, count in session.execute(statement)]


def top_indicators(
    session: Session, *, since: datetime | None = None, limit: int = 20
) -> list[tuple[Indicator, int]]:
    """The contacts named in the most counted reports (since a date)."""
    reports = func.count(col(Report.id)).label("reports")
    statement = (
        select(Indicator, reports)
        .join(ReportIndicator, col(ReportIndicator.indicator_id) == col(Indicator.id))
        .join(Report, col(Report.id) == col(ReportIndicator.report_id))
        .where(_counted_report())
        .group_by(col(Indicator.id))
        .order_by(reports.desc(), col(Indicator.id))
        .limit(limit)
    )
    if since is not None:
        statement = statement.where(col(Report.created_at) >= since)
    return [(indicator, int(count)) for indicator, count in session.execute(statement)]


# --- reports ----------------------------------------------------------------------------------


def create_report(
    session: Session,
    *,
    reporter_key: str,
    kind: ReportKind | str,
    country: str | None,
    language: str | None,
    risk_level: str | None,
    flag_ids: Sequence[str],
    narrative: str | None,
    contacts: Sequence[ContactLike],
    reporter_identifiers: Iterable[str] = (),
    notify_chat_id: int | None = None,
    seal_key: SealKeys | None = None,
    now: datetime | None = None,
    offer_text: str | None = None,
    happened: str | None = None,
) -> Report:
    """Store a report; its `receipt_code` is what the reporter keeps.

    The narrative is redacted here (storage.redact), so no caller can store it unredacted:
    `reporter_identifiers` are the reporter's own phone/e-mail/username/names to remove,
    `contacts` the scammer's contacts (kept in the text, stored as indicators).
    `notify_chat_id`, for the opt-in "tell me when it is reviewed", is sealed with `seal_key`.
    `happened` is the reporter's "when" (one of `models.HAPPENED`; anything else is dropped).
    """
    if notify_chat_id is not None and seal_key is None:
        raise ValueError("notify_chat_id needs seal_key: chat ids are never stored in clear")
    country = country.upper() if country else None
    stored_narrative = (
        redact_narrative(
            narrative,
            reporter_contacts=reporter_identifiers,
            scammer_contacts=contacts,
            default_region=country,
        )
        if narrative
        else None
    )
    # The offer checked before reporting: redacted like the narrative, under the same consent.
    stored_offer = (
        redact_narrative(offer_text, reporter_contacts=reporter_identifiers,
                         scammer_contacts=contacts, default_region=country)
        if offer_text else None
    )
    created = now or utcnow()
    for _attempt in range(5):
        report = Report(
            receipt_code=new_receipt_code(),
            created_at=created,
            updated_at=created,
            kind=ReportKind(kind),
            country=country,
            language=language,
            risk_level=risk_level,
            flag_ids=list(flag_ids),
            narrative=stored_narrative,
            offer_text=stored_offer,
            happened=happened if happened in HAPPENED else None,
            reporter_key=reporter_key,
            notify_chat_sealed=(
                seal_chat_id(notify_chat_id, key=seal_key)
                if notify_chat_id is not None and seal_key is not None
                else None
            ),
        )
        try:
            with session.begin_nested():
                session.add(report)
                session.flush()
        except IntegrityError:
            continue  # receipt code collision: astronomically rare, draw another
        break
    else:
        raise RuntimeError("could not draw a unique receipt code")
    assert report.id is not None
    indicator_ids = _indicator_ids(session, contacts)
    _link_indicators(session, report_id=report.id, indicator_ids=indicator_ids)
    changes.record_indicator_changes(session, indicator_ids=list(indicator_ids))  # the partner feed
    index_report_text(session, report_id=report.id, text=stored_offer or stored_narrative)
    session.refresh(report)
    return report


def get_report_by_code(session: Session, *, receipt_code: str) -> Report | None:
    return session.execute(
        select(Report).where(col(Report.receipt_code) == normalise_receipt_code(receipt_code))
    ).scalar_one_or_none()


def add_to_report(
    session: Session,
    *,
    receipt_code: str,
    reporter_key: str,
    narrative: str | None,
    contacts: Sequence[ContactLike],
    reporter_identifiers: Iterable[str] = (),
    now: datetime | None = None,
) -> Report | None:
    """Add text and contacts to one's own report. None when the code is unknown or the report
    is someone else's (indistinguishable on purpose: codes can't be probed)."""
    report = session.execute(
        select(Report)
        .where(col(Report.receipt_code) == normalise_receipt_code(receipt_code))
        .with_for_update()
    ).scalar_one_or_none()
    if report is None or report.reporter_key != reporter_key:
        return None
    assert report.id is not None
    if narrative:
        addition = redact_narrative(
            narrative,
            reporter_contacts=reporter_identifiers,
            scammer_contacts=contacts,
            default_region=report.country,
        )
        report.narrative = f"{report.narrative}\n\n{addition}" if report.narrative else addition
        if not report.offer_text:
            session.add(report)
            session.flush()
            index_report_text(session, report_id=report.id, text=report.narrative)
    report.updated_at = now or utcnow()
    session.add(report)
    indicator_ids = _indicator_ids(session, contacts)
    _link_indicators(session, report_id=report.id, indicator_ids=indicator_ids)
    session.add(ReviewEvent(actor=REPORTER_ACTOR, report_id=report.id, action="addition",
                            at=report.updated_at))
    session.flush()
    changes.record_indicator_changes(session, indicator_ids=list(indicator_ids))
    return report


# --- statistics -------------------------------------------------------------------------------


def _counts_by(
    session: Session, key: Any, *, since: datetime | None, until: datetime | None
) -> list[tuple[Any, int]]:
    count = func.count(col(Report.id)).label("n")
    statement = select(key, count).where(_counted_report()).group_by(key)
    if since is not None:
        statement = statement.where(col(Report.created_at) >= since)
    if until is not None:
        statement = statement.where(col(Report.created_at) < until)
    return [(value, int(n)) for value, n in session.execute(statement)]


def counts_per_day(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[date, int]]:
    """Counted reports per UTC day, oldest first."""
    if session.get_bind().dialect.name == "postgresql":
        day: Any = cast(func.timezone("UTC", col(Report.created_at)), Date)
    else:
        day = func.date(col(Report.created_at))  # stored as naive UTC text
    rows = _counts_by(session, day.label("day"), since=since, until=until)
    parsed = [(d if isinstance(d, date) else date.fromisoformat(d), n) for d, n in rows]
    return sorted(parsed)


def _counts_desc(rows: list[tuple[Any, int]]) -> list[tuple[str | None, int]]:
    return sorted(
        ((str(value) if value is not None else None, n) for value, n in rows),
        key=lambda item: (-item[1], item[0] or ""),
    )


def counts_per_country(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[str | None, int]]:
    return _counts_desc(_counts_by(session, col(Report.country), since=since, until=until))


def counts_per_language(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[str | None, int]]:
    return _counts_desc(_counts_by(session, col(Report.language), since=since, until=until))


def counts_per_kind(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[str | None, int]]:
    rows = _counts_by(session, col(Report.kind), since=since, until=until)
    return _counts_desc([(ReportKind(k).value, n) for k, n in rows])


def counts_per_risk(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[str | None, int]]:
    return _counts_desc(_counts_by(session, col(Report.risk_level), since=since, until=until))


# --- staff actions (audited) ------------------------------------------------------------------


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


# --- notifications ----------------------------------------------------------------------------


def reports_awaiting_notification(session: Session, *, limit: int = 100) -> list[Report]:
    """Reviewed reports whose reporter asked to hear about it and was not told yet."""
    statement = (
        select(Report)
        .where(col(Report.notify_chat_sealed).is_not(None), col(Report.status).in_(REVIEWED))
        .order_by(col(Report.updated_at))
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


def take_notify_chat(session: Session, *, report_id: int, seal_key: SealKeys) -> int | None:
    """The chat to notify, erased from the database in the same step (one message only).
    A chat sealed under a key that is gone is erased too, and None returned: nobody can be told."""
    report = session.get(Report, report_id, with_for_update=True)
    if report is None or report.notify_chat_sealed is None:
        return None
    try:
        chat_id: int | None = open_chat_id(report.notify_chat_sealed, key=seal_key)
    except SealError:
        chat_id = None
    report.notify_chat_sealed = None
    session.add(report)
    session.flush()
    return chat_id


# --- privacy: erasure and retention -----------------------------------------------------------


def delete_user_data(session: Session, *, user_key: str) -> DeletionSummary:
    """Erase everything linked to a pseudonym (the /delete command).

    Gone: the person's reports and their indicator links, indicators no other report names
    and staff never confirmed, prefs, conversation, rate events, finished inbox rows. The audit
    log keeps that reviews happened but loses their notes (which may quote the narrative).
    A blocked person keeps a bare "blocked" marker, so /delete is no way around a block.
    """
    report_ids = list(session.execute(
        select(col(Report.id)).where(col(Report.reporter_key) == user_key)
    ).scalars())
    candidate_indicators: list[int] = []
    if report_ids:
        candidate_indicators = list(session.execute(
            select(col(ReportIndicator.indicator_id))
            .where(col(ReportIndicator.report_id).in_(report_ids))
            .distinct()
        ).scalars())
        session.execute(
            delete(ReportIndicator).where(col(ReportIndicator.report_id).in_(report_ids))
        )
        session.execute(
            update(ReviewEvent)
            .where(col(ReviewEvent.report_id).in_(report_ids))
            .values(note=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(delete(Report).where(col(Report.id).in_(report_ids)))
    deleted_indicators = 0
    if candidate_indicators:
        still_linked = exists().where(col(ReportIndicator.indicator_id) == col(Indicator.id))
        result = session.execute(
            delete(Indicator).where(
                col(Indicator.id).in_(candidate_indicators),
                col(Indicator.confirmed).is_(False),
                ~still_linked,
            )
        )
        deleted_indicators = int(result.rowcount)  # type: ignore[attr-defined]
    prefs = session.get(UserPrefs, user_key)
    prefs_deleted = 0
    if prefs is not None:
        if prefs.blocked:
            prefs.locale = prefs.country = None
            prefs.consent_store_reports = prefs.consent_notify = False
            session.add(prefs)
        else:
            session.delete(prefs)
            prefs_deleted = 1
    conversations = session.execute(
        delete(ConversationRow).where(col(ConversationRow.user_key) == user_key)
    )
    rate_events = session.execute(delete(RateEvent).where(col(RateEvent.user_key) == user_key))
    inbox = session.execute(
        delete(InboundUpdate).where(
            col(InboundUpdate.chat_key) == user_key,
            col(InboundUpdate.status).in_([InboxStatus.done, InboxStatus.failed]),
        )
    )
    if report_ids:
        session.add(ReviewEvent(actor=REPORTER_ACTOR, action="user_data_deleted",
                                new=f"{len(report_ids)} reports"))
    session.flush()
    # Confirmed contacts are never deleted, but their counts just dropped.
    changes.record_indicator_changes(session, indicator_ids=candidate_indicators)
    return DeletionSummary(
        reports=len(report_ids),
        indicators=deleted_indicators,
        prefs=prefs_deleted,
        conversations=int(conversations.rowcount),  # type: ignore[attr-defined]
        rate_events=int(rate_events.rowcount),  # type: ignore[attr-defined]
        inbox_updates=int(inbox.rowcount),  # type: ignore[attr-defined]
    )


def rename_pseudonym(session: Session, *, old_key: str, new_key: str) -> int:
    """Move a person's rows from their pseudonym under a retired key to the one under the new
    key (key rotation, storage/README.md); returns how many reports moved.

    Called by the dispatcher when someone writes whose old-key pseudonym still owns data. Rows
    the person already has under the new key win; a block under either key stays.
    """
    moved = session.execute(
        update(Report)
        .where(col(Report.reporter_key) == old_key)
        .values(reporter_key=new_key)
        .execution_options(synchronize_session=False)
    )
    old_prefs, new_prefs = session.get(UserPrefs, old_key), session.get(UserPrefs, new_key)
    if old_prefs is not None:
        if new_prefs is None:
            session.add(UserPrefs(**{**old_prefs.model_dump(), "user_key": new_key}))
        elif old_prefs.blocked:
            new_prefs.blocked = True
            session.add(new_prefs)
        session.delete(old_prefs)
    old_conversation = session.get(ConversationRow, old_key)
    if old_conversation is not None:
        if session.get(ConversationRow, new_key) is None:
            session.add(ConversationRow(**{**old_conversation.model_dump(), "user_key": new_key}))
        session.delete(old_conversation)
    session.execute(
        update(RateEvent)
        .where(col(RateEvent.user_key) == old_key)
        .values(user_key=new_key)
        .execution_options(synchronize_session=False)
    )
    # Talk to a person: the person's cases (open or closed) follow them, so /talk reopens the
    # same case and /delete still erases it.
    session.execute(
        update(TalkCase)
        .where(col(TalkCase.user_key) == old_key)
        .values(user_key=new_key)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(moved.rowcount)  # type: ignore[attr-defined]


def adopt_former_pseudonyms(session: Session, *, user_key: str,
                            former_user_keys: Sequence[str]) -> int:
    """Key rotation, wired: move whatever a person owns under pseudonyms of retired keys to
    `user_key` (`rename_pseudonym`); returns how many reports moved. Called by
    `storage.conversations.lock_conversation_with_prefs` when the person has no conversation
    under `user_key` yet, i.e. once per person and key."""
    moved = 0
    for old_key in former_user_keys:
        if old_key == user_key:
            continue
        owns = session.execute(
            select(
                exists().where(col(ConversationRow.user_key) == old_key)
                | exists().where(col(UserPrefs.user_key) == old_key)
                | exists().where(col(Report.reporter_key) == old_key)
                | exists().where(col(TalkCase.user_key) == old_key)
            )
        ).scalar()
        if owns:
            moved += rename_pseudonym(session, old_key=old_key, new_key=user_key)
    return moved


def purge_narratives(
    session: Session, *, older_than_days: int, now: datetime | None = None
) -> int:
    """Retention: clear narratives older than the limit; counts and indicators stay."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    result = session.execute(
        update(Report)
        .where(col(Report.created_at) < cutoff,
               or_(col(Report.narrative).is_not(None), col(Report.offer_text).is_not(None)))
        .values(narrative=None, offer_text=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# --- safelist ---------------------------------------------------------------------------------


_IS_SAFELISTED = (
    select(_SAFELIST.c.id)
    .where(_SAFELIST.c.type == bindparam("type"), _SAFELIST.c.value == bindparam("value"))
    .limit(1)
)
_SAFELISTED_AMONG = select(_SAFELIST.c.type, _SAFELIST.c.value).where(
    _SAFELIST.c.value.in_(bindparam("values", expanding=True))
)


def is_safelisted(session: Session, *, type: str, value: str) -> bool:
    kind, key = identity(str(type), value)
    return session.execute(_IS_SAFELISTED, {"type": kind, "value": key}).first() is not None


def safelisted_contacts(
    session: Session, *, contacts: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Those of the contacts (type, normalised value) whose identity is on the safelist, in
    one query (a WhatsApp link to an embassy's number is the embassy's number)."""
    asked = {(str(type_), value) for type_, value in contacts}
    if not asked:
        return set()
    keys_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for pair in asked:
        keys_of.setdefault(identity(*pair), []).append(pair)
    rows = session.execute(
        _SAFELISTED_AMONG, {"values": sorted({value for _type, value in keys_of})}
    )
    return {pair for type_, value in rows for pair in keys_of.get((type_, value), ())}


def add_safelist(
    session: Session, *, type: str, value: str, label: str, source: str
) -> SafelistEntry:
    """Mark a contact as legitimate (an embassy, a hotline, an NGO), by its identity; updates
    label and source if it is already there."""
    type, value = identity(str(type), value)
    entry = session.execute(
        select(SafelistEntry).where(
            col(SafelistEntry.type) == type, col(SafelistEntry.value) == value
        )
    ).scalar_one_or_none()
    if entry is None:
        entry = SafelistEntry(type=type, value=value, label=label, source=source)
    else:
        entry.label, entry.source = label, source
    session.add(entry)
    session.flush()
    if str(type) in CONTACT_TYPES:  # not the licensed-agency list
        changes.record_changes(session, identities=[identity_of(str(type), value)],
                               event=changes.UPDATED)
    return entry
