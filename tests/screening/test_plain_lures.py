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


# Second round (branch p-rules2): the fourth-batch train rows.

@pytest.mark.parametrize(("lang", "text"), [
    # Money collected per person by an agent for a job abroad, as victims and news tell it.
    ("en", "The agent charged Rs 85,000 per person for a job in Dubai"),
    ("en", "He handed Rs 400,000 to an agent who promised him a job in Libya"),
    ("hi", "एजेंट ने दुबई में नौकरी दिलाने को प्रति व्यक्ति 85 हजार रुपये मांगे"),
    ("hi", "विदेश में नौकरी दिलाने के लिए हर युवक से 50 हजार रुपए वसूले"),
    ("zh_Hans", "招工去马来西亚打工，代理费用为每人1.5万元"),
    ("zh_Hant", "招工去馬來西亞打工，代理費每人1.5萬元"),
    ("vi", "Tuyển lao động đi Hàn Quốc, nộp 125 triệu tiền lệ phí làm hồ sơ"),
    ("th", "รับสมัครไปทำงานต่างประเทศ เรียกเก็บเฉพาะค่าธรรมเนียมการขอวีซ่า"),
    ("id", "Lowongan kerja ke luar negeri, setiap orang dikenakan biaya Rp 10 juta"),
    ("ms", "Kerja di luar negara, setiap orang dikenakan bayaran RM3,000"),
    ("ko", "해외 취업 알선, 1인당 300만 원을 받았다"),
])
def test_fees_per_person_for_a_job_abroad_are_read(lang: str, text: str) -> None:
    assert "fees_or_deposit" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Hiring data entry operators with handsome perks"),
    ("en", "Lucrative IT sector job offers in Dubai"),
    ("th", "รับสมัครแรงงานไปทำงานก่อสร้าง โดยจะได้รับเงินเดือนในอัตราสูง"),
    ("vi", "Tuyển lao động sang Hàn Quốc làm việc với mức lương hàng chục triệu đồng"),
])
def test_more_high_pay_wording_is_read(lang: str, text: str) -> None:
    assert "pay_far_above_market" in assess_text(text, lang=lang).flag_ids


def test_no_language_needed_with_words_between_is_read() -> None:
    text = "Tuyển lao động đi Israel, không yêu cầu gì về ngoại ngữ hay kinh nghiệm"
    assert "vague_job_language_skills" in assess_text(text, lang="vi").flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    # An exemption from fees is a negation, not a fee demand (a POEA notice of the Japan programme).
    ("tl", "Trabaho sa Japan bilang housekeeper. Sila ay exempted sa pagbabayad ng placement, "
           "language training fee, at pamasahe. Ang sahod ay P58,000 kada buwan."),
    ("en", "Housekeepers for Japan: workers are exempted from paying placement and training fees. "
           "Salary PHP 58,000 a month."),
    # Auxiliary police in Singapore: housing and return flights are part of a licensed contract.
    ("zh_Hans", "辅警工作门槛没那么高，不限定年龄或工作经验。薪水比台湾高，包住宿跟往返飞机票。"),
])
def test_exempted_fees_and_auxiliary_police_are_not_high(lang: str, text: str) -> None:
    assert assess_text(text, lang=lang).risk not in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    # A visa, permanent residency or departure promised as guaranteed (flag 2, "assured work visa").
    ("en", "Jobs in Canada: 100% visa guaranteed, apply now"),
    ("vi", "Tuyển lao động đi Canada, đảm bảo ra visa 100%"),
    ("zh_Hans", "招聘赴澳务工人员，保证出签，包拿绿卡"),
    ("zh_Hant", "招聘赴澳工作人員，保證出簽"),
    ("th", "รับสมัครงานต่างประเทศ การันตีวีซ่า"),
    ("id", "Lowongan kerja ke Jepang, visa dijamin keluar"),
    ("ms", "Kerja di luar negara, jaminan visa"),
    ("tl", "Hiring sa Canada, guaranteed visa"),
    ("km", "ការងារនៅក្រៅប្រទេស ធានាទិដ្ឋាការ"),
    ("lo", "ວຽກຕ່າງປະເທດ ຮັບປະກັນວີຊາ"),
    ("my", "နိုင်ငံခြားအလုပ် ဗီဇာ 100%"),
    ("ko", "호주 취업, 100% 취업보장 및 영주권 획득"),
    ("hi", "विदेश में नौकरी, वीजा की गारंटी"),
])
def test_a_guaranteed_visa_or_residency_is_read(lang: str, text: str) -> None:
    assert "perks_bundle" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    # A job after a domestic course is guaranteed in ordinary training-school ads: not a flag.
    ("ko", "직업훈련 교육생 모집, 수료 후 100% 취업보장"),
    ("hi", "कोर्स के बाद 100% नौकरी की गारंटी, कंप्यूटर सीखें"),
])
def test_a_guaranteed_job_after_a_course_is_not_a_perk(lang: str, text: str) -> None:
    assert "perks_bundle" not in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    # Coached to pose as pilgrims to leave the country (flag 8).
    ("tl", "Trabaho sa Dubai: inutusan silang magpanggap bilang Muslim pilgrims para makaalis"),
    ("en", "They were told to pose as pilgrims to get past immigration"),
    ("id", "Calon pekerja disuruh menyamar sebagai jemaah umrah"),
])
def test_posing_as_pilgrims_is_read(lang: str, text: str) -> None:
    assert "coached_departure" in assess_text(text, lang=lang).flag_ids


