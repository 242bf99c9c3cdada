"""Length-preserving text folding shared by contact extraction and language detection.

Contacts are reported with spans into the person's original text, so the folding
used before matching must map every character to exactly one character: digits of
any script (Thai ๐-๙, Lao, Khmer, Myanmar, Devanagari, full-width…) to ASCII
digits, full-width ASCII forms to ASCII, Unicode dashes to "-", exotic spaces
to " ". (NFKC would do more, but it changes lengths and so breaks spans.)

Also `collapse_whitespace`, the single-spacing the rule and place readers match on (not
length-preserving: they map offsets back themselves), `reading_length`, a text's length with
wide characters counted twice (what "too short" means in every script), and what the money and
country-name readers share: `spelling_variants` of a word, `lower_aligned` (lower-casing that
keeps spans), the Latin and combining characters of word boundaries, and `longest_first_regex`
(their search without ahocorasick_rs).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u202f\u205f\u3000"
_FULLWIDTH_FIRST, _FULLWIDTH_LAST = 0xFF01, 0xFF5E
_FULLWIDTH_OFFSET = 0xFF01 - 0x21


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Every decimal digit in the Basic Multilingual Plane; scanning it once costs ~20 ms.
    for code_point in range(0x80, 0x10000):
        char = chr(code_point)
        if unicodedata.category(char) == "Nd":
            table[code_point] = str(unicodedata.digit(char))
    for code_point in range(_FULLWIDTH_FIRST, _FULLWIDTH_LAST + 1):
        table[code_point] = chr(code_point - _FULLWIDTH_OFFSET)
    for dash in _DASHES:
        table[ord(dash)] = "-"
    for space in _SPACES:
        table[ord(space)] = " "
    table[ord("\uff0e")] = "."  # full-width full stop, also inside the range above
    table[ord("\uff20")] = "@"
    return table


FOLD_TABLE = _build_fold_table()


def _character_class(code_points: list[int]) -> str:
    ranges: list[tuple[int, int]] = []
    for code_point in sorted(code_points):
        if ranges and ranges[-1][1] == code_point - 1:
            ranges[-1] = (ranges[-1][0], code_point)
        else:
            ranges.append((code_point, code_point))
    return "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges) + "]"


# str.translate with a dict costs ~60 µs per 2 KB of non-ASCII text; most texts have only
# a few characters to fold, so find runs of them and translate just those. The run is written
# "[c][c]*", not "[c]+": `re` skips to a pattern's first character with the class's bitmap
# only when the pattern starts with the class itself, not with a repeat of it (~20 -> ~5 µs
# to search 2 KB).
_FOLDABLE = _character_class(list(FOLD_TABLE))
_FOLDABLE_RUN_RE = re.compile(_FOLDABLE + _FOLDABLE + "*")


# Full-width punctuation fills Chinese text; str.replace handles these in C before the
# per-run substitution deals with whatever is left (digits of other scripts, dashes…).
_FREQUENT_FOLDS = tuple((char, FOLD_TABLE[ord(char)]) for char in "，：？！（）；\u3000")


def fold(text: str) -> str:
    """Fold digits, full-width forms, dashes and spaces to ASCII, one character for one."""
    if text.isascii():
        return text
    return _fold_non_ascii(text)


# Screening folds the same offer in several readers (the money reader, then contact
# extraction): the last few results are kept so that the second costs a dictionary look-up
# (a str caches its hash) instead of ~20 µs per 2 KB. A few entries only: readers of one
# text run back to back, and nothing large is kept alive.
@lru_cache(maxsize=4)
def _fold_non_ascii(text: str) -> str:
    for char, replacement in _FREQUENT_FOLDS:
        if char in text:
            text = text.replace(char, replacement)
    return _FOLDABLE_RUN_RE.sub(lambda run: run.group().translate(FOLD_TABLE), text)


@lru_cache(maxsize=4)
def lower_folded(folded: str) -> str:
    """`folded.lower()`, kept like `fold`'s results: the money reader and contact extraction
    both lower-case the folded offer (~10 µs per 2 KB). Lower-casing can lengthen a few
    characters (İ); each caller deals with that as before."""
    return folded.lower()


def lower_aligned(folded: str) -> str:
    """`lower_folded(folded)` where that keeps the length, else each character lowered only where
    that keeps it one character (İ): spans found in the result are spans of `folded`."""
    lowered = lower_folded(folded)  # the caller's text is folded; contact extraction lowers it too
    if len(lowered) == len(folded):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)  # İ: keep spans aligned


# Spellings that differ invisibly: Thai/Lao vowel AM composed or split (NFKC splits it),
# the Lao ligatures ໜ ໝ, Devanagari nukta letters precomposed or not.
SPELLING_PAIRS = (("\u0e33", "\u0e4d\u0e32"), ("\u0eb3", "\u0ecd\u0eb2"), ("\u0edd", "\u0eab\u0ea1"),
                  ("\u0edc", "\u0eab\u0e99"), ("\u095b", "\u091c\u093c"), ("\u095c", "\u0921\u093c"),
                  ("\u095d", "\u0922\u093c"), ("\u095e", "\u092b\u093c"))


def spelling_variants(word: str) -> set[str]:
    """The word as people may type it (see `SPELLING_PAIRS`), NFC and NFKC forms."""
    if word.isascii():
        return {word}
    found = {word, unicodedata.normalize("NFC", word), unicodedata.normalize("NFKC", word)}
    for one, other in SPELLING_PAIRS:
        found |= {w.replace(one, other) for w in found} | {w.replace(other, one) for w in found}
    return {w for w in found if w}


# Letters of the Latin script (a name in it must not run on into a longer word), and the vowel
# signs and tone marks of Thai, Lao, Khmer, Myanmar and Devanagari (a word of these scripts
# followed by one is the start of a longer word).
LATIN_CHARS = frozenset(
    chr(c) for lo, hi in ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F),
                          (0x1E00, 0x1EFF))
    for c in range(lo, hi + 1))
COMBINING_CHARS = frozenset(
    chr(c) for lo, hi in ((0x0E31, 0x0E31), (0x0E34, 0x0E3A), (0x0E47, 0x0E4E), (0x0EB1, 0x0EB1),
                          (0x0EB4, 0x0EBC), (0x0EC8, 0x0ECD), (0x17B6, 0x17D3), (0x102B, 0x103E),
                          (0x0900, 0x0903), (0x093A, 0x094F), (0x0962, 0x0963))
    for c in range(lo, hi + 1))


@cache
def longest_first_regex(needles: tuple[str, ...]) -> re.Pattern[str]:
    """Without ahocorasick_rs: the longest needle at each position (compiled on first use)."""
    return re.compile("(?=(" + "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)) + "))")


def collapse_whitespace(text: str) -> str:
    """`" ".join(text.split())`: every run of whitespace to one space, none at either end.

    Splitting makes a string object per word (~350 in a 2 KB offer, ~2% of an offer's
    screening in callgrind). Most texts' only whitespace is spaces and line breaks: once the
    line breaks are spaces, `isprintable()` (one pass in C) proves no other whitespace is left,
    because of all the characters `split` breaks at only the ASCII space is printable (tested
    over every code point in tests/screening/test_textnorm.py). Runs of spaces are then
    collapsed by `replace`. A text with any other whitespace is split and joined as before.
    """
    spaced = text.replace("\n", " ") if "\n" in text else text
    if not spaced.isprintable():
        return " ".join(text.split())
    while "  " in spaced:
        spaced = spaced.replace("  ", " ")
    return spaced.strip(" ")


def reading_length(text: str) -> int:
    """The length of `text` with each wide character (Han, Kana, Hangul, full-width forms) counted
    twice: one of them holds a word or a syllable, as much as two letters of a spaced script, so a
    Chinese or Korean ad is not "too short" at half the characters of the same ad in English."""
    # Each distinct character's width looked up once (an ad repeats most of its characters).
    return len(text) + sum(text.count(char) for char in set(text)
                           if unicodedata.east_asian_width(char) in ("W", "F"))
