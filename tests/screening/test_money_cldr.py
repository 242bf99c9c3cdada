"""Currencies and magnitude words from CLDR (scripts/build_cldr_money_words.py), and the symbols
the text decides (issue 14 item 3): each case here was misread or not read before."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from screening import money
from screening.money import read_money, read_pay

ROOT = Path(__file__).resolve().parents[2]

# (language, text, currency, amount, period)
CASES = [
    ("en", "Salary 5,000 Zambian kwacha per month", "ZMW", 5000, "month"),
    ("en", "Salary 8000 kwacha per month", "ZMW", 8000, "month"),
    ("en", "Salary K5,000 per month in Zambia", "ZMW", 5000, "month"),
    ("en", "Salary K500,000 per month, Yangon", "MMK", 500000, "month"),
    ("vi", "Mức lương 3000 đô la Canada/tháng", "CAD", 3000, "month"),
    ("vi", "cấp 1 (26,5734 đô la Australia/giờ - tối thiểu 38 giờ/tuần)", "AUD", 26.5734, "hour"),
    ("en", "Salary CAD$3,500 per month", "CAD", 3500, "month"),
    ("en", "Salary AU$4,000 per month", "AUD", 4000, "month"),
    ("en", "Job in Canada, salary $3,500 per month", "CAD", 3500, "month"),
    ("en", "Salary Rs 60,000 per month, job in Nepal", "NPR", 60000, "month"),
    ("en", "Salary Rs 60,000 per month in Pakistan", "PKR", 60000, "month"),
    ("en", "Salary 4500 zł per month in Poland", "PLN", 4500, "month"),
    ("en", "Salary 5000 lei per month in Romania", "RON", 5000, "month"),
    ("en", "Salary 80,000 rubles per month in Russia", "RUB", 80000, "month"),
    ("en", "Salary Tk. 30,000 per month", "BDT", 30000, "month"),
    ("id", "Gaji 3.000 dolar Singapura sebulan", "SGD", 3000, "month"),
    ("th", "เงินเดือน 2,000 ดอลลาร์สิงคโปร์", "SGD", 2000, "month"),
    ("zh_Hans", "月薪3000加拿大元", "CAD", 3000, "month"),
    ("ko", "월급 3000 캐나다 달러", "CAD", 3000, "month"),
    ("en", "Salary 30,000 Kenyan shillings per month", "KES", 30000, "month"),
    ("en", "Salary 1,500,000 Ugandan shillings per month", "UGX", 1500000, "month"),
    ("en", "Salary 4,000 Ghanaian cedis per month", "GHS", 4000, "month"),
    ("en", "Salary 150,000 Nigerian naira per month", "NGN", 150000, "month"),
    ("en", "Salary 30,000 Nepalese rupees per month", "NPR", 30000, "month"),
]


@pytest.mark.parametrize(("lang", "text", "currency", "amount", "period"), CASES)
def test_currency_named_as_cldr_or_people_name_it(lang: str, text: str, currency: str, amount: float,
                                                  period: str) -> None:
    pays = read_pay(text, language=lang)
    assert [(p.currency, p.amount, p.period) for p in pays] == [(currency, pytest.approx(amount), period)]


def test_dollar_sign_stays_us_dollars_where_no_dollar_country_is_named() -> None:
    assert [p.currency for p in read_pay("Job in Thailand, salary $3,500 per month")] == ["USD"]
    assert [p.currency for p in read_pay("Salary K5,000 per month")] == []  # K alone says no currency


def test_fee_in_a_named_currency() -> None:
    fees = [m for m in read_money("Bangkok job; pay the agency 200,000 Kenyan shillings.") if m.kind == "fee"]
    assert [(m.currency, m.amount) for m in fees] == [("KES", 200000)]


def test_magnitude_words_cldr_gives_are_read() -> None:
    assert read_pay("Gaji RM 2 bilion", language="ms")[0].amount == 2e9
    assert read_pay("Sweldo 50 libo kada buwan", language="tl")[0].amount == 50000
    # CLDR's long compact forms: the Tagalog linker ("50 na libo"), Thai thousand-million
    assert [(p.amount, p.currency) for p in read_pay("Sweldo 50 na libo kada buwan", language="tl")] == \
        [(50000, "PHP")]
    assert read_pay("Sahod 1 na milyon piso", language="tl")[0].amount == 1e6
    assert read_pay("เงินเดือน 2 พันล้าน บาท", language="th")[0].amount == 2e9
    for text, value in (("वेतन ढाई लाख रुपये महीना", 250000), ("वेतन डेढ़ लाख रुपये प्रति माह", 150000),
                        ("वेतन सवा लाख रुपये", 125000)):
        assert read_pay(text, language="hi")[0].amount == value


def test_generated_file_is_what_the_script_writes() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_cldr_money_words as script
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    written = json.loads(money.CLDR_WORDS_PATH.read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(script.build(), ensure_ascii=False))
    # every currency it names has a rate (currencies.json cites each)
    assert set(written["currency_names"]) <= set(money.default_tables().rates)
