"""Durable webhook inbox: persist-then-ack, then workers claim, process and mark done.

Life of an update: `enqueue_update` (in the webhook route, before answering 200) → a worker's
`claim_updates` (committed on its own, so other workers see the claim) → processing in a fresh
transaction → `mark_done` (or `mark_failed`). A worker that dies leaves its claims in
`processing`; `release_stale` hands them back, so a crash means "processed again", never "lost".
The common case skips the claim: `enqueue_leased` stores the update already claimed by the
worker of the instance that received it when its chat has nothing else unfinished (bot/web.py
then hands it over in memory), and the worker marks finished updates done inside its next
step's transaction (bot/dispatch.py, `run_step(mark_done=…)`) or claim.

Ordering: a claim never takes an update while an older update of the same chat is still pending
or processing, so each chat's updates run one at a time, in `update_id` order, whatever the
number of workers. On PostgreSQL concurrent claimers skip each other's rows
(`FOR UPDATE SKIP LOCKED`); on SQLite the claim transaction holds the write lock
(`BEGIN IMMEDIATE`, see storage.db), which serialises claimers.

Privacy: a raw update contains the sender's Telegram id, name and username. Pass `seal_key`
(the pseudonym key) to store it encrypted; either way it is erased as soon as the update is done.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Integer,
    Select,
    String,
    all_,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from storage.db import Database as AnyDatabase
from storage.db import FixedStatement, dialect_of, list_parameter, one_of, run_fixed
from storage.jsoncodec import dumps, loads
from storage.models import InboundUpdate, InboxStatus, utcnow
from storage.sealing import SealError, SealKeys, seal, unseal

log = logging.getLogger(__name__)

_SEAL_PURPOSE = "inbox-update"
_SEALED_FIELD = "sealed"
MAX_ERROR_LENGTH = 500


# The hot paths (`enqueue_update`, `claim_updates`, `mark_all_done`: every update goes through
# them) also run on a bare Core connection (`storage.db.connection_scope`): an ORM session's
# begin/commit/close bookkeeping was ~70 us of CPU per single-statement transaction. On SQLite
# the store and the done marks go to the driver itself (`storage.db.run_fixed`), the same
# SQL without SQLAlchemy's execution path; the store and `mark_all_done` also in a transaction
# on the driver itself (`storage.db.statement_scope`, `step_scope`).
Database = Session | Connection


def _dialect_of(db: AnyDatabase) -> str:
    return dialect_of(db)


@dataclass(frozen=True)
class ClaimedUpdate:
    update_id: int
    chat_key: str
    payload: dict[str, Any]
    attempts: int  # including this one


def enqueue_update(
    session: AnyDatabase,
    *,
    update_id: int,
    chat_key: str,
    payload: dict[str, Any],
    seal_key: SealKeys | None = None,
    now: datetime | None = None,
) -> bool:
    """Store an incoming update; False when this `update_id` is already there (a re-delivery)."""
    stored: dict[str, Any] = payload
    if seal_key is not None:
        sealed = seal(dumps(payload), key=seal_key, purpose=_SEAL_PURPOSE)
        stored = {_SEALED_FIELD: sealed}
    row = {"update_id": update_id, "chat_key": chat_key, "payload": stored,
           "status": InboxStatus.pending, "attempts": 0, "received_at": now or utcnow(),
           "locked_by": None, "locked_at": None, "last_error": None}
    # RETURNING rather than rowcount: the ORM insert path does not report rowcount reliably.
    return bool(run_fixed(session, _ENQUEUE, row))


@cache
def _enqueue_statement_for(dialect: str) -> Any:
    # Built once per dialect, on the table (a Core insert): building the ORM statement for
    # every update cost ~0.3 ms CPU, one of the larger items per webhook post.
    table = InboundUpdate.__table__  # type: ignore[attr-defined]
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (insert(table).on_conflict_do_nothing(index_elements=["update_id"])
            .returning(table.c.update_id))


def enqueue_leased(
    session: AnyDatabase,
    *,
    update_id: int,
    chat_key: str,
    payload: dict[str, Any],
    worker_id: str,
    finished: Sequence[int] = (),
    seal_key: SealKeys | None = None,
    now: datetime | None = None,
) -> InboxStatus | None:
    """`enqueue_update` for the worker of the instance that receives the update: stored
    already claimed by `worker_id` (`processing`, attempts 1), so that worker can process it
    from memory without a claim transaction, unless its chat has another unfinished update
    (pending, or processing and not among `finished`, the updates `worker_id` has finished but
    not yet marked done): then it is stored `pending`, for a claim, as `enqueue_update` does.
    One statement, so the check and the insert are one atomic transaction on SQLite (whose
    writers are serialised); on PostgreSQL a concurrent insert of the same chat is not seen,
    so the caller must make sure there is none (bot/web.py leases only with one instance, and
    never for a chat already being stored or processed in it).

    Returns the status stored (`processing`: leased to `worker_id`), None for a re-delivery.
    A crash after this commit leaves the update `processing` under `worker_id`, exactly like a
    claimed update: `release_stale` hands it back, it is never lost."""
    stored: dict[str, Any] = payload
    if seal_key is not None:
        sealed = seal(dumps(payload), key=seal_key, purpose=_SEAL_PURPOSE)
        stored = {_SEALED_FIELD: sealed}
    dialect = _dialect_of(session)
    row = {"update_id": update_id, "chat_key": chat_key, "payload": stored,
           "received_at": now or utcnow(), "worker_id": worker_id,
           "update_ids": _ids_parameter(dialect, finished)}
    rows = run_fixed(session, _ENQUEUE_LEASED, row)
    return InboxStatus(rows[0][0]) if rows else None


@cache
def _enqueue_leased_statement_for(dialect: str) -> Any:
    # INSERT … SELECT from a one-row probe of the chat's unfinished updates, built once per
    # dialect (parameters only, so SQLAlchemy's compiled cache serves every execution).
    table = _TABLE
    other = _TABLE.alias("other")
    if dialect == "postgresql":
        not_finished = other.c.update_id != all_(bindparam("update_ids", type_=ARRAY(BigInteger)))
    else:
        ids = func.json_each(bindparam("update_ids", type_=String)).table_valued("value")
        not_finished = other.c.update_id.not_in(select(ids.c.value))
    blocked = exists().where(
        other.c.chat_key == bindparam("chat_key"),
        or_(other.c.status == InboxStatus.pending,
            and_(other.c.status == InboxStatus.processing, not_finished)),
    )
    probe = select(blocked.label("blocked")).subquery("probe")
    status_type = table.c.status.type
    received_at = bindparam("received_at", type_=table.c.received_at.type)
    values = select(
        bindparam("update_id", type_=BigInteger),
        bindparam("chat_key", type_=table.c.chat_key.type),
        bindparam("payload", type_=table.c.payload.type),
        case((probe.c.blocked, literal(InboxStatus.pending, status_type)),
             else_=literal(InboxStatus.processing, status_type)),
        case((probe.c.blocked, literal(0, Integer)), else_=literal(1, Integer)),
        received_at,
        case((probe.c.blocked, None), else_=bindparam("worker_id", type_=table.c.locked_by.type)),
        case((probe.c.blocked, None), else_=received_at),
    ).select_from(probe).where(true())  # SQLite: WHERE parses ON CONFLICT as the upsert's
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (insert(table)
            .from_select(["update_id", "chat_key", "payload", "status", "attempts",
                          "received_at", "locked_by", "locked_at"], values)
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(table.c.status))


def _open_payload(stored: dict[str, Any] | None, seal_key: SealKeys | None) -> dict[str, Any]:
    if stored is None:
        return {}
    if set(stored) == {_SEALED_FIELD}:
        if seal_key is None:
            raise ValueError("this inbox update is sealed: pass seal_key to claim_updates")
        try:
            opened: dict[str, Any] = loads(
                unseal(stored[_SEALED_FIELD], key=seal_key, purpose=_SEAL_PURPOSE)
            )
        except SealError:
            # Sealed under a key that is gone: its content is lost for good. An empty payload
            # fails processing and is parked, instead of blocking the queue forever.
            log.warning("an inbox update sealed under an unknown key was skipped")
            return {}
        return opened
    return stored


_TABLE = InboundUpdate.__table__  # type: ignore[attr-defined]


def _claimable(table: Any, *, done: Any = None) -> Select[Any]:
    # Core on the table, not the ORM entity: the claim only needs four columns, and loading
    # ORM objects (identity map, populate_existing) cost CPU on every claim.
    # `done`: a PostgreSQL array parameter of updates being marked done by the same statement
    # (which does not see its own changes): they count as done here.
    older = _TABLE.alias("older")
    older_unfinished = exists().where(
        older.c.chat_key == table.c.chat_key,
        older.c.update_id < table.c.update_id,
        # Not IN (…): a list parameter is re-rendered into the SQL at every execution.
        or_(older.c.status == InboxStatus.pending, older.c.status == InboxStatus.processing),
        *([] if done is None else [older.c.update_id != all_(done)]),
    )
    return (
        select(table.c.update_id)
        .where(table.c.status == InboxStatus.pending, ~older_unfinished,
               *([] if done is None else [table.c.update_id != all_(done)]))
        .order_by(table.c.update_id)
    )


def _ids_match(dialect: str) -> Any:
    """`update_id` is one of the `update_ids` parameter (`_ids_parameter`), one parameter
    whatever the list's length (storage.db.one_of)."""
    return one_of(_TABLE.c.update_id, "update_ids", BigInteger(), dialect)


