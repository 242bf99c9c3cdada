"""/start: confirm the language with one tap, ask the country (skippable), then the menu.

Returning people (who already chose a language) go straight to the menu.

```mermaid
stateDiagram-v2
    [*] --> confirm_language: /start (new person)
    [*] --> menu: /start (returning)
    confirm_language --> ask_country: ✓ keep language
    confirm_language --> language: other language
    language --> ask_country: language chosen
    confirm_language --> confirm_language: text (language detected from it, asked again)
    [*] --> confirm_language: text at the menu in another language, none chosen (menu hands over)
    ask_country --> menu: country or skip
    ask_country --> menu: MY, BN or SG with Telegram's Indonesian kept: menu, Malay offered
```

Telegram has an Indonesian interface and a Malay one, and the two standards read alike: someone
whose Telegram speaks Indonesian, who kept it at the greeting and then says they are where Malay
is the national language, is asked once, in one line, whether they would rather read Malay. The
two buttons are the `lang:` ones (`handlers.language`): the answer is their language preference,
kept like any choice, and the question is never asked again (the country is asked only here).
"""

from __future__ import annotations

from handlers.common import LANGUAGE_PREFIX, back_to_menu, go, in_locale
from handlers.countries import COUNTRIES, country_name
from handlers.types import Button, Conversation, Event, EventKind, FlowContext, Outcome, Reply
from locales.i18n import SUPPORTED_LOCALES, language_name, normalise_locale
from screening.language import MALAY_COUNTRIES, detect_language
from storage.prefs import get_prefs, set_prefs

NAME = "onboarding"
CONFIRM_LANGUAGE = "confirm_language"
ASK_COUNTRY = "ask_country"

KEEP_LANGUAGE = "keep"
SKIP_COUNTRY = "skip"
COUNTRY_PREFIX = "cc:"
# In the country question's data: the language was kept at the greeting as Telegram's.
KEPT_TELEGRAM = "kept_telegram"


def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    prefs = get_prefs(ctx.db, user_key=event.user_key)
    if prefs is not None and prefs.locale:
        return back_to_menu(conversation, ctx, intro=ctx.t.gettext(
            "Welcome back. What would you like to do?"))
    new = conversation.at(NAME, CONFIRM_LANGUAGE, {"proposed": ctx.t.locale})
    new.locale = None  # not chosen yet: the greeting proposes one
    return Outcome(new, [_greeting(ctx)])


def _greeting(ctx: FlowContext) -> Reply:
    t = ctx.t
    text = "\n\n".join([
        t.gettext("Hello! I help you check job offers and recruiters before you go, and report "
                  "scam contacts safely. What you tell me is stored without your name or number."),
        t.gettext("Shall we continue in {language}?", language=language_name(t.locale)),
    ])
    return Reply(text, buttons=(
        (Button(t.gettext("✓ Yes, {language}", language=language_name(t.locale)), KEEP_LANGUAGE),),
        (Button(t.gettext("🌐 Another language"), go("language")),),
    ))


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    return _STEPS.get(conversation.state, _country)(event, conversation, ctx)


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    if conversation.state == CONFIRM_LANGUAGE:
        # The greeting speaks the language it proposed (detected from the person's text).
        return [_greeting(_proposed(conversation, ctx))]
    return [_QUESTIONS.get(conversation.state, _country_question)(ctx)]


def _proposed(conversation: Conversation, ctx: FlowContext) -> FlowContext:
    """The context speaking the language the greeting proposed. No preference is saved until
    the person confirms, so the dispatcher still speaks Telegram's language: the proposal lives
    in the conversation's data."""
    proposed = conversation.data.get("proposed")
    if isinstance(proposed, str) and proposed in SUPPORTED_LOCALES and proposed != ctx.t.locale:
        return in_locale(ctx, proposed)
    return ctx


