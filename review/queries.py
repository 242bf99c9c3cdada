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
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, col, select

from review import labels
from screening.contacts import ContactType, parse_contact, registrable_domain
from screening.hotlines import official_contacts
from storage import changes, queue, reports
from storage.agencies import AGENCY_TYPE, normalise_agency_name
from storage.identity import identity_of
from storage.models import (
    Indicator,
    Report,
    ReportIndicator,
    ReportStatus,
    ReviewEvent,
    SafelistEntry,
    StaffRole,
    StaffUser,
    UserPrefs,
)
from storage.review_actions import (
    assign_report,
    block_reporter,
    set_indicator_confirmed,
    set_report_status,
    unblock_reporter,
)
from storage.safelist import CONTACT_TYPES, add_safelist

EXPORT_LIMIT = 50_000
# Phone numbers are stored under the app they were given for; searching one finds all.
# Indicators are keyed by contact identity (a WhatsApp number is a "phone"); whatsapp kept for
# rows a partner or an old export may still name so.
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


# --- queue (the queue itself is storage.queue) ------------------------------------------------

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


def contact_names(session: Session, *, indicator_ids: Sequence[int]) -> dict[int, str]:
    """indicator id -> "type: value", for history lines."""
    if not indicator_ids:
        return {}
    rows = session.exec(select(Indicator.id, Indicator.type, Indicator.value)
                        .where(col(Indicator.id).in_(indicator_ids))).all()
    return {int(i or 0): f"{labels.contact_type(t)} {v}" for i, t, v in rows}


@dataclass(frozen=True)
class EventLine:
    event: ReviewEvent
    what: str  # one readable sentence


def describe_event(event: ReviewEvent, *, staff_names: dict[int | None, str],
                   contact_names: dict[int, str]) -> EventLine:
    """An audit event as staff read it: "status New → Confirmed", "confirmed contact Phone +855…"."""
    def person(raw: str | None) -> str:
        return staff_names.get(int(raw), raw) if raw and raw.isdigit() else "nobody"

    if event.action == "status":
        what = (f"status {labels.label(labels.STATUSES, event.old)} → "
                f"{labels.label(labels.STATUSES, event.new)}")
    elif event.action == "assign":
        what = f"assigned {person(event.old)} → {person(event.new)}"
    elif event.action == "confirm":
        contact = contact_names.get(event.indicator_id or 0, f"contact {event.indicator_id}")
        what = (f"confirmed contact {contact}" if event.new == "true"
                else f"marked contact {contact} as not confirmed")
    else:
        what = labels.label(labels.ACTIONS, event.action)
        change = " → ".join(part for part in (event.old, event.new) if part)
        if change:
            what += f": {change}"
    return EventLine(event, what)


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
    return set_report_status(session, actor=staff, report_id=report_id, status=status,
                                     note=note or None)


def assign(session: Session, *, report_id: int, assignee: StaffUser | None, staff: StaffUser) -> Report:
    """Claim (assignee = oneself) or assign a report; a new report goes in review when taken."""
    report = _report(session, report_id)
    if assignee is not None and assignee.disabled:
        raise ReviewError("cannot assign a report to a disabled account")
    report = assign_report(session, actor=staff, report_id=report_id,
                                   assignee_id=assignee.id if assignee else None)
    if assignee is not None and report.status == ReportStatus.new:
        report = set_report_status(session, actor=staff, report_id=report_id,
                                           status=ReportStatus.in_review, note=None)
    return report


# A reviewer alone may confirm a contact that at least this many independent people reported;
# one that fewer reported needs an admin, or a second reviewer agreeing with a first.
CONFIRM_ALONE_REPORTERS = 2


def open_proposal(session: Session, *, indicator_id: int) -> ReviewEvent | None:
    """The pending "confirm this contact" of a first reviewer, if no decision came after it."""
    latest = session.exec(
        select(ReviewEvent)
        .where(col(ReviewEvent.indicator_id) == indicator_id,
               col(ReviewEvent.action).in_(("confirm_proposed", "confirm")))
        .order_by(col(ReviewEvent.at).desc(), col(ReviewEvent.id).desc())
    ).first()
    return latest if latest is not None and latest.action == "confirm_proposed" else None


