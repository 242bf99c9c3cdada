"""Database queries of the staff review app (keyword-only functions over a `Session`).

The storage package owns the schema; these are the reads and writes only staff make (queue
filters, networks, dashboard counts, audit) and that the bot's own repositories do not offer.
Every write that changes what the public sees, or exports data, appends a `ReviewEvent`.

"Independent reporters" of a contact = distinct reporter pseudonyms among its reports, leaving
out reports marked spam and every report of a blocked pseudonym (`UserPrefs.blocked`), so that
one person (or one abusive account) filing the same number many times counts once, or not at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import phonenumbers
import sqlalchemy as sa
from sqlmodel import Session, col, select

from screening.contacts import ContactType, parse_contact, registrable_domain
from storage import changes, reports
from storage.agencies import AGENCY_TYPE, normalise_agency_name
from storage.identity import identity_of
from storage.models import (
    Indicator,
    Report,
    ReportIndicator,
    ReportKind,
    ReportStatus,
    ReviewEvent,
    SafelistEntry,
    StaffRole,
    StaffUser,
    UserPrefs,
)

RISK_ORDER = ("very_high", "high", "medium", "low")
SORTS = ("newest", "oldest", "risk", "updated")
PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
# Phone numbers are stored under the app they were given for; searching one finds all.
_PHONE_LIKE = (ContactType.PHONE.value, ContactType.WHATSAPP.value)
# Registrable domains shared by unrelated people (shorteners, big platforms): a common domain
# there says nothing about a common operator, so they never link reports into a network.
_SHARED_DOMAINS = frozenset({
    "bit.ly", "tinyurl.com", "t.co", "goo.gl", "forms.gle", "google.com", "facebook.com", "fb.com",
    "fb.me", "youtube.com", "youtu.be", "instagram.com", "tiktok.com", "linkedin.com", "line.me",
    "wa.me", "whatsapp.com", "telegram.org", "t.me", "x.com", "twitter.com", "cutt.ly", "shorturl.at",
})


class ReviewError(ValueError):
    """A staff action that cannot be done as asked (unknown row, forbidden transition)."""


# --- queue -----------------------------------------------------------------------------------

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
    sort: str = "newest"
    page: int = 1

    def as_query(self) -> dict[str, str]:
        """The filter as URL query parameters (empty ones left out), for links and forms."""
        pairs = {
            "status": self.status, "kind": self.kind, "country": self.country,
            "language": self.language, "risk": self.risk,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "contact": self.contact, "assignee": self.assignee,
            "sort": self.sort if self.sort != "newest" else None,
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


def parse_queue_filter(query: Any) -> QueueFilter:
    """A `QueueFilter` from request parameters; unknown values are dropped rather than trusted."""

    def pick(name: str, allowed: Iterable[str] | None = None, max_length: int = 64) -> str | None:
        raw = (query.get(name) or "").strip()[:max_length]
        if not raw:
            return None
        if allowed is not None and raw not in allowed:
            return None
        return raw

    try:
        page = max(1, min(int(query.get("page") or 1), 100_000))
    except ValueError:
        page = 1
    country = pick("country", max_length=2)
    assignee = pick("assignee")
    if assignee not in (None, "me", "none") and not assignee.isdigit():
        assignee = None
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
        sort=pick("sort", SORTS) or "newest",
        page=page,
    )


def matching_indicator_ids(session: Session, *, raw: str, default_region: str | None) -> list[int]:
    """Indicators a typed-in contact stands for, whatever its spelling (`+855 12…`, `012…`,
    `t.me/x`, `@X`); falls back to the exact text for values the parser does not recognise."""
    contact = parse_contact(raw, default_region=default_region)
    if contact is None and default_region is not None:
        contact = parse_contact(raw)
    if contact is not None:
        types = list(_PHONE_LIKE) if contact.type.value in _PHONE_LIKE else [contact.type.value]
        statement = select(Indicator.id).where(col(Indicator.type).in_(types),
                                               Indicator.value == contact.value)
    else:
        statement = select(Indicator.id).where(Indicator.value == raw.strip().lower())
    return [row for row in session.exec(statement).all() if row is not None]


def _risk_rank() -> sa.ColumnElement[int]:
    return sa.case({level: rank for rank, level in enumerate(RISK_ORDER)},
                   value=Report.risk_level, else_=len(RISK_ORDER))


def _filtered(statement: Any, session: Session, filters: QueueFilter, *, staff_id: int | None) -> Any:
    if filters.status:
        statement = statement.where(Report.status == filters.status)
    if filters.kind:
        statement = statement.where(Report.kind == filters.kind)
    if filters.country:
        statement = statement.where(Report.country == filters.country)
    if filters.language:
        statement = statement.where(Report.language == filters.language)
    if filters.risk:
        statement = statement.where(Report.risk_level == filters.risk)
    if filters.date_from:
        statement = statement.where(
            col(Report.created_at) >= datetime.combine(filters.date_from, time.min, UTC))
    if filters.date_to:
        statement = statement.where(col(Report.created_at) < datetime.combine(
            filters.date_to + timedelta(days=1), time.min, UTC))
    if filters.assignee == "none":
        statement = statement.where(col(Report.assignee_id).is_(None))
    elif filters.assignee == "me" and staff_id is not None:
        statement = statement.where(Report.assignee_id == staff_id)
    elif filters.assignee and filters.assignee.isdigit():
        statement = statement.where(Report.assignee_id == int(filters.assignee))
    if filters.contact:
        indicator_ids = matching_indicator_ids(session, raw=filters.contact,
                                               default_region=filters.country)
        statement = statement.where(col(Report.id).in_(
            select(ReportIndicator.report_id).where(col(ReportIndicator.indicator_id).in_(indicator_ids))))
    return statement


def _ordered(statement: Any, sort: str) -> Any:
    if sort == "oldest":
        return statement.order_by(col(Report.created_at).asc(), col(Report.id).asc())
    if sort == "updated":
        return statement.order_by(col(Report.updated_at).desc(), col(Report.id).desc())
    if sort == "risk":
        return statement.order_by(_risk_rank(), col(Report.created_at).desc(), col(Report.id).desc())
    return statement.order_by(col(Report.created_at).desc(), col(Report.id).desc())


@dataclass(frozen=True)
class QueueRow:
    id: int
    receipt_code: str
    created_at: datetime
    kind: str
    country: str | None
    language: str | None
    risk_level: str | None
    status: str
    assignee: str | None
    excerpt: str


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


def queue_page(session: Session, *, filters: QueueFilter, staff_id: int | None,
               page_size: int = PAGE_SIZE) -> QueuePage:
    """One page of the queue. Columns are selected explicitly (no narrative beyond an excerpt)
    so a page of 50 stays small however long the narratives are."""
    count_statement = _filtered(select(sa.func.count()).select_from(Report), session, filters,
                                staff_id=staff_id)
    total = int(session.exec(count_statement).one())
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    # Deferred join: find the page's ids first (walks an index only, however deep the offset),
    # then read just those 50 rows with their assignee. Offsetting the full select instead made
    # SQLite read and join every skipped row: 300 ms at page 2000 of 100,000 reports, not 5.
    page_ids = _ordered(_filtered(select(Report.id), session, filters, staff_id=staff_id), filters.sort) \
        .limit(page_size).offset((page - 1) * page_size).subquery()
    excerpt = sa.func.substr(sa.func.coalesce(Report.narrative, ""), 1, 120)
    statement = select(  # type: ignore[call-overload]
        Report.id, Report.receipt_code, Report.created_at, Report.kind, Report.country,
        Report.language, Report.risk_level, Report.status, StaffUser.username, excerpt,
    ).join(page_ids, page_ids.c.id == col(Report.id)) \
        .outerjoin(StaffUser, col(StaffUser.id) == col(Report.assignee_id))
    rows = session.exec(_ordered(statement, filters.sort)).all()
    return QueuePage(
        rows=[QueueRow(id=r[0], receipt_code=r[1], created_at=r[2], kind=str(r[3]), country=r[4],
                       language=r[5], risk_level=r[6], status=str(r[7]), assignee=r[8], excerpt=r[9])
              for r in rows],
        total=total, page=page, pages=pages,
    )


def distinct_values(session: Session, *, column: Any, limit: int = 200) -> list[str]:
    """The values a column takes (for filter drop-downs), most frequent first."""
    statement = (select(column, sa.func.count()).where(column.is_not(None)).group_by(column)
                 .order_by(sa.func.count().desc()).limit(limit))
    return [str(value) for value, _count in session.exec(statement).all()]


# --- one report ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContactSignal:
    indicator: Indicator
    independent_reporters: int
    report_count: int
    safelisted: bool


def _counting_reports() -> Any:
    """Reports that count as evidence, by the storage package's rule (not spam, false or
    duplicate; reporter not blocked)."""
    blocked = select(UserPrefs.user_key).where(col(UserPrefs.blocked).is_(True))
    return sa.and_(col(Report.status).not_in(reports.NOT_COUNTED), col(Report.reporter_key).not_in(blocked))


def contact_signals(session: Session, *, indicator_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """indicator id -> (independent reporters, counting reports)."""
    if not indicator_ids:
        return {}
    statement = (
        select(ReportIndicator.indicator_id, sa.func.count(sa.distinct(col(Report.reporter_key))),
               sa.func.count(col(Report.id)))
        .join(Report, col(Report.id) == col(ReportIndicator.report_id))
        .where(col(ReportIndicator.indicator_id).in_(indicator_ids), _counting_reports())
        .group_by(col(ReportIndicator.indicator_id))
    )
    return {indicator_id: (int(people), int(rows))
            for indicator_id, people, rows in session.exec(statement).all()}


def _official_contacts() -> set[tuple[str, str]]:
    """Verified hotline contacts from the bot's data: protected even before anyone seeds the
    safelist table from them."""
    try:
        from handlers.content import official_contacts
    except ImportError:
        return set()
    return {(contact.type, contact.value) for contact in official_contacts()}


def safelisted_pairs(session: Session, *, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (type, value) contacts are official (safelist table or hotline data)."""
    wanted = set(pairs)
    if not wanted:
        return set()
    # The safelist is small (official contacts, not agencies): read it whole rather than send
    # tens of thousands of values as query parameters when a network scan asks.
    rows = session.exec(select(SafelistEntry.type, SafelistEntry.value)
                        .where(SafelistEntry.type != AGENCY_TYPE)).all()
    found = {(entry_type, value) for entry_type, value in rows} | _official_contacts()
    # A phone number on the safelist is safe whichever app it was reported for.
    found |= {(kind, value) for (entry_type, value) in list(found) if entry_type in _PHONE_LIKE
              for kind in _PHONE_LIKE}
    return wanted & found


