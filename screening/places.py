"""Places and journeys of scam-compound recruitment, in the 13 languages of the bot.

`find_places(text)` finds the countries (Cambodia, Myanmar, Laos, the Philippines as
destinations, Thailand as the usual transit), the compound towns and zones
(Sihanoukville, Myawaddy, KK Park, the Golden Triangle SEZ…), the border crossings
(Mae Sot, the Moei and Mekong rivers, Sungai Golok…) and the transit hubs (Bangkok,
Kuala Lumpur…) that a text names, with their spans in the text as given.

`read_route(text)` reads a *journey*: the strongest signal of a lure is not where
the job is but how the person is told to get there. It returns a `RouteSignal`
when the text has

- an irregular crossing ("walk across the border at night", 偷渡, vượt biên,
  ช่องทางธรรมชาติ, jalan tikus…), or
- a pick-up at a border (a driver or "our man" meeting you at Mae Sot or the border), or
- a movement to or through a border (cross the river, take the boat across the Moei,
  enter through Poipet, go via Tachileik, by car to Cambodia…), or
- a flight to a hub followed by an overland leg or a leg that reaches a border
  ("fly to Bangkok, then our driver takes you to the border").

A place name alone is never a route: a movement and a means or a border are needed.
A route that only passes a crossing on the way to a tourist destination (the bus to
Siem Reap via Poipet) is not read as one. Whether the text is a job offer at all is the
caller's business (`screening.rules`' job-context rule).

`countries_named(text)` reads which countries a text names as places (a job abroad, the market
the pay is judged against in `screening.money`): the one reader of country names, over the
hand-written names of `data/country_names.json` and CLDR's (`data/cldr_countries.json`).

Everything language-specific is data (`data/places.json`): place names with their
guards, and per language the cue phrases of each kind (air, road, boat, foot, pickup,
cross, border, irregular…). The countries' own names are `data/country_names.json`'s
"country_names", the list `countries_named` reads, with the same guards: one answer to which
of these countries a text names. One Aho-Corasick pass (`ahocorasick_rs`, as in
`screening.prefilter`) finds every name and cue in the normalised text; a small
matcher pairs cues and places by distance. Pure Python, no Telegram, no storage.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from locales.i18n import SUPPORTED_LOCALES
from screening.textnorm import (
    COMBINING_CHARS,
    LATIN_CHARS,
    collapse_whitespace,
    fold,
    longest_first_regex,
    lower_aligned,
    spelling_variants,
)

ahocorasick_rs: Any
try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - the fallback is tested by constructing it on purpose
    ahocorasick_rs = None

DATA_PATH = Path(__file__).resolve().parent / "data" / "places.json"
LICENCES_PATH = DATA_PATH.parent / "origin_licences.json"

LOCALES: tuple[str, ...] = tuple(SUPPORTED_LOCALES)
KINDS: tuple[str, ...] = ("country", "zone", "crossing", "transit")
ROLES: tuple[str, ...] = ("destination", "transit", "other")
FEATURES: frozenset[str] = frozenset({
    "air", "move", "road", "overland", "boat", "foot", "pickup", "cross", "through", "border",
    "river", "irregular", "covert", "neutral", "ticket",
})

# Reasons a RouteSignal gives, strongest first.
IRREGULAR_CROSSING = "irregular_crossing"
PICKUP_AT_BORDER = "pickup_at_border"
FLIGHT_THEN_OVERLAND = "flight_then_overland"
BORDER_CROSSING = "border_crossing"
OVERLAND_TO_COUNTRY = "overland_to_country"
REASONS: tuple[str, ...] = (IRREGULAR_CROSSING, PICKUP_AT_BORDER, FLIGHT_THEN_OVERLAND,
                            BORDER_CROSSING, OVERLAND_TO_COUNTRY)

# Beyond this many characters text is not read (as screening.assess.MAX_MATCHED_CHARS).
MAX_CHARS = 20_000

# Distances (in characters of normalised text, between the nearer ends of two spans).
_COVERT_WINDOW = 40      # "at night" … "cross the border"
_PICKUP_WINDOW = 60      # "our driver picks you up" … "Mae Sot"
_MOVE_WINDOW = 50        # "take the boat" … "the Moei"
_THROUGH_WINDOW = 15     # "via" … "Tachileik": the place must follow at once
_COUNTRY_WINDOW = 40     # "by car" … "Cambodia"
_CROSS_COUNTRY_WINDOW = 25
_HUB_AFTER_AIR = 40      # "fly to" … "Bangkok"
_HUB_BEFORE_AIR = 20     # "曼谷" … "落地" (verb after the place)
_FLIGHT_TO_GROUND = 160  # "fly to Bangkok" … "then by van"
_AFTER_GROUND = 80       # "by van" … "to the border"
_BEFORE_AIR = 150        # "a branch near the border" … "fly to Bangkok"
_TOURIST_WINDOW = 150
_LEG_MERGE = 15          # cues this close describe one leg ("take the boat across the river")
_LONGEST_NAME = 80       # no name or cue phrase is longer (checked when the file is loaded)
_EXPLAINED_PAIRINGS = 6  # legs are built from the stretches of this many strongest pairings

_GROUND = frozenset({"road", "overland", "boat", "foot", "pickup"})
_MOVEMENT = frozenset({"air", "move", "road", "overland", "boat", "foot", "pickup", "cross"})
_LEG_STARTS = _MOVEMENT | {"through", "irregular", "ticket"}
_MODE_ORDER: tuple[tuple[str, str], ...] = (
    ("air", "air"), ("ticket", "air"), ("boat", "boat"), ("foot", "foot"), ("road", "road"),
    ("pickup", "pickup"), ("irregular", "crossing"), ("cross", "crossing"), ("border", "crossing"),
    ("move", "travel"), ("through", "travel"),
)


class PlacesError(ValueError):
    """The places file is malformed; the message names the entry and field."""


# --------------------------------------------------------------------------------------------
# Public results


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in a text."""

    country: str               # ISO 3166-1 alpha-2 of the country the place is in
    place: str                 # id in data/places.json ("cambodia", "mae_sot", …)
    kind: str                  # "country" | "zone" | "crossing" | "transit"
    span: tuple[int, int]      # in the text as given to find_places / read_route
    role: str = "other"        # the country's role: "destination" | "transit" | "other"
    border: bool = False       # on a border (crossings, border zones, border rivers)

    @property
    def destination(self) -> bool:
        """In a country where scam compounds are (KH, MM, LA, PH)."""
        return self.role == "destination"


@dataclass(frozen=True, slots=True)
class RouteLeg:
    """One leg of a journey, for an explanation: how, and to or through where."""

    mode: str                  # "air" | "boat" | "foot" | "road" | "pickup" | "crossing" | "travel"
    cue: str                   # the words that say it, as written
    span: tuple[int, int]      # of those words, in the text as given
    places: tuple[PlaceMention, ...]
    crosses_border: bool       # the leg crosses or reaches a border, a border river or crossing
    pickup: bool               # someone picks the person up on this leg


@dataclass(frozen=True, slots=True)
class RouteSignal:
    """A journey read from a text: why it is a route, its legs and places."""

    reasons: tuple[str, ...]   # from REASONS, strongest first
    legs: tuple[RouteLeg, ...]
    places: tuple[PlaceMention, ...]
    span: tuple[int, int]      # from the first to the last word of the route
    languages: tuple[str, ...]  # locales whose cue phrases were read

    @property
    def irregular(self) -> bool:
        return IRREGULAR_CROSSING in self.reasons

    @property
    def pickup(self) -> bool:
        return PICKUP_AT_BORDER in self.reasons or any(leg.pickup for leg in self.legs)

    def describe(self) -> str:
        """A one-line English summary (for logs and staff), e.g. 'air → bangkok; road, pickup → mae_sot'."""
        parts = []
        for leg in self.legs:
            label = leg.mode + (", pickup" if leg.pickup and leg.mode != "pickup" else "")
            label += " (border)" if leg.crosses_border else ""
            if leg.places:
                label += " → " + ", ".join(place.place for place in leg.places)
            parts.append(label)
        return "; ".join(parts) + f" [{', '.join(self.reasons)}]"


@dataclass(frozen=True, slots=True)
class PlaceReading:
    """Both readings of one text, from one scan."""

    places: list[PlaceMention]
    route: RouteSignal | None


