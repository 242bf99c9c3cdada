"""The countries flows offer as buttons (onboarding, /help_now, /report) and their names."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

# Where people are recruited from and where the compounds are (shared/hotlines.md).
COUNTRIES = ("TH", "KH", "MM", "LA", "VN", "PH", "ID", "MY", "CN", "TW", "KR", "IN")


def country_name(code: str, locale: str) -> str:
    return _territories(locale).get(code, code)


@lru_cache(maxsize=32)  # called with a translator's locale: 13 of them
def _territories(locale: str) -> dict[str, str]:
    # Parsed once per locale: a new `Locale` loads its CLDR data again, and a country question
    # names a dozen countries (`COUNTRIES`), each through its own `Locale` before.
    return dict(Locale.parse(locale).territories)
