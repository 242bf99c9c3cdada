"""Read the pay a job offer promises, and judge it against the market.

`read_pay(text)` finds the amounts of money an offer states as pay, written the way
people write them in the 13 languages we speak: `1.200 USD`, `$1,200-1,800/month`,
`月薪2万5`, `월 350만 원`, `25-30tr`, `Rp 12 juta`, `เงินเดือน 3 หมื่น`, `50 हजार रुपये`,
`၃ သိန်းခွဲ`, digits of any script, ranges and "up to". Each amount comes with its
currency (ISO 4217, or "USDT"), its period (hour/day/week/month/year, None when
unstated), its monthly value in US dollars (rates in `data/currencies.json`) and its
span in the text.

`pay_assessment(pays, origin_countries=…, destination_countries=…)` compares the
highest plausible monthly pay with the entry-level wage of the country where the job
is (or, failing that, of the person's own country, at a higher ratio); the wages and
the ratios are data (`data/wages.json`), so they can be revised without code. Where the
offer names a sector of wages.json ("sectors": nurses) and every place it names has that
sector's cited range, pay within the range is what the sector pays there (`sectors_named`).

How an amount is recognised (on `textnorm.fold`ed text, so spans are the caller's):
1. a number: digits with thousands separators (`1,200`, `1.200`, `1 200`, Indian
   `1,50,000`), decimals (`1,5 juta`), or numerals (`两万`, `천만`, `สามหมื่น`), with
   magnitude words after it (`k`, `triệu`, `juta`, `lakh`, `万`, `만`, `หมื่น`, `ລ້ານ`,
   `លាន`, `သိန်း`, `हज़ार`…) and the colloquial tail (`2万5` = 25,000, `1tr2` =
   1,200,000, `သိန်းခွဲ` = and a half);
2. two numbers joined by a dash, tilde or "to" are a range; a magnitude or currency
   written once applies to both (`25-30tr`, `$1,000-1,500`);
3. it is money only with evidence: a currency next to it, a pay period, a pay or fee
   word just before it, or a magnitude word that only money takes (`triệu`, `juta`);
   and it is not money when it is a date, a time, a phone number, a year, an age, a
   height, a count of people, a percentage or part of an address or a handle;
4. an amount without a written currency takes the currency of the text's language
   (or country) that makes it a plausible wage: `lương 800` is dollars, `lương 8
   triệu` is dong.

Amounts that are fees (deposit, registration, "processing fee") are read by
`read_money` with `kind="fee"`; `read_pay` leaves them out.

Helpers for the caller: `origin_countries_for(language, country)`, `asks_for_experience(text)`
(skilled work is judged at a much higher ratio), and `assess_pay(text, …)`, which does
all of it in one call and reads places and experience only when there is pay to judge. The
places are `screening.places.countries_named`, the one reader of country names.

Speed: the words around numbers are found in one Aho-Corasick pass (`ahocorasick_rs`, as
in `screening.prefilter`) over the stretches of text around the numbers; every regex
starts with a plain character class so `re` skips the text between candidates in C; text
without any numeral is left at once. About 20 µs per corpus offer, 0.1 ms per 2 KB offer
with a few amounts, 0.4 ms for 2 KB packed with ~15 amounts (single core).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from screening import places
from screening.han_variants import SIMPLIFIED_ONLY, TRADITIONAL_ONLY
from screening.textnorm import COMBINING_CHARS as _COMBINING_CHARS
from screening.textnorm import LATIN_CHARS as _LATIN_CHARS
from screening.textnorm import fold
from screening.textnorm import longest_first_regex as _fallback_regex
from screening.textnorm import lower_aligned as _lowercase
from screening.textnorm import spelling_variants as _variants

ahocorasick_rs: Any
try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - a dependency; the regex fallback is slower, not wrong
    ahocorasick_rs = None

DATA_DIR = Path(__file__).resolve().parent / "data"
WAGES_PATH = DATA_DIR / "wages.json"
CURRENCIES_PATH = DATA_DIR / "currencies.json"
CLDR_WORDS_PATH = DATA_DIR / "cldr_money_words.json"

# Beyond this many characters text is not read (as screening.assess.MAX_MATCHED_CHARS): it
# bounds the time one message can cost.
MAX_CHARS = 20_000

Period = Literal["hour", "day", "week", "month", "year"]
Kind = Literal["pay", "fee"]
Basis = Literal["destination", "origin"]
PERIODS: tuple[Period, ...] = ("hour", "day", "week", "month", "year")


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PayAmount:
    amount: float  # the upper end of a range
    currency: str  # ISO 4217 code, or "USDT"
    period: Period | None  # None: not stated (a salary-sized amount is then taken as monthly)
    monthly_usd: float  # `amount` per month in US dollars (see `per_task`)
    span: tuple[int, int]  # start, end in the text given to `read_pay`
    minimum: float | None = None  # the lower end of a range
    up_to: bool = False  # "up to $1,500", "最高1500", "1500 डॉलर तक"
    currency_stated: bool = True  # False: the currency was inferred from the language
    per_task: bool = False  # per session/lesson/task: `monthly_usd` is one payment, not a month
    kind: Kind = "pay"
    text: str = ""  # the words of the amount as written, for explanations


@dataclass(frozen=True, slots=True)
class PayVerdict:
    far_above: bool
    monthly_usd: float  # the pay judged (the highest plausible monthly pay of the offer)
    reference_usd: float  # entry-level monthly wage of `country`
    ratio: float  # monthly_usd / reference_usd
    threshold: float  # the ratio from which pay counts as far above market
    country: str  # ISO alpha-2 of the reference wage
    basis: Basis  # where the job is, or (no known destination) the person's own country
    pay: PayAmount
    # For the explanation, also when the destination decided: the person's own market.
    origin_country: str | None = None
    origin_reference_usd: float | None = None
    origin_ratio: float | None = None
    # Judged where the job is (a destination with a wage row, not the person's own country) and
    # below `ordinary_ratio` of that market: what such work pays there, not a lure's promise.
    ordinary: bool = False
    # Every country named (other than the person's own) has a wage row, and the pay is below the
    # far-above line of the lowest-paid of them: lawful migration pays the wages of where the job
    # is, so pay the patterns call high (Rp 25 juta for a nurse in Germany) is that market's pay.
    # A compound country's market is low: a lure naming Cambodia beside Japan is not within.
    within_destinations: bool = False
    # The countries the offer names, other than the person's own (ISO alpha-2, first mention first).
    destinations_named: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------
# Data: exchange rates, wages, thresholds
# ---------------------------------------------------------------------------------------

class MoneyDataError(ValueError):
    """A data file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class WageRow:
    country: str
    currency: str
    reference_local: float
    reference_usd: float  # computed from the rates file, not copied from wages.json


@dataclass(frozen=True, slots=True)
class PayThresholds:
    destination_ratio: float
    origin_only_ratio: float
    skilled_ratio: float
    plausible_min_usd: float
    plausible_max_usd: float
    judged_periods: frozenset[Period | None]
    per_month: Mapping[str, float]
    # Below this ratio of the destination's entry-level wage, pay is ordinary there
    # (PayVerdict.ordinary); None: never.
    ordinary_ratio: float | None = None


@dataclass(frozen=True, slots=True)
class Sector:
    """Lawful migrant work whose pay where the job is rises above that country's entry-level
    reference (wages.json "sectors"): the words that name it and, per destination, the cited
    upper monthly pay in US dollars."""
    name: str
    words: re.Pattern[str]  # matched on `_lowercase(fold(text))`
    max_usd: Mapping[str, float]
    # The countries the sector's workers are recruited from: named beside a destination with a row
    # (an English notice for "nurses from the Philippines" in Saudi Arabia), they are not the job's place.
    sent_from: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class MoneyTables:
    rates: Mapping[str, float]  # units of currency per 1 USD
    wages: Mapping[str, WageRow]
    thresholds: PayThresholds
    origin_by_language: Mapping[str, tuple[str, ...]]
    sectors: tuple[Sector, ...] = ()


def _positive(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise MoneyDataError(f"{where}: must be a positive number, got {value!r}")
    return float(value)


def parse_tables(wages: Mapping[str, Any], currencies: Mapping[str, Any]) -> MoneyTables:
    """Validate the two documents (parsed JSON) and derive the USD reference wages."""
    raw_rates = currencies.get("rates")
    if not isinstance(raw_rates, Mapping) or not raw_rates:
        raise MoneyDataError("currencies.json: 'rates' must be a non-empty object")
    rates: dict[str, float] = {}
    for code, entry in raw_rates.items():
        if not isinstance(entry, Mapping) or not re.fullmatch(r"[A-Z]{3,4}", str(code)):
            raise MoneyDataError(f"currencies.json: bad rate entry {code!r}")
        rates[str(code)] = _positive(entry.get("per_usd"), f"currencies.json rates.{code}.per_usd")
    raw_thresholds = wages.get("thresholds")
    if not isinstance(raw_thresholds, Mapping):
        raise MoneyDataError("wages.json: 'thresholds' must be an object")
    try:
        plausible = raw_thresholds["plausible_monthly_usd"]
        periods = raw_thresholds["judged_periods"]
        per_month = raw_thresholds["per_month"]
    except KeyError as error:
        raise MoneyDataError(f"wages.json thresholds: missing {error}") from None
    if not isinstance(periods, list) or any(p is not None and p not in PERIODS for p in periods):
        raise MoneyDataError("wages.json thresholds.judged_periods: periods or null")
    if not isinstance(per_month, Mapping) or set(per_month) != set(PERIODS):
        raise MoneyDataError("wages.json thresholds.per_month: one factor per period")
    thresholds = PayThresholds(
        destination_ratio=_positive(raw_thresholds.get("destination_ratio"), "destination_ratio"),
        origin_only_ratio=_positive(raw_thresholds.get("origin_only_ratio"), "origin_only_ratio"),
        skilled_ratio=_positive(raw_thresholds.get("skilled_ratio"), "skilled_ratio"),
        plausible_min_usd=_positive(plausible.get("min"), "plausible_monthly_usd.min"),
        plausible_max_usd=_positive(plausible.get("max"), "plausible_monthly_usd.max"),
        judged_periods=frozenset(periods),
        per_month={str(k): _positive(v, f"per_month.{k}") for k, v in per_month.items()},
        ordinary_ratio=(_positive(raw_thresholds["ordinary_ratio"], "ordinary_ratio")
                        if "ordinary_ratio" in raw_thresholds else None),
    )
    raw_countries = wages.get("countries")
    if not isinstance(raw_countries, Mapping) or not raw_countries:
        raise MoneyDataError("wages.json: 'countries' must be a non-empty object")
    rows: dict[str, WageRow] = {}
    for country, entry in raw_countries.items():
        where = f"wages.json countries.{country}"
        if not isinstance(entry, Mapping) or not re.fullmatch(r"[A-Z]{2}", str(country)):
            raise MoneyDataError(f"{where}: bad entry")
        currency = entry.get("currency")
        _require_rate_and_sources(entry, rates, where, "wage")
        local = _positive(entry.get("reference_monthly_local"), f"{where}.reference_monthly_local")
        rows[str(country)] = WageRow(str(country), str(currency), local, local / rates[str(currency)])
    raw_languages = wages.get("origin_countries_by_language", {})
    if not isinstance(raw_languages, Mapping):
        raise MoneyDataError("wages.json: 'origin_countries_by_language' must be an object")
    origin_by_language = {str(k): tuple(str(c) for c in v) for k, v in raw_languages.items()}
    return MoneyTables(rates=rates, wages=rows, thresholds=thresholds,
                       origin_by_language=origin_by_language,
                       sectors=_parse_sectors(wages.get("sectors", {}), rates))


def _require_rate_and_sources(entry: Mapping[str, Any], rates: Mapping[str, float], where: str,
                              what: str) -> None:
    """A wages.json figure must be in a currency currencies.json converts, and cite its sources."""
    if entry.get("currency") not in rates:
        raise MoneyDataError(f"{where}: currency {entry.get('currency')!r} has no rate in currencies.json")
    sources = entry.get("sources")
    if not isinstance(sources, list) or not sources or not all(
            isinstance(s, Mapping) and s.get("url") and s.get("title") for s in sources):
        raise MoneyDataError(f"{where}: every {what} must cite sources (title and url)")


def _parse_sectors(raw: Any, rates: Mapping[str, float]) -> tuple[Sector, ...]:
    """wages.json "sectors": per sector its words and, per country, the cited monthly range."""
    if not isinstance(raw, Mapping):
        raise MoneyDataError("wages.json: 'sectors' must be an object")
    sectors = []
    for name, entry in raw.items():
        if name == "why":
            continue
        where = f"wages.json sectors.{name}"
        words = entry.get("words") if isinstance(entry, Mapping) else None
        countries = entry.get("countries") if isinstance(entry, Mapping) else None
        if not (isinstance(words, list) and words and all(isinstance(w, str) and w for w in words)):
            raise MoneyDataError(f"{where}: 'words' must be a non-empty list of words")
        if not isinstance(countries, Mapping) or not countries:
            raise MoneyDataError(f"{where}: 'countries' must be a non-empty object")
        max_usd: dict[str, float] = {}
        for country, row in countries.items():
            at = f"{where}.countries.{country}"
            if not isinstance(row, Mapping) or not re.fullmatch(r"[A-Z]{2}", str(country)):
                raise MoneyDataError(f"{at}: bad entry")
            _require_rate_and_sources(row, rates, at, "figure")
            low = _positive(row.get("monthly_local_min"), f"{at}.monthly_local_min")
            high = _positive(row.get("monthly_local_max"), f"{at}.monthly_local_max")
            if high < low:
                raise MoneyDataError(f"{at}: monthly_local_max is below monthly_local_min")
            max_usd[str(country)] = high / rates[str(row["currency"])]
        # Whole words: a Latin word not inside a longer one ("perawatan", "nursery"); the others as written.
        pattern = "|".join(
            f"{_NOT_LETTER_BEFORE}{re.escape(_lowercase(fold(w)))}{_NOT_LETTER_AFTER}"
            if _LATIN_LETTER_RE.search(w) else re.escape(_lowercase(fold(w)))
            for w in sorted(words, key=len, reverse=True))
        sent_from = entry.get("sent_from", [])
        if not isinstance(sent_from, list) or not all(re.fullmatch(r"[A-Z]{2}", str(c)) for c in sent_from):
            raise MoneyDataError(f"{where}: 'sent_from' must be a list of country codes")
        sectors.append(Sector(str(name), re.compile(pattern), max_usd, frozenset(map(str, sent_from))))
    return tuple(sectors)


def sectors_named(text: str, tables: MoneyTables | None = None) -> tuple[str, ...]:
    """The sectors of wages.json an offer names ("nurses for Saudi Arabia": nursing)."""
    tables = tables if tables is not None else default_tables()
    return _sectors_in(_lowercase(fold(text)), tables)


def _sectors_in(lowered: str, tables: MoneyTables) -> tuple[str, ...]:
    return tuple(sector.name for sector in tables.sectors if sector.words.search(lowered))


def load_tables(wages_path: Path = WAGES_PATH, currencies_path: Path = CURRENCIES_PATH) -> MoneyTables:
    try:
        wages = json.loads(wages_path.read_text(encoding="utf-8"))
        currencies = json.loads(currencies_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise MoneyDataError(f"not valid JSON: {error}") from None
    return parse_tables(wages, currencies)


@cache
def default_tables() -> MoneyTables:
    """The shipped tables, loaded on first use and kept for the life of the process."""
    return load_tables()


# ---------------------------------------------------------------------------------------
# Vocabulary helpers
# ---------------------------------------------------------------------------------------

# Latin letters, accented ones included (Vietnamese lives in Latin Extended Additional);
# other scripts must not count, or Thai words would get word boundaries they never have.
_LATIN_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_LETTER_RE = re.compile(f"[{_LATIN_LETTER}]", re.IGNORECASE)
_NOT_LETTER_AFTER = f"(?![{_LATIN_LETTER}])"
_NOT_LETTER_BEFORE = f"(?<![{_LATIN_LETTER}])"

# Vowel signs and tone marks of Thai, Lao, Khmer, Myanmar and Devanagari: a word of these
# scripts followed by one is the start of a longer word (Lao ປີ "year" in ປີ້ "ticket").
_COMBINING_AFTER = ("(?![\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd\u17b6-\u17d3"
                    "\u102b-\u103e\u0900-\u0903\u093a-\u094f\u0962\u0963])")
_COMBINING_SCRIPTS_RE = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f\u0900-\u097f]")


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so that 'us dollars' wins over 'us' and '美元' over '元'.

    Words needing the same boundary checks share one pair of classes: a class per word
    would cost `re` a second to compile at import.
    """
    groups: dict[tuple[bool, bool, bool], list[str]] = {}
    for spelled in sorted({v for word in words for v in _variants(word)}, key=lambda w: (-len(w), w)):
        key = (bool(_LATIN_LETTER_RE.match(spelled[0])), bool(_LATIN_LETTER_RE.match(spelled[-1])),
               bool(_COMBINING_SCRIPTS_RE.match(spelled[-1])))
        groups.setdefault(key, []).append(re.escape(spelled).replace(r"\ ", r"\s?"))
    patterns = []
    for (latin_start, latin_end, guard_end), escaped in groups.items():
        pattern = "(?:" + "|".join(escaped) + ")"
        if latin_start:
            pattern = _NOT_LETTER_BEFORE + pattern
        if latin_end:
            pattern += _NOT_LETTER_AFTER
        elif guard_end:
            pattern += _COMBINING_AFTER
        patterns.append(pattern)
    return "|".join(patterns)


def _key(text: str) -> str:
    """Lookup key of a matched word: case-folded, without spaces ("thai lan" = "thailan")."""
    return "".join(text.split()).casefold()


def _lookup_table(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Every spelling variant of every key, as `_key`, mapped to the key's value."""
    table: dict[str, Any] = {}
    for word, value in mapping.items():
        for variant in _variants(word):
            table[_key(variant)] = value
    return table


# ---------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------

_HAN_COEFFICIENTS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
                     "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3,
                     "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9,
                     "幾": 0, "几": 0,  # 十幾萬 "ten-odd ten-thousands": read as 100,000
                     "数": 2, "數": 2}  # 数万 "several ten-thousands": the least it can mean, 20,000
_HAN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1e3, "仟": 1e3, "万": 1e4, "萬": 1e4,
              "亿": 1e8, "億": 1e8}
_HANGUL_COEFFICIENTS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9,
                        "수": 2,  # 수천만 원 "several ten-millions of won": at least 20 million
                        "몇": 2}  # 몇백만 원 "some millions of won": the same least
_HANGUL_UNITS = {"십": 10, "백": 100, "천": 1e3, "만": 1e4, "억": 1e8}
_THAI_COEFFICIENTS = {"หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6,
                      "เจ็ด": 7, "แปด": 8, "เก้า": 9,
                      "หลาย": 2}  # หลายหมื่น "several ten-thousands": at least 20,000
_THAI_UNITS = {"สิบ": 10, "ร้อย": 100, "พัน": 1e3, "หมื่น": 1e4, "แสน": 1e5, "ล้าน": 1e6, "พันล้าน": 1e9}
_LAO_COEFFICIENTS = {"ໜຶ່ງ": 1, "ສອງ": 2, "ສາມ": 3, "ສີ່": 4, "ຫ້າ": 5, "ຫົກ": 6, "ເຈັດ": 7, "ແປດ": 8,
                     "ເກົ້າ": 9, "ຊາວ": 20}