# --------------------------------------------------------------------------------------------
# Normalisation: NFKC-like, zero-width characters removed, whitespace collapsed, lower case.
# Offsets into the text as given are kept so results can point at the person's own words.

# Invisible characters: zero-width (spacing) characters, joiners, direction marks, the soft
# hyphen, Hangul fillers; used by Thai/Khmer/Burmese typing and by spammers dodging filters.
_INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
              "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]+")
_THAI_AM = ("\u0e4d\u0e32", "\u0e33")   # decomposed SARA AM -> the composed letter people type
_LAO_AM = ("\u0ecd\u0eb2", "\u0eb3")
_APOSTROPHES = "\u2018\u2019\u02bc\u02b9\u2032\uff07`\u00b4"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


# Supplementary-plane blocks whose characters normalise to plain letters and digits (bold or
# italic "𝐂𝐚𝐦𝐛𝐨𝐝𝐢𝐚", enclosed letters, CJK compatibility ideographs): kept as whole blocks, so
# that `re` compiles the other classes to a bitmap of the BMP.
_SUPPLEMENTARY = "\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff\U0002f800-\U0002fa1f"


def _build_tables() -> tuple[dict[int, str], list[str]]:
    """(single-character folds, BMP characters whose normal form has another length)."""
    fold: dict[int, str] = {}
    resized: list[str] = []
    code_points = itertools.chain(range(0xA0, 0x10000), range(0x1D400, 0x1D800), range(0x1F100, 0x1F200),
                                  range(0x2F800, 0x2FA20))
    for code_point in code_points:
        char = chr(code_point)
        if not unicodedata.decomposition(char):
            continue
        normal = unicodedata.normalize("NFKC", char)
        if len(normal) == 1 and normal != char:
            fold[code_point] = normal
        elif len(normal) != 1 and char not in (_THAI_AM[1], _LAO_AM[1]) and code_point < 0x10000:
            resized.append(char)
    for char in _APOSTROPHES:
        fold[ord(char)] = "'"
    for char in _DASHES:
        fold[ord(char)] = "-"
    resized.append("\u0130")  # İ: the one character whose lower case is two characters long
    return fold, resized


def _char_class(chars: Sequence[str]) -> str:
    ranges: list[tuple[int, int]] = []
    for code_point in sorted({ord(char) for char in chars}):
        if ranges and ranges[-1][1] == code_point - 1:
            ranges[-1] = (ranges[-1][0], code_point)
        else:
            ranges.append((code_point, code_point))
    return "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges)


_FOLD, _RESIZED = _build_tables()
# Marks that compose with the letter before them when typed separately: Latin diacritics
# (decomposed Vietnamese from some keyboards) and Hangul vowel and final jamo. (Thai, Khmer,
# Burmese and Devanagari marks stay as typed: NFC keeps them separate, Devanagari nukta included.)
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u1161-\u11c2"
_COMBINING_RE = re.compile(f"[{_COMBINING}]")
# Signs that combine with the sign after them: decomposed Thai and Lao AM, Burmese ဥ + ီ = ဦ.
_PAIR_FIRST = {"\u0e4d": "\u0e32", "\u0ecd": "\u0eb2", "\u1025": "\u102e"}
# Characters that fill ordinary chat text and fold one for one: str.replace (in C) first.
_FREQUENT = "，：？！（）；" "\u3000\u00a0\u2019\u2018\u2013\u2014"
_FREQUENT_FOLDS = tuple((char, _FOLD[ord(char)]) for char in _FREQUENT if ord(char) in _FOLD)
# Whitespace other than the space, one space each: the ASCII ones with str.replace; the rest are
# special characters (most fold to a space under NFKC; these four do not).
_ASCII_SPACES = "\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f"
_OTHER_SPACES = "\x85\u1680\u2028\u2029"
_RUN_RE = re.compile(" {2,}")
# Everything else normalisation changes; most texts have none of it.
_SPECIAL_BMP = (_char_class([chr(code_point) for code_point in _FOLD if code_point < 0x10000] + _RESIZED)
                + _INVISIBLE + _COMBINING + "".join(_PAIR_FIRST) + _OTHER_SPACES)
_SPECIAL_RE = re.compile("[" + _SPECIAL_BMP + "]+|[" + _SUPPLEMENTARY + "]+")
# Whether a text has any of it: one character class finds that 4-5 times faster than
# _SPECIAL_RE, whose two alternatives `re` tries at every position of the text.
_ANY_SPECIAL_RE = re.compile("[" + _SPECIAL_BMP + _SUPPLEMENTARY + "]")


def _resize(part: str) -> str:
    part = _INVISIBLE_RE.sub("", part)
    for space in _OTHER_SPACES:
        part = part.replace(space, " ")
    normal = unicodedata.normalize("NFKC", part).replace(*_THAI_AM).replace(*_LAO_AM)
    return normal.translate(_FOLD).replace("\u0130", "i")


class _OffsetMap:
    """Maps positions of a rewritten text back to the text it was rewritten from."""

    __slots__ = ("_new_len", "_new_starts", "_old_ends", "_old_len", "_old_starts", "_verbatim")

    def __init__(self, old_len: int) -> None:
        self._new_starts: list[int] = []
        self._old_starts: list[int] = []
        self._old_ends: list[int] = []
        self._verbatim: list[bool] = []
        self._old_len = old_len
        self._new_len = 0

    def add(self, new_start: int, old_start: int, old_end: int, verbatim: bool, new_len: int) -> None:
        if new_len == 0:
            return
        self._new_starts.append(new_start)
        self._old_starts.append(old_start)
        self._old_ends.append(old_end)
        self._verbatim.append(verbatim)
        self._new_len = new_start + new_len

    def start(self, index: int) -> int:
        if index >= self._new_len:
            return self._old_len
        piece = bisect.bisect_right(self._new_starts, index) - 1
        if self._verbatim[piece]:
            return self._old_starts[piece] + index - self._new_starts[piece]
        return self._old_starts[piece]

    def end(self, index: int) -> int:
        if index <= 0:
            return 0
        piece = bisect.bisect_left(self._new_starts, index) - 1
        if self._verbatim[piece]:
            return self._old_starts[piece] + index - self._new_starts[piece]
        return self._old_ends[piece]


