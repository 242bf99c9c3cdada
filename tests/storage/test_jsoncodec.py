"""The hot path's JSON (`storage.jsoncodec`): orjson, reading what `json.dumps` wrote before
and writing the same values; rows stored by the old code (json) read back unchanged."""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from storage.conversations import lock_conversation_with_prefs, save_conversation
from storage.db import create_db_engine, dialect_of, list_parameter, migrate, session_scope
from storage.inbox import claim_updates, enqueue_update
from storage.jsoncodec import dumps, dumps_text, loads
from storage.sealing import CONVERSATION, seal, unseal
from tests.storage.helpers import KEY

ODD = ['"', "\\", "\x00", "\x1f", "\x7f", "\n", "é", "\u2028", "🙂", "/", "'", " ", "\ufeff"]


def _old_compact(value: object) -> bytes:
    """What storage/conversations.py wrote before: compact, non-ASCII as itself."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


# A flow's data, a reply's body, a Telegram update: strings, ints, bools, None, lists, dicts.
_STRINGS = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(ODD), max_size=30)
_LEAVES = (st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | _STRINGS)
_VALUES = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=5)
                       | st.dictionaries(_STRINGS, inner, max_size=5), max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(_VALUES)
def test_the_bytes_the_old_compact_encoder_wrote_and_the_same_value_back(value: Any) -> None:
    assert dumps(value) == _old_compact(value)
    assert loads(dumps(value)) == value
    assert json.loads(dumps(value)) == value  # readable by json too
    assert loads(json.dumps(value)) == value  # what json.dumps wrote (ASCII, spaced) reads back
    assert dumps_text(value) == dumps(value).decode()


@pytest.mark.parametrize("value", [
    {1: "a"}, {None: "a"}, {True: "a"}, {1.5: "a"},  # keys json turns into strings
    2**70, [-(2**65)],  # integers past 64 bits
    "a\ud800b", {"k\udfff": "v"},  # lone surrogates: json escapes them
])
def test_what_orjson_refuses_is_written_as_json_wrote_it(value: object) -> None:
    written = dumps(value)
    assert written == json.dumps(value, separators=(",", ":")).encode()
    assert loads(written) == json.loads(json.dumps(value))


@dataclass
class _Point:
    x: int


@pytest.mark.parametrize("value", [
    datetime(2026, 12, 7, tzinfo=UTC), {"at": datetime(2026, 12, 7)}, [_Point(1)], {1, 2}, b"x",
    object(),
])
def test_what_json_refuses_is_refused(value: object) -> None:
    # orjson would write datetimes and dataclasses itself: a reader would get a new form.
    with pytest.raises(TypeError):
        json.dumps(value)
    with pytest.raises(TypeError):
        dumps(value)


@pytest.mark.parametrize(("data", "expected"), [
    (b"NaN", math.nan), (b"[Infinity, -Infinity]", [math.inf, -math.inf]),
    (b'"\\ud800"', "\ud800"),
    ('{"a": 1}', {"a": 1}), (memoryview(b'{"a": "\\u00e9"}'), {"a": "é"}),
])
def test_reads_what_json_read(data: bytes | str | memoryview, expected: object) -> None:
    got = loads(data)
    if isinstance(expected, float):
        assert math.isnan(got)
    else:
        assert got == expected


@pytest.mark.parametrize("data", [b"", b"{", b"not json", b"\xff\xfe{}", b'{"a": 1} x', "[1,]"])
def test_not_json_is_a_value_error(data: bytes | str) -> None:
    with pytest.raises(ValueError):
        loads(data)


def test_random_strings_read_back_from_both_encoders() -> None:
    rng = random.Random(21)
    alphabet = [chr(code) for code in range(0x80)] + ODD + ["\ud800"]
    for _ in range(3000):
        key = "".join(rng.choices(alphabet, k=rng.randrange(0, 4)))
        value = "".join(rng.choices(alphabet, k=rng.randrange(0, 40)))
        assert loads(dumps({key: value})) == {key: value}
        assert loads(json.dumps({key: value})) == {key: value}


def test_the_engines_json_columns_go_through_the_codec(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'json.sqlite3'}")
    try:
        migrate(engine)
        assert engine.dialect._json_serializer is dumps_text  # type: ignore[attr-defined]
        assert engine.dialect._json_deserializer is loads  # type: ignore[attr-defined]
        with engine.begin() as connection:
            enqueue_update(connection, update_id=7, chat_key="c", payload={"update_id": 7},
                           seal_key=KEY)
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT payload FROM inbound_update WHERE update_id = 7")).scalar_one()
        assert stored == dumps_text(json.loads(stored))
        assert set(json.loads(stored)) == {"sealed"}
    finally:
        engine.dispose()


def _store_old_text(engine: Engine, table: str, column: str, where: str, old: str,
                    **parameters: object) -> None:
    """Overwrite a JSON column with `old`, the text the old code (json.dumps) wrote."""
    cast = "JSONB" if engine.dialect.name == "postgresql" else "TEXT"
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {table} SET {column} = CAST(:old AS {cast}) WHERE {where}"),
                           {"old": old, **parameters})
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            stored = connection.execute(text(f"SELECT {column} FROM {table} WHERE {where}"),
                                        parameters).scalar_one()
        assert stored == old  # the old form itself is what is read below


# What a person's draft holds: non-ASCII text (escaped by the old json.dumps), lists, None.
_DATA = {"draft": {"story": "ฉันถูกหลอก “quote” \\ / \n 🙂", "amounts": [1, -2, 2**62]},
         "answers": {"q1": "yes", "q2": None, "q3": True}, "lang": "th"}
_UPDATE = {"update_id": 41, "message": {"message_id": 3, "chat": {"id": 99, "type": "private"},
                                        "from": {"id": 99, "first_name": "Somchai ស"},
                                        "text": "งานที่กัมพูชา 💰 \u2028 /check"}}


@pytest.mark.parametrize("sealed", [True, False])
def test_a_conversation_stored_by_the_old_json_reads_back(engine: Engine, sealed: bool) -> None:
    user = "b" * 64
    with session_scope(engine) as session:
        row, _ = lock_conversation_with_prefs(session, user_key=user)
        save_conversation(session, row=row)
    old = (json.dumps({"sealed": seal(_old_compact(_DATA), key=KEY, purpose=CONVERSATION)})
           if sealed else json.dumps(_DATA))
    _store_old_text(engine, "conversation", "data", "user_key = :user", old, user=user)
    with session_scope(engine) as session:
        row, _ = lock_conversation_with_prefs(session, user_key=user,
                                              seal_key=KEY if sealed else None)
        assert row.data == _DATA
        row.version += 1
        save_conversation(session, row=row, seal_key=KEY if sealed else None)
    with session_scope(engine) as session:  # written by the codec, read by it
        row, _ = lock_conversation_with_prefs(session, user_key=user,
                                              seal_key=KEY if sealed else None)
        assert (row.data, row.version) == (_DATA, 1)
    with engine.connect() as connection:  # and still readable by json
        stored = connection.execute(text("SELECT data FROM conversation")).scalar_one()
    stored = json.loads(stored) if isinstance(stored, str) else stored
    if sealed:
        token = stored["sealed"]
        assert json.loads(unseal(token, key=KEY, purpose=CONVERSATION)) == _DATA
        assert unseal(token, key=KEY, purpose=CONVERSATION) == _old_compact(_DATA)
    else:
        assert stored == _DATA


@pytest.mark.parametrize("sealed", [True, False])
def test_an_inbox_update_stored_by_the_old_json_reads_back(engine: Engine, sealed: bool) -> None:
    with session_scope(engine) as session:
        enqueue_update(session, update_id=41, chat_key="c", payload={"update_id": 41})
    old = (json.dumps({"sealed": seal(json.dumps(_UPDATE).encode(), key=KEY,
                                      purpose="inbox-update")}) if sealed else json.dumps(_UPDATE))
    _store_old_text(engine, "inbound_update", "payload", "update_id = 41", old)
    with session_scope(engine) as session:
        claimed = claim_updates(session, worker_id="w", seal_key=KEY if sealed else None)
    assert [(update.update_id, update.payload) for update in claimed] == [(41, _UPDATE)]


def test_list_parameters_on_sqlite_are_json_arrays(engine: Engine) -> None:
    with engine.connect() as connection:
        dialect = dialect_of(connection)
        values = list_parameter(dialect, ["a", "é", 3])
        if dialect == "postgresql":
            assert values == ["a", "é", 3]
        else:
            assert json.loads(values) == ["a", "é", 3]
            found = connection.execute(text("SELECT value FROM json_each(:v)"), {"v": values})
            assert [row[0] for row in found] == ["a", "é", 3]
