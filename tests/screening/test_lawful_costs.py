"""Costs the law sets for a government channel: `cost_paid_to_official_body` (issue 14, branch r-legit).

Lawful notices for work abroad through the state channels (Korea's EPS through HRD Korea and the
sending ministries, the Philippine DMW's own fees, Viet Nam's Centre of Overseas Labour, Thailand's
Department of Employment, Indonesia's G to G with BP2MI) name what the worker pays: the EPS-TOPIK
test fee, the DMW processing fee and the OWWA contribution, the programme's costs paid to the Centre
after the contract, China's service fee paid to the enterprise's corporate account, and a licensed
Philippine agency's placement fee at the cap the POEA rules set (one month's basic salary). Read
as a fee asked with a job abroad (`fees_or_deposit` + `fee_for_job_abroad`), they were rated high.
The mask blanks such a cost where it is named as the body's or the test's fee, or paid at the body
or a designated bank, so the fee rules do not read it; a fee beside it still counts. Where the same
sentence sends the money to a person, a personal account, an agent or a chat, nothing is masked:
that is how scammers impersonating DMW, COLAB or BP2MI ask for exactly these costs
(screening/data/SOURCES.md, "Lawful costs paid to the official body").

The lines below are written for this test from the agencies' published notices; none is a corpus
row. "Before" is the shipped rules with the mask taken out.
"""

from __future__ import annotations

import pytest

from screening.rules import RuleSet
from tests.screening.shipped_rules import assert_masked, assert_still_a_fee, rules_without

MASK = "cost_paid_to_official_body"


@pytest.fixture(scope="module")
def old_rules() -> RuleSet:
    return rules_without(MASK)


LAWFUL = [
    # DMW / HRD Korea: the EPS-TOPIK test fee (about USD 24) paid at the designated bank
    ("en", "EPS-TOPIK registration is open at the DMW. Applicants pay the test fee of USD 24 at the "
           "designated bank. Selected workers are deployed to Korea through HRD Korea."),
    ("en", "Korea EPS: applicants pay the EPS-TOPIK examination fee of USD 24 at Landbank. Salary KRW "
           "2,060,740 per month, free accommodation. Register at eps.go.kr. No placement fee."),
    # DMW: the government's own fees for a deployed worker, paid at the DMW with a receipt
    ("en", "DMW Job Order No. 2024-123: factory workers for Taiwan. Salary NT$27,470. Workers pay only "
           "the DMW processing fee of USD 100 and the OWWA membership fee of USD 25 at the DMW office, "
           "with official receipt."),
    # COLAB (Trung tâm Lao động ngoài nước): EPS costs paid to the Centre after the contract
    ("vi", "Người lao động đi Hàn Quốc theo chương trình EPS nộp chi phí khoảng 630 USD, gồm vé máy "
           "bay và lệ phí visa, trực tiếp cho Trung tâm Lao động ngoài nước sau khi ký hợp đồng."),
    # BP2MI, G to G Korea: the EPS-TOPIK registration fee
    ("id", "Lowongan G to G Korea melalui BP2MI. Gaji KRW 2.060.740 per bulan. Biaya pendaftaran "
           "ujian EPS-TOPIK dibayar melalui bank yang ditunjuk sesuai pengumuman BP2MI."),
    # Thai Department of Employment: the Korean test fee paid at the provincial employment office
    ("th", "กรมการจัดหางานรับสมัครคนหางานไปทำงานเกาหลีระบบ EPS ค่าจ้าง 2,060,740 วอนต่อเดือน "
           "ผู้สมัครชำระค่าสมัครสอบภาษาเกาหลีที่สำนักงานจัดหางานจังหวัด"),
    # Philippine licensed agency: the placement fee at the cap the POEA rules set (one month's
    # basic salary; none for domestic workers), with the licence and an official receipt
    ("en", "DMW License No. 123-LB-456789. Hiring factory workers for Taiwan, salary NT$27,470. "
           "Placement fee equivalent to one month salary, with official receipt. Job Order verified "
           "at dmw.gov.ph."),
    ("tl", "DMW Lic. No. 123-LB. Factory worker sa Taiwan, sahod NT$27,470. Placement fee na "
           "katumbas ng isang buwang sahod, may opisyal na resibo."),
    # China's overseas labour-cooperation rules: the service fee after the contract, to the
    # enterprise's corporate account, with an invoice
    ("zh_Hans", "经商务部批准的对外劳务合作企业招聘赴日本技能实习生，月薪16万日元，包住宿。"
                "服务费按规定在签订合同后缴纳到公司对公账户并开具发票。"),
]


