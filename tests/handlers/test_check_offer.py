"""Check a job offer, in process: pasted text, several messages, forwards, guided questions."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest
from babel import Locale
from babel.dates import format_skeleton

from handlers import check_offer, ratelimit
from handlers.types import CALLBACK_DATA_MAX_BYTES, encode_callback
from locales.i18n import SUPPORTED_LOCALES, get_translator, language_name
from screening.assess import RiskLevel, assess_answers, assess_text
from screening.questionnaire import Answer, default_questions
from storage.conversations import lock_conversation
from storage.db import session_scope
from storage.matching import OfferMatch, OfferMatches
from tests.handlers.conftest import Harness, Person

# A recruiter's ad with several of the red flags in shared/red-flags.md (#1, #2, #3, #7).
LURE = ("URGENT hiring customer service staff in Bangkok! Salary 1500 USD per month, no experience "
        "needed. Free flight ticket, free accommodation and food. Travel on a tourist visa, we "
        "arrange the work permit later. Contact HR @hr_kk_jobs or +855 12 345 678")
FEE = "Before you fly you must pay a processing fee of 15000 baht to our agent."
HARMLESS = "We are hiring a cook for our hotel kitchen in Hanoi, please send your CV by email."


def conversation_of(harness: Harness, person: Person) -> tuple[str, str, dict[str, Any]]:
    with session_scope(harness.engine) as db:
        row = lock_conversation(db, user_key=person.user_key)
        return row.flow, row.state, harness.opened(row.data)


def assert_phone_friendly(person: Person) -> None:
    """Every button fits a phone screen and its callback data fits Telegram's 64 bytes."""
    for reply in person.history:
        for row in reply.buttons:
            for button in row:
                assert len(button.text) <= 32, button.text
                assert len(encode_callback(99999, button.action).encode()) < CALLBACK_DATA_MAX_BYTES


class _TelegramHtml(HTMLParser):
    """Checks a reply against the HTML subset Telegram accepts: known tags, all closed."""

    ALLOWED = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
                         "a", "tg-spoiler", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.ALLOWED, f"<{tag}> is not Telegram HTML"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes nothing"
        self.open.pop()


def assert_valid_html(person: Person) -> None:
    for reply in person.history:
        parser = _TelegramHtml()
        parser.feed(reply.text)
        parser.close()
        assert not parser.open, f"unclosed {parser.open} in {reply.text!r}"
        assert "&" not in re.sub(r"&(lt|gt|amp|quot|#\d+);", "", reply.text), reply.text


def actions(person: Person) -> list[str]:
    return [button.action for button in person.buttons()]


