"""The "reads like known lures" model (screening/lure_model.py, issue 14 item 5): the shipped file
loads and scores deterministically, its fast n-gram reader counts what scikit-learn's `char_wb`
counts, it was trained on the corpus's train split as it is today, training reproduces it, and its
flags only ever lift a job offer the rules rate medium, or (the strong flag) low but not zero, or
(the alone flag) a job offer of some length the rules find nothing in."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from screening import assess, lure_model
from screening.assess import RiskLevel, assess_text
from tests.corpus.real.measure import load_rows

REPO = Path(__file__).resolve().parents[2]
SYNTHETIC_OFFERS = REPO / "tests" / "corpus" / "offers.jsonl"

SHAPES = [
    "",
    "Hello",
    "Job vacancy: customer service staff, salary 1,500 USD, free flight and accommodation. "
    "Contact us on Telegram.",
    "รับสมัครพนักงานแอดมิน เงินเดือนสูง บินฟรี ที่พักฟรี ติดต่อไลน์",
    "招聘客服，月薪两万，包吃包住，机票报销",
    "x" * 5000,
]


def test_the_shipped_model_loads_and_scores_deterministically() -> None:
    model = lure_model.default_model()
    again = lure_model.parse_model(json.loads(lure_model.MODEL_PATH.read_text(encoding="utf-8")))
    # The strong flag (weight 5, on an offer the rules rate low) never speaks more readily than the
    # medium one (weight 3); the two may share a threshold (session 14's choice: both 0.9).
    assert model.features and 0 < model.threshold < 1
    assert model.strong_threshold is None or model.threshold <= model.strong_threshold < 1
    assert 0 < model.alone_threshold < 1
    assert lure_model.MODEL_PATH.stat().st_size < 1_000_000
    for text in SHAPES:
        probability = model.probability(text)
        assert 0.0 < probability < 1.0
        assert probability == model.probability(text) == again.probability(text)
    # Only the first MAX_READ_CHARS characters are read.
    long_text = SHAPES[2] * 50
    assert model.probability(long_text) == model.probability(long_text[:lure_model.MAX_READ_CHARS])


def test_the_fast_reader_counts_the_char_wb_n_grams() -> None:
    model = lure_model.default_model()
    texts = [row["text"] for row in load_rows(split="train")] + SHAPES + ["a  b\n\tc  d e", " x "]
    for text in texts:
        fast = Counter({gram: count for gram, count in lure_model.padded_ngrams(
            text, model.ngram_range).items() if gram in model.features})
        reference = Counter(gram for gram in lure_model.word_ngrams(text, model.ngram_range)
                            if gram in model.features)
        assert fast == reference, text[:60]


def _reference_probability(model: lure_model.LureModel, text: str) -> float:
    """scikit-learn's sums, from the reference n-grams (`word_ngrams`), without the word cache."""
    counts = Counter(gram for gram in lure_model.word_ngrams(model.prepared(text), model.ngram_range)
                     if gram in model.features)
    tf = {gram: 1 + math.log(count) for gram, count in counts.items()}
    norm = math.sqrt(sum(tf[gram] ** 2 * model.features[gram][0] for gram in counts))
    margin = sum(tf[gram] * model.features[gram][1] for gram in counts) / norm if norm else 0.0
    if model.second_stage is not None:  # nothing found by the rules: the logit alone
        return model.second_stage.probability(model.intercept + margin, ())
    return 1 / (1 + math.exp(-(model.intercept + margin)))


def test_the_word_cache_reads_what_the_n_grams_say(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lure_model, "MAX_KNOWN_WORDS", 50)  # forgets words often
    shipped = lure_model.default_model()
    model = dataclasses.replace(shipped, known_words={})
    texts = [row["text"] for row in load_rows(split="train")[:200]] + SHAPES + ["a  b\n\tc  d e", " x "]
    longest = 0  # words in the longest text read so far: the cache may hold them past the cap
    for text in texts + texts[::-1]:  # the second time, most words are known
        assert model.probability(text) == pytest.approx(_reference_probability(model, text), abs=1e-12)
        longest = max(longest, len(text.split()))
        assert len(model.known_words) <= 51 + longest


