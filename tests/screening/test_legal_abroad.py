"""False alarms on legal work abroad, by class (issue 14, branch u-fp): a fee someone else pays is
not a fee asked of the worker; the country a journey starts from is not the job's place; a legal
wage abroad is judged against the market where the job is. Each class has a false-alarm guard and
a lure that must stay high."""

from __future__ import annotations

import pytest

from screening import money
from screening.assess import RiskLevel, assess_text, structured_signals

_HIGH = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


# --- 1. Fees paid by someone else -------------------------------------------------------------

@pytest.mark.parametrize(("lang", "text"), [
    ("tl", "1,000 caregiver jobs sa Japan. Kapag nakapasa sa interview, ang Japan na ang babalikat sa "
           "language training fee."),
    ("tl", "Hiring sa Taiwan: ang placement fee ay sagot ng employer."),
    ("en", "Caregivers for Japan. The language training fee will be shouldered by the employer."),
    ("en", "Factory jobs in Taiwan. The employer will pay the placement fee and the visa fee."),
    ("id", "Lowongan ke Taiwan. Biaya pelatihan yang akan ditanggung oleh majikan meliputi tiket dan visa."),
    ("id", "Penempatan ke Jepang: pemberi kerja akan menanggung biaya pelatihan bahasa."),
    ("ms", "Kerja di Jepun: yuran latihan ditanggung oleh majikan."),
    ("vi", "Tuyển lao động đi Nhật, phí đào tạo do công ty Nhật chi trả."),
    ("zh_Hans", "招聘赴日护理员，培训费由雇主承担。"),
    ("zh_Hant", "招聘赴日看護，培訓費由雇主承擔。"),
    ("ko", "일본 취업 연수생 모집, 교육비는 사업주가 부담합니다."),
    ("th", "รับสมัครคนงานไปญี่ปุ่น ค่าฝึกอบรมนายจ้างเป็นผู้จ่าย"),
    ("hi", "जापान में नौकरी, प्रशिक्षण शुल्क नियोक्ता द्वारा वहन किया जाएगा।"),
    ("km", "ការងារនៅប្រទេសជប៉ុន ថ្លៃទិដ្ឋាការ និយោជកជាអ្នកចេញ"),
    ("lo", "ວຽກຢູ່ປະເທດຍີ່ປຸ່ນ ຄ່າວີຊາ ນາຍຈ້າງເປັນຜູ້ຈ່າຍ"),
    ("my", "ဂျပန်နိုင်ငံ အလုပ်ခေါ်စာ ဗီဇာကြေး အလုပ်ရှင်က ကျခံမည်"),
])
def test_a_fee_the_employer_pays_is_not_a_fee_demand(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert "fees_or_deposit" not in flags and "fee_for_job_abroad" not in flags, flags


@pytest.mark.parametrize(("lang", "text"), [
    # A fee with an amount between it and the payer is asked of the worker: the mask stops at digits.
    ("id", "Kerja di Taiwan. Biaya pelatihan Rp 5 juta, tiket ditanggung perusahaan. Gaji Rp 20 juta."),
    ("en", "Job in Dubai. Training fee $500 payable now; the flight is paid by the company."),
    ("vi", "Đi Nhật: phí đào tạo 50 triệu đóng trước, vé máy bay do công ty chi trả."),
    # Paid first and "reimbursed later" is paid by the worker: the priced demand is outside the mask.
    ("en", "Job in Dubai. Pay the training fee of P30,000 now; the training fee will be reimbursed by the "
           "employer after 6 months."),
    ("id", "Kerja di Malaysia gaji 8 juta. Biaya proses akan diganti oleh majikan, transfer dulu 5 juta."),
    ("tl", "Trabaho sa Dubai. Ang employer na ang magbabayad ng visa fee pero magbabayad ka ng P20,000 "
           "processing fee."),
    ("km", "ការងារនៅប្រទេសជប៉ុន ត្រូវបង់ថ្លៃទិដ្ឋាការ 500 ដុល្លារ ក្រុមហ៊ុនចេញថ្លៃសំបុត្រយន្តហោះ"),
    ("my", "ဂျပန်နိုင်ငံ အလုပ် ဗီဇာကြေး ၅၀၀၀၀၀ ကျပ် ပေးရမည်"),
    # Advanced by the employer and deducted later is a debt, not a fee paid by someone else.
    ("zh_Hans", "去日本打工，培训费由公司垫付，从工资里扣，月薪3万元。"),
])
def test_a_fee_asked_of_the_worker_beside_an_employer_payment_still_counts(lang: str, text: str) -> None:
    assert "fees_or_deposit" in assess_text(text, lang=lang).flag_ids


def test_a_fee_lure_for_a_job_abroad_stays_high() -> None:
    text = ("Urgent hiring in Dubai, customer service, salary $2,000. Pay the processing fee of $300 "
            "first; your air ticket will be paid by the company.")
    assessment = assess_text(text, lang="en")
    assert "fee_for_job_abroad" in assessment.flag_ids
    assert assessment.risk in _HIGH


def test_a_cost_quoted_per_person_is_a_fee() -> None:
    # vi-scam-065's class: the cost of going, quoted per person, for a job abroad.
    text = "Đi Úc hái nho, lương 3.000 USD/tháng. Chi phí khoảng 13 triệu đồng/người, không cần tay nghề."
    assessment = assess_text(text, lang="vi")
    assert "fee_for_job_abroad" in assessment.flag_ids
    assert assessment.risk in _HIGH


# --- 2. Origin vs destination ------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Hiring caregivers for Israel. The caregiver pays his airline ticket from the Philippines "
           "to Israel."),
    ("en", "Caregivers for Israel; the return ticket from Israel to the Philippines is paid by the "
           "worker."),
    ("id", "Lowongan pabrik di Korea, berangkat dari Filipina ke Korea bulan depan."),
    ("vi", "Tuyển lao động đi Nhật, bay từ Campuchia sang Nhật Bản."),
    ("zh_Hans", "招聘去日本的工人，从柬埔寨到日本的机票自理。"),
    ("hi", "कंबोडिया से जापान जाने वाले कामगारों की भर्ती।"),
])
def test_the_country_a_journey_starts_from_is_not_the_destination(lang: str, text: str) -> None:
    assert "destination" not in structured_signals(text, lang=lang, wanted=frozenset({"destination"}))


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Customer service job in Cambodia, $1,500 a month, free flight from Manila."),
    ("en", "Fly from Bangkok to Myawaddy, our driver picks you up."),
    ("vi", "Tuyển nhân viên đi Campuchia, lương 1.500 USD."),
    ("en", "We move you from Cambodia to Myanmar next week."),
])
def test_a_compound_country_where_the_job_is_still_counts(lang: str, text: str) -> None:
    assert "destination" in structured_signals(text, lang=lang, wanted=frozenset({"destination"}))


