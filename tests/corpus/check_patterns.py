"""Sanity report for the red-flag rules against the labelled offer corpus.

Run: `.venv/bin/python tests/corpus/check_patterns.py [--lang vi] [--misses]`

Prints, per language, how many scam / legit texts reach each risk level, and per
rule how often it fires where the corpus expects it (true positives), where it
does not expect it (extra hits) and where it is expected but silent (misses).
This is a data-maintenance tool, not a test: the thresholds that gate CI live in
the screening tests and benchmark.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from screening.assess import match_rules, risk_for_score
from screening.rules import RULES_PATH, load_rules

CORPUS_PATH = Path(__file__).resolve().parent / "offers.jsonl"
FLAGGED_LEVELS = ("medium", "high", "very_high")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", help="only this locale")
    parser.add_argument("--misses", action="store_true", help="print every wrong or incomplete text")
    args = parser.parse_args()

    rules = load_rules(RULES_PATH)
    lines = CORPUS_PATH.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    if args.lang:
        entries = [entry for entry in entries if entry["lang"] == args.lang]

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
        if args.misses and (wrong_level or expected - found_ids):
            print(f"[{entry['lang']} {entry['label']} -> {risk.value}] "
                  f"missing={sorted(expected - found_ids)} extra={sorted(found_ids - expected)}\n"
                  f"    {entry['text'][:160]!r}")

    print(f"\n{'lang':8} {'scam>=medium':>13} {'legit>=medium':>14}   levels")
    total_scam = total_scam_flagged = total_legit = total_legit_flagged = 0
    for lang, counter in levels.items():
        scam = sum(n for key, n in counter.items() if key.startswith("scam:"))
        scam_flagged = sum(counter[f"scam:{level}"] for level in FLAGGED_LEVELS)
        legit = sum(n for key, n in counter.items() if key.startswith("legit:"))
        legit_flagged = sum(counter[f"legit:{level}"] for level in FLAGGED_LEVELS)
        total_scam += scam
        total_scam_flagged += scam_flagged
        total_legit += legit
        total_legit_flagged += legit_flagged
        print(f"{lang:8} {scam_flagged:>6}/{scam:<6} {legit_flagged:>7}/{legit:<6}   "
              f"{dict(sorted(counter.items()))}")
    true_positives, false_positives = total_scam_flagged, total_legit_flagged
    flagged = true_positives + false_positives
    precision = true_positives / flagged if flagged else 0.0
    recall = true_positives / total_scam if total_scam else 0.0
    print(f"\noverall: recall {recall:.1%} ({true_positives}/{total_scam}), "
          f"precision {precision:.1%}, legit flagged {false_positives}/{total_legit}")

    print(f"\n{'rule':28} {'hit':>5} {'miss':>5} {'extra':>6}")
    for rule in rules.rules:
        counts = rule_counts[rule.id]
        print(f"{rule.id:28} {counts['hit']:>5} {counts['miss']:>5} {counts['extra']:>6}")


if __name__ == "__main__":
    main()
