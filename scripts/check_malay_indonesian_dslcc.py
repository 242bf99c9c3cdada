"""Malay vs Indonesian on text outside the project's corpus: DSLCC news sentences cut to short lines.

Usage: `.venv/bin/python scripts/check_malay_indonesian_dslcc.py GOLD_FILE [GOLD_FILE ...]`
with the gold test files of the VarDial DSL shared task corpus (DSL Corpus Collection v1.0
`gold/test-gold.txt`, v2.0 `gold/test-gold.txt`: one `sentence<TAB>...<TAB>label` per line, labels
`id` and `my` for Indonesian and Malay, 1,000 sentences each; as kept for instance in
github.com/alvations/bayesmax under `bayesmax/data/`). Not shipped, not part of any gate: a
cross-check for changes to `screening/language.py` tuned on the train half of
`tests/corpus/real/short_lines.jsonl`.

Every sentence gives two lines of k words (its first k, and k from its middle) for k = 3, 5, 8,
12; each line is detected under an English interface and with no hint. Printed: per k and hint,
the share of each language answered correctly, and how many were answered with the other of the
two ("swap") or anything else.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from screening.language import detect_language  # noqa: E402

SIZES = (3, 5, 8, 12)
HINTS = ("en", None)


def _rows(path: Path) -> Iterator[tuple[str, str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[-1] in ("id", "my"):
            yield parts[0], "ms" if parts[-1] == "my" else "id"


def _lines(text: str, size: int) -> list[str]:
    words = text.split()
    if len(words) < size:
        return []
    middle = (len(words) - size) // 2
    return [" ".join(words[:size]), " ".join(words[middle:middle + size])]


def check(path: Path) -> None:
    rows = list(_rows(path))
    totals: Counter[tuple[str, str]] = Counter()
    print(path)
    for size in SIZES:
        for hint in HINTS:
            counts: Counter[tuple[str, str]] = Counter()
            for text, lang in rows:
                for line in _lines(text, size):
                    found = detect_language(line, hint=hint)
                    outcome = "ok" if found == lang else "swap" if found in ("ms", "id") else "other"
                    counts[lang, outcome] += 1
                    counts[lang, "n"] += 1
            totals.update(counts)
            print(f"k={size:2} hint={hint!s:4} " + " | ".join(
                f"{lang} {counts[lang, 'ok'] / counts[lang, 'n']:6.1%} swap {counts[lang, 'swap']:4}"
                f" other {counts[lang, 'other']:4}" for lang in ("id", "ms")))
    shares = [totals[lang, "ok"] / totals[lang, "n"] for lang in ("id", "ms")]
    print(f"all: id {shares[0]:.2%}, ms {shares[1]:.2%}, mean {sum(shares) / 2:.2%}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for argument in sys.argv[1:]:
        check(Path(argument))
