"""Lawful schemes and the bodies that run them, named as their notices name them (issue 14, branch
r-legit5): in full ("Philippine Overseas Employment Administration", "Employment Permit System") or
in the local language ("kỹ năng đặc định", "특정기능", "ผู้ฝึกปฏิบัติงานเทคนิค"), not only by their
acronyms. A named body cancels the combinations lawful employers trip by giving what the ILO's
Employer Pays Principle requires of them (free housing and travel abroad); a named scheme lowers the
level one step, unless the text asks a fee, names a compound country, a route or a tourist visa:
lures borrow these names, and those signs are never masked."""

from __future__ import annotations

import pytest

from screening import money, places
from screening.assess import RiskLevel, assess_text, match_rules
from screening.rules import default_rules

_HIGH = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def _found(text: str, lang: str) -> set[str]:
    found, _ = match_rules(text, default_rules(), lang=lang)
    return {rule.id for rule in found}


# --- 1. The placing bodies by their full names ---------------------------------------------------

@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Saudi Arabia is recruiting 500 nurses from the Philippines, coursed through the Philippine "
           "Overseas Employment Administration. Benefits include free round trip ticket and free housing."),
    ("en", "Factory workers wanted for Korea under the Employment Permit System: free dormitory and meals."),
    ("en", "Caregivers for Japan registered with the Organization for Technical Intern Training: free "
           "accommodation and airfare."),
    ("id", "Lowongan kerja ke Jepang melalui Badan Pelindungan Pekerja Migran Indonesia, mess gratis dan "
           "tiket pesawat gratis."),
    ("id", "Pendaftaran kerja ke Taiwan di Layanan Terpadu Satu Atap kabupaten, asrama dan makan gratis."),
    ("th", "กองบริหารแรงงานไทยไปต่างประเทศ รับสมัครคนงานไปทำงานที่ไต้หวัน ที่พักฟรี อาหารฟรี"),
])
def test_a_placing_body_named_in_full_is_official_context(lang: str, text: str) -> None:
    found = _found(text, lang)
    assert "official_channel_named" in found, found
    assert "abroad_perks_unlicensed" not in assess_text(text, lang=lang).flag_ids


def test_the_same_perks_abroad_without_a_body_still_read_as_unlicensed() -> None:
    text = ("Saudi Arabia is recruiting 500 nurses from the Philippines for overseas employment. Benefits "
            "include free round trip ticket and free housing.")
    assert "abroad_perks_unlicensed" in assess_text(text, lang="en").flag_ids


# --- 2. The schemes in the words of their notices ------------------------------------------------

@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Apply now for the EPS programme: factory jobs in Korea, salary 2,000,000 won a month."),
    ("en", "Hiring seasonal fruit pickers for Australia under the Pacific Australia Labour Mobility "
           "scheme, salary AUD 28 an hour."),
    ("en", "Recognised Seasonal Employer jobs in New Zealand orchards, NZ$23.50 an hour."),
    ("en", "Construction workers for Israel through NSDC International, salary 1.37 lakh a month."),
    ("id", "Lowongan ke Jepang program tokutei ginou, gaji 180.000 yen per bulan."),
    ("id", "Perusahaan penempatan resmi dengan SIP3MI membuka lowongan pabrik di Taiwan."),
    ("vi", "Tuyển lao động đi Nhật theo diện kỹ năng đặc định, lương 180.000 yên/tháng."),
    ("vi", "Tuyển thực tập sinh kỹ năng đi Nhật ngành cơ khí, lương 160.000 yên/tháng."),
    ("ko", "일본 특정기능 비자로 요양보호사 채용, 월급 20만 엔."),
    ("ko", "일본 기능실습생 모집, 제조업, 월급 17만 엔."),
    ("th", "กรมการจัดหางานรับสมัครคนงานไปทำงานภาคเกษตรที่อิสราเอล โครงการ TIC ค่าจ้างเดือนละ 50,000 บาท"),
    ("th", "รับสมัครผู้ฝึกปฏิบัติงานเทคนิคไปญี่ปุ่น ผ่านองค์กร IM Japan เบี้ยเลี้ยงเดือนละ 80,000 เยน"),
    ("ms", "Jawatan kosong di Singapura oleh syarikat dengan lesen agensi pekerjaan JTK, gaji SGD 1,800."),
])
def test_a_lawful_scheme_named_in_its_notices_words_counts(lang: str, text: str) -> None:
    assert "legal_channel" in _found(text, lang)


