"""Language detection on the real short lines, per language and Telegram hint.

  .venv/bin/python -m tests.corpus.real.language_measure                  train split (tune on this)
  .venv/bin/python -m tests.corpus.real.language_measure --half tune --lang ms --misses
  .venv/bin/python -m tests.corpus.real.language_measure --half check      totals only
  .venv/bin/python -m tests.corpus.real.language_measure --split test     the figures to report
  .venv/bin/python -m tests.corpus.real.language_measure --split test --new-since COMMIT
                                       only the lines added after COMMIT (never measured before)

Hints as people have them: an English interface (`en`), their own language's code (`own`), none;
and an English interface from a person whose country (asked at onboarding, kept in their
preferences) is their language's (`en+ctry`: Malay from Malaysia, Indonesian from Indonesia,
Traditional Chinese from Taiwan; English and Simplified Chinese readers' countries are left
unknown). That column measures the detector's third signal, not the words: read it beside `en`.
Only the line's own locale counts; None (undecided) is a miss. `--misses` prints every missed
line with what was found, so only use it on the train split's tune half: `--half` cuts the train
split by source, as /tmp/notes/halves.py does for the screening corpus (the second hex digit of
sha256(source_url) below 8 -> tune, else check). Read misses on the tune half only and the check
half as totals: a change that lifts tune but not check is fitted to lines.

`--rows` measures the real corpus's offer rows (tests/corpus/real/<lang>.jsonl, same split) cut
into lines of 8 characters or more instead: more lines, but each carries its row's language,
and some are not in it (an English job title in a Malay ad), so its figures are no accuracy;
they show lines of ads and posts that the short lines lack.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from screening.language import detect_language
from tests.corpus.real.measure import load_rows

SHORT_LINES = Path(__file__).resolve().parent / "short_lines.jsonl"
LANGUAGES = ("en", "zh_Hans", "zh_Hant", "vi", "th", "id", "ms", "tl", "km", "lo", "my", "ko", "hi")
HINTS = ("en", "own", "none", "en+ctry")
# The country of a person who reads the line's language (None: too many countries to pick one).
COUNTRY_OF = {"zh_Hant": "TW", "vi": "VN", "th": "TH", "id": "ID", "ms": "MY", "tl": "PH",
              "km": "KH", "lo": "LA", "my": "MM", "ko": "KR", "hi": "IN"}


def load_lines(*, split: str) -> list[dict[str, Any]]:
    return [row for row in (json.loads(line) for line in
                            SHORT_LINES.read_text(encoding="utf-8").splitlines() if line.strip())
            if row["split"] == split]


def row_lines(*, split: str) -> list[dict[str, Any]]:
    """The offer rows of `split` cut at line breaks into lines of 8 characters or more, each with
    its row's language and source."""
    return [{"lang": row["lang"], "text": line.strip(), "source_url": row["source_url"]}
            for row in load_rows(split=split) for line in row["text"].splitlines()
            if len(line.strip()) >= 8]


def half_of(source_url: str) -> str:
    """"tune" or "check": the train split's two halves, cut by source like /tmp/notes/halves.py."""
    digit = int(hashlib.sha256(source_url.strip().encode()).hexdigest()[1], 16)
    return "tune" if digit < 8 else "check"


def line_keys_at(commit: str) -> set[tuple[str, str, str]]:
    """(lang, text, source_url) of every short line as the file stood at `commit`.

    Lines have no id; these three say which line it is. Lines added after a round of tuning were
    never measured by anyone, so their figures are the most honest held-out reading there is.
    """
    repo = SHORT_LINES.parents[3]
    shown = subprocess.run(["git", "show", f"{commit}:{SHORT_LINES.relative_to(repo).as_posix()}"],
                           cwd=repo, capture_output=True, text=True, check=False)
    if shown.returncode != 0:  # the file did not exist then: every line in it is new
        return set()
    rows = (json.loads(line) for line in shown.stdout.splitlines() if line.strip())
    return {(row["lang"], row["text"], row["source_url"]) for row in rows}


def hint_for(hint: str, lang: str) -> str | None:
    return {"en": "en", "own": lang, "none": None, "en+ctry": "en"}[hint]


def country_for(hint: str, lang: str) -> str | None:
    return COUNTRY_OF.get(lang) if hint == "en+ctry" else None


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
                found = detect_language(text, hint=hint_for(hint, lang),
                                        country=country_for(hint, lang))
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
    parser.add_argument("--half", choices=("tune", "check"),
                        help="one half of the train split (misses only on tune)")
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    parser.add_argument("--rows", action="store_true",
                        help="the corpus's offer rows cut into lines instead of the short lines")
    parser.add_argument("--misses", action="store_true", help="print the missed lines (train only)")
    parser.add_argument("--new-since", metavar="COMMIT",
                        help="only the lines that were not in the file at COMMIT")
    args = parser.parse_args(argv)
    if args.misses and args.split != "train":
        parser.error("--misses only on the train split: the test half is read once, as figures")
    if args.rows and args.new_since:
        parser.error("--new-since names short lines; it does not go with --rows")
    if args.half and args.split != "train":
        parser.error("--half cuts the train split")
    if args.misses and args.half != "tune":
        parser.error("--misses only with --half tune: the check half is read as totals only")
    languages = args.lang or LANGUAGES
    rows = row_lines(split=args.split) if args.rows else load_lines(split=args.split)
    title = f"{args.split} split" + (", offer rows cut into lines" if args.rows else "")
    if args.half:
        rows = [row for row in rows if half_of(row["source_url"]) == args.half]
        title = f"{title}, {args.half} half, {len(rows)} lines"
    if args.new_since:
        earlier = line_keys_at(args.new_since)
        rows = [row for row in rows
                if (row["lang"], row["text"], row["source_url"]) not in earlier]
        title = f"{args.split} split, {len(rows)} lines added after {args.new_since}"
        languages = [lang for lang in languages if any(row["lang"] == lang for row in rows)]
    figures = measure(rows, languages)
    print(f"language detection, {'real offer rows' if args.rows else 'real short lines'}, {title}: "
          "correct (wrong language)")
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
                    print(f"MISS {lang:7} hint={hint:7} found={found!s:7} {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
