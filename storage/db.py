"""Engines, the one session helper, and programmatic Alembic migrations.

SQLite is configured for a bot that writes on nearly every update:
- WAL journal (readers never block the writer), foreign keys on, a busy timeout;
- the driver's own implicit transactions are switched off and every transaction starts with
  `BEGIN IMMEDIATE`, i.e. takes the write lock up front. Two threads or processes therefore
  cannot interleave read-modify-write sequences (the SQLite equivalent of `SELECT … FOR UPDATE`),
  and a transaction never fails half-way with SQLITE_BUSY_SNAPSHOT when it upgrades from
  reading to writing. `session_scope(engine, read_only=True)` starts a plain deferred
  transaction for pages that only read (the staff app), so they don't queue behind writers.
  The hot paths' writers of one process (`step_scope`, `statement_scope`, `connection_scope`:
  every step, store and claim) take turns on a lock of their own first (`_take_turn`), so a
  thread waiting to write is woken when the one before it is done instead of polling in
  SQLite's busy handler, which sleeps up to 50-100 ms between tries.
- `synchronous=FULL` (the WAL is synced at every commit), except for transactions opened with
  `session_scope(engine, replayable=True)`, which commit with `synchronous=NORMAL` (no sync of
  their own: ~0.15-0.25 ms less CPU per commit here). In WAL mode NORMAL is as safe as FULL
  against a crash of the process (kill -9); only a power loss or OS crash can undo the last
  NORMAL commits, and never partly, never out of order: the next FULL commit's sync makes every
  earlier WAL frame durable too. The inbox worker uses it for what a replay restores: the
  claim and the flow step of an update that is already durably in the inbox (enqueued with
  FULL before Telegram got its 200). A lost step commit also loses the later "done" mark, so
  the update is processed again from the previous state: at worst its replies are sent twice,
  as after any crash between the step and its done mark; nothing is lost or stored twice.

`session_scope(engine, single_statement=True)` is for a transaction of one statement (the
webhook's inbox insert, the inbox claim): it runs without BEGIN and COMMIT, as the statement's
own implicit transaction. On PostgreSQL the connection is in autocommit (SQLAlchemy's AUTOCOMMIT
isolation level): one round trip instead of three (psycopg sends BEGIN, the statement and COMMIT
one by one). On SQLite no `BEGIN IMMEDIATE`/`COMMIT` is sent: a writing statement takes the write
lock when it starts (as BEGIN IMMEDIATE would, waiting up to the busy timeout) and commits when it
ends, with the same `synchronous` rule as above (FULL unless `replayable`), so the webhook's lone
INSERT is as durable at its end as after an explicit COMMIT. A second statement in such a session
is a transaction of its own: nothing rolls the first back if the second fails.

PostgreSQL is reached through psycopg 3 (`postgresql+psycopg://`). A pooled connection is checked
without a round trip when it is handed out (see `_check_postgres_connections`), instead of
SQLAlchemy's `pool_pre_ping`, whose `;` round trip cost ~100-150 us of CPU per transaction (three
transactions per update).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import select
import sqlite3
import threading
import time
from collections import namedtuple
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import ARRAY, Engine, String, and_, any_, bindparam, create_engine, event, func
from sqlalchemy import select as sql_select  # `select` is the standard library's, for poll()
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine
from sqlmodel import Session

from storage.jsoncodec import dumps_text, loads

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
# How long a writer waits for this process's other writers (`_take_turn`): as long as for
# another process's, in SQLite's busy handler.
SQLITE_TURN_TIMEOUT_SECONDS = SQLITE_BUSY_TIMEOUT_MS / 1000
_READ_ONLY_OPTION = "lurecheck_read_only"
_REPLAYABLE_OPTION = "lurecheck_replayable"
_SINGLE_STATEMENT_OPTION = "lurecheck_single_statement"
_SYNCHRONOUS_INFO = "lurecheck_synchronous"
# Indexes made by migrations outside the models, not compared with the models' metadata:
# 0012's word search (SQLite's FTS5 table and its shadow tables, PostgreSQL's trigram index)
# and 0014's expression index of the queue's risk order.
MIGRATION_ONLY_OBJECTS = ("report_words", "ix_report_narrative_trgm", "ix_report_risk_score_created")


def compared_with_models(_object: object, name: str | None, _type: str, reflected: bool,
                         _compare_to: object) -> bool:
    """Alembic `include_object`: everything but the indexes made outside the models."""
    return not (reflected and name is not None and name.startswith(MIGRATION_ONLY_OBJECTS))


_MIGRATION_LOCK_ID = 0x6C75726563  # "lurec": any constant shared by all lurecheck processes
_RETURNED_AT_INFO = "lurecheck_returned_at"
# A PostgreSQL connection idle in the pool for longer than this is pinged before it is handed out
# (a firewall or NAT may have dropped it silently); a busy bot reuses its connections far sooner.
POSTGRES_PING_IDLE_SECONDS = 10.0


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def create_db_engine(url: str, **engine_kwargs: Any) -> Engine:
    """An engine for a `sqlite:///…` or `postgresql+psycopg://…` URL (bot.config normalises
    the URLs hosts hand out), configured as above."""
    # The JSON columns through the hot path's codec (storage.jsoncodec): a sealed column's
    # `{"sealed": token}` at every step's save and every update's store, its ~2.6 KB of
    # base64 escaped character by character by json.dumps (~3-5% of a step's instructions).
    engine_kwargs.setdefault("json_serializer", dumps_text)
    engine_kwargs.setdefault("json_deserializer", loads)
    if not url.startswith("sqlite"):
        engine = create_engine(url, **engine_kwargs)
        if not engine_kwargs.get("pool_pre_ping"):
            _check_postgres_connections(engine)
        return engine

    in_memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
    if not in_memory and url.startswith("sqlite:///"):
        _private_sqlite_file(Path(url.removeprefix("sqlite:///").split("?", 1)[0]))
    connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    if in_memory:
        # One shared connection, or every session would see its own empty database.
        engine_kwargs.setdefault("poolclass", StaticPool)
    engine = create_engine(url, connect_args=connect_args, **engine_kwargs)
    setattr(engine, _WRITER_ATTRIBUTE, threading.RLock())

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
        # Autocommit at the driver level; transactions are begun explicitly below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
        connection_record.info[_SYNCHRONOUS_INFO] = "FULL"

    @event.listens_for(engine, "begin")
    def _begin_sqlite(connection: Connection) -> None:
        options = connection.get_execution_options()
        # Straight to the driver: through exec_driver_sql (an execution context, result and
        # events each) these two statements cost ~40 us of CPU apiece, on every transaction.
        driver = connection.connection.dbapi_connection
        assert driver is not None
        if driver.in_transaction:
            # Already begun on the driver itself (`step_scope`), which this Connection joins.
            return
        _begin_on_sqlite(driver, connection.info,
                         replayable=options.get(_REPLAYABLE_OPTION, False),
                         read_only=options.get(_READ_ONLY_OPTION, False),
                         single_statement=options.get(_SINGLE_STATEMENT_OPTION, False))

    return engine


def _begin_on_sqlite(driver: Any, info: dict[str, Any], *, replayable: bool, read_only: bool,
                     single_statement: bool) -> None:
    """A transaction's start on SQLite's driver connection (module doc): `synchronous` set
    outside the transaction, and only when it changes (a pooled connection keeps it, in
    `info`); then `BEGIN IMMEDIATE` (`BEGIN DEFERRED` to only read), none for a single
    statement."""
    synchronous = "NORMAL" if replayable else "FULL"
    if info.get(_SYNCHRONOUS_INFO) != synchronous:
        _run_on_driver(driver, f"PRAGMA synchronous={synchronous}")
        info[_SYNCHRONOUS_INFO] = synchronous
    if single_statement:
        return  # the statement is its own transaction (driver-level autocommit)
    _run_on_driver(driver, "BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


def _private_sqlite_file(path: Path) -> None:
    """The database file readable by its owner only (0600), created so before SQLite opens it:
    SQLite gives its -wal and -shm files the database file's permissions. An existing file that
    others may read is tightened."""
    if str(path) in ("", ":memory:") or path.name.startswith("file:"):
        return
    if not path.exists():
        if not path.parent.exists():
            return  # SQLite will say so when it connects
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for member in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            if member.exists() and member.stat().st_mode & 0o077:
                member.chmod(0o600)
                log.warning("database file was readable by others; now 0600",
                            extra={"file": member.name})


def _run_on_driver(driver: Any, statement: str) -> None:
    """Executes on the sqlite3 connection, failing as exec_driver_sql would (an
    `sqlalchemy.exc.OperationalError` for "database is locked", and so on)."""
    try:
        driver.execute(statement)
    except sqlite3.Error as error:
        raise DBAPIError.instance(statement, None, error, sqlite3.Error) from error


_WRITER_ATTRIBUTE = "_lurecheck_sqlite_writer"


def _writer_of(engine: Engine) -> threading.RLock | None:
    """The lock this process's threads take turns with for SQLite's write lock
    (`_take_turn`); None on PostgreSQL (its writers lock rows, not the database)."""
    return getattr(engine, _WRITER_ATTRIBUTE, None)  # type: ignore[no-any-return]


def _take_turn(writer: threading.RLock) -> None:
    """Wait for this process's other writers (`step_scope`, `statement_scope`,
    `connection_scope` on SQLite) before asking SQLite for its write lock.

    SQLite lets one connection write at a time; a connection that finds the lock taken waits
    in its busy handler, which polls by sleeping 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100
    ms in turn, whenever the lock is freed meanwhile. Under load most of a step's wall time
    was such sleeps (bench/RESULTS.md, issue 21: an offer step ~17 ms of wall time for ~1.5
    ms of CPU, the event loop idle two thirds of the time). Threads of one process that take
    turns on this lock are woken the moment the writer before them is done. Other processes
    on the same file (several workers) still meet in SQLite's busy handler, as before. Waits
    as long as SQLite's busy timeout, then fails as a locked database does."""
    if not writer.acquire(timeout=SQLITE_TURN_TIMEOUT_SECONDS):
        error = sqlite3.OperationalError("database is locked")
        raise DBAPIError.instance("BEGIN IMMEDIATE", None, error, sqlite3.Error) from error


