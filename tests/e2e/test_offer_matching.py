"""Offers matched against earlier reports, end to end: a lure reported by two people, then
pasted by a third with a new handle and a changed amount, is answered "very similar to an ad
2 people reported", in English, Vietnamese, Thai, Chinese and Khmer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from babel import Locale
from babel.dates import format_skeleton

from bot.ratelimit import TelegramRateLimiter
from emulator import Emulator
from locales.i18n import get_translator
from tests.e2e.conftest import BotAppFactory
from tests.e2e.test_contact_identity import report_offer
from tests.e2e.test_offer_contact_report import plain, say

# (the lure as first reported, the same lure with a new handle and amount)
LURES = {
    "en": ("URGENT hiring customer service staff in Sihanoukville! Salary 1500 USD per month, no "
           "experience needed. Free flight ticket, free accommodation and food. Travel on a tourist "
           "visa, we arrange the work permit later. Telegram @hr_lucky_job",
           "URGENT hiring customer service staff in Sihanoukville! Salary 2200 USD per month, no "
           "experience needed. Free flight ticket, free accommodation and food. Travel on a tourist "
           "visa, we arrange the work permit later. Telegram @new_boss_88"),
    "vi": ("Tuyển gấp nhân viên chăm sóc khách hàng tại Campuchia, lương 1500 USD/tháng, không cần "
           "kinh nghiệm, bao vé máy bay, bao ăn ở. Đi bằng visa du lịch, công ty lo giấy phép lao "
           "động sau. Liên hệ Telegram @tuyendung_kh",
           "Tuyển gấp nhân viên chăm sóc khách hàng tại Campuchia, lương 2000 USD/tháng, không cần "
           "kinh nghiệm, bao vé máy bay, bao ăn ở. Đi bằng visa du lịch, công ty lo giấy phép lao "
           "động sau. Liên hệ Telegram @viec_lam_99"),
    "th": ("รับสมัครด่วน พนักงานแอดมินออนไลน์ ทำงานที่กัมพูชา เงินเดือน 45000 บาท ไม่ต้องมี"
           "ประสบการณ์ มีที่พักและอาหารฟรี ออกค่าตั๋วเครื่องบินให้ ใช้วีซ่าท่องเที่ยวได้ "
           "ติดต่อเทเลแกรม @admin_job_th",
           "รับสมัครด่วน พนักงานแอดมินออนไลน์ ทำงานที่กัมพูชา เงินเดือน 60000 บาท ไม่ต้องมี"
           "ประสบการณ์ มีที่พักและอาหารฟรี ออกค่าตั๋วเครื่องบินให้ ใช้วีซ่าท่องเที่ยวได้ "
           "ติดต่อเทเลแกรม @hr_siam_77"),
    "zh_Hans": ("高薪急聘客服专员，工作地点柬埔寨西港，月薪15000元，无需经验，包机票包吃住，"
                "持旅游签证出境，工作签证到达后办理。联系飞机 @xigang_hr",
                "高薪急聘客服专员，工作地点柬埔寨西港，月薪20000元，无需经验，包机票包吃住，"
                "持旅游签证出境，工作签证到达后办理。联系飞机 @boss_kk_66"),
    "km": ("ជ្រើសរើសបុគ្គលិកបម្រើអតិថិជនបន្ទាន់ ធ្វើការនៅថៃ ប្រាក់ខែ 1500 ដុល្លារ មិនត្រូវការបទពិសោធន៍ "
           "មានកន្លែងស្នាក់នៅ និងអាហារឥតគិតថ្លៃ ចេញថ្លៃសំបុត្រយន្តហោះឱ្យ ទាក់ទង Telegram @job_kh_hr",
           "ជ្រើសរើសបុគ្គលិកបម្រើអតិថិជនបន្ទាន់ ធ្វើការនៅថៃ ប្រាក់ខែ 1800 ដុល្លារ មិនត្រូវការបទពិសោធន៍ "
           "មានកន្លែងស្នាក់នៅ និងអាហារឥតគិតថ្លៃ ចេញថ្លៃសំបុត្រយន្តហោះឱ្យ ទាក់ទង Telegram @kh_work_55"),
}
VERY = ("⚠️ <b>Very similar to an ad {n} person reported to us since {month}.</b> Scam recruiters "
        "reuse the same ad with a new name, number or amount.",
        "⚠️ <b>Very similar to an ad {n} people reported to us since {month}.</b> Scam recruiters "
        "reuse the same ad with a new name, number or amount.")


@pytest.fixture(autouse=True)
def quick_chat_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram's one message a second per chat would make each walk take ~10 s."""
    original = TelegramRateLimiter.__init__

    def init(self: TelegramRateLimiter, **kwargs: Any) -> None:
        kwargs["chat_per_second"] = 100.0
        original(self, **kwargs)

    monkeypatch.setattr(TelegramRateLimiter, "__init__", init)


