"""Throwaway databases for tests and benchmarks (not used by the bot itself).

On PostgreSQL every test or benchmark run gets its own schema in the shared test database,
selected through the connection's `search_path`, so runs never see each other's rows and need no
cleanup but a `DROP SCHEMA … CASCADE`. On SQLite a test gets a copy of one file migrated once per
process (`migrated_sqlite_file`).
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import quote

from storage.db import create_db_engine, migrate

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
