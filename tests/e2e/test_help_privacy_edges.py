"""Urgent help, safety cards, privacy and /delete, and the edge cases, through the real bot and
the Bot API emulator, in English, Khmer, Thai, Simplified Chinese and Vietnamese."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select
from telegram.ext import Application

from bot.alerts import AlertSender
from bot.config import Settings
from bot.services import services_of
from emulator import Emulator
from handlers import help_now, privacy, safety
from handlers.content import safety_cards
from handlers.countries import country_name
from handlers.router import CONVERSATION_TTL
from locales.i18n import get_translator
from screening.hotlines import hotline_directory
from screening.ocr import ERROR_MESSAGES
from storage.db import create_db_engine, session_scope
from storage.models import ConversationRow, Report
from storage.pseudonym import pseudonymise
from tests.e2e.conftest import BotAppFactory
from tests.e2e.test_offer_contact_report import (  # the walking helpers of the e2e suite
    actions,
    plain,
    press,
    quick_chat_limiter,
    say,
    settle,
)
from tests.emulator.conftest import png_bytes

STAFF_CHAT = -100777
__all__ = ["quick_chat_limiter"]  # autouse fixture: one message a second per chat is too slow here


def stored(settings: Settings, statement: str) -> list[tuple[object, ...]]:
    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(statement)).fetchall()]
    finally:
        engine.dispose()


async def deliver_alerts(application: Application) -> int:  # type: ignore[type-arg]
    """One round of the staff-alert sender (bot/alerts.py) that `run` starts in every
    instance; long polling in tests skips post_init, which would start it."""
    services = services_of(application)
    return await AlertSender(application.bot, services.engine, services.settings).run_once()


async def test_person_in_danger_alerts_staff_only_with_what_they_typed(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings) -> None:
    staff_group = emulator.group(STAFF_CHAT, title="lurecheck staff")
    application = await bot_app(staff_chat_id=STAFF_CHAT)
    t = get_translator("km")
    person = emulator.user(7100, first_name="Sokha", username="sokha_pp", language_code="km")

    [question] = await say(person, "/help_now")
    assert question.text == plain(t.gettext(
        "You are not alone. Are you, or someone you know, in danger right now?"))
    await press(person, help_now.WHO_SELF)
    [contacts] = await press(person, "cc:KH")  # contacts and tips in one message
    assert plain(t.gettext("Help in {country}", country=country_name("KH", "km"))) in contacts.text
    assert "117" in contacts.text
    assert t.gettext(hotline_directory().spoofing_warning.text) in contacts.text
    assert t.gettext("• If someone may check your phone, delete this chat when you are done.") \
        in contacts.text
    [embassy] = await press(person, "cc:KH")  # a Cambodian in Cambodia: no embassy to add
    assert actions(embassy) == [help_now.ALERT_YES, help_now.ALERT_NO]
    assert staff_group.messages == []  # nothing without a yes

    await press(person, help_now.ALERT_YES)
    done, offer = await say(person, "Call +855 12 777 888 <only after 22:00> & don't call back",
                            replies=2)
    assert actions(offer) == ["go:talk"]  # a person from the team can write here, if they want
    assert done.text == plain(t.gettext(
        "Your message is saved and on its way to the team. They will reach you the way you "
        "described. If you are in danger now, call a number above."))
    assert await deliver_alerts(application) == 1
    [alert] = staff_group.messages
    assert "Call +855 12 777 888 <only after 22:00> & don't call back" in alert.text
    assert "Sokha" not in alert.text and "sokha_pp" not in alert.text and "7100" not in alert.text
    assert not emulator.api_errors, emulator.api_errors


@pytest.mark.parametrize("locale", ["th", "zh_Hans"])
async def test_relative_reports_someone_held_and_later_erases_it(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings, locale: str) -> None:
    staff_group = emulator.group(STAFF_CHAT)
    application = await bot_app(staff_chat_id=STAFF_CHAT)
    t = get_translator(locale)
    person = emulator.user(7200, first_name="Mali", language_code=locale)

    await say(person, "/help_now")
    [nationality] = await press(person, help_now.WHO_OTHER)
    assert nationality.text.endswith(t.gettext("What is their nationality?"))
    await press(person, "cc:LA")
    await press(person, "cc:MM")
    await say(person, "Myawaddy, KK Park, near the Moei river")
    await press(person, "docs:passport")
    [contacts] = await press(person, "last:today")
    assert plain(t.gettext("Where they are: {country}", country=country_name("MM", locale))) \
        in contacts.text
    assert plain(t.gettext("Their home country: {country}", country=country_name("LA", locale))) \
        in contacts.text
    assert "199" in contacts.text and t.gettext("⚠ Not confirmed – check before relying on it.") \
        in contacts.text
    assert "1362" in contacts.text  # Lao Women's Union line, useful from home
    assert actions(contacts) == [help_now.ALERT_YES, help_now.ALERT_NO]

    await press(person, help_now.ALERT_YES)
    receipt, offer = await press(person, help_now.SKIP, replies=2)
    assert actions(offer) == ["go:talk"]
    engine = create_db_engine(e2e_settings.database_url)
    try:
        with session_scope(engine) as db:
            [report] = db.exec(select(Report)).all()
            assert (report.kind, report.country, report.language) == ("urgent_help", "MM", locale)
            assert "KK Park" in (report.narrative or "")
            code = report.receipt_code
    finally:
        engine.dispose()
    assert code in receipt.text
    assert await deliver_alerts(application) == 1
    [alert] = staff_group.messages
    assert code in alert.text and "KK Park" in alert.text

    # /delete goes straight to the question; erasing leaves nothing linked to the person.
    [confirm] = await say(person, "/delete")
    assert actions(confirm) == [privacy.ERASE_YES, privacy.ERASE_NO]
    [erased, menu] = await press(person, privacy.ERASE_YES, replies=2)
    assert t.ngettext("That includes {n} report.", "That includes {n} reports.", 1) in erased.text
    assert "go:help_now" in actions(menu)
    user_key = pseudonymise(person.id, key=e2e_settings.pseudonym_key)
    assert stored(e2e_settings, "SELECT * FROM report") == []
    for table, column in (("conversation", "user_key"), ("user_prefs", "user_key"),
                          ("rate_event", "user_key")):
        assert stored(e2e_settings, f"SELECT * FROM {table} WHERE {column} = '{user_key}'") == [], table
    assert not emulator.api_errors, emulator.api_errors


async def test_privacy_and_safety_cards(emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    t = get_translator("vi")
    person = emulator.user(7300, first_name="Lan", language_code="vi")
    [info] = await say(person, "/privacy")
    assert plain(t.gettext("What I store, and why")) in info.text
    assert actions(info) == [privacy.ERASE, "menu"]
    [kept] = await press(person, privacy.ERASE)
    [kept] = await press(person, privacy.ERASE_NO)
    assert kept.text == t.gettext("Nothing was erased. What would you like to do?")

    cards = safety_cards()
    [first] = await say(person, "/safety")
    assert first.text.startswith(t.gettext(cards[0].title))
    assert t.gettext(cards[0].body) in first.text
    assert actions(first) == [safety.PREVIOUS, safety.NEXT, "menu"]
    assert first.button_texts[:2] == [t.gettext("◀ Previous"), t.gettext("Next ▶")]
    [second] = await press(person, safety.NEXT)
    assert second.text.startswith(t.gettext(cards[1].title))
    [back] = await press(person, safety.PREVIOUS)
    assert back.text == first.text
    assert not emulator.api_errors, emulator.api_errors


async def test_edge_cases_through_the_real_stack(emulator: Emulator, bot_app: BotAppFactory,
                                                 e2e_settings: Settings) -> None:
    await bot_app(staff_chat_id=STAFF_CHAT)
    emulator.group(STAFF_CHAT)
    t = get_translator("th")
    person = emulator.user(7400, first_name="Niran", language_code="th")
    [question] = await say(person, "/help_now")
    await press(person, help_now.WHO_OTHER)
    await press(person, "cc:TH")
    [place_question] = await press(person, "cc:KH")

    # A photo without text in it or a caption: a hint, then the same question.
    before = len(person.messages)
    await person.send_photo(png_bytes())
    hint, again = await settle(person, before, 2)
    picture_hints = {t.gettext(message) for message in ERROR_MESSAGES.values()}
    assert hint.text in picture_hints | {t.gettext("I can only read text here.")}
    assert again.text == place_question.text

    # Very long text: asked to shorten, still at the same question.
    too_long, again = await say(person, "ก" * 3000, replies=2)
    assert too_long.text == t.gettext("That is a bit long. Please keep it under {limit} characters.",
                                      limit=t.number(help_now.MAX_FREE_TEXT_CHARS))
    assert again.text == place_question.text

    # An unknown command mid-flow.
    unknown, again = await say(person, "/frobnicate", replies=2)
    assert unknown.text == t.gettext("I don't know that command. Send /help to see what I can do; "
                                     "we can go on where we were.")
    assert again.text == place_question.text

    # An edit of an earlier message is not taken as the answer.
    sent = await person.send_text("Poipet")
    answered = await settle(person, len(person.messages), 1)
    assert answered[0].text == t.gettext("Were their passport or phone taken?")
    before = len(person.messages)
    await person.edit_message(sent, "Bavet")
    edited_note, again = await settle(person, before, 2)
    assert edited_note.text == t.gettext(
        "I saw that you changed a message. I go by what you first sent; if something changed, "
        "send it again as a new message.")
    assert again.text == t.gettext("Were their passport or phone taken?")

    # A button of an older message is answered kindly, not obeyed.
    before = len(person.messages)
    await person.press_button(question, 0)  # "I am in danger", from the first question
    stale, again = await settle(person, before, 2)
    assert stale.text == t.gettext("That button belongs to an earlier message. Here is where we are:")
    assert again.text == t.gettext("Were their passport or phone taken?")

    # /cancel from the middle: back to the menu, nothing stored.
    [stopped] = await say(person, "/cancel")
    assert stopped.text == t.gettext("Stopped. Nothing from that step was kept. What next?")
    assert stored(e2e_settings, "SELECT * FROM report") == []

    # Left for more than six hours: the next message closes it politely.
    await say(person, "/help_now")
    await press(person, help_now.WHO_SELF)
    user_key = pseudonymise(person.id, key=e2e_settings.pseudonym_key)
    engine = create_db_engine(e2e_settings.database_url)
    try:
        with session_scope(engine) as db:
            row = db.get(ConversationRow, user_key)
            assert row is not None and row.state == help_now.SELF_COUNTRY
            row.updated_at = row.updated_at - CONVERSATION_TTL - timedelta(minutes=5)
            db.add(row)
    finally:
        engine.dispose()
    expired, menu = await say(person, "hello", replies=2)
    assert expired.text == t.gettext(
        "It has been a while, so I closed our earlier conversation. Nothing unfinished was stored.")
    assert "go:help_now" in actions(menu)
    assert not emulator.api_errors, emulator.api_errors


async def test_group_chats_get_one_line_pointing_to_the_private_chat(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    group = emulator.group(-100900, title="Job seekers")
    member = emulator.user(7500, first_name="Ana", language_code="tl")
    await member.send_command("/help_now", chat=group)
    await member.send_text("Is this job real? 1500 USD, free flight, tourist visa", chat=group)
    await member.wait_until_settled(chat=group, quiet=0.3)
    [line] = group.messages  # the command gets one line; ordinary talk gets nothing
    t = get_translator("tl")
    assert line.text == t.gettext("To keep you safe, I only talk in a private chat. Open @{bot} and "
                                  "press Start.", bot=emulator.bot_username)
    assert member.messages == []  # nothing was pushed into the private chat either
    assert not emulator.api_errors, emulator.api_errors

