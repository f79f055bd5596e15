"""The migrations build exactly the schema the models describe, so a deployed database upgrades in place."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import storage.schema  # noqa: F401  (every table on the metadata)
from storage.db import make_engine
from storage.migrations import upgrade

COORDBOT = str(Path(sys.executable).with_name("coordbot"))


def differences(engine: Engine) -> list[object]:
    """What the database's schema lacks or has beyond the models."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            # The job store is APScheduler's; project_search* is SQLite's FTS5 index of titles (migration 0010).
            "include_name": lambda name, kind, _parent: not (kind == "table" and (
                name == "apscheduler_jobs" or name.startswith("project_search"))),
        })
        return list(compare_metadata(context, SQLModel.metadata))


def test_migrations_match_the_models(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine)
    assert differences(engine) == []
    engine.dispose()


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


@pytest.mark.skipif(not os.environ.get("COORDBOT_TEST_DATABASE_URL"), reason="one SQLite process migrates alone")
def test_processes_starting_together_migrate_once(empty_database_url: str, tmp_path: Path) -> None:
    """Several web and worker processes started at once on a new PostgreSQL database (COORDBOT_AUTO_MIGRATE):
    one migrates while the others wait for it, and none of them fails."""
    env = {**os.environ, "COORDBOT_DATABASE_URL": empty_database_url}
    procs = [subprocess.Popen([COORDBOT, "db", "upgrade"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT) for _ in range(3)]
    outputs = [proc.communicate(timeout=120)[0].decode() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0], outputs
    engine = make_engine(empty_database_url)
    assert differences(engine) == []
    engine.dispose()
