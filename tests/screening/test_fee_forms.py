"""A fee in every form recruiters word it, and "free of charge" that is not one (issue 14, branch r-fee2).

Fee warnings (DMW/POEA, Kemnaker/BP2MI, DOLAB, Thai DOE, Korean police, MEA, Chinese police, the
ILO's "employer pays" principle; screening/data/SOURCES.md, "Fees in every form") name more forms
than "a processing fee": a fee already paid (a victim's "I paid ... to the agent", "đã nộp", "sudah
bayar", 交给了中介), paid in stages (an instalment, the rest on arrival or once the visa is out), a
deposit that holds a place ("cọc giữ chỗ", 订金, 예약금, टोकन मनी), a package price that includes the
flight and visa ("all-in package", "trọn gói", เหมาจ่าย, 套餐价), a visa or work-permit fee asked of
the worker, costs collected in advance (एडवांस राशि, 预交, เก็บล่วงหน้า). And one false alarm: a notice
saying a fee is free ("Placement fee: FREE", "biaya pendaftaran gratis", "ค่าสมัครฟรี", 报名费全免,
"등록비 무료", "रजिस्ट्रेशन फीस निःशुल्क") read as the fee demanded. Every line below was rated
without the sign before this branch (the fee lines) or with it (the free lines). The lines are
written for these tests from the class; none is a corpus row.
"""

from __future__ import annotations

import pytest

from screening.assess import assess_text
from screening.money import read_money, read_pay

FEE_FLAGS = frozenset({"fees_or_deposit", "pay_to_be_sent"})

FEE_FORMS = [
    # already paid
    ("en", "Job in Dubai. We paid PHP 50,000 to the agency and were never deployed."),
    ("tl", "Trabaho sa Japan: nagpaunang bayad kami ng P20,000 sa agency."),
    ("vi", "Tuyển lao động đi Đài Loan, tôi đã nộp 80 triệu cho công ty."),
    ("id", "Lowongan kerja ke Jepang, saya sudah bayar Rp 30 juta ke agen."),
    ("ms", "Kerja di Jepun, saya telah membayar RM3,000 kepada ejen."),
    ("th", "รับสมัครงานเกาหลี จ่ายเงินให้นายหน้าไปแล้ว 80,000 บาท"),
    ("zh_Hans", "去迪拜工作，我把钱交给了中介。"),
    ("zh_Hant", "去杜拜工作，我把錢交給了仲介。"),
    ("km", "ការងារនៅកូរ៉េ ខ្ញុំបានបង់ប្រាក់ 2000 ដុល្លារ"),
    ("lo", "ວຽກຢູ່ເກົາຫຼີ ຈ່າຍເງິນໄປແລ້ວ 10 ລ້ານກີບ"),
    ("my", "ကိုရီးယားအလုပ် ငွေ သိန်း ၅၀ ပေးပြီး"),
    ("en", "Caregiver job in Japan: they asked us to give P30,000 each in exchange for jobs."),
    ("tl", "Trabaho sa Canada, hiningan kami ng P50,000 bago umalis."),
    # staged
    ("en", "Factory job in Poland: pay the first instalment now, the balance upon arrival."),
    ("tl", "Trabaho sa Korea, kailangan magbayad pa ng dagdag na P30,000 para sa visa."),
    ("vi", "Tuyển lao động đi Hàn, nộp đợt 1 50 triệu, phần còn lại nộp khi có visa."),
    ("id", "Lowongan kerja ke Korea, pelunasan setelah visa keluar."),
    ("ms", "Kerja di Korea, ansuran pertama RM2,000, baki selepas visa keluar."),
    ("th", "รับสมัครงานเกาหลี งวดแรก 30,000 บาท ส่วนที่เหลือจ่ายตอนได้วีซ่า"),
    ("zh_Hans", "招聘去韩国工作，先交一半，出签后再交尾款。"),
    ("ko", "해외 취업 모집, 출국 전 잔금 납부"),
    ("hi", "दुबई में नौकरी, बाकी पैसे वीजा आने के बाद"),
    # a deposit that holds a place
    ("en", "Farm work in Canada. Pay PHP 20,000 to secure your slot."),
    ("en", "Job in Malta: a down payment reserves your place."),
    ("vi", "Tuyển lao động đi Úc, cọc giữ chỗ 10 triệu."),
    ("zh_Hans", "招聘赴日本工作，订金5000元。"),
    ("ko", "해외 취업 모집, 예약금 50만 원 입금"),
    ("hi", "दुबई में नौकरी, टोकन मनी 5000 रुपये"),
    # a package that includes the flight and visa
    ("en", "Caregiver job in Japan, all-in package PHP 150,000 including visa and flight."),
    ("vi", "Tuyển lao động đi Nhật, chi phí trọn gói 150 triệu."),
    ("id", "Lowongan kerja ke Jepang, biaya paket all in Rp 60 juta."),
    ("ms", "Kerja di Jepun, yuran pakej RM8,000 termasuk visa."),
    ("th", "รับสมัครงานญี่ปุ่น เหมาจ่าย 150,000 บาท รวมตั๋วและวีซ่า"),
    ("zh_Hans", "招聘去日本工作，套餐价3万元包机票签证。"),
    # a visa or permit fee asked of the worker
    ("en", "Job in Romania, work permit fee of EUR 800."),
    ("ko", "해외 취업 모집, 비자 발급 비용 300만 원"),
    ("hi", "रूस में नौकरी, वर्क परमिट के लिए 2 लाख रुपये"),
    ("km", "ការងារនៅកូរ៉េ ថ្លៃវីសា 500 ដុល្លារ"),
    ("lo", "ວຽກຢູ່ເກົາຫຼີ ຄ່າໃບອະນຸຍາດເຮັດວຽກ 5 ລ້ານກີບ"),
    ("my", "ကိုရီးယားအလုပ် အလုပ်ပါမစ်ကြေး သိန်း ၁၀"),
    # costs collected in advance
    ("en", "Job abroad: the processing costs are collected in advance."),
    ("id", "Lowongan kerja ke Inggris, agen meminta biaya kursus dan visa."),
    ("zh_Hans", "招聘去澳洲工作，需预交费用。"),
    ("hi", "दुबई में नौकरी, एडवांस राशि 20 हजार"),
]


