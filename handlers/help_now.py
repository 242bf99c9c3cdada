"""/help_now: urgent help for someone held in a compound, or for their family and friends.

Calm and short: one question at a time, buttons wherever possible. The person in danger
gets the contacts of the country they are in and safety tips at once; an alert to staff
goes out only after an explicit yes, with only what the person chooses to type. A
relative or friend answers a few questions (nationality, where, passport/phone, last
contact) and gets the contacts of the country the person is in and of their home
country; with consent it is stored as an `urgent_help` report and staff are alerted.
Nothing identifies the person writing: no Telegram name, id or username goes anywhere.

```mermaid
stateDiagram-v2
    [*] --> ask_who: /help_now or 🆘 button
    ask_who --> self_country: I am in danger
    ask_who --> other_nationality: someone I know
    ask_who --> safety: not right now
    self_country --> self_nationality: country or not sure (its contacts + safety tips shown)
    self_nationality --> self_offer: nationality or not sure (its embassy and lines for citizens abroad shown)
    self_nationality --> menu: no staff chat configured
    self_offer --> self_details: yes, alert the team
    self_offer --> menu: no thanks
    self_details --> menu: text typed (stored for the staff chat, sent by bot/alerts.py)
    other_nationality --> other_country: country or not sure
    other_country --> other_place: country or not sure
    other_place --> other_documents: text or skip
    other_documents --> other_last_contact: answer
    other_last_contact --> other_consent: answer (contacts shown)
    other_consent --> other_details: yes (staff chat configured)
    other_consent --> menu: yes (stored, no staff chat) / no (nothing stored)
    other_details --> menu: text or skip (stored with its alert for staff)
```

An alert to staff is never a reply of the step: it is stored with the report (or alone, for a
person in danger, who chose to send only what they typed) in the step's transaction
(`handlers.staff_alerts.queue_alert`, the outbox of `storage/alerts.py`) and sent by
`bot/alerts.py`, retried until the staff chat takes it. What the person is told says what is
true when they read it: the report is stored, or their message is on its way; never that
the team has read it. Without a staff chat a relative's report is still stored, and staff find
it in the staff app's queue.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from handlers import ratelimit
from handlers.common import back_to_menu, go, listed, menu_button, talk_offer, use_the_buttons
from handlers.countries import COUNTRIES, country_name
from handlers.staff_alerts import queue_alert
from handlers.types import Button, Conversation, Event, EventKind, FlowContext, Outcome, Reply
from locales.i18n import N_, Translator, get_translator
from screening.hotlines import Hotline, hotline_directory
from storage.reports import file_report

# Text inside HTML replies: only <, > and & matter to Telegram outside attributes.
_escape = partial(html.escape, quote=False)

NAME = "help_now"
ASK_WHO = "ask_who"
SELF_COUNTRY = "self_country"
SELF_NATIONALITY = "self_nationality"
SELF_OFFER = "self_offer"
SELF_DETAILS = "self_details"
OTHER_NATIONALITY = "other_nationality"
OTHER_COUNTRY = "other_country"
OTHER_PLACE = "other_place"
OTHER_DOCUMENTS = "other_documents"
OTHER_LAST_CONTACT = "other_last_contact"
OTHER_CONSENT = "other_consent"
OTHER_DETAILS = "other_details"

WHO_SELF = "who:self"
WHO_OTHER = "who:other"
COUNTRY_PREFIX = "cc:"
COUNTRY_UNKNOWN = "cc:?"
SKIP = "skip"
ALERT_YES = "alert:yes"
ALERT_NO = "alert:no"
DOCUMENTS_PREFIX = "docs:"
LAST_CONTACT_PREFIX = "last:"

# Free text is short here: a place description or how to reach someone. Longer is
# pasted by mistake, and would make the staff alert unreadable on a phone.
MAX_FREE_TEXT_CHARS = 1000

# Its own limit, not the report one: someone who reported recruiters today may still be in
# danger tonight. A few alerts a day reach the team; more is a flood or a script.
URGENT_ALERTS = ratelimit.Limit("urgent_alert", 3, timedelta(days=1))

DOCUMENT_ANSWERS: dict[str, str] = {
    "passport": N_("Passport taken"),
    "phone": N_("Phone taken"),
    "both": N_("Both taken"),
    "neither": N_("Neither"),
    "unknown": N_("I don't know"),
}
LAST_CONTACT_ANSWERS: dict[str, str] = {
    "today": N_("Today"),
    "week": N_("In the last 7 days"),
    "month": N_("In the last month"),
    "longer": N_("Longer ago"),
    "unknown": N_("I don't know"),
}


def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    new = _at(conversation, ASK_WHO, {})
    return Outcome(new, reprompt(new, ctx))


def enter(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    """Handed over (`registry.hand_over`) by the menu: a message saying the person or someone
    they know is held ("they took my passport") is answered with the first question here."""
    return start(event, conversation, ctx)


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    step = _STEPS.get(conversation.state, _ask_who)
    return step(event, conversation, ctx)


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    question = _QUESTIONS.get(conversation.state)
    return [question(conversation, ctx) if question else _who_question(ctx)]


# State → the question it asks (the one way flows dispatch on state; steps: `_STEPS` below).
_QUESTIONS: dict[str, Callable[[Conversation, FlowContext], Reply]] = {
    ASK_WHO: lambda conversation, ctx: _who_question(ctx),
    SELF_COUNTRY: lambda conversation, ctx: _country_question(ctx, ctx.t.gettext(
        "Where are you now? I will show the numbers for that country."),
        preferred=conversation.country),
    SELF_NATIONALITY: lambda conversation, ctx: _nationality_question(
        ctx, preferred=conversation.country),
    SELF_OFFER: lambda conversation, ctx: _self_offer(ctx),
    SELF_DETAILS: lambda conversation, ctx: _details_question(ctx),
    OTHER_NATIONALITY: lambda conversation, ctx: _country_question(
        ctx, ctx.t.gettext("What is their nationality?"), preferred=None),
    OTHER_COUNTRY: lambda conversation, ctx: _country_question(
        ctx, ctx.t.gettext("Which country are they in now?"), preferred=None),
    OTHER_PLACE: lambda conversation, ctx: _place_question(ctx),
    OTHER_DOCUMENTS: lambda conversation, ctx: _choice_question(
        ctx, ctx.t.gettext("Were their passport or phone taken?"), DOCUMENTS_PREFIX,
        DOCUMENT_ANSWERS),
    OTHER_LAST_CONTACT: lambda conversation, ctx: _choice_question(
        ctx, ctx.t.gettext("When did you last hear from them?"), LAST_CONTACT_PREFIX,
        LAST_CONTACT_ANSWERS),
    OTHER_CONSENT: lambda conversation, ctx: _consent_question(ctx),
    OTHER_DETAILS: lambda conversation, ctx: _other_details_question(ctx),
}


# --- questions -------------------------------------------------------------------------------

def _who_question(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply(t.gettext("You are not alone. Are you, or someone you know, in danger right now?"),
                 buttons=(
                     (Button(t.gettext("I am in danger"), WHO_SELF),),
                     (Button(t.gettext("Someone I know is held"), WHO_OTHER),),
                     (Button(t.gettext("Not now: safety advice"), go("safety")),),
                     (menu_button(ctx),),
                 ))


def _country_question(ctx: FlowContext, question: str, *, preferred: str | None) -> Reply:
    """Country buttons; the person's saved country first, so one tap confirms it."""
    t = ctx.t
    codes = list(COUNTRIES)
    if preferred in codes:
        codes.remove(preferred)
        codes.insert(0, preferred)
    buttons = [Button(country_name(code, t.locale), COUNTRY_PREFIX + code) for code in codes]
    rows = [tuple(buttons[i:i + 3]) for i in range(0, len(buttons), 3)]
    return Reply(question, buttons=(*rows, (Button(t.gettext("Another country / not sure"),
                                                   COUNTRY_UNKNOWN),)))


