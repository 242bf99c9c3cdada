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
# The permutations as numpy columns, for all shingles at once (a look-up spent most of its time
# in the per-shingle arithmetic). `_plain_signature` is the definition; tests check they agree.
_P = np.uint64(_MERSENNE)
_LOW32 = np.uint64(_MAX32)
_LOW29 = np.uint64((1 << 29) - 1)
_A_HIGH = np.array([a >> 32 for a, _b in _PERMUTATIONS], dtype=np.uint64)[:, None]  # < 2^29
_A_LOW = np.array([a & _MAX32 for a, _b in _PERMUTATIONS], dtype=np.uint64)[:, None]  # < 2^32
_B = np.array([b for _a, b in _PERMUTATIONS], dtype=np.uint64)[:, None]  # < 2^61


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
    return Fingerprint(_signature(hashed), short)


def _plain_signature(hashed: list[int]) -> tuple[int, ...]:
    """The definition: per permutation, the least (a·x + b mod p), cut to 32 bits."""
    return tuple(min(((a * x + b) % _MERSENNE) & _MAX32 for x in hashed)
                 for a, b in _PERMUTATIONS)


def _folded(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """A value < 2^64 brought below p + 8 without changing it mod p (2^61 = 1 mod p)."""
    return (values & _P) + (values >> np.uint64(61))


def _signature(hashed: list[int]) -> tuple[int, ...]:
    """`_plain_signature` in 64-bit integer arrays, one row per permutation. a·x needs up to 125
    bits, so with x = xh·2^32 + xl and a = ah·2^32 + al (ah < 2^29):
    a·x = ah·xh·2^64 + (ah·xl + al·xh)·2^32 + al·xl, and mod p = 2^61 - 1, 2^64 = 8 and
    t·2^32 = (t >> 29) + (t mod 2^29)·2^32; each partial sum stays below 2^64."""
    x = np.array(hashed, dtype=np.uint64)
    high, low = x >> np.uint64(32), x & _LOW32
    first = _folded((_A_HIGH * high) << np.uint64(3))
    middle = _folded(_A_HIGH * low) + _folded(_A_LOW * high)
    second = (middle >> np.uint64(29)) + ((middle & _LOW29) << np.uint64(32))
    third = _folded(_A_LOW * low)
    total = _folded(first + second + third + _B)  # below 2p
    total = np.where(total >= _P, total - _P, total)
    return tuple(int(value) for value in (total & _LOW32).min(axis=1))


def similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either is empty)."""
    if not first or len(first) != len(second):
        return 0.0
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)
