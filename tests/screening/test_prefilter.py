"""The prefilter must find exactly what searching every pattern finds, only faster."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.prefilter import (
    FoundAt,
    Located,
    Prefilter,
    anywhere_needles,
    needle_plan,
    prefix_needles,
    spelled_needles,
)
from screening.rules import RULES_PATH, default_rules, normalise_for_matching

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "offers.jsonl"


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\bvisa on arrival\b", {"visa on arrival"}),
    (r"\b(?:contact|chat) (?:me|us)", {"contact", "chat"}),
    (r"(?:Tourist|TRAVEL) visa", {"tourist", "travel"}),
    (r"ไม่ต้องมีประสบการณ์", {"ไม่ต้องมีประสบการณ์"}),
    (r"\$\s?[1-9]", {"$"}),
    (r"(?:a|b)c", None),  # one-letter starts filter nothing
    (r"(?:visa|)x", None),  # an empty branch can start anywhere
    (r"\d+ usd", None),
])
def test_prefix_needles(pattern: str, expected: set[str] | None) -> None:
    assert prefix_needles(pattern) == (frozenset(expected) if expected else None)


def test_needle_inside_a_pattern_with_bounded_offset() -> None:
    plan = needle_plan(r"(?:\bper|/|\ba)[ .:]{0,2}(?:month|year)\b")
    assert plan is not None
    assert (plan.needles, plan.min_offset, plan.max_offset) == (
        frozenset({"month", "year"}), 1, 5)


def test_needles_spelled_out_across_groups() -> None:
    # "per", "/" and "a" alone would be tried at every occurrence; spelled out with what must
    # follow they are rare, and the pattern is tried only where a match starts.
    plan = needle_plan(r"(?:\bper |/|\ba )(?:month|year)\b")
    assert plan is not None
    assert (plan.needles, plan.min_offset, plan.max_offset) == (
        frozenset({"per month", "per year", "/month", "/year", "a month", "a year"}), 0, 0)
    # An optional part gives both readings; a needle that another one begins is dropped.
    assert spelled_needles(r"\b(?:we|boss) (?:will )?keeps?") == frozenset(
        {"we keep", "we will keep", "boss keep", "boss will keep"})
    assert spelled_needles(r"(?:visa|)x") is None  # "x" alone filters nothing
    assert spelled_needles(r"\d+ usd") is None


def test_costly_gap_pattern_is_gated_by_what_follows_the_gap() -> None:
    words = [f"{'abcdefghij'[n % 10]}job{n:02d}" for n in range(60)]
    plan = needle_plan(r"\bsalary\b[\s\S]{0,100}(?:" + "|".join(words) + ")")
    assert plan is not None and plan.later is not None
    assert plan.later == frozenset(words)
    assert plan.max_width == len("salary") + 100 + len("ajob00")
    # a short gap, or few alternatives after it, costs less to try than to rule out
    assert needle_plan(r"\bsalary\b.{0,10}(?:usd|\$)").later is None  # type: ignore[union-attr]


_JOBS = [f"{'abcdefghij'[n % 10]}job{n:02d}" for n in range(60)]
# A gap pattern whose B starts with a needle and has a look-behind of its own: B is compiled
# alone and must see the text before where it starts, as within the whole pattern.
_GAP_PATTERN = r"(?<!\d)[1-9]\d{2} ?usd\b[\s\S]{0,40}(?<![a-z])(?:" + "|".join(_JOBS) + r")\b"


def test_gap_pattern_gated_where_what_follows_the_gap_can_start() -> None:
    plan = needle_plan(_GAP_PATTERN)
    assert plan is not None and plan.later == frozenset(_JOBS)
    # B starts 6 to 47 characters after the match start ("100usd" .. "100 usd" + 40), and is
    # compiled alone to confirm it matches there.
    assert (plan.later_from, plan.later_to) == (6, 47)
    assert plan.after_gap is not None and plan.after_gap.match("ajob00")
    assert not plan.after_gap.match("xajob00", 1)  # its look-behind sees the "x" before
    # With a capturing group B could refer back to A: not compiled alone (gated as before).
    grouped = needle_plan(r"(\d{3}) usd\b[\s\S]{0,40}(?:" + "|".join(_JOBS) + ")")
    assert grouped is not None and grouped.later is not None and grouped.after_gap is None


@pytest.mark.parametrize(("text", "expected"), [
    ("100 usd" + "-" * 40 + "ajob00", {0}),   # B at the last place it can start
    ("100 usd" + "-" * 41 + "ajob00", set()),  # one further: no match
    ("100usd" + "-" * 40 + "ajob00", {0}),
    ("100usd" + "-" * 41 + "ajob00", set()),
    ("100usd ajob00", {0}),
    ("100usd xajob00", set()),                 # B's own look-behind fails
    ("100usd ajob00x", set()),                 # B's \b fails
])
def test_gap_pattern_gate_at_the_edges(text: str, expected: set[int]) -> None:
    pattern = re.compile(_GAP_PATTERN, re.IGNORECASE)
    assert _brute_force([pattern], text) == expected
    assert Prefilter([[pattern]]).matching(text) == expected


# Few alternatives after the gap: their needles are looked for with str.find in the window.
_FEW_AFTER_GAP = r"(?<!\d)[1-9]\d{2} ?usd\b[\s\S]{0,40}(?<![a-z])(?:ajob00|bjob01 now)\b"


def test_gap_pattern_with_few_alternatives_is_searched_in_the_window() -> None:
    plan = needle_plan(_FEW_AFTER_GAP)
    assert plan is not None and plan.later_searched and plan.after_gap is not None
    assert plan.later == frozenset({"ajob00", "bjob01 now"})
    assert (plan.later_from, plan.later_to) == (6, 47)
    # Few alternatives and nothing to compile alone (a capturing group): not gated.
    assert needle_plan(r"(\d{3}) usd\b[\s\S]{0,40}(?:ajob00|bjob01)").later is None  # type: ignore[union-attr]


@pytest.mark.parametrize("pattern", [_GAP_PATTERN, _FEW_AFTER_GAP])
@pytest.mark.parametrize("text", [
    "100 usd" + "-" * 40 + "ajob00", "100 usd" + "-" * 41 + "ajob00", "100usd" + "-" * 40 + "ajob00",
    "100usd" + "-" * 41 + "ajob00", "100usd ajob00", "100usd xajob00", "100usd ajob00x",
    "100 USD BJOB01 NOW", "100 usd bjob01 no", "100 usd xx ajob00 ajob00x", "ajob00 100 usd",
])
def test_gated_gap_patterns_equal_brute_force(pattern: str, text: str) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    assert Prefilter([[compiled]]).matching(text) == _brute_force([compiled], text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([
    "100", "250", " ", "usd", "USD", "x", "ajob00", "bjob01", "jjob59", "kjob", "5", "-", " now",
    "x" * 20, "\n", "İ",
]), max_size=20).map("".join))
def test_gap_pattern_gate_equals_brute_force(text: str) -> None:
    patterns = [re.compile(_GAP_PATTERN, re.IGNORECASE), re.compile(_FEW_AFTER_GAP, re.IGNORECASE)]
    prefilter = Prefilter([[pattern] for pattern in patterns])
    normalised = normalise_for_matching(text)
    assert prefilter.matching(normalised) == _brute_force(patterns, normalised)


def _found_at(pattern: re.Pattern[str], text: str) -> tuple[set[int], FoundAt]:
    prefilter = Prefilter([[pattern]])
    lowered = text.lower()
    found_at: FoundAt = []
    return prefilter.matching_at(text, lowered, prefilter.occurrences(lowered),
                                 found_at=found_at), found_at


def test_gap_pattern_match_worked_out_without_the_engine() -> None:
    # B after the longest gap first, as the engine has it (greedy): the match ends at the last
    # "bjob01" within 40 characters of "usd", not at the first B.
    pattern = re.compile(_GAP_PATTERN, re.IGNORECASE)
    text = "100 usd ajob00 bjob01" + "-" * 30 + "cjob02"
    found, found_at = _found_at(pattern, text)
    assert found == {0}
    [(_rules, match)] = found_at
    assert isinstance(match, Located) and match.re is pattern
    engine = pattern.match(text)
    assert engine is not None and match.span() == engine.span() == (0, len("100 usd ajob00 bjob01"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([
    "100", "250", " ", "usd", "USD", "x", "ajob00", "bjob01", "jjob59", "-", "x" * 20, "\n", "İ",
]), max_size=24).map("".join))
def test_gap_pattern_matches_where_and_as_the_engine_does(text: str) -> None:
    # A gated gap pattern's match is worked out where the engine would find it (`Located`): it
    # must be the engine's own, span for span, wherever a rule is found.
    pattern = re.compile(_GAP_PATTERN, re.IGNORECASE)
    normalised = normalise_for_matching(text)
    found, found_at = _found_at(pattern, normalised)
    assert found == _brute_force([pattern], normalised)
    for _rules, match in found_at:
        engine = pattern.match(normalised, match.start())
        assert engine is not None and engine.span() == match.span()


def test_unbounded_prefix_falls_back_to_whole_text_search() -> None:
    plan = needle_plan(r"[a-z]+ overland")
    assert plan is not None and plan.max_offset is None
    assert anywhere_needles(r"[a-z]+ overland") == frozenset({" overland"})


def test_no_needle_means_always_searched() -> None:
    assert needle_plan(r"\d{3,}") is None


def _brute_force(patterns: list[re.Pattern[str]], text: str) -> set[int]:
    return {index for index, pattern in enumerate(patterns) if pattern.search(text)}


SAMPLE_PATTERNS = [
    r"\bvisa on arrival\b", r"(?:\bper |/|\ba )(?:month|year)\b", r"[a-z]+ overland", r"\d{3,}",
    r"(?<![\w.@])@[a-z][a-z0-9_]{4,31}\b", r"ปอยเปต", r"西港|妙瓦底", r"\bno (?:contract|interview)\b",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "visa", " on ", "arrival", "per", "month", "/", " a ", "year", "overland", "123", "@abcde",
    "ปอยเปต", "西港", "no ", "contract", "İ", "x", " ", "VISA ON ARRIVAL", "interview", ".",
]), max_size=25).map("".join))
def test_prefilter_equals_brute_force_on_fragments(text: str) -> None:
    patterns = [re.compile(pattern, re.IGNORECASE) for pattern in SAMPLE_PATTERNS]
    prefilter = Prefilter([[pattern] for pattern in patterns])
    normalised = normalise_for_matching(text)
    expected = _brute_force(patterns, normalised)
    assert prefilter.matching(normalised) == expected
    assert prefilter.matching(normalised, use_automaton=False) == expected


def test_shipped_rules_prefilter_equals_brute_force_on_the_corpus() -> None:
    assert RULES_PATH.exists() and CORPUS.exists(), "rules or corpus missing (written by A2)"
    rules = default_rules()
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    for text in texts:
        fast_rules, fast_job = rules.match(text)
        slow_rules, slow_job = rules.match(text, use_prefilter=False)
        assert ([rule.id for rule in fast_rules], fast_job) == \
            ([rule.id for rule in slow_rules], slow_job), text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_shipped_rules_prefilter_equals_brute_force_on_garbage(text: str) -> None:
    rules = default_rules()
    fast_rules, fast_job = rules.match(text)
    slow_rules, slow_job = rules.match(text, use_prefilter=False)
    assert ([rule.id for rule in fast_rules], fast_job) == ([rule.id for rule in slow_rules], slow_job)
