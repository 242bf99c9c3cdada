"""The report queue: the one place that filters, searches, sorts and pages reports for staff.

Used by the staff app's queue page, its exports, "save and next", and the benchmarks. (It
replaces the two queue pages that lived in `review/queries.py` and `storage/reports.py`.)

Search (`q`) reads what a person types and says what it searched as: a receipt code
(`7KQ4-M2XP 9A`), a report number (`#123`, or up to 7 digits), a contact in any spelling
(`+855 12 345 678`, `@handle`, `site.com/x`), otherwise words of the (redacted) narrative.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from screening.contacts import parse_contact
from screening.identity import identity_of
from storage.matching import Template, template_members, templates_of
from storage.models import (
    RECEIPT_CODE_LENGTH,
    Indicator,
    Report,
    ReportIndicator,
    ReportKind,
    ReportStatus,
    StaffUser,
)
from storage.reports import RECEIPT_ALPHABET, normalise_receipt_code

RISK_ORDER = ("very_high", "high", "medium", "low")
SORTS = ("newest", "oldest", "risk", "updated")
PAGE_SIZES = (25, 50, 100, 200)
PAGE_SIZE = 50
GROUPS = ("template",)
OPEN_STATUSES = (ReportStatus.new, ReportStatus.in_review)
# Phone numbers are stored under the app they were given for; searching one finds all.
# "Shares contacts with N reports" is counted exactly while a row's contacts name at most this
# many other reports; beyond it (a hub number named by thousands) the row says "N+".
SHARES_EXACT_LIMIT = 500
# SQLite's FTS5 trigram table over the narratives (migration 0012).
WORDS_TABLE = "report_words"
# The risk order as a number, highest first. Written as SQL text, the same as the expression
# index of migration 0013: a bound-parameter CASE would not match the index.
RISK_SCORE_SQL = ("CASE risk_level WHEN 'very_high' THEN 4 WHEN 'high' THEN 3 "
                  "WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END")
# Counting every match of a broad filter reads them all (a word search matching 100,000
# reports: 220 ms on PostgreSQL, 250 ms on SQLite). Up to this many the count is exact; beyond
# it the page says "about N" (PostgreSQL's planner estimate) or "more than N".
EXACT_COUNT_LIMIT = 10_000
# A phrase found in at least this many narratives by the trigram index is searched without it
# (read_search): one in fifty of 100,000 reports, so a page of 50 is within ~2,500 rows.
COMMON_PHRASE_MATCHES = 2_000
_RECEIPT = re.compile(f"[{RECEIPT_ALPHABET}]{{{RECEIPT_CODE_LENGTH}}}")


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    kind: str | None = None
    country: str | None = None
    language: str | None = None
    risk: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    contact: str | None = None
    assignee: str | None = None  # "me", "none" or a staff id as text
    q: str | None = None  # search: receipt code, report number, contact or words
    reporter_of: int | None = None  # reports of the same (pseudonymous) reporter as this report
    template: int | None = None  # reports of the same template (near-duplicates) as this report
    group: str | None = None  # "template": the page's rows grouped by template
    sort: str = "newest"
    page: int = 1
    per_page: int = PAGE_SIZE
    # Seek paging: "next" carries the sort key of the page's last row (`after`), "previous"
    # that of its first (`before`); `page` is then only the number shown. Without a cursor
    # a page number is an offset (links typed or shared by hand keep working).
    after: str | None = None
    before: str | None = None

    def as_query(self) -> dict[str, str]:
        """The filter as URL query parameters (empty ones and the page left out)."""
        pairs = {
            "q": self.q, "status": self.status, "kind": self.kind, "country": self.country,
            "language": self.language, "risk": self.risk,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "contact": self.contact, "assignee": self.assignee,
            "reporter_of": str(self.reporter_of) if self.reporter_of else None,
            "template": str(self.template) if self.template else None,
            "group": self.group,
            "sort": self.sort if self.sort != "newest" else None,
            "per_page": str(self.per_page) if self.per_page != PAGE_SIZE else None,
        }
        return {key: value for key, value in pairs.items() if value}

    def describe(self) -> str:
        return " ".join(f"{key}={value}" for key, value in sorted(self.as_query().items())) or "all"


def _parse_date(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _int(raw: str | None, *, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(int(raw or default), high))
    except ValueError:
        return default


def parse_queue_filter(query: Mapping[str, str]) -> QueueFilter:
    """A `QueueFilter` from request parameters; unknown values are dropped rather than trusted."""

    def pick(name: str, allowed: Iterable[str] | None = None, max_length: int = 64) -> str | None:
        raw = (query.get(name) or "").strip()[:max_length]
        if not raw:
            return None
        if allowed is not None and raw not in allowed:
            return None
        return raw

    country = pick("country", max_length=2)
    assignee = pick("assignee")
    if assignee not in (None, "me", "none") and not assignee.isdigit():
        assignee = None
    reporter_of = pick("reporter_of", max_length=12)
    template = pick("template", max_length=12)
    per_page = _int(query.get("per_page"), default=PAGE_SIZE, low=1, high=max(PAGE_SIZES))
    return QueueFilter(
        status=pick("status", [s.value for s in ReportStatus]),
        kind=pick("kind", [k.value for k in ReportKind]),
        country=country.upper() if country and country.isalpha() else None,
        language=pick("language", max_length=16),
        risk=pick("risk", RISK_ORDER),
        date_from=_parse_date(query.get("date_from")),
        date_to=_parse_date(query.get("date_to")),
        contact=pick("contact", max_length=200),
        assignee=assignee,
        q=pick("q", max_length=200),
        reporter_of=int(reporter_of) if reporter_of and reporter_of.isdigit() else None,
        template=int(template) if template and template.isdigit() else None,
        group=pick("group", GROUPS),
        sort=pick("sort", SORTS) or "newest",
        page=_int(query.get("page"), default=1, low=1, high=100_000),
        per_page=per_page if per_page in PAGE_SIZES else PAGE_SIZE,
        after=pick("after", max_length=64) if _cursor_valid(query.get("after")) else None,
        before=pick("before", max_length=64) if _cursor_valid(query.get("before")) else None,
    )


_CURSOR = re.compile(r"-?\d{1,20}(_-?\d{1,20}){1,2}")


def _cursor_valid(raw: str | None) -> bool:
    return bool(raw) and _CURSOR.fullmatch((raw or "").strip()) is not None


def matching_indicator_ids(session: Session, *, raw: str, default_region: str | None) -> list[int]:
    """Indicators a typed-in contact stands for, whatever its spelling (`+855 12…`, `012…`,
    `t.me/x`, `@X`); falls back to the exact text for values the parser does not recognise."""
    contact = parse_contact(raw, default_region=default_region)
    if contact is None and default_region is not None:
        contact = parse_contact(raw)
    if contact is not None:
        kind, key = identity_of(contact)  # one identity whatever the channel or spelling
        statement = select(Indicator.id).where(Indicator.type == kind, Indicator.value == key)
    else:
        statement = select(Indicator.id).where(Indicator.value == raw.strip().lower())
    return [row for row in session.exec(statement).all() if row is not None]


@dataclass(frozen=True)
class Search:
    """How the search box was read: `as_` is "receipt", "number", "contact" or "text"."""

    as_: str
    condition: sa.ColumnElement[bool]


def _named(indicator_ids: Sequence[int]) -> sa.ColumnElement[bool]:
    return col(Report.id).in_(select(ReportIndicator.report_id)
                              .where(col(ReportIndicator.indicator_id).in_(indicator_ids)))


def read_search(session: Session, *, text: str, country: str | None) -> Search:
    code = normalise_receipt_code(text)
    if _RECEIPT.fullmatch(code) and session.exec(
            select(Report.id).where(Report.receipt_code == code)).first() is not None:
        return Search("receipt", col(Report.receipt_code) == code)
    number = text.strip().removeprefix("#").strip()
    if number.isdigit() and (text.strip().startswith("#") or len(number) <= 7):
        return Search("number", col(Report.id) == int(number))
    contact = parse_contact(text, default_region=country) or parse_contact(text)
    if contact is not None:
        return Search("contact", _named(matching_indicator_ids(session, raw=text, default_region=country)))
    escaped = re.sub(r"([\\%_])", r"\\\1", text.strip())
    words: sa.ColumnElement[bool] = col(Report.narrative).ilike(f"%{escaped}%", escape="\\")
    if session.get_bind().dialect.name == "sqlite" and len(text.strip()) >= 3:
        # The trigram index (migration 0012) names the candidates; ILIKE still decides, so the
        # results are those of the plain scan. (PostgreSQL's trigram index serves ILIKE itself.)
        phrase = '"' + text.strip().replace('"', '""') + '"'
        matches: sa.Select[Any] = (sa.select(sa.literal_column("rowid")).select_from(sa.table(WORDS_TABLE))
                   .where(sa.literal_column(WORDS_TABLE).op("MATCH")(phrase)))
        common = session.execute(sa.select(sa.func.count()).select_from(
            matches.limit(COMMON_PHRASE_MATCHES).subquery())).scalar_one() >= COMMON_PHRASE_MATCHES
        # A phrase in thousands of narratives: the index would hand over every one of them
        # (250 ms at 100,000) before the page's 50 are picked; read in the page's order with
        # ILIKE alone instead, which finds 50 within the first few thousand rows.
        if not common:
            words = sa.and_(col(Report.id).in_(matches), words)
    return Search("text", words)


def risk_score() -> sa.ColumnElement[int]:
    return sa.literal_column(RISK_SCORE_SQL.replace("risk_level", "report.risk_level"), sa.Integer)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _sort_keys(sort: str) -> tuple[list[Any], bool]:
    """The columns a sort orders by (the id last, so the order is total) and whether it is
    descending; every sort has an index on exactly these (migration 0013)."""
    if sort == "oldest":
        return [col(Report.created_at), col(Report.id)], False
    if sort == "updated":
        return [col(Report.updated_at), col(Report.id)], True
    if sort == "risk":
        return [risk_score(), col(Report.created_at), col(Report.id)], True
    return [col(Report.created_at), col(Report.id)], True


def _micros(value: datetime) -> int:
    return (value - _EPOCH) // timedelta(microseconds=1)


def cursor_of(sort: str, *, created_at: datetime, updated_at: datetime, risk: int, report_id: int) -> str:
    """A row's position in a sort, for a "next"/"previous" link: numbers only (microseconds
    since 1970 for times), so it is exact and needs no escaping."""
    if sort == "updated":
        return f"{_micros(updated_at)}_{report_id}"
    if sort == "risk":
        return f"{risk}_{_micros(created_at)}_{report_id}"
    return f"{_micros(created_at)}_{report_id}"


def _cursor_values(sort: str, cursor: str) -> list[Any] | None:
    parts = [int(part) for part in cursor.split("_")]
    if len(parts) != (3 if sort == "risk" else 2):
        return None  # a cursor of another sort (the sort was changed): start from an offset
    if any(abs(part) >= 2 ** 31 for position, part in enumerate(parts) if position != len(parts) - 2):
        return None  # an id or risk score no column holds (and PostgreSQL's integer cast refuses)
    values: list[Any] = list(parts)
    try:
        values[-2] = _EPOCH + timedelta(microseconds=parts[-2])
    except OverflowError:  # a forged cursor far outside any date: start from the offset
        return None
    return values


def _after(keys: list[Any], values: list[Any], *, descending: bool,
           backwards: bool) -> sa.ColumnElement[bool]:
    """Rows past `values` in the sort (before them when `backwards`): one row-value
    comparison, which both engines answer by seeking in the sort's index."""
    row = sa.tuple_(*keys)
    bound = sa.tuple_(*[sa.bindparam(None, value, type_=key.type)
                        for key, value in zip(keys, values, strict=True)])
    return row < bound if descending != backwards else row > bound


