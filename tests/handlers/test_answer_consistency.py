"""The answer to a checked offer says only what the text shows (session 17, w-answer).

Consistency, not presence: every text of the corpora (the TRAIN rows of the real corpus only, and
the synthetic offers and short messages) is assessed and its reply rendered as the person gets
it, and the reply is held against what actually fired in that text:

- every warning-sign bullet is the message of a rule found in the text (a combination's message
  named every alternative of its groups and claimed what no rule reads: ko-scam-076 was told "no
  skill or licence asked for", id-scam-021 got eight "Together:" bullets);
- the summary and advice speak of scam compounds (the compound summary, the border-town advice,
  the compound "together" line) exactly when a rule marked "compound" in red_flags.json fired;
- no "no warning sign" beside a warning sign; no bullet said twice or contained in another; the
  strongest first, and at most the cap.

The rules found are read again here with `match_rules` (what the assessment is made of), and the
"compound" rules straight from the JSON file, not through the loader's field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from handlers import check_offer
from locales.i18n import get_translator
from screening import advice
from screening.assess import RiskLevel, assess_text, match_rules
from screening.rules import RULES_PATH, default_rules
from tests.corpus.real.measure import load_rows

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# The kinds of rule that speak of compounds (a compound place, a route across a border, the scam
# work, people held): the file must mark at least these.
COMPOUND_KINDS = {"compound_destination", "bangkok_then_overland", "fraud_work_described",
                  "passport_held_or_confined"}
# What only a compound reading may say (English msgids: the reply is rendered in English).
# (Read with getattr so that this file runs on the code before it too, and shows it failing.)
COMPOUND_SAYINGS = tuple(saying for saying in (
    advice.SUMMARY_HIGH, advice.SUMMARY_VERY_HIGH, advice.ACT_DO_NOT_TRAVEL,
    getattr(advice, "TOGETHER_COMPOUND", None)) if saying)
NONE_FOUND = (advice.SUMMARY_LOW, "No common warning sign found")
# How a rule's own message speaks of scam compounds (English msgids): such a bullet is true only
# where a rule that speaks of them fired (perks_bundle once said "a common lure in scam-centre
# recruitment", job_offer_as_bait "recruiters for scam compounds", in fake-job replies too).
COMPOUND_WORDS = re.compile(r"scam[- ](?:compound|cent(?:re|er))", re.IGNORECASE)
MAX_BULLETS = 6


def _compound_rules() -> set[str]:
    document = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return {rule["id"] for rule in document["rules"] if rule.get("compound") is True}


def _texts(corpus: str) -> Iterator[tuple[str, str, str | None]]:
    """(id, text, language hint) of a corpus: TRAIN rows only of the real corpus."""
    if corpus == "real":
        for row in load_rows(split="train"):
            yield row["id"], row["text"], row["lang"]
    elif corpus == "short_lines":
        for number, line in enumerate((CORPUS / "real" / "short_lines.jsonl").read_text(
                encoding="utf-8").splitlines()):
            if line.strip():
                row = json.loads(line)
                if row.get("split") == "train":  # never the held-out test split
                    yield f"short_lines:{number}", row["text"], row["lang"]
    else:
        for number, line in enumerate((CORPUS / f"{corpus}.jsonl").read_text(encoding="utf-8").splitlines()):
            if line.strip():
                row: dict[str, Any] = json.loads(line)
                yield f"{corpus}:{row.get('id', number)}", row["text"], row.get("lang")


def _bullets(reply: str) -> list[str]:
    """The warning-sign lines of a reply (the bullets between "Warning signs" and the advice)."""
    sections = reply.split("\n\n")
    signs = next((section for section in sections if section.startswith("<b>Warning signs:</b>")), "")
    return [line[2:] for line in signs.splitlines() if line.startswith("• ")]


def _problems(text_id: str, text: str, lang: str | None, compound_rules: set[str]) -> list[str]:
    rules = default_rules()
    assessment = assess_text(text, lang=lang)
    found, _ = match_rules(text, rules, lang=assessment.language or lang)
    fired = {rule.id for rule in found}
    messages = {rule.message: rule for rule in found}
    ctx = SimpleNamespace(t=get_translator("en"))
    reply = check_offer._result_reply(ctx, assessment, [], read_together=1).text  # type: ignore[arg-type]
    bullets = _bullets(reply)
    problems: list[str] = []
    for bullet in bullets:
        if bullet not in messages:
            problems.append(f"{text_id}: bullet backed by no rule found: {bullet!r}")
    weights = [messages[bullet].weight for bullet in bullets if bullet in messages]
    if weights != sorted(weights, reverse=True):
        problems.append(f"{text_id}: not the strongest first: {weights}")
    if len(bullets) > MAX_BULLETS:
        problems.append(f"{text_id}: {len(bullets)} bullets")
    for index, bullet in enumerate(bullets):
        if any(other.startswith(bullet.rstrip(".")) for other in bullets[:index] + bullets[index + 1:]):
            problems.append(f"{text_id}: said twice: {bullet!r}")
    compound = bool(fired & compound_rules)
    for bullet in bullets:
        if COMPOUND_WORDS.search(bullet) and not compound:
            problems.append(f"{text_id}: a bullet speaks of compounds, none fired: {bullet!r}")
    for saying in COMPOUND_SAYINGS:
        if (saying in reply) and not compound:
            problems.append(f"{text_id}: speaks of compounds, none fired ({sorted(fired)}): {saying!r}")
    if compound and assessment.risk in (RiskLevel.HIGH, RiskLevel.VERY_HIGH) \
            and not any(saying in reply for saying in COMPOUND_SAYINGS[:2]):
        problems.append(f"{text_id}: a compound rule fired ({sorted(fired & compound_rules)}), "
                        "the summary does not say so")
    if bullets and any(none in reply for none in NONE_FOUND):
        problems.append(f"{text_id}: 'no warning sign' beside {len(bullets)} signs")
    combined = bool(rules.conclusions(found).combinations)
    if combined != any(getattr(advice, name, "\0") in reply
                       for name in ("TOGETHER_FAKE_JOB", "TOGETHER_COMPOUND")):
        problems.append(f"{text_id}: the 'together' line "
                        f"{'missing' if combined else 'without a combination'}")
    return problems


def test_the_file_marks_every_kind_of_compound_rule() -> None:
    assert _compound_rules() >= COMPOUND_KINDS
    assert {rule.id for rule in default_rules().rules if rule.compound} == _compound_rules()


def test_only_compound_rules_speak_of_compounds() -> None:
    """A rule's message is said wherever the rule fires: it speaks of scam compounds only if the
    rule is one that reads them ("compound" in red_flags.json), or a fake-job reply would."""
    compound_rules = _compound_rules()
    speaking = {rule.id for rule in default_rules().rules
                if rule.weight > 0 and COMPOUND_WORDS.search(rule.message)}
    assert speaking <= compound_rules, sorted(speaking - compound_rules)


@pytest.mark.parametrize("corpus", ["real", "short_lines", "offers", "short_messages"])
def test_every_reply_says_only_what_fired(corpus: str) -> None:
    compound_rules = _compound_rules()
    problems = [problem for text_id, text, lang in _texts(corpus)
                for problem in _problems(text_id, text, lang, compound_rules)]
    assert not problems, f"{len(problems)} problems, first ones:\n" + "\n".join(problems[:12])


def test_the_walked_rows_are_told_only_what_they_say() -> None:
    """The two train rows the walk of session 16 found (tests/corpus/real/ko.jsonl, id.jsonl)."""
    rows = {row["id"]: row for row in load_rows(split="train") if row["id"] in ("ko-scam-076", "id-scam-021")}
    ctx = SimpleNamespace(t=get_translator("en"))
    korean = check_offer._result_reply(  # type: ignore[arg-type]
        ctx, assess_text(rows["ko-scam-076"]["text"], lang="ko"), [], read_together=1).text
    assert "no skill or licence" not in korean
    assert advice.SUMMARY_HIGH not in korean and advice.ACT_DO_NOT_TRAVEL not in korean
    indonesian = assess_text(rows["id-scam-021"]["text"], lang="id")
    assert len(_bullets(check_offer._result_reply(  # type: ignore[arg-type]
        ctx, indonesian, [], read_together=1).text)) <= MAX_BULLETS
    assert not [line for line in _bullets(check_offer._result_reply(  # type: ignore[arg-type]
        ctx, indonesian, [], read_together=1).text) if line.startswith("Together:")]
