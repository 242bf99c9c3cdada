"""/language: pick the language, remembered per person (a keyed pseudonym, not the id).

```mermaid
stateDiagram-v2
    [*] --> choosing: /language or 🌐 button
    choosing --> [*]: lang:<code> button (saved, menu in the new language)
    choosing --> choosing: text (list again)
```
"""

from __future__ import annotations

from handlers import registry
from handlers.common import LANGUAGE_PREFIX, back_to_menu, in_locale
from handlers.types import Button, Conversation, Event, FlowContext, Outcome, Reply
from locales.i18n import SUPPORTED_LOCALES, language_name
from storage.prefs import set_prefs

NAME = "language"
CHOOSING = "choosing"
BUTTONS_PER_ROW = 2


def language_keyboard() -> tuple[tuple[Button, ...], ...]:
    buttons = [Button(language_name(code), LANGUAGE_PREFIX + code) for code in SUPPORTED_LOCALES]
    return tuple(tuple(buttons[i:i + BUTTONS_PER_ROW])
                 for i in range(0, len(buttons), BUTTONS_PER_ROW))


def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    data = {"return_to": conversation.flow} if conversation.flow == "onboarding" else {}
    new = conversation.at(NAME, CHOOSING, data)
    return Outcome(new, reprompt(new, ctx))


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    return Outcome(conversation, reprompt(conversation, ctx))


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    return [Reply(ctx.t.gettext("Which language do you prefer?"), buttons=language_keyboard())]


def choose(event: Event, conversation: Conversation, ctx: FlowContext, locale: str) -> Outcome:
    """A language button, pressed from any message."""
    if locale not in SUPPORTED_LOCALES:
        return Outcome(conversation, reprompt(conversation, ctx))
    set_prefs(ctx.db, user_key=event.user_key, locale=locale)
    conversation.locale = locale
    spoken = in_locale(ctx, locale)
    confirmation = Reply(spoken.t.gettext("Done. I will write to you in {language}.",
                                          language=language_name(locale)))
    if conversation.data.get("return_to") == "onboarding" or conversation.flow == "onboarding":
        return registry.hand_over("onboarding", event, conversation, spoken, before=[confirmation])
    if conversation.flow in ("check", "help_now"):
        # Offered with an offer's result or urgent help's first question (handlers/common.py
        # `language_offer`): the flow stays where it was, its buttons still work.
        return Outcome(conversation, [confirmation,
                                      *registry.flow_named(conversation.flow).reprompt(conversation, spoken)])
    return back_to_menu(conversation, spoken, before=[confirmation])
