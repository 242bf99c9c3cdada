"""One configured secret, a separate key for each use (issue 17).

`PSEUDONYM_KEY` is the one secret an operator keeps. Every use gets its own 32-byte key,
derived with HKDF-SHA256 (RFC 5869) under its own label, so a key that leaks from one use
(e.g. the session key, held by the staff app) says nothing about the others:

| label | used for |
|---|---|
| `pseudonyms` | HMAC of Telegram ids (`storage.pseudonym`) |
| `sealing` | AES-GCM of drafts, notify chats, inbox payloads, kept replies (`storage.sealing`) |
| `sessions` | staff session cookies (`review.auth`) |
| `csrf` | staff CSRF tokens (`review.auth`) |

Rotation: `KeyRing(secret, previous=old_secret)`. New pseudonyms and seals use the new secret;
`former_pseudonym_keys` and `opening_keys` still recognise what the old one made, so a person's
data moves to their new pseudonym on their first update (`storage.reports.adopt_former_pseudonyms`)
and sealed values stay readable until they are taken or purged.

Before this module the secret itself keyed the pseudonyms and the per-purpose seals ("legacy"
derivation). The legacy forms of the current and previous secret are among the former keys, so
upgrading loses no link: each person's data moves to their HKDF pseudonym when they next write.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
_SALT = b"lurecheck-keys-v1"
PSEUDONYMS, SEALING, SESSIONS, CSRF = "pseudonyms", "sealing", "sessions", "csrf"
LABELS = (PSEUDONYMS, SEALING, SESSIONS, CSRF)


@functools.lru_cache(maxsize=16)
def derive_key(secret: bytes, label: str) -> bytes:
    """The 32-byte key for `label` (one of LABELS) derived from the secret."""
    if label not in LABELS:
        raise ValueError(f"unknown key label {label!r}")
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=_SALT,
                info=b"lurecheck:" + label.encode()).derive(secret)


@dataclass(frozen=True)
class KeyRing:
    secret: bytes = field(repr=False)
    previous: bytes | None = field(default=None, repr=False)

    @property
    def pseudonyms(self) -> bytes:
        return derive_key(self.secret, PSEUDONYMS)

    @property
    def sealing(self) -> bytes:
        return derive_key(self.secret, SEALING)

    @property
    def sessions(self) -> bytes:
        return derive_key(self.secret, SESSIONS)

    @property
    def csrf(self) -> bytes:
        return derive_key(self.secret, CSRF)

    @property
    def former_pseudonym_keys(self) -> tuple[bytes, ...]:
        """Keys whose pseudonyms may still own data: the legacy form of this secret, then the
        previous secret's derived and legacy forms."""
        keys = [self.secret]
        if self.previous is not None:
            keys += [derive_key(self.previous, PSEUDONYMS), self.previous]
        return tuple(keys)

    @property
    def opening_keys(self) -> tuple[bytes, ...]:
        """Keys that open sealed values, the sealing key first (the one that seals)."""
        keys = [self.sealing, self.secret]
        if self.previous is not None:
            keys += [derive_key(self.previous, SEALING), self.previous]
        return tuple(keys)
