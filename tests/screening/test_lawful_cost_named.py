"""Lawful costs named the way the rules name them: `lawful_cost_named` (issue 14, branch r-legit4).

Lawful work-abroad notices (official programmes, licensed agencies) name the costs a worker may pay
in ways a lure does not: the worker's documentation costs listed as the Philippine rules list them
(passport, NBI clearance, medical examination, PDOS), a visa or medical fee paid to the embassy,
consulate, official office or accredited clinic itself, the visa, airfare and medical costs paid or
advanced by the employer, a service fee at the cap the rules set (Thailand: no more than the first
month's wage; China: a ceiling on wages), costs "as the regulations set" (Indonesia: "sesuai ketentuan
yang berlaku"), training at a government centre, fees borne by a state programme (Korea: "국비 지원").
Read as a fee asked with a job abroad (`fees_or_deposit` + `fee_for_job_abroad`), they were rated high.
The mask blanks such a cost, a sibling of `cost_paid_to_official_body`; a fee beside it still counts.
Where the same sentence sends the money to a person, a personal or bank account, an agent or a chat,
where an amount follows the costs an employer is said to pay, or where a visa or medical fee is priced
far above its real figure, nothing is masked: that is how scammers impersonate embassies and official
bodies (screening/data/SOURCES.md, "Lawful costs named as the rules name them").

The lines below are written for this test from the rules and notices cited there; none is a corpus
row. "Before" is the shipped rules with this mask taken out.
"""

from __future__ import annotations

import pytest

from screening import assess
from screening.assess import assess_text
from screening.rules import RuleSet
from tests.screening.shipped_rules import HIGH_OR_ABOVE, assert_masked, assert_still_a_fee, rules_without

MASK = "lawful_cost_named"


@pytest.fixture(scope="module")
def old_rules() -> RuleSet:
    return rules_without(MASK)


LAWFUL = [
    # POEA MC 14 (1999) and the 2016 Rules: the employer pays visa and airfare; advanced costs
    ("en", "Hiring welders for Saudi Arabia. Medical fee and visa fee are advanced by the employer and "
           "deducted from salary as per contract. POEA accredited."),
    ("en", "Zero placement fee. Employer pays the visa fee, airfare and medical fee. Factory workers for "
           "Japan, salary JPY 200,000."),
    # a visa fee paid to the embassy itself (Korea EPS; Canada's IRCC)
    ("en", "Job vacancy in Korea under EPS. Costs to the worker: EPS-TOPIK test fee, medical check-up, "
           "passport, visa fee paid to the Korean Embassy, pre-departure training."),
    ("en", "Direct hire for Canada, welders, CAD 28 an hour. The visa application fee of CAD 155 is paid "
           "directly to IRCC. No agency fee."),
    # the medical exam at a DOH-accredited clinic, training at a TESDA centre (2016 Rules, sec. 50)
    ("en", "Hiring caregivers for Japan, salary JPY 180,000. Medical fee of PHP 3,500 at a DOH-accredited "
           "clinic. Training fee at a TESDA-accredited center."),
    # Viet Nam: the worker's own costs, the visa fee paid to the Taipei office
    ("vi", "Tuyển lao động đi Đài Loan. Người lao động tự chi trả phí khám sức khỏe, làm hộ chiếu, lệ phí "
           "visa nộp cho Văn phòng Kinh tế Văn hóa Đài Bắc."),
    # Thailand: only the medical, passport and visa costs the embassy sets
    ("th", "กรมการจัดหางานรับสมัครแรงงานไปทำงานไต้หวัน ผู้สมัครเสียค่าใช้จ่ายเฉพาะค่าตรวจสุขภาพ "
           "ค่าหนังสือเดินทาง และค่าวีซ่าตามที่สถานทูตกำหนด"),
    # Thailand: the service fee at the Employment Agency Act's cap
    ("th", "บริษัทจัดหางานได้รับอนุญาต รับสมัครไปทำงานไต้หวัน เงินเดือน 27,470 ดอลลาร์ไต้หวัน "
           "ค่าบริการจัดหางานไม่เกินค่าจ้างเดือนแรก"),
    # China: the service fee at the ceiling the rules set
    ("zh_Hans", "对外劳务合作企业招聘赴新加坡建筑工人，月薪3000新元。"
                "服务费按国家规定收取，不超过合同期工资总额的12.5%，开具正式发票。"),
    # Indonesia: costs as the rules set them, at the designated clinic
    ("id", "Lowongan kerja ke Taiwan, gaji NT$27.470. Biaya medical check up dan pembuatan paspor sesuai "
           "ketentuan yang berlaku, dibayar di sarana kesehatan yang ditunjuk."),
]


