"""The storage suite runs on SQLite and on PostgreSQL.

PostgreSQL comes from `LURECHECK_TEST_POSTGRES_URL` (`scripts/test.sh` starts one with
`scripts/postgres.sh start`). Without it the PostgreSQL half is skipped locally but fails under
CI (`CI` set): a missing database must never turn into a green run.

Every test gets an empty, freshly migrated database: a new SQLite file, or on PostgreSQL a new
schema (selected through the connection's `search_path`) dropped afterwards. Both are migrated
once per process and copied (storage.testing); `db_url` gives an empty one to migrate for real.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.db import create_db_engine
from storage.testing import (
    POSTGRES_URL_VARIABLE,
    migrate_schema,
    migrated_sqlite_file,
    temporary_schema,
    with_search_path,
)

ENGINES = ("sqlite", "postgresql")
# Kept for tests of other packages that imported the old private name.
_with_search_path = with_search_path


def postgres_base_url() -> str:
    """The test PostgreSQL URL; skips the test without it, fails it under CI."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if url:
        return url
    message = (
        f"{POSTGRES_URL_VARIABLE} is not set; start PostgreSQL with "
        f'`export {POSTGRES_URL_VARIABLE}="$(scripts/postgres.sh start)"`'
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database of each engine (not migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'storage.sqlite3'}"
        return
    with temporary_schema(postgres_base_url()) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated database (Alembic head) of each engine."""
    if db_url.startswith("sqlite:///"):
        migrated_sqlite_file(Path(db_url.removeprefix("sqlite:///")))
        engine = create_db_engine(db_url)
    else:
        engine = create_db_engine(db_url)
        migrate_schema(engine, postgres_base_url())
    try:
        yield engine
    finally:
        engine.dispose()
