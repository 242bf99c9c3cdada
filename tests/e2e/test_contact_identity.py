"""One contact, one identity, end to end: a contact reported in one spelling or channel and
checked in another gets the same answer (the issue's scenario both ways, a t.me link against
an @handle, an EVM wallet in two cases), through the emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from emulator import DEFAULT_TOKEN, Emulator
from emulator.users import SimulatedUser
from locales.i18n import get_translator
from storage.testing import migrated_schema, migrated_sqlite_file
from tests.e2e.conftest import E2E_PSEUDONYM_KEY, BotAppFactory
from tests.e2e.test_offer_contact_report import (  # noqa: F401 (quick_chat_limiter: autouse)
    finish_report,
    plain,
    press,
    quick_chat_limiter,
    report_contact,
    say,
)
from tests.storage.conftest import postgres_base_url

WALLET = "0x52908400098527886E0F7030069857D2E4169EE7"


@pytest.fixture(params=["sqlite", "postgresql"])
def e2e_settings(request: pytest.FixtureRequest, tmp_path: Path,
                 emulator: Emulator) -> Iterator[Settings]:
    """The bot's settings on each engine (overrides the SQLite-only fixture of conftest)."""
    def settings(url: str) -> Settings:
        return Settings(telegram_bot_token=DEFAULT_TOKEN, database_url=url,
                        secret_key=E2E_PSEUDONYM_KEY, data_dir=tmp_path,
                        telegram_api_url=emulator.url)
    if request.param == "sqlite":
        migrated_sqlite_file(tmp_path / "e2e.sqlite3")
        yield settings(f"sqlite:///{tmp_path / 'e2e.sqlite3'}")
        return
    with migrated_schema(postgres_base_url(), prefix="e2e") as url:
        yield settings(url)


async def report_offer(user: SimulatedUser, offer: str) -> None:
    """/check an offer, then "report this recruiter" with what the check found."""
    await say(user, "/check")
    await say(user, offer)
    await press(user, "report")
    await finish_report(user)


def reported_by(n: int, contact: str) -> str:
    t = get_translator("en")
    return plain(t.ngettext(
        "⚠️ {contact}: reported by {n} person, not yet verified by our staff. Be very careful.",
        "⚠️ {contact}: reported by {n} people, not yet verified by our staff. Be very careful.",
        n, contact=f"<b>{contact}</b>"))


async def check(user: SimulatedUser, text: str) -> str:
    await say(user, "/contact")
    [answer] = await say(user, text)
    return answer.text


OFFER = ("Hiring customer service staff in Sihanoukville, salary 1500 USD, no experience needed, "
         "free flight. WhatsApp +855 97 123 4567")


async def test_an_offer_reported_with_whatsapp_is_found_by_its_plain_number(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    await report_offer(emulator.user(7001, language_code="en"), OFFER)
    answer = await check(emulator.user(7002, language_code="en"), "+855 97 123 4567")
    assert reported_by(1, "+855 97 123 4567") in answer
    answer = await check(emulator.user(7003, language_code="en"), "https://wa.me/855971234567")
    assert reported_by(1, "+855 97 123 4567") in answer
    assert not emulator.api_errors, emulator.api_errors


async def test_a_plain_number_reported_twice_is_found_through_whatsapp_and_viber(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    await report_contact(emulator.user(7011, language_code="en"), "+855 97 123 4567")
    await report_contact(emulator.user(7012, language_code="en"), "wa.me/855971234567")
    for user_id, spelling in ((7013, "WhatsApp +855971234567"),
                              (7014, "viber://chat?number=%2B855971234567"),
                              (7015, "+855 97 123 4567")):
        answer = await check(emulator.user(user_id, language_code="en"), spelling)
        assert reported_by(2, "+855 97 123 4567") in answer, (spelling, answer)
    assert not emulator.api_errors, emulator.api_errors


async def test_a_telegram_link_and_a_handle_are_one_account(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    await report_contact(emulator.user(7021, language_code="en"), "https://t.me/HR_Amy_KK")
    assert reported_by(1, "@hr_amy_kk") in await check(emulator.user(7022), "@hr_amy_kk")
    await report_contact(emulator.user(7023, language_code="en"), "@Hr_Amy_kk")
    assert reported_by(2, "@hr_amy_kk") in await check(emulator.user(7024), "telegram.me/hr_amy_kk")
    # A bare word is not the handle: the person is asked, nothing is looked up.
    hint = await check(emulator.user(7025), "hr_amy_kk")
    assert "@hr_amy_kk" in hint and "reported" not in hint


async def test_an_evm_wallet_in_two_cases_is_one_wallet(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    await report_contact(emulator.user(7031, language_code="en"), WALLET)
    await report_contact(emulator.user(7032, language_code="en"), WALLET.lower())
    for user_id, spelling in ((7033, WALLET), (7034, WALLET.lower())):
        answer = await check(emulator.user(user_id), spelling)
        assert reported_by(2, WALLET) in answer, answer
