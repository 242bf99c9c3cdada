"""/contact: is this phone number, @username, link or wallet known as a scam contact?

The answer says only what staff confirmed and how many independent reports name the
contact; nothing about the reporters (no dates, texts, countries). One report never
makes a contact "confirmed", and no match never makes it "safe".

```mermaid
stateDiagram-v2
    [*] --> ask: /contact or 📇 button
    ask --> ask: unreadable text / media / too long (examples again; a name: the licensed
             agency list and the official registers)
    ask --> result: a contact (or a message with contacts) was read
    result --> result: another contact typed
    result --> ask: 📇 check another
    result --> report: 📝 report this contact
```
"""

from __future__ import annotations

from handlers import ratelimit, registry
from handlers.agency_registries import agency_name_answer
from handlers.common import menu_button
from handlers.contacts import (
    MAX_CONTACTS_PER_CHECK,
    bare_word_hint,
    contact_from_data,
    contact_statuses,
    contact_to_data,
    local_numbers_question,
    read_contacts,
    status_line,
    unread_local_numbers,
)
from handlers.types import Button, Conversation, Event, EventKind, FlowContext, Outcome, Reply
from screening.contacts import Contact
from storage.housekeeping import DRAFT_TTL

NAME = "contact"
ASK = "ask"
RESULT = "result"

REPORT = "report"
AGAIN = "again"

# Longer than any real message (Telegram caps a text at 4,096): someone pasted a file.
MAX_TEXT_CHARS = 8000
# What was checked stays in the conversation (for "Report this contact") until it is erased.
DRAFT_HOURS = int(DRAFT_TTL.total_seconds() // 3600)


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
    return Outcome(conversation.at(NAME, ASK), [_question(ctx)])


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    return _STEPS.get(conversation.state, _ask)(event, conversation, ctx)


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    return [_QUESTIONS.get(conversation.state, _question_again)(conversation, ctx)]


def _result(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    """After an answer: report what was checked, or go on as when asked."""
    if event.kind == EventKind.BUTTON and event.button == REPORT:
        contacts = [contact_from_data(item) for item in conversation.data.get("contacts", [])]
        return registry.hand_over("report", event, conversation, ctx, kind="contact",
                                  contacts=contacts)
    return _ask(event, conversation, ctx)


def _ask(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.BUTTON:
        if event.button == AGAIN:
            return start(event, conversation, ctx)
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


def _result_again(conversation: Conversation, ctx: FlowContext) -> Reply:
    return Reply(ctx.t.gettext("Send another contact to check, or choose:"),
                 buttons=_result_buttons(ctx, reportable=len(conversation.data.get("contacts", []))))


def _question_again(conversation: Conversation, ctx: FlowContext) -> Reply:
    return _question(ctx)


def _question(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply("\n".join([
        t.gettext("Send me the phone number, Telegram @username, link or crypto wallet you want to "
                  "check. For example:"),
        "<code>+66 81 234 5678</code>",
        "<code>@recruiter_name</code>",
        "<code>https://example-jobs.com</code>",
        # Honest about the one place it is kept: the conversation, for the "Report" button,
        # which housekeeping erases after DRAFT_HOURS (what /privacy says too).
        t.ngettext("What you check is not added to any report, and I erase it {n} hour after "
                   "your last message.",
                   "What you check is not added to any report, and I erase it {n} hours after "
                   "your last message.", DRAFT_HOURS),
    ]), buttons=((menu_button(ctx),),))


def _check(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    contacts = read_contacts(event.text, conversation.country, t.locale)
    if not contacts:
        hint = bare_word_hint(ctx, event.text)
        local = unread_local_numbers(event.text, conversation.country, t.locale)
        if hint is not None or local:
            return Outcome(conversation, [Reply(
                hint if hint is not None else local_numbers_question(ctx, local),
                buttons=((menu_button(ctx),),))])
        agency = agency_name_answer(ctx, event.text, conversation.country)
        if agency is not None and agency[1]:  # a licensed agency's name
            return Outcome(conversation, [Reply(agency[0], buttons=((menu_button(ctx),),))])
        return Outcome(conversation, [Reply("\n\n".join([*([agency[0]] if agency else []), "\n".join([
            t.gettext("I could not read a phone number, username, link or wallet in that. "
                      "Try one of these forms:"),
            "<code>+855 12 345 678</code>",
            "<code>@hr_manager</code>",
            "<code>t.me/jobs_channel</code>",
            t.gettext("For a phone number, include the country code (+66, +855, +95…)."),
        ])]), buttons=((menu_button(ctx),),))])
    local = unread_local_numbers(event.text, conversation.country, t.locale)
    return check_contacts(event, conversation, ctx, contacts,
                          intro=local_numbers_question(ctx, local) if local else None)


def enter(event: Event, conversation: Conversation, ctx: FlowContext, *,
          contacts: list[Contact], intro: str | None = None) -> Outcome:
    """Handed over (`registry.hand_over`): a contact sent alone to /check is checked here."""
    return check_contacts(event, conversation, ctx, contacts, intro=intro)


def check_contacts(event: Event, conversation: Conversation, ctx: FlowContext,
                   contacts: list[Contact], *, intro: str | None = None) -> Outcome:
    """The answer about `contacts`."""
    t = ctx.t
    wait = ratelimit.consume(ctx.sql, user_key=event.user_key, limit=ratelimit.CHECKS, now=ctx.now)
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
    new = conversation.at(NAME, RESULT, {"contacts": reportable})
    return Outcome(new, [Reply("\n\n".join(lines),
                               buttons=_result_buttons(ctx, reportable=len(reportable)))])


def _result_buttons(ctx: FlowContext, *, reportable: int) -> tuple[tuple[Button, ...], ...]:
    """`reportable`: how many of the checked contacts the report button carries over."""
    t = ctx.t
    rows: list[tuple[Button, ...]] = []
    if reportable:
        # The button reports every contact checked: "this contact" when there were two was not
        # what it did.
        label = (t.gettext("📝 Report this contact") if reportable == 1
                 else t.gettext("📝 Report these contacts"))
        rows.append((Button(label, REPORT),))
    rows.append((Button(t.gettext("📇 Check another"), AGAIN), menu_button(ctx)))
    return tuple(rows)


# State → its step, and the question it asks (the one way flows dispatch on state).
_STEPS = {ASK: _ask, RESULT: _result}
_QUESTIONS = {ASK: _question_again, RESULT: _result_again}
