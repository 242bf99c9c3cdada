"""Local numbers are never silently dropped: read with the person's country, else with the
country their language points to, else the person is asked; a bare word is not a handle."""

from __future__ import annotations

import pytest

from locales.i18n import get_translator
from tests.handlers.conftest import Harness

OFFERS = {
    "vi": ("Tuyển nhân viên chăm sóc khách hàng lương 1500 USD, không cần kinh nghiệm, bao vé "
           "máy bay. Liên hệ Zalo 0912 345 678", "+84 912 345 678"),
    "th": ("รับสมัครพนักงาน เงินเดือน 50000 บาท ไม่ต้องมีประสบการณ์ ติดต่อไลน์ 081 234 5678",
           "+66 81 234 5678"),
    "id": ("Lowongan kerja admin gaji 20 juta tanpa pengalaman, tiket pesawat gratis. "
           "WA 0812 3456 7890", "+62 812-3456-7890"),
    "tl": ("Hiring call center agent, 60,000 pesos a month, no experience needed, libreng "
           "pamasahe. Text 0917 123 4567", "+63 917 123 4567"),
    "my": ("ထိုင်းနိုင်ငံတွင် အလုပ်ခေါ်နေသည်၊ လစာ ၁၅၀၀ ဒေါ်လာ၊ အတွေ့အကြုံမလိုပါ။ ဆက်သွယ်ရန် 09 420 123 456",
           "+95 9 42012 3456"),
}


@pytest.mark.parametrize("locale", sorted(OFFERS))
def test_a_local_number_is_read_with_the_language_country(harness: Harness, locale: str) -> None:
    offer, shown = OFFERS[locale]
    person = harness.person(31, language_code=locale)
    person.send("/check")
    [result] = person.send(offer)
    assert shown in result.text


def test_with_no_country_and_no_language_the_person_is_asked(harness: Harness) -> None:
    person = harness.person(32, language_code="en")
    person.send("/check")
    [result] = person.send("Hiring staff in Sihanoukville, salary 1500 USD, no experience "
                           "needed. Zalo 0912 345 678")
    assert "0912 345 678" in result.text and "country code" in result.text
    person.send("/contact")
    [answer] = person.send("0912 345 678")
    assert answer.text.startswith("I found a number without a country code")


def test_hello_is_not_the_handle_hello(harness: Harness) -> None:
    person = harness.person(33, language_code="th")
    person.send("/contact")
    [answer] = person.send("hello")
    t = get_translator("th")
    assert answer.text == t.gettext(
        "“{word}” alone is not a contact I can check. If you mean the Telegram account, send it "
        "with @: <code>{handle}</code>", word="hello", handle="@hello")


def test_a_local_number_the_persons_country_cannot_read_is_asked_about(harness: Harness) -> None:
    """Someone in Thailand (chosen at /start) checks a Korean ad with a Korean mobile number,
    010-5555-1234: not a Thai number, so it was dropped without a word (only the @handle was
    listed). It is asked about, as when no country is known; a Thai number is still read."""
    ko = get_translator("ko")
    person = harness.person(34, language_code="ko")
    person.send("/start")
    person.press("keep")
    person.press("cc:TH")
    person.send("/check")
    [result] = person.send("캄보디아 고수익 해외 취업! 월급 3000달러, 경험 필요 없음, 항공권과 숙소 무료 "
                           "제공. 텔레그램 @kr_job_hr 또는 010-5555-1234 로 연락주세요")
    assert "010-5555-1234" in result.text, result.text
    assert ko.gettext("I found a number without a country code ({numbers}) and I do not know "
                      "which country it is from. Send it again with the country code, for "
                      "example <code>+84 912 345 678</code> for Viet Nam or <code>+66 81 234 "
                      "5678</code> for Thailand.",
                      numbers="<code>010-5555-1234</code>") in result.text
    person.send("/contact")
    [thai] = person.send("081 234 5678")
    assert "+66 81 234 5678" in thai.text and "010" not in thai.text


def test_a_local_whatsapp_number_the_country_reads_is_not_asked_about(harness: Harness) -> None:
    """"WhatsApp 012-345 6789" from someone in Malaysia is read as a WhatsApp number: listed,
    and not asked about as a number from an unknown country as well."""
    person = harness.person(35, language_code="ms")
    person.send("/start")
    person.press("keep")
    person.press("cc:MY")
    person.send("/check")
    [result] = person.send("Kerja kosong di Kemboja! Gaji RM12,000 sebulan, tak perlu pengalaman, "
                           "tiket kapal terbang percuma. Hubungi WhatsApp 012-345 6789 sekarang")
    assert "+60 12-345 6789" in result.text
    assert "<code>012-345 6789</code>" not in result.text, result.text
