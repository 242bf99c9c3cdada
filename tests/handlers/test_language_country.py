"""The person's country as the detector's third signal where no language is chosen yet.

Text first, Telegram's language second, the country third: a line that is good Malay and good
Indonesian alike, from a Telegram in English, is Indonesian with no country and Malay from a
person whose preferences say Malaysia. Today the country is asked after the language, so it is
rarely known at this point; these tests say the flows pass it along when it is.
"""

from __future__ import annotations

from sqlmodel import select

from locales.i18n import get_translator, language_name
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
