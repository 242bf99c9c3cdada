"""The news and victims' form of the lure (issue 14, branch w-rules-c): a job or pay promised to get
someone to go ("promised jobs as…", "dijanjikan gaji…", "pinangakuan ng trabaho…"), which people
paste as warnings. The promise alone is context (`job_promised`, weight 0); with a job abroad, high
pay or free travel or board it counts (`promised_job_abroad`). Where the same words also read
as a job offer used as bait (`job_offer_as_bait`, branch w-rules-a: "lured with promises of jobs",
"नौकरी का झांसा देकर"), that rule counts them and the combination does not: one signal, counted once.

The lines are written for this test from the class described in screening/data/SOURCES.md
("Promised jobs"), not copied from the corpus.
"""

from __future__ import annotations

import pytest

from screening.assess import RiskLevel, assess_text

COMBINATION = "promised_job_abroad"
BAIT = "job_offer_as_bait"


@pytest.mark.parametrize(("lang", "text"), [
    ("tl", "Pinangakuan sila ng trabaho bilang waitress sa Malaysia"),
    ("tl", "Ayon sa DMW, pinangangakuan ng recruiter ang mga aplikante ng mataas na sahod sa ibang bansa"),
    ("en", "The recruits were promised jobs as sales staff in Dubai"),
    ("en", "She was lured with promises of well-paid work abroad and free accommodation"),
    ("id", "Korban dijanjikan bekerja sebagai pelayan restoran di Malaysia"),
    ("id", "Mereka diiming-imingi pekerjaan di luar negeri dengan tiket pesawat gratis"),
    ("ms", "Mangsa dijanjikan pekerjaan sebagai pelayan di Thailand"),
    ("ms", "Dia terperdaya dengan tawaran kerja di luar negara dengan gaji lumayan"),
    ("vi", "Các nạn nhân được hứa hẹn việc làm ở nước ngoài với lương cao"),
    ("th", "ถูกหลอกว่าจะได้ทำงานที่ต่างประเทศ เงินเดือนสูง"),
    ("zh_Hans", "中介许诺去国外工作，月薪过万，包吃包住"),
    ("ko", "해외 취업을 약속받고 출국했다, 월급 500만 원"),
    ("hi", "विदेश में नौकरी का झांसा देकर युवकों को ठगा"),
])
def test_a_job_or_pay_promised_abroad_is_read_once(lang: str, text: str) -> None:
    flags = set(assess_text(text, lang=lang).flag_ids)
    assert flags & {COMBINATION, BAIT}
    assert not {COMBINATION, BAIT} <= flags


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "She was lured with promises of well-paid work abroad and free accommodation"),
    ("hi", "विदेश में नौकरी का झांसा देकर युवकों को ठगा"),
])
def test_a_promise_told_as_bait_is_counted_by_the_bait_rule_alone(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert BAIT in flags
    assert COMBINATION not in flags


def test_the_promise_with_a_third_sign_is_high() -> None:
    text = "She was lured with promises of well-paid work abroad and free accommodation"
    assert assess_text(text, lang="en").risk in (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


@pytest.mark.parametrize(("lang", "text"), [
    # "menjanjikan" and "promising" describe a career, not a promise made to recruit someone.
    ("id", "Lowongan staf akuntansi di Jakarta, karier yang menjanjikan, gaji sesuai UMR"),
    ("en", "Join a promising team in Singapore: accountant, salary S$4,500"),
    # Victims "caught in the lure of jobs" (a rescue headline) is not the lure held out.
    ("hi", "खबर: म्यावाडी के साइबर फ्रॉड सेंटर से भारतीयों को छुड़ाया गया, नौकरी के झांसे में फंसे थे"),
    # A promise with nothing else: a job at home at ordinary pay.
    ("tl", "Nangako ang kompanya ng regular na trabaho bilang cashier sa Makati, sahod ayon sa batas"),
])
def test_promising_careers_and_promises_alone_are_not_read(lang: str, text: str) -> None:
    assert COMBINATION not in assess_text(text, lang=lang).flag_ids
