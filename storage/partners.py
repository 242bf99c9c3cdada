"""Partners of the look-up API (banks, platforms, other NGOs): keys, look-ups, feedback, audit.

Keys are `lc_<prefix>_<secret>` (prefix 8 hex characters, shown to staff to tell keys apart;
secret 43 url-safe characters = 256 bits). Only SHA-256 of the whole key is stored: a
high-entropy random key needs no slow hash, and a look-up is one unique-index probe. A key is
printed once, when it is made or rotated.

What a look-up answers (`lookup_identities`), and what it never does:
- `status`: `safelisted` (an official contact: nothing else is said), `confirmed` (staff
  confirmed it), `reported` (counted reports by `reporters` independent people, not verified),
  or `none`;
- the channels it was reported as (phone, whatsapp, …), the kinds of report, the countries,
  and first/last seen as **dates** (a time of day could be matched to one person's report);
- never a narrative, a receipt code, a pseudonym, a report id or anything else of a reporter.
Counting follows storage.reports (spam, false and duplicate reports and blocked reporters
do not count).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, any_, bindparam, case, delete, exists, func, insert, select
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, col

from storage.identity import IdentityKey, identity_of, indicator_types, kind_of_type_map
from storage.models import (
    Indicator,
    Partner,
    PartnerCall,
    PartnerFeedback,
    Report,
    ReportIndicator,
    ReviewEvent,
    SafelistEntry,
    UserPrefs,
    utcnow,
)
from storage.reports import NOT_COUNTED

SCOPES = ("lookup", "feed", "feedback")
FEEDBACK_ACTIONS = ("account_frozen", "account_closed", "payment_blocked", "false_positive",
                    "also_seen", "other")
DEFAULT_RATE_PER_MINUTE = 6000
KEY_PREFIX = "lc_"
_KEY_RE = re.compile(r"lc_([0-9a-f]{8})_[A-Za-z0-9_-]{43}")
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")

# Status values of a look-up.
SAFELISTED, CONFIRMED, REPORTED, NONE = "safelisted", "confirmed", "reported", "none"


class PartnerError(ValueError):
    """A partner operation that cannot be done (unknown name, bad scope, duplicate)."""


# --- keys and partners ----------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """(key, prefix) — a fresh API key."""
    prefix = secrets.token_hex(4)
    return f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}", prefix


def parse_scopes(text: str | Iterable[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else list(text)
    scopes = sorted({item.strip().lower() for item in items if item.strip()})
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise PartnerError(f"scopes are a comma-separated choice of {', '.join(SCOPES)}")
    return scopes


def scopes_of(partner: Partner) -> list[str]:
    return [scope for scope in partner.scopes.split(",") if scope]


def _record(session: Session, *, actor: str, action: str, new: str) -> None:
    session.add(ReviewEvent(actor=actor, action=action, new=new[:255]))


def get_partner(session: Session, *, name: str) -> Partner | None:
    return session.execute(select(Partner).where(col(Partner.name) == name)).scalar_one_or_none()


def add_partner(session: Session, *, name: str, scopes: Sequence[str], actor: str,
                rate_per_minute: int = DEFAULT_RATE_PER_MINUTE) -> tuple[Partner, str]:
    """A new partner and its key (the only time the key exists in clear)."""
    name = name.strip()
    if not _NAME_RE.fullmatch(name):
        raise PartnerError("a partner name has 1-64 letters, digits, spaces, '.', '_' or '-'")
    if not 1 <= rate_per_minute <= 1_000_000:
        raise PartnerError("the rate is 1 to 1,000,000 values per minute")
    chosen = parse_scopes(scopes)
    if get_partner(session, name=name) is not None:
        raise PartnerError(f"a partner named {name!r} exists already")
    key, prefix = new_key()
    partner = Partner(name=name, key_prefix=prefix, key_hash=hash_key(key), scopes=",".join(chosen),
                      rate_per_minute=rate_per_minute)
    session.add(partner)
    session.flush()
    _record(session, actor=actor, action="partner_add", new=f"{name} ({','.join(chosen)})")
    return partner, key


def _existing(session: Session, name: str) -> Partner:
    partner = get_partner(session, name=name)
    if partner is None:
        raise PartnerError(f"no partner named {name!r}")
    return partner


def revoke_partner(session: Session, *, name: str, actor: str) -> Partner:
    partner = _existing(session, name)
    if partner.revoked_at is None:
        partner.revoked_at = utcnow()
        session.add(partner)
        session.flush()
        _record(session, actor=actor, action="partner_revoke", new=name)
    return partner


def rotate_partner(session: Session, *, name: str, actor: str) -> tuple[Partner, str]:
    """A new key for the partner; the old one stops working at once. A revoked partner is
    re-enabled by rotation (with a key nobody has seen)."""
    partner = _existing(session, name)
    key, prefix = new_key()
    partner.key_hash, partner.key_prefix = hash_key(key), prefix
    partner.rotated_at, partner.revoked_at = utcnow(), None
    session.add(partner)
    session.flush()
    _record(session, actor=actor, action="partner_rotate", new=name)
    return partner, key


def list_partners(session: Session) -> list[Partner]:
    return list(session.execute(select(Partner).order_by(col(Partner.name))).scalars())


_BY_KEY_HASH = select(Partner).where(col(Partner.key_hash) == bindparam("key_hash"))


def partner_for_key(session: Session, *, key: str) -> Partner | None:
    """The partner owning a presented key (revoked ones too: the caller tells them apart)."""
    if not _KEY_RE.fullmatch(key):
        return None
    partner = session.execute(_BY_KEY_HASH, {"key_hash": hash_key(key)}).scalar_one_or_none()
    if partner is None or not hmac.compare_digest(partner.key_hash, hash_key(key)):
        return None
    return partner


# --- look-ups --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityState:
    kind: str
    key: str
    status: str
    reporters: int = 0
    channels: tuple[str, ...] = ()
    report_kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    first_seen: date | None = None
    last_seen: date | None = None
    confirmed_on: date | None = None

    def as_json(self) -> dict[str, Any]:
        """What a partner sees: nothing here can identify a reporter."""
        body: dict[str, Any] = {"identity": {"kind": self.kind, "key": self.key}, "status": self.status}
        if self.status == SAFELISTED or self.status == NONE:
            return body
        body.update(
            reporters=self.reporters, channels=list(self.channels), kinds=list(self.report_kinds),
            countries=list(self.countries),
            first_seen=self.first_seen.isoformat() if self.first_seen else None,
            last_seen=self.last_seen.isoformat() if self.last_seen else None,
        )
        if self.confirmed_on is not None:
            body["confirmed_on"] = self.confirmed_on.isoformat()
        return body


@dataclass
class _Gather:
    confirmed_at: datetime | None = None
    confirmed: bool = False
    reporters: int = 0
    first: datetime | None = None
    last: datetime | None = None
    channels: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)


_INDICATOR = Indicator.__table__  # type: ignore[attr-defined]
_REPORT = Report.__table__  # type: ignore[attr-defined]
_REPORT_INDICATOR = ReportIndicator.__table__  # type: ignore[attr-defined]
_USER_PREFS = UserPrefs.__table__  # type: ignore[attr-defined]
_SAFELIST = SafelistEntry.__table__  # type: ignore[attr-defined]

_KIND = case(kind_of_type_map(), value=_INDICATOR.c.type, else_=_INDICATOR.c.type)
_COUNTED_JOIN = _INDICATOR.outerjoin(
    _REPORT_INDICATOR, _REPORT_INDICATOR.c.indicator_id == _INDICATOR.c.id
).outerjoin(
    _REPORT,
    and_(
        _REPORT.c.id == _REPORT_INDICATOR.c.report_id,
        _REPORT.c.status.not_in(NOT_COUNTED),
        ~exists().where(_USER_PREFS.c.user_key == _REPORT.c.reporter_key,
                        _USER_PREFS.c.blocked.is_(True)),
    ),
)
# One row per identity: independent reporters counted across all the types it is stored as.
_SUMMARY = (
    select(_KIND, _INDICATOR.c.value, func.max(case((_INDICATOR.c.confirmed, 1), else_=0)),
           func.min(_INDICATOR.c.confirmed_at), func.count(func.distinct(_REPORT.c.reporter_key)),
           func.min(_REPORT.c.created_at), func.max(_REPORT.c.created_at))
    .select_from(_COUNTED_JOIN).group_by(_KIND, _INDICATOR.c.value)
)
# How each report sighted the contact (the channel of a phone: whatsapp, viber, …), else its type.
_FACETS = (
    select(_KIND, _INDICATOR.c.value,
           func.coalesce(_REPORT_INDICATOR.c.channel, _INDICATOR.c.type), _REPORT.c.kind,
           _REPORT.c.country)
    .select_from(_COUNTED_JOIN).distinct()
)
_SAFE = select(_SAFELIST.c.type, _SAFELIST.c.value)


@dataclass(frozen=True)
class _LookupQueries:
    summary: Any
    facets: Any
    safe: Any
    chunk: int


def _lookup_queries(values_of: Any, safe_values_of: Any, chunk: int) -> _LookupQueries:
    return _LookupQueries(summary=_SUMMARY.where(values_of), facets=_FACETS.where(values_of),
                          safe=_SAFE.where(safe_values_of), chunk=chunk)


# IN lists of at most 200 values; on PostgreSQL, more values go as one array parameter (= ANY),
# so a batch of 1,000 is three statements without 1,000 placeholders to render, parse and plan
# (with IN lists its planner switched to scanning the whole tables beyond ~200 values). A few
# values are quicker as an IN list on both engines.
_IN_LISTS = _lookup_queries(_INDICATOR.c.value.in_(bindparam("values", expanding=True)),
                            _SAFELIST.c.value.in_(bindparam("values", expanding=True)), 200)
_ARRAYS = _lookup_queries(
    _INDICATOR.c.value == any_(bindparam("values", type_=postgresql.ARRAY(String))),
    _SAFELIST.c.value == any_(bindparam("values", type_=postgresql.ARRAY(String))), 1000)


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def lookup_identities(session: Session, *, identities: Iterable[IdentityKey]
                      ) -> dict[IdentityKey, IdentityState]:
    """The state of each identity: three indexed queries per 200 distinct values."""
    wanted = set(identities)
    if not wanted:
        return {}
    keys = sorted({key for _kind, key in wanted})
    safe: set[IdentityKey] = set()
    gathered: dict[IdentityKey, _Gather] = defaultdict(_Gather)
    big_on_postgres = len(keys) > _IN_LISTS.chunk and session.get_bind().dialect.name == "postgresql"
    queries = _ARRAYS if big_on_postgres else _IN_LISTS
    for start in range(0, len(keys), queries.chunk):
        values = {"values": keys[start:start + queries.chunk]}
        safe.update(identity_of(type_, value) for type_, value in session.execute(queries.safe, values))
        for kind, value, confirmed, confirmed_at, reporters, first, last in session.execute(
                queries.summary, values):
            if (kind, value) in wanted:
                item = gathered[(kind, value)]
                item.confirmed, item.confirmed_at = bool(confirmed), confirmed_at
                item.reporters, item.first, item.last = int(reporters), first, last
        for kind, value, type_, report_kind, country in session.execute(queries.facets, values):
            if (kind, value) in gathered:
                item = gathered[(kind, value)]
                item.channels.add(type_)
                if report_kind is not None:
                    item.kinds.add(str(report_kind))
                    if country:
                        item.countries.add(country)
    found: dict[IdentityKey, IdentityState] = {}
    for identity in wanted:
        kind, key = identity
        got = gathered.get(identity)
        if identity in safe:
            found[identity] = IdentityState(kind, key, SAFELISTED)
        elif got is not None and (got.confirmed or got.reporters > 0):
            # A confirmed contact's date is the confirmation's, never a reviewer's identity.
            found[identity] = IdentityState(
                kind, key, CONFIRMED if got.confirmed else REPORTED, reporters=got.reporters,
                channels=tuple(sorted(got.channels)), report_kinds=tuple(sorted(got.kinds)),
                countries=tuple(sorted(got.countries)), first_seen=_day(got.first),
                last_seen=_day(got.last), confirmed_on=_day(got.confirmed_at) if got.confirmed else None)
        else:
            found[identity] = IdentityState(kind, key, NONE)
    return found


def identity_known(session: Session, *, identity: IdentityKey) -> bool:
    """Whether the database holds this identity at all (as a reported contact or safelisted)."""
    kind, key = identity
    types = list(indicator_types(kind))
    for table in (_INDICATOR, _SAFELIST):
        row = session.execute(select(table.c.id).where(table.c.type.in_(types), table.c.value == key)
                              .limit(1)).first()
        if row is not None:
            return True
    return False


# --- feedback --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackItem:
    id: int
    partner: str
    at: datetime
    kind: str
    key: str
    action: str
    note: str | None


def add_feedback(session: Session, *, partner: Partner, identity: IdentityKey, action: str,
                 note: str | None) -> PartnerFeedback:
    if action not in FEEDBACK_ACTIONS:
        raise PartnerError(f"action is one of {', '.join(FEEDBACK_ACTIONS)}")
    assert partner.id is not None
    item = PartnerFeedback(partner_id=partner.id, kind=identity[0], key=identity[1], action=action,
                           note=(note or "").strip()[:500] or None)
    session.add(item)
    session.flush()
    return item


def _feedback_query() -> Any:
    return (select(PartnerFeedback, col(Partner.name))
            .join(Partner, col(Partner.id) == col(PartnerFeedback.partner_id)))


def _items(rows: Iterable[Any]) -> list[FeedbackItem]:
    return [FeedbackItem(f.id, name, f.at, f.kind, f.key, f.action, f.note) for f, name in rows]


def feedback_for(session: Session, *, identities: Iterable[IdentityKey]
                 ) -> dict[IdentityKey, list[FeedbackItem]]:
    """Partner feedback about these identities, newest first (for the report page)."""
    wanted = set(identities)
    found: dict[IdentityKey, list[FeedbackItem]] = defaultdict(list)
    if not wanted:
        return found
    rows = session.execute(_feedback_query()
                           .where(col(PartnerFeedback.key).in_(sorted({k for _t, k in wanted})))
                           .order_by(col(PartnerFeedback.at).desc(), col(PartnerFeedback.id).desc()))
    for item in _items(rows):
        if (item.kind, item.key) in wanted:
            found[(item.kind, item.key)].append(item)
    return found


def recent_feedback(session: Session, *, limit: int = 20) -> list[FeedbackItem]:
    return _items(session.execute(_feedback_query().order_by(
        col(PartnerFeedback.at).desc(), col(PartnerFeedback.id).desc()).limit(limit)))


def feedback_of_partner(session: Session, *, partner_id: int, limit: int, offset: int = 0,
                        ) -> tuple[list[FeedbackItem], int]:
    """One partner's feedback, newest first, a page of it; and how much there is in all."""
    page = _items(session.execute(
        _feedback_query().where(col(PartnerFeedback.partner_id) == partner_id)
        .order_by(col(PartnerFeedback.at).desc(), col(PartnerFeedback.id).desc())
        .limit(limit).offset(offset)))
    total = session.execute(select(func.count(col(PartnerFeedback.id)))
                            .where(col(PartnerFeedback.partner_id) == partner_id)).scalar_one()
    return page, int(total)


