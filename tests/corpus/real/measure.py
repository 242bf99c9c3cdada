"""How the screening rates the real-text corpus: per language, lures rated high or above and
legitimate ads not rated high.

  .venv/bin/python tests/corpus/real/measure.py                   train split (tune on this)
  .venv/bin/python tests/corpus/real/measure.py --split test      the figures to report
  .venv/bin/python tests/corpus/real/measure.py --lang vi --misses
  .venv/bin/python tests/corpus/real/measure.py --proposal P.json  with pattern edits tried in memory
  .venv/bin/python tests/corpus/real/measure.py --split test --new-since COMMIT
                                                   only rows added after COMMIT (never measured before)

A proposal is {"add": {rule_id: {locale: [regex, ...]}}, "remove": {rule_id: {locale: [regex, ...]}}}:
it lets one person try patterns for their languages without touching the shared rules file.
Each text is assessed as the bot does (`assess_text`, the row's language as the person's locale).
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screening.assess import Assessment, RiskLevel, assess_text
from screening.rules import RULES_PATH, RuleSet, parse_rules
from tests.corpus.real.split import CORPUS_DIR, offer_files

HIGH_LEVELS = frozenset({RiskLevel.HIGH, RiskLevel.VERY_HIGH})
FLAGGED_LEVELS = frozenset({RiskLevel.MEDIUM, *HIGH_LEVELS})


def load_rows(*, split: str | None = None, lang: str | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in offer_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if (split is None or row.get("split") == split) and (lang is None or row["lang"] == lang):
                    rows.append(row)
    return rows


def row_ids_at(commit: str) -> set[str]:
    """The ids of every offer row as the corpus stood at `commit`.

    Rows added after a round of tuning were never measured by anyone, so their figures are the
    most honest held-out reading the corpus has; this is how `--new-since` tells them apart.
    """
    ids: set[str] = set()
    repo = CORPUS_DIR.parents[2]
    for path in offer_files():
        relative = path.relative_to(repo).as_posix()
        shown = subprocess.run(["git", "show", f"{commit}:{relative}"], cwd=repo,
                               capture_output=True, text=True, check=False)
        if shown.returncode != 0:  # the file did not exist then: every row in it is new
            continue
        ids.update(json.loads(line)["id"] for line in shown.stdout.splitlines() if line.strip())
    return ids


def rules_with_proposal(proposal: dict[str, Any]) -> RuleSet:
    document = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    document = copy.deepcopy(document)
    by_id = {rule["id"]: rule for rule in document["rules"]}
    for rule_id, per_lang in proposal.get("add", {}).items():
        patterns = by_id[rule_id].setdefault("patterns", {})
        for locale, entries in per_lang.items():
            patterns.setdefault(locale, []).extend(entries)
    for rule_id, per_lang in proposal.get("remove", {}).items():
        patterns = by_id[rule_id]["patterns"]
        for locale, entries in per_lang.items():
            patterns[locale] = [entry for entry in patterns.get(locale, []) if entry not in entries]
    return parse_rules(document)


@dataclass
class LanguageFigures:
    scam: int = 0
    scam_high: int = 0
    scam_flagged: int = 0
    legit: int = 0
    legit_high: int = 0
    legit_flagged: int = 0

    def add(self, label: str, assessment: Assessment) -> None:
        high = assessment.risk in HIGH_LEVELS
        flagged = assessment.risk in FLAGGED_LEVELS
        if label == "scam":
            self.scam += 1
            self.scam_high += high
            self.scam_flagged += flagged
        else:
            self.legit += 1
            self.legit_high += high
            self.legit_flagged += flagged


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "  – "


def measure(rows: Iterable[dict[str, Any]], rules: RuleSet | None = None, *,
            show_misses: bool = False) -> dict[str, LanguageFigures]:
    figures: dict[str, LanguageFigures] = {}
    for row in rows:
        assessment = assess_text(row["text"], lang=row["lang"], rules=rules)
        figures.setdefault(row["lang"], LanguageFigures()).add(row["label"], assessment)
        wrong = ((row["label"] == "scam" and assessment.risk not in HIGH_LEVELS)
                 or (row["label"] == "legit" and assessment.risk in HIGH_LEVELS))
        if show_misses and wrong:
            print(f"[{row['id']} {row['label']} -> {assessment.risk.value} {assessment.score}] "
                  f"{assessment.flag_ids}\n    {row['text'][:300]!r}")
    return figures


def print_table(figures: dict[str, LanguageFigures], *, title: str) -> None:
    print(f"== {title} ==")
    print(f"{'lang':8} {'lures':>5} {'≥high':>6} {'rate':>5} {'≥medium':>8}   {'legit':>5} "
          f"{'high':>5} {'not high':>8}")
    total = LanguageFigures()
    for lang in sorted(figures):
        f = figures[lang]
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(f, name))
        print(f"{lang:8} {f.scam:>5} {f.scam_high:>6} {_rate(f.scam_high, f.scam):>5} "
              f"{_rate(f.scam_flagged, f.scam):>8}   {f.legit:>5} {f.legit_high:>5} "
              f"{_rate(f.legit - f.legit_high, f.legit):>8}")
    print(f"{'all':8} {total.scam:>5} {total.scam_high:>6} {_rate(total.scam_high, total.scam):>5} "
          f"{_rate(total.scam_flagged, total.scam):>8}   {total.legit:>5} {total.legit_high:>5} "
          f"{_rate(total.legit - total.legit_high, total.legit):>8}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("train", "test"), default="train")
    parser.add_argument("--lang")
    parser.add_argument("--misses", action="store_true", help="print lures below high and legit ads at high")
    parser.add_argument("--proposal", type=Path, help="pattern edits to try (see above)")
    parser.add_argument("--new-since", metavar="COMMIT",
                        help="only rows whose id was not in the corpus at COMMIT")
    args = parser.parse_args(argv)
    proposal = json.loads(args.proposal.read_text(encoding="utf-8")) if args.proposal else None
    rules = rules_with_proposal(proposal) if proposal is not None else None
    rows = load_rows(split=args.split, lang=args.lang)
    title = f"{args.split} split, {len(rows)} texts"
    if args.new_since:
        earlier = row_ids_at(args.new_since)
        rows = [row for row in rows if row["id"] not in earlier]
        title = f"{args.split} split, {len(rows)} texts added after {args.new_since}"
    if not rows:
        print("no rows", file=sys.stderr)
        return 1
    print_table(measure(rows, rules, show_misses=args.misses), title=title)
    return 0


if __name__ == "__main__":
    sys.exit(main())