def report_contacts(session: Session, *, report_id: int) -> list[ContactSignal]:
    indicators = session.exec(
        select(Indicator).join(ReportIndicator, col(ReportIndicator.indicator_id) == col(Indicator.id))
        .where(ReportIndicator.report_id == report_id).order_by(Indicator.type, Indicator.value)
    ).all()
    ids = [i.id for i in indicators if i.id is not None]
    signals = contact_signals(session, indicator_ids=ids)
    safe = safelisted_pairs(session, pairs=[(i.type, i.value) for i in indicators])
    return [ContactSignal(indicator=i, independent_reporters=signals.get(i.id or 0, (0, 0))[0],
                          report_count=signals.get(i.id or 0, (0, 0))[1],
                          safelisted=(i.type, i.value) in safe) for i in indicators]


@dataclass(frozen=True)
class LinkedReport:
    id: int
    receipt_code: str
    created_at: datetime
    status: str
    risk_level: str | None
    shared: list[str]  # the contacts it shares with the report being looked at


def linked_reports(session: Session, *, report_id: int, limit: int = 100) -> list[LinkedReport]:
    """Other reports that mention one of this report's contacts (one hop of the network)."""
    mine = select(ReportIndicator.indicator_id).where(ReportIndicator.report_id == report_id)
    statement = (
        select(Report.id, Report.receipt_code, Report.created_at, Report.status,  # type: ignore[call-overload]
               Report.risk_level, Indicator.type, Indicator.value)
        .join(ReportIndicator, col(ReportIndicator.report_id) == col(Report.id))
        .join(Indicator, col(Indicator.id) == col(ReportIndicator.indicator_id))
        .where(col(ReportIndicator.indicator_id).in_(mine), Report.id != report_id)
        .order_by(col(Report.created_at).desc()).limit(limit * 5)
    )
    linked: dict[int, LinkedReport] = {}
    for rid, code, created, status, risk, kind, value in session.exec(statement).all():
        if rid not in linked:
            if len(linked) >= limit:
                continue
            linked[rid] = LinkedReport(rid, code, created, str(status), risk, [])
        linked[rid].shared.append(f"{kind}: {value}")
    return list(linked.values())


