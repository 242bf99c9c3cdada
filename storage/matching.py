"""Offers matched against earlier reports (screening.similarity's MinHash, LSH bands indexed
in `report_text_band`), on SQLite and PostgreSQL alike.

What a person is told is only `OfferMatch.reporters` (independent reporters) and
`OfferMatch.since` (the first such report's month); the report ids are for staff pages.
Only counted reports match (not spam, false or duplicate, reporter not blocked).
"""

from __future__ import annotations

import hashlib
import struct
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Select, and_, bindparam, delete, exists, func, insert, select, update
from sqlmodel import Session

from screening.similarity import (
    SOMEWHAT_SIMILAR,
    VERY_SIMILAR,
    Fingerprint,
    decode_signature,
    fingerprint,
    similarity,
)
from storage.db import (
    Database,
    FixedStatement,
    dialect_of,
    list_parameter,
    none_of,
    one_of,
    run_fixed,
    run_fixed_many,
)
from storage.models import Report, ReportStatus, ReportTextBand, UserPrefs

_NOT_COUNTED = (ReportStatus.spam, ReportStatus.false_report, ReportStatus.duplicate)
_REPORT = Report.__table__  # type: ignore[attr-defined]
_BAND = ReportTextBand.__table__  # type: ignore[attr-defined]
_PREFS = UserPrefs.__table__  # type: ignore[attr-defined]


def _candidates(dialect: str) -> Select[Any]:
    """The reports sharing most of the `keys` bands with a text, best first."""
    return (
        select(_BAND.c.report_id, func.count().label("shared"))
        .where(one_of(_BAND.c.band_key, "keys", BigInteger(), dialect))
        .group_by(_BAND.c.report_id)
        .order_by(func.count().desc(), _BAND.c.report_id.desc())
        .limit(bindparam("limit"))
    )


# Built once per dialect, with the keys as one parameter (storage.db.one_of): an offer is
# looked up on every check, and an expanding IN of its 32 keys re-rendered the SQL each time.
_CANDIDATES = {dialect: _candidates(dialect) for dialect in ("sqlite", "postgresql")}


def _signatures(dialect: str) -> Select[Any]:
    """The counted candidates' signatures, in the same round trip as the candidate query."""
    candidate = _candidates(dialect).subquery("candidate")
    return (
        select(_REPORT.c.id, _REPORT.c.reporter_key, _REPORT.c.created_at,
               _REPORT.c.text_signature)
        .join(candidate, candidate.c.report_id == _REPORT.c.id)
        .where(
            none_of(_REPORT.c.status, _NOT_COUNTED),
            ~exists().where(and_(_PREFS.c.user_key == _REPORT.c.reporter_key,
                                 _PREFS.c.blocked.is_(True))),
        )
    )


_SIGNATURES = {dialect: _signatures(dialect) for dialect in ("sqlite", "postgresql")}
# On SQLite on the driver (storage.db.run_fixed): every checked offer looks its candidates up,
# and `Session.execute`'s own path cost more than SQLite's work.
_SIGNATURES_FIXED = FixedStatement(_SIGNATURES["sqlite"], postgresql=_SIGNATURES["postgresql"])


def signature_of(encoded: str) -> tuple[int, ...]:
    """`screening.similarity.decode_signature`, done in C (hex to bytes, bytes to 32-bit
    integers) instead of 64 `int(slice, 16)`: a look-up decodes every candidate's signature,
    up to 60 of them when many reports share one template ad, ~0.5 ms of CPU that way (bench/
    RESULTS.md, issue 21). Anything not whole 8-digit groups goes the original way."""
    if len(encoded) % 8 == 0:
        try:
            raw = bytes.fromhex(encoded)
        except ValueError:
            return decode_signature(encoded)
        return struct.unpack(f">{len(raw) // 4}I", raw)
    return decode_signature(encoded)


@dataclass(frozen=True)
class OfferMatch:
    reporters: int  # independent reporters of the matching reports
    since: datetime  # when the first of them was made (shown as a month)
    report_ids: tuple[int, ...]  # for staff only, never shown to a person


@dataclass(frozen=True)
class OfferMatches:
    very: OfferMatch | None  # "very similar to an ad N people reported": raises the level
    somewhat: OfferMatch | None  # a hint only
    short: bool  # a short text only suggests (never "very similar")


# Built once, on the tables: through the ORM session these three were built and compiled at
# every report (bench/RESULTS.md, issue 21); on SQLite they run on the driver.
_DELETE_BANDS = FixedStatement(delete(_BAND).where(_BAND.c.report_id == bindparam("report_id")))
_SET_SIGNATURE = FixedStatement(update(_REPORT).where(_REPORT.c.id == bindparam("report_id"))
                                .values(text_signature=bindparam("signature")))
