"""Reporter pseudonyms: the only form in which a person's Telegram id reaches storage or logs.

HMAC-SHA256 keyed with `PSEUDONYM_KEY`: stable (the same person always maps to the same
pseudonym, so prefs, conversations and "independent reporters" work), and without the key
nobody can test a guessed Telegram id against the database. Key rotation: see storage/README.md.
"""

from __future__ import annotations

import hashlib
import hmac

MIN_KEY_BYTES = 32


def pseudonymise(user_id: int, *, key: bytes) -> str:
    """The 64-hex-character pseudonym of a Telegram user (or chat) id."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"pseudonym key must be at least {MIN_KEY_BYTES} bytes")
    return hmac.new(key, str(int(user_id)).encode("ascii"), hashlib.sha256).hexdigest()
