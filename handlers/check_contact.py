"""/contact: is this phone number, @username, link or wallet known as a scam contact?

The answer says only what staff confirmed and how many independent reports name the
contact; nothing about the reporters (no dates, texts, countries). One report never
makes a contact "confirmed", and no match never makes it "safe".

```mermaid
stateDiagram-v2
    [*] --> ask: /contact or 📇 button
    ask --> ask: unreadable text / media / too long (examples again)
    ask --> result: a contact (or a message with contacts) was read
    result --> result: another contact typed
    result --> ask: 📇 check another
    result --> report: 📝 report this contact
```
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from handlers import ratelimit
from handlers.common import menu_button
from handlers.content import is_official_contact
from handlers.types import Button, Conversation, Event, EventKind, FlowContext, Outcome, Reply
from screening.contacts import Contact, ContactType, extract_contacts, parse_contact
from storage.reports import is_safelisted, lookup_indicators, safelisted_contacts

NAME = "contact"
ASK = "ask"
RESULT = "result"

REPORT = "report"
AGAIN = "again"

# Longer than any real message (Telegram caps a text at 4,096): someone pasted a file.
MAX_TEXT_CHARS = 8000
# One answer stays readable on a phone; more contacts can be sent again.
MAX_CONTACTS_PER_CHECK = 5


# --- helpers shared with check_offer and report -------------------------------------------------

def contact_to_data(contact: Contact) -> dict[str, Any]:
    """A contact as plain JSON for `conversation.data` (the raw text is not kept)."""
    return {"type": contact.type.value, "value": contact.value, "domain": contact.domain}


def contact_from_data(data: dict[str, Any]) -> Contact:
    value = str(data["value"])
    return Contact(ContactType(data["type"]), value, value, (0, 0), data.get("domain"))


def shown(contact: Contact) -> str:
    """The contact as the person should read it, escaped for an HTML reply."""
    return html.escape(contact.display())


@dataclass(frozen=True)
class ContactStatus:
    contact: Contact
    official: bool  # an official number or site (hotline data or staff safelist)
    confirmed: bool  # staff confirmed it as a scam contact
    reporters: int  # independent reporters (distinct pseudonyms) naming it


def is_official(ctx: FlowContext, contact: Contact) -> bool:
    """On the staff safelist, or a hotline of our own data file (even before it is seeded)."""
    return (is_official_contact(type=contact.type.value, value=contact.value)
            or is_safelisted(ctx.db, type=contact.type.value, value=contact.value))


def contact_status(ctx: FlowContext, contact: Contact) -> ContactStatus:
    return contact_statuses(ctx, [contact])[0]


def contact_statuses(ctx: FlowContext, contacts: Sequence[Contact]) -> list[ContactStatus]:
    """`contact_status` of each contact, in order, with two queries for all of them."""
    keys = [(contact.type.value, contact.value) for contact in contacts]
    # The hotlines of our own data file need no query (`is_official`).
    hotlines = {key for key in keys if is_official_contact(type=key[0], value=key[1])}
    official = hotlines | safelisted_contacts(ctx.db, contacts=[k for k in keys if k not in hotlines])
    found = lookup_indicators(ctx.db, contacts=keys)
    # Independent reporters, not reports: one person reporting twice is one voice.
    return [ContactStatus(contact, official=key in official, confirmed=found[key].confirmed,
                          reporters=found[key].independent_reporters)
            for contact, key in zip(contacts, keys, strict=True)]


def status_line(ctx: FlowContext, status: ContactStatus) -> str:
    """One or two lines about one contact, cautious in every case."""
    t = ctx.t
    name = "<b>" + shown(status.contact) + "</b>"
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


def what_to_check(ctx: FlowContext) -> str:
    t = ctx.t
    return "\n".join([
        t.gettext("Before you trust it:"),
        t.gettext("• Search the number or name online together with the word “scam”."),
        t.gettext("• Check that the agency is on your government's list of licensed recruiters."),
        t.gettext("• Never pay a fee to get a job, and never travel for work on a tourist visa."),
    ])


# --- the flow ------------------------------------------------------------------------------------

def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    new = Conversation(flow=NAME, state=ASK, data={}, version=conversation.version,
                       locale=conversation.locale, country=conversation.country)
    return Outcome(new, [_question(ctx)])


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.BUTTON:
        if event.button == AGAIN:
            return start(event, conversation, ctx)
        if event.button == REPORT and conversation.state == RESULT:
            from handlers import report

            contacts = [contact_from_data(item) for item in conversation.data.get("contacts", [])]
            return report.start_with(event, conversation, ctx, kind="contact", contacts=contacts)
        return Outcome(conversation, reprompt(conversation, ctx))
    if event.kind == EventKind.MEDIA:
        return Outcome(conversation, [Reply(ctx.t.gettext(
            "I can only read text here. Type or paste the number, @username, link or wallet."
        )), *reprompt(conversation, ctx)])
    if len(event.text) > MAX_TEXT_CHARS:
        return Outcome(conversation, [Reply(ctx.t.gettext(
            "That is very long. Send just the number, @username, link or wallet you want to check."
        ))])
    return _check(event, conversation, ctx)


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    if conversation.state == RESULT:
        return [Reply(ctx.t.gettext("Send another contact to check, or choose:"),
                      buttons=_result_buttons(ctx, can_report=bool(conversation.data.get("contacts"))))]
    return [_question(ctx)]


def _question(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply("\n".join([
        t.gettext("Send me the phone number, Telegram @username, link or crypto wallet you want to "
                  "check. For example:"),
        "<code>+66 81 234 5678</code>",
        "<code>@recruiter_name</code>",
        "<code>https://example-jobs.com</code>",
        t.gettext("What you check is not stored."),
    ]), buttons=((menu_button(ctx),),))


def _read_contacts(text: str, country: str | None) -> list[Contact]:
    single = parse_contact(text, default_region=country)
    if single is not None:
        return [single]
    # A pasted message with contacts inside: check every one it names.
    return extract_contacts(text, default_region=country)


def _check(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    contacts = _read_contacts(event.text, conversation.country)
    if not contacts:
        return Outcome(conversation, [Reply("\n".join([
            t.gettext("I could not read a phone number, username, link or wallet in that. "
                      "Try one of these forms:"),
            "<code>+855 12 345 678</code>",
            "<code>@hr_manager</code>",
            "<code>t.me/jobs_channel</code>",
            t.gettext("For a phone number, include the country code (+66, +855, +95…)."),
        ]), buttons=((menu_button(ctx),),))])
    return check_contacts(event, conversation, ctx, contacts)


def check_contacts(event: Event, conversation: Conversation, ctx: FlowContext,
                   contacts: list[Contact], *, intro: str | None = None) -> Outcome:
    """The answer about `contacts` (also used when a contact alone is sent to /check)."""
    t = ctx.t
    wait = ratelimit.consume(ctx.db, user_key=event.user_key, limit=ratelimit.CHECKS, now=ctx.now)
    if wait is not None:
        return Outcome(conversation, [ratelimit.checks_limited_reply(ctx, wait)])
    checked = contacts[:MAX_CONTACTS_PER_CHECK]
    statuses = contact_statuses(ctx, checked)
    lines = [*([intro] if intro else []), *(status_line(ctx, status) for status in statuses)]
    if len(contacts) > len(checked):
        lines.append(t.ngettext("I checked the first {checked}; send the other {n} separately.",
                                "I checked the first {checked}; send the other {n} separately.",
                                len(contacts) - len(checked), checked=t.number(len(checked))))
    if any(not status.official and not status.confirmed and status.reporters == 0
           for status in statuses):
        lines.append(what_to_check(ctx))
    reportable = [contact_to_data(s.contact) for s in statuses if not s.official]
    new = Conversation(flow=NAME, state=RESULT, data={"contacts": reportable},
                       version=conversation.version, locale=conversation.locale,
                       country=conversation.country)
    return Outcome(new, [Reply("\n\n".join(lines),
                               buttons=_result_buttons(ctx, can_report=bool(reportable)))])


def _result_buttons(ctx: FlowContext, *, can_report: bool) -> tuple[tuple[Button, ...], ...]:
    t = ctx.t
    rows: list[tuple[Button, ...]] = []
    if can_report:
        rows.append((Button(t.gettext("📝 Report this contact"), REPORT),))
    rows.append((Button(t.gettext("📇 Check another"), AGAIN), menu_button(ctx)))
    return tuple(rows)