class _Rewriter:
    """Builds a rewritten text piece by piece with the map of its positions back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = _OffsetMap(len(text))
        self.parts: list[str] = []
        self.position = 0      # in the old text: everything before is written
        self.new_position = 0

    def replace(self, start: int, end: int, replacement: str) -> None:
        if start > self.position:
            self.offsets.add(self.new_position, self.position, start, True, start - self.position)
            self.parts.append(self.text[self.position:start])
            self.new_position += start - self.position
        self.offsets.add(self.new_position, start, end, False, len(replacement))
        self.parts.append(replacement)
        self.new_position += len(replacement)
        self.position = end

    def finish(self) -> tuple[str, _OffsetMap]:
        text = self.text
        if self.position < len(text):
            self.offsets.add(self.new_position, self.position, len(text), True, len(text) - self.position)
            self.parts.append(text[self.position:])
        return "".join(self.parts), self.offsets


def _special_runs(text: str) -> Iterator[re.Match[str]]:
    """`_SPECIAL_RE.finditer(text)`, found faster: the one-class search skips to the next
    special character, where the same match begins (nothing special lies before it)."""
    position = 0
    while (found := _ANY_SPECIAL_RE.search(text, position)) is not None:
        match = _SPECIAL_RE.match(text, found.start())
        if match is None:  # pragma: no cover - the character is in one of the two classes
            position = found.start() + 1
            continue
        yield match
        position = match.end()


def _rewrite_special(text: str) -> tuple[str, _OffsetMap]:
    """Fold, compose and clean the special runs of `text`, each where it stands."""
    rewriter = _Rewriter(text)
    for match in _special_runs(text):
        start, end = match.span()
        start = max(start, rewriter.position)  # a run may begin inside the previous one's pair
        if start >= end:
            continue
        if _COMBINING_RE.match(text, start) and start > rewriter.position and not text[start - 1].isspace():
            start -= 1   # a separately typed accent composes with the letter before it
        last = text[end - 1]
        if last in _PAIR_FIRST and text.startswith(_PAIR_FIRST[last], end):
            end += 1     # decomposed AM, Burmese ဦ
        rewriter.replace(start, end, _resize(text[start:end]))
    return rewriter.finish()


class _SpaceMap:
    """Positions of the collapsed text back in the text with one space per whitespace character."""

    __slots__ = ("_new_lens", "_new_starts", "_old_ends", "_old_starts")

    def __init__(self, text: str) -> None:
        # Runs of two or more spaces, and a single space at either end of the text.
        runs = [match.span() for match in _RUN_RE.finditer(text)]
        last = len(text)
        if text.startswith(" ") and not (runs and runs[0][0] == 0):
            runs.insert(0, (0, 1))
        if text.endswith(" ") and not (runs and runs[-1][1] == last) and last > 1:
            runs.append((last - 1, last))
        self._old_starts = [start for start, _end in runs]
        self._old_ends = [end for _start, end in runs]
        # A run becomes one space, or nothing at either end of the text.
        self._new_lens = [0 if start == 0 or end == last else 1 for start, end in runs]
        removed = itertools.accumulate((end - start - kept for (start, end), kept in zip(runs, self._new_lens,
                                                                                          strict=True)),
                                       initial=0)
        self._new_starts = [start - before for (start, _end), before in zip(runs, removed, strict=False)]

    def start(self, index: int) -> int:
        run = bisect.bisect_right(self._new_starts, index) - 1
        if run < 0:
            return index
        offset = index - self._new_starts[run]
        if offset < self._new_lens[run]:
            return self._old_starts[run]
        return self._old_ends[run] + offset - self._new_lens[run]

    def end(self, index: int) -> int:
        run = bisect.bisect_left(self._new_starts, index) - 1
        if run < 0:
            return index
        offset = index - self._new_starts[run]
        if offset <= self._new_lens[run]:
            return self._old_starts[run] + offset
        return self._old_ends[run] + offset - self._new_lens[run]


class _Normalised:
    """The matching form of a text, and (computed on first use) the way back to its offsets."""

    __slots__ = ("_given", "_spaced", "_spaces", "_special", "text")

    def __init__(self, given: str) -> None:
        self._given = given
        text = given
        self._special: _OffsetMap | None = None
        if not given.isascii():
            for char, replacement in _FREQUENT_FOLDS:   # one for one: offsets unchanged
                if char in text:
                    text = text.replace(char, replacement)
            if _ANY_SPECIAL_RE.search(text):
                text, self._special = _rewrite_special(text)
        for space in _ASCII_SPACES:                       # one for one again
            if space in text:
                text = text.replace(space, " ")
        self._spaced = text
        self._spaces: _SpaceMap | None = None
        # Whitespace runs to one space, none at the ends (what _SpaceMap maps back).
        self.text = collapse_whitespace(text).lower()

    def original(self, span: tuple[int, int]) -> str:
        """The text as given within `span` (a span returned by `span`)."""
        return self._given[span[0]:span[1]]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the text as given that normalised to text[start:end]."""
        if self._spaces is None:
            self._spaces = _SpaceMap(self._spaced)
        start, end = self._spaces.start(start), self._spaces.end(end)
        if self._special is not None:
            start, end = self._special.start(start), self._special.end(end)
        return start, max(start, end)


def normalise(text: str) -> str:
    """The form names and cues are matched in (NFKC-like, no invisible characters, single
    spaces, lower case); Thai and Lao AM stay composed, as people type them."""
    return _Normalised(text).text


# --------------------------------------------------------------------------------------------
# Boundaries between a match and its neighbours


def _script(char: str) -> str:
    code_point = ord(char)
    if code_point < 0x80:
        return "latin" if char.isalnum() else ""
    if code_point < 0x250 or 0x1E00 <= code_point < 0x1F00 or 0x300 <= code_point < 0x370:
        return "latin" if char.isalnum() or unicodedata.combining(char) else ""
    if 0x900 <= code_point < 0x980:
        return "" if code_point in (0x964, 0x965) else "deva"
    if 0xAC00 <= code_point <= 0xD7A3 or 0x1100 <= code_point < 0x1200 or 0x3130 <= code_point < 0x3190:
        return "hangul"
    if 0xE00 <= code_point < 0xF00 or 0x1000 <= code_point < 0x10A0 or 0x1780 <= code_point < 0x1800:
        return "brahmic"   # Thai, Lao, Burmese, Khmer: written without spaces between words
    if 0x2E80 <= code_point < 0xA000 or 0xF900 <= code_point < 0xFB00 or code_point >= 0x20000:
        return "han"
    return "letter" if char.isalpha() else ""


# Thai and Lao vowels written before their consonant; Khmer coeng and Burmese virama stack the
# next consonant under the previous one: a match cannot start right after any of these.
_NO_START_AFTER = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4\u17d2\u1039")


@dataclass(frozen=True, slots=True)
class _Edges:
    left: str   # the script rule of the match's first character
    right: str  # and of its last

    @staticmethod
    def of(needle: str, *, attached: bool = False) -> _Edges:
        return _Edges("" if attached else _script(needle[0]), _script(needle[-1]))

    def fits(self, text: str, start: int, end: int) -> bool:
        if start > 0:
            before = text[start - 1]
            if self.left in ("latin", "deva", "hangul"):
                if _script(before) == self.left:
                    return False
            elif self.left == "brahmic" and before in _NO_START_AFTER:
                return False
        if end < len(text):
            after = text[end]
            if self.right in ("latin", "deva"):
                if _script(after) == self.right:
                    return False
            elif self.right in ("brahmic", "han", "letter") and unicodedata.category(after)[0] == "M":
                return False
        return True


def _isolated(text: str, start: int, end: int) -> bool:
    """No letter touches the match on either side."""
    return (start == 0 or not _is_letter(text[start - 1])) and (end == len(text) or not _is_letter(text[end]))


def _is_letter(char: str) -> bool:
    return char.isalpha() or unicodedata.category(char)[0] == "M"


@dataclass(frozen=True, slots=True)
class _Guard:
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    alone: bool = False
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()

    def allows(self, text: str, start: int, end: int) -> bool:
        for neighbour in self.not_before:
            if start >= len(neighbour) and text.startswith(neighbour, start - len(neighbour)):
                return False
        for neighbour in self.not_after:
            if text.startswith(neighbour, end):
                return False
        if not (self.before or self.after or self.alone):
            return True
        if any(start >= len(neighbour) and text.startswith(neighbour, start - len(neighbour))
               for neighbour in self.before):
            return True
        if any(text.startswith(neighbour, end) for neighbour in self.after):
            return True
        return self.alone and _isolated(text, start, end)


_NO_GUARD = _Guard()


# --------------------------------------------------------------------------------------------
# The compiled data


@dataclass(frozen=True, slots=True)
class _Place:
    id: str
    country: str
    kind: str
    role: str
    border: bool


@dataclass(frozen=True, slots=True)
class _Name:
    place: _Place
    guard: _Guard


@dataclass(frozen=True, slots=True)
class _Cue:
    features: frozenset[str]
    language: str


@dataclass(frozen=True, slots=True)
class _Needle:
    edges: _Edges
    names: tuple[_Name, ...]
    cues: tuple[_Cue, ...]
    tourist: bool
    # Precomputed from `cues`: their features together, their languages, whether neutral.
    features: frozenset[str] = frozenset()
    languages: tuple[str, ...] = ()
    neutral: bool = False

    @staticmethod
    def make(edges: _Edges, names: tuple[_Name, ...], cues: tuple[_Cue, ...], tourist: bool) -> _Needle:
        features = frozenset[str]().union(*(cue.features for cue in cues))
        return _Needle(edges, names, cues, tourist, features,
                       tuple(sorted({cue.language for cue in cues})), "neutral" in features)


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    features: frozenset[str]
    place: _Place | None = None
    languages: tuple[str, ...] = ()

    @property
    def border_evidence(self) -> bool:
        """Names a border: a crossing, a border zone or river, or a border word."""
        if self.place is not None:
            return self.place.border
        return "border" in self.features or {"cross", "river"} <= self.features

    @property
    def country(self) -> bool:
        return self.place is not None and self.place.kind == "country"


_NO_FEATURES: frozenset[str] = frozenset()


def _gap(first: _Token, second: _Token) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    if first.start >= second.end:
        return first.start - second.end
    if second.start >= first.end:
        return second.start - first.end
    return 0


_EXPANSION_RE = re.compile(r"\{([^{}]*)\}")
_MAX_EXPANSIONS = 256


