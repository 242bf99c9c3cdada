"""A statistical second opinion: does a text read like recruitment lures people have reported?

A logistic regression over character n-grams (1–3 characters within words, TF-IDF weighted, the
way scikit-learn's `TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)` computes them),
trained by `scripts/train_lure_model.py` on the train split of the real-text corpus
(`tests/corpus/real/`: texts printed by news, NGO and government sources, none written here), with
the synthetic offers of `tests/corpus/offers.jsonl`'s tuning part (written by this project) beside
them at a quarter of a real row's weight. The weights ship as `data/lure_model.json`; this module
reads them with plain Python, so the bot needs no numerical library. The training script checks
that this reader and scikit-learn give the same probabilities.

Character n-grams work the same in every script, with or without spaces between words, and are
robust to the spelling variation the patterns miss; the model adds one explained flag ("reads like
known lures", in `red_flags.json`) that lifts a job offer the rules rate medium to high
(`screening.assess.second_opinion_counts`), or, at a higher `strong_threshold`, one the rules rate
low but not zero (`screening.assess.strong_opinion_counts`), or, at its own `alone_threshold`,
a job offer of some length in which the rules find nothing (`screening.assess.alone_opinion_counts`,
since session 13: a third of the lures the rules miss score 0). It is read only then.

Since session 14 the model may read a text with its entities abstracted (`abstract`, the model
file's "abstraction"): the places, amounts of money and contacts the project's readers find are
replaced by a token of their class (a country where compounds operate, abroad, home; the monthly
pay's band in US dollars, a fee; a contact), the classes of the countries named are added, and
digits read as 0, so that it learns classes rather than strings (a lure to Korea paying 3,000 USD
and one to Japan paying ¥300,000 share few n-grams). The screening gives it the text's language
(the home country and the currency of bare amounts depend on it).

Since session 17 the model may read what the rules found (the file's "second_stage", `SecondStage`):
the n-gram model's logit and a weight per rule and combination the rules found go through a second
logistic regression, which learns which findings beside what the text reads like mark lures. The
screening gives it the ids of the rules found before the model is read (`screening.assess`), so it
never reads its own flags. (A token per finding appended to the text, the file's "rule_tokens", is
read too; tried and not shipped.)
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from screening import contacts, money, places

MODEL_PATH = Path(__file__).resolve().parent / "data" / "lure_model.json"
_RUNS_OF_WHITESPACE = re.compile(r"\s\s+")
# Characters of a text the model reads: the texts it was trained on are at most ~500 characters;
# twice that bounds the time one reading costs (~0.3-0.5 ms for 1,000 characters).
MAX_READ_CHARS = 1_000
# Words whose n-grams a model keeps (`LureModel.known_words`): forgotten all at once beyond this.
MAX_KNOWN_WORDS = 10_000


# The n-gram model's probability is read by the second stage as its logit, within these bounds (the
# training script clips probabilities to 1e-6 … 1 - 1e-6 before taking it).
_LOGIT_BOUND = math.log((1 - 1e-6) / 1e-6)


@dataclass(frozen=True, slots=True)
class SecondStage:
    """A logistic model over what the rules found (a weight per rule or combination id) and the
    n-gram model's logit: it learns which findings mark lures beside what the text reads like."""
    intercept: float
    logit_weight: float
    weights: dict[str, float]

    def probability(self, logit: float, found: Iterable[str]) -> float:
        weights = self.weights
        margin = (self.intercept + self.logit_weight * max(-_LOGIT_BOUND, min(_LOGIT_BOUND, logit))
                  + sum(weights.get(rule_id, 0.0) for rule_id in set(found)))
        return 1 / (1 + math.exp(-margin))


