"""Per-person rate limits kept in the database, so they hold across instances and restarts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, bindparam, delete, func, insert, select
from sqlmodel import Session, col

from storage.db import Database, FixedStatement, run_fixed
from storage.models import RateEvent, utcnow

_RATE_EVENT = RateEvent.__table__  # type: ignore[attr-defined]
# Count and insert in one statement, built once on the table (this runs on every check and
# report): the event is inserted only while the person's recent events number fewer than
# the limit, and the row count says which happened.
_RECENT = (
    select(func.count())
    .select_from(_RATE_EVENT)
    .where(
        _RATE_EVENT.c.user_key == bindparam("user_key"),
        _RATE_EVENT.c.action == bindparam("action"),
        _RATE_EVENT.c.at > bindparam("since", type_=_RATE_EVENT.c.at.type),
    )
    .scalar_subquery()
)
_COUNT_IF_ALLOWED = (
    insert(_RATE_EVENT)
    .from_select(
        ["user_key", "action", "at"],
        select(
            bindparam("user_key", type_=_RATE_EVENT.c.user_key.type),
            bindparam("action", type_=_RATE_EVENT.c.action.type),
            bindparam("at", type_=_RATE_EVENT.c.at.type),
        ).where(bindparam("limit", type_=Integer) > _RECENT),
    )
    # RETURNING says whether it counted (on SQLite it runs on the driver: storage.db.run_fixed).
    .returning(_RATE_EVENT.c.id)
)
_COUNT_IF_ALLOWED_FIXED = FixedStatement(_COUNT_IF_ALLOWED)
# When a refused person may try again: their recent events, oldest first.
_RECENT_TIMES = FixedStatement(
    select(_RATE_EVENT.c.at)
    .where(_RATE_EVENT.c.user_key == bindparam("user_key"),
           _RATE_EVENT.c.action == bindparam("action"),
           _RATE_EVENT.c.at > bindparam("since", type_=_RATE_EVENT.c.at.type))
    .order_by(_RATE_EVENT.c.at))


def allow_action(
    session: Database,
    *,
    user_key: str,
    action: str,
    limit: int,
    window: timedelta,
    now: datetime | None = None,
) -> bool:
    """True (and the action is counted) when the person did `action` fewer than `limit` times
    in the last `window`; False otherwise (nothing is counted)."""
    moment = now or utcnow()
    parameters = {"user_key": user_key, "action": action, "at": moment, "since": moment - window,
                  "limit": limit}
    return len(run_fixed(session, _COUNT_IF_ALLOWED_FIXED, parameters)) == 1


def recent_action_times(session: Database, *, user_key: str, action: str,
                        since: datetime) -> list[datetime]:
    """When the person did `action` after `since`, oldest first."""
    parameters = {"user_key": user_key, "action": action, "since": since}
    return [row.at for row in run_fixed(session, _RECENT_TIMES, parameters)]


def prune_rate_events(
    session: Session, *, older_than: timedelta, now: datetime | None = None
) -> int:
    result = session.execute(
        delete(RateEvent).where(col(RateEvent.at) < (now or utcnow()) - older_than)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
