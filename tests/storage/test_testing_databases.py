"""The fast fresh databases of storage.testing are what `migrate` makes: on SQLite a copy of a file
migrated once per process, on PostgreSQL a replay of one real migration's statements. Compared
with a database migrated for real: every table's definition, constraints, indexes, sequences,
rows and the Alembic revision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from storage.db import create_db_engine, migrate
from storage.testing import migrate_schema, migrated_sqlite_file, temporary_schema
from tests.storage.conftest import postgres_base_url


def _rows(engine: Engine, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {table: sorted(map(tuple, connection.execute(text(f'SELECT * FROM "{table}"'))),
                              key=repr)
                for table in tables}


def _sqlite_snapshot(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        schema = sorted(map(tuple, connection.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")))
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        user_version = connection.exec_driver_sql("PRAGMA user_version").scalar()
    tables = [name for kind, name, _, _ in schema if kind == "table" and not name.startswith("sqlite_")]
    return {"schema": schema, "journal": journal, "user_version": user_version,
            "rows": _rows(engine, tables)}


def _postgres_snapshot(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
        assert schema is not None and schema.startswith(("migrated_", "replayed_"))

        def query(sql: str) -> list[tuple[Any, ...]]:
            found = connection.execute(text(sql), {"schema": schema})
            # Definitions name their own schema; the two schemas' names differ.
            return sorted(tuple(str(value).replace(schema, "<schema>") if value is not None else None
                                for value in row) for row in found)

        snapshot = {
            "columns": query(
                "SELECT table_name, column_name, ordinal_position, data_type, is_nullable,"
                " column_default, character_maximum_length, numeric_precision"
                " FROM information_schema.columns WHERE table_schema = :schema"),
            "constraints": query(
                "SELECT c.conrelid::regclass::text, c.conname, c.contype,"
                " pg_get_constraintdef(c.oid) FROM pg_constraint c"
                " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = :schema"),
            "indexes": query("SELECT tablename, indexname, indexdef FROM pg_indexes"
                             " WHERE schemaname = :schema"),
            "sequences": query("SELECT sequence_name, data_type, start_value, increment"
                               " FROM information_schema.sequences"
                               " WHERE sequence_schema = :schema"),
            "relations": query("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n"
                               " ON n.oid = c.relnamespace WHERE n.nspname = :schema"),
        }
    tables = sorted({row[0] for row in snapshot["columns"]})
    snapshot["rows"] = _rows(engine, tables)
    return snapshot


def test_a_copied_sqlite_file_is_a_migrated_one(tmp_path: Path) -> None:
    migrated = create_db_engine(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    migrate(migrated)
    migrated_sqlite_file(tmp_path / "copied.sqlite3")
    migrated_sqlite_file(tmp_path / "copied-again.sqlite3")
    copies = [create_db_engine(f"sqlite:///{tmp_path / name}")
              for name in ("copied.sqlite3", "copied-again.sqlite3")]
    try:
        expected = _sqlite_snapshot(migrated)
        assert expected["rows"]["alembic_version"]  # a revision is there to compare
        for copy in copies:
            assert _sqlite_snapshot(copy) == expected
    finally:
        for engine in (migrated, *copies):
            engine.dispose()


def test_a_replayed_postgresql_schema_is_a_migrated_one() -> None:
    base = postgres_base_url()
    with temporary_schema(base, prefix="migrated") as migrated_url, \
            temporary_schema(base, prefix="replayed") as first_url, \
            temporary_schema(base, prefix="replayed") as second_url:
        migrated = create_db_engine(migrated_url)
        replayed = [create_db_engine(first_url), create_db_engine(second_url)]
        try:
            migrate(migrated)
            for engine in replayed:
                migrate_schema(engine, base)
            expected = _postgres_snapshot(migrated)
            assert expected["rows"]["alembic_version"] and expected["indexes"]
            for engine in replayed:
                assert _postgres_snapshot(engine) == expected
        finally:
            for engine in (migrated, *replayed):
                engine.dispose()