def test_the_model_was_trained_on_the_train_split_as_it_is() -> None:
    """A grown corpus leaves the model behind: run scripts/train_lure_model.py (needs the dev lock's
    scikit-learn) and commit the new file."""
    document = json.loads(lure_model.MODEL_PATH.read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in SYNTHETIC_OFFERS.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    tuning = [row for row in rows if row.get("split") == "tuning"]
    synthetic = [row["text"] for row in tuning if row["label"] == "legit"]
    if document["settings"].get("synthetic_lure_weight"):  # the synthetic lures too (never holdout)
        synthetic += [row["text"] for row in tuning if row["label"] == "scam"]
    assert document["trained_on"]["synthetic_lures"] == len(synthetic) - document["trained_on"][
        "synthetic_legitimate"]
    train = load_rows(split="train")
    assert document["trained_on"]["sha256"] == lure_model.training_digest(train, synthetic)
    assert document["trained_on"]["lures"] == sum(row["label"] == "scam" for row in train)


def test_the_model_reads_entities_as_their_class() -> None:
    """Entity abstraction (issue 14 item 5, session 14): what the readers find reads as a token of
    its class, so a lure to Korea paying 3,000 USD and one to Japan paying ¥300,000 share features;
    the other digits read as 0; "entities+" keeps the words and adds the classes at the end."""
    cambodia = lure_model.abstract("Factory job in Cambodia, salary 3,000 USD per month, call 0812345678",
                                   "en")
    myanmar = lure_model.abstract("Factory job in Myanmar, salary 2,500 USD per month, call 0898765432",
                                  "en")
    assert cambodia == myanmar
    assert lure_model.COMPOUND_COUNTRY in cambodia and lure_model.PAY_BANDS[3][1] in cambodia
    assert "Cambodia" not in cambodia and "0000000000" in cambodia
    # A country screening.places does not map (it reads the region's) keeps its name, and its
    # class is added at the end (screening.places.countries_named).
    japan = lure_model.abstract("Factory job in Japan, salary 300,000 yen per month", "en")
    assert "Japan" in japan and japan.split()[-1] == lure_model.ABROAD_COUNTRY
    compound = lure_model.abstract("Trabaho sa Cambodia, 50,000 pesos bawat buwan. Telegram @hr_jobs88", "tl")
    home = lure_model.abstract("Trabaho sa Maynila, 20,000 pesos bawat buwan", "tl")
    assert lure_model.COMPOUND_COUNTRY in compound and lure_model.CONTACT in compound
    assert lure_model.HOME_COUNTRY in home and lure_model.COMPOUND_COUNTRY not in home
    fee = lure_model.abstract("Làm việc tại Hàn Quốc lương 3000 USD/tháng, phí 5 triệu", "vi")
    assert lure_model.FEE in fee
    kept = lure_model.abstract("Factory job in Korea, salary 3,000 USD per month", "en", "entities+")
    assert kept.startswith("Factory job in Korea, salary 0,000 USD per month")
    assert kept.split()[-2:] == [lure_model.ABROAD_COUNTRY, lure_model.PAY_BANDS[3][1]]
    model = lure_model.default_model()
    if model.abstraction:  # the shipped model reads the same text the training script fitted
        assert model.prepared("Job in Korea, 3000 USD", "en") == lure_model.abstract(
            "Job in Korea, 3000 USD", "en", model.abstraction)
    plain = dataclasses.replace(model, abstraction=None)
    assert plain.prepared("x" * 5000) == "x" * lure_model.MAX_READ_CHARS


needs_sklearn = pytest.mark.skipif(importlib.util.find_spec("sklearn") is None,
                                   reason="scikit-learn (dev lock) is not installed")


def _training_script() -> Any:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import train_lure_model  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "scripts"))
    return train_lure_model


@needs_sklearn
def test_training_reproduces_the_shipped_file() -> None:
    assert _training_script().main(["--check"]) == 0


