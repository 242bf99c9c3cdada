"""Reports: receipt codes, filing one (its contacts linked as indicators), additions, and the
reporter's notification of a review. Look-ups of contacts are `storage.indicators`, staff
actions `storage.review_actions`, statistics `storage.statistics`, erasure and retention
`storage.erasure`, the safelist `storage.safelist`.

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
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, and_, bindparam, exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from screening.identity import identity
from storage import changes
from storage.db import (
    Database,
    FixedStatement,
    dialect_of,
    list_parameter,
    one_of,
    run_fixed,
    run_fixed_many,
)
from storage.matching import add_report_bands, index_report_text, text_index
from storage.models import (
    HAPPENED,
    RECEIPT_CODE_LENGTH,
    Indicator,
    Report,
    ReportIndicator,
    ReportKind,
    ReportStatus,
    ReviewEvent,
    UserPrefs,
    utcnow,
)
from storage.redact import ContactLike, redact_narrative
from storage.safelist import safelisted_contacts
from storage.sealing import SealError, SealKeys, open_chat_id, seal_chat_id

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


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_CODE_LENGTH))


def normalise_receipt_code(code: str) -> str:
    """What a person types back ("abcd-efgh 23") in the stored form."""
    return re.sub(r"[\s-]", "", code).upper()


def counted_report() -> ColumnElement[bool]:
    """Whether a report counts: not spam, a false report or a duplicate, nor from a blocked
    reporter (the counting rule of the module docstring)."""
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
    session: Database, contacts: Iterable[ContactLike]
) -> dict[int, str | None]:
    """Ids of the indicators (contact identities) for `contacts`, created if new, with the
    channel each was sighted through; safelisted contacts are skipped (an embassy hotline a
    victim mentions must never look like a scam number)."""
    identities = _identities(contacts)
    safe = safelisted_contacts(session, contacts=identities)
    wanted = sorted(key for key in identities if key not in safe)
    if not wanted:
        return {}
    # Core statements built once (executemany, one parameter list; on SQLite on the driver): a
    # multi-row `.values([...])` through the ORM session was compiled afresh for every report.
    dialect = dialect_of(session)
    run_fixed_many(session, _ADD_INDICATOR, [{"type": t, "value": v} for t, v in wanted])
    rows = run_fixed(session, _INDICATOR_IDS, {
        "types": list_parameter(dialect, sorted({t for t, _v in wanted})),
        "values": list_parameter(dialect, sorted({v for _t, v in wanted}))})
    return {int(id_): identities[(type_, value)] for id_, type_, value in rows
            if (type_, value) in identities and (type_, value) not in safe}


_INDICATOR = Indicator.__table__  # type: ignore[attr-defined]
_REPORT_INDICATOR = ReportIndicator.__table__  # type: ignore[attr-defined]


def _indicator_statements(dialect: str) -> tuple[Any, Any, Any]:
    """(insert the new identities, read their ids, link them to a report), per dialect."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    add = (insert(_INDICATOR)
           .values(type=bindparam("type"), value=bindparam("value"), confirmed=False)
           .on_conflict_do_nothing(index_elements=["type", "value"]))
    ids = (select(_INDICATOR.c.id, _INDICATOR.c.type, _INDICATOR.c.value)
           .where(one_of(_INDICATOR.c.type, "types", String(), dialect),
                  one_of(_INDICATOR.c.value, "values", String(), dialect)))
    link = (insert(_REPORT_INDICATOR)
            .values(report_id=bindparam("report_id"), indicator_id=bindparam("indicator_id"),
                    channel=bindparam("channel"))
            .on_conflict_do_nothing(index_elements=["indicator_id", "report_id"]))
    return add, ids, link


_ADD_INDICATOR, _INDICATOR_IDS, _LINK_INDICATOR = (
    FixedStatement(sqlite, postgresql=postgresql) for sqlite, postgresql
    in zip(_indicator_statements("sqlite"), _indicator_statements("postgresql"), strict=True))


def _link_indicators(session: Database, *, report_id: int,
                     indicator_ids: dict[int, str | None]) -> None:
    run_fixed_many(session, _LINK_INDICATOR, [
        {"report_id": report_id, "indicator_id": i, "channel": channel}
        for i, channel in indicator_ids.items()])


# --- reports ----------------------------------------------------------------------------------

_REPORT = Report.__table__  # type: ignore[attr-defined]
_REPORT_COLUMNS = tuple(column.name for column in _REPORT.columns if column.name != "id")


