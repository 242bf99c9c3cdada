"""offers matched against earlier reports: the checked offer's text kept with a report, its
MinHash signature, and the LSH band keys that find similar ads (screening.similarity)

Existing reports are indexed from their narrative, so earlier reports can be matched too.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from screening.similarity import fingerprint

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offer_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("text_signature", sa.String(length=512), nullable=True))
    op.create_table(
        "report_text_band",
        sa.Column("band_key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"],
                                name=op.f("fk_report_text_band_report_id_report"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("band_key", "report_id", name=op.f("pk_report_text_band")),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, narrative FROM report WHERE narrative IS NOT NULL")).all()
    for report_id, narrative in rows:
        found = fingerprint(narrative)
        if not found.signature:
            continue
        connection.execute(sa.text("UPDATE report SET text_signature = :s WHERE id = :id"),
                           {"s": found.encoded(), "id": report_id})
        connection.execute(sa.text(
            "INSERT INTO report_text_band (band_key, report_id) VALUES (:k, :id)"),
            [{"k": key, "id": report_id} for key in set(found.bands())])


def downgrade() -> None:
    op.drop_table("report_text_band")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("text_signature")
        batch_op.drop_column("offer_text")