def day_range(column: Any, date_from: date | None, date_to: date | None) -> list[sa.ColumnElement[bool]]:
    """Conditions keeping a timestamp column within the UTC days date_from..date_to, both
    included; an absent end is open."""
    where: list[sa.ColumnElement[bool]] = []
    if date_from:
        where.append(column >= datetime.combine(date_from, time.min, UTC))
    if date_to:
        where.append(column < datetime.combine(date_to + timedelta(days=1), time.min, UTC))
    return where


def conditions(session: Session, filters: QueueFilter, *,
               staff_id: int | None) -> tuple[list[sa.ColumnElement[bool]], str | None]:
    """The WHERE conditions of a filter, and how its search text was read."""
    where: list[sa.ColumnElement[bool]] = []
    if filters.status:
        where.append(col(Report.status) == filters.status)
    if filters.kind:
        where.append(col(Report.kind) == filters.kind)
    if filters.country:
        where.append(col(Report.country) == filters.country)
    if filters.language:
        where.append(col(Report.language) == filters.language)
    if filters.risk:
        where.append(col(Report.risk_level) == filters.risk)
    where.extend(day_range(col(Report.created_at), filters.date_from, filters.date_to))
    if filters.assignee == "none":
        where.append(col(Report.assignee_id).is_(None))
    elif filters.assignee == "me" and staff_id is not None:
        where.append(col(Report.assignee_id) == staff_id)
    elif filters.assignee and filters.assignee.isdigit():
        where.append(col(Report.assignee_id) == int(filters.assignee))
    if filters.contact:
        where.append(_named(matching_indicator_ids(session, raw=filters.contact,
                                                   default_region=filters.country)))
    if filters.reporter_of:
        where.append(col(Report.reporter_key) == select(Report.reporter_key)
                     .where(Report.id == filters.reporter_of).scalar_subquery())
    if filters.template:
        members, _capped = template_members(session, report_id=filters.template)
        where.append(col(Report.id).in_(members))
    searched_as = None
    if filters.q:
        search = read_search(session, text=filters.q, country=filters.country)
        where.append(search.condition)
        searched_as = search.as_
    return where, searched_as


