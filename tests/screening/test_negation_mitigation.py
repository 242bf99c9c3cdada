"""Negations ("no placement fee will be collected") and mitigating signs (a recruitment licence, a
named government programme) in the rules data: a fee flag inside a negation does not fire, and a
legal channel lowers the level one step unless a strong warning sign is there too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screening import money
from screening.assess import RiskLevel, assess_text
from screening.rules import RULES_PATH, RulesError, RuleSet, default_rules, parse_rules
from tests.screening.test_combinations import document


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
    assessment = assess_text(text, lang=lang)
    assert "fees_or_deposit" not in assessment.flag_ids
    assert assessment.risk not in (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


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
    ({"id": "lic", "weight": 1, "lowers": 1}, "'lowers' must be"),
    ({"id": "lic", "weight": 0, "lowers": 3}, "'lowers' must be"),
    ({"id": "lic", "weight": 0, "lowers": 1, "unless": ["no_such_rule"]}, "unknown id in 'unless'"),
])
def test_malformed_negations_and_mitigations_are_refused(rule: dict[str, object], complaint: str) -> None:
    doc = document()
    doc["rules"].append({**rule, "message": "m", "sources": ["test"], "patterns": {"en": ["\\bx\\b"]}})
    with pytest.raises(RulesError, match=complaint):
        parse_rules(doc)


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


def test_an_english_ads_manila_office_is_not_the_destination_of_a_job_elsewhere() -> None:
    agency = assess_text("Hiring housekeepers for a Dubai hotel. Salary AED 1,500, free accommodation. "
                         "Interview on Saturday at our Manila office.", lang="en")
    hub = assess_text("Hiring chat agents, fly to Manila, salary $1,500, free accommodation.", lang="en")
    agents = assess_text("Digital sales jobs offered by agents in Dubai, Bangkok and Singapore, "
                         "salary $2,000.", lang="en")
    assert "compound_destination" not in agency.flag_ids
    assert "compound_destination" in hub.flag_ids
    assert "compound_destination" in agents.flag_ids


def test_a_famous_employer_with_paid_travel_and_high_pay_is_a_combination() -> None:
    lure = assess_text("Samsung factory in Korea hiring, free flight and accommodation, salary $4,000 a "
                       "month, no experience needed", lang="en")
    local = assess_text("Tuyển công nhân Samsung Bắc Ninh, lương 8 triệu/tháng, hỗ trợ nhà ở", lang="vi")
    channel = assess_text("Kami melihat iklan lowongan kerja di Facebook, gaji 1.200 ringgit.", lang="id")
    assert "famous_employer_with_paid_travel_and_pay" in lure.flag_ids
    assert "famous_employer_with_paid_travel_and_pay" not in local.flag_ids
    assert "famous_employer_with_paid_travel_and_pay" not in channel.flag_ids


def test_readers_are_skipped_only_where_they_cannot_change_the_level(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [json.loads(line) for line in
            (Path(__file__).parents[1] / "corpus" / "offers.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    document_ = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    fast = parse_rules(document_)
    full = parse_rules(document_)
    levels_fast = [assess_text(row["text"], lang=row["lang"], rules=fast).risk for row in rows]
    monkeypatch.setattr(RuleSet, "_settled", lambda *args: None)
    levels_full = [assess_text(row["text"], lang=row["lang"], rules=full).risk for row in rows]
    assert levels_fast == levels_full
    very_high = [rule for rule in fast.rules
                 if rule.id in ("passport_held_or_confined", "coached_departure", "tourist_visa_for_work")]
    assert full.signals_worth_reading(very_high) != frozenset()  # the patched one reads them
    monkeypatch.undo()
    assert fast.signals_worth_reading(very_high) == frozenset()


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Farming job in Australia. You pay 150,000 baht as \"operation fee\" before departure."),
    ("zh_Hans", "去日本工作，中介费8000元，月薪2万"),
    ("tl", "Trabaho sa Japan, magbayad ng 35,000 pesos para sa processing"),
])
def test_an_amount_asked_of_the_person_is_a_fee_whatever_it_is_called(lang: str, text: str) -> None:
    assert "fees_or_deposit" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Factory operators for Penang, basic RM1,700, hostel provided at RM50/month."),
    ("th", "ประกาศรับสมัครสอบ EPS-TOPIK ไปทำงานเกาหลี ค่าสมัครสอบ 1,000 บาท สมัครที่สำนักงานจัดหางาน"),
    ("vi", "Thông báo thi tiếng Hàn EPS-TOPIK đi làm việc tại Hàn Quốc, lệ phí dự thi 26 USD"),
    ("tl", "Hiring sa Korea under EPS. Exam fee: 1,300 pesos. Mag-apply sa DMW."),
])
def test_a_cost_deducted_from_pay_or_an_official_test_fee_is_not_a_job_fee(lang: str, text: str) -> None:
    assert "fees_or_deposit" not in assess_text(text, lang=lang).flag_ids


def test_english_pay_in_one_countrys_currency_is_judged_against_that_market() -> None:
    verdict = money.assess_pay("RM5,000 and RM7,000 to work as customer service officers.", language="en")
    assert verdict is not None and verdict.country == "MY" and verdict.basis == "origin"
    assert money.assess_pay("Salary $900 a month", language="en") is None  # dollars: no one market


def test_pay_well_above_home_judges_a_range_at_its_middle() -> None:
    factory = money.assess_pay("招聘普工，月薪8000-12000元，包吃包住，无需经验", language="zh_Hans")
    lure = money.assess_pay("Tìm lao động biết gõ máy tính, lương mỗi tháng 20 triệu đồng.", language="vi")
    assert factory is not None and not factory.elevated
    assert lure is not None and lure.elevated
    ad = assess_text("招聘普工，月薪8000-12000元，包吃包住，无需经验", lang="zh_Hans")
    assert ad.risk not in (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def test_customer_service_counts_abroad_with_paid_travel_and_never_alone() -> None:
    lure = assess_text("CS needed in Cambodia, free ticket and accommodation", lang="en")
    carrier = assess_text("Viettel: tổng đài chăm sóc khách hàng 198, quý khách cần hỗ trợ "
                          "tuyển dụng liên hệ", lang="vi")
    assert "customer_service_abroad_with_paid_travel" in lure.flag_ids
    assert carrier.risk == RiskLevel.LOW


def test_an_amount_followed_by_a_pay_word_is_not_a_fee_asked() -> None:
    verdict, asks_money = money.assess_money(
        "May trabaho sa Dubai, sagot ng employer ang ticket at visa, P70k sahod", language="tl")
    assert not asks_money
    assert verdict is not None and verdict.pay.amount == 70_000


@pytest.mark.parametrize(("lang", "text"), [
    ("km", "ការងារនៅប្រទេសថៃ សំបុត្រយន្តហោះឥតគិតថ្លៃ"),
    ("en", "Job in Dubai: free air ticket, free of charge"),
    ("zh_Hans", "去迪拜工作，免费机票"),
])
def test_a_free_perk_is_not_masked_as_a_negated_fee(lang: str, text: str) -> None:
    flags = assess_text(text, lang=lang).flag_ids
    assert "employer_pays_flight" in flags or "perks_bundle" in flags