@pytest.mark.parametrize(("lang", "text"), FEE_FORMS)
def test_a_fee_in_its_other_forms_is_read(lang: str, text: str) -> None:
    assert FEE_FLAGS & set(assess_text(text, lang=lang).flag_ids)


FREE = [
    ("en", "Hiring for Japan. Placement fee: FREE. Processing fee waived."),
    ("en", "Hiring nurses for UK. Registration fee is free of charge."),
    ("tl", "Hiring sa Japan, libreng processing fee."),
    ("vi", "Tuyển lao động đi Nhật, miễn phí đào tạo, tiền ký túc xá, tiền visa và vé máy bay."),
    ("vi", "Tuyển lao động đi Nhật, phí môi giới: 0 đồng."),
    ("id", "Lowongan kerja ke Jepang, biaya pendaftaran gratis."),
    ("id", "Lowongan kerja ke Jepang, gratis biaya pelatihan dan medical."),
    ("ms", "Jawatan kosong di Jepun, yuran pendaftaran percuma."),
    ("th", "รับสมัครงานญี่ปุ่น ค่าสมัครฟรี"),
    ("zh_Hans", "招聘赴日本工人，报名费全免，体检费免费。"),
    ("zh_Hant", "招聘赴日本工人，報名費全免。"),
    ("ko", "해외 취업 모집, 등록비 무료, 교육비 면제"),
    ("hi", "जापान में नौकरी, रजिस्ट्रेशन फीस निःशुल्क"),
    ("km", "ការងារនៅជប៉ុន ថ្លៃឯកសារ ឥតគិតថ្លៃ"),
    ("lo", "ວຽກຢູ່ຍີ່ປຸ່ນ ຄ່າເອກະສານ ຟຣີ"),
]


@pytest.mark.parametrize(("lang", "text"), FREE)
def test_a_fee_said_to_be_free_is_not_a_fee_demand(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert not FEE_FLAGS & set(flags) and "fee_for_job_abroad" not in flags, flags


@pytest.mark.parametrize(("lang", "text"), [
    # what is free ends where a priced item begins
    ("vi", "Tuyển lao động đi Nhật, miễn phí đào tạo, phí hồ sơ 20 triệu."),
    ("en", "Job in Dubai. Placement fee: free. Processing fee of USD 300 before departure."),
    ("id", "Lowongan kerja ke Taiwan, biaya pendaftaran gratis, biaya pelatihan Rp 5 juta."),
    ("zh_Hans", "招聘赴日本工人，报名费全免，押金5000元。"),
])
def test_a_priced_fee_beside_a_free_one_is_still_a_fee(lang: str, text: str) -> None:
    assert "fees_or_deposit" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text", "amount"), [
    ("en", "Caregiver job in Japan, all-in package PHP 150,000 including visa and flight.", "PHP 150,000"),
    ("id", "Kerja ke Korea, cicilan pertama Rp 20 juta.", "Rp 20 juta"),
    ("ms", "Kerja di Korea, ansuran pertama RM2,000.", "RM2,000"),
    ("th", "งานเกาหลี งวดแรก 30,000 บาท", "30,000 บาท"),
    ("zh_Hans", "去日本工作，套餐价3万元包机票签证。", "3万元"),
    ("zh_Hans", "去韩国工作，首付2万元，尾款3万元。", "3万元"),
    ("zh_Hant", "去韓國工作，首付2萬元，尾款3萬元。", "2萬元"),
    ("ko", "해외 취업, 예약금 50만 원 입금", "50만 원"),
    ("ko", "해외 취업, 출국 전 잔금 300만 원", "300만 원"),
    ("hi", "दुबई में नौकरी, टोकन मनी 5000 रुपये", "5000 रुपये"),
])
def test_a_staged_package_or_deposit_sum_is_a_fee_not_pay(lang: str, text: str, amount: str) -> None:
    read = [money for money in read_money(text, language=lang) if money.text == amount]
    assert read and all(money.kind == "fee" for money in read), read_money(text, language=lang)
    assert read_pay(text, language=lang) == []
