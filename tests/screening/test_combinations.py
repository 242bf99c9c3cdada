"""Combinations and structured signals in the rules data: weak signs that count more together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from screening.assess import RiskLevel, assess_text
from screening.rules import RulesError, RuleSet, default_rules, parse_rules

FIXTURES = Path(__file__).parent / "fixtures"


def document(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = json.loads((FIXTURES / "red_flags.json").read_text(encoding="utf-8"))
    base.update(changes)
    return base


def with_combination(weight: int, groups: list[Any]) -> RuleSet:
    return parse_rules(document(combinations=[{
        "id": "pay_and_chat", "weight": weight, "all": groups,
        "message": "Together: high pay and a chat-only recruiter.", "sources": ["test"],
    }]))


PAY_AND_CHAT = "Salary $2,000 per month, contact us on Telegram only"


def test_a_completed_combination_adds_its_weight_and_its_own_flag() -> None:
    without = assess_text(PAY_AND_CHAT, rules=parse_rules(document()))
    with_it = assess_text(PAY_AND_CHAT, rules=with_combination(3, ["pay_far_above_market",
                                                                   "chat_only_recruiter"]))
    assert set(without.flag_ids) == {"pay_far_above_market", "chat_only_recruiter"}
    assert with_it.flag_ids == [*without.flag_ids, "pay_and_chat"]
    assert with_it.score == without.score + 3
    assert (without.risk, with_it.risk) == (RiskLevel.MEDIUM, RiskLevel.HIGH)


def test_a_group_is_any_of_its_rules_and_every_group_is_needed() -> None:
    rules = with_combination(3, [["tourist_visa", "chat_only_recruiter"], "pay_far_above_market"])
    assert "pay_and_chat" in assess_text(PAY_AND_CHAT, rules=rules).flag_ids
    only_pay = assess_text("Salary $2,000 per month", rules=rules)
    assert "pay_and_chat" not in only_pay.flag_ids


@pytest.mark.parametrize(("groups", "complaint"), [
    (["pay_far_above_market"], "at least two"),
    (["pay_far_above_market", "no_such_rule"], "unknown rule"),
    (["pay_far_above_market", "job_context"], "unknown rule"),
])
def test_malformed_combinations_are_refused(groups: list[Any], complaint: str) -> None:
    with pytest.raises(RulesError, match=complaint):
        with_combination(3, groups)


def test_a_signal_rule_is_found_through_its_signal_under_the_job_context_gate() -> None:
    raw = document()
    destination = next(rule for rule in raw["rules"] if rule["id"] == "compound_destination")
    destination["signal"] = "destination"
    rules = parse_rules(raw)
    found, _ = rules.match("We are hiring, salary paid monthly", signals=frozenset({"destination"}))
    assert "compound_destination" in {rule.id for rule in found}
    found, _ = rules.match("Lovely beaches here", signals=frozenset({"destination"}))
    assert "compound_destination" not in {rule.id for rule in found}  # no job context


def test_an_unknown_signal_is_refused() -> None:
    raw = document()
    raw["rules"][1]["signal"] = "weather"
    with pytest.raises(RulesError, match="unknown signal"):
        parse_rules(raw)


@pytest.mark.parametrize("text", [
    # A carrier's customer-care SMS is not a job offer (issue 14: CSKH fired on ordinary SMS).
    "Viettel: Quý khách vui lòng liên hệ tổng đài CSKH 18008098 để được hỗ trợ. Trân trọng.",
    "Mobifone trân trọng thông báo: gọi 9090 để được chăm sóc khách hàng 24/7.",
    # Advice, not confinement.
    "Before you travel, keep your phone charged and keep your passport with you.",
    # A software word, not an irregular exit.
    "Security researchers found a backdoor in the router firmware.",
])
def test_former_false_triggers_stay_low(text: str) -> None:
    assessment = assess_text(text)
    assert assessment.risk == RiskLevel.LOW, assessment.flag_ids


def test_hiring_for_customer_care_still_reads_as_a_job() -> None:
    found_ids = assess_text("Tuyển nhân viên CSKH làm việc tại Campuchia, bao ăn ở").flag_ids
    assert "vague_job_language_skills" in found_ids


def test_a_rule_listed_under_none_cancels_the_combination() -> None:
    raw = document(combinations=[{
        "id": "pay_and_chat", "weight": 3, "all": ["pay_far_above_market", "chat_only_recruiter"],
        "none": ["tourist_visa"], "message": "Together: high pay and a chat-only recruiter.",
        "sources": ["test"]}])
    rules = parse_rules(raw)
    assert "pay_and_chat" in assess_text(PAY_AND_CHAT, rules=rules).flag_ids
    found_ids = frozenset({"pay_far_above_market", "chat_only_recruiter", "tourist_visa"})
    assert not rules.combinations[0].present(found_ids)


def test_none_must_name_known_rules() -> None:
    with pytest.raises(RulesError, match="'none'"):
        parse_rules(document(combinations=[{
            "id": "pay_and_chat", "weight": 3, "all": ["pay_far_above_market", "chat_only_recruiter"],
            "none": ["no_such_rule"], "message": "m", "sources": ["test"]}]))


def test_signals_that_complete_or_cancel_a_combination_are_worth_reading() -> None:
    rules = default_rules()
    perks = [rule for rule in rules.rules if rule.id == "perks_bundle"]
    worth = rules.signals_worth_reading(perks)
    # pay far above market (a flag), pay well above home wages (completes a combination with
    # perks) and abroad (cancels that one, completes another with pay)
    assert {"pay", "pay_elevated", "abroad"} <= worth


@pytest.mark.parametrize(("text", "lang", "combination"), [
    # Pay well above home wages for unskilled work, with free housing and travel: no destination.
    ("Lowongan kerja, gaji Rp 10-15 juta per bulan, mes gratis, tiket pesawat ditanggung", "id",
     "pay_well_above_home_with_perks"),
    # A job abroad, travel paid, no real interview.
    ("Hiring for Canada farm workers, free visa and air ticket, no interview needed", "en",
     "abroad_paid_travel_and_a_warning_sign"),
    ("招聘日本工厂工人，免费机票，无需经验", "zh_Hans", "abroad_paid_travel_and_a_warning_sign"),
    # A compound town and pressure to hurry.
    ("Tuyển gấp 10 thợ mộc làm việc tại Sihanoukville, đi ngay trong tuần", "vi", "destination_with_urgency"),
])
def test_weak_signs_together_are_high(text: str, lang: str, combination: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert combination in assessment.flag_ids
    assert assessment.risk in (RiskLevel.HIGH, RiskLevel.VERY_HIGH), assessment.flag_ids


@pytest.mark.parametrize(("text", "lang"), [
    # A qualification explains high pay and paid travel: a real nurses' programme.
    ("Lowongan perawat lulusan D3 ke Jerman, gaji Rp 38 juta per bulan, tiket pesawat ditanggung", "id"),
    # Well above home wages, but the job is abroad (legal work abroad pays several times more).
    ("Tuyển lao động đi Nhật làm nhà máy, lương 30 triệu đồng mỗi tháng, có ký túc xá miễn phí", "vi"),
    # An engineer at home: pay explained by the skill asked.
    ("招聘机械工程师，本科及以上学历，3年以上工作经验，月薪15000元，包吃住", "zh_Hans"),
])
def test_the_same_signs_with_an_innocent_explanation_stay_below_high(text: str, lang: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert assessment.risk in (RiskLevel.LOW, RiskLevel.MEDIUM), assessment.flag_ids


@pytest.mark.parametrize(("text", "lang"), [
    ("안전은 보장되니 걱정하실 필요가 없습니다. 월급 많이 드립니다", "ko"),
    ("Kerja di luar negeri, dijamin aman, bukan penipuan, gaji besar", "id"),
    ("这份工作绝对安全,不是骗局,月薪很高", "zh_Hans"),
])
def test_unasked_safety_reassurance_is_a_flag(text: str, lang: str) -> None:
    assert "safety_reassurance" in assess_text(text, lang=lang).flag_ids


def test_a_safe_working_environment_is_not_a_reassurance() -> None:
    text = "Hiring factory workers, salary RM1,800, very safe working environment, apply at our office"
    assert "safety_reassurance" not in assess_text(text, lang="en").flag_ids


@pytest.mark.parametrize(("text", "lang"), [
    # Licensed agencies write "urgent hiring", free airfare and housing, and a chat contact too.
    ("URGENT HIRING for Taiwan! Factory workers, salary NT$27,470, FREE accommodation, FREE airfare. "
     "POEA licensed agency, message us on Viber.", "tl"),
    ("Tuyển gấp 30 lao động đi Đài Loan làm nhà máy, lương 27.470 Đài tệ, ở ký túc xá miễn phí", "vi"),
    ("急招赴新加坡建筑工人，包吃住，机票公司报销，正规劳务派遣公司", "zh_Hans"),
])
def test_an_agency_ad_for_work_abroad_with_perks_and_hurry_is_not_high(text: str, lang: str) -> None:
    assert assess_text(text, lang=lang).risk in (RiskLevel.LOW, RiskLevel.MEDIUM)


def test_a_recruiter_phone_in_a_compound_country_is_a_destination() -> None:
    text = "Tuyển nhân viên đánh máy, không cần kinh nghiệm, liên hệ +855 12 345 678"
    assert "compound_destination" in assess_text(text, lang="vi").flag_ids
    # A Khmer speaker's own country: no signal.
    assert "compound_destination" not in assess_text("ត្រូវការបុគ្គលិកវាយអក្សរ ទាក់ទង +855 12 345 678",
                                                     lang="km").flag_ids


@pytest.mark.parametrize(("text", "lang"), [
    # Real sales and call-centre ads: commission pay, no experience asked. Two weak signs: medium.
    ("Tuyển nhân viên kinh doanh, thu nhập 15-30 triệu, không cần kinh nghiệm, được đào tạo", "vi"),
    ("Hiring call center agents, P30,000-P40,000 monthly, no experience needed, Makati", "tl"),
])
def test_well_above_home_pay_for_unskilled_work_alone_is_medium(text: str, lang: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "pay_well_above_home_without_skills" in assessment.flag_ids
    assert assessment.risk == RiskLevel.MEDIUM
