"""/check: is this job offer a lure into a scam compound?

The person pastes or forwards the ad or the recruiter's messages (each one is checked
at once; further messages extend the same check, read together), or answers the guided
questions instead. The answer gives a risk level (never "safe"), each red flag in one
line, what to do now, the contacts found, and a way to report the recruiter with all
of that carried over.

```mermaid
stateDiagram-v2
    [*] --> waiting: /check or 🔎 button
    [*] --> result: long text pasted at the menu
    waiting --> result: text / caption / forwarded message
    waiting --> quiz: 📋 answer questions instead
    waiting --> waiting: media without text, too short or too long (hint)
    waiting --> contact_result: only a phone number / @username / link (checked as a contact)
    quiz --> quiz: yes / no / not sure / skip / back
    quiz --> result: last question answered
    result --> result: more messages (read together with the earlier ones)
    result --> waiting: 🔎 check another
    result --> report: 📝 report this recruiter
```
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_skeleton

from handlers import ratelimit, registry
from handlers.agency_registries import licensed_lines, registry_lines
from handlers.common import HELD_FLAG, go, in_locale, language_offer, listed, menu_button
from handlers.contacts import (
    MAX_CONTACTS_PER_CHECK,
    contact_from_data,
    contact_statuses,
    contact_to_data,
    local_numbers_question,
    only_contacts,
    phone_region,
    shown,
    status_line,
    unread_local_numbers,
)
from handlers.types import Button, Conversation, Event, EventKind, FlowContext, Outcome, Reply
from locales.i18n import N_, SUPPORTED_LOCALES
from screening.assess import Assessment, RiskLevel, assess_answers, assess_text, raised_by_report
from screening.contacts import Contact, ContactType, parse_contact
from screening.identity import identity_of
from screening.language import detect_language
from screening.questionnaire import Answer, Question, default_questions
from screening.textnorm import reading_length
from storage.agencies import agencies_named_in, has_agency_registry
from storage.matching import OfferMatch, OfferMatches, match_offer

NAME = "check"
WAITING = "waiting"
QUIZ = "quiz"
RESULT = "result"

QUIZ_ACTION = "quiz"
REPORT = "report"
AGAIN = "again"
ANSWER_PREFIX = "a:"
BACK = "back"
SKIP = "skip"

# One Telegram message holds at most 4,096 characters; more than twice that at once is a
# pasted file, not a recruiter's message.
MAX_TEXT_CHARS = 8000
# Messages read together: a paste Telegram split into three full messages fits.
MAX_TOGETHER_CHARS = 3 * 4096
# Telegram splits a longer paste into messages of 4,096 UTF-16 units; some apps cut a little
# earlier, at a space. A message this long is read as going on in the next one.
SPLIT_AT_UNITS = 4000

# Fewer characters than this, with no contact in them, are not an offer ("hi", "help"). Counted as
# `screening.textnorm.reading_length`: "招聘酒店服务员，工作地点迪拜，包吃包住" (17 characters) is
# a whole job ad.
MIN_OFFER_CHARS = 25

# One short line per level, before the assessment's own summary sentence. The low level
# names no danger but never says "safe": the advice under it lists the checks that remain.
RISK_HEADLINES: dict[RiskLevel, str] = {
    RiskLevel.VERY_HIGH: N_("🔴 <b>Very high risk</b>"),
    RiskLevel.HIGH: N_("🟠 <b>High risk</b>"),
    RiskLevel.MEDIUM: N_("🟡 <b>Some warning signs</b>"),
    RiskLevel.LOW: N_("⚪ <b>No common warning sign found</b>"),
}
# The low level when some weak signs were found (too few to raise the level): headline, summary.
LOW_WITH_WEAK_SIGNS = (
    N_("⚪ <b>Only weak warning signs found</b>"),
    N_("The signs below alone do not show a fake job, but they are common in fake offers too. "
       "That does not make it safe: do these checks before you accept."),
)
ANSWER_LABELS: dict[str, str] = {
    "yes": N_("Yes"),
    "no": N_("No"),
    "unsure": N_("Not sure"),
}


def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    new = conversation.at(NAME, WAITING)
    return Outcome(new, [_invitation(ctx)])


def enter(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    """Handed over (`registry.hand_over`): a long text pasted at the menu, checked straight away."""
    return _add_text(event, conversation.at(NAME, WAITING), ctx)


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    return _STEPS.get(conversation.state, _waiting)(event, conversation, ctx)


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    return [_QUESTIONS.get(conversation.state, _invitation_again)(conversation, ctx)]


def _result(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    """After a result: report this recruiter, or go on as when waiting (more text is added)."""
    if event.kind == EventKind.BUTTON and event.button == REPORT:
        return _to_report(event, conversation, ctx)
    return _waiting(event, conversation, ctx)


def _waiting(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    if event.kind == EventKind.BUTTON:
        action = event.button or ""
        if action == QUIZ_ACTION:
            return _ask(conversation, ctx, index=0, answers={})
        if action == AGAIN:
            return start(event, conversation, ctx)
        return Outcome(conversation, reprompt(conversation, ctx))
    if event.kind == EventKind.MEDIA:
        return Outcome(conversation, [Reply(ctx.t.gettext(
            "I can only read text. Copy the text of the ad, or forward the recruiter's text messages "
            "(a photo with a caption works too)."
        )), *reprompt(conversation, ctx)])
    return _add_text(event, conversation, ctx)


def _quiz_again(conversation: Conversation, ctx: FlowContext) -> Reply:
    index = min(int(conversation.data.get("q", 0)), len(_questions()) - 1)
    return _question(ctx, index, dict(conversation.data.get("answers", {})))


def _result_again(conversation: Conversation, ctx: FlowContext) -> Reply:
    return Reply(ctx.t.gettext(
        "Send more messages from the same recruiter to add them to this check, or choose:"),
        buttons=_result_buttons(ctx))


def _invitation_again(conversation: Conversation, ctx: FlowContext) -> Reply:
    return _invitation(ctx)


def _invitation(ctx: FlowContext) -> Reply:
    t = ctx.t
    return Reply("\n\n".join([
        t.gettext("Paste or forward the job ad or the recruiter's messages. You can send several "
                  "messages; I read them together."),
        t.gettext("Or answer a few quick questions about the offer instead."),
    ]), buttons=((Button(t.gettext("📋 Answer questions instead"), QUIZ_ACTION),), (menu_button(ctx),)))


# --- checking pasted or forwarded text -------------------------------------------------------

def _at_telegram_limit(raw: str) -> bool:
    """Whether a message is as long as Telegram allows: a longer paste goes on in the next one."""
    return len(raw.encode("utf-16-le")) // 2 >= SPLIT_AT_UNITS


def _add_text(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    cut = _at_telegram_limit(event.text)
    # The end of a cut message is kept as it is: the next part may continue its last word.
    text = event.text.lstrip() if cut else event.text.strip()
    earlier: list[str] = list(conversation.data.get("messages", [])) if conversation.state == RESULT \
        else []
    not_an_offer = _not_checkable(event, conversation, ctx, text=text, earlier=earlier)
    if not_an_offer is not None:
        return not_an_offer
    if earlier and conversation.data.get("cut"):
        # The rest of a paste Telegram split: glued to the part before, as the person wrote it.
        text = earlier.pop() + (event.text if cut else event.text.rstrip())
    wait = ratelimit.consume(ctx.sql, user_key=event.user_key, limit=ratelimit.CHECKS, now=ctx.now)
    if wait is not None:
        return Outcome(conversation, [ratelimit.checks_limited_reply(ctx, wait)])
    messages = [*earlier, text]
    origins: list[str] = list(conversation.data.get("origins", [])) if conversation.state == RESULT \
        else []
    own = {name.lower() for name in event.reporter_identity}
    if event.forward_origin and event.forward_origin not in origins \
            and event.forward_origin.lower() not in own:
        origins.append(event.forward_origin)
    joined = "\n\n".join(messages)
    offered: list[Reply] = []
    asked = ctx  # the language the person was spoken to in, for text that is no offer
    if conversation.locale is None:
        # No language chosen yet (a first message without /start, or after /delete): the offer is
        # read and answered in the language it is written in (the text first, Telegram's second,
        # the country third), and that language is offered, as the menu offers it for a short one.
        # Not English: ads are often in English whoever pastes them, and Telegram's language is
        # then the better guess at the reader's (Telegram in English is the default where it
        # does not speak the reader's language: Khmer, Lao, Burmese).
        detected = detect_language(joined, hint=event.telegram_language, country=conversation.country)
        if detected is not None and detected in SUPPORTED_LOCALES \
                and detected not in (ctx.t.locale, "en"):
            ctx = in_locale(ctx, detected)
            offered = [] if earlier else [language_offer(ctx)]
    # Answers to the guided questions about this offer count with its text: one assessment.
    answers = _known_answers(conversation.data.get("answers", {})) \
        if conversation.state == RESULT else {}
    # Local numbers are read with the person's country, else their language's; else asked about.
    # The text's language with the person's country only, as onboarding recorded it (none is
    # guessed from the language: that is the hint's part).
    region = phone_region(joined, conversation.country, ctx.t.locale)
    assessment = assess_text(joined, lang=ctx.t.locale, country=region,
                             home_country=conversation.country,
                             answers={question_id: Answer(value) for question_id, value in answers.items()})
    if cut:
        # A contact at the very end of a cut message may be only the start of one ("@bigspam" of
        # "@bigspammer"): it is read with the next part.
        tail = len(joined.rstrip())
        assessment = dataclasses.replace(assessment, contacts=[
            contact for contact in assessment.contacts if contact.span[1] < tail])
    contacts = _with_origins(assessment.contacts, origins, region)
    # Compared with the ads of earlier reports: a very similar one raises the level, and what is
    # said of it (summary, advice) is that of the level shown.
    matches = match_offer(ctx.sql, text=joined, reporter_key=event.user_key)
    if matches.very is not None:
        assessment = raised_by_report(assessment)
    if not (assessment.job_context or assessment.flags or contacts or answers
            or matches.very or matches.somewhat):
        # Nothing of a job, pay, recruiter or contact: not answered as an offer with advice (nor
        # in a language guessed from keyboard junk: "asdfgh qwerty" reads as Vietnamese).
        return Outcome(conversation, [Reply(asked.t.gettext(
            "I found nothing in this that reads like a job offer: no job, pay, recruiter or "
            "contact. If it is one, paste the whole ad or the recruiter's messages, or answer the "
            "questions instead.")), *reprompt(conversation, asked)])
    new = conversation.at(NAME, RESULT, {
        "messages": messages,
        "origins": origins,
        "answers": answers,
        "cut": cut,
        **_result_data(assessment, contacts),
    })
    return Outcome(new, [_result_reply(
        ctx, assessment, contacts, read_together=len(messages), offer_text=joined,
        unread_numbers=unread_local_numbers(joined, conversation.country, ctx.t.locale),
        matches=matches, with_answers=bool(answers), country=conversation.country), *offered])


def _matches_section(ctx: FlowContext, matches: OfferMatches) -> str | None:
    """What earlier reports say about this ad: a count and since when, nothing of the reports."""
    t = ctx.t
    if matches.very is not None:
        return t.ngettext(
            "⚠️ <b>Very similar to an ad {n} person reported to us since {month}.</b> Scam "
            "recruiters reuse the same ad with a new name, number or amount.",
            "⚠️ <b>Very similar to an ad {n} people reported to us since {month}.</b> Scam "
            "recruiters reuse the same ad with a new name, number or amount.",
            matches.very.reporters, month=_since(ctx, matches.very))
    if matches.somewhat is not None:
        return t.ngettext(
            "ℹ️ Somewhat similar to an ad {n} person reported to us since {month}. Compare "
            "carefully: scam ads are often copied with small changes.",
            "ℹ️ Somewhat similar to an ad {n} people reported to us since {month}. Compare "
            "carefully: scam ads are often copied with small changes.",
            matches.somewhat.reporters, month=_since(ctx, matches.somewhat))
    return None


# From this many reporters on, "since" names the month of the first report; below it, only its
# year. Whoever checks an ad may be the recruiter who posted it: with one or two reporters, the
# month could tell them whom of the people they approached then reported it.
MONTH_SHOWN_FROM_REPORTERS = 3


def _since(ctx: FlowContext, match: OfferMatch) -> str:
    if match.reporters >= MONTH_SHOWN_FROM_REPORTERS:
        return _month(ctx, match.since)
    return _year_name(ctx.t.babel_locale, match.since.year)


def _month(ctx: FlowContext, when: datetime) -> str:
    return _month_name(ctx.t.babel_locale, when.year, when.month)


@lru_cache(maxsize=1024)
def _month_name(locale: Locale, year: int, month: int) -> str:
    """"March 2026" in the locale's own order ("2026년 3월", "2026年3月", "tháng 3 năm 2026"; the
    pattern "LLLL y" wrote "3월 2026") (babel: ~10 us): a match's month is one of a few recent ones."""
    return format_skeleton("yMMMM", date(year, month, 1), locale=locale)


