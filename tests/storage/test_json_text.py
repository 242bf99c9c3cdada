"""The engines' JSON columns are written by `storage.db.json_text`: the same text as
`json.dumps`, with a shortcut for a sealed column's `{"sealed": token}`."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import create_db_engine, json_text, migrate
from storage.inbox import enqueue_update
from storage.sealing import seal
from tests.storage.helpers import KEY

ODD = ['"', "\\", "\x00", "\x1f", "\x7f", "\n", "é", "\u2028", "🙂", "\ud800", "/", "'", " "]


@pytest.mark.parametrize("value", [
    {"sealed": seal(b"x" * 1900, key=KEY, purpose="p")}, {"sealed": ""}, {"": ""},
    *({"sealed": f"ab{odd}cd"} for odd in ODD), *({f"k{odd}": "v"} for odd in ODD),
    {1: "a"}, {None: "a"}, {True: "a"}, {"a": 1}, {"a": None}, {"a": ["b"]}, {"a": "b", "c": "d"},
    {}, [], ["sealed"], None, "sealed", 1.5, float("nan"),
])
def test_the_same_text_as_json_dumps(value: object) -> None:
    assert json_text(value) == json.dumps(value)


def test_the_same_text_as_json_dumps_for_random_strings() -> None:
    rng = random.Random(21)
    alphabet = [chr(code) for code in range(0x80)] + ODD
    for _ in range(5000):
        key = "".join(rng.choices(alphabet, k=rng.randrange(0, 4)))
        value = "".join(rng.choices(alphabet, k=rng.randrange(0, 40)))
        assert json_text({key: value}) == json.dumps({key: value})


def test_sqlite_stores_a_sealed_update_as_json_dumps_wrote_it(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'json.sqlite3'}")
    try:
        migrate(engine)
        assert engine.dialect._json_serializer is json_text  # type: ignore[attr-defined]
        with engine.begin() as connection:
            enqueue_update(connection, update_id=7, chat_key="c", payload={"update_id": 7},
                           seal_key=KEY)
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT payload FROM inbound_update WHERE update_id = 7")).scalar_one()
        assert stored == json.dumps(json.loads(stored))
        assert set(json.loads(stored)) == {"sealed"}
    finally:
        engine.dispose()
