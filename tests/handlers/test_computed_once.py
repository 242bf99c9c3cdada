"""What the offer step and the replies now compute once reads exactly as computed each time
before: numbers, months, country and language names with one `Locale` per locale (kept by the
translator, `handlers.countries`, `language_name`; whole numbers and months kept once
formatted), in every supported locale; an offer's
reading length with each distinct character's width looked up once."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from handlers.check_offer import AGENCY_WORDS_CASELESS, _month, _names_an_agency
from handlers.countries import COUNTRIES, country_name
from locales.i18n import SUPPORTED_LOCALES, get_translator, language_name
from screening.textnorm import reading_length


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_numbers_months_and_countries_as_with_a_fresh_locale(locale: str) -> None:
    t = get_translator(locale)
    assert t.babel_locale is t.babel_locale  # parsed once
    ctx: Any = SimpleNamespace(t=t)
    for _first_then_kept in range(2):  # whole numbers and months are kept once formatted
        for value in (0, 1, 2, 5, 21, 1234, 50_000, 1_234_567, 2.5, -3):
            assert t.number(value) == format_decimal(value, locale=Locale.parse(locale))
        for year in (2024, 2026):
            for month in range(1, 13):
                for day in (1, 15, 28):
                    when = datetime(year, month, day, 23, 59, tzinfo=UTC)
                    assert _month(ctx, when) == format_skeleton("yMMMM", when.date(),
                                                                 locale=Locale.parse(locale))
    assert t.date(date(2026, 3, 4)) == format_date(date(2026, 3, 4), format="medium",
                                                   locale=Locale.parse(locale))
    territories = Locale.parse(locale).territories
    for code in (*COUNTRIES, "US", "GB", "ZZ", "XX"):
        assert country_name(code, locale) == territories.get(code, code)


def test_language_names_as_before() -> None:
    """`language_name` is kept per locale: the same names as computed afresh."""
    language_name.cache_clear()
    first = [language_name(locale) for locale in SUPPORTED_LOCALES]
    assert [language_name(locale) for locale in SUPPORTED_LOCALES] == first
    assert language_name.cache_info().hits == len(SUPPORTED_LOCALES)
    assert language_name("km") == "ខ្មែរ" and language_name("zh_Hans") == "中文(简体)"
    assert language_name("th") == Locale.parse("th").get_display_name("th")


def _reading_length_definition(text: str) -> int:
    return len(text) + sum(1 for char in text if unicodedata.east_asian_width(char) in ("W", "F"))


@pytest.mark.parametrize("text", [
    "", "URGENT hiring in Bangkok, salary 1500 USD", "高薪招聘客服，包吃包住，月薪一万五",
    "日本語のテキストとカタカナ", "한국어 구인 광고 월급 300만원", "ＦＵＬＬ　ＷＩＤＴＨ１２３",
    "mixed 中文 and English ２ and ไทย and ខ្មែរ 🙂🙂", "\u200b\u00adसाथ काम करें", "ｱｲｳ half-width kana",
])
def test_reading_length_is_the_definition(text: str) -> None:
    assert reading_length(text) == _reading_length_definition(text)
    assert reading_length(text * 7) == _reading_length_definition(text * 7)


# The one pattern the offer step searched before `_names_an_agency`.
_AGENCY_WORDS_BEFORE = re.compile(
    r"agen[cst]|manpower|recruitment|ahensya|agensi|pjtki|p3mi|penyalur|môi giới|xuất khẩu lao động|"
    r"จัดหางาน|中介|劳务|勞務|ភ្នាក់ងារ|ຈັດຫາງານ|အေဂျင်စီ|에이전시|인력|एजेंसी", re.IGNORECASE)


def test_agency_words_found_as_by_the_one_pattern_before() -> None:
    """The words of scripts without case, matched as they are, and the others case-insensitive,
    find an agency word exactly where the one case-insensitive pattern did: every real ad as
    written, upper- and lower-cased, and words of every script in any case."""
    corpus = Path(__file__).resolve().parents[1] / "corpus" / "real"
    texts = [json.loads(line)["text"] for path in sorted(corpus.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    texts += ["Our AGENCY pays", "Agensi pekerjaan", "MANPOWER Co.", "Recruitment fee", "PJTKI resmi",
              "MÔI GIỚI việc làm", "Xuất Khẩu Lao Động", "บริษัทจัดหางาน", "劳务派遣", "勞務仲介",
              "ភ្នាក់ងារ", "ຈັດຫາງານ", "အေဂျင်စီ", "에이전시 인력", "एजेंसी", "an agenda", "no words here"]
    for text in texts:
        for variant in (text, text.upper(), text.lower()):
            assert _names_an_agency(variant) == bool(_AGENCY_WORDS_BEFORE.search(variant)), text[:60]
    # Case-insensitivity could only change a character with case: these have none.
    for char in set(AGENCY_WORDS_CASELESS.pattern) - {"|"}:
        assert char.lower() == char.upper() == char.casefold() == char, char
