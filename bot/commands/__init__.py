"""Feature subcommands of the `coordbot` CLI; each module has `register(sub, add)`, called from `bot.cli.parser`."""

from __future__ import annotations

import argparse
import asyncio
import functools
from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy.engine import Engine

from bot.config import Settings
from scheduler import Runtime, Scheduler
from storage.db import utcnow

T = TypeVar("T")

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


def with_scheduler(settings: Settings, engine: Engine, work: Callable[[Scheduler], T]) -> T:
    """Plan jobs into the job store the running service reads, through a scheduler that never runs them."""

    async def run() -> T:
        scheduler = Scheduler(Runtime(engine, settings, utcnow, lambda: None))
        await scheduler.start(lead=False)
        try:
            return work(scheduler)
        finally:
            await scheduler.stop()

    return asyncio.run(run())
