"""Three classes of branch r-context2 (issue 14), each with the texts that must not move.

1. Earnings per period next to a perk (lodging, air ticket, visa, living costs) is a job offer
   even with no job word: the rules gated on job context then read it.
2. Urgency with a job abroad (urgency_secrecy) in the forms zh, th, tl and the other languages
   lacked; urgent hiring alone and "start as soon as possible" stay ordinary.
3. A public-service post named with its civil-service grade ("PEGAWAI KHIDMAT PELANGGAN
   (GRED N17)") is not vague office work; the same words without a grade still are.

The lines are written for this test from the sources in screening/data/red_flags.json; none is a
corpus text.
"""

from __future__ import annotations

import pytest

from screening.assess import assess_text

EARNINGS_WITH_PERKS = [
    ("en", "Earn 10–20 million won a week; lodging, air tickets, visa, living costs provided."),
    ("tl", "Kikita ka ng 50k bawat linggo, libre ang pamasahe, visa at tirahan"),
    ("zh_Hans", "一个月可以挣3万,机票签证住宿全包"),
    ("zh_Hant", "一個月可以賺3萬,機票簽證住宿全包"),
    ("ko", "주 1~2천만 원 수익, 숙소·항공권·비자·생활비 제공"),
    ("vi", "Một tuần kiếm 10 triệu, có chỗ ở và vé máy bay"),
    ("th", "ได้สัปดาห์ละ 20,000 บาท มีที่พัก ตั๋วเครื่องบิน วีซ่า"),
    ("id", "Dapat Rp 5 juta per minggu, tiket pesawat, visa dan mess gratis"),
    ("ms", "Boleh dapat RM2,000 seminggu, tiket kapal terbang dan penginapan disediakan"),
    ("km", "រកបាន ៥០០ ដុល្លារ ក្នុងមួយសប្តាហ៍ ផ្តល់កន្លែងស្នាក់នៅ សំបុត្រយន្តហោះ"),
    ("lo", "ຫາເງິນໄດ້ 5 ລ້ານກີບຕໍ່ອາທິດ ມີທີ່ພັກ ປີ້ຍົນ ວີຊາ ໃຫ້ຟຣີ"),
    ("my", "တစ်ပတ် ဝင်ငွေ ၅၀၀ ဒေါ်လာ၊ နေစရာ၊ လေယာဉ်လက်မှတ်၊ ဗီဇာ အခမဲ့"),
    ("hi", "हर हफ्ते 50 हजार रुपये कमाएं, रहना, हवाई टिकट और वीज़ा मुफ्त"),
]


@pytest.mark.parametrize(("lang", "text"), EARNINGS_WITH_PERKS)
def test_earnings_per_period_with_a_perk_is_a_job_offer(lang: str, text: str) -> None:
    assert assess_text(text, lang=lang).job_context


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Earn 500 points a week with our loyalty card."),
    ("zh_Hans", "机票加酒店套餐,签证代办,五天四晚"),
])
def test_a_travel_package_or_points_without_earnings_are_not_a_job_offer(lang: str, text: str) -> None:
    assert not assess_text(text, lang=lang).job_context


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hant", "柬埔寨工作 月薪3萬 名額不多 隨時出國"),
    ("zh_Hans", "柬埔寨工作 月薪3万 名额快满 尽快过来"),
    ("th", "รับสมัครด่วน งานกัมพูชา เงินเดือนดี ไปได้เลย"),
    ("th", "งานที่กัมพูชา เงินเดือนดี เดินทางเร็วที่สุด"),
    ("tl", "Trabaho sa Cambodia, limitado lang ang slot"),
    ("tl", "Trabaho sa Cambodia, madalian ang alis"),
    ("hi", "कंबोडिया में नौकरी, जल्द से जल्द निकलना है"),
    ("id", "Kerja di Kamboja, segera berangkat"),
    ("ms", "Kerja di Kemboja, kekosongan terhad"),
    ("km", "ការងារនៅថៃ ប្រាក់ខែ ១០០០ ដុល្លារ ចេញដំណើរភ្លាម"),
])
def test_urgency_with_a_job_abroad(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "urgency_secrecy" in assessment.flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hant", "誠徵門市人員,月薪3萬2,可盡快到職者優先,近捷運站。"),
    ("zh_Hant", "急徵門市人員,月薪3萬2,台北市"),
    ("th", "รับสมัครพนักงานขาย เงินเดือน 15,000 บาท ใกล้ BTS เดินไปได้เลย"),
    ("ko", "편의점 알바 급구, 시급 1만원"),
])
def test_ordinary_hiring_haste_is_not_urgency(lang: str, text: str) -> None:
    assert "urgency_secrecy" not in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("ms", "Kementerian Pendidikan Malaysia. PEGAWAI KHIDMAT PELANGGAN (GRED N17): SPM, mohon melalui SPA9."),
    ("en", "Customer Service Officer (Grade N19), Ministry of Health Malaysia; apply via SPA9 by 30 June."),
    ("tl", "Customer Service Representative, Salary Grade 11, DOLE; deadline June 30"),
    ("zh_Hant", "客服人員 委任第三職等 勞動部 報名截止 6月30日"),
    ("ko", "민원 상담원 (9급 상당) 고용노동부, 6월 30일 마감"),
    ("id", "Formasi CPNS Kemnaker: operator input data golongan II/a, pendaftaran melalui SSCASN"),
])
def test_a_graded_public_post_is_not_vague_work(lang: str, text: str) -> None:
    assert "vague_job_language_skills" not in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("ms", "Kerja khidmat pelanggan di Kemboja, gaji RM8000, fasih Mandarin"),
    ("en", "Customer service job in Cambodia, $1500/month, no experience needed"),
    ("ms", "PEGAWAI KHIDMAT PELANGGAN, gaji tinggi, kerja di Kemboja"),
])
def test_the_same_words_without_a_grade_are_still_vague_work(lang: str, text: str) -> None:
    assert "vague_job_language_skills" in assess_text(text, lang=lang).flag_ids
