"""Fees asked in steps, sent for the visa, sponsorships and guarantees sold, and the lawful side
(issue 14, branch r-fee4).

Lures: a fee paid to an agent in steps without instalment words (a sum to process the visa, more
before departure, at the airport, on arrival), money sent or transferred for the visa or the job,
a work-visa sponsorship, certificate of sponsorship or LMIA sold, a pass or visa "guarantee" bought.
Lawful notices: the worker pays nothing, said in more shapes, or pays only the costs the law names
(a language test, a medical exam, a passport). Pay sent to the worker, a bonus on top of the wage,
the employer paying for the visa: none of these is a fee. The lines are written for these tests
from the class (screening/data/SOURCES.md, "Fees in steps, sponsorships sold, and the lawful side"),
none is a corpus row.
"""

from __future__ import annotations

import pytest

from screening.assess import assess_text
from screening.money import read_money
from screening.rules import default_rules

FEES = ("fees_or_deposit", "pay_to_be_sent")

ASKED = [
    # in steps, or for a step of the journey
    ("en", "Hiring for Dubai: pay P45,000 to process your visa, then the rest at the airport."),
    ("tl", "Trabaho sa Dubai: magbayad pa ng dagdag na ₱20,000 bago umalis."),
    ("id", "Kerja di Jepang, bayar lagi Rp 10 juta sebelum berangkat."),
    ("ms", "Jawatan kosong di Korea, bayar lagi RM3,000 sebelum berlepas."),
    ("th", "รับสมัครงานออสเตรเลีย จ่ายเพิ่มอีก 50,000 บาท ก่อนบิน"),
    ("ko", "해외 취업 모집, 출국 전에 200만 원을 추가로 입금해야 합니다."),
    ("hi", "विदेश में नौकरी: एयरपोर्ट पर 50 हजार रुपये और देने होंगे।"),
    ("zh_Hans", "日本打工,工作签担保费2万元,出国前再交1万。"),
    # sent or transferred for the visa or the job
    ("tl", "Trabaho sa Japan: nagpadala kami ng ₱30,000 para sa visa sa ahente."),
    ("vi", "Tuyển lao động đi Đức, chuyển khoản 50 triệu để làm hồ sơ."),
    ("id", "Lowongan kerja ke Jepang, transfer Rp 15 juta untuk biaya visa."),
    ("th", "รับสมัครงานญี่ปุ่น โอนเงิน 30,000 บาท ค่าวีซ่า"),
    ("zh_Hans", "出国打工,给中介转账2万元办签证。"),
    ("ko", "해외 취업 비자 발급을 위해 300만 원을 송금했다."),
    ("hi", "विदेश में नौकरी, उसने 2 लाख रुपये भेजे ताकि वीजा लग जाए।"),
    # a sponsorship, an LMIA, a work visa sold
    ("en", "Work in Canada. Buy an LMIA for CAD 25,000 and you can fly next month."),
    ("en", "Hiring farm workers for the UK: sponsorship fee £8,000, certificate of sponsorship included."),
    ("en", "Hiring for Qatar. Sponsorship for sale: USD 3,000 and you fly."),
    ("tl", "Trabaho sa Canada: bayad sa sponsorship ₱150,000."),
    ("id", "Lowongan kerja ke Australia, sponsor visa kerja dengan harga AU$50.000."),
    ("km", "ការងារនៅកូរ៉េ ទិញទិដ្ឋាការការងារ"),
    # a pass or a visa guarantee bought
    ("vi", "Tuyển lao động đi Nhật, phí bao đậu 150 triệu, bay nhanh."),
    ("zh_Hans", "招聘赴日务工,包过签,费用3万元。"),
    ("ko", "해외 취업 모집, 합격 보장 비용 500만 원, 비자 보증금 별도"),
    ("th", "รับสมัครงานเกาหลี การันตีผ่าน 80,000 บาท"),
    ("ms", "Jawatan kosong di Jepun, dijamin lulus, bayar RM5,000 sahaja."),
    ("tl", "Trabaho sa Japan, garantisadong makakaalis basta magbayad ng ₱50,000."),
    ("my", "ကိုရီးယား အလုပ် ဗီဇာအတွက် ငွေလွှဲပြီး ဗီဇာ ရမယ်"),
]