def expand(phrase: str) -> list[str]:
    """'{pick|picks} {you|u} up' -> the four plain phrases; '{a|}' makes a group optional."""
    groups = _EXPANSION_RE.split(phrase)
    choices = [[part] if index % 2 == 0 else part.split("|") for index, part in enumerate(groups)]
    count = 1
    for options in choices:
        count *= len(options)
    if count > _MAX_EXPANSIONS:
        raise PlacesError(f"cue {phrase!r} expands to {count} phrases (at most {_MAX_EXPANSIONS})")
    return [" ".join("".join(parts).split()) for parts in itertools.product(*choices)]


class PlaceIndex:
    """The compiled places file: one automaton over every name and cue of every language."""

    def __init__(self, document: Mapping[str, Any], country_names: Mapping[str, Any] | None = None) -> None:
        """`country_names`: the document of `data/country_names.json`, where a place with
        "names_of_country" takes its country's names (read from that file when not given)."""
        entries: dict[str, tuple[list[_Name], list[_Cue], list[bool]]] = {}
        self.sources: dict[str, str] = _parse_sources(document)
        self.countries: dict[str, str] = _parse_countries(document, self.sources)
        self.places: dict[str, _Place] = {}
        for raw in _list(document, "places"):
            if isinstance(raw, Mapping) and raw.get("names_of_country"):
                if country_names is None:
                    country_names = _read_document(COUNTRY_NAMES_PATH)
                raw = _with_country_names(raw, country_names)
            place, names = _parse_place(raw, self.countries, self.sources)
            if place.id in self.places:
                raise PlacesError(f"duplicate place id {place.id!r}")
            self.places[place.id] = place
            for needle, guard in names:
                slot = entries.setdefault(needle, ([], [], []))
                if not any(name.place.id == place.id and name.guard == guard for name in slot[0]):
                    slot[0].append(_Name(place, guard))
        tourist = document.get("tourist_ends", {})
        for needle in _tourist_names(tourist, self.sources):
            entries.setdefault(needle, ([], [], []))[2].append(True)
        categories = _parse_categories(document)
        attached: set[str] = set()
        for needle, cue, follows_letter in _parse_cues(document, categories):
            slot = entries.setdefault(needle, ([], [], []))
            if cue not in slot[1]:
                slot[1].append(cue)
            if follows_letter:
                attached.add(needle)
        too_long = [needle for needle in entries if len(needle) > _LONGEST_NAME]
        if too_long:
            raise PlacesError(f"names or cues longer than {_LONGEST_NAME} characters: {too_long[:3]}")
        self._needles = list(entries)
        self._compiled = [
            _Needle.make(_Edges.of(needle, attached=needle in attached), tuple(names), tuple(cues),
                         bool(tourist_flags))
            for needle, (names, cues, tourist_flags) in entries.items()
        ]
        self._automaton: Any = None
        if ahocorasick_rs is not None:
            self._automaton = ahocorasick_rs.AhoCorasick(self._needles)

    @property
    def needle_count(self) -> int:
        return len(self._needles)

    def _occurrences(self, text: str) -> Iterator[tuple[int, int, int]]:
        if self._automaton is not None:
            yield from self._automaton.find_matches_as_indexes(text, overlapping=True)
            return
        for index, needle in enumerate(self._needles):  # without the extension: slow, same result
            start = text.find(needle)
            while start >= 0:
                yield index, start, start + len(needle)
                start = text.find(needle, start + 1)

    def tokens(self, text: str) -> tuple[list[_Token], list[_Token], list[_Token]]:
        """(places, cues, tourist destinations) found in normalised `text`, in text order."""
        places: list[_Token] = []
        cues: list[_Token] = []
        tourist: list[_Token] = []
        neutral: list[tuple[int, int]] = []
        compiled = self._compiled
        for index, start, end in self._occurrences(text):
            needle = compiled[index]
            if not needle.edges.fits(text, start, end):
                continue
            for name in needle.names:
                if name.guard is _NO_GUARD or name.guard.allows(text, start, end):
                    places.append(_Token(start, end, _NO_FEATURES, name.place))
            if needle.cues:
                if needle.neutral:
                    neutral.append((start, end))
                else:
                    cues.append(_Token(start, end, needle.features, None, needle.languages))
            if needle.tourist:
                tourist.append(_Token(start, end, _NO_FEATURES))
        places = _outermost(places)
        if neutral or places:
            # A cue inside a neutral phrase ("via" in "via WhatsApp") or inside a longer place
            # name is no cue.
            covering = sorted([*neutral, *((token.start, token.end) for token in places)])
            starts = [start for start, _end in covering]
            cues = [token for token in cues if not _covered(token, covering, starts)]
        cues.sort(key=lambda token: (token.start, -token.end))
        return places, cues, tourist


def _covered(token: _Token, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether a longer span in `spans` (sorted) contains the token's span."""
    index = bisect.bisect_right(starts, token.start) - 1
    length = token.end - token.start
    while index >= 0 and spans[index][0] >= token.start - _LONGEST_NAME:
        start, end = spans[index]
        if token.end <= end and end - start > length:
            return True
        index -= 1
    return False


def _recent(kept: list[_Token], start: int) -> Iterator[_Token]:
    """The kept tokens (in text order) that start close enough before `start` to contain it."""
    for token in reversed(kept):
        if token.start < start - _LONGEST_NAME:
            return
        yield token


def _outermost(places: list[_Token]) -> list[_Token]:
    """Places in text order without those inside a longer name (Myanmar in Northern Myanmar)."""
    places.sort(key=lambda token: (token.start, -token.end))
    kept: list[_Token] = []
    for token in places:
        if not any(other.start <= token.start and token.end <= other.end
                   and ((other.end - other.start) > (token.end - token.start) or other.place is token.place)
                   for other in _recent(kept, token.start)):
            kept.append(token)
    return kept


# --------------------------------------------------------------------------------------------
# Parsing and validating the file


def _list(document: Mapping[str, Any], key: str) -> list[Any]:
    value = document.get(key)
    if not isinstance(value, list):
        raise PlacesError(f"{key!r} must be a list")
    return value


def _parse_sources(document: Mapping[str, Any]) -> dict[str, str]:
    sources = document.get("sources")
    if not isinstance(sources, Mapping) or not all(
            isinstance(key, str) and isinstance(value, str) and value.strip()
            for key, value in sources.items()):
        raise PlacesError("'sources' must map source keys to descriptions")
    return dict(sources)


def _check_sources(owner: str, raw: Any, sources: Mapping[str, str]) -> None:
    if not isinstance(raw, list) or not raw:
        raise PlacesError(f"{owner}: 'sources' must be a non-empty list of source keys")
    unknown = [key for key in raw if key not in sources]
    if unknown:
        raise PlacesError(f"{owner}: unknown sources {unknown}")


def _parse_countries(document: Mapping[str, Any], sources: Mapping[str, str]) -> dict[str, str]:
    raw = document.get("countries")
    if not isinstance(raw, Mapping):
        raise PlacesError("'countries' must map ISO codes to {role, sources}")
    roles: dict[str, str] = {}
    for code, entry in raw.items():
        if not re.fullmatch(r"[A-Z]{2}", code) or not isinstance(entry, Mapping):
            raise PlacesError(f"country {code!r}: an ISO 3166-1 alpha-2 code mapping to an object")
        if entry.get("role") not in ROLES:
            raise PlacesError(f"country {code}: role must be one of {ROLES}")
        _check_sources(f"country {code}", entry.get("sources"), sources)
        roles[code] = entry["role"]
    return roles


def _normalised_strings(owner: str, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) and item for item in raw):
        raise PlacesError(f"{owner}: must be a list of non-empty strings")
    return tuple(_keep_spaces(item) for item in raw)


def _keep_spaces(item: str) -> str:
    """Normalised, keeping an outer space: guards like "bunga " (before Kamboja) need it."""
    return (" " if item[:1].isspace() else "") + normalise(item) + (" " if item[-1:].isspace() else "")


_GUARD_KEYS = frozenset({"name", "before", "after", "alone", "not_before", "not_after", "note"})