def ordered(statement: Any, sort: str, *, backwards: bool = False) -> Any:
    keys, descending = _sort_keys(sort)
    if descending != backwards:
        return statement.order_by(*[key.desc() for key in keys])
    return statement.order_by(*[key.asc() for key in keys])


@dataclass(frozen=True)
class Count:
    """How many reports a filter finds: `exact`, or `about` (the planner's estimate) or at
    least `value` (`more`) when counting them all would read more than EXACT_COUNT_LIMIT."""

    value: int
    kind: str = "exact"  # "exact", "about" or "more"


def _rounded(value: int) -> int:
    """An estimate to two significant digits: "about 100,000", not "about 99,978"."""
    step = 10 ** max(0, len(str(value)) - 2)
    return max(step, round(value / step) * step)


def count_reports(session: Session, where: Sequence[sa.ColumnElement[bool]]) -> Count:
    """Exact up to EXACT_COUNT_LIMIT (a LIMIT-ed count stops there); beyond, PostgreSQL's
    estimate (the table's row count without a filter, else EXPLAIN's), on SQLite a floor."""
    capped = select(Report.id).where(*where).limit(EXACT_COUNT_LIMIT + 1).subquery()
    found = int(session.exec(select(sa.func.count()).select_from(capped)).one())
    if found <= EXACT_COUNT_LIMIT:
        return Count(found)
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return Count(EXACT_COUNT_LIMIT, "more")
    if not where:
        estimate = session.exec(sa.text(  # type: ignore[call-overload]
            "SELECT reltuples::bigint FROM pg_class WHERE oid = 'report'::regclass")).scalar()
    else:
        # EXPLAIN (not ANALYZE: nothing runs) of the filter with its values written in as
        # literals by SQLAlchemy; a value it cannot write that way leaves the floor.
        try:
            statement = select(Report.id).where(*where).compile(
                dialect=bind.dialect, compile_kwargs={"literal_binds": True})
            explain = "EXPLAIN (FORMAT JSON) " + str(statement).replace("%%", "%").replace(":", "\\:")
            with session.begin_nested():
                plan = session.exec(sa.text(explain)).scalar()  # type: ignore[call-overload]
            estimate = plan[0]["Plan"]["Plan Rows"]
        except (sa.exc.SQLAlchemyError, NotImplementedError, LookupError, TypeError):
            return Count(EXACT_COUNT_LIMIT, "more")
    return Count(_rounded(max(int(estimate or 0), EXACT_COUNT_LIMIT + 1)), "about")


