"""/privacy and /delete: what is stored and why, and erasing everything linked to the person.

`/delete` (event.command == "delete") skips the explanation and asks for confirmation at
once. Erasing runs `storage.reports.delete_user_data` for the person's pseudonym, which
removes their conversation row too; the outcome says so (`forget`), so the dispatcher
writes nothing back.

```mermaid
stateDiagram-v2
    [*] --> info: /privacy or 🔒 button
    [*] --> confirm: /delete
    info --> confirm: 🗑 erase everything about me
    confirm --> [*]: yes, erase (done: N items erased, menu)
    confirm --> [*]: no, keep it (menu, nothing changed)
    info --> info: text / media (hint, same message)
    confirm --> confirm: text / media (hint, same question)
```
"""

from __future__ import annotations

from handlers.common import back_to_menu, main_menu, menu_button, sentences, use_the_buttons
from handlers.types import Button, Conversation, Event, EventKind, FlowContext, Outcome, Reply
from storage.erasure import DeletionSummary, delete_user_data
from storage.housekeeping import DRAFT_TTL
from storage.talk import erase_cases

NAME = "privacy"
INFO = "info"
CONFIRM = "confirm"
# What a person was checking stays in their conversation row until housekeeping erases it.
DRAFT_HOURS = int(DRAFT_TTL.total_seconds() // 3600)

ERASE = "erase"
ERASE_YES = "erase:yes"
ERASE_NO = "erase:no"


def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    state = CONFIRM if event.command == "delete" else INFO
    new = conversation.at(NAME, state)
    return Outcome(new, reprompt(new, ctx))


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    return _STEPS.get(conversation.state, _info)(event, conversation, ctx)


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    return [_QUESTIONS.get(conversation.state, _info_message)(ctx)]


def _info(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.BUTTON and event.button == ERASE:
        new = conversation.at(NAME, CONFIRM)
        return Outcome(new, reprompt(new, ctx))
    return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))


def _confirm(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    action = event.button if event.kind == EventKind.BUTTON else None
    if action == ERASE_YES:
        return _erase(event, conversation, ctx)
    if action == ERASE_NO:
        return back_to_menu(conversation, ctx, intro=ctx.t.gettext(
            "Nothing was erased. What would you like to do?"))
    return _info(event, conversation, ctx)


def _confirm_question(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply(t.gettext(
        "This erases your reports, your conversations with our team, your language and "
        "country, and our conversation. Scam contacts that staff already confirmed stay listed, "
        "with no link to you. It cannot be undone. Erase everything?"),
        buttons=((Button(t.gettext("Yes, erase everything"), ERASE_YES),),
                 (Button(t.gettext("No, keep it"), ERASE_NO),)))


def _info_message(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply(_explanation(ctx), buttons=(
        (Button(t.gettext("🗑 Erase everything about me"), ERASE),),
        (menu_button(ctx),),
    ))


def _explanation(ctx: FlowContext) -> str:
    t = ctx.t
    retention_days = ctx.settings.retention_days
    if retention_days:
        retention = t.ngettext(
            "What happened, as you told it, is deleted {n} day after a report; the count of "
            "reports about a scam contact stays.",
            "What happened, as you told it, is deleted {n} days after a report; the count of "
            "reports about a scam contact stays.", retention_days)
    else:
        retention = t.gettext("Reports are kept until you erase them here.")
    bullets = "\n".join([
        t.gettext("• Not your Telegram account, name, username or number: only a code computed "
                  "from your account, which cannot be turned back into it."),
        t.gettext("• Your language and country, to answer you in your language with the right "
                  "hotlines."),
        t.gettext("• Reports you choose to send: the scam contacts you name, and what happened, "
                  "with your own phone numbers, e-mails and document numbers removed. Each report "
                  "has a receipt code, so you can add to it later."),
        t.ngettext("• The text you last sent me to check, kept in our conversation so that you can add "
                   "to it, and erased {n} hour after your last message (or at once with /delete).",
                   "• The text you last sent me to check, kept in our conversation so that you can add "
                   "to it, and erased {n} hours after your last message (or at once with /delete).",
                   DRAFT_HOURS),
        t.gettext("• If you ask to hear when a report is reviewed: where to send that one "
                  "message, locked, and deleted once it is sent."),
        t.gettext("• If you write to a person from our team (/talk): what you write and send "
                  "there, so that they can read it and answer. It is kept after the conversation "
                  "closes, until you erase it here."),
        t.gettext("• If you ask for urgent help and agree to alert our team, what you type goes to "
                  "the team's private chat. Erasing here cannot take back a message already sent "
                  "there."),
        "• " + retention,
    ])
    return "\n\n".join([
        "<b>" + t.gettext("What I store, and why") + "</b>",
        bullets,
        t.gettext("I never tell anyone who reported a contact. You can erase everything about you "
                  "at any time, also with /delete."),
    ])


def _erase(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    # The conversations with our team first: their audit events lose their notes too.
    conversations = erase_cases(ctx.db, user_key=event.user_key, now=ctx.now)
    summary = delete_user_data(ctx.db, user_key=event.user_key)
    lines = [t.ngettext("Done: {n} item erased.", "Done: {n} items erased.",
                        _items(summary) + conversations)]
    if summary.reports:
        lines.append(t.ngettext("That includes {n} report.", "That includes {n} reports.",
                                summary.reports))
    # Not a move: nothing is known about the person any more (a stranger at the menu).
    return Outcome(Conversation(), [Reply(sentences(t, lines)), main_menu(ctx)], forget=True)


def _items(summary: DeletionSummary) -> int:
    """Every stored record that was linked to the person, whatever its table."""
    return (summary.reports + summary.indicators + summary.prefs + summary.conversations
            + summary.rate_events + summary.inbox_updates + summary.staff_alerts)


# State → its step, and the question it asks (the one way flows dispatch on state).
_STEPS = {INFO: _info, CONFIRM: _confirm}
_QUESTIONS = {INFO: _info_message, CONFIRM: _confirm_question}