def _check_postgres_connections(engine: Engine) -> None:
    """Hand out only live connections, as `pool_pre_ping` does, mostly without its round trip.

    A server that restarts or ends a backend (shutdown, `pg_terminate_backend`, idle timeouts)
    sends the client a FATAL message and closes the socket, so a dead connection resting in
    the pool has something to read: a zero-timeout poll of its socket finds it for ~1 us of CPU.
    Only such a connection, or one idle for more than POSTGRES_PING_IDLE_SECONDS (in case a
    middlebox dropped it without a word), is pinged; a failed ping makes the pool open a fresh
    connection in its place (DisconnectionError), invisibly to the caller.

    What remains: a connection that dies while in use, or in the instant between this check and
    its first statement, fails that statement, which SQLAlchemy reports as a disconnect and
    answers by invalidating the whole pool, so the next checkout connects afresh. Every caller
    retries such a failure (the webhook answers 503 and Telegram re-delivers, the inbox worker
    claims again, a failed step goes back to the inbox), as it already had to with the pre-ping.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection: Any, connection_record: Any) -> None:
        connection_record.info[_RETURNED_AT_INFO] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
        returned_at = connection_record.info.get(_RETURNED_AT_INFO)
        if returned_at is None:
            return  # just connected
        if (time.monotonic() - returned_at <= POSTGRES_PING_IDLE_SECONDS
                and not _has_input(dbapi_connection)):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            log.info("replacing a dead database connection: %s", type(error).__name__)
            raise DisconnectionError("the pooled connection is gone") from error


def _has_input(dbapi_connection: Any) -> bool:
    """Whether an idle connection's socket has something to read: at rest, the server only
    writes to it to say it is closing it (or for the rare asynchronous notice)."""
    if dbapi_connection.closed:
        return True
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return True  # cannot tell: let the ping decide


@contextmanager
def session_scope(engine: Engine, *, read_only: bool = False, replayable: bool = False,
                  single_statement: bool = False) -> Iterator[Session]:
    """The one way to talk to the database: commit on success, roll back on any error.

    Objects stay usable after the commit (`expire_on_commit=False`), so a handler can read a
    row it has just written without another round trip.

    `replayable`: the transaction's effects are restored by replaying a durably stored input
    (an inbox update) if a power loss undoes its commit; on SQLite it then commits without a
    sync of its own (see the module doc). No effect on PostgreSQL.

    `single_statement`: the session runs one statement, which is its own transaction, without
    BEGIN and COMMIT (PostgreSQL: one round trip instead of three; see the module doc). Each
    further statement would commit on its own: use it only where that is harmless.
    """
    bind = _bind(engine, read_only, replayable, single_statement)
    session = Session(bind, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def connection_scope(engine: Engine, *, replayable: bool = False,
                     single_statement: bool = False) -> Iterator[Connection]:
    """`session_scope` for Core statements only, on a bare connection: commit on success,
    roll back on any error. For the inbox's hot paths (storage.inbox: every update is stored
    and claimed), where an ORM session's bookkeeping cost more than the statement. On SQLite
    this process's threads take turns for it (`_take_turn`): it writes."""
    writer = _writer_of(engine)
    if writer is not None:
        _take_turn(writer)
    try:
        with _bind(engine, False, replayable, single_statement).connect() as connection:
            try:
                yield connection
                connection.commit()
            except BaseException:
                connection.rollback()
                raise
    finally:
        if writer is not None:
            writer.release()


