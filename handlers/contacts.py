"""Contacts as every flow reads, keeps and shows them: /contact, /check and /report read a
contact the same way (`read_contacts`), keep it in `conversation.data` the same way, and say
what is known about it in the same cautious words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from handlers.common import listed
from handlers.types import FlowContext
from screening.contacts import (
    Contact,
    ContactType,
    bare_word_handle,
    extract_contacts,
    local_number_candidates,
    official_domain,
    parse_contact,
)
from screening.hotlines import is_official_contact
from screening.identity import regions_for
from storage.indicators import lookup_indicators_and_safelist
from storage.safelist import is_safelisted

# One answer stays readable on a phone; more contacts can be sent again.
MAX_CONTACTS_PER_CHECK = 5
# A message whose contacts make up this much of it is a contact to check, not an offer.
CONTACT_ONLY_SHARE = 0.7


def phone_region(text: str, country: str | None, locale: str | None) -> str | None:
    """The region to read local numbers ("0912 345 678") with: the person's country, else the
    country their language points to (of two, the one that reads more numbers); None when
    neither says (then the person is asked: `unread_local_numbers`)."""
    regions = regions_for(country, locale)
    if len(regions) <= 1:
        return regions[0] if regions else None
    return max(regions, key=lambda region: len(extract_contacts(text, default_region=region)))


def read_contacts(text: str, country: str | None, locale: str | None = None) -> list[Contact]:
    """The contacts a person sent: the whole text as one contact when it is one, else every
    contact a pasted message names. `country`, else `locale`, reads local phone numbers."""
    region = phone_region(text, country, locale)
    found = extract_contacts(text, default_region=region)
    if len(found) > 1:
        # "+855 96 555 1234 and @fastjob_hr": two contacts, even when one is most of the text.
        return found
    single = parse_contact(text, default_region=region)
    return [single] if single is not None else found


def only_contacts(text: str, country: str | None) -> list[Contact]:
    """The contacts, when a message is (nearly) nothing but contacts; else nothing."""
    contacts = extract_contacts(text, default_region=country)
    covered = sum(contact.span[1] - contact.span[0] for contact in contacts)
    return contacts if contacts and covered >= CONTACT_ONLY_SHARE * len(text.strip()) else []


def unread_local_numbers(text: str, country: str | None, locale: str | None) -> list[str]:
    """Local numbers in `text` that nothing tells us how to read: never dropped silently. With
    a country (or a language's), those it cannot read either: "010-5555-1234", a Korean mobile,
    from someone in Thailand was left out of the offer's contacts without a word."""
    candidates = local_number_candidates(text)
    regions = regions_for(country, locale)
    if not candidates or not regions:
        return candidates
    # Read as a phone number, or as a WhatsApp, Zalo, Viber… number ("WhatsApp 012-345 6789").
    read = {re.sub(r"\D", "", contact.raw) for region in regions
            for contact in extract_contacts(text, default_region=region)}
    return [number for number in candidates if re.sub(r"\D", "", number) not in read]


def local_numbers_question(ctx: FlowContext, numbers: Sequence[str]) -> str:
    """Ask which country numbers without a country code are from."""
    return ctx.t.gettext(
        "I found a number without a country code ({numbers}) and I do not know which country "
        "it is from. Send it again with the country code, for example <code>+84 912 345 678</code> "
        "for Viet Nam or <code>+66 81 234 5678</code> for Thailand.",
        numbers=listed(ctx.t, ("<code>" + html.escape(number) + "</code>" for number in numbers[:3])))


def bare_word_hint(ctx: FlowContext, text: str) -> str | None:
    """`hello` is not `@hello`: suggest the handle instead of checking someone's account."""
    handle = bare_word_handle(text)
    if handle is None:
        return None
    return ctx.t.gettext(
        "“{word}” alone is not a contact I can check. If you mean the Telegram account, send it "
        "with @: <code>{handle}</code>", word=html.escape(text.strip()), handle=handle)


def contact_to_data(contact: Contact) -> dict[str, Any]:
    """A contact as plain JSON for `conversation.data` (the raw text is not kept)."""
    data: dict[str, Any] = {"type": contact.type.value, "value": contact.value,
                            "domain": contact.domain}
    if contact.channel:
        data["channel"] = contact.channel
    return data


def contact_from_data(data: dict[str, Any]) -> Contact:
    value = str(data["value"])
    return Contact(ContactType(data["type"]), value, value, (0, 0), data.get("domain"),
                   data.get("channel"))


def shown(contact: Contact) -> str:
    """The contact as the person should read it, escaped for an HTML reply."""
    return html.escape(contact.display())


@dataclass(frozen=True)
class ContactStatus:
    contact: Contact
    official: bool  # an official number or site (hotline data, staff safelist, government domain)
    confirmed: bool  # staff confirmed it as a scam contact
    reporters: int  # independent reporters (distinct pseudonyms) naming it
    # A government's own web or email address (screening.contacts.official_domain: `doe.go.th`):
    # an address to check the offer with, not the recruiter's.
    government: bool = False


def is_official(ctx: FlowContext, contact: Contact) -> bool:
    """On the staff safelist, a hotline of our own data file (even before it is seeded), or a
    government's own address (`official_domain`)."""
    return (official_domain(contact) is not None
            or is_official_contact(type=contact.type.value, value=contact.value)
            or is_safelisted(ctx.sql, type=contact.type.value, value=contact.value))


def contact_status(ctx: FlowContext, contact: Contact) -> ContactStatus:
    return contact_statuses(ctx, [contact])[0]


def contact_statuses(ctx: FlowContext, contacts: Sequence[Contact]) -> list[ContactStatus]:
    """`contact_status` of each contact, in order, with one query for all of them."""
    keys = [(contact.type.value, contact.value) for contact in contacts]
    # The hotlines of our own data file need no query (`is_official`).
    hotlines = {key for key in keys if is_official_contact(type=key[0], value=key[1])}
    # One query for both (every offer with a contact asks).
    found, safelisted = lookup_indicators_and_safelist(
        ctx.sql, contacts=keys, safelist_contacts=[key for key in keys if key not in hotlines])
    official = hotlines | safelisted
    # Independent reporters, not reports: one person reporting twice is one voice.
    governments = [official_domain(contact) is not None for contact in contacts]
    return [ContactStatus(contact, official=key in official or government,
                          confirmed=found[key].confirmed,
                          reporters=found[key].independent_reporters, government=government)
            for contact, key, government in zip(contacts, keys, governments, strict=True)]


def status_line(ctx: FlowContext, status: ContactStatus) -> str:
    """One or two lines about one contact, cautious in every case."""
    t = ctx.t
    name = "<b>" + shown(status.contact) + "</b>"
    if status.government:
        return t.gettext(
            "ℹ️ {contact} is an official government address, not the recruiter's own contact. You "
            "can check this offer with that office: find its phone number on its website yourself, "
            "never in the offer.", contact=name)
    if status.official:
        return t.gettext(
            "ℹ️ {contact} is on our list of official contacts. Careful: scammers can make a call or "
            "message look like it comes from an official number. Official services never ask you "
            "to send money or your passport; if in doubt, call the official number yourself.",
            contact=name)
    if status.confirmed:
        line = t.gettext(
            "⛔ {contact}: our staff have confirmed this as a scam contact. Do not send money, "
            "documents or photos, and stop replying.", contact=name)
        if status.reporters > 0:
            line += " " + t.ngettext("Reported by {n} person.", "Reported by {n} people.",
                                     status.reporters)
        return line
    if status.reporters > 0:
        return t.ngettext(
            "⚠️ {contact}: reported by {n} person, not yet verified by our staff. Be very careful.",
            "⚠️ {contact}: reported by {n} people, not yet verified by our staff. Be very careful.",
            status.reporters, contact=name)
    return t.gettext("{contact}: no reports yet. That does not make it safe: scammers change "
                     "numbers and accounts often.", contact=name)