def set_indicator_decision(session: Session, *, indicator_id: int, confirmed: bool, staff: StaffUser,
                           note: str | None = None) -> str:
    """Confirm (the bot's public look-up then shows the contact as a known scam contact) or
    reject a contact; "confirmed", "proposed" or "rejected". Safelisted contacts (official
    hotlines) can never be confirmed. A contact fewer than `CONFIRM_ALONE_REPORTERS` people
    reported is confirmed by an admin, or by a second reviewer after a first proposed it (the
    proposal is audited as `confirm_proposed`); a rejection closes a pending proposal."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise ReviewError(f"no contact {indicator_id}")
    if confirmed and safelisted_pairs(session, pairs=[(indicator.type, indicator.value)]):
        raise ReviewError("this contact is on the safelist of official contacts")
    if confirmed and not indicator.confirmed and not is_admin(staff):
        reporters = contact_signals(session, indicator_ids=[indicator_id]).get(indicator_id, (0, 0))[0]
        if reporters < CONFIRM_ALONE_REPORTERS:
            proposal = open_proposal(session, indicator_id=indicator_id)
            if proposal is None:
                record_event(session, actor=staff.username, action="confirm_proposed",
                             indicator_id=indicator_id, new=f"{reporters} independent reporter(s)",
                             note=note)
                return "proposed"
            if proposal.actor == staff.username:
                raise ReviewError("You proposed this already: a second reviewer or an admin must confirm it.")
            note = f"second reviewer after {proposal.actor}" + (f": {note}" if note else "")
    set_indicator_confirmed(session, actor=staff, indicator_id=indicator_id,
                                    confirmed=confirmed, note=note)
    return "confirmed" if confirmed else "rejected"


def block_reporter_of(session: Session, *, report_id: int, staff: StaffUser, note: str | None) -> int:
    """Block the pseudonym that filed a report: all its reports become spam and, through
    `UserPrefs.blocked`, its future reports never count. Returns how many reports changed.
    A reason is required (it is the audit log's note); `unblock_reporter_of` undoes it."""
    if not note or not note.strip():
        raise ReviewError("Say why this reporter is blocked: the reason goes into the audit log.")
    report = _report(session, report_id)
    changed = block_reporter(session, actor=staff, user_key=report.reporter_key)
    # The audit log names the report the decision was taken on, never the pseudonym itself.
    record_event(session, actor=staff.username, action="block_reporter", report_id=report_id,
                 new=f"{changed} reports marked spam", note=note)
    return changed


def unblock_reporter_of(session: Session, *, report_id: int, staff: StaffUser, note: str | None) -> int:
    """Undo a block: the pseudonym's reports that the block made spam get their status back."""
    if not note or not note.strip():
        raise ReviewError("Say why this reporter is unblocked: the reason goes into the audit log.")
    report = _report(session, report_id)
    if not is_reporter_blocked(session, reporter_key=report.reporter_key):
        raise ReviewError("This reporter is not blocked.")
    restored = unblock_reporter(session, actor=staff, user_key=report.reporter_key)
    record_event(session, actor=staff.username, action="unblock_reporter", report_id=report_id,
                 new=f"{restored} reports restored", note=note)
    return restored


def pending_proposals(session: Session, *, indicator_ids: Sequence[int]) -> dict[int, str]:
    """indicator id -> who proposed confirming it, for contacts waiting for a second reviewer."""
    found: dict[int, str] = {}
    for indicator_id in indicator_ids:
        proposal = open_proposal(session, indicator_id=indicator_id)
        if proposal is not None:
            found[indicator_id] = proposal.actor
    return found


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
                     min_reports: int = 2, limit: int = 30, hub_limit: int | None = None,
                     hubs: dict[str, int] | None = None) -> list[Cluster]:
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
    if hub_limit is not None:
        # Hubs link nothing (they are listed apart, in `hubs`): see HUB_LIMIT.
        for key in [key for key, ids in shared.items() if len(ids) > hub_limit]:
            if hubs is not None:
                hubs[key] = len(shared[key])
            del shared[key]

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


