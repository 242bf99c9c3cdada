"""Throwaway PostgreSQL schemas for tests and benchmarks (not used by the bot itself).

Every test or benchmark run gets its own schema in the shared test database, selected through
the connection's `search_path`, so runs never see each other's rows and need no cleanup but a
`DROP SCHEMA … CASCADE`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from storage.db import create_db_engine

POSTGRES_URL_VARIABLE = "LURECHECK_TEST_POSTGRES_URL"


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
