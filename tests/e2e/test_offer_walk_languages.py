"""Issue 14 (branch q-walk): the /check flow walked as a job seeker would, in their language, with
the person's country set as the start flow sets it. For each language: a lure of the q-rules
classes (a job abroad with free board or a seasonal-work broker and no licensed channel), the same
kind of offer through a named official channel, and an ordinary local job ad. Each reply's
headline, warning signs and advice must agree, and every line of the new messages must be in the
person's language."""

from __future__ import annotations

import pytest

from emulator import Emulator
from handlers import check_offer
from locales.i18n import get_translator
from screening import advice
from screening.assess import RiskLevel, assess_text
from tests.e2e.conftest import BotAppFactory
from tests.e2e.test_offer_contact_report import (  # noqa: F401 (quick_chat_limiter: autouse)
    plain,
    press,
    quick_chat_limiter,
    say,
)

PERKS_UNLICENSED = ("Together: a job abroad with free housing, food or a visa arranged, and no "
                    "licensed agency or government programme named. Recruitment for work abroad "
                    "outside licensed channels is the first warning sign authorities give.")
SEASONAL_UNLICENSED = ("Together: seasonal or farm work abroad offered with no government "
                       "programme or licensed agency named. Authorities say such offers from "
                       "brokers and companies are scams.")

# locale, the person's country, (lure, the combination it must show), an offer naming an official
# channel, an ordinary local job ad. The lures and official offers are worded as in
# tests/screening/test_plain_lures.py (tl and my, which have none there, from the words of the
# rules' own patterns: libreng pagkain at tirahan, DMW; နိုင်ငံခြား, နေစရာ စားစရာ အခမဲ့,
# အလုပ်သမားဝန်ကြီးဌာန); the local ads were written for this test.
WALKS = [
    ("en", "PH", ("Overseas hiring: cleaners for a hotel in Dubai, free food and accommodation, "
                  "apply now", PERKS_UNLICENSED),
     "Hiring cleaners for a hotel in Dubai through a DMW-licensed agency, free food and accommodation",
     "We are hiring a waiter for our restaurant in town. Send your CV by email."),
    ("vi", "VN", ("Tuyển lao động đi Nhật Bản, bao ăn ở miễn phí, liên hệ ngay", PERKS_UNLICENSED),
     "Trung tâm Dịch vụ việc làm tuyển lao động đi Nhật Bản, bao ăn ở miễn phí",
     "Quán cơm ở Hà Nội cần tuyển nhân viên phục vụ, làm ca sáng, lương thỏa thuận."),
    ("id", "ID", ("Lowongan kerja ke Korea Selatan dengan visa musiman, hubungi kami",
                  SEASONAL_UNLICENSED),
     "Sepupuku kerja jadi perawat di Dubai lewat agen resmi, majikannya bayarin tiket pesawat dan "
     "tempat tinggal",
     "Dicari karyawan toko di Bandung, lulusan SMA, kirim lamaran ke kantor kami."),
    ("th", "TH", ("รับสมัครคนงานไปออสเตรเลีย ทำวีซ่าเกษตรให้ สนใจติดต่อ", SEASONAL_UNLICENSED),
     "กรมการจัดหางานรับสมัครคนงานไปทำงานเกาหลี ที่พักฟรี อาหารฟรี",
     "ร้านอาหารในเชียงใหม่รับสมัครพนักงานเสิร์ฟ ส่งใบสมัครที่ร้าน"),
    ("zh_Hans", "CN", ("招聘酒店服务员，工作地点迪拜，包吃包住", PERKS_UNLICENSED),
     "对外劳务合作企业招聘酒店服务员，工作地点迪拜，包吃包住",
     "本店招聘收银员，工作地点北京朝阳区，请投简历。"),
    ("ko", "KR", ("일본 호텔 직원 모집, 숙식 제공, 지금 연락주세요", PERKS_UNLICENSED),
     "월드잡플러스 해외취업: 일본 호텔 직원 모집, 숙식 제공",
     "서울 식당 홀서빙 직원 모집, 월 250만원, 이력서 보내주세요."),
    ("hi", "IN", ("दुबई के होटल में नौकरी, रहना-खाना फ्री, तुरंत संपर्क करें", PERKS_UNLICENSED),
     "विदेश मंत्रालय के ई-माइग्रेट पोर्टल पर दुबई के होटल में नौकरी, रहना-खाना फ्री",
     "दिल्ली की दुकान में सेल्समैन की नौकरी, अपना बायोडाटा भेजें।"),
    ("tl", "PH", ("Hiring sa Dubai: waiter sa hotel, libreng pagkain at tirahan, mag-apply na",
                  PERKS_UNLICENSED),
     "Hiring sa Dubai sa pamamagitan ng DMW-licensed agency: waiter sa hotel, libreng pagkain at "
     "tirahan",
     "Hiring: cashier sa aming tindahan sa Quezon City, ipadala ang inyong resume."),
    ("my", "MM", ("နိုင်ငံခြား ဟိုတယ်အလုပ်ခေါ်သည်၊ နေစရာ စားစရာ အခမဲ့၊ ဆက်သွယ်ပါ", PERKS_UNLICENSED),
     "အလုပ်သမားဝန်ကြီးဌာနမှတစ်ဆင့် နိုင်ငံခြား ဟိုတယ်အလုပ်ခေါ်သည်၊ နေစရာ စားစရာ အခမဲ့",
     "ရန်ကုန်မြို့ စားသောက်ဆိုင်တွင် စားပွဲထိုး ဝန်ထမ်းခေါ်ယူသည်။ ဆိုင်သို့ လာရောက်လျှောက်ထားပါ။"),
    ("km", "KH", ("ជ្រើសរើសពលករទៅធ្វើការនៅអូស្ដ្រាលី ក្រុមហ៊ុនរៀបចំទិដ្ឋាការឱ្យ", PERKS_UNLICENSED),
     "ក្រសួងការងារ នឹងជ្រើសរើសពលករ ទៅធ្វើការតាមរដូវកាល នៅប្រទេសកូរ៉េ",
     "ហាងកាហ្វេនៅភ្នំពេញ ត្រូវការបុគ្គលិកលក់ ផ្ញើប្រវត្តិរូបមកហាង"),
]

