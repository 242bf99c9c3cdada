"""Perks listed together, pay by the week, interpreting work (issue 14, branch r-plain2): the classes
of screening/data/SOURCES.md "Perks listed together, pay by the week, interpreting work".

A list of perks joined by a middle dot, a slash, a comma or "and" shares one verb: every item of
"항공권·숙소 전액 지원" is paid. The lines are written for this test from the class; none is a corpus
text.
"""

from __future__ import annotations

import pytest

from screening import money
from screening.assess import RiskLevel, assess_text
from screening.rules import default_rules, normalise_for_matching

HIGH = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def _found(rule_id: str, text: str) -> bool:
    rule = default_rules().get(rule_id)
    assert rule is not None
    return rule.search(normalise_for_matching(text))


@pytest.mark.parametrize("text", [
    "숙식·항공 제공",
    "숙식 및 항공 전액 지원",
    "기숙사, 식사, 왕복 항공 회사 부담",
    "มีที่พัก อาหาร ตั๋วเครื่องบินให้",
    "ที่พัก/อาหาร/ตั๋วเครื่องบิน ฟรี",
    "ฟรีที่พัก อาหาร 3 มื้อ ตั๋วเครื่องบิน",
    "บินฟรี",
    "bao ăn ở, đi lại",
    "vé máy bay, ăn ở do công ty lo",
    "食宿、机票全包",
    "提供住宿、三餐及往返机票",
    "रहना खाना और टिकट फ्री",
    "रहना, खाना, टिकट सब कंपनी देगी",
    "flight/hotel/meals covered",
    "airfare and accommodation provided",
    "the company covers flight & hotel",
    "libre ang ticket, bahay at pagkain",
    "tiket, mess dan makan ditanggung",
    "សំបុត្រយន្តហោះ ស្នាក់នៅ អាហារ ក្រុមហ៊ុនចេញ",
    "ຟຣີທີ່ພັກ ອາຫານ ປີ້ຍົນ",
    "လေယာဉ်လက်မှတ်၊ နေစရာ၊ စားစရာ ကုမ္ပဏီက ကျခံ",
])
def test_a_flight_in_a_list_of_perks_is_paid(text: str) -> None:
    assert _found("employer_pays_flight", text)


@pytest.mark.parametrize("text", [
    "숙소 및 항공권 지원",
    "항공·숙소 제공",
    "bao vé máy bay và chỗ ở",
    "包机票和住宿",
    "फ्री टिकट और रहना",
    "free flight, hotel and meals",
    "libre pamasahe at accommodation",
    "ປີ້ຍົນ ແລະ ທີ່ພັກ ບໍລິສັດອອກໃຫ້",
])
def test_lodging_in_a_list_of_perks_is_provided(text: str) -> None:
    assert _found("perks_bundle", text)


@pytest.mark.parametrize("text", [
    "항공권·숙소는 본인 부담입니다",
    "항공권·숙소 지원 불가",
    "flights and accommodation paid by the worker",
    "flight and accommodation not covered",
    "travel insurance included",
    "vé máy bay, ăn ở tự túc",
    "机票、食宿自理",
    "机票和住宿不包",
    "टिकट और रहना खुद का होगा",
    "ค่าตั๋ว ที่พัก ผู้สมัครออกเอง",
    "Ticket at tirahan ay sagot mo",
    "សំបុត្រយន្តហោះ ស្នាក់នៅ អាហារ ចេញថ្លៃខ្លួនឯង",
    "ປີ້ຍົນ ທີ່ພັກ ອອກເອງ",
])
def test_a_list_the_worker_pays_for_is_not_a_perk(text: str) -> None:
    assert not _found("employer_pays_flight", text)


@pytest.mark.parametrize(("lang", "text"), [
    ("ko", "통역 알바 구합니다. 주 100만원. 숙식·항공 제공. 단순 업무."),
    ("th", "รับล่ามภาษาจีน รายได้สัปดาห์ละ 15,000 บาท มีที่พัก อาหาร ตั๋วเครื่องบินให้ งานสบาย"),
    ("hi", "कस्टमर सर्विस की जॉब, प्रति सप्ताह 25000 रुपये, रहना खाना और टिकट फ्री, अनुभव जरूरी नहीं"),
    ("en", "Translator wanted, $400 per week, flight/hotel/meals covered, simple work."),
])
def test_plain_offers_with_listed_perks_are_high(lang: str, text: str) -> None:
    assert assess_text(text, lang=lang).risk in HIGH


@pytest.mark.parametrize(("text", "period"), [
    ("주 100만원", "week"),
    ("주당 100만원", "week"),
    ("lương tuần 7 triệu", "week"),
    ("साप्ताहिक वेतन 25000 रुपये", "week"),
    ("प्रति सप्ताह 25000 रुपये", "week"),
    ("weekly salary $400", "week"),
    # The working week before a month's pay is not the pay's period.
    ("6 days a week, salary 20,000 pesos", None),
    ("주 5일 300만원", None),
    ("làm 6 ngày một tuần, lương 8 triệu", None),
    ("kerja 6 hari setiap minggu gaji Rp3 juta", None),
])
def test_pay_by_the_week_named_before_the_amount(text: str, period: str | None) -> None:
    pays = money.read_pay(text)
    assert [pay.period for pay in pays] == [period]


def test_interpreting_as_a_gig_is_vague_work() -> None:
    assert _found("vague_job_language_skills", "중국어 통역 알바")
    assert not _found("vague_job_language_skills", "통역사 자격증 소지자")
