"""Alembic environment: runs against the engine the service built, with every table's metadata."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.schema  # noqa: F401  (registers every table on SQLModel.metadata)

MIGRATION_LOCK = 0x636F6F72_6D696772  # "coormigr"

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=SQLModel.metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      include_name=lambda name, kind, _parent: not (kind == "table" and name == "apscheduler_jobs"))
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Processes started together (web and workers, COORDBOT_AUTO_MIGRATE) migrate one after another: the
            # first does the work, the others then find the schema at its head.
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        context.run_migrations()
    connection.commit()
