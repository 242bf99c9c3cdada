"""Regression gates on the synthetic corpora (tests/corpus, written by this project's helper A2).

Text we wrote ourselves never counts in a reported figure (the real-text gates are in
test_real_corpus.py); these only catch an edit that makes our own examples clearly worse.
Since issue 14 the engine flags a job in Cambodia, Myanmar, Laos (and Thailand, for people
from further away) by itself, so "medium" on a legitimate job there is intended: the gate
on legitimate texts is how many reach *high* (25 of 403 when set, 2026-12-06: hard cases
such as a hotel receptionist in Phnom Penh or a guesthouse in Poipet), and recall is lures
rated medium or above (0.975 when set).

History before issue 14:
Measured when these gates were set (rules and corpus of 2026-11-25, 806 offers):
all offers precision 0.91, recall 0.96; per locale precision 0.86-0.94, recall
0.94-1.00. The held-out split (the newest texts, written after the last rules round;
it moves to "tuning" once the rules learn from it) is reported by
bench/screening_bench.py, not gated here: across A2's rounds it went from P 1.00 / R 0.62
to P 0.58 / R 0.36 to P 0.93 / R 0.73, which is the honest measure of unseen offers.
Short messages: 99.7% with hints (97.2% before the function-word lists were extended
after reading the misses), 89% without any hint (Malay/Indonesian need one).
The gates sit a little below so that an edit that makes things clearly worse fails.
A missing corpus is a failure, not a skip.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from screening.assess import RiskLevel, assess_text
from screening.language import detect_language

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
OFFERS = CORPUS_DIR / "offers.jsonl"
SHORT_MESSAGES = CORPUS_DIR / "short_messages.jsonl"

MAX_LEGIT_HIGH = 0.08
MAX_LEGIT_HIGH_PER_LANGUAGE = 4  # of 31 legitimate texts per language
MIN_RECALL = 0.90
MIN_RECALL_PER_LANGUAGE = 0.85
MIN_LANGUAGE_ACCURACY = 0.97


def load(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        pytest.fail(f"{path} is missing: the labelled corpus is part of the screening tests")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def legit_high_and_recall(rows: list[dict[str, Any]]) -> tuple[int, int, float]:
    """(legitimate texts rated high or above, legitimate texts, lures rated medium or above)."""
    legit_high = legit = lures = lures_flagged = 0
    for row in rows:
        risk = assess_text(row["text"], lang=row["lang"]).risk
        if row["label"] == "scam":
            lures += 1
            lures_flagged += risk is not RiskLevel.LOW
        else:
            legit += 1
            legit_high += risk in (RiskLevel.HIGH, RiskLevel.VERY_HIGH)
    return legit_high, legit, lures_flagged / max(1, lures)


def test_offer_corpus_has_every_shipped_language_with_both_labels() -> None:
    rows = load(OFFERS)
    labels = Counter((row["lang"], row["label"]) for row in rows)
    languages = {lang for lang, _ in labels}
    assert len(languages) == 13
    for lang in languages:
        assert labels[(lang, "scam")] >= 10 and labels[(lang, "legit")] >= 10, lang


def test_offers_overall() -> None:
    legit_high, legit, recall = legit_high_and_recall(load(OFFERS))
    assert legit_high / legit <= MAX_LEGIT_HIGH and recall >= MIN_RECALL, (legit_high, recall)


def test_offers_per_language() -> None:
    rows = load(OFFERS)
    failing = {}
    for lang in sorted({row["lang"] for row in rows}):
        legit_high, _, recall = legit_high_and_recall([row for row in rows if row["lang"] == lang])
        if legit_high > MAX_LEGIT_HIGH_PER_LANGUAGE or recall < MIN_RECALL_PER_LANGUAGE:
            failing[lang] = (legit_high, round(recall, 2))
    assert not failing


def test_short_message_language_accuracy() -> None:
    rows = load(SHORT_MESSAGES)
    correct = sum(detect_language(row["text"], hint=row.get("hint")) == row["lang"] for row in rows)
    assert correct / len(rows) >= MIN_LANGUAGE_ACCURACY, correct / len(rows)
