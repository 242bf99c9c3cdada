"""initial schema: reports, indicators, audit log, staff, prefs, conversations, inbox

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "conversation",
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("flow", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key", name=op.f("pk_conversation")),
    )
    op.create_table(
        "inbound_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_key", sa.String(length=64), nullable=False),
        sa.Column("payload", JSON, nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "processing", "done", "failed", name="inboxstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("locked_by", sa.String(length=64), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbound_update")),
    )
    with op.batch_alter_table("inbound_update", schema=None) as batch_op:
        batch_op.create_index("ix_inbound_update_chat", ["chat_key", "update_id"], unique=False)
        batch_op.create_index("ix_inbound_update_status", ["status", "update_id"], unique=False)

    op.create_table(
        "rate_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_event")),
    )
    with op.batch_alter_table("rate_event", schema=None) as batch_op:
        batch_op.create_index("ix_rate_event_user_action_at", ["user_key", "action", "at"], unique=False)

    op.create_table(
        "review_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("old", sa.String(length=255), nullable=True),
        sa.Column("new", sa.String(length=255), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_event")),
    )
    with op.batch_alter_table("review_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_event_indicator_id"), ["indicator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_event_report_id"), ["report_id"], unique=False)

    op.create_table(
        "safelist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=512), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=512), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safelist_entry")),
        sa.UniqueConstraint("type", "value", name=op.f("uq_safelist_entry_type_value")),
    )
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum("admin", "reviewer", name="staffrole", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_user")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_user_username")),
    )
    op.create_table(
        "user_prefs",
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("consent_store_reports", sa.Boolean(), nullable=False),
        sa.Column("consent_notify", sa.Boolean(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key", name=op.f("pk_user_prefs")),
    )
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=512), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_by"],
            ["staff_user.id"],
            name=op.f("fk_indicator_confirmed_by_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("type", "value", name=op.f("uq_indicator_type_value")),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "job_offer",
                "contact",
                "romance_investment",
                "urgent_help",
                "other",
                name="reportkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("risk_level", sa.String(length=16), nullable=True),
        sa.Column("flag_ids", JSON, nullable=False),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "in_review",
                "confirmed",
                "false_report",
                "duplicate",
                "referred",
                "spam",
                name="reportstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("reporter_key", sa.String(length=64), nullable=False),
        sa.Column("notify_chat_sealed", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["staff_user.id"],
            name=op.f("fk_report_assignee_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("receipt_code", name=op.f("uq_report_receipt_code")),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index("ix_report_country_created", ["country", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_report_kind_created", ["kind", "created_at"], unique=False)
        batch_op.create_index("ix_report_language_created", ["language", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_reporter_key"), ["reporter_key"], unique=False)
        batch_op.create_index("ix_report_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "report_indicator",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_report_indicator_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_report_indicator_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("indicator_id", "report_id", name=op.f("pk_report_indicator")),
    )
    with op.batch_alter_table("report_indicator", schema=None) as batch_op:
        batch_op.create_index("ix_report_indicator_report", ["report_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_indicator", schema=None) as batch_op:
        batch_op.drop_index("ix_report_indicator_report")

    op.drop_table("report_indicator")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("ix_report_status_created")
        batch_op.drop_index(batch_op.f("ix_report_reporter_key"))
        batch_op.drop_index("ix_report_language_created")
        batch_op.drop_index("ix_report_kind_created")
        batch_op.drop_index(batch_op.f("ix_report_created_at"))
        batch_op.drop_index("ix_report_country_created")

    op.drop_table("report")
    op.drop_table("indicator")
    op.drop_table("user_prefs")
    op.drop_table("staff_user")
    op.drop_table("safelist_entry")
    with op.batch_alter_table("review_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_event_report_id"))
        batch_op.drop_index(batch_op.f("ix_review_event_indicator_id"))

    op.drop_table("review_event")
    with op.batch_alter_table("rate_event", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_event_user_action_at")

    op.drop_table("rate_event")
    with op.batch_alter_table("inbound_update", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_update_status")
        batch_op.drop_index("ix_inbound_update_chat")

    op.drop_table("inbound_update")
    op.drop_table("conversation")
