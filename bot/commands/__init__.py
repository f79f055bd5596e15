"""Feature subcommands of the `coordbot` CLI; each module has `register(sub, add)`, called from `bot.cli.parser`."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from typing import Protocol

from sqlalchemy.engine import Engine

from bot.config import Settings

Subparsers = argparse._SubParsersAction  # type: ignore[type-arg]


class Add(Protocol):
    """`bot.cli`'s helper that adds one subcommand (to `into`, or to the top level)."""

    def __call__(self, name: str, func: Callable[[argparse.Namespace], int], help: str,
                 into: Subparsers = ...) -> argparse.ArgumentParser: ...


def with_database(
    command: Callable[[argparse.Namespace, Settings, Engine], int],
) -> Callable[[argparse.Namespace], int]:
    """A subcommand given the settings and an upgraded engine, whose connections are closed when it ends (so
    none is left for the garbage collector to complain about)."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from bot.cli import _engine, _settings  # bot.cli loads the feature subcommands, so not at import time

        settings = _settings()
        engine: Engine = _engine(settings)
        try:
            return command(args, settings, engine)
        finally:
            engine.dispose()

    return run