def test_pasted_offer_gets_risk_flags_advice_contacts_and_buttons(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    replies = person.send(LURE)
    expected = assess_text(LURE, lang="en")
    assert expected.risk in (RiskLevel.HIGH, RiskLevel.VERY_HIGH)
    text = replies[-1].text
    t = get_translator("en")
    assert text.startswith(t.gettext(check_offer.RISK_HEADLINES[expected.risk]))
    for line in expected.warning_signs().lines:
        assert t.gettext(line) in text
    for advice in expected.advice:
        assert t.gettext(advice) in text
    assert "@hr_kk_jobs" in text and "+855 12 345 678" in text
    assert actions(person) == ["report", "again", "menu"]
    flow, state, data = conversation_of(harness, person)
    assert (flow, state) == ("check", "result")
    assert data["risk"] == expected.risk.value
    assert data["flags"] == expected.flag_ids
    assert {"type": "telegram", "value": "hr_kk_jobs", "domain": None} in data["contacts"]
    assert_phone_friendly(person)


def test_long_text_pasted_at_the_menu_is_checked_at_once(harness: Harness) -> None:
    person = harness.person()
    person.send("/menu")
    replies = person.send(LURE)
    assert "report" in actions(person)
    assert conversation_of(harness, person)[:2] == ("check", "result")
    assert get_translator("en").gettext("<b>Warning signs:</b>") in replies[-1].text


def test_further_messages_are_read_together(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    person.send(LURE)
    first_flags = conversation_of(harness, person)[2]["flags"]
    replies = person.send(FEE)
    combined = assess_text(LURE + "\n\n" + FEE, lang="en")
    assert "I read your 2 messages together." in replies[-1].text
    _, state, data = conversation_of(harness, person)
    assert state == "result"
    assert data["messages"] == [LURE, FEE]
    assert data["flags"] == combined.flag_ids
    assert set(first_flags) < set(data["flags"])  # the fee added a flag
    # "Check another" starts over with nothing carried.
    person.press("again")
    assert conversation_of(harness, person)[1:] == ("waiting", {})


def test_forwarded_sender_becomes_a_contact_of_the_check_and_the_report(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    replies = person.send(FEE, forward_origin="@Agent_Lin88")
    assert "@agent_lin88" in replies[-1].text
    data = conversation_of(harness, person)[2]
    assert {"type": "telegram", "value": "agent_lin88", "domain": None} in data["contacts"]
    person.press("report")
    flow, state, data = conversation_of(harness, person)
    assert (flow, state) == ("report", "contacts")
    draft = data["draft"]
    assert draft["kind"] == "job_offer"
    assert draft["contacts"] == [{"type": "telegram", "value": "agent_lin88", "domain": None}]
    assert draft["risk"] == assess_text(FEE, lang="en").risk.value
    assert draft["flags"] == assess_text(FEE, lang="en").flag_ids
    assert "rm:0" in actions(person)


def test_low_risk_never_says_safe_and_lists_remaining_checks(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    text = person.send(HARMLESS)[-1].text
    t = get_translator("en")
    assessment = assess_text(HARMLESS, lang="en")
    assert assessment.risk == RiskLevel.LOW
    assert text.startswith(t.gettext(check_offer.RISK_HEADLINES[RiskLevel.LOW]))
    assert t.gettext("<b>Still check:</b>") in text
    assert "does not make it safe" in text
    assert "is safe" not in text.lower()


LICENSED = ("Now hiring caregivers for Japan under the SSW programme, POEA License No. RA-123. "
            "Free airfare and free housing. Salary 200,000 yen a month.")


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_a_mitigation_that_lowered_the_level_is_explained(harness: Harness, locale: str) -> None:
    person = harness.person(language_code=locale)
    person.send("/check")
    text = person.send(LICENSED)[-1].text
    t = get_translator(locale)
    assessment = assess_text(LICENSED, lang=locale)
    assert [hit.rule_id for hit in assessment.mitigations] == ["legal_channel"]
    explanation = t.gettext(assessment.mitigations[0].message)
    assert explanation != assessment.mitigations[0].message or locale == "en"  # translated
    assert explanation in text


def test_media_and_overlong_text_keep_the_check(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    person.send(LURE)
    before = conversation_of(harness, person)
    replies = person.send_media("sticker")
    assert "I can only read text" in replies[0].text
    assert conversation_of(harness, person) == before
    replies = person.send("x" * (check_offer.MAX_TEXT_CHARS + 1))
    assert "too long" in replies[0].text
    assert conversation_of(harness, person) == before
    # Unknown command mid-flow: the router keeps the person where they were.
    person.send("/frobnicate")
    assert conversation_of(harness, person) == before


def test_guided_questions_with_back_skip_and_result(harness: Harness) -> None:
    questions = default_questions()
    person = harness.person()
    person.send("/check")
    replies = person.press("quiz")
    assert questions[0].text in replies[0].text
    assert actions(person) == ["a:yes", "a:no", "a:unsure", "skip", "menu"]
    person.press("a:yes")
    replies = person.press("back")
    assert "Your answer: Yes" in replies[0].text
    person.press("a:no")  # changes the first answer
    person.press("skip")  # second question skipped
    person.send("maybe?")  # text is not an answer: same question again
    assert conversation_of(harness, person)[2]["q"] == 2
    answers = {questions[0].id: Answer.NO}
    for question in questions[2:]:
        person.press("a:yes")
        answers[question.id] = Answer.YES
    expected = assess_answers(answers)
    text = person.last.replies[-1].text if person.last else ""
    assert text.startswith(check_offer.RISK_HEADLINES[expected.risk])
    _, state, data = conversation_of(harness, person)
    assert state == "result"
    assert data["flags"] == expected.flag_ids
    assert actions(person) == ["report", "again", "menu"]
    assert_phone_friendly(person)


def test_checks_are_rate_limited_without_losing_the_check(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    for _ in range(ratelimit.CHECKS.max_events):
        person.send(HARMLESS)
        person.press("again")
    person.send(LURE)  # over the limit
    assert "many checks" in person.texts()[0]
    assert conversation_of(harness, person)[1:] == ("waiting", {})


@pytest.mark.parametrize("locale", ["th", "vi", "km"])
def test_reply_is_in_the_persons_language(harness: Harness, locale: str) -> None:
    person = harness.person(language_code=locale)
    person.send("/check")
    text = person.send(LURE)[-1].text
    t = get_translator(locale)
    expected = assess_text(LURE, lang=locale)
    assert text.startswith(t.gettext(check_offer.RISK_HEADLINES[expected.risk]))
    assert t.gettext(expected.flags[0].message) in text
    assert person.buttons()[0].text == t.gettext("📝 Report this recruiter")


# Offers in the languages Telegram often does not speak to its reader (its interface then stays
# in English): Korean, Chinese (Traditional) and Burmese.
OFFERS_IN = {
    "ko": ("캄보디아 고수익 해외 취업! 월급 3000달러, 경험 필요 없음, 항공권과 숙소 무료 제공. "
           "여권만 있으면 바로 출국 가능합니다. 면접 없이 텔레그램으로 연락주세요 @kr_job_hr"),
    "zh_Hant": ("高薪誠聘客服專員，工作地點柬埔寨西港，月薪3000美元起，無需經驗，包吃包住，"
                "公司報銷機票。有意者請聯繫Telegram @hk_job_hr"),
    "my": ("ထိုင်းနိုင်ငံတွင် ဖောက်သည်ဝန်ဆောင်မှု အလုပ်ခေါ်နေပါသည်။ လစာ ဒေါ်လာ ၂၀၀၀၊ အတွေ့အကြုံ မလိုပါ၊ "
           "လေယာဉ်လက်မှတ်နှင့် နေစရာ အခမဲ့။ Telegram @mm_job_hr ကို ဆက်သွယ်ပါ"),
}


@pytest.mark.parametrize("locale", sorted(OFFERS_IN))
def test_an_offer_pasted_before_choosing_a_language_is_answered_in_its_language(
        harness: Harness, locale: str) -> None:
    """Someone who chose no language (no /start) pastes an offer in Korean from a Telegram in
    English: the red flags came back in English, Telegram's language, while the menu already
    offered the text's language for a short message. Now the result speaks the text's language,
    that language is offered, and once confirmed it is kept, with the result's buttons working."""
    t = get_translator(locale)
    offer = OFFERS_IN[locale]
    person = harness.person(4700 + sorted(OFFERS_IN).index(locale), language_code="en")
    result, offered = person.send(offer)
    expected = assess_text(offer, lang=locale)
    assert result.text.startswith(t.gettext(check_offer.RISK_HEADLINES[expected.risk])), result.text
    for line in expected.warning_signs().lines:
        assert t.gettext(line) in result.text
    assert offered.text == t.gettext("Shall we continue in {language}?",
                                     language=language_name(locale))
    assert [b.action for row in offered.buttons for b in row] == ["lang:" + locale, "go:language"]
    done, again = person.press("lang:" + locale)
    assert done.text == t.gettext("Done. I will write to you in {language}.",
                                  language=language_name(locale))
    assert again.text == t.gettext(
        "Send more messages from the same recruiter to add them to this check, or choose:")
    assert conversation_of(harness, person)[:2] == ("check", "result")
    person.press("report")  # the result's own button still works
    assert conversation_of(harness, person)[0] == "report"
    [menu] = person.send("/menu")
    assert menu.text == t.gettext("What would you like to do?")


def test_an_english_ad_keeps_the_persons_telegram_language(harness: Harness) -> None:
    """Ads are often in English whoever pastes them: with Telegram in Thai and no language
    chosen, an English ad is answered in Thai, and no other language is offered."""
    person = harness.person(4710, language_code="th")
    [result] = person.send(LURE)
    th = get_translator("th")
    assert th.gettext("<b>Warning signs:</b>") in result.text


def test_a_contact_alone_is_checked_as_a_contact(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    replies = person.send("+855 12 345 678")
    assert replies[0].text.startswith("That looks like a contact, so I checked it.")
    assert "no reports yet" in replies[0].text
    flow, state, data = conversation_of(harness, person)
    assert (flow, state) == ("contact", "result")
    assert data["contacts"] == [{"type": "phone", "value": "+85512345678", "domain": None}]


def test_a_few_words_are_not_checked_as_an_offer(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    replies = person.send("hi, help me")
    assert "too short" in replies[0].text
    assert conversation_of(harness, person)[:2] == ("check", "waiting")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_reply_is_valid_html_with_phone_sized_buttons(harness: Harness, locale: str) -> None:
    """Walks every step of the three flows in each language (catches a translated button
    over 32 characters or a broken tag in a translation)."""
    person = harness.person(language_code=locale)
    person.send("/check")
    person.press("quiz")
    person.press("a:yes")
    person.send("/check")
    person.send(LURE + " & <script>", forward_origin="@Agent_Lin88")
    person.send_media("sticker")
    person.send("/contact")
    person.send("?? 12")
    person.send("https://evil.example/a&b")
    person.press("report")
    person.send("@second_one and +66 81 234 5678")
    person.press("rm:0")
    person.press("done")
    person.send("They said <b>free</b> visa & flight.")
    person.press("done")
    person.press("w:today")
    person.press("cc:KH")
    person.press("edit:narrative")
    person.press("skip")
    person.press("ok")
    person.press("notify")
    person.press("agree")
    person.send("/report")
    person.press("add")
    person.send("NOPE")
    assert len(person.history) > 25
    assert_phone_friendly(person)
    assert_valid_html(person)


def test_a_full_check_says_so_and_keeps_what_was_read(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    chunk = (LURE + " ") * (check_offer.MAX_TOGETHER_CHARS // (4 * (len(LURE) + 1)) + 1)
    for _ in range(3):
        person.send(chunk)
    before = conversation_of(harness, person)
    replies = person.send(chunk)
    assert "this check is full" in replies[0].text
    assert actions(person) == ["report", "again", "menu"]
    assert conversation_of(harness, person) == before


def test_the_licensed_agency_list_is_consulted(harness: Harness) -> None:
    from storage.agencies import AGENCY_TYPE
    from storage.safelist import add_safelist

    with session_scope(harness.engine) as db:
        add_safelist(db, type=AGENCY_TYPE, value="bright future manpower services inc",
                     label="Bright Future Manpower Services, Inc.", source="DMW list 2026")
    person = harness.person()
    person.send("/check")
    licensed = person.send("Hiring factory workers for Taiwan through Bright Future Manpower "
                           "Services, Inc. Salary 25,000 TWD, contract signed at the DMW office.")
    assert "Bright Future Manpower Services, Inc. is in the list of licensed" in licensed[0].text
    person.send("/check")
    unknown = person.send("Hiring factory workers for Taiwan through Golden Sky Recruitment Agency. "
                          "Salary 25,000 TWD, contract at the office.")
    assert "is not in the list of licensed recruitment agencies" in unknown[0].text


def _matches(reporters: int, since: datetime) -> OfferMatches:
    return OfferMatches(very=OfferMatch(reporters=reporters, since=since, report_ids=(1,)),
                        somewhat=None, short=False)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_an_earlier_report_is_dated_by_its_month_only_from_three_reporters(locale: str) -> None:
    """With one or two reporters the line names the year alone: whoever checks the ad may be the
    recruiter who posted it, and a month could point to the person who reported it."""
    t = get_translator(locale)
    ctx: Any = SimpleNamespace(t=t)
    since = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    month = format_skeleton("yMMMM", date(2026, 3, 1), locale=Locale.parse(locale))
    # The locale's own order (walking in Korean and Chinese: "3월 2026", "3月 2026").
    assert month == {"ko": "2026년 3월", "zh_Hant": "2026年3月", "zh_Hans": "2026年3月",
                     "en": "March 2026"}.get(locale, month)
    year = format_skeleton("y", date(2026, 1, 1), locale=Locale.parse(locale))
    for reporters in (1, 2):
        section = check_offer._matches_section(ctx, _matches(reporters, since))
        assert section is not None and month not in section and year in section, section
    section = check_offer._matches_section(ctx, _matches(3, since))
    assert section is not None and month in section, section
    hint = check_offer._matches_section(ctx, OfferMatches(
        very=None, somewhat=OfferMatch(reporters=1, since=since, report_ids=(1,)), short=False))
    assert hint is not None and month not in hint and year in hint, hint
