"""composite indexes for the staff queue filtered by status and country or kind

Measured at 200,000 reports (bench/storage_bench.py): counting status=new AND country=TH took
~85 ms on SQLite through the (status, created_at) index; with these it is an index search.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_status_country_created", ["status", "country", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_report_status_kind_created", ["status", "kind", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("ix_report_status_kind_created")
        batch_op.drop_index("ix_report_status_country_created")
