"""/report: report a scam contact or offer, or add to an earlier report by its code.

Guided, short steps that can each be skipped or edited from the summary; nothing is
stored before the explicit consent. The narrative is redacted before storage. Official
numbers and sites (hotline data, staff safelist) are refused as scam contacts, with a
warning that scammers spoof them. A report never confirms a contact: staff do.

```mermaid
stateDiagram-v2
    [*] --> kind: /report or 📝 button
    [*] --> contacts: 📝 report from a check (kind, contacts, risk carried over)
    kind --> contacts: kind chosen
    kind --> add_code: ➕ add to an earlier report
    contacts --> contacts: contacts sent (listed back) / ✕ remove one
    contacts --> narrative: ✓ done / skip
    narrative --> narrative: more text (appended)
    narrative --> when: ✓ next / skip
    when --> country: today / week / month / earlier / skip
    country --> summary: country / skip
    summary --> kind: ✏ edit a part (then back to summary)
    summary --> notify: ✓ looks right
    notify --> consent: 🔔 yes, tell me when reviewed / no thanks
    consent --> [*]: ✓ I agree (stored, receipt code, menu)
    summary --> [*]: ✕ cancel (nothing stored)
    notify --> [*]: ✕ cancel (nothing stored)
    consent --> [*]: ✕ cancel (nothing stored)
    add_code --> add_code: unknown code
    add_code --> add_text: code of one of my reports
    add_text --> [*]: text or contacts added
```
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from handlers import ratelimit
from handlers.common import back_to_menu, listed, menu_button, talk_offer, use_the_buttons
from handlers.contacts import (
    bare_word_hint,
    contact_from_data,
    contact_to_data,
    is_official,
    local_numbers_question,
    read_contacts,
    shown,
    unread_local_numbers,
)
from handlers.countries import COUNTRIES, country_name
from handlers.staff_alerts import alert_staff
from handlers.types import Button, Conversation, Event, EventKind, FlowContext, Outcome, Reply
from locales.i18n import N_
from screening.assess import assess_text
from screening.contacts import Contact, extract_contacts
from screening.identity import identity, identity_of
from screening.language import detect_language
from storage.redact import is_reporters, own_identifiers
from storage.reports import add_to_report, file_report, get_report_by_code

NAME = "report"
KIND = "kind"
CONTACTS = "contacts"
NARRATIVE = "narrative"
WHEN = "when"
COUNTRY = "country"
SUMMARY = "summary"
CONSENT = "consent"
NOTIFY = "notify"
ADD_CODE = "add_code"
ADD_TEXT = "add_text"

KIND_PREFIX = "k:"
WHEN_PREFIX = "w:"
COUNTRY_PREFIX = "cc:"
REMOVE_PREFIX = "rm:"
EDIT_PREFIX = "edit:"
ADD_EARLIER = "add"
DONE = "done"
SKIP = "skip"
CONFIRM = "ok"
AGREE = "agree"
CANCEL = "cancel"
NOTIFY_YES = "notify"
NOTIFY_NO = "no_notify"

KIND_LABELS: dict[str, str] = {
    "job_offer": N_("💼 A job offer"),
    "contact": N_("📇 A scam contact"),
    "romance_investment": N_("💔 Romance or investment"),
    "other": N_("❓ Something else"),
}
WHEN_LABELS: dict[str, str] = {
    "today": N_("Today"),
    "week": N_("This week"),
    "month": N_("This month"),
    "earlier": N_("Earlier"),
}
# What the summary calls each editable part, and the step that asks for it.
EDITABLE: dict[str, str] = {
    KIND: N_("✏️ Kind"),
    CONTACTS: N_("✏️ Contacts"),
    NARRATIVE: N_("✏️ What happened"),
    WHEN: N_("✏️ When"),
    COUNTRY: N_("✏️ Country"),
}

# Telegram caps one text at 4,096 characters; a narrative over several messages may be
# longer, but past this it is a pasted file, not an account of what happened.
MAX_NARRATIVE_CHARS = 8000
MAX_TEXT_CHARS = 8000
# A recruiter persona rarely has more; more would be a pasted list, not one scam.
MAX_REPORT_CONTACTS = 15
BUTTON_TEXT_MAX = 32
SUMMARY_NARRATIVE_PREVIEW = 600


# --- entry points ---------------------------------------------------------------------------

def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if conversation.flow == NAME and _has_draft(conversation):
        # /report again in the middle of a report: go on rather than lose what was given.
        return Outcome(conversation, [Reply(ctx.t.gettext(
            "We are in the middle of a report; let's go on from here. To start over, send /cancel "
            "first.")), *reprompt(conversation, ctx)])
    limited = _limited(event, conversation, ctx)
    if limited is not None:
        return limited
    new = _at(conversation, KIND, _empty_draft(conversation))
    return Outcome(new, [_kind_question(ctx, intro=True)])


def enter(event: Event, conversation: Conversation, ctx: FlowContext, *, kind: str,
          contacts: Sequence[Contact], risk: str | None = None,
          flag_ids: Sequence[str] | None = None, offer: str | None = None) -> Outcome:
    """Handed over (`registry.hand_over`) by a check: kind, contacts and the assessment carried over."""
    limited = _limited(event, conversation, ctx)
    if limited is not None:
        return limited
    draft = _empty_draft(conversation)
    draft.update(kind=kind, risk=risk, flags=list(flag_ids or []), offer=offer)
    refused, kept = _split_safelisted(ctx, contacts)
    draft["contacts"] = [contact_to_data(contact) for contact in kept][:MAX_REPORT_CONTACTS]
    new = _at(conversation, CONTACTS, draft)
    before = [_refusal(ctx, refused)] if refused else []
    intro = ctx.t.gettext("Thank you for reporting. I carried over the contacts from your check; "
                          "remove any that are not the scammer's (or are yours), or add more.") \
        if kept else None
    return Outcome(new, [*before, _contacts_question(ctx, draft, intro=intro)])


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.MEDIA:
        return Outcome(conversation, [Reply(ctx.t.gettext(
            "I can only take text in a report. Please describe it in words; there is no need to "
            "send photos of documents.")), *reprompt(conversation, ctx)])
    if event.kind == EventKind.TEXT and len(event.text) > MAX_TEXT_CHARS:
        return Outcome(conversation, [Reply(ctx.t.gettext(
            "That is too long for one message. Please send it in shorter parts.")),
            *reprompt(conversation, ctx)])
    step = _STEPS.get(conversation.state, _kind)
    return step(event, conversation, ctx)


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    return [_QUESTIONS.get(conversation.state, _QUESTIONS[KIND])(conversation, ctx)]


# State → the question it asks (the one way flows dispatch on state; steps: `_STEPS` below).
_QUESTIONS: dict[str, Callable[[Conversation, FlowContext], Reply]] = {
    KIND: lambda conversation, ctx: _kind_question(ctx, intro=False),
    CONTACTS: lambda conversation, ctx: _contacts_question(ctx, _draft(conversation)),
    NARRATIVE: lambda conversation, ctx: _narrative_question(
        ctx, _draft(conversation), replacing=bool(conversation.data.get("replace"))),
    WHEN: lambda conversation, ctx: _when_question(ctx),
    COUNTRY: lambda conversation, ctx: _country_question(
        ctx, conversation.country, job=_draft(conversation).get("kind") == "job_offer"),
    SUMMARY: lambda conversation, ctx: _summary(ctx, _draft(conversation)),
    NOTIFY: lambda conversation, ctx: _notify_question(ctx),
    CONSENT: lambda conversation, ctx: _consent_question(
        ctx, notify=bool(conversation.data.get("notify"))),
    ADD_CODE: lambda conversation, ctx: _code_question(ctx),
    ADD_TEXT: lambda conversation, ctx: _add_text_question(ctx),
}


# --- state helpers --------------------------------------------------------------------------

def _empty_draft(conversation: Conversation) -> dict[str, Any]:
    return {"kind": None, "contacts": [], "narrative": "", "when": None,
            "country": conversation.country, "risk": None, "flags": []}


def _has_draft(conversation: Conversation) -> bool:
    draft = conversation.data.get("draft") or {}
    return bool(draft.get("contacts") or draft.get("narrative")) or conversation.state == ADD_TEXT


def _draft(conversation: Conversation) -> dict[str, Any]:
    """A copy of the draft: nested lists are copied too, so the stored row changes visibly."""
    draft = dict(conversation.data.get("draft") or _empty_draft(conversation))
    draft["contacts"] = [dict(item) for item in draft.get("contacts", [])]
    draft["flags"] = list(draft.get("flags", []))
    return draft


def _at(conversation: Conversation, state: str, draft: dict[str, Any], **extra: Any) -> Conversation:
    editing = extra.pop("editing", conversation.data.get("editing", False))
    return conversation.at(NAME, state, {"draft": draft, "editing": editing, **extra})


def _limited(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome | None:
    wait = ratelimit.wait_needed(ctx.sql, user_key=event.user_key, limit=ratelimit.REPORTS, now=ctx.now)
    if wait is None:
        return None
    return back_to_menu(conversation, ctx, before=[ratelimit.reports_limited_reply(ctx, wait)])


def _next(conversation: Conversation, ctx: FlowContext, draft: dict[str, Any], following: str,
          before: list[Reply] | None = None) -> Outcome:
    """The step after this one, or the summary again when the person came to edit one part."""
    state = SUMMARY if conversation.data.get("editing") else following
    new = _at(conversation, state, draft)
    return Outcome(new, [*(before or []), *reprompt(new, ctx)])


def _stay(conversation: Conversation, ctx: FlowContext, *before: Reply) -> Outcome:
    return Outcome(conversation, [*before, *reprompt(conversation, ctx)])


def _clip(text: str, limit: int = BUTTON_TEXT_MAX) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- kind -----------------------------------------------------------------------------------

def _kind_question(ctx: FlowContext, *, intro: bool) -> Reply:
    t = ctx.t
    lines = []
    if intro:
        lines += [t.gettext("Thank you for reporting: it helps warn others. A few short questions; "
                            "you can skip most of them. Nothing is stored until you agree."), ""]
    lines.append(t.gettext("What do you want to report?"))
    kinds = [Button(t.gettext(label), KIND_PREFIX + kind) for kind, label in KIND_LABELS.items()]
    return Reply("\n".join(lines), buttons=(
        tuple(kinds[:2]), tuple(kinds[2:]),
        (Button(t.gettext("➕ Add to an earlier report"), ADD_EARLIER),),
        (menu_button(ctx),),
    ))


def _kind(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    action = event.button or ""
    if event.kind == EventKind.BUTTON and action == ADD_EARLIER:
        new = _at(conversation, ADD_CODE, _draft(conversation))
        return Outcome(new, [_code_question(ctx)])
    kind = action.removeprefix(KIND_PREFIX)
    if event.kind == EventKind.BUTTON and action.startswith(KIND_PREFIX) and kind in KIND_LABELS:
        draft = _draft(conversation)
        draft["kind"] = kind
        return _next(conversation, ctx, draft, CONTACTS)
    return _stay(conversation, ctx, Reply(ctx.t.gettext("Please choose one of the buttons.")))


# --- contacts -------------------------------------------------------------------------------

def _contacts_question(ctx: FlowContext, draft: dict[str, Any], *, intro: str | None = None) -> Reply:
    t = ctx.t
    contacts = [contact_from_data(item) for item in draft["contacts"]]
    lines = [intro, ""] if intro else []
    if contacts:
        lines += [t.gettext("<b>Contacts in this report:</b>"),
                 *("• " + shown(contact) for contact in contacts), "",
                 t.gettext("Send more, tap one to remove it, or tap “Done”.")]
    else:
        lines += [t.gettext("Send the scammer's contacts: phone numbers, @usernames, links or "
                           "wallets, in one or several messages. If you have none, tap “Skip”.")]
    removals = [(Button(_clip("✕ " + contact.display()), REMOVE_PREFIX + str(index)),)
                for index, contact in enumerate(contacts)]
    proceed = Button(t.gettext("✓ Done"), DONE) if contacts else Button(t.gettext("Skip →"), SKIP)
    return Reply("\n".join(lines), buttons=(*removals, (proceed,), (menu_button(ctx),)))


def _split_safelisted(ctx: FlowContext, contacts: Sequence[Contact]) -> tuple[list[Contact], list[Contact]]:
    """(official contacts that cannot be reported, the others)."""
    refused = [contact for contact in contacts if is_official(ctx, contact)]
    return refused, [contact for contact in contacts if contact not in refused]


def _refusal(ctx: FlowContext, refused: Sequence[Contact]) -> Reply:
    t = ctx.t
    lines = [t.gettext("I cannot record {contact} as a scam contact: it is on our list of official "
                       "numbers and services.", contact="<b>" + shown(contact) + "</b>")
             for contact in refused]
    lines.append(t.gettext(
        "Scammers sometimes fake (spoof) official numbers and names to look trustworthy. If someone "
        "used it to ask you for money or documents, tell me what happened in the report, and call the "
        "official service yourself on the number you find on its own website."))
    return Reply("\n\n".join(lines))


def _contacts(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    draft = _draft(conversation)
    action = event.button or "" if event.kind == EventKind.BUTTON else ""
    if action in (DONE, SKIP):
        return _next(conversation, ctx, draft, NARRATIVE)
    if action.startswith(REMOVE_PREFIX):
        index = action.removeprefix(REMOVE_PREFIX)
        if index.isdigit() and int(index) < len(draft["contacts"]):
            del draft["contacts"][int(index)]
        new = _at(conversation, CONTACTS, draft)
        return Outcome(new, [_contacts_question(ctx, draft)])
    if event.kind != EventKind.TEXT:
        return _stay(conversation, ctx)
    found = read_contacts(event.text, draft.get("country") or conversation.country, t.locale)
    region_country = draft.get("country") or conversation.country
    local = unread_local_numbers(event.text, region_country, t.locale)
    if not found:
        hint = bare_word_hint(ctx, event.text)
        if hint is not None or local:
            return _stay(conversation, ctx, Reply(
                hint if hint is not None else local_numbers_question(ctx, local)))
        return _stay(conversation, ctx, Reply(t.gettext(
            "I could not find a phone number, @username, link or wallet in that. For a phone number, "
            "include the country code (+66, +855, +95…). You can describe what happened in the next "
            "step.")))
    refused, kept = _split_safelisted(ctx, found)
    known = {identity(item["type"], item["value"]) for item in draft["contacts"]}
    for contact in kept:
        if identity_of(contact) not in known and len(draft["contacts"]) < MAX_REPORT_CONTACTS:
            known.add(identity_of(contact))
            draft["contacts"].append(contact_to_data(contact))
    new = _at(conversation, CONTACTS, draft)
    before = [_refusal(ctx, refused)] if refused else []
    if local:
        before.append(Reply(local_numbers_question(ctx, local)))
    if len(draft["contacts"]) >= MAX_REPORT_CONTACTS:
        before.append(Reply(t.gettext("That is as many contacts as one report can hold. If there "
                                      "are more, please send another report.")))
    return Outcome(new, [*before, _contacts_question(ctx, draft)])


# --- narrative ------------------------------------------------------------------------------

def _narrative_question(ctx: FlowContext, draft: dict[str, Any], *, replacing: bool = False) -> Reply:
    t = ctx.t
    if replacing:
        return Reply(t.gettext("Write what happened again: what you send now replaces the earlier "
                               "text. Tap “Skip” to keep the earlier text."),
                     buttons=((Button(t.gettext("Skip →"), SKIP),), (menu_button(ctx),)))
    if draft.get("narrative"):
        return Reply(t.gettext("Got it. Add more in another message, or tap “Next”."),
                     buttons=((Button(t.gettext("✓ Next"), DONE),), (menu_button(ctx),)))
    return Reply(t.gettext(
        "What happened? In your own words: how they contacted you, what they promised, what they "
        "asked for. Please leave out your own name and phone number."),
        buttons=((Button(t.gettext("Skip →"), SKIP),), (menu_button(ctx),)))


def _narrative(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    draft = _draft(conversation)
    if event.kind == EventKind.BUTTON:
        if event.button in (DONE, SKIP):
            return _next(conversation, ctx, draft, WHEN)
        return _stay(conversation, ctx)
    text = event.text.strip()
    if not text:
        return _stay(conversation, ctx)
    replace = bool(conversation.data.get("replace"))
    combined = (draft["narrative"] + "\n\n" + text) if draft["narrative"] and not replace else text
    if len(combined) > MAX_NARRATIVE_CHARS:
        return _stay(conversation, ctx, Reply(ctx.t.gettext(
            "Thank you; the report cannot hold more text than that. Tap “Next” to go on.")))
    draft["narrative"] = combined
    added = _add_narrative_contacts(event, ctx, draft, text, conversation.country)
    new = _at(conversation, NARRATIVE, draft)
    before = [Reply(ctx.t.gettext(
        "I added the contacts in your text to the report: {contacts}. If one of them is not the "
        "scammer's, remove it from the summary (✏️ Contacts).",
        contacts=listed(ctx.t, (shown(contact) for contact in added))))] if added else []
    return Outcome(new, [*before, _narrative_question(ctx, draft)])


def _not_reporters(event: Event, text: str, contacts: Sequence[Contact]) -> list[Contact]:
    """The contacts of `text` that are not the reporter's own: their Telegram identity, or what
    the text says is theirs ("my number is …"); those are redacted, never reported."""
    own = [*event.reporter_identity, *own_identifiers(text)]
    return [contact for contact in contacts if not is_reporters(contact.raw, own)]


def _add_narrative_contacts(event: Event, ctx: FlowContext, draft: dict[str, Any], text: str,
                            country: str | None) -> list[Contact]:
    """The scammer's contacts the narrative names, added to the report's (so they are kept in
    the text and checked by others); official numbers are left out quietly."""
    found = _not_reporters(event, text, extract_contacts(text, default_region=draft.get("country")
                                                          or country))
    _official, kept = _split_safelisted(ctx, found)
    # One contact whatever the channel ("WhatsApp +855 …" is the number already listed), as the
    # contacts step and the stored report count it.
    known = {identity(item["type"], item["value"]) for item in draft["contacts"]}
    added: list[Contact] = []
    for contact in kept:
        if identity_of(contact) not in known and len(draft["contacts"]) < MAX_REPORT_CONTACTS:
            known.add(identity_of(contact))
            draft["contacts"].append(contact_to_data(contact))
            added.append(contact)
    return added


# --- when -----------------------------------------------------------------------------------

def _when_question(ctx: FlowContext) -> Reply:
    t = ctx.t
    choices = [Button(t.gettext(label), WHEN_PREFIX + value) for value, label in WHEN_LABELS.items()]
    return Reply(t.gettext("When did this happen (or when did they last contact you)?"), buttons=(
        tuple(choices[:2]), tuple(choices[2:]),
        (Button(t.gettext("Skip →"), SKIP),), (menu_button(ctx),),
    ))


def _when(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    action = event.button or "" if event.kind == EventKind.BUTTON else ""
    draft = _draft(conversation)
    if action == SKIP:
        draft["when"] = None
        return _next(conversation, ctx, draft, COUNTRY)
    if action.startswith(WHEN_PREFIX) and action.removeprefix(WHEN_PREFIX) in WHEN_LABELS:
        draft["when"] = action.removeprefix(WHEN_PREFIX)
        return _next(conversation, ctx, draft, COUNTRY)
    return _stay(conversation, ctx, Reply(ctx.t.gettext("Please choose one of the buttons.")))


# --- country --------------------------------------------------------------------------------

def _country_question(ctx: FlowContext, preferred: str | None, *, job: bool) -> Reply:
    t = ctx.t
    rows: list[tuple[Button, ...]] = []
    if preferred:
        rows.append((Button(_clip("✓ " + country_name(preferred, t.locale)), COUNTRY_PREFIX + preferred),))
    others = [Button(country_name(code, t.locale), COUNTRY_PREFIX + code)
              for code in COUNTRIES if code != preferred]
    rows += [tuple(others[i:i + 3]) for i in range(0, len(others), 3)]
    rows += [(Button(t.gettext("Skip →"), SKIP),), (menu_button(ctx),)]
    # A romance or investment scam, or a contact, has a scammer but no recruiter.
    question = (t.gettext("Which country did this happen in, or where is the recruiter?") if job
                else t.gettext("Which country did this happen in, or where is the scammer?"))
    return Reply(question, buttons=tuple(rows))


def _country(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    action = event.button or "" if event.kind == EventKind.BUTTON else ""
    draft = _draft(conversation)
    if action == SKIP:
        draft["country"] = None
        return _next(conversation, ctx, draft, SUMMARY)
    code = action.removeprefix(COUNTRY_PREFIX)
    if action.startswith(COUNTRY_PREFIX) and (code in COUNTRIES or code == conversation.country):
        draft["country"] = code
        return _next(conversation, ctx, draft, SUMMARY)
    return _stay(conversation, ctx, Reply(ctx.t.gettext("Please choose one of the buttons.")))


# --- summary, consent, storing ---------------------------------------------------------------

def _summary(ctx: FlowContext, draft: dict[str, Any]) -> Reply:
    t = ctx.t
    not_given = "<i>" + t.gettext("not given") + "</i>"
    contacts = [contact_from_data(item) for item in draft["contacts"]]
    narrative = draft.get("narrative") or ""
    if len(narrative) > SUMMARY_NARRATIVE_PREVIEW:
        narrative = narrative[:SUMMARY_NARRATIVE_PREVIEW] + "…"
    kind = draft.get("kind")
    # A variable, not a subscript inside gettext(): extractors must see no msgid here.
    when_label = WHEN_LABELS.get(draft.get("when") or "")
    lines = [
        t.gettext("<b>Please check your report:</b>"), "",
        t.gettext("<b>Kind:</b> {kind}", kind=t.gettext(KIND_LABELS[kind]) if kind in KIND_LABELS
                  else not_given),
        t.gettext("<b>Contacts:</b> {contacts}", contacts=listed(t, (shown(c) for c in contacts))
                  if contacts else not_given),
        t.gettext("<b>What happened:</b> {text}", text=html.escape(narrative) if narrative
                  else not_given),
        t.gettext("<b>When:</b> {when}", when=t.gettext(when_label) if when_label else not_given),
        t.gettext("<b>Country:</b> {country}", country=html.escape(country_name(draft["country"],
                  t.locale)) if draft.get("country") else not_given),
    ]
    if draft.get("offer"):
        lines.append(t.gettext("<b>The ad you checked:</b> kept with the report, your own name "
                               "and number removed, so that others who receive it are warned."))
    if draft.get("flags"):
        lines.append(t.ngettext("<b>From your check:</b> {n} warning sign",
                                "<b>From your check:</b> {n} warning signs", len(draft["flags"])))
    edits = [Button(t.gettext(label), EDIT_PREFIX + part) for part, label in EDITABLE.items()]
    return Reply("\n".join(lines), buttons=(
        (Button(t.gettext("✓ Looks right"), CONFIRM),),
        tuple(edits[:2]), tuple(edits[2:4]), tuple(edits[4:]),
        (Button(t.gettext("✕ Cancel"), CANCEL),),
    ))


def _summary_step(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    action = event.button or "" if event.kind == EventKind.BUTTON else ""
    draft = _draft(conversation)
    if action == CONFIRM:
        if not draft.get("kind"):
            new = _at(conversation, KIND, draft, editing=True)
            return Outcome(new, [Reply(ctx.t.gettext("Please choose what kind of scam it is first.")),
                                 *reprompt(new, ctx)])
        if not draft["contacts"] and not draft.get("narrative"):
            new = _at(conversation, CONTACTS, draft, editing=True)
            return Outcome(new, [Reply(ctx.t.gettext(
                "A report needs at least a contact or a few words about what happened.")),
                *reprompt(new, ctx)])
        new = _at(conversation, NOTIFY, draft)
        return Outcome(new, reprompt(new, ctx))
    if action == CANCEL:
        return _cancelled(conversation, ctx)
    part = action.removeprefix(EDIT_PREFIX)
    if action.startswith(EDIT_PREFIX) and part in EDITABLE:
        # A new narrative replaces the earlier one, which stays until the person sends it.
        extra = {"replace": True} if part == NARRATIVE and draft.get("narrative") else {}
        new = _at(conversation, part, draft, editing=True, **extra)
        return Outcome(new, reprompt(new, ctx))
    # Typed text here is often a correction: the buttons are the way to make it.
    return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))


def _notify_question(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply(t.gettext(
        "Would you like one message from me when staff have reviewed your report? To send it, I "
        "keep this chat's number locked (encrypted) with the report, and erase it once the message "
        "is sent."), buttons=(
        (Button(t.gettext("🔔 Yes, tell me"), NOTIFY_YES), Button(t.gettext("No, thanks"), NOTIFY_NO)),
        (Button(t.gettext("✕ Cancel"), CANCEL),),
    ))


def _notify(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    action = event.button or "" if event.kind == EventKind.BUTTON else ""
    if action == CANCEL:
        return _cancelled(conversation, ctx)
    if action not in (NOTIFY_YES, NOTIFY_NO):
        return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))
    new = _at(conversation, CONSENT, _draft(conversation), notify=action == NOTIFY_YES)
    return Outcome(new, reprompt(new, ctx))


def _consent_question(ctx: FlowContext, *, notify: bool) -> Reply:
    t = ctx.t
    parts = [t.gettext(
        "Before I store it: the report is kept without your name, username or phone number. Phone "
        "numbers and other details in your text that are not the scammer's are removed. Our staff "
        "read reports to check the contacts and warn others. You can erase your reports any time "
        "with /delete.")]
    if notify:
        parts.append(t.gettext("As you asked, I also keep this chat locked with the report until "
                               "I have told you it was reviewed."))
    parts.append("<b>" + t.gettext("I agree to store this report without my name or number.") + "</b>")
    return Reply("\n\n".join(parts), buttons=(
        (Button(t.gettext("✓ I agree, store it"), AGREE),),
        (Button(t.gettext("✕ Cancel"), CANCEL),),
    ))


def _consent(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    action = event.button or "" if event.kind == EventKind.BUTTON else ""
    if action == CANCEL:
        return _cancelled(conversation, ctx)
    if action != AGREE:
        return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))
    wait = ratelimit.consume(ctx.sql, user_key=event.user_key, limit=ratelimit.REPORTS, now=ctx.now)
    if wait is not None:
        # The draft stays: the person can agree again after the pause.
        return Outcome(conversation, [ratelimit.reports_limited_reply(ctx, wait)])
    draft = _draft(conversation)
    contacts = [contact_from_data(item) for item in draft["contacts"]]
    narrative = draft.get("narrative") or ""
    country = draft.get("country")
    # The person's own country (from their preferences), not the draft's: that one is where the
    # scam happened or the recruiter is, and an Indonesian reporting a recruiter in Malaysia
    # writes Indonesian.
    language = (detect_language(narrative, hint=ctx.t.locale, country=conversation.country)
                if narrative else None)
    notify = bool(conversation.data.get("notify"))
    offer = draft.get("offer") or None
    risk, flags = draft.get("risk"), list(draft.get("flags", []))
    if risk is None and (narrative or offer):
        # Reports filed through /report are screened too, so staff see a level for every one.
        # The scam's country reads its numbers; the person's own settles the text's language,
        # as for the report's language above.
        screened = assess_text("\n\n".join(p for p in (offer, narrative) if p),
                               lang=ctx.t.locale, country=country,
                               home_country=conversation.country)
        risk, flags = screened.risk.value, screened.flag_ids
    # file_report redacts the narrative and the offer (storage.redact) and seals the chat id;
    # its statements run in the step's transaction without an ORM session (ctx.sql).
    report = file_report(
        ctx.sql, reporter_key=event.user_key, kind=draft["kind"], country=country,
        language=language or ctx.t.locale, risk_level=risk,
        flag_ids=flags, narrative=narrative or None, happened=draft.get("when"),
        contacts=contacts, reporter_identifiers=event.reporter_identity,
        notify_chat_id=event.chat_id if notify else None,
        seal_key=ctx.settings.seal_keys if notify else None, now=ctx.now, offer_text=offer,
    )
    alert_staff(report, ctx, reporter_key=event.user_key)  # stored with the report; bot/alerts.py sends it
    return back_to_menu(conversation, ctx, before=[_receipt(ctx, report.receipt_code, notify=notify)],
                        after=[talk_offer(ctx)])


def _receipt(ctx: FlowContext, receipt: str, *, notify: bool) -> Reply:
    t = ctx.t
    parts = [
        t.gettext("✅ Thank you. Your report is stored."),
        t.gettext("Your receipt code: <code>{code}</code>", code=html.escape(receipt)),
        t.gettext("Keep it to add more later (/report → “Add to an earlier report”). Our staff check "
                  "every report; a contact is only marked as a scam after that review, never by one "
                  "report alone."),
    ]
    if notify:
        parts.append(t.gettext("I will send you one message when it has been reviewed."))
    return Reply("\n\n".join(parts))


def _cancelled(conversation: Conversation, ctx: FlowContext) -> Outcome:
    return back_to_menu(conversation, ctx, before=[Reply(ctx.t.gettext(
        "Cancelled. Nothing was stored."))])


# --- adding to an earlier report -------------------------------------------------------------

def _code_question(ctx: FlowContext) -> Reply:
    return Reply(ctx.t.gettext("Send the receipt code of your earlier report."),
                 buttons=((menu_button(ctx),),))


def _add_code(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    if event.kind != EventKind.TEXT:
        return _stay(conversation, ctx)
    wait = ratelimit.consume(ctx.sql, user_key=event.user_key, limit=ratelimit.CODE_TRIES, now=ctx.now)
    if wait is not None:
        return back_to_menu(conversation, ctx, before=[Reply(t.gettext(
            "Too many codes tried. Please try again in {wait}.",
            wait=ratelimit.describe_wait(ctx, wait)))])
    report = get_report_by_code(ctx.db, receipt_code=event.text)
    if report is None or report.reporter_key != event.user_key:
        # The same answer whether the code is unknown or someone else's: codes reveal nothing.
        return _stay(conversation, ctx, Reply(t.gettext(
            "I can't find a report with that code sent from this account. Check the code and "
            "send it again.")))
    new = _at(conversation, ADD_TEXT, _draft(conversation), receipt=report.receipt_code)
    return Outcome(new, [_add_text_question(ctx)])


def _add_text_question(ctx: FlowContext) -> Reply:
    return Reply(ctx.t.gettext(
        "What would you like to add? Send more details or the scammer's contacts in one message. "
        "Please leave out your own name and phone number."), buttons=((menu_button(ctx),),))


def _add_text(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    text = event.text.strip() if event.kind == EventKind.TEXT else ""
    if not text:
        return _stay(conversation, ctx)
    receipt = str(conversation.data.get("receipt", ""))
    found = _not_reporters(event, text, read_contacts(text, conversation.country, ctx.t.locale))
    refused, kept = _split_safelisted(ctx, found)
    # add_to_report redacts the text and only accepts the report's own reporter.
    report = add_to_report(ctx.db, receipt_code=receipt, reporter_key=event.user_key,
                           narrative=text, contacts=kept, reporter_identifiers=event.reporter_identity,
                           now=ctx.now)
    if report is None:
        return back_to_menu(conversation, ctx, before=[Reply(t.gettext(
            "I can't find that report any more, so nothing was added."))])
    before = [_refusal(ctx, refused)] if refused else []
    before.append(Reply(t.gettext("Added to report <code>{code}</code>. Thank you.",
                                  code=html.escape(receipt))))
    return back_to_menu(conversation, ctx, before=before)


_STEPS = {
    KIND: _kind,
    CONTACTS: _contacts,
    NARRATIVE: _narrative,
    WHEN: _when,
    COUNTRY: _country,
    SUMMARY: _summary_step,
    NOTIFY: _notify,
    CONSENT: _consent,
    ADD_CODE: _add_code,
    ADD_TEXT: _add_text,
}