def _parse_name(owner: str, raw: Any) -> tuple[str, _Guard]:
    if isinstance(raw, str):
        name, guard = raw, _NO_GUARD
    elif isinstance(raw, Mapping):
        unknown = set(raw) - _GUARD_KEYS
        if unknown:
            raise PlacesError(f"{owner}: unknown keys {sorted(unknown)}")
        raw_name = raw.get("name")
        if not isinstance(raw_name, str):
            raise PlacesError(f"{owner}: a guarded name needs 'name'")
        name = raw_name
        guard = _Guard(
            before=_normalised_strings(f"{owner} {name!r} before", raw.get("before")),
            after=_normalised_strings(f"{owner} {name!r} after", raw.get("after")),
            alone=bool(raw.get("alone", False)),
            not_before=_normalised_strings(f"{owner} {name!r} not_before", raw.get("not_before")),
            not_after=_normalised_strings(f"{owner} {name!r} not_after", raw.get("not_after")),
        )
        if guard == _NO_GUARD:
            guard = _NO_GUARD
    else:
        raise PlacesError(f"{owner}: a name is a string or an object with 'name'")
    needle = normalise(name)
    if not needle:
        raise PlacesError(f"{owner}: empty name {name!r}")
    return needle, guard


def _language_lists(owner: str, raw: Any) -> Iterator[tuple[str, list[Any]]]:
    if not isinstance(raw, Mapping):
        raise PlacesError(f"{owner}: 'names' must map locales to lists")
    for language, items in raw.items():
        if language not in LOCALES:
            raise PlacesError(f"{owner}: unknown locale {language!r}")
        if not isinstance(items, list):
            raise PlacesError(f"{owner}: names[{language!r}] must be a list")
        yield language, items