_LAO_UNITS = {"ສິບ": 10, "ຮ້ອຍ": 100, "ພັນ": 1e3, "ໝື່ນ": 1e4, "ແສນ": 1e5, "ລ້ານ": 1e6, "ຕື້": 1e9}
_KHMER_UNITS = {"រយ": 100, "ពាន់": 1e3, "ម៉ឺន": 1e4, "សែន": 1e5, "លាន": 1e6, "ប៊ីលាន": 1e9}
# Khmer and Burmese cardinals as CLDR's spell-out rules write them (unicode-org/cldr common/rbnf/km.xml,
# my.xml): ប្រាំពាន់ដុល្លារ "five thousand dollars", ငါးသိန်း "five lakh (kyat)".
_KHMER_COEFFICIENTS = {"មួយ": 1, "ពីរ": 2, "បី": 3, "បួន": 4, "ប្រាំ": 5, "ប្រាំមួយ": 6, "ប្រាំពីរ": 7,
                       "ប្រាំបី": 8, "ប្រាំបួន": 9, "ដប់": 10, "ម្ភៃ": 20, "សាមសិប": 30, "សែសិប": 40,
                       "ហាសិប": 50, "ហុកសិប": 60, "ចិតសិប": 70, "ប៉ែតសិប": 80, "កៅសិប": 90}
_MYANMAR_UNITS = {"ထောင်": 1e3, "သောင်း": 1e4, "သိန်း": 1e5, "သန်း": 1e6, "ကုဋေ": 1e7}
_MYANMAR_COEFFICIENTS = {"တစ်": 1, "နှစ်": 2, "သုံး": 3, "လေး": 4, "ငါး": 5, "ခြောက်": 6, "ခုနှစ်": 7,
                         "ရှစ်": 8, "ကိုး": 9, "ဆယ်": 10}
_HINDI_UNITS = {"सौ": 100, "हज़ार": 1e3, "हजार": 1e3, "लाख": 1e5, "करोड़": 1e7, "करोड": 1e7,
                "अरब": 1e9}
_HINDI_COEFFICIENTS = {"डेढ़": 1.5, "डेढ": 1.5, "ढाई": 2.5, "सवा": 1.25}
# Cardinal words as Hindi news and chats write pay ("चार लाख रुपये", "पचास हजार"): read only
# before a unit word, like the coefficients above, and never inside a longer word. 1 to 99 as CLDR's
# Hindi spell-out rules write them (unicode-org/cldr common/rbnf/hi.xml), and the spellings पांच, छः,
# पंद्रह people also type.
_HINDI_CARDINALS: dict[str, float] = {"एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पाँच": 5, "छह": 6, "सात": 7,
    "आठ": 8, "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12, "तेरह": 13, "चौदह": 14, "पन्द्रह": 15,
    "सोलह": 16, "सत्रह": 17, "अठारह": 18, "उन्नीस": 19, "बीस": 20, "इक्कीस": 21, "बाईस": 22, "तेईस": 23,
    "चौबीस": 24, "पच्चीस": 25, "छब्बीस": 26, "सत्ताईस": 27, "अट्ठाईस": 28, "उनतीस": 29, "तीस": 30,
    "इकतीस": 31, "बत्तीस": 32, "तैंतीस": 33, "चौंतीस": 34, "पैंतीस": 35, "छत्तीस": 36, "सैंतीस": 37,
    "अड़तीस": 38, "उनतालीस": 39, "चालीस": 40, "इकतालीस": 41, "बयालीस": 42, "तैंतालीस": 43, "चौवालीस": 44,
    "पैंतालीस": 45, "छियालीस": 46, "सैंतालीस": 47, "अड़तालीस": 48, "उनचास": 49, "पचास": 50, "इक्यावन": 51,
    "बावन": 52, "तिरेपन": 53, "चौवन": 54, "पचपन": 55, "छप्पन": 56, "सत्तावन": 57, "अट्ठावन": 58,
    "उनसठ": 59, "साठ": 60, "इकसठ": 61, "बासठ": 62, "तिरेसठ": 63, "चौंसठ": 64, "पैंसठ": 65, "छियासठ": 66,
    "सड़सठ": 67, "अड़सठ": 68, "उनहत्तर": 69, "सत्तर": 70, "इकहत्तर": 71, "बहत्तर": 72, "तिहत्तर": 73,
    "चौहत्तर": 74, "पचहत्तर": 75, "छिहत्तर": 76, "सतहत्तर": 77, "अठहत्तर": 78, "उनासी": 79, "अस्सी": 80,
    "इक्यासी": 81, "बयासी": 82, "तिरासी": 83, "चौरासी": 84, "पचासी": 85, "छियासी": 86, "सत्तासी": 87,
    "अट्ठासी": 88, "नवासी": 89, "नब्बे": 90, "इक्यानबे": 91, "बानबे": 92, "तिरानबे": 93, "चौरानबे": 94,
    "पंचानबे": 95, "छियानबे": 96, "सत्तानबे": 97, "अट्ठानबे": 98, "निन्यानबे": 99, "पांच": 5, "छः": 6,
    "पंद्रह": 15}
# "साढ़े चार लाख" is four and a half lakh: a half of the unit, as "8 triệu rưỡi" is.
_HINDI_HALF = ("साढ़े", "साढे")
_LATIN_UNITS = {"k": 1e3, "rb": 1e3, "ribu": 1e3, "rebu": 1e3, "nghìn": 1e3, "ngàn": 1e3, "nghin": 1e3,
                "ngan": 1e3, "thousand": 1e3, "libo": 1e3, "libong": 1e3, "hazar": 1e3, "hazaar": 1e3,
                "hajar": 1e3, "jt": 1e6, "jta": 1e6, "juta": 1e6, "tr": 1e6, "triệu": 1e6,
                "trieu": 1e6, "củ": 1e6, "million": 1e6, "millions": 1e6, "mil": 1e6, "mio": 1e6,
                "mn": 1e6, "milyon": 1e6, "tỷ": 1e9, "tỉ": 1e9, "billion": 1e9, "bn": 1e9,
                "bilion": 1e9, "bilyon": 1e9, "na libo": 1e3, "na milyon": 1e6, "na bilyon": 1e9,
                "miliar": 1e9, "milyar": 1e9, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5,
                "lpa": 1e5, "crore": 1e7, "crores": 1e7, "cr": 1e7,
                "w": 1e4}  # Chinese chat: 2w = 2万 (accepted only in text with Han characters)
_HALF_WORDS = {"rưỡi": 0.5, "ruoi": 0.5, "ခွဲ": 0.5, "ครึ่ง": 0.5, "साढ़े": 0.5, "साढे": 0.5}
# A number with one of these units is money even with nothing else around it: nobody
# writes "25 triệu" or "12 juta" or "3 lakh" about anything but money (counts of people
# are caught by the words that follow them).
_MONEY_UNITS = frozenset({"triệu", "trieu", "tr", "củ", "juta", "jt", "jta", "ribu", "rb", "rebu",
                          "lakh", "lakhs", "lac", "lacs", "lpa", "crore", "crores", "लाख", "करोड़",
                          "करोड", "သိန်း", "nghìn", "ngàn"})


def _is_big(word: str, multiplier: float) -> bool:
    """万/萬/만/w and 亿/億/억 and the million-class words multiply the whole running group."""
    return multiplier >= 1e6 or word in {"万", "萬", "만", "w"}


_UNIT_TABLE: dict[str, float] = _lookup_table({**_HAN_UNITS, **_HANGUL_UNITS, **_THAI_UNITS, **_LAO_UNITS,
                                               **_KHMER_UNITS, **_MYANMAR_UNITS, **_HINDI_UNITS,
                                               **_LATIN_UNITS})
_COEFFICIENT_TABLE: dict[str, float] = _lookup_table({**_HAN_COEFFICIENTS, **_HANGUL_COEFFICIENTS,
                                                      **_THAI_COEFFICIENTS, **_LAO_COEFFICIENTS,
                                                      **_HINDI_COEFFICIENTS, **_HINDI_CARDINALS,
                                                      **_KHMER_COEFFICIENTS, **_MYANMAR_COEFFICIENTS})
_MONEY_UNIT_KEYS = frozenset(_key(v) for w in _MONEY_UNITS for v in _variants(w))

_HAN_COEF_CLASS = "".join(_HAN_COEFFICIENTS)
_HAN_UNIT_CLASS = "".join(_HAN_UNITS)
_HANGUL_COEF_CLASS = "".join(_HANGUL_COEFFICIENTS)
_THAI_COEF_ALT = _alternation(_THAI_COEFFICIENTS)
_LAO_COEF_ALT = _alternation(_LAO_COEFFICIENTS)

# Each kind of number has its own regex starting with a plain character class, so that
# `re` skips the text between candidates in C instead of trying a big alternation at
# every position; the rarer kinds run only when a quick search says the text has them.
_DIGITS_RE = re.compile(  # ASCII digits (the text is folded) and a plain first class: fast to scan
    r"[0-9](?:[0-9]?(?:,[0-9]{2})+,[0-9]{3}(?![0-9])"  # Indian grouping: 1,50,000
    r"|[0-9]{0,2}(?P<g>[,.' ])[0-9]{3}(?:(?P=g)[0-9]{3})*(?:[.,][0-9]{1,2}(?![0-9]))?(?![0-9])"  # 1,200
    r"|[0-9]*(?:[.,][0-9]+)?)"  # 1500, 1,5, 2.5
)
# With a unit in it: 一 in 一个 or 二 in 二人 are words, not amounts.
_HAN_NUMBER_RE = re.compile(f"[{_HAN_COEF_CLASS}]*[{_HAN_UNIT_CLASS}][{_HAN_COEF_CLASS}{_HAN_UNIT_CLASS}]*")
# Hangul numerals are ordinary syllables (이 "this", 사 "company", 일 "work"), so they count
# only as a whole with a unit, followed by a currency and not inside a word: 천만원, 오백만 원.
_HANGUL_NUMBER_RE = re.compile(f"[{_HANGUL_COEF_CLASS}]*[십백천만억][{_HANGUL_COEF_CLASS}십백천만억]*"
                               r"(?=\s?(?:원|달러|불|동|위안|엔|바트|페소|링깃))")
# A Thai or Lao unit also stands alone for one of it ("เงินเดือนแสนห้า" 150,000, "เดือนละแสน"), and "หลัก"
# ("digit place") before it says the amount is of that order ("รายได้หลักแสน", in the hundred
# thousands: read as the least it can mean, one of the unit). Read alone only after a space or the
# words that put money or a digit place before it (money, place, per, month, get, over, up to,
# reach), and never before another Thai word: "แสน" is also "very" (แสนดี, แสนสบาย), "ล้าน" begins
# ล้านนา. Sources: Royal Institute Dictionary (พจนานุกรม ฉบับราชบัณฑิตยสถาน) entries แสน, หลัก; Lao:
# Kerr, Lao-English Dictionary (ແສນ, ຫຼັກ).
_THAI_NUMBER_RE = re.compile(
    rf"(?:{_THAI_COEF_ALT}|ยี่สิบ|สิบ)(?:(?:{_THAI_COEF_ALT})?(?:{_alternation(_THAI_UNITS)}))+"
    rf"(?:{_THAI_COEF_ALT}|ครึ่ง)?")
_LAO_NUMBER_RE = re.compile(
    rf"(?:{_LAO_COEF_ALT}|ສິບ)(?:(?:{_LAO_COEF_ALT})?(?:{_alternation(_LAO_UNITS)}))+(?:{_LAO_COEF_ALT})?")
# The unit first (a plain class `re` scans for in C); the words before it are checked after a match.
_THAI_BARE_RE = re.compile(
    rf"(?:แสน|หมื่น|ล้าน)(?:{_THAI_COEF_ALT}|ครึ่ง)?(?=$|[^\u0e00-\u0e7f]|บาท|ต่อ|กว่า|ขึ้น|บวก|ถึง)")
_LAO_BARE_RE = re.compile(
    rf"(?:ແສນ|ໝື່ນ|ຫມື່ນ|ລ້ານ)(?:{_LAO_COEF_ALT})?(?=$|[^\u0e80-\u0eff]|ກີບ|ຕໍ່|ກວ່າ|ຂຶ້ນ)")
_BARE_UNIT_AFTER = tuple(v for w in ("หลัก", "เงิน", "ละ", "เดือน", "ได้", "เกิน", "ถึง", "ทะลุ", "ຫຼັກ", "ຫລັກ",
                                     "ເງິນ", "ລະ", "ເດືອນ", "ໄດ້") for v in _variants(w))
# A unit alone before a currency: ពាន់ដុល្លារ "a thousand dollars".
_KHMER_BARE_RE = re.compile("(?:ពាន់|ម៉ឺន|សែន|លាន)(?=\\s?(?:ដុល្លារ|រៀល|បាត))")
# A Hindi number word before a unit, found from the unit back (the unit, a few words, is a cheap scan;
# the hundred cardinals tried at every position of a text are not).
_HINDI_BEFORE_UNIT_RE = re.compile(
    rf"(?<![\u0900-\u097f])(?:(?:{_alternation(_HINDI_HALF)})\s?)?"
    rf"(?:{_alternation({**_HINDI_COEFFICIENTS, **_HINDI_CARDINALS})}|[0-9]+(?:[.,][0-9]+)?)(?=\s?$)")


class _BeforeUnit:
    """`finditer` of the words `before` matches just before each unit `units` finds (as a regex's)."""

    def __init__(self, units: re.Pattern[str], before: re.Pattern[str], reach: int) -> None:
        self.units, self.before, self.reach = units, before, reach

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        for match, _, _ in self.matches(text):
            yield match

    def matches(self, text: str) -> Iterator[tuple[re.Match[str], int, str]]:
        """The words before each unit, with the unit's end and words."""
        for unit in self.units.finditer(text):
            match = self.before.search(text, max(0, unit.start() - self.reach), unit.start())
            if match is not None:
                yield match, unit.end(), unit.group()


_HINDI_NUMBER_RE = _BeforeUnit(re.compile(_alternation(_HINDI_UNITS)), _HINDI_BEFORE_UNIT_RE, 24)
# Khmer and Burmese cardinals the same way: the words just before a unit (the unit and what follows it
# are read as a digit's are, by `_chain_at`).
_KHMER_NUMBER_RE = _BeforeUnit(re.compile(_alternation(_KHMER_UNITS)),
                               re.compile(f"(?:{_alternation(_KHMER_COEFFICIENTS)}){{1,2}}$"), 24)
_MYANMAR_NUMBER_RE = _BeforeUnit(re.compile(_alternation(_MYANMAR_UNITS)),
                                 re.compile(f"(?:{_alternation(_MYANMAR_COEFFICIENTS)})$"), 12)
# "Several" of a unit, as lures write the pay they will not pin down ("thu nhập hàng trăm triệu",
# "gaji puluhan juta"; the Han, Hangul and Thai "several" are coefficients above: 数万, 수천만 원,
# หลายหมื่น): read as the least the words can mean, two of the unit ("hàng trăm" two hundred).
_SEVERAL_WORDS = {"hàng chục": 20, "hàng trăm": 200, "vài chục": 20, "vài trăm": 200, "mấy chục": 20,
                  "mấy trăm": 200, "vài": 2, "mấy": 2, "puluhan": 20, "ratusan": 200,
                  "belasan": 11,  # "gaji belasan juta": in the teens of millions, eleven at least
                  # "kiếm tiền triệu mỗi ngày": sums in the millions (Từ điển tiếng Việt, Hoàng Phê:
                  # "bạc triệu", "tiền triệu"), one million at least
                  "tiền": 1, "bạc": 1}
# Not "hàng" alone: "giao hàng triệu đơn" is millions of orders.
_SEVERAL_UNITS = {"triệu": 1e6, "trieu": 1e6, "tỷ": 1e9, "tỉ": 1e9, "nghìn": 1e3, "ngàn": 1e3,
                  "juta": 1e6, "jt": 1e6, "ribu": 1e3, "rb": 1e3}
_SEVERAL_KEYS = tuple({v for w in _SEVERAL_UNITS for v in _variants(w)})
# Found from the unit back (`_BeforeUnit`): the "several" words tried at every position cost more.
_SEVERAL_RE = _BeforeUnit(re.compile(_alternation(_SEVERAL_UNITS), re.IGNORECASE),
                          re.compile(rf"(?P<several>{_alternation(_SEVERAL_WORDS)})\s$", re.IGNORECASE), 14)
_SEVERAL_TABLE = _lookup_table(_SEVERAL_WORDS)
_SEVERAL_UNIT_TABLE = _lookup_table(_SEVERAL_UNITS)
# Run a word-number scan only if the text holds one of these (plain `in` tests are cheaper
# than a regex search over the whole text).
# (Khmer and Burmese: one search for either script in the text's first 600 characters first, as
# few texts hold them, and those that do from the start: as `_guess_locale` reads a text's script.)
_KHMER_MYANMAR_RE = re.compile("[\u1000-\u109f\u1780-\u17ff]")
_WORD_NUMBER_SCANS: tuple[tuple[tuple[str, ...] | re.Pattern[str], tuple[re.Pattern[str] | _BeforeUnit, ...]],
                          ...] = (
    (tuple(_HAN_UNIT_CLASS), (_HAN_NUMBER_RE,)),
    (("만", "억", "천", "백", "십"), (_HANGUL_NUMBER_RE,)),
    (tuple(_THAI_UNITS), (_THAI_NUMBER_RE, _THAI_BARE_RE)),
    (tuple(v for w in _LAO_UNITS for v in _variants(w)), (_LAO_NUMBER_RE, _LAO_BARE_RE)),
    (tuple(v for w in _HINDI_UNITS for v in _variants(w)), (_HINDI_NUMBER_RE,)),
    (_KHMER_MYANMAR_RE, (_KHMER_NUMBER_RE, _KHMER_BARE_RE, _MYANMAR_NUMBER_RE)),
)

_SPACED_UNITS = {**_THAI_UNITS, **_LAO_UNITS, **_KHMER_UNITS, **_MYANMAR_UNITS, **_HINDI_UNITS,
                 **_LATIN_UNITS}
_UNIT = rf"(?:\s?(?:{_alternation(_SPACED_UNITS)})|[{_HAN_UNIT_CLASS}]|[십백천만억])"
_COEFFICIENT = (rf"(?:\d+(?:[.,]\d+)?|[{_HAN_COEF_CLASS}]|[{_HANGUL_COEF_CLASS}]|{_THAI_COEF_ALT}"
                rf"|{_LAO_COEF_ALT})")
# The colloquial tail written straight after a unit: 2万5, 1tr2, หมื่นห้า, 8 triệu rưỡi.
_TAIL = (rf"(?:\d{{1,6}}(?![\d.,]?\d)|[{_HAN_COEF_CLASS}]|[{_HANGUL_COEF_CLASS}]|{_THAI_COEF_ALT}"
         rf"|{_LAO_COEF_ALT}|\s?(?:{_alternation(_HALF_WORDS)}))")
# Han and Hangul units also follow one another with no coefficient between: 6백만 (6 x 100 x 10,000),
# 3百万, 1억 2천만; `_evaluate` reads such runs positionally.
_UNIT_RUN = rf"{_UNIT}(?:[{_HAN_UNIT_CLASS}십백천만억])*"
_CHAIN_RE = re.compile(rf"{_UNIT_RUN}(?:\s?{_COEFFICIENT}\s?{_UNIT_RUN})*(?:{_TAIL})?", re.IGNORECASE)
# The chain regex is tried only where a unit can start: the first letters of all units.
_UNIT_FIRST_CHARS = frozenset(char for word in _UNIT_TABLE for char in {word[0], word[0].upper()}) | \
    set(_HAN_UNIT_CLASS) | set("십백천만억")
