"""Replies and buttons several flows share: the main menu, "back to menu", resets."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from handlers.types import Button, Conversation, Event, EventKind, FlowContext, Outcome, Reply
from locales.i18n import Translator, get_translator, language_name

# Global actions work from any message, whatever the conversation version: they start
# something new rather than answer a question that may be stale.
MENU_ACTION = "menu"
GO_PREFIX = "go:"
LANGUAGE_PREFIX = "lang:"
# The red flag (screening/data/red_flags.json) of people already held: passports or phones
# taken, not allowed to leave. Text showing it may be the person's own situation: the menu and
# /check lead to urgent help.
HELD_FLAG = "passport_held_or_confined"


# How a language separates the items of a list in a line: Chinese writes the enumeration comma
# (“@a、+886 912 345 678”), Burmese its own sign; the others a comma and a space.
_LIST_SEPARATORS = {"zh_Hans": "、", "zh_Hant": "、", "my": "၊ "}
# Sentences one after another: Chinese leaves no space after 。
_SENTENCE_SEPARATORS = {"zh_Hans": "", "zh_Hant": ""}


def listed(t: Translator, items: Iterable[str]) -> str:
    """Contacts, numbers or channels in one line, separated as the language does."""
    return _LIST_SEPARATORS.get(t.locale, ", ").join(items)


def sentences(t: Translator, parts: Iterable[str]) -> str:
    """Sentences in one paragraph, separated as the language does."""
    return _SENTENCE_SEPARATORS.get(t.locale, " ").join(parts)


def go(flow: str) -> str:
    return GO_PREFIX + flow


def menu_button(ctx: FlowContext) -> Button:
    return Button(ctx.t.gettext("☰ Menu"), MENU_ACTION)


def main_menu(ctx: FlowContext, *, intro: str | None = None) -> Reply:
    t = ctx.t
    text = intro if intro is not None else t.gettext("What would you like to do?")
    return Reply(text, buttons=(
        (Button(t.gettext("🔎 Check a job offer"), go("check")),
         Button(t.gettext("📇 Check a contact"), go("contact"))),
        (Button(t.gettext("📝 Report a scam"), go("report")),
         Button(t.gettext("🆘 I need help now"), go("help_now"))),
        (Button(t.gettext("🛡 How to stay safe"), go("safety")),
         Button(t.gettext("🔒 Privacy"), go("privacy"))),
        (Button(t.gettext("💬 Talk to a person"), go("talk")),
         Button(t.gettext("🌐 Language"), go("language"))),
    ))


def language_offer(ctx: FlowContext) -> Reply:
    """Continue in `ctx`'s language? Offered beside an answer given in the language someone
    wrote in before choosing one (an offer to check, "they took my passport"); the `lang:`
    button works from any message and keeps the flow the answer started."""
    t = ctx.t
    name = language_name(t.locale)
    return Reply(t.gettext("Shall we continue in {language}?", language=name), buttons=(
        (Button(t.gettext("✓ Yes, {language}", language=name), LANGUAGE_PREFIX + t.locale),),
        (Button(t.gettext("🌐 Another language"), go("language")),),
    ))


def talk_offer(ctx: FlowContext) -> Reply:
    """The last reply of the urgent-help and report flows: a person from the team can answer
    here (handlers/talk.py), only if the person starts it (the button opens /talk's consent)."""
    t = ctx.t
    return Reply(t.gettext("A person from our team can write to you here, if you want."),
                 buttons=((Button(t.gettext("💬 Talk to a person"), go("talk")),),))


def idle(conversation: Conversation) -> Conversation:
    """The same person, back at the menu, with any half-finished draft dropped."""
    return conversation.at("menu", "idle")


def back_to_menu(conversation: Conversation, ctx: FlowContext, *, intro: str | None = None,
                 before: list[Reply] | None = None, after: list[Reply] | None = None) -> Outcome:
    return Outcome(idle(conversation), [*(before or []), main_menu(ctx, intro=intro),
                                        *(after or [])])


def in_locale(ctx: FlowContext, locale: str) -> FlowContext:
    """The same context speaking another language (right after the person picks one)."""
    switched = copy.copy(ctx)
    switched.t = get_translator(locale)
    return switched


def use_the_buttons(event: Event, conversation: Conversation, ctx: FlowContext,
                    prompts: list[Reply]) -> Outcome:
    """Input a step cannot use (media, or text where a button is expected): say why, kindly,
    and ask the same question again, so the person stays where they were."""
    t = ctx.t
    if event.kind == EventKind.MEDIA:
        hint = t.gettext("I can only read text here.")
    elif event.kind == EventKind.BUTTON:
        return Outcome(conversation, prompts)
    else:
        hint = t.gettext("Please choose one of the buttons below.")
    return Outcome(conversation, [Reply(hint), *prompts])