def _ids_parameter(dialect: str, update_ids: Sequence[int]) -> Any:
    return list_parameter(dialect, update_ids)


@cache
def _claim_statement_for(dialect: str, *, with_done: bool = False) -> Any:
    # One statement (UPDATE … RETURNING) where a SELECT … FOR UPDATE then an UPDATE took two
    # round trips. Built once: constructing the aliased NOT EXISTS statement cost ~1 ms of CPU
    # per claim (bench/e2e_bench.py). The candidates are a subquery on an alias of the table,
    # so it does not correlate with the UPDATE's own table.
    #
    # `with_done` (PostgreSQL only): the "done" marks ride along in the same statement, as a
    # data-modifying CTE (always run to completion, whether or not the claim reads it), so the
    # whole claim is one round trip. All parts of one statement see the same snapshot, in which
    # the finished updates still read `processing`: the candidate query treats every id in
    # `update_ids` as done, exactly what it would see after a separate mark_all_done.
    candidate = _TABLE.alias("candidate")
    done = (bindparam("update_ids", type_=ARRAY(BigInteger)) if with_done else None)
    chosen = (_claimable(candidate, done=done).limit(bindparam("limit"))
              .with_for_update(skip_locked=True, of=candidate))
    claim = (
        update(_TABLE)
        .where(_TABLE.c.update_id.in_(chosen.scalar_subquery()))
        .values(status=InboxStatus.processing, locked_by=bindparam("worker_id"),
                locked_at=bindparam("locked_at"), attempts=_TABLE.c.attempts + 1)
        .returning(_TABLE.c.update_id, _TABLE.c.chat_key, _TABLE.c.payload,
                   _TABLE.c.attempts)
    )
    if with_done:
        assert dialect == "postgresql", "data-modifying CTEs are PostgreSQL's"
        claim = claim.add_cte(_mark_done_statement_for(dialect)
                              .returning(_TABLE.c.update_id).cte("done"))
    return claim