def reporter_report_count(session: Session, *, reporter_key: str) -> int:
    return int(session.exec(select(sa.func.count()).select_from(Report)
                            .where(Report.reporter_key == reporter_key)).one())


def is_reporter_blocked(session: Session, *, reporter_key: str) -> bool:
    prefs = session.get(UserPrefs, reporter_key)
    return bool(prefs and prefs.blocked)


def report_history(session: Session, *, report_id: int, indicator_ids: Sequence[int]) -> list[ReviewEvent]:
    condition: sa.ColumnElement[bool] = col(ReviewEvent.report_id) == report_id
    if indicator_ids:
        condition = sa.or_(condition, col(ReviewEvent.indicator_id).in_(indicator_ids))
    return list(session.exec(select(ReviewEvent).where(condition)
                             .order_by(col(ReviewEvent.at).desc(), col(ReviewEvent.id).desc())).all())


# --- staff actions ---------------------------------------------------------------------------

def record_event(session: Session, *, actor: str, action: str, report_id: int | None = None,
                 indicator_id: int | None = None, old: str | None = None, new: str | None = None,
                 note: str | None = None) -> ReviewEvent:
    event = ReviewEvent(actor=actor, action=action, report_id=report_id, indicator_id=indicator_id,
                        old=old[:255] if old else old, new=new[:255] if new else new, note=note)
    session.add(event)
    return event