@pytest.mark.parametrize(("lang", "text"), ASKED)
def test_a_fee_in_steps_sent_for_the_visa_or_a_sponsorship_sold_is_a_fee(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert any(flag in flags for flag in FEES), flags


NOT_ASKED = [
    # money the worker receives, the employer paying
    ("en", "We are hiring nurses for Saudi Arabia. Salary SAR 9,000. You will be paid an additional "
           "500 riyals for night shifts."),
    ("en", "Hiring caregivers for Japan. We pay you JPY 30,000 on arrival as settling-in allowance."),
    ("en", "Hiring drivers for Dubai: salary AED 3,000; the company gives AED 500 on arrival for food."),
    ("en", "Hiring cooks for Canada. The employer pays for the work visa and the LMIA. Salary CAD 18/hour."),
    ("en", "Hiring caregivers for Israel. Our agency will pay for the work visa and airfare."),
    ("en", "Job in UK: licensed sponsor, the certificate of sponsorship is free and the employer pays the "
           "Immigration Skills Charge."),
    ("vi", "Tuyển lao động đi Nhật. Công ty chuyển khoản lương 30 triệu mỗi tháng."),
    ("zh_Hans", "招聘赴日工人,工资每月转账2万元到工人账户。"),
    ("ko", "해외 취업 모집. 월급 300만 원, 추가로 50만 원 보너스 지급."),
    ("ko", "해외 취업 모집. 월급은 매월 300만 원을 송금해 드립니다."),
    ("th", "รับสมัครงานไต้หวัน เงินเดือน 30,000 บาท ได้รับเพิ่มอีก 5,000 บาท ค่าล่วงเวลา"),
    ("th", "รับสมัครงานไต้หวัน เงินเดือนโอนเข้าบัญชี 30,000 บาท ทุกเดือน"),
    ("id", "Lowongan kerja ke Jepang, gaji Rp 25 juta, bonus tambahan Rp 2 juta."),
    ("id", "Kerja di Korea melalui G to G, dijamin lolos jika lulus ujian EPS-TOPIK."),
    ("ms", "Jawatan kosong di Jepun melalui program kerajaan, gaji RM6,000, dijamin lulus jika lulus ujian."),
    ("lo", "ວຽກຢູ່ເກົາຫຼີ ເງິນເດືອນດີ ສາມາດສົ່ງເງິນກັບບ້ານໄດ້ທຸກເດືອນ"),
    # nothing is charged, in more shapes
    ("tl", "Hiring factory workers sa Taiwan. Hindi sisingilin ng placement fee o processing fee ang mga "
           "aplikante."),
    ("tl", "Hiring nurses for Saudi. Walang babayaran na placement fee."),
    ("tl", "Hiring caregivers for Japan. Libre at walang placement fee, walang babayaran ang aplikante."),
    ("en", "We are hiring. Applicants will not need to pay a single cent for placement or processing fees."),
    ("id", "Lowongan kerja ke Korea, tanpa biaya sepeser pun."),
    ("th", "รับสมัครงานเกาหลี ไม่ต้องเสียเงินสักบาท"),
    ("hi", "विदेश में नौकरी भर्ती, एक भी पैसा नहीं लिया जाएगा।"),
    ("zh_Hans", "招聘赴日技能实习生,不收取一分钱。"),
    ("ko", "해외 취업 모집. 어떠한 비용도 받지 않습니다. 등록비 없음."),
    # only the costs the law names
    ("en", "Job in Korea via EPS. Applicants pay only the EPS-TOPIK test fee, the medical exam fee and "
           "their passport."),
    ("tl", "Trabaho sa Korea sa EPS. Ang babayaran lang ng aplikante ay ang EPS-TOPIK exam fee at "
           "medical fee."),
    ("vi", "Tuyển lao động EPS Hàn Quốc: người lao động chỉ nộp phí dự thi tiếng Hàn, phí khám sức khỏe "
           "và lệ phí hộ chiếu theo quy định."),
    ("id", "Lowongan kerja ke Jepang: calon pekerja cukup menanggung biaya paspor dan medical check up."),
    ("ms", "Jawatan kosong di Korea melalui EPS: pemohon hanya perlu membayar yuran ujian EPS-TOPIK dan "
           "pemeriksaan kesihatan."),
    ("zh_Hans", "赴韩国EPS雇佣许可制招聘:报名者只需缴纳韩语考试费、体检费和护照费。"),
    ("zh_Hant", "赴韓國EPS招聘:報名者只需繳納體檢費和護照費。"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_ASKED)
def test_pay_received_nothing_charged_or_only_the_lawful_costs_is_not_a_fee(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert not any(flag in flags for flag in FEES), flags


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Hiring for Canada: no placement fee, only a processing fee of P30,000 payable before departure."),
    ("en", "Job in Korea via EPS. Applicants pay only the EPS-TOPIK test fee and the medical exam fee, "
           "and a processing fee of P50,000 to our agent."),
    ("id", "Lowongan kerja ke Jepang: cukup membayar biaya medical Rp 15 juta ke agen."),
    ("zh_Hans", "赴日本务工:只需缴纳体检费5000元。"),
    ("tl", "Hiring sa Taiwan. Walang babayaran na placement fee, pero magbayad pa ng dagdag na ₱20,000 "
           "bago umalis."),
])
def test_a_fee_asked_beside_a_negation_or_the_lawful_list_is_still_a_fee(lang: str, text: str) -> None:
    assert "fees_or_deposit" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize("text", [text for _, text in ASKED + NOT_ASKED])
def test_the_reference_matcher_agrees_with_the_prefilter(text: str) -> None:
    rules = default_rules()
    fast, _ = rules.match(text)
    slow, _ = rules.match(text, use_prefilter=False)
    assert [rule.id for rule in fast] == [rule.id for rule in slow]


@pytest.mark.parametrize(("lang", "text", "amount"), [
    ("en", "Jobs in Dubai: pay GH¢23,000 to obtain travel documents and visas.", "GH¢23,000"),
    ("en", "On arrival in Dubai the agent asks an additional 3,000 dirhams to cover accommodation.",
     "3,000 dirhams"),
    ("en", "The recruiter demanded USD 4,000 before the flight.", "USD 4,000"),
    ("vi", "Anh ấy gửi 20 triệu để làm hồ sơ đi Nhật.", "20 triệu"),
    ("id", "Dia mengirim Rp 15 juta untuk biaya visa ke Jepang.", "Rp 15 juta"),
    ("zh_Hans", "给中介2万元办签证。", "2万元"),
])
def test_a_sum_asked_or_paid_for_the_papers_is_a_fee_not_pay(lang: str, text: str, amount: str) -> None:
    read = [money for money in read_money(text, language=lang) if money.text == amount]
    assert read, read_money(text, language=lang)
    assert read[0].kind == "fee"


@pytest.mark.parametrize(("lang", "text", "amount"), [
    ("en", "Hiring drivers for Dubai, salary AED 3,000 per month, allowance to cover transport.",
     "AED 3,000 per month"),
    ("en", "We have asked our client: the salary is USD 2,500 a month.", "USD 2,500 a month"),
])
def test_pay_beside_these_words_is_still_pay(lang: str, text: str, amount: str) -> None:
    read = [money for money in read_money(text, language=lang) if money.text == amount]
    assert read, read_money(text, language=lang)
    assert read[0].kind == "pay"
