"""The `coordbot` command.

A command's module is imported only when that command runs, so `coordbot --help` and quick commands start in well
under a second instead of loading both platform SDKs and the web stack. Every command reads settings from the
environment and `.env`, like the service does.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable

from bot.config import ConfigError

COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("bot.run", "run the web service (needs LINE and/or Telegram credentials, or --demo)"),
    "work": ("bot.run", "handle events, send messages and run the scheduler without serving HTTP "
             "(beside `serve` with COORDBOT_BACKGROUND_WORKERS=false)"),
    "emulator": ("bot.run", "run the LINE/Telegram API emulator on its own"),
    "chat": ("bot.chat", "talk to the running demo service from the terminal as a demo person"),
    "seed-demo": ("bot.commands.admin", "create the demo people and data (idempotent)"),
    "invite": ("bot.commands.admin", "one-time invite codes"),
    "telegram": ("bot.commands.telegram_setup", "Telegram set-up"),
    "db": ("bot.commands.admin", "database maintenance"),
    "inbox": ("bot.commands.admin", "stored webhook events"),
    "status": ("bot.commands.status", "inbox lag, outbox depth and overdue jobs, from the database"),
    "projects": ("bot.commands.projects", "plan projects: import, export, find"),
    "window": ("bot.commands.deadlines", "plan-submission windows and their reminders"),
    "workshop": ("bot.commands.rsvp", "workshops: create, list, invite, export, check-in"),
    "broadcast": ("bot.commands.broadcast", "admin announcements to a segment, on LINE and Telegram"),
    "people": ("bot.commands.people", "the network's people: list, change, retire"),
    "audit": ("bot.commands.people", "the audit log, newest first"),
    "console": ("bot.commands.console", "the admin console in the browser: set-password"),
    "richmenu": ("bot.commands.richmenu", "LINE rich menus and Telegram command lists per role and language"),
}
"""Each top-level command: the module whose `register(sub, add)` defines it, and its line in `coordbot --help`."""


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with `command` fully defined (its module imported); the others only listed."""
    top = argparse.ArgumentParser(prog="coordbot", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = top.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help: str = "",
            into: argparse._SubParsersAction[argparse.ArgumentParser] = sub) -> argparse.ArgumentParser:
        text = COMMANDS[name][1] if into is sub else help
        p = into.add_parser(name, help=text, description=text)
        p.set_defaults(func=func)
        return p

    if command in COMMANDS:
        importlib.import_module(COMMANDS[command][0]).register(sub, add)
    for name in COMMANDS:
        if name not in sub.choices:
            add(name, _not_loaded)
    return top


def _not_loaded(args: argparse.Namespace) -> int:
    raise AssertionError(f"{args.command} runs only after its module registered it")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    args = parser(command).parse_args(argv)
    try:
        result: int = args.func(args)
        sys.stdout.flush()  # a reader gone away shows here, not in Python's own flush at exit
    except ConfigError as exc:
        print(f"coordbot: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`coordbot chat | head`): stop quietly, as other command-line tools do; what is left
        # unwritten goes nowhere, so Python's flush at exit does not fail on the closed pipe too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped this way
    return result


if __name__ == "__main__":
    sys.exit(main())
