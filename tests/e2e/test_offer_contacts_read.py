"""The contacts the bot reads out of an offer, through the real bot and the emulator (branch
w-contacts): a word after a platform's name is not answered as a contact, and a ministry's site in
the offer is shown as an official address to check the offer with, in the person's language."""

from __future__ import annotations

from emulator import Emulator
from locales.i18n import get_translator
from tests.e2e.conftest import BotAppFactory
from tests.e2e.test_offer_contact_report import plain, say, settle

# As a Malaysian news report printed the ad, with a ministry's site added to it.
OFFER = ("Jobs advertised on WhatsApp, Telegram and WeChat: salaries in the range of RM5,000 a "
         "month, free flight and accommodation, work in Cambodia. Licensed, see www.dmw.gov.ph "
         "and message @cambo_jobs_hr")
GOVERNMENT_LINE = ("ℹ️ {contact} is an official government address, not the recruiter's own "
                   "contact. You can check this offer with that office: find its phone number on "
                   "its website yourself, never in the offer.")


async def test_offer_contacts_are_real_contacts_and_a_ministry_is_official(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    t = get_translator("th")
    person = emulator.user(7310492866, first_name="Nok", language_code="th")
    await say(person, "/check")
    before = len(person.messages)
    await person.send_text(OFFER)
    [result] = await settle(person, before, 1)
    assert plain(t.gettext(GOVERNMENT_LINE, contact="<b>dmw.gov.ph</b>")) in result.text
    assert "@cambo_jobs_hr" in result.text
    shown_contacts = result.text.split(plain(t.gettext("<b>Contacts in this offer:</b>")), 1)[1]
    assert "salaries" not in shown_contacts