@dataclass(frozen=True, slots=True)
class SqliteTransaction:
    """A transaction begun on SQLite's driver connection itself (a pooled sqlite3 connection,
    `step_scope`): `run_fixed` runs its statements there, without a SQLAlchemy `Connection`."""

    driver: Any
    dialect: Any


Database = Session | Connection | SqliteTransaction
"""What a storage function that runs only `FixedStatement`s takes: an ORM session, a
connection, or a transaction on SQLite's driver (`StepTransaction.core`)."""


class StepTransaction:
    """One transaction with an ORM session in it made only when asked for (`session`): a flow
    step's transaction (bot/dispatch.py, `step_scope`). Most steps run only fixed Core
    statements (the conversation's lock and save, the rate limit, an offer's look-ups:
    `run_fixed`), for which a Session's bookkeeping (its transaction, begin and commit events,
    identity map) and, on SQLite, even a SQLAlchemy `Connection` (checkout, begin and commit
    events, its transaction objects) cost more CPU than the statements (bench/RESULTS.md,
    issue 21). On SQLite the transaction is begun on the pooled driver connection itself;
    a `Connection` wrapping it, joining the transaction, is made only for the session."""

    __slots__ = ("_bind", "_connection", "_pooled", "_raw", "_session")

    def __init__(self, bind: Engine, *, connection: Connection | None = None,
                 pooled: Any = None, raw: SqliteTransaction | None = None) -> None:
        self._bind = bind
        self._connection = connection
        self._pooled = pooled  # SQLite: the pool's proxy of the driver connection
        self._raw = raw
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """The ORM session, made on first use, inside the same transaction: its commit and
        close leave the transaction to `step_scope`; objects stay usable after the commit
        (`expire_on_commit=False`, as `session_scope`)."""
        if self._session is None:
            self._session = Session(self._joined_connection(), expire_on_commit=False)
        return self._session

    @property
    def core(self) -> Database:
        """Where to run fixed statements (`run_fixed`): the transaction on the driver (SQLite)
        or the connection (PostgreSQL), or the session once there is one, so that what it
        holds unflushed is flushed first (as `Session.execute` would)."""
        if self._session is not None:
            return self._session
        if self._raw is not None and self._connection is None:
            return self._raw
        assert self._connection is not None
        return self._connection

    @property
    def orm_in_use(self) -> bool:
        """Whether the step made its ORM session."""
        return self._session is not None

    def _joined_connection(self) -> Connection:
        if self._connection is None:
            # The pooled connection wrapped as SQLAlchemy does in `Engine.connect`; its begin
            # finds the driver in a transaction and only marks it begun (the `begin` listener),
            # so a session made on it joins the transaction instead of owning one.
            connection = Connection(self._bind, connection=self._pooled)
            connection.begin()
            self._connection = connection
        return self._connection

    def _end_session(self, *, commit: bool) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:
            if commit:
                session.commit()  # flushes; the connection's transaction is not ended
        finally:
            session.close()

    def _commit(self) -> None:
        """Commit the transaction, the session's work included. A session whose flush fails
        raises here, before anything is committed (the caller then rolls back)."""
        self._end_session(commit=True)
        if self._connection is not None:
            self._connection.commit()
        elif self._raw is not None:
            _run_on_driver(self._raw.driver, "COMMIT")

    def _rollback(self) -> None:
        try:
            self._end_session(commit=False)
        finally:
            if self._connection is not None:
                self._connection.rollback()
            elif self._raw is not None:
                _run_on_driver(self._raw.driver, "ROLLBACK")

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()  # SQLite: hands the pooled connection back too
        elif self._pooled is not None:
            self._pooled.close()  # back to the pool (which rolls back anything left open)


