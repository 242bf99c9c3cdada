"""The countries flows offer as buttons (onboarding, /help_now, /report) and their names."""

from __future__ import annotations

from babel import Locale

# Where people are recruited from and where the compounds are (shared/hotlines.md).
COUNTRIES = ("TH", "KH", "MM", "LA", "VN", "PH", "ID", "MY", "CN", "TW", "KR", "IN")


def country_name(code: str, locale: str) -> str:
    return Locale.parse(locale).territories.get(code, code)
