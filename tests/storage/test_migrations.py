"""The migrations build exactly the schema the models describe, so a deployed database upgrades in place."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.schema  # noqa: F401  (every table on the metadata)
from storage.db import make_engine
from storage.migrations import upgrade


def test_migrations_match_the_models(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
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


def test_upgrading_twice_changes_nothing(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine)
    upgrade(engine)
    engine.dispose()


@pytest.mark.skipif(bool(os.environ.get("COORDBOT_TEST_DATABASE_URL")),
                    reason="only SQLite's table is rebuilt; PostgreSQL sequences never reuse an id")
def test_windows_keep_their_submissions_when_their_ids_become_never_reused(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine, "0005")
    with engine.begin() as conn:
        for window_id in (1, 2):
            conn.execute(text(
                "INSERT INTO submissionwindow (id, title_th, title_en, plan_level, fiscal_year, opens_at, closes_at, "
                "provinces, scope, description, link, nudges, created_at) VALUES (:id, 't', '', 'provincial', 2570, "
                "'2026-01-01 00:00:00', '2026-02-01 00:00:00', '[]', 'all', '', '', '[]', '2026-01-01 00:00:00')"),
                {"id": window_id})
        conn.execute(text("INSERT INTO submission (id, window_id, province_iso, submitted_at, submitted_by, reference)"
                          " VALUES (1, 1, 'TH-50', '2026-01-05 00:00:00', NULL, '')"))
    upgrade(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT window_id, province_iso FROM submission")).all() == [(1, "TH-50")]
        conn.execute(text("DELETE FROM submissionwindow WHERE id = 2"))
        new_id = conn.execute(text(
            "INSERT INTO submissionwindow (title_th, title_en, plan_level, fiscal_year, opens_at, closes_at, "
            "provinces, scope, description, link, nudges, created_at) VALUES ('t', '', 'provincial', 2570, "
            "'2026-01-01 00:00:00', '2026-02-01 00:00:00', '[]', 'all', '', '', '[]', '2026-01-01 00:00:00') "
            "RETURNING id")).scalar_one()
    engine.dispose()
    assert new_id == 3