@cache
def _mark_done_statement_for(dialect: str) -> Any:
    return (
        update(_TABLE)
        .where(_ids_match(dialect))
        .values(status=InboxStatus.done, payload=None, locked_by=None, locked_at=None,
                last_error=None)
    )


def claim_updates(
    session: Database,
    *,
    worker_id: str,
    limit: int = 16,
    seal_key: SealKeys | None = None,
    now: datetime | None = None,
    done: Sequence[int] = (),
) -> list[ClaimedUpdate]:
    """Claim up to `limit` pending updates, at most one per chat, oldest first.

    `done`: updates this worker has finished since its last claim, marked done first in the
    same transaction (see `mark_done`), so a chat's next update is claimable at once and
    finishing an update costs no transaction of its own. On PostgreSQL both are one statement,
    so the claim may run in `session_scope(…, single_statement=True)`: one round trip. On
    SQLite they are two statements, which may also run there: each is then its own
    transaction, and marking done on its own is harmless (it happened, whatever the claim does).

    Commit the session right after (use its own `session_scope`), then process each update.
    A payload that cannot be opened (wrong key) raises, and the claim is undone: by the
    rollback, or in a `single_statement` session (where the claim is already committed) by a
    statement that hands the claimed updates back as they were. Done marks stay.
    """
    dialect = _dialect_of(session)
    parameters: dict[str, Any] = {"limit": limit, "worker_id": worker_id,
                                  "locked_at": now or utcnow()}
    fold_done = bool(done) and dialect == "postgresql"
    if fold_done:
        parameters["update_ids"] = list(done)
    elif done:
        mark_all_done(session, update_ids=done)
    rows = run_fixed(session, _CLAIM[fold_done], parameters)
    try:
        # RETURNING gives no order: oldest first, as claimed.
        return [
            ClaimedUpdate(
                update_id=row.update_id,
                chat_key=row.chat_key,
                payload=_open_payload(row.payload, seal_key),
                attempts=row.attempts,  # already counts this claim
            )
            for row in sorted(rows, key=lambda row: int(row.update_id))
        ]
    except Exception:
        session.execute(_unclaim_statement_for(dialect), {
            "update_ids": _ids_parameter(dialect, [row.update_id for row in rows]),
            "worker_id": worker_id})
        raise


