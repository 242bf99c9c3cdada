"""Screening benchmark: speed and quality figures of the screening engine.

Run: `.venv/bin/python bench/screening_bench.py [--seconds 3]`

Prints
- 2 KB offers assessed per second (`assess_text`: rules, contacts, language), in one
  process and in one process per core; offers are corpus texts of one language
  joined up to 2,048 characters; contact caches are cleared before every pass;
- median µs per `detect_language` call on short messages, Latin vs other scripts;
- contacts extracted per second (`extract_contacts` on the same 2 KB offers);
- language detection accuracy per locale on tests/corpus/short_messages.jsonl
  (with the Telegram hint each message carries, and without any hint);
- precision / recall per locale on tests/corpus/offers.jsonl (scam = risk medium or more).

Targets (issue 3): >= 2,000 offers/s on a 2-core machine, >= 97% short-message
accuracy, median detection <= 100 µs for non-Latin scripts. Timings are the best of
several passes (other work on the machine only ever slows a pass down).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from screening import contacts  # noqa: E402  (after the path set-up above)
from screening.assess import RiskLevel, assess_text  # noqa: E402
from screening.language import detect_language, warm_up  # noqa: E402
from screening.rules import default_rules  # noqa: E402

CORPUS = REPO / "tests" / "corpus"
OFFER_CHARS = 2048
LATIN_LOCALES = frozenset({"en", "id", "ms", "tl", "vi"})


def load(name: str) -> list[dict[str, Any]]:
    path = CORPUS / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def two_kb_offers(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(locale, text) offers of exactly 2,048 characters, each made of one locale's texts."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_lang[row["lang"]].append(row["text"])
    offers = []
    for lang, texts in by_lang.items():
        for start in range(len(texts)):
            parts, length, index = [], 0, start
            while length < OFFER_CHARS:
                parts.append(texts[index % len(texts)])
                length += len(parts[-1]) + 2
                index += 1
            offers.append((lang, "\n\n".join(parts)[:OFFER_CHARS]))
    return offers


def clear_caches() -> None:
    for cached in (contacts.normalise_phone, contacts._link_target, contacts.registrable_domain,
                   contacts._has_known_tld):
        cached.cache_clear()


def offers_per_second(offers: list[tuple[str, str]], seconds: float) -> tuple[float, float]:
    """(offers per wall-clock second, offers per CPU second), best pass of several."""
    best_wall = best_cpu = 0.0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        clear_caches()
        wall, cpu = time.perf_counter(), time.process_time()
        for lang, text in offers:
            assess_text(text, lang=lang)
        best_wall = max(best_wall, len(offers) / (time.perf_counter() - wall))
        best_cpu = max(best_cpu, len(offers) / max(1e-9, time.process_time() - cpu))
    return best_wall, best_cpu


def _worker(arguments: tuple[list[tuple[str, str]], float]) -> tuple[float, float]:
    offers, seconds = arguments
    warm_up()
    default_rules()
    assess_text("warm up", lang="en")
    return offers_per_second(offers, seconds)


def offers_per_second_all_cores(offers: list[tuple[str, str]],
                                seconds: float) -> tuple[int, float, float]:
    workers = os.cpu_count() or 1
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        rates = pool.map(_worker, [(offers, seconds)] * workers)
    return workers, sum(wall for wall, _ in rates), sum(cpu for _, cpu in rates)


def detection_medians(messages: list[dict[str, Any]]) -> dict[str, float]:
    timings: dict[str, list[float]] = {"Latin": [], "non-Latin": []}
    for message in messages:
        group = "Latin" if message["lang"] in LATIN_LOCALES else "non-Latin"
        runs = []
        for _ in range(15):
            started = time.perf_counter_ns()
            detect_language(message["text"], hint=message.get("hint"))
            runs.append(time.perf_counter_ns() - started)
        timings[group].append(min(runs) / 1000)
    return {group: statistics.median(values) for group, values in timings.items()}


def contacts_per_second(offers: list[tuple[str, str]], seconds: float) -> tuple[float, float]:
    best_texts = best_contacts = 0.0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        clear_caches()
        found = 0
        started = time.perf_counter()
        for _lang, text in offers:
            found += len(contacts.extract_contacts(text))
        elapsed = time.perf_counter() - started
        best_texts = max(best_texts, len(offers) / elapsed)
        best_contacts = max(best_contacts, found / elapsed)
    return best_texts, best_contacts


def language_accuracy(messages: list[dict[str, Any]], *, use_hint: bool) -> dict[str, float]:
    correct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for message in messages:
        hint = message.get("hint") if use_hint else None
        total[message["lang"]] += 1
        correct[message["lang"]] += detect_language(message["text"], hint=hint) == message["lang"]
    return {lang: correct[lang] / total[lang] for lang in total}


def precision_recall(rows: list[dict[str, Any]]) -> tuple[float, float, Counter[str]]:
    counts: Counter[str] = Counter()
    for row in rows:
        flagged = assess_text(row["text"], lang=row["lang"]).risk is not RiskLevel.LOW
        scam = row["label"] == "scam"
        counts["tp" if scam and flagged else "fp" if flagged else "fn" if scam else "tn"] += 1
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    return precision, recall, counts


def main() -> None:
    parser = argparse.ArgumentParser(description="Screening engine benchmark")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per speed figure")
    args = parser.parse_args()

    started = time.perf_counter()
    rules = default_rules()
    warm_up()
    contacts.extract_contacts("warm up example.com +66 81 234 5678")
    print(f"start-up: rules, language profiles, public suffix list loaded in "
          f"{time.perf_counter() - started:.2f} s ({len(rules.rules)} rules, "
          f"{rules.prefilter.needle_count} needles, {rules.prefilter.always_searched} patterns "
          f"searched in every text)")

    offer_rows = load("offers.jsonl")
    messages = load("short_messages.jsonl")
    offers = two_kb_offers(offer_rows)

    print("\n== speed ==")
    load_average = os.getloadavg()[0]
    print(f"(load average {load_average:.1f} on {os.cpu_count()} cores: other work on the "
          f"machine slows wall-clock figures; CPU-time figures are what one core can do)")
    wall, cpu = offers_per_second(offers, args.seconds)
    print(f"assess_text, 2 KB offers, 1 process:   {wall:8.0f} offers/s wall clock, "
          f"{cpu:.0f} per CPU second ({1e6 / cpu:.0f} µs CPU per offer; {len(offers)} offers "
          f"in 13 locales)")
    workers, total_wall, total_cpu = offers_per_second_all_cores(offers, args.seconds)
    print(f"assess_text, 2 KB offers, {workers} processes: {total_wall:8.0f} offers/s wall clock, "
          f"{total_cpu:.0f} per CPU second summed over the processes")
    texts_rate, contacts_rate = contacts_per_second(offers, args.seconds)
    print(f"extract_contacts, 2 KB offers:        {contacts_rate:8.0f} contacts/s "
          f"({texts_rate:.0f} texts/s)")
    medians = detection_medians(messages)
    for group, median in medians.items():
        print(f"detect_language median, {group + ' short messages:':27} {median:6.1f} µs")

    print("\n== language detection accuracy (short messages) ==")
    with_hint = language_accuracy(messages, use_hint=True)
    without_hint = language_accuracy(messages, use_hint=False)
    print(f"{'locale':8} {'with hint':>10} {'no hint':>9}")
    for lang in with_hint:
        print(f"{lang:8} {with_hint[lang]:10.1%} {without_hint[lang]:9.1%}")
    overall = sum(with_hint.values()) / len(with_hint)
    overall_no_hint = sum(without_hint.values()) / len(without_hint)
    print(f"{'all':8} {overall:10.1%} {overall_no_hint:9.1%}")

    print("\n== red flags: precision / recall (scam = risk medium or more) ==")
    print(f"{'locale':8} {'precision':>9} {'recall':>7}   tp fp fn tn")
    for lang in sorted({row["lang"] for row in offer_rows}):
        precision, recall, counts = precision_recall(
            [row for row in offer_rows if row["lang"] == lang])
        print(f"{lang:8} {precision:9.2f} {recall:7.2f}   "
              f"{counts['tp']:2} {counts['fp']:2} {counts['fn']:2} {counts['tn']:2}")
    for split in sorted({str(row.get("split")) for row in offer_rows}):
        subset = [row for row in offer_rows if str(row.get("split")) == split]
        precision, recall, counts = precision_recall(subset)
        print(f"{'split ' + split:14} {precision:.2f} / {recall:.2f} ({len(subset)} texts)")
    precision, recall, counts = precision_recall(offer_rows)
    print(f"{'all':8} {precision:9.2f} {recall:7.2f}   "
          f"{counts['tp']:2} {counts['fp']:2} {counts['fn']:2} {counts['tn']:2}")


if __name__ == "__main__":
    main()
