"""Sanity report for the red-flag rules against the labelled offer corpus.

Run: `.venv/bin/python tests/corpus/check_patterns.py [--lang vi] [--split holdout] [--misses]`

Prints, per split and language, how many scam / legit texts reach each risk level,
and per rule how often it fires where the corpus expects it (hit), where it does
not expect it (extra) and where it is expected but silent (miss).

The "tuning" split is the text the patterns were checked and widened against, so
its figures are optimistic; the "holdout" split was written afterwards and never
used to change a pattern: quote its figures. This is a data-maintenance tool, not
a test: the thresholds that gate CI live in the screening tests and benchmark.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from screening.assess import match_rules, risk_for_score
from screening.rules import RULES_PATH, RuleSet, load_rules

CORPUS_PATH = Path(__file__).resolve().parent / "offers.jsonl"
FLAGGED_LEVELS = ("medium", "high", "very_high")


def load_corpus(path: Path = CORPUS_PATH) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def report(entries: list[dict[str, Any]], rules: RuleSet, *, title: str, show_misses: bool) -> None:
    levels: dict[str, Counter[str]] = defaultdict(Counter)
    rule_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        found, _job_context = match_rules(entry["text"], rules)
        found_ids = {rule.id for rule in found}
        expected = set(entry["flags"])
        risk = risk_for_score(sum(rule.weight for rule in found), rules)
        levels[entry["lang"]][f"{entry['label']}:{risk.value}"] += 1
        for rule_id in found_ids & expected:
            rule_counts[rule_id]["hit"] += 1
        for rule_id in found_ids - expected:
            rule_counts[rule_id]["extra"] += 1
        for rule_id in expected - found_ids:
            rule_counts[rule_id]["miss"] += 1
        wrong_level = (entry["label"] == "scam") != (risk.value in FLAGGED_LEVELS)
        if show_misses and (wrong_level or expected != found_ids):
            print(f"[{entry['lang']} {entry['label']} -> {risk.value}] "
                  f"missing={sorted(expected - found_ids)} extra={sorted(found_ids - expected)}\n"
                  f"    {entry['text'][:160]!r}")

    print(f"\n== {title}: {len(entries)} texts ==")
    print(f"{'lang':8} {'scam>=medium':>13} {'legit>=medium':>14}   levels")
    scam_total = scam_flagged_total = legit_total = legit_flagged_total = 0
    for lang, counter in levels.items():
        scam = sum(n for key, n in counter.items() if key.startswith("scam:"))
        scam_flagged = sum(counter[f"scam:{level}"] for level in FLAGGED_LEVELS)
        legit = sum(n for key, n in counter.items() if key.startswith("legit:"))
        legit_flagged = sum(counter[f"legit:{level}"] for level in FLAGGED_LEVELS)
        scam_total += scam
        scam_flagged_total += scam_flagged
        legit_total += legit
        legit_flagged_total += legit_flagged
        print(f"{lang:8} {scam_flagged:>6}/{scam:<6} {legit_flagged:>7}/{legit:<6}   "
              f"{dict(sorted(counter.items()))}")
    flagged = scam_flagged_total + legit_flagged_total
    precision = scam_flagged_total / flagged if flagged else 0.0
    recall = scam_flagged_total / scam_total if scam_total else 0.0
    print(f"overall (flagged = medium or above): recall {recall:.1%} ({scam_flagged_total}/{scam_total}), "
          f"precision {precision:.1%}, legit flagged {legit_flagged_total}/{legit_total}")

    print(f"{'rule':28} {'hit':>5} {'miss':>5} {'extra':>6}")
    for rule in rules.rules:
        counts = rule_counts[rule.id]
        print(f"{rule.id:28} {counts['hit']:>5} {counts['miss']:>5} {counts['extra']:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Red-flag rules against the labelled offer corpus")
    parser.add_argument("--lang", help="only this locale")
    parser.add_argument("--split", choices=("tuning", "holdout"), help="only this split")
    parser.add_argument("--misses", action="store_true", help="print every text whose flags or level are off")
    args = parser.parse_args()

    rules = load_rules(RULES_PATH)
    entries = load_corpus()
    if args.lang:
        entries = [entry for entry in entries if entry["lang"] == args.lang]
    for split in ("tuning", "holdout"):
        if args.split in (None, split):
            chosen = [entry for entry in entries if entry.get("split", "tuning") == split]
            report(chosen, rules, title=split, show_misses=args.misses)


if __name__ == "__main__":
    main()