def _nationality_question(ctx: FlowContext, *, preferred: str | None) -> Reply:
    return _country_question(ctx, ctx.t.gettext(
        "What is your nationality? I will add your embassy and your country's lines for its "
        "citizens abroad."), preferred=preferred)


def _choice_question(ctx: FlowContext, question: str, prefix: str,
                     answers: dict[str, str]) -> Reply:
    t = ctx.t
    buttons = [Button(t.gettext(label), prefix + key) for key, label in answers.items()]
    rows = [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]
    return Reply(question, buttons=(*rows, (menu_button(ctx),)))


def _place_question(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply(t.gettext(
        "Where are they? Type the city, the name of the compound or company, and anything they "
        "described: buildings, signs, a river, a border. Or skip."),
        buttons=((Button(t.gettext("Skip"), SKIP),), (menu_button(ctx),)))


def _details_question(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply(t.gettext(
        "Type how the team can reach you safely (a number, an account, a time) and what they "
        "should know about where you are. Only what you type is sent; nothing else about you."),
        buttons=((Button(t.gettext("Don't send anything"), ALERT_NO),), (menu_button(ctx),)))


def _other_details_question(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply(t.gettext(
        "How can the team reach you if they need more details? Type a contact you are comfortable "
        "sharing. It goes only to the team's chat, and is kept, locked, only until it gets there. "
        "Or skip."),
        buttons=((Button(t.gettext("Skip"), SKIP),), (menu_button(ctx),)))


def _self_offer(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply(t.gettext(
        "If you want, our team can be alerted. They will see only what you type next, not your "
        "name or Telegram account. Alert them?"),
        buttons=((Button(t.gettext("Yes, alert the team"), ALERT_YES),),
                 (Button(t.gettext("No, thank you"), ALERT_NO),)))


def _consent_question(ctx: FlowContext) -> Reply:
    t = ctx.t
    if ctx.settings.staff_chat_id is None:  # no alert to promise: staff read the report queue
        question = t.gettext(
            "Our team can look into this. If you agree, I keep what you told me as an urgent "
            "report for them, without your name or Telegram account. Do you agree?")
    else:
        question = t.gettext(
            "Our team can look into this. If you agree, I keep what you told me as an urgent "
            "report, without your name or Telegram account, and alert the team. Do you agree?")
    return Reply(question,
        buttons=((Button(t.gettext("Yes, send it to the team"), ALERT_YES),),
                 (Button(t.gettext("No, don't keep it"), ALERT_NO),)))


# --- contacts --------------------------------------------------------------------------------

def _hotline_lines(t: Translator, hotlines: tuple[Hotline, ...]) -> list[str]:
    lines = []
    for hotline in hotlines:
        reach = listed(t, (_channel_text(t, channel.type, channel.value, channel.label)
                           for channel in hotline.channels))
        line = f"• <b>{reach}</b> – {_escape(t.gettext(hotline.description))}"
        if not hotline.verified:
            line += "\n  " + t.gettext("⚠ Not confirmed – check before relying on it.")
        lines.append(line)
    return lines


def _channel_text(t: Translator, channel_type: str, value: str, label: str | None) -> str:
    shown = _escape(value)
    if channel_type == "whatsapp":
        shown = t.gettext("WhatsApp {number}", number=shown)
    elif channel_type == "sms":
        shown = t.gettext("SMS {number}", number=shown)
    elif channel_type == "app":
        shown = t.gettext("app “{name}”", name=shown)
    if label:
        shown += f" ({_escape(t.gettext(label))})"
    return shown


def _country_block(t: Translator, heading: str, hotlines: tuple[Hotline, ...], *,
                   if_none: str) -> str:
    lines = [f"<b>{_escape(heading)}</b>"]
    lines.extend(_hotline_lines(t, hotlines) if hotlines else [_escape(if_none)])
    return "\n".join(lines)


def _no_numbers(t: Translator, country: str) -> str:
    return t.gettext("I have no checked numbers for {country} yet. Your embassy and the local "
                     "police are the way.", country=country_name(country, t.locale))


def _general_advice(t: Translator) -> str:
    directory = hotline_directory()
    return "\n\n".join([
        _escape(t.gettext("Embassy: {advice}", advice=t.gettext(directory.embassy_advice.text))),
        "⚠ " + _escape(t.gettext(directory.spoofing_warning.text)),
    ])


def _self_contacts(t: Translator, country: str | None) -> str:
    """The lines of the country the person is in (the lines for their nationality follow)."""
    directory = hotline_directory()
    if country:
        heading = t.gettext("Help in {country}", country=country_name(country, t.locale))
        return _country_block(t, heading, directory.for_country(country),
                              if_none=_no_numbers(t, country))
    return _escape(t.gettext("Call the local police, or the embassy of your country."))


def _nationality_blocks(t: Translator, nationality: str | None, where: str | None) -> list[str]:
    """The embassy of `nationality` in `where` and its country's lines for citizens abroad;
    when neither is known, every line we know that helps citizens abroad, by country, so the
    person always has numbers to call."""
    directory = hotline_directory()
    blocks = []
    numbers = bool(directory.for_country(where))
    if nationality:
        embassy = directory.embassies_of(nationality, where)
        if embassy:
            blocks.append(_country_block(t, t.gettext(
                "Embassy of {nationality} in {country}", nationality=country_name(nationality, t.locale),
                country=country_name(where or "", t.locale)), embassy, if_none=""))
        abroad = directory.abroad_lines(nationality) if nationality != where else ()
        numbers = numbers or bool(embassy or abroad)
        if abroad:
            blocks.append(_country_block(t, t.gettext(
                "{country}: lines for its citizens abroad", country=country_name(nationality, t.locale)),
                abroad, if_none=""))
        elif not embassy and nationality != where:
            blocks.append(_escape(t.gettext(
                "I have no checked line of {country} for its citizens abroad yet: its embassy is the "
                "way (below).", country=country_name(nationality, t.locale))))
    if not numbers:
        heading = t.gettext("Lines that help citizens abroad, by country:")
        lines = [f"<b>{_escape(heading)}</b>"]
        for code, hotlines in directory.by_country.items():
            abroad = tuple(hotline for hotline in hotlines if hotline.home_line)
            if abroad:
                lines.append(_escape(country_name(code, t.locale)) + ":")
                lines.extend(_hotline_lines(t, abroad))
        blocks.append("\n".join(lines))
    return blocks


def _safety_tips(t: Translator) -> str:
    return _escape("\n".join([
        t.gettext("To stay safe:"),
        t.gettext("• If someone may check your phone, delete this chat when you are done."),
        t.gettext("• You can turn on Telegram's auto-delete timer for this chat, so messages "
                  "disappear by themselves."),
        t.gettext("• Do not let the people holding you see your phone. Call when you are alone if "
                  "you can."),
    ]))


def _other_contacts(t: Translator, data: dict[str, Any]) -> str:
    directory = hotline_directory()
    where = data.get("country")
    nationality = data.get("nationality")
    blocks = []
    if where:
        blocks.append(_country_block(
            t, t.gettext("Where they are: {country}", country=country_name(where, t.locale)),
            directory.for_country(where), if_none=_no_numbers(t, where)))
    embassy = directory.embassies_of(nationality, where)
    if embassy and nationality:
        blocks.append(_country_block(t, t.gettext(
            "Embassy of {nationality} in {country}", nationality=country_name(nationality, t.locale),
            country=country_name(where or "", t.locale)), embassy, if_none=""))
    if nationality and nationality != where:
        # Only lines that help a citizen held abroad: a home police number does not.
        home_lines = directory.abroad_lines(nationality)
        blocks.append(_country_block(
            t, t.gettext("Their home country: {country}", country=country_name(nationality, t.locale)),
            home_lines, if_none=t.gettext(
                "I know no line there for citizens held abroad: their embassy is the way (below).")))
    if not where and not (nationality and directory.abroad_lines(nationality)):
        blocks.append(_escape(t.gettext(
            "Contact the police where they are, or their country's embassy.")))
        blocks.extend(_nationality_blocks(t, None, None))
    return "\n\n".join([*blocks, _general_advice(t)])


def _after(text: str, question: Reply) -> Reply:
    """One message instead of two: a scared person on a slow connection, and Telegram's
    one-message-a-second pace per chat, make every extra message a wait."""
    return Reply("\n\n".join(part for part in (text, question.text) if part), buttons=question.buttons)


# --- steps -----------------------------------------------------------------------------------

def _at(conversation: Conversation, state: str, data: dict[str, Any] | None = None) -> Conversation:
    return conversation.at(NAME, state, dict(conversation.data if data is None else data))


def _pressed(event: Event, prefix: str) -> str | None:
    if event.kind == EventKind.BUTTON and event.button and event.button.startswith(prefix):
        return event.button.removeprefix(prefix)
    return None


def _ask_who(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.BUTTON and event.button == WHO_SELF:
        new = _at(conversation, SELF_COUNTRY, {})
        return Outcome(new, reprompt(new, ctx))
    if event.kind == EventKind.BUTTON and event.button == WHO_OTHER:
        new = _at(conversation, OTHER_NATIONALITY, {})
        [question] = reprompt(new, ctx)
        return Outcome(new, [_after(ctx.t.gettext(
            "I am sorry this is happening. A few short questions, so I can show the right "
            "contacts."), question)])
    return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))


def _chosen_country(event: Event) -> tuple[bool, str | None]:
    """(answered, country): a country button, or "another country / not sure" (None)."""
    if event.kind == EventKind.BUTTON and event.button == COUNTRY_UNKNOWN:
        return True, None
    code = _pressed(event, COUNTRY_PREFIX)
    if code in COUNTRIES:
        return True, code
    return False, None


def _self_country(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    answered, country = _chosen_country(event)
    if not answered:
        return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))
    t = ctx.t
    # The numbers of where they are come at once; the nationality adds its embassy and lines.
    help_text = "\n\n".join([_self_contacts(t, country), _general_advice(t), _safety_tips(t)])
    new = _at(conversation, SELF_NATIONALITY, {"country": country})
    return Outcome(new, [_after(help_text, _nationality_question(ctx, preferred=conversation.country))])


def _self_nationality(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    answered, nationality = _chosen_country(event)
    if not answered:
        return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))
    t = ctx.t
    country = conversation.data.get("country")
    help_text = "\n\n".join(_nationality_blocks(t, nationality, country))
    if ctx.settings.staff_chat_id is None:
        return back_to_menu(conversation, ctx, intro="\n\n".join(part for part in (help_text, t.gettext(
            "The numbers above are the fastest way to get help. I stay here if you need me.")) if part))
    new = _at(conversation, SELF_OFFER, {"country": country, "nationality": nationality})
    return Outcome(new, [_after(help_text, _self_offer(ctx))])


def _self_offer_step(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    if event.kind == EventKind.BUTTON and event.button == ALERT_YES:
        new = _at(conversation, SELF_DETAILS)
        return Outcome(new, [_details_question(ctx)])
    if event.kind == EventKind.BUTTON and event.button == ALERT_NO:
        return back_to_menu(conversation, ctx, intro=t.gettext(
            "All right. The numbers above stay in this chat until you delete it."))
    return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))