# --- one cluster, one contact ----------------------------------------------------------------

# A contact named by more reports than this is a hub (a recruiter's public number, a big
# channel): shown with its count, never followed, so one hub does not pull thousands of
# unrelated reports into one unreadable star.
HUB_LIMIT = 50
CLUSTER_MAX_REPORTS = 1000


@dataclass
class ClusterContact:
    indicator_id: int
    type: str
    value: str
    confirmed: bool
    reports: int  # every report naming it (spam included)
    in_cluster: int = 0  # reports of this cluster naming it
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    hub: bool = False

    @property
    def key(self) -> str:
        return f"{self.type}:{self.value}"


@dataclass(frozen=True)
class ClusterReport:
    id: int
    receipt_code: str
    created_at: datetime
    happened: str | None
    kind: str
    country: str | None
    language: str | None
    risk_level: str | None
    status: str


@dataclass
class ClusterView:
    seed: int
    reports: list[ClusterReport]
    contacts: list[ClusterContact]  # followed: they link the reports
    hubs: list[ClusterContact]  # named here, too common to follow
    edges: list[tuple[int, str]]  # (report id, contact key) for the picture
    truncated: bool
    links: dict[int, list[str]] = field(default_factory=dict)  # report id -> its contact keys

    @property
    def first_seen(self) -> datetime | None:
        return min((r.created_at for r in self.reports), default=None)

    @property
    def last_seen(self) -> datetime | None:
        return max((r.created_at for r in self.reports), default=None)

    def tally(self, attribute: str) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for report in self.reports:
            counts[getattr(report, attribute) or "—"] += 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class _Among:
    """`column IN (ids)` for a cluster walk: on PostgreSQL one array parameter (`= ANY`), so a
    level of the walk is one query however wide, not one per 500 ids each with 500 parameters
    to render and parse (a third of the walk's time at 1,000 reports); SQLite keeps IN lists."""

    def __init__(self, session: Session) -> None:
        self.array = session.get_bind().dialect.name == "postgresql"
        self.size = 50_000 if self.array else 500

    def __call__(self, column: Any, ids: Sequence[int]) -> sa.ColumnElement[bool]:
        if self.array:
            return column == sa.any_(sa.bindparam(None, list(ids), type_=ARRAY(sa.Integer)))
        return col(column).in_(ids)  # type: ignore[no-any-return]


