"""The rate limit's count-and-insert in one statement (storage.rate), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from storage.db import session_scope
from storage.models import RateEvent
from storage.pseudonym import pseudonymise
from storage.rate import allow_action
from tests.storage.helpers import KEY

ALICE = pseudonymise(2001, key=KEY)
BOB = pseudonymise(2002, key=KEY)


def test_allow_action_counts_in_one_statement_and_refuses_without_counting(engine: Engine) -> None:
    now = datetime(2026, 7, 1, tzinfo=UTC)
    window = timedelta(hours=1)

    def stored(session: Session) -> int:
        return int(session.execute(select(func.count()).select_from(RateEvent)).scalar_one())

    with session_scope(engine) as session:
        assert [allow_action(session, user_key=ALICE, action="check", limit=3, window=window,
                             now=now + timedelta(minutes=m)) for m in range(5)] \
            == [True, True, True, False, False]
        assert stored(session) == 3
        # Another action and another person have counts of their own.
        assert allow_action(session, user_key=ALICE, action="report", limit=1, window=window, now=now)
        assert allow_action(session, user_key=BOB, action="check", limit=1, window=window, now=now)
        # Events older than the window no longer count.
        assert allow_action(session, user_key=ALICE, action="check", limit=3, window=window,
                            now=now + window)
        assert stored(session) == 6
    with session_scope(engine) as session:
        times = session.execute(
            select(col(RateEvent.at))
            .where(col(RateEvent.user_key) == ALICE, col(RateEvent.action) == "check")
            .order_by(col(RateEvent.at))
        ).scalars().all()
        assert times == [now, now + timedelta(minutes=1), now + timedelta(minutes=2), now + window]
