"""The medium band (issue 14 item 4, branch r-band): lures are weak on each sign alone and strong
together, and warnings name the lure as a bundle (UNODC 2023 "Casinos, Cyber Fraud, and Trafficking
in Persons for Forced Criminality in Southeast Asia"; INTERPOL's Orange Notice of 2023-06-07; origin
governments' warnings). Three pairs of the bundle that the rules rated only medium are combinations
in the rules data:

- `promise_with_lure_sign`: a job promised (told afterwards) with free travel or board, easy work,
  a chat or friend recruiter, a tourist visa, no contract or urgency;
- `tourist_visa_for_job_abroad`: a tourist visa for a job abroad;
- `easy_job_with_perks`: vague office or online work with free housing, food or the flight.

None counts where a licensed channel or official programme is named (lawful employers pay flights
and housing: the ILO Employer Pays Principle), and a notice warning against tourist visas is masked.
The lines are written for this test from the classes in screening/data/SOURCES.md, not copied from
the corpus. The model's gates are closed here: these are the rules' own levels.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

import screening.assess as assess
from screening.assess import RiskLevel, assess_text
from screening.rules import RuleSet, parse_rules
from tests.screening.shipped_rules import HIGH_OR_ABOVE, RULES_PATH

BAND = frozenset({"promise_with_lure_sign", "tourist_visa_for_job_abroad", "easy_job_with_perks"})


@cache
def _rules_without_band() -> RuleSet:
    document = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return parse_rules({**document, "combinations": [combination for combination in document["combinations"]
                                                     if combination["id"] not in BAND]})


@pytest.fixture(autouse=True)
def rules_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    for gate in ("second_opinion_counts", "strong_opinion_counts", "alone_opinion_counts"):
        monkeypatch.setattr(assess, gate, lambda *args, **kwargs: False)


@pytest.mark.parametrize(("lang", "text", "combination"), [
    ("en", "They promised him a job in Dubai with free accommodation and food.", "promise_with_lure_sign"),
    ("en", "She was promised a job in Japan by a friend who said my cousin already works there.",
     "promise_with_lure_sign"),
    ("en", "Job in Japan, you will travel on a tourist visa, we change it there.",
     "tourist_visa_for_job_abroad"),
    ("en", "Work abroad: go as a tourist, the visa will be converted to a work visa later.",
     "tourist_visa_for_job_abroad"),
    # Easy work with the flight paid, for a job abroad from where the person is (the language's
    # country here). An English ad has no home country: "Customer service job in Japan, free
    # accommodation and meals" stays medium, like the factory ad in Penang (test_plain_lures).
    ("tl", "Trabaho bilang chat support sa Japan, libre ang pamasahe sa eroplano.", "easy_job_with_perks"),
    ("id", "Lowongan admin chat online di Jepang, tiket pesawat ditanggung perusahaan.",
     "easy_job_with_perks"),
])
def test_a_pair_of_the_bundle_rated_medium_is_now_high(lang: str, text: str, combination: str) -> None:
    before = assess_text(text, lang=lang, rules=_rules_without_band())
    after = assess_text(text, lang=lang)
    assert before.risk is RiskLevel.MEDIUM
    assert combination in after.flag_ids
    assert after.risk in HIGH_OR_ABOVE


@pytest.mark.parametrize(("lang", "text"), [
    ("id", "Korban dijanjikan bekerja di Malaysia dengan tiket pesawat gratis dan mess gratis"),
    ("vi", "Các nạn nhân được hứa hẹn việc làm ở nước ngoài, bao ăn ở, bao vé máy bay"),
    ("th", "ถูกหลอกว่าจะได้ทำงานที่ต่างประเทศ มีที่พักและอาหารให้"),
    ("ko", "해외 취업을 약속받고 출국했다, 숙소 제공"),
])
def test_the_promise_with_free_travel_or_board_counts_in_other_languages(lang: str, text: str) -> None:
    assert "promise_with_lure_sign" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "They promised him a job in Dubai with free accommodation and food, "
           "through a DMW-licensed agency."),
    ("en", "Customer service job in Japan, free accommodation and meals. "
           "Apply through a POEA licensed agency."),
    ("en", "Job in Japan. Do not travel on a tourist visa for work."),
])
def test_not_where_a_licensed_channel_is_named_or_the_sign_is_negated(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert BAND.isdisjoint(assessment.flag_ids)
    assert assessment.risk not in HIGH_OR_ABOVE


def test_a_single_sign_stays_below_high() -> None:
    # the promise of a job abroad alone, and easy work alone: one sign, not the bundle
    for text in ("They promised him a job in Dubai.", "Customer service job in Japan, salary negotiable."):
        assessment = assess_text(text, lang="en")
        assert BAND.isdisjoint(assessment.flag_ids)
        assert assessment.risk not in HIGH_OR_ABOVE
