"""Licensed recruitment agencies, as staff load them from an official CSV (review app).

They live in the safelist table with type `agency`, the value being the name normalised by
`normalise_agency_name`, so lists that differ in case, spacing and punctuation still match.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.models import SafelistEntry

AGENCY_TYPE = "agency"
# Short names ("abc") would match inside unrelated words of an offer.
MIN_NAME_LENGTH = 6


def normalise_agency_name(name: str) -> str:
    """Compare agency names loosely: case, spacing and punctuation differ between lists."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in name.casefold())
    return " ".join(cleaned.split())


def has_agency_registry(session: Session) -> bool:
    return session.exec(select(SafelistEntry.id).where(SafelistEntry.type == AGENCY_TYPE).limit(1)).first() \
        is not None


def agencies_named_in(session: Session, *, text: str, limit: int = 5) -> list[SafelistEntry]:
    """Licensed agencies whose full name appears in `text` (word for word, after normalising).

    The database does the matching, so a registry of thousands of agencies costs one query."""
    padded = f" {normalise_agency_name(text)} "
    haystack = sa.literal(padded, type_=sa.Text)
    statement = (
        select(SafelistEntry)
        .where(SafelistEntry.type == AGENCY_TYPE,
               sa.func.length(SafelistEntry.value) >= MIN_NAME_LENGTH,
               haystack.contains(" " + col(SafelistEntry.value) + " ", autoescape=False))
        .limit(limit)
    )
    return list(session.exec(statement).all())
