"""Combinations and structured signals in the rules data: weak signs that count more together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from screening.assess import RiskLevel, assess_text
from screening.rules import RulesError, RuleSet, parse_rules

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


def test_combinations_found_again_for_the_same_rules_are_the_same_and_a_fresh_list() -> None:
    # combinations_of is remembered per set of rules found: asking again (in any order of the
    # rules) answers the same, and changing the list returned changes nothing remembered.
    rules = with_combination(3, ["pay_far_above_market", "chat_only_recruiter"])
    found = [rule for rule in rules.rules
             if rule.id in ("pay_far_above_market", "chat_only_recruiter")]
    first = rules.combinations_of(found)
    assert [combination.id for combination in first] == ["pay_and_chat"]
    first.clear()
    assert [combination.id for combination in rules.combinations_of(found[::-1])] == ["pay_and_chat"]
    assert rules.combinations_of(found[:1]) == []


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