def _insert_report(dialect: str) -> Any:
    """A report's row, every column named; nothing when its receipt code is taken."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (insert(_REPORT)
            .values({name: bindparam(name, type_=_REPORT.c[name].type) for name in _REPORT_COLUMNS})
            .on_conflict_do_nothing(index_elements=["receipt_code"])
            .returning(_REPORT.c.id))


_INSERT_REPORT = FixedStatement(_insert_report("sqlite"), postgresql=_insert_report("postgresql"))


@dataclass(frozen=True, slots=True)
class FiledReport:
    """A report just stored by `file_report`: what the flow that filed it shows (the receipt
    code) and what a staff alert reads (handlers/staff_alerts.py), without an ORM object."""

    id: int
    receipt_code: str
    kind: ReportKind
    risk_level: str | None
    country: str | None
    language: str | None


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
    """Store a report; its `receipt_code` is what the reporter keeps. `file_report`, with the
    row as an ORM object of `session` (persistent, every column loaded: no re-read)."""
    report_id, values = _store_report(
        session, reporter_key=reporter_key, kind=kind, country=country, language=language,
        risk_level=risk_level, flag_ids=flag_ids, narrative=narrative, contacts=contacts,
        reporter_identifiers=reporter_identifiers, notify_chat_id=notify_chat_id,
        seal_key=seal_key, now=now, offer_text=offer_text, happened=happened)
    report = Report(id=report_id, **values)
    make_transient_to_detached(report)
    session.add(report)
    return report


def file_report(
    db: Database,
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
) -> FiledReport:
    """Store a report; its `receipt_code` is what the reporter keeps.

    The narrative is redacted here (storage.redact), so no caller can store it unredacted:
    `reporter_identifiers` are the reporter's own phone/e-mail/username/names to remove,
    `contacts` the scammer's contacts (kept in the text, stored as indicators).
    `notify_chat_id`, for the opt-in "tell me when it is reviewed", is sealed with `seal_key`.
    `happened` is the reporter's "when" (one of `models.HAPPENED`; anything else is dropped).

    Fixed Core statements only (`run_fixed`; on SQLite on the driver): a flow step files its
    report in its transaction without making the ORM session and a `Report` object (their
    bookkeeping cost more CPU than the statements, bench/RESULTS.md, issue 21). The same rows
    as `create_report`, which is this with the row as an ORM object."""
    report_id, values = _store_report(
        db, reporter_key=reporter_key, kind=kind, country=country, language=language,
        risk_level=risk_level, flag_ids=flag_ids, narrative=narrative, contacts=contacts,
        reporter_identifiers=reporter_identifiers, notify_chat_id=notify_chat_id,
        seal_key=seal_key, now=now, offer_text=offer_text, happened=happened)
    return FiledReport(id=report_id, receipt_code=values["receipt_code"], kind=values["kind"],
                       risk_level=values["risk_level"], country=values["country"],
                       language=values["language"])


def _store_report(
    db: Database,
    *,
    reporter_key: str,
    kind: ReportKind | str,
    country: str | None,
    language: str | None,
    risk_level: str | None,
    flag_ids: Sequence[str],
    narrative: str | None,
    contacts: Sequence[ContactLike],
    reporter_identifiers: Iterable[str],
    notify_chat_id: int | None,
    seal_key: SealKeys | None,
    now: datetime | None,
    offer_text: str | None,
    happened: str | None,
) -> tuple[int, dict[str, Any]]:
    """`file_report`'s work: the new report's id and its row's values (every column but the id,
    as `Report(...)` with these arguments has them)."""
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
    # Indexed from the text stored (the offer, else the narrative): the signature goes into the
    # row as it is inserted, its band keys after (no UPDATE of the row just written).
    signature, band_keys = text_index(stored_offer or stored_narrative)
    created = now or utcnow()
    if created.tzinfo is not None:  # in UTC, as the database gives it back (not re-read below)
        created = created.astimezone(UTC)
    values: dict[str, Any] = {
        "created_at": created,
        "updated_at": created,
        "kind": ReportKind(kind),
        "country": country,
        "language": language,
        "risk_level": risk_level,
        "flag_ids": list(flag_ids),
        "narrative": stored_narrative,
        "offer_text": stored_offer,
        "happened": happened if happened in HAPPENED else None,
        "status": ReportStatus.new,  # the model's defaults, named
        "assignee_id": None,
        "reporter_key": reporter_key,
        "text_signature": signature,
        "notify_chat_sealed": (
            seal_chat_id(notify_chat_id, key=seal_key)
            if notify_chat_id is not None and seal_key is not None
            else None
        ),
    }
    for _attempt in range(5):
        values["receipt_code"] = new_receipt_code()
        # One Core INSERT (on SQLite on the driver): a receipt code already taken inserts
        # nothing.
        inserted = run_fixed(db, _INSERT_REPORT, values)
        if not inserted:
            continue  # receipt code collision: astronomically rare, draw another
        break
    else:
        raise RuntimeError("could not draw a unique receipt code")
    report_id = int(inserted[0].id)
    indicator_ids = _indicator_ids(db, contacts)
    _link_indicators(db, report_id=report_id, indicator_ids=indicator_ids)
    add_report_bands(db, report_id=report_id, band_keys=band_keys)
    # The partner feed last: its counter is the last lock a transaction takes (storage.changes).
    changes.record_indicator_changes(db, indicator_ids=list(indicator_ids))
    return report_id, values


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