def test_a_scheme_notice_with_employer_paid_travel_and_board_is_not_high() -> None:
    text = ("Tuyển lao động đi Nhật theo diện kỹ năng đặc định ngành điều dưỡng, bao vé máy bay, hỗ trợ "
            "nhà ở, không cần kinh nghiệm, nộp hồ sơ trước ngày 30/6.")
    assert assess_text(text, lang="vi").risk not in _HIGH


# --- 3. Lures that borrow the names stay high ----------------------------------------------------

@pytest.mark.parametrize(("lang", "text"), [
    # a fee to a person
    ("id", "Program tokutei ginou ke Jepang, gaji 30 juta, tanpa pengalaman, mess gratis. Biaya proses "
           "25 juta transfer ke rekening pribadi saya dulu."),
    # a compound country
    ("en", "EPS programme jobs in Cambodia: customer service, USD 1,500 a month, free housing and "
           "free air ticket, no experience needed."),
    # a tourist visa
    ("vi", "Đi Nhật diện kỹ năng đặc định, lương 40 triệu, đi bằng visa du lịch rồi chuyển đổi sau, "
           "đóng trước 150 triệu tiền phí."),
    # a route across a border
    ("en", "Seasonal worker programme: fly to Bangkok, then our driver takes you across the border to "
           "Myawaddy. Salary USD 1,200, free food and room."),
])
def test_a_lure_borrowing_a_scheme_name_stays_high(lang: str, text: str) -> None:
    assert assess_text(text, lang=lang).risk in _HIGH


# --- 4. Vietnamese names a destination by its short name -----------------------------------------

@pytest.mark.parametrize(("text", "country"), [
    ("Tuyển 100 lao động đi Nhật làm việc tại nhà máy", "JP"),
    ("Tuyển thợ hàn sang Nhật, lương 180.000 yên", "JP"),
    ("Đơn hàng XKLĐ Nhật ngành thực phẩm", "JP"),
    ("Tuyển lao động đi Hàn theo chương trình EPS", "KR"),
    ("Lao động ở Hàn gửi tiền về nhà", "KR"),
    ("Tuyển nữ đi Đài làm nhà máy điện tử", "TW"),
])
def test_a_vietnamese_short_country_name_after_going_is_the_country(text: str, country: str) -> None:
    assert country in places.countries_named(text)


@pytest.mark.parametrize("text", [
    "Cập nhật lịch làm việc ngày Chủ nhật",
    "Tuyển thợ hàn, thợ tiện tại Bình Dương",
    "Phóng viên đài truyền hình tỉnh",
])
def test_the_same_words_in_other_senses_name_no_country(text: str) -> None:
    assert not {"JP", "KR", "TW"} & set(places.countries_named(text))


def test_a_lawful_japan_notice_in_vietnamese_is_judged_at_japans_wages() -> None:
    # 40 million dong a month is ~4.6 times the Vietnamese entry-level wage, but ordinary in Japan.
    text = ("Tuyển gấp 100 lao động đi Nhật theo diện kỹ năng đặc định, lương 40 triệu/tháng, bao vé máy "
            "bay, hỗ trợ nhà ở, không cần kinh nghiệm.")
    assert "pay_far_above_market" not in assess_text(text, lang="vi").flag_ids


# --- 5. A Philippine recruitment licence: the Philippines is where the worker starts --------------

@pytest.mark.parametrize("text", [
    "DMW-licensed agency ABC Manpower Services (License No. DMW-123-LB-031221) is hiring 50 factory "
    "workers for Taiwan. Free accommodation and meals, free airfare. No placement fee. Apply at our "
    "office in Ermita, Manila.",
    "Hiring caregivers for Japan, POEA License No. 089-LB-112019. Free dormitory, flight paid by the "
    "employer. Training at our centre in Metro Manila.",
])
def test_a_philippine_licensed_agencys_manila_office_is_not_the_destination(text: str) -> None:
    assessment = assess_text(text, lang="en")
    assert "compound_destination" not in assessment.flag_ids
    assert assessment.risk not in _HIGH