def _parse_place(raw: Any, countries: Mapping[str, str],
                 sources: Mapping[str, str]) -> tuple[_Place, list[tuple[str, _Guard]]]:
    if not isinstance(raw, Mapping):
        raise PlacesError("every place must be an object")
    place_id = raw.get("id")
    if not isinstance(place_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", place_id):
        raise PlacesError(f"place id must be snake_case, got {place_id!r}")
    country = raw.get("country")
    if not isinstance(country, str) or country not in countries:
        raise PlacesError(f"place {place_id}: country {country!r} is not in 'countries'")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise PlacesError(f"place {place_id}: kind must be one of {KINDS}")
    _check_sources(f"place {place_id}", raw.get("sources"), sources)
    border = bool(raw.get("border", False)) or kind == "crossing"
    place = _Place(place_id, country, kind, countries[country], border)
    names = [_parse_name(f"place {place_id} [{language}]", item)
             for language, items in _language_lists(f"place {place_id}", raw.get("names"))
             for item in items]
    if not names:
        raise PlacesError(f"place {place_id}: no names")
    return place, names


def _with_country_names(raw: Mapping[str, Any], country_names: Mapping[str, Any]) -> dict[str, Any]:
    """A place entry with "names_of_country": its own names (if any) and, as an "any" list, the
    names of its country from `data/country_names.json`'s "country_names" (the one list of them,
    also read by `countries_named`)."""
    code = raw.get("country")
    names = _country_name_lists(country_names).get(code) if isinstance(code, str) else None
    if names is None:
        raise PlacesError(f"place {raw.get('id')!r}: names_of_country, but country_names has no {code!r}")
    own = raw.get("names", {})
    if not isinstance(own, Mapping):
        raise PlacesError(f"place {raw.get('id')}: 'names' must map locales to lists")
    merged = {key: value for key, value in raw.items() if key not in ("names", "names_of_country")}
    merged["names"] = {language: [*own.get(language, []), *names.get(language, [])]
                       for language in dict.fromkeys([*own, *names])}
    return merged


def _country_name_lists(document: Mapping[str, Any]) -> dict[str, Mapping[str, list[Any]]]:
    """country_names.json's "country_names": each country's names by locale (strings, or objects
    with guards)."""
    raw = document.get("country_names")
    sources = document.get("sources")
    if not isinstance(raw, Mapping) or not isinstance(sources, Mapping):
        raise PlacesError("country names: 'country_names' and 'sources' must be objects")
    lists: dict[str, Mapping[str, list[Any]]] = {}
    for code, entry in raw.items():
        if not re.fullmatch(r"[A-Z]{2}", code) or not isinstance(entry, Mapping):
            raise PlacesError(f"country_names {code!r}: an ISO 3166-1 alpha-2 code mapping to an object")
        _check_sources(f"country_names {code}", entry.get("sources"), sources)
        names = entry.get("names")
        lists[code] = dict(_language_lists(f"country_names {code}", names))
        if not any(lists[code].values()):
            raise PlacesError(f"country_names {code}: no names")
    return lists


def _tourist_names(raw: Any, sources: Mapping[str, str]) -> list[str]:
    if not raw:
        return []
    if not isinstance(raw, Mapping):
        raise PlacesError("'tourist_ends' must be an object with sources and names")
    _check_sources("tourist_ends", raw.get("sources"), sources)
    return [normalise(item) for _language, items in _language_lists("tourist_ends", raw.get("names"))
            for item in items if isinstance(item, str) and normalise(item)]


def _parse_categories(document: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    raw = document.get("route_categories")
    if not isinstance(raw, Mapping):
        raise PlacesError("'route_categories' must map category names to feature lists")
    categories: dict[str, frozenset[str]] = {}
    for name, features in raw.items():
        if not isinstance(features, list) or not features or not set(features) <= FEATURES:
            raise PlacesError(f"route category {name!r}: features must be a list from {sorted(FEATURES)}")
        categories[name] = frozenset(features)
    return categories


def _parse_cues(document: Mapping[str, Any],
                categories: Mapping[str, frozenset[str]]) -> Iterator[tuple[str, _Cue, bool]]:
    """(needle, cue, attached): an attached cue ('~로 이동') may follow a letter directly."""
    raw = document.get("route_cues")
    if not isinstance(raw, Mapping):
        raise PlacesError("'route_cues' must map locales to {category: phrases}")
    for language, by_category in raw.items():
        if language not in LOCALES or not isinstance(by_category, Mapping):
            raise PlacesError(f"route_cues: unknown locale {language!r} or not an object")
        for category, phrases in by_category.items():
            if category not in categories:
                raise PlacesError(f"route_cues[{language}]: unknown category {category!r}")
            if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
                raise PlacesError(f"route_cues[{language}][{category}]: must be a list of phrases")
            cue = _Cue(categories[category], language)
            for phrase in phrases:
                attached = phrase.startswith("~")
                for expanded in expand(phrase.removeprefix("~")):
                    needle = normalise(expanded)
                    if needle:
                        yield needle, cue, attached


def _read_document(path: Path) -> Mapping[str, Any]:
    """A data file's top-level object, or a PlacesError naming the file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise PlacesError(f"{path}: not valid JSON: {error}") from None
    if not isinstance(document, Mapping):
        raise PlacesError(f"{path}: the top level must be an object")
    return document


def load_places(path: Path = DATA_PATH) -> PlaceIndex:
    """Read, validate and compile a places file."""
    return PlaceIndex(_read_document(path))


@cache
def default_index() -> PlaceIndex:
    """The shipped places file, compiled on first use and kept for the life of the process."""
    return load_places(DATA_PATH)


def load_origin_licences(path: Path = LICENCES_PATH) -> dict[str, re.Pattern[str]]:
    """Read and validate a licences file (`data/origin_licences.json`): for each country, one
    pattern of the licence numbers its recruitment authority issues (any of the file's)."""
    document = _read_document(path)
    sources = _parse_sources(document)
    patterns: dict[str, re.Pattern[str]] = {}
    for entry in _list(document, "licences"):
        if not isinstance(entry, Mapping):
            raise PlacesError("every licence must be an object")
        code = entry.get("country")
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code) or code in patterns:
            raise PlacesError(f"licence country {code!r}: an ISO 3166-1 alpha-2 code, once")
        _check_sources(f"licence {code}", entry.get("sources"), sources)
        raw = entry.get("patterns")
        if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p for p in raw):
            raise PlacesError(f"licence {code}: 'patterns' must be a non-empty list of regexes")
        try:
            patterns[code] = re.compile("|".join(raw), re.IGNORECASE)
        except re.error as error:
            raise PlacesError(f"licence {code}: {error}") from None
    return patterns


@cache
def _default_origin_licences() -> dict[str, re.Pattern[str]]:
    return load_origin_licences(LICENCES_PATH)


def licensed_origins(text: str, countries: frozenset[str]) -> frozenset[str]:
    """Of `countries` (those whose places the text names), the ones whose recruitment licence the
    text prints (`data/origin_licences.json`): an origin country's authority licenses agencies
    for placements abroad only, so that country is where the worker starts."""
    licences = _default_origin_licences()
    return frozenset(code for code in countries
                     if code in licences and licences[code].search(text) is not None)


# --------------------------------------------------------------------------------------------
# Reading


def _mention(token: _Token, normalised: _Normalised) -> PlaceMention:
    place = token.place
    assert place is not None
    return PlaceMention(place.country, place.id, place.kind, normalised.span(token.start, token.end),
                        place.role, place.border)


def scan(text: str, index: PlaceIndex | None = None) -> PlaceReading:
    """Places and route of `text` from one pass (what find_places and read_route each return)."""
    index = index if index is not None else default_index()
    normalised = _Normalised(text[:MAX_CHARS])
    places, cues, tourist = index.tokens(normalised.text)
    mentions = _Mentions(normalised)
    route = _read_route(places, cues, tourist, normalised, mentions)
    return PlaceReading([mentions.of(token) for token in places], route)


def find_places(text: str, index: PlaceIndex | None = None) -> list[PlaceMention]:
    """Every country, compound zone, border crossing and transit hub the text names, in order."""
    index = index if index is not None else default_index()
    normalised = _Normalised(text[:MAX_CHARS])
    places, _cues, _tourist = index.tokens(normalised.text)
    return [_mention(token, normalised) for token in places]


def read_route(text: str, index: PlaceIndex | None = None) -> RouteSignal | None:
    """The journey the text describes, if it has one that crosses or reaches a border (see the
    module docstring); None for a place name alone, a plain trip or a tourist itinerary."""
    index = index if index is not None else default_index()
    normalised = _Normalised(text[:MAX_CHARS])
    places, cues, tourist = index.tokens(normalised.text)
    return _read_route(places, cues, tourist, normalised, _Mentions(normalised))


def has_route(text: str, index: PlaceIndex | None = None) -> bool:
    """Whether `read_route(text)` is not None, without working out the route's legs, places and
    span (what the assessment's "route" signal needs; ~a third of the reading's cost)."""
    index = index if index is not None else default_index()
    places, cues, tourist = index.tokens(_Normalised(text[:MAX_CHARS]).text)
    return _route_fired(places, cues, tourist) is not None


class _Mentions:
    """PlaceMentions of place tokens, each made once (its span is mapped back on demand)."""

    def __init__(self, normalised: _Normalised) -> None:
        self._normalised = normalised
        self._made: dict[int, PlaceMention] = {}

    def of(self, token: _Token) -> PlaceMention:
        made = self._made.get(id(token))
        if made is None:
            made = self._made[id(token)] = _mention(token, self._normalised)
        return made


class _Nearby:
    """Tokens in text order, looked up by distance from another token."""

    __slots__ = ("_starts", "_tokens")

    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = sorted(tokens, key=lambda token: token.start)
        self._starts = [token.start for token in self._tokens]

    def within(self, token: _Token, window: int) -> Iterator[_Token]:
        """Those whose span is at most `window` characters from the token's, nearest start first."""
        low = bisect.bisect_left(self._starts, token.start - window - _LONGEST_NAME)
        high = bisect.bisect_right(self._starts, token.end + window)
        for other in self._tokens[low:high]:
            if _gap(token, other) <= window:
                yield other


def _firings(places: list[_Token], cues: list[_Token]) -> list[tuple[str, tuple[_Token, ...]]]:
    """(reason, tokens) for every pairing that makes a route."""
    fired: list[tuple[str, tuple[_Token, ...]]] = []
    evidence_tokens = [token for token in cues if token.border_evidence] + \
                      [token for token in places if token.border_evidence]
    evidence = _Nearby(evidence_tokens)
    crossing_words = _Nearby([token for token in cues if token.features & {"cross", "border"}])
    country_tokens = [token for token in places if token.country]
    countries = _Nearby(country_tokens)
    all_places = _Nearby(places)
    grounds = _Nearby([token for token in cues if token.features & _GROUND])
    reachable = _Nearby([token for token in [*evidence_tokens, *country_tokens]
                         if token.place is None or token.place.role == "destination" or token.place.border])
    for cue in cues:
        features = cue.features
        if "irregular" in features:
            fired.append((IRREGULAR_CROSSING, (cue,)))
        elif "covert" in features:
            # "at night" with a crossing or border *word*; a place alone is not enough
            # ("tonight's documentary on the Golden Triangle").
            partner = next((other for other in crossing_words.within(cue, _COVERT_WINDOW)
                            if other is not cue), None)
            if partner is not None:
                fired.append((IRREGULAR_CROSSING, (cue, partner)))
        if "pickup" in features:
            partner = next((other for other in evidence.within(cue, _PICKUP_WINDOW)
                            if other is not cue), None)
            if partner is not None:
                fired.append((PICKUP_AT_BORDER, (cue, partner)))
        if features & _MOVEMENT:
            if cue.border_evidence:
                fired.append((BORDER_CROSSING, (cue,)))
            else:
                partner = next(evidence.within(cue, _MOVE_WINDOW), None)
                if partner is not None:
                    fired.append((BORDER_CROSSING, (cue, partner)))
        if "through" in features:
            partner = next((other for other in evidence.within(cue, _THROUGH_WINDOW)
                            if 0 <= other.start - cue.end <= _THROUGH_WINDOW), None)
            if partner is not None:
                fired.append((BORDER_CROSSING, (cue, partner)))
        if features & (_GROUND - {"pickup"}) or "cross" in features:
            ground = bool(features & _GROUND)
            country = next(countries.within(cue, _COUNTRY_WINDOW if ground else _CROSS_COUNTRY_WINDOW), None)
            if country is not None:
                fired.append((OVERLAND_TO_COUNTRY if ground else BORDER_CROSSING, (cue, country)))
        if features & {"air", "ticket"}:  # a flight, or a ticket for one, then the ground leg
            fired.extend(_flight_then_overland(cue, all_places, grounds, reachable))
    return fired


def _flight_then_overland(air: _Token, places: _Nearby, grounds: _Nearby,
                          reachable: _Nearby) -> list[tuple[str, tuple[_Token, ...]]]:
    hub = next((place for place in places.within(air, _HUB_AFTER_AIR)
                if 0 <= place.start - air.end <= _HUB_AFTER_AIR
                or 0 <= air.start - place.end <= _HUB_BEFORE_AIR), None)
    if hub is None:
        return []
    for ground in grounds.within(air, _FLIGHT_TO_GROUND):
        if ground.start < max(air.end, hub.end):
            continue
        if "overland" in ground.features:
            return [(FLIGHT_THEN_OVERLAND, (air, hub, ground))]
        # A border or a destination country named around the journey ("training near the
        # Thai-Myanmar border … land in Bangkok, the company car takes you there").
        around = _BEFORE_AIR + _FLIGHT_TO_GROUND + _AFTER_GROUND
        reached = next((other for other in reachable.within(air, around)
                        if other is not hub and other.start >= air.start - _BEFORE_AIR
                        and other.start - ground.end <= _AFTER_GROUND), None)
        if reached is not None:
            return [(FLIGHT_THEN_OVERLAND, (air, hub, ground, reached))]
    return []


def _route_fired(places: list[_Token], cues: list[_Token], tourist: list[_Token],
                 ) -> tuple[list[tuple[str, tuple[_Token, ...]]], set[str], int, int] | None:
    """The pairings that make a route (`_firings`), their reasons and the span they cover; None
    where the text has no route (`_read_route` answers None exactly then)."""
    if not cues:
        return None
    fired = _firings(places, cues)
    if not fired:
        return None
    reasons = {reason for reason, _tokens in fired}
    tokens = {id(token): token for _reason, group in fired for token in group}
    start = min(token.start for token in tokens.values())
    end = max(token.end for token in tokens.values())
    if tourist and not reasons & {IRREGULAR_CROSSING, PICKUP_AT_BORDER} and any(
            token.start >= start - _TOURIST_WINDOW and token.end <= end + _TOURIST_WINDOW
            for token in tourist):
        return None  # the bus to Siem Reap via Poipet: a crossing on a tourist's way
    return fired, reasons, start, end


def _read_route(places: list[_Token], cues: list[_Token], tourist: list[_Token],
                normalised: _Normalised, mentions: _Mentions) -> RouteSignal | None:
    route = _route_fired(places, cues, tourist)
    if route is None:
        return None
    fired, reasons, start, end = route
    # The route's words: what fired, and the cues and places between the words of each pairing;
    # for the explanation, the stretches of the strongest few pairings are enough.
    strongest = sorted(fired, key=lambda pairing: (REASONS.index(pairing[0]), pairing[1][0].start))
    stretches = sorted({(min(token.start for token in group), max(token.end for token in group))
                        for _reason, group in strongest[:_EXPLAINED_PAIRINGS]})
    tokens = {id(token): token for _reason, group in strongest[:_EXPLAINED_PAIRINGS] for token in group}
    lows = [low for low, _high in stretches]
    members = [token for token in [*cues, *places] if id(token) in tokens or _within(token, stretches, lows)]
    members.sort(key=lambda token: (token.start, token.end))
    legs = _legs(members, normalised, mentions)
    route_places: list[PlaceMention] = []
    for leg in legs:
        for place in leg.places:
            if place not in route_places:
                route_places.append(place)
    languages = sorted({language for token in members for language in token.languages})
    return RouteSignal(
        reasons=tuple(reason for reason in REASONS if reason in reasons),
        legs=tuple(legs),
        places=tuple(route_places),
        span=normalised.span(start, end),
        languages=tuple(languages),
    )


def _within(token: _Token, stretches: list[tuple[int, int]], lows: list[int]) -> bool:
    index = bisect.bisect_right(lows, token.start) - 1
    while index >= 0:
        low, high = stretches[index]
        if low <= token.start and token.end <= high:
            return True
        if high < token.start - _FLIGHT_TO_GROUND - _HUB_AFTER_AIR - _AFTER_GROUND:
            return False
        index -= 1
    return False


@dataclass(slots=True)
class _LegDraft:
    cues: list[_Token]
    places: list[_Token]


def _legs(members: list[_Token], normalised: _Normalised, mentions: _Mentions) -> list[RouteLeg]:
    drafts: list[_LegDraft] = []
    loose: list[_Token] = []
    place_since_cue = False
    for token in members:
        if token.place is not None:
            loose.append(token)
            place_since_cue = True
            continue
        if token.features & _LEG_STARTS:
            # "take the boat across the river" is one leg; "fly to Bangkok, then by car" two.
            if drafts and not place_since_cue and token.start - drafts[-1].cues[-1].end <= _LEG_MERGE \
                    and _same_means(drafts[-1], token):
                drafts[-1].cues.append(token)
            else:
                drafts.append(_LegDraft([token], []))
        elif drafts:
            drafts[-1].cues.append(token)  # a border or river word: part of the current leg
        else:
            loose.append(token)
        place_since_cue = False
    if not drafts:
        return []
    spans = [_span_token(draft) for draft in drafts]
    draft_starts = [span.start for span in spans]
    for token in loose:
        # The nearest leg: the one before the token or the one after it.
        after = bisect.bisect_left(draft_starts, token.start)
        candidates = [index for index in (after - 1, after) if 0 <= index < len(drafts)]
        nearest = drafts[min(candidates, key=lambda index: (_gap(token, spans[index]), index >= after))]
        if token.place is not None:
            nearest.places.append(token)
        else:
            nearest.cues.append(token)
    legs = []
    for draft in drafts:
        features = frozenset[str]().union(*(token.features for token in draft.cues))
        mode = next((mode for feature, mode in _MODE_ORDER if feature in features), "travel")
        first, last = draft.cues[0], max(draft.cues, key=lambda token: token.end)
        span = normalised.span(first.start, last.end)
        places = tuple(mentions.of(token) for token in sorted(draft.places, key=lambda token: token.start))
        crosses = any(token.border_evidence or "irregular" in token.features
                      for token in [*draft.cues, *draft.places])
        legs.append(RouteLeg(mode=mode, cue=normalised.original(span), span=span, places=places,
                             crosses_border=crosses, pickup="pickup" in features))
    return legs


_MEANS: tuple[frozenset[str], ...] = (frozenset({"air", "ticket"}), frozenset({"boat"}), frozenset({"foot"}),
                                      frozenset({"road", "overland"}))


def _same_means(draft: _LegDraft, token: _Token) -> bool:
    """Whether `token` can continue the leg: not a new means of travel (a pick-up fits any)."""
    new = {index for index, means in enumerate(_MEANS) if token.features & means}
    if not new:
        return True
    old = {index for cue in draft.cues for index, means in enumerate(_MEANS) if cue.features & means}
    return not old or bool(old & new)


def _span_token(draft: _LegDraft) -> _Token:
    return _Token(draft.cues[0].start, max(token.end for token in draft.cues), frozenset())


# --------------------------------------------------------------------------------------------
# Country names: which countries a text names as places (the job abroad, the pay's market)
#
# One reader for the screening's other readers: screening.assess (a job abroad), screening.money
# (the market the pay is judged against) and screening.lure_model (its country classes). The
# names are the hand-written ones of `data/country_names.json` (the countries and regions offers
# name, their cities and compound towns), then CLDR's name of every country
# (`data/cldr_countries.json`, scripts/build_cldr_countries.py), those guarded by where the job is.
# It reads the folded, lower-cased text (screening.textnorm), where `scan` above reads the
# compound places of `data/places.json` with their roles, guards and routes. The names of the
# countries places.json knows are one list, country_names.json's "country_names", with the same
# guards for both readers: scan reads them as those countries' places ("names_of_country").

COUNTRY_NAMES_PATH = DATA_PATH.parent / "country_names.json"
CLDR_COUNTRIES_PATH = DATA_PATH.parent / "cldr_countries.json"


# (names by country code, transit, guarded): a name is a string or (country_names) an object
# with the guards of data/places.json.
_NameList = tuple[Mapping[str, list[Any]], bool, bool]
# What a needle of countries_named stands for: (country, transit, guarded by where the job is,
# the name's own guard or None); None for a word that is no place.
_CountryValue = tuple[str, bool, bool, _Guard | None] | None


def _load_country_names(path: Path = COUNTRY_NAMES_PATH,
                        cldr_path: Path = CLDR_COUNTRIES_PATH) -> tuple[list[_NameList], list[str]]:
    """The name lists, each with (names by country code, transit, guarded), in the order they
    take priority, and the words holding a name that are no place. Guarded: a name only CLDR's
    list has (not the hand-written ones), read as a place only where it is said to be where the
    job is or the journey goes (`_job_there`), and not named as people's nationality or origin
    (`_people_or_origin`)."""
    hand, cldr = _read_document(path), _read_document(cldr_path)
    # The hand-written names first: on a clash (a town that is also a country's name) they win.
    # The countries places.json knows first of all: their names are scan's too.
    own = {code: [name for names in by_locale.values() for name in names]
           for code, by_locale in _country_name_lists(hand).items()}
    lists: list[_NameList] = [(own, False, False), (hand["countries"], False, False),
                              (hand["transit"], True, False), (cldr["names"], False, True)]
    return lists, [*hand["not_places"], *cldr["exceptions"]]


def _build_country_needles() -> tuple[list[str], list[_CountryValue], frozenset[str]]:
    """The needles and, for each, what it stands for (`_CountryValue`); and the countries named
    by hand."""
    table: dict[str, _CountryValue] = {}
    lists, not_places = _load_country_names()
    for names_by_code, transit, guarded in lists:
        for code, names in names_by_code.items():
            for item in names:
                name: str = item if isinstance(item, str) else item["name"]
                guard = None
                if not isinstance(item, str):
                    _needle, parsed = _parse_name(f"country_names {code}", item)
                    guard = None if parsed is _NO_GUARD else parsed
                for variant in spelling_variants(name):
                    table.setdefault(variant.lower(), (code, transit, guarded, guard))
    for word in not_places:
        table[word.lower()] = None
    needles = list(table)
    by_hand = frozenset(code for names_by_code, _transit, guarded in lists if not guarded
                        for code in names_by_code)
    return needles, [table[n] for n in needles], by_hand


# A country named as people's nationality or where they come from, not where the job is ("E-9
# workers of Nepali or Uzbek nationality": "네팔, 우즈베키스탄 국적", "Kenyan nationals", "warga
# Mesir", "người Ba Lan", "尼泊尔籍", "ชาวเนปาล", "from Romania"). Only for the countries CLDR added
# (issue 14, branch r-places): a lawful notice for work in Korea or the Gulf names the workers'
# countries, and these are not a job abroad; the hand-written ones keep their reading.
_PEOPLE_AFTER = re.compile(
    r"\s?(?:workers?|nationals?|citizens?|migrants?|nationality|passports?|embassy|refugees?|"
    r"국적|출신|인\b|인 |사람|근로자|노동자|국민|대사관|籍|人(?![力才])|工人|劳工|勞工|公民|大使馆|大使館|"
    r"नागरिक|मजदूर|श्रमिक|दूतावास|से(?=[\s,.।]|$)|မှ(?![\u102b-\u103e])|နိုင်ငံသား|에서\s?온|"
    r"(?:으로|로)부터)")
_PEOPLE_BEFORE = re.compile(
    r"(?:\b(?:from|citizens? of|nationals? of|pekerja|warga(?: negara)?|rakyat|orang|buruh|tenaga kerja|"
    r"mula sa|galing sa|dari|lao động|người|quốc tịch|công dân|từ)|从|從|来自|來自|ชาว|สัญชาติ|แรงงาน|"
    r"จาก|ជនជាតិ|ពលករ|មកពី|ຊາວ|ຄົນ|ແຮງງານ|ຈາກ)\s?(?:the |negara |nước |ประเทศ|ប្រទេស|ປະເທດ)?$")
# Where a job is or a journey goes: a country only CLDR names counts where one of these is next to
# it ("a job in Libya", "kerja di Maldives", "làm việc tại Ba Lan", "来约旦务工", "去罗马尼亚",
# "ओमान में", "루마니아에서", "루마니아로", "ไปทำงานโอมาน", "ໄປໂອມານ", "ទៅរូម៉ានី", "ရိုမေးနီးယားမှာ"), or
# where it is written with the word "country" (ประเทศX, "nước X": the needles themselves). A name
# in a list, a headline or a nationality says nothing of where the job is.
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|to|at|for|into|inside|di|ke|sa|papuntang|patungong|tại|sang|đi|ở|qua|negara|nước)"
    r"|[在去来來赴到往至]|เดินทางไป|ไปทำงาน(?:ที่|ใน)?|ไป|ที่|ใน|ໄປເຮັດວຽກ(?:ຢູ່|ທີ່)?|ໄປ|ຢູ່|ທີ່|ໃນ|នៅ(?:ប្រទេស)?|ទៅ(?:ប្រទេស)?)"
    r"\s?(?:the )?$")
