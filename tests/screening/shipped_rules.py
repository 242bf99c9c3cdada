"""The shipped rules with some taken out, for tests that show what a rule changes ("before" and
"after" on the same lines)."""

from __future__ import annotations

import json
from pathlib import Path

from screening.assess import RiskLevel, assess_text
from screening.rules import RuleSet, parse_rules

RULES_PATH = Path(__file__).resolve().parents[2] / "screening" / "data" / "red_flags.json"
HIGH_OR_ABOVE = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def rules_without(*rule_ids: str) -> RuleSet:
    """The shipped rules file with the rules `rule_ids` removed (a mask or a class with no other
    place in the file: combinations and other rules must not name it)."""
    document = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return parse_rules({**document, "rules": [rule for rule in document["rules"]
                                              if rule["id"] not in rule_ids]})


def assert_masked(text: str, *, lang: str, old_rules: RuleSet) -> None:
    """"Before" (old_rules) reads `text` as a fee asked and rates it high; the shipped rules read no
    fee in it and rate it below high."""
    old = assess_text(text, lang=lang, rules=old_rules)
    assert old.risk in HIGH_OR_ABOVE, (old.risk, old.flag_ids)
    assert "fees_or_deposit" in old.flag_ids, old.flag_ids
    new = assess_text(text, lang=lang)
    assert new.risk not in HIGH_OR_ABOVE, (new.risk, new.flag_ids)
    assert "fees_or_deposit" not in new.flag_ids, new.flag_ids


def assert_still_a_fee(text: str, *, lang: str, old_rules: RuleSet, same_risk: bool = True) -> None:
    """The shipped rules read `text` as a fee asked and rate it high, with the flags "before"
    (old_rules) gives it, and (same_risk) its risk too: the mask takes nothing from it."""
    new = assess_text(text, lang=lang)
    assert new.risk in HIGH_OR_ABOVE, (new.risk, new.flag_ids)
    assert "fees_or_deposit" in new.flag_ids, new.flag_ids
    old = assess_text(text, lang=lang, rules=old_rules)
    assert new.flag_ids == old.flag_ids, (old.flag_ids, new.flag_ids)
    if same_risk:
        assert new.risk == old.risk, (old.risk, new.risk)