@contextmanager
def step_scope(engine: Engine, *, replayable: bool = False) -> Iterator[StepTransaction]:
    """`session_scope` (commit on success, roll back on any error; `replayable` as there) with
    the ORM session made only if the code inside asks for it (`StepTransaction`). On SQLite the
    transaction is begun (`BEGIN IMMEDIATE`) and ended on the pooled driver connection itself,
    this process's threads taking turns for it (`_take_turn`)."""
    bind = _bind(engine, False, replayable, False)
    writer = _writer_of(engine)
    if writer is not None:
        _take_turn(writer)
    try:
        if is_sqlite(engine):
            pooled = bind.raw_connection()
            try:
                driver = pooled.dbapi_connection
                _begin_on_sqlite(driver, pooled.info, replayable=replayable, read_only=False,
                                 single_statement=False)
            except BaseException:
                pooled.close()
                raise
            step = StepTransaction(bind, pooled=pooled,
                                   raw=SqliteTransaction(driver, engine.dialect))
        else:
            connection = bind.connect()
            try:
                # Begun here, before any session joins it: a session made later must never own
                # the transaction.
                connection.begin()
            except BaseException:
                connection.close()
                raise
            step = StepTransaction(bind, connection=connection)
        try:
            yield step
            step._commit()
        except BaseException:
            with contextlib.suppress(Exception):  # the error that got us here is the one to raise
                step._rollback()
            raise
        finally:
            step._close()
    finally:
        if writer is not None:
            writer.release()


