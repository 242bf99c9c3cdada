"""Per-person rate limits kept in the database, so they hold across instances and restarts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from storage.models import RateEvent, utcnow


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
    recent = session.execute(
        select(func.count()).where(
            col(RateEvent.user_key) == user_key,
            col(RateEvent.action) == action,
            col(RateEvent.at) > moment - window,
        )
    ).scalar_one()
    if recent >= limit:
        return False
    session.add(RateEvent(user_key=user_key, action=action, at=moment))
    session.flush()
    return True


def prune_rate_events(
    session: Session, *, older_than: timedelta, now: datetime | None = None
) -> int:
    result = session.execute(
        delete(RateEvent).where(col(RateEvent.at) < (now or utcnow()) - older_than)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
