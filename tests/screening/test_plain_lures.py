"""The plainest lures (issue 14): wording classes the rules missed on the train split, read in
every language that has them, and the ordinary ads that must not be caught with them.

The lure lines are written for this test after the real train rows named in
screening/data/SOURCES.md ("The plainest lures"); none is a test-split text.
"""

from __future__ import annotations

import pytest

from screening.assess import RiskLevel, assess_text

HIGH = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hant", "招聘員工，高報酬、低要求，月薪面議"),
    ("zh_Hans", "招聘员工，高报酬、低要求，月薪面议"),
    ("zh_Hant", "以日薪招聘，無需任何技能便可獲優厚報酬"),
    ("zh_Hans", "招聘兼职，无需任何技能即可获得丰厚报酬"),
    ("id", "Lowongan kerja, imbalan besar untuk semua pelamar"),
    ("ms", "Jawatan kosong pemetik buah, gaji minimum hampir lima angka sebulan"),
    ("th", "รับสมัครพนักงาน งานน้อย เงินเยอะ"),
    ("ko", "직원 모집, 높은 급여, 낮은 요구"),
    ("en", "Hiring now: easy computer job with high salary"),
    ("en", "Hiring: five figures a month for simple tasks"),
    ("tl", "Hiring CSR, 6 digits ang sahod"),
    ("hi", "नौकरी: आसान काम और मोटी सैलरी"),
    ("zh_Hans", "招聘客服，月薪轻松过五位数"),
])
def test_high_pay_for_little_is_read(lang: str, text: str) -> None:
    assert "pay_far_above_market" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hans", "招聘工作人员，在赌场工作，月收入五六千"),
    ("zh_Hant", "招聘員工，與賭場有關的工作，月薪面議"),
    ("zh_Hans", "招聘电访人员，月薪面议"),
    ("en", "We are hiring tech support representatives, salary negotiable"),
    ("en", "Hiring staff for an online gambling company, salary negotiable"),
    ("th", "รับสมัครพนักงาน ทำงานเว็บพนัน เงินเดือนดี"),
    ("ko", "직원 모집, 도박 사이트 관리, 월급 협의"),
    ("ms", "Jawatan kosong di syarikat perjudian, gaji boleh runding"),
    ("hi", "नौकरी: सट्टा ऐप के लिए स्टाफ चाहिए, सैलरी अच्छी"),
])
def test_gambling_and_vague_titles_are_read(lang: str, text: str) -> None:
    assert "vague_job_language_skills" in assess_text(text, lang=lang).flag_ids


def test_work_on_a_visa_waiver_is_read() -> None:
    text = "Tawaran kerja ke Jepang menggunakan visa waiver, proses cepat"
    assert "tourist_visa_for_work" in assess_text(text, lang="id").flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    # A guaranteed base pay at the ordinary level is not pay far above market (tried and dropped).
    ("zh_Hans", "招聘客服专员，保底月薪5000元+提成，五险一金，双休。地址：杭州市西湖区"),
    ("zh_Hant", "誠徵客服人員，月薪保底32000元，享勞健保，週休二日"),
    ("ko", "고객 상담원 모집 월 250만 원 보장 주5일"),
    ("vi", "Tuyển nhân viên chăm sóc khách hàng, cam kết thu nhập từ 8 triệu/tháng, làm việc tại Hà Nội"),
    ("th", "รับสมัครพนักงานขาย การันตีรายได้ 15,000 บาท ไม่ต้องมีประสบการณ์"),
    ("id", "Lowongan customer service, gaji dijamin Rp 4.500.000, penempatan Jakarta"),
    ("ms", "Jawatan kosong khidmat pelanggan, gaji dijamin RM2,000, Kuala Lumpur"),
    ("hi", "कॉल सेंटर में नौकरी, पक्की सैलरी 15000 रुपये, अनुभव की जरूरत नहीं"),
    # Licensed labour-export wording (tried and dropped).
    ("vi", "Đơn hàng đi Nhật Bản lương cao chi phí thấp, tuyển 20 nam làm thực phẩm"),
    # A legal casino, a helpdesk, a six-figure salary a year, five digits in Taiwan.
    ("zh_Hant", "澳門賭場招聘荷官，需持有效工作證，月薪二萬澳門元"),
    ("en", "Tech support agents wanted for our Cebu office, HMO and night differential"),
    ("en", "Senior software engineer, six-figure salary, Singapore"),
    ("zh_Hant", "誠徵會計，月薪五位數，週休二日"),
])
def test_ordinary_ads_are_not_high(lang: str, text: str) -> None:
    assert assess_text(text, lang=lang).risk not in HIGH