def _report(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise ReviewError(f"no report {report_id}")
    return report


def change_status(session: Session, *, report_id: int, status: ReportStatus, staff: StaffUser,
                  note: str | None) -> Report:
    _report(session, report_id)
    return reports.set_report_status(session, actor=staff, report_id=report_id, status=status,
                                     note=note or None)


def assign(session: Session, *, report_id: int, assignee: StaffUser | None, staff: StaffUser) -> Report:
    """Claim (assignee = oneself) or assign a report; a new report goes in review when taken."""
    report = _report(session, report_id)
    if assignee is not None and assignee.disabled:
        raise ReviewError("cannot assign a report to a disabled account")
    report = reports.assign_report(session, actor=staff, report_id=report_id,
                                   assignee_id=assignee.id if assignee else None)
    if assignee is not None and report.status == ReportStatus.new:
        report = reports.set_report_status(session, actor=staff, report_id=report_id,
                                           status=ReportStatus.in_review, note=None)
    return report


def set_indicator_decision(session: Session, *, indicator_id: int, confirmed: bool, staff: StaffUser,
                           note: str | None = None) -> Indicator:
    """Confirm (the bot's public look-up then shows the contact as a known scam contact) or
    reject a contact. Safelisted contacts (official hotlines) can never be confirmed."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise ReviewError(f"no contact {indicator_id}")
    if confirmed and safelisted_pairs(session, pairs=[(indicator.type, indicator.value)]):
        raise ReviewError("this contact is on the safelist of official contacts")
    return reports.set_indicator_confirmed(session, actor=staff, indicator_id=indicator_id,
                                           confirmed=confirmed, note=note)


def block_reporter_of(session: Session, *, report_id: int, staff: StaffUser, note: str | None) -> int:
    """Block the pseudonym that filed a report: all its reports become spam and, through
    `UserPrefs.blocked`, its future reports never count. Returns how many reports changed."""
    report = _report(session, report_id)
    changed = reports.block_reporter(session, actor=staff, user_key=report.reporter_key)
    # The audit log names the report the decision was taken on, never the pseudonym itself.
    record_event(session, actor=staff.username, action="block_reporter", report_id=report_id,
                 new=f"{changed} reports marked spam", note=note)
    return changed


# --- networks --------------------------------------------------------------------------------

def _network_key(indicator_type: str, value: str) -> str:
    """What links reports: the contact itself, and for links also their registrable domain."""
    if indicator_type in _PHONE_LIKE:
        return f"phone:{value}"
    return f"{indicator_type}:{value}"


def _domain_key(indicator_type: str, value: str) -> str | None:
    if indicator_type not in (ContactType.URL.value, ContactType.EMAIL.value):
        return None
    host = value.split("@", 1)[1] if indicator_type == ContactType.EMAIL.value else value.split("/", 1)[0]
    domain = registrable_domain(host.split(":", 1)[0])
    if domain is None or domain in _SHARED_DOMAINS:
        return None
    if indicator_type == ContactType.EMAIL.value:
        return None  # webmail domains (gmail.com…) say nothing; only links share domains
    return f"domain:{domain}"


@dataclass
class Cluster:
    reports: list[int] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)  # network keys, e.g. "phone:+855…"
    edges: list[tuple[int, str]] = field(default_factory=list)  # (report id, network key)


def contact_clusters(session: Session, *, since: datetime | None = None, kinds: Sequence[str] = (),
                     min_reports: int = 2, limit: int = 30) -> list[Cluster]:
    """Groups of reports connected through shared contacts (connected components of the
    report–contact graph), biggest first. Only contacts mentioned by two or more reports can
    link anything, so the scan starts from those; spam reports and safelisted contacts are left out."""
    statement = (
        select(ReportIndicator.report_id, Indicator.type, Indicator.value)
        .join(Indicator, col(Indicator.id) == col(ReportIndicator.indicator_id))
        .join(Report, col(Report.id) == col(ReportIndicator.report_id))
        .where(Report.status != ReportStatus.spam)
    )
    if since is not None:
        statement = statement.where(col(Report.created_at) >= since)
    pairs = session.exec(statement).all()
    safe = safelisted_pairs(session, pairs=[(t, v) for _r, t, v in pairs])
    reports_of: dict[str, set[int]] = defaultdict(set)
    for report_id, kind, value in pairs:
        if (kind, value) in safe:
            continue
        family = "phone" if kind in _PHONE_LIKE else ("wallet" if kind.startswith("wallet") else kind)
        keys = [_network_key(kind, value)]
        domain_key = _domain_key(kind, value)
        if domain_key:
            keys.append(domain_key)
        for key in keys:
            key_family = "domain" if key.startswith("domain:") else family
            if kinds and key_family not in kinds and not (key_family in ("url", "domain") and
                                                          "domain" in kinds):
                continue
            reports_of[key].add(report_id)
    shared = {key: ids for key, ids in reports_of.items() if len(ids) >= 2}

    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for key, ids in shared.items():
        for report_id in ids:
            root_a, root_b = find(key), find(f"r{report_id}")
            if root_a != root_b:
                parent[root_a] = root_b
    clusters: dict[str, Cluster] = defaultdict(Cluster)
    for key, ids in shared.items():
        cluster = clusters[find(key)]
        cluster.contacts.append(key)
        cluster.edges.extend((report_id, key) for report_id in sorted(ids))
    for cluster in clusters.values():
        cluster.reports = sorted({report_id for report_id, _key in cluster.edges})
        cluster.contacts.sort()
    ranked = sorted((c for c in clusters.values() if len(c.reports) >= min_reports),
                    key=lambda c: (-len(c.reports), -len(c.contacts), c.reports[0]))
    return ranked[:limit]


# --- dashboard -------------------------------------------------------------------------------

def count_by(session: Session, *, column: Any, since: datetime | None = None,
             limit: int = 15) -> list[tuple[str, int]]:
    statement = select(column, sa.func.count()).select_from(Report).group_by(column)
    if since is not None:
        statement = statement.where(col(Report.created_at) >= since)
    statement = statement.order_by(sa.func.count().desc()).limit(limit)
    return [(str(value) if value is not None else "—", int(count))
            for value, count in session.exec(statement).all()]


def reports_per_day(session: Session, *, days: int = 30, today: date | None = None) -> list[tuple[date, int]]:
    end = today or datetime.now(UTC).date()
    start = end - timedelta(days=days - 1)
    day = sa.func.date(Report.created_at) if session.get_bind().dialect.name == "sqlite" \
        else sa.cast(sa.func.timezone("UTC", Report.created_at), sa.Date)
    rows = session.exec(
        select(day, sa.func.count()).where(col(Report.created_at) >= datetime.combine(start, time.min, UTC))
        .group_by(day)
    ).all()
    counts = {(value if isinstance(value, date) else date.fromisoformat(str(value))): int(n)
              for value, n in rows}
    return [(start + timedelta(days=i), counts.get(start + timedelta(days=i), 0)) for i in range(days)]


@dataclass(frozen=True)
class TopContact:
    indicator_id: int
    type: str
    value: str
    confirmed: bool
    independent_reporters: int


def top_contacts(session: Session, *, limit: int = 15, since: datetime | None = None) -> list[TopContact]:
    people = sa.func.count(sa.distinct(col(Report.reporter_key)))
    statement = (
        select(Indicator.id, Indicator.type, Indicator.value,  # type: ignore[call-overload]
               Indicator.confirmed, people)
        .join(ReportIndicator, col(ReportIndicator.indicator_id) == col(Indicator.id))
        .join(Report, col(Report.id) == col(ReportIndicator.report_id))
        .where(_counting_reports())
        .group_by(Indicator.id, Indicator.type, Indicator.value, Indicator.confirmed)
        .order_by(people.desc(), Indicator.id).limit(limit)
    )
    if since is not None:
        statement = statement.where(col(Report.created_at) >= since)
    return [TopContact(int(i), t, v, bool(c), int(n)) for i, t, v, c, n in session.exec(statement).all()]


# --- safelist and agency registry ------------------------------------------------------------



def add_safelist_entry(session: Session, *, raw: str, label: str, source: str, actor: str,
                       default_region: str | None = None) -> SafelistEntry:
    """Add an official number/handle/site, normalised exactly like reported contacts so the
    bot's contact check (`storage.reports.is_safelisted`) finds it."""
    contact = parse_contact(raw, default_region=default_region)
    if contact is not None:
        entry_type, value = contact.type.value, contact.value
    else:
        short_code = _short_code(raw, region=default_region)
        if short_code is None:
            raise ReviewError(f"not a phone number, handle, link or address: {raw!r}")
        entry_type, value = ContactType.PHONE.value, short_code
    entry = reports.add_safelist(session, type=entry_type, value=value, label=label[:255],
                                 source=source[:512])
    record_event(session, actor=actor, action="safelist_add", new=f"{entry_type}:{value}"[:255],
                 note=label)
    return entry


def _short_code(raw: str, *, region: str | None) -> str | None:
    """Hotlines are often short codes ("1300" in TH) that contact extraction rightly rejects as
    phone numbers; on the safelist they are stored as dialled in their country, in the E.164
    form the bot's hotline data uses ("+661300")."""
    digits = re.sub(r"[\s().-]", "", raw)
    if region is None or not re.fullmatch(r"\d{3,6}", digits):
        return None
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def remove_safelist_entry(session: Session, *, entry_id: int, actor: str) -> None:
    entry = session.get(SafelistEntry, entry_id)
    if entry is None:
        raise ReviewError(f"no safelist entry {entry_id}")
    record_event(session, actor=actor, action="safelist_remove", old=f"{entry.type}:{entry.value}"[:255])
    session.delete(entry)
    if entry.type in reports.CONTACT_TYPES:  # partners following the feed see it is no longer safe
        changes.record_changes(session, identities=[identity_of(entry.type, entry.value)],
                               event=changes.UPDATED)


def safelist_entries(session: Session, *, agencies: bool) -> list[SafelistEntry]:
    condition = SafelistEntry.type == AGENCY_TYPE if agencies else SafelistEntry.type != AGENCY_TYPE
    return list(session.exec(select(SafelistEntry).where(condition)
                             .order_by(SafelistEntry.type, SafelistEntry.value)).all())


def find_licensed_agency(session: Session, *, name: str) -> SafelistEntry | None:
    """The licensed-agency entry matching a name as a person typed it, or None (for the offer
    check: "this agency is / is not in the licensed list you loaded")."""
    key = normalise_agency_name(name)
    if not key:
        return None
    return session.exec(select(SafelistEntry).where(SafelistEntry.type == AGENCY_TYPE,
                                                    SafelistEntry.value == key)).first()


def staff_by_id(session: Session, *, staff_id: int) -> StaffUser | None:
    return session.get(StaffUser, staff_id)


def active_staff(session: Session) -> list[StaffUser]:
    return list(session.exec(select(StaffUser).where(col(StaffUser.disabled).is_(False))
                             .order_by(StaffUser.username)).all())


def is_admin(staff: StaffUser) -> bool:
    return staff.role == StaffRole.admin


# --- export ----------------------------------------------------------------------------------

def export_rows(session: Session, *, filters: QueueFilter, staff_id: int | None,
                limit: int = EXPORT_LIMIT) -> list[dict[str, Any]]:
    """The filtered reports with their contacts, ready for CSV/JSON (no reporter pseudonym)."""
    statement = _ordered(_filtered(select(Report), session, filters, staff_id=staff_id), filters.sort)
    reports = list(session.exec(statement.limit(limit)).all())
    ids = [r.id for r in reports]
    contacts: dict[int, list[str]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        for report_id, kind, value in session.exec(
            select(ReportIndicator.report_id, Indicator.type, Indicator.value)
            .join(Indicator, col(Indicator.id) == col(ReportIndicator.indicator_id))
            .where(col(ReportIndicator.report_id).in_(chunk))
        ).all():
            contacts[report_id].append(f"{kind}:{value}")
    return [{
        "id": r.id, "receipt_code": r.receipt_code, "created_at": r.created_at.isoformat(),
        "kind": str(r.kind), "country": r.country, "language": r.language, "risk_level": r.risk_level,
        "status": str(r.status), "flag_ids": list(r.flag_ids or []),
        "contacts": sorted(contacts.get(r.id or 0, [])), "narrative": r.narrative,
    } for r in reports]


def confirmed_indicators(session: Session) -> list[tuple[Indicator, int]]:
    """Confirmed, non-safelisted contacts with their independent-reporter counts."""
    indicators = list(session.exec(select(Indicator).where(col(Indicator.confirmed).is_(True))
                                   .order_by(Indicator.type, Indicator.value)).all())
    safe = safelisted_pairs(session, pairs=[(i.type, i.value) for i in indicators])
    indicators = [i for i in indicators if (i.type, i.value) not in safe]
    signals = contact_signals(session, indicator_ids=[i.id for i in indicators if i.id is not None])
    return [(i, signals.get(i.id or 0, (0, 0))[0]) for i in indicators]
