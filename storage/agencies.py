"""Licensed recruitment agencies, as staff load them from an official CSV (review app).

They live in the safelist table with type `agency`, the value being the name normalised by
`normalise_agency_name`, so lists that differ in case, spacing and punctuation still match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from storage.db import Database, FixedStatement, run_fixed
from storage.models import SafelistEntry

AGENCY_TYPE = "agency"
# Short names ("abc") would match inside unrelated words of an offer.
MIN_NAME_LENGTH = 6


@dataclass(frozen=True, slots=True)
class LicensedAgency:
    """One agency of the licensed list (a safelist row of type `agency`), as plain values."""

    id: int
    value: str  # the name as `normalise_agency_name` stores it
    label: str  # the name as the official list spells it
    source: str


def normalise_agency_name(name: str) -> str:
    """Compare agency names loosely: case, spacing and punctuation differ between lists."""
    folded = name.casefold()
    # Every checked offer is normalised whole (`agencies_named_in`): each distinct character is
    # asked `isalnum` once and the rest become spaces in one `translate`, not a generator of
    # one string per character.
    cleaned = folded.translate({ord(ch): " " for ch in set(folded) if not ch.isalnum()})
    return " ".join(cleaned.split())


_SAFELIST = SafelistEntry.__table__  # type: ignore[attr-defined]
# Both run on every checked offer: built once, on the table (no ORM compilation or objects).
_ANY_AGENCY = sa.select(_SAFELIST.c.id).where(_SAFELIST.c.type == AGENCY_TYPE).limit(1)
_ANY_AGENCY_FIXED = FixedStatement(_ANY_AGENCY)
_AGENCIES_NAMED_IN = (
    sa.select(_SAFELIST.c.id, _SAFELIST.c.value, _SAFELIST.c.label, _SAFELIST.c.source)
    .where(
        _SAFELIST.c.type == AGENCY_TYPE,
        sa.func.length(_SAFELIST.c.value) >= MIN_NAME_LENGTH,
        sa.bindparam("haystack", type_=sa.Text).contains(
            " " + _SAFELIST.c.value + " ", autoescape=False
        ),
    )
    .limit(sa.bindparam("limit", type_=sa.Integer))
)
# On SQLite on the driver (storage.db.run_fixed): `Session.execute`'s own path cost more than
# SQLite's work.
_AGENCIES_NAMED_IN_FIXED = FixedStatement(_AGENCIES_NAMED_IN)


# review.agencies.import_agencies appends when and by whom a list was loaded: for staff, not people.
_LOADED_NOTE = re.compile(r"\s*\(loaded [^()]*\)\s*$")


def list_name(source: str) -> str:
    """The name of the official list an agency comes from, without the staff note of loading."""
    return _LOADED_NOTE.sub("", source).strip()


def has_agency_registry(session: Database) -> bool:
    return bool(run_fixed(session, _ANY_AGENCY_FIXED, {}))


def agencies_named_in(session: Database, *, text: str, limit: int = 5) -> list[LicensedAgency]:
    """Licensed agencies whose full name appears in `text` (word for word, after normalising).

    The database does the matching, so a registry of thousands of agencies costs one query."""
    padded = f" {normalise_agency_name(text)} "
    parameters = {"haystack": padded, "limit": limit}
    rows = run_fixed(session, _AGENCIES_NAMED_IN_FIXED, parameters)
    return [LicensedAgency(id=row.id, value=row.value, label=row.label, source=row.source)
            for row in rows]
