"""Classes of lure wording in Vietnamese, Thai, Korean, Khmer and Lao (issue 14, branch w-rules-b).

Each class is a way recruiters, or news quoting them, write one sign; the lines here are written
for this test from the class (screening/data/SOURCES.md, "Classes of lure wording, vi th ko km
lo"), none is a corpus row. Each class also has an ordinary line that must not be caught with it.
"""

from __future__ import annotations

import pytest

from screening.assess import RiskLevel, assess_text

HIGH = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Anh ấy bị lừa sang Campuchia làm việc."),
    ("vi", "Chị ta rủ em qua Miến Điện làm việc."),
    ("vi", "Qua bên Campuchia làm, tháng 20 triệu"),
])
def test_going_to_a_compound_country_to_work_is_a_job_there(lang: str, text: str) -> None:
    assert "compound_destination" in assess_text(text, lang=lang).flag_ids


def test_a_holiday_in_cambodia_is_not_a_job_there() -> None:
    assessment = assess_text("Qua Campuchia du lịch ba ngày, đồ ăn rất ngon.", lang="vi")
    assert assessment.flag_ids == []


@pytest.mark.parametrize(("lang", "text"), [
    ("ko", "해외에 가서 일을 하면 많은 돈을 벌 수 있다"),
    ("ko", "그 회사에 취업하면 돈을 많이 번다고 했다"),
    ("vi", "Tuyển người sang đó làm việc, kiếm được rất nhiều tiền"),
    ("th", "รับสมัครคนไปทำงาน รายได้มหาศาล"),
    ("lo", "ຮັບສະໝັກຄົນໄປເຮັດວຽກ ໄດ້ເງິນຫຼາຍ"),
])
def test_earning_a_lot_of_money_is_read_in_its_inflected_forms(lang: str, text: str) -> None:
    assert "pay_far_above_market" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Tuyển nhân viên bán hàng tại cửa hàng, lương 8 triệu, có thêm hoa hồng"),
    ("ko", "편의점 직원 모집, 시급 10,030원, 주 5일"),
])
def test_ordinary_pay_is_not_read_as_a_lot_of_money(lang: str, text: str) -> None:
    assert "pay_far_above_market" not in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Tuyển nhân viên chăm sóc khách hàng, liên hệ qua Zalo"),
    ("ko", "상담원 모집, 카톡으로 문의"),
    ("ko", "상담원 모집, 라인으로 연락 주세요"),
])
def test_a_recruiter_on_zalo_kakaotalk_or_line_is_read(lang: str, text: str) -> None:
    assert "messaging_app_only" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Tuyển nhân viên bán hàng tại Hà Nội, lương 8 triệu, liên hệ Zalo 0912 345 678"),
    ("ko", "편의점 직원 모집, 시급 10,030원, 카톡 문의"),
])
def test_an_ordinary_ad_with_a_chat_contact_is_not_flagged(lang: str, text: str) -> None:
    assert assess_text(text, lang=lang).risk == RiskLevel.LOW


@pytest.mark.parametrize(("lang", "text"), [
    ("th", "รับสมัครพนักงานพิมพ์งาน ไม่จำกัดวุฒิ"),
    ("ko", "직원 모집, 학력 무관"),
    ("ko", "직원 모집, 경력 상관없음"),
    ("km", "ជ្រើសរើសបុគ្គលិក មិនត្រូវការសញ្ញាបត្រ"),
    ("lo", "ຮັບສະໝັກພະນັກງານ ບໍ່ຈຳກັດວຸດທິ"),
])
def test_no_degree_or_experience_needed_is_read(lang: str, text: str) -> None:
    assert "vague_job_language_skills" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("th", "รับสมัครพนักงานขายหน้าร้าน ไม่จำกัดวุฒิ เงินเดือน 12,000 บาท มีประกันสังคม"),
    ("ko", "물류센터 직원 모집, 경력 무관, 시급 10,030원, 4대 보험"),
])
def test_an_ordinary_ad_open_to_anyone_is_not_flagged(lang: str, text: str) -> None:
    assert assess_text(text, lang=lang).risk == RiskLevel.LOW


