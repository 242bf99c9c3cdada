"""One contact, one identity: how the report database keys a contact, whatever it came through.

A phone number is one identity whether a recruiter wrote it plain, as "WhatsApp +855…", as a
`wa.me/…` link, "Viber", "Zalo", "LINE", a Telegram phone link (`t.me/+855…`) or `tel:`; the
channel (WhatsApp, Viber…) is an attribute of the sighting, kept beside the report that saw it.
The same for `@x` / `t.me/x` / `telegram.me/x` (one Telegram username), LINE ids, URL
spellings (host case, `www.`, trailing slash, tracking parameters) and EVM wallets (case).

`identity(type, value)` is the key every look-up, count, confirmation, safelist entry, network
and export uses; `channel(contact)` is what the sighting records. Pure: no database here.
"""

from __future__ import annotations

from collections.abc import Iterable

from screening.contacts import Contact, ContactType, normalise_phone, normalise_url

# The identity kind of each contact type: only phone-like types share one.
IDENTITY_KIND: dict[str, str] = {
    ContactType.PHONE.value: ContactType.PHONE.value,
    ContactType.WHATSAPP.value: ContactType.PHONE.value,
    ContactType.TELEGRAM.value: ContactType.TELEGRAM.value,
    ContactType.LINE.value: ContactType.LINE.value,
    ContactType.WECHAT.value: ContactType.WECHAT.value,
    ContactType.EMAIL.value: ContactType.EMAIL.value,
    ContactType.URL.value: ContactType.URL.value,
    ContactType.WALLET_BTC.value: ContactType.WALLET_BTC.value,
    ContactType.WALLET_ETH.value: ContactType.WALLET_ETH.value,
    ContactType.WALLET_TRON.value: ContactType.WALLET_TRON.value,
}
_CASE_INSENSITIVE = frozenset({ContactType.LINE.value, ContactType.WECHAT.value,
                               ContactType.EMAIL.value, ContactType.WALLET_ETH.value})
# Types that name the channel of a phone sighting.
PHONE_TYPES = frozenset({ContactType.PHONE.value, ContactType.WHATSAPP.value})

# Countries whose local numbers a person writing in a language most likely means, in order
# (the person's own country, when known, always comes first). English points nowhere.
LANGUAGE_REGIONS: dict[str, tuple[str, ...]] = {
    "vi": ("VN",), "th": ("TH",), "km": ("KH",), "lo": ("LA",), "my": ("MM",),
    "tl": ("PH",), "id": ("ID",), "ms": ("MY",), "ko": ("KR",), "hi": ("IN",),
    "zh_Hans": ("CN",), "zh_Hant": ("TW", "HK"),
}


def identity(type_: str, value: str) -> tuple[str, str]:
    """(kind, value) of a contact: two spellings or channels of one contact give one key."""
    kind_in = str(type_)
    kind = IDENTITY_KIND.get(kind_in, kind_in)
    text = value.strip()
    if kind == ContactType.PHONE.value:
        if text.startswith("+"):
            text = normalise_phone(text, default_region=None) or text
    elif kind == ContactType.TELEGRAM.value:
        text = text.lstrip("@").lower()
    elif kind in _CASE_INSENSITIVE or (kind == ContactType.WALLET_BTC.value
                                       and text[:3].lower() == "bc1"):
        text = text.lower()  # bech32 Bitcoin addresses too; base58 ones are case-sensitive
    elif kind == ContactType.URL.value:
        normalised = normalise_url(text)
        if normalised is not None:
            text = normalised[0]
    return kind, text


def identity_of(contact: Contact) -> tuple[str, str]:
    return identity(contact.type.value, contact.value)


def channel(contact: Contact) -> str | None:
    """How the contact was sighted, for a phone identity (whatsapp, viber, zalo, line,
    telegram, tel, phone); None for the other kinds (the type says it all)."""
    if contact.type.value not in PHONE_TYPES:
        return None
    if contact.channel:
        return contact.channel
    return contact.type.value


def regions_for(country: str | None, locale: str | None) -> tuple[str, ...]:
    """The regions to read local numbers with: the person's country, else their language's."""
    if country:
        return (country.upper(),)
    return LANGUAGE_REGIONS.get(locale or "", ())


def unique_identities(contacts: Iterable[Contact]) -> list[Contact]:
    """Each identity once, the first sighting kept (in order)."""
    seen: set[tuple[str, str]] = set()
    kept: list[Contact] = []
    for contact in contacts:
        key = identity_of(contact)
        if key not in seen:
            seen.add(key)
            kept.append(contact)
    return kept
