"""Costs capped or scheduled by regulation, as lawful notices state them (issue 14, branch r-fee6).

A lawful notice states a cost as the ceiling the law or a named body sets ("the placement fee, as set
by the DMW, shall not exceed one month's basic salary", "theo quy định, phí môi giới không quá 1
tháng lương", "中介费依法最高不超过…12.5%", "ตามกฎหมาย ค่าบริการจัดหางานไม่เกิน…"), a schedule's
cost with its ceiling in brackets, or the worker's own document costs listed without a sum.
`lawful_cost_named` blanks that span (from the cost or the law up to the ceiling's amount, with no
other sum inside) before the fee rules are read. A sum asked elsewhere in the same sentence is still
a fee, and official words without a ceiling ("phí theo quy định chỉ 150 triệu", "fee as per DMW
regulation: only PHP 80,000") are not masked: lures borrow them (screening/data/SOURCES.md,
"Costs capped or scheduled by regulation").

The lines are written for this test from the rules cited there; none is a corpus row. "Before" is
the shipped rules without `lawful_cost_named`; every CAPPED line is rated high by main's rules
(72d1cdc) too.
"""

from __future__ import annotations

import pytest

from screening.assess import assess_text
from screening.rules import RuleSet
from tests.screening.shipped_rules import HIGH_OR_ABOVE, assert_masked, assert_still_a_fee, rules_without

MASK = "lawful_cost_named"


@pytest.fixture(scope="module")
def old_rules() -> RuleSet:
    return rules_without(MASK)


CAPPED = [
    # Philippines: DOLE D.O. 34 s. 1996, POEA MC 09 s. 1998 (ceiling of one month's salary)
    ("en", "Hiring factory workers for Japan, salary JPY 200,000. Under the law, the agency fee shall not "
           "exceed one month's salary."),
    ("en", "Caregivers for Saudi Arabia, salary SAR 1,500. The placement fee, as set by the DMW, shall not "
           "exceed one month's basic salary."),
    # Nepal: the service charge capped by the government (free-visa-free-ticket rule)
    ("en", "Construction jobs in Malaysia for Nepali workers, salary MYR 1,500. The agency fee is capped at "
           "NPR 10,000 by the government."),
    # Viet Nam: Law 69/2020 and Circular 21/2021 (the service fee, the training cost capped)
    ("vi", "Tuyển lao động đi Nhật Bản làm việc tại nhà máy. Theo quy định, phí môi giới không quá 1 tháng "
           "lương cho mỗi 12 tháng làm việc."),
    ("vi", "Đơn hàng thực tập sinh đi Nhật Bản. Chi phí đào tạo tiếng Nhật trước khi xuất cảnh "
           "(không quá 5,9 triệu đồng/khóa học); chi phí khám sức khỏe, hộ chiếu do người lao động "
           "tự chi trả."),
    # China: 对外劳务合作管理条例, the service fee ceiling
    ("zh_Hans", "招聘赴新加坡建筑工人，月薪3000新元。中介费依法最高不超过合同期内工资总额的12.5%。"),
    ("zh_Hant", "招聘赴新加坡建築工人，月薪3000新元。仲介費依法最高不超過合同期內工資總額的12.5%。"),
    # Thailand: Employment Agency Act B.E. 2528 (service fee no more than the first month's wage)
    ("th", "รับสมัครแรงงานไปทำงานไต้หวัน ตามกฎหมาย ค่าบริการจัดหางานไม่เกิน 1 เท่าของค่าจ้างเดือนแรก"),
    # Indonesia / Malaysia: costs at the rates the government sets
    ("id", "Lowongan kerja ke Taiwan untuk pekerja pabrik. Biaya pelatihan yang ditetapkan pemerintah "
           "maksimal Rp 5 juta."),
    ("ms", "Kerja kilang di Korea Selatan. Yuran ejen mengikut peraturan, tidak boleh melebihi "
           "satu bulan gaji."),
    ("tl", "Trabaho sa Taiwan bilang factory worker. Ang placement fee ayon sa batas ay hindi dapat lumampas "
           "sa isang buwang sahod, may resibo."),
    # Korea / Taiwan: the broker's monthly fee at the ministry's ceiling
    ("ko", "대만 공장 근로자 모집. 중개 수수료는 고용노동부가 정한 기준에 따라 "
           "월 1,800 대만달러 이하입니다."),
    # India: the service charge the government fixes (Emigration Rules)
    ("hi", "मलेशिया में नौकरी के लिए भर्ती। सरकार द्वारा निर्धारित एजेंट फीस अधिकतम 30,000 रुपये है।"),
]


