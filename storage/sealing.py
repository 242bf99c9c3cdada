"""Authenticated encryption (AES-256-GCM) for the few identifying values storage must be able to
read back: the chat a reporter asked to be notified in, and raw inbox updates while pending.

Keys are derived from the pseudonym key with a per-purpose label, so one secret is configured
and a value sealed for one purpose cannot be opened as another. Rotating `PSEUDONYM_KEY` makes
every sealed value unreadable (see storage/README.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from Crypto.Cipher import AES

_NONCE_BYTES = 12
_TAG_BYTES = 16


class SealError(ValueError):
    """A sealed value was tampered with, truncated, or sealed under another key/purpose."""


def _derive_key(key: bytes, purpose: str) -> bytes:
    return hmac.new(key, b"lurecheck-seal-v1:" + purpose.encode(), hashlib.sha256).digest()


def seal(plaintext: bytes, *, key: bytes, purpose: str) -> str:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    cipher = AES.new(_derive_key(key, purpose), AES.MODE_GCM, nonce=nonce)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext)
    return base64.urlsafe_b64encode(nonce + ciphertext + tag).decode("ascii")


def unseal(token: str, *, key: bytes, purpose: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise SealError("not a sealed value") from error
    if len(raw) < _NONCE_BYTES + _TAG_BYTES:
        raise SealError("sealed value too short")
    nonce, ciphertext, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    cipher = AES.new(_derive_key(key, purpose), AES.MODE_GCM, nonce=nonce)
    try:
        return cipher.decrypt_and_verify(ciphertext, tag)
    except ValueError as error:
        raise SealError("sealed value does not verify") from error


NOTIFY_CHAT = "notify-chat"


def seal_chat_id(chat_id: int, *, key: bytes) -> str:
    return seal(str(int(chat_id)).encode("ascii"), key=key, purpose=NOTIFY_CHAT)


def open_chat_id(token: str, *, key: bytes) -> int:
    return int(unseal(token, key=key, purpose=NOTIFY_CHAT).decode("ascii"))