@dataclass(frozen=True, slots=True)
class LureModel:
    ngram_range: tuple[int, int]
    # Every n-gram of the vocabulary -> (its idf squared, idf x its weight): the norm of a text's
    # vector needs every feature, the margin their weights.
    features: dict[str, tuple[float, float]]
    intercept: float
    threshold: float  # probability at which the flag is raised on an offer the rules rate medium
    # Probability at which it is raised, with more weight, on one they rate low but not zero;
    # None: never (a model whose probabilities are too sharp for that band, see
    # scripts/train_lure_model.py).
    strong_threshold: float | None
    # Probability at which it is raised alone, on a job offer they find nothing in.
    alone_threshold: float
    # How the text is read before its n-grams are made (`abstract`'s mode), or None: as written.
    abstraction: str | None = None
    # Since session 17: the word that stands for each rule and combination (by id) the rules found
    # in the text, appended to what the model reads (`prepared`), or None: the model reads no
    # findings. The screening gives them (the rules found before the model is read: never its own).
    rule_tokens: dict[str, str] | None = None
    # Since session 17: a second logistic model over the rules' findings and this model's logit
    # (`SecondStage`), or None: the n-gram model's probability is the model's.
    second_stage: SecondStage | None = None
    # Each word read so far -> the n-grams of the vocabulary in it (`word_grams`): `char_wb`
    # n-grams never cross words, and most words come again, so a text's n-grams are mostly
    # looked up rather than made (three times faster than `padded_ngrams` on 2 KB offers).
    known_words: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def prepared(self, text: str, lang: str | None = None, found: Iterable[str] = ()) -> str:
        """The text whose n-grams the model reads: its first MAX_READ_CHARS characters, with the
        entities abstracted when the model was trained so (`abstract`; `lang` as the screening
        detected it, which the training script also gives), and a word per rule or combination
        `found` (their ids) when it was trained with them (`rule_tokens`)."""
        text = text[:MAX_READ_CHARS]
        read = abstract(text, lang, self.abstraction) if self.abstraction else text
        if self.rule_tokens:
            tokens = self.rule_tokens
            read += " " + " ".join(tokens[rule_id] for rule_id in found if rule_id in tokens)
        return read

    def probability(self, text: str, lang: str | None = None, found: Iterable[str] = ()) -> float:
        """The model's probability that `text` (in language `lang`, if known; in which the rules
        found the rules and combinations `found`, by id) is a lure (0…1)."""
        found = tuple(found)
        words = self.prepared(text, lang, found).lower().split()
        known = self.known_words
        grams = list(map(known.get, words))
        if None in grams:
            if len(known) > MAX_KNOWN_WORDS:
                known.clear()
            for index, word in enumerate(words):
                if grams[index] is None:
                    grams[index] = known[word] = self.word_grams(word)
        counts = Counter(chain.from_iterable(grams))  # type: ignore[arg-type]  # no None left
        features = self.features
        norm_squared = margin = 0.0
        for ngram in counts:
            idf_squared, weighted = features[ngram]
            count = counts[ngram]
            if count == 1:  # most n-grams of a short text: tf = 1 + log(1) = 1
                norm_squared += idf_squared
                margin += weighted
            else:
                tf = 1 + math.log(count)
                norm_squared += tf * tf * idf_squared
                margin += tf * weighted
        if norm_squared:
            margin /= math.sqrt(norm_squared)
        if self.second_stage is not None:
            return self.second_stage.probability(self.intercept + margin, found)
        return 1 / (1 + math.exp(-(self.intercept + margin)))

    def word_grams(self, word: str) -> tuple[str, ...]:
        """The n-grams of the vocabulary in one lower-cased word, as often as `char_wb` counts
        them (`padded_ngrams` of the word alone: the same n-grams inside it)."""
        features = self.features
        # Interned, as the vocabulary is (`parse_model`): the words kept share its strings.
        return tuple(sys.intern(gram) for gram, count in padded_ngrams(word, self.ngram_range).items()
                     if gram in features for _ in range(count))

    def reads_like_lures(self, text: str) -> bool:
        return self.probability(text) >= self.threshold

    def reads_strongly_like_lures(self, text: str) -> bool:
        return self.strong_threshold is not None and self.probability(text) >= self.strong_threshold


# Entity abstraction (`abstract`): what the project's readers find, replaced by a token of its class
# so that a lure to Korea paying 3,000 USD and one to Japan paying ¥300,000 share their features.
# The tokens are words of characters no text of the corpus holds.
COMPOUND_COUNTRY = "§c§"  # a country where scam compounds operate (screening.places), not home
ABROAD_COUNTRY = "§a§"  # another country than the language's (screening.money.origin_countries_for)
HOME_COUNTRY = "§h§"
CONTACT = "§k§"  # a phone number, handle or link (screening.contacts)
FEE = "§f§"  # an amount asked of the person (screening.money.read_money)
# Pay by its monthly amount in US dollars: below each bound, the band's token; per task apart.
PAY_BANDS = ((400.0, "§pa§"), (1000.0, "§pb§"), (2000.0, "§pc§"), (4000.0, "§pd§"),
             (float("inf"), "§pe§"))
PAY_PER_TASK = "§pt§"
ABSTRACTIONS = ("entities", "entities+")
_DIGITS = re.compile(r"[0-9]")
# What a text with a contact holds (every train text screening.contacts finds one in does): an @,
# a link, a run of digits as long as a phone number's, or a messaging app named.
_CONTACT_SIGN = re.compile(r"@|://|www\.|\.(?:com|net|org|me|ly|io|cc|vn|th|ph)\b|[0-9][0-9 .()-]{5,}[0-9]"
                           r"|\b(?:line|zalo|wechat|whatsapp|telegram|viber|kakao|signal)\b", re.IGNORECASE)
# Where scam compounds operate (screening.places.PlaceMention.destination).
COMPOUND_COUNTRIES = frozenset({"KH", "MM", "LA", "PH"})


def _pay_token(amount: money.PayAmount) -> str:
    if amount.kind != "pay":
        return FEE
    if amount.per_task:
        return PAY_PER_TASK
    return next(token for bound, token in PAY_BANDS if amount.monthly_usd < bound)


def _country_token(country: str, homes: set[str]) -> str:
    return (HOME_COUNTRY if country in homes
            else COMPOUND_COUNTRY if country in COMPOUND_COUNTRIES else ABROAD_COUNTRY)


