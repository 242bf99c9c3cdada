"""storage.matching.signature_of reads a stored signature exactly as
screening.similarity.decode_signature does (it is only faster)."""

from __future__ import annotations

import random

from screening.similarity import HASHES, Fingerprint, decode_signature, fingerprint
from storage.matching import signature_of


def test_signature_of_equals_decode_signature() -> None:
    chosen = random.Random(21)
    edges = [(0,) * HASHES, (2**32 - 1,) * HASHES, tuple(range(HASHES))]
    randoms = [tuple(chosen.getrandbits(32) for _ in range(HASHES)) for _ in range(200)]
    for signature in [*edges, *randoms]:
        encoded = Fingerprint(signature, False).encoded()
        assert signature_of(encoded) == decode_signature(encoded) == signature
    real = fingerprint("URGENT hiring customer service staff in Bangkok! Salary 1500 USD per "
                       "month, no experience needed. Call +855 12 345 678").encoded()
    assert signature_of(real) == decode_signature(real)


def test_signature_of_falls_back_on_anything_else() -> None:
    for odd in ["", "abc", "0000000g", "ABCDEF12", "00000001" * 3 + "0"]:
        try:
            expected: object = decode_signature(odd)
        except ValueError as error:
            expected = type(error)
        try:
            got: object = signature_of(odd)
        except ValueError as error:
            got = type(error)
        assert got == expected, odd
