"""The offer as told afterwards (issue 14, branch r-told): a survivor, a parent, a friend or a
warning tells what the recruiter promised ("they promised him…", "she was told the company would
pay for…", "được hứa lương…", "ถูกชักชวนว่า…", "월 500만 원을 준다는 말에", "उसे बताया गया कि…").

The reporting and promising frame of each language lets the engine read what was promised: the
account is a job offer (`job_context`), the promise is context (`job_promised`, weight 0, counted
through `promised_job_abroad`), and the flight or housing promised inside the frame is read as the
recruiter's own perk (`employer_pays_flight`, `perks_bundle`). News framing words on their own
("trafficked", "rescued", "scam centre") are not warning signs, and a lawful notice's future
tense ("workers will receive") reads as it did.

The lines are written for this test from the class described in screening/data/SOURCES.md ("The
offer as told afterwards"), not copied from the corpus.
"""

from __future__ import annotations

import pytest

from screening.assess import RiskLevel, assess_text, match_rules
from screening.rules import default_rules

PROMISED = "job_promised"


def _found(text: str, lang: str) -> tuple[set[str], bool]:
    found, job_context = match_rules(text, default_rules(), lang=lang)
    return {rule.id for rule in found}, job_context


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "My nephew was told he would earn good money in Sihanoukville."),
    ("en", "The agent assured her she would get a job in a hotel in Bangkok."),
    ("en", "He was persuaded to take a job in Myanmar by a man he met online."),
    ("zh_Hans", "他被承诺到柬埔寨月薪两万"),
    ("zh_Hant", "仲介告知去緬甸工作月薪三萬"),
    ("vi", "Em tôi bị dụ dỗ sang Campuchia với lương 25 triệu"),
    ("th", "น้องถูกหลอกว่าจะได้เงินเดือนห้าหมื่นที่ปอยเปต"),
    ("th", "เขาถูกล่อลวงไปทำงานที่เมียวดี"),
    ("id", "Adik saya dibujuk bekerja di Kamboja dengan gaji dolar"),
    ("ms", "Anak saya dipujuk bekerja di Myanmar dengan gaji lumayan"),
    ("tl", "Sinabihan siya na malaki ang sahod sa trabaho sa Cambodia"),
    ("km", "គេសន្យាថានឹងឱ្យធ្វើការនៅថៃ ប្រាក់ខែខ្ពស់"),
    ("lo", "ເຂົາສັນຍາວ່າຈະໄດ້ເງິນເດືອນສູງຢູ່ມຽນມາ"),
    ("my", "လစာကောင်းကောင်း ပေးမယ်ဆိုပြီး ထိုင်းကို ခေါ်သွားတယ်"),
    ("ko", "월 600만 원을 준다는 말에 캄보디아로 출국했다"),
    ("hi", "एजेंट ने उसे बताया कि म्यांमार में अच्छी सैलरी मिलेगी"),
])
def test_a_promise_told_afterwards_is_read_as_the_offer(lang: str, text: str) -> None:
    ids, job_context = _found(text, lang)
    assert job_context
    assert PROMISED in ids


@pytest.mark.parametrize(("lang", "text"), [
    # No ad vocabulary at all: only the account says there was an offer.
    ("en", "She was told the company would pay for the visa and the flight to Thailand."),
    ("en", "My brother was told he would be paid 3,000 dollars for going to Cambodia."),
])
def test_an_account_of_an_offer_counts_as_a_job_offer(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert assessment.job_context
    assert assessment.risk is not RiskLevel.LOW


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "After two interviews I was offered a job as a nurse in Dubai."),
    ("ms", "Saya memohon dan ditawarkan kerja sebagai jurutera di Singapura."),
    ("tl", "Inalok siya ng trabaho bilang nurse sa Saudi matapos ang interview."),
    ("hi", "इंटरव्यू के बाद उसे दुबई में नौकरी की पेशकश मिली।"),
])
def test_an_offer_told_afterwards_is_a_job_offer_not_a_promise(lang: str, text: str) -> None:
    # A lawful hire is told the same way: the account is a job offer, and only a promise (or the
    # perks and pay it names) counts towards a warning.
    ids, job_context = _found(text, lang)
    assert job_context
    assert PROMISED not in ids


@pytest.mark.parametrize(("lang", "text", "perk"), [
    ("en", "They offered us 1,000 dollars a month plus food, lodging and a flight.", "perks_bundle"),
    ("en", "They offered us 1,000 dollars a month plus food, lodging and a flight.", "employer_pays_flight"),
    ("en", "The recruiter promised them a free return ticket.", "employer_pays_flight"),
    ("en", "She was told the agency would pay for her flight.", "employer_pays_flight"),
    ("id", "Mereka dijanjikan gaji besar dan tiket pesawat.", "employer_pays_flight"),
    ("id", "Korban ditawari kerja dengan mes di sana.", "perks_bundle"),
    ("ms", "Mangsa dijanjikan kerja dan penginapan di sana.", "perks_bundle"),
    ("ko", "항공권을 회사가 제공한다는 말에 출국했다", "employer_pays_flight"),
    ("ko", "숙소까지 지원된다는 말에 안심했다", "perks_bundle"),
])
def test_a_perk_promised_inside_the_frame_is_the_recruiters_perk(lang: str, text: str, perk: str) -> None:
    assert perk in _found(text, lang)[0]


def test_a_flight_the_worker_pays_for_is_not_a_promised_perk() -> None:
    text = "They were promised jobs in Dubai but had to buy their own flight tickets."
    assert "employer_pays_flight" not in _found(text, "en")[0]


@pytest.mark.parametrize(("lang", "text"), [
    # A lawful notice's future tense, a ministry's statement, a job centre's service.
    ("en", "Under the government programme, workers will receive a salary of 2,000 dollars in Japan."),
    ("en", "The ministry said workers will receive free accommodation in Korea."),
    ("vi", "Người lao động được giới thiệu việc làm miễn phí tại Trung tâm dịch vụ việc làm."),
    ("hi", "श्रम मंत्रालय ने बताया कि इज़राइल जाने वाले श्रमिकों को वेतन मिलेगा।"),
    ("ko", "고용노동부는 고용허가제 근로자에게 숙식을 제공한다고 밝혔다."),
    ("zh_Hans", "特此告知：赴日技能实习生工作期间工资按月发放。"),
    ("zh_Hans", "公司保证工资按时发放，工作地点在日本。"),
    # 'Promising' as an adjective, and the salary an ad offers.
    ("id", "Lowongan staf akuntansi di Jakarta, karier yang menjanjikan, gaji sesuai UMR"),
    ("ms", "Gaji yang ditawarkan RM2,500 sebulan untuk jawatan kerani di Singapura."),
])
def test_lawful_notices_and_ads_hold_no_reported_promise(lang: str, text: str) -> None:
    assert PROMISED not in _found(text, lang)[0]
    assert assess_text(text, lang=lang).risk is RiskLevel.LOW


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Hundreds of trafficking victims were rescued from a scam centre last week."),
    ("en", "Police said the victims had been trafficked and held in a compound."),
])
def test_news_framing_words_alone_are_not_warning_signs(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert PROMISED not in _found(text, lang)[0]
    assert assessment.risk is RiskLevel.LOW