def cluster_of(session: Session, *, report_id: int, hub_limit: int = HUB_LIMIT,
               max_reports: int = CLUSTER_MAX_REPORTS) -> ClusterView | None:
    """The reports connected to one report through shared contacts (breadth first, in SQL).
    Spam reports and safelisted contacts are left out; hub contacts are listed, not followed;
    at `max_reports` the walk stops (`truncated`)."""
    if session.get(Report, report_id) is None:
        return None
    among = _Among(session)
    seen_reports: set[int] = {report_id}
    frontier = [report_id]
    contacts: dict[int, ClusterContact] = {}
    edges: set[tuple[int, int]] = set()
    truncated = False
    while frontier and not truncated:
        new_ids: set[int] = set()
        for chunk in _chunks(frontier, among.size):
            for rid, iid, kind, value, confirmed in session.exec(
                select(ReportIndicator.report_id, Indicator.id, Indicator.type,  # type: ignore[call-overload]
                       Indicator.value,
                       Indicator.confirmed)
                .join(Indicator, col(Indicator.id) == col(ReportIndicator.indicator_id))
                .where(among(ReportIndicator.report_id, chunk))
            ).all():
                edges.add((int(rid), int(iid or 0)))
                if iid not in contacts:
                    contacts[int(iid or 0)] = ClusterContact(int(iid or 0), kind, value, bool(confirmed), 0)
                    new_ids.add(int(iid or 0))
        if not new_ids:
            break
        fresh = sorted(new_ids)
        safe = safelisted_pairs(session, pairs=[(contacts[i].type, contacts[i].value) for i in fresh])
        for i in fresh:
            if (contacts[i].type, contacts[i].value) in safe:
                del contacts[i]
        follow: list[int] = []
        for chunk in _chunks([i for i in fresh if i in contacts], among.size):
            for iid, count in session.exec(
                select(ReportIndicator.indicator_id, sa.func.count())
                .where(among(ReportIndicator.indicator_id, chunk))
                .group_by(col(ReportIndicator.indicator_id))
            ).all():
                contacts[iid].reports = int(count)
                contacts[iid].hub = count > hub_limit
                if 1 < count <= hub_limit:
                    follow.append(iid)
        frontier = []
        for chunk in _chunks(follow, among.size):
            for rid in session.exec(
                select(ReportIndicator.report_id)
                .join(Report, col(Report.id) == col(ReportIndicator.report_id))
                .where(among(ReportIndicator.indicator_id, chunk), Report.status != ReportStatus.spam)
            ).all():
                if rid not in seen_reports:
                    if len(seen_reports) >= max_reports:
                        truncated = True
                        break
                    seen_reports.add(rid)
                    frontier.append(rid)
    rows: list[ClusterReport] = []
    for chunk in _chunks(sorted(seen_reports), among.size):
        rows += [ClusterReport(r[0], r[1], r[2], r[3], str(r[4]), r[5], r[6], r[7], str(r[8]))
                 for r in session.exec(select(  # type: ignore[call-overload, misc]
                     Report.id, Report.receipt_code, Report.created_at, Report.happened, Report.kind,
                     Report.country, Report.language, Report.risk_level, Report.status)
                     .where(among(Report.id, chunk))).all()]
    rows.sort(key=lambda r: (r.created_at, r.id))
    created = {r.id: r.created_at for r in rows}
    links: dict[int, list[str]] = defaultdict(list)
    drawn: list[tuple[int, str]] = []
    for rid, iid in sorted(edges):
        contact = contacts.get(iid)
        if contact is None or rid not in created:
            continue
        contact.in_cluster += 1
        when = created[rid]
        contact.first_seen = min(contact.first_seen or when, when)
        contact.last_seen = max(contact.last_seen or when, when)
        links[rid].append(contact.key)
        if contact.reports > 1:
            drawn.append((rid, contact.key))
    shared = [c for c in contacts.values() if c.reports > 1]
    ranked = sorted(shared, key=lambda c: (-c.in_cluster, c.type, c.value))
    return ClusterView(seed=report_id, reports=rows, contacts=[c for c in ranked if not c.hub],
                       hubs=[c for c in ranked if c.hub], edges=drawn, truncated=truncated, links=dict(links))


# A contact named by more reports than this has its dates read along the date index (SQLite).
WALK_DATES_FROM = 1000


@dataclass
class ContactView:
    indicator: Indicator
    total: int
    reports: list[ClusterReport]  # the latest ones
    neighbours: list[tuple[ClusterContact, int]]  # other contacts of those reports, how often
    first_seen: datetime | None
    last_seen: datetime | None


