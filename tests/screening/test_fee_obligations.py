"""Fees told as an obligation or a condition of the job (issue 14, branch r-fee7).

Lures: a sum or a fee the person is told they must pay, were asked, made or forced to pay, or will
pay "first", with a money amount or a fee word beside the obligation verb ("she asked me to find Shs
750,000 to process my passport", "they were made to pay 170 thousand rupees", "you will have to pay
K500,000 to register", "phải nộp tiền trước", "diminta membayar Rp 25 juta", "ต้องโอนเงินก่อน",
"出国前要先交22000元", "kailangang magbayad ng ₱30,000", "300만 원을 먼저 내라", "पहले 50 हजार रुपये जमा").
Not fees: the same verbs with no money beside them ("you must pay attention"), the employer paying
the worker, and the obligation denied ("you do not have to pay any fee", "không phải nộp tiền trước",
"tidak perlu membayar dulu", "ไม่ต้องจ่ายก่อน", "不用先转账"). The lines are written for these tests
from the class (screening/data/SOURCES.md, "Fees told as an obligation or a condition"), none is a
corpus row.
"""

from __future__ import annotations

import pytest

from screening.assess import RiskLevel, assess_text

FEE = "fees_or_deposit"

ASKED = [
    # told as a demand, in reported speech
    ("en", "She offered me a job in Dubai, then asked me to find Shs 750,000 to process my passport."),
    ("en", "Recruited for factory jobs in Malaysia, they were made to pay 170 thousand rupees to the agent."),
    ("en", "The workers were asked to pay US$1,000 each before the trip to Canada for the farm jobs."),
    ("en", "The agency forced me to pay Rp 4 million and wait four months for the cruise ship job."),
    ("en", "Jobs in Poland: the recruiter told them to transfer EUR 2,000 for the work permit."),
    # told as an obligation to the person, or as a condition
    ("en", "Warehouse job in Qatar, salary QAR 3,000. You will have to pay $800 for the visa processing."),
    ("en", "Hiring drivers for Saudi Arabia: if you pay PHP 30,000 now, the visa comes out next week."),
    ("en", "Job offer in Korea: applicants have to pay K500,000 first to register with the agency."),
    # Vietnamese: required to pay, to pay first, to pay before going
    ("vi", "Tuyển lao động đi Nhật, công ty yêu cầu nộp 50 triệu để làm hồ sơ."),
    ("vi", "Đơn hàng đi Hàn Quốc lương cao, người lao động phải nộp tiền trước khi phỏng vấn."),
    ("vi", "Việc làm ở Đài Loan: phải đóng 30 triệu thì mới được bay."),
    # Indonesian and Malay
    ("id", "Lowongan kerja di Korea, calon pekerja diminta membayar Rp 25 juta sebelum diberangkatkan."),
    ("id", "Kerja di Jepang, gaji besar, tapi harus bayar dulu untuk proses visa."),
    ("ms", "Kerja kilang di Jepun, gaji lumayan, tapi kena bayar RM3,000 untuk urusan visa."),
    # Thai
    ("th", "รับสมัครงานเกาหลี รายได้ดี ต้องโอนเงินก่อนค่าดำเนินการ"),
    ("th", "รับสมัครงานฟาร์มออสเตรเลีย รายได้ดี ต้องจ่ายให้นายหน้าก่อนเดินทาง"),
    # Chinese
    ("zh_Hans", "赴韩国工作,月薪一万八,出国前要先交22000元。"),
    ("zh_Hans", "日本打工,中介要求我们交3万元办签证。"),
    ("zh_Hant", "赴日本工作,月薪三十萬日圓,出國前要先交2萬元。"),
    # Tagalog
    ("tl", "Trabaho sa Dubai, kailangang magbayad ng ₱30,000 para sa visa."),
    ("tl", "May trabaho sa Japan, pero magbayad muna kayo bago ma-deploy."),
    # Korean
    ("ko", "해외 취업 모집, 월 500만 원. 수수료 300만 원을 먼저 내면 바로 출국합니다."),
    ("ko", "캄보디아 고수익 일자리, 항공권 비용 200만 원을 송금하라고 했다."),
    ("ko", "해외 취업을 알선하겠다며 비자 발급 등 명목으로 돈을 받아 챙겼다."),
    # Hindi
    ("hi", "दुबई में नौकरी, पहले 50 हजार रुपये जमा करने होंगे।"),
    ("hi", "एजेंट ने वीजा और नौकरी के नाम पर 3 लाख रुपये लिए।"),
    # Khmer, Lao, Burmese: must pay first
    ("km", "ការងារនៅកូរ៉េ ត្រូវបង់ប្រាក់មុន ទើបអាចទៅបាន"),
    ("lo", "ວຽກຢູ່ເກົາຫຼີ ຕ້ອງຈ່າຍເງິນກ່ອນ ຈຶ່ງໄປໄດ້"),
    ("my", "ကိုရီးယား အလုပ် အရင်ပေးရမယ်"),
]