def test_workers_sent_abroad_for_wages_is_a_job_offer() -> None:
    text = "Được giới thiệu làm phụ xe đưa người qua Campuchia với tiền công 5 triệu đồng/chuyến"
    assert assess_text(text, lang="vi").job_context


@pytest.mark.parametrize(("lang", "text"), [
    # The recruiter or company arranges the work visa and tickets (flag 2), in the words of
    # victims' accounts.
    ("hi", "एजेंट ने कहा कि बैंकाक में इंटरव्यू होगा और कंपनी एक साल के लिए वर्किंग वीजा प्रदान करेगी"),
    ("tl", "Trabaho sa Dubai: isang babae ang nag-asikaso ng kanilang mga visa at ticket"),
    ("en", "Job in Dubai: the recruiter arranged their visas and air tickets"),
])
def test_visa_and_tickets_arranged_are_read(lang: str, text: str) -> None:
    assert "perks_bundle" in assess_text(text, lang=lang).flag_ids


# Issue 14, branch q-rules: classes of sign rather than rows (screening/data/SOURCES.md, "Classes of
# sign that transfer"). Lines written for this test after the dev rows named there.

@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Overseas hiring: cleaners for a hotel in Dubai, free food and accommodation, apply now"),
    ("hi", "दुबई के होटल में नौकरी, रहना-खाना फ्री, तुरंत संपर्क करें"),
    ("km", "ជ្រើសរើសពលករទៅធ្វើការនៅអូស្ដ្រាលី ក្រុមហ៊ុនរៀបចំទិដ្ឋាការឱ្យ"),
    ("zh_Hans", "招聘酒店服务员，工作地点迪拜，包吃包住"),
    ("vi", "Tuyển lao động đi Nhật Bản, bao ăn ở miễn phí, liên hệ ngay"),
])
def test_a_job_abroad_with_free_board_and_no_licensed_channel_is_high(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "abroad_perks_unlicensed" in assessment.flag_ids and assessment.risk in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    # The same offer through a named licensed agency, government body or programme.
    ("en", "Hiring cleaners for a hotel in Dubai through a DMW-licensed agency, free food and accommodation"),
    ("id", "Sepupuku kerja jadi perawat di Dubai lewat agen resmi, majikannya bayarin tiket pesawat "
           "dan tempat tinggal"),
    ("vi", "Trung tâm Dịch vụ việc làm tuyển lao động đi Nhật Bản, bao ăn ở miễn phí"),
    ("ko", "월드잡플러스 해외취업: 일본 호텔 직원 모집, 숙식 제공"),
    ("hi", "विदेश मंत्रालय के ई-माइग्रेट पोर्टल पर दुबई के होटल में नौकरी, रहना-खाना फ्री"),
    # English has no home country: an English ad naming a country is not read as a job abroad here
    # (hotel, teaching and factory ads across the region offer free board in English).
    ("en", "Factory operators wanted, no experience needed, free hostel and meals, Penang"),
    ("en", "We are hiring a cook for our hotel in Chiang Mai. Free accommodation and meals."),
    ("en", "TEFL teachers for Hanoi, free accommodation and meals"),
])
def test_the_same_offer_through_an_official_channel_is_not_high(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "abroad_perks_unlicensed" not in assessment.flag_ids and assessment.risk not in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Cam kết lo thủ tục đưa người lao động sang Hàn Quốc làm việc với visa E8, liên hệ ngay"),
    ("km", "ក្រុមហ៊ុនធានាបញ្ជូនទៅធ្វើការតាមរដូវកាល នៅប្រទេសកូរ៉េ"),
    ("en", "We process agricultural visas for farm work in Australia, apply now"),
    ("th", "รับสมัครคนงานไปออสเตรเลีย ทำวีซ่าเกษตรให้ สนใจติดต่อ"),
    ("zh_Hans", "招聘农场工人去澳大利亚，代办农业签证"),
    ("id", "Lowongan kerja ke Korea Selatan dengan visa musiman, hubungi kami"),
])
def test_seasonal_work_abroad_from_a_broker_is_high(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "seasonal_work_unlicensed" in assessment.flag_ids and assessment.risk in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    # The real programmes: a provincial People's Committee, a ministry, a district office.
    ("vi", "UBND tỉnh tuyển chọn lao động đi làm việc thời vụ tại Hàn Quốc theo thị thực E-8"),
    ("km", "ក្រសួងការងារ នឹងជ្រើសរើសពលករ ទៅធ្វើការតាមរដូវកាល នៅប្រទេសកូរ៉េ"),
    ("ko", "단양군 외국인 계절근로자 도입 희망농가 모집, 읍면사무소에 신청"),
    ("en", "The Department of Employment opens applications for seasonal work in Korea (E-8 visa)"),
])
def test_the_seasonal_programmes_themselves_are_not_high(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "seasonal_work_unlicensed" not in assessment.flag_ids and assessment.risk not in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    ("hi", "नौकरी: लाओस में 'डिजिटल बिक्री और विपणन अधिकारी' के पद"),
    ("hi", "नौकरी: 'ग्राहक सहायता सेवा' के पद, वेतन अच्छा"),
])
def test_the_mea_job_titles_in_hindi_are_read(lang: str, text: str) -> None:
    assert "vague_job_language_skills" in assess_text(text, lang=lang).flag_ids


def test_an_english_ad_is_a_job_abroad_for_a_person_whose_country_is_known() -> None:
    text = "We are hiring a cook for our hotel in Chiang Mai. Free accommodation and meals."
    assert assess_text(text, lang="vi", country="VN").risk in HIGH
    assert assess_text(text, lang="th", country="TH").risk not in HIGH
