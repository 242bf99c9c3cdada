"""The hot path's JSON, one way: orjson, with the json module for what orjson refuses.

Every update's JSON goes through here: the webhook's body (bot/web.py), the inbox's sealed
update (storage/inbox.py), the conversation's sealed data and the replies kept in it
(storage/conversations.py, bot/dispatch.py), the engines' JSON columns and SQLite's list
parameters (storage/db.py), the replies' bodies to Telegram (bot/telegram_http.py). orjson
encodes the offer's 3 KB conversation data in ~1 µs instead of ~25 and decodes it in ~5
instead of ~14 (bench/RESULTS.md, issue 21).

What is written: compact JSON in UTF-8 (no spaces, non-ASCII characters as themselves, not
`\\u` escapes): the same values `json.dumps` wrote, so rows and tokens written before read back
unchanged, and what is written here reads back with `json.loads` too. Where orjson and json
differ:
- `dumps` raises TypeError for what `json.dumps` refuses (datetimes, dataclasses, sets,
  bytes…): orjson would write datetimes and dataclasses itself, and a reader expecting what
  json wrote would not get it. It goes to `json.dumps` (ASCII, compact) for what orjson refuses
  and json takes: dict keys that are not strings (json writes `1`, `true`, `null` as "1",
  "true", "null": so does that), integers past 64 bits, strings with a lone surrogate (json
  escapes it).
- `loads` goes to `json.loads` for what orjson refuses and json read: `NaN` and `Infinity`,
  lone surrogates escaped as `\\ud800`. It reads an integer past 64
  bits as a float (json: an int); Telegram's ids fit 52 bits, and nothing here writes one.
- NaN and infinities are written as `null` (json wrote `NaN`, which is not JSON and PostgreSQL's
  JSONB refuses). No float reaches these paths (a flow's data holds strings, ints, lists).

Where exact bytes matter (a digest or a signature over JSON: scripts/lock.py, review/auth.py),
the json module stays, with its own fixed options: they are not on the hot path.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# Datetimes and dataclasses to `default` (none given: TypeError), as json.dumps refuses them.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_orjson_dumps = orjson.dumps
_orjson_loads = orjson.loads
_JSONDecodeError = orjson.JSONDecodeError
_json_encode = json.JSONEncoder(separators=(",", ":")).encode


def dumps(value: Any) -> bytes:
    """`value`'s JSON in UTF-8, compact (bytes: what sealing, HTTP bodies and psycopg take)."""
    try:
        return _orjson_dumps(value, option=_OPTIONS)
    except TypeError:
        # What orjson refuses and json takes (the module's docstring); json raises for the rest.
        return _json_encode(value).encode()


def dumps_text(value: Any) -> str:
    """`dumps` as a str: the engines' JSON columns (SQLAlchemy's `json_serializer`) and the
    SQLite list parameters, aiohttp's `json_response`."""
    return dumps(value).decode()


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """The value of JSON `data` (what `dumps` or `json.dumps` wrote); ValueError (a
    `json.JSONDecodeError`) when it is not JSON."""
    try:
        return _orjson_loads(data)
    except _JSONDecodeError:
        # What orjson refuses and json read (the module's docstring); json raises for the rest.
        if isinstance(data, memoryview):
            data = bytes(data)
        return json.loads(data)
