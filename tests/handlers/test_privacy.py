"""/privacy and /delete, in process: the explanation, the confirmation, and what erasing leaves."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from bot.services import Services
from handlers import help_now, privacy
from locales.i18n import get_translator
from storage.db import create_db_engine, migrate, session_scope
from storage.models import ConversationRow, Report, UserPrefs
from tests.handlers.conftest import Harness, Person, make_settings


def count(harness: Harness, model: type[Report | UserPrefs | ConversationRow], user_key: str) -> int:
    """Rows of `model` linked to the person's pseudonym."""
    column = col(Report.reporter_key) if model is Report else col(
        UserPrefs.user_key if model is UserPrefs else ConversationRow.user_key)
    with session_scope(harness.engine) as db:
        return int(db.exec(select(func.count()).select_from(model).where(column == user_key)).one())


def store_urgent_report(person: Person) -> None:
    person.send("/help_now")
    person.press(help_now.WHO_OTHER)
    person.press("cc:VN")
    person.press("cc:KH")
    person.press(help_now.SKIP)
    person.press("docs:passport")
    person.press("last:month")
    person.press(help_now.ALERT_YES)
    person.press(help_now.SKIP)


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "km"])
def test_privacy_explains_what_is_stored_and_offers_erasure(harness: Harness, locale: str) -> None:
    t = get_translator(locale)
    person = harness.person(language_code=locale)
    text = person.send("/privacy")[0].text
    assert t.gettext("What I store, and why") in text
    assert t.gettext("• Not your Telegram account, name, username or number: only a code computed "
                     "from your account, which cannot be turned back into it.") in text
    assert t.gettext("Reports are kept until you erase them here.") in text
    assert [b.action for b in person.buttons()] == [privacy.ERASE, "menu"]
    confirm = person.press(privacy.ERASE)[0]
    assert confirm.text == t.gettext(
        "This erases your reports, your conversations with our team, your language and "
        "country, and our conversation. Scam contacts that staff already confirmed stay "
        "listed, with no link to you. It cannot be undone. Erase everything?")
    assert [b.action for b in person.buttons()] == [privacy.ERASE_YES, privacy.ERASE_NO]


def test_retention_is_explained_when_configured(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, retention_days=30)
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    try:
        person = Harness(Services(settings=settings, engine=engine)).person(language_code="th")
        text = person.send("/privacy")[0].text
        t = get_translator("th")
        assert t.ngettext(
            "What happened, as you told it, is deleted {n} day after a report; the count of "
            "reports about a scam contact stays.",
            "What happened, as you told it, is deleted {n} days after a report; the count of "
            "reports about a scam contact stays.", 30) in text
    finally:
        engine.dispose()


@pytest.mark.parametrize("locale", ["en", "th", "zh_Hans"])
def test_delete_erases_everything_and_says_how_much(harness: Harness, locale: str) -> None:
    t = get_translator(locale)
    person = harness.person(language_code=locale)
    person.send("/start")
    person.press("keep")  # stores the language
    person.press("cc:TH")  # and the country
    store_urgent_report(person)
    assert count(harness, Report, person.user_key) == 1
    assert count(harness, UserPrefs, person.user_key) == 1

    confirm = person.send("/delete")  # straight to the question, no explanation first
    assert [b.action for b in person.buttons()] == [privacy.ERASE_YES, privacy.ERASE_NO]
    assert len(confirm) == 1
    done = person.press(privacy.ERASE_YES)
    # One report, the prefs row, the conversation row; rate events if the flows counted any.
    expected_report_line = t.ngettext("That includes {n} report.", "That includes {n} reports.", 1)
    assert expected_report_line in done[0].text
    erased = done[0].text.split(expected_report_line)[0].strip()
    assert erased in {t.ngettext("Done: {n} item erased.", "Done: {n} items erased.", n)
                      for n in range(3, 10)}
    assert any(b.action == "go:check" for b in person.buttons())  # the menu follows

    assert count(harness, Report, person.user_key) == 0
    assert count(harness, UserPrefs, person.user_key) == 0
    assert count(harness, ConversationRow, person.user_key) == 0  # not written back afterwards
    # The person can carry on: the next message starts a fresh conversation.
    person.send("/safety")
    assert count(harness, ConversationRow, person.user_key) == 1


def test_delete_with_nothing_stored_counts_one_item(harness: Harness) -> None:
    t = get_translator("km")
    person = harness.person(language_code="km")
    person.send("/delete")
    done = person.press(privacy.ERASE_YES)
    assert done[0].text == t.ngettext("Done: {n} item erased.", "Done: {n} items erased.", 1)


def test_cancel_keeps_everything(harness: Harness) -> None:
    person = harness.person(language_code="vi")
    store_urgent_report(person)
    person.send("/delete")
    replies = person.press(privacy.ERASE_NO)
    assert replies[0].text == get_translator("vi").gettext(
        "Nothing was erased. What would you like to do?")
    assert count(harness, Report, person.user_key) == 1
    person.send("/delete")
    person.send("/cancel")
    assert count(harness, Report, person.user_key) == 1


def test_erasing_one_person_leaves_another_untouched(harness: Harness) -> None:
    keeper = harness.person(user_id=1, language_code="en")
    leaver = harness.person(user_id=2, language_code="en")
    store_urgent_report(keeper)
    store_urgent_report(leaver)
    leaver.send("/delete")
    leaver.press(privacy.ERASE_YES)
    assert count(harness, Report, keeper.user_key) == 1
    assert count(harness, Report, leaver.user_key) == 0


def test_confirmation_button_of_an_old_message_does_not_erase(harness: Harness) -> None:
    person = harness.person()
    store_urgent_report(person)
    person.send("/delete")
    old_version = person.last.version if person.last else 0
    person.send("/menu")
    replies = person.press(privacy.ERASE_YES, version=old_version)
    assert "earlier message" in replies[0].text
    assert count(harness, Report, person.user_key) == 1

