"""Alembic environment, driven only programmatically by `storage.db.migrate`.

There is no alembic.ini: the caller passes an open connection in `config.attributes`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - registers every table on the metadata
from storage.db import compared_with_models

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through storage.db.migrate(), which passes a connection")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead. Harmless elsewhere.
    render_as_batch=True,
    compare_type=True,
    include_object=compared_with_models,
)
with context.begin_transaction():
    context.run_migrations()