def contact_view(session: Session, *, indicator_id: int, limit: int = 200) -> ContactView | None:
    """One contact and what surrounds it: the reports naming it (latest `limit`) and the other
    contacts those reports name (the ego network)."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        return None
    naming = select(ReportIndicator.report_id).where(ReportIndicator.indicator_id == indicator_id)
    # Counted in the link table's key alone, and first/last seen each as one step along the
    # date index: a hub named by 28,000 reports no longer reads all their rows (45 ms).
    total = int(session.exec(select(sa.func.count()).select_from(ReportIndicator)
                             .where(ReportIndicator.indicator_id == indicator_id)).one())
    member = col(Report.id).in_(naming)
    if total > WALK_DATES_FROM and session.get_bind().dialect.name == "sqlite":
        # SQLite would fetch every naming report by id and sort them all, three times (~60 ms
        # each for a hub); `id + 0` keeps it off the id, so it reads the date index until the
        # first/last/200 members (a hub is dense there). PostgreSQL picks that plan by itself.
        member = (col(Report.id) + 0).in_(naming)
    first, last = (session.exec(select(Report.created_at).where(member)
                                .order_by(direction(col(Report.created_at))).limit(1)).first()
                   for direction in (sa.asc, sa.desc))
    rows = [ClusterReport(r[0], r[1], r[2], r[3], str(r[4]), r[5], r[6], r[7], str(r[8]))
            for r in session.exec(select(  # type: ignore[call-overload, misc]
                Report.id, Report.receipt_code, Report.created_at, Report.happened, Report.kind,
                Report.country, Report.language, Report.risk_level, Report.status)
                .where(member)
                .order_by(col(Report.created_at).desc(), col(Report.id).desc()).limit(limit)).all()]
    ids = [r.id for r in rows]
    neighbours: list[tuple[ClusterContact, int]] = []
    if ids:
        together = sa.func.count().label("together")
        for iid, kind, value, confirmed, count in session.exec(
            select(Indicator.id, Indicator.type, Indicator.value,  # type: ignore[call-overload]
                   Indicator.confirmed, together)
            .join(ReportIndicator, col(ReportIndicator.indicator_id) == col(Indicator.id))
            .where(col(ReportIndicator.report_id).in_(ids), Indicator.id != indicator_id)
            .group_by(Indicator.id, Indicator.type, Indicator.value, Indicator.confirmed)
            .order_by(together.desc(), Indicator.id).limit(50)
        ).all():
            neighbours.append((ClusterContact(int(iid), kind, value, bool(confirmed), 0), int(count)))
    return ContactView(indicator, total, rows, neighbours, first, last)


def cluster_export(view: ClusterView) -> dict[str, Any]:
    """One cluster for a partner: reports without narratives or reporters, and the contacts."""
    def contact(c: ClusterContact) -> dict[str, Any]:
        return {"type": c.type, "value": c.value, "confirmed": c.confirmed,
                "reports_in_cluster": c.in_cluster, "reports_total": c.reports,
                "first_seen": c.first_seen.isoformat() if c.first_seen else None,
                "last_seen": c.last_seen.isoformat() if c.last_seen else None}

    return {
        "cluster_of_report": view.seed, "truncated": view.truncated,
        "first_seen": view.first_seen.isoformat() if view.first_seen else None,
        "last_seen": view.last_seen.isoformat() if view.last_seen else None,
        "countries": dict(view.tally("country")), "kinds": dict(view.tally("kind")),
        "reports": [{"id": r.id, "receipt_code": r.receipt_code, "created_at": r.created_at.isoformat(),
                     "happened": r.happened, "kind": r.kind, "country": r.country, "language": r.language,
                     "risk_level": r.risk_level, "status": r.status,
                     "contacts": sorted(view.links.get(r.id, []))} for r in view.reports],
        "contacts": [contact(c) for c in view.contacts],
        "hub_contacts": [contact(c) for c in view.hubs],
    }


# --- dashboard -------------------------------------------------------------------------------

def count_by(session: Session, *, column: Any, since: datetime | None = None,
             limit: int = 15) -> list[tuple[str, int]]:
    statement = select(column, sa.func.count()).select_from(Report).group_by(column)
    if since is not None:
        statement = statement.where(col(Report.created_at) >= since)
    statement = statement.order_by(sa.func.count().desc()).limit(limit)
    return [(str(value) if value is not None else "—", int(count))
            for value, count in session.exec(statement).all()]


def _utc_day(session: Session, column: Any) -> Any:
    """The UTC calendar day of a timestamp column, in the session's SQL dialect."""
    return sa.func.date(column) if session.get_bind().dialect.name == "sqlite" \
        else sa.cast(sa.func.timezone("UTC", column), sa.Date)


