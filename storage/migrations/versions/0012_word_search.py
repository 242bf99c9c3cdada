"""Word search of the staff queue through an index (issue 18)

Searching words of the narrative was `narrative ILIKE '%words%'`: a scan of every narrative,
~1 s with 100,000 reports even with a status filter. Now:

- PostgreSQL: a GIN trigram index (`pg_trgm`, a trusted extension since PostgreSQL 13, so the
  database owner may create it) on `report.narrative`; `ILIKE '%words%'` uses it as it is. The
  extension is put in `public` (or wherever it already is) and the operator class is named with
  its schema, so a database whose `search_path` is another schema (the tests') can use it.
  Without the privilege to create the extension the index is left out and search still works.
- SQLite: an FTS5 table with the `trigram` tokenizer over `report.narrative` (external content,
  kept in step by triggers); the queue asks it for the candidate ids and still checks
  `ILIKE` on those, so the results are the same as before.

Note for later SQLite migrations: `batch_alter_table("report")` copies the table and drops the
old one, and with it these triggers; such a migration must re-create them (`_create_sqlite`).

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

SQLITE_TABLE = "report_words"
PG_INDEX = "ix_report_narrative_trgm"


def _create_sqlite() -> None:
    op.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
               "narrative, content='report', content_rowid='id', tokenize='trigram')")
    op.execute(f"""CREATE TRIGGER IF NOT EXISTS {SQLITE_TABLE}_ai AFTER INSERT ON report BEGIN
        INSERT INTO {SQLITE_TABLE}(rowid, narrative) VALUES (new.id, new.narrative); END""")
    op.execute(f"""CREATE TRIGGER IF NOT EXISTS {SQLITE_TABLE}_ad AFTER DELETE ON report BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, narrative)
        VALUES ('delete', old.id, old.narrative); END""")
    op.execute(f"""CREATE TRIGGER IF NOT EXISTS {SQLITE_TABLE}_au
        AFTER UPDATE OF narrative ON report BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, narrative)
        VALUES ('delete', old.id, old.narrative);
        INSERT INTO {SQLITE_TABLE}(rowid, narrative) VALUES (new.id, new.narrative); END""")
    op.execute(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('rebuild')")


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        _create_sqlite()
        return
    schema = connection.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar()
    if schema is None:
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            schema = "public"
        except Exception:  # no privilege to create it: search works, without the index
            return
    connection.exec_driver_sql(
        f'CREATE INDEX IF NOT EXISTS {PG_INDEX} ON report USING gin (narrative "{schema}".gin_trgm_ops)')


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")
        return
    op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
