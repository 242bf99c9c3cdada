"""Would a native pass over the rules' patterns make screening faster? (issue 14, p-speed6)

Not a dependency of lurecheck: this probe needs `hyperscan` (PyPI 0.9.1, bundles libhs) in the
interpreter that runs it, e.g. a private venv (`pip install hyperscan==0.9.1`); without it, only
the alternation probe runs. Every figure is printed, nothing is asserted.

Run: `PYTHONPATH=. VENV/bin/python bench/native_pass_probe.py [--db FILE] [--rounds 3]`

1. **hyperscan, exact** (`--exact`, slow: one compile per pattern): how many of the rules'
   distinct patterns hyperscan accepts with CASELESS | UTF8 | UCP (the flags that match `re`'s
   IGNORECASE and Unicode classes), and why it refuses the rest.
2. **hyperscan, as a prefilter** (HS_FLAG_PREFILTER | SINGLEMATCH: each pattern widened to what
   hyperscan supports, `\\b` and look-arounds dropped, so a pattern it does not report cannot
   match): compile CPU and database size (`--db FILE` keeps it, and reuses it when present),
   the scan's µs per 2 KB bench offer against the Aho-Corasick pass over the same offers,
   patterns reported per offer (really matching / not), and any pattern `re` finds that it
   did not report (must be 0 for the filter to keep every assessment). Then the prefilter's
   anchored tries (the largest part of `Prefilter.matching_at`) replayed with and without
   skipping the tries of patterns hyperscan ruled out, the scan counted in, and with a free
   perfect filter (the tries of patterns `re` finds nowhere in the offer skipped: the ceiling of
   any such filter, native or not).
3. **One alternation per needle** (`(?:p1)|(?:p2)|…` of a needle's anchored patterns, tried first:
   when it fails at the needle, none of them can match there): the same replay.
"""

from __future__ import annotations

import argparse
import json
import re
import re._parser as sre_parser
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from screening_bench import load, two_kb_offers  # noqa: E402

from screening.assess import assess_text  # noqa: E402
from screening.rules import default_rules, normalise_for_matching  # noqa: E402

hyperscan: Any
try:
    import hyperscan
except ImportError:
    hyperscan = None

Replay = list[tuple[str, Any]]