@contextmanager
def statement_scope(engine: Engine) -> Iterator[Database]:
    """`connection_scope(engine, single_statement=True)` for one fixed statement (`run_fixed`):
    its own transaction, durable at its end (FULL on SQLite). On SQLite it runs on the pooled
    driver connection itself, without a SQLAlchemy `Connection` (~140k instructions less, the
    webhook's store of every update: `step_scope`); PostgreSQL keeps its Connection."""
    if not is_sqlite(engine):
        with connection_scope(engine, single_statement=True) as connection:
            yield connection
        return
    writer = _writer_of(engine)
    if writer is not None:
        _take_turn(writer)
    try:
        pooled = _bind(engine, False, False, True).raw_connection()
        try:
            driver = pooled.dbapi_connection
            _begin_on_sqlite(driver, pooled.info, replayable=False, read_only=False,
                             single_statement=True)
            yield SqliteTransaction(driver, engine.dialect)
        finally:
            pooled.close()  # back to the pool (which rolls back anything left open)
    finally:
        if writer is not None:
            writer.release()


@contextmanager
def statements_scope(engine: Engine, count: int) -> Iterator[Database]:
    """`count` fixed statements (`run_fixed`) as one transaction, durable at its end (FULL on
    SQLite): one statement in `statement_scope` (no BEGIN/COMMIT), several in `step_scope`'s
    transaction (`BEGIN IMMEDIATE` … `COMMIT` on SQLite's driver; PostgreSQL's Connection).
    The webhook's group commit (bot/web.py, `InboxStore`): a batch is stored or not at all."""
    if count == 1:
        with statement_scope(engine) as db:
            yield db
        return
    with step_scope(engine) as step:
        yield step.core