@pytest.mark.parametrize(("lang", "text"), [
    # Where training, a test or an interview before departure happens is not where the job is.
    ("en", "Housekeepers in Japan earn P40,000 to P55,000 a month. Applicants need to undergo a "
           "two-month training in the Philippines."),
    ("en", "Caregivers for Japan (SSW). The skills test will be held in Cambodia; apply through the "
           "Ministry of Labour."),
    ("en", "EPS jobs in Korea: the Korean language test is conducted in Myanmar in March."),
    ("en", "Farm workers for Australia, open to applicants residing in the Philippines."),
    ("en", "Factory workers for Taiwan. Bring your documents to the agency's main office in the "
           "Philippines."),
    ("ko", "고용허가제 인력 선발, 캄보디아에서 한국어능력시험을 실시합니다."),
    ("zh_Hans", "招聘赴日护理员，在菲律宾进行岗前培训，月薪20万日元。"),
    ("zh_Hant", "招聘赴日看護，在菲律賓參加面試。"),
])
def test_a_country_of_training_or_testing_is_not_the_destination(lang: str, text: str) -> None:
    assert "destination" not in structured_signals(text, lang=lang, wanted=frozenset({"destination"}))


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Pass the exam, then work in the Philippines as a chat agent, $1,500 a month."),
    ("en", "Free training in Sihanoukville, then customer service work, $1,200 a month."),
    ("en", "Customer service in Cambodia after a one-week training, salary $1,500."),
    ("ko", "캄보디아에서 근무, 월 300만 원, 항공권 지원."),
    ("en", "Customer service for our office in Cambodia, salary $1,500, free ticket."),
    ("zh_Hans", "在菲律宾工作，月薪2万，包吃住。"),
])
def test_a_compound_country_of_the_job_still_counts_beside_training(lang: str, text: str) -> None:
    assert "destination" in structured_signals(text, lang=lang, wanted=frozenset({"destination"}))


