"""Indexes for the staff queue at 100,000 reports: seek (keyset) paging and every sort (issue 18)

Found with EXPLAIN ANALYZE on PostgreSQL at 100,000 reports (bench/review_bench.py):

- `page=2000` read 100,000 rows of `created_at` and fetched each from the table for its id
  (48 ms); with `(created_at, id)` the walk is an index-only scan and "next"/"previous" seek
  straight to `(created_at, id) < (last one shown)`. Same for "recently updated".
- `sort=risk` sorted all 100,000 rows on each page (44 ms): the risk order is now an
  expression index, `risk_score` then date then id, read backwards (`storage.queue.RISK_SCORE_SQL`
  must stay the same text as here, or the planner no longer matches it).
- "unassigned, oldest first" counted `assignee_id IS NULL` by reading the whole table (28 ms).

Plain CREATE INDEX on SQLite too: `batch_alter_table` would copy the report table and drop the
word-search triggers of 0012.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None

# The same expression as storage.queue.RISK_SCORE_SQL (a migration does not import app code,
# whose later changes must not change what an old migration did).
RISK_SCORE_SQL = ("CASE risk_level WHEN 'very_high' THEN 4 WHEN 'high' THEN 3 "
                  "WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END")
RISK_INDEX = "ix_report_risk_score_created"


def upgrade() -> None:
    op.create_index("ix_report_created_id", "report", ["created_at", "id"])
    op.create_index("ix_report_updated_id", "report", ["updated_at", "id"])
    op.create_index("ix_report_assignee_created", "report", ["assignee_id", "created_at", "id"])
    op.execute(f"CREATE INDEX {RISK_INDEX} ON report (({RISK_SCORE_SQL}), created_at, id)")


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {RISK_INDEX}")
    op.drop_index("ix_report_assignee_created", table_name="report")
    op.drop_index("ix_report_updated_id", table_name="report")
    op.drop_index("ix_report_created_id", table_name="report")