@lru_cache(maxsize=256)
def _year_name(locale: Locale, year: int) -> str:
    """"2026" in the locale's own form ("2026年", "2026년")."""
    return format_skeleton("y", date(year, 1, 1), locale=locale)


def _not_checkable(event: Event, conversation: Conversation, ctx: FlowContext, *, text: str,
                   earlier: Sequence[str]) -> Outcome | None:
    """The answer when `text` cannot be checked as (part of) an offer; None when it can."""
    t = ctx.t
    if not text:
        return Outcome(conversation, reprompt(conversation, ctx))
    if len(text) > MAX_TEXT_CHARS:
        return Outcome(conversation, [Reply(t.gettext(
            "That is too long for me to read at once. Send the most important part: the offer and "
            "the recruiter's messages (up to {limit} characters).", limit=t.number(MAX_TEXT_CHARS)
        )), *reprompt(conversation, ctx)])
    if not earlier and not event.forward_origin:
        sent_alone = only_contacts(text, phone_region(text, conversation.country, t.locale))
        if sent_alone:
            return registry.hand_over("contact", event, conversation, ctx, contacts=sent_alone,
                                      intro=t.gettext(
                "That looks like a contact, so I checked it. To check a job offer, paste the whole "
                "ad or the recruiter's messages."))
        if reading_length(text) < MIN_OFFER_CHARS:
            return Outcome(conversation, [Reply(t.gettext(
                "That is too short for me to check. Paste the whole job ad or the recruiter's "
                "messages, or answer the questions instead.")), *reprompt(conversation, ctx)])
    if sum(len(message) for message in earlier) + len(text) > MAX_TOGETHER_CHARS:
        full = Conversation(flow=conversation.flow, state=conversation.state,
                            data={**conversation.data, "cut": False}, version=conversation.version,
                            locale=conversation.locale, country=conversation.country)
        return Outcome(full, [Reply(t.gettext(
            "I can read up to {limit} characters together, and this check is full. Tap “Check "
            "another” to start a new check with this message.", limit=t.number(MAX_TOGETHER_CHARS)),
            buttons=_result_buttons(ctx))])
    return None