def _confirm_language(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.BUTTON and event.button == KEEP_LANGUAGE:
        # The language the greeting asked about (perhaps detected from the person's text),
        # not Telegram's: that is the one the person said yes to.
        spoken = _proposed(conversation, ctx)
        locale = spoken.t.locale
        set_prefs(ctx.db, user_key=event.user_key, locale=locale)
        conversation.locale = locale
        # Kept at the greeting, not picked from the list beside Malay: Malay may be offered.
        kept = locale == normalise_locale(event.telegram_language)
        return ask_country(conversation, spoken, kept_telegram_language=kept)
    if event.kind == EventKind.TEXT:
        detected = detect_language(event.text, hint=event.telegram_language,
                                   country=conversation.country)
        if detected and detected in SUPPORTED_LOCALES and detected != _proposed(conversation, ctx).t.locale:
            spoken = in_locale(ctx, detected)
            conversation.data["proposed"] = detected
            conversation.locale = detected
            return Outcome(conversation, [_greeting(spoken)])
    return Outcome(conversation, reprompt(conversation, ctx))


def enter(event: Event, conversation: Conversation, ctx: FlowContext, *,
          before: list[Reply] | None = None, proposed: str | None = None) -> Outcome:
    """Handed over (`registry.hand_over`) by /language during onboarding: on to the country.
    With `proposed` (by the menu: someone who chose no language wrote in another one than
    Telegram's), the greeting asks in that language whether to continue in it."""
    if proposed is not None and proposed in SUPPORTED_LOCALES:
        new = conversation.at(NAME, CONFIRM_LANGUAGE, {"proposed": proposed})
        new.locale = None  # not chosen yet: the person confirms with one tap
        return Outcome(new, [_greeting(in_locale(ctx, proposed))])
    return ask_country(conversation, ctx, before=before)


def ask_country(conversation: Conversation, ctx: FlowContext,
                before: list[Reply] | None = None, *, kept_telegram_language: bool = False) -> Outcome:
    new = conversation.at(NAME, ASK_COUNTRY, {KEPT_TELEGRAM: True} if kept_telegram_language else {})
    return Outcome(new, [*(before or []), _country_question(ctx)])


def _country_question(ctx: FlowContext) -> Reply:
    t = ctx.t
    buttons = [Button(country_name(code, t.locale), COUNTRY_PREFIX + code) for code in COUNTRIES]
    rows = tuple(tuple(buttons[i:i + 3]) for i in range(0, len(buttons), 3))
    return Reply(
        t.gettext("Which country are you in now? It helps me show the right hotlines and read "
                  "phone numbers. You can skip this."),
        buttons=(*rows, (Button(t.gettext("Skip"), SKIP_COUNTRY),)),
    )


def _country(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    if event.kind == EventKind.BUTTON and event.button and event.button.startswith(COUNTRY_PREFIX):
        code = event.button.removeprefix(COUNTRY_PREFIX)
        if code in COUNTRIES:
            set_prefs(ctx.db, user_key=event.user_key, country=code)
            conversation.country = code
            offer = [malay_offer(ctx)] if _may_read_malay(conversation, code) else []
            return back_to_menu(conversation, ctx, intro=t.gettext(
                "Thank you. What would you like to do?"), after=offer)
    if event.kind == EventKind.BUTTON and event.button == SKIP_COUNTRY:
        return back_to_menu(conversation, ctx)
    return Outcome(conversation, reprompt(conversation, ctx))


def _may_read_malay(conversation: Conversation, country: str) -> bool:
    """Indonesian kept from Telegram's interface, by someone in Malaysia, Brunei or Singapore."""
    return (conversation.locale == "id" and country in MALAY_COUNTRIES
            and conversation.data.get(KEPT_TELEGRAM) is True)


def malay_offer(ctx: FlowContext) -> Reply:
    """One line, two buttons: Malay, or Indonesian kept. Either is saved as the person's language
    (`handlers.language.choose`); ignored, nothing changes."""
    t = ctx.t
    # Translators: {language} is "Bahasa Melayu", offered to someone in Malaysia whose Telegram
    # is in Indonesian; one discreet line that assumes nothing about where they are from.
    question = t.gettext("Would you rather I write in {language}?", language=language_name("ms"))
    # Translators: a button under that question; {language} is the language used now.
    keep = t.gettext("Keep {language}", language=language_name(t.locale))
    return Reply(question, buttons=((Button(language_name("ms"), LANGUAGE_PREFIX + "ms"),
                                     Button(keep, LANGUAGE_PREFIX + t.locale)),))


# State → its step, and the question it asks (the one way flows dispatch on state).
_STEPS = {CONFIRM_LANGUAGE: _confirm_language, ASK_COUNTRY: _country}
_QUESTIONS = {CONFIRM_LANGUAGE: _greeting, ASK_COUNTRY: _country_question}