_UNITS_BY_FIRST_CHAR: dict[str, tuple[str, ...]] = {}
_ALL_UNIT_WORDS = {v.lower() for w in {**_UNIT_TABLE, **_SPACED_UNITS} for v in _variants(w)}
for _unit in _ALL_UNIT_WORDS | set(_HAN_UNIT_CLASS) | set("십백천만억"):
    _UNITS_BY_FIRST_CHAR[_unit[0]] = (*_UNITS_BY_FIRST_CHAR.get(_unit[0], ()), _unit)
_CHAIN_TOKEN_RE = re.compile(
    rf"(?P<num>\d+(?:[.,]\d+)?)|(?P<half>{_alternation(_HALF_WORDS)})"
    rf"|(?P<word>{_alternation({**_UNIT_TABLE, **_COEFFICIENT_TABLE})})|\s+",
    re.IGNORECASE,
)
# Without the Devanagari, Khmer and Burmese cardinals (a third of the words, which `re` tries one by one
# at each position), for the runs of the other scripts.
_NARROW_TOKEN_WORDS = {**_UNIT_TABLE, **_HAN_COEFFICIENTS, **_HANGUL_COEFFICIENTS, **_THAI_COEFFICIENTS,
                       **_LAO_COEFFICIENTS}
_CHAIN_TOKEN_NARROW_RE = re.compile(
    rf"(?P<num>\d+(?:[.,]\d+)?)|(?P<half>{_alternation(_HALF_WORDS)})"
    rf"|(?P<word>{_alternation(_NARROW_TOKEN_WORDS)})|\s+",
    re.IGNORECASE,
)
_WIDE_TOKEN_SCRIPTS_RE = re.compile("[\u0900-\u097f\u1000-\u109f\u1780-\u17ff]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(slots=True)
class _Number:
    start: int
    end: int
    value: float
    scale: float | None  # multiplier of the first unit word (applies to a range's lower end)
    money_unit: bool  # a unit only money takes (triệu, juta, lakh)
    plain_digits: str  # the integer digits when written as bare digits, else ""
    grouped: bool  # written with thousands separators
    decimal: bool
    annual_unit: bool  # "LPA": lakh per annum
    needs_han: bool  # the "w" unit, valid only in Chinese text
    space_grouped: bool
    units: tuple[str, ...] = ()


# Amounts written in Latin-script number words: "hai mươi triệu", "dua puluh lima juta", "sampung libo",
# "limampung libong piso", "two thousand dollars", "ek lakh", "pachas hazaar". The words and their
# grammar are CLDR's spell-out rules (unicode-org/cldr common/rbnf/vi.xml, id.xml, ms.xml, fil.xml,
# en.xml), with the unaccented Vietnamese people type, Tagalog's fused tens and linkers (-ng, na: KWF
# Ortograpiyang Pambansa 2013, "Mga Pamilang") and Hindi numerals as written in Latin letters
# (romanised from CLDR hi.xml as Indian job posts spell them). Kinds: "n" adds its value; "tens"
# multiplies the value so far by ten (mươi, chục, puluh; alone it is ten: mười, chục triệu); "teen"
# adds ten (dua belas = 12); "hundred" closes a hundreds group (hai trăm, seratus, limang daan);
# "unit" is a magnitude (nghìn, juta, libo, thousand, lakh). A number is read only when it ends in
# a unit, and only from the words of one language, so "do" (Hindi two) never reads "do thousand".
_LATIN_NUMBER_LANGUAGES: dict[str, dict[str, tuple[str, float]]] = {
    "vi": {**{w: ("n", v) for w, v in (
        ("một", 1), ("mốt", 1), ("mot", 1), ("hai", 2), ("ba", 3), ("bốn", 4), ("bon", 4), ("tư", 4),
        ("năm", 5), ("lăm", 5), ("nhăm", 5), ("sáu", 6), ("bảy", 7), ("bẩy", 7), ("tám", 8),
        ("chín", 9), ("chin", 9), ("lẻ", 0), ("linh", 0))},
        "mười": ("tens", 10), "mươi": ("tens", 10), "muoi": ("tens", 10), "chục": ("tens", 10),
        "chuc": ("tens", 10), "trăm": ("hundred", 100), "tram": ("hundred", 100),
        "nghìn": ("unit", 1e3), "ngàn": ("unit", 1e3), "nghin": ("unit", 1e3), "ngan": ("unit", 1e3),
        "triệu": ("unit", 1e6), "trieu": ("unit", 1e6), "tỷ": ("unit", 1e9), "tỉ": ("unit", 1e9)},
    "ms": {**{w: ("n", v) for w, v in (
        ("satu", 1), ("dua", 2), ("tiga", 3), ("empat", 4), ("lima", 5), ("enam", 6), ("tujuh", 7),
        ("delapan", 8), ("lapan", 8), ("sembilan", 9), ("sepuluh", 10), ("sebelas", 11))},
        "belas": ("teen", 10), "puluh": ("tens", 10), "seratus": ("hundred", 100), "ratus": ("hundred", 100),
        "ribu": ("unit", 1e3), "rebu": ("unit", 1e3), "seribu": ("unit", 1e3), "juta": ("unit", 1e6),
        "sejuta": ("unit", 1e6), "miliar": ("unit", 1e9), "milyar": ("unit", 1e9)},
    "tl": {**{w: ("n", v) for w, v in (
        ("isa", 1), ("isang", 1), ("dalawa", 2), ("dalawang", 2), ("tatlo", 3), ("tatlong", 3),
        ("apat", 4), ("lima", 5), ("limang", 5), ("anim", 6), ("pito", 7), ("pitong", 7), ("walo", 8),
        ("walong", 8), ("siyam", 9), ("sampu", 10), ("sampung", 10), ("labing", 10),
        ("dalawampu", 20), ("dalawampung", 20), ("tatlumpu", 30), ("tatlumpung", 30),
        ("apatnapu", 40), ("apatnapung", 40), ("limampu", 50), ("limampung", 50), ("animnapu", 60),
        ("animnapung", 60), ("pitumpu", 70), ("pitumpung", 70), ("walumpu", 80), ("walumpung", 80),
        ("siyamnapu", 90), ("siyamnapung", 90))},
        "daan": ("hundred", 100), "daang": ("hundred", 100), "raan": ("hundred", 100),
        "raang": ("hundred", 100), "libo": ("unit", 1e3), "libong": ("unit", 1e3),
        "milyon": ("unit", 1e6), "milyong": ("unit", 1e6), "bilyon": ("unit", 1e9)},
    "en": {**{w: ("n", v) for w, v in (
        ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
        ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12), ("thirteen", 13),
        ("fourteen", 14), ("fifteen", 15), ("sixteen", 16), ("seventeen", 17), ("eighteen", 18),
        ("nineteen", 19), ("twenty", 20), ("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60),
        ("seventy", 70), ("eighty", 80), ("ninety", 90))},
        "hundred": ("hundred", 100), "thousand": ("unit", 1e3), "million": ("unit", 1e6),
        "billion": ("unit", 1e9), "lakh": ("unit", 1e5), "lakhs": ("unit", 1e5), "crore": ("unit", 1e7)},
    "hi": {**{w: ("n", v) for w, v in (
        ("ek", 1), ("do", 2), ("teen", 3), ("char", 4), ("chaar", 4), ("paanch", 5), ("panch", 5),
        ("chhe", 6), ("chhah", 6), ("saat", 7), ("aath", 8), ("nau", 9), ("das", 10), ("bees", 20),
        ("pachees", 25), ("pachchis", 25), ("tees", 30), ("chalees", 40), ("chalis", 40),
        ("pachaas", 50), ("pachas", 50), ("saath", 60), ("sattar", 70), ("assi", 80), ("nabbe", 90),
        ("dedh", 1.5), ("dhai", 2.5), ("dhaai", 2.5), ("sawa", 1.25))},
        "hazaar": ("unit", 1e3), "hazar": ("unit", 1e3), "hajar": ("unit", 1e3), "lakh": ("unit", 1e5),
        "lakhs": ("unit", 1e5), "lac": ("unit", 1e5), "lacs": ("unit", 1e5), "crore": ("unit", 1e7),
        "crores": ("unit", 1e7), "karod": ("unit", 1e7)},
}
_LATIN_NUMBER_WORDS: dict[str, tuple[str, float]] = {}
_LATIN_NUMBER_GROUPS: dict[str, frozenset[str]] = {}
for _group, _entries in _LATIN_NUMBER_LANGUAGES.items():
    for _word, _entry in _entries.items():
        _LATIN_NUMBER_WORDS[_word] = _entry
        _LATIN_NUMBER_GROUPS[_word] = _LATIN_NUMBER_GROUPS.get(_word, frozenset()) | {_group}
# Words joined by spaces, hyphens (labing-lima, twenty-five) and Tagalog's linkers "na" and "'t"
# (apat na libo, dalawampu't lima). A number is found from its unit back, in a short stretch before
# each unit the text holds (an Aho-Corasick pass finds them), so text without one costs one pass.
_LATIN_WORD_RE = re.compile(f"[{_LATIN_LETTER}]+")
_LATIN_NUMBER_GAP_RE = re.compile(r"\s{1,2}|\s?-\s?|['’]")
_LATIN_LINKERS = frozenset({"na", "t"})
_LATIN_HALF = frozenset({"rưỡi", "ruoi"})
_LATIN_NUMBER_REACH = 80  # characters before a unit in which its number words are looked for
_LATIN_NUMBER_OR_LINKER = frozenset(_LATIN_NUMBER_WORDS) | _LATIN_LINKERS
# The units, found in one pass. Short ones that end longer words ("dengan", "place", "tỉnh") are
# needles with the space before or after them.
_LATIN_UNIT_NEEDLES = tuple(
    spelled for word in ("thousand", "million", "billion", "lakh", "crore", "hazaar", "hazar", "hajar",
                         "karod", "nghìn", " ngàn", "nghin", " ngan ", "triệu", "trieu", "tỷ", "tỉ ",
                         "ribu", "rebu", "juta", "miliar", "milyar", "libo", "milyon", "bilyon", " lac")
    for spelled in {word, word.capitalize(), word.strip().capitalize(), word.upper()})
_LATIN_UNIT_AUTOMATON: Any = (ahocorasick_rs.AhoCorasick(_LATIN_UNIT_NEEDLES)
                              if ahocorasick_rs is not None else None)


def _latin_unit_hits(text: str) -> list[tuple[int, int]]:
    """Where the text may hold a Latin-script unit word (spans of the needles found)."""
    if _LATIN_UNIT_AUTOMATON is not None:
        return [(start, end) for _, start, end in _LATIN_UNIT_AUTOMATON.find_matches_as_indexes(text)]
    hits = []  # pragma: no cover - ahocorasick_rs is a dependency
    for needle in _LATIN_UNIT_NEEDLES:  # pragma: no cover
        index = text.find(needle)
        while index >= 0:
            hits.append((index, index + len(needle)))
            index = text.find(needle, index + 1)
    return sorted(hits)  # pragma: no cover


# Scripts whose text is not searched for Latin number words (a Korean or Thai offer writes its
# amounts in its own script or in digits; the search would cost more than it finds).
_OTHER_SCRIPT_TEXT_RE = re.compile("[\u0900-\u097f\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u9fff"
                                   "\uac00-\ud7a3]")


def _latin_word_numbers(text: str, *, checked: bool = False) -> Iterator[_Number]:
    """Numbers written in Latin-script words that end in a unit (see `_LATIN_NUMBER_LANGUAGES`);
    `checked`: the text's language writes them, so its scripts need no look."""
    if not checked and not text.isascii() and _OTHER_SCRIPT_TEXT_RE.search(text) is not None:
        return
    seen: set[int] = set()
    for hit_start, hit_end in _latin_unit_hits(text):
        core = hit_start + (text[hit_start] == " ")  # (needles may start with a space)
        if text[core - 1:core] in _LATIN_CHARS:
            if text[core - 2:core].lower() != "se" or text[core - 3:core - 2] in _LATIN_CHARS:
                continue  # inside a longer word, but for seribu and sejuta
        else:
            # Most units follow digits ("5 triệu", "12 juta"), read with them: look further only
            # after a number word or a linker.
            head = text[max(0, core - 16):core]
            word_end = len(head.rstrip(" -'’"))
            if not 0 < len(head) - word_end <= 3 or head[word_end - 1] not in _LATIN_CHARS:
                continue  # after a digit, a mark, or no gap
            word_start = word_end - 1
            while word_start and head[word_start - 1] in _LATIN_CHARS:
                word_start -= 1
            if head[word_start:word_end].lower() not in _LATIN_NUMBER_OR_LINKER:
                continue
        low = max(0, hit_start - _LATIN_NUMBER_REACH)
        window = _lowercase(text[low:hit_end + 8])
        words = [(m.start() + low, m.end() + low, m.group()) for m in _LATIN_WORD_RE.finditer(window)]
        if words and low and words[0][0] == low and text[low - 1] in _LATIN_CHARS:
            words.pop(0)  # cut by the window
        unit = next((i for i, (start, end, word) in enumerate(words) if start < hit_end and end > hit_start
                     and _LATIN_NUMBER_WORDS.get(word, ("", 0))[0] == "unit"), None)
        if unit is None or words[unit][1] in seen:
            continue
        seen.add(words[unit][1])
        first = unit
        index = unit - 1
        while index >= 0 and _LATIN_NUMBER_GAP_RE.fullmatch(text, words[index][1], words[index + 1][0]):
            word = words[index][2]
            if word in _LATIN_NUMBER_WORDS:
                first = index
            elif word not in _LATIN_LINKERS or first != index + 1:
                break
            index -= 1
        run = [word for _, _, word in words[first:unit + 1] if word in _LATIN_NUMBER_WORDS]
        while run and _LATIN_NUMBER_WORDS[run[0]][0] == "unit" and run[0] not in ("seribu", "sejuta"):
            run.pop(0)  # "juta dua ribu": a unit with nothing before it belongs to digits before
            first += 1
        if not run or not frozenset.intersection(*(_LATIN_NUMBER_GROUPS[word] for word in run)):
            continue  # no number word before the unit, or words of two languages
        total = section = 0.0
        current: float | None = None
        units: list[str] = []
        for word in run:
            kind, value = _LATIN_NUMBER_WORDS[word]
            if kind in ("n", "teen"):
                current = (current or 0.0) + value
            elif kind == "tens":
                current = (current if current is not None else 1.0) * value
            elif kind == "hundred":
                section += (current if current is not None else 1.0) * value
                current = None
            else:
                total += ((section + (current or 0.0)) or 1.0) * value
                section, current = 0.0, None
                units.append(_key(word))
        end = words[unit][1]
        if unit + 1 < len(words) and words[unit + 1][2] in _LATIN_HALF and \
                text[end:words[unit + 1][0]] in ("", " "):
            total += _LATIN_NUMBER_WORDS[run[-1]][1] / 2  # tám triệu rưỡi: and a half
            end = words[unit + 1][1]
        start = next(s for s, _, word in words[first:unit + 1] if word in _LATIN_NUMBER_WORDS)
        yield _Number(start, end, total, _LATIN_NUMBER_WORDS[units[0]][1],
                      any(u in _MONEY_UNIT_KEYS for u in units), "", False, False, False, False, False,
                      tuple(units))


_DECIMAL_TAIL_RE = re.compile(r"[.,](\d{1,2})$")
_INDIAN_RE = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}")


def _digits_value(text: str, group_sep: str | None) -> tuple[float, str, bool, bool]:
    """Value, integer digits, grouped?, decimal? of a digits core matched by `_DIGITS_RE`."""
    if group_sep is None and "," in text and _INDIAN_RE.fullmatch(text):
        digits = text.replace(",", "")  # Indian grouping
        return float(digits), digits, True, False
    if group_sep is not None:
        # Groups are exactly three digits, so a 1-2 digit tail is the decimal part (1,200.50).
        tail = _DECIMAL_TAIL_RE.search(text)
        body, decimal_part = (text[: tail.start()], tail.group(1)) if tail else (text, "")
        digits = body.replace(group_sep, "")
        return float(digits + ("." + decimal_part if decimal_part else "")), digits, True, bool(decimal_part)
    integer, _, fraction = text.replace(",", ".").partition(".")
    return float(integer + ("." + fraction if fraction else "")), integer, False, bool(fraction)


def _evaluate(tokens: Sequence[tuple[str, str, float]]) -> tuple[float, float | None]:
    """Value and first-unit scale of a token run: ("num"|"coef"|"unit"|"half", text, value).

    Positional reading shared by all scripts: a coefficient followed by a unit adds
    coefficient x unit to the running group; a big unit (万, 만, million, ล้าน…)
    multiplies the running group; a coefficient left after the last unit is the
    colloquial tail (2万5 = 25,000: 5 x 10,000 / 10).
    """
    total = section = 0.0
    current: float | None = None
    current_text = ""
    last_unit: float | None = None
    scale: float | None = None
    half = False
    previous = ""
    for kind, text, value in tokens:
        if kind == "coef" and previous == "coef" and current is not None and current >= 10 and \
                current % 10 == 0 and value < 10:
            current += value  # a tens word and a digit word: ម្ភៃប្រាំ, ຊາວຫ້າ (25)
        elif kind in ("num", "coef"):
            current, current_text = value, text
        elif kind == "unit":
            if scale is None:
                scale = value
            if _is_big(text, value):
                section += current if current is not None else 0.0
                total += (section or 1.0) * value
                section = 0.0
            else:
                section += (current if current is not None else 1.0) * value
            current, current_text, last_unit = None, "", value
        elif kind == "half":
            half = True
        previous = kind
    result = total + section
    if current is not None:
        if last_unit is None:
            result += current
        else:
            # Digits after a unit: 1tr2 / 1tr200 / 2万5000 all scale to the unit below.
            width = len(current_text) if current_text.isdigit() else 1
            result += current * last_unit / 10 ** width
    if half and last_unit is not None:
        result += last_unit / 2
    return result, scale


# 几/幾 after 十 is the units digit left vague (十几万: read as 100,000); before a unit it is "several"
# of it (几十万 "several hundred thousand", 几千): two of the unit, as 数万 and 수천만 are read.
_SEVERAL_HAN = frozenset({"几", "幾"})


def _tokens(text: str) -> list[tuple[str, str, float]]:
    tokens: list[tuple[str, str, float]] = []
    wide = _WIDE_TOKEN_SCRIPTS_RE.search(text) is not None
    for match in (_CHAIN_TOKEN_RE if wide else _CHAIN_TOKEN_NARROW_RE).finditer(text):
        if match.group("num") is not None:
            raw = match.group("num")
            tokens.append(("num", raw, float(raw.replace(",", "."))))
        elif match.group("half") is not None:
            tokens.append(("half", match.group("half"), 0.5))
        elif match.group("word") is not None:
            key = _key(match.group("word"))
            if key in _UNIT_TABLE:
                tokens.append(("unit", key, _UNIT_TABLE[key]))
            elif key in _SEVERAL_HAN and not (tokens and tokens[-1][0] == "unit"):
                tokens.append(("coef", key, 2))  # 几十万, 几千: "several" of the unit, at least two
            else:
                tokens.append(("coef", key, _COEFFICIENT_TABLE[key]))
    return tokens