def _per_day(rows: Any, start: date, days: int) -> list[tuple[date, int]]:
    """(day, count) rows as one entry per day from `start`, days with no row counted 0."""
    counts = {(value if isinstance(value, date) else date.fromisoformat(str(value))): int(n)
              for value, n in rows}
    return [(start + timedelta(days=i), counts.get(start + timedelta(days=i), 0)) for i in range(days)]


def reports_per_day(session: Session, *, days: int = 30, today: date | None = None) -> list[tuple[date, int]]:
    end = today or datetime.now(UTC).date()
    start = end - timedelta(days=days - 1)
    day = _utc_day(session, Report.created_at)
    rows = session.exec(
        select(day, sa.func.count()).where(col(Report.created_at) >= datetime.combine(start, time.min, UTC))
        .group_by(day)
    ).all()
    return _per_day(rows, start, days)


@dataclass(frozen=True)
class Backlog:
    open: int  # new + in review
    new: int
    unassigned: int
    oldest_unreviewed: datetime | None  # the oldest report still new


def backlog(session: Session) -> Backlog:
    open_statuses = [ReportStatus.new, ReportStatus.in_review]
    counts = dict(session.exec(select(Report.status, sa.func.count())  # type: ignore[arg-type]
                               .where(col(Report.status).in_(open_statuses)).group_by(Report.status)).all())
    unassigned = session.exec(select(sa.func.count()).select_from(Report).where(
        col(Report.status).in_(open_statuses), col(Report.assignee_id).is_(None))).one()
    oldest = session.exec(select(sa.func.min(Report.created_at))
                          .where(Report.status == ReportStatus.new)).one()
    new = int(counts.get(ReportStatus.new, 0) or counts.get("new", 0))
    return Backlog(open=new + int(counts.get(ReportStatus.in_review, 0) or counts.get("in_review", 0)),
                   new=new, unassigned=int(unassigned), oldest_unreviewed=oldest)


