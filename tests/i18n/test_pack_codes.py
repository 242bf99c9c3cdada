"""Telegram codes babel cannot read fall back to the longest known tag they begin with."""

from __future__ import annotations

import pytest

from locales.i18n import normalise_locale


@pytest.mark.parametrize(("code", "expected"), [
    # Telegram apps name community translations by their pack (t.me/setlanguage/zh-hans-raw).
    ("zh-hans-raw", "zh_Hans"),
    ("zh-hant-raw", "zh_Hant"),
    ("zh-hant-beta", "zh_Hant"),
    ("ms-my-x-informal", "ms"),
    # Still nothing for what no prefix names.
    ("xx-yy-zz", None),
    ("pt-br-raw", None),
    ("raw", None),
])
def test_unreadable_tags_fall_back_to_their_known_prefix(code: str, expected: str | None) -> None:
    assert normalise_locale(code) == expected