@pytest.fixture
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules' own reading: the lure model's three gates closed, as the training script's
    "rules alone" reads it. The mask is a rule; what the model makes of the same lines is
    `test_the_model_leaves_lawful_cost_lines_below_high`'s question."""
    for gate in ("second_opinion_counts", "strong_opinion_counts", "alone_opinion_counts"):
        monkeypatch.setattr(assess, gate, lambda *args, **kwargs: False)


@pytest.mark.parametrize(("lang", "text"), LAWFUL)
def test_a_lawful_cost_named_as_the_rules_name_it_is_not_a_fee_asked(
        lang: str, text: str, old_rules: RuleSet, rules_only: None) -> None:
    assert_masked(text, lang=lang, old_rules=old_rules)


# The model retrained in session 16 (more English lures of Canada jobs sold with a visa fee) reads
# the lawful IRCC line at p = 0.96 and its alone flag rates it high: a known false alarm, reported
# in the closing note. Strict, so that the day the model leaves it below high this test says so.
_MODEL_FALSE_ALARM = pytest.mark.xfail(
    strict=True, reason="the lure model reads a lawful Canada direct hire with the IRCC visa fee as a lure")


@pytest.mark.parametrize(("lang", "text"), [
    pytest.param(*line, marks=_MODEL_FALSE_ALARM) if "IRCC" in line[1] else line for line in LAWFUL])
