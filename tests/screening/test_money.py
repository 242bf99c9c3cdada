"""Pay as people write it (screening.money): amounts, currencies, periods, and the verdict."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening import money, places
from screening.money import (
    PayAmount,
    asks_for_experience,
    default_tables,
    origin_countries_for,
    parse_tables,
    pay_assessment,
    read_money,
    read_pay,
)

DATA = Path(money.__file__).resolve().parent / "data"


def one(text: str, **kwargs: Any) -> PayAmount:
    pays = read_pay(text, **kwargs)
    assert len(pays) == 1, f"{text!r} -> {pays}"
    return pays[0]


def amounts(text: str, **kwargs: Any) -> list[tuple[float, str]]:
    return [(pay.amount, pay.currency) for pay in read_pay(text, **kwargs)]


# --- formats ---------------------------------------------------------------------------

# (text, language, amount, currency, period): the formats the issue lists, in context.
FORMATS: list[tuple[str, str | None, float, str, str | None]] = [
    ("Salary 1.200 USD, customer service", "en", 1200, "USD", None),
    ("月入2万，包吃住", "zh_Hans", 20000, "CNY", "month"),
    ("西港客服 月薪2万5 包吃住", "zh_Hans", 25000, "CNY", "month"),
    ("सैलरी 50 हजार रुपये", "hi", 50000, "INR", None),
    ("gaji RM4,500, tanpa pengalaman", "ms", 4500, "MYR", None),
    ("gaji Rp 12 juta", "id", 12_000_000, "IDR", None),
    ("รายได้ 80,000 บาท", "th", 80000, "THB", None),
    ("고객상담 월 350만 원", "ko", 3_500_000, "KRW", "month"),
    ("lương 25 triệu", "vi", 25_000_000, "VND", None),
    ("25 triệu", "vi", 25_000_000, "VND", None),
    ("CSR sahod ₱60k", "tl", 60000, "PHP", None),
    ("$900", None, 900, "USD", None),
    ("Work in Cambodia, 1500$", "en", 1500, "USD", None),
    ("lương 1,000-1,500 USD/tháng", "vi", 1500, "USD", "month"),
    ("เงินเดือน 3 หมื่น", "th", 30000, "THB", "month"),
    ("เงินเดือน ๓๐,๐๐๐ บาท", "th", 30000, "THB", "month"),
    ("ប្រាក់ខែ ៨០០ ដុល្លារ", "km", 800, "USD", "month"),
    ("ເງິນເດືອນ ໑໒໐໐ ໂດລາ", "lo", 1200, "USD", "month"),
    ("လစာ ၁၂၀၀ ဒေါ်လာ", "my", 1200, "USD", "month"),
    ("सैलरी १२०० डॉलर", "hi", 1200, "USD", None),
    ("विदेश में नौकरी, 1.5 लाख महीना", "hi", 150_000, "INR", "month"),
    ("Dubai job, 2 lakh salary", "hi", 200_000, "INR", None),
    ("gaji 500 ribu per hari", "id", 500_000, "IDR", "day"),
    ("gaji 8rb/jam", "id", 8000, "IDR", "hour"),
    ("kerja CS di Poipet, gaji 15jt", "id", 15_000_000, "IDR", None),
    ("lương 500 ngàn/ngày", "vi", 500_000, "VND", "day"),
    ("lương 800 nghìn một ngày", "vi", 800_000, "VND", "day"),
    ("Kitchen staff in Makati, 18k/month", "en", 18000, "PHP", "month"),
    ("月薪8千", "zh_Hans", 8000, "CNY", "month"),
    ("月薪1.5万元", "zh_Hans", 15000, "CNY", "month"),
    ("月薪台幣8萬起", "zh_Hant", 80000, "TWD", "month"),
    ("월급 3천 달러", "ko", 3000, "USD", "month"),
    ("한 달에 천만원 넘게 번대", "ko", 10_000_000, "KRW", "month"),
    ("연봉 1억원", "ko", 100_000_000, "KRW", "year"),
    ("salary 1500 USDT", "en", 1500, "USDT", None),
    ("月薪1500U起", "zh_Hans", 1500, "USDT", "month"),
    ("ប្រាក់ខែ 1500 ដុល្លារ", "km", 1500, "USD", "month"),
    ("ເງິນເດືອນ 1200 ໂດລາ", "lo", 1200, "USD", "month"),
    ("လစာ 1000 ဒေါ်လာ", "my", 1000, "USD", "month"),
    ("सैलरी 1200 डॉलर", "hi", 1200, "USD", None),
    ("月薪1200美金", "zh_Hans", 1200, "USD", "month"),
    ("월급 1000달러", "ko", 1000, "USD", "month"),
    ("1600 đô/tháng", "vi", 1600, "USD", "month"),
    ("เดือนละ 1,600 ดอลลาร์", "th", 1600, "USD", "month"),
    ("Gaji 1000-1400 dolar per bulan", "id", 1400, "USD", "month"),
    ("gaji USD900 sebulan", "ms", 900, "USD", "month"),
    ("1000-1400 USD kada buwan", "tl", 1400, "USD", "month"),
    ("1000-1400 डॉलर प्रति माह", "hi", 1400, "USD", "month"),
    ("363 បាតក្នុងមួយថ្ងៃ", "km", 363, "THB", "day"),
    ("ປະມານ 1600 ໂດລາ ຕໍ່ເດືອນ", "lo", 1600, "USD", "month"),
    ("တစ်လ 1600 ဒေါ်လာ", "my", 1600, "USD", "month"),
    ("ខែ 1600 ដុល្លារ", "km", 1600, "USD", "month"),
    ("日薪363泰铢", "zh_Hans", 363, "THB", "day"),
    ("时薪150元", "zh_Hans", 150, "CNY", "hour"),
    ("年薪120萬", "zh_Hant", 1_200_000, "TWD", "year"),
    ("lương 363 baht/ngày", "vi", 363, "THB", "day"),
    ("ค่าแรงวันละ 450 บาท", "th", 450, "THB", "day"),
    ("시급 10,030원", "ko", 10030, "KRW", "hour"),
    ("$15/hr", "en", 15, "USD", "hour"),
    ("$400 a week", "en", 400, "USD", "week"),
    ("salary 12 LPA", "hi", 1_200_000, "INR", "year"),
    ("Salary PHP 35,000–42,000", "en", 42000, "PHP", None),
    ("gaji 20-25 juta dong per bulan", "id", 25_000_000, "VND", "month"),
    ("월 2000만~2500만 동", "ko", 25_000_000, "VND", "month"),
    ("월급 2000-2500万越南盾", "zh_Hans", 25_000_000, "VND", "month"),
    ("सैलरी 2-2.5 करोड़ वियतनामी डोंग", "hi", 25_000_000, "VND", None),
    ("ဒေါင် သန်း ၂၀-၂၅", "my", 25_000_000, "VND", None),
    ("လစာ ၃ သိန်းခွဲ", "my", 350_000, "MMK", "month"),
    ("ເງິນເດືອນ 2.500.000 ກີບ", "lo", 2_500_000, "LAK", "month"),
    ("ເງິນເດືອນ 3 ລ້ານກີບ", "lo", 3_000_000, "LAK", "month"),
    ("salary NT$27,470", "tl", 27470, "TWD", None),
    ("lương cơ bản 160.000 yên", "vi", 160_000, "JPY", None),
    ("Salary SAR 5,000", "tl", 5000, "SAR", None),
    ("搵工 觀塘倉務員 月薪$17,000", "zh_Hant", 17000, "HKD", "month"),
    ("월급 1k 달러", "ko", 1000, "USD", "month"),
    ("lương 1tr2", "vi", 1_200_000, "VND", None),
    ("lương 8 triệu rưỡi", "vi", 8_500_000, "VND", None),
    ("一个月两万多", "zh_Hans", 20000, "CNY", "month"),
    ("一個月賺十幾萬", "zh_Hant", 100_000, "TWD", "month"),
    ("月入过万", "zh_Hans", 10000, "CNY", "month"),
    # issue 14, the plainest lures: two adjacent numerals are a range read at its upper end,
    # 數萬 ("tens of thousands") at least two ten-thousands (r-pay: it was 10,000), 만 after a bare
    # number of 한달
    ("到西南边境境外去，在赌场工作，月收入五六千", "zh_Hans", 6000, "CNY", "month"),
    ("月薪七八千", "zh_Hans", 8000, "CNY", "month"),
    ("一個月三四萬", "zh_Hant", 40000, "TWD", "month"),
    ("廣西北海月薪數萬、包吃包住", "zh_Hant", 20000, "TWD", "month"),
    ("“원격근무 가능”, “한달 500만 원 보장”", "ko", 5_000_000, "KRW", "month"),
    ("월 오백만원", "ko", 5_000_000, "KRW", "month"),
    # Han and Hangul units in a row after digits (issue 14, q-rules): 6백만 was read as 6백, in dollars
    ("캄보디아 취업: 월 6백만 원 이상 급여", "ko", 6_000_000, "KRW", "month"),
    ("연봉 1억 2천만원", "ko", 120_000_000, "KRW", "year"),
    ("월 1천2백만원", "ko", 12_000_000, "KRW", "month"),
    ("月薪3百万元", "zh_Hans", 3_000_000, "CNY", "month"),
    ("เงินเดือน สามหมื่นห้าพันบาท", "th", 35000, "THB", "month"),
    ("gaji Rp 5,5 juta", "id", 5_500_000, "IDR", None),
    ("gaji 1,5 juta", "id", 1_500_000, "IDR", None),
    ("Salary Rs 1,50,000", "hi", 150_000, "INR", None),
    ("lương 15.000.000đ", "vi", 15_000_000, "VND", None),
    # "Several" of a unit: the least the words can mean (r-pay).
    ("thu nhập hàng trăm triệu đồng/tháng", "vi", 200_000_000, "VND", "month"),
    ("thu nhập vài chục triệu mỗi tháng", "vi", 20_000_000, "VND", "month"),
    ("gaji puluhan juta per bulan", "id", 20_000_000, "IDR", "month"),
    ("월 수천만 원 고수익 보장", "ko", 20_000_000, "KRW", "month"),
    ("月薪数万，轻松工作", "zh_Hans", 20_000, "CNY", "month"),
    ("เงินเดือนหลายแสนบาท", "th", 200_000, "THB", "month"),
    # "việc nhẹ lương cao": "cao" after the pay word is "high", not a height.
    ("Việc nhẹ lương cao 1 triệu/ngày", "vi", 1_000_000, "VND", "day"),
    ("रोज़ 2000 रुपये कमाएं", "hi", 2000, "INR", "day"),
    ("800 सऊदी रियाल मासिक वेतन", "hi", 800, "SAR", "month"),
]


@pytest.mark.parametrize(("text", "language", "amount", "currency", "period"), FORMATS)
def test_formats(text: str, language: str | None, amount: float, currency: str, period: str | None) -> None:
    pay = one(text, language=language)
    assert pay.amount == pytest.approx(amount)
    assert pay.currency == currency
    assert pay.period == period


def test_ranges_keep_both_ends_and_share_units() -> None:
    pay = one("lương 25-30tr", language="vi")
    assert (pay.minimum, pay.amount) == (25_000_000, 30_000_000)
    pay = one("Salary $1,000-$1,500 monthly", language="en")
    assert (pay.minimum, pay.amount, pay.currency, pay.period) == (1000, 1500, "USD", "month")
    pay = one("月薪25-35K", language="zh_Hans")
    assert (pay.minimum, pay.amount) == (25000, 35000)
    pay = one("18k–22k monthly", language="tl")
    assert (pay.minimum, pay.amount, pay.currency) == (18000, 22000, "PHP")
    pay = one("từ 1000 đến 1500 USD", language="vi")
    assert (pay.minimum, pay.amount) == (1000, 1500)


@pytest.mark.parametrize("text", ["Salary up to $1,500", "月薪最高1500美金", "सैलरी 1500 डॉलर तक",
                                  "Gaji sampai $1.500", "월급 최대 1500달러", "Lương tới 1500$"])
def test_up_to(text: str) -> None:
    pay = one(text)
    assert pay.amount == 1500 and pay.up_to


def test_span_covers_the_amount_as_written() -> None:
    text = "💰 Salary: $1,200-1,800/month, free visa"
    pay = one(text)
    assert text[pay.span[0]:pay.span[1]] == "$1,200-1,800/month" == pay.text
    text = "เงินเดือน ๓๐,๐๐๐ บาท"  # Thai digits: spans are into the text as given
    pay = one(text)
    assert text[pay.span[0]:pay.span[1]] == "๓๐,๐๐๐ บาท"


def test_monthly_usd_uses_the_rates_and_periods() -> None:
    tables = default_tables()
    pay = one("lương 26 triệu", language="vi")
    assert pay.monthly_usd == pytest.approx(26_000_000 / tables.rates["VND"])
    pay = one("ค่าแรงวันละ 450 บาท", language="th")
    assert pay.monthly_usd == pytest.approx(450 / tables.rates["THB"] * tables.thresholds.per_month["day"])
    pay = one("연봉 6000만원", language="ko")
    assert pay.monthly_usd == pytest.approx(60_000_000 / tables.rates["KRW"] / 12)


def test_bare_amounts_take_the_plausible_currency_of_the_language() -> None:
    assert amounts("lương 800", language="vi") == [(800, "USD")]  # 800 dong is no wage
    assert amounts("lương 8 triệu", language="vi") == [(8_000_000, "VND")]
    assert amounts("ប្រាក់ខែ 300", language="km") == [(300, "USD")]
    assert amounts("ប្រាក់ខែ 1,200,000", language="km") == [(1_200_000, "KHR")]
    assert amounts("Salary 18,000, Makati") == [(18000, "PHP")]  # English: the place decides
    assert amounts("Salary 18,000") == []  # English, no place: the currency cannot be told
    assert amounts("Salary 18,000", country="PH") == [(18000, "PHP")]
    assert not one("lương 8 triệu", language="vi").currency_stated


def test_language_is_guessed_without_a_hint() -> None:
    assert amounts("เงินเดือน 15,000") == [(15000, "THB")]
    assert amounts("월급 250만") == [(2_500_000, "KRW")]
    assert amounts("工资6000") == [(6000, "CNY")]
    assert amounts("薪水 38,000 有勞健保") == [(38000, "TWD")]
    assert amounts("gaji 5 juta, bisa langsung kerja") == [(5_000_000, "IDR")]


def test_fees_are_money_but_not_pay() -> None:
    text = "Game tester job, salary 1000 USD. Just pay deposit $200 for the ticket booking."
    assert [(m.amount, m.kind) for m in read_money(text)] == [(1000, "pay"), (200, "fee")]
    assert amounts(text) == [(1000, "USD")]
    for text in ("Processing fee USD 300", "先交500押金", "cọc trước 5 triệu", "선입금 50만원",
                 "จ่ายแค่ค่าลงทะเบียน 5,000 บาท", "စရံငွေ ၅ သိန်း", "बस 5000 रजिस्ट्रेशन के दो",
                 "If you don't go you pay back the 500 dollars for the ticket", "3 triệu phí đăng ký"):
        assert read_pay(text) == [], text
        assert read_money(text) and read_money(text)[0].kind == "fee", text
    # the fee word belongs to the next amount
    assert [(m.amount, m.kind) for m in read_money("誠徵 客服 月薪1200U 報名費5000", language="zh_Hant")] == \
        [(1200, "pay"), (5000, "fee")]


def test_per_task_pay_is_not_a_month() -> None:
    pay = one("Loker guru privat, Rp 100rb per pertemuan")
    assert pay.per_task and pay.period is None
    assert pay_assessment([pay], origin_countries=["ID"]) is None
    trip = one("tiền công 5 triệu đồng/chuyến", language="vi")
    assert trip.per_task and trip.period is None


def test_a_height_is_still_not_money_after_cao() -> None:
    assert [pay.amount for pay in read_pay("yêu cầu cao 1m60, lương 8 triệu", language="vi")] == [8_000_000]
    assert read_pay("cao 160, nặng 50", language="vi") == []


# --- not money -------------------------------------------------------------------------

NOT_MONEY = [
    "Call 0912 345 678 for details",
    "Hotline: 1900 1234",
    "zalo 0900000000",
    "WhatsApp wa.me/85620000000",
    "Telegram @hr_lucky_fake88",
    "+855 12 345 678",
    "Founded in 2019",
    "Salary 2024",
    "Interview on 12/05/2024",
    "ngày 15/3 phỏng vấn",
    "2024年3月15日面试",
    "3월 15일 면접",
    "Ages 18-30",
    "18-30 tuổi",
    "อายุ 18-30 ปี",
    "Usia 18-30",
    "18-30岁",
    "cao 1m60, nặng 50kg",
    "height 160cm",
    "Tuyển 20 người",
    "Need 5 people",
    "招聘10人",
    "직원 5명 구해요",
    "ต้องการ 5 คน",
    "8:00-17:00",
    "9am–3pm",
    "8.00-16.00 น.",
    "50% commission",
    "hoa hồng 10%",
    "Room 301, 3rd floor",
    "số 12 Hàng Bè",
    "12 hrs/day",
    "26 days/month",
    "must type 30 wpm",
    "3 years experience",
    "hợp đồng 3 tháng",
    "하루 16시간 일하고",
    "JTKSM licence no. 0000-FAKE",
    "tidak perlu lewat P3MI",
    "日文N2以上",
    "police freed 200 foreigners",
    "ប៉ូលិសបានជួយសង្គ្រោះជនបរទេស ២០០ នាក់",
    "5G phone, 4K video",
    "수백 명이 지원했다",
    "数十人被解救",
    "giao hàng triệu đơn mỗi ngày",
]


@pytest.mark.parametrize("text", NOT_MONEY)
def test_not_money(text: str) -> None:
    assert read_money(text) == []


def test_amount_next_to_an_address_is_read_alone() -> None:
    text = "Office at 123 Nguyen Trai street, District 1. Lương 9 triệu, phỏng vấn tại số 12"
    assert amounts(text, language="vi") == [(9_000_000, "VND")]


def test_text_without_numbers_is_skipped() -> None:
    assert read_money("Việc nhẹ lương cao, chỉ cần biết đánh máy") == []
    assert read_money("") == []


# --- property tests --------------------------------------------------------------------

# Zero of each script's digits: ASCII, Thai, Lao, Khmer, Myanmar, Devanagari, full-width.
ZEROS = (0x30, 0x0E50, 0x0ED0, 0x17E0, 0x1040, 0x0966, 0xFF10)


def in_script(number: str, zero: int) -> str:
    return "".join(chr(zero + int(char)) if char.isdigit() else char for char in number)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(ZEROS))
def test_digits_of_every_script_read_the_same(value: int, zero: int) -> None:
    text = f"salary {in_script(str(value), zero)} USD"
    assert amounts(text) == [(value, "USD")]


def group(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator)


def indian(value: int) -> str:
    digits = str(value)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *pairs, tail])


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999),
       st.sampled_from([",", ".", "'", "\u00a0", "\u202f", " ", "", "indian"]),
       st.sampled_from(["{} USD", "USD {}", "${}", "{}$", "salary {} dollars", "Rp {}", "{} บาท"]))
def test_any_separator_style_reads_back(value: int, separator: str, template: str) -> None:
    written = indian(value) if separator == "indian" else group(value, separator)
    text = template.format(written)
    read = read_money(text)
    assert [m.amount for m in read] == [value], (text, read)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=9))
def test_decimal_comma_and_point_with_a_magnitude(whole: int, tenth: int) -> None:
    expected = (whole + tenth / 10) * 1_000_000
    for text in (f"gaji {whole},{tenth} juta", f"gaji {whole}.{tenth} juta", f"lương {whole}tr{tenth}"):
        pay = one(text)
        assert pay.amount == pytest.approx(expected), text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_never_breaks_the_reader(text: str) -> None:
    for pay in read_money(text):
        assert 0 <= pay.span[0] < pay.span[1] <= len(text)
        assert pay.amount > 0 and pay.monthly_usd >= 0


# --- origins, experience (the countries named: tests/screening/test_places.py) ----------

def test_origin_countries_for() -> None:
    assert origin_countries_for("vi") == ("VN",)
    assert origin_countries_for("zh_Hant") == ("TW", "HK")
    assert origin_countries_for("zh-HK") == ("HK",)
    assert origin_countries_for("en") == ()
    assert origin_countries_for("en", "ke") == ("KE",)
    assert origin_countries_for(None) == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("Software Engineer, 3+ years experience", True),
    ("Registered Nurse, PRC licence required", True),
    ("English teacher, Bachelor + TEFL", True),
    ("tuyển kế toán, 3 năm kinh nghiệm", True),
    ("ประสบการณ์ 2 ปีขึ้นไป", True),
    ("Python 后端开发 三年经验", True),
    ("경력 3년 이상", True),
    ("Python developer, 3 saal experience", True),
    ("No experience needed, free food", False),
    ("không cần kinh nghiệm", False),
    ("免經驗 包吃包住", False),
])
def test_asks_for_experience(text: str, expected: bool) -> None:
    assert asks_for_experience(text) is expected


# --- the verdict -----------------------------------------------------------------------

def verdict(text: str, language: str | None = None, *, country: str | None = None) -> money.PayVerdict | None:
    return pay_assessment(read_pay(text, language=language),
                          origin_countries=origin_countries_for(language, country),
                          destination_countries=places.countries_named(text),
                          skilled=asks_for_experience(text))


def test_customer_service_in_cambodia_at_1200_is_far_above_market() -> None:
    result = verdict("Customer Service Representative, Cambodia – Sihanoukville, $1,200/month", "en")
    assert result is not None and result.far_above
    assert (result.country, result.basis) == ("KH", "destination")
    assert result.monthly_usd == 1200 and result.reference_usd == pytest.approx(250)
    assert result.ratio == pytest.approx(4.8) and result.threshold == 3.0


def test_real_jobs_in_the_destination_are_not() -> None:
    for text, language in (
            ("Hotel in Phnom Penh hiring a receptionist, USD 350/month", "en"),
            ("ក្រុមហ៊ុនទូរគមនាគមន៍ នៅភ្នំពេញ ប្រាក់ខែ ៤០០$", "km"),
            ("Call centre in Bangkok, 22,000 THB", "en"),
            ("Kitchen helper in Makati, 18k/month", "en"),
            ("ຮ້ານອາຫານໃນວຽງຈັນ ເງິນເດືອນ 3 ລ້ານກີບ", "lo")):
        result = verdict(text, language)
        assert result is not None and not result.far_above, (text, result)


@pytest.mark.parametrize(("text", "language"), [
    ("XKLĐ Hàn Quốc (EPS), lương 1.800 USD/tháng", "vi"),
    ("Hiring: factory worker sa Taiwan, DMW accredited agency, salary NT$27,470", "tl"),
    ("Đơn hàng XKLĐ Nhật Bản, lương cơ bản 160.000 yên", "vi"),
    ("Kerja di Korea Selatan lewat EPS, gaji 2000 USD per bulan", "id"),
])
def test_legal_jobs_in_korea_taiwan_japan_are_not_far_above_market(text: str, language: str) -> None:
    result = verdict(text, language)
    assert result is not None and result.basis == "destination" and not result.far_above, result
    assert result.origin_ratio is not None and result.origin_ratio > 1  # well above home pay, still legal


def test_a_country_without_a_wage_row_falls_back_to_the_origin() -> None:
    # English: no origin known either -> no verdict.
    # (Saudi Arabia has no minimum wage covering migrant workers: no wage row.)
    assert verdict("Registered nurse for a Riyadh hospital, Saudi Arabia. Salary $3,000/month", "en") is None
    # A Filipino nurse: judged against the Philippines only, and as skilled work.
    result = verdict("Registered nurse for a Riyadh hospital, Saudi Arabia. Salary $3,000/month", "en",
                     country="PH")
    assert result is not None and result.basis == "origin" and result.country == "PH"
    assert result.threshold == 10.0 and not result.far_above


def test_origin_only_is_judged_at_the_higher_ratio() -> None:
    high = verdict("Việc làm nước ngoài lương 50 triệu, không cần qua trung tâm", "vi")
    assert high is not None and high.basis == "origin" and high.threshold == 4.0 and high.far_above
    low = verdict("Việc làm nước ngoài lương 10 triệu", "vi")
    assert low is not None and not low.far_above
    assert verdict("Remote job, $900/month", "en") is None  # English and no place: unknown


def test_pay_in_one_country_s_money_is_judged_there_when_no_place_is_named() -> None:
    # English has no home country: ringgit say the job is paid in Malaysia (RM7,000 = 3.5x RM2,000).
    result = verdict("Customer service officers wanted, RM7,000 a month", "en")
    assert result is not None and (result.country, result.basis) == ("MY", "destination") and result.far_above
    # Ringgit in an Indonesian ad: the job is in Malaysia, at what such work pays there.
    there = verdict("Lowongan kerja di Facebook, gaji 1.200 ringgit", "id")
    assert there is not None and there.country == "MY" and not there.far_above and there.ordinary
    # The person's own money says nothing about where the job is: still judged at home.
    home = verdict("Việc làm lương 50 triệu", "vi")
    assert home is not None and home.basis == "origin"
    # Nor do US dollars (Cambodia's wage currency, and every lure's).
    assert verdict("Customer service, $1,500 a month", "en") is None


def test_a_lump_sum_beside_a_stated_monthly_pay_is_not_a_month() -> None:
    # IM Japan: 25-30 million dong a month; a one-off grant of about 170 million dong on return.
    text = ("Thời gian đi làm việc tại Nhật Bản 3-5 năm với mức lương hợp đồng 25-30 triệu đồng mỗi tháng. "
            "Lao động về nước đúng hạn được hỗ trợ một triệu yên (khoảng 170 triệu đồng).")
    result = verdict(text, "vi")
    assert result is not None and result.pay.amount == 30_000_000 and not result.far_above
    # "Up to" without a period is the ceiling of the stated pay, still judged.
    ceiling = verdict("Customer service in Bangkok, salary $800/month, up to $3,000 with commission", "en")
    assert ceiling is not None and ceiling.pay.amount == 3000 and ceiling.far_above
    # Without any stated period, amounts are still taken as monthly pay.
    alone = verdict("Việc làm nước ngoài lương 50 triệu", "vi")
    assert alone is not None and alone.far_above


def test_vietnamese_dong_paid_is_a_fee() -> None:
    pays = read_money("lương 40 triệu đồng/tháng, sau khi có visa phải đóng thêm tổng cộng 10.000 USD",
                      language="vi")
    assert [(p.amount, p.kind) for p in pays] == [(40_000_000, "pay"), (10_000, "fee")]


def test_several_destinations_use_the_highest_reference() -> None:
    result = verdict("WORK ABROAD Thailand / Cambodia / Malaysia. Salary up to $1,500", "en")
    assert result is not None and result.country == "MY"
    assert result.far_above  # 1500 / 448 > 3


def test_the_home_country_named_beside_another_place_is_not_where_the_job_is() -> None:
    # A Tagalog DMW notice for hotels in Croatia and Slovenia (no wage row) names the Philippines as
    # the recruiting side: its euros were judged against Manila's wages (8x, far above).
    notice = money.assess_pay("Kailangan ng Croatia ng 3,000 Pinoy workers, ang pagkuha ay gagawin ng "
                              "Pilipinas at Croatia. Sa Slovenia, nasa €1,500 to €2,500.", language="tl")
    assert notice is not None and notice.country != "PH" and not notice.far_above
    # A lure naming the person's country and a compound country is judged against the compound market.
    lure = money.assess_pay("Người Việt Nam sang Campuchia làm việc, lương 34 triệu đồng/tháng",
                            language="vi")
    assert lure is not None and lure.country == "KH" and lure.far_above
    # Home the only place named: the job is there, judged where it is.
    home = money.assess_pay("Tuyển nhân viên tại Hà Nội, Việt Nam, lương 8 triệu/tháng", language="vi")
    assert home is not None and home.country == "VN" and home.basis == "destination"


def test_yen_sign_where_japan_is_the_place() -> None:
    pays = read_pay("Filipino drivers in Japan earn an average of ¥200,000 a month", language="en")
    assert [p.currency for p in pays] == ["JPY"]
    # In Chinese the sign is the yuan unless yen is named, even for a job in Japan.
    assert [p.currency for p in read_pay("日本工作，月薪¥15000", language="zh_Hans")] == ["CNY"]


@pytest.mark.parametrize(("text", "lang"), [
    ("Hiring: staff nurses for Saudi Arabia, sahod SAR 8,000 - 12,000 kada buwan, libre ang tirahan.", "tl"),
    ("Perawat untuk Arab Saudi, gaji SAR 8.000 per bulan, tiket dan akomodasi gratis.", "id"),
    ("सऊदी अरब में नर्सों की भर्ती, वेतन 1.8 लाख रुपये प्रति माह, मुफ्त टिकट", "hi"),
    ("Jururawat ke Arab Saudi, gaji SAR 9,000 sebulan, penginapan percuma.", "ms"),
    ("Kuwait Ministry of Health, hiring nurses, sahod KWD 600 kada buwan, libre ang tirahan.", "tl"),
    ("Hiring Filipino nurses for hospitals in the United States, salary $6,000 to $8,000 a month.", "tl"),
])
def test_nurses_in_the_gulf_are_judged_by_what_nurses_are_paid_there(text: str, lang: str) -> None:
    # The Gulf has no minimum wage row: without the nursing sector these were judged against the
    # nurse's home wages (5-10x, far above). wages.json sectors.nursing cites what hospitals pay.
    verdict = money.assess_pay(text, language=lang)
    assert verdict is not None and not verdict.far_above and verdict.within_destinations
    assert "nursing" in money.sectors_named(text)


@pytest.mark.parametrize(("text", "lang"), [
    # The sector's pay does not travel: a job that is not nursing, or a nurse's pay beyond the cited
    # upper bound, or a place without a row for the sector (a compound country) is judged as before.
    ("Waitress for a hotel in Saudi Arabia, sahod SAR 8,000 kada buwan, libre ang tirahan.", "tl"),
    ("Staff nurses for Saudi Arabia, salary SAR 40,000 a month.", "tl"),
    ("Perawat untuk Kamboja, gaji Rp 30 juta per bulan, tiket gratis.", "id"),
])
def test_the_nursing_range_applies_only_to_nurses_where_it_is_cited(text: str, lang: str) -> None:
    verdict = money.assess_pay(text, language=lang)
    assert verdict is not None and verdict.far_above


def test_a_country_nurses_are_sent_from_is_not_the_job_s_place() -> None:
    # English has no home country: the Philippines named beside Saudi Arabia is where the nurses come
    # from (wages.json sectors.nursing.sent_from), and SAR 8,000 is what Saudi hospitals pay.
    notice = money.assess_pay("The DMW said Saudi Arabia's Ministry of Health will hire 500 nurses from the "
                              "Philippines, monthly salary SAR 4,110 to SAR 8,000.", language="en")
    assert notice is not None and not notice.far_above and notice.within_destinations
    # A compound country is never a sending country here: named beside Saudi Arabia, pay is judged there.
    lure = money.assess_pay("Nurses needed in Cambodia and Saudi Arabia, salary SAR 8,000 per month.",
                            language="en")
    assert lure is not None and lure.far_above and not lure.within_destinations


def test_sector_words_are_whole_words() -> None:
    assert money.sectors_named("Perawatan mobil, gaji Rp 5 juta") == ()  # car maintenance
    assert money.sectors_named("Cleaner at โรงพยาบาล Bangkok") == ()  # a hospital, not a nurse
    assert money.sectors_named("간호사 모집") == ("nursing",)


@pytest.mark.parametrize(("text", "lang"), [
    ("lương cơ bản 29.500 Đài tệ/tháng", "vi"), ("gaji 30.000 dolar Taiwan per bulan", "id"),
    ("เงินเดือน 29,500 ดอลลาร์ไต้หวัน", "th"), ("salary of 27,000 Taiwanese dollars a month", "en"),
    ("월급 3만 대만 달러", "ko"), ("वेतन 30,000 ताइवान डॉलर", "hi"),
])
def test_taiwan_dollars_by_name(text: str, lang: str) -> None:
    assert [p.currency for p in read_pay(text, language=lang)] == ["TWD"]


def test_sectors_data_cite_sources() -> None:
    document = load("wages.json")
    for name, sector in document["sectors"].items():
        if name == "why":
            continue
        assert sector["words"], name
        for code, row in sector["countries"].items():
            assert row["sources"] and row["basis"], (name, code)
            assert all(s["url"].startswith("http") and s["title"] for s in row["sources"]), (name, code)
            assert 0 < row["monthly_local_min"] <= row["monthly_local_max"], (name, code)
    broken = copy.deepcopy(document)
    del broken["sectors"]["nursing"]["countries"]["SA"]["sources"]
    with pytest.raises(money.MoneyDataError):
        parse_tables(broken, load("currencies.json"))


def test_the_highest_plausible_pay_is_judged() -> None:
    pays = read_money("Salary 1000 USD + bonus 200 USD, deposit $5,000", language="en")
    result = pay_assessment(pays, destination_countries=["KH"])
    assert result is not None and result.monthly_usd == 1000  # the deposit is a fee


def test_hourly_rates_are_read_but_not_judged() -> None:
    pays = read_pay("Tuisyen Matematik SPM, RM50 sejam", language="ms")
    assert pays and pays[0].period == "hour"
    assert pay_assessment(pays, origin_countries=["MY"]) is None


def test_nothing_to_judge() -> None:
    assert pay_assessment([], origin_countries=["VN"]) is None
    assert pay_assessment(read_pay("lương 25 triệu", language="vi")) is None  # no country at all
    assert pay_assessment(read_pay("lương 25 triệu", language="vi"), destination_countries=["SA"]) is None


# --- data files --------------------------------------------------------------------------

REQUIRED_COUNTRIES = {"KH", "MM", "LA", "TH", "PH", "VN", "ID", "MY", "IN", "CN", "TW", "HK", "KR", "JP",
                      "SG", "KE", "NG", "UG", "GH", "ET"}


def load(name: str) -> dict[str, Any]:
    document = json.loads((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_wage_table_covers_the_countries_with_sources() -> None:
    wages = load("wages.json")
    tables = default_tables()
    assert set(wages["countries"]) >= REQUIRED_COUNTRIES
    for code, row in wages["countries"].items():
        assert row["sources"], code
        for source in row["sources"]:
            assert source["url"].startswith("http") and source["title"] and source["year"], code
        # the USD figure written in the file agrees with the rates file
        assert tables.wages[code].reference_usd == pytest.approx(row["reference_monthly_usd"], rel=0.02), code


def test_every_rate_has_a_source_and_date_field() -> None:
    for code, rate in load("currencies.json")["rates"].items():
        assert rate["per_usd"] > 0 and rate["source"] and "date" in rate and "verified" in rate, code


def test_every_currency_the_reader_can_name_has_a_rate() -> None:
    rates = default_tables().rates
    codes = {code for code in money._CURRENCY_WORDS if len(code) == 3 and code.isalpha()}
    codes |= set(money._COUNTRY_CURRENCY.values()) | {"USDT", "TWD", "HKD", "JPY", "CNY"}
    assert codes <= set(rates)


def test_thresholds_come_from_the_data_file() -> None:
    wages, currencies = load("wages.json"), load("currencies.json")
    pays = read_pay("Customer service in Cambodia, $1,200/month", language="en")
    strict = copy.deepcopy(wages)
    strict["thresholds"]["destination_ratio"] = 5.0
    result = pay_assessment(pays, destination_countries=["KH"], tables=parse_tables(strict, currencies))
    assert result is not None and result.threshold == 5.0 and not result.far_above


def test_malformed_data_is_refused() -> None:
    wages, currencies = load("wages.json"), load("currencies.json")
    broken = copy.deepcopy(wages)
    broken["countries"]["KH"]["sources"] = []
    with pytest.raises(money.MoneyDataError, match="KH"):
        parse_tables(broken, currencies)
    broken = copy.deepcopy(wages)
    broken["countries"]["KH"]["currency"] = "XXX"
    with pytest.raises(money.MoneyDataError, match="XXX"):
        parse_tables(broken, currencies)
    # A sector's figure answers to the same checks as a country's wage.
    sector, entry = next((name, entry) for name, entry in wages["sectors"].items() if name != "why")
    country = next(iter(entry["countries"]))
    broken = copy.deepcopy(wages)
    broken["sectors"][sector]["countries"][country]["sources"] = []
    with pytest.raises(money.MoneyDataError, match=f"{sector}.countries.{country}: every figure must cite"):
        parse_tables(broken, currencies)
    broken = copy.deepcopy(wages)
    broken["sectors"][sector]["countries"][country]["currency"] = "XXX"
    with pytest.raises(money.MoneyDataError, match="XXX"):
        parse_tables(broken, currencies)
    broken_rates = copy.deepcopy(currencies)
    broken_rates["rates"]["USD"]["per_usd"] = 0
    with pytest.raises(money.MoneyDataError):
        parse_tables(wages, broken_rates)


def test_a_fee_word_far_before_the_amount_does_not_make_it_a_fee() -> None:
    text = "Free air ticket + visa arranged by the company. 1,200 USD, no experience"
    assert amounts(text) == [(1200, "USD")]


def test_zero_is_not_money() -> None:
    assert read_money("0U") == [] and read_money("$0") == []


def test_assess_pay_in_one_call() -> None:
    result = money.assess_pay("🔥HIRING🔥 Chat support in KK Park, 1300$/month, free dorm", language="en")
    assert result is not None and result.far_above and result.country == "MM"
    assert result.pay.amount == 1300 and result.pay.period == "month"
    assert money.assess_pay("Chat support, no salary mentioned") is None
    skilled = money.assess_pay("Software Engineer, Bangkok, 3+ years experience, 90,000–130,000 THB",
                               language="en")
    assert skilled is not None and skilled.threshold == 10.0 and not skilled.far_above


@pytest.mark.parametrize(("text", "period"), [
    ("月薪8000", "month"), ("日薪363泰铢", "day"), ("lương 1000$/tháng", "month"),
    ("lương 363 baht/ngày", "day"),
    ("รายได้ 80,000 ต่อเดือน", "month"), ("gaji $1000-1500/bulan", "month"), ("gaji USD900 sebulan", "month"),
    ("1000 USD kada buwan", "month"), ("월 350만 원", "month"), ("1000 डॉलर प्रति माह", "month"),
    ("1500 ដុល្លារ ក្នុងមួយខែ", "month"), ("1600 ໂດລາ ຕໍ່ເດືອນ", "month"), ("တစ်လ 1600 ဒေါ်လာ", "month"),
    ("$12/hour", "hour"), ("時薪190元", "hour"), ("$300 per week", "week"), ("年薪30万", "year"),
    ("USD 2,000 monthly", "month"), ("₱610/day", "day"), ("Rp 50 ribu per jam", "hour"),
])
def test_periods_in_every_language(text: str, period: str) -> None:
    assert one(text).period == period


def test_korean_pay_without_a_unit_counts_in_man_won() -> None:
    """'월 2000' in Korean pay talk is 2,000 만 원 (20 million won), not 2,000 dollars."""
    lure = money.assess_pay("누구나 월 2000, 간단한 고객 응대 업무", language="ko", country=None)
    assert lure is not None and lure.pay.currency == "KRW" and lure.pay.amount == 20_000_000
    assert lure.far_above
    ordinary = money.assess_pay("월 300 기숙사 제공", language="ko", country=None)
    assert ordinary is not None and ordinary.pay.amount == 3_000_000 and not ordinary.far_above
    yearly = money.assess_pay("연봉 3000 신입 채용", language="ko", country=None)
    assert yearly is not None and yearly.pay.amount == 30_000_000 and yearly.pay.period == "year"
    dollars = money.assess_pay("월 1500달러", language="ko", country=None)
    assert dollars is not None and (dollars.pay.currency, dollars.pay.amount) == ("USD", 1500)


