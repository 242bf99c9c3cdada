"""The person's country as the detector's third signal where no language is chosen yet.

Text first, Telegram's language second, the country third: a line that is good Malay and good
Indonesian alike, from a Telegram in English, is Indonesian with no country and Malay from a
person whose preferences say Malaysia. Today the country is asked after the language, so it is
rarely known at this point; these tests say the flows pass it along when it is.
"""

from __future__ import annotations

from locales.i18n import get_translator, language_name
from storage.db import session_scope
from storage.prefs import set_prefs
from tests.handlers.conftest import Harness, Person

# No word of one standard only: the hint (English) says nothing, the country decides.
BOTH_STANDARDS = "Di mana kamu tinggal sekarang?"


def _greeting_in(locale: str) -> str:
    return get_translator(locale).gettext("Shall we continue in {language}?",
                                          language=language_name(locale))


def _with_country(harness: Harness, country: str | None) -> Person:
    person = harness.person(language_code="en")
    if country:
        with session_scope(harness.engine) as db:
            set_prefs(db, user_key=person.user_key, country=country)
    return person


def test_menu_text_without_a_language_reads_the_country(harness: Harness) -> None:
    malaysian = _with_country(harness, "MY")
    assert _greeting_in("ms") in malaysian.send(BOTH_STANDARDS)[0].text
    nobody = harness.person(user_id=4343, language_code="en")
    assert _greeting_in("id") in nobody.send(BOTH_STANDARDS)[0].text


def test_onboarding_text_reads_the_country(harness: Harness) -> None:
    # At the greeting (/start proposed English), a line in Malay or Indonesian proposes the
    # person's country's standard.
    person = _with_country(harness, "MY")
    person.send("/start")
    assert _greeting_in("ms") in person.send(BOTH_STANDARDS)[0].text
