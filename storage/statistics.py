"""Counts of reports per day, country, language, kind and risk, for the staff dashboard
(storage.reports.counted_report decides what counts).

Every function takes the session first and everything else by keyword; functions flush but
never commit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlmodel import Session, col

from storage.models import Report, ReportKind
from storage.reports import counted_report


def _counts_by(
    session: Session, key: Any, *, since: datetime | None, until: datetime | None
) -> list[tuple[Any, int]]:
    count = func.count(col(Report.id)).label("n")
    statement = select(key, count).where(counted_report()).group_by(key)
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