def _with_origins(found: Sequence[Contact], origins: Sequence[str], country: str | None) -> list[Contact]:
    """The contacts of the text, then the forwarded messages' senders, each once."""
    contacts = list(found)
    seen = {identity_of(contact) for contact in contacts}
    for origin in origins:
        contact = parse_contact(origin, default_region=country)
        if contact is not None and contact.type == ContactType.TELEGRAM \
                and identity_of(contact) not in seen:
            seen.add(identity_of(contact))
            contacts.append(contact)
    return contacts


def _result_data(assessment: Assessment, contacts: Sequence[Contact]) -> dict[str, Any]:
    """What a report of this recruiter needs: risk, flag ids, contacts (JSON)."""
    return {
        "risk": assessment.risk.value,
        "flags": assessment.flag_ids,
        "contacts": [contact_to_data(contact) for contact in contacts],
    }


def _result_reply(ctx: FlowContext, assessment: Assessment, contacts: Sequence[Contact], *,
                  read_together: int, offer_text: str = "",
                  unread_numbers: Sequence[str] = (),
                  matches: OfferMatches | None = None, with_answers: bool = False,
                  country: str | None = None) -> Reply:
    t = ctx.t
    sections: list[str] = []
    if with_answers:
        sections.append(t.gettext("I read your messages together with your answers to the questions.")
                        if read_together > 1 else
                        t.gettext("I read your message together with your answers to the questions."))
    elif read_together > 1:
        sections.append(t.ngettext("I read your {n} message together.",
                                   "I read your {n} messages together.", read_together))
    summary, *steps = assessment.advice or [""]
    headline = RISK_HEADLINES[assessment.risk]
    if assessment.risk == RiskLevel.LOW and assessment.flags:
        # Signs too weak to raise the level are still signs: the headline and the summary must
        # not say "none found" above a list of them.
        headline, summary = LOW_WITH_WEAK_SIGNS
    sections.append("\n".join(part for part in (t.gettext(headline),
                                                 t.gettext(summary) if summary else "") if part))
    similar = _matches_section(ctx, matches) if matches is not None else None
    if similar:
        sections.append(similar)
    signs = assessment.warning_signs()  # each true of the text, said once, the strongest first
    if signs.lines:
        sections.append("\n".join([
            t.gettext("<b>Warning signs:</b>"),
            *("• " + t.gettext(line) for line in signs.lines),
            *([t.ngettext("…and {n} more warning sign.", "…and {n} more warning signs.", signs.more)]
              if signs.more else []),
            *([t.gettext(signs.together)] if signs.together else [])]))
    # A licence number or a government programme lowered the level: say so, and that it must be
    # checked (scammers copy these names).
    sections.extend(t.gettext(hit.message) for hit in assessment.mitigations)
    if steps:
        heading = t.gettext("<b>Still check:</b>") if assessment.risk == RiskLevel.LOW \
            else t.gettext("<b>What to do now:</b>")
        sections.append("\n".join([heading, *("• " + t.gettext(step) for step in steps)]))
    if contacts:
        sections.append(_contacts_section(ctx, contacts))
    if unread_numbers:
        sections.append(local_numbers_question(ctx, unread_numbers))
    agencies = _agencies_section(ctx, offer_text, country) if offer_text else None
    if agencies:
        sections.append(agencies)
    sections.append(t.gettext("Send more messages from the same recruiter to add them to this check."))
    return Reply("\n\n".join(sections),
                 buttons=_result_buttons(ctx, held=HELD_FLAG in assessment.flag_ids))