@cache
def _unclaim_statement_for(dialect: str) -> Any:
    """Undoes `_claim_statement_for`'s changes to the given updates (still claimed by us)."""
    return (
        update(_TABLE)
        .where(_ids_match(dialect), _TABLE.c.locked_by == bindparam("worker_id"),
               _TABLE.c.status == InboxStatus.processing)
        .values(status=InboxStatus.pending, locked_by=None, locked_at=None,
                attempts=_TABLE.c.attempts - 1)
    )


def mark_done(session: Session, *, update_id: int) -> None:
    """The update was processed: release it and erase its payload (it identifies the sender)."""
    mark_all_done(session, update_ids=[update_id])


def mark_all_done(session: AnyDatabase, *, update_ids: Sequence[int]) -> None:
    """`mark_done` for several updates in one statement."""
    if update_ids:
        dialect = _dialect_of(session)
        run_fixed(session, _MARK_DONE, {"update_ids": _ids_parameter(dialect, update_ids)})


# Built at import: the statements the webhook, the claim and the step run (on SQLite, on its
# driver).
_ENQUEUE = FixedStatement(_enqueue_statement_for("sqlite"),
                          postgresql=_enqueue_statement_for("postgresql"))
_ENQUEUE_LEASED = FixedStatement(_enqueue_leased_statement_for("sqlite"),
                                 postgresql=_enqueue_leased_statement_for("postgresql"))
_MARK_DONE = FixedStatement(_mark_done_statement_for("sqlite"),
                            postgresql=_mark_done_statement_for("postgresql"))
# The claim, by whether the done marks ride along (PostgreSQL only: with_done).
_CLAIM = {with_done: FixedStatement(_claim_statement_for("sqlite"),
                                    postgresql=_claim_statement_for("postgresql",
                                                                    with_done=with_done))
          for with_done in (False, True)}


def mark_failed(session: Session, *, update_id: int, error: str, max_attempts: int = 5) -> bool:
    """Processing raised. Retry later (back to pending) until `max_attempts`, then park it as
    `failed` so the chat's later updates can go on. Returns True when parked.

    `error` should be an exception's type and a short description, never user text.
    """
    row = session.get(InboundUpdate, update_id, with_for_update=True)
    if row is None:
        return False
    give_up = row.attempts >= max_attempts
    row.status = InboxStatus.failed if give_up else InboxStatus.pending
    row.locked_by = None
    row.locked_at = None
    row.last_error = error[:MAX_ERROR_LENGTH]
    session.add(row)
    session.flush()
    return give_up


def renew_claims_of(session: Session, *, worker_id: str, now: datetime | None = None) -> None:
    """A live worker's claims are alive, however long they take: their clock starts again,
    so `release_stale` elsewhere does not hand them out twice."""
    session.execute(
        update(InboundUpdate)
        .where(col(InboundUpdate.locked_by) == worker_id,
               col(InboundUpdate.status) == InboxStatus.processing)
        .values(locked_at=now or utcnow())
    )


def release_claims_of(session: Session, *, worker_id: str) -> None:
    """A worker stopping hands back whatever it still holds, at once (not after STALE_CLAIM)."""
    session.execute(
        update(InboundUpdate)
        .where(col(InboundUpdate.locked_by) == worker_id,
               col(InboundUpdate.status) == InboxStatus.processing)
        .values(status=InboxStatus.pending, locked_by=None, locked_at=None)
    )


def release_stale(session: Session, *, older_than: timedelta, now: datetime | None = None) -> int:
    """Hand claims older than `older_than` back to the queue (their worker died or hung)."""
    cutoff = (now or utcnow()) - older_than
    result = session.execute(
        update(InboundUpdate)
        .where(
            col(InboundUpdate.status) == InboxStatus.processing,
            col(InboundUpdate.locked_at) < cutoff,
        )
        .values(status=InboxStatus.pending, locked_by=None, locked_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def prune_done(session: Session, *, older_than_days: int = 7, now: datetime | None = None) -> int:
    """Forget finished updates. Telegram may restart update ids after a week without updates,
    so old ids must not linger and swallow new updates as "duplicates"."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    result = session.execute(
        delete(InboundUpdate).where(
            col(InboundUpdate.status).in_([InboxStatus.done, InboxStatus.failed]),
            col(InboundUpdate.received_at) < cutoff,
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def pending_count(session: Session) -> int:
    """Updates waiting or being processed (for health checks and metrics)."""
    statement = select(func.count()).where(
        col(InboundUpdate.status).in_([InboxStatus.pending, InboxStatus.processing])
    )
    return int(session.execute(statement).scalar_one())


def status_counts(session: Session) -> dict[str, int]:
    """How many updates are in each status, e.g. {"done": 40, "pending": 2} (for checks and tests)."""
    rows = session.execute(select(col(InboundUpdate.status), func.count())
                           .group_by(col(InboundUpdate.status))).all()
    return {str(status): int(number) for status, number in rows}