@pytest.mark.parametrize(("lang", "text"), [
    ("th", "รับสมัครพนักงาน บินสัปดาห์หน้า"),
    ("ko", "상담원 모집, 다음 주 바로 출국"),
    ("ko", "상담원 모집, 즉시 출국 가능"),
    ("km", "ជ្រើសរើសបុគ្គលិក ចេញដំណើរសប្តាហ៍ក្រោយ"),
    ("lo", "ຮັບສະໝັກພະນັກງານ ອອກເດີນທາງອາທິດໜ້າ"),
])
def test_leaving_next_week_is_read(lang: str, text: str) -> None:
    assert "urgency_secrecy" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("th", "รับสมัครพนักงาน สัมภาษณ์สัปดาห์หน้า"),
    ("ko", "직원 모집, 다음 주 면접"),
])
def test_an_interview_next_week_is_not_hurry(lang: str, text: str) -> None:
    assert "urgency_secrecy" not in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("th", "รับสมัครพนักงาน งานไม่หนัก รายได้ดี"),
    ("th", "รับสมัครพนักงาน รายได้ดี งานไม่ยาก"),
    ("vi", "Tuyển nhân viên, công việc đơn giản, thu nhập hấp dẫn"),
    ("lo", "ຮັບສະໝັກພະນັກງານ ວຽກບໍ່ໜັກ ເງິນດີ"),
    ("km", "ជ្រើសរើសបុគ្គលិក ការងារមិនធ្ងន់ ប្រាក់ខែខ្ពស់"),
])
def test_light_work_for_good_pay_is_read_in_its_synonyms(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert "pay_far_above_market" in flags and "vague_job_language_skills" in flags


def test_light_work_alone_is_not_high_pay() -> None:
    flags = assess_text("รับสมัครพนักงานแพ็คของ งานไม่หนัก เงินเดือน 11,000 บาท", lang="th").flag_ids
    assert "pay_far_above_market" not in flags


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Tuyển nhân viên làm việc trong sòng bài"),
    ("vi", "Tuyển nhân viên tư vấn online"),
    ("ko", "SNS 마케팅 직원 모집"),
    ("ko", "단순 사무직 직원 모집"),
])
def test_casino_and_online_sales_titles_are_read(lang: str, text: str) -> None:
    assert "vague_job_language_skills" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("ko", "캄폿 보코산 근무 직원 모집"),
    ("ko", "보꼬산 카지노 직원 모집"),
    ("ko", "포이뻿 근무 상담원 모집"),
    ("en", "Hiring customer service staff in Bokor, Cambodia"),
    ("lo", "ຮັບສະໝັກພະນັກງານໄປເຮັດວຽກຢູ່ມະນີລາ"),
])
def test_compound_towns_named_by_korean_advisories_are_destinations(lang: str, text: str) -> None:
    assert "compound_destination" in assess_text(text, lang=lang).flag_ids


def test_a_trip_to_bokor_is_not_a_job_there() -> None:
    assert assess_text("보코산 국립공원 여행 후기, 경치가 좋았다", lang="ko").flag_ids == []


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Hiring staff abroad, you will earn a lot of money"),
    ("id", "Lowongan kerja luar negeri, bisa dapat banyak uang"),
    ("ms", "Jawatan kosong di luar negara, boleh dapat banyak duit"),
    ("zh_Hans", "招聘海外员工，能赚很多钱"),
    ("zh_Hant", "招聘海外員工，能賺很多錢"),
    ("hi", "विदेश में नौकरी, बहुत पैसा कमा सकते हैं"),
])
def test_earning_a_lot_of_money_is_read_in_the_other_languages(lang: str, text: str) -> None:
    assert "pay_far_above_market" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hans", "招聘客服，下周出发"),
    ("zh_Hant", "招聘客服，下週出發"),
])
def test_leaving_next_week_is_read_in_chinese(lang: str, text: str) -> None:
    assert "urgency_secrecy" in assess_text(text, lang=lang).flag_ids