_ADD_BAND = FixedStatement(insert(_BAND).values(band_key=bindparam("band_key"),
                                                report_id=bindparam("report_id")))


def text_index(text: str | None) -> tuple[str | None, list[int]]:
    """A report's signature (`Report.text_signature`) and band keys for its stored (redacted)
    text: (None, []) when the text has none."""
    found = (checked_print(text) or fingerprint(text)) if text else None
    if found is None or not found.signature:
        return None, []
    return found.encoded(), sorted(set(found.bands()))


# The fingerprints of the offers this process checked last (`match_offer`), for the report a
# person files from their check (`text_index`): the ad goes with the report, and redaction
# usually leaves it as it was (it removes only what is the reporter's own), so its fingerprint
# is the one computed at the check (~0.2 ms of CPU, bench/RESULTS.md, issue 21). Only the
# report's filing reads them; a check always computes its own. Kept by the text's 128-bit
# blake2b digest with the signature packed (~330 bytes an entry), the oldest dropped first; a
# text not found (checked long ago, in another process, or redacted) is fingerprinted again.
CHECKED_PRINTS_KEPT = 512
_CHECKED_PRINTS: dict[bytes, tuple[bytes, bool]] = {}
_CHECKED_PRINTS_LOCK = threading.Lock()


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _keep_checked_print(text: str, found: Fingerprint) -> None:
    packed = struct.pack(f">{len(found.signature)}I", *found.signature)
    key = _text_key(text)
    with _CHECKED_PRINTS_LOCK:
        _CHECKED_PRINTS.pop(key, None)  # re-inserted last: the newest
        _CHECKED_PRINTS[key] = (packed, found.short)
        while len(_CHECKED_PRINTS) > CHECKED_PRINTS_KEPT:
            del _CHECKED_PRINTS[next(iter(_CHECKED_PRINTS))]


def checked_print(text: str) -> Fingerprint | None:
    """`fingerprint(text)` as a recent check of this very text computed it, if kept."""
    kept = _CHECKED_PRINTS.get(_text_key(text))
    if kept is None:
        return None
    packed, short = kept
    return Fingerprint(struct.unpack(f">{len(packed) // 4}I", packed), short)


def add_report_bands(session: Database, *, report_id: int, band_keys: list[int]) -> None:
    """Index a new report's text: its band keys (`text_index`), the signature being stored with
    the report's row (`storage.reports.create_report`: no UPDATE of the row just inserted)."""
    run_fixed_many(session, _ADD_BAND,
                   [{"band_key": key, "report_id": report_id} for key in band_keys])


def index_report_text(session: Session, *, report_id: int, text: str | None) -> str | None:
    """(Re)compute a report's signature and band keys from its stored (redacted) text.
    Returns the signature stored (`Report.text_signature`)."""
    signature, band_keys = text_index(text)
    run_fixed(session, _DELETE_BANDS, {"report_id": report_id})
    run_fixed(session, _SET_SIGNATURE, {"report_id": report_id, "signature": signature})
    add_report_bands(session, report_id=report_id, band_keys=band_keys)
    return signature


def similar_reports(session: Database, *, text: str | None = None,
                    print_: Fingerprint | None = None, exclude_report_id: int | None = None,
                    candidates: int = 60) -> list[tuple[int, float, str, datetime]]:
    """(report id, estimated similarity, reporter pseudonym, created) of counted reports whose
    text is at least somewhat similar, most similar first."""
    found = print_ if print_ is not None else fingerprint(text or "")
    if not found.signature:
        return []
    dialect = dialect_of(session)
    parameters = {"keys": list_parameter(dialect, sorted(set(found.bands()))),
                  "limit": candidates}
    rows = [row for row in run_fixed(session, _SIGNATURES_FIXED, parameters)
            if row.text_signature and row.id != exclude_report_id]
    scored = [(int(report_id), score, str(reporter_key), created_at)
              for (report_id, reporter_key, created_at, _encoded), score
              in zip(rows, similarities(found.signature, [row.text_signature for row in rows]),
                     strict=True)
              if score >= SOMEWHAT_SIMILAR]
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def similarities(signature: tuple[int, ...], encoded: list[str]) -> list[float]:
    """`similarity(signature, signature_of(each))` for each encoded signature, all of them at
    once in numpy: a look-up scores up to 60 candidates, ~4.5 us apiece one by one (bench/
    RESULTS.md, issue 21). The same floats (equal positions / positions). Anything but
    whole signatures of `signature`'s length in plain hex goes the one-by-one way."""
    width = len(signature)
    if width and encoded and all(len(each) == 8 * width for each in encoded):
        try:
            raw = bytes.fromhex("".join(encoded))
        except ValueError:
            raw = b""
        # Whitespace, which fromhex skips, would leave fewer bytes than hex digits / 2.
        if len(raw) == 4 * width * len(encoded):
            others = np.frombuffer(raw, dtype=">u4").reshape(len(encoded), width)
            equal = (others == np.array(signature, dtype=np.uint32)).sum(axis=1)
            return [int(count) / width for count in equal]
    return [similarity(signature, signature_of(each)) for each in encoded]


