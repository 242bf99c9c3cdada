"""Per-person flow state, one row per pseudonym, locked for the whole update.

The dispatcher does, in one `session_scope`: `lock_conversation` → pure flow step →
`save_conversation` → commit → send replies. The lock serialises updates of the same person
across threads, processes and instances:
- PostgreSQL: `SELECT … FOR UPDATE` on the row (created first with ON CONFLICT DO NOTHING, so
  two first-ever updates of a person don't race on the insert);
- SQLite: every write session starts with `BEGIN IMMEDIATE` (storage.db), which holds the
  database write lock until commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session

from storage.db import dialect_insert
from storage.models import ConversationRow, UserPrefs, utcnow


def _insert_if_missing(session: Session, *, user_key: str) -> None:
    values = ConversationRow(user_key=user_key).model_dump()  # the model's defaults
    session.execute(
        dialect_insert(session)(ConversationRow)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["user_key"])
    )


def lock_conversation(session: Session, *, user_key: str) -> ConversationRow:
    """The person's conversation row, created if missing, locked until the session ends."""
    statement = (
        select(ConversationRow)
        .where(ConversationRow.user_key == user_key)  # type: ignore[arg-type]
        .with_for_update()  # no-op on SQLite, where BEGIN IMMEDIATE already holds the lock
        .execution_options(populate_existing=True)
    )
    # Nearly every update comes from someone who already has a row: look first, and pay for
    # the insert (~0.7 ms of CPU, a quarter of a step: bench/e2e_bench.py) only when missing.
    row = session.execute(statement).scalar_one_or_none()
    if row is not None:
        return row
    _insert_if_missing(session, user_key=user_key)
    return session.execute(statement).scalar_one()


# Built once; FOR UPDATE OF the conversation only (PostgreSQL refuses to lock the nullable side
# of an outer join, and the preferences need no lock: only their owner's updates change them).
_WITH_PREFS = (
    select(ConversationRow, UserPrefs)
    .outerjoin(UserPrefs, UserPrefs.user_key == ConversationRow.user_key)  # type: ignore[arg-type]
    .with_for_update(of=ConversationRow)
    .execution_options(populate_existing=True)
)


def lock_conversation_with_prefs(
    session: Session, *, user_key: str
) -> tuple[ConversationRow, UserPrefs | None]:
    """`lock_conversation` and `storage.prefs.get_prefs` in one query (one per update fewer)."""
    statement = _WITH_PREFS.where(ConversationRow.user_key == user_key)  # type: ignore[arg-type]
    found = session.execute(statement).first()
    if found is None:
        _insert_if_missing(session, user_key=user_key)
        found = session.execute(statement).one()
    row, prefs = found
    return row, prefs


def save_conversation(session: Session, *, row: ConversationRow) -> None:
    """Write the row back. Bump `row.version` yourself when buttons of the old state must go
    stale; this only stamps the time."""
    # `data` is plain JSON: in-place edits (row.data["k"] = v) are invisible to the ORM.
    flag_modified(row, "data")
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
