"""Is this offer a copy of one reported before? Character n-gram MinHash, with numpy.

Scam rings reuse one ad with a new handle, number or amount. An offer is reduced to what
stays the same across copies: contacts cut out, digits folded to `0`, case and punctuation
dropped, whitespace removed (so Thai, Khmer, Lao, Burmese and Chinese, written without spaces,
are treated like English). Its shingles are the overlapping runs of `SHINGLE` characters;
a MinHash signature of `HASHES` 32-bit values estimates the Jaccard similarity of two shingle
sets as the share of equal positions; `bands` (BANDS bands of ROWS values) are the keys the
database indexes, so a look-up reads only ads sharing a band (locality-sensitive hashing).

Why this and not a library: `datasketch` does the same (and its LSH needs the index in memory
or Redis, not in our database); PostgreSQL `pg_trgm` would be fast on PostgreSQL only, with a
different method on SQLite, and its trigrams of word-split text suit unspaced scripts badly;
`rapidfuzz` compares one pair at a time (no index). ~60 lines here behave the same on both
engines; numpy computes the 64 permutations of every shingle at once (in pure Python it was
about 1 ms of an offer's CPU).
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from screening.contacts import extract_contacts
from screening.textnorm import fold, reading_length

SHINGLE = 4
HASHES = 64
BANDS = 32
ROWS = HASHES // BANDS
VERY_SIMILAR = 0.6  # estimated Jaccard of shingles; precision measured in bench/similarity_bench.py
SOMEWHAT_SIMILAR = 0.35
# Fewer words than this (or, for a text mostly in a script written without spaces between words,
# a `reading_length` below SHORT_CHARS) only ever suggest.
SHORT_WORDS = 8
SHORT_CHARS = 40
# The letters of the scripts written without spaces between words (Thai, Lao, Khmer, Burmese,
# Han, Kana; the same ranges as screening.language's): their spaces part phrases, not words,
# so a Chinese ad with three spaces is not a three-word line.
_UNSPACED = re.compile(
    r"[\u0e01-\u0e4e\u0e81-\u0edf\u1780-\u17d3\u19e0-\u19ff\u1000-\u103f\u1050-\u109f"
    r"\uaa60-\uaa7f\ua9e0-\ua9ff\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3041-\u3096"
    r"\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9d]+")

_MERSENNE = (1 << 61) - 1
_MAX32 = (1 << 32) - 1
# Fixed pseudo-random permutations (a·x + b mod p): signatures must stay comparable forever.
_PERMUTATIONS = [
    (int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest(), "big") % _MERSENNE
     | 1,
     int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest(), "big") % _MERSENNE)
    for i in range(HASHES)
]
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
# The permutations as numpy columns, for all shingles at once (a look-up spent most of its time
# in the per-shingle arithmetic). `_plain_signature` is the definition; tests check they agree.
_P = np.uint64(_MERSENNE)
_LOW32 = np.uint64(_MAX32)
_LOW29 = np.uint64((1 << 29) - 1)
# a's high part times 2^64 mod p = 8 (see `_signature`), folded into the constant: < 2^32.
_A_HIGH8 = np.array([(a >> 32) << 3 for a, _b in _PERMUTATIONS], dtype=np.uint64)[:, None]
_A_HIGH = np.array([a >> 32 for a, _b in _PERMUTATIONS], dtype=np.uint64)[:, None]  # < 2^29
_A_LOW = np.array([a & _MAX32 for a, _b in _PERMUTATIONS], dtype=np.uint64)[:, None]  # < 2^32
_B = np.array([b for _a, b in _PERMUTATIONS], dtype=np.uint64)[:, None]  # < 2^61
_SHIFT29, _SHIFT32, _SHIFT61 = (np.uint64(n) for n in (29, 32, 61))
# The same constants tiled shingle-major (shingle i's HASHES values at [HASHES·i, HASHES·i +
# HASHES)), for texts of up to `_TILED_SHINGLES` distinct shingles: a text's constants are then
# a contiguous prefix, and every step a plain pass over contiguous arrays. A (64, 1) column
# broadcast against the shingles makes numpy buffer and copy it at each step (a step 2-3 times
# slower at an offer's ~160 shingles). 4 × 1024 × 64 × 8 bytes = 2 MiB; longer texts broadcast.
_TILED_SHINGLES = 1024
_A_HIGH8_TILED, _A_HIGH_TILED, _A_LOW_TILED, _B_TILED = (
    np.tile(column.ravel(), _TILED_SHINGLES) for column in (_A_HIGH8, _A_HIGH, _A_LOW, _B))
# A shingle's and a band's 64-bit hash: blake2b with an 8-byte digest. Copying a hasher made
# once costs less than making one per value (its keyword arguments parsed each time): an offer
# hashes every distinct shingle (~160 for a short ad) and its 32 bands.
_HASHER = hashlib.blake2b(digest_size=8)
_BAND_KEY = struct.Struct(f">H{ROWS}I")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    signature: tuple[int, ...]  # HASHES values, empty for a text too short to compare
    short: bool

    def bands(self) -> list[int]:
        """Signed 63-bit keys, one per band, each naming its band (a BIGINT on both engines)."""
        keys = []
        for band in range(BANDS if self.signature else 0):
            hasher = _HASHER.copy()
            hasher.update(_BAND_KEY.pack(band, *self.signature[band * ROWS:(band + 1) * ROWS]))
            keys.append(int.from_bytes(hasher.digest(), "big") >> 1)
        return keys

    def encoded(self) -> str:
        return "".join(f"{value:08x}" for value in self.signature)


def decode_signature(encoded: str) -> tuple[int, ...]:
    return tuple(int(encoded[i:i + 8], 16) for i in range(0, len(encoded), 8))


def matching_text(text: str) -> str:
    """The part of an offer that copies share: no contacts, digits as 0, letters and marks only."""
    spans = [contact.span for contact in extract_contacts(text)]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    text = _DIGITS.sub("0", fold(text).lower())
    # Letters, marks and numbers kept: each distinct character's category looked up once (an
    # offer of 2,000 characters has ~100 distinct ones), the rest dropped in one pass.
    dropped = {ord(char): None for char in set(text) if unicodedata.category(char)[0] not in "LMN"}
    return text.translate(dropped)


def is_short(text: str, core: str | None = None) -> bool:
    """Too short to say "very similar" (only ever "somewhat"). `core` is `matching_text(text)`.

    A text mostly in an unspaced script is measured by its matching text's `reading_length`
    (wide characters count twice), whatever its spaces; any other by its words, as before (a
    text of one or two "words" is measured like an unspaced one: it may be a whole ad run
    together)."""
    core = matching_text(text) if core is None else core
    letters = len(core) - core.count("0")  # each run of digits is one "0"
    if letters and (len(core) - len(_UNSPACED.sub("", core))) * 2 > letters:
        return reading_length(core) < SHORT_CHARS
    words = len(text.split())
    return words < SHORT_WORDS and (words > 2 or len(core) < SHORT_CHARS)


def fingerprint(text: str) -> Fingerprint:
    core = matching_text(text)
    short = is_short(text, core)
    if len(core) < SHINGLE + 4:
        return Fingerprint((), short)
    # Each distinct shingle's 64-bit hash: the blake2b digest of its UTF-8, read as a big-endian
    # integer, all of them read into one array at once (not an int per shingle, then an array).
    # An ASCII text's shingles are cut from its bytes (the same bytes, without encoding each).
    if core.isascii():
        encoded = core.encode()
        shingles = {encoded[i:i + SHINGLE] for i in range(len(encoded) - SHINGLE + 1)}
    else:
        shingles = {shingle.encode() for shingle in
                    {core[i:i + SHINGLE] for i in range(len(core) - SHINGLE + 1)}}
    digests = []
    for shingle in shingles:
        hasher = _HASHER.copy()
        hasher.update(shingle)
        digests.append(hasher.digest())
    hashed = np.frombuffer(b"".join(digests), dtype=">u8").astype(np.uint64)
    return Fingerprint(_signature(hashed), short)


def _plain_signature(hashed: list[int]) -> tuple[int, ...]:
    """The definition: per permutation, the least (a·x + b mod p), cut to 32 bits."""
    return tuple(min(((a * x + b) % _MERSENNE) & _MAX32 for x in hashed)
                 for a, b in _PERMUTATIONS)


def _signature(hashed: list[int] | npt.NDArray[np.uint64]) -> tuple[int, ...]:
    """`_plain_signature` in 64-bit integer arrays, one row per permutation. Each hash is first
    reduced mod p (x < 2^61: a·x mod p is unchanged). a·x needs up to 122 bits, so with
    x = xh·2^32 + xl and a = ah·2^32 + al (ah, xh < 2^29):
    a·x = ah·xh·2^64 + (ah·xl + al·xh)·2^32 + al·xl, and mod p = 2^61 - 1, 2^64 = 8 and
    t·2^32 = (t >> 29) + (t mod 2^29)·2^32. The bounds that keep every sum below 2^64 are in
    `_lanes`' comments; its arrays of 64 × shingles are worked on in place (each new array
    costs an allocation and a pass)."""
    x = np.asarray(hashed, dtype=np.uint64)
    x = (x & _P) + (x >> _SHIFT61)  # < p + 8
    x = np.minimum(x, x - _P)  # < p (x - p wraps around, above 2^63, when x < p)
    high, low = x >> _SHIFT32, x & _LOW32  # high < 2^29, low < 2^32
    shingles = len(x)
    if shingles <= _TILED_SHINGLES:
        # Shingle-major and contiguous: each shingle's parts repeated once per permutation.
        size = shingles * HASHES
        total = _lanes(_A_HIGH8_TILED[:size], _A_HIGH_TILED[:size], _A_LOW_TILED[:size],
                       _B_TILED[:size], np.repeat(high, HASHES), np.repeat(low, HASHES))
        return tuple(total.reshape(shingles, HASHES).min(axis=0).tolist())
    total = _lanes(_A_HIGH8, _A_HIGH, _A_LOW, _B, high, low)  # one row per permutation
    return tuple(total.min(axis=1).tolist())


def _lanes(a_high8: npt.NDArray[np.uint64], a_high: npt.NDArray[np.uint64],
           a_low: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64],
           high: npt.NDArray[np.uint64], low: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """((a·x + b) mod p) & (2^32 - 1) of every permutation and shingle (`_signature`): the
    constants and the shingles' parts as arrays that broadcast together (tiled and repeated, or
    columns and rows)."""
    # Three arrays of permutations × shingles, each made once; every later step writes into one.
    total = a_high8 * high  # ah·xh·2^64 = ah·xh·8 (mod p): < 2^61
    middle = a_high * low
    scratch = a_low * high
    middle += scratch  # < 2^61 + 2^61
    np.right_shift(middle, _SHIFT29, out=scratch)
    total += scratch  # < 2^61 + 2^33
    middle &= _LOW29
    middle <<= _SHIFT32
    total += middle  # < 2^62 + 2^33
    third = np.multiply(a_low, low, out=middle)  # < 2^64
    np.bitwise_and(third, _P, out=scratch)
    total += scratch
    third >>= _SHIFT61
    total += third  # < 2^62 + 2^61 + 2^33 + 8
    total += b  # < 2^63 + 2^61
    np.right_shift(total, _SHIFT61, out=scratch)  # the carry
    total &= _P
    total += scratch  # < p + 8
    np.subtract(total, _P, out=scratch)
    np.minimum(total, scratch, out=total)  # mod p
    total &= _LOW32
    return total


def similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either is empty)."""
    if not first or len(first) != len(second):
        return 0.0
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)
