"""Pay written in number words (screening.money), in every shipped language (issue 14 item 3, r-num2).

The words and their grammar are CLDR's spell-out rules (unicode-org/cldr common/rbnf/*.xml) and the
vague words of size ("หลักแสน", "几十万", "belasan juta"), read as the least they can mean. Each case
below was not read, or read wrong, before this branch.
"""

from __future__ import annotations

import pytest

from screening.money import read_money, read_pay

# (text, language, amount, currency, period)
WORDS: list[tuple[str, str, float, str, str | None]] = [
    # Thai: a unit alone after a money or digit-place word (แสน alone is 100,000; หลักแสน "in the
    # hundred thousands")
    ("เงินเดือนหลักแสน", "th", 100_000, "THB", "month"),
    ("เงินเดือนแสนห้า", "th", 150_000, "THB", "month"),
    ("ได้เงินเดือนละแสน", "th", 100_000, "THB", "month"),
    # Lao, the same
    ("ເງິນເດືອນ ລ້ານກີບ", "lo", 1_000_000, "LAK", "month"),
    # Khmer cardinals (CLDR km.xml), and a unit alone before a currency
    ("ប្រាក់ខែ ប្រាំពាន់ដុល្លារ", "km", 5000, "USD", "month"),
    ("ប្រាក់ខែ ពាន់ដុល្លារ", "km", 1000, "USD", "month"),
    ("ប្រាក់ខែ ម្ភៃប្រាំពាន់ដុល្លារ", "km", 25_000, "USD", "month"),  # a tens word and a digit word add
    ("ເງິນເດືອນ ຊາວຫ້າພັນໂດລາ", "lo", 25_000, "USD", "month"),
    # Burmese cardinals (CLDR my.xml)
    ("လစာ ငါးသိန်း", "my", 500_000, "MMK", "month"),
    ("လစာ နှစ်သိန်းခွဲ", "my", 250_000, "MMK", "month"),
    # Chinese: 几 before a unit is "several" of it (十几万 stays 100,000)
    ("现在怎么样,不赚几十万元了?", "zh_Hans", 200_000, "CNY", None),
    ("月入几千", "zh_Hans", 2000, "CNY", "month"),
    ("月薪幾萬", "zh_Hant", 20_000, "TWD", "month"),
    # Korean 몇 ("some"), like 수
    ("월 몇백만 원", "ko", 2_000_000, "KRW", "month"),
    # 월 written against a Sino-Korean amount: "월천만원 보장" (10 million won a month)
    ("단순 업무 월천만원 보장", "ko", 10_000_000, "KRW", "month"),
    # Vietnamese (CLDR vi.xml: mươi, lăm, trăm; chục)
    ("lương hai mươi triệu", "vi", 20_000_000, "VND", None),
    ("lương ba mươi lăm triệu một tháng", "vi", 35_000_000, "VND", "month"),
    ("mức lương cả trăm triệu đồng mỗi tháng", "vi", 100_000_000, "VND", "month"),
    ("lương tám triệu rưỡi", "vi", 8_500_000, "VND", None),
    ("luong hai chuc trieu", "vi", 20_000_000, "VND", None),
    ("việc nhẹ, kiếm tiền triệu mỗi ngày", "vi", 1_000_000, "VND", "day"),
    # Indonesian and Malay (CLDR id.xml, ms.xml: belas, puluh, ratus, se-)
    ("gaji lima belas juta", "id", 15_000_000, "IDR", None),
    ("gaji dua puluh lima juta per bulan", "id", 25_000_000, "IDR", "month"),
    ("menerima gaji belasan juta rupiah", "id", 11_000_000, "IDR", None),
    ("gaji lima ribu ringgit sebulan", "ms", 5000, "MYR", "month"),
    ("gaji seratus lima puluh ribu sehari", "id", 150_000, "IDR", "day"),
    # Tagalog (CLDR fil.xml; fused tens, linkers -ng, na, 't)
    ("sweldo limampung libo kada buwan", "tl", 50_000, "PHP", "month"),
    ("sahod na dalawampu't limang libong piso", "tl", 25_000, "PHP", None),
    ("sahod apat na libong dolyar", "tl", 4000, "USD", None),
    # English (CLDR en.xml)
    ("earn two thousand dollars a month", "en", 2000, "USD", "month"),
    ("salary of twenty-five thousand pesos", "en", 25_000, "PHP", None),
    # Hindi: every cardinal of CLDR hi.xml, and Hindi in Latin letters
    ("सैलरी पैंतालीस हज़ार रुपये", "hi", 45_000, "INR", None),
    ("salary ek lakh per month", "hi", 100_000, "INR", "month"),
    ("salary dedh lakh rupees", "hi", 150_000, "INR", None),
]


@pytest.mark.parametrize(("text", "language", "amount", "currency", "period"), WORDS)
def test_number_words(text: str, language: str, amount: float, currency: str, period: str | None) -> None:
    pays = read_pay(text, language=language)
    assert len(pays) == 1, f"{text!r} -> {pays}"
    assert pays[0].amount == pytest.approx(amount)
    assert pays[0].currency == currency
    assert pays[0].period == period


# Words that look like numbers but are not amounts.
NOT_AMOUNTS: list[tuple[str, str]] = [
    ("งานนี้แสนสบาย เพื่อนร่วมงานแสนดี", "th"),  # แสน "very"
    ("ล้านนา เชียงใหม่ รับสมัครพนักงาน", "th"),  # Lanna, the northern kingdom
    ("we do thousand-piece puzzles", "en"),  # Hindi "do" is two, but not before an English unit
    ("mười năm kinh nghiệm, lương thỏa thuận", "vi"),  # ten years: no unit of money
    ("tahun dua ribu dua puluh empat, gaji sesuai UMR", "id"),  # a year
    ("dengan gaji sesuai pengalaman", "id"),
    ("세월천만원", "ko"),  # 월 inside a word (세월 "time") is not a period
]


@pytest.mark.parametrize(("text", "language"), NOT_AMOUNTS)
def test_not_amounts(text: str, language: str) -> None:
    assert read_money(text, language=language) == []


def test_thai_very_is_not_a_hundred_thousand_beside_pay() -> None:
    pays = read_pay("งานแสนสบาย เงินเดือน 12,000 บาท", language="th")
    assert [(p.amount, p.currency) for p in pays] == [(12_000, "THB")]


def test_digits_then_words_keep_the_digits() -> None:
    # "5 juta" is read by the digits; the words after it are their own number, never a second unit
    pays = read_pay("gaji 5 juta per bulan", language="id")
    assert [(p.amount, p.period) for p in pays] == [(5_000_000, "month")]