def _free_text(event: Event, conversation: Conversation, ctx: FlowContext) -> str | Outcome:
    """The typed text, or the Outcome that asks again (media, empty or too long)."""
    if event.kind != EventKind.TEXT or not event.text.strip():
        return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))
    text = event.text.strip()
    if len(text) > MAX_FREE_TEXT_CHARS:
        return Outcome(conversation, [Reply(ctx.t.gettext(
            "That is a bit long. Please keep it under {limit} characters.",
            limit=ctx.t.number(MAX_FREE_TEXT_CHARS))), *reprompt(conversation, ctx)])
    return text


def _self_details(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    if event.kind == EventKind.BUTTON and event.button == ALERT_NO:
        return back_to_menu(conversation, ctx, intro=t.gettext(
            "Nothing was sent. The numbers above stay in this chat until you delete it."))
    typed = _free_text(event, conversation, ctx)
    if isinstance(typed, Outcome):
        return typed
    if ctx.settings.staff_chat_id is None:  # the setting changed since the offer
        return back_to_menu(conversation, ctx, intro=t.gettext(
            "The numbers above are the fastest way to get help. I stay here if you need me."))
    if _over_the_limit(event, ctx):
        return back_to_menu(conversation, ctx, intro=_limited_text(ctx))
    staff = get_translator(ctx.settings.default_locale)
    country = conversation.data.get("country")
    alert = "\n".join([
        staff.gettext("🆘 Urgent: a person says they are in danger."),
        staff.gettext("Country: {country}", country=_country_or_unknown(staff, country)),
        staff.gettext("Nationality: {country}",
                      country=_country_or_unknown(staff, conversation.data.get("nationality"))),
        staff.gettext("Language: {language}", language=t.locale),
        staff.gettext("What they wrote (their chosen way to be reached):"),
        _escape(typed),
    ])
    queue_alert(ctx, alert, reporter_key=event.user_key, language=t.locale,
                country=country if isinstance(country, str) else None)
    return back_to_menu(conversation, ctx, intro=t.gettext(
        "Your message is saved and on its way to the team. They will reach you the way you "
        "described. If you are in danger now, call a number above."), after=[talk_offer(ctx)])


def _over_the_limit(event: Event, ctx: FlowContext) -> bool:
    return ratelimit.consume(ctx.sql, user_key=event.user_key, limit=URGENT_ALERTS,
                             now=ctx.now) is not None


def _limited_text(ctx: FlowContext) -> str:
    return ctx.t.gettext(
        "The team already has several urgent messages from you today and will read them. Until "
        "they answer, the numbers above are the fastest way to get help.")


def _country_or_unknown(t: Translator, country: str | None) -> str:
    return country_name(country, t.locale) if country else t.gettext("not known")


def _other_nationality(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    answered, country = _chosen_country(event)
    if not answered:
        return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))
    new = _at(conversation, OTHER_COUNTRY, {**conversation.data, "nationality": country})
    return Outcome(new, reprompt(new, ctx))