def test_a_compound_lure_with_an_origin_named_stays_high() -> None:
    text = ("Urgent hiring! Customer service in Cambodia, $1,800 a month, no experience needed, free ticket "
            "from the Philippines to Phnom Penh. Contact us on Telegram.")
    assessment = assess_text(text, lang="en")
    assert "compound_destination" in assessment.flag_ids
    assert assessment.risk in _HIGH


# --- 3. Legal wages abroad ---------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "text", "country"), [
    ("en", "Israel needs homebased caregivers. Gross monthly minimum wage 5300 NIS (approximately PhP "
           "77,320). Airline tickets from the Philippines to Israel at the worker's expense.", "IL"),
    ("vi", "Học nghề điều dưỡng tại CHLB Đức, lương học nghề 1.300 euro/tháng.", "DE"),
    ("en", "Farm work in Australia, A$4,000 a month under the Pacific labour scheme.", "AU"),
    ("en", "Truck drivers for Canada, C$3,000 a month, LMIA approved.", "CA"),
    ("en", "Domestic workers for Qatar, QAR 1,500 a month plus food and housing.", "QA"),
    ("hi", "इजरायल में केयरगिवर की नौकरी, वेतन लगभग 1 लाख 37 हजार रुपये प्रति माह।", "IL"),
    ("hi", "उत्तर प्रदेश से कामगार भेजे जाएंगे, इजरायली मुद्रा 6100 शेकेल यानी लगभग 1 लाख 37 हज़ार रुपये "
           "का वेतन।", "IL"),
    ("en", "Selected caregivers will earn a monthly salary exceeding Rs. 600,000 in Israel, through the "
           "Sri Lanka Foreign Employment Bureau (SLBFE).", "IL"),
])
def test_a_legal_wage_abroad_is_judged_where_the_job_is(lang: str, text: str, country: str) -> None:
    verdict = money.assess_pay(text, language=lang)
    assert verdict is not None and verdict.country == country
    assert not verdict.far_above, verdict
    assert "pay_far_above_market" not in assess_text(text, lang=lang).flag_ids


def test_the_reader_judges_a_german_wage_quoted_in_rupiah_at_the_german_market() -> None:
    text = "BP2MI membuka lowongan perawat ke Jerman (Triple Win), gaji Rp25 juta per bulan."
    verdict = money.assess_pay(text, language="id")
    assert verdict is not None and verdict.country == "DE" and not verdict.far_above and verdict.ordinary
    assert verdict.within_destinations and verdict.destinations_named == ("DE",)
    # The rule's own pay phrase ('gaji Rp25 juta') fires on the text; the reader, which knows where
    # the job is, overrules it (r-legit3).
    assert "pay_far_above_market" not in assess_text(text, lang="id").flag_ids


# --- 3b. Pay phrases overruled by the market where the job is (r-legit3, issue 14) --------------
# The rule's phrases ("gaji Rp 15+ juta", "lương 20+ triệu", "2 लाख प्रति माह") call pay high against
# the worker's home wage. Lawful migration pays the wages of where the job is: in a notice naming an
# official body or lawful scheme, where every country it names has a wage row, none is a
# scam-compound country, and the amount is below the far-above line of each, the phrase does not
# count.

