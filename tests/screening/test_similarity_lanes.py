"""The MinHash computed in numpy arrays (screening.similarity._signature, for speed) gives exactly the
signatures of its definition (_plain_signature): stored signatures stay comparable."""

from __future__ import annotations

import hashlib
import json
import random
import struct
import unicodedata
from pathlib import Path

from screening import similarity
from screening.contacts import extract_contacts
from screening.similarity import _MERSENNE, _plain_signature, _signature, fingerprint, matching_text
from screening.textnorm import fold

GOLDEN = "00c30473068b348105a5cab321f3397f"
CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "real"


def _hashed(text: str) -> list[int]:
    core = matching_text(text)
    shingles = {core[i:i + similarity.SHINGLE] for i in range(len(core) - similarity.SHINGLE + 1)}
    return [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big")
            for s in shingles]


def test_lanes_equal_the_definition_on_real_ads() -> None:
    texts = [json.loads(line)["text"] for path in sorted(CORPUS.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(texts) > 100
    for text in texts:
        hashed = _hashed(text)
        if hashed:
            assert _signature(hashed) == _plain_signature(hashed), text[:60]


def test_lanes_equal_the_definition_at_the_edges() -> None:
    rng = random.Random(3)
    top = (1 << 64) - 1
    cases = [[0], [top], [_MERSENNE], [_MERSENNE - 1, _MERSENNE + 1], [0, top, 1, top - 1]]
    cases += [[rng.getrandbits(64) for _ in range(size)] for size in (1, 2, 3, 7, 64, 500, 3000)]
    cases += [[top - rng.getrandbits(8) for _ in range(50)]]
    # Both layouts: tiled (up to _TILED_SHINGLES shingles) and broadcast (more).
    cases += [[rng.getrandbits(64) for _ in range(size)]
              for size in (similarity._TILED_SHINGLES, similarity._TILED_SHINGLES + 1)]
    cases += [[top - rng.getrandbits(3) for _ in range(similarity._TILED_SHINGLES + 5)]]
    for hashed in cases:
        assert _signature(hashed) == _plain_signature(hashed)


def test_a_known_signature_is_unchanged() -> None:
    # Computed with the definition before the lanes existed.
    found = fingerprint("Work in Cambodia, salary 1500 USD, free flight and visa, contact HR now")
    assert found.encoded()[:32] == GOLDEN


def test_matching_text_keeps_exactly_the_letters_marks_and_numbers() -> None:
    """The one-pass filter of `matching_text` equals its definition, character by character
    (every script of the corpus, marks and digits included)."""
    texts = [json.loads(line)["text"] for path in sorted(CORPUS.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    texts += ["ก้าวไกล ๑๒๓ ½ Ⅻ ²", "ẞ straße ﬁ", "मज़दूरी १२ ₹", "\u200b\u00ad-_.,;:!?"]
    for text in texts:
        spans = [contact.span for contact in extract_contacts(text)]
        cut = text
        for start, end in sorted(spans, reverse=True):
            cut = cut[:start] + " " + cut[end:]
        folded = similarity._DIGITS.sub("0", fold(cut).lower())
        expected = "".join(char for char in folded if unicodedata.category(char)[0] in "LMN")
        assert matching_text(text) == expected, text[:60]


def _plain_bands(signature: tuple[int, ...]) -> list[int]:
    """The band keys' definition: blake2b (8 bytes) of the band number and its rows."""
    rows = similarity.ROWS
    return [int.from_bytes(hashlib.blake2b(
        struct.pack(f">H{rows}I", band, *signature[band * rows:(band + 1) * rows]),
        digest_size=8).digest(), "big") >> 1 for band in range(similarity.BANDS)]


def test_fingerprints_and_bands_equal_their_definition() -> None:
    """`fingerprint` (shingles of an ASCII text cut from its bytes, hashers copied) gives the
    signature of each shingle's own blake2b, and `bands` the keys of their definition, on every
    real ad (ASCII and not) and on texts mixing scripts."""
    texts = [json.loads(line)["text"] for path in sorted(CORPUS.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    texts += ["Salary 1500 USD café", "งานดี เงินเดือนสูง salary 30000 baht ที่ปอยเปต",
              "招聘酒店服务员，工作地点迪拜，包吃包住 WeChat ok"]
    assert any(matching_text(text).isascii() for text in texts)
    assert any(not matching_text(text).isascii() for text in texts)
    for text in texts:
        found = fingerprint(text)
        hashed = _hashed(text)
        if len(matching_text(text)) < similarity.SHINGLE + 4:
            assert found.signature == ()
            continue
        assert found.signature == _plain_signature(hashed), text[:60]
        assert found.bands() == _plain_bands(found.signature), text[:60]
