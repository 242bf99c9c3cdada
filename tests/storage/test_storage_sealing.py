"""storage.sealing: the wire format is fixed, values sealed by earlier versions must still open.

The fixed vector below was produced by the pycryptodome implementation (before the switch to
`cryptography`'s AESGCM) with a fixed nonce; values in existing databases look exactly like it.
"""

from __future__ import annotations

import base64

import pytest
from Crypto.Cipher import AES

from storage import sealing
from storage.sealing import SealError, _derive_key, open_chat_id, seal, seal_chat_id, unseal

KEY = bytes(range(32))
PURPOSE = "test-vector"
NONCE = bytes(range(100, 112))
PLAINTEXT = '{"update_id": 42, "text": "hello ✓"}'.encode()
SEALED_BY_PYCRYPTODOME = (
    "ZGVmZ2hpamtsbW5vC3HThgfmbsk7AfNmjkr8AeFp3Yq6-m1E-JLp1tG6k9OaCY4rkujQxkeRLpoV27jcxZ2YicZa"
)


def test_a_value_sealed_by_the_pycryptodome_version_opens() -> None:
    assert unseal(SEALED_BY_PYCRYPTODOME, key=KEY, purpose=PURPOSE) == PLAINTEXT


def test_the_same_nonce_gives_the_same_bytes_as_the_pycryptodome_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sealing.secrets, "token_bytes", lambda n: NONCE[:n])
    assert seal(PLAINTEXT, key=KEY, purpose=PURPOSE) == SEALED_BY_PYCRYPTODOME


def test_pycryptodome_opens_what_seal_produces() -> None:
    raw = base64.urlsafe_b64decode(seal(PLAINTEXT, key=KEY, purpose=PURPOSE))
    nonce, ciphertext, tag = raw[:12], raw[12:-16], raw[-16:]
    cipher = AES.new(_derive_key(KEY, PURPOSE), AES.MODE_GCM, nonce=nonce)
    assert cipher.decrypt_and_verify(ciphertext, tag) == PLAINTEXT


def test_round_trip_and_fresh_nonces() -> None:
    first, second = seal(b"", key=KEY, purpose=PURPOSE), seal(b"", key=KEY, purpose=PURPOSE)
    assert first != second
    assert unseal(first, key=KEY, purpose=PURPOSE) == b""
    assert open_chat_id(seal_chat_id(-100123, key=KEY), key=KEY) == -100123


@pytest.mark.parametrize(
    "token",
    [
        SEALED_BY_PYCRYPTODOME[:-4] + ("AAAA" if not SEALED_BY_PYCRYPTODOME.endswith("AAAA") else "BBBB"),
        SEALED_BY_PYCRYPTODOME[:20],
        "not base64 at all!",
        "é",
    ],
)
def test_tampered_truncated_or_garbage_values_raise_seal_error(token: str) -> None:
    with pytest.raises(SealError):
        unseal(token, key=KEY, purpose=PURPOSE)


def test_another_key_or_purpose_does_not_open() -> None:
    with pytest.raises(SealError):
        unseal(SEALED_BY_PYCRYPTODOME, key=bytes(32), purpose=PURPOSE)
    with pytest.raises(SealError):
        unseal(SEALED_BY_PYCRYPTODOME, key=KEY, purpose="other")