NOT_A_FEE = [
    # the verb with no money beside it, or the employer paying the worker
    ("en", "Hiring cooks for a hotel in Dubai. You must pay attention to hygiene rules at all times."),
    ("en", "Factory jobs in Malaysia: employers must pay workers at least RM1,700 a month."),
    ("en", "Nurses for the UK: we have to pay you £28,000 a year under the sponsor rules."),
    # the obligation denied
    ("en", "Caregivers for Japan: you do not have to pay any fee, the employer pays everything."),
    ("en", "Caregivers for Japan: applicants were never asked to pay a fee."),
    ("vi", "Tuyển lao động đi Nhật, người lao động không phải nộp tiền trước."),
    ("id", "Lowongan kerja ke Taiwan resmi, calon pekerja tidak perlu membayar dulu."),
    ("id", "Penempatan ke Korea lewat BP2MI, pekerja tidak diminta membayar biaya apa pun."),
    ("ms", "Kerja di Jepun melalui agensi berlesen, tak kena bayar RM satu sen pun."),
    ("th", "รับสมัครงานเกาหลีผ่านกรมการจัดหางาน ไม่ต้องจ่ายก่อน"),
    ("zh_Hans", "赴日本技能实习,正规渠道,不用先转账。"),
    ("tl", "Trabaho sa Japan sa pamamagitan ng DMW, hindi kailangang magbayad ng placement fee."),
    ("km", "ការងារនៅកូរ៉េ តាមរយៈក្រសួង មិនត្រូវបង់ប្រាក់មុនទេ"),
    ("lo", "ວຽກຢູ່ເກົາຫຼີ ຜ່ານກະຊວງ ບໍ່ຕ້ອງຈ່າຍເງິນກ່ອນ"),
]


@pytest.mark.parametrize(("lang", "text"), ASKED)
def test_a_fee_told_as_an_obligation_is_read(lang: str, text: str) -> None:
    assert FEE in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), NOT_A_FEE)
def test_no_money_or_a_denied_obligation_is_no_fee(lang: str, text: str) -> None:
    assert FEE not in assess_text(text, lang=lang).flag_ids


LAWFUL = [
    # a lawful scheme's cost said with the same verbs stays below high
    ("en", "EPS Korea: applicants have to pay the EPS-TOPIK test fee of US$24 to HRD Korea."),
    ("vi", "Chương trình EPS: người lao động phải nộp tiền ký quỹ 100 triệu đồng theo quy định."),
]


@pytest.mark.parametrize(("lang", "text"), LAWFUL)
def test_a_lawful_cost_said_as_an_obligation_is_not_high(lang: str, text: str) -> None:
    assert assess_text(text, lang=lang).risk not in {RiskLevel.HIGH, RiskLevel.VERY_HIGH}
