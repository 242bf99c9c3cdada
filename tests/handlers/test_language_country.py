"""The person's country as the detector's third signal where no language is chosen yet.

Text first, Telegram's language second, the country third: a line that is good Malay and good
Indonesian alike, from a Telegram in English, is Indonesian with no country and Malay from a
person whose preferences say Malaysia. Today the country is asked after the language, so it is
rarely known at this point; these tests say the flows pass it along when it is.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from handlers import check_offer, menu, onboarding, report
from locales.i18n import get_translator, language_name
from screening import assess
from screening.language import detect_language
from storage.db import session_scope
from storage.models import Report
from storage.prefs import set_prefs
from tests.handlers.conftest import Harness, Person

# No word of one standard only: the hint (English) says nothing, the country decides.
BOTH_STANDARDS = "Di mana kamu tinggal sekarang?"


def _greeting_in(locale: str) -> str:
    return get_translator(locale).gettext("Shall we continue in {language}?",
                                          language=language_name(locale))


def _with_country(harness: Harness, country: str | None, user_id: int = 4242) -> Person:
    person = harness.person(user_id, language_code="en")
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


def _file_report(person: Person, narrative: str, scam_country: str) -> None:
    person.send("/report")
    person.press("k:contact")
    person.send("@kk_agent_my")
    person.press("done")
    person.send(narrative)
    person.press("done")
    person.press("skip")
    person.press("cc:" + scam_country)
    person.press("ok")
    person.press("no_notify")
    person.press("agree")


def test_a_report_reads_the_person_s_country_not_the_scam_s(harness: Harness) -> None:
    # An Indonesian (by preferences) reports a recruiter in Malaysia: the report's country is
    # Malaysia, but the narrative that fits both standards is the person's Indonesian.
    indonesian = _with_country(harness, "ID")
    _file_report(indonesian, BOTH_STANDARDS, "MY")
    malaysian = _with_country(harness, "MY", user_id=4343)
    _file_report(malaysian, BOTH_STANDARDS, "ID")
    with session_scope(harness.engine) as db:
        reports = {(report.country, report.language) for report in db.exec(select(Report)).all()}
    assert reports == {("MY", "id"), ("ID", "ms")}


# Every module that calls the language reader, as it imported it.
_READERS = (assess, check_offer, menu, onboarding, report)


@pytest.fixture
def reader_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str | None, str | None]]]:
    """(module, hint, country) of every call of the language reader, which still answers."""
    calls: list[tuple[str, str | None, str | None]] = []
    for module in _READERS:
        def spy(text: str, *, hint: str | None = None, country: str | None = None,
                _name: str = module.__name__) -> str | None:
            calls.append((_name, hint, country))
            return detect_language(text, hint=hint, country=country)
        monkeypatch.setattr(module, "detect_language", spy)
    yield calls


def _english_in(harness: Harness, country: str | None, user_id: int = 4545) -> Person:
    """Someone who chose English (Telegram's, kept at the greeting) and gave `country`."""
    person = harness.person(user_id, language_code="en")
    person.send("/start")
    person.press(onboarding.KEEP_LANGUAGE)
    person.press(onboarding.COUNTRY_PREFIX + country if country else onboarding.SKIP_COUNTRY)
    return person


OFFER = ("Kerja di kedai makan, gaji RM2500 sebulan, tempat tinggal disediakan. Hubungi kami "
         "di WhatsApp untuk temu duga minggu ini.")


def test_checking_an_offer_reads_its_language_with_the_person_s_country(
        harness: Harness, reader_calls: list[tuple[str, str | None, str | None]]) -> None:
    # What the bench's 'en+country' column measures: the English interface and the country
    # onboarding recorded.
    person = _english_in(harness, "MY")
    reader_calls.clear()
    person.send("/check")
    person.send(OFFER)
    assert reader_calls == [("screening.assess", "en", "MY")]


def test_checking_an_offer_guesses_no_country_for_the_language(
        harness: Harness, reader_calls: list[tuple[str, str | None, str | None]]) -> None:
    # Malay chosen, no country given: local numbers are read as Malaysian ones, but the
    # language reader gets the hint alone (the bench's 'own hint' column), no country the
    # person did not give.
    person = harness.person(4646, language_code="ms")
    person.send("/start")
    person.press(onboarding.KEEP_LANGUAGE)
    person.press(onboarding.SKIP_COUNTRY)
    reader_calls.clear()
    person.send("/check")
    person.send(OFFER)
    assert reader_calls == [("screening.assess", "ms", None)]


def test_a_report_is_screened_with_the_person_s_country_not_the_scam_s(
        harness: Harness, reader_calls: list[tuple[str, str | None, str | None]]) -> None:
    person = _english_in(harness, "MY")
    reader_calls.clear()
    _file_report(person, BOTH_STANDARDS + " Mereka ambil pasport saya di Kemboja.", "KH")
    # The report's language and its screening: both with Malaysia, the person's country, not
    # Cambodia, where the scam happened (that one reads the numbers and places the job).
    assert sorted(reader_calls) == [("handlers.report", "en", "MY"), ("screening.assess", "en", "MY")]
    with session_scope(harness.engine) as db:
        [filed] = db.exec(select(Report)).all()
    assert (filed.country, filed.language) == ("KH", "ms")


def test_free_text_before_a_language_reads_telegram_s_and_the_country(
        harness: Harness, reader_calls: list[tuple[str, str | None, str | None]]) -> None:
    person = _with_country(harness, "MY", user_id=4747)
    person.send(BOTH_STANDARDS)
    assert ("handlers.menu", "en", "MY") in reader_calls
    assert {country for _module, _hint, country in reader_calls} == {"MY"}