# An offer that names a recruitment agency (checked against the licensed list staff loaded).
# Two patterns, one question (`_names_an_agency`): the words of cased scripts case-insensitive,
# those of scripts without case as they are (case-insensitivity changes nothing for them). One
# case-insensitive alternation of all the words was tried at every position of every offer
# (~17 us for a short ad); the caseless one is found by its first characters alone.
AGENCY_WORDS = re.compile(
    r"agen[cst]|manpower|recruitment|ahensya|agensi|pjtki|p3mi|penyalur|môi giới|xuất khẩu lao động",
    re.IGNORECASE)
AGENCY_WORDS_CASELESS = re.compile(
    r"จัดหางาน|中介|劳务|勞務|ភ្នាក់ងារ|ຈັດຫາງານ|အေဂျင်စီ|에이전시|인력|एजेंसी")


def _names_an_agency(text: str) -> bool:
    return AGENCY_WORDS.search(text) is not None or AGENCY_WORDS_CASELESS.search(text) is not None


def _agencies_section(ctx: FlowContext, text: str, country: str | None) -> str | None:
    """What the licensed-agency list that staff loaded says about the agencies named here."""
    t = ctx.t
    named = agencies_named_in(ctx.sql, text=text)
    if named:
        return licensed_lines(ctx, named)
    if _names_an_agency(text) and has_agency_registry(ctx.sql):
        return "\n\n".join([
            t.gettext("The agency named in this offer is not in the list of licensed recruitment "
                      "agencies our staff loaded. Ask for its licence number and check it with your "
                      "government's labour or migrant-worker office."),
            registry_lines(ctx, country)])
    return None


