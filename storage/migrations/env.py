"""Alembic environment: runs against the engine the service built, with every table's metadata."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import storage.schema  # noqa: F401  (registers every table on SQLModel.metadata)

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=SQLModel.metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      include_name=lambda name, kind, _parent: not (kind == "table" and name == "apscheduler_jobs"))
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