@pytest.mark.parametrize(("lang", "text"), CAPPED)
def test_a_cost_at_the_ceiling_the_law_sets_is_not_a_fee_asked(
        lang: str, text: str, old_rules: RuleSet) -> None:
    assert_masked(text, lang=lang, old_rules=old_rules)


# The same ceiling, and a sum asked outside it in the same sentence: the ask is still a fee.
ASKED_BESIDE = [
    ("en", "Caregivers for Saudi Arabia, salary SAR 1,500. The placement fee, as set by the DMW, shall not "
           "exceed one month's basic salary",
     ", but pay a processing fee of PHP 50,000 first."),
    ("vi", "Tuyển lao động đi Nhật Bản làm việc tại nhà máy. Theo quy định, phí môi giới "
           "không quá 1 tháng lương",
     ", nhưng phải nộp thêm 80 triệu tiền cọc giữ suất."),
    ("th", "รับสมัครแรงงานไปทำงานไต้หวัน ตามกฎหมาย ค่าบริการจัดหางานไม่เกิน 1 เท่าของค่าจ้างเดือนแรก",
     " แต่ต้องโอนค่ามัดจำ 30,000 บาทก่อน"),
    ("ko", "대만 공장 근로자 모집. 중개 수수료는 고용노동부가 정한 기준에 따라 월 1,800 대만달러 이하이며",
     ", 출국 전 보증금 300만원을 먼저 입금해야 합니다."),
]


@pytest.mark.parametrize(("lang", "capped", "ask"), ASKED_BESIDE)
def test_a_sum_asked_beside_the_ceiling_is_still_a_fee(lang: str, capped: str, ask: str) -> None:
    alone = assess_text(capped + ".", lang=lang)
    assert alone.risk not in HIGH_OR_ABOVE, (alone.risk, alone.flag_ids)
    both = assess_text(capped + ask, lang=lang)
    assert both.risk in HIGH_OR_ABOVE, (both.risk, both.flag_ids)
    assert "fees_or_deposit" in both.flag_ids, both.flag_ids


# Official words without a ceiling, or a ceiling no law sets: what lures write. Nothing is masked.
BORROWED = [
    ("vi", "Đi Nhật Bản làm nhà máy, lương 40 triệu. Phí theo quy định chỉ 150 triệu, đóng trước "
           "50 triệu giữ suất."),
    ("vi", "Đi Đài Loan lương 35 triệu. Phí không quá 100 triệu, đóng trước 30 triệu."),
    ("en", "Factory work in Japan, salary JPY 250,000. Fee as per DMW regulation: only PHP 80,000, "
           "pay upfront."),
    ("id", "Kerja di Jepang gaji 25 juta. Biaya sesuai ketentuan hanya Rp 40 juta, transfer dulu."),
    ("zh_Hans", "赴日本工厂，月薪3万。服务费不超过三个月工资，先交2万元定金。"),
    ("tl", "Trabaho sa Japan, sahod ₱120,000. Ayon sa DMW ang processing fee ay ₱85,000 lang, "
           "bayad muna bago ang interview."),
]


@pytest.mark.parametrize(("lang", "text"), BORROWED)
def test_official_words_without_a_lawful_ceiling_stay_a_fee(lang: str, text: str, old_rules: RuleSet) -> None:
    assert_still_a_fee(text, lang=lang, old_rules=old_rules, same_risk=False)
