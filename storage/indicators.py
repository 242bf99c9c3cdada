"""Look-ups of indicators (contacts seen in reports): counts, independent reporters, first
and last seen, the reports that share them, the most reported.

Counting rule (storage.reports.counted_report): a report counts unless it is `spam`, a
`false_report` or a `duplicate`, or its reporter is blocked.

Every function takes the session first and everything else by keyword; functions flush but
never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CompoundSelect, Select, String, and_, exists, func, null, select, union_all
from sqlmodel import Session, col

from screening.identity import identity
from storage.db import Database, FixedStatement, dialect_of, list_parameter, none_of, one_of, run_fixed
from storage.models import Indicator, Report, ReportIndicator, SafelistEntry, UserPrefs
from storage.reports import NOT_COUNTED, counted_report

# The look-ups run on every contact check (/check, /contact): built once, on the tables rather
# than the ORM entities, so a call costs one cached Core query and no object loading.
_INDICATOR = Indicator.__table__  # type: ignore[attr-defined]
_REPORT = Report.__table__  # type: ignore[attr-defined]
_REPORT_INDICATOR = ReportIndicator.__table__  # type: ignore[attr-defined]
_USER_PREFS = UserPrefs.__table__  # type: ignore[attr-defined]
_SAFELIST = SafelistEntry.__table__  # type: ignore[attr-defined]


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

# Every indicator whose value is asked for (the type is matched in Python: the value index
# serves the query), with its counted reports (`_counted_report` on the tables) joined
# outside, so an indicator no counted report names still comes back, with zero counts.
# Built once per dialect, the values as one parameter (storage.db.one_of): every checked
# offer with a contact asks, and an expanding IN re-rendered the SQL each time.
def _lookup_indicators(dialect: str) -> Select[Any]:
    return (
        select(
            _INDICATOR.c.type,
            _INDICATOR.c.value,
            _INDICATOR.c.id,
            _INDICATOR.c.confirmed,
            func.count(_REPORT.c.id).label("reports"),
            func.count(func.distinct(_REPORT.c.reporter_key)).label("reporters"),
            func.min(_REPORT.c.created_at).label("first_seen"),
            func.max(_REPORT.c.created_at).label("last_seen"),
        )
        .select_from(
            _INDICATOR.outerjoin(
                _REPORT_INDICATOR, _REPORT_INDICATOR.c.indicator_id == _INDICATOR.c.id
            ).outerjoin(
                _REPORT,
                and_(
                    _REPORT.c.id == _REPORT_INDICATOR.c.report_id,
                    none_of(_REPORT.c.status, NOT_COUNTED),
                    ~exists().where(
                        _USER_PREFS.c.user_key == _REPORT.c.reporter_key,
                        _USER_PREFS.c.blocked.is_(True),
                    ),
                ),
            )
        )
        .where(one_of(_INDICATOR.c.value, "values", String(), dialect))
        .group_by(_INDICATOR.c.id, _INDICATOR.c.type, _INDICATOR.c.value, _INDICATOR.c.confirmed)
    )


_LOOKUP_INDICATORS = {dialect: _lookup_indicators(dialect) for dialect in ("sqlite", "postgresql")}
_UNKNOWN_INDICATOR = IndicatorSummary(False, 0, 0, None, None)


def _by_identity(asked: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """The contacts asked for, by identity: every spelling and channel of a contact is one
    identity (screening.identity), and the tables hold identities."""
    keys_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for pair in asked:
        keys_of.setdefault(identity(*pair), []).append(pair)
    return keys_of


def _summary(row: Any) -> IndicatorSummary:
    _type, _value, indicator_id, confirmed, reports, reporters, first, last = row
    # min/max keep the column type: aware UTC datetimes on both engines.
    return IndicatorSummary(confirmed=bool(confirmed), report_count=int(reports),
                            independent_reporters=int(reporters), first_seen=first,
                            last_seen=last, indicator_id=indicator_id)


def lookup_indicators(
    session: Database, *, contacts: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], IndicatorSummary]:
    """What the database knows about each contact (type, normalised value), in one query.

    Every contact asked for is a key of the answer; one unknown to the database has no
    reports, is not confirmed and has no `indicator_id` (as `lookup_indicator`)."""
    asked = {(str(type_), value) for type_, value in contacts}
    found = dict.fromkeys(asked, _UNKNOWN_INDICATOR)
    if not asked:
        return found
    keys_of = _by_identity(asked)
    dialect = dialect_of(session)
    parameters = {"values": list_parameter(dialect, sorted({value for _type, value in keys_of}))}
    rows = run_fixed(session, _LOOKUP_INDICATORS_FIXED, parameters)
    for row in rows:
        for pair in keys_of.get((row[0], row[1]), ()):
            found[pair] = _summary(row)
    return found


def _lookup_with_safelist(dialect: str) -> CompoundSelect[Any]:
    """`_LOOKUP_INDICATORS`, then the safelist's entries among `safe_values` (as
    storage.safelist.safelisted_contacts reads them), told apart by their NULL indicator id.
    The indicators come first: a UNION's column types (aware datetimes) are its first part's."""
    nothing = [null() for _ in range(6)]
    safelisted = (select(_SAFELIST.c.type, _SAFELIST.c.value, *nothing)
                  .where(one_of(_SAFELIST.c.value, "safe_values", String(), dialect)))
    return union_all(_LOOKUP_INDICATORS[dialect], safelisted)


_LOOKUP_WITH_SAFELIST = {dialect: _lookup_with_safelist(dialect)
                         for dialect in ("sqlite", "postgresql")}
# On SQLite both look-ups go to the driver (storage.db.run_fixed): every checked offer with a
# contact asks, and `Session.execute`'s own path cost more than SQLite's work.
_LOOKUP_INDICATORS_FIXED = FixedStatement(_LOOKUP_INDICATORS["sqlite"],
                                          postgresql=_LOOKUP_INDICATORS["postgresql"])
_LOOKUP_WITH_SAFELIST_FIXED = FixedStatement(_LOOKUP_WITH_SAFELIST["sqlite"],
                                             postgresql=_LOOKUP_WITH_SAFELIST["postgresql"])


def lookup_indicators_and_safelist(
    session: Database, *, contacts: Iterable[tuple[str, str]],
    safelist_contacts: Iterable[tuple[str, str]],
) -> tuple[dict[tuple[str, str], IndicatorSummary], set[tuple[str, str]]]:
    """`lookup_indicators(contacts)` and `storage.safelist.safelisted_contacts(
    safelist_contacts)` in one query, for a check of a person's contacts (every offer with a
    contact asks both: one statement, ~35 us of CPU, less per offer)."""
    asked = {(str(type_), value) for type_, value in contacts}
    asked_safe = {(str(type_), value) for type_, value in safelist_contacts}
    found = dict.fromkeys(asked, _UNKNOWN_INDICATOR)
    if not asked_safe:
        return lookup_indicators(session, contacts=asked), set()
    keys_of, safe_keys_of = _by_identity(asked), _by_identity(asked_safe)
    dialect = dialect_of(session)
    parameters = {
        "values": list_parameter(dialect, sorted({value for _type, value in keys_of})),
        "safe_values": list_parameter(dialect, sorted({value for _type, value in safe_keys_of}))}
    rows = run_fixed(session, _LOOKUP_WITH_SAFELIST_FIXED, parameters)
    safe: set[tuple[str, str]] = set()
    for row in rows:
        if row[2] is None:  # a safelist entry (every indicator has an id)
            safe.update(safe_keys_of.get((row[0], row[1]), ()))
            continue
        for pair in keys_of.get((row[0], row[1]), ()):
            found[pair] = _summary(row)
    return found, safe


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
        .where(counted_report())
        .group_by(col(Indicator.id))
        .order_by(reports.desc(), col(Indicator.id))
        .limit(limit)
    )
    if since is not None:
        statement = statement.where(col(Report.created_at) >= since)
    return [(indicator, int(count)) for indicator, count in session.execute(statement)]
