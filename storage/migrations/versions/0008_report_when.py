"""report.happened: the reporter's "when did this happen?" in its own column

Until now the bot wrote it as the narrative's first line ("[when: this week]"), so every queue
excerpt began with it and staff could not sort or filter by it. The upgrade moves that line
into the column; the downgrade puts it back.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

# What the bot wrote for each answer (handlers/report.py before this revision).
_WRITTEN = {"today": "today", "week": "this week", "month": "this month",
            "earlier": "earlier than a month ago"}
_report = sa.table("report", sa.column("id", sa.Integer), sa.column("narrative", sa.Text),
                   sa.column("happened", sa.String(16)))


def upgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("happened", sa.String(length=16), nullable=True))
    connection = op.get_bind()
    by_text = {text: code for code, text in _WRITTEN.items()}
    rows = connection.execute(sa.select(_report.c.id, _report.c.narrative)
                              .where(_report.c.narrative.like("[when: %"))).all()
    for report_id, narrative in rows:
        first, _newline, rest = narrative.partition("\n")
        code = by_text.get(first.removeprefix("[when: ").removesuffix("]"))
        if code is None or not first.endswith("]"):
            continue
        connection.execute(sa.update(_report).where(_report.c.id == report_id)
                           .values(happened=code, narrative=rest or None))


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_report.c.id, _report.c.narrative, _report.c.happened)
                              .where(_report.c.happened.is_not(None))).all()
    for report_id, narrative, code in rows:
        if code not in _WRITTEN:
            continue
        line = f"[when: {_WRITTEN[code]}]"
        connection.execute(sa.update(_report).where(_report.c.id == report_id)
                           .values(narrative=f"{line}\n{narrative}" if narrative else line))
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("happened")
