"""Crash-safe staff-group topics for talk cases (issue 19)

`talk_case.topic_state` records a forum topic's creation before the Bot API call
(record-then-act, as the relay does for deliveries): "creating" (first attempt), "retrying"
(after an interrupted attempt), "created", "recreated" (made again after an interruption: an
older topic of the case may exist; the web thread and the new topic say so), "unsure" (an
attempt was interrupted; the next relay makes the topic once more, named so staff tell it apart).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy of the table) on both engines.
    op.add_column("talk_case", sa.Column("topic_state", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("talk_case") as batch:
        batch.drop_column("topic_state")
