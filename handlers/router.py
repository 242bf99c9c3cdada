"""Route one event to the flow step that answers it.

Global actions (a command, the menu button, a language button, "go:<flow>") work from
any message; anything else goes to the person's current flow, which decides by state.
A button from an older message than the current step is answered kindly, not obeyed.
"""

from __future__ import annotations

import dataclasses
import html
from datetime import timedelta

from handlers import (
    check_contact,
    check_offer,
    help_now,
    language,
    menu,
    onboarding,
    privacy,
    registry,
    report,
    safety,
    talk,
)
from handlers.common import GO_PREFIX, LANGUAGE_PREFIX, MENU_ACTION, back_to_menu, idle
from handlers.registry import COMMAND_FLOWS, FLOWS, flow_named
from handlers.types import Conversation, Event, EventKind, FlowContext, Outcome, Reply
from locales.i18n import N_
from screening.ocr import ERROR_MESSAGES, ImageError

# An `Event.image_error` value beside screening.ocr's `ImageError`s: the bot (bot/pictures.py)
# refused to read one more picture from this person for now.
TOO_MANY_PICTURES = "too_many"
TOO_MANY_PICTURES_MESSAGE = N_(
    "Thank you — that is more pictures than I can read in one minute. I kept what I read from "
    "the ones before. Send this one again in a minute, or paste its text.")

# Every flow, registered once: the router is the one module that knows them all.
registry.register(menu, onboarding, language, check_offer, check_contact, report, help_now, safety,
                  privacy, talk)

# After this long without a word, a half-finished step is dropped politely.
CONVERSATION_TTL = timedelta(hours=6)


def route(event: Event, conversation: Conversation, ctx: FlowContext, *,
          idle_for: timedelta | None = None) -> Outcome:
    t = ctx.t
    if event.edited:
        # An edit arrives as a second copy of an old message, often after the conversation has
        # moved on: acting on it would answer a question that is no longer asked.
        return Outcome(conversation, [
            Reply(t.gettext("I saw that you changed a message. I go by what you first sent; if "
                            "something changed, send it again as a new message.")),
            *flow_named(conversation.flow).reprompt(conversation, ctx),
        ])
    if event.kind == EventKind.COMMAND:
        return _command(event, conversation, ctx)
    if event.kind == EventKind.BUTTON:
        action = event.button or ""
        if action == MENU_ACTION:
            return back_to_menu(conversation, ctx)
        if action.startswith(LANGUAGE_PREFIX):
            return language.choose(event, conversation, ctx, action.removeprefix(LANGUAGE_PREFIX))
        if action.startswith(GO_PREFIX):
            return _start_flow(action.removeprefix(GO_PREFIX), event, conversation, ctx)
        if event.button_version != conversation.version:
            current = flow_named(conversation.flow)
            return Outcome(conversation, [
                Reply(t.gettext("That button belongs to an earlier message. Here is where we are:")),
                *current.reprompt(conversation, ctx),
            ])
    if event.kind == EventKind.MEDIA and event.image_error:
        return Outcome(conversation, [Reply(t.gettext(_picture_problem(event.image_error))),
                                      *flow_named(conversation.flow).reprompt(conversation, ctx)])
    if (idle_for is not None and idle_for > CONVERSATION_TTL
            and conversation.flow not in ("menu", "onboarding")):
        return back_to_menu(idle(conversation), ctx, before=[Reply(t.gettext(
            "It has been a while, so I closed our earlier conversation. "
            "Nothing unfinished was stored."))])
    outcome = flow_named(conversation.flow).handle(event, conversation, ctx)
    if event.kind == EventKind.TEXT and event.read_from_picture.strip():
        # Read from a picture (OCR, QR codes): shown first, so a misreading can be corrected.
        outcome = dataclasses.replace(outcome, replies=[_what_was_read(ctx, event.read_from_picture),
                                                        *outcome.replies])
    return outcome


# What a picture's reading is shown as, at most (a screenshot of a long chat reads long).
MAX_READ_SHOWN = 600


def _what_was_read(ctx: FlowContext, text: str) -> Reply:
    t = ctx.t
    read = text.strip()
    if len(read) > MAX_READ_SHOWN:
        read = read[:MAX_READ_SHOWN].rstrip() + "…"
    return Reply("\n".join([
        t.gettext("I read this from your picture:"),
        "<blockquote>" + html.escape(read) + "</blockquote>",
        t.gettext("If I misread something, send the text typed and I will check it again."),
    ]))


def _command(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    command = event.command or ""
    if command == "help":
        return menu.help_(event, conversation, ctx)
    if command == "cancel":
        left = talk.cancel_command(event, conversation, ctx) if conversation.flow == talk.NAME else None
        return left if left is not None else menu.cancel(event, conversation, ctx)
    if command in COMMAND_FLOWS:
        return _start_flow(COMMAND_FLOWS[command], event, conversation, ctx)
    if command in talk.END_COMMANDS:
        ended = talk.end_command(event, conversation, ctx)
        if ended is not None:
            return ended
    current = flow_named(conversation.flow)
    return Outcome(conversation, [
        Reply(ctx.t.gettext("I don't know that command. Send /help to see what I can do; "
                            "we can go on where we were.")),
        *current.reprompt(conversation, ctx),
    ])


def _start_flow(name: str, event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    flow = FLOWS.get(name)
    if flow is None:
        return back_to_menu(conversation, ctx)
    return flow.start(event, conversation, ctx)


def _picture_problem(error: str) -> str:
    if error == TOO_MANY_PICTURES:
        return TOO_MANY_PICTURES_MESSAGE
    try:
        return ERROR_MESSAGES[ImageError(error)]
    except ValueError:
        return ERROR_MESSAGES[ImageError.FAILED]
