"""Onboarding, menu, language and router behaviour, in process."""

from __future__ import annotations

import json

from bot.dispatch import LAST_STEP_KEY, LAST_STEP_PURPOSE, run_step
from handlers.types import Event, EventKind
from locales.i18n import get_translator
from storage.conversations import lock_conversation, lock_conversation_with_prefs, save_conversation
from storage.db import session_scope
from storage.prefs import get_prefs
from storage.sealing import seal
from tests.handlers.conftest import Harness, Person


def test_start_greets_in_telegram_language_and_confirms(harness: Harness) -> None:
    person = harness.person(language_code="th")
    replies = person.send("/start")
    th = get_translator("th")
    assert th.gettext("Shall we continue in {language}?", language="ไทย") in replies[0].text
    person.press("keep")
    with session_scope(harness.engine) as db:
        prefs = get_prefs(db, user_key=person.user_key)
        assert prefs is not None and prefs.locale == "th"
    # Then the country question; picking one stores it and shows the menu.
    assert any(b.action == "cc:KH" for b in person.buttons())
    person.press("cc:KH")
    assert any(b.action == "go:check" for b in person.buttons())
    with session_scope(harness.engine) as db:
        prefs = get_prefs(db, user_key=person.user_key)
        assert prefs is not None and prefs.country == "KH"


def test_returning_person_goes_straight_to_menu(harness: Harness) -> None:
    person = harness.person(language_code="en")
    person.send("/start")
    person.press("keep")
    person.press("skip")
    replies = person.send("/start")
    assert "Welcome back" in replies[0].text
    assert any(b.action == "go:report" for b in person.buttons())


def test_language_switch_is_remembered(harness: Harness) -> None:
    person = harness.person(language_code="en")
    person.send("/language")
    actions = [b.action for b in person.buttons()]
    assert "lang:km" in actions and "lang:zh_Hant" in actions
    assert "ខ្មែរ" in [b.text for b in person.buttons()]
    replies = person.press("lang:vi")
    vi = get_translator("vi")
    assert replies[0].text == vi.gettext("Done. I will write to you in {language}.",
                                         language="Tiếng Việt")
    with session_scope(harness.engine) as db:
        prefs = get_prefs(db, user_key=person.user_key)
        assert prefs is not None and prefs.locale == "vi"
    # The choice beats Telegram's language_code from now on.
    menu = person.send("/menu")
    assert menu[-1].text == vi.gettext("What would you like to do?")


def test_stale_button_is_answered_kindly(harness: Harness) -> None:
    person = harness.person()
    person.send("/start")
    first_version = person.last.version if person.last else 0
    person.press("keep")
    replies = person.press("keep", version=first_version)
    assert "earlier message" in replies[0].text


def test_unknown_command_keeps_the_person_where_they_were(harness: Harness) -> None:
    person = harness.person()
    person.send("/start")
    person.press("keep")
    replies = person.send("/frobnicate")
    assert "don't know that command" in replies[0].text
    with session_scope(harness.engine) as db:
        row = lock_conversation(db, user_key=person.user_key)
        assert (row.flow, row.state) == ("onboarding", "ask_country")


def test_nothing_identifying_is_stored(harness: Harness) -> None:
    person = harness.person(user_id=987654321)
    person.send("/start")
    person.press("keep")
    with harness.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM conversation").fetchall()
        rows += connection.exec_driver_sql("SELECT * FROM user_prefs").fetchall()
    assert rows
    assert "987654321" not in repr(rows)


def _keep_pressed(person: Person, *, update_id: int) -> Event:
    """The "keep" button of the language question, pressed in the update `update_id` (run
    directly, so that the same update can be delivered twice)."""
    return Event(kind=EventKind.BUTTON, user_key=person.user_key, chat_id=person.user_id,
                 button="keep", button_version=person.last.version if person.last else 0,
                 telegram_language="en", update_id=update_id)


def test_a_step_kept_the_old_way_is_still_resent_on_redelivery(harness: Harness) -> None:
    # Kept replies were sealed on their own inside the (sealed) conversation before they were
    # kept as plain JSON in it: a row written so before an upgrade still answers a re-delivery.
    person = harness.person()
    person.send("/start")
    press = _keep_pressed(person, update_id=778)
    first = run_step(harness.services, press)
    keys = harness.services.settings.seal_keys
    with session_scope(harness.engine) as db:
        row, _ = lock_conversation_with_prefs(db, user_key=person.user_key, seal_key=keys)
        kept = row.data[LAST_STEP_KEY]
        assert kept["update_id"] == 778 and isinstance(kept["replies"], list)
        kept["replies"] = seal(json.dumps(kept["replies"]).encode(), key=keys,
                               purpose=LAST_STEP_PURPOSE)
        save_conversation(db, row=row, seal_key=keys)
    again = run_step(harness.services, press)
    assert [(r.text, r.buttons) for r in again.replies] == [
        (r.text, r.buttons) for r in first.replies]
    assert again.version == first.version  # the step ran once


def test_redelivered_update_is_not_stepped_twice(harness: Harness) -> None:
    person = harness.person()
    person.send("/start")
    press = _keep_pressed(person, update_id=777)
    first = run_step(harness.services, press)
    again = run_step(harness.services, press)
    assert [r.text for r in again.replies] == [r.text for r in first.replies]
    assert [r.buttons for r in again.replies] == [r.buttons for r in first.replies]
    assert again.version == first.version  # the step ran once
    with session_scope(harness.engine) as db:
        row = lock_conversation(db, user_key=person.user_key)
        assert (row.flow, row.state) == ("onboarding", "ask_country")