def _other_country(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    answered, country = _chosen_country(event)
    if not answered:
        return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))
    new = _at(conversation, OTHER_PLACE, {**conversation.data, "country": country})
    return Outcome(new, reprompt(new, ctx))


def _other_place(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.BUTTON and event.button == SKIP:
        place = None
    else:
        typed = _free_text(event, conversation, ctx)
        if isinstance(typed, Outcome):
            return typed
        place = typed
    new = _at(conversation, OTHER_DOCUMENTS, {**conversation.data, "place": place})
    return Outcome(new, reprompt(new, ctx))


def _other_documents(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    answer = _pressed(event, DOCUMENTS_PREFIX)
    if answer not in DOCUMENT_ANSWERS:
        return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))
    new = _at(conversation, OTHER_LAST_CONTACT, {**conversation.data, "documents": answer})
    return Outcome(new, reprompt(new, ctx))


def _other_last_contact(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    answer = _pressed(event, LAST_CONTACT_PREFIX)
    if answer not in LAST_CONTACT_ANSWERS:
        return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))
    new = _at(conversation, OTHER_CONSENT, {**conversation.data, "last_contact": answer})
    return Outcome(new, [_after(_other_contacts(ctx.t, new.data), _consent_question(ctx))])


def _other_consent(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    if event.kind == EventKind.BUTTON and event.button == ALERT_NO:
        return back_to_menu(conversation, ctx, intro=t.gettext(
            "Nothing was stored. The contacts above stay in this chat until you delete it."))
    if event.kind == EventKind.BUTTON and event.button == ALERT_YES:
        if ctx.settings.staff_chat_id is None:
            return _store_and_alert(event, conversation, ctx, reach=None)
        new = _at(conversation, OTHER_DETAILS)
        return Outcome(new, [_other_details_question(ctx)])
    return use_the_buttons(event, conversation, ctx, reprompt(conversation, ctx))


def _other_details(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.BUTTON and event.button == SKIP:
        return _store_and_alert(event, conversation, ctx, reach=None)
    typed = _free_text(event, conversation, ctx)
    if isinstance(typed, Outcome):
        return typed
    return _store_and_alert(event, conversation, ctx, reach=typed)


def _situation_lines(t: Translator, data: dict[str, Any]) -> list[str]:
    """The relative's answers, in `t`'s language, as plain text (escape before HTML)."""
    documents = DOCUMENT_ANSWERS.get(str(data.get("documents")), DOCUMENT_ANSWERS["unknown"])
    last = LAST_CONTACT_ANSWERS.get(str(data.get("last_contact")), LAST_CONTACT_ANSWERS["unknown"])
    return [
        t.gettext("Nationality: {country}", country=_country_or_unknown(t, data.get("nationality"))),
        t.gettext("Country they are in: {country}", country=_country_or_unknown(t, data.get("country"))),
        t.gettext("Place: {place}", place=data.get("place") or t.gettext("not known")),
        t.gettext("Passport or phone: {answer}", answer=t.gettext(documents)),
        t.gettext("Last contact: {answer}", answer=t.gettext(last)),
    ]


def _store_and_alert(event: Event, conversation: Conversation, ctx: FlowContext, *,
                     reach: str | None) -> Outcome:
    t = ctx.t
    if _over_the_limit(event, ctx):
        return back_to_menu(conversation, ctx, intro=_limited_text(ctx))
    staff = get_translator(ctx.settings.default_locale)
    data = conversation.data
    report = file_report(
        ctx.sql, reporter_key=event.user_key, kind="urgent_help", country=data.get("country"),
        language=t.locale, risk_level=None, flag_ids=[],
        narrative="\n".join(_situation_lines(staff, data)), contacts=[],
        reporter_identifiers=event.reporter_identity,
    )
    if ctx.settings.staff_chat_id is not None:
        alert = [staff.gettext("🆘 Urgent report {code}: someone is held.", code=report.receipt_code),
                 *(_escape(line) for line in _situation_lines(staff, data))]
        if reach:
            alert += [staff.gettext("How to reach the person who reported it:"), _escape(reach)]
        # Stored with the report, in this transaction; bot/alerts.py sends it. The reply below
        # promises what is true once the report is stored, whatever the staff chat does.
        queue_alert(ctx, "\n".join(alert), reporter_key=event.user_key, report_id=report.id)
    return back_to_menu(conversation, ctx, intro=t.gettext(
        "Thank you. The team has it under the code {code}. Keep this code if you want to add "
        "something later. The contacts above stay in this chat.",
        code=f"<code>{report.receipt_code}</code>"), after=[talk_offer(ctx)])


_STEPS = {
    ASK_WHO: _ask_who,
    SELF_COUNTRY: _self_country,
    SELF_NATIONALITY: _self_nationality,
    SELF_OFFER: _self_offer_step,
    SELF_DETAILS: _self_details,
    OTHER_NATIONALITY: _other_nationality,
    OTHER_COUNTRY: _other_country,
    OTHER_PLACE: _other_place,
    OTHER_DOCUMENTS: _other_documents,
    OTHER_LAST_CONTACT: _other_last_contact,
    OTHER_CONSENT: _other_consent,
    OTHER_DETAILS: _other_details,
}
