"""The shipped rules with some taken out, for tests that show what a rule changes ("before" and
"after" on the same lines)."""

from __future__ import annotations

import json
from pathlib import Path

from screening.assess import RiskLevel
from screening.rules import RuleSet, parse_rules

RULES_PATH = Path(__file__).resolve().parents[2] / "screening" / "data" / "red_flags.json"
HIGH_OR_ABOVE = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def rules_without(*rule_ids: str) -> RuleSet:
    """The shipped rules file with the rules `rule_ids` removed (a mask or a class with no other
    place in the file: combinations and other rules must not name it)."""
    document = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return parse_rules({**document, "rules": [rule for rule in document["rules"]
                                              if rule["id"] not in rule_ids]})
