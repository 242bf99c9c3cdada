"""Negations ("no placement fee will be collected") and mitigating signs (a recruitment licence, a
named government programme) in the rules data: a fee flag inside a negation does not fire, and a
legal channel lowers the level one step unless a strong warning sign is there too."""

from __future__ import annotations

import json
import random
import re

import pytest

from screening import money
from screening.assess import RiskLevel, assess_text
from screening.prefilter import FoundAt
from screening.rules import (
    _MASK,
    RulesError,
    RuleSet,
    _blanked,
    _match_reach,
    _runs,
    _unmasked,
    default_rules,
    normalise_for_matching,
    parse_rules,
)
from tests.screening.test_combinations import document
from tests.screening.test_corpus import OFFERS


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "We are hiring caregivers for Japan. No placement fee will be collected. Salary 180,000 yen."),
    ("vi", "Tuyển lao động đi Nhật, không thu phí môi giới, lương 30 triệu."),
    ("id", "Lowongan kerja ke Jepang, tidak dipungut biaya penempatan, gaji Rp 20 juta."),
    ("tl", "Hiring factory workers sa Taiwan, walang placement fee, sahod NT$27,470."),
    ("ko", "해외 취업 모집, 수수료 없음, 월급 300만원"),
    ("zh_Hans", "招聘赴日本工人，不收取任何费用，月薪2万元"),
    ("hi", "जापान में नौकरी, कोई शुल्क नहीं लिया जाएगा, वेतन 1.5 लाख"),
    ("ms", "Jawatan kosong di Jepun, tiada sebarang bayaran dikenakan, gaji RM6,000"),
])
def test_a_negated_fee_is_not_a_fee_demand(lang: str, text: str) -> None:
    # (The level is the pay rule's business: 'gaji Rp 20 juta' is read as high pay.)
    flags = assess_text(text, lang=lang).flag_ids
    assert "fees_or_deposit" not in flags and "fee_for_job_abroad" not in flags


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Job in Dubai. Registration fee of $200 required. Salary $1500."),
    ("en", "No placement fee. But you must pay a $300 processing fee before your visa for the job in Dubai."),
    ("ko", "해외 취업 모집, 소개비 없음, 단 보증금 50만원 선입금"),
    ("vi", "Tuyển lao động đi Nhật, không thu phí môi giới, nhưng phải đặt cọc 50 triệu."),
])
def test_a_fee_demand_beside_a_negation_still_counts(lang: str, text: str) -> None:
    assert "fees_or_deposit" in assess_text(text, lang=lang).flag_ids


def test_the_reference_matcher_masks_negations_as_the_prefilter_does() -> None:
    rules = default_rules()
    text = "Hiring for Japan. No placement fee will be collected. Pay a deposit of $100 first."
    fast, context_fast = rules.match(text)
    slow, context_slow = rules.match(text, use_prefilter=False)
    assert [rule.id for rule in fast] == [rule.id for rule in slow]
    assert context_fast == context_slow
    assert "fees_or_deposit" in [rule.id for rule in fast]  # 'deposit' is outside the negation


def test_a_legal_channel_lowers_the_level_one_step_unless_a_strong_sign_is_there() -> None:
    rules = default_rules()
    licensed = assess_text("Now hiring caregivers for Japan under the SSW programme, POEA License No. "
                           "RA-123. Free airfare and free housing. Salary 200,000 yen a month.", lang="en")
    unlicensed = assess_text("Now hiring caregivers for Japan. Free airfare and free housing. "
                             "Salary 200,000 yen a month.", lang="en")
    assert licensed.score == unlicensed.score  # the flags are the same: only the level moves
    assert licensed.risk == RiskLevel.LOW and unlicensed.risk == RiskLevel.MEDIUM
    assert [hit.rule_id for hit in licensed.mitigations] == ["legal_channel"]  # explained
    assert unlicensed.mitigations == []
    assert rules.lowering([rule for rule in rules.rules if rule.id == "legal_channel"]) == 1
    # A fee beside the licence: the licence does not lower anything (licensed agencies may not
    # charge workers for placement).
    with_fee = [rule for rule in rules.rules if rule.id in ("legal_channel", "fees_or_deposit")]
    assert rules.lowering(with_fee) == 0