HIGH_HEADLINES = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def _headline(locale: str, risk: RiskLevel) -> str:
    return plain(get_translator(locale).gettext(check_offer.RISK_HEADLINES[risk]))


@pytest.mark.parametrize(("locale", "country", "lure", "official", "local"), WALKS,
                         ids=[walk[0] for walk in WALKS])
async def test_a_lure_an_official_offer_and_a_local_ad_in_the_persons_language(
        emulator: Emulator, bot_app: BotAppFactory, locale: str, country: str,
        lure: tuple[str, str], official: str, local: str) -> None:
    await bot_app()
    t = get_translator(locale)
    person = emulator.user(17400 + [walk[0] for walk in WALKS].index(locale),
                           first_name="Lan", language_code=locale)
    await say(person, "/start")
    await press(person, "keep")
    await press(person, f"cc:{country}")
    warning_signs = plain(t.gettext("<b>Warning signs:</b>"))

    lure_text, combination = lure
    await say(person, "/check")
    [result] = await say(person, lure_text)
    assert result.text.startswith(tuple(_headline(locale, risk) for risk in HIGH_HEADLINES)), \
        result.text
    assert warning_signs in result.text
    # The combination (asserted found below, without the bot) is said as one line under the signs
    # that complete it; no compound place, route, scam work or confinement is in these lures, so
    # the reply speaks of a fake job, not of compounds (session 17, w-answer).
    assert t.gettext(advice.TOGETHER_FAKE_JOB) in result.text
    assert t.gettext(combination) not in result.text
    assert t.gettext(advice.SUMMARY_HIGH) not in result.text
    assert t.gettext(advice.ACT_DO_NOT_TRAVEL) not in result.text
    assert plain(t.gettext("<b>What to do now:</b>")) in result.text
    if locale != "en":
        # the person's language, not the English source
        assert advice.TOGETHER_FAKE_JOB not in result.text
    else:
        # The sign of free board, true of an ad that promises no visa ("housing, food or a visa").
        assert "food and a visa" not in result.text

    await say(person, "/check")
    [result] = await say(person, official)
    assert not result.text.startswith(tuple(_headline(locale, risk) for risk in HIGH_HEADLINES)), \
        result.text
    assert t.gettext(PERKS_UNLICENSED) not in result.text
    assert t.gettext(SEASONAL_UNLICENSED) not in result.text

    await say(person, "/check")
    [result] = await say(person, local)
    assert result.text.startswith(_headline(locale, RiskLevel.LOW)), result.text
    assert warning_signs not in result.text
    assert not emulator.api_errors, emulator.api_errors


def test_the_walks_lures_are_high_without_the_bot() -> None:
    """The lures above are high to the screening itself (so a failure of the walk is the bot's)."""
    for locale, country, (lure, combination), _official, _local in WALKS:
        assessment = assess_text(lure, lang=locale, country=country)
        assert assessment.risk in HIGH_HEADLINES, locale
        assert combination in [hit.message for hit in assessment.flags], locale


