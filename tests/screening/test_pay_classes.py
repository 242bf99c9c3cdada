"""Pay as people write it, and high pay with perks (issue 14, branch r-pay): the classes of
screening/data/SOURCES.md "Pay as people write it, and high pay with perks", read in the
languages that write them, and the ordinary ads that must stay below high.

The lines are written for this test; none is a corpus text.
"""

from __future__ import annotations

import pytest

from screening.assess import RiskLevel, assess_text

HIGH = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Tuyển nhân viên chăm sóc khách hàng, thu nhập hàng trăm triệu đồng/tháng"),
    ("id", "Lowongan admin chat, gaji ratusan juta per bulan"),
    ("ko", "직원 모집, 간단한 업무, 월 수천만 원 고수익 보장"),
    ("zh_Hans", "招聘打字员，月薪数万"),
    ("th", "รับสมัครแอดมินตอบแชท เงินเดือนหลายแสนบาท"),
    ("en", "Hiring customer service officers, salary RM7,000 a month"),
])
def test_pay_written_in_words_or_in_a_foreign_money_is_judged(lang: str, text: str) -> None:
    assert "pay_far_above_market" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hans", "招聘员工，月薪数万，包吃包住"),
    ("vi", "Tuyển người làm việc, lương 60 triệu/tháng, bao ăn ở, lo visa"),
    ("en", "Staff wanted, salary RM9,000 a month, free accommodation and food, visa provided"),
])
def test_high_pay_with_free_board_or_travel_is_high(lang: str, text: str) -> None:
    result = assess_text(text, lang=lang)
    assert "pay_with_perks" in result.flag_ids, result.flag_ids
    assert result.risk in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    # Pay at market with board: not the combination.
    ("vi", "Tuyển công nhân may, lương 9 triệu/tháng, bao ăn ở"),
    ("zh_Hans", "招聘普工，月薪5000元，包吃包住"),
    # A one-off grant beside the monthly pay is not a month's pay.
    ("vi", "Đơn hàng Nhật Bản, mức lương 1.100 USD mỗi tháng, miễn phí vé máy bay, "
           "về nước được hỗ trợ 170 triệu đồng"),
])
def test_ordinary_pay_with_board_is_not(lang: str, text: str) -> None:
    result = assess_text(text, lang=lang)
    assert "pay_with_perks" not in result.flag_ids, result.flag_ids