def _chain_at(folded: str, position: int) -> re.Match[str] | None:
    """The unit words after a number (k, triệu, 万, หมื่น, लाख…), if one starts here."""
    if position >= len(folded):
        return None
    char = folded[position]
    if char == " " and position + 1 < len(folded):
        char = folded[position + 1]
    if char not in _UNIT_FIRST_CHARS:
        return None
    start = position + 1 if folded[position] == " " else position
    head = folded[start:start + 12].lower()
    if not any(head.startswith(unit) for unit in _UNITS_BY_FIRST_CHAR.get(head[:1], ())):
        return None  # "1500 tại", "3 months": a letter that starts a unit, but no unit
    return _CHAIN_RE.match(folded, position)


def _number(start: int, end: int, core_tokens: list[tuple[str, str, float]], chain: re.Match[str] | None,
            plain: str = "", grouped: bool = False, decimal: bool = False,
            space_grouped: bool = False) -> _Number:
    chain_tokens = _tokens(chain.group()) if chain is not None else []
    tokens = [*core_tokens, *chain_tokens]
    value, scale = _evaluate(tokens)
    if not any(kind == "unit" for kind, _, _ in tokens):
        scale = None
    units = [text for kind, text, _ in tokens if kind == "unit"]
    return _Number(start=start, end=chain.end() if chain is not None else end, value=value, scale=scale,
                   money_unit=any(u in _MONEY_UNIT_KEYS for u in units),
                   plain_digits=plain if chain is None else "", grouped=grouped, decimal=decimal,
                   annual_unit="lpa" in units, needs_han="w" in units, space_grouped=space_grouped,
                   units=tuple(units))


_HANGUL_SYLLABLE_RE = re.compile("[\uac00-\ud7a3]")
# 월/연 written against the amount ("월천만원 보장", "연일억"), themselves a word of their own.
_HANGUL_PERIOD_GLUED_RE = re.compile("(?<![\uac00-\ud7a3])[월연]")


# Languages whose text is searched for Latin-script number words without a look at its scripts, and
# those whose text is not (it writes amounts in its own script or in digits). Hindi is both: Indian
# posts write "ek lakh" in Devanagari text too.
_LATIN_NUMBER_LOCALES = frozenset({"en", "vi", "id", "ms", "tl", "hi"})
_OTHER_SCRIPT_LOCALES = frozenset({"th", "lo", "km", "my", "ko", "zh_Hans", "zh_Hant", "zh_HK"})


def _find_numbers(folded: str, locale: str | None = None) -> list[_Number]:
    """The numbers of a text; `locale` (if known) spares the scans of scripts it does not use."""
    numbers: list[_Number] = []
    for match in _DIGITS_RE.finditer(folded):
        text, separator = match.group(0, "g")
        start, end = match.span()
        value, plain, grouped, decimal = _digits_value(text, separator)
        chain = _chain_at(folded, end)
        if chain is None:  # the common case, without the token machinery
            numbers.append(_Number(start, end, value, None, False, plain, grouped, decimal, False, False,
                                   separator == " "))
        else:
            numbers.append(_number(start, end, [("num", "x", value)], chain, plain, grouped, decimal,
                                   separator == " "))
    for keys, patterns in () if folded.isascii() else _WORD_NUMBER_SCANS:
        if isinstance(keys, re.Pattern):  # Khmer and Burmese: by the language, else by the script
            if (locale not in ("km", "my") if locale not in (None, "en")
                    else keys.search(folded, 0, 600) is None):
                continue
        elif not any(key in folded for key in keys):
            continue
        for pattern, match in ((p, m) for p in patterns for m in p.finditer(folded)):
            if pattern is _HANGUL_NUMBER_RE and match.start() and \
                    _HANGUL_SYLLABLE_RE.match(folded, match.start() - 1) and \
                    not _HANGUL_PERIOD_GLUED_RE.match(folded, match.start() - 1):
                continue  # inside a Korean word (but "월천만원": 월 glued to the amount it rates)
            if (pattern is _THAI_BARE_RE or pattern is _LAO_BARE_RE) and not (
                    folded[match.start() - 1:match.start()].isspace()
                    or folded.endswith(_BARE_UNIT_AFTER, max(0, match.start() - 5), match.start())):
                continue  # a unit alone only after a space or a money or digit-place word
            numbers.append(_number(match.start(), match.end(), _tokens(match.group()),
                                   _chain_at(folded, match.end())))
    if locale not in _OTHER_SCRIPT_LOCALES:
        numbers.extend(_latin_word_numbers(folded, checked=locale in _LATIN_NUMBER_LOCALES))
    if any(key in folded for key in _SEVERAL_KEYS):
        for match, unit_end, unit_word in _SEVERAL_RE.matches(folded):
            unit = _key(unit_word)
            numbers.append(_Number(match.start(), unit_end,
                                   _SEVERAL_TABLE[_key(match.group("several"))] * _SEVERAL_UNIT_TABLE[unit],
                                   _SEVERAL_UNIT_TABLE[unit], unit in _MONEY_UNIT_KEYS, "", False, False,
                                   False, False, False, (unit,)))
    if len(numbers) > 1:
        numbers.sort(key=lambda n: (n.start, -n.end))
        kept: list[_Number] = []
        for number in numbers:  # a Han run inside a digit number's chain (2万5千) is not another number
            if kept and number.start < kept[-1].end:
                continue
            kept.append(number)
        numbers = kept
    return numbers


# ---------------------------------------------------------------------------------------
# Words around amounts: currencies, periods, pay and fee words
# ---------------------------------------------------------------------------------------

_CURRENCY_WORDS: dict[str, tuple[str, ...]] = {
    "USD": ("us$", "u.s.$", "usd", "usd$", "us dollar", "us dollars", "dollar", "dollars", "dolar", "dolyar",
            "dolares", "dólar", "dólares", "đô", "đô la", "đôla", "đô-la", "ดอลลาร์", "ดอลล่าร์",
            "ดอลล่า", "ດອລາ", "ໂດລາ", "ດອນລາ", "ໂດລ້າ", "ដុល្លារ", "ដុល្លា", "ဒေါ်လာ", "美金", "美元",
            "美刀", "달러", "불", "डॉलर", "डालर", "डॉलर्स"),
    "USDT": ("usdt", "泰达币", "泰達幣", "테더"),
    "EUR": ("€", "eur", "euro", "euros", "欧元", "歐元", "유로", "ยูโร", "यूरो"),
    "GBP": ("£", "gbp", "英镑", "英鎊", "파운드"),
    "PHP": ("₱", "php", "piso", "peso", "pesos", "比索", "披索", "페소", "เปโซ", "पेसो"),
    "THB": ("฿", "thb", "baht", "bạt", "บาท", "ບາດ", "បាត", "ဘတ်", "泰铢", "泰銖", "泰币", "泰幣", "바트",
            "बाट"),
    "VND": ("₫", "vnd", "vnđ", "đồng", "dong", "vietnamese dong", "वियतनामी डोंग", "越南盾", "越南币",
            "越南幣", "ดอง", "ດົ່ງ", "ដុង",
            "ဒေါင်", "डोंग", "동"),
    "IDR": ("rp", "rp.", "idr", "rupiah", "印尼盾", "루피아", "รูเปียห์"),
    "MYR": ("rm", "myr", "ringgit", "ริงกิต", "ຣິງກິດ", "រីងហ្គីត", "ရင်းဂစ်", "令吉", "马币", "馬幣", "링깃",
            "रिंगित", "रिंगिट"),
    "INR": ("₹", "rs", "rs.", "inr", "rupee", "rupees", "रुपये", "रुपए", "रुपया", "रुपयों", "रु.", "卢比",
            "盧比", "루피"),
    "KRW": ("₩", "￦", "krw", "won", "원", "韩元", "韓元", "韩币", "韓幣", "วอน", "वॉन"),
    "JPY": ("jpy", "yen", "yên", "円", "日元", "日圓", "日币", "日幣", "엔", "เยน", "ເຢນ", "येन"),
    "CNY": ("cny", "rmb", "yuan", "块", "塊", "块钱", "塊錢", "人民币", "人民幣", "위안", "หยวน", "युआन"),
    "TWD": ("ntd", "twd", "nt$", "台币", "台幣", "新台币", "新台幣", "臺幣", "新臺幣", "대만달러",
            # The Taiwan dollar as Taiwan's job ads abroad name it (issue 14: "29.500 Đài tệ" and "30.000
            # dolar Taiwan" were read as US dollars, "ดอลลาร์ไต้หวัน" as "ดอลลาร์"): longer than "dollar".
            "đài tệ", "tân đài tệ", "dolar taiwan", "taiwan dollar", "taiwan dollars", "taiwanese dollar",
            "taiwanese dollars", "new taiwan dollars", "대만 달러", "ดอลลาร์ไต้หวัน", "ताइवान डॉलर",
            "ताइवानी डॉलर"),
    "HKD": ("hkd", "hk$", "港币", "港幣", "港元", "港紙", "홍콩달러"),
    "SGD": ("sgd", "s$", "新币", "新幣", "新加坡元", "싱가포르달러"),
    "LAK": ("lak", "kip", "₭", "ກີບ", "กีบ", "基普", "킵", "គីប"),
    "KHR": ("khr", "riel", "riels", "៛", "រៀល", "瑞尔", "瑞爾", "리엘", "เรียล"),
    "MMK": ("mmk", "kyat", "kyats", "ks", "ကျပ်", "缅币", "緬幣", "缅元", "จ๊าด", "จั๊ต", "짯", "क्यात"),
    "SAR": ("sar", "riyal", "riyals", "saudi riyal", "saudi riyals", "里亚尔", "리얄", "रियाल", "सऊदी रियाल"),
    "AED": ("aed", "dirham", "dirhams", "dhs", "迪拉姆", "디르함"),
    "QAR": ("qar",), "KWD": ("kwd",), "OMR": ("omr",), "BHD": ("bhd",), "MOP": ("mop",),
    "KES": ("kes", "ksh", "kshs", "ksh."), "NGN": ("ngn", "₦", "naira"),
    "UGX": ("ugx", "ush", "ugshs", "shs"),  # "Shs 750,000": the Ugandan press's form (r-fee5)
    "GHS": ("ghs", "gh₵", "gh¢", "₵", "cedi", "cedis"), "ETB": ("etb", "birr"),
    "AUD": ("aud", "a$", "au$"), "CAD": ("cad", "c$"), "NZD": ("nzd", "nz$"), "BND": ("bnd", "b$"),
    "CHF": ("chf",),
    "ILS": ("ils", "nis", "₪", "shekel", "shekels", "谢克尔", "謝克爾", "셰켈", "शेकेल"),
    # Resolved by the text: "$" is the local dollar in Traditional Chinese ads (Taiwan, Hong
    # Kong), "元" is the local yuan/dollar, "¥" is the yen only where the text speaks of yen.
    "$": ("$",), "元": ("元",), "¥": ("¥", "￥"),
    # Colloquial names and symbols CLDR lacks (its names are added below), for the currencies of
    # the corpus's African, South Asian and European countries; sources in SOURCES.md (issue 14).
    "ZMW": ("zmw", "kwacha", "kwachas"), "NPR": ("npr", "nrs", "nepali rupees", "nepalese rupees"),
    "BDT": ("bdt", "taka", "tk.", "৳"), "PKR": ("pkr", "pakistani rupees"),
    "PLN": ("pln", "zloty", "zlotys", "złoty", "złotych", "zł"), "RON": ("ron", "lei", "leu"),
    "BGN": ("bgn", "leva", "лв"), "TRY": ("₺", "lira", "liras", "turkish lira"),
    "RUB": ("rub", "₽", "ruble", "rubles", "rouble", "roubles", "руб", "рублей"),
    "LKR": ("lkr", "slrs", "sri lankan rupees"),
}
# "CAD$", "AU$", "S$"...: the code or country letters written before the dollar sign.
for _code, _prefixes in {"CAD": ("cad$", "ca$", "can$"), "AUD": ("aud$", "aus$"), "NZD": ("nzd$",),
                         "SGD": ("sgd$", "sing$"), "HKD": ("hkd$",), "TWD": ("ntd$", "twd$")}.items():
    _CURRENCY_WORDS[_code] += _prefixes
# Written before the number: symbols, codes and prefixes ("RM4,500", "Rp 12 juta"). Words of
# other scripts are left out because a word ending in one ("지원" support and "병원" hospital
# end in 원) would lend its ending to the next number; so are names that follow numbers.
_AFTER_ONLY = frozenset({"dong", "piso", "peso", "pesos", "dollar", "dollars", "dolar", "won", "yen", "yên",
                         "yuan", "kip", "riel", "riels", "kyat", "kyats", "baht", "bạt", "rupee", "rupees",
                         "rupiah", "ringgit", "naira", "cedi", "cedis", "birr", "euro", "euros", "đô",
                         "shekel", "shekels",
                         "đồng",
                         "块", "塊", "元", "đô la", "đôla", "đô-la", "dolares", "dólar", "dólares",
                         "us dollar",
                         "us dollars", "kwacha", "kwachas", "nepali rupees", "nepalese rupees", "taka",
                         "pakistani rupees", "zloty", "zlotys", "złoty", "złotych", "zł", "lei", "leu",
                         "leva", "lira", "liras", "turkish lira", "ruble", "rubles", "rouble", "roubles",
                         "sri lankan rupees", "ron", "rub",  # Ron the name, "rub" the verb
                         "đài tệ", "tân đài tệ", "dolar taiwan", "taiwan dollar", "taiwan dollars",
                         "taiwanese dollar", "taiwanese dollars", "new taiwan dollars"})
_OTHER_SCRIPTS_RE = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u0900-\u097f\uac00-\ud7a3]")