_PLACE_AFTER = re.compile(
    r"\s?(?:में|मे |को |जा(?:ने|कर|एं|एगा|येगा|ना)|भेज|에서|에 |에\b|으?로|행|에서의|현지|मा\b|မှာ|သို့|တွင်|ရှိ|"
    r"务工|務工|工作|打工|劳务|勞務|就业|就業|当地|當地|境内|境內|"
    r"(?:jobs?|work|employment|visa)\b)")
_LIST_SEPARATOR = re.compile(r"[\s,、/·&]*(?:and |or |및 |과 |와 |dan |at |và |และ|和|与|與|或)?\s?")


def _job_there(lowered: str, start: int, end: int) -> bool:
    """Whether the country named at [start, end) is said to be where a job is or a journey goes
    (`_PLACE_BEFORE`, `_PLACE_AFTER`), or is written as a country ("nước Ba Lan", ประเทศโอมาน)."""
    name = lowered[start:end]
    return (name.startswith(("nước ", "ประเทศ", "ປະເທດ", "ប្រទេស", "di ", "ke ", "negara "))
            or name.endswith("နိုင်ငံ")
            or _PLACE_BEFORE.search(lowered, max(0, start - 14), start) is not None
            or _PLACE_AFTER.match(lowered, end) is not None)