def replay(prefilter: Any, data: Replay, skip: Any = None) -> tuple[int, float]:
    """The anchored tries of `matching_at` over `data` ((normalised, occurrences) per offer);
    `skip(offer_index, normalised)` gives a predicate on (needle index, pattern) that skips a try
    (or None). (rules found, µs of CPU per offer)."""
    anchored, rules_by_index = prefilter._anchored_by_index, prefilter._rules_by_index
    found = 0
    started = time.process_time()
    for offer, (normalised, occurrences) in enumerate(data):
        skipped = skip(offer, normalised) if skip is not None else None
        matched: set[int] = set()
        for needle, start, _end in occurrences:
            if rules_by_index[needle] <= matched:
                continue
            for rules, pattern in anchored[needle]:
                if skipped is not None and skipped(needle, pattern):
                    continue
                if not rules <= matched and pattern.match(normalised, start):
                    matched |= rules
                    found += 1
    return found, (time.process_time() - started) / len(data) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="keep (or reuse) the compiled prefilter database here")
    parser.add_argument("--exact", action="store_true", help="also count what exact mode accepts (slow)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0,
                        help="give hyperscan only the first N patterns (a quick check of the probe)")
    args = parser.parse_args()

    rules = default_rules()
    prefilter = rules.prefilter
    patterns: dict[tuple[str, int], re.Pattern[str]] = {}
    for rule in ([rules.job_context] if rules.job_context else []) + list(rules.rules):
        for pattern in rule.patterns:
            patterns.setdefault((pattern.pattern, pattern.flags), pattern)
    keys = list(patterns)
    offers = two_kb_offers(load("offers.jsonl"))
    normalised = [normalise_for_matching(text) for _lang, text in offers]
    data: Replay = [(text, prefilter.occurrences(text.lower())) for text in normalised]
    print(f"{len(keys)} distinct patterns, {len(offers)} 2 KB offers")

    rows: list[tuple[str, Any]] = [("anchored tries, as today", None)]
    # The ceiling of any filter, native or not: the tries of patterns that match nowhere in the
    # offer skipped for free (worked out by `re` before the timing).
    anchored_patterns = {id(pattern): pattern for group in prefilter._anchored_by_index
                         for _rules, pattern in group}
    matching = [{key for key, pattern in anchored_patterns.items() if pattern.search(text)}
                for text in normalised]
    print(f"anchored patterns matching somewhere, per offer: "
          f"{sum(map(len, matching)) / len(offers):.1f} of {len(anchored_patterns)}")
    rows.append(("anchored tries, a free perfect filter (the ceiling)",
                 lambda offer, _text: lambda _needle, pattern: id(pattern) not in matching[offer]))

    # 3. One alternation per needle with two or more anchored patterns (none has groups).
    started = time.process_time()
    combined: dict[int, re.Pattern[str]] = {}
    for needle, group in enumerate(prefilter._anchored_by_index):
        if len(group) >= 2 and all(sre_parser.parse(pattern.pattern, pattern.flags).state.groups == 1
                                   for _rules, pattern in group):
            combined[needle] = re.compile("|".join(f"(?:{pattern.pattern})" for _rules, pattern in group),
                                          re.IGNORECASE)
    print(f"alternations: {len(combined)} needles, compiled in {time.process_time() - started:.1f} s CPU")

    def alternation_replay() -> tuple[int, float]:
        anchored, rules_by_index = prefilter._anchored_by_index, prefilter._rules_by_index
        found = 0
        started = time.process_time()
        for text, occurrences in data:
            matched: set[int] = set()
            for needle, start, _end in occurrences:
                if rules_by_index[needle] <= matched:
                    continue
                alternation = combined.get(needle)
                if alternation is not None and alternation.match(text, start) is None:
                    continue
                for rules, pattern in anchored[needle]:
                    if not rules <= matched and pattern.match(text, start):
                        matched |= rules
                        found += 1
        return found, (time.process_time() - started) / len(data) * 1e6

    if hyperscan is None:
        print("hyperscan is not installed: its probes skipped")
    else:
        flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP
        if args.limit:
            keys = keys[:args.limit]
        if args.exact:
            refused: dict[str, int] = {}
            started = time.process_time()
            for source, _flags in keys:
                try:
                    hyperscan.Database().compile(expressions=[source.encode()], ids=[0], elements=1,
                                                 flags=[flags | hyperscan.HS_FLAG_SINGLEMATCH])
                except hyperscan.error as error:
                    reason = re.sub(r" at index \d+", "", str(error))
                    refused[reason] = refused.get(reason, 0) + 1
            print(f"exact mode: {len(keys) - sum(refused.values())} of {len(keys)} accepted "
                  f"({time.process_time() - started:.0f} s CPU, one compile each); refused:")
            for reason, count in sorted(refused.items(), key=lambda item: -item[1]):
                print(f"  {count:5d}  {reason}")
        widened = flags | hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH
        if args.db is not None and args.db.exists():
            stored = json.loads(args.db.with_suffix(".json").read_text())
            accepted = stored["accepted"]
            database = hyperscan.loadb(args.db.read_bytes(), hyperscan.HS_MODE_BLOCK)
            print(f"prefilter database reused from {args.db} (compile CPU then: {stored['cpu']:.0f} s)")
        else:
            accepted = []
            for index, (source, _flags) in enumerate(keys):
                try:
                    hyperscan.Database().compile(expressions=[source.encode()], ids=[0], elements=1,
                                                 flags=[widened])
                    accepted.append(index)
                except hyperscan.error:
                    pass
            started = time.process_time()
            database = hyperscan.Database()
            database.compile(expressions=[keys[index][0].encode() for index in accepted], ids=accepted,
                             elements=len(accepted), flags=[widened] * len(accepted))
            cpu = time.process_time() - started
            print(f"prefilter database: {len(accepted)} of {len(keys)} patterns, compiled in {cpu:.0f} s CPU")
            if args.db is not None:
                args.db.write_bytes(hyperscan.dumpb(database))
                args.db.with_suffix(".json").write_text(json.dumps({"accepted": accepted, "cpu": cpu}))
        blob = hyperscan.dumpb(database)
        started = time.process_time()
        database = hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
        print(f"database {len(blob) / 1e6:.1f} MB, deserialised in {time.process_time() - started:.2f} s CPU")
        reported: list[int] = []

        def on_match(index: int, _start: int, _end: int, _flags: int, _context: Any) -> None:
            reported.append(index)

        def scan(text: str) -> set[int]:
            reported.clear()
            database.scan(text.encode(), match_event_handler=on_match)
            return set(reported)

        candidates = [scan(text) for text in normalised]
        is_accepted = set(accepted)
        true = false = missed = 0
        for text, reported_here in zip(normalised, candidates, strict=True):
            for index in is_accepted:
                matches = patterns[keys[index]].search(text) is not None
                true += matches and index in reported_here
                false += (not matches) and index in reported_here
                missed += matches and index not in reported_here
        print(f"per offer: {sum(map(len, candidates)) / len(offers):.1f} patterns reported "
              f"({true / len(offers):.1f} match, {false / len(offers):.1f} do not); "
              f"matches not reported: {missed} (in all offers)")
        index_of = {key: index for index, key in enumerate(keys)}
        hyperscan_index = {id(pattern): index_of.get((pattern.pattern, pattern.flags), -1)
                           for group in prefilter._anchored_by_index for _rules, pattern in group}

        def by_hyperscan(_offer: int, text: str) -> Any:
            reported_here = scan(text)  # timed: the scan is part of the cost
            return lambda _needle, pattern: (hyperscan_index[id(pattern)] in is_accepted
                                             and hyperscan_index[id(pattern)] not in reported_here)
        rows.append(("anchored tries, skipping what hyperscan rules out (its scan included)", by_hyperscan))
        for _round in range(args.rounds):
            started = time.process_time()
            for text in normalised:
                scan(text)
            scan_cpu = (time.process_time() - started) / len(offers) * 1e6
            started = time.process_time()
            for text in normalised:
                prefilter.occurrences(text.lower())
            automaton_cpu = (time.process_time() - started) / len(offers) * 1e6
            print(f"scan: hyperscan {scan_cpu:.1f} µs per offer, "
                  f"the needles' Aho-Corasick pass {automaton_cpu:.1f}")

    for _round in range(args.rounds):
        started = time.process_time()
        for lang, text in offers:
            assess_text(text, lang=lang)
        print(f"assess_text, the whole assessment: "
              f"{(time.process_time() - started) / len(offers) * 1e6:.1f} µs per offer")
        for label, skip in rows:
            found, cpu = replay(prefilter, data, skip)
            print(f"{label}: {cpu:.1f} µs per offer ({found} rules found)")
        found, cpu = alternation_replay()
        print(f"anchored tries, one alternation per needle first: {cpu:.1f} µs per offer "
              f"({found} rules found)")


if __name__ == "__main__":
    main()