def test_lowering_goes_down_one_level_and_not_below_low() -> None:
    doc = document()
    doc["rules"].append({"id": "licensed", "weight": 0, "lowers": 1, "unless": ["tourist_visa"],
                         "message": "A licence.", "sources": ["test"],
                         "patterns": {"en": ["\\blicen[cs]e no\\b"]}})
    rules = parse_rules(doc)
    text = "Salary $2,000 per month, contact us on Telegram only"
    plain = assess_text(text, rules=rules)
    lowered = assess_text(text + ". Licence No 12.", rules=rules)
    levels = list(RiskLevel)
    assert plain.risk != RiskLevel.LOW
    assert levels.index(lowered.risk) == levels.index(plain.risk) - 1
    assert assess_text("Licence No 12.", rules=rules).risk == RiskLevel.LOW


@pytest.mark.parametrize(("rule", "complaint"), [
    ({"id": "neg", "weight": 2, "masks": True}, "mask has weight 0"),
    ({"id": "neg", "weight": 0, "masks": "yes"}, "'masks' must be"),
    ({"id": "neg", "weight": 0, "masks": True}, "lists the rules it 'hides'"),
    ({"id": "neg", "weight": 0, "masks": True, "hides": ["no_such_rule"]}, "unknown rule in 'hides'"),
    ({"id": "lic", "weight": 1, "lowers": 1}, "'lowers' must be"),
    ({"id": "lic", "weight": 0, "lowers": 3}, "'lowers' must be"),
    ({"id": "lic", "weight": 0, "lowers": 1, "unless": ["no_such_rule"]}, "unknown id in 'unless'"),
])
def test_malformed_negations_and_mitigations_are_refused(rule: dict[str, object], complaint: str) -> None:
    doc = document()
    doc["rules"].append({**rule, "message": "m", "sources": ["test"], "patterns": {"en": ["\\bx\\b"]}})
    with pytest.raises(RulesError, match=complaint):
        parse_rules(doc)