_BINDS_ATTRIBUTE = "_lurecheck_binds"  # on an engine: {(options…): engine view}


def _bind(engine: Engine, read_only: bool, replayable: bool, single_statement: bool) -> Engine:
    """The engine carrying the options SQLite's `begin` listener reads (or, on PostgreSQL, the
    AUTOCOMMIT isolation level of `single_statement`), made once per engine:
    `engine.execution_options()` builds a new engine view with joined event dispatchers,
    ~15 us of CPU per transaction. PostgreSQL ignores `read_only` and `replayable`."""
    sqlite = is_sqlite(engine)
    if sqlite:
        if not (read_only or replayable or single_statement):
            return engine
        key: tuple[bool, ...] = (read_only, replayable, single_statement)
    else:
        if not single_statement:
            return engine
        key = (single_statement,)
    # Kept on the engine itself (a weak mapping would keep every engine alive through the
    # views, which reference their engine).
    binds: dict[tuple[bool, ...], Engine] | None = getattr(engine, _BINDS_ATTRIBUTE, None)
    if binds is None:
        binds = {}
        setattr(engine, _BINDS_ATTRIBUTE, binds)
    bind = binds.get(key)
    if bind is None:
        options: dict[str, Any] = (
            {_READ_ONLY_OPTION: read_only, _REPLAYABLE_OPTION: replayable,
             _SINGLE_STATEMENT_OPTION: single_statement}
            if sqlite else {"isolation_level": "AUTOCOMMIT"})
        bind = binds[key] = engine.execution_options(**options)
    return bind


class FixedStatement:
    """A Core statement whose SQL never changes, run by `run_fixed` (rows) or `run_fixed_many`
    (one statement, a list of parameter sets): the one way storage runs the statements of the
    hot paths (every update: the inbox's store and done marks, the conversation's lock and save,
    the rate limit; every checked offer: its look-ups; every report filed: its rows).

    On SQLite it runs on the driver connection itself: going through `Connection.execute` (an
    execution context, events, a cursor result and its metadata) cost ~60-100 us of CPU apiece,
    several times SQLite's own work. Compiled once, with the first SQLite dialect it meets;
    parameters and result columns go through the same type processors SQLAlchemy applies (JSON,
    enums, UTC datetimes), statement-level literals keep their values, and rows have the
    columns' names as attributes. Only for statements whose SQL does not depend on the
    parameters given (no expanding IN, every inserted or set column named in the statement).
    Elsewhere (PostgreSQL) `Connection.execute` runs `postgresql`, when the statement differs
    by dialect (`one_of`, ON CONFLICT), else the same statement."""

    __slots__ = ("_postgresql", "_prepared", "_statement")

    def __init__(self, statement: Any, *, postgresql: Any = None) -> None:
        self._statement = statement
        self._postgresql = statement if postgresql is None else postgresql
        self._prepared: _Prepared | None = None

    def prepared(self, dialect: Any) -> _Prepared:
        if self._prepared is None:
            assert dialect.name == "sqlite" and dialect.positional
            compiled = self._statement.compile(dialect=dialect)
            assert not compiled.literal_execute_params and not compiled.post_compile_params
            parameters = []
            for name in compiled.positiontup or ():
                bind = compiled.binds[name]
                parameters.append((name, bind.type.dialect_impl(dialect).bind_processor(dialect),
                                   bind.required, None if bind.required else bind.effective_value))
            columns = list(self._statement.exported_columns)
            processors = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                          for column in columns]
            row = namedtuple("Row", [column.key for column in columns])  # type: ignore[misc]
            self._prepared = _Prepared(compiled.string, parameters, row,
                                       [(index, process) for index, process in enumerate(processors)
                                        if process is not None])
        return self._prepared


