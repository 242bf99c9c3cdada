"""Branch t-walk: /contact and /report walked as a person would, in their language, with their
country set as /start sets it. One contact, reported once by someone else, is looked up typed
three ways, inside a forwarded message, and together with a handle: every answer about it must be
the same line, in the person's language, counting the one reporter once."""

from __future__ import annotations

import pytest

from emulator import Emulator
from locales.i18n import get_translator, language_name
from tests.e2e.conftest import BotAppFactory
from tests.e2e.test_offer_contact_report import (  # noqa: F401 (quick_chat_limiter: autouse)
    plain,
    press,
    quick_chat_limiter,
    say,
    settle,
)

LOCALES = ["en", "vi", "id", "tl", "th", "my", "km", "hi", "zh_Hans", "ms", "lo", "ko", "zh_Hant"]
REPORTED = "⚠️ {contact}: reported by {n} person, not yet verified by our staff. Be very careful."
REPORTED_PLURAL = ("⚠️ {contact}: reported by {n} people, not yet verified by our staff. Be very "
                   "careful.")


@pytest.mark.parametrize("locale", LOCALES)
async def test_one_reported_contact_gets_one_answer_however_it_is_typed(
        emulator: Emulator, bot_app: BotAppFactory, locale: str) -> None:
    await bot_app()
    reporter = emulator.user(18100 + LOCALES.index(locale), first_name="Mai", language_code="en")
    await say(reporter, "/report")
    await press(reporter, "k:contact")
    [listed] = await say(reporter, "+855 96 555 1234 and @fastjob_hr")
    assert "@fastjob_hr" in listed.text  # both contacts of one message (it kept the number only)
    await press(reporter, "done")
    await press(reporter, "skip")
    await press(reporter, "skip")
    await press(reporter, "cc:KH")
    await press(reporter, "ok")
    await press(reporter, "no_notify")
    await press(reporter, "agree", replies=3)

    t = get_translator(locale)
    person = emulator.user(18200 + LOCALES.index(locale), first_name="Lan", language_code=locale)
    await say(person, "/start")
    await press(person, "keep")
    await press(person, "cc:KH")

    def line(contact: str) -> str:
        return plain(t.ngettext(REPORTED, REPORTED_PLURAL, 1, contact="<b>" + contact + "</b>"))

    number, handle = line("+855 96 555 1234"), line("@fastjob_hr")
    answers = []
    for typed in ("+855 96 555 1234", "096 555 1234", "855965551234"):
        await say(person, "/contact")
        [answer] = await say(person, typed)
        answers.append(answer.text)
    await say(person, "/contact")
    before = len(person.messages)
    await person.forward_text("Việc làm lương cao, liên hệ anh Dara 096 555 1234",
                              sender_name="Dara HR")
    [forwarded] = await settle(person, before, 1)
    assert answers == [number] * 3, answers
    assert forwarded.text == number, forwarded.text
    await say(person, "/contact")
    [both] = await say(person, "+855 96 555 1234 and @fastjob_hr")
    assert both.text == number + "\n\n" + handle, both.text
    if locale != "en":
        assert "reported by" not in both.text  # the person's language, not the English source
    assert not emulator.api_errors, emulator.api_errors


OFFERS = {
    "ko": ("캄보디아 고수익 해외 취업! 월급 3000달러, 경험 필요 없음, 항공권과 숙소 무료 제공. "
           "텔레그램 @kr_job_hr 로 연락주세요"),
    "zh_Hant": ("高薪誠聘客服專員，工作地點柬埔寨西港，月薪3000美元起，無需經驗，包吃包住，"
                "公司報銷機票。有意者請聯繫Telegram @tw_job_hr"),
    "ms": ("Kerja kosong di Kemboja! Gaji RM12,000 sebulan, tak perlu pengalaman, tiket kapal "
           "terbang dan penginapan percuma. Hubungi Telegram @my_job_hr sekarang"),
    "lo": ("ຮັບສະໝັກພະນັກງານບໍລິການລູກຄ້າ ເຮັດວຽກຢູ່ກຳປູເຈຍ ເງິນເດືອນ 1500 ໂດລາ ບໍ່ຕ້ອງມີປະສົບການ "
           "ມີທີ່ພັກ ແລະ ປີ້ຍົນຟຣີ ຕິດຕໍ່ Telegram @la_job_hr"),
}


@pytest.mark.parametrize("locale", sorted(OFFERS))
async def test_an_offer_pasted_from_an_english_telegram_is_answered_in_its_language(
        emulator: Emulator, bot_app: BotAppFactory, locale: str) -> None:
    """Branch w-walk: someone whose Telegram is in English (as it is where Telegram does not
    speak Lao) pastes an offer without /start: the red flags come in the offer's language, that
    language is offered, and once confirmed it is kept."""
    await bot_app()
    t = get_translator(locale)
    person = emulator.user(18300 + sorted(OFFERS).index(locale), first_name="Noy",
                           language_code="en")
    result, offered = await say(person, OFFERS[locale], replies=2)
    assert t.gettext("<b>Warning signs:</b>").replace("<b>", "").replace("</b>", "") \
        in result.text, result.text
    assert "Warning signs" not in result.text
    assert offered.text == plain(t.gettext("Shall we continue in {language}?",
                                           language=language_name(locale)))
    done, _again = await press(person, "lang:" + locale, replies=2)
    assert done.text == plain(t.gettext("Done. I will write to you in {language}.",
                                        language=language_name(locale)))
    [menu] = await say(person, "/menu")
    assert menu.text == plain(t.gettext("What would you like to do?"))
    assert not emulator.api_errors, emulator.api_errors