def _match(rows: list[tuple[int, float, str, datetime]]) -> OfferMatch | None:
    if not rows:
        return None
    return OfferMatch(reporters=len({row[2] for row in rows}),
                      since=min(row[3] for row in rows),
                      report_ids=tuple(row[0] for row in rows))


def match_offer(session: Database, *, text: str, reporter_key: str | None = None) -> OfferMatches:
    """How an offer compares with the ads in earlier reports. The person's own reports are
    left out (their own ad coming back is no news)."""
    found = fingerprint(text)
    _keep_checked_print(text, found)
    rows = [row for row in similar_reports(session, print_=found) if row[2] != reporter_key]
    very = [row for row in rows if row[1] >= VERY_SIMILAR]
    somewhat = [row for row in rows if row[1] < VERY_SIMILAR]
    if found.short:  # a short text only suggests
        return OfferMatches(None, _match(rows), True)
    return OfferMatches(_match(very), _match(somewhat) if not very else None, False)


def near_duplicates(session: Session, *, report_id: int, limit: int = 20
                    ) -> list[tuple[Report, float]]:
    """Staff: the reports whose text is most similar to this one's (counted or not)."""
    report = session.get(Report, report_id)
    if report is None or not report.text_signature:
        return []
    signature = signature_of(report.text_signature)
    dialect = dialect_of(session)
    keys = list_parameter(dialect, sorted(set(Fingerprint(signature, False).bands())))
    ids = [row[0] for row in session.execute(_CANDIDATES[dialect], {"keys": keys, "limit": 200})
           if row[0] != report_id]
    if not ids:
        return []
    others = session.execute(select(Report).where(Report.id.in_(ids))).scalars()  # type: ignore[union-attr]
    scored = [(other, similarity(signature, signature_of(other.text_signature)))
              for other in others if other.text_signature]
    return sorted([(o, s) for o, s in scored if s >= SOMEWHAT_SIMILAR],
                  key=lambda item: -item[1])[:limit]


_TEMPLATE_SIGNATURES = select(_REPORT.c.id, _REPORT.c.text_signature).where(
    _REPORT.c.id.in_(bindparam("ids", expanding=True)))
TEMPLATE_LIMIT = 200  # candidates read per report: a template with more copies shows "200+"


def template_members(session: Session, *, report_id: int, limit: int = TEMPLATE_LIMIT
                     ) -> tuple[list[int], bool]:
    """Staff: the reports made from the same template as this one (its "very similar"
    near-duplicates, counted or not), itself included, by id; and whether the list was cut at
    `limit` candidates (the template has at least that many copies)."""
    encoded = session.execute(_TEMPLATE_SIGNATURES, {"ids": [report_id]}).first()
    if encoded is None:
        return [], False
    if not encoded[1]:
        return [report_id], False
    signature = signature_of(encoded[1])
    dialect = dialect_of(session)
    keys = list_parameter(dialect, sorted(set(Fingerprint(signature, False).bands())))
    ids = [int(row[0]) for row in session.execute(_CANDIDATES[dialect],
                                                  {"keys": keys, "limit": limit})]
    members = {report_id}
    for other_id, other in session.execute(_TEMPLATE_SIGNATURES, {"ids": ids}) if ids else ():
        if other and similarity(signature, signature_of(other)) >= VERY_SIMILAR:
            members.add(int(other_id))
    return sorted(members), len(ids) >= limit


@dataclass(frozen=True)
class Template:
    first: int  # the template's lowest report id among those found: the group's name
    size: int  # reports of the template (itself included)
    capped: bool  # at least `size`


def templates_of(session: Session, *, report_ids: list[int]) -> dict[int, Template]:
    """report id -> its template, for grouping a queue page (reports without a text have
    none). Two reports of one page share a group when one is among the other's members."""
    found: dict[int, tuple[list[int], bool]] = {
        report_id: template_members(session, report_id=report_id) for report_id in report_ids}
    answer: dict[int, Template] = {}
    for report_id, (members, capped) in found.items():
        if not members:
            continue
        # On the page, join a group already named by a report this one is similar to.
        first = next((answer[other].first for other in members if other in answer), members[0])
        answer[report_id] = Template(first, len(members), capped)
    return answer