def _contacts_section(ctx: FlowContext, contacts: Sequence[Contact]) -> str:
    """Known contacts one per line; the many with no report yet together in one line."""
    t = ctx.t
    statuses = contact_statuses(ctx, contacts[:MAX_CONTACTS_PER_CHECK])
    known = [status for status in statuses if status.official or status.confirmed or status.reporters]
    unknown = [status for status in statuses if status not in known]
    lines = [t.gettext("<b>Contacts in this offer:</b>"), *(status_line(ctx, status) for status in known)]
    if unknown:
        lines.append(t.gettext(
            "No reports yet about {contacts}. That does not make them safe: scammers change numbers "
            "and accounts often.", contacts=listed(t, (shown(status.contact) for status in unknown))))
    if len(contacts) > MAX_CONTACTS_PER_CHECK:
        lines.append(t.ngettext("…and {n} more: check them with /contact.",
                                "…and {n} more: check them with /contact.",
                                len(contacts) - MAX_CONTACTS_PER_CHECK))
    return "\n".join(lines)


def _result_buttons(ctx: FlowContext, *, held: bool = False) -> tuple[tuple[Button, ...], ...]:
    """`held`: the text says passports are taken or people cannot leave, which may be the
    person's own situation: the way to urgent help comes first."""
    t = ctx.t
    urgent = ((Button(t.gettext("🆘 I need help now"), go("help_now")),),) if held else ()
    return (
        *urgent,
        (Button(t.gettext("📝 Report this recruiter"), REPORT),),
        (Button(t.gettext("🔎 Check another"), AGAIN), menu_button(ctx)),
    )


