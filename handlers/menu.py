"""The main menu, /help and /cancel.

```mermaid
stateDiagram-v2
    [*] --> idle
    idle --> idle: text / media (menu again, with a hint)
    idle --> check: long text that looks like an offer
    idle --> contact: a phone number, @handle, link or wallet sent alone (via check)
    idle --> help_now: a short message saying someone is held ("they took my passport")
    idle --> onboarding: a short message in another language than Telegram's, none chosen
```
"""

from __future__ import annotations

from handlers import registry
from handlers.common import HELD_FLAG, back_to_menu, idle, in_locale, language_offer, main_menu
from handlers.contacts import only_contacts, phone_region
from handlers.types import Conversation, Event, EventKind, FlowContext, Outcome, Reply
from locales.i18n import SUPPORTED_LOCALES
from screening.assess import assess_text
from screening.language import detect_language
from storage.talk import open_case_of

NAME = "menu"
IDLE = "idle"
# A pasted text this long is an offer to check, not a stray word.
OFFER_LIKE_LENGTH = 60


def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    return back_to_menu(conversation, ctx)


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if open_case_of(ctx.db, user_key=event.user_key) is not None:
        # A conversation with our team is open: what the person writes is for them.
        return registry.hand_over("talk", event, conversation, ctx)
    if event.kind == EventKind.TEXT and (
            len(event.text) >= OFFER_LIKE_LENGTH
            or only_contacts(event.text, phone_region(event.text, conversation.country, ctx.t.locale))):
        # An offer, or a phone number or @handle sent alone: checked (a contact as a contact).
        return registry.hand_over("check", event, conversation, ctx)
    if event.kind == EventKind.TEXT and HELD_FLAG in assess_text(
            event.text, lang=ctx.t.locale, country=conversation.country).flag_ids:
        # "They took my passport": not a stray word to answer with the menu's hint. With no
        # language chosen, urgent help speaks the language it was written in (Burmese from a
        # Telegram in English, which has no Burmese), and offers to keep it.
        detected = detect_language(event.text, hint=event.telegram_language,
                                   country=conversation.country) if conversation.locale is None else None
        if detected is None or detected not in SUPPORTED_LOCALES or detected == ctx.t.locale:
            return registry.hand_over("help_now", event, conversation, ctx)
        spoken = in_locale(ctx, detected)
        outcome = registry.hand_over("help_now", event, conversation, spoken)
        return Outcome(outcome.conversation, [*outcome.replies, language_offer(spoken)])
    if event.kind == EventKind.TEXT and conversation.locale is None:
        # No language chosen (a first message without /start, or after /delete): someone writing
        # "Xin chào" with Telegram in English is offered Vietnamese, as /start offers it.
        detected = detect_language(event.text, hint=event.telegram_language,
                                   country=conversation.country)
        if detected in SUPPORTED_LOCALES and detected != ctx.t.locale:
            return registry.hand_over("onboarding", event, conversation, ctx, proposed=detected)
    t = ctx.t
    if event.kind == EventKind.MEDIA:
        hint = t.gettext("I can only read text here. Choose what you want to do:")
    else:
        hint = t.gettext("Choose what you want to do, or paste a job offer to check it:")
    return back_to_menu(conversation, ctx, intro=hint)


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    return [main_menu(ctx)]


def help_(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    text = "\n".join([
        t.gettext("I help you check job offers and recruiters before you trust them, and report "
                  "scam contacts safely."),
        "",
        t.gettext("/check – check a job offer"),
        t.gettext("/contact – check a phone number, account, link or wallet"),
        t.gettext("/report – report a scam contact or offer"),
        t.gettext("/help_now – urgent help if you or someone you know is held"),
        t.gettext("/talk – write to a person from our team"),
        t.gettext("/safety – how to stay safe"),
        t.gettext("/privacy – what I store, and /delete to erase it"),
        t.gettext("/language – change the language"),
        t.gettext("/cancel – stop what you are doing, /menu – the main menu"),
    ])
    return Outcome(conversation, [Reply(text), *reprompt_current(conversation, ctx)])


def cancel(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    if conversation.flow == NAME:
        return back_to_menu(conversation, ctx)
    return Outcome(idle(conversation), [
        main_menu(ctx, intro=t.gettext("Stopped. Nothing from that step was kept. What next?"))
    ])


def reprompt_current(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    return registry.flow_named(conversation.flow).reprompt(conversation, ctx)
