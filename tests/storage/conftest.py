"""Fixtures of the storage tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from storage.db import make_engine, transaction
from storage.projects import Project
from storage.projects_demo import generate


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated database holding 2,000 generated projects (test_projects_import has an empty one of its own)."""
    engine = make_engine(database_url)
    with transaction(engine) as session:
        session.execute(insert(Project), list(generate(2000)))
    yield engine
    engine.dispose()
