"""The safelist: official numbers, addresses and sites that are never reported or shown as
scam contacts.

Every function takes the session first and everything else by keyword; functions flush but
never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, bindparam, select
from sqlmodel import Session, col

from screening.contacts import ContactType
from screening.identity import identity
from storage import changes
from storage.db import Database, FixedStatement, dialect_of, list_parameter, one_of, run_fixed
from storage.identity import identity_of
from storage.models import SafelistEntry

CONTACT_TYPES = frozenset(contact_type.value for contact_type in ContactType)
_SAFELIST = SafelistEntry.__table__  # type: ignore[attr-defined]


# Run by storage.db.run_fixed (on SQLite on the driver): every contact a report names asks.
_IS_SAFELISTED = FixedStatement(
    select(_SAFELIST.c.id)
    .where(_SAFELIST.c.type == bindparam("type"), _SAFELIST.c.value == bindparam("value"))
    .limit(1)
)


def _safelisted_among(dialect: str) -> Any:
    """The values as one parameter (storage.db.one_of): every report filed with a contact asks."""
    return select(_SAFELIST.c.type, _SAFELIST.c.value).where(
        one_of(_SAFELIST.c.value, "values", String(), dialect))


_SAFELISTED_AMONG = FixedStatement(_safelisted_among("sqlite"),
                                   postgresql=_safelisted_among("postgresql"))


def is_safelisted(session: Database, *, type: str, value: str) -> bool:
    kind, key = identity(str(type), value)
    return bool(run_fixed(session, _IS_SAFELISTED, {"type": kind, "value": key}))


def safelisted_contacts(
    session: Database, *, contacts: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Those of the contacts (type, normalised value) whose identity is on the safelist, in
    one query (a WhatsApp link to an embassy's number is the embassy's number)."""
    asked = {(str(type_), value) for type_, value in contacts}
    if not asked:
        return set()
    keys_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for pair in asked:
        keys_of.setdefault(identity(*pair), []).append(pair)
    dialect = dialect_of(session)
    rows = run_fixed(session, _SAFELISTED_AMONG, {
        "values": list_parameter(dialect, sorted({value for _type, value in keys_of}))})
    return {pair for type_, value in rows for pair in keys_of.get((type_, value), ())}


def add_safelist(
    session: Session, *, type: str, value: str, label: str, source: str
) -> SafelistEntry:
    """Mark a contact as legitimate (an embassy, a hotline, an NGO), by its identity; updates
    label and source if it is already there."""
    type, value = identity(str(type), value)
    entry = session.execute(
        select(SafelistEntry).where(
            col(SafelistEntry.type) == type, col(SafelistEntry.value) == value
        )
    ).scalar_one_or_none()
    if entry is None:
        entry = SafelistEntry(type=type, value=value, label=label, source=source)
    else:
        entry.label, entry.source = label, source
    session.add(entry)
    session.flush()
    if str(type) in CONTACT_TYPES:  # not the licensed-agency list
        changes.record_changes(session, identities=[identity_of(str(type), value)],
                               event=changes.UPDATED)
    return entry
