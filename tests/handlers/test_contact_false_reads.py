"""What the bot says about the contacts it reads (branch w-contacts): an everyday word after a
platform's name is not listed as a contact; a government's own address is shown as an official
one to check the offer with, not as an unverified contact, and cannot be reported."""

from __future__ import annotations

from locales.i18n import get_translator
from tests.handlers.conftest import Harness
from tests.handlers.test_check_offer import LURE, assert_valid_html

# As a Malaysian news report printed the ad (the last session's walk read "salaries" as a WeChat id).
ADVERTISED = ("Jobs advertised on WhatsApp, Telegram and WeChat: salaries in the range of RM5,000 "
              "a month, free flight and accommodation, work in Cambodia.")
OFFICIAL = "www.dmw.gov.ph"
GOVERNMENT_LINE = ("ℹ️ {contact} is an official government address, not the recruiter's own "
                   "contact. You can check this offer with that office: find its phone number on "
                   "its website yourself, never in the offer.")


def test_an_everyday_word_is_not_listed_as_a_contact(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    text = "\n".join(reply.text for reply in person.send(ADVERTISED))
    assert "No reports yet about salaries" not in text
    assert "Contacts in this offer" not in text


def test_a_government_address_in_a_lure_is_shown_as_official(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    text = "\n".join(reply.text for reply in person.send(LURE + " Licensed, see " + OFFICIAL))
    t = get_translator("en")
    assert t.gettext(GOVERNMENT_LINE, contact="<b>dmw.gov.ph</b>") in text
    # The recruiter's own contacts are still the unverified ones; the ministry's is not among them.
    unverified = next(line for line in text.splitlines() if line.startswith("No reports yet about"))
    assert "@hr_kk_jobs" in unverified and "dmw.gov.ph" not in unverified
    assert_valid_html(person)


def test_a_government_address_is_not_carried_into_a_report(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    person.send(LURE + " Licensed, see " + OFFICIAL)
    replies = person.press("report")
    text = "\n".join(reply.text for reply in replies)
    assert "@hr_kk_jobs" in text
    assert "cannot record <b>dmw.gov.ph</b> as a scam contact" in text
