"""Screening equivalence dump: every assessment of every corpus row, as JSON, so that a speed
change can be proved not to change a single result (the dumps before and after must be
byte-identical).

Run: `.venv/bin/python bench/screening_equivalence.py OUT.json` then, after a change,
`.venv/bin/python bench/screening_equivalence.py OUT2.json && cmp OUT.json OUT2.json`.

What is assessed, each with the hints None, the row's language and "en":
- every row of tests/corpus/*.jsonl and tests/corpus/real/*.jsonl, as written, upper-cased and
  lower-cased (case folding is where prefilters and merged patterns go wrong);
- the 2 KB offers `bench/screening_bench.py` times;
- every row once more with a country (TH, PH, MY), which changes phone reading and money.
Each assessment is dumped whole (`Assessment.to_dict()`: risk, score, language, job context,
flags, contacts, advice), which is more than the risk, score, flag ids, contacts and language the
equivalence needs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from screening.assess import assess_text  # noqa: E402  (after the path set-up above)

CORPUS = REPO / "tests" / "corpus"
COUNTRIES = ("TH", "PH", "MY")
OFFER_CHARS = 2048


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.jsonl")) + sorted((CORPUS / "real").glob("*.jsonl"))


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def two_kb_offers(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The same offers as bench/screening_bench.py builds (copied, not imported, so that the
    dump does not move when the benchmark does)."""
    by_lang: dict[str, list[str]] = {}
    for row in rows:
        by_lang.setdefault(row["lang"], []).append(row["text"])
    offers = []
    for lang, texts in by_lang.items():
        for start in range(len(texts)):
            parts: list[str] = []
            length, index = 0, start
            while length < OFFER_CHARS:
                parts.append(texts[index % len(texts)])
                length += len(parts[-1]) + 2
                index += 1
            offers.append((lang, "\n\n".join(parts)[:OFFER_CHARS]))
    return offers


def cases() -> list[tuple[str, str, str | None, str | None]]:
    """(label, text, lang hint, country) for every assessment compared."""
    found: list[tuple[str, str, str | None, str | None]] = []
    for path in corpus_files():
        name = path.relative_to(CORPUS).as_posix()
        for number, row in enumerate(load(path)):
            text, lang = row["text"], row.get("lang")
            for variant, varied in (("as is", text), ("upper", text.upper()),
                                    ("lower", text.lower())):
                for hint in (None, lang, "en"):
                    found.append((f"{name}:{number}:{variant}", varied, hint, None))
            for country in COUNTRIES:
                found.append((f"{name}:{number}:country", text, lang, country))
    for number, (lang, text) in enumerate(two_kb_offers(load(CORPUS / "offers.jsonl"))):
        for hint in (None, lang, "en"):
            found.append((f"2kb:{number}", text, hint, None))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="where to write the JSON dump")
    args = parser.parse_args()
    started = time.perf_counter()
    dump = []
    for label, text, hint, country in cases():
        result = assess_text(text, lang=hint, country=country).to_dict()
        dump.append({"case": label, "hint": hint, "country": country, **result})
    data = json.dumps(dump, ensure_ascii=False, indent=0, sort_keys=True)
    args.out.write_text(data, encoding="utf-8")
    digest = hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
    print(f"{len(dump)} assessments in {time.perf_counter() - started:.1f} s -> {args.out} "
          f"(sha256 {digest})")


if __name__ == "__main__":
    main()
