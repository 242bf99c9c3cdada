"""Per-person rate limits kept in the database, so they hold across instances and restarts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, bindparam, delete, func, insert, select
from sqlmodel import Session, col

from storage.db import SqliteStatement, dialect_of, run_on_sqlite
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
    # An INSERT's row count is kept only when asked for (psycopg's would read -1).
    .execution_options(preserve_rowcount=True)
)
# On SQLite on the driver itself (storage.db.run_on_sqlite); RETURNING says whether it counted.
_SQLITE_COUNT_IF_ALLOWED = SqliteStatement(_COUNT_IF_ALLOWED.returning(_RATE_EVENT.c.id))


def allow_action(
    session: Session,
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
    if dialect_of(session) == "sqlite":
        return len(run_on_sqlite(session, _SQLITE_COUNT_IF_ALLOWED, parameters)) == 1
    result = session.execute(_COUNT_IF_ALLOWED, parameters)
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def prune_rate_events(
    session: Session, *, older_than: timedelta, now: datetime | None = None
) -> int:
    result = session.execute(
        delete(RateEvent).where(col(RateEvent.at) < (now or utcnow()) - older_than)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