def reviews_per_day(session: Session, *, days: int = 30, today: date | None = None) -> list[tuple[date, int]]:
    """Status decisions taken by staff per UTC day (the bot's own changes and blocks excluded)."""
    end = today or datetime.now(UTC).date()
    start = end - timedelta(days=days - 1)
    day = _utc_day(session, ReviewEvent.at)
    rows = session.exec(
        select(day, sa.func.count()).where(
            ReviewEvent.action == "status", col(ReviewEvent.at) >= datetime.combine(start, time.min, UTC),
            col(ReviewEvent.actor).not_in([reports.SYSTEM_ACTOR, reports.REPORTER_ACTOR]),
            sa.or_(col(ReviewEvent.note).is_(None), col(ReviewEvent.note) != "reporter blocked"))
        .group_by(day)
    ).all()
    return _per_day(rows, start, days)


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
    bot's contact check (`storage.is_safelisted`) finds it."""
    contact = parse_contact(raw, default_region=default_region)
    if contact is not None:
        entry_type, value = contact.type.value, contact.value
    else:
        short_code = _short_code(raw, region=default_region)
        if short_code is None:
            raise ReviewError(f"not a phone number, handle, link or address: {raw!r}")
        entry_type, value = ContactType.PHONE.value, short_code
    entry = add_safelist(session, type=entry_type, value=value, label=label[:255],
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
    if entry.type in CONTACT_TYPES:  # partners following the feed see it is no longer safe
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


# --- audit log -------------------------------------------------------------------------------

AUDIT_PAGE = 100


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    report_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    before: int | None = None  # page: events with a smaller id (newest first)

    def as_query(self) -> dict[str, str]:
        pairs = {"actor": self.actor, "action": self.action,
                 "report": str(self.report_id) if self.report_id else None,
                 "date_from": self.date_from.isoformat() if self.date_from else None,
                 "date_to": self.date_to.isoformat() if self.date_to else None}
        return {key: value for key, value in pairs.items() if value}


def parse_audit_filter(query: Any) -> AuditFilter:
    def text(name: str, limit: int = 64) -> str | None:
        raw = (query.get(name) or "").strip()[:limit]
        return raw or None

    def number(name: str) -> int | None:
        raw = text(name, 12)
        return int(raw) if raw and raw.isdigit() else None

    def day(name: str) -> date | None:
        try:
            raw = text(name, 10)
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    return AuditFilter(actor=text("actor"), action=text("action", 32), report_id=number("report"),
                       date_from=day("date_from"), date_to=day("date_to"), before=number("before"))


@dataclass(frozen=True)
class AuditPage:
    events: list[ReviewEvent]
    next_before: int | None  # id for the "older" link, None on the last page
    total: int


def audit_page(session: Session, *, filters: AuditFilter, size: int = AUDIT_PAGE) -> AuditPage:
    """Audit events newest first, filtered, a page at a time (keyset on the id: deep pages cost
    the same as the first)."""
    where: list[sa.ColumnElement[bool]] = []
    if filters.actor:
        where.append(col(ReviewEvent.actor) == filters.actor)
    if filters.action:
        where.append(col(ReviewEvent.action) == filters.action)
    if filters.report_id:
        where.append(col(ReviewEvent.report_id) == filters.report_id)
    where.extend(queue.day_range(col(ReviewEvent.at), filters.date_from, filters.date_to))
    total = int(session.exec(select(sa.func.count()).select_from(ReviewEvent).where(*where)).one())
    if filters.before:
        where.append(col(ReviewEvent.id) < filters.before)
    events = list(session.exec(select(ReviewEvent).where(*where)
                               .order_by(col(ReviewEvent.id).desc()).limit(size + 1)).all())
    more = len(events) > size
    events = events[:size]
    return AuditPage(events=events, next_before=events[-1].id if more and events else None, total=total)


def audit_choices(session: Session) -> tuple[list[str], list[str]]:
    """Actors and actions that occur in the log (for the filter drop-downs)."""
    actors = session.exec(select(ReviewEvent.actor).distinct().order_by(ReviewEvent.actor).limit(200)).all()
    actions = session.exec(select(ReviewEvent.action).distinct().order_by(ReviewEvent.action)).all()
    return list(actors), list(actions)


# --- export ----------------------------------------------------------------------------------

def export_rows(session: Session, *, filters: queue.QueueFilter, staff_id: int | None,
                limit: int = EXPORT_LIMIT) -> list[dict[str, Any]]:
    """The filtered reports with their contacts, ready for CSV/JSON (no reporter pseudonym)."""
    where, _searched = queue.conditions(session, filters, staff_id=staff_id)
    statement = queue.ordered(select(Report).where(*where), filters.sort)
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


def revoked_indicators(session: Session) -> list[tuple[Indicator, datetime, datetime]]:
    """Contacts once confirmed (and so published) and since rejected: (contact, first confirmed,
    last withdrawn), for the STIX export's `revoked` objects."""
    confirmed_at = sa.func.min(sa.case((col(ReviewEvent.new) == "true", col(ReviewEvent.at))))
    withdrawn_at = sa.func.max(sa.case(
        (sa.and_(col(ReviewEvent.old) == "true", col(ReviewEvent.new) == "false"), col(ReviewEvent.at))))
    rows = session.execute(
        select(col(ReviewEvent.indicator_id), confirmed_at, withdrawn_at)
        .where(col(ReviewEvent.action) == "confirm", col(ReviewEvent.indicator_id).is_not(None))
        .group_by(col(ReviewEvent.indicator_id))
    ).all()
    found: list[tuple[Indicator, datetime, datetime]] = []
    for indicator_id, first, last in rows:
        if first is None or last is None:
            continue
        indicator = session.get(Indicator, indicator_id)
        if indicator is None or indicator.confirmed:
            continue
        found.append((indicator, _aware(first), _aware(last)))
    return sorted(found, key=lambda row: (row[0].type, row[0].value))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
