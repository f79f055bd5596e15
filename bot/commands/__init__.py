"""Subcommands of the `coordbot` CLI; each module has `register(sub, add)`, which `bot.cli.parser` calls only for the
command being run (so a command imports only what it needs)."""

from __future__ import annotations

import argparse
import asyncio
import functools
from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy.engine import Engine

from bot.config import Settings, load_settings
from scheduler import Runtime, Scheduler
from storage import reference
from storage.db import make_engine, utcnow
from storage.migrations import upgrade

T = TypeVar("T")

Subparsers = argparse._SubParsersAction  # type: ignore[type-arg]


class Add(Protocol):
    """`bot.cli`'s helper that adds one subcommand: to `into`, or to the top level (whose one-line help is
    `bot.cli.COMMANDS`', so `coordbot --help` can list every command without importing any)."""

    def __call__(self, name: str, func: Callable[[argparse.Namespace], int], help: str = "",
                 into: Subparsers = ...) -> argparse.ArgumentParser: ...


def open_database(settings: Settings) -> Engine:
    """The configured database, its folder created (SQLite) and its schema upgraded."""
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def province_iso(name: str) -> str:
    """A `--province` given in Thai or English, as its ISO code; argparse reports an unknown one and exits."""
    province = reference.find_province(name)
    if province is None:
        hints = ", ".join(p.name_th for p in reference.suggest_provinces(name))
        raise argparse.ArgumentTypeError(f"unknown province {name!r}" + (f"; did you mean: {hints}" if hints else ""))
    return province.iso


def with_database(
    command: Callable[[argparse.Namespace, Settings, Engine], int],
) -> Callable[[argparse.Namespace], int]:
    """A subcommand given the settings and an upgraded engine, whose connections are closed when it ends (so
    none is left for the garbage collector to complain about)."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        settings = load_settings()
        engine = open_database(settings)
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
