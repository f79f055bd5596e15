"""Feature subcommands of the `coordbot` CLI; each module has `register(sub, add)`, called from `bot.cli.parser`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Protocol

Subparsers = argparse._SubParsersAction  # type: ignore[type-arg]


class Add(Protocol):
    """`bot.cli`'s helper that adds one subcommand (to `into`, or to the top level)."""

    def __call__(self, name: str, func: Callable[[argparse.Namespace], int], help: str,
                 into: Subparsers = ...) -> argparse.ArgumentParser: ...
