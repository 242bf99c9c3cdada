"""The one i18n helper: gettext catalogs beside it in `locales/`, one `Translator` per locale.

The locale is chosen once per update (see `resolve_locale`) and the matching
`Translator` is passed down to handlers, as aiogram's i18n middleware does; there is
no process-global "current language", so concurrent updates never mix languages.

Messages use `str.format` placeholders (`{name}`), filled after translation.
Strings defined at import time are marked with `N_()` and translated where used.
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, cached_property, lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parent
DOMAIN = "messages"

# Order is the order shown by /language.
SUPPORTED_LOCALES: tuple[str, ...] = (
    "en", "zh_Hans", "zh_Hant", "vi", "th", "id", "ms", "tl", "km", "lo", "my", "ko", "hi",
)

# Telegram sends IETF tags ("zh-hans", "pt-br", "fil"); these need more than a split.
_TELEGRAM_ALIASES = {
    "zh": "zh_Hans", "zh-cn": "zh_Hans", "zh-sg": "zh_Hans", "zh-hans": "zh_Hans",
    "zh-tw": "zh_Hant", "zh-hk": "zh_Hant", "zh-mo": "zh_Hant", "zh-hant": "zh_Hant",
    "fil": "tl", "in": "id", "zsm": "ms", "bur": "my", "mya": "my", "khm": "km",
}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


class CatalogMissingError(RuntimeError):
    """A `.po` catalog exists without its compiled `.mo` (run the install command)."""


@dataclass(frozen=True)
class Translator:
    locale: str
    _translations: _gettext.NullTranslations

    def gettext(self, message: str, /, **params: object) -> str:
        text = self._translations.gettext(message)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=self.number(n), **params)

    def number(self, value: int | float) -> str:
        if type(value) is int:  # counts, limits, question numbers: a few values, formatted once
            return _whole_number(self.babel_locale, value)
        return format_decimal(value, locale=self.babel_locale)

    def date(self, value: date | datetime) -> str:
        if isinstance(value, datetime):
            return format_datetime(value, format="medium", locale=self.babel_locale)
        return format_date(value, format="medium", locale=self.babel_locale)

    @cached_property
    def babel_locale(self) -> Locale:
        # Once per translator (`get_translator` keeps one per locale): a new `Locale` loads its
        # CLDR data again at its first use, ~5-15 us of every number, date and plural line
        # (an offer's reply has several). A Locale is only read once loaded.
        return Locale.parse(self.locale)


@lru_cache(maxsize=4096)
def _whole_number(locale: Locale, value: int) -> str:
    """An integer in the locale's digits and grouping. Every plural line formats its count
    (babel: ~5-10 us a number); the counts shown repeat across replies."""
    return format_decimal(value, locale=locale)


@cache
def get_translator(locale: str) -> Translator:
    """The translator for a supported locale; unknown locales fall back to English source text."""
    if locale not in SUPPORTED_LOCALES or locale == "en":
        return Translator("en" if locale not in SUPPORTED_LOCALES else locale,
                          _gettext.NullTranslations())
    lc_dir = LOCALES_DIR / locale / "LC_MESSAGES"
    mo = lc_dir / f"{DOMAIN}.mo"
    if not mo.exists():
        if (lc_dir / f"{DOMAIN}.po").exists():
            raise CatalogMissingError(
                f"{mo} is missing: compile the catalogs with `pybabel compile -d locales`"
            )
        return Translator(locale, _gettext.NullTranslations())
    with mo.open("rb") as fp:
        return Translator(locale, _gettext.GNUTranslations(fp))


# Asked twice per update (`resolve_locale`: before the step and after it) for a person who has
# not chosen a language; Telegram sends a few dozen distinct codes, and one that is not a
# supported locale's was parsed by babel each time (~15-40 us).
@lru_cache(maxsize=512)
def normalise_locale(code: str | None) -> str | None:
    """Map a Telegram `language_code` (IETF tag) to a supported locale, or None."""
    if not code:
        return None
    tag = code.strip().lower().replace("_", "-")
    if tag in _TELEGRAM_ALIASES:
        return _TELEGRAM_ALIASES[tag]
    for known in SUPPORTED_LOCALES:
        if known.lower().replace("_", "-") == tag:
            return known
    try:
        parsed = Locale.parse(tag, sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        # A tag babel cannot read: the longest known tag it begins with (RFC 4647's lookup drops
        # subtags from the end). Telegram's apps name a community translation by its pack,
        # "zh-hans-raw", "zh-hant-beta", where the official ones send "zh-hans" or "ms".
        head, dash, _ = tag.rpartition("-")
        return normalise_locale(head) if dash else None
    if parsed.language == "zh":
        return "zh_Hant" if (parsed.script == "Hant" or parsed.territory in {"TW", "HK", "MO"}) \
            else "zh_Hans"
    language = _TELEGRAM_ALIASES.get(parsed.language, parsed.language)
    return language if language in SUPPORTED_LOCALES else None


def resolve_locale(*, chosen: str | None, telegram_code: str | None, default: str) -> str:
    """The locale for one update: the person's own choice, then Telegram's, then the default."""
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return normalise_locale(telegram_code) or default


@lru_cache(maxsize=64)  # asked for the 13 supported locales (every /start names one twice)
def language_name(locale: str) -> str:
    """A language's name in that language (ខ្មែរ, ไทย, 中文(简体)…) for the /language menu."""
    names = {"zh_Hans": "中文(简体)", "zh_Hant": "中文(繁體)", "tl": "Filipino", "lo": "ພາສາລາວ",
             "id": "Bahasa Indonesia", "ms": "Bahasa Melayu"}
    if locale in names:
        return names[locale]
    name = Locale.parse(locale).get_display_name(locale) or locale
    return name[:1].upper() + name[1:]
