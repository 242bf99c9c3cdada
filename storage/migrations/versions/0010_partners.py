"""partner API: partners (hashed keys), their audited calls and feedback, the change feed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.String(length=64), nullable=False),
        sa.Column("rate_per_minute", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_partner_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_partner_name")),
    )
    op.create_table(
        "partner_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("endpoint", sa.String(length=32), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("value_count", sa.Integer(), nullable=False),
        sa.Column("match_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_call")),
    )
    with op.batch_alter_table("partner_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_call_at"), ["at"], unique=False)
        batch_op.create_index("ix_partner_call_partner_at", ["partner_id", "at"], unique=False)
    op.create_table(
        "partner_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_feedback")),
    )
    with op.batch_alter_table("partner_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_feedback_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_partner_feedback_partner_id"), ["partner_id"],
                              unique=False)
        batch_op.create_index("ix_partner_feedback_identity", ["kind", "key"], unique=False)
    op.create_table(
        "identity_change",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_identity_change")),
    )
    feed_counter = op.create_table(
        "feed_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_counter")),
    )
    op.bulk_insert(feed_counter, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("feed_counter")
    op.drop_table("identity_change")
    with op.batch_alter_table("partner_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_feedback_identity")
        batch_op.drop_index(batch_op.f("ix_partner_feedback_partner_id"))
        batch_op.drop_index(batch_op.f("ix_partner_feedback_at"))
    op.drop_table("partner_feedback")
    with op.batch_alter_table("partner_call", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_call_partner_at")
        batch_op.drop_index(batch_op.f("ix_partner_call_at"))
    op.drop_table("partner_call")
    op.drop_table("partner")