@pytest.mark.parametrize(("lang", "text"), LAWFUL)
def test_a_lawful_cost_paid_to_the_official_body_is_not_a_fee_asked(
        lang: str, text: str, old_rules: RuleSet) -> None:
    assert_masked(text, lang=lang, old_rules=old_rules)


IMPERSONATING = [
    # the EPS-TOPIK fee, at many times its price, to a coordinator by GCash
    ("en", "EPS-TOPIK Korea factory job. Pay the EPS-TOPIK test fee of USD 300 to our coordinator via "
           "GCash to reserve your slot."),
    # the 'designated bank' that is a person's account, given by chat
    ("en", "Korea EPS hiring. Applicants pay the test fee of USD 250 at the designated bank, account of "
           "Ms. Reyes; chat me on WhatsApp for the account number."),
    # the DMW and OWWA fees asked to a personal e-wallet
    ("en", "Job in Taiwan, salary NT$45,000. Pay the DMW processing fee of PHP 25,000 and the OWWA fee "
           "to my GCash account first."),
    # a claim of approval only: nothing names where a lawful cost goes
    ("en", "Government-approved EPS Korea jobs, salary KRW 3,000,000. Processing fee of PHP 35,000 "
           "before your flight."),
    # COLAB named, the money to a person by Zalo
    ("vi", "Đi Hàn Quốc theo EPS, lương 50 triệu. Nộp phí hồ sơ 2.000 USD cho Trung tâm Lao động ngoài "
           "nước, chuyển khoản cho chị Lan qua Zalo."),
    # the EPS-TOPIK registration fee to a personal account, by WhatsApp
    ("id", "Kerja di Korea lewat G to G. Biaya pendaftaran EPS-TOPIK Rp 5.000.000 transfer ke "
           "rekening pribadi admin, hubungi WA."),
    # the official fees' names at many times their price (the DMW fee is USD 100, EPS-TOPIK's ~USD 24)
    ("en", "Factory job in Taiwan, salary NT$45,000. POEA processing fee of PHP 35,000, pay at our "
           "office in Manila."),
    ("en", "Korea EPS hiring. Applicants pay the test fee of USD 2,000 at the designated bank."),
    # the placement-fee cap, the money to a person's e-wallet or asked by chat
    ("en", "DMW accredited agency. Factory workers for Taiwan, salary NT$27,470. Placement fee "
           "equivalent to one month salary, send it via GCash to Ms. Cruz before the interview."),
    ("tl", "Factory worker sa Taiwan, sahod NT$45,000. Placement fee na katumbas ng isang buwang "
           "sahod, ipadala sa GCash ni Ma'am Cruz."),
    # the corporate account named, the money to a clerk's personal account
    ("zh_Hans", "日本工厂招工，月薪两万，包吃住。服务费按规定缴纳，转到业务员个人账户，名额有限。"),
    # the corporate account named, the deal done by WeChat
    ("zh_Hans", "赴日技能实习，月薪3万，服务费5万元按规定缴纳到公司对公账户，加微信办理。"),
]


@pytest.mark.parametrize(("lang", "text"), IMPERSONATING)
def test_the_same_costs_asked_to_a_person_or_by_chat_stay_high(
        lang: str, text: str, old_rules: RuleSet) -> None:
    assert_still_a_fee(text, lang=lang, old_rules=old_rules)