@dataclass(frozen=True, slots=True)
class _Prepared:
    sql: str
    parameters: list[tuple[str, Any, bool, Any]]  # name, processor, required, literal value
    row: Any  # a namedtuple class of the result columns
    results: list[tuple[int, Any]]  # (column index, processor) for columns that need one

    def values(self, parameters: Mapping[str, Any]) -> list[Any]:
        values = []
        for name, process, required, literal in self.parameters:
            value = parameters[name] if required or name in parameters else literal
            values.append(value if process is None else process(value))
        return values


def _connection_of(db: Session | Connection) -> Connection:
    """The connection to run a statement on, as `Session.execute` would: on a session, what it
    holds unflushed is flushed first (autoflush, Core statements included; SQLAlchemy 2)."""
    if isinstance(db, Connection):
        return db
    if db.autoflush:
        db.flush()  # nothing to do, and cheap, when the session is clean
    return db.connection()


def _sqlite_driver(connection: Connection) -> Any:
    """The sqlite3 connection inside `connection`'s transaction (begun here if need be, through
    the `begin` listener: `synchronous`, `BEGIN IMMEDIATE` unless single-statement)."""
    if not connection.in_transaction():
        connection.begin()
    driver = connection.connection.dbapi_connection
    assert driver is not None
    return driver


def run_fixed(db: Database, statement: FixedStatement,
              parameters: Mapping[str, Any]) -> list[Any]:
    """Runs `statement` in the session's (or connection's) transaction; the rows it returns
    (none for a statement without RETURNING). Errors are SQLAlchemy's, as `execute` raises them
    (`DBAPIError.instance`: IntegrityError, OperationalError for "database is locked"…)."""
    if isinstance(db, SqliteTransaction):
        driver, dialect = db.driver, db.dialect
    else:
        connection = _connection_of(db)
        if connection.dialect.name != "sqlite":
            result = connection.execute(statement._postgresql, parameters)
            return list(result) if result.returns_rows else []
        driver, dialect = _sqlite_driver(connection), connection.dialect
    prepared = statement.prepared(dialect)
    values = prepared.values(parameters)
    try:
        found = driver.execute(prepared.sql, values).fetchall()
    except sqlite3.Error as error:
        raise DBAPIError.instance(prepared.sql, values, error, sqlite3.Error) from error
    rows = []
    for raw in found:
        if prepared.results:
            raw = list(raw)
            for index, process in prepared.results:
                raw[index] = process(raw[index])
        rows.append(prepared.row._make(raw))
    return rows