def _merge_cldr_words(path: Path) -> None:
    """Add CLDR's names of each currency in our 13 locales (scripts/build_cldr_money_words.py
    writes them): 'đô la canada', 'zambian kwacha', 'ดอลลาร์สิงคโปร์', '加拿大元'. Names follow the
    number; symbols that name one currency alone ('nz$', '₦') may also stand before it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, before in (("currency_names", False), ("currency_symbols", True)):
        for code, words in data[key].items():
            known = set(_CURRENCY_WORDS.get(code, ()))
            added = tuple(w for w in words if w not in known)
            _CURRENCY_WORDS[code] = _CURRENCY_WORDS.get(code, ()) + added
            if not before:
                _CLDR_AFTER_ONLY.update(added)


_CLDR_AFTER_ONLY: set[str] = set()
_merge_cldr_words(CLDR_WORDS_PATH)

_PERIOD_WORDS: dict[str, str] = {}
for _period, _words in {
    "month": ("month", "months", "monthly", "mo", "mth", "mths", "mthly", "tháng", "thang", "bulan", "bln",
              "sebulan", "perbulan", "bulanan", "buwan", "buwanan", "buwan-buwan", "เดือน", "ເດືອນ", "ខែ",
              "လစဉ်", "月", "个月", "個月", "월", "달", "माह", "महीना", "महीने", "मासिक", "mahina",
              "mahine", "maah", "mensual"),
    "day": ("day", "days", "daily", "ngày", "ngay", "hari", "sehari", "perhari", "harian", "araw",
            "arawan", "araw-araw", "วัน", "ມື້", "ວັນ", "ថ្ងៃ", "ရက်", "နေ့", "天", "日", "일", "하루", "दिन",
            "रोज़", "रोज", "प्रतिदिन", "din", "roz"),
    "hour": ("hour", "hours", "hr", "hrs", "hourly", "giờ", "gio", "tiếng", "jam", "sejam", "perjam",
             "oras", "ชั่วโมง", "ชม", "ชม.", "ຊົ່ວໂມງ", "ម៉ោង", "နာရီ", "小时", "小時", "钟头", "時", "시간",
             "घंटा", "घंटे", "ghanta", "ghante"),
    "week": ("week", "weeks", "weekly", "wk", "tuần", "tuan", "minggu", "seminggu", "perminggu", "mingguan",
             "linggo", "lingguhan", "สัปดาห์", "อาทิตย์", "ອາທິດ", "សប្តាហ៍", "ပတ်", "周", "週", "星期", "주",
             "सप्ताह", "हफ्ता", "हफ़्ता", "हफ्ते"),
    "year": ("year", "years", "yr", "yrs", "annum", "annually", "yearly", "p.a.", "năm", "tahun", "setahun",
             "pertahun", "tahunan", "taon", "taunan", "ปี", "ປີ", "ឆ្នាំ", "နှစ်", "年", "년", "연", "साल",
             "वर्ष", "सालाना", "saal"),
    "task": ("session", "sessions", "lesson", "class", "task", "order", "visit", "trip", "buổi", "lần",
             "chuyến", "pertemuan",
             "sesi", "tugas", "ครั้ง", "ຄັ້ງ", "ដង", "ကြိမ်", "次", "节", "節", "堂", "单", "單", "회", "건",
             "बार", "क्लास"),
}.items():
    for _word in _words:
        _PERIOD_WORDS[_word] = _period
# Adverbs say "per" by themselves; nouns ("3 tháng", "26 days") are durations unless a
# "/", "per", "a", "mỗi", "ต่อ"… or a currency stands between number and noun.
_PERIOD_ADVERBS = frozenset({"monthly", "mthly", "sebulan", "perbulan", "bulanan", "buwanan", "buwan-buwan",
                             "daily", "sehari", "perhari", "harian", "arawan", "araw-araw", "hourly",
                             "sejam",
                             "perjam", "weekly", "seminggu", "perminggu", "mingguan", "lingguhan",
                             "annually",
                             "yearly", "setahun", "pertahun", "tahunan", "taunan", "मासिक", "सालाना",
                             "प्रतिदिन", "p.a.", "လစဉ်", "mensual"})
# Too short or too ambiguous to be read as a period without a "/" or "per" before them.
_PERIOD_NEEDS_PER = frozenset({"hr", "mo", "mth", "mths", "ชม", "ชม.", "时", "時", "天", "日", "月", "年",
                               "일",
                               "월", "년", "연", "주", "달", "周", "週"})
# Words that make the period word after them a rate: "a month", "mỗi tháng", "ต่อเดือน", "每月".
_PER_WORDS = ("per ", "a ", "an ", "each ", "every ", "mỗi ", "một ", "moi ", "mot ", "tiap ", "setiap ",
              "kada ", "bawat ", "isang ", "sa isang ", "prati ", "हर ", "प्रति ", "ต่อ", "ต่อ ", "ຕໍ່", "ຕໍ່ ",
              "ក្នុងមួយ", "ក្នុង1", "ក្នុង", "ប្រចាំ", "មួយ", "មួយ ", "每个", "每個", "每", "一个", "一個", "한 ",
              "한", "매", "တစ်", "ทุก")
# Single Latin letters read only straight after "/": "25k/h", "$50/d".
_SLASH_PERIOD_LETTERS = {"h": "hour", "d": "day", "m": "month", "y": "year", "w": "week"}

_PERIOD_BEFORE_WORDS: dict[str, str] = {}
for _period, _words in {
    "month": ("月薪", "月入", "月收入", "月工资", "月工資", "每月", "每个月", "每個月", "一个月", "一個月",
              "月给",
              "月給", "lương tháng", "mỗi tháng", "một tháng", "hàng tháng", "thu nhập tháng", "เดือนละ",
              "เงินเดือน", "ເດືອນລະ", "ເງິນເດືອນ", "ប្រាក់ខែ", "ប្រចាំខែ", "ក្នុងមួយខែ", "လစာ", "တစ်လ", "လစဉ်",
              "월급", "한 달에", "한 달", "한달에", "한달", "매달", "매월", "monthly salary", "monthly pay",
              "monthly income", "monthly", "per month", "a month", "salary per month", "मासिक वेतन", "मासिक",
              "प्रति माह", "महीने का", "महीने की", "sebulan", "per bulan", "perbulan", "tiap bulan",
              "gaji bulanan", "kada buwan", "buwanan", "bawat buwan", "isang buwan"),
    "day": ("日薪", "日结", "日結", "日工资", "每天", "一天", "日給", "lương ngày", "mỗi ngày", "một ngày",
            "วันละ",
            "ค่าแรงวันละ", "ค่าจ้างวันละ", "ມື້ລະ", "ວັນລະ", "ຄ່າແຮງມື້ລະ", "ប្រាក់ឈ្នួលប្រចាំថ្ងៃ", "ក្នុងមួយថ្ងៃ",
            "တစ်ရက်", "နေ့စား", "နေ့စဉ်", "일당", "일급", "하루", "daily wage", "daily rate", "daily pay",
            "per day", "a day", "प्रतिदिन", "रोज़ाना", "रोजाना", "रोज़", "रोज", "हर दिन", "sehari", "per hari",
            "harian", "kada araw",
            "arawan", "bawat araw"),
    "hour": ("时薪", "時薪", "每小时", "每小時", "時給", "lương giờ", "mỗi giờ", "ชั่วโมงละ", "ຊົ່ວໂມງລະ",
             "တစ်နာရီ", "시급", "시간당", "hourly rate", "hourly wage", "hourly pay", "per hour", "an hour",
             "प्रति घंटा", "sejam", "per jam", "kada oras"),
    "week": ("周薪", "週薪", "สัปดาห์ละ", "อาทิตย์ละ", "ອາທິດລະ", "တစ်ပတ်", "주급", "weekly pay", "per week",
             "seminggu", "mingguan",
             # the week's pay named before it ("lương tuần 7 triệu", "주당 100만원"): only words that
             # say pay, since "6 days a week, salary 20,000", "每周休息一天 8000元", "làm 6 ngày mỗi
             # tuần, lương 8 triệu" name the working week before a month's pay (issue 14, r-plain2)
             "lương tuần", "lương hàng tuần", "thu nhập tuần", "주당", "साप्ताहिक वेतन", "周工资",
             "週工資", "lingguhang sahod", "sahod kada linggo", "weekly salary", "weekly wage",
             "weekly income", "प्रति सप्ताह", "per minggu"),
    "year": ("年薪", "年入", "年收入", "年收", "年収", "lương năm", "ปีละ", "ປີລະ", "တစ်နှစ်", "연봉",
             "annual salary", "annual package", "per annum", "per year", "a year", "ctc", "सालाना",
             "वार्षिक",
             "setahun", "per tahun", "taunan"),
    "none": ("底薪",),  # "base pay": says pay, not the period
}.items():
    for _word in _words:
        _PERIOD_BEFORE_WORDS[_word] = _period
# A week's or a day's rate named right before the amount ("每周8000元", "mỗi tuần 10 triệu", "일주일에
# 500만원", "हर हफ्ते 20 हजार रुपये", "tiap minggu 5 juta"): read only when nothing but a space or a
# colon stands between, since "每周休息一天 8000元" or "làm 6 ngày mỗi tuần, lương 8 triệu" name the
# working week before a month's pay (issue 14, r-perks2).
_ADJACENT_PERIOD_BEFORE: dict[str, str] = {}
for _period, _words in {
    "week": ("每周", "每週", "一周", "一週", "每星期", "每个星期", "每個星期", "一个星期",
             "一個星期", "一星期", "每礼拜", "每禮拜", "每个礼拜", "每個禮拜", "一个礼拜",
             "一個禮拜", "mỗi tuần", "một tuần", "hàng tuần", "일주일에", "일주일",
             "한 주에", "매주", "주마다", "हर हफ्ते", "हर हफ़्ते", "हर सप्ताह", "हफ्ते के", "हफ़्ते के",
             "हफ्ते में", "हफ़्ते में", "सप्ताह में", "tiap minggu", "setiap minggu", "sepekan",
             "per pekan", "tiap pekan", "setiap pekan", "kada linggo", "bawat linggo",
             "isang linggo", "lingguhan", "weekly", "ทุกสัปดาห์", "ทุกอาทิตย์", "ທຸກອາທິດ",
             "រៀងរាល់សប្តាហ៍", "ក្នុងមួយសប្តាហ៍", "အပတ်စဉ်", "တစ်ပတ်ကို"),
    "day": ("每日", "每天都", "mỗi ngày", "hàng ngày", "하루에", "매일", "प्रति दिन", "हर रोज़", "हर रोज",
            "tiap hari", "setiap hari", "araw-araw", "ทุกวัน", "ທຸກມື້", "រៀងរាល់ថ្ងៃ",
            "နေ့တိုင်း"),
}.items():
    for _word in _words:
        if _word not in _PERIOD_BEFORE_WORDS:
            _ADJACENT_PERIOD_BEFORE[_word] = _period
_ADJACENT_GAP = frozenset({"", " ", ":", ": ", "：", " : "})
# Korean 월/연/주 and Khmer ខែ stand alone before an amount ("월 350만 원", "주 100만원", "ខែ 1600
# ដុល្លារ"); after a number they are dates (3월) or counts (2주), so here they must be words of their own.
_STANDALONE_PERIOD_BEFORE = {"월": "month", "연": "year", "주": "week", "ខែ": "month"}

_PAY_WORDS = ("salary", "salaries", "wage", "wages", "income", "earn", "earns", "earning", "earnings",
              "package", "basic", "remuneration", "stipend", "allowance", "bonus", "commission",
              "incentive",
              "incentives", "pay is", "pay of", "pay:", "sahod", "sweldo", "suweldo", "gaji",
              "upah",
              "pendapatan", "penghasilan", "elaun", "lương", "luong", "thu nhập", "thu nhap", "tiền lương",
              "mức lương", "thưởng", "hoa hồng", "เงินเดือน", "รายได้", "ค่าจ้าง", "ค่าแรง", "ค่าตอบแทน",
              "ได้เดือนละ", "โบนัส", "ค่าคอม", "工资", "工資", "薪资", "薪資", "薪水", "薪酬", "薪金", "月薪",
              "底薪",
              "年薪", "日薪", "时薪", "時薪", "待遇", "收入", "月入", "年入", "人工", "赚", "賺", "挣",
              "掙", "提成",
              "奖金", "獎金", "补贴", "補貼", "津贴", "津貼", "급여", "월급", "연봉", "시급", "일당",
              "수입", "보수", "임금", "보너스",
              "인센티브",
              "सैलरी", "वेतन", "तनख्वाह", "तनख़्वाह", "पगार", "कमाई", "आय", "मानदेय", "बोनस", "ប្រាក់ខែ",
              "ប្រាក់ចំណូល", "ប្រាក់ឈ្នួល", "ເງິນເດືອນ", "ລາຍໄດ້", "ຄ່າແຮງ", "ຄ່າຈ້າງ", "လစာ", "ဝင်ငွေ", "လုပ်ခ",
              "ရငွေ")
# Money the person pays (fees, deposits, tickets, rent, debts, ransoms) rather than earns.
_FEE_WORDS = ("fee", "fees", "deposit", "charge", "charges", "cost", "costs", "placement", "processing",
              "registration", "reservation", "bond", "down payment", "dp", "ticket", "airfare", "hostel",
              "dorm", "dormitory", "rent", "loan", "debt", "fine", "penalty", "ransom", "refundable",
              "pay a",
              "pay the", "pay back", "pay us", "must pay", "need to pay", "have to pay", "has to pay",
              "you pay", "we pay", "to pay", "repay", "send", "transfer", "compensation", "advance", "gửi",
              "chuyển", "chuyển khoản", "trả", "trả lại", "đền", "bồi thường", "phí", "lệ phí", "chi phí",
              "cọc", "phải đóng", "đóng thêm", "đóng tiền", "đóng phí",
              "tiền cọc", "đặt cọc", "tiền vé", "vé", "nợ", "phạt", "tiền chuộc", "tiền nhà", "tiền phòng",
              "ký túc xá", "kirim", "tebus", "ganti rugi", "ganti", "pampasan", "bayar balik", "magbayad",
              "magbabayad", "babayaran",
              "bayaran", "bayad", "biaya", "bayar", "pendaftaran", "administrasi", "uang muka", "jaminan",
              "denda", "tebusan", "potongan", "yuran", "asrama", "sewa", "tiket", "โอน", "ชำระ", "จ่าย",
              "คืน",
              "ค่าชดเชย", "ค่าธรรมเนียม", "ค่าสมัคร", "ค่าลงทะเบียน", "ค่าดำเนินการ", "ค่าหัว", "เงินมัดจำ", "มัดจำ",
              "ค่าปรับ", "ค่าไถ่", "หนี้", "ค่าเช่า", "ค่าห้อง", "ค่าที่พัก", "ค่าตั๋ว", "ค่าเดินทาง", "转账", "轉帳",
              "汇款", "匯款", "不交", "不给", "不給", "要还", "要還", "还钱", "還錢", "还清", "赔", "賠",
              "机票", "機票", "押金",
              "保证金", "保證金", "报名费",
              "報名費",
              "手续费", "手續費", "中介费", "中介費", "服务费", "服務費", "费用", "費用", "培训费",
              "培訓費",
              "违约金", "違約金", "赔偿", "賠償", "赎金", "贖金", "罚款", "罰款", "房租", "宿舍费", "定金",
              "订金",
              "訂金", "交钱", "交錢", "要交", "缴纳", "繳納", "付款", "支付", "预付", "預付", "송금", "갚",
              "배상", "수수료", "선입금", "보증금", "등록비",
              "교육비",
              "소개비", "입금", "벌금", "위약금", "몸값", "빚", "월세", "항공권", "비용", "납부", "फीस",
              "शुल्क",
              "डिपॉजिट", "सिक्योरिटी", "रजिस्ट्रेशन", "जुर्माना", "फिरौती", "कर्ज", "किराया", "एडवांस", "टिकट",
              "जमा", "भेज", "भरना", "चुकाना", "हर्जाना", "ថ្លៃ", "ប្រាក់កក់", "កក់", "ពិន័យ", "បំណុល", "ឈ្នួលផ្ទះ",
              "ផ្ញើ", "បង់", "សង", "ຄ່າລົງທະບຽນ", "ຄ່າທຳນຽມ", "ເງິນມັດຈຳ", "ມັດຈຳ", "ຄ່າປີ້", "ຄ່າປັບ", "ໜີ້",
              "ສົ່ງ", "ຈ່າຍ", "စရံ", "စရံငွေ", "ကြေး", "ပွဲခ", "ဒဏ်ငွေ", "အကြွေး", "လျော်ကြေး",
              # Money taken or handed over (issue 14: "以出国务工为名收取三万元" read as pay): the
              # verbs of collecting, paying and handing over, and the costs named by what they buy.
              "收取", "收了", "收费", "收費", "交了", "交给", "交給", "缴", "繳", "签证费", "簽證費",
              "体检费", "體檢費", "办证费", "辦證費", "路费", "路費", "介绍费", "介紹費", "人头费", "人頭費",
              "paid", "handed", "handed over", "gave", "cough up", "fork out", "forked out", "shell out",
              "shelled out", "charged", "collected", "nộp", "đóng", "tiền hồ sơ", "phí hồ sơ", "tạm ứng",
              "membayar", "dibayar", "mentransfer", "ditransfer", "menyetor", "setor", "disetor", "tarif",
              "ditarif", "dipungut", "pungutan", "menyerahkan", "singil", "sinisingil", "naniningil",
              "siningil", "nagbayad", "binayaran", "ibayad", "เสียเงิน", "เรียกเก็บ", "เก็บเงิน", "ค่านายหน้า",
              "ค่าวีซ่า", "ค่าหัวคิว", "내고", "냈", "납입", "소개료", "देने", "दिए", "दिये", "ठगे", "ऐंठ",
              # Paid in stages, as a package or ahead (issue 14, branch r-fee2): "all-in package PHP
              # 150,000", "cicilan pertama Rp 20 juta", "งวดแรก 30,000 บาท", "首付2万元, 尾款3万元",
              # "예약금 50만 원", "टोकन मनी 5000 रुपये" are sums the person pays, not pay.
              "all-in package", "all in package", "all-in fee", "package fee", "package price",
              "instalment", "installment", "remaining balance", "balance payment", "cicilan", "angsuran",
              "pelunasan", "ansuran", "baki bayaran", "งวดแรก", "ส่วนที่เหลือ", "首付", "尾款", "余款",
              "餘款", "套餐价", "套餐價", "全包价", "全包價", "打包价", "打包價", "预交", "預交", "预缴",
              "預繳", "예약금", "잔금", "수속비", "대행비", "시험비", "टोकन मनी", "टोकन राशि",
              "token money", "किस्त", "अग्रिम राशि", "एडवांस राशि",
              # The costs of going abroad named by what they buy (issue 14, branch r-fee3): "缴纳了劳务
              # 输出费2.3万元及护照费、考试费1000元,共计2.4万元" is three sums the worker paid, not pay.
              "劳务输出费", "勞務輸出費", "出国劳务费", "出國勞務費", "外派费", "外派費", "考试费", "考試費",
              "护照费", "護照費",
              # Money asked of the person (issue 14, branch r-fee4): "the agent asks an additional
              # 3,000 dirhams", "demanded 50,000 pesos" is a sum taken, not pay.
              "asks", "asked", "asking", "demand", "demands", "demanded", "demanding",
              # Money taken by deceit, as the press tells it (issue 14, branch r-fee5): "obtained
              # Rs1.65 million under the pretext of", "extorted Tk 5 lakh", "swindled 1.2 million
              # naira" are sums taken from the person ("took" is left out: "took home $3,000").
              "obtained", "extorted", "extorting", "swindled", "conned", "fleeced", "duped", "defrauded",
              "cheated")
# Fee words written after the amount: 先交500押金, 3 triệu phí đăng ký, 5000 रजिस्ट्रेशन के.
_FEE_AFTER_WORDS = ("押金", "保证金", "保證金", "报名费", "報名費", "手续费", "手續費", "中介费", "中介費",
                    "定金",
                    "订金", "訂金", "赎金", "贖金", "机票钱", "機票錢", "deposit", "fee", "fees",
                    "compensation",
                    "ransom", "penalty", "fine", "danyos", "multa", "phí", "tiền cọc", "cọc", "tiền chuộc",
                    "tiền vé", "tebusan", "uang tiket", "ค่าธรรมเนียม", "ค่าไถ่", "ค่าชดเชย", "ค่าตั๋ว", "몸값",
                    "안 내", "내야", "내면", "배상금", "납부", "रजिस्ट्रेशन", "डिपॉजिट", "फीस", "फिरौती",
                    "नहीं दिए",
                    "भेजो", "भेज", "लौटाने", "जमा", "हर्जाना", "ပေးရ", "ကြိုပေး", "မပေး", "လျော်ကြေး",
                    # handed over: "3 लाख रुपए दिए", "देने होंगे", "800만 원을 받아 갔다", "을 내고"
                    "देने", "दिए", "दिये", "दे दिए", "ले लिए", "ऐंठ", "ठग", "받아 갔", "받아갔", "내고", "냈",
                    "가로챘", "편취", "收取", "交给", "交給", "给中介", "給仲介", "nộp", "đóng", "ट्रांसफर",
                    "transferred",
                    # what the sum buys (issue 14, branch r-fee4): "GH¢23,000 to obtain travel documents
                    # and visas", "3,000 dirhams to cover accommodation", "20 triệu để làm hồ sơ",
                    # "Rp 15 juta untuk biaya visa", "₱30,000 para sa processing", "2万元办签证"
                    "to obtain", "to process", "to cover", "to secure", "for the visa", "for visas",
                    "for a visa", "for processing", "for the processing", "for travel documents",
                    "for the documents", "để làm thủ tục", "để làm hồ sơ", "để làm visa", "để xin visa",
                    "untuk biaya", "untuk pengurusan", "untuk pengurusan visa", "untuk visa", "para sa visa",
                    "para sa processing", "para sa placement", "para sa ticket", "办签证", "辦簽證",
                    "办理签证", "辦理簽證", "办手续", "辦手續", "비자 비용으로", "수속비로", "वीजा के लिए",
                    "वीज़ा के लिए",
                    # the pretext it was taken under (issue 14, branch r-fee5): "Rs1.65 million under
                    # the pretext of sending them abroad", "K500,000 to register"
                    "under the pretext", "under the guise", "under the pretence", "under the pretense",
                    "to register", "for registration", "for the work permit", "for work permits")
# Sales and revenue (a target to meet, a company's turnover): money, but neither the person's pay nor
# a fee ("Doanh số bán hàng 50.000.000đ/tháng" in a sales job's rules).
_SALES_WORDS = ("doanh số", "doanh thu", "sales target", "sales quota", "quota", "revenue", "turnover",
                "omzet", "target penjualan", "ยอดขาย", "业绩", "業績", "销售额", "銷售額", "营业额", "營業額",
                "流水", "매출", "실적", "बिक्री")
_FEE_REACH = 16  # a fee word before an amount must be this close to it
_FEE_AFTER_REACH = 30  # "250 USD मेडिकल और वीज़ा प्रोसेसिंग फीस": a few words may stand between
_FEE_AFTER_CLAUSE_REACH = 50  # a sum with no period: its verb may end the clause
_UP_TO_WORDS = ("up to", "upto", "max", "maximum", "hanggang", "sampai", "hingga", "sehingga", "lên tới",
                "lên đến", "tới", "đến", "tối đa", "สูงสุด", "最高", "最多", "高达", "高達", "可达", "可達",
                "최대",
                "अधिकतम", "រហូតដល់", "ສູງສຸດ", "အများဆုံး")
_UP_TO_AFTER_WORDS = ("तक", "까지", "အထိ")
# What follows a number that is not money: percentages, measures, people, ages, times,
# floors, counts. Checked right after the number, before currencies.
_NOT_MONEY_AFTER_WORDS = (
    "%", "％", "percent", "pct", "persen", "phần trăm", "phan tram", "cm", "mm", "km", "kg", "kgs", "kilo",
    "kilos", "m2", "sqm", "lb", "lbs", "ft", "inch", "inches", "gb", "mb", "tb", "mbps", "wpm", "words",
    "chữ", "people", "persons", "person", "pax", "pcs", "pieces", "slots", "slot", "seats", "seat",
    "vacancies", "positions", "staff", "workers", "employees", "girls", "boys", "người", "nguoi", "bạn",
    "em", "chị", "anh", "nam", "nữ", "orang", "org", "tao", "katao", "yrs old", "years old", "year old",
    "yo", "y/o", "tuổi", "tuoi", "am", "pm", "a.m.", "p.m.", "mins", "min", "minutes", "minute", "phút",
    "menit", "minuto", "sao", "stars", "star", "times", "floor", "floors", "tầng", "lantai", "storey",
    "room", "rooms", "phòng", "street", "st", "road", "rd", "ave", "avenue", "đường", "phố", "jalan", "jl",
    "tower", "block", "blk", "lot", "followers", "views", "likes", "subscribers", "members", "thành viên",
    "lượt", "cái", "chiếc", "buah", "个人", "個人", "人", "名", "位", "岁", "歲", "周岁", "公分", "厘米",
    "公斤",
    "斤", "米", "层", "層", "樓", "楼", "号", "號", "点", "點", "分钟", "分鐘", "分", "秒", "栋", "棟",
    "室",
    "个", "個", "条", "條", "张", "張", "件", "粉丝", "粉絲", "คน", "ท่าน", "อัตรา", "ขวบ", "ซม", "ซ.ม.",
    "กก", "กิโล", "ชั้น", "ห้อง", "เปอร์เซ็นต์", "นาที", "โมง", "น.", "นาฬิกา", "ตัว", "ชิ้น", "ຄົນ", "ທ່ານ",
    "ໂມງ", "ນາທີ", "ຊັ້ນ", "ເປີເຊັນ", "នាក់", "នាទី", "ជាន់", "ភាគរយ", "ម៉ោង", "ယောက်", "ဦး", "မိနစ်",
    "ထပ်", "ရာခိုင်နှုန်း", "명", "분", "세", "살", "층", "호", "시", "센티", "킬로", "퍼센트", "개", "장", "번",
    "लोग", "व्यक्ति", "जन", "बजे", "मिनट", "प्रतिशत", "सेमी", "किलो", "मंज़िल", "मंजिल", "साल का", "साल की",
)
# Words just before a number that make it an age, height, phone, address or identifier.
_NOT_MONEY_BEFORE_WORDS = (
    "age", "ages", "aged", "tuổi", "độ tuổi", "usia", "umur", "edad", "อายุ", "ອາຍຸ", "អាយុ", "အသက်",
    "年龄", "年齡", "나이", "연령", "उम्र", "आयु", "height", "cao", "tinggi", "ส่วนสูง", "身高", "키", "taas",
    "weight", "cân nặng", "berat", "น้ำหนัก", "体重", "體重", "몸무게", "phone", "tel", "tel.", "call",
    "hotline", "sđt", "sdt", "zalo", "whatsapp", "wa", "viber", "line", "telegram", "hp", "no hp", "โทร",
    "เบอร์", "电话", "電話", "手机", "手機", "联系", "聯繫", "연락처", "전화", "फोन", "मोबाइल", "ទូរស័ព្ទ",
    "លេខ", "ໂທ", "ເບີ", "ဖုန်း", "số", "no.", "nomor", "room", "phòng", "floor", "tầng", "lantai", "ชั้น",
    "ห้อง", "ซอย", "ถนน", "路", "街", "號", "樓", "楼", "층", "quận", "district", "phường", "ward", "blk",
    "block", "lot", "unit", "street", "jalan", "jl.", "gang", "kode", "code", "otp", "pin", "id",
    "licence no", "license no", "passport", "hộ chiếu", "paspor", "护照", "護照", "여권", "पासपोर्ट",
    "version", "top", "level", "lvl", "size", "model", "mã", "mã số", "năm", "year", "tahun", "ปี", "ປີ",
    "ឆ្នាំ", "年",
)
_RANGE_WORDS = frozenset({"-", "~", "〜", "～", "to", "till", "until", "đến", "tới", "den", "hingga",
                          "sampai",
                          "sampe", "s/d", "ถึง", "至", "到", "hanggang", "à", "bis", "se", "từ"})

# Categories of a lexicon word (a word may have several).
_CUR_BEFORE, _CUR_AFTER, _PERIOD_AFTER, _PERIOD_BEFORE, _PAY, _FEE, _FEE_AFTER, _NOT_BEFORE, _NOT_AFTER, \
    _UP_TO, _UP_TO_AFTER, _MM_UNIT, _SALES = (1 << bit for bit in range(13))
_WINDOW_KINDS = _CUR_BEFORE | _PERIOD_BEFORE | _PAY | _FEE | _NOT_BEFORE | _UP_TO | _MM_UNIT | _CUR_AFTER | \
    _SALES
_AFTER_KINDS = _CUR_AFTER | _PERIOD_AFTER | _NOT_AFTER | _UP_TO_AFTER | _FEE_AFTER


@dataclass(slots=True)
class _Word:
    mask: int = 0
    currency: str = ""  # _CUR_BEFORE / _CUR_AFTER
    period: str = ""  # _PERIOD_AFTER: hour..year or "task"; _PERIOD_BEFORE: hour..year or "none"
    before_period: str = ""
    per: bool = False  # the word includes its "per" ("a month", "ต่อเดือน", "每月")
    adverb: bool = False
    needs_per: bool = False
    standalone: bool = False  # 월/연/ខែ before an amount: must be a word of its own
    adjacent: bool = False  # _ADJACENT_PERIOD_BEFORE: a period only right before the amount
    factor: float = 0.0  # _MM_UNIT
    latin_start: bool = False
    latin_end: bool = False
    guard_end: bool = False  # ends in a script whose vowel signs would continue the word


def _build_lexicon() -> dict[str, _Word]:
    lexicon: dict[str, _Word] = {}

    def add(word: str, mask: int, spelled: bool = False, **fields: Any) -> None:
        for variant in (word,) if spelled else _variants(word):
            # "thu nhập" and "thunhập", "a month" and "amonth": chat drops spaces
            for form in (variant, variant.replace(" ", "")) if " " in variant else (variant,):
                needle = form.lower()
                entry = lexicon.get(needle)
                if entry is None:
                    entry = lexicon[needle] = _Word(
                        latin_start=needle[0] in _LATIN_CHARS, latin_end=needle[-1] in _LATIN_CHARS,
                        guard_end=_COMBINING_SCRIPTS_RE.match(needle[-1]) is not None)
                entry.mask |= mask
                for name, value in fields.items():
                    if value and not getattr(entry, name):
                        setattr(entry, name, value)

    for code, aliases in _CURRENCY_WORDS.items():
        for alias in aliases:
            add(alias, _CUR_AFTER, currency=code)
            if alias not in _AFTER_ONLY and alias not in _CLDR_AFTER_ONLY and \
                    not _OTHER_SCRIPTS_RE.search(alias):
                add(alias, _CUR_BEFORE, currency=code)
    per_spellings = [v for per in _PER_WORDS for v in _variants(per)]
    for word, period in _PERIOD_WORDS.items():
        add(word, _PERIOD_AFTER, period=period, adverb=word in _PERIOD_ADVERBS,
            needs_per=word in _PERIOD_NEEDS_PER)
        for spelled_word in _variants(word):
            for per in per_spellings:
                add(per + spelled_word, _PERIOD_AFTER, spelled=True, period=period, per=True)
    for word, period in _PERIOD_BEFORE_WORDS.items():
        add(word, _PERIOD_BEFORE, before_period=period)
    for word, period in _STANDALONE_PERIOD_BEFORE.items():
        add(word, _PERIOD_BEFORE, before_period=period, standalone=True)
    for word, period in _ADJACENT_PERIOD_BEFORE.items():
        add(word, _PERIOD_BEFORE, before_period=period, adjacent=True)
    for words, mask in ((_PAY_WORDS, _PAY), (_FEE_WORDS, _FEE), (_FEE_AFTER_WORDS, _FEE_AFTER),
                        (_SALES_WORDS, _SALES),
                        (_UP_TO_WORDS, _UP_TO), (_UP_TO_AFTER_WORDS, _UP_TO_AFTER),
                        (_NOT_MONEY_AFTER_WORDS, _NOT_AFTER), (_NOT_MONEY_BEFORE_WORDS, _NOT_BEFORE)):
        for word in words:
            add(word, mask)
    for word, factor in _MYANMAR_UNITS.items():
        add(word, _MM_UNIT, factor=factor)
    return lexicon


def _lexicon_lists() -> tuple[list[str], list[_Word]]:
    """The lexicon's needles, and their entries with each distinct entry kept once: ~10,700
    needles (spellings, "per" forms) share ~300 distinct entries, ~1.5 MB less per process.
    Entries are not changed after the build."""
    lexicon = _build_lexicon()
    distinct: dict[tuple[Any, ...], _Word] = {}
    return list(lexicon), [distinct.setdefault(astuple(word), word) for word in lexicon.values()]


_LEXICON_NEEDLES, _LEXICON_WORDS = _lexicon_lists()
_LEXICON_AUTOMATON: Any = ahocorasick_rs.AhoCorasick(_LEXICON_NEEDLES) if ahocorasick_rs is not None else None


def _lexicon_matches(lowered: str) -> list[tuple[int, int, int]]:
    """(word index, start, end) of every lexicon word, overlapping ones included."""
    if _LEXICON_AUTOMATON is not None:
        return list(_LEXICON_AUTOMATON.find_matches_as_indexes(lowered, overlapping=True))
    # Without ahocorasick_rs (not expected: it is a dependency): the longest word at each position.
    index = {needle: i for i, needle in enumerate(_LEXICON_NEEDLES)}
    return [(index[m.group(1)], m.start(), m.start() + len(m.group(1)))
            for m in _fallback_regex(tuple(_LEXICON_NEEDLES)).finditer(lowered)]


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    word: _Word


class _Words:
    """The lexicon words of one text, indexed by where they start and where they end."""

    __slots__ = ("by_end", "by_start", "ends", "folded", "starts")

    def __init__(self, folded: str, spans: Sequence[tuple[int, int]] | None = None) -> None:
        """Find the words in `spans` of the text only (the stretches around its numbers)."""
        self.folded = folded
        lowered = _lowercase(folded)
        length = len(folded)
        self.by_start: dict[int, list[_Hit]] = {}
        by_end: list[_Hit] = []
        for low, high in spans if spans is not None else ((0, length),):
            for index, start, end in _lexicon_matches(lowered[low:high]):
                start += low
                end += low
                word = _LEXICON_WORDS[index]
                if word.latin_start and start and lowered[start - 1] in _LATIN_CHARS:
                    continue
                if end < length and ((word.latin_end and lowered[end] in _LATIN_CHARS)
                                     or (word.guard_end and lowered[end] in _COMBINING_CHARS)):
                    continue
                hit = _Hit(start, end, word)
                if word.mask & _AFTER_KINDS:
                    self.by_start.setdefault(start, []).append(hit)
                if word.mask & _WINDOW_KINDS:
                    by_end.append(hit)
        by_end.sort(key=lambda hit: hit.end)
        self.ends = [hit.end for hit in by_end]
        self.by_end = by_end
        self.starts = sorted(self.by_start)
        for hits in self.by_start.values():
            if len(hits) > 1:
                hits.sort(key=lambda hit: -hit.end)

    def at(self, position: int, kind: int) -> _Hit | None:
        """The longest word of `kind` starting at `position`, or one space after it."""
        hits = self.by_start.get(position)
        if hits is not None:
            for hit in hits:  # longest first
                if hit.word.mask & kind:
                    return hit
        if self.folded[position:position + 1] == " ":
            hits = self.by_start.get(position + 1)
            if hits is not None:
                for hit in hits:
                    if hit.word.mask & kind:
                        return hit
        return None

    def before(self, position: int, lowest: int) -> Iterator[_Hit]:
        """Words ending at or before `position` and starting at or after `lowest`, nearest first."""
        index = bisect.bisect_right(self.ends, position)
        while index > 0:
            index -= 1
            hit = self.by_end[index]
            if hit.end < lowest:
                return
            if hit.start >= lowest:
                yield hit

    def starting_within(self, low: int, high: int) -> Iterator[_Hit]:
        index = bisect.bisect_left(self.starts, low)
        while index < len(self.starts) and self.starts[index] <= high:
            yield from self.by_start[self.starts[index]]
            index += 1


_DATE_RE = re.compile(r"[0-9](?:[0-9]{0,3}([/.\-])[0-9]{1,2}\1[0-9]{1,4}|[0-9]?/[0-9]{1,2})(?![0-9])")
_NOT_MONEY_GAP_RE = re.compile(r"[\s:：#.\-]{0,3}")
# "cao" is a height ("cao 1m60") but "lương cao 1 triệu/ngày" is high pay: Vietnamese lures' own
# "việc nhẹ lương cao" (light work, high pay) before the amount.
_HIGH_PAY_BEFORE_RE = re.compile(r"(?:lương|luong|nhập|nhap)\s?cao$")
_NO_DIGIT_GAP_RE = re.compile(r"[^\d\n]*")
_FEE_GAP_RE = re.compile(r"[^\d\n.,;!?।()]*")
_WINDOW = 40  # characters of context read before an amount
_MAX_DIGITS = 11  # longer digit runs are phone or account numbers
_PHONE_DIGITS = 9  # bare digit runs this long are phone numbers unless a currency stands next to them


# ---------------------------------------------------------------------------------------
# The text's language and its currencies
# ---------------------------------------------------------------------------------------

_SCRIPT_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("th", re.compile(r"[\u0e01-\u0e4e]")), ("lo", re.compile(r"[\u0e81-\u0edf]")),
    ("km", re.compile(r"[\u1780-\u17d3]")), ("my", re.compile(r"[\u1000-\u109f]")),
    ("ko", re.compile(r"[\uac00-\ud7a3]")), ("hi", re.compile(r"[\u0900-\u097f]")),
    ("han", re.compile(r"[\u4e00-\u9fff]")),
)
_VIETNAMESE_RE = re.compile(r"[ơưăđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_CANTONESE_RE = re.compile(r"[搵啲嘅係冇咗佢嚟唔喺]")
_MALAY_RE = re.compile(r"\b(?:ringgit|rm\d|sebulan|boleh|jawatan|percuma|syarikat|temuduga|sahaja|wang|"
                       r"kerja kosong|pekerjaan|elaun|yuran|luar negara)\b", re.IGNORECASE)
_INDONESIAN_RE = re.compile(r"\b(?:juta|rupiah|rp|ribu|lowongan|loker|bisa|saja|gratis|uang|gajinya|"
                            r"dibutuhkan|berangkat|luar negeri|perusahaan)\b", re.IGNORECASE)
_TAGALOG_RE = re.compile(r"\b(?:sahod|sweldo|kada|buwan|mga|po|lang|libre|naghahanap|trabaho|kami|namin|"
                         r"ang|ng)\b", re.IGNORECASE)
# Magnitude words used by one country's people only: their currency is the guess of last resort.
_UNIT_CURRENCY = {_key(v): currency for words, currency in (
    (("juta", "jt", "jta", "ribu", "rb", "rebu"), "IDR"), (("triệu", "trieu", "tr", "củ", "nghìn",
      "ngàn"), "VND"),
    (("lakh", "lakhs", "lac", "lacs", "lpa", "crore", "crores", "लाख", "करोड़", "करोड"), "INR"),
    (("သိန်း", "သန်း"), "MMK")) for word in words for v in _variants(word)}
_LOCALE_CURRENCIES: dict[str, tuple[str, ...]] = {
    "vi": ("VND", "USD"), "th": ("THB", "USD"), "km": ("USD", "KHR"), "lo": ("LAK", "USD"),
    "my": ("MMK", "USD"), "id": ("IDR", "USD"), "ms": ("MYR", "USD"), "tl": ("PHP", "USD"),
    "hi": ("INR", "USD"), "ko": ("KRW", "USD"), "zh_Hans": ("CNY", "USD"), "zh_Hant": ("TWD", "USD"),
    "zh_HK": ("HKD", "USD"), "en": (),
}
_COUNTRY_CURRENCY = {"KH": "USD", "MM": "MMK", "LA": "LAK", "TH": "THB", "PH": "PHP", "VN": "VND",
                     "ID": "IDR", "MY": "MYR", "IN": "INR", "CN": "CNY", "TW": "TWD", "HK": "HKD",
                     "KR": "KRW", "JP": "JPY", "SG": "SGD", "KE": "KES", "NG": "NGN", "UG": "UGX",
                     "GH": "GHS", "ET": "ETB", "AE": "AED", "SA": "SAR", "QA": "QAR", "KW": "KWD",
                     "GB": "GBP", "US": "USD", "AU": "AUD", "CA": "CAD", "NZ": "NZD", "BN": "BND",
                     "MO": "MOP", "OM": "OMR", "BH": "BHD", "IL": "ILS", "DE": "EUR"}


def normalise_language(language: str | None) -> str | None:
    """A locale code as `screening.language` gives it (or a Telegram language_code) -> ours."""
    if not language:
        return None
    code = language.replace("-", "_").casefold()
    if code.startswith("zh"):
        if code.endswith(("_hk", "_mo")):
            return "zh_HK"
        return "zh_Hant" if any(part in code for part in ("hant", "_tw")) else "zh_Hans"
    code = code.split("_")[0]
    if code == "fil":
        return "tl"
    return code if code in _LOCALE_CURRENCIES else None


def _guess_locale(folded: str) -> str | None:
    """The text's language from its scripts, for reading amounts written without a currency.

    Cheap on purpose (the caller usually passes the language it detected); Latin-script
    Malay/Indonesian/Tagalog are told apart by a few words only they use in job ads.
    """
    sample = folded[:600]
    counts = {name: len(pattern.findall(sample)) for name, pattern in _SCRIPT_RES}
    script, count = max(counts.items(), key=lambda item: item[1])
    if count >= 2:
        if script != "han":
            return script
        if counts["ko"] or counts["th"]:
            return None
        simplified = sum(char in SIMPLIFIED_ONLY for char in sample)
        traditional = sum(char in TRADITIONAL_ONLY for char in sample)
        return "zh_Hant" if traditional > simplified else "zh_Hans"
    if _VIETNAMESE_RE.search(sample):
        return "vi"
    scores = {"ms": len(_MALAY_RE.findall(sample)), "id": len(_INDONESIAN_RE.findall(sample)),
              "tl": len(_TAGALOG_RE.findall(sample))}
    best = max(scores, key=lambda key: scores[key])
    return best if scores[best] >= 2 else "en"


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Context:
    folded: str
    original: str
    words: _Words
    locale: str | None
    locale_known: bool
    country: str | None
    tables: MoneyTables
    places: tuple[str, ...] | None = None

    def locale_or_guess(self) -> str | None:
        if not self.locale_known:
            self.locale = _guess_locale(self.folded)
            self.locale_known = True
            if self.locale == "zh_Hant" and _CANTONESE_RE.search(self.folded):
                self.locale = "zh_HK"  # 搵工, 啲, 嘅: Hong Kong, where "$" and 元 are HK dollars
        return self.locale

    def place_currencies(self) -> tuple[str, ...]:
        if self.places is None:
            self.places = _priced_places(places.countries_named(self.original), self.tables)
        currencies = {_COUNTRY_CURRENCY[c] for c in self.places if c in _COUNTRY_CURRENCY}
        return tuple(currencies) if len(currencies) == 1 else ()


# "Rs." and "rupees" are Sri Lankan rupees in a Sri Lankan notice (SLBFE jobs abroad), at about a
# third of the Indian rupee: read as INR, a legal wage looked three times higher (issue 14).
_SRI_LANKA_RE = re.compile(r"sri lank|\bslbfe\b|\blkr\b|ශ්‍රී ලංකා|श्रीलंका|斯里兰卡|斯里蘭卡|스리랑카",
                           re.IGNORECASE)


_ZAMBIA_RE = re.compile(r"zambia|ज़ाम्बिया|जाम्बिया|赞比亚|尚比亞|잠비아|แซมเบีย|lusaka", re.IGNORECASE)
_MYANMAR_RE = re.compile(r"myanmar|burma|yangon|mandalay|မြန်မာ|缅甸|緬甸|미얀마|เมียนมา|พม่า", re.IGNORECASE)
_NEPAL_RE = re.compile(r"nepal|नेपाल|尼泊尔|尼泊爾|네팔|เนปาล", re.IGNORECASE)
_PAKISTAN_RE = re.compile(r"pakistan|पाकिस्तान|巴基斯坦|파키스탄|ปากีสถาน", re.IGNORECASE)
# "$" where the only country named pays in its own dollars: "$3,000 a month in Canada" (issue 14).
_LOCAL_DOLLARS = frozenset({"CAD", "AUD", "NZD", "SGD", "HKD", "TWD"})


def _resolve_symbol(code: str, context: _Context) -> str:
    """'$', '元', '¥' by the text: local dollar/yuan in Traditional Chinese, yen where yen is spoken of;
    rupees are Sri Lankan, Nepalese or Pakistani in a text about that country; '$' is the dollar of
    the one dollar country the text names (Canada, Australia, New Zealand, Singapore, Hong Kong,
    Taiwan)."""
    if code == "INR":
        if _SRI_LANKA_RE.search(context.folded):
            return "LKR"
        if _NEPAL_RE.search(context.folded):
            return "NPR"
        return "PKR" if _PAKISTAN_RE.search(context.folded) else code
    if code == "¥":
        if re.search(r"円|yen|yên|日元|日圓|엔|เยน", context.folded, re.IGNORECASE):
            return "JPY"
        # Japan the one place named, in a text not written in Chinese (where "¥" is the yuan even for
        # a job in Japan, "月薪¥15000"): "drivers in Japan earn an average of ¥200,000" (issue 14).
        if (context.place_currencies() == ("JPY",)
                and context.locale_or_guess() not in ("zh_Hans", "zh_Hant", "zh_HK")):
            return "JPY"
        return "CNY"
    if code == "$":
        places = context.place_currencies()
        if places and places[0] in _LOCAL_DOLLARS:
            return places[0]
    if code in ("$", "元"):
        local = {"zh_Hant": "TWD", "zh_HK": "HKD"}.get(context.locale_or_guess() or "")
        return local or ("USD" if code == "$" else "CNY")
    return code


def _monthly_usd(amount: float, currency: str, period: str | None, per_task: bool,
                 tables: MoneyTables) -> float:
    usd = amount / tables.rates[currency]
    if per_task or period is None:
        return usd
    return usd * tables.thresholds.per_month[period]


def _plausible(monthly_usd: float, tables: MoneyTables) -> bool:
    return tables.thresholds.plausible_min_usd <= monthly_usd <= tables.thresholds.plausible_max_usd


def _currency_after(context: _Context, position: int) -> tuple[str, int] | None:
    folded = context.folded
    hit = context.words.at(position, _CUR_AFTER)
    if hit is not None:
        return hit.word.currency, hit.end
    # Single letters the lexicon leaves out: 1500U (USDT in Chinese chat), 15.000.000đ.
    char = folded[position:position + 1]
    if char in ("u", "U") and folded[position + 1:position + 2] not in _LATIN_CHARS:
        return "USDT", position + 1
    for start in (position, position + 1):
        if folded[start:start + 1] in ("đ", "Đ") and folded[start + 1:start + 2] not in _LATIN_CHARS and (
                start == position or folded[position] == " "):
            return "VND", start + 1
    return None


@dataclass(slots=True)
class _PeriodAfter:
    period: str  # hour..year or "task"
    per: bool  # a "/" or "per"-word before the period word
    adverb: bool
    needs_per: bool
    latin: bool
    end: int


def _period_after(context: _Context, position: int) -> _PeriodAfter | None:
    folded = context.folded
    start = position + 1 if folded[position:position + 1] == " " else position
    if folded[start:start + 1] == "/":
        after_slash = start + 1 + (folded[start + 1:start + 2] == " ")
        hit = context.words.at(after_slash, _PERIOD_AFTER)
        if hit is not None and hit.start == after_slash:
            return _PeriodAfter(hit.word.period, True, False, False, True, hit.end)
        letter = folded[after_slash:after_slash + 1].lower()
        if letter in _SLASH_PERIOD_LETTERS and folded[after_slash + 1:after_slash + 2] not in _LATIN_CHARS:
            return _PeriodAfter(_SLASH_PERIOD_LETTERS[letter], True, False, False, True, after_slash + 1)
        return None
    hit = context.words.at(position, _PERIOD_AFTER)
    if hit is None:
        return None
    first = folded[hit.start]
    latin = first in _LATIN_CHARS or "\u0900" <= first <= "\u097f"
    return _PeriodAfter(hit.word.period, hit.word.per, hit.word.adverb, hit.word.needs_per, latin, hit.end)


def _is_year(number: _Number) -> bool:
    return (len(number.plain_digits) == 4 and not number.grouped and not number.decimal
            and 1900 <= number.value <= 2099)


def _letters_before_are_currency(context: _Context, start: int) -> bool:
    """RM4,500 / USD1,200 / P18,000 yes; P3MI, A4, KK2 no."""
    folded = context.folded
    for hit in context.words.before(start, max(0, start - 8)):
        if hit.end == start and hit.word.mask & _CUR_BEFORE:
            return True
        if hit.end < start:
            break
    if start >= 2 and folded[start - 2] in _LATIN_CHARS:
        return False
    letter = folded[start - 1]
    return letter in ("p", "P") or (letter in ("k", "K") and _k_currency(folded) is not None)


def _k_currency(folded: str) -> str | None:
    """K5,000: kwacha in a text about Zambia, kyat in one about Myanmar (K is the symbol of both)."""
    return "ZMW" if _ZAMBIA_RE.search(folded) else "MMK" if _MYANMAR_RE.search(folded) else None


def _never_money(number: _Number, folded: str) -> bool:
    """Handles, codes, phone numbers, times: never money whatever the words around them say."""
    start, end = number.start, number.end
    before = folded[start - 1] if start else ""
    if before and (before in "+@#_\\/" or (before == ":" and start >= 2 and folded[start - 2].isdigit())):
        return True
    if folded[end:end + 1] == ":" and folded[end + 1:end + 2].isdigit():
        return True
    if number.value <= 0:
        return True
    digits = number.plain_digits
    if digits:
        if len(digits) > 1 and digits[0] == "0" and not number.decimal:
            return True
        if len(digits) > _MAX_DIGITS:
            return True
    elif number.grouped and folded[start] == "0":
        return True
    return number.needs_han and not _HAN_RE.search(folded)


def _structurally_invalid(number: _Number, context: _Context, *, range_high: bool = False) -> bool:
    """Codes glued to letters (P3MI, KK2, DMW-000) and stray dashes; `_never_money` ran before."""
    folded = context.folded
    start = number.start
    before = folded[start - 1] if start else ""
    if before == "-" and not range_high and start >= 2 and folded[start - 2].isalnum():
        return True
    return before in _LATIN_CHARS and not _letters_before_are_currency(context, start)


@dataclass(slots=True)
class _Amount:
    low: _Number
    high: _Number
    gap_currency: str | None


def _range_gap(context: _Context, first: _Number, second: _Number) -> tuple[bool, str | None]:
    """Whether the text between two numbers joins them into a range, and a currency written there."""
    gap = context.folded[first.end:second.start]
    if len(gap) > 24:
        return False, None
    currency = None
    residue = gap
    for hit in context.words.starting_within(first.end, second.start - 1):
        if hit.end <= second.start and hit.word.mask & (_CUR_AFTER | _CUR_BEFORE):
            currency = currency or hit.word.currency
            residue = residue.replace(context.folded[hit.start:hit.end], " ", 1)
    return " ".join(residue.split()).casefold() in _RANGE_WORDS, currency


def _group_ranges(numbers: list[_Number], context: _Context) -> list[_Amount]:
    amounts: list[_Amount] = []
    index = 0
    while index < len(numbers):
        first = numbers[index]
        if index + 1 < len(numbers):
            second = numbers[index + 1]
            joined, currency = _range_gap(context, first, second)
            if joined:
                low_value = first.value
                if first.scale is None and second.scale is not None and \
                        first.value * second.scale <= second.value * 1.0001:
                    low_value = first.value * second.scale  # 25-30tr, 2-2.5 करोड़, 2000-2500万
                if 0 < low_value < second.value:
                    first.value = low_value
                    amounts.append(_Amount(first, second, currency))
                    index += 2
                    continue
        amounts.append(_Amount(first, first, None))
        index += 1
    return amounts


_AFTER_REACH = 80  # characters read after a number: currency, period, up to, fee words
# Before folding anything: any digit of any script, or a numeral that needs no digit.
_NUMERAL_CHAR_RE = re.compile(rf"[\d{_HAN_UNIT_CLASS}만천억]")
_NUMERAL_WORD_RE = re.compile(_alternation({**_THAI_UNITS, **_LAO_UNITS, **_HINDI_UNITS, **_KHMER_UNITS,
                                             **_MYANMAR_UNITS}))


def _has_numerals(text: str) -> bool:
    if _NUMERAL_CHAR_RE.search(text) is not None:
        return True
    if any(key in text for key in _SEVERAL_KEYS) and next(_SEVERAL_RE.finditer(text), None) is not None:
        return True  # "puluhan juta": a numeral in words only
    if next(_latin_word_numbers(text), None) is not None:
        return True  # "hai mươi triệu", "two thousand": number words only
    return not text.isascii() and _NUMERAL_WORD_RE.search(text) is not None


def _spans_around(numbers: Sequence[_Number], length: int) -> list[tuple[int, int]]:
    """The stretches of text whose words can bear on the numbers, merged where they touch."""
    spans: list[tuple[int, int]] = []
    for number in numbers:
        low, high = max(0, number.start - _WINDOW - 8), min(length, number.end + _AFTER_REACH)
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], high))
        else:
            spans.append((low, high))
    return spans


def _drop_dates(numbers: list[_Number], folded: str) -> list[_Number]:
    dates = [m.span() for m in _DATE_RE.finditer(folded)
             if not m.start() or folded[m.start() - 1] not in "0123456789.,"]
    if not dates:
        return numbers
    kept = []
    index = 0
    for number in numbers:  # both lists are in text order
        while index < len(dates) and dates[index][1] <= number.start:
            index += 1
        if index < len(dates) and dates[index][0] < number.end:
            continue
        kept.append(number)
    return kept


def read_money(text: str, *, language: str | None = None, country: str | None = None,
               tables: MoneyTables | None = None) -> list[PayAmount]:
    """Every amount of money in `text` (pay and fees), in text order.

    `language` is the text's locale if the caller detected it (`screening.language`
    codes; a Telegram language_code works too); without it the script decides.
    `country` (ISO alpha-2, the person's) supplies the currency of bare amounts in
    English text. Amounts whose currency cannot be told are left out.
    """
    text = text[:MAX_CHARS]
    if not _has_numerals(text):
        return []
    return _read_money(text, fold(text), language, country, tables)


def _read_money(text: str, folded: str, language: str | None, country: str | None,
                tables: MoneyTables | None) -> list[PayAmount]:
    locale = normalise_language(language)
    numbers = _find_numbers(folded, locale)
    if not numbers:
        return []
    tables = tables if tables is not None else default_tables()
    if locale == "zh_Hant" and _CANTONESE_RE.search(folded):
        locale = "zh_HK"
    if "/" in folded or "." in folded or "-" in folded:
        numbers = _drop_dates(numbers, folded)
    numbers = [number for number in numbers if not _never_money(number, folded)]
    if not numbers:
        return []
    words = _Words(folded, _spans_around(numbers, len(folded)))
    context = _Context(folded=folded, original=text, words=words, locale=locale,
                       locale_known=locale is not None, country=country.upper() if country else None,
                       tables=tables)
    results: list[PayAmount] = []
    previous_end = 0
    for amount in _group_ranges(numbers, context):
        pay = _read_amount(amount, previous_end, context,
                           after_fee=bool(results) and results[-1].kind == "fee")
        previous_end = amount.high.end
        if pay is not None:
            if results and pay.kind != results[-1].kind and \
                    _CONVERSION_GAP_RE.fullmatch(folded, results[-1].span[1], pay.span[0]) is not None:
                pay = replace(pay, kind=results[-1].kind)
            results.append(pay)
    return results


# "to deposit VND100 million (nearly US$5,000)", "Rs 2 lakh (about $2,400)", "Rp 25 juta (sekitar
# US$1.600)", "100 triệu đồng (khoảng 4.000 USD)", "3万元(约合4000美元)": the press gives an amount's
# equivalent in brackets right after it. It is the same sum, so it is what that sum is: a deposit's
# dollar figure is not pay (issue 14: Viet Nam's refundable EPS deposit was judged as US$5,000 of pay).
_CONVERSION_GAP_RE = re.compile(
    r"\s?[(\[]\s?(?:(?:nearly|almost|about|around|approximately|approx\.?|roughly|some|over|more than|"
    r"or|equivalent to|equal to|sekitar|kira-kira|lebih kurang|hampir|setara(?: dengan)?|khoảng|gần|"
    r"tương đương(?: với)?|mga|humigit-kumulang|halos|katumbas ng|ประมาณ|เกือบ|ราว|ປະມານ|ប្រហែល|"
    r"ခန့်|लगभग|करीब|약|대략|约合?|約合?|相当于|相當於|合)\s?){0,2}[~≈]?\s?")


def read_pay(text: str, *, language: str | None = None, country: str | None = None,
             tables: MoneyTables | None = None) -> list[PayAmount]:
    """The amounts `text` offers as pay (fees and costs left out), in text order."""
    return [amount for amount in read_money(text, language=language, country=country, tables=tables)
            if amount.kind == "pay"]


@dataclass(slots=True)
class _Before:
    """What the words before an amount say about it."""

    currency: str | None = None
    currency_start: int | None = None
    not_money: bool = False
    period: str | None = None  # hour..year, or "none" (a pay word that states no period)
    period_end: int | None = None
    pay_end: int | None = None
    pay_start: int = 0
    fee_end: int | None = None
    fee_start: int = 0
    sales_end: int | None = None
    up_to: bool = False
    unit_factor: float | None = None
    unit_currency: str | None = None


def _read_before(context: _Context, start: int, lowest: int) -> _Before:
    folded = context.folded
    found = _Before()
    unit_hit: _Hit | None = None
    currency_end = -1
    for hit in context.words.before(start, lowest):
        word, mask = hit.word, hit.word.mask
        gap = folded[hit.end:start]
        if mask & _CUR_BEFORE and gap in ("", " ") and (found.currency is None or (
                hit.end == currency_end and hit.start < (found.currency_start or 0))):  # NT$ over $
            found.currency, found.currency_start, currency_end = word.currency, hit.start, hit.end
        if mask & _NOT_BEFORE and _NOT_MONEY_GAP_RE.fullmatch(gap) and \
                _HIGH_PAY_BEFORE_RE.search(folded[max(0, hit.start - 10):hit.end].lower()) is None:
            found.not_money = True
        if mask & _PERIOD_BEFORE and found.period is None and len(gap) <= 20 and \
                _NO_DIGIT_GAP_RE.fullmatch(gap) and (not word.standalone or _standalone(folded, hit)) and \
                (not word.adjacent or _adjacent_gap(folded, hit, start, found)) and \
                not _working_time(folded, hit, found):
            found.period, found.period_end = word.before_period, hit.end
        if mask & _PAY and found.pay_end is None:
            found.pay_end, found.pay_start = hit.end, hit.start
        if mask & _SALES and found.sales_end is None:
            found.sales_end = hit.end
        if mask & _FEE and (found.fee_end is None or (
                hit.end == found.fee_end and hit.start < found.fee_start)):
            found.fee_end, found.fee_start = hit.end, hit.start  # the longest of the nearest
        if mask & _UP_TO and len(gap) <= 6 and _NO_DIGIT_GAP_RE.fullmatch(gap):
            found.up_to = True
        if mask & _MM_UNIT and unit_hit is None and (gap == "" or gap == " "):
            unit_hit = hit
            found.unit_factor = word.factor
        elif unit_hit is not None and mask & _CUR_AFTER and found.unit_currency is None and \
                folded[hit.end:unit_hit.start] in ("", " "):
            found.unit_currency = word.currency
    if found.currency is None and folded[start - 1:start] in ("p", "P") and (
            start < 2 or folded[start - 2] not in _LATIN_CHARS):
        found.currency, found.currency_start = "PHP", start - 1  # P18,000: Philippine pesos
    elif found.currency is None and folded[start - 1:start] in ("k", "K") and (
            start < 2 or folded[start - 2] not in _LATIN_CHARS):
        letter_currency = _k_currency(folded)
        if letter_currency is not None:
            found.currency, found.currency_start = letter_currency, start - 1
    return found


# "8 hours a day, salary $1,500", "làm 8 tiếng một ngày, lương 8 triệu", "kerja 8 jam sehari, gaji 5
# juta", "8 oras kada araw, sahod 20,000": the day or week before a clause break and a pay word is
# the working time, and the pay after it is a month's unless it says otherwise (issue 14, r-perks2).
_CLAUSE_BREAK_RE = re.compile(r"[,.;:!?，。；：、|\n]")


# "每周休息一天 8000元", "mỗi tuần nghỉ một ngày 8 triệu": a day off, not a day's rate.
_REST = ("休息", "休", "放假", "轮休", "輪休", "nghỉ ", "nghi ", "libur ", "cuti ", "off ", "쉬는 ")


def _working_time(folded: str, hit: _Hit, found: _Before) -> bool:
    """A day off before this period word, or a pay word after a clause break between it and the amount."""
    if folded[max(0, hit.start - 6):hit.start].lower().endswith(_REST):
        return True
    return found.pay_end is not None and found.pay_start >= hit.end and \
        _CLAUSE_BREAK_RE.search(folded, hit.end, found.pay_start) is not None


def _adjacent_gap(folded: str, hit: _Hit, start: int, found: _Before) -> bool:
    """Only a space, a colon or the amount's currency between an adjacent period word and the amount."""
    end = start
    if found.currency is not None and found.currency_start is not None and hit.end <= found.currency_start:
        end = found.currency_start
    gap = folded[hit.end:end]
    # "kada linggo P5,000": the peso's P is read after this loop
    return gap in _ADJACENT_GAP or (end == start and gap[-1:] in ("p", "P") and gap[:-1] in _ADJACENT_GAP)


def _standalone(folded: str, hit: _Hit) -> bool:
    """월 and 연 not inside a Korean word or after a digit; ខែ after a space."""
    before = folded[hit.start - 1:hit.start]
    if hit.word.before_period and folded[hit.start] in "월연":
        return not before or not (before.isdigit() or "\uac00" <= before <= "\ud7a3")
    return not before or before.isspace()


# "Tiền hồ sơ 30 triệu, tiền vé 5 triệu. Vậy là tổng cộng 80 triệu": a total right after a fee adds
# up fees, not pay.
_TOTAL_RE = re.compile(r"(?:tổng cộng|tổng số|tổng|total|altogether|总共|一共|共计|合计|總共|共計|合計|"
                       r"jumlah|totalnya|keseluruhan|kabuuan|lahat-lahat|รวมทั้งหมด|รวม|ทั้งหมด|총|합계|"
                       r"모두|कुल|सब मिलाकर)", re.IGNORECASE)


def _read_amount(amount: _Amount, previous_end: int, context: _Context, *,
                 after_fee: bool = False) -> PayAmount | None:
    folded, tables = context.folded, context.tables
    low, high = amount.low, amount.high
    if _structurally_invalid(low, context) or (
            high is not low and _structurally_invalid(high, context, range_high=True)):
        return None

    # What follows the last number: not-money words, then a currency, a period, "up to", fees.
    position = high.end
    currency: str | None = amount.gap_currency
    period: str | None = "year" if high.annual_unit else None
    per_task = False
    after_currency = _currency_after(context, position)
    if after_currency is not None and after_currency[0] == "VND" and high.value < 1000 and \
            folded[position:after_currency[1]].strip() == "동":
        after_currency = None  # 5동 is a building number; 2000만 동 is dong
    found_period = _period_after(context, position if after_currency is None else after_currency[1])
    if after_currency is None:
        if found_period is None:
            not_money = context.words.at(position, _NOT_AFTER)
            if not_money is not None or (folded[position:position + 1] in ("x", "X") and
                                         folded[position + 1:position + 2] not in _LATIN_CHARS):
                return None
            if folded[position:position + 1] in _LATIN_CHARS:
                return None  # 3rd, 5G, 12h, 9am: glued letters that are neither currency nor unit
    else:
        currency = currency or after_currency[0]
        position = after_currency[1]
    if found_period is not None:
        noun = not found_period.per and not found_period.adverb
        if noun and (found_period.needs_per or (after_currency is None and (
                _is_year(high) or (high.value < 100 and high.scale is None)))):
            if after_currency is None:
                return None  # 3 tháng, 26 days, 16시간, 2024年, 12h: a duration, a date or a time
        elif noun and not found_period.latin:
            pass  # Thai/Lao/Khmer/Burmese nouns run into the next word (နေ့လယ်စာ lunch): not a period
        else:
            if found_period.period == "task":
                per_task = True
            else:
                period = found_period.period
            position = found_period.end
    up_to = context.words.at(position, _UP_TO_AFTER) is not None
    fee_after = False
    # A sum with no period may have its verb at the clause's end (Hindi, Korean): "24.30 लाख रुपये
    # अलग-अलग तिथियों पर बैंक खातों में ट्रांसफर कराए"; the gap stays within the clause.
    after_reach = _FEE_AFTER_REACH if period is not None or per_task else _FEE_AFTER_CLAUSE_REACH
    for hit in context.words.starting_within(position, position + after_reach):
        if hit.word.mask & _FEE_AFTER and _FEE_GAP_RE.fullmatch(folded, position, hit.start) and \
                not any(char.isdigit() for char in folded[hit.end:hit.end + 3]):
            fee_after = True  # ...but "月薪1200U 報名費5000": a number right after is the fee's own
            break

    # What precedes the first number: a currency, a period word, pay or fee words.
    window_start = max(previous_end, low.start - _WINDOW)
    before = _read_before(context, low.start, window_start)
    span_start = low.start
    if before.currency is not None:
        currency = currency or before.currency
        span_start = before.currency_start if before.currency_start is not None else low.start
    elif currency is None and before.not_money:
        return None
    stated_period = before.period
    if period is None and not per_task and stated_period not in (None, "none"):
        period = stated_period
    pay_end = before.pay_end
    if before.period_end is not None:  # "월 1500달러", "เดือนละ 1,600": a period word says pay
        pay_end = max(pay_end or 0, before.period_end)
    # A fee word counts when it is close ("deposit $200", "ค่าตั๋ว 500"), not from across a sentence
    # ("free air ticket + visa. 1,200 USD").
    # Farther back it counts within the same clause, for a sum with no period: "pay the recruitment
    # agency 200,000", "fees of as much as CAD$9000" (no digit nor clause mark between); not "bayaran
    # lumayan sebanyak RM15,000 sebulan" (a month's pay: "bayaran" is pay and payment).
    fee_end = before.fee_end
    if fee_end is not None and fee_end < low.start - _FEE_REACH and (
            period is not None or per_task or stated_period not in (None, "none")
            or not _FEE_GAP_RE.fullmatch(folded, fee_end, low.start)):
        fee_end = None
    # A fee word that contains the pay word ending with it ("all-in package" over "package") wins.
    is_fee = fee_after or (fee_end is not None and (pay_end is None or fee_end > pay_end or (
        fee_end == pay_end and before.fee_start < before.pay_start)))
    sales_end = before.sales_end
    if sales_end is not None and sales_end >= low.start - _FEE_REACH and (
            pay_end is None or sales_end > pay_end) and (fee_end is None or sales_end > fee_end):
        return None  # a sales target or a turnover, not money the person earns or pays
    if after_fee and not is_fee and pay_end is None and period is None and not per_task and \
            _TOTAL_RE.search(folded, window_start, low.start) is not None:
        is_fee = True
    up_to = up_to or before.up_to
    if before.unit_factor is not None and high.scale is None:
        low.value *= before.unit_factor  # ဒေါင် သန်း ၂၀-၂၅: Burmese may write the unit first
        if high is not low:
            high.value *= before.unit_factor
        currency = currency or before.unit_currency

    evidence = (currency is not None or period is not None or per_task or stated_period is not None
                or pay_end is not None or before.fee_end is not None or fee_after or high.money_unit)
    if not evidence:
        return None
    if currency is None and _is_year(high) and period is None and not high.money_unit and (
            pay_end is None or pay_end < low.start - 3):
        return None  # "2024" after a pay word far back is a year
    if (low.space_grouped or high.space_grouped) and currency is None and \
            " " in context.original[low.start:high.end]:
        return None  # "5 000" is money only next to a currency (or with a no-break space)
    if high.plain_digits and len(high.plain_digits) >= _PHONE_DIGITS and currency is None:
        return None

    stated = currency is not None
    typed_period: Period | None = period if period in PERIODS else None  # type: ignore[assignment]
    if currency is not None:
        currency = _resolve_symbol(currency, context)
        if currency not in tables.rates:
            return None
    elif _counts_in_man(high, typed_period, context):
        # "월 300", "연봉 3000": Korean pay talk counts in 만 원 (ten thousand won) without
        # writing the unit, so "월 2000" is 20 million won a month, not 2,000 of anything.
        low.value *= 10_000
        if high is not low:
            high.value *= 10_000
        currency = "KRW"
    else:
        currency = _bare_currency(high.value, typed_period, per_task, context, high.units)
        if currency is None:
            return None
    monthly = _monthly_usd(high.value, currency, typed_period, per_task, tables)
    return PayAmount(
        amount=high.value, currency=currency, period=typed_period, monthly_usd=monthly,
        span=(span_start, position), minimum=low.value if high is not low else None, up_to=up_to,
        currency_stated=stated, per_task=per_task, kind="fee" if is_fee else "pay",
        text=context.original[span_start:position].strip(),
    )


def _counts_in_man(amount: _Number, period: Period | None, context: _Context) -> bool:
    """A Korean monthly or yearly amount with neither currency nor unit, of a size that only
    makes sense as a count of 만 원 (10 to 99,999: 10만 to 9억 9,999만 원)."""
    return (period in ("month", "year") and not amount.units and not amount.money_unit
            and 10 <= amount.value < 100_000 and context.locale_or_guess() == "ko")


def _bare_currency(amount: float, period: Period | None, per_task: bool, context: _Context,
                   units: Sequence[str] = ()) -> str | None:
    """The currency of an amount written without one: the first candidate that makes it a wage."""
    if per_task:
        return None  # "100rb per pertemuan" without Rp: too little to tell
    candidates: list[str] = []
    if context.country and context.country in _COUNTRY_CURRENCY:
        candidates.append(_COUNTRY_CURRENCY[context.country])
    locale = context.locale_or_guess()
    candidates += _LOCALE_CURRENCIES.get(locale or "", ())
    candidates += [_UNIT_CURRENCY[unit] for unit in units if unit in _UNIT_CURRENCY]
    if not candidates or locale in (None, "en"):
        candidates += context.place_currencies()
    for currency in dict.fromkeys(candidates):
        if currency in context.tables.rates and _plausible(
                _monthly_usd(amount, currency, period, False, context.tables), context.tables):
            return currency
    return None


# ---------------------------------------------------------------------------------------
# Places, origins, experience
# ---------------------------------------------------------------------------------------

def _priced_places(countries: tuple[str, ...], tables: MoneyTables) -> tuple[str, ...]:
    """The places the pay is read against: those named by hand (`places.NAMED_BY_HAND`) and the
    countries CLDR added that have a wage row (Kenya, Nigeria...). The others CLDR added (Nepal,
    Malta, Oman...) say the job is abroad, not what it pays: named beside a country with a wage
    row, they would keep a lawful notice's pay from reading as within that market
    (`PayVerdict.within_destinations`)."""
    return tuple(c for c in countries if c in places.NAMED_BY_HAND or c in tables.wages)


def origin_countries_for(language: str | None, country: str | None = None, *,
                         tables: MoneyTables | None = None) -> tuple[str, ...]:
    """The person's country if known, else the countries the text's language points to."""
    if country:
        return (country.upper(),)
    tables = tables if tables is not None else default_tables()
    locale = normalise_language(language)
    if locale == "zh_HK":
        return ("HK",)
    return tables.origin_by_language.get(locale or "", ())


# Each pattern starts with a plain literal or a single digit (the last digit of the number:
# cheap to scan for, unlike `[0-9]+`, a top-level alternation or IGNORECASE on the already
# lower-cased text) and runs only when one of its keywords is in the text.
_EXPERIENCE_PATTERNS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (keys, re.compile(pattern)) for keys, pattern in (
        (("exp",), r"[0-9]\s*\+?\s*(?:years?|yrs?)\b[^.\n]{0,25}?\b(?:experience|exp)\b"),
        (("exp",), r"exp(?:erience)?\b[^.\n]{0,15}?\b[0-9]+\s*\+?\s*(?:years?|yrs?)\b"),
        (("experience", "karanasan"), r"[0-9]\s*(?:taon|yrs?)\s+(?:na\s+)?(?:experience|karanasan)"),
        (("saal",), r"[0-9]\s*saal\s*(?:ka\s*)?experience"),
        (("min",), r"min(?:imum)?\.?\s*(?:of\s*)?[0-9]+\s*(?:years?|yrs?|tahun)\b"),
        (("tefl", "tesol", "celta", "cpa", "jlpt"), r"(?:tefl|tesol|celta|cpa|jlpt)\b"),
        (("n1", "n2"), r"n[12](?![0-9a-z])"),
        (("prc",), r"prc\s+licen[cs]e"),
        (("licen",), r"licen[cs]e\s+required"),
        (("registered nurse",), r"registered nurse"),
        (("board passer",), r"board passer"),
        (("kinh nghiệm",), r"[0-9]\s*năm kinh nghiệm"),
        (("kinh nghiệm",), r"kinh nghiệm\s*(?:từ|tối thiểu|ít nhất)?\s*[0-9]+\s*năm"),
        (("ประสบการณ์",), r"ประสบการณ์\s*(?:อย่างน้อย|ขั้นต่ำ)?\s*[0-9]+\s*ปี"),
        (("ใบประกอบวิชาชีพ",), r"ใบประกอบวิชาชีพ"),
        (("pengalaman",), r"pengalaman\s*(?:min(?:imal)?\.?|minimum|sekurang-kurangnya)?\s*[0-9]+\s*tahun"),
        (("pengalaman",), r"[0-9]\s*tahun pengalaman"),
        (("经验", "經驗"), r"[一二两三四五六七八九十0-9]\s*年(?:以上)?(?:工作|相关|相關)?(?:经验|經驗)"),
        (("经验", "經驗"), r"(?:经验|經驗)\s*[一二两三四五六七八九十0-9]+\s*年"),
        (("执照", "執照", "證照"), r"执照|執照|證照"),
        (("경력",), r"경력\s*[0-9]+\s*년"),
        (("경력",), r"[0-9]\s*년\s*이상\s*경력"),
        (("경력직",), r"경력직"),
        (("자격증",), r"자격증\s*(?:필수|소지)"),
        (("अनुभव",), r"[0-9]\s*(?:साल|वर्ष)\s*(?:का\s*)?अनुभव"),
        (("अनुभव",), r"अनुभव\s*[0-9]+\s*(?:साल|वर्ष)"),
        (("បទពិសោធន៍",), r"បទពិសោធន៍\s*[0-9]+\s*ឆ្នាំ"),
        (("ປະສົບການ",), r"ປະສົບການ\s*[0-9]+\s*ປີ"),
        (("အတွေ့အကြုံ",), r"အတွေ့အကြုံ\s*[0-9]+\s*နှစ်"),
    ))


