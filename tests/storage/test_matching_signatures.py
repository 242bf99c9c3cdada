"""storage.matching.signature_of reads a stored signature exactly as
screening.similarity.decode_signature does, and storage.matching.similarities scores many
exactly as screening.similarity.similarity does one by one (they are only faster)."""

from __future__ import annotations

import random
from collections.abc import Callable

from screening.similarity import HASHES, Fingerprint, decode_signature, fingerprint, similarity
from storage.matching import signature_of, similarities


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


def _outcome(score: Callable[[], list[float]]) -> object:
    """The scores, or the type of the error raised (a whole look-up fails with it)."""
    try:
        return score()
    except Exception as error:  # any error, as long as both raise it
        return type(error)


def _one_by_one(signature: tuple[int, ...], encoded: list[str]) -> object:
    """The definition `similarities` is checked against."""
    return _outcome(lambda: [similarity(signature, signature_of(each)) for each in encoded])


def _at_once(signature: tuple[int, ...], encoded: list[str]) -> object:
    return _outcome(lambda: similarities(signature, encoded))


def test_similarities_equal_similarity_one_by_one() -> None:
    chosen = random.Random(22)
    signature = tuple(chosen.getrandbits(32) for _ in range(HASHES))
    others = [signature, (0,) * HASHES, (2**32 - 1,) * HASHES, tuple(range(HASHES))]
    for share in range(0, HASHES + 1, 7):  # every share of equal positions, up to all
        positions = set(chosen.sample(range(HASHES), share))
        others.append(tuple(value if index in positions else value ^ 1
                            for index, value in enumerate(signature)))
    encoded = [Fingerprint(other, False).encoded() for other in others]
    got = similarities(signature, encoded)
    assert got == [similarity(signature, signature_of(each)) for each in encoded]
    assert got[0] == 1.0 and all(type(score) is float for score in got)
    assert similarities(signature, []) == []
    real = fingerprint("URGENT hiring customer service staff in Bangkok! Salary 1500 USD per "
                       "month, no experience needed. Call +855 12 345 678")
    assert similarities(real.signature, encoded) == _one_by_one(real.signature, encoded)


def test_similarities_fall_back_on_anything_else() -> None:
    signature = tuple(range(HASHES))
    whole = Fingerprint(signature, False).encoded()
    odd_ones = [
        whole[:-8],  # a signature of another length
        whole[:-2] + "zz",  # not hex
        whole[:-8] + "00 00 3f",  # whitespace, which bytes.fromhex skips
        "",
        "0x" + whole[2:],
    ]
    for odd in odd_ones:
        assert _at_once(signature, [whole, odd]) == _one_by_one(signature, [whole, odd]), odd
    assert _at_once((), [whole]) == _one_by_one((), [whole])