def run_fixed_many(db: Database, statement: FixedStatement,
                   parameter_sets: Sequence[Mapping[str, Any]]) -> None:
    """`run_fixed` once per parameter set, as one executemany (a statement without RETURNING)."""
    if not parameter_sets:
        return
    if isinstance(db, SqliteTransaction):
        driver, dialect = db.driver, db.dialect
    else:
        connection = _connection_of(db)
        if connection.dialect.name != "sqlite":
            connection.execute(statement._postgresql, list(parameter_sets))
            return
        driver, dialect = _sqlite_driver(connection), connection.dialect
    prepared = statement.prepared(dialect)
    values = [prepared.values(parameters) for parameters in parameter_sets]
    try:
        driver.executemany(prepared.sql, values)
    except sqlite3.Error as error:
        raise DBAPIError.instance(prepared.sql, values, error, sqlite3.Error) from error


def dialect_of(db: Database) -> str:
    """"sqlite" or "postgresql": the dialect a session or connection talks to."""
    if isinstance(db, Session):
        return db.get_bind().dialect.name
    return str(db.dialect.name)


def one_of(column: Any, name: str, element_type: TypeEngine[Any], dialect: str
           ) -> ColumnElement[bool]:
    """`column IN` the list given as the one parameter `name` (`list_parameter`), whatever
    its length. An expanding IN (`bindparam(…, expanding=True)`) re-renders the statement's SQL
    at every execution (~40 us of CPU, on the hot paths of every update and offer) and defeats
    psycopg's prepared statements. PostgreSQL takes an array (`= ANY`), SQLite a JSON array
    (`IN (SELECT value FROM json_each(?))`, which still searches `column`'s index). The
    statement differs by dialect: build it once per dialect."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(element_type)))  # type: ignore[no-any-return]
    values = func.json_each(bindparam(name, type_=String)).table_valued("value")
    return column.in_(sql_select(values.c.value))  # type: ignore[no-any-return]


def list_parameter(dialect: str, values: Iterable[Any]) -> Any:
    """The value of a `one_of` parameter: a list for PostgreSQL, a JSON array for SQLite."""
    return list(values) if dialect == "postgresql" else dumps_text(list(values))


def none_of(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column NOT IN values` for a fixed list, as `!=` comparisons: SQLAlchemy renders a
    literal list as an expanding parameter too, re-rendered at every execution (`one_of`)."""
    return and_(*(column != value for value in values))


def dialect_insert(session: Session) -> Any:
    """`insert` of the session's dialect, which offers ON CONFLICT on both engines."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def migrate(engine_or_url: Engine | str, *, revision: str = "head") -> None:
    """Alembic `upgrade` to `revision` (default: the newest), with the migrations shipped
    inside this package so an installed lurecheck can migrate its own database."""
    engine = (
        create_db_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    )
    try:
        with _sqlite_migration_lock(engine), engine.connect() as connection:
            sqlite = is_sqlite(connection)
            if sqlite:
                # Batch migrations copy tables; foreign keys must be off meanwhile, and the
                # pragma only works outside a transaction (hence the raw driver connection).
                connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                    "PRAGMA foreign_keys=OFF"
                )
            else:
                # Two deploy steps migrating at once would race on DDL: one waits for the other.
                connection.exec_driver_sql(f"SELECT pg_advisory_lock({_MIGRATION_LOCK_ID})")
                connection.commit()
            try:
                command.upgrade(_alembic_config(connection), revision)
                connection.commit()
            finally:
                connection.rollback()  # no-op after the commit; clears a failed transaction
                if sqlite:
                    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                        "PRAGMA foreign_keys=ON"
                    )
                else:
                    connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_MIGRATION_LOCK_ID})")
                    connection.commit()
    finally:
        if isinstance(engine_or_url, str):
            engine.dispose()


@contextmanager
def _sqlite_migration_lock(engine: Engine) -> Iterator[None]:
    """Two processes migrating one SQLite file take turns, as pg_advisory_lock makes them on
    PostgreSQL: a lock file beside the database, held for the whole upgrade. (The upgrade's
    own write transaction was seen to let a second process start from a stale revision.)"""
    database = engine.url.database if is_sqlite(engine) else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None: never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
