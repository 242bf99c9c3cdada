"""Outbox for alerts to the staff chat (STAFF_CHAT_ID)

`staff_alert`: an alert stored in the transaction of the urgent report (or the message of a
person in danger) it is about, and deleted once Telegram took it (bot/alerts.py). The text is
sealed; `reporter_key` is the pseudonym (for /delete); the report's row going deletes its
alert (ON DELETE CASCADE). A new table only: plain CREATE TABLE / CREATE INDEX on both engines.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "staff_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("reporter_key", sa.String(length=64), nullable=True),
        sa.Column("text_sealed", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=64), nullable=True),
        sa.Column("sender", sa.String(length=64), nullable=True),
        sa.Column("sending_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"],
                                name=op.f("fk_staff_alert_report_id_report"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_alert")),
    )
    op.create_index("ix_staff_alert_due", "staff_alert", ["next_attempt_at", "id"], unique=False)
    op.create_index(op.f("ix_staff_alert_report_id"), "staff_alert", ["report_id"], unique=False)
    op.create_index(op.f("ix_staff_alert_reporter_key"), "staff_alert", ["reporter_key"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_alert_reporter_key"), table_name="staff_alert")
    op.drop_index(op.f("ix_staff_alert_report_id"), table_name="staff_alert")
    op.drop_index("ix_staff_alert_due", table_name="staff_alert")
    op.drop_table("staff_alert")
