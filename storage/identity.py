"""One contact, one identity — the seam between how contacts are stored and what partners see.

Partners (storage.partners, review.api) never speak of indicator rows: they speak of an
identity `(kind, key)`. Today an identity is what `screening.contacts` already normalises to,
except that a phone number is one identity whether it was reported as a phone or a WhatsApp
contact (both are stored as E.164 under two indicator types), and an EVM wallet is matched in
any letter case (stored lower case; a mixed-case spelling with a bad EIP-55 checksum is still
the same account).

These three functions are the whole seam: when the "one contact, one identity" work lands,
`contact_identity` (and the two type mappings below it) are swapped for its normaliser, and
nothing in the partner API changes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from screening.contacts import ContactType, normalise_phone, parse_contact

IdentityKey = tuple[str, str]

# Indicator types that are one identity kind; every other type is its own kind.
_KIND_OF_TYPE = {ContactType.WHATSAPP.value: ContactType.PHONE.value}
_TYPES_OF_KIND: dict[str, tuple[str, ...]] = {
    ContactType.PHONE.value: (ContactType.PHONE.value, ContactType.WHATSAPP.value),
}
_EVM_RE = re.compile(r"0[xX][0-9a-fA-F]{40}")
# Shortcuts for the two commonest look-ups, giving what parse_contact gives, without running
# the whole free-text extractor: an international number alone, an @handle alone.
_INTERNATIONAL_RE = re.compile(r"(?:\+|00)[\d \t().-]{6,24}")
_HANDLE_RE = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]")
MAX_VALUE_LENGTH = 512  # indicator.value's column width


@lru_cache(maxsize=65536)
def contact_identity(value: str, *, default_region: str | None = None) -> IdentityKey | None:
    """(kind, key) of a contact someone looked up — a number, @handle, t.me or wa.me link, URL,
    e-mail or wallet — normalised as stored contacts are; None when it is not a contact.
    `default_region` (ISO alpha-2) reads numbers written without a country code."""
    text = value.strip()
    if not text or len(text) > MAX_VALUE_LENGTH:
        return None
    if _EVM_RE.fullmatch(text):
        return ContactType.WALLET_ETH.value, text.lower()
    if _INTERNATIONAL_RE.fullmatch(text):
        phone = normalise_phone(text, default_region=None)
        if phone is not None:
            return ContactType.PHONE.value, phone
    elif _HANDLE_RE.fullmatch(text):
        return ContactType.TELEGRAM.value, text[1:].lower()
    contact = parse_contact(text, default_region=default_region)
    if contact is None:
        return None
    return identity_of(contact.type.value, contact.value)


def identity_of(indicator_type: str, value: str) -> IdentityKey:
    """The identity a stored indicator (or safelist entry) belongs to."""
    return _KIND_OF_TYPE.get(indicator_type, indicator_type), value


def indicator_types(kind: str) -> tuple[str, ...]:
    """The indicator types an identity of this kind is stored under."""
    return _TYPES_OF_KIND.get(kind, (kind,))


def kind_of_type_map() -> dict[str, str]:
    """indicator type -> identity kind, for the types whose kind differs (used in SQL CASE)."""
    return dict(_KIND_OF_TYPE)