@pytest.mark.parametrize(("lang", "text"), [
    ("id", "BP2MI membuka seleksi perawat ke Jerman (G to G), gaji Rp 38 juta per bulan."),
    ("vi", "Tuyển điều dưỡng đi Đức theo chương trình của Bộ Lao động, lương 60 triệu/tháng."),
    ("hi", "जर्मनी में नर्स की नौकरी, ई-माइग्रेट पोर्टल से आवेदन, 2 लाख प्रति माह वेतन।"),
    ("tl", "Caregiver sa Japan (SSW), DMW accredited agency, sahod 150k a month, libre ang tirahan."),
    ("zh_Hans", "新西兰建筑公司在济南招聘建筑工人，经商务局审核备案，每小时工资24纽币起，月薪3万元起。"),
])
def test_pay_within_the_market_of_a_lawful_destination_is_not_far_above(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "pay_far_above_market" not in assessment.flag_ids, assessment.flag_ids
    assert assessment.risk not in _HIGH


@pytest.mark.parametrize(("lang", "text"), [
    # A compound country or its transit named: its market is low, lures promise pay just under the line.
    # (Each names an official body: impersonations do.)
    ("id", "Kerja di Thailand lewat BP2MI, gaji Rp 16 juta, tiket pesawat ditanggung perusahaan."),
    ("id", "Kerja di Jepang atau Kamboja lewat BP2MI, gaji Rp 20 juta per bulan, tiket ditanggung."),
    ("vi", "Tuyển lao động đi Campuchia, hồ sơ qua Bộ Lao động, lương 30 triệu/tháng, bao ăn ở."),
])
def test_pay_phrases_for_a_compound_country_still_count(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "pay_far_above_market" in assessment.flag_ids
    assert assessment.risk in _HIGH


@pytest.mark.parametrize(("lang", "text"), [
    # No official body or scheme named: a fake overseas offer promises the destination's wages too.
    ("tl", "Caregiver sa Japan, sahod 150k a month, libre ang tirahan."),
    ("hi", "जर्मनी में नर्स की नौकरी, 2 लाख प्रति माह वेतन।"),
])
def test_pay_phrases_without_an_official_context_still_count(lang: str, text: str) -> None:
    assert "pay_far_above_market" in assess_text(text, lang=lang).flag_ids


def test_a_claim_of_fantastic_pay_is_not_overruled_by_the_amount() -> None:
    # "gaji fantastis" is the recruiter's own claim, which no market reading answers.
    text = ("Lowongan resmi BP2MI di Malaysia dengan gaji fantastis, gaji Rp5 juta hingga Rp6 juta per "
            "bulan.")
    assessment = assess_text(text, lang="id")
    assert "pay_far_above_market" in assessment.flag_ids and assessment.risk in _HIGH


def test_a_country_without_a_wage_row_leaves_the_phrase_standing() -> None:
    # Saudi Arabia has no wage row: the amount cannot be judged there.
    text = "Kerja di Arab Saudi lewat BP2MI, gaji Rp 20 juta per bulan, tiket pesawat ditanggung."
    assert "pay_far_above_market" in assess_text(text, lang="id").flag_ids


def test_the_main_legal_destinations_have_a_wage_row() -> None:
    tables = money.default_tables()
    for country in ("IL", "QA", "DE", "CA", "AU", "JP", "KR", "TW", "SG", "HK", "NZ", "GB"):
        assert country in tables.wages, country


@pytest.mark.parametrize(("lang", "text"), [
    # Pay that is far above even the destination's minimum wage is still far above.
    ("en", "Data entry job in Israel, no experience needed, salary $9,000 a month, free ticket."),
    ("vi", "Tuyển lao động đi Đức, không cần kinh nghiệm, lương 8.000 euro/tháng, bao vé máy bay."),
])
def test_pay_far_above_the_destinations_market_is_still_far_above(lang: str, text: str) -> None:
    verdict = money.assess_pay(text, language=lang)
    assert verdict is not None and verdict.far_above, verdict


@pytest.mark.parametrize(("lang", "text", "country"), [
    ("zh_Hans", "新西兰建筑公司招聘建筑工人，每小时工资24纽币起，月薪3万元起。", "NZ"),
    ("en", "Senior care workers for the United Kingdom, salary GBP 2,300 a month, sponsored visa.", "GB"),
])
def test_new_zealand_and_british_wages_are_judged_there(lang: str, text: str, country: str) -> None:
    verdict = money.assess_pay(text, language=lang)
    assert verdict is not None and verdict.country == country and verdict.basis == "destination"
    assert not verdict.far_above, verdict


def test_indian_rupees_stay_indian_without_sri_lanka() -> None:
    pays = money.read_pay("Salary Rs. 60,000 per month in Mumbai", language="en")
    assert pays and pays[0].currency == "INR"