def test_the_model_leaves_lawful_cost_lines_below_high(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert assessment.risk not in HIGH_OR_ABOVE, (assessment.risk, assessment.flag_ids)


IMPERSONATING = [
    # the embassy's fee sent to a coordinator by chat, or to a person's account
    ("en", "Work in Korea, salary KRW 3,000,000. Pay the visa fee to the Korean Embassy through our "
           "coordinator on WhatsApp."),
    ("en", "Factory job in Canada, CAD 30 an hour. Visa fee paid to the embassy, account of Mr. Lee, "
           "send via GCash first."),
    # the embassy's fee at many times its price
    ("en", "Job in Poland, salary EUR 2,500. The visa fee of USD 2,500 is paid directly to the embassy "
           "before the interview."),
    # the employer pays part; a fee is asked beside it
    ("en", "Work in Dubai, salary AED 5,000. The employer pays the visa and airfare. Processing fee of "
           "PHP 45,000 before deployment."),
    # an amount after the costs the 'employer' is said to pay
    ("en", "Hotel job in Japan, salary JPY 300,000. The employer pays the visa fee, medical fee PHP "
           "60,000 first, refundable on arrival."),
    # the documentation costs priced and sent to an e-wallet
    ("en", "Caregiver job in Canada, salary CAD 4,000 a month. Documentation costs: passport, NBI "
           "clearance, medical fee, send PHP 25,000 to my GCash."),
    # the accredited clinic named, the money to an agent
    ("en", "Nurse job in Dubai, salary AED 9,000. Medical fee at a DOH-accredited clinic, pay it to our "
           "agent by Messenger first."),
    # Viet Nam: the Taipei office named, the money to a person by Zalo
    ("vi", "Đi Đài Loan lương 40 triệu. Phí visa nộp cho Văn phòng Kinh tế Văn hóa Đài Bắc qua chị Hoa, "
           "chuyển khoản Zalo 5.000 USD."),
    # Thailand: the embassy's rate named, the money to a personal account
    ("th", "งานไต้หวันเงินเดือน 60,000 บาท ค่าวีซ่าตามที่สถานทูตกำหนด โอนเข้าบัญชีส่วนตัว 80,000 บาท"),
    # China: the ceiling named, the money by WeChat to a personal account
    ("zh_Hans", "赴日本工厂，月薪3万。服务费不超过三个月工资，加微信转到个人账户。"),
    # Indonesia: the rules named, the money to a personal account by WA
    ("id", "Kerja di Jepang gaji 25 juta. Biaya pelatihan sesuai ketentuan yang berlaku, transfer ke "
           "rekening pribadi admin lewat WA."),
]


@pytest.mark.parametrize(("lang", "text"), IMPERSONATING)
def test_the_same_costs_asked_to_a_person_by_chat_or_at_a_false_price_stay_high(
        lang: str, text: str, old_rules: RuleSet) -> None:
    assert_still_a_fee(text, lang=lang, old_rules=old_rules)


@pytest.mark.parametrize("text", [
    "Direct hire for Canada, welders, CAD 28 an hour. No agency fee.",
    "Factory workers for Japan, salary JPY 200,000, no agency fees, employer pays the visa.",
    "Caregivers for Israel through the G-to-G programme: no agency charges.",
])
def test_no_agency_fee_is_not_no_agency(text: str) -> None:
    # "No agency fee" says no agency charges the worker (the ILO's employer-pays principle), not
    # that there is no agency to check: `unverifiable_company` read it so until session 16.
    assert "unverifiable_company" not in assess_text(text, lang="en").flag_ids


@pytest.mark.parametrize("text", [
    "Work in Canada, no agency needed, contact me on Telegram.",
    "No agency. Direct contact with the employer in Dubai, salary $3,000.",
])
def test_no_agency_still_reads_as_no_agency(text: str) -> None:
    assert "unverifiable_company" in assess_text(text, lang="en").flag_ids


# A cost with its amount that the same clause says the employer pays or bears (issue 14, branch
# r-legit6): the r-legit4 patterns above read the employer's costs without a sum; the notices also
# price them ("the visa fee of NT$3,000 is paid by the employer"). Read by the rules alone (the mask
# is a rule); a sum the same clause says is advanced, deducted, repaid or refunded stays a fee.
EMPLOYER_PAYS_A_SUM = [
    ("en", "Caregivers for Taiwan. The visa fee of NT$3,000 is paid by the employer. "
           "Salary NT$28,590 a month."),
    ("id", "Lowongan kerja ke Taiwan, gaji NT$ 28.590 per bulan. "
           "Biaya medical Rp 800.000 ditanggung oleh majikan."),
    ("vi", "Đi làm việc tại Đài Loan, lương 28.590 Đài tệ. "
           "Phí khám sức khỏe 1,5 triệu đồng do chủ sử dụng chi trả."),
    ("tl", "Caregiver sa Taiwan, sahod NT$28,590. Ang visa fee na P3,000 ay sagot ng employer."),
    ("th", "ไปทำงานไต้หวัน เงินเดือน 28,590 ดอลลาร์ไต้หวัน ค่าวีซ่า 3,000 บาท นายจ้างเป็นผู้จ่าย"),
    ("zh_Hans", "赴日技能实习生，月薪18万日元，签证费3000元由雇主承担。"),
    ("ko", "일본 취업, 월급 20만엔, 비자 비용 3만엔은 회사가 부담합니다."),
]


@pytest.mark.parametrize(("lang", "text"), EMPLOYER_PAYS_A_SUM)
def test_a_priced_cost_the_employer_pays_is_not_a_fee_asked(
        lang: str, text: str, old_rules: RuleSet, rules_only: None) -> None:
    assert_masked(text, lang=lang, old_rules=old_rules)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Jobs in Japan. Visa fee of $500 is paid by the employer first and deducted from your salary."),
    ("id", "Kerja di Jepang. Biaya visa Rp 5 juta ditanggung majikan, nanti dipotong gaji."),
    ("vi", "Đi Nhật, phí visa 20 triệu do công ty chi trả trước, sau đó trừ vào lương."),
    ("tl", "Trabaho sa Japan. Ang visa fee na P30,000 ay sagot ng employer pero ibabawas sa sahod mo."),
    # the worker pays one cost, the employer another: the employer's verb is not the fee's
    ("en", "Job in Japan. Visa fee of $500 payable by you and the airfare is paid by the employer."),
    ("th", "งานญี่ปุ่น ต้องจ่ายค่าวีซ่า 30,000 บาท นายจ้างเป็นผู้จ่ายค่าตั๋วเครื่องบิน"),
    ("zh_Hans", "赴日工作，签证费3000元自付机票由雇主承担。"),
    ("id", "Kerja di Jepang. Biaya visa Rp 5 juta dibayar pekerja dan tiket ditanggung oleh majikan."),
    # the employer's part named, a fee asked in the next sentence
    ("en", "Jobs in Japan. Visa fee of $500 is paid by the employer. "
           "Processing fee $300 to be paid to our agent."),
])
def test_a_sum_the_employer_only_advances_or_a_fee_beside_it_stays_a_fee(
        lang: str, text: str, old_rules: RuleSet, rules_only: None) -> None:
    assert_still_a_fee(text, lang=lang, old_rules=old_rules, same_risk=False)
