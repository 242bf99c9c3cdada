"""Per-person flow state, one row per pseudonym, locked for the whole update.

The dispatcher does, in one transaction (`storage.db.step_scope`):
`lock_conversation_with_prefs` (plain values, no ORM object) → pure flow step →
`save_conversation` → commit → send replies. The lock serialises updates of the same person
across threads, processes and instances:
- PostgreSQL: `SELECT … FOR UPDATE` on the row (created first with ON CONFLICT DO NOTHING, so
  two first-ever updates of a person don't race on the insert);
- SQLite: every write session starts with `BEGIN IMMEDIATE` (storage.db), which holds the
  database write lock until commit.

`data` holds the person's unfinished drafts (a report's story before consent, their own number,
a passport number…), so with a `seal_key` it is stored sealed (AES-GCM, purpose
"conversation"): `{"sealed": "…"}`. Rows written without a key, and empty data, stay readable
as plain JSON. A row whose seal no key opens (the key was lost) starts afresh, empty.
Abandoned drafts are cleared on a schedule (`storage.housekeeping`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from storage.db import Database, FixedStatement, StepTransaction, dialect_insert, run_fixed
from storage.erasure import adopt_former_pseudonyms
from storage.jsoncodec import dumps, loads
from storage.models import ConversationRow, UserPrefs, utcnow
from storage.sealing import CONVERSATION, SealError, SealKeys, seal, unseal

log = logging.getLogger(__name__)

SEALED_FIELD = "sealed"


def seal_conversation_data(data: dict[str, Any], *, seal_key: SealKeys | None) -> dict[str, Any]:
    """What is stored for `data`: sealed with a key, empty data as is."""
    if seal_key is None or not data:
        return data
    # Compact UTF-8 (storage.jsoncodec): the bytes json.dumps(data, ensure_ascii=False,
    # separators=(",", ":")) wrote before, for a flow's data (strings, ints, lists).
    plain = dumps(data)
    return {SEALED_FIELD: seal(plain, key=seal_key, purpose=CONVERSATION)}


def open_conversation_data(stored: dict[str, Any] | None, *,
                           seal_key: SealKeys | None) -> dict[str, Any]:
    """The data stored by `seal_conversation_data`; {} when no key opens it."""
    stored = stored or {}
    token = stored.get(SEALED_FIELD)
    if not isinstance(token, str) or len(stored) != 1:
        return dict(stored)
    if seal_key is None:
        raise SealError("this conversation is sealed: pass seal_key")
    try:
        opened = loads(unseal(token, key=seal_key, purpose=CONVERSATION))
    except (SealError, ValueError):
        log.warning("a conversation's sealed state could not be opened (lost key?); starting afresh")
        return {}
    return opened if isinstance(opened, dict) else {}


@dataclass(slots=True)
class LockedConversation:
    """The conversation row as `lock_conversation_with_prefs` reads it: plain values, not an
    ORM object (the session does not track it). Change the fields, then `save_conversation`."""

    user_key: str
    flow: str
    state: str
    data: dict[str, Any]
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ConversationPrefs:
    """The preferences the dispatcher needs for a step (read-only; `storage.prefs` writes)."""

    locale: str | None
    country: str | None


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


_CONVERSATION = ConversationRow.__table__  # type: ignore[attr-defined]
_PREFS = UserPrefs.__table__  # type: ignore[attr-defined]

# Built once, on the tables, not the ORM entities: this runs on every update, and the ORM's
# statement compilation, identity map and object loading cost more CPU than the query itself.
# FOR UPDATE OF the conversation only (PostgreSQL refuses to lock the nullable side of an outer
# join, and the preferences need no lock: only their owner's updates change them); SQLite
# ignores it, BEGIN IMMEDIATE already holds the write lock.
_LOCK_WITH_PREFS = (
    select(
        _CONVERSATION.c.user_key, _CONVERSATION.c.flow, _CONVERSATION.c.state,
        _CONVERSATION.c.data, _CONVERSATION.c.version, _CONVERSATION.c.updated_at,
        _PREFS.c.user_key.label("prefs_user_key"), _PREFS.c.locale, _PREFS.c.country,
    )
    .select_from(_CONVERSATION.outerjoin(_PREFS, _PREFS.c.user_key == _CONVERSATION.c.user_key))
    .where(_CONVERSATION.c.user_key == bindparam("user_key"))
    .with_for_update(of=_CONVERSATION)
)
# On SQLite both run on the driver (storage.db.run_fixed: ~0.1 ms of CPU less per update). The
# save names its columns (the key's parameter is distinct) and says by RETURNING whether the
# row was still there.
_LOCK = FixedStatement(_LOCK_WITH_PREFS)
_SAVE = FixedStatement(
    update(_CONVERSATION).where(_CONVERSATION.c.user_key == bindparam("row_user_key"))
    .values({name: bindparam(name, type_=_CONVERSATION.c[name].type)
             for name in ("flow", "state", "data", "version", "updated_at")})
    .returning(_CONVERSATION.c.user_key))


def _locked(session: Database, parameters: dict[str, Any]) -> Any:
    """The conversation's row with the person's preferences (`_LOCK_WITH_PREFS`), or None."""
    rows = run_fixed(session, _LOCK, parameters)
    return rows[0] if rows else None


def lock_conversation_with_prefs(
    db: Session | StepTransaction, *, user_key: str, seal_key: SealKeys | None = None,
    former_user_keys: Sequence[str] = (),
) -> tuple[LockedConversation, ConversationPrefs | None]:
    """`lock_conversation` and the person's locale and country (None without preferences) in
    one query, as plain values (data opened with `seal_key`); save with `save_conversation`.

    `former_user_keys`: the person's pseudonyms under retired keys (key rotation). When they
    have no conversation under `user_key` yet, whatever they own under a former pseudonym is
    moved to `user_key` first (`storage.reports.rename_pseudonym`), so a rotation costs a look
    only on a person's first update under the new key.

    In a `StepTransaction` the look-up runs on its connection; only a person without a row
    (their first update) makes its ORM session, for the adoption and the insert."""
    parameters = {"user_key": user_key}
    # The first statement begins the session's transaction (BEGIN IMMEDIATE).
    found = _locked(db.core if isinstance(db, StepTransaction) else db, parameters)
    if found is None:
        session = db.session if isinstance(db, StepTransaction) else db
        if former_user_keys:
            adopt_former_pseudonyms(session, user_key=user_key, former_user_keys=former_user_keys)
            found = _locked(session, parameters)
        if found is None:
            _insert_if_missing(session, user_key=user_key)
            found = _locked(session, parameters)
            assert found is not None, "the row was just inserted, in this transaction"
    row = LockedConversation(user_key=found.user_key, flow=found.flow, state=found.state,
                             data=open_conversation_data(found.data, seal_key=seal_key),
                             version=found.version, updated_at=found.updated_at)
    prefs = (ConversationPrefs(locale=found.locale, country=found.country)
             if found.prefs_user_key is not None else None)
    return row, prefs


def save_conversation(session: Database, *, row: ConversationRow | LockedConversation,
                      seal_key: SealKeys | None = None) -> None:
    """Write the row back (data sealed with `seal_key`) and stamp `updated_at` (now). Bump
    `row.version` yourself when buttons of the old state must go stale.

    Never recreates a row deleted since it was locked (the person's data was erased in the
    same transaction): raises `StaleDataError` instead, as the ORM's flush does.
    """
    row.updated_at = utcnow()
    if isinstance(row, LockedConversation):
        values = {
            "row_user_key": row.user_key, "flow": row.flow, "state": row.state,
            "data": seal_conversation_data(row.data, seal_key=seal_key),
            "version": row.version, "updated_at": row.updated_at,
        }
        updated = len(run_fixed(session, _SAVE, values))
        if updated != 1:
            raise StaleDataError(f"the conversation row to save is gone ({updated} rows updated)")
        return
    # An ORM row: its session's. `data` is plain JSON: in-place edits (row.data["k"] = v) are
    # invisible to the ORM.
    assert isinstance(session, Session), "an ORM row is saved through its session"
    if seal_key is not None:
        row.data = seal_conversation_data(open_conversation_data(row.data, seal_key=seal_key),
                                          seal_key=seal_key)
    flag_modified(row, "data")
    session.add(row)
    session.flush()
