"""The red-flag rules: loaded from `screening/data/red_flags.json`, compiled once.

Every rule's patterns, in all languages, are compiled into one case-insensitive
regex, because offers mix languages (a Khmer ad with English job titles, a Thai
ad with a Chinese company name) and matching only the detected language would
miss those. Text is matched after `normalise_for_matching` (NFKC, zero-width
characters removed, whitespace runs collapsed); the rules file writes its
patterns for that form: plain substrings for scripts without spaces (Thai,
Khmer, Lao, Myanmar, Chinese), word-bounded regexes where words are spaced.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.i18n import SUPPORTED_LOCALES

DATA_DIR = Path(__file__).resolve().parent / "data"
RULES_PATH = DATA_DIR / "red_flags.json"
JOB_CONTEXT_RULE_ID = "job_context"
_PATTERN_KEYS = frozenset({"any", *SUPPORTED_LOCALES})

# Zero-width characters and the soft hyphen split words invisibly: they are used both
# by Thai/Khmer/Myanmar typing (word breaks) and by spammers dodging keyword filters.
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_WHITESPACE_RUN_RE = re.compile(r"\s+")


class RulesError(ValueError):
    """The rules file is malformed; the message names the rule and field."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    weight: int
    message: str  # English gettext msgid explaining the flag to the person
    requires_job_context: bool
    sources: tuple[str, ...]
    pattern: re.Pattern[str] | None  # None: answered only through the questionnaire


@dataclass(frozen=True, slots=True)
class Thresholds:
    medium: int
    high: int
    very_high: int


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: int
    thresholds: Thresholds
    rules: tuple[Rule, ...]  # without the job-context rule
    job_context: Rule | None

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


def normalise_for_matching(text: str) -> str:
    """NFKC (full-width letters, compatibility forms), no invisible characters, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE_RE.sub("", text)
    return _WHITESPACE_RUN_RE.sub(" ", text)


def _compile_patterns(rule_id: str, patterns: Any) -> re.Pattern[str] | None:
    if patterns is None:
        return None
    if not isinstance(patterns, Mapping):
        raise RulesError(f"rule {rule_id}: 'patterns' must be an object of language -> list")
    alternatives: list[str] = []
    for key, entries in patterns.items():
        if key not in _PATTERN_KEYS:
            raise RulesError(f"rule {rule_id}: unknown pattern language {key!r}")
        if not isinstance(entries, list) or not all(isinstance(entry, str) for entry in entries):
            raise RulesError(f"rule {rule_id}: patterns[{key!r}] must be a list of strings")
        for entry in entries:
            if not entry.strip():
                raise RulesError(f"rule {rule_id}: empty pattern in {key!r}")
            try:
                re.compile(entry, re.IGNORECASE)
            except re.error as error:
                raise RulesError(f"rule {rule_id}: bad regex in {key!r}: {entry!r}: {error}") from None
            # Patterns are written for normalised text; normalise them the same way so a
            # full-width or decomposed spelling in the file still matches.
            alternatives.append(unicodedata.normalize("NFKC", entry))
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives),
                      re.IGNORECASE)


def _parse_rule(raw: Any) -> Rule:
    if not isinstance(raw, Mapping):
        raise RulesError("every rule must be an object")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", rule_id):
        raise RulesError(f"rule id must be snake_case text, got {rule_id!r}")
    weight = raw.get("weight")
    if not isinstance(weight, int) or isinstance(weight, bool) or weight < 0:
        raise RulesError(f"rule {rule_id}: weight must be a whole number >= 0")
    message = raw.get("message", "")
    if not isinstance(message, str) or (not message and rule_id != JOB_CONTEXT_RULE_ID):
        raise RulesError(f"rule {rule_id}: message must be a non-empty English msgid")
    sources = raw.get("sources", [])
    if not isinstance(sources, list) or (not sources and rule_id != JOB_CONTEXT_RULE_ID):
        raise RulesError(f"rule {rule_id}: sources must cite where the flag comes from")
    return Rule(
        id=rule_id,
        weight=weight,
        message=message,
        requires_job_context=bool(raw.get("requires_job_context", False)),
        sources=tuple(str(source) for source in sources),
        pattern=_compile_patterns(rule_id, raw.get("patterns")),
    )


def parse_rules(document: Mapping[str, Any]) -> RuleSet:
    """Validate and compile a rules document (the parsed JSON)."""
    raw_thresholds = document.get("thresholds")
    if not isinstance(raw_thresholds, Mapping):
        raise RulesError("'thresholds' must be an object with medium, high, very_high")
    try:
        thresholds = Thresholds(
            medium=int(raw_thresholds["medium"]),
            high=int(raw_thresholds["high"]),
            very_high=int(raw_thresholds["very_high"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise RulesError(f"thresholds: {error}") from None
    if not 0 < thresholds.medium < thresholds.high < thresholds.very_high:
        raise RulesError("thresholds must rise: 0 < medium < high < very_high")
    raw_rules = document.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulesError("'rules' must be a non-empty list")
    parsed = [_parse_rule(raw) for raw in raw_rules]
    ids = [rule.id for rule in parsed]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise RulesError(f"duplicate rule ids: {', '.join(duplicates)}")
    job_context = next((rule for rule in parsed if rule.id == JOB_CONTEXT_RULE_ID), None)
    if job_context is None and any(rule.requires_job_context for rule in parsed):
        raise RulesError(f"rules require job context but there is no {JOB_CONTEXT_RULE_ID!r} rule")
    return RuleSet(
        version=int(document.get("version", 1)),
        thresholds=thresholds,
        rules=tuple(rule for rule in parsed if rule.id != JOB_CONTEXT_RULE_ID),
        job_context=job_context,
    )


def load_rules(path: Path) -> RuleSet:
    """Read, validate and compile a rules file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RulesError(f"{path}: not valid JSON: {error}") from None
    if not isinstance(document, Mapping):
        raise RulesError(f"{path}: the top level must be an object")
    return parse_rules(document)


@cache
def default_rules() -> RuleSet:
    """The shipped rules, loaded on first use and kept for the life of the process."""
    return load_rules(RULES_PATH)
