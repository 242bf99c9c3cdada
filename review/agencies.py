"""The registry of licensed recruitment agencies, imported from a government CSV list.

Stored in the `safelist_entry` table with type `agency` (no schema change): `value` is the
normalised agency name (what look-ups match on), `label` the name as listed with its licence
number and country, `source` the file it came from, when and by whom it was loaded. The offer
check asks `find_licensed_agency(session, name=…)`; an answer of None means only "not in the
list you loaded", never "unlicensed" — lists are partial and go out of date.

Accepted CSV: a header row with a `name` column (also `agency`, `agency name`, `company`), and
optionally `licence`/`license`/`licence number`/`license no` and `country`. Delimiter `,` or `;`
(sniffed), UTF-8 with or without BOM.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, delete, select

from review.queries import AGENCY_TYPE, normalise_agency_name, record_event
from storage.models import SafelistEntry

_NAME_COLUMNS = ("name", "agency", "agency name", "agency_name", "company", "company name")
_LICENCE_COLUMNS = ("licence", "license", "licence number", "license number", "licence no", "license no",
                    "licence_number", "license_number", "licence_no", "license_no")
_COUNTRY_COLUMNS = ("country", "country code")
MAX_AGENCIES = 100_000


class AgencyCsvError(ValueError):
    """The file is not a CSV list of agencies we can read."""


@dataclass(frozen=True)
class Agency:
    name: str
    licence: str | None
    country: str | None

    @property
    def key(self) -> str:
        return normalise_agency_name(self.name)

    @property
    def label(self) -> str:
        details = ", ".join(part for part in (
            f"licence {self.licence}" if self.licence else None, self.country) if part)
        return f"{self.name} ({details})" if details else self.name


def _column(header: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((header[name] for name in names if name in header), None)


def parse_agency_csv(data: bytes) -> list[Agency]:
    text = data.decode("utf-8-sig", errors="strict") if data else ""
    if not text.strip():
        raise AgencyCsvError("the file is empty")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = {(field or "").strip().casefold(): field for field in (reader.fieldnames or [])}
    name_column = _column(header, _NAME_COLUMNS)
    if name_column is None:
        raise AgencyCsvError("no 'name' column in the header row")
    licence_column = _column(header, _LICENCE_COLUMNS)
    country_column = _column(header, _COUNTRY_COLUMNS)
    agencies: list[Agency] = []
    for row in reader:
        name = (row.get(name_column) or "").strip()
        if not normalise_agency_name(name):
            continue
        licence = (row.get(licence_column) or "").strip() if licence_column else ""
        country = (row.get(country_column) or "").strip() if country_column else ""
        agencies.append(Agency(name=name[:200], licence=licence[:100] or None, country=country[:50] or None))
        if len(agencies) > MAX_AGENCIES:
            raise AgencyCsvError(f"more than {MAX_AGENCIES} rows")
    if not agencies:
        raise AgencyCsvError("no agency rows")
    return agencies


def import_agencies(session: Session, *, agencies: list[Agency], source_name: str, actor: str,
                    replace: bool) -> int:
    """Load agencies (upsert by normalised name); `replace` first removes every agency loaded
    before, for when the new file is the complete current list. Returns rows written."""
    if replace:
        session.exec(delete(SafelistEntry).where(col(SafelistEntry.type) == AGENCY_TYPE))  # type: ignore[call-overload]
    existing = {entry.value: entry for entry in session.exec(
        select(SafelistEntry).where(SafelistEntry.type == AGENCY_TYPE)).all()}
    source = f"{source_name} (loaded {datetime.now(UTC):%Y-%m-%d} by {actor})"[:512]
    written: set[str] = set()
    for agency in agencies:
        key = agency.key[:512]
        if key in written:
            continue
        entry = existing.get(key) or SafelistEntry(type=AGENCY_TYPE, value=key, label="", source="")
        entry.label, entry.source = agency.label[:255], source
        session.add(entry)
        written.add(key)
    session.flush()
    record_event(session, actor=actor, action="agencies_import", new=f"{len(written)} agencies",
                 note=f"{source_name}; replace={replace}")
    return len(written)
