"""`is_short`: which texts are too short to be called "very similar" to a reported ad. A text
mostly in a script written without spaces between words (Han, Kana, Thai, Lao, Khmer, Burmese) is
measured by its reading length, whatever spaces it has; a spaced script by its words, as before."""

from __future__ import annotations

import pytest

from screening.similarity import SHORT_CHARS, SHORT_WORDS, fingerprint, is_short, matching_text
from screening.textnorm import reading_length

# Whole ads with a few spaces between phrases: not short.
ADS = [
    "高薪招聘客服 柬埔寨西港 月薪两万包吃住 Telegram @xg_hr88 或 0912345678",
    "高薪徵才客服人員 柬埔寨西港 月薪兩萬包吃住 Telegram @tw_job88 或 0912345678",
    "รับสมัครแอดมินด่วน ทำงานกัมพูชา เงินเดือนสี่หมื่นห้า มีที่พักฟรี ติดต่อ Telegram @th_job88",
    "ຮັບສະໝັກພະນັກງານດ່ວນ ເຮັດວຽກຢູ່ກຳປູເຈຍ ເງິນເດືອນສູງ ມີທີ່ພັກຟຣີ ຕິດຕໍ່ Telegram @lao_job",
    "ជ្រើសរើសបុគ្គលិកបន្ទាន់ ធ្វើការនៅកម្ពុជា ប្រាក់ខែខ្ពស់ មានកន្លែងស្នាក់នៅ ទាក់ទង @kh_job",
    "ဝန်ထမ်းအလိုရှိသည် ကမ္ဘောဒီးယားတွင်အလုပ် လစာကောင်း နေစရာအခမဲ့ ဆက်သွယ်ရန် @mm_job",
    "カスタマーサポート急募 カンボジア勤務 月給三十万円 寮完備 連絡はテレグラム @jp_job",
]
# Genuinely short lines in the same scripts: still short.
SHORT_LINES = [
    "月薪三万 包吃住 联系我",
    "月薪三萬 包吃住 聯絡我",
    "งานดี เงินเดือนสูง ติดต่อ",
    "ວຽກດີ ເງິນເດືອນສູງ ຕິດຕໍ່",
    "ការងារល្អ ប្រាក់ខែខ្ពស់ ទាក់ទង",
    "အလုပ်ကောင်း လစာကောင်း ဆက်သွယ်",
    "高給 寮あり 連絡ください",
]
# Spaced scripts (and mixed lines mostly in them): as before.
SPACED = [
    "URGENT hiring customer service staff in Sihanoukville, salary 1500 USD, free flight",
    "hiring staff now, telegram @x",
    "hi",
    "Tuyển gấp nhân viên tại Campuchia lương cao",
    "Tuyển gấp nhân viên",
    "한국어 구인 광고 월급 300만원 숙식 제공 연락 주세요",
    "캄보디아 고수익 알바",
    "साथ काम करें अच्छी तनख्वाह",
    "Lowongan kerja di Kamboja gaji besar, hubungi kami di Telegram @loker",
    "Cari staf, gaji tinggi",
    "Hiring 客服 in Cambodia with high salary, free food and housing",
    "SihanoukvilleCustomerServiceHighSalaryFreeFlightFreeFood",
]


@pytest.mark.parametrize("text", ADS)
def test_an_ad_in_an_unspaced_script_with_a_few_spaces_is_not_short(text: str) -> None:
    assert 2 < len(text.split()) < SHORT_WORDS  # what made it "short" by words
    assert not is_short(text)
    assert not fingerprint(text).short


@pytest.mark.parametrize("text", SHORT_LINES)
def test_a_short_line_in_an_unspaced_script_is_still_short(text: str) -> None:
    assert is_short(text)
    assert fingerprint(text).short


@pytest.mark.parametrize("text", SPACED)
def test_spaced_scripts_are_measured_by_words_as_before(text: str) -> None:
    words = len(text.split())
    before = words < SHORT_WORDS and (words > 2 or len(matching_text(text)) < SHORT_CHARS)
    assert is_short(text) == before


def test_a_han_ad_run_together_counts_its_characters_twice() -> None:
    # 20 Han characters, no spaces: 40 as read (the limit); by characters alone it was short.
    text = "高薪招聘客服人员工作地点柬埔寨西港包吃包住"[:20]
    assert len(matching_text(text)) == 20 and reading_length(matching_text(text)) == SHORT_CHARS
    assert not is_short(text)
    assert is_short(text[:19])
