"""Length-preserving folding, and the fast NFKC used before matching rules."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from screening.rules import _is_nfkc, nfkc
from screening.textnorm import FOLD_TABLE, collapse_whitespace, fold


@given(st.text(max_size=200))
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


def test_fold_translates_every_character_of_the_table() -> None:
    # Every character the table folds, in runs and alone, between characters it keeps: the
    # run search finds each of them (the fast `translate` of runs equals translating it all).
    folded = list(FOLD_TABLE)
    text = "".join(chr(code_point) + "a" + chr(code_point) * 2 + "😀" for code_point in folded)
    assert fold(text) == text.translate(FOLD_TABLE)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("๐๘۳٣０９－–— 　 ＠ａa1 😀ไก"), max_size=60))
def test_fold_equals_translating_with_the_table(text: str) -> None:
    assert fold(text) == text.translate(FOLD_TABLE)


def test_fold_digits_and_forms() -> None:
    assert fold("๐๘๑ ០១២ ໐໑ ၀၉ ०१२ ０９ ＠ａ–b\u00a0c") == "081 012 01 09 012 09 @a-b c"


# Characters where normalisation is subtle: combining marks out of order, Hangul jamo,
# full-width forms, Thai/Lao AM, Devanagari nukta letters, Myanmar vowels that compose,
# mathematical letters, ligatures.
TRICKY = ("e\u0301\u0323\u0307ｅ가\u1100\u1161\u11a8，：？！（）；　～ำໜໝຳ\u0e49\u0e4dาक़\u093c"
          "\u1025\u102e𝐒𝐚ﬁ①㈱Å\u212bｶﾞ\u3099\u309aが\u00a0\u200babc 123")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY), max_size=40))
def test_fast_nfkc_equals_unicodedata_on_tricky_text(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_fast_nfkc_equals_unicodedata_on_any_text(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY + "   \u0915\u1019\ufdfa\u00a8"), max_size=60))
def test_piecewise_nfkc_check_equals_unicodedata(text: str) -> None:
    assert _is_nfkc(text) == unicodedata.is_normalized("NFKC", text)


# Every character `str.split` breaks at, so that the sampled texts hold each kind.
_WHITESPACE = "".join(chr(code_point) for code_point in range(0x110000) if chr(code_point).isspace())


def test_the_only_printable_whitespace_is_the_ascii_space() -> None:
    # What collapse_whitespace's fast path rests on: a printable text has no whitespace but " ".
    assert [char for char in _WHITESPACE if char.isprintable()] == [" "]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_WHITESPACE + "  \n\n\u200bab.ไก😀\x00"), max_size=40))
def test_collapse_whitespace_equals_split_and_join(text: str) -> None:
    assert collapse_whitespace(text) == " ".join(text.split())


@given(st.text(max_size=100))
def test_collapse_whitespace_equals_split_and_join_on_any_text(text: str) -> None:
    assert collapse_whitespace(text) == " ".join(text.split())


def test_collapse_whitespace_examples() -> None:
    assert collapse_whitespace("  a \n\n b   c \n") == "a b c"
    assert collapse_whitespace("a\u3000\u3000b\tc\r\nd") == "a b c d"  # the split path
    assert collapse_whitespace("\n \n") == ""
    assert collapse_whitespace("") == ""
