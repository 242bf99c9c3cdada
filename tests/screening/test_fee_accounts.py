"""Fees told as taken, and "no fee" as lawful notices write it (issue 14, branch r-fee5).

Lures: the account of a fee an agent took, as the press and victims tell it: a taking verb (charged,
collected, demanded, extorted, swindled, made them pay) or the victim's (paid, handed over, lost) with a
sum in the currency the press writes (K for kwacha, Shs, ₦ or N, GH₵, Tk, Rs, Le, Birr) and what it was
taken for, a head ("each", "per person") or the pretext ("under the pretext of", "promising"); the same
account in zh, ko, hi, id, tl. Lawful notices: nothing is charged, said by the unit of money ("not
a single centavo", 分文不取, "단 한 푼도") or by a ban ("prohibited from charging", "bawal nang maningil").
Pay to the worker stays pay, and a fee asked beside the negation stays a fee. The lines are written for
these tests from the class (screening/data/SOURCES.md, "Fees told as taken, and 'no fee' by the unit of
money"), none is a corpus row.
"""

from __future__ import annotations

import pytest

from screening.assess import assess_text
from screening.money import read_money
from screening.rules import default_rules

FEES = ("fees_or_deposit", "pay_to_be_sent")

TAKEN = [
    ("en", "The agent charged them Shs2 million for the visa to work in Dubai."),
    ("en", "Each of the victims paid K500,000 to register for jobs in Qatar."),
    ("en", "Jobs in Canada: the suspect obtained Rs1.65 million under the pretext of sending them abroad."),
    ("en", "The recruiter took N350,000 for processing their work visas to Canada."),
    ("en", "They collected fees of GH₵5,000 each from the applicants for jobs in Dubai."),
    ("en", "Recruiters made them pay Birr 40,000 each for jobs in Saudi Arabia."),
    ("en", "The agency would charge between ₹2 to ₹3 lakh from youths after assuring them of jobs abroad."),
    ("en", "Workers for Malaysia lost Tk. 4 lakh each to the broker promising factory jobs."),
    ("zh_Hans", "李某以帮助出国务工为名,收取每人3万元,介绍去日本打工。"),
    ("zh_Hant", "陳某以介紹出國工作為由,騙取了求職者20萬元。"),
    ("ko", "해외 취업을 미끼로 알선료 명목으로 500만 원을 받아 챙겼다."),
    ("hi", "दुबई में नौकरी दिलाने के नाम पर युवकों से 2 लाख रुपये ठग लिए।"),
    ("id", "Kerja di Polandia, uang Rp 23 juta dibayar langsung ke calo."),
    ("tl", "Nag-aalok ng trabaho sa Qatar kapalit ng processing fees na ₱300,000."),
    ("id", "Kerja di Taiwan, calon pekerja harus menyetor duit ke calo Rp 15 juta."),
    ("hi", "एजेंट ने कुवैत में नौकरी के लिए भेजने के ऐवज में युवकों से 30-30 हजार रुपये लिये।"),
]


@pytest.mark.parametrize(("lang", "text"), TAKEN)
def test_an_account_of_a_fee_taken_is_a_fee(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert any(flag in flags for flag in FEES), flags


NOT_TAKEN = [
    # pay and perks to the worker
    ("en", "Hiring drivers for Zambia. Salary K8,000 per month; workers are paid K500 each for transport."),
    ("en", "Workers were paid Rs 20,000 each for overtime in Dubai."),
    # nothing is charged, by the unit of money or a ban
    ("en", "Hiring for Japan. Applicants will not need to pay a single peso; not a single centavo will be "
           "collected as placement fee."),
    ("en", "Workers going to the Middle East will no longer have to incur air travel expenses, passport "
           "and transport fees."),
    ("en", "Hiring for Qatar. Agencies are prohibited from charging placement fees to workers."),
    ("tl", "Trabaho sa Qatar. Bawal nang maningil ng placement fee ang mga agency."),
    ("tl", "Trabaho sa Japan. Walang babayarang placement fee ang mga aplikante."),
    ("tl", "Trabaho sa Japan. Hindi kayo magbabayad ng kahit isang sentimo."),
    ("id", "Lowongan kerja ke Jepang tanpa dipungut biaya sepeser pun."),
    ("vi", "Tuyển lao động đi Nhật, không phải trả bất kỳ khoản phí môi giới nào."),
    ("zh_Hans", "招聘赴日务工,中介费分文不取,一分钱都不用交。"),
    ("ko", "해외 취업 모집, 수수료는 단 한 푼도 받지 않습니다."),
    ("hi", "विदेश में नौकरी, एजेंट फीस का एक भी पैसा नहीं लेंगे।"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_TAKEN)
def test_pay_or_a_fee_said_not_to_be_charged_is_not_a_fee(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert not any(flag in flags for flag in FEES), flags


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Work in Japan, not a single centavo; but pay a processing fee of PHP 5,000 before departure."),
    ("tl", "Trabaho sa Qatar. Bawal nang maningil ng placement fee, pero magbayad pa ng dagdag na ₱20,000 "
           "bago umalis."),
    ("zh_Hans", "赴日务工,中介费分文不取,出国前再交1万元。"),
])
def test_a_fee_asked_beside_the_negation_is_still_a_fee(lang: str, text: str) -> None:
    assert "fees_or_deposit" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize("text", [text for _, text in TAKEN + NOT_TAKEN])
def test_the_reference_matcher_agrees_with_the_prefilter(text: str) -> None:
    rules = default_rules()
    fast, _ = rules.match(text)
    slow, _ = rules.match(text, use_prefilter=False)
    assert [rule.id for rule in fast] == [rule.id for rule in slow]


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("The suspect obtained Rs1.65 million under the pretext of sending them to Dubai.", "Rs1.65 million",
     None),
    ("The agent charged them Shs2 million for the visa to Dubai.", "Shs2 million", "UGX"),
    ("He swindled 1.2 million naira from job seekers promising jobs in Canada.", "1.2 million naira",
     "NGN"),
    ("The agency extorted Tk. 5 lakh from each worker for jobs in Malaysia.", "Tk. 5 lakh", "BDT"),
])
def test_a_sum_taken_by_deceit_is_a_fee_not_pay(text: str, amount: str, currency: str | None) -> None:
    read = [money for money in read_money(text, language="en") if money.text == amount]
    assert read, read_money(text, language="en")
    assert read[0].kind == "fee"
    if currency:
        assert read[0].currency == currency