def test_without_the_licence_manila_still_counts_in_english() -> None:
    text = "Hiring typists for our office in Manila. Free accommodation and meals, free airfare."
    assert "compound_destination" in assess_text(text, lang="en").flag_ids


def test_a_philippine_licence_does_not_hide_a_compound_country() -> None:
    text = ("POEA License No. 089-LB-112019. Hiring customer service staff for Cambodia, USD 1,500 a "
            "month, free accommodation and free air ticket, no experience needed.")
    assessment = assess_text(text, lang="en")
    assert "compound_destination" in assessment.flag_ids
    assert assessment.risk in _HIGH


# --- 6. A licensed company in Vietnamese ads ------------------------------------------------------

def test_a_licensed_company_in_vietnamese_is_official_context() -> None:
    text = ("Công ty được cấp phép tuyển 50 lao động đi Đài Loan làm nhà máy điện tử, ở ký túc xá miễn "
            "phí, vé máy bay chủ sử dụng chi trả.")
    assert "official_channel_named" in _found(text, "vi")
    assert "abroad_perks_unlicensed" not in assess_text(text, lang="vi").flag_ids


# --- 7. The press's names for a destination (issue 14, branch r-legit6) ---------------------------
# Indonesian, Vietnamese and Thai news name Korea and Japan by their nicknames (BP2MI's G to G
# departures to "Korsel", "Negeri Ginseng"; "xứ sở kim chi"; BBC Thai's "แดนกิมจิ"): a lawful EPS or
# intern notice naming the country only so had its pay judged against the worker's home wages.

@pytest.mark.parametrize(("lang", "text", "country"), [
    ("id", "BP2MI melepas 83 PMI program G to G ke Korsel, gaji Rp 23 juta per bulan.", "KR"),
    ("id", "Ribuan WNI bekerja di Negeri Ginseng dengan gaji Rp 25 juta per bulan.", "KR"),
    ("id", "Program magang ke Negeri Sakura, gaji Rp 20 juta per bulan.", "JP"),
    ("vi", "Lao động sang xứ sở kim chi làm nông nghiệp, lương 45 triệu/tháng.", "KR"),
    ("vi", "Thực tập sinh sang xứ sở hoa anh đào, lương 35 triệu/tháng.", "JP"),
    ("th", "แรงงานไทยไปทำงานแดนกิมจิ เงินเดือน 60,000 บาท", "KR"),
])
def test_a_destination_by_its_press_name_is_judged_at_its_wages(lang: str, text: str, country: str) -> None:
    assert country in places.countries_named(text)
    verdict = money.assess_pay(text, language=lang)
    assert verdict is not None and verdict.country == country and not verdict.far_above, verdict


def test_pay_far_above_the_nicknamed_destinations_market_still_counts() -> None:
    text = "Kerja di Negeri Ginseng tanpa pengalaman, gaji Rp 150 juta per bulan."
    verdict = money.assess_pay(text, language="id")
    assert verdict is not None and verdict.country == "KR" and verdict.far_above, verdict


# --- 8. A working holiday visa is a government programme (issue 14, branch r-legit6) --------------

@pytest.mark.parametrize(("lang", "text"), [
    ("ko", "일본 워홀로 리조트 알바를 시작하면 기숙사와 식사가 무료로 제공됩니다."),
    ("en", "On a working holiday visa in Japan: resort jobs with free dormitory and meals."),
    ("zh_Hant", "日本打工度假，飯店工作包吃包住。"),
    ("vi", "Chương trình lao động kết hợp kỳ nghỉ tại Úc, chỗ ở miễn phí."),
])
def test_a_working_holiday_is_official_context(lang: str, text: str) -> None:
    found = _found(text, lang)
    assert "official_channel_named" in found, found
    assert "abroad_perks_unlicensed" not in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("ko", "캄보디아 워홀 모집! 고수익 월 500만원, 숙식 제공, 항공권 지원. 텔레그램으로 연락주세요."),
    ("zh_Hant", "柬埔寨打工度假，月薪3000美金，包吃包住，機票報銷，私訊LINE"),
])
def test_a_working_holiday_in_a_compound_country_stays_high(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "compound_destination" in assessment.flag_ids
    assert assessment.risk in _HIGH
