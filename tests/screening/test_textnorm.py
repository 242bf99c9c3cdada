"""Length-preserving folding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from screening.textnorm import fold


@given(st.text(max_size=200))
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


def test_fold_digits_and_forms() -> None:
    assert fold("๐๘๑ ០១២ ໐໑ ၀၉ ०१२ ０９ ＠ａ–b\u00a0c") == "081 012 01 09 012 09 @a-b c"
