"""The guided questionnaire, for people who cannot paste the offer.

Questions live in `screening/data/questionnaire.json`; each maps a "yes" (and,
for some, an "unsure") answer to rule ids of the red-flag rules, so a
questionnaire and a pasted offer are scored the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from screening.rules import DATA_DIR, RulesError, RuleSet, default_rules

QUESTIONNAIRE_PATH = DATA_DIR / "questionnaire.json"


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str  # English gettext msgid
    rule_ids: tuple[str, ...]  # rules a "yes" triggers
    unsure_rule_ids: tuple[str, ...] = ()  # rules an "unsure" triggers (often none)


def _id_list(question_id: str, raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RulesError(f"question {question_id}: {key} must be a list of rule ids")
    return tuple(value)


def parse_questions(document: Mapping[str, Any], *, rules: RuleSet | None = None) -> list[Question]:
    """Validate a questionnaire document; with `rules`, every rule id must exist."""
    raw_questions = document.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise RulesError("'questions' must be a non-empty list")
    questions: list[Question] = []
    for raw in raw_questions:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            raise RulesError("every question needs a text id")
        question_id = raw["id"]
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise RulesError(f"question {question_id}: text must be an English msgid")
        question = Question(
            id=question_id,
            text=text,
            rule_ids=_id_list(question_id, raw, "yes_rules"),
            unsure_rule_ids=_id_list(question_id, raw, "unsure_rules"),
        )
        if rules is not None:
            unknown = [rule_id for rule_id in (*question.rule_ids, *question.unsure_rule_ids)
                       if rules.get(rule_id) is None]
            if unknown:
                raise RulesError(f"question {question_id}: unknown rule ids {unknown}")
        questions.append(question)
    ids = [question.id for question in questions]
    if len(set(ids)) != len(ids):
        raise RulesError("duplicate question ids")
    return questions


def load_questions(path: Path, *, rules: RuleSet | None = None) -> list[Question]:
    return parse_questions(json.loads(path.read_text(encoding="utf-8")), rules=rules)


@cache
def _default_questions() -> tuple[Question, ...]:
    return tuple(load_questions(QUESTIONNAIRE_PATH, rules=default_rules()))


def default_questions() -> list[Question]:
    """The shipped questions, in the order they are asked."""
    return list(_default_questions())


def __getattr__(name: str) -> list[Question]:
    # `QUESTIONS` (the documented constant) is loaded on first access, so importing this
    # module never fails just because a data file is being edited.
    if name == "QUESTIONS":
        return default_questions()
    raise AttributeError(name)