@pytest.mark.parametrize("locale", sorted(LURES))
async def test_a_reused_lure_is_very_similar_to_an_ad_two_people_reported(
        emulator: Emulator, bot_app: BotAppFactory, locale: str) -> None:
    await bot_app()
    first, variant = LURES[locale]
    await report_offer(emulator.user(8101, language_code=locale), first)
    await report_offer(emulator.user(8102, language_code=locale), first)
    third = emulator.user(8103, language_code=locale)
    await say(third, "/check")
    [answer] = await say(third, variant)
    t = get_translator(locale)
    # Two reporters: since the year only (a month could point to one of so few).
    year = format_skeleton("y", datetime.now(UTC).date(), locale=Locale.parse(locale))
    expected = plain(t.ngettext(*VERY, 2, month=year))
    assert expected in answer.text, answer.text
    # Nothing of the earlier reports but the count and the year: not their handle.
    assert "@" + first.rsplit("@", 1)[1] not in answer.text
    assert not emulator.api_errors, emulator.api_errors


# Ads in scripts written without spaces between words, with a few spaces between phrases (as
# people write them): three to seven "words" once read every such ad as a short line, which
# only ever suggests ("somewhat similar"), however often it was reported.
SPACED_PHRASES = {
    "zh_Hans": "高薪招聘客服 柬埔寨西港 月薪两万包吃住 Telegram @xg_hr88 或 0912345678",
    "zh_Hant": "高薪徵才客服人員 柬埔寨西港 月薪兩萬包吃住 Telegram @tw_job88 或 0912345678",
    "th": "รับสมัครแอดมินด่วน ทำงานกัมพูชา เงินเดือนสี่หมื่นห้า มีที่พักฟรี ติดต่อ Telegram @th_job88",
}
VERY_REPORTED = ("⚠️ <b>Very similar to an ad {n} person reported to us since {month}.</b> Scam "
                 "recruiters reuse the same ad with a new name, number or amount.",
                 "⚠️ <b>Very similar to an ad {n} people reported to us since {month}.</b> Scam "
                 "recruiters reuse the same ad with a new name, number or amount.")


@pytest.mark.parametrize("locale", sorted(SPACED_PHRASES))
async def test_an_unspaced_script_ad_reported_by_three_people_is_very_similar(
        emulator: Emulator, bot_app: BotAppFactory, locale: str) -> None:
    await bot_app()
    ad = SPACED_PHRASES[locale]
    for user_id in (8201, 8202, 8203):
        await report_offer(emulator.user(user_id, language_code=locale), ad)
    fourth = emulator.user(8204, language_code=locale)
    await say(fourth, "/check")
    [answer] = await say(fourth, ad)
    t = get_translator(locale)
    # Three reporters: since the month (handlers.check_offer.MONTH_SHOWN_FROM_REPORTERS).
    month = format_skeleton("yMMMM", datetime.now(UTC).date(), locale=Locale.parse(locale))
    assert plain(t.ngettext(*VERY_REPORTED, 3, month=month)) in answer.text, answer.text
    assert not emulator.api_errors, emulator.api_errors


# An ad with one weak sign alone (a chat-app contact: low), reported by two people, then pasted by
# a third with a new handle: raised to high by the reports.
WEAK_AD = ("Restaurant in Dubai hiring waiters and cooks, salary 1200 USD a month, contract 2 years. "
           "Apply by Telegram {handle}")


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_an_ad_raised_by_reports_says_what_its_raised_level_says(
        emulator: Emulator, bot_app: BotAppFactory, locale: str) -> None:
    """The summary and the advice are those of the level shown: not, under "High risk", the low
    level's "we found no common warning sign" and its checks (as before the raise moved them)."""
    await bot_app()
    for user_id in (8301, 8302):
        await report_offer(emulator.user(user_id, language_code=locale),
                           WEAK_AD.format(handle="@dubai_rest_hr"))
    third = emulator.user(8303, language_code=locale)
    await say(third, "/check")
    [answer] = await say(third, WEAK_AD.format(handle="@dubai_jobs_77"))
    t = get_translator(locale)
    text = answer.text
    assert plain(t.gettext("🟠 <b>High risk</b>")) in text, text
    assert plain(t.gettext(
        "People reported a very similar ad to us. We advise you not to accept this offer before you "
        "have checked it.")) in text, text
    assert plain(t.gettext("<b>What to do now:</b>")) in text, text
    # The advice of high without compounds (no compound sign in the ad): fees, licence, reporting.
    for step in ("Do not pay a fee, deposit or 'processing' cost to get a job abroad.",
                 "Report this recruiter here so others are warned, and to your country's "
                 "anti-trafficking hotline."):
        assert plain(t.gettext(step)) in text, text
    # Nothing of the low level it had before the raise.
    for low in ("We found no common warning sign in this offer. That does not make it safe: fake "
                "job offers are written to look normal. Do these checks before you accept.",
                "The signs below alone do not show a fake job, but they are common in fake offers "
                "too. That does not make it safe: do these checks before you accept.",
                "<b>Still check:</b>"):
        assert plain(t.gettext(low)) not in text, text
    assert not emulator.api_errors, emulator.api_errors
