"""Small helpers shared by the storage tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from storage.db import session_scope

KEY = b"test-pseudonym-key-of-32-bytes!!"


@dataclass(frozen=True)
class FakeContact:
    """What `screening.contacts.Contact` offers storage: a type and a normalised value."""

    type: str
    value: str


def dump_all_tables(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, as tuples (for "nothing left behind" checks)."""
    rows: dict[str, list[tuple[object, ...]]] = {}
    with session_scope(engine, read_only=True) as session:
        for table in SQLModel.metadata.sorted_tables:
            rows[table.name] = [tuple(row) for row in session.execute(select(table)).all()]
    return rows


def dump_text(engine: Engine) -> str:
    return "\n".join(
        f"{table}: {row!r}" for table, table_rows in dump_all_tables(engine).items()
        for row in table_rows
    )
