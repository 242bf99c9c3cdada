"""Throwaway databases for tests and benchmarks (not used by the bot itself).

On PostgreSQL every test or benchmark run gets its own schema in the shared test database,
selected through the connection's `search_path`, so runs never see each other's rows and need no
cleanup but a `DROP SCHEMA … CASCADE`; `migrate_schema` brings such a schema to the newest
revision by replaying the statements of one real migration per process. On SQLite a test gets a
copy of one file migrated once per process (`migrated_sqlite_file`).
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, event

from storage.db import create_db_engine, is_sqlite, migrate

POSTGRES_URL_VARIABLE = "LURECHECK_TEST_POSTGRES_URL"

# The SQLite file migrated to the newest revision, once per process (see migrated_sqlite_file).
_migrated_template: list[Path] = []


def migrated_sqlite_file(path: Path) -> None:
    """Write at `path` a SQLite database migrated to the newest revision.

    Running every migration costs ~0.15 s and a flow test's harness needs a fresh database each
    time (hundreds per run); the migrated file is the same bytes every time, so it is made once
    per process and copied (~1 ms). SQLite's backup API copies it whole, its WAL included."""
    if not _migrated_template:
        template = Path(tempfile.mkdtemp(prefix="lurecheck-migrated-")) / "head.sqlite3"
        migrate(f"sqlite:///{template}")
        _migrated_template.append(template)
    with closing(sqlite3.connect(_migrated_template[0])) as source, \
            closing(sqlite3.connect(path)) as target:
        source.backup(target)


# What Alembic sent to PostgreSQL to migrate an empty schema to the newest revision, once per
# process (see migrate_schema): (statement, parameters, executemany) as given to the driver.
_head_statements: list[tuple[str, Any, bool]] = []


def _statements_to_head(base_url: str) -> list[tuple[str, Any, bool]]:
    if not _head_statements:
        captured: list[tuple[str, Any, bool]] = []

        def capture(connection: Any, cursor: Any, statement: str, parameters: Any,
                    context: Any, executemany: bool) -> None:
            captured.append((statement, parameters, executemany))

        with temporary_schema(base_url, prefix="template") as url:
            engine = create_db_engine(url)
            event.listen(engine, "before_cursor_execute", capture)
            try:
                migrate(engine)
            finally:
                engine.dispose()
        # Not the migration's own lock (pg_advisory_lock … unlock): replays need no turns.
        _head_statements.extend(entry for entry in captured
                                if not entry[0].lstrip().startswith("SELECT pg_advisory_"))
    return _head_statements


def migrate_schema(engine: Engine, base_url: str) -> None:
    """Migrate the empty PostgreSQL schema `engine` uses (its search path) to the newest revision.

    Alembic's upgrade costs ~0.4 s per schema (Python, not the server), and the storage suite
    alone wants ~150 fresh schemas per run. The statements an upgrade of an empty schema sends
    are the same every time and name no schema (the search path picks it), so the first call
    runs the real `migrate` on a scratch schema of `base_url`, records what it sent, and every
    call replays that, in one transaction (~0.05 s). tests/storage/test_testing_databases.py
    checks the result against a schema `migrate` made: tables, columns, constraints, indexes,
    sequences, rows and revision."""
    statements = _statements_to_head(base_url)
    with engine.begin() as connection:
        assert not is_sqlite(connection), "migrate_schema is for PostgreSQL; see migrated_sqlite_file"
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            for statement, parameters, executemany in statements:
                if executemany:
                    cursor.executemany(statement, parameters)
                else:
                    cursor.execute(statement, parameters)
        finally:
            cursor.close()


def with_search_path(url: str, schema: str) -> str:
    """The URL with `schema` as the connection's search path (tables and alembic_version)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def temporary_schema(base_url: str, *, prefix: str = "test") -> Iterator[str]:
    """Create an empty schema, yield a URL that uses it, drop it afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(base_url)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield with_search_path(base_url, schema)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@contextmanager
def fresh_engine(kind: str, postgres_url: str | None, workdir: Path, *,
                 prefix: str = "test") -> Iterator[Engine]:
    """An engine on an empty database, disposed of afterwards: a new SQLite file in `workdir`
    (kind "sqlite"), else a `temporary_schema` of `postgres_url` (benchmarks)."""
    if kind == "sqlite":
        engine = create_db_engine(f"sqlite:///{workdir / f'{prefix}-{uuid.uuid4().hex}.sqlite3'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    assert postgres_url is not None
    with temporary_schema(postgres_url, prefix=prefix) as url:
        engine = create_db_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def migrated_schema(base_url: str, *, prefix: str = "test") -> Iterator[str]:
    """`temporary_schema` already at the newest revision (`migrate_schema`)."""
    with temporary_schema(base_url, prefix=prefix) as url:
        engine = create_db_engine(url)
        try:
            migrate_schema(engine, base_url)
        finally:
            engine.dispose()
        yield url
