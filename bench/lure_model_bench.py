"""What the "reads like known lures" model (screening.lure_model) costs: the reader's CPU per
2 KB offer (the model reads its first MAX_READ_CHARS characters), by a fresh model each pass (it
learns the offers' words as it goes) and with the words already known (`LureModel.known_words`);
and the screening's CPU per real text of the train split and ordinary message (`assess_text`, the
model read where its gates open), with how many of them the model reads.

Run: `.venv/bin/python bench/lure_model_bench.py [--repo PATH] [--model FILE]`. `--repo` measures
another checkout's code and model (run both alternately: a figure is only comparable with one
taken in the same minutes); `--model` another model file with this checkout's reader. Printed:
the best of several passes (other work on the machine only ever slows a pass down).
bench/screening_bench.py's 2 KB offers are all rated very high, so it never reads the model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PASSES = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=REPO)
    parser.add_argument("--model", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(args.repo))
    sys.path.insert(1, str(REPO / "bench"))
    # Imported here, from the tree measured.
    from screening_bench import load, two_kb_offers

    from screening import assess, lure_model
    from tests.corpus.real.measure import load_rows

    path = args.model or args.repo / "screening" / "data" / "lure_model.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document.setdefault("alone_threshold", 1.0)  # a file from before the alone gate
    offers = [text for _, text in two_kb_offers(load("offers.jsonl"))]

    def reader(fresh: bool) -> float:
        best = float("inf")
        model = lure_model.parse_model(document)
        for _ in range(PASSES):
            if fresh:
                model = lure_model.parse_model(document)
            started = time.process_time()
            for text in offers:
                model.probability(text)
            best = min(best, time.process_time() - started)
        return best / len(offers)

    cold, warm = reader(fresh=True), reader(fresh=False)
    print(f"{path}: {len(document['vocabulary'])} n-grams; reader per 2 KB offer: "
          f"{cold * 1e6:.0f} µs by a fresh model, {warm * 1e6:.0f} µs with the words known "
          f"({len(offers)} offers)")

    texts = [row["text"] for row in load_rows(split="train")]
    ordinary = args.repo / "tests" / "corpus" / "real" / "ordinary.jsonl"
    texts += [json.loads(line)["text"] for line in ordinary.read_text(encoding="utf-8").splitlines()
              if line.strip()]
    if args.model is None:
        reads = 0
        probability = lure_model.LureModel.probability

        def counting(self: lure_model.LureModel, text: str, *lang: str | None) -> float:
            nonlocal reads
            reads += 1
            return probability(self, text, *lang)  # the language since session 14

        lure_model.LureModel.probability = counting  # type: ignore[method-assign]
        for text in texts:
            assess.assess_text(text)
        lure_model.LureModel.probability = probability  # type: ignore[method-assign]
        best = float("inf")
        for _ in range(PASSES):
            started = time.process_time()
            for text in texts:
                assess.assess_text(text)
            best = min(best, time.process_time() - started)
        print(f"assess_text per real text (train split and ordinary messages, {len(texts)}): "
              f"{best / len(texts) * 1e6:.0f} µs CPU; the model read for {reads} of them")


if __name__ == "__main__":
    main()