async def test_a_short_chinese_ad_is_checked_and_a_greeting_is_still_too_short(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    """A Chinese ad of 17 characters is a whole ad (each Han character is a word or a syllable):
    it was answered "too short" while the same ad in English (80 characters) was checked."""
    await bot_app()
    too_short = ("That is too short for me to check. Paste the whole job ad or the recruiter's "
                 "messages, or answer the questions instead.")
    for user_id, locale, text, checked in (
            (17501, "zh_Hans", "招聘酒店服务员，工作地点迪拜，包吃包住", True),
            (17502, "ko", "일본 호텔 직원 모집, 숙식 제공", True),
            (17503, "zh_Hans", "你好，帮我看看", False),
            (17504, "ko", "안녕하세요 도와주세요", False)):
        t = get_translator(locale)
        person = emulator.user(user_id, first_name="Lan", language_code=locale)
        await say(person, "/check")
        replies = await say(person, text)
        assert (t.gettext(too_short) not in replies[0].text) is checked, (locale, text)
    assert not emulator.api_errors, emulator.api_errors


PAID_TRAVEL = ("Together: a job in a country where scam compounds operate, with the journey or "
               "housing paid by the employer. This is how most people were brought to the compounds.")


@pytest.mark.parametrize(("locale", "country", "text"), [
    ("vi", "VN", "Tuyển nhân viên làm việc tại Campuchia, bao ăn ở miễn phí, liên hệ ngay"),
    ("th", "TH", "รับสมัครพนักงานไปทำงานที่กัมพูชา ที่พักฟรี อาหารฟรี ติดต่อด่วน"),
    ("hi", "IN", "कंबोडिया के होटल में नौकरी, रहना-खाना फ्री, तुरंत संपर्क करें"),
    ("my", "MM", "ကမ္ဘောဒီးယားနိုင်ငံ ဟိုတယ်အလုပ်ခေါ်သည်၊ နေစရာ စားစရာ အခမဲ့၊ ဆက်သွယ်ပါ"),
], ids=["vi", "th", "hi", "my"])
async def test_two_combinations_in_one_reply_are_said_once(
        emulator: Emulator, bot_app: BotAppFactory, locale: str, country: str, text: str) -> None:
    """A job in Cambodia with free board completes an older combination and a q-rules one: the
    reply lists the signs once and says in one line, of compounds, that together they weigh more
    (each combination's own message named alternatives that had not fired: session 17)."""
    await bot_app()
    t = get_translator(locale)
    person = emulator.user(17600 + ["vi", "th", "hi", "my"].index(locale), first_name="Lan",
                           language_code=locale)
    await say(person, "/start")
    await press(person, "keep")
    await press(person, f"cc:{country}")
    await say(person, "/check")
    [result] = await say(person, text)
    flags = [hit.message for hit in assess_text(text, lang=locale, country=country).flags]
    assert PAID_TRAVEL in flags and PERKS_UNLICENSED in flags
    lines = result.text.splitlines()
    assert t.gettext(PAID_TRAVEL) not in result.text and t.gettext(PERKS_UNLICENSED) not in result.text
    assert lines.count(t.gettext(advice.TOGETHER_COMPOUND)) == 1, result.text
    assert t.gettext(advice.SUMMARY_HIGH) in result.text or t.gettext(advice.SUMMARY_VERY_HIGH) in result.text
    bullets = [line for line in lines if line.startswith("• ")]
    assert len(bullets) == len(set(bullets)), result.text
    assert not emulator.api_errors, emulator.api_errors


# A person in the Philippines checking an English ad for Manila, or a Vietnamese speaker in
# Thailand checking one for Bangkok, was told "The job is in a country or town where scam
# compounds operate" and "Do not travel for this job": the destination signal read home from the
# language only. The person's country counts too now.
@pytest.mark.parametrize(("locale", "country", "text"), [
    ("en", "PH", "Hiring hotel staff in Manila, Philippines, free food and accommodation"),
    ("vi", "TH", "Tuyển nhân viên nhà hàng làm việc tại Bangkok, bao ăn ở miễn phí, liên hệ ngay"),
], ids=["en-PH-Manila", "vi-TH-Bangkok"])
def test_a_job_in_the_persons_own_country_is_not_a_compound_destination(
        locale: str, country: str, text: str) -> None:
    assert "compound_destination" not in assess_text(text, lang=locale, country=country).flag_ids
