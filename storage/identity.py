"""What partners look up, read as a contact identity (screening.identity): the partner API's view.

Partners (storage.partners, review.api) never speak of indicator rows: they speak of an
identity `(kind, key)`, which is exactly how indicators are stored since migration 0006 (a
WhatsApp number is a `phone`, `@x` and `t.me/x` are one `telegram`, wallets and e-mails compare
in any case). This module only adds the fast paths for the commonest look-ups; the identity
itself is `screening.identity`'s, the one definition the bot, the staff app and the API share.
"""

from __future__ import annotations

import re
from functools import lru_cache

from screening.contacts import ContactType, normalise_phone, parse_contact
from screening.identity import IDENTITY_KIND, identity

IdentityKey = tuple[str, str]

# Types whose identity kind differs (a WhatsApp sighting is a phone): for SQL over old rows.
_KIND_OF_TYPE = {kind_in: kind for kind_in, kind in IDENTITY_KIND.items() if kind_in != kind}
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
    return identity(contact.type.value, contact.value)


def identity_of(indicator_type: str, value: str) -> IdentityKey:
    """The identity a stored indicator (or safelist entry) belongs to."""
    return identity(indicator_type, value)


def indicator_types(kind: str) -> tuple[str, ...]:
    """The indicator types an identity of this kind is stored under: since migration 0006,
    indicators are stored under their identity kind."""
    return (kind,)


def kind_of_type_map() -> dict[str, str]:
    """indicator type -> identity kind, for the types whose kind differs (used in SQL CASE)."""
    return dict(_KIND_OF_TYPE)