def asks_for_experience(text: str) -> bool:
    """Whether the offer asks for years of experience or a professional qualification.

    Such jobs (a nurse with a licence, a developer with 3 years, a TEFL teacher) are
    not the entry-level work lures offer, so `pay_assessment(skilled=True)` judges
    their pay only at the much higher `skilled_ratio`. "No experience needed" has no
    number of years and does not count.
    """
    return _asks_for_experience_in(_lowercase(fold(text)))


def _asks_for_experience_in(lowered: str) -> bool:
    return any(any(key in lowered for key in keys) and pattern.search(lowered) is not None
               for keys, pattern in _EXPERIENCE_PATTERNS)


# ---------------------------------------------------------------------------------------
# Judging
# ---------------------------------------------------------------------------------------

def judged_pays(pays: Iterable[PayAmount], tables: MoneyTables | None = None) -> list[PayAmount]:
    """The pays a verdict may rest on: offered pay, a judged period, a plausible monthly sum."""
    tables = tables if tables is not None else default_tables()
    thresholds = tables.thresholds
    return [pay for pay in pays
            if pay.kind == "pay" and not pay.per_task and pay.period in thresholds.judged_periods
            and _plausible(pay.monthly_usd, tables)]


def pay_assessment(pays: Iterable[PayAmount], *, origin_countries: Iterable[str] = (),
                   destination_countries: Iterable[str] = (), skilled: bool = False,
                   tables: MoneyTables | None = None,
                   places_named: Iterable[str] | None = None,
                   sectors: Iterable[str] = ()) -> PayVerdict | None:
    """Whether the highest plausible pay is far above market; None when it cannot be told.

    The reference wage is the destination's when the job is in a country with a wage
    row (several named: the highest of them, so that naming an extra country never
    makes pay look higher), judged at `destination_ratio`. Otherwise it is the origin's
    (the person's country or their language's: of several, the one whose currency the
    pay is written in, else the highest), at the higher `origin_only_ratio`. `skilled`
    (see `asks_for_experience`) replaces both ratios by `skilled_ratio`. None: no
    judgeable pay, or neither a destination nor an origin with a wage row.

    The person's own country is where the job is only when no other place is named
    (`places_named`: every country the text names, with or without a wage row; by default
    `destination_countries`): "Pinoy workers for hotels in Croatia, hiring by the
    Philippines" is a job in Croatia, and its euros are not judged against Manila's wages
    (issue 14); "캄보디아 ... 한국" judges the lure's pay against Cambodia's market, not Korea's.

    `sectors` (see `sectors_named`): where the offer names a sector of wages.json and every
    place it names other than the person's own has that sector's row, pay up to the lowest
    of those rows' upper bounds is what the sector pays there (nurses in Saudi Arabia at
    SAR 8,000-12,000): not far above market, and within the destinations.
    """
    tables = tables if tables is not None else default_tables()
    candidates = judged_pays(pays, tables)
    if not candidates:
        return None
    if any(p.period is not None for p in candidates):
        # Where the offer states its pay per month (day, year), an amount without a period is a lump
        # sum (a grant, a bonus, the cost of going, the year's total), not another month's pay;
        # unless it is the ceiling of that pay ("$800 a month, up to $3,000 with commission").
        candidates = [p for p in candidates if p.period is not None or p.up_to]
    pay = max(candidates, key=lambda p: p.monthly_usd)
    wages = tables.wages
    thresholds = tables.thresholds
    origin_codes = frozenset(c.upper() for c in origin_countries)
    origins = [c for c in dict.fromkeys(c.upper() for c in origin_countries) if c in wages]
    origin: str | None = None
    if origins:
        same_currency = [c for c in origins if wages[c].currency == pay.currency]
        origin = max(same_currency or origins, key=lambda c: wages[c].reference_usd)
    listed = list(dict.fromkeys(c.upper() for c in destination_countries))
    everywhere = listed if places_named is None else [c.upper() for c in places_named]
    home_is_elsewhere = any(c not in origin_codes for c in everywhere)
    destinations = [c for c in listed if c in wages and not (home_is_elsewhere and c in origin_codes)]
    if not destinations and pay.currency_stated:
        # No place named, but pay written in the money of one country with a wage row other than
        # the person's ("RM7,000" in English, "1.200 ringgit" in Indonesian): the job is paid
        # there, so it is judged there. Not the US dollar (Cambodia's wage currency, and the
        # currency of lures everywhere).
        paid_in = [c for c, row in wages.items() if row.currency == pay.currency]
        if len(paid_in) == 1 and pay.currency not in ("USD", "USDT") and paid_in[0] not in origins:
            destinations = paid_in
    basis: Basis
    if destinations:
        country = max(destinations, key=lambda c: wages[c].reference_usd)
        basis, threshold = "destination", thresholds.destination_ratio
    elif origin is not None:
        country, basis, threshold = origin, "origin", thresholds.origin_only_ratio
    else:
        return None
    if skilled:
        threshold = max(threshold, thresholds.skilled_ratio)
    reference = wages[country].reference_usd
    ratio = pay.monthly_usd / reference
    origin_reference = wages[origin].reference_usd if origin is not None else None
    named = [c for c in dict.fromkeys(c.upper() for c in destination_countries)
             if c not in origin_codes]
    within = (basis == "destination" and bool(named) and all(c in wages for c in named)
              and pay.monthly_usd < threshold * min(wages[c].reference_usd for c in named))
    in_sector = bool(named) and _within_sector(pay.monthly_usd, named, sectors, tables)
    return PayVerdict(
        far_above=ratio >= threshold and not in_sector, monthly_usd=pay.monthly_usd, reference_usd=reference,
        ratio=ratio,
        threshold=threshold, country=country, basis=basis, pay=pay, origin_country=origin,
        origin_reference_usd=origin_reference,
        origin_ratio=pay.monthly_usd / origin_reference if origin_reference else None,
        ordinary=(basis == "destination" and country != origin and thresholds.ordinary_ratio is not None
                  and ratio < thresholds.ordinary_ratio),
        within_destinations=within or in_sector, destinations_named=tuple(named),
    )


