"""Is this offer a copy of one reported before? Character n-gram MinHash, on the standard library.

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
`rapidfuzz` compares one pair at a time (no index). ~60 lines here need no new dependency and
behave the same on both engines.
"""

from __future__ import annotations

import hashlib
import re
import struct
import sys
import unicodedata
from dataclasses import dataclass

from screening.contacts import extract_contacts
from screening.textnorm import fold

SHINGLE = 4
HASHES = 64
BANDS = 32
ROWS = HASHES // BANDS
VERY_SIMILAR = 0.6  # estimated Jaccard of shingles; precision measured in bench/similarity_bench.py
SOMEWHAT_SIMILAR = 0.35
# Fewer words than this (or, for unspaced scripts, characters) only ever suggest.
SHORT_WORDS = 8
SHORT_CHARS = 40

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
# MinHash in lanes: the shingles' hashes side by side in one integer, 128 bits each, so each
# permutation is a dozen operations on one big integer instead of a dozen per shingle (half the
# time of a look-up went here). `_plain_signature` is the definition; tests check they agree.
_LANE = 128
_LANE_MASKS: dict[int, tuple[int, int, int, int, int, list[int]]] = {}
# The lanes are read back as native 32-bit words: little-endian machines (all we deploy on).
_LANES_READABLE = sys.byteorder == "little" and struct.calcsize("I") == 4


@dataclass(frozen=True, slots=True)
class Fingerprint:
    signature: tuple[int, ...]  # HASHES values, empty for a text too short to compare
    short: bool

    def bands(self) -> list[int]:
        """Signed 63-bit keys, one per band, each naming its band (a BIGINT on both engines)."""
        keys = []
        for band in range(BANDS if self.signature else 0):
            values = self.signature[band * ROWS:(band + 1) * ROWS]
            digest = hashlib.blake2b(struct.pack(f">H{ROWS}I", band, *values), digest_size=8)
            keys.append(int.from_bytes(digest.digest(), "big") >> 1)
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
    return "".join(char for char in text
                   if unicodedata.category(char)[0] in "LMN")


def is_short(text: str) -> bool:
    words = len(text.split())
    return words < SHORT_WORDS and (words > 2 or len(matching_text(text)) < SHORT_CHARS)


def fingerprint(text: str) -> Fingerprint:
    core = matching_text(text)
    short = is_short(text)
    if len(core) < SHINGLE + 4:
        return Fingerprint((), short)
    shingles = {core[i:i + SHINGLE] for i in range(len(core) - SHINGLE + 1)}
    hashed = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big")
              for s in shingles]
    return Fingerprint(_signature(hashed) if _LANES_READABLE else _plain_signature(hashed), short)


def _plain_signature(hashed: list[int]) -> tuple[int, ...]:
    """The definition: per permutation, the least (a·x + b mod p), cut to 32 bits."""
    return tuple(min(((a * x + b) % _MERSENNE) & _MAX32 for x in hashed)
                 for a, b in _PERMUTATIONS)


def _masks(count: int) -> tuple[int, int, int, int, int, list[int]]:
    masks = _LANE_MASKS.get(count)
    if masks is None:
        ones = int.from_bytes((b"\x01" + bytes(_LANE // 8 - 1)) * count, "little")
        masks = (ones, ones * _MERSENNE, ones * ((1 << 64) - 1), ones * 15, ones * _MAX32,
                 [ones * b for _a, b in _PERMUTATIONS])
        if len(_LANE_MASKS) < 4096:
            _LANE_MASKS[count] = masks
    return masks


def _signature(hashed: list[int]) -> tuple[int, ...]:
    """`_plain_signature`, computed on all shingles at once: lane j of X holds x_j (< 2^64);
    a·x_j + b < 2^125 fits its lane; p = 2^61 - 1, so y mod p is folded as (y & p) + (y >> 61)
    twice (< p + 16), then p is taken off the lanes that reach it; the least of each
    permutation's low 32 bits is read from the bytes."""
    count = len(hashed)
    ones, low61, low64, low4, low32, offsets = _masks(count)
    size = count * _LANE // 8
    lanes = int.from_bytes(b"".join(x.to_bytes(_LANE // 8, "little") for x in hashed), "little")
    signature = []
    for (a, _b), offset in zip(_PERMUTATIONS, offsets, strict=True):
        y = a * lanes + offset
        y = (y & low61) + ((y >> 61) & low64)
        y = (y & low61) + ((y >> 61) & low4)
        y -= (((y + ones) >> 61) & ones) * _MERSENNE
        signature.append(min(memoryview((y & low32).to_bytes(size, "little")).cast("I")[::_LANE // 32]))
    return tuple(signature)


def similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either is empty)."""
    if not first or len(first) != len(second):
        return 0.0
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)
