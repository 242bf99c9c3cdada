"""Language detection on the real short lines, per language and Telegram hint.

  .venv/bin/python -m tests.corpus.real.language_measure                  train split (tune on this)
  .venv/bin/python -m tests.corpus.real.language_measure --lang ms --misses
  .venv/bin/python -m tests.corpus.real.language_measure --split test     the figures to report

Hints as people have them: an English interface (`en`), their own language's code (`own`), none.
Only the line's own locale counts; None (undecided) is a miss. `--misses` prints every missed
line with what was found, so only use it on the train split.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from screening.language import detect_language

SHORT_LINES = Path(__file__).resolve().parent / "short_lines.jsonl"
LANGUAGES = ("en", "zh_Hans", "zh_Hant", "vi", "th", "id", "ms", "tl", "km", "lo", "my", "ko", "hi")
HINTS = ("en", "own", "none")


def load_lines(*, split: str) -> list[dict[str, Any]]:
    return [row for row in (json.loads(line) for line in
                            SHORT_LINES.read_text(encoding="utf-8").splitlines() if line.strip())
            if row["split"] == split]


def hint_for(hint: str, lang: str) -> str | None:
    return {"en": "en", "own": lang, "none": None}[hint]


def measure(rows: Iterable[dict[str, Any]], languages: Iterable[str]
            ) -> dict[tuple[str, str], tuple[int, int, int, list[tuple[str, str | None]]]]:
    """(lang, hint) -> (correct, wrong language, total, misses as (text, found))."""
    rows = list(rows)
    figures = {}
    for lang in languages:
        lines = [row["text"] for row in rows if row["lang"] == lang]
        for hint in HINTS:
            correct = wrong = 0
            misses: list[tuple[str, str | None]] = []
            for text in lines:
                found = detect_language(text, hint=hint_for(hint, lang))
                if found == lang:
                    correct += 1
                else:
                    wrong += found is not None
                    misses.append((text, found))
            figures[lang, hint] = (correct, wrong, len(lines), misses)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=("train", "test"), default="train")
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    parser.add_argument("--misses", action="store_true", help="print the missed lines (train only)")
    args = parser.parse_args(argv)
    if args.misses and args.split != "train":
        parser.error("--misses only on the train split: the test half is read once, as figures")
    languages = args.lang or LANGUAGES
    figures = measure(load_lines(split=args.split), languages)
    print(f"language detection, real short lines, {args.split} split: correct (wrong language)")
    print(f"{'locale':8} " + " ".join(f"{'hint ' + hint:>16}" for hint in HINTS) + "  lines")
    for lang in languages:
        cells = []
        for hint in HINTS:
            correct, wrong, total, _ = figures[lang, hint]
            cells.append(f"{correct / max(total, 1):7.1%} {correct:3}/{total:<3}({wrong})")
        print(f"{lang:8} " + " ".join(f"{cell:>16}" for cell in cells)
              + f"  {figures[lang, HINTS[0]][2]}")
    if args.misses:
        for lang in languages:
            for hint in HINTS:
                for text, found in figures[lang, hint][3]:
                    print(f"MISS {lang:7} hint={hint:4} found={found!s:7} {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
