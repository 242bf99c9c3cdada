"""Language detection on real short lines (tests/corpus/real/short_lines.jsonl), test half only.

Each line is measured three ways: under an English Telegram interface (hint "en", the common
case), under the language's own interface (hint = its locale) and with no hint. The floors are
the figures `screening.language` reached when it was last tuned (on the train half only); a
change that loses accuracy on lines it never saw fails here.

Only the line's own locale counts; "undecided" (None) is a miss. When the words do not tell
Malay from Indonesian and no hint or country does, the detector answers "id" by design
(Indonesian has about ten times the speakers and Malay readers understand it; see
`screening.language`), so under an English or no hint the ms floor measures how often the words
alone decide, and Malay lines answered "id" are counted in the ceiling of wrong answers. Likewise
Chinese lines with no character of one script only are answered zh_Hans without a Chinese hint.
Wrong languages other than these pairs are the harmful errors; every ceiling is what was reached.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from screening.language import detect_language

REAL_DIR = Path(__file__).resolve().parents[1] / "corpus" / "real"
SHORT_LINES = REAL_DIR / "short_lines.jsonl"
LANGUAGES = ("en", "zh_Hans", "zh_Hant", "vi", "th", "id", "ms", "tl", "km", "lo", "my", "ko", "hi")
HINTS = ("en", "own", "none")

# Share of test-half lines detected correctly (rounded down), per language:
# (hint "en", own hint, no hint). The zh_Hant, id and ms rows (and their ceilings below) are the
# figures reached when a second batch of new held-out lines joined the test half (2026-12-07,
# c6954b2: ms 22, id 17, zh_Hant 28 test lines; see tests/corpus/real/README.md): lower for ms
# (84.1% -> 83.7%: 4 of the 22 new Malay lines given another language under an English or no
# hint), higher for id (90.9% -> 91.5%, 1 of 17 new lines given another language) and zh_Hant
# (93.4% -> 95.1%, every new line right). main's detector (195d35f) and the q-lang branch
# answered every new line alike.
MIN_ACCURACY: dict[str, tuple[float, float, float]] = {
    "en": (1.000, 1.000, 1.000),
    "zh_Hans": (1.000, 1.000, 1.000),
    "zh_Hant": (0.951, 1.000, 0.951),
    "vi": (1.000, 1.000, 1.000),
    "th": (1.000, 1.000, 1.000),
    "id": (0.915, 1.000, 0.915),
    "ms": (0.837, 1.000, 0.837),
    "tl": (1.000, 1.000, 1.000),
    "km": (1.000, 1.000, 1.000),
    "lo": (1.000, 1.000, 1.000),
    "my": (1.000, 1.000, 1.000),
    "ko": (1.000, 1.000, 1.000),
    "hi": (1.000, 1.000, 1.000),
}
# Lines given another language (not None), per language: (hint "en", own hint, no hint).
# The counts reached; for id and ms they include the designed answer to lines whose words fit
# both (see the module docstring).
MAX_WRONG: dict[str, tuple[int, int, int]] = {
    "zh_Hant": (5, 0, 5),
    "id": (7, 0, 7),
    "ms": (21, 0, 21),
}


def _split_rule() -> Callable[[str], str]:
    sys.path.insert(0, str(REAL_DIR))
    try:
        import split  # tests/corpus/real/split.py: the frozen train/test rule

        rule: Callable[[str], str] = split.split_of
        return rule
    finally:
        sys.path.remove(str(REAL_DIR))


def _rows() -> list[dict[str, str]]:
    return [json.loads(line) for line in SHORT_LINES.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _hint(hint: str, lang: str) -> str | None:
    return {"en": "en", "own": lang, "none": None}[hint]


def _measure(lang: str, hint: str) -> tuple[int, int, int]:
    """(correct, wrong language, total) on the test half."""
    rows = [row for row in _rows() if row["lang"] == lang and row["split"] == "test"]
    correct = wrong = 0
    for row in rows:
        found = detect_language(row["text"], hint=_hint(hint, lang))
        if found == lang:
            correct += 1
        elif found is not None:
            wrong += 1
    return correct, wrong, len(rows)


def test_corpus_rows_are_complete_and_split_by_source() -> None:
    split_of = _split_rule()
    rows = _rows()
    counts = Counter(row["lang"] for row in rows)
    assert set(counts) == set(LANGUAGES)
    assert min(counts.values()) >= 40, counts
    for row in rows:
        assert row["text"].strip() and row["source_url"].startswith("http") and row["source"]
        assert row["split"] == split_of(row["source_url"]), row


@pytest.mark.held_out
@pytest.mark.parametrize("hint", HINTS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_accuracy_on_the_test_half_does_not_drop(lang: str, hint: str) -> None:
    correct, wrong, total = _measure(lang, hint)
    assert total >= 10
    floor = MIN_ACCURACY[lang][HINTS.index(hint)]
    assert correct / total >= floor - 1e-9, (lang, hint, f"{correct}/{total}", floor)
    ceiling = MAX_WRONG.get(lang, (0, 0, 0))[HINTS.index(hint)]
    assert wrong <= ceiling, (lang, hint, wrong, ceiling)