@pytest.mark.parametrize(("lang", "text"), [
    ("km", "ការងារនៅប្រទេសថៃ សំបុត្រយន្តហោះឥតគិតថ្លៃ"),
    ("en", "Job in Dubai: free air ticket, free of charge"),
    ("zh_Hans", "去迪拜工作，免费机票"),
])
def test_a_free_perk_is_not_masked_as_a_negated_fee(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert "employer_pays_flight" in flags or "perks_bundle" in flags


@pytest.mark.parametrize(("lang", "warning", "sign"), [
    ("en", "Do not travel on a tourist visa.", "tourist_visa_for_work"),
    ("en", "We will not keep your passport.", "passport_held_or_confined"),
    ("vi", "Tuyệt đối không đi bằng visa du lịch.", "tourist_visa_for_work"),
    ("zh_Hans", "切勿持旅游签出境工作。", "tourist_visa_for_work"),
])
def test_a_warning_against_a_sign_is_not_the_sign(lang: str, warning: str, sign: str) -> None:
    notice = "Licensed agency hiring factory workers for Taiwan, salary NT$27,470. " + warning
    assert sign not in assess_text(notice, lang=lang).flag_ids


def test_a_bare_authority_name_is_not_a_legal_channel() -> None:
    # Lures name an authority to look legal (train th-scam-002/003): only a licence number or a
    # named programme counts.
    text = "Registered with the Department of Employment. Job in Cambodia, salary $1,500, apply on Telegram."
    assessment = assess_text(text, lang="en")
    assert assessment.mitigations == [] and "legal_channel" not in [
        rule.id for rule in default_rules().match(text)[0]]


def test_pay_judged_ordinary_where_the_job_is() -> None:
    ordinary = money.assess_pay("Hotel in Phnom Penh hiring a receptionist, USD 350/month", language="en")
    lure = money.assess_pay("Customer service in Phnom Penh, salary USD 1,500/month", language="en")
    home = money.assess_pay("Tuyển nhân viên tại Hà Nội, lương 8 triệu/tháng", language="vi")
    assert ordinary is not None and ordinary.ordinary and not ordinary.far_above
    assert lure is not None and not lure.ordinary and lure.far_above
    assert home is not None and not home.ordinary  # judged at home, not where a job abroad is


def test_ordinary_local_pay_cancels_the_destination_with_vague_job_combination() -> None:
    local = assess_text("Call centre in Bangkok hiring Thai-speaking agents, 22,000 THB a month, training "
                        "provided, interview at our Silom office.", lang="en")
    lure = assess_text("Call centre in Bangkok hiring English-speaking agents, 90,000 THB a month, "
                       "training provided.", lang="en")
    assert "destination_with_vague_job" not in local.flag_ids
    assert local.risk not in (RiskLevel.HIGH, RiskLevel.VERY_HIGH)
    assert lure.risk in (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def test_a_combination_is_cancelled_by_a_rule_it_lists_under_none() -> None:
    rules = default_rules()
    combination = next(c for c in rules.combinations if c.id == "destination_with_vague_job")
    complete = frozenset({"compound_destination", "vague_job_language_skills"})
    assert combination.present(complete)
    assert not combination.present(complete | {"pay_at_market"})
    # The reader of the cancelling rule is run only where such a combination is complete.
    found = [rule for rule in rules.rules if rule.id in complete]
    assert rules.signals_that_cancel(found) == {"pay_ordinary"}
    assert rules.signals_that_cancel([rule for rule in rules.rules
                                      if rule.id == "vague_job_language_skills"]) == frozenset()


def test_none_must_list_known_rules() -> None:
    doc = document(combinations=[{
        "id": "pay_and_chat", "weight": 3, "all": ["pay_far_above_market", "chat_only_recruiter"],
        "none": ["no_such_rule"], "message": "m", "sources": ["test"]}])
    with pytest.raises(RulesError, match="'none' must list known rules"):
        parse_rules(doc)


def test_pay_at_market_is_skipped_only_where_it_cannot_change_the_level(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [json.loads(line) for line in OFFERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    levels = [assess_text(row["text"], lang=row["lang"]).risk for row in rows[::3]]
    # Every score its own band: the cancelling reader runs wherever a combination it cancels is
    # complete.
    monkeypatch.setattr(RuleSet, "_band", lambda self, score: score)
    default_rules()._worth_memo.clear()
    default_rules()._conclusions_memo.clear()  # signals_that_cancel is remembered there
    try:
        assert [assess_text(row["text"], lang=row["lang"]).risk for row in rows[::3]] == levels
    finally:
        default_rules()._conclusions_memo.clear()  # worked out with every score its own band


def test_masking_tries_patterns_at_their_needles_as_the_reference_finds_every_match() -> None:
    rules = default_rules()
    rows = [json.loads(line) for line in OFFERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [normalise_for_matching(" ".join(row["text"] for row in rows[start:start + 12]))
             for start in range(0, len(rows), 12)]
    masked = 0
    for text in texts:
        reference = _blanked(text, [
            (found.start(), rules.mask_patterns[index].match(text, found.start()))
            for index, every_start in enumerate(rules.mask_starts) for found in every_start.finditer(text)])
        assert rules._masked(text) == reference
        masked += reference != text
    assert masked >= 5  # the texts hold negations


def test_a_negation_is_not_read_again_where_the_level_is_very_high_whatever_it_hides() -> None:
    rules = default_rules()
    found = {rule.id for rule in rules.rules
             if rule.id in ("fee_negated", "fees_or_deposit", "tourist_visa_for_work", "coached_departure",
                            "passport_held_or_confined")}
    assert rules._hidden_worth_reading(found, True) == frozenset()  # 4 + 4 + 4 without the fee
    assert rules._hidden_worth_reading(found - {"passport_held_or_confined"}, True) == {"fees_or_deposit"}


def _masked_pass_cases() -> list[str]:
    """Texts with negations: the corpus offers, a dozen at a time, and pieces of negations and of
    the hidden rules' needles glued in random order, so that needles run across the blanks."""
    rules = default_rules()
    assert rules.hidden_prefilter is not None
    rows = [json.loads(line) for line in OFFERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [normalise_for_matching(" ".join(row["text"] for row in rows[start:start + 12]))
             for start in range(0, len(rows), 12)]
    negations = ["no placement fee", "không thu phí môi giới", "walang placement fee", "不收取任何费用",
                 "tidak dipungut biaya", "수수료 없음", "no fee", "without any fees"]
    needles = sorted(rules.hidden_prefilter.needles)
    # Needles that begin or end with a space run into a blank: " ; " is spaced
    spaced = [needle for needle in needles if needle != needle.strip()]
    chooser = random.Random(14)
    for _ in range(300):
        parts = [chooser.choice(negations) if chooser.random() < 0.4
                 else chooser.choice(spaced if chooser.random() < 0.5 else needles)
                 for _ in range(chooser.randint(2, 12))]
        glue = chooser.choice(["", " ", "-"])
        texts.append(normalise_for_matching(glue.join(parts)))
    # A Chinese negation has no word boundary to keep it apart: a needle's space runs into the
    # blank ("biaya" + "不收取任何费用" -> "biaya ; ", where "biaya " occurs).
    texts += [normalise_for_matching(f"{needle.rstrip()}不收取任何费用{needle.lstrip()}")
              for needle in spaced]
    return texts


def test_the_masked_text_is_read_from_the_main_pass_as_from_a_pass_of_its_own() -> None:
    # RuleSet._masked_pass takes the hidden rules' needles outside the blanks from the main
    # prefilter's pass, and looks only across the blanks: the same occurrences as a pass over
    # the masked text, and the same rules found.
    rules = default_rules()
    hidden = rules.hidden_prefilter
    assert hidden is not None
    crossing = 0
    for text in _masked_pass_cases():
        lowered = text.lower()
        occurrences = rules.prefilter.occurrences(lowered)
        masked, lowered_masked, found = rules._masked_pass(text, lowered, occurrences)
        assert masked == rules._masked(text)
        assert lowered_masked == masked.lower()
        assert sorted(found) == sorted(hidden.occurrences(lowered_masked))
        every = frozenset(rule.id for rule in rules.hidden_rules)
        assert rules._hidden_matching(text, lowered, occurrences, every) == hidden.matching(masked)
        # Asked for one rule, the others are not looked for (answered as found)
        for index, rule in enumerate(rules.hidden_rules):
            others = set(range(len(rules.hidden_rules))) - {index}
            assert rules._hidden_matching(text, lowered, occurrences, frozenset({rule.id})) == (
                others | (hidden.matching(masked) & {index}))
        blanks = [at for at in range(len(masked)) if masked.startswith(_MASK, at)]
        crossing += sum(any(start < blank + len(_MASK) and end > blank for blank in blanks)
                        for _, start, end in found)
    assert crossing >= 100  # needles across the blanks were looked for, and found


def test_a_hidden_rule_found_away_from_every_negation_is_not_read_again() -> None:
    # RuleSet.match hands _hidden_matching the main pass's matches: a wanted rule whose match
    # (and what the regex engine reads around it) lies outside every blank holds in the masked
    # text and is answered without a try. The same answers as reading every wanted rule again,
    # on the cases above and on texts whose fee sits right beside, inside and after a negation.
    rules = default_rules()
    hidden = rules.hidden_prefilter
    assert hidden is not None
    every = frozenset(rule.id for rule in rules.hidden_rules)
    beside = [normalise_for_matching(text) for text in (
        "no placement fee, deposit 500 USD required", "deposit 500 USD, no placement fee",
        "no placement fee deposit required", "registration fee: none. no placement fee",
        "không thu phí môi giới, đặt cọc 500 USD", "đặt cọc 500 USD không thu phí môi giới",
        "不收取任何费用押金500美元", "押金500美元不收取任何费用", "no fee", "fee no fee fee",
        "passport will be kept by the company, no placement fee, tourist visa first",
        "we do not keep your passport. passport kept by employer. no fee for visa")]
    shortcuts = 0
    for text in [*_masked_pass_cases(), *beside]:
        lowered = text.lower()
        occurrences = rules.prefilter.occurrences(lowered)
        found_at: FoundAt = []
        matched = rules.prefilter.matching_at(text, lowered, occurrences, found_at=found_at)
        assert matched == rules.prefilter.matching(text)
        for wanted in (every, *(frozenset({rule.id}) for rule in rules.hidden_rules)):
            reference = rules._hidden_matching(text, lowered, occurrences, wanted)
            assert rules._hidden_matching(text, lowered, occurrences, wanted, found_at) == reference
        shortcuts += any(_unmasked(found, _runs(rules._mask_tries(text, lowered, occurrences)))
                         for _rules, found in found_at)
    assert shortcuts >= 20  # the shortcut was taken, not only the full reading


@pytest.mark.parametrize(("pattern", "reach"), [
    (r"\bfee\b", 1),                       # \b reads the character beside: one around
    (r"(?<![\d,.])\d{3}(?!\d)", 3),        # the look-arounds' widths, plus one
    (r"fee(?=.*deposit)", None),            # a look-ahead of any length
    (r"(?>fee|fees)\b", None),              # an atomic group commits to what it took
    (r"\d++ usd", None),                     # so does a possessive repeat
    (r"(?:no (?=fee))+x", 4),               # a repeated look-ahead reads as far as one
])
def test_what_a_match_may_read_around_it(pattern: str, reach: int | None) -> None:
    assert _match_reach(re.compile(pattern, re.IGNORECASE)) == reach


def test_a_capital_sigma_or_a_longer_lower_case_is_read_whole() -> None:
    rules = default_rules()
    for text in ("ΣΟΦΙΑ no placement fee, registration fee 500",
                 "İstanbul no placement fee, deposit 200 USD"):
        text = normalise_for_matching(text)
        lowered = text.lower()
        occurrences = rules.prefilter.occurrences(lowered)
        assert rules.hidden_prefilter is not None
        every = frozenset(rule.id for rule in rules.hidden_rules)
        assert rules._hidden_matching(text, lowered, occurrences, every) == rules.hidden_prefilter.matching(
            rules._masked(text))
