"""Migrations: an empty database, and databases at every earlier revision with data in them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from storage.db import (
    MIGRATIONS_DIR,
    compared_with_models,
    create_db_engine,
    current_revision,
    migrate,
    session_scope,
)
from storage.models import InboundUpdate, InboxStatus, Report, ReportKind

# SQLAlchemy cannot reflect an expression index (migration 0014's risk order) and says so; the
# comparison skips it on purpose (storage.db.MIGRATION_ONLY_OBJECTS).
pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index")

REPO_ROOT = Path(__file__).resolve().parents[2]
_SCRIPTS = ScriptDirectory(str(MIGRATIONS_DIR))
HEAD = _SCRIPTS.get_current_head()
# Every revision a deployed database may still be at.
EARLIER_REVISIONS = sorted(s.revision for s in _SCRIPTS.walk_revisions() if s.revision != HEAD)


def test_empty_database_upgrades_to_head_matching_the_models(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        assert current_revision(engine) is None
        migrate(engine)
        assert current_revision(engine) == HEAD
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={
                    "compare_type": True, "include_object": compared_with_models}),
                SQLModel.metadata,
            )
        assert differences == []
        migrate(engine)  # a second run is a no-op
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


@pytest.mark.parametrize("start", EARLIER_REVISIONS)
def test_database_at_an_earlier_revision_upgrades_and_keeps_its_rows(
    db_url: str, start: str
) -> None:
    engine = create_db_engine(db_url)
    try:
        migrate(engine, revision=start)
        assert current_revision(engine) == start
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO report (receipt_code, created_at, updated_at, kind, flag_ids, status,"
                " reporter_key, risk_level) VALUES ('ABCDEFGHJK', :at, :at, 'job_offer', '[]',"
                " 'new', :key, 'high')"
            ), {"at": "2026-01-02 03:04:05", "key": "f" * 64})
            connection.execute(text(
                "INSERT INTO inbound_update (update_id, chat_key, status, attempts, received_at)"
                " VALUES (7, 'c', 'pending', 0, :at)"
            ), {"at": "2026-01-02 03:04:05"})

        migrate(engine)

        assert current_revision(engine) == HEAD
        report_indexes = {index["name"] for index in inspect(engine).get_indexes("report")}
        assert {"ix_report_risk_level", "ix_report_status_country_created"} <= report_indexes
        with session_scope(engine) as session:
            report = session.get_one(Report, 1)
            assert (report.receipt_code, report.kind, report.risk_level) == (
                "ABCDEFGHJK", ReportKind.job_offer, "high"
            )
            update = session.get_one(InboundUpdate, 7)
            assert update.status is InboxStatus.pending and update.last_error is None
            update.last_error = "RuntimeError: boom"  # the new column is writable
    finally:
        engine.dispose()


def test_migrate_accepts_a_url(db_url: str) -> None:
    migrate(db_url)
    engine = create_db_engine(db_url)
    try:
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


def test_concurrent_migrations_wait_for_each_other(db_url: str) -> None:
    """Two deploy steps may migrate at once (release phase + a booting instance). Separate
    processes, like real deploys: Alembic's `context` is process-global, not thread-safe."""
    script = "import sys; from storage.db import migrate; migrate(sys.argv[1])"
    processes = [
        subprocess.Popen([sys.executable, "-c", script, db_url], cwd=REPO_ROOT,
                         env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                         stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outcomes = [process.communicate(timeout=120) for process in processes]
    failures = [err for process, (_, err) in zip(processes, outcomes, strict=True)
                if process.returncode != 0]
    assert failures == []
    engine = create_db_engine(db_url)
    try:
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()