def _people_or_origin(lowered: str, start: int, end: int, starts: Mapping[int, int]) -> bool:
    """Whether the country named at [start, end) is people's nationality or origin: a people or
    origin word before it, or after it or after the list of countries it opens ("네팔, 우즈베키스탄
    국적"); `starts` maps the start of each country matched to its end."""
    if _PEOPLE_BEFORE.search(lowered, max(0, start - 20), start):
        return True
    for _ in range(20):
        if _PEOPLE_AFTER.match(lowered, end):
            return True
        following = _LIST_SEPARATOR.match(lowered, end)
        after = following.end() if following else end
        if after == end or after not in starts:
            return False
        end = starts[after]
    return False


_COUNTRY_NEEDLES, _COUNTRY_VALUES, NAMED_BY_HAND = _build_country_needles()
# Leftmost-longest: "태국어" (the Thai language) wins over "태국" (Thailand) inside it. A DFA (the
# crate picks an NFA for this many needles): ~5 ms more to build at import, ~10 µs less per 2 KB
# offer (~27 -> ~17), and `countries_named` is read for most offers.
_COUNTRY_AUTOMATON: Any = (
    ahocorasick_rs.AhoCorasick(_COUNTRY_NEEDLES, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST,
                               implementation=ahocorasick_rs.Implementation.DFA)
    if ahocorasick_rs is not None else None)


def countries_named(text: str) -> tuple[str, ...]:
    """Countries (ISO alpha-2) an offer names as places, in order of first mention.

    Country names, cities and the compound towns (Sihanoukville, Myawaddy, KK Park,
    Golden Triangle…) in the 13 languages. Transit hubs (Bangkok, Mae Sot, Chiang
    Khong) count only when no other place is named. Language names ("tiếng Thái",
    "태국어") do not count. Countries without a wage row (UAE, Saudi Arabia, UK…) are
    returned too, so the caller knows the job is somewhere we do not judge.
    """
    return countries_named_in_lowered(lower_aligned(fold(text)))


def _is_whole_name(lowered: str, start: int, end: int) -> bool:
    """Whether a place name found at [start, end) is not part of a longer Latin word or
    followed by a vowel sign or tone mark (the start of a longer word)."""
    length = len(lowered)
    return not ((lowered[start] in LATIN_CHARS and start and lowered[start - 1] in LATIN_CHARS) or (
        end < length and lowered[end - 1] in LATIN_CHARS and lowered[end] in LATIN_CHARS) or (
        end < length and lowered[end] in COMBINING_CHARS))


def countries_named_in_lowered(lowered: str) -> tuple[str, ...]:
    """`countries_named` of a text already folded and lowered (`textnorm.fold`, then
    `textnorm.lower_aligned`), for a reader that has both."""
    if _COUNTRY_AUTOMATON is not None:
        return _first_mentions(_COUNTRY_AUTOMATON.find_matches_as_indexes(lowered), lowered)
    return _countries_without_automaton(lowered)


def _countries_without_automaton(lowered: str) -> tuple[str, ...]:
    """`countries_named_in_lowered` without ahocorasick_rs (not expected: it is a dependency): the automaton's
    leftmost-longest, non-overlapping matches, from the longest needle at each position, read by
    the same `_first_mentions` (so a language name found holds no place name, and a country only
    CLDR names keeps its guard)."""
    index_of = {needle: i for i, needle in enumerate(_COUNTRY_NEEDLES)}
    matches: list[tuple[int, int, int]] = []
    taken_to = 0
    for match in longest_first_regex(tuple(_COUNTRY_NEEDLES)).finditer(lowered):
        if match.start() >= taken_to:
            taken_to = match.start() + len(match.group(1))
            matches.append((index_of[match.group(1)], match.start(), taken_to))
    return _first_mentions(matches, lowered)


def _first_mentions(matches: list[tuple[int, int, int]], lowered: str) -> tuple[str, ...]:
    """`countries_named_in_lowered` from the automaton's matches: leftmost-longest and non-overlapping, in
    text order, so a language name found ("태국어") holds no place name, and only the first
    whole mention of each country needs its boundaries checked (the later ones add nothing:
    most of the ~25 place names of a 2 KB offer repeat a country). A guarded country (one
    only CLDR names) named as people's nationality or origin is no mention."""
    primary: dict[str, None] = {}
    transit: dict[str, None] = {}
    starts: dict[int, int] | None = None
    for index, start, end in matches:
        value = _COUNTRY_VALUES[index]
        if value is None:
            continue
        code, is_transit, guarded, guard = value
        named = transit if is_transit else primary
        if code not in named and _is_whole_name(lowered, start, end):
            if guard is not None and not guard.allows(lowered, start, end):
                continue
            if guarded:
                if starts is None:
                    starts = {s: e for i, s, e in matches if _COUNTRY_VALUES[i] is not None}
                if _people_or_origin(lowered, start, end, starts) or not _job_there(lowered, start, end):
                    continue
            named[code] = None
    return tuple(primary or transit)
