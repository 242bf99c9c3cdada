"""Staff alerts: an attempt whose outcome is unknown, and what the staff app may show

`staff_alert.unconfirmed_at`: set when an attempt to send the alert ended without knowing
whether Telegram took it (a sender that stopped between the send and its record, a timeout or
a cut connection after the request went out). The alert is still sent again (at least once),
and the resend says it may repeat one already in the staff chat (bot/alerts.py).

`staff_alert.language` and `country`: the person's language and the country they said they are
in, for an alert without a report (a person in danger who chose to send only what they typed):
its text is sealed and the staff app has no sealing key, so these (never who the person is)
are what the staff app shows of it while it waits.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs (nullable: no batch copy of the table) on both engines.
    op.add_column("staff_alert", sa.Column("unconfirmed_at", sa.DateTime(timezone=True),
                                           nullable=True))
    op.add_column("staff_alert", sa.Column("language", sa.String(length=16), nullable=True))
    op.add_column("staff_alert", sa.Column("country", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_alert") as batch:
        batch.drop_column("country")
        batch.drop_column("language")
        batch.drop_column("unconfirmed_at")