def feedback_counts(session: Session, *, since: datetime) -> list[tuple[str, int]]:
    count = func.count(col(PartnerFeedback.id))
    rows = session.execute(select(col(PartnerFeedback.action), count)
                           .where(col(PartnerFeedback.at) >= since)
                           .group_by(col(PartnerFeedback.action)).order_by(count.desc()))
    return [(str(action), int(n)) for action, n in rows]


# --- the audit of calls ----------------------------------------------------------------------


def record_calls(session: Session, *, calls: Sequence[dict[str, Any]]) -> None:
    """Store audited calls: dicts of partner_id, at, endpoint, status, value_count, match_count."""
    if calls:
        session.execute(insert(PartnerCall), list(calls))


def prune_calls(session: Session, *, older_than_days: int, now: datetime | None = None) -> int:
    """Delete audited calls older than `older_than_days` (PARTNER_CALL_RETENTION_DAYS); returns
    how many. Every batch look-up adds a row, so without this the audit grows for ever."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    result = session.execute(delete(PartnerCall).where(col(PartnerCall.at) < cutoff)
                             .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def recent_calls(session: Session, *, limit: int = 100,
                 partner_id: int | None = None) -> list[PartnerCall]:
    """The latest audited calls, of every partner or of one."""
    statement = select(PartnerCall).order_by(col(PartnerCall.id).desc()).limit(limit)
    if partner_id is not None:
        statement = statement.where(col(PartnerCall.partner_id) == partner_id)
    return list(session.execute(statement).scalars())


def usage_since(session: Session, *, since: datetime) -> dict[int, tuple[int, int, datetime | None]]:
    """partner id -> (calls, values looked up, last call) since a moment."""
    rows = session.execute(
        select(col(PartnerCall.partner_id), func.count(col(PartnerCall.id)),
               func.coalesce(func.sum(col(PartnerCall.value_count)), 0), func.max(col(PartnerCall.at)))
        .where(col(PartnerCall.at) >= since, col(PartnerCall.partner_id).is_not(None))
        .group_by(col(PartnerCall.partner_id)))
    return {int(pid): (int(calls), int(values), last) for pid, calls, values, last in rows}


def usage_last_day(session: Session) -> dict[int, tuple[int, int, datetime | None]]:
    return usage_since(session, since=utcnow() - timedelta(days=1))