def _to_report(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    data = conversation.data
    contacts = [contact_from_data(item) for item in data.get("contacts", [])]
    # The ad itself goes with the report (redacted when stored), so later checks match it.
    return registry.hand_over("report", event, conversation, ctx, kind="job_offer", contacts=contacts,
                              risk=data.get("risk"), flag_ids=list(data.get("flags", [])),
                              offer="\n\n".join(data.get("messages", [])) or None)


# --- guided questions ----------------------------------------------------------------------

def _questions() -> list[Question]:
    return default_questions()


def _ask(conversation: Conversation, ctx: FlowContext, *, index: int,
         answers: dict[str, str]) -> Outcome:
    new = conversation.at(NAME, QUIZ, {"q": index, "answers": answers})
    return Outcome(new, [_question(ctx, index, answers)])


def _question(ctx: FlowContext, index: int, answers: dict[str, str]) -> Reply:
    t = ctx.t
    question = _questions()[index]
    lines = [t.gettext("Question {number} of {total}", number=t.number(index + 1),
                       total=t.number(len(_questions()))),
             "", "<b>" + t.gettext(question.text) + "</b>"]
    given = answers.get(question.id)
    if given in ANSWER_LABELS:
        lines.append(t.gettext("Your answer: {answer}", answer=t.gettext(ANSWER_LABELS[given])))
    navigation = [Button(t.gettext("← Back"), BACK)] if index > 0 else []
    navigation.append(Button(t.gettext("Skip →"), SKIP))
    return Reply("\n".join(lines), buttons=(
        tuple(Button(t.gettext(label), ANSWER_PREFIX + value) for value, label in ANSWER_LABELS.items()),
        tuple(navigation),
        (menu_button(ctx),),
    ))


def _known_answers(saved: object) -> dict[str, str]:
    """Saved answers still meaningful: the question list may have changed since they were kept."""
    if not isinstance(saved, dict):
        return {}
    known = {question.id for question in _questions()}
    return {question_id: value for question_id, value in saved.items()
            if question_id in known and value in ANSWER_LABELS}


def _quiz(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    # The question list may have changed since this draft was saved: stay inside it.
    index = min(int(conversation.data.get("q", 0)), len(_questions()) - 1)
    answers = _known_answers(conversation.data.get("answers", {}))
    action = event.button or "" if event.kind == EventKind.BUTTON else ""
    if action.startswith(ANSWER_PREFIX) and action.removeprefix(ANSWER_PREFIX) in ANSWER_LABELS:
        answers[_questions()[index].id] = action.removeprefix(ANSWER_PREFIX)
        return _next_question(event, conversation, ctx, index=index + 1, answers=answers)
    if action == SKIP:
        return _next_question(event, conversation, ctx, index=index + 1, answers=answers)
    if action == BACK:
        return _ask(conversation, ctx, index=max(index - 1, 0), answers=answers)
    hint = ctx.t.gettext("Please answer with the buttons. If you would rather paste the offer itself, "
                         "tap ☰ Menu and choose “Check a job offer”.")
    return Outcome(conversation, [Reply(hint), *reprompt(conversation, ctx)])


def _next_question(event: Event, conversation: Conversation, ctx: FlowContext, *, index: int,
                   answers: dict[str, str]) -> Outcome:
    if index < len(_questions()):
        return _ask(conversation, ctx, index=index, answers=answers)
    wait = ratelimit.consume(ctx.sql, user_key=event.user_key, limit=ratelimit.CHECKS, now=ctx.now)
    if wait is not None:
        # Keep the answers: the person can press the last button again after the pause.
        return Outcome(conversation, [ratelimit.checks_limited_reply(ctx, wait)])
    assessment = assess_answers({question_id: Answer(value) for question_id, value in answers.items()})
    new = conversation.at(NAME, RESULT, {"answers": answers, **_result_data(assessment, [])})
    return Outcome(new, [_result_reply(ctx, assessment, [], read_together=1)])


# State → its step, and the question it asks (the one way flows dispatch on state).
_STEPS = {WAITING: _waiting, QUIZ: _quiz, RESULT: _result}
_QUESTIONS = {WAITING: _invitation_again, QUIZ: _quiz_again, RESULT: _result_again}
