"""one contact, one identity: WhatsApp numbers merge into phone numbers, case-variant handles,
LINE/WeChat ids, e-mails and EVM wallets into one indicator; the channel moves to the sighting

Before this revision a number reported as "WhatsApp +855…" and the same number reported plain
were two indicators, each with its own count and confirmation. Now an indicator is a contact
identity (`screening.identity`) and `report_indicator.channel` records how each report saw it.

Data: every indicator whose identity differs from its stored (type, value) is merged into the
indicator of that identity (created by renaming it when there is none). Nothing is lost: every
report link moves (a report that named both spellings keeps one link, with the more specific
channel), a confirmation on any spelling confirms the identity (the earliest confirmation's time
and staff member are kept), audit events follow their indicator, and counts — derived from the
links — become the union. Safelist entries are merged the same way. The identity rules are
frozen here (not imported) so that this revision keeps meaning what it meant.

Downgrade drops the channel column; merged indicators stay merged (a merge cannot be undone).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_LOWER_CASE_KINDS = ("telegram", "line", "wechat", "email", "wallet_eth")
# A channel says more than "phone" (the plain number).
_SPECIFIC = ("whatsapp", "viber", "zalo", "line", "telegram", "tel")


def _identity(type_: str, value: str) -> tuple[str, str]:
    """The identity rule as of this revision (frozen copy of screening.identity's)."""
    value = value.strip()
    if type_ in ("phone", "whatsapp"):
        return "phone", value
    if type_ == "telegram":
        return type_, value.lstrip("@").lower()
    if type_ in _LOWER_CASE_KINDS:
        return type_, value.lower()
    if type_ == "wallet_btc" and value[:3].lower() == "bc1":
        return type_, value.lower()
    return type_, value


def _changed_rows(connection: sa.Connection, table: str, columns: str) -> list[sa.Row[tuple]]:
    """Rows whose identity differs from their stored (type, value); the rest are untouched."""
    return list(connection.execute(sa.text(
        f"SELECT {columns} FROM {table} WHERE type = 'whatsapp'"
        " OR (type IN ('telegram', 'line', 'wechat', 'email', 'wallet_eth')"
        "     AND value <> lower(value))"
        " OR (type = 'telegram' AND value LIKE '@%')"
        " OR (type = 'wallet_btc' AND lower(substr(value, 1, 3)) = 'bc1' AND value <> lower(value))"
        " OR value <> trim(value)"
        " ORDER BY id"
    )))


def _as_datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _merge_indicators(connection: sa.Connection) -> None:
    for row in _changed_rows(connection, "indicator",
                             "id, type, value, confirmed, confirmed_at, confirmed_by"):
        loser_id, kind_value = row.id, _identity(row.type, row.value)
        survivor = connection.execute(sa.text(
            "SELECT id, confirmed, confirmed_at, confirmed_by FROM indicator"
            " WHERE type = :type AND value = :value AND id <> :id"
        ), {"type": kind_value[0], "value": kind_value[1], "id": loser_id}).first()
        if survivor is None:
            connection.execute(sa.text(
                "UPDATE indicator SET type = :type, value = :value WHERE id = :id"
            ), {"type": kind_value[0], "value": kind_value[1], "id": loser_id})
            continue
        survivor_id = survivor.id
        links = connection.execute(sa.text(
            "SELECT report_id, channel FROM report_indicator WHERE indicator_id = :id"
        ), {"id": loser_id}).all()
        for report_id, channel in links:
            existing = connection.execute(sa.text(
                "SELECT channel FROM report_indicator WHERE indicator_id = :s AND report_id = :r"
            ), {"s": survivor_id, "r": report_id}).first()
            if existing is None:
                connection.execute(sa.text(
                    "UPDATE report_indicator SET indicator_id = :s"
                    " WHERE indicator_id = :l AND report_id = :r"
                ), {"s": survivor_id, "l": loser_id, "r": report_id})
                continue
            if existing.channel not in _SPECIFIC and channel in _SPECIFIC:
                connection.execute(sa.text(
                    "UPDATE report_indicator SET channel = :c"
                    " WHERE indicator_id = :s AND report_id = :r"
                ), {"c": channel, "s": survivor_id, "r": report_id})
            connection.execute(sa.text(
                "DELETE FROM report_indicator WHERE indicator_id = :l AND report_id = :r"
            ), {"l": loser_id, "r": report_id})
        connection.execute(sa.text(
            "UPDATE review_event SET indicator_id = :s WHERE indicator_id = :l"
        ), {"s": survivor_id, "l": loser_id})
        if row.confirmed:
            mine, theirs = _as_datetime(row.confirmed_at), _as_datetime(survivor.confirmed_at)
            keep_survivors = bool(survivor.confirmed) and (
                mine is None or (theirs is not None and theirs <= mine))
            if not keep_survivors:
                connection.execute(sa.text(
                    "UPDATE indicator SET confirmed = :yes, confirmed_at = :at, confirmed_by = :by"
                    " WHERE id = :s"
                ), {"yes": True, "at": row.confirmed_at, "by": row.confirmed_by, "s": survivor_id})
        connection.execute(sa.text("DELETE FROM indicator WHERE id = :l"), {"l": loser_id})


def _merge_safelist(connection: sa.Connection) -> None:
    for row in _changed_rows(connection, "safelist_entry", "id, type, value"):
        kind, value = _identity(row.type, row.value)
        taken = connection.execute(sa.text(
            "SELECT id FROM safelist_entry WHERE type = :type AND value = :value AND id <> :id"
        ), {"type": kind, "value": value, "id": row.id}).first()
        if taken is None:
            connection.execute(sa.text(
                "UPDATE safelist_entry SET type = :type, value = :value WHERE id = :id"
            ), {"type": kind, "value": value, "id": row.id})
        else:
            connection.execute(sa.text("DELETE FROM safelist_entry WHERE id = :id"),
                               {"id": row.id})


def upgrade() -> None:
    with op.batch_alter_table("report_indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=16), nullable=True))
    connection = op.get_bind()
    # The channel of every phone sighting so far is the type it was stored under.
    connection.execute(sa.text(
        "UPDATE report_indicator SET channel = (SELECT type FROM indicator"
        " WHERE indicator.id = report_indicator.indicator_id)"
        " WHERE indicator_id IN (SELECT id FROM indicator WHERE type IN ('phone', 'whatsapp'))"
    ))
    _merge_indicators(connection)
    _merge_safelist(connection)


def downgrade() -> None:
    with op.batch_alter_table("report_indicator", schema=None) as batch_op:
        batch_op.drop_column("channel")
