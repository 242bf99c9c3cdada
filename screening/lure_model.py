"""A statistical second opinion: does a text read like recruitment lures people have reported?

A logistic regression over character n-grams (1–3 characters within words, TF-IDF weighted,
the way scikit-learn's `TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)` computes them),
trained by `scripts/train_lure_model.py` on the train split of the real-text corpus
(`tests/corpus/real/`: texts printed by news, NGO and government sources, none written here).
The weights ship as `data/lure_model.json`; this module reads them with plain Python, so the bot
needs no numerical library. The training script checks that this reader and scikit-learn give
the same probabilities.

Character n-grams work the same in every script, with or without spaces between words, and are
robust to the spelling variation the patterns miss; the model adds one explained flag ("reads like
known lures", in `red_flags.json`), gated on job context like the other signals, so it never
speaks alone about a message that is not a job offer.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "data" / "lure_model.json"
_RUNS_OF_WHITESPACE = re.compile(r"\s\s+")


@dataclass(frozen=True, slots=True)
class LureModel:
    ngram_range: tuple[int, int]
    idf: dict[str, float]  # every feature of the vocabulary: the norm of a text's vector needs all
    coef: dict[str, float]  # the non-zero weights
    intercept: float
    threshold: float  # probability at which the flag is raised

    def probability(self, text: str) -> float:
        """The model's probability that `text` is a lure (0…1)."""
        counts = Counter(ngram for ngram in word_ngrams(text, self.ngram_range) if ngram in self.idf)
        if not counts:
            return 1 / (1 + math.exp(-self.intercept))
        weights = {ngram: (1 + math.log(count)) * self.idf[ngram] for ngram, count in counts.items()}
        norm = math.sqrt(sum(value * value for value in weights.values()))
        margin = self.intercept + sum(value * self.coef.get(ngram, 0.0)
                                      for ngram, value in weights.items()) / norm
        return 1 / (1 + math.exp(-margin))

    def reads_like_lures(self, text: str) -> bool:
        return self.probability(text) >= self.threshold


def word_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams inside each word padded with one space either side: scikit-learn's
    `char_wb` analyser, with its lower-casing, so the shipped weights mean the same here."""
    low, high = ngram_range
    grams: list[str] = []
    for word in _RUNS_OF_WHITESPACE.sub(" ", text.lower()).split():
        padded = f" {word} "
        length = len(padded)
        for size in range(low, high + 1):
            if size >= length:
                grams.append(padded)  # a word no longer than the n-gram counts once, whole
                break
            grams.extend(padded[start:start + size] for start in range(length - size + 1))
    return grams


def parse_model(document: dict[str, object]) -> LureModel:
    ngram_range = document["ngram_range"]
    vocabulary = document["vocabulary"]
    if not (isinstance(ngram_range, list) and isinstance(vocabulary, dict)):
        raise ValueError("lure model: ngram_range must be a list and vocabulary an object")
    idf: dict[str, float] = {}
    coef: dict[str, float] = {}
    for ngram, (feature_idf, weight) in vocabulary.items():
        idf[ngram] = float(feature_idf)
        if weight:
            coef[ngram] = float(weight)
    return LureModel(ngram_range=(int(ngram_range[0]), int(ngram_range[1])), idf=idf, coef=coef,
                     intercept=float(str(document["intercept"])),
                     threshold=float(str(document["threshold"])))


@lru_cache(maxsize=1)
def default_model() -> LureModel:
    return parse_model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