def _within_sector(monthly_usd: float, named: Sequence[str], sectors: Iterable[str],
                   tables: MoneyTables) -> bool:
    """Whether a sector the offer names has a row for every place named (`named`: not the
    person's own country, nor a country the sector's workers are sent from) and the pay is at
    most the lowest of those rows' upper bounds."""
    wanted = set(sectors)
    for sector in tables.sectors:
        places = [c for c in named if c not in sector.sent_from]
        if (sector.name in wanted and places and all(c in sector.max_usd for c in places)
                and monthly_usd <= min(sector.max_usd[c] for c in places)):
            return True
    return False


def assess_pay(text: str, *, language: str | None = None, country: str | None = None,
               tables: MoneyTables | None = None) -> PayVerdict | None:
    """`pay_assessment` of an offer's text in one call, folding the text once.

    Destinations are `places.countries_named(text)`, origins `origin_countries_for(language,
    country)`, `skilled` is `asks_for_experience(text)`; the place and experience
    lookups run only when the text has pay to judge.
    """
    tables = tables if tables is not None else default_tables()
    text = text[:MAX_CHARS]
    if not _has_numerals(text):
        return None
    folded = fold(text)
    pays = judged_pays(_read_money(text, folded, language, country, tables), tables)
    if not pays:
        return None
    lowered = _lowercase(folded)
    named = places.countries_named_in_lowered(lowered)
    return pay_assessment(pays, origin_countries=origin_countries_for(language, country, tables=tables),
                          destination_countries=_priced_places(named, tables),
                          skilled=_asks_for_experience_in(lowered), tables=tables, places_named=named,
                          sectors=_sectors_in(lowered, tables) if named else ())
