"""The plain fee for a job abroad, and a fee said not to be asked (issue 14, branch r-fee3).

The ILO General Principles and Operational Guidelines for Fair Recruitment and the IHRB Employer
Pays Principle say a worker pays no recruitment fee; origin countries forbid or cap it (Philippine
RA 10022 and DMW no-placement-fee markets, Indonesia UU 18/2017 zero cost, Vietnam Law 69/2020, the
Indian Emigration Act, Korea's EPS). The warnings name the plainest grammar: a sum
paid or taken for the job or visa abroad, with no special form word (a sum per person or named as a
fee alone is not read: lawful schemes quote their capped costs that way). And
lawful notices say the fee is not asked in more shapes than "free". The lines are written for these
tests from the class; none is a corpus row.
"""

from __future__ import annotations

import pytest

from screening.assess import assess_text
from screening.money import read_money

FEE_FLAGS = frozenset({"fees_or_deposit", "pay_to_be_sent"})

PLAIN_FEES = [
    # a sum paid, handed over or taken for the job abroad
    ("en", "He offered her a nursing job in California and took US$500 for the visa."),
    ("en", "Work in Romania in hotels, wages of 600 euros; pay the agents thousands of euros."),
    ("id", "Kerja di pabrik Jepang, bayar dulu Rp 60 juta untuk visa."),
    ("id", "Kerja di Jepang, gaji Rp 30 juta per bulan, wajib membayar Rp 50 juta."),
    ("vi", "Đi lao động Hàn Quốc, nộp 3.000 USD để làm thủ tục."),
    ("vi", "Tuyển lao động đi Đức, chuyển tiền cho người môi giới 10.000 euro."),
    ("hi", "एजेंट ने सऊदी में नौकरी का वादा किया और 80 हजार रुपए लिए।"),
    ("ko", "한국 공장 취업, 나머지 금액을 내시고 출국 날을 기다리면 돼요."),
    ("tl", "Trabaho sa Canada bilang caregiver, hiningian ng P80,000 para sa visa."),
]


@pytest.mark.parametrize(("lang", "text"), PLAIN_FEES)
def test_a_plain_fee_for_a_job_abroad_is_read(lang: str, text: str) -> None:
    assert FEE_FLAGS & set(assess_text(text, lang=lang).flag_ids)


NOT_ASKED = [
    ("en", "Factory job in Japan. No need to pay any placement fee."),
    ("en", "Farm job in Australia. The employers will cover all costs, including visa fees and air tickets."),
    ("vi", "Tuyển lao động đi Nhật, không thu phí môi giới, không đặt cọc."),
    ("zh_Hans", "赴日本就业。劳动者出国费用由政府承担,包括护照费、签证费、机票费、体检费。"),
    ("zh_Hant", "赴日本就業。勞動者出國費用由政府承擔,包括護照費、簽證費、機票費、體檢費。"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_ASKED)
def test_a_fee_said_not_to_be_asked_is_not_a_fee(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert not FEE_FLAGS & set(flags) and "fee_for_job_abroad" not in flags, flags


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Factory job in Japan. No need to pay placement fee, only a processing fee of PHP 30,000."),
    ("en", "Farm job in Australia. The employer will cover all costs, including visa fees. "
           "Agency fee of PHP 20,000."),
])
def test_a_sum_asked_beside_a_fee_not_asked_is_still_a_fee(lang: str, text: str) -> None:
    assert "fees_or_deposit" in assess_text(text, lang=lang).flag_ids


def test_the_costs_of_going_abroad_are_fees_not_pay() -> None:
    text = "每人缴纳了劳务输出费2.3万元及护照费、考试费1000元,共计2.4万元"
    assert [money.kind for money in read_money(text, language="zh_Hans")] == ["fee", "fee", "fee"]
