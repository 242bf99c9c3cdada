"""The identity change log behind the partner feed (`GET /api/v1/changes?since=<cursor>`).

Why not an autoincrement id: on PostgreSQL two transactions draw ids 10 and 11, 11 commits
first, a partner reads up to 11 and resumes "after 11" — and never sees 10. Here every writer
draws its numbers by `UPDATE feed_counter SET value = value + n … RETURNING`, whose row lock is
held until commit: the next writer (any instance) only gets its numbers once the previous one
committed or rolled back, so what a reader sees is always a gap-free prefix 1…N. On SQLite the
write lock (BEGIN IMMEDIATE) already serialises writers.

Keep the counter the last lock a transaction takes (only inserts into `identity_change`
follow it), so it cannot take part in a deadlock. Events:
- `confirmed` / `revoked`: staff confirmed a contact, or withdrew the confirmation;
- `updated`: a confirmed identity changed (a report naming it was added, re-classified or
  erased, its reporter blocked) or a safelist entry was added or removed.
The feed line carries the identity's state when it is read, not a copy of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import BigInteger, Integer, bindparam, insert, select, update
from sqlmodel import Session, col

from storage.db import (
    Database,
    FixedStatement,
    dialect_of,
    list_parameter,
    one_of,
    run_fixed,
    run_fixed_many,
)
from storage.identity import IdentityKey, identity_of
from storage.models import FeedCounter, IdentityChange, Indicator, ReportIndicator, utcnow

CONFIRMED = "confirmed"
REVOKED = "revoked"
UPDATED = "updated"
EVENTS = (CONFIRMED, REVOKED, UPDATED)
_COUNTER_ID = 1


def record_changes(session: Database, *, identities: Iterable[IdentityKey], event: str) -> int:
    """Append one change per identity (each once); returns how many were written. Core
    statements (`run_fixed`), so a flow step files a report without its ORM session."""
    if event not in EVENTS:
        raise ValueError(f"unknown change event {event!r}")
    wanted = sorted(set(identities))
    if not wanted:
        return 0
    if isinstance(session, Session):
        session.flush()  # everything else of this transaction first: the counter is the last lock
    last = run_fixed(session, _DRAW_SEQ, {"counter_id": _COUNTER_ID, "count": len(wanted)})[0].value
    first = int(last) - len(wanted) + 1
    now = utcnow()
    run_fixed_many(session, _ADD_CHANGE, [
        {"seq": first + offset, "at": now, "kind": kind, "key": key, "event": event}
        for offset, (kind, key) in enumerate(wanted)])
    return len(wanted)


_COUNTER = FeedCounter.__table__  # type: ignore[attr-defined]
_CHANGE = IdentityChange.__table__  # type: ignore[attr-defined]
# Built once: a report filed naming a confirmed contact records its change in the flow step's
# transaction, without the step's ORM session (on SQLite on the driver).
_DRAW_SEQ = FixedStatement(
    update(_COUNTER).where(_COUNTER.c.id == bindparam("counter_id"))
    .values(value=_COUNTER.c.value + bindparam("count", type_=BigInteger()))
    .returning(_COUNTER.c.value))
_ADD_CHANGE = FixedStatement(insert(_CHANGE).values(
    {name: bindparam(name, type_=_CHANGE.c[name].type)
     for name in ("seq", "at", "kind", "key", "event")}))


def record_indicator_changes(session: Database, *, indicator_ids: Sequence[int],
                             event: str = UPDATED, confirmed_only: bool = True) -> int:
    """Record a change for the identities of these indicators (by default: the confirmed ones,
    the only ones the feed follows)."""
    if not indicator_ids:
        return 0
    dialect = dialect_of(session)
    rows = run_fixed(session, _IDENTITIES_OF[confirmed_only],
                     {"ids": list_parameter(dialect, sorted(set(indicator_ids)))})
    identities = [identity_of(type_, value) for type_, value in rows]
    return record_changes(session, identities=identities, event=event)


_INDICATOR = Indicator.__table__  # type: ignore[attr-defined]


def _identities_of(dialect: str, *, confirmed_only: bool) -> Any:
    """The (type, value) of the indicators whose ids are the one parameter `ids`."""
    statement = select(_INDICATOR.c.type, _INDICATOR.c.value).where(
        one_of(_INDICATOR.c.id, "ids", Integer(), dialect))
    return (statement.where(_INDICATOR.c.confirmed.is_(True)) if confirmed_only
            else statement)


# Built once (every report filed with a contact asks; on SQLite on the driver).
_IDENTITIES_OF = {
    confirmed_only: FixedStatement(
        _identities_of("sqlite", confirmed_only=confirmed_only),
        postgresql=_identities_of("postgresql", confirmed_only=confirmed_only))
    for confirmed_only in (True, False)
}


def record_report_changes(session: Session, *, report_ids: Sequence[int]) -> int:
    """Record `updated` for the confirmed identities these reports name (their counts move)."""
    if not report_ids:
        return 0
    indicator_ids = list(session.execute(
        select(col(ReportIndicator.indicator_id))
        .where(col(ReportIndicator.report_id).in_(sorted(set(report_ids)))).distinct()
    ).scalars())
    return record_indicator_changes(session, indicator_ids=indicator_ids)


def changes_since(session: Session, *, since: int, limit: int) -> list[IdentityChange]:
    """Changes with `seq > since`, oldest first, at most `limit`."""
    return list(session.execute(
        select(IdentityChange).where(col(IdentityChange.seq) > since)
        .order_by(col(IdentityChange.seq)).limit(limit)
    ).scalars())