@needs_sklearn
def test_the_extra_training_text_is_what_the_settings_ask_for() -> None:
    """`--search` may train on more text (synthetic lures, ordinary messages): never on the
    synthetic holdout nor on the half of the ordinary messages its false alarms are measured on;
    the shipped settings read the synthetic texts of the tuning part at their weights."""
    script = _training_script()
    extra = script.Extra.load()
    shipped = script.SETTINGS
    texts, labels, weights = extra.used(shipped)
    assert texts == script.synthetic_training_texts(extra, shipped)
    assert set(weights[~labels]) == {shipped.synthetic_legit_weight}
    assert int(labels.sum()) == (len(extra.synthetic_lures) if shipped.synthetic_lure_weight else 0)
    more = dataclasses.replace(shipped, synthetic_legit_weight=0.25,
                               synthetic_lure_weight=0.5, ordinary_weight=1.0)
    texts, labels, weights = extra.used(more)
    assert len(texts) == len(extra.synthetic_legit) + len(extra.synthetic_lures) + len(extra.ordinary)
    assert int(labels.sum()) == len(extra.synthetic_lures) and set(weights[labels]) == {0.5}
    assert set(weights[~labels]) == {0.25, 1.0}
    synthetic = [json.loads(line) for line in SYNTHETIC_OFFERS.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    assert not {row["text"] for row in synthetic if row["split"] == "holdout"} & set(texts)
    ordinary = script.ordinary_messages()
    measured = {row["text"] for row in ordinary if script.ordinary_held_out(row["text"])}
    assert not measured & set(texts)
    assert 0.3 < len(measured) / len(ordinary) < 0.7
    # Not shippable until the file's digest and the ordinary-messages test know that text.
    with pytest.raises(ValueError):
        script.train(load_rows(split="train"), extra, more)


@needs_sklearn
@pytest.mark.parametrize("changes", [{"max_df": 0.5}, {"classifier": "sgd", "max_df": 0.3, "alpha": 3e-5},
                                     {"classifier": "sgd", "abstraction": "entities+"},
                                     {"classifier": "sgd", "abstraction": "entities+", "stacked": True},
                                     {"rule_tokens": "rules+combinations"}])
def test_the_reader_reads_the_candidate_settings_as_scikit_learn_does(changes: dict[str, Any]) -> None:
    """The settings `--search` tries since session 15 (max_df, the SGD classifier) change only the
    vocabulary and the weights; those of session 17 give the model what the rules found (a second
    stage over the findings, or a token per finding in the text): the plain reader, given the
    findings as the screening gives them, reads scikit-learn's probabilities for all of them."""
    script = _training_script()
    rows = load_rows(split="train")[::6]  # a sixth of the rows: the same code, quicker
    settings = dataclasses.replace(script.SETTINGS, max_features=3000, **changes)
    document, vectorizer, classifier = script.train(rows, script.Extra.load(), settings)
    assert {key: document["settings"][key] for key in changes if key != "abstraction"} == {
        key: value for key, value in changes.items() if key != "abstraction"}
    model = lure_model.parse_model(document)
    texts = [row["text"][:lure_model.MAX_READ_CHARS] for row in rows]
    expected = classifier.predict_proba(vectorizer.transform(texts))[:, 1]
    assert float(expected.std()) > 0.05  # not a model that says the same of everything
    for text, p in zip(texts, expected, strict=True):
        found = script.found_by_rules(text, settings)
        assert model.probability(text, script.language_of(text), found) == pytest.approx(float(p), abs=1e-4)


@pytest.fixture
def model_always_says_lure(monkeypatch: pytest.MonkeyPatch) -> None:
    always = dataclasses.replace(lure_model.default_model(), threshold=0.0, strong_threshold=0.0,
                                 alone_threshold=0.0)
    monkeypatch.setattr(lure_model, "default_model", lambda: always)


@pytest.mark.usefixtures("model_always_says_lure")
def test_the_flags_only_lift_a_job_offer_to_high() -> None:
    medium = assess_text("Job vacancy: shop assistant in Manila. Apply now.", lang="en")
    assert medium.risk is RiskLevel.HIGH
    assert medium.flag_ids == ["compound_destination", "reads_like_known_lures"]
    low = assess_text("Job vacancy: shop assistant. Apply now, contact us on Telegram.", lang="en")
    assert low.risk is RiskLevel.HIGH
    assert low.flag_ids == ["messaging_app_only", "reads_very_like_known_lures"]
    # No warning sign from the rules: the model speaks alone only about a job offer of some length.
    alone = assess_text("Job vacancy: shop assistant at our store in the city centre. Apply now "
                        "with your CV.", lang="en")
    assert alone.risk is RiskLevel.HIGH
    assert alone.flag_ids == ["reads_alone_like_known_lures"]
    for text in ("Job vacancy: shop assistant. Apply now.",
                 "Still looking for a job. How much do they earn there?"):
        assert len(text) < assess.ALONE_MIN_CHARS
        nothing = assess_text(text, lang="en")
        assert nothing.risk is RiskLevel.LOW and not nothing.flags, text
    # Nor about a long text that is no job offer.
    story = assess_text("We walked along the beach all afternoon and then had grilled fish at the "
                        "little place near the pier.", lang="en")
    assert story.risk is RiskLevel.LOW and not story.flags
    chat = assess_text("see you at the beach tomorrow", lang="en")
    assert chat.risk is RiskLevel.LOW and not chat.flags
    high = assess_text("Job vacancy: customer service in Myawaddy, free flight and accommodation, "
                       "apply on Telegram now, salary 2000 USD", lang="en")
    assert high.risk in (RiskLevel.HIGH, RiskLevel.VERY_HIGH)
    assert not {"reads_like_known_lures", "reads_very_like_known_lures",
                "reads_alone_like_known_lures"} & set(high.flag_ids)


def test_below_its_thresholds_the_model_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    never = dataclasses.replace(lure_model.default_model(), threshold=1.1, strong_threshold=1.1,
                                alone_threshold=1.1)
    monkeypatch.setattr(lure_model, "default_model", lambda: never)
    for text in ("Job vacancy: shop assistant in Manila. Apply now.",
                 "Job vacancy: shop assistant. Apply now, contact us on Telegram.",
                 "Job vacancy: shop assistant at our store in the city centre. Apply now with your CV."):
        assert not {"reads_like_known_lures", "reads_very_like_known_lures",
                    "reads_alone_like_known_lures"} & set(assess_text(text, lang="en").flag_ids)


def test_the_gates_are_the_medium_band_the_low_band_and_a_long_offer_at_zero() -> None:
    rules = assess.default_rules()
    assert assess.second_opinion_counts(rules.thresholds.medium, rules)
    assert not assess.second_opinion_counts(rules.thresholds.high, rules)
    assert not assess.second_opinion_counts(rules.thresholds.medium - 1, rules)
    flag = rules.get("reads_like_known_lures")
    assert flag is not None and flag.weight >= rules.thresholds.high - rules.thresholds.medium
    assert assess.strong_opinion_counts(1, rules)
    assert assess.strong_opinion_counts(rules.thresholds.medium - 1, rules)
    assert not assess.strong_opinion_counts(0, rules)
    assert not assess.strong_opinion_counts(rules.thresholds.medium, rules)
    strong = rules.get("reads_very_like_known_lures")
    # Any low score above zero reaches high with it, and none reaches very high.
    assert strong is not None and strong.message == flag.message
    assert 1 + strong.weight >= rules.thresholds.high
    assert rules.thresholds.medium - 1 + strong.weight < rules.thresholds.very_high
    offer = "x" * assess.ALONE_MIN_CHARS
    assert assess.alone_opinion_counts(0, offer)
    assert not assess.alone_opinion_counts(0, offer[1:])
    assert not assess.alone_opinion_counts(0, " " * 100 + offer[1:] + "\n")
    assert not assess.alone_opinion_counts(1, offer)
    alone = rules.get("reads_alone_like_known_lures")
    # Alone it rates a job offer high, not very high, with the same explanation.
    assert alone is not None and alone.message == flag.message and alone.requires_job_context
    assert rules.thresholds.high <= alone.weight < rules.thresholds.very_high