@dataclass(frozen=True)
class QueueRow:
    id: int
    receipt_code: str
    created_at: datetime
    happened: str | None
    kind: str
    country: str | None
    language: str | None
    risk_level: str | None
    status: str
    assignee: str | None
    excerpt: str
    contacts: list[tuple[int, str, str]] = field(default_factory=list)  # (indicator id, type, value)
    shares: int = 0  # other reports naming one of its contacts
    shares_capped: bool = False  # a hub contact: at least `shares`
    template: Template | None = None  # with group=template: the near-duplicate group it is in
    cursor: str = ""  # its place in the page's sort, for "next"/"previous" links


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    per_page: int = PAGE_SIZE
    searched_as: str | None = None
    count: str = "exact"  # how `total` was found: Count.kind
    has_next: bool = False
    next_cursor: str | None = None  # for the "next" link: where this page ends in the sort
    previous_cursor: str | None = None  # for "previous" (beyond page 2): where it starts


def queue_page(session: Session, *, filters: QueueFilter, staff_id: int | None) -> QueuePage:
    """One page of the queue with each row's contacts and how many reports share them.

    With a cursor (`after`/`before`) the page is sought in the sort's index; a page number
    alone is an offset, read from that index (deferred join: ids first, then only the page's
    rows, with a 120-character excerpt rather than the whole narrative)."""
    where, searched_as = conditions(session, filters, staff_id=staff_id)
    size = filters.per_page
    counted = count_reports(session, where)
    pages = max(1, -(-counted.value // size))
    page = min(filters.page, pages) if counted.kind == "exact" else filters.page
    keys, descending = _sort_keys(filters.sort)
    cursor = filters.before or filters.after
    values = _cursor_values(filters.sort, cursor) if cursor and page > 1 else None
    backwards = values is not None and filters.before is not None
    if values is not None:
        seek = _after(keys, values, descending=descending, backwards=backwards)
        inner = ordered(select(Report.id).where(*where, seek), filters.sort,
                        backwards=backwards).limit(size + 1)
    else:
        inner = ordered(select(Report.id).where(*where), filters.sort) \
            .limit(size + 1).offset((page - 1) * size)
    page_ids = inner.subquery()
    excerpt = sa.func.substr(sa.func.coalesce(Report.narrative, ""), 1, 120)
    statement = select(  # type: ignore[call-overload, misc]
        Report.id, Report.receipt_code, Report.created_at, Report.happened, Report.kind, Report.country,
        Report.language, Report.risk_level, Report.status, StaffUser.username, excerpt,
        Report.updated_at, risk_score(),
    ).join(page_ids, page_ids.c.id == col(Report.id)) \
        .outerjoin(StaffUser, col(StaffUser.id) == col(Report.assignee_id))
    rows = list(session.exec(ordered(statement, filters.sort, backwards=backwards)).all())
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        more = True  # a page was sought backwards from the one after it
    ids = [int(r[0]) for r in rows]
    contacts = contacts_of(session, report_ids=ids)
    shares = shared_counts(session, contacts=contacts)
    templates = templates_of(session, report_ids=ids) if filters.group == "template" else {}
    built = [QueueRow(id=r[0], receipt_code=r[1], created_at=r[2], happened=r[3], kind=str(r[4]),
                       country=r[5], language=r[6], risk_level=r[7], status=str(r[8]), assignee=r[9],
                       excerpt=r[10], contacts=contacts.get(r[0], []),
                       shares=shares.get(r[0], (0, False))[0], shares_capped=shares.get(r[0], (0, False))[1],
                       template=templates.get(r[0]),
                       cursor=cursor_of(filters.sort, created_at=r[2], updated_at=r[11], risk=int(r[12]),
                                        report_id=r[0]))
             for r in rows]
    # Taken before grouping reorders the rows: the cursors are positions in the sort.
    next_cursor = built[-1].cursor if built and more else None
    previous_cursor = built[0].cursor if built and page > 2 else None
    if templates:  # grouped: each template's rows together, groups in the order they first appear
        order: dict[int, int] = {}
        for row in built:
            order.setdefault(row.template.first if row.template else -row.id, len(order))
        built.sort(key=lambda row: order[row.template.first if row.template else -row.id])
    return QueuePage(
        rows=built, total=counted.value, page=page, pages=pages, per_page=size,
        searched_as=searched_as, count=counted.kind, has_next=more,
        next_cursor=next_cursor, previous_cursor=previous_cursor,
    )


def contacts_of(session: Session, *, report_ids: Sequence[int]) -> dict[int, list[tuple[int, str, str]]]:
    """report id -> its contacts (indicator id, type, value), sorted."""
    found: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    if not report_ids:
        return found
    statement = (select(ReportIndicator.report_id, Indicator.id, Indicator.type, Indicator.value)
                 .join(Indicator, col(Indicator.id) == col(ReportIndicator.indicator_id))
                 .where(col(ReportIndicator.report_id).in_(report_ids)))
    for report_id, indicator_id, kind, value in session.exec(statement).all():
        found[report_id].append((int(indicator_id or 0), kind, value))
    for items in found.values():
        items.sort(key=lambda item: (item[1], item[2]))
    return found


def shared_counts(session: Session, *,
                  contacts: Mapping[int, list[tuple[int, str, str]]]) -> dict[int, tuple[int, bool]]:
    """report id -> (how many other reports name one of its contacts, whether that is a floor).

    Exact while the contacts name few reports; a row with a hub contact gets the hub's count as
    a floor, so one number named 30,000 times never costs a 30,000-row distinct count."""
    indicator_ids = sorted({item[0] for items in contacts.values() for item in items})
    if not indicator_ids:
        return {}
    # Each contact's reports counted only up to the limit (+2: "more than the limit" even after
    # leaving out the row itself): counting a hub's 28,000 links on every page was most of the
    # page's time (10 ms for 50 rows on SQLite at 100,000 reports, 46 ms for 200).
    linked = aliased(ReportIndicator)
    capped = select(sa.literal(1)).select_from(linked) \
        .where(col(linked.indicator_id) == col(Indicator.id)).correlate(Indicator) \
        .limit(SHARES_EXACT_LIMIT + 2).subquery()
    per_indicator = dict(session.exec(  # type: ignore[call-overload]
        select(Indicator.id, select(sa.func.count()).select_from(capped).scalar_subquery())
        .where(col(Indicator.id).in_(indicator_ids))).all())
    answer: dict[int, tuple[int, bool]] = {}
    exact: list[int] = []
    for report_id, items in contacts.items():
        named = [int(per_indicator.get(item[0], 1)) - 1 for item in items]
        if sum(named) <= SHARES_EXACT_LIMIT:
            exact.append(report_id)
        else:  # a floor: a hub shows "500+" (its page has the full count)
            answer[report_id] = (min(max(named), SHARES_EXACT_LIMIT), True)
    if exact:
        mine, theirs = aliased(ReportIndicator), aliased(ReportIndicator)
        statement = (select(col(mine.report_id), sa.func.count(sa.distinct(col(theirs.report_id))))
                     .join(theirs, sa.and_(col(theirs.indicator_id) == col(mine.indicator_id),
                                           col(theirs.report_id) != col(mine.report_id)))
                     .where(col(mine.report_id).in_(exact)).group_by(col(mine.report_id)))
        counted = dict(session.exec(statement).all())  # type: ignore[arg-type]
        for report_id in exact:
            answer[report_id] = (int(counted.get(report_id, 0)), False)
    return answer


def next_report_id(session: Session, *, filters: QueueFilter, staff_id: int | None,
                   after: int) -> int | None:
    """The report after `after` in this filtered, sorted queue ("save and next"). The current
    report counts as in the queue even if the decision just taken moved it out of the filter,
    so "next" is the one that followed it when the person opened it."""
    where, _searched = conditions(session, filters, staff_id=staff_id)
    members = sa.or_(sa.and_(sa.true(), *where), col(Report.id) == after)
    ids = [int(i) for i in session.exec(ordered(select(Report.id).where(members), filters.sort)
                                        .limit(20_000)).all()]
    if after in ids:
        position = ids.index(after)
        following = [i for i in ids[position + 1:] if i != after]
        return following[0] if following else None
    return next((i for i in ids if i != after), None)


def open_ids(session: Session, *, report_ids: Sequence[int]) -> list[int]:
    """Of these reports, those still waiting for a decision."""
    return [int(i or 0) for i in session.exec(select(Report.id).where(
        col(Report.id).in_(report_ids), col(Report.status).in_(OPEN_STATUSES))).all()]

