"""The migrations build exactly the schema the models describe, so a deployed database upgrades in place."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import storage.schema  # noqa: F401  (every table on the metadata)
from storage.db import make_engine
from storage.migrations import upgrade


def test_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            # The job store is APScheduler's; project_search* is SQLite's FTS5 index of titles (migration 0010).
            "include_name": lambda name, kind, _parent: not (kind == "table" and (
                name == "apscheduler_jobs" or name.startswith("project_search"))),
        })
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_twice_changes_nothing(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)
    engine.dispose()
