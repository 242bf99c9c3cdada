"""Authenticated encryption (AES-256-GCM) for the few identifying values storage must be able to
read back: the chat a reporter asked to be notified in, and raw inbox updates while pending.

Keys are derived from the pseudonym key with a per-purpose label, so one secret is configured
and a value sealed for one purpose cannot be opened as another. Rotating `PSEUDONYM_KEY` makes
every sealed value unreadable (see storage/README.md).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12
_TAG_BYTES = 16


class SealError(ValueError):
    """A sealed value was tampered with, truncated, or sealed under another key/purpose."""


def _derive_key(key: bytes, purpose: str) -> bytes:
    return hmac.new(key, b"lurecheck-seal-v1:" + purpose.encode(), hashlib.sha256).digest()


# One cipher per (key, purpose): the process uses a handful, and building one (key derivation
# and AES key schedule) costs about as much as sealing a short value.
@functools.lru_cache(maxsize=32)
def _cipher(key: bytes, purpose: str) -> AESGCM:
    return AESGCM(_derive_key(key, purpose))


def seal(plaintext: bytes, *, key: SealKeys, purpose: str) -> str:
    """urlsafe base64 of nonce (12 bytes) + ciphertext + GCM tag (16 bytes), no associated data.
    The format of the pycryptodome version this replaced: its values still open."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    # AESGCM.encrypt returns the ciphertext with the tag appended.
    sealed = _cipher(sealing_key(key), purpose).encrypt(nonce, plaintext, None)
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


SealKeys = bytes | Sequence[bytes]
"""One key, or several: the first seals, each opens (the current key, then retired ones)."""


def sealing_key(key: SealKeys) -> bytes:
    return key if isinstance(key, bytes) else key[0]


def unseal(token: str, *, key: SealKeys, purpose: str) -> bytes:
    """Opens a value sealed under `key` (or any of the keys, tried in order)."""
    keys = (key,) if isinstance(key, bytes) else tuple(key)
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise SealError("not a sealed value") from error
    if len(raw) < _NONCE_BYTES + _TAG_BYTES:
        raise SealError("sealed value too short")
    for candidate in keys:
        try:
            return _cipher(candidate, purpose).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None)
        except InvalidTag:
            continue
    raise SealError("sealed value does not verify")


NOTIFY_CHAT = "notify-chat"
CONVERSATION = "conversation"


def seal_chat_id(chat_id: int, *, key: SealKeys) -> str:
    return seal(str(int(chat_id)).encode("ascii"), key=key, purpose=NOTIFY_CHAT)


def open_chat_id(token: str, *, key: SealKeys) -> int:
    return int(unseal(token, key=key, purpose=NOTIFY_CHAT).decode("ascii"))
