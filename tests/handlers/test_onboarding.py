"""Onboarding's Malay offer: Telegram in Indonesian, kept at the greeting, and a country where
Malay is the national language -> one line, two buttons, the answer kept as the language."""

from __future__ import annotations

from handlers import onboarding
from handlers.common import LANGUAGE_PREFIX
from handlers.types import Reply
from locales.i18n import get_translator, language_name
from storage.db import session_scope
from storage.prefs import get_prefs
from tests.handlers.conftest import Harness, Person

ID = get_translator("id")
MS = get_translator("ms")
OFFER = ID.gettext("Would you rather I write in {language}?", language="Bahasa Melayu")


def _onboard(person: Person, country: str) -> list[Reply]:
    person.send("/start")
    person.press(onboarding.KEEP_LANGUAGE)
    return person.press(onboarding.COUNTRY_PREFIX + country)


def _locale(harness: Harness, person: Person) -> str | None:
    with session_scope(harness.engine, read_only=True) as db:
        prefs = get_prefs(db, user_key=person.user_key)
        return prefs.locale if prefs else None


def test_indonesian_telegram_in_malaysia_is_offered_malay_after_the_menu(harness: Harness) -> None:
    person = harness.person(5101, language_code="id")
    menu, offer = _onboard(person, "MY")
    assert menu.text == ID.gettext("Thank you. What would you like to do?")
    assert offer.text == OFFER
    assert [[(b.text, b.action) for b in row] for row in offer.buttons] == [[
        ("Bahasa Melayu", LANGUAGE_PREFIX + "ms"),
        (ID.gettext("Keep {language}", language="Bahasa Indonesia"), LANGUAGE_PREFIX + "id")]]
    # Nothing is changed until the person answers.
    assert _locale(harness, person) == "id"


def test_choosing_malay_is_kept_and_not_asked_again(harness: Harness) -> None:
    person = harness.person(5102, language_code="id")
    _onboard(person, "MY")
    done, menu = person.press(LANGUAGE_PREFIX + "ms")
    assert done.text == MS.gettext("Done. I will write to you in {language}.",
                                   language=language_name("ms"))
    assert menu.text == MS.gettext("What would you like to do?")
    assert _locale(harness, person) == "ms"
    [welcome] = person.send("/start")
    assert welcome.text == MS.gettext("Welcome back. What would you like to do?")


def test_keeping_indonesian_is_kept_and_not_asked_again(harness: Harness) -> None:
    person = harness.person(5103, language_code="id")
    _onboard(person, "MY")
    done, _menu = person.press(LANGUAGE_PREFIX + "id")
    assert done.text == ID.gettext("Done. I will write to you in {language}.",
                                   language=language_name("id"))
    assert _locale(harness, person) == "id"
    replies = person.send("/start")
    assert [reply.text for reply in replies] == [ID.gettext("Welcome back. What would you like to do?")]


def test_no_offer_elsewhere_or_to_other_languages(harness: Harness) -> None:
    # Indonesian Telegram in Indonesia or Thailand, Malay or English Telegram in Malaysia.
    for user_id, telegram, country in ((5201, "id", "ID"), (5202, "id", "TH"),
                                       (5203, "ms", "MY"), (5204, "en", "MY")):
        person = harness.person(user_id, language_code=telegram)
        replies = _onboard(person, country)
        assert len(replies) == 1 and not replies[0].text.startswith(OFFER), (telegram, country)


def test_no_offer_when_indonesian_was_picked_from_the_list(harness: Harness) -> None:
    # The list names Malay beside Indonesian: picking Indonesian there is an answer already.
    person = harness.person(5301, language_code="id")
    person.send("/start")
    person.press("go:language")
    person.press(LANGUAGE_PREFIX + "id")
    replies = person.press(onboarding.COUNTRY_PREFIX + "MY")
    assert [reply.text for reply in replies] == [ID.gettext("Thank you. What would you like to do?")]


def test_no_offer_when_the_greeting_proposed_indonesian_from_the_text(harness: Harness) -> None:
    # Telegram in English: Indonesian was proposed because of what the person wrote, not kept
    # as their Telegram's; they read it by choice.
    person = harness.person(5302, language_code="en")
    person.send("/start")
    person.send("Saya mau cari kerja di luar negeri, bisa bantu?")
    person.press(onboarding.KEEP_LANGUAGE)
    replies = person.press(onboarding.COUNTRY_PREFIX + "MY")
    assert [reply.text for reply in replies] == [ID.gettext("Thank you. What would you like to do?")]


def test_skipping_the_country_offers_nothing(harness: Harness) -> None:
    person = harness.person(5303, language_code="id")
    person.send("/start")
    person.press(onboarding.KEEP_LANGUAGE)
    assert len(person.press(onboarding.SKIP_COUNTRY)) == 1
