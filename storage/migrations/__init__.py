"""Alembic migrations, run programmatically (`coordbot db upgrade`, and at start-up by default)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

HERE = Path(__file__).parent


def config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Every branch to its head: features add their own revisions on top of the foundation's."""
    command.upgrade(config(engine), revision)
