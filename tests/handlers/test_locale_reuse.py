"""Numbers, months and country names formatted with one `Locale` per locale (kept by the
translator, or per locale in `handlers.countries`) read exactly as with a fresh `Locale` each
time, as they were made before, in every supported locale."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from handlers.check_offer import _month
from handlers.countries import COUNTRIES, country_name
from locales.i18n import SUPPORTED_LOCALES, get_translator


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_numbers_months_and_countries_as_with_a_fresh_locale(locale: str) -> None:
    t = get_translator(locale)
    assert t.babel_locale is t.babel_locale  # parsed once
    ctx: Any = SimpleNamespace(t=t)
    for value in (0, 1, 2, 5, 21, 1234, 50_000, 1_234_567, 2.5):
        assert t.number(value) == format_decimal(value, locale=Locale.parse(locale))
    for year in (2024, 2026):
        for month in range(1, 13):
            when = datetime(year, month, 15, 12, tzinfo=UTC)
            assert _month(ctx, when) == format_date(when.date(), "LLLL y",
                                                     locale=Locale.parse(locale))
    assert t.date(date(2026, 3, 4)) == format_date(date(2026, 3, 4), format="medium",
                                                   locale=Locale.parse(locale))
    territories = Locale.parse(locale).territories
    for code in (*COUNTRIES, "US", "GB", "ZZ", "XX"):
        assert country_name(code, locale) == territories.get(code, code)
