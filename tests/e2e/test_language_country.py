"""The person's country and the language, end to end through the emulator: what the bot passes
to the language reader once someone said where they are (the bench's 'en+country' column), and
the Malay offer to an Indonesian Telegram in Malaysia (handlers/onboarding.py)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.config import Settings
from emulator import Emulator
from handlers import check_offer, menu, onboarding, report
from locales.i18n import get_translator, language_name
from screening import assess
from screening.language import detect_language
from storage.db import create_db_engine, session_scope
from storage.models import Report, UserPrefs
from tests.e2e.conftest import BotAppFactory
from tests.e2e.test_offer_contact_report import (  # noqa: F401 (quick_chat_limiter: autouse)
    actions,
    plain,
    press,
    quick_chat_limiter,
    report_contact,
    say,
)

OFFER = ("Kerja di kedai makan, gaji RM2500 sebulan, tempat tinggal disediakan. Hubungi kami "
         "di WhatsApp untuk temu duga minggu ini.")
# Good Malay and good Indonesian alike: the person's country decides.
BOTH_STANDARDS = "Di mana kamu tinggal sekarang? Mereka ambil pasport saya."


def _stored(settings: Settings) -> tuple[list[str | None], list[tuple[str | None, str | None]]]:
    engine = create_db_engine(settings.database_url)
    try:
        with session_scope(engine) as db:
            return ([prefs.locale for prefs in db.exec(select(UserPrefs)).all()],
                    [(row.country, row.language) for row in db.exec(select(Report)).all()])
    finally:
        engine.dispose()


async def test_the_language_reader_gets_the_country_onboarding_recorded(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str | None, str | None]] = []
    for module in (assess, check_offer, menu, onboarding, report):
        def spy(text: str, *, hint: str | None = None, country: str | None = None,
                _name: str = module.__name__) -> str | None:
            calls.append((_name, hint, country))
            return detect_language(text, hint=hint, country=country)
        monkeypatch.setattr(module, "detect_language", spy)
    await bot_app()
    person = emulator.user(7401, first_name="Aina", language_code="en")
    await say(person, "/start")
    await press(person, onboarding.KEEP_LANGUAGE)
    await press(person, onboarding.COUNTRY_PREFIX + "MY")

    calls.clear()
    await say(person, "/check")
    [result] = await say(person, OFFER)
    assert "report" in actions(result)
    assert calls == [("screening.assess", "en", "MY")]

    calls.clear()
    await report_contact(person, "@kk_agent_my", story=BOTH_STANDARDS, when="skip", replies=3)
    # The scam happened in Cambodia; the person, in Malaysia, wrote Malay.
    assert sorted(calls) == [("handlers.report", "en", "MY"), ("screening.assess", "en", "MY")]
    assert _stored(e2e_settings)[1] == [("KH", "ms")]
    assert not emulator.api_errors, emulator.api_errors


async def test_indonesian_telegram_in_malaysia_is_offered_malay_once(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings) -> None:
    await bot_app()
    id_, ms = get_translator("id"), get_translator("ms")
    person = emulator.user(7402, first_name="Siti", language_code="id")
    [greeting] = await say(person, "/start")
    assert id_.gettext("Shall we continue in {language}?", language="Bahasa Indonesia") in greeting.text
    await press(person, onboarding.KEEP_LANGUAGE)
    menu_reply, offer = await press(person, onboarding.COUNTRY_PREFIX + "MY", replies=2)
    assert menu_reply.text == id_.gettext("Thank you. What would you like to do?")
    assert offer.text == id_.gettext("Would you rather I write in {language}?",
                                     language="Bahasa Melayu")
    assert offer.button_texts == ["Bahasa Melayu",
                                  id_.gettext("Keep {language}", language="Bahasa Indonesia")]
    assert actions(offer) == ["lang:ms", "lang:id"]

    done, menu_in_malay = await press(person, "lang:ms", replies=2)
    assert done.text == ms.gettext("Done. I will write to you in {language}.",
                                   language=language_name("ms"))
    assert menu_in_malay.text == ms.gettext("What would you like to do?")
    assert _stored(e2e_settings)[0] == ["ms"]
    # Remembered: a later /start welcomes back in Malay, and asks nothing.
    replies = await say(person, "/start")
    assert [reply.text for reply in replies] == [ms.gettext("Welcome back. What would you like to do?")]

    # Someone else keeps Indonesian: kept, and the offer's buttons were the last question.
    other = emulator.user(7403, first_name="Rina", language_code="id")
    await say(other, "/start")
    await press(other, onboarding.KEEP_LANGUAGE)
    await press(other, onboarding.COUNTRY_PREFIX + "MY", replies=2)
    [kept, _menu] = await press(other, "lang:id", replies=2)
    assert kept.text == id_.gettext("Done. I will write to you in {language}.",
                                    language=language_name("id"))
    assert sorted(str(locale) for locale in _stored(e2e_settings)[0]) == ["id", "ms"]
    assert plain(id_.gettext("Welcome back. What would you like to do?")) == \
        (await say(other, "/start"))[0].text
    assert not emulator.api_errors, emulator.api_errors
