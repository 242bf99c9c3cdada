"""Engines, the one session helper, and programmatic Alembic migrations.

SQLite is configured for a bot that writes on nearly every update:
- WAL journal (readers never block the writer), foreign keys on, a busy timeout;
- the driver's own implicit transactions are switched off and every transaction starts with
  `BEGIN IMMEDIATE`, i.e. takes the write lock up front. Two threads or processes therefore
  cannot interleave read-modify-write sequences (the SQLite equivalent of `SELECT … FOR UPDATE`),
  and a transaction never fails half-way with SQLITE_BUSY_SNAPSHOT when it upgrades from
  reading to writing. `session_scope(engine, read_only=True)` starts a plain deferred
  transaction for pages that only read (the staff app), so they don't queue behind writers.
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

PostgreSQL is reached through psycopg 3 (`postgresql+psycopg://`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
_READ_ONLY_OPTION = "lurecheck_read_only"
_REPLAYABLE_OPTION = "lurecheck_replayable"
_SYNCHRONOUS_INFO = "lurecheck_synchronous"
_MIGRATION_LOCK_ID = 0x6C75726563  # "lurec": any constant shared by all lurecheck processes


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def create_db_engine(url: str, **engine_kwargs: Any) -> Engine:
    """An engine for a `sqlite:///…` or `postgresql+psycopg://…` URL (bot.config normalises
    the URLs hosts hand out), configured as above."""
    if not url.startswith("sqlite"):
        engine_kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **engine_kwargs)

    in_memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
    connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    if in_memory:
        # One shared connection, or every session would see its own empty database.
        engine_kwargs.setdefault("poolclass", StaticPool)
    engine = create_engine(url, connect_args=connect_args, **engine_kwargs)

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
        # Set outside the transaction, and only when it changes (a pooled connection keeps it).
        synchronous = "NORMAL" if options.get(_REPLAYABLE_OPTION, False) else "FULL"
        if connection.info.get(_SYNCHRONOUS_INFO) != synchronous:
            connection.exec_driver_sql(f"PRAGMA synchronous={synchronous}")
            connection.info[_SYNCHRONOUS_INFO] = synchronous
        read_only = options.get(_READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")

    return engine


@contextmanager
def session_scope(engine: Engine, *, read_only: bool = False,
                  replayable: bool = False) -> Iterator[Session]:
    """The one way to talk to the database: commit on success, roll back on any error.

    Objects stay usable after the commit (`expire_on_commit=False`), so a handler can read a
    row it has just written without another round trip.

    `replayable`: the transaction's effects are restored by replaying a durably stored input
    (an inbox update) if a power loss undoes its commit; on SQLite it then commits without a
    sync of its own (see the module doc). No effect on PostgreSQL.
    """
    options: dict[str, bool] = {_READ_ONLY_OPTION: True} if read_only else {}
    if replayable:
        options[_REPLAYABLE_OPTION] = True
    bind = engine.execution_options(**options) if options else engine
    session = Session(bind, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


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
        with engine.connect() as connection:
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


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None: never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