def abstract(text: str, lang: str | None = None, mode: str = "entities") -> str:
    """`text` as the model reads it: the entities the readers find (places with their span, amounts
    of money, contacts) replaced by their class's token ("entities") or kept ("entities+"), the
    classes of the countries named (screening.places.countries_named: home, abroad, where compounds
    are) and, in "entities+", of every entity added at the end, and the other ASCII digits read
    as 0. The same at training (scripts/train_lure_model.py) and at read time."""
    spans: list[tuple[int, int, str]] = []
    homes = set(money.origin_countries_for(lang))
    spans.extend((*mention.span, _country_token(mention.country, homes))
                 for mention in places.find_places(text))
    spans.extend((*amount.span, _pay_token(amount)) for amount in money.read_money(text, language=lang))
    if _CONTACT_SIGN.search(text):  # contacts.extract_contacts costs more than the rest together
        spans.extend((*contact.span, CONTACT) for contact in contacts.extract_contacts(text))
    spans.sort()
    parts: list[str] = []
    tokens = [_country_token(country, homes) for country in places.countries_named(text)]
    end = 0
    for start, stop, token in spans:
        if start < end:
            continue  # overlapping another entity already replaced
        parts.append(text[end:start])
        if mode == "entities":
            parts.append(f" {token} ")
        else:
            tokens.append(token)
            parts.append(text[start:stop])
        end = stop
    parts.append(text[end:])
    parts.append(" " + " ".join(tokens))
    return _DIGITS.sub("0", "".join(parts))


def padded_ngrams(text: str, ngram_range: tuple[int, int]) -> Counter[str]:
    """How often each of scikit-learn's `char_wb` n-grams occurs (see `word_ngrams`), plus some
    that are never in a vocabulary, quickly: the words are joined by two spaces with one before and
    after, so each n-gram inside a padded word appears as often as `char_wb` counts it, and every
    other one holds two spaces in a row, which no word-padded n-gram does. (Exact for ranges
    starting at 3 or below: a word shorter than the smallest n-gram would count whole in
    `char_wb`.) The n-grams of each size are the previous size's with the next character added,
    which Python does in C."""
    low, high = ngram_range
    words = text.lower().split()
    counts: Counter[str] = Counter()
    if not words:
        return counts
    joined = " " + "  ".join(words) + " "
    grams: Iterable[str] = joined
    for size in range(1, high + 1):
        if size > 1:
            grams = list(map(str.__add__, grams, joined[size - 1:]))
        if size >= low:
            counts.update(grams)
    return counts


def word_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams inside each word padded with one space either side: scikit-learn's
    `char_wb` analyser, with its lower-casing, so the shipped weights mean the same here (the
    reference `padded_ngrams` is tested against)."""
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


def training_digest(rows: list[dict[str, Any]], synthetic: list[str]) -> str:
    """A digest of what a model was trained on (the train rows' ids, labels and texts, and the
    synthetic texts beside them): the shipped file records it, and a test compares it with the
    corpus today, so a model left behind by a grown corpus is noticed without scikit-learn."""
    content = json.dumps([sorted((row["id"], row["label"], row["text"]) for row in rows),
                          synthetic], ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


def parse_model(document: dict[str, Any]) -> LureModel:
    ngram_range = document["ngram_range"]
    vocabulary = document["vocabulary"]
    if not (isinstance(ngram_range, list) and isinstance(vocabulary, dict)):
        raise ValueError("lure model: ngram_range must be a list and vocabulary an object")
    if document.get("analyzer", "char_wb") != "char_wb" or not 1 <= int(ngram_range[0]) <= 3:
        raise ValueError("lure model: only char_wb n-grams starting at 1 to 3 characters are read")
    abstraction = document.get("abstraction")
    if abstraction not in (None, *ABSTRACTIONS):
        raise ValueError(f"lure model: unknown abstraction {abstraction!r}")
    features = {sys.intern(str(ngram)): (float(idf) ** 2, float(idf) * float(weight))
                for ngram, (idf, weight) in vocabulary.items()}
    rule_tokens = document.get("rule_tokens")
    if rule_tokens is not None and not (isinstance(rule_tokens, dict) and all(
            isinstance(token, str) and len(token.split()) == 1 for token in rule_tokens.values())):
        raise ValueError("lure model: rule_tokens must map each rule id to one word")
    stage = document.get("second_stage")
    second_stage = None if stage is None else SecondStage(
        intercept=float(stage["intercept"]), logit_weight=float(stage["logit_weight"]),
        weights={str(rule_id): float(weight) for rule_id, weight in stage["weights"].items()})
    return LureModel(ngram_range=(int(ngram_range[0]), int(ngram_range[1])), features=features,
                     intercept=float(document["intercept"]), threshold=float(document["threshold"]),
                     strong_threshold=(None if document["strong_threshold"] is None
                                       else float(document["strong_threshold"])),
                     alone_threshold=float(document["alone_threshold"]), abstraction=abstraction,
                     rule_tokens=rule_tokens, second_stage=second_stage)


@lru_cache(maxsize=1)
def default_model() -> LureModel:
    return parse_model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
